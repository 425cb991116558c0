"""IT-tools meeting, the participant's side: no account, a code and a display name.

/m            type the code
/m/{code}     choose a display name, then score in the meeting's matrix

A participant's identity for a meeting is a random id kept in their browser session; it is read once, when the
page is built. A participant sees the comparison of this meeting and nothing else of the community.
"""

from __future__ import annotations

from nicegui import ui

from components import typography as tx
from components.context import PageContext
from components.forms import ErrorLine, text_field
from components.ittools_live import live_matrix
from components.ittools_widgets import PresenceList, mode_text
from components.meeting_code import browser_key, join_box
from core.ittools import Actor, ITTools, MeetingRef
from core.ittools.codes import display
from core.ittools.model import LIMITS
from core.roles import Permission, can
from core.services import Services

from .._base import page

PIDS = 'ittools_pids'  # key of the session: meeting id -> participant id


def register(services: Services) -> None:
    @page(services, '/m')
    def code_page(ctx: PageContext):
        with ctx.frame(ctx.t('meeting.join.title')):
            tx.p(ctx.t('meeting.join.intro'))
            join_box(ctx, heading=False)

    @page(services, '/m/{code}')
    def meeting_page(ctx: PageContext, code: str):
        _meeting_page(ctx, services.ittools, code)


def _meeting_page(ctx: PageContext, ittools: ITTools, code: str) -> None:
    """The meeting a code opens: the name to join under, or (once joined) the matrix; else why not."""
    t = ctx.t
    found = ctx.attempt_now(lambda: ittools.meetings.find_meeting(code, browser_key(), ctx.client_key), notify=False)
    if not found:
        ui.status_code(404)
        with ctx.frame(t('meeting.join.title')):
            tx.p(ctx.error_text(found.error)).classes('font-medium text-negative').props('role=alert').mark(
                'meeting-problem'
            )
            join_box(ctx)
        return
    ref = found.value
    pids = ctx.session.get(PIDS) or {}
    actor = ittools.meetings.participant_actor(ref, pids.get(ref.meeting_id))
    if actor is None:
        _name_form(ctx, ittools, ref, None)
    else:
        _meeting_view(ctx, ittools, ref, actor)


def _coordinator_hint(ctx: PageContext, ref: MeetingRef) -> None:
    if ctx.user is not None and can(ctx.services.communities.role_of(ctx.user.id, ref.cid), Permission.EDIT):
        ui.link(ctx.t('meeting.join.coordinator_view'), f'/c/{ref.cid}/ittools/{ref.comparison_id}').mark(
            'coordinator-view'
        )


def _name_form(ctx: PageContext, ittools: ITTools, ref: MeetingRef, actor: Actor | None) -> None:
    t = ctx.t
    with ctx.frame(ref.title):
        tx.p(t('meeting.join.of', community=ref.community_name)).classes('cop-muted')
        _coordinator_hint(ctx, ref)
        tx.p(t('meeting.join.name_intro'))
        name = text_field(
            t('meeting.join.name'),
            value=actor.name if actor else '',
            maxlength=LIMITS['display_name'],
            hint=t('meeting.join.name_hint'),
            autocomplete='nickname',
            marker='join-name',
        )
        name.classes('max-w-md').props('autofocus')
        error = ErrorLine().mark('name-error')
        tx.p(t('meeting.join.privacy')).classes('text-sm cop-muted')
        ui.link(t('privacy.link_long'), '/privacy').classes('text-sm').mark('meeting-privacy')

        async def join() -> None:
            pids = dict(ctx.session.get(PIDS) or {})
            done = await ctx.attempt(
                ittools.meetings.join(ref, name.value, pids.get(ref.meeting_id)),
                line=error,
                on_error=lambda _: name.run_method('focus'),
            )
            if not done:
                return
            joined = done.value
            pids[ref.meeting_id] = joined.id[2:]
            ctx.session[PIDS] = dict(list(pids.items())[-20:])  # the last meetings only
            ctx.go(f'/m/{ref.code}', t('meeting.join.welcome', name=joined.name))

        name.on('keydown.enter', join)
        ui.button(t('meeting.join.submit'), icon='login', on_click=join).mark('join-submit')


def _meeting_view(ctx: PageContext, ittools: ITTools, ref: MeetingRef, actor: Actor) -> None:
    t = ctx.t
    with ctx.frame(ref.title) as main:
        main.classes(remove='max-w-screen-lg').classes('max-w-screen-2xl')  # room for the whole matrix
        tx.p(t('meeting.view.as', name=actor.name, community=ref.community_name, code=display(ref.code))).classes(
            'cop-muted'
        ).mark('participant-as')
        _coordinator_hint(ctx, ref)
        banner = tx.p('').classes('font-medium').props('role=status').mark('mode-line')
        presence = PresenceList(t)
        live, undo_button = live_matrix(ittools, ref.cid, ref.comparison_id, actor, t)

        def ended() -> bool:
            meeting = ittools.meetings.meeting(ref.cid, ref.comparison_id)
            return meeting is None or meeting.id != ref.meeting_id

        def render_mode() -> None:
            if not ended():
                banner.set_text(mode_text(t, ittools.meetings.meeting(ref.cid, ref.comparison_id), live.rights))
                return
            if banner.text != t('meeting.view.ended'):  # once, when the meeting ends while the page is open
                banner.set_text(t('meeting.view.ended'))
                banner.props('role=alert')
                undo_button.set_visibility(False)
                presence.box.set_visibility(False)  # nobody is "present" in a meeting that is over
                with banner:
                    ui.notify(t('meeting.view.ended'), type='info', multi_line=True)

        def render_presence() -> None:
            if not ended():
                presence.update(ittools.presence_view(ref.cid, ref.comparison_id, t))

        def deleted() -> None:
            banner.set_text(t('meeting.view.deleted'))
            live.view.set_visibility(False)
            with main:
                ui.notify(t('meeting.view.deleted'), type='warning')

        live.callbacks.update(meeting=render_mode, presence=render_presence, deleted=deleted)
        render_mode()
        render_presence()
