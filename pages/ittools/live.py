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
from core.i18n import Translator
from core.ittools import Actor
from core.ittools.codes import display as display_code
from core.ittools.model import Meeting
from core.ittools.texts import decided_tool_name
from core.roles import Permission
from core.services import Services

from .._base import community_page


def register(services: Services) -> None:
    @community_page(services, '/c/{cid}/ittools/{comparison_id}')
    def matrix_page(ctx: PageContext, comparison_id: str):
        loaded = load_or_error(services.ittools, ctx, comparison_id)
        if loaded is not None:
            MatrixPage(ctx, services, loaded[0], loaded[1].id, loaded[1].title)


class MatrixPage:
    """The live matrix with what surrounds it: the meeting panel, who is present, and the decision once taken. The
    room (core/ittools/live.py) calls back on every change, whoever made it."""

    def __init__(self, ctx: PageContext, services: Services, actor: Actor, comparison_id: str, title: str) -> None:
        self.ctx, self.t = ctx, ctx.t
        self.ittools, self.catalogue = services.ittools, services.content.ittools
        self.actor, self.comparison_id = actor, comparison_id
        self.cid = ctx.community.id
        self.editable = ctx.can(Permission.EDIT)
        with ctx.frame(title, active='ittools') as self.main:
            self.main.classes(remove='max-w-screen-lg').classes('max-w-screen-2xl')  # a wide matrix on a projector
            self._render_links()
            self.panel_box = ui.column().classes('w-full')
            self.mode_line = tx.p('').classes('font-medium').props('role=status').mark('mode-line')
            self.presence = PresenceList(self.t)
            self.decision_box = ui.column().classes('w-full')
            self.live, _ = live_matrix(self.ittools, self.cid, comparison_id, actor, self.t)
            self.live.callbacks.update(
                meeting=self._render_panel,
                presence=self._render_presence,
                decision=self._render_decision,
                deleted=self._on_deleted,
            )
            self._render_panel()
            self._render_presence()
            self._render_decision()

    def _render_links(self) -> None:
        t, base = self.t, f'/c/{self.cid}/ittools'
        with ui.row().classes('gap-x-4 gap-y-1 items-center'):
            ui.link(t('ittools.nav.all'), base).mark('back-to-list')
            ui.link(t('ittools.nav.results'), f'{base}/{self.comparison_id}/results').mark('to-results')
            if self.editable:
                ui.link(t('ittools.nav.setup'), f'{base}/{self.comparison_id}/setup').mark('to-setup')

    def _render_panel(self) -> None:
        self.panel_box.clear()
        meeting = self.ittools.meetings.meeting(self.cid, self.comparison_id)
        with self.panel_box:
            MeetingPanel(self, meeting)
        self.mode_line.set_text(mode_text(self.t, meeting, self.live.rights))

    def _render_presence(self) -> None:
        self.presence.update(self.ittools.presence_view(self.cid, self.comparison_id, self.t, show_progress=True))

    def _render_decision(self) -> None:
        t = self.t
        self.decision_box.clear()
        decision = self.live.room.comparison.decision
        if decision is None:
            return
        tool = t.pick(decided_tool_name(self.catalogue, self.live.room.comparison))
        with (
            self.decision_box,
            ui.card().classes('w-full bg-green-50').props('flat bordered').mark('decision-summary'),
        ):
            tx.p(t('ittools.decision.summary', tool=tool, date=t.date(decision.date))).classes('font-semibold')
            ui.link(t('ittools.decision.see'), f'/c/{self.cid}/ittools/{self.comparison_id}/results')

    def _on_deleted(self) -> None:
        with self.main:
            ui.notify(self.t('ittools.deleted_elsewhere'), type='warning')
        self.live.view.set_visibility(False)
        self.panel_box.clear()


class MeetingPanel:
    """Start a meeting; while one runs: its code, link and QR code, and (for those who may edit) the way of scoring,
    the weights policy and its end. Drawn again by the page on every meeting change; notices after an action go to
    the page's mode line, which outlives the panel."""

    def __init__(self, page: MatrixPage, meeting: Meeting | None) -> None:
        self.page, self.ctx, self.t = page, page.ctx, page.t
        self.meetings = page.ittools.meetings
        self.args = (page.actor, page.cid, page.comparison_id)
        self.anchor = page.mode_line
        with ui.card().classes('w-full').props('flat bordered').mark('meeting-panel'):
            if meeting is None:
                self._render_start()
                return
            self._render_running(meeting)
            if page.editable:
                self._render_controls(meeting)

    def _render_start(self) -> None:
        t = self.t
        tx.h2(t('meeting.panel.title')).classes('cop-h3')
        if not self.page.editable:
            tx.p(t('meeting.panel.none_coach'))
            return
        tx.p(t('meeting.panel.explain'))
        with html.fieldset().classes('w-full border rounded p-3'):
            tx.legend(t('meeting.panel.mode')).classes('px-1 font-medium')
            mode = ui.radio(
                {'together': t('meeting.mode.together.choice'), 'private': t('meeting.mode.private.choice')},
                value='together',
            ).mark('start-mode')
        ui.button(
            t('meeting.panel.start'),
            icon='groups',
            on_click=lambda: self.ctx.attempt(self.meetings.start_meeting(*self.args, mode=mode.value)),
        ).mark('start-meeting')

    def _render_running(self, meeting: Meeting) -> None:
        t, base = self.t, str(self.ctx.request.base_url).rstrip('/')
        link = f'{base}/m/{meeting.code}'
        with ui.row().classes('w-full items-start gap-6'):
            with ui.column().classes('gap-1 grow'):
                tx.h2(t('meeting.panel.running')).classes('cop-h3')
                tx.p(t('meeting.panel.join_at', host=f'{base}/m')).classes('text-sm')
                tx.p(display_code(meeting.code)).classes('text-4xl font-bold tracking-widest').mark('meeting-code')
                copy_field(t, t('meeting.panel.link'), link, 'meeting-link')
                if self.page.editable:
                    present = f'/c/{self.page.cid}/ittools/{self.page.comparison_id}/present?lang={t.lang}'
                    with ui.row().classes('gap-2'):
                        ui.button(
                            t('meeting.panel.show_code'),
                            icon='fullscreen',
                            on_click=lambda: _show_code(t, meeting.code, link),
                        ).props('outline').mark('show-code')
                        ui.button(
                            t('meeting.panel.present'),
                            icon='co_present',
                            on_click=lambda: ui.navigate.to(present, new_tab=True),
                        ).props('outline').mark('present')
            qr_image(link, t('meeting.panel.qr_alt', code=display_code(meeting.code))).mark('meeting-qr')

    def _render_controls(self, meeting: Meeting) -> None:
        t = self.t
        if meeting.mode == 'revealed':
            differ = sum(1 for s in self.page.live.room.stats().values() if s.disagreement)
            if differ:
                tx.p(t('meeting.panel.differ', count=differ)).classes('font-medium text-warning').mark('differ-count')
            tx.p(t('meeting.panel.adopt_hint')).classes('text-sm cop-muted')
        with ui.row().classes('w-full items-end gap-3'):
            if meeting.mode == 'private':
                self._mode_button('meeting.panel.reveal', 'revealed', 'reveal', 'visibility', main=True)
                self._mode_button('meeting.panel.to_together', 'together', 'to-together')
            else:
                self._mode_button('meeting.panel.private_round', 'private', 'private-round', 'visibility_off')
                if meeting.mode == 'revealed':
                    ui.button(t('meeting.panel.adopt'), icon='functions', on_click=self._on_adopt).props(
                        'outline'
                    ).mark('adopt-means')
                    self._mode_button('meeting.panel.to_together', 'together', 'to-together')
            ui.select(
                {p: t(f'meeting.weights.{p}') for p in ('locked', 'coordinator', 'everyone')},
                value=meeting.weights,
                label=t('meeting.panel.weights'),
                on_change=lambda e: self.ctx.attempt(self.meetings.set_weights_policy(*self.args, e.value)),
            ).props('outlined dense').classes('w-72').mark('weights-policy')
            ui.space()
            ui.button(t('meeting.end.action'), icon='stop_circle', color='negative', on_click=self._on_end).props(
                'outline'
            ).mark('end-meeting')

    def _mode_button(self, label: str, mode: str, marker: str, icon: str | None = None, *, main: bool = False) -> None:
        async def switch() -> None:
            with self.anchor:
                await self.ctx.attempt(self.meetings.set_mode(*self.args, mode))

        button = ui.button(self.t(label), icon=icon, on_click=switch).mark(marker)
        if not main:
            button.props('outline')

    async def _on_adopt(self) -> None:
        filled = await self.ctx.attempt(self.meetings.adopt_means(*self.args))
        if filled:
            with self.anchor:
                ui.notify(self.t('meeting.panel.adopted', count=filled.value))

    async def _on_end(self) -> None:
        t = self.t
        if not await confirm(t, t('meeting.end.title'), t('meeting.end.text'), t('meeting.end.action')):
            return
        if await self.ctx.attempt(self.meetings.end_meeting(*self.args)):
            with self.anchor:  # the panel, and this button with it, was rebuilt when the meeting ended
                ui.notify(t('meeting.end.done'), type='positive')


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
