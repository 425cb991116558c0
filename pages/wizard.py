"""'Get started': the onboarding journey of a new community, from its basics to the action plan. Each step opens
the real tool; progress is read from the tools; steps can be skipped and revisited."""

from __future__ import annotations

from nicegui import html, ui

from components import typography as tx
from components.frame import aria
from components.nav import PARTS, part_href, provide
from core.errors import AppError
from core.roles import Permission
from core.services import Services
from core.wizard import STEPS, resume_at

from ._base import PageContext, community_page


def step_href(step: str, cid: str) -> str:
    """Where a step's tool lives: the part of the same name, or the community's settings for its basics."""
    part = next((p for p in PARTS if p.key == step), None)
    return part_href(part, cid) if part else f'/c/{cid}/settings'


def register(services: Services) -> None:
    wizard = services.wizard

    def status(ctx: PageContext) -> str:
        steps = wizard.progress(ctx.user.id, ctx.community.id)
        return ctx.t('wizard.dashboard', done=sum(s.done for s in steps), total=len(steps))

    provide('wizard', status)

    @community_page(services, '/c/{cid}/start')
    def start(ctx: PageContext, step: str = ''):
        t, cid = ctx.t, ctx.community.id
        steps = wizard.progress(ctx.user.id, cid)
        current = step if step in STEPS else resume_at(steps)
        with ctx.frame(t('wizard.title'), active='wizard'):
            tx.p(t('wizard.intro'))
            tx.p(t('wizard.progress', done=sum(s.done for s in steps), total=len(steps))).classes('font-medium').mark(
                'wizard-progress'
            )
            with aria(html.nav(), t('wizard.steps')).classes('w-full'):
                with html.ol().classes('flex flex-col gap-1'):
                    for number, s in enumerate(steps, start=1):
                        state = 'done' if s.done else 'skipped' if s.skipped else 'open'
                        with html.li().classes('flex items-center gap-2'):
                            ui.icon(
                                {'done': 'check_circle', 'skipped': 'redo', 'open': 'radio_button_unchecked'}[state],
                                color='positive' if s.done else None,
                            ).props('aria-hidden=true')
                            link = ui.link(
                                f'{number}. {t(f"wizard.step.{s.key}")}', f'/c/{cid}/start?step={s.key}'
                            ).mark(f'step-{s.key}')
                            tx.span(t(f'wizard.state.{state}')).classes('text-sm cop-muted').mark(f'step-state-{s.key}')
                            if s.key == current:
                                link.props('aria-current=step').classes('font-bold')
            the_step = next(s for s in steps if s.key == current)
            index = STEPS.index(current)
            with ui.card().classes('w-full gap-2').props('flat bordered').mark('wizard-step'):
                tx.h2(t('wizard.step_heading', number=index + 1, total=len(STEPS), name=t(f'wizard.step.{current}')))
                tx.p(t(f'wizard.step.{current}.text'))
                if the_step.done:
                    tx.p(t('wizard.done_note')).classes('font-medium text-positive')
                with ui.row().classes('gap-2 items-center'):
                    ui.button(
                        t('wizard.open_tool', name=t(f'wizard.step.{current}')),
                        icon='open_in_new',
                        on_click=lambda: ui.navigate.to(f'{step_href(current, cid)}?wizard={current}'),
                    ).mark('wizard-open')
                    if ctx.can(Permission.EDIT) and not the_step.done:

                        async def skip(skipped: bool = not the_step.skipped) -> None:
                            try:
                                await wizard.skip(ctx.user.id, cid, current, skipped)
                            except AppError as e:
                                ctx.notify_error(e)
                                return
                            following = wizard.current(ctx.user.id, cid) if skipped else current
                            ctx.go(
                                f'/c/{cid}/start?step={following}',
                                t('wizard.skipped' if skipped else 'wizard.unskipped'),
                            )

                        ui.button(t('wizard.unskip') if the_step.skipped else t('wizard.skip'), on_click=skip).props(
                            'outline'
                        ).mark('wizard-skip')
                    if index + 1 < len(STEPS):
                        following = STEPS[index + 1]
                        ui.link(
                            t('wizard.next', name=t(f'wizard.step.{following}')), f'/c/{cid}/start?step={following}'
                        ).mark('wizard-next')
