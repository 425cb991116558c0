"""Who belongs to a community: roles, one-time invitation links, leaving. Accepting an invitation."""

from __future__ import annotations

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.dialogs import confirm
from components.frame import aria
from components.sign_in import unconfirmed_notice
from components.tables import data_table
from core.communities import Member
from core.errors import NotFound
from core.roles import INVITABLE, Permission, Role
from core.services import Services

from ._base import community_page, page
from ._invitations import InvitationsView


def register(services: Services) -> None:
    @community_page(services, '/c/{cid}/members')
    def members_page(ctx: PageContext):
        MembersView(ctx, services)

    @page(services, '/invite/{token}', login=True)
    def accept_page(ctx: PageContext, token: str):
        _accept(ctx, services, token)


class MembersView:
    """Who belongs to a community and in which role; for its coordinators also hand-over, invitations and data
    protection; leaving it."""

    def __init__(self, ctx: PageContext, services: Services) -> None:
        self.ctx, self.t, self.services = ctx, ctx.t, services
        self.communities = services.communities
        self.cid, self.me = ctx.community.id, ctx.user.id
        t = self.t
        manage = ctx.can(Permission.MANAGE)
        with ctx.frame(t('members.title', name=ctx.community.name), active='members'):
            tx.p(t('members.roles_help'))
            with html.ul().classes('list-disc pl-6 text-sm'):
                for role in Role:
                    tx.li(t('members.role_line', role=t(f'role.{role.value}'), help=t(f'role.{role.value}.help')))
            tx.h2(t('members.list'))
            with ui.column().classes('w-full gap-2'):
                for member in self.communities.members(self.me, self.cid):
                    self._render_member(member, manage)
            if manage:
                self._render_hand_over()
                InvitationsView(ctx, services)
                _data_protection(ctx, services)
            if not manage or len(self.communities.coordinators(self.cid)) > 1:
                ui.button(t('members.leave'), icon='logout', on_click=self._on_leave).props('outline').mark(
                    'leave-community'
                )

    # -- the members ------------------------------------------------------------------------------------------------

    def _render_member(self, member: Member, manage: bool) -> None:
        t = self.t
        with ui.card().classes('w-full').props('flat bordered').mark('member-row'):
            with ui.row().classes('w-full items-center gap-3'):
                with ui.column().classes('gap-0 grow'):
                    you = f' ({t("members.you")})' if member.user_id == self.me else ''
                    tx.span(member.name + you).classes('font-medium')
                    tx.span(member.email).classes('text-sm cop-muted')
                if manage and member.user_id != self.me and member.role in INVITABLE:
                    ui.select(
                        {r.value: t(f'role.{r.value}') for r in INVITABLE},
                        value=member.role.value,
                        label=t('members.role'),
                        on_change=lambda e: self._on_role(member.user_id, e.value),
                    ).props('outlined dense').classes('w-48').mark('member-role')
                    aria(
                        ui.button(icon='person_remove', on_click=lambda: self._on_remove(member)).props('flat round'),
                        t('members.remove_named', name=member.name),
                    ).mark('member-remove')
                else:
                    ui.badge(t(f'role.{member.role.value}')).props('outline')

    async def _on_role(self, member_id: str, role: str) -> None:
        if await self.ctx.attempt(self.communities.set_role(self.me, self.cid, member_id, role)):
            ui.notify(self.t('members.role_changed'), type='positive')

    async def _on_remove(self, member: Member) -> None:
        t = self.t
        if not await confirm(
            t, t('members.remove_title', name=member.name), t('members.remove_text'), t('members.remove'), danger=True
        ):
            return
        if await self.ctx.attempt(self.communities.remove_member(self.me, self.cid, member.user_id)):
            ui.navigate.to(f'/c/{self.cid}/members')

    async def _on_leave(self) -> None:
        t = self.t
        if not await confirm(t, t('members.leave_title'), t('members.leave_text'), t('members.leave'), danger=True):
            return
        if await self.ctx.attempt(self.communities.remove_member(self.me, self.cid, self.me)):
            ui.navigate.to('/')

    # -- hand-over --------------------------------------------------------------------------------------------------

    def _render_hand_over(self) -> None:
        """Make another member a coordinator (optionally stepping down), or step down when others coordinate too."""
        t = self.t
        tx.h2(t('handover.title'))
        tx.p(t('handover.help'))
        others = {m.user_id: m.name for m in self.communities.members(self.me, self.cid) if m.role != Role.COORDINATOR}
        if others:
            with ui.row().classes('items-center gap-3'):
                member = ui.select(others, label=t('handover.member')).props('outlined').classes('w-64')
                member.mark('handover-member')
                step_down = ui.checkbox(t('handover.step_down')).mark('handover-step-down')
                ui.button(
                    t('handover.action'),
                    icon='how_to_reg',
                    on_click=lambda: self._on_hand_over(member.value, others, bool(step_down.value)),
                ).mark('handover-submit')
        else:
            tx.p(t('handover.nobody')).classes('cop-muted')
        tx.p(t('handover.invite_note')).classes('text-sm cop-muted')
        if len(self.communities.coordinators(self.cid)) > 1:
            ui.button(t('handover.step_down_action'), on_click=self._on_step_down).props('outline').mark('step-down')

    async def _on_hand_over(self, member_id: str | None, others: dict[str, str], step_down: bool) -> None:
        t = self.t
        if not member_id:
            ui.notify(t('handover.error.self'), type='negative')
            return
        name = others.get(member_id, '')
        if not await confirm(
            t, t('handover.confirm_title', name=name), t('handover.confirm_text'), t('handover.action')
        ):
            return
        if await self.ctx.attempt(self.communities.hand_over(self.me, self.cid, member_id, step_down=step_down)):
            self.ctx.go(f'/c/{self.cid}/members', t('handover.done', name=name))

    async def _on_step_down(self) -> None:
        if await self.ctx.attempt(self.communities.step_down(self.me, self.cid)):
            self.ctx.go(f'/c/{self.cid}/members', self.t('handover.stepped_down'))


def _data_protection(ctx: PageContext, services: Services) -> None:
    """For the coordinators: coming erasures of survey answers, and who exported what."""
    t = ctx.t
    cid = ctx.community.id
    notices = services.retention.notices(ctx.user.id, cid)
    if notices:
        tx.h2(t('retention.notice.title'))
        with html.ul().classes('list-disc pl-6'):
            for notice in notices:
                tx.li(t('retention.notice.item', title=notice.title, date=t.date(notice.erase_on))).mark(
                    'retention-notice'
                )
    tx.h2(t('exportlog.title'))
    tx.p(t('exportlog.help')).classes('text-sm cop-muted')
    entries = services.exportlog.entries(ctx.user.id, cid)
    if not entries:
        tx.p(t('exportlog.empty')).mark('exportlog-empty')
        return
    names: dict[str, str] = {}
    for entry in entries:
        if entry.by not in names:
            user = services.accounts.get(entry.by)
            names[entry.by] = user.name if user else t('privacy.former_member')
    rows = [[t.date(e.day), names[e.by], t(f'exportlog.kind.{e.kind}')] for e in entries[:200]]
    data_table(
        t('exportlog.title'),
        [t('exportlog.day'), t('exportlog.who'), t('exportlog.what')],
        rows,
        marker='exportlog',
    )


def _accept(ctx: PageContext, services: Services, token: str) -> None:
    """Accepting an invitation: what it is for, or why it cannot be used any more."""
    t, communities = ctx.t, services.communities
    with ctx.frame(t('invite.accept_title')):
        try:
            invitation = communities.invitation(token)
        except NotFound:
            tx.p(t('invite.error.unknown')).mark('invite-problem')
            return
        if invitation.used or invitation.expired:
            tx.p(t('invite.error.used' if invitation.used else 'invite.error.expired')).mark('invite-problem')
            return
        if communities.role_of(ctx.user.id, invitation.community_id) is not None:
            tx.p(t('invite.already', name=invitation.community_name))
            ui.link(t('invite.open'), f'/c/{invitation.community_id}')
            return
        if unconfirmed_notice(ctx):  # joining needs a confirmed address
            return
        inviter = services.accounts.get(invitation.invited_by)
        tx.p(
            t(
                'invite.accept_text',
                inviter=inviter.name if inviter else '?',
                name=invitation.community_name,
                role=t(f'role.{invitation.role.value}'),
            )
        ).mark('invite-text')
        tx.p(t(f'role.{invitation.role.value}.help')).classes('cop-muted')

        async def accept() -> None:
            if cid := (await ctx.attempt(communities.accept(ctx.user.id, token))).value:
                ctx.go(f'/c/{cid}', t('invite.accepted', name=invitation.community_name))

        ui.button(t('invite.accept'), on_click=accept).mark('invite-accept')
