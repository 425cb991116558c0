"""'Get started': the onboarding journey of a new community, from its basics to the sponsor's dossier. Each step
opens the real tool; progress is read from the tools; steps can be skipped and revisited.

While a coordinator is in the journey (they opened it for this community and did not close the guidance), every page
of a step's tool shows where they are and, once the step's work is done, the way on to the next step. The journey
ends on its own page with the dossier to download and a closing note."""

from __future__ import annotations

import logging
from typing import Any

from nicegui import html, run, ui

from components import typography as tx
from components.frame import aria
from components.nav import PARTS, part_href, provide
from core.communities import file_slug
from core.errors import AppError
from core.journey import STEPS, Step, finished, next_after, resume_at
from core.roles import Permission
from core.services import Services

from ._base import PageContext, community_page

log = logging.getLogger(__name__)

JOURNEY = 'journey'  # session key: the communities whose journey this visitor is in
END = 'dossier'  # ?step= of the journey's closing page
PAGE_STEP = {'settings': 'basics', **{s: s for s in STEPS}}  # a page's `active` entry -> the step it serves


def step_href(step: str, cid: str) -> str:
    """Where a step's tool lives: the part of the same name, or the community's settings for its basics."""
    part = next((p for p in PARTS if p.key == step), None)
    return part_href(part, cid) if part else f'/c/{cid}/settings'


def tool_href(step: str, cid: str) -> str:
    """A step's tool, opened from the journey."""
    return f'{step_href(step, cid)}?journey={step}'


def _in_journey(ctx: PageContext, cid: str) -> bool:
    return cid in (ctx.session.get(JOURNEY) or [])


def _join(ctx: PageContext, cid: str) -> None:
    if not _in_journey(ctx, cid):
        ctx.session[JOURNEY] = [*(ctx.session.get(JOURNEY) or []), cid]


def _leave(ctx: PageContext, cid: str) -> None:
    ctx.session[JOURNEY] = [c for c in ctx.session.get(JOURNEY) or [] if c != cid]


def journey_banner(ctx: PageContext, active: str | None) -> None:
    """Called by the page frame on every community page: on a step's page, while in the journey (or opened from it
    with ?journey=step), the step, what finishes it and, once done, the action that leads on."""
    if ctx.community is None or ctx.user is None or not ctx.can(Permission.EDIT):
        return
    cid = ctx.community.id
    asked = ctx.request.query_params.get('journey')
    if asked in STEPS:
        _join(ctx, cid)
    step = asked if asked in STEPS else PAGE_STEP.get(active or '')
    if step is None or not _in_journey(ctx, cid):
        return
    journey, t = ctx.services.journey, ctx.t

    def progress() -> list[Step]:
        try:
            return journey.progress(ctx.user.id, cid)
        except AppError:
            return []

    @ui.refreshable
    def banner() -> None:
        steps = progress()
        if not steps:
            return
        this = steps[STEPS.index(step)]
        with ui.row().classes('w-full items-center gap-x-3 gap-y-2'):
            tx.span(
                t('journey.banner', number=STEPS.index(step) + 1, total=len(STEPS), name=t(f'journey.step.{step}'))
            ).classes('font-medium').mark('journey-banner-step')
            ui.space()
            ui.link(t('journey.back'), f'/c/{cid}/journey?step={step}').mark('journey-back')
            aria(ui.button(icon='close', on_click=close).props('flat round dense size=sm'), t('journey.close')).mark(
                'journey-close'
            )
        if not this.done:
            tx.p(t(f'journey.todo.{step}')).classes('text-sm').mark('journey-todo')
            return
        following = next_after(steps, step)
        with ui.row().classes('w-full items-center gap-3'):
            tx.span(t('journey.step_done')).classes('font-medium text-positive').mark('journey-step-done')
            if following is not None:
                ui.button(
                    t('journey.done_next', number=STEPS.index(following) + 1, name=t(f'journey.step.{following}')),
                    icon='arrow_forward',
                    on_click=lambda: ui.navigate.to(tool_href(following, cid)),
                ).mark('journey-done-next')
            else:
                ui.button(
                    t('journey.to_end'), icon='flag', on_click=lambda: ui.navigate.to(f'/c/{cid}/journey?step={END}')
                ).mark('journey-done-next')

    def close() -> None:
        _leave(ctx, cid)
        card.set_visibility(False)
        ui.notify(t('journey.closed'))

    with ui.card().classes('w-full bg-blue-50 cop-noprint gap-1').props('flat bordered').mark('journey-banner') as card:
        banner()
        steps = progress()
        if steps and not steps[STEPS.index(step)].done:
            # the step's work may be finished on this very page (a decision saved, an action dated): look again
            def look_again() -> None:
                now = progress()
                if now and now[STEPS.index(step)].done:
                    timer.deactivate()
                    banner.refresh()

            timer = ui.timer(3.0, look_again)


def register(services: Services) -> None:
    journey = services.journey

    def status(ctx: PageContext) -> str:
        steps = journey.progress(ctx.user.id, ctx.community.id)
        return ctx.t('journey.dashboard', done=sum(s.done for s in steps), total=len(steps))

    provide('journey', status)

    @community_page(services, '/c/{cid}/journey')
    def start(ctx: PageContext, step: str = ''):
        t, cid = ctx.t, ctx.community.id
        steps = journey.progress(ctx.user.id, cid)
        if ctx.can(Permission.EDIT):
            _join(ctx, cid)
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
                    try:
                        await journey.skip(ctx.user.id, cid, current, skipped)
                    except AppError as e:
                        ctx.notify_error(e)
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
    status.set_text(t('dossier.ready'))
    ui.download.content(pdf, f'{file_slug(ctx.community.name)}-dossier-{t.lang}.pdf', 'application/pdf')
