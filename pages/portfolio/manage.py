"""An organisation's side of the relationship, for its KM officers: the officers and their invitation links, the
invitation link for a community, the communities that asked to join, and the attached ones (which they can detach)."""

from __future__ import annotations

from nicegui import ui

from components import typography as tx
from components.context import PageContext
from components.dialogs import confirm
from components.forms import ErrorLine, copy_field, text_field
from core.i18n import LANGUAGES
from core.organisations import INVITE_DAYS, Organisation
from core.services import Services

from .._base import page


def register(services: Services) -> None:
    @page(services, '/portfolio/{org_id}/manage', login=True)
    def manage_page(ctx: PageContext, org_id: str):
        outcome = ctx.attempt_now(lambda: services.organisations.require_officer(ctx.user.id, org_id), notify=False)
        if not outcome:
            with ctx.frame(ctx.t('portfolio.list.title'), active='portfolio'):
                tx.p(ctx.error_text(outcome.error)).mark('portfolio-problem')
            return
        with ctx.frame(ctx.t('org.manage.title', name=outcome.value.name), active='portfolio'):
            ManageView(ctx, services, outcome.value)


class ManageView:
    def __init__(self, ctx: PageContext, services: Services, org: Organisation) -> None:
        self.ctx, self.t, self.services, self.org = ctx, ctx.t, services, org
        self.orgs = services.organisations
        self.me = ctx.user.id
        ui.link(self.t('portfolio.coach.back'), f'/portfolio/{org.id}').mark('manage-back')
        self._render_officers()
        self._render_invitations()
        tx.h2(self.t('org.requests'))
        self.requests = ui.column().classes('w-full gap-2').mark('org-requests')
        tx.h2(self.t('org.attached'))
        self.attached = ui.column().classes('w-full gap-2').mark('org-attached')
        self._render_requests()
        self._render_attached()

    def _base(self) -> str:
        return str(self.ctx.request.base_url).rstrip('/')

    def _render_officers(self) -> None:
        t = self.t
        tx.h2(t('org.officers'))
        tx.p(t('org.officers_help')).classes('text-sm')
        for _, name in self.orgs.officers(self.me, self.org.id):
            tx.p(name).mark('org-officer')

    def _render_invitations(self) -> None:
        t = self.t
        tx.h2(t('org.invite.title'))
        tx.p(t('org.invite.help', days=INVITE_DAYS)).classes('text-sm')
        self.links = ui.column().classes('w-full gap-2').mark('org-links')
        with ui.row().classes('gap-3'):
            ui.button(t('org.invite.officer'), icon='person_add', on_click=lambda: self._on_invite('officer')).mark(
                'org-invite-officer'
            )
            ui.button(t('org.invite.community'), icon='add_link', on_click=lambda: self._on_invite('attach')).props(
                'outline'
            ).mark('org-invite-community')
        tx.p(t('org.invite.by_link_note')).classes('text-sm cop-muted')
        self._render_mail()

    def _render_mail(self) -> None:
        """The same invitation, sent by mail through the toolbox's sender."""
        t = self.t
        tx.h3(t('org.mail.title')).classes('text-base font-medium')
        with ui.row().classes('w-full items-end gap-3').mark('org-mail'):
            self.email = text_field(t('org.mail.email'), kind='email', autocomplete='email', marker='org-mail-email')
            self.email.classes('sm:w-72')
            kinds = {'officer': t('org.mail.kind_officer'), 'attach': t('org.mail.kind_attach')}
            self.kind = (
                ui.select(kinds, value='attach', label=t('org.mail.kind')).props('outlined').mark('org-mail-kind')
            )
            self.lang = ui.select({lang: lang.upper() for lang in LANGUAGES}, value=t.lang, label=t('org.mail.lang'))
            self.lang.props('outlined').mark('org-mail-lang')
            ui.button(t('org.mail.send'), icon='mail', on_click=self._on_mail).mark('org-mail-send')
        self.mail_error = ErrorLine()

    async def _on_mail(self) -> None:
        email = self.email.value or ''
        outcome = await self.ctx.attempt(
            lambda: self.orgs.mail_invitation(
                self.me, self.org.id, self.kind.value, email, self.lang.value, self._base(),
                self.services.mailer, self.services.content.ui,
            ),
            fields={'email': self.email},
            line=self.mail_error,
        )  # fmt: skip
        if outcome:
            ui.notify(self.t('org.mail.sent', email=email), type='positive')
            self.email.set_value('')

    async def _on_invite(self, kind: str) -> None:
        outcome = await self.ctx.attempt(lambda: self.orgs.invite(self.me, self.org.id, kind))
        if not outcome:
            return
        token, _ = outcome.value
        with self.links:
            tx.p(self.t(f'org.invite.made_{kind}')).classes('font-medium')
            copy_field(self.t, self.t('org.invite.link'), f'{self._base()}/org/join/{token}', f'org-link-{kind}')
            tx.p(self.t('org.invite.once')).classes('text-sm cop-muted')

    def _render_requests(self) -> None:
        t = self.t
        self.requests.clear()
        with self.requests:
            waiting = self.orgs.requests(self.me, self.org.id)
            if not waiting:
                tx.p(t('org.requests_empty')).classes('cop-muted')
            for link in waiting:
                with ui.row().classes('w-full items-center gap-3').mark('org-request'):
                    tx.span(link.community_name).classes('grow font-medium')
                    ui.button(t('org.accept'), on_click=lambda c=link.community_id: self._on_decide(c, True)).mark(
                        'org-request-accept'
                    )
                    ui.button(t('org.decline'), on_click=lambda c=link.community_id: self._on_decide(c, False)).props(
                        'outline'
                    ).mark('org-request-decline')

    async def _on_decide(self, cid: str, accept: bool) -> None:
        if await self.ctx.attempt(lambda: self.orgs.decide(self.me, self.org.id, cid, accept)):
            ui.notify(self.t('org.accepted' if accept else 'org.declined'), type='positive')
            self._render_requests()
            self._render_attached()

    def _render_attached(self) -> None:
        t = self.t
        self.attached.clear()
        with self.attached:
            links = self.orgs.attached(self.org.id)
            if not links:
                tx.p(t('org.attached_empty')).classes('cop-muted')
            rows = self.services.portfolio.rows(self.me, self.org.id)
            for row in rows:
                with ui.row().classes('w-full items-center gap-3').mark('org-attached-row'):
                    tx.span(row.name).classes('grow')
                    ui.button(
                        t('org.detach'), on_click=lambda c=row.community_id, n=row.name: self._on_detach(c, n)
                    ).props('outline color=negative').mark('org-detach')

    async def _on_detach(self, cid: str, name: str) -> None:
        t = self.t
        if not await confirm(t, t('org.detach_title', name=name), t('org.detach_text'), t('org.detach'), danger=True):
            return
        if await self.ctx.attempt(lambda: self.orgs.detach(self.me, cid, self.org.id)):
            ui.notify(t('org.detached', name=name), type='positive')
            self._render_attached()
