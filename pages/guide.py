"""The guide "Samen leren en creëren": readable by anyone at /guide; inside a community (/c/{cid}/guide) its
coordinators write their own answer under each question, saved for the community and shown in the action plan."""

from __future__ import annotations

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.frame import aria
from components.nav import PARTS, part_href, provide
from components.sources import based_on
from core.guide import MAX_ANSWER, Answer, Phase, Question
from core.roles import Permission
from core.services import Services

from ._base import community_page, page


def register(services: Services) -> None:
    guide = services.content.guide
    provide('guide', _status)

    @page(services, '/guide')
    def public_guide(ctx: PageContext, phase: str = ''):
        chosen = guide.phase(phase) or guide.phases[0]
        with ctx.frame(ctx.t.pick(guide.title), active='guide'):
            _guide(ctx, chosen, base='/guide', answers=None)

    @community_page(services, '/c/{cid}/guide')
    def community_guide(ctx: PageContext, phase: str = ''):
        chosen = guide.phase(phase) or guide.phase_for_stage(ctx.community.stage) or guide.phases[0]
        answers = services.guide.answers(ctx.user.id, ctx.community.id)
        with ctx.frame(ctx.t.pick(guide.title), active='guide'):
            _guide(ctx, chosen, base=f'/c/{ctx.community.id}/guide', answers=answers)


def _status(ctx: PageContext) -> str:
    answered = len(ctx.services.guide.answers(ctx.user.id, ctx.community.id))
    total = sum(len(p.questions) for p in ctx.services.content.guide.phases)
    return ctx.t('guide.dashboard', answered=answered, total=total)


def _guide(ctx: PageContext, phase: Phase, *, base: str, answers: dict[str, Answer] | None) -> None:
    t, guide = ctx.t, ctx.services.content.guide
    tx.p(t.pick(guide.intro))
    with aria(html.nav(), t('guide.phases')).classes('w-full'):
        with html.ol().classes('flex flex-wrap gap-2'):
            for number, p in enumerate(guide.phases, start=1):
                with html.li():
                    link = (
                        ui.link(f'{number}. {t.pick(p.title)}', f'{base}?phase={p.id}')
                        .classes('px-3 py-1 rounded border border-current no-underline')
                        .mark(f'phase-{p.id}')
                    )
                    if p.id == phase.id:
                        link.props('aria-current=step').classes('bg-primary text-white')
    tx.h2(t('guide.phase_title', phase=t.pick(phase.title)))
    stage = ctx.services.content.stage(phase.stage)
    if stage:
        tx.p(t('guide.stage', stage=t.pick(stage.title))).classes('text-sm cop-muted')
    tx.p(t.pick(phase.intro))
    if answers is None:
        tx.p(t('guide.login_hint')).classes('text-sm cop-muted').mark('guide-login-hint')
    for question in phase.questions:
        _question(ctx, question, answers)
    _phase_steps(ctx, phase, base)


def _phase_steps(ctx: PageContext, phase: Phase, base: str) -> None:
    """The way to the phase before and the next one."""
    t, phases = ctx.t, ctx.services.content.guide.phases
    index = [p.id for p in phases].index(phase.id)
    with ui.row().classes('w-full justify-between gap-2'):
        if index > 0:
            ui.link(t('guide.previous', phase=t.pick(phases[index - 1].title)), f'{base}?phase={phases[index - 1].id}')
        else:
            ui.element('span')
        if index + 1 < len(phases):
            ui.link(
                t('guide.next', phase=t.pick(phases[index + 1].title)), f'{base}?phase={phases[index + 1].id}'
            ).mark('next-phase')


def _question(ctx: PageContext, question: Question, answers: dict[str, Answer] | None) -> None:
    t = ctx.t
    with ui.card().classes('w-full gap-2').props('flat bordered').mark(f'guide-{question.id}'):
        heading = tx.h3(t.pick(question.question))
        tx.p(t.pick(question.why))
        based_on(t, question.source, f'based-on-{question.id}', about=t.pick(question.question))
        if question.attention:
            tx.p(t('guide.attention')).classes('font-medium')
            with html.ul().classes('list-disc pl-5 flex flex-col gap-1'):
                for point in question.attention:
                    tx.li(t.pick(point))
        if question.choices:
            tx.p(t('guide.choices')).classes('font-medium')
            with html.dl().classes('flex flex-col gap-1'):
                for choice in question.choices:
                    tx.dt(t.pick(choice.title)).classes('font-medium')
                    tx.dd(t.pick(choice.text)).classes('pl-4')
        if question.tools:
            _tools(ctx, question)
        if answers is not None:
            _answer(ctx, question, answers.get(question.id), heading)


def _tools(ctx: PageContext, question: Question) -> None:
    t = ctx.t
    with ui.row().classes('items-center gap-2'):
        tx.span(t('guide.tools')).classes('font-medium')
        for key in question.tools:
            part = next(p for p in PARTS if p.key == key)
            if ctx.community is not None:
                ui.link(t(f'nav.{key}'), part_href(part, ctx.community.id)).mark(f'guide-tool-{key}')
            else:
                tx.span(t(f'nav.{key}'))


def _answer(ctx: PageContext, question: Question, answer: Answer | None, heading: ui.element) -> None:
    """The community's own answer: written by its coordinators (saved when the field is left), read by the others."""
    t = ctx.t
    if not ctx.can(Permission.EDIT):
        if answer:
            tx.p(t('guide.answer_is', answer=answer.text)).classes('italic whitespace-pre-line')
        return
    box = (
        ui.textarea(t('guide.your_answer'), value=answer.text if answer else '')
        .classes('w-full')
        .props(f'outlined autogrow maxlength={MAX_ANSWER}')
        .mark(f'answer-{question.id}')
    )
    box.props['aria-describedby'] = heading.html_id
    saved = {'text': answer.text if answer else ''}
    status = tx.span('').classes('text-sm cop-muted').props('aria-live=polite')

    async def save() -> None:
        text = box.value or ''
        if isinstance(text, str) and text.strip() == saved['text'].strip():  # core refuses other types
            return
        stored = ctx.services.guide.save(ctx.user.id, ctx.community.id, question.id, text)
        if await ctx.attempt(stored, on_error=lambda _: status.set_text(t('questionnaire.not_saved'))):
            saved['text'] = text
            status.set_text(t('guide.saved'))

    box.on('blur', save)
