"""Accepting an organisation's invitation link: to become one of its KM officers, or (for a coordinator) to attach
one of their communities, choosing there and then what it shares."""

from __future__ import annotations

from nicegui import ui

from components import typography as tx
from components.context import PageContext
from components.sharing_choice import SharingChoice
from core.organisations import OrgInvitation
from core.roles import Role
from core.services import Services

from .._base import page


def register(services: Services) -> None:
    @page(services, '/org/join/{token}', login=True)
    def join_page(ctx: PageContext, token: str):
        with ctx.frame(ctx.t('org.join.title')):
            outcome = ctx.attempt_now(lambda: services.organisations.invitation(token), notify=False)
            if not outcome:
                tx.p(ctx.error_text(outcome.error)).mark('join-problem')
                return
            JoinView(ctx, services, token, outcome.value)


class JoinView:
    def __init__(self, ctx: PageContext, services: Services, token: str, invitation: OrgInvitation) -> None:
        self.ctx, self.t, self.services, self.token, self.invitation = ctx, ctx.t, services, token, invitation
        if invitation.kind == 'officer':
            self._render_officer()
        else:
            self._render_attach()

    def _render_officer(self) -> None:
        t = self.t
        tx.p(t('org.join.officer_text', name=self.invitation.org_name)).mark('join-text')
        tx.p(t('org.join.officer_help')).classes('text-sm cop-muted')
        ui.button(t('org.join.officer_action'), icon='how_to_reg', on_click=self._on_officer).mark('join-accept')

    async def _on_officer(self) -> None:
        outcome = await self.ctx.attempt(
            lambda: self.services.organisations.accept_officer(self.ctx.user.id, self.token)
        )
        if outcome:
            self.ctx.go(f'/portfolio/{outcome.value.id}', self.t('org.join.officer_done', name=outcome.value.name))

    def _render_attach(self) -> None:
        t = self.t
        tx.p(t('org.join.attach_text', name=self.invitation.org_name)).mark('join-text')
        mine = {
            m.community_id: m.name
            for m in self.services.communities.memberships(self.ctx.user.id)
            if m.role == Role.COORDINATOR and m.community is not None
        }
        if not mine:
            tx.p(t('org.join.no_community')).classes('cop-muted').mark('join-problem')
            return
        self.community = ui.select(mine, value=next(iter(mine)), label=t('org.join.community')).props('outlined')
        self.community.classes('w-full sm:w-96').mark('join-community')
        self.choice = SharingChoice(t, frozenset())
        ui.button(t('org.join.attach_action'), icon='add_link', on_click=self._on_attach).mark('join-accept')

    async def _on_attach(self) -> None:
        cid = self.community.value
        outcome = await self.ctx.attempt(
            lambda: self.services.organisations.accept_attach(self.ctx.user.id, self.token, cid, self.choice.chosen())
        )
        if outcome:
            self.ctx.go(f'/c/{cid}/organisation', self.t('org.join.attach_done', name=self.invitation.org_name))
