"""The matrix, live, with the meeting panel: start a meeting, show its code, switch the way of scoring, end it."""

from __future__ import annotations

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.dialogs import confirm
from components.forms import copy_field
from components.ittools_access import load_or_error
from components.ittools_live import live_matrix
from components.ittools_widgets import PresenceList, mode_text
from components.qr import qr_image
from core.errors import AppError
from core.i18n import Translator
from core.ittools import Actor
from core.ittools.codes import display as display_code
from core.ittools.live import Room
from core.ittools.model import Meeting
from core.ittools.texts import decided_tool_name
from core.roles import Permission
from core.services import Services

from .._base import community_page


def register(services: Services) -> None:
    ittools = services.ittools
    catalogue = services.content.ittools

    @community_page(services, '/c/{cid}/ittools/{comparison_id}')
    def matrix_page(ctx: PageContext, comparison_id: str):
        t = ctx.t
        cid = ctx.community.id
        loaded = load_or_error(ittools, ctx, comparison_id)
        if loaded is None:
            return
        actor, comparison = loaded
        editable = ctx.can(Permission.EDIT)
        base = str(ctx.request.base_url).rstrip('/')
        with ctx.frame(comparison.title, active='ittools') as main:
            main.classes(remove='max-w-screen-lg').classes('max-w-screen-2xl')  # a wide matrix on a projector
            with ui.row().classes('gap-x-4 gap-y-1 items-center'):
                ui.link(t('ittools.nav.all'), f'/c/{cid}/ittools').mark('back-to-list')
                ui.link(t('ittools.nav.results'), f'/c/{cid}/ittools/{comparison_id}/results').mark('to-results')
                if editable:
                    ui.link(t('ittools.nav.setup'), f'/c/{cid}/ittools/{comparison_id}/setup').mark('to-setup')

            panel_box = ui.column().classes('w-full')
            mode_line = tx.p('').classes('font-medium').props('role=status').mark('mode-line')
            presence = PresenceList(t, show_progress=True)
            decision_box = ui.column().classes('w-full')
            live, _ = live_matrix(ittools, cid, comparison_id, actor, t)

            def render_panel() -> None:
                panel_box.clear()
                meeting = ittools.meetings.meeting(cid, comparison_id)
                with panel_box:
                    _meeting_panel(ctx, actor, comparison_id, meeting, base, editable, mode_line, live.room)
                mode_line.set_text(mode_text(t, meeting, live.rights))

            def render_presence() -> None:
                presence.update(
                    ittools.present(cid, comparison_id),
                    len(live.room.comparison.criteria) * len(live.room.comparison.tools),
                )

            def render_decision() -> None:
                decision_box.clear()
                decision = live.room.comparison.decision
                if decision is None:
                    return
                tool = t.pick(decided_tool_name(catalogue, live.room.comparison))
                with (
                    decision_box,
                    ui.card().classes('w-full bg-green-50').props('flat bordered').mark('decision-summary'),
                ):
                    tx.p(t('ittools.decision.summary', tool=tool, date=t.date(decision.date))).classes('font-semibold')
                    ui.link(t('ittools.decision.see'), f'/c/{cid}/ittools/{comparison_id}/results')

            def deleted() -> None:
                with main:
                    ui.notify(t('ittools.deleted_elsewhere'), type='warning')
                live.view.set_visibility(False)
                panel_box.clear()

            live.callbacks.update(
                meeting=render_panel, presence=render_presence, decision=render_decision, deleted=deleted
            )
            render_panel()
            render_presence()
            render_decision()

    def _meeting_panel(
        ctx: PageContext,
        actor: Actor,
        comparison_id: str,
        meeting: Meeting | None,
        base: str,
        editable: bool,
        anchor: ui.element,
        room: Room,
    ) -> None:
        """`anchor`: an element that outlives the panel, for notices after an action that rebuilds the panel."""
        t = ctx.t
        cid = ctx.community.id
        with ui.card().classes('w-full').props('flat bordered').mark('meeting-panel'):
            if meeting is None:
                tx.h2(t('meeting.panel.title')).classes('cop-h3')
                if not editable:
                    tx.p(t('meeting.panel.none_coach'))
                    return
                tx.p(t('meeting.panel.explain'))
                with html.fieldset().classes('w-full border rounded p-3'):
                    tx.legend(t('meeting.panel.mode')).classes('px-1 font-medium')
                    mode = ui.radio(
                        {'together': t('meeting.mode.together.choice'), 'private': t('meeting.mode.private.choice')},
                        value='together',
                    ).mark('start-mode')

                async def start() -> None:
                    try:
                        await ittools.meetings.start_meeting(actor, cid, comparison_id, mode=mode.value)
                    except AppError as e:
                        ctx.notify_error(e)

                ui.button(t('meeting.panel.start'), icon='groups', on_click=start).mark('start-meeting')
                return
            link = f'{base}/m/{meeting.code}'
            with ui.row().classes('w-full items-start gap-6'):
                with ui.column().classes('gap-1 grow'):
                    tx.h2(t('meeting.panel.running')).classes('cop-h3')
                    tx.p(t('meeting.panel.join_at', host=f'{base}/m')).classes('text-sm')
                    tx.p(display_code(meeting.code)).classes('text-4xl font-bold tracking-widest').mark('meeting-code')
                    copy_field(t, t('meeting.panel.link'), link, 'meeting-link')
                    if editable:
                        with ui.row().classes('gap-2'):
                            ui.button(
                                t('meeting.panel.show_code'),
                                icon='fullscreen',
                                on_click=lambda: _show_code(t, meeting.code, link),
                            ).props('outline').mark('show-code')
                            ui.button(
                                t('meeting.panel.present'),
                                icon='co_present',
                                on_click=lambda: ui.navigate.to(
                                    f'/c/{cid}/ittools/{comparison_id}/present?lang={t.lang}', new_tab=True
                                ),
                            ).props('outline').mark('present')
                qr_image(link, t('meeting.panel.qr_alt', code=display_code(meeting.code))).mark('meeting-qr')
            if not editable:
                return

            def mode_button(label: str, mode: str, marker: str, icon: str | None = None, *, main: bool = False):
                async def switch() -> None:
                    with anchor:
                        await ctx.attempt(ittools.meetings.set_mode(actor, cid, comparison_id, mode))

                button = ui.button(t(label), icon=icon, on_click=switch).mark(marker)
                if not main:
                    button.props('outline')

            async def adopt() -> None:
                try:
                    filled = await ittools.meetings.adopt_means(actor, cid, comparison_id)
                except AppError as e:
                    ctx.notify_error(e)
                    return
                with anchor:
                    ui.notify(t('meeting.panel.adopted', count=filled))

            if meeting.mode == 'revealed':
                differ = sum(1 for s in room.stats().values() if s.disagreement)
                if differ:
                    tx.p(t('meeting.panel.differ', count=differ)).classes('font-medium text-warning').mark(
                        'differ-count'
                    )
                tx.p(t('meeting.panel.adopt_hint')).classes('text-sm cop-muted')

            with ui.row().classes('w-full items-end gap-3'):
                if meeting.mode == 'private':
                    mode_button('meeting.panel.reveal', 'revealed', 'reveal', 'visibility', main=True)
                    mode_button('meeting.panel.to_together', 'together', 'to-together')
                else:
                    mode_button('meeting.panel.private_round', 'private', 'private-round', 'visibility_off')
                    if meeting.mode == 'revealed':
                        ui.button(t('meeting.panel.adopt'), icon='functions', on_click=adopt).props('outline').mark(
                            'adopt-means'
                        )
                        mode_button('meeting.panel.to_together', 'together', 'to-together')
                weights = (
                    ui.select(
                        {p: t(f'meeting.weights.{p}') for p in ('locked', 'coordinator', 'everyone')},
                        value=meeting.weights,
                        label=t('meeting.panel.weights'),
                    )
                    .props('outlined dense')
                    .classes('w-72')
                    .mark('weights-policy')
                )

                async def change_policy(e) -> None:
                    await ctx.attempt(ittools.meetings.set_weights_policy(actor, cid, comparison_id, e.value))

                weights.on_value_change(change_policy)
                ui.space()

                async def end() -> None:
                    if not await confirm(t, t('meeting.end.title'), t('meeting.end.text'), t('meeting.end.action')):
                        return
                    try:
                        await ittools.meetings.end_meeting(actor, cid, comparison_id)
                    except AppError as e:
                        ctx.notify_error(e)
                        return
                    with anchor:  # the panel, and this button with it, was rebuilt when the meeting ended
                        ui.notify(t('meeting.end.done'), type='positive')

                ui.button(t('meeting.end.action'), icon='stop_circle', color='negative', on_click=end).props(
                    'outline'
                ).mark('end-meeting')


def _show_code(t: Translator, code: str, link: str) -> None:
    """The code and its QR code full screen, for the projector."""
    with ui.dialog().props('maximized') as dialog, ui.card().classes('w-full h-full items-center justify-center'):
        heading = tx.h2(t('meeting.big.title'))
        dialog.props['aria-labelledby'] = heading.html_id
        tx.p(t('meeting.big.go_to', host=link.rsplit('/', 1)[0])).classes('text-2xl')
        tx.p(display_code(code)).classes('text-8xl font-bold tracking-widest').mark('big-code')
        qr_image(link, t('meeting.panel.qr_alt', code=display_code(code)), size='18rem')
        ui.button(t('meeting.big.close'), on_click=dialog.close).mark('close-code')
    dialog.open()
