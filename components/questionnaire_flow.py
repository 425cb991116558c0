"""Screen pieces shared by every questionnaire (kompas, profile, facilitation checklist): answering one dimension
at a time, and the review of open questions before finishing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from nicegui import html, ui

from core.questionnaire import Dimension, Instrument, dimension_to_show, unanswered
from core.roles import Permission
from core.sheets import Sheet

from . import typography as tx
from .context import PageContext
from .dialogs import confirm
from .plan_button import send_to_plan
from .questionnaire import Progress, QuestionCard

Save = Callable[[str, Any], Awaitable[Any]]


def answer_dimension(
    ctx: PageContext,
    instrument: Instrument,
    sheet: Sheet,
    dimension_id: str,
    *,
    answer_url: Callable[[str], str],
    review_url: str,
    save_answer: Save,
    save_comment: Save,
    comments: bool = True,
) -> None:
    """The questions of one dimension, saved as they are answered, with progress and navigation."""
    t = ctx.t
    dimension = instrument.dimension(dimension_id)
    progress = Progress(t, instrument, sheet.answers, current=dimension.id, href=answer_url)
    if dimension.description:
        tx.p(t.pick(dimension.description)).classes('cop-muted')

    async def on_answer(item_id: str, value: Any) -> bool:
        if not await ctx.attempt(save_answer(item_id, value)):
            return False
        progress.update(item_id, value)
        return True

    async def on_comment(item_id: str, text: str) -> bool:
        return bool(await ctx.attempt(save_comment(item_id, text)))

    numbers = {item.id: n for n, item in enumerate(instrument.items, start=1)}
    for item in dimension.items:
        QuestionCard(
            t,
            instrument,
            item,
            numbers[item.id],
            sheet.answers.get(item.id),
            sheet.comments.get(item.id, ''),
            on_answer=on_answer,
            on_comment=on_comment,
            comments=comments,
        )
    _dimension_steps(ctx, instrument, dimension, answer_url, review_url)


def _dimension_steps(
    ctx: PageContext, instrument: Instrument, dimension: Dimension, answer_url: Callable[[str], str], review_url: str
) -> None:
    """The way to the dimension before, and to the next one (or to the review after the last)."""
    t = ctx.t
    dimensions = instrument.dimensions
    index = [d.id for d in dimensions].index(dimension.id)
    with ui.row().classes('w-full justify-between gap-2 mt-2'):
        if index > 0:
            previous = dimensions[index - 1]
            ui.button(
                t('questionnaire.previous', dimension=t.pick(previous.title)),
                icon='arrow_back',
                on_click=lambda: ui.navigate.to(answer_url(previous.id)),
            ).props('outline').mark('previous-dimension')
        else:
            ui.element('span')
        if index + 1 < len(dimensions):
            following = dimensions[index + 1]
            ui.button(
                t('questionnaire.next', dimension=t.pick(following.title)),
                on_click=lambda: ui.navigate.to(answer_url(following.id)),
            ).props('icon-right=arrow_forward').mark('next-dimension')
        else:
            ui.button(t('questionnaire.to_review'), on_click=lambda: ui.navigate.to(review_url)).props(
                'icon-right=arrow_forward'
            ).mark('to-review')


def review_and_finish(
    ctx: PageContext,
    instrument: Instrument,
    sheet: Sheet,
    *,
    answer_url: Callable[[str], str],
    finish: Callable[[], Awaitable[Any]],
    done_url: str,
    done_notice: str,
) -> None:
    """The open questions, with links back to them, and the finish button (asking first if some are open)."""
    t = ctx.t
    Progress(t, instrument, sheet.answers, href=answer_url)
    missing = unanswered(instrument, sheet.answers)
    if missing:
        tx.h2(t('questionnaire.open_questions', count=len(missing)))
        numbers = {item.id: n for n, item in enumerate(instrument.items, start=1)}
        with html.ul().classes('flex flex-col gap-1 list-disc pl-6').mark('unanswered-list'):
            for item in missing:
                with html.li():
                    ui.link(f'{numbers[item.id]}. {t.pick(item.statement)}', answer_url(item.dimension))
    else:
        tx.p(t('questionnaire.all_answered')).mark('all-answered')

    async def on_finish() -> None:
        if missing and not await confirm(
            t,
            t('questionnaire.finish_anyway_title'),
            t('questionnaire.finish_anyway', count=len(missing)),
            t('questionnaire.finish'),
        ):
            return
        if await ctx.attempt(finish):
            ctx.go(done_url, done_notice)

    ui.button(t('questionnaire.finish'), icon='flag', on_click=on_finish).mark('finish')


def idea_list(
    ctx: PageContext, source: str, ref: str, dimension: str, ideas: list[dict], sent: set[tuple[str, str]]
) -> None:
    """A result's ideas for one dimension, each with its 'add to action plan' button (for those who may edit)."""
    t = ctx.t
    with html.ul().classes('flex flex-col gap-1 w-full'):
        for idea in ideas:
            with html.li().classes('flex flex-wrap items-center gap-2 justify-between'):
                tx.span(t.pick(idea)).classes('grow basis-64')
                if ctx.can(Permission.EDIT):
                    send_idea(ctx, source, ref, dimension, idea, (dimension, idea['en']) in sent)


def send_idea(ctx: PageContext, source: str, ref: str, dimension: str, text: dict, already: bool) -> None:
    """The 'add to action plan' button for an idea from a tool's result."""

    async def send() -> bool:
        suggestions = ctx.services.suggestions
        return bool(
            await ctx.attempt(suggestions.send(ctx.user.id, ctx.community.id, source, ref, dimension, dict(text)))
        )

    send_to_plan(ctx.t, ctx.t.pick(text), already, send)


@dataclass(frozen=True)
class Flow:
    """The screens of one questionnaire being answered (kompas, profile, facilitation checklist), under `base`:
    one dimension at a time at {base}/answer?d=<dimension>, the review and finish at {base}/review."""

    ctx: PageContext
    instrument: Instrument
    sheet: Sheet
    base: str
    active: str  # the navigation entry the screens belong to

    def answer_url(self, dimension_id: str) -> str:
        return f'{self.base}/answer?d={dimension_id}'

    def answer_page(self, title: Callable[[str], str], d: str, save_answer: Save, save_comment: Save) -> None:
        """The page of dimension `d` (or the first open one); `title` makes the page title of its name."""
        dimension = dimension_to_show(self.instrument, self.sheet.answers, d)
        with self.ctx.frame(title(self.ctx.t.pick(dimension.title)), active=self.active):
            answer_dimension(
                self.ctx,
                self.instrument,
                self.sheet,
                dimension.id,
                answer_url=self.answer_url,
                review_url=f'{self.base}/review',
                save_answer=save_answer,
                save_comment=save_comment,
            )

    def review_page(self, title: str, finish: Callable[[], Awaitable[Any]], done_url: str, done_notice: str) -> None:
        with self.ctx.frame(title, active=self.active):
            review_and_finish(
                self.ctx,
                self.instrument,
                self.sheet,
                answer_url=self.answer_url,
                finish=finish,
                done_url=done_url,
                done_notice=done_notice,
            )
