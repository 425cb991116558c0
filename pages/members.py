"""Who belongs to a community: roles, one-time invitation links, leaving. Accepting an invitation."""

from __future__ import annotations

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.dialogs import confirm
from components.forms import copy_field
from components.frame import aria
from components.tables import data_table
from core.communities import INVITE_DAYS
from core.errors import AppError, NotFound
from core.roles import INVITABLE, INVITATION_ROLES, Permission, Role
from core.services import Services

from ._base import community_page, page


def register(services: Services) -> None:
    communities = services.communities

    @community_page(services, '/c/{cid}/members')
    def members_page(ctx: PageContext):
        t = ctx.t
        cid = ctx.community.id
        manage = ctx.can(Permission.MANAGE)
        with ctx.frame(t('members.title', name=ctx.community.name), active='members'):
            tx.p(t('members.roles_help'))
            with html.ul().classes('list-disc pl-6 text-sm'):
                for role in Role:
                    tx.li(t('members.role_line', role=t(f'role.{role.value}'), help=t(f'role.{role.value}.help')))
            tx.h2(t('members.list'))
            with ui.column().classes('w-full gap-2'):
                for member in communities.members(ctx.user.id, cid):
                    with ui.card().classes('w-full').props('flat bordered').mark('member-row'):
                        with ui.row().classes('w-full items-center gap-3'):
                            with ui.column().classes('gap-0 grow'):
                                tx.span(
                                    member.name + (f' ({t("members.you")})' if member.user_id == ctx.user.id else '')
                                ).classes('font-medium')
                                tx.span(member.email).classes('text-sm cop-muted')
                            if manage and member.user_id != ctx.user.id and member.role in INVITABLE:
                                role_select = (
                                    ui.select(
                                        {r.value: t(f'role.{r.value}') for r in INVITABLE},
                                        value=member.role.value,
                                        label=t('members.role'),
                                    )
                                    .props('outlined dense')
                                    .classes('w-48')
                                    .mark('member-role')
                                )

                                async def change_role(e, member_id: str = member.user_id) -> None:
                                    try:
                                        await communities.set_role(ctx.user.id, cid, member_id, e.value)
                                    except AppError as err:
                                        ctx.notify_error(err)
                                        return
                                    ui.notify(t('members.role_changed'), type='positive')

                                role_select.on_value_change(change_role)

                                async def remove(member_id: str = member.user_id, name: str = member.name) -> None:
                                    if not await confirm(
                                        t,
                                        t('members.remove_title', name=name),
                                        t('members.remove_text'),
                                        t('members.remove'),
                                        danger=True,
                                    ):
                                        return
                                    try:
                                        await communities.remove_member(ctx.user.id, cid, member_id)
                                    except AppError as err:
                                        ctx.notify_error(err)
                                        return
                                    ui.navigate.to(f'/c/{cid}/members')

                                aria(
                                    ui.button(icon='person_remove', on_click=remove).props('flat round'),
                                    t('members.remove_named', name=member.name),
                                ).mark('member-remove')
                            else:
                                ui.badge(t(f'role.{member.role.value}')).props('outline')

            if manage:
                _hand_over(ctx)
                _invitations(ctx)
                _data_protection(ctx)
            if not manage or len(communities.coordinators(cid)) > 1:

                async def leave() -> None:
                    if not await confirm(
                        t, t('members.leave_title'), t('members.leave_text'), t('members.leave'), danger=True
                    ):
                        return
                    try:
                        await communities.remove_member(ctx.user.id, cid, ctx.user.id)
                    except AppError as err:
                        ctx.notify_error(err)
                        return
                    ui.navigate.to('/')

                ui.button(t('members.leave'), icon='logout', on_click=leave).props('outline').mark('leave-community')

    def _hand_over(ctx: PageContext) -> None:
        """Make another member a coordinator (optionally stepping down), or step down when others coordinate too."""
        t = ctx.t
        cid = ctx.community.id
        tx.h2(t('handover.title'))
        tx.p(t('handover.help'))
        others = {m.user_id: m.name for m in communities.members(ctx.user.id, cid) if m.role != Role.COORDINATOR}
        if others:
            with ui.row().classes('items-center gap-3'):
                member = ui.select(others, label=t('handover.member')).props('outlined').classes('w-64')
                member.mark('handover-member')
                step_down = ui.checkbox(t('handover.step_down')).mark('handover-step-down')

                async def hand_over() -> None:
                    if not member.value:
                        ui.notify(t('handover.error.self'), type='negative')
                        return
                    name = others.get(member.value, '')
                    if not await confirm(
                        t, t('handover.confirm_title', name=name), t('handover.confirm_text'), t('handover.action')
                    ):
                        return
                    try:
                        await communities.hand_over(ctx.user.id, cid, member.value, step_down=bool(step_down.value))
                    except AppError as err:
                        ctx.notify_error(err)
                        return
                    ctx.go(f'/c/{cid}/members', t('handover.done', name=name))

                ui.button(t('handover.action'), icon='how_to_reg', on_click=hand_over).mark('handover-submit')
        else:
            tx.p(t('handover.nobody')).classes('cop-muted')
        tx.p(t('handover.invite_note')).classes('text-sm cop-muted')
        if len(communities.coordinators(cid)) > 1:

            async def step_down_now() -> None:
                try:
                    await communities.step_down(ctx.user.id, cid)
                except AppError as err:
                    ctx.notify_error(err)
                    return
                ctx.go(f'/c/{cid}/members', t('handover.stepped_down'))

            ui.button(t('handover.step_down_action'), on_click=step_down_now).props('outline').mark('step-down')

    def _data_protection(ctx: PageContext) -> None:
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

    def _invitations(ctx: PageContext) -> None:
        t = ctx.t
        cid = ctx.community.id
        tx.h2(t('invite.title'))
        tx.p(t('invite.help', days=INVITE_DAYS))
        with ui.row().classes('items-end gap-3'):
            role = (
                ui.select(
                    {r.value: t(f'role.{r.value}') for r in INVITATION_ROLES},
                    value=Role.COACH.value,
                    label=t('invite.role'),
                )
                .props('outlined')
                .classes('w-56')
                .mark('invite-role')
            )
            result = ui.column().classes('w-full')

            async def create() -> None:
                try:
                    token, _ = await communities.invite(ctx.user.id, cid, role.value)
                except AppError as err:
                    ctx.notify_error(err)
                    return
                link = f'{str(ctx.request.base_url).rstrip("/")}/invite/{token}'
                result.clear()
                with result:
                    tx.p(t('invite.created', role=t(f'role.{role.value}'))).props('role=status')
                    copy_field(t, t('invite.link'), link, 'invite-link')
                    tx.p(t('invite.once', days=INVITE_DAYS)).classes('text-sm cop-muted')
                open_invitations.refresh()

            ui.button(t('invite.create'), icon='link', on_click=create).mark('invite-create')

        @ui.refreshable
        def open_invitations() -> None:
            pending = communities.invitations(ctx.user.id, cid)
            if not pending:
                return
            tx.h3(t('invite.pending'))
            with html.ul().classes('flex flex-col gap-1'):
                for invitation in pending:
                    with html.li().classes('flex items-center gap-3'):
                        tx.span(
                            t(
                                'invite.pending_item',
                                role=t(f'role.{invitation.role.value}'),
                                date=t.date(invitation.expires),
                            )
                        )

                        async def revoke(invitation_id: str = invitation.id) -> None:
                            try:
                                await communities.revoke(ctx.user.id, cid, invitation_id)
                            except AppError as err:
                                ctx.notify_error(err)
                                return
                            ui.notify(t('invite.revoked'))
                            open_invitations.refresh()

                        ui.button(t('invite.revoke'), on_click=revoke).props('flat dense').mark('invite-revoke')

        open_invitations()

    @page(services, '/invite/{token}', login=True)
    def accept_page(ctx: PageContext, token: str):
        t = ctx.t
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
                try:
                    cid = await communities.accept(ctx.user.id, token)
                except AppError as err:
                    ctx.notify_error(err)
                    return
                ctx.go(f'/c/{cid}', t('invite.accepted', name=invitation.community_name))

            ui.button(t('invite.accept'), on_click=accept).mark('invite-accept')
