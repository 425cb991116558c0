"""'Get started': the onboarding journey of a new community, from its basics to the sponsor's dossier. Each step
opens the real tool; progress is read from the tools; steps can be skipped and revisited.

While a coordinator is in the journey, every page of a step's tool shows where they are (components/journey_banner.py).
The journey ends on its own page with the dossier to download and a closing note."""

from __future__ import annotations

import logging
from typing import Any

from nicegui import html, run, ui

from components import typography as tx
from components.context import PageContext
from components.frame import aria
from components.journey_banner import END, join_journey, tool_href
from components.nav import provide
from core.communities import file_slug
from core.journey import STEPS, Step, finished, resume_at
from core.roles import Permission
from core.services import Services

from ._base import community_page

log = logging.getLogger(__name__)


def register(services: Services) -> None:
    journey = services.journey

    def status(ctx: PageContext) -> str:
        steps = journey.progress(ctx.user.id, ctx.community.id)
        return ctx.t('journey.dashboard', done=sum(s.done for s in steps), total=len(steps))

    provide('journey', status)

    @community_page(services, '/c/{cid}/journey')
    def start(ctx: PageContext, step: str = ''):
        _journey(ctx, services, step)


def _journey(ctx: PageContext, services: Services, step: str) -> None:
    """The steps and where the coordinator is; the current step's card, or the closing page at the end."""
    t, cid = ctx.t, ctx.community.id
    steps = services.journey.progress(ctx.user.id, cid)
    if ctx.can(Permission.EDIT):
        join_journey(ctx.session, cid)
    ending = step == END or (not step and finished(steps))
    current = step if step in STEPS else resume_at(steps)
    with ctx.frame(t('journey.title'), active='journey'):
        if ending:
            _closing(ctx, services, steps)
        tx.p(t('journey.intro'))
        tx.p(t('journey.progress', done=sum(s.done for s in steps), total=len(steps))).classes('font-medium').mark(
            'journey-progress'
        )
        _step_list(ctx, steps, None if ending else current)
        if not ending:
            _step_card(ctx, steps, current)


def _step_list(ctx: PageContext, steps: list[Step], current: str | None) -> None:
    t, cid = ctx.t, ctx.community.id
    with aria(html.nav(), t('journey.steps')).classes('w-full'):
        with html.ol().classes('flex flex-col gap-1'):
            for number, s in enumerate(steps, start=1):
                state = 'done' if s.done else 'skipped' if s.skipped else 'open'
                with html.li().classes('flex items-center gap-2'):
                    ui.icon(
                        {'done': 'check_circle', 'skipped': 'redo', 'open': 'radio_button_unchecked'}[state],
                        color='positive' if s.done else None,
                    ).props('aria-hidden=true')
                    link = ui.link(f'{number}. {t(f"journey.step.{s.key}")}', f'/c/{cid}/journey?step={s.key}').mark(
                        f'step-{s.key}'
                    )
                    tx.span(t(f'journey.state.{state}')).classes('text-sm cop-muted').mark(f'step-state-{s.key}')
                    if s.key == current:
                        link.props('aria-current=step').classes('font-bold')
            if finished(steps):
                with html.li().classes('flex items-center gap-2'):
                    ui.icon('flag', color='positive').props('aria-hidden=true')
                    ui.link(t('journey.end_link'), f'/c/{cid}/journey?step={END}').mark('step-end')


def _step_card(ctx: PageContext, steps: list[Step], current: str) -> None:
    t, cid = ctx.t, ctx.community.id
    journey = ctx.services.journey
    the_step = next(s for s in steps if s.key == current)
    index = STEPS.index(current)
    with ui.card().classes('w-full gap-2').props('flat bordered').mark('journey-step'):
        tx.h2(t('journey.step_heading', number=index + 1, total=len(STEPS), name=t(f'journey.step.{current}')))
        tx.p(t(f'journey.step.{current}.text'))
        if the_step.done:
            tx.p(t('journey.done_note')).classes('font-medium text-positive')
        with ui.row().classes('gap-2 items-center'):
            ui.button(
                t('journey.open_tool', name=t(f'journey.step.{current}')),
                icon='open_in_new',
                on_click=lambda: ui.navigate.to(tool_href(current, cid)),
            ).mark('journey-open')
            if ctx.can(Permission.EDIT) and not the_step.done:

                async def skip(skipped: bool = not the_step.skipped) -> None:
                    if not await ctx.attempt(journey.skip(ctx.user.id, cid, current, skipped)):
                        return
                    following = journey.current(ctx.user.id, cid) if skipped else current
                    ctx.go(
                        f'/c/{cid}/journey?step={following}',
                        t('journey.skipped' if skipped else 'journey.unskipped'),
                    )

                ui.button(t('journey.unskip') if the_step.skipped else t('journey.skip'), on_click=skip).props(
                    'outline'
                ).mark('journey-skip')
            if index + 1 < len(STEPS):
                following = STEPS[index + 1]
                ui.link(
                    t('journey.next', name=t(f'journey.step.{following}')), f'/c/{cid}/journey?step={following}'
                ).mark('journey-next')


def _closing(ctx: PageContext, services: Services, steps: list[Step]) -> None:
    """The end of the journey: well done, what each step produced, and the dossier for the sponsor."""
    t, cid = ctx.t, ctx.community.id
    summary = services.journey.summary(ctx.user.id, cid)
    with ui.card().classes('w-full gap-2 border-positive').props('flat bordered').mark('journey-end'):
        tx.h2(t('journey.end.title' if finished(steps) else 'journey.end.title_partial'))
        tx.p(t('journey.end.text'))
        with html.ul().classes('list-disc pl-6 flex flex-col gap-1').mark('journey-summary'):
            for s in steps:
                if s.key in summary:
                    tx.li(_summary_line(ctx, s.key, summary[s.key]))
                else:
                    tx.li(t('journey.end.missing', name=t(f'journey.step.{s.key}'))).classes('cop-muted')
        with ui.row().classes('items-center gap-3 mt-2'):
            button = (
                ui.button(
                    t('journey.end.download'), icon='picture_as_pdf', on_click=lambda: _download(ctx, button, status)
                )
                .props('size=lg')
                .mark('journey-dossier-pdf')
            )
            ui.link(t('journey.end.open_dossier'), f'/c/{cid}/dossier').mark('journey-dossier-link')
        status = tx.p('').classes('text-sm').props('aria-live=polite').mark('journey-dossier-status')


def _summary_line(ctx: PageContext, key: str, facts: dict[str, Any]) -> str:
    t = ctx.t
    if key == 'kompas':
        stage = ctx.services.content.stage(facts['stage']) if facts['stage'] else None
        name = t.pick(stage.title) if stage else t('kompas.no_stage')
        return t('journey.end.kompas_quick' if facts['quick'] else 'journey.end.kompas', stage=name)
    if key == 'ittools':
        return t('journey.end.ittools', tool=t.pick(facts['tool']))
    if key == 'plan':
        return t('journey.end.plan', count=facts['count'], carried=facts['carried'])
    return t(f'journey.end.{key}', **facts)


async def _download(ctx: PageContext, button: ui.button, status: ui.element) -> None:
    """The whole dossier as a PDF, in the page's language (the dossier page lets the sponsor's sections be chosen)."""
    from core.dossier import DEFAULT_SECTIONS, collect
    from core.pdf.dossier import dossier_pdf

    t = ctx.t
    button.props('loading')
    status.set_text(t('dossier.building'))
    try:
        data = collect(ctx.services, ctx.user.id, ctx.community.id, t.lang)
        # the default sections: the coordinator's own profile goes to the sponsor only when chosen on the dossier page
        pdf = await run.io_bound(dossier_pdf, data, t, list(DEFAULT_SECTIONS))
    except Exception:  # a failing document must not leave the page waiting: say so, log it
        log.warning('dossier PDF of %s failed', ctx.community.id, exc_info=True)
        status.set_text(t('dossier.failed'))
        return
    finally:
        button.props(remove='loading')
    if pdf is None:  # the server is stopping: nothing to hand over
        return
    status.set_text(t('dossier.ready'))
    ui.download.content(pdf, f'{file_slug(ctx.community.name)}-dossier-{t.lang}.pdf', 'application/pdf')
