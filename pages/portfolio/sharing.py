"""The community's side: its organisation, what it shares (the coordinator chooses, part by part), a preview of
exactly what the organisation's KM officers see, detaching; or asking an organisation to attach it."""

from __future__ import annotations

from nicegui import ui

from components import typography as tx
from components.context import PageContext
from components.dialogs import confirm
from components.portfolio_card import community_card
from components.sharing_choice import SharingChoice
from core.organisations import ATTACHED, Link
from core.portfolio import labels_for
from core.roles import Permission
from core.services import Services

from .._base import community_page


def register(services: Services) -> None:
    @community_page(services, '/c/{cid}/organisation')
    def organisation_page(ctx: PageContext):
        with ctx.frame(ctx.t('share.title'), active='organisation'):
            SharingView(ctx, services)


class SharingView:
    def __init__(self, ctx: PageContext, services: Services) -> None:
        self.ctx, self.t, self.services = ctx, ctx.t, services
        self.orgs = services.organisations
        self.cid, self.me = ctx.community.id, ctx.user.id
        self.manage = ctx.can(Permission.MANAGE)
        tx.p(self.t('share.intro'))
        link = self.orgs.link_for(self.me, self.cid)
        if link is None:
            self._render_ask()
        elif link.status == ATTACHED:
            self._render_attached(link)
        else:
            self._render_asked(link)

    def _org_name(self, link: Link) -> str:
        return self.orgs.get(link.org_id).name

    # -- attached ------------------------------------------------------------------------------------------------

    def _render_attached(self, link: Link) -> None:
        t = self.t
        name = self._org_name(link)
        tx.p(t('share.status_attached', name=name, date=t.date(link.since))).classes('font-medium').mark('share-status')
        self.choice = SharingChoice(t, link.shared, readonly=not self.manage)
        if self.manage:
            with ui.row().classes('gap-3'):
                ui.button(t('share.save'), icon='save', on_click=self._on_save).mark('share-save')
                ui.button(t('share.detach'), icon='link_off', on_click=lambda: self._on_detach(name)).props(
                    'outline color=negative'
                ).mark('share-detach')
        else:
            tx.p(t('share.only_coordinator')).classes('text-sm cop-muted')
        tx.h2(t('share.preview_title'))
        tx.p(t('share.preview_text', name=name)).classes('text-sm')
        self.preview = ui.column().classes('w-full').mark('share-preview')
        self._render_preview()

    def _render_preview(self) -> None:
        self.preview.clear()
        row = self.services.portfolio.preview(self.me, self.cid)
        if row is None:
            return
        with self.preview:
            community_card(row, labels_for(self.t, self.services.content, self.services.kompas.instrument))

    async def _on_save(self) -> None:
        if await self.ctx.attempt(lambda: self.orgs.set_shared(self.me, self.cid, self.choice.chosen())):
            ui.notify(self.t('share.saved'), type='positive')
            self._render_preview()

    async def _on_detach(self, name: str) -> None:
        t = self.t
        if not await confirm(
            t, t('share.detach_title', name=name), t('share.detach_text'), t('share.detach'), danger=True
        ):
            return
        if await self.ctx.attempt(lambda: self.orgs.detach(self.me, self.cid)):
            self.ctx.go(f'/c/{self.cid}/organisation', t('share.detached', name=name))

    # -- asked, waiting ------------------------------------------------------------------------------------------

    def _render_asked(self, link: Link) -> None:
        t = self.t
        tx.p(t('share.status_asked', name=self._org_name(link))).classes('font-medium').mark('share-status')
        SharingChoice(t, link.shared, readonly=True)
        if self.manage:
            ui.button(t('share.withdraw'), on_click=self._on_withdraw).props('outline').mark('share-withdraw')

    async def _on_withdraw(self) -> None:
        if await self.ctx.attempt(lambda: self.orgs.detach(self.me, self.cid)):
            self.ctx.go(f'/c/{self.cid}/organisation', self.t('share.withdrawn'))

    # -- not attached ----------------------------------------------------------------------------------------------

    def _render_ask(self) -> None:
        t = self.t
        tx.p(t('share.status_none')).classes('font-medium').mark('share-status')
        if not self.manage:
            tx.p(t('share.only_coordinator')).classes('text-sm cop-muted')
            return
        organisations = {o.id: o.name for o in self.orgs.all()}
        if not organisations:
            tx.p(t('share.no_orgs')).classes('cop-muted').mark('share-no-orgs')
            return
        tx.h2(t('share.ask_title'))
        tx.p(t('share.ask_help')).classes('text-sm')
        self.org = ui.select(organisations, label=t('share.ask_org')).props('outlined').classes('w-full sm:w-96')
        self.org.mark('share-org')
        self.choice = SharingChoice(t, frozenset())
        ui.button(t('share.ask_action'), icon='send', on_click=self._on_ask).mark('share-ask')

    async def _on_ask(self) -> None:
        org_id = self.org.value
        if await self.ctx.attempt(lambda: self.orgs.ask(self.me, self.cid, org_id, self.choice.chosen())):
            self.ctx.go(f'/c/{self.cid}/organisation', self.t('share.asked'))
