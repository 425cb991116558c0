"""The invitations part of the members page: invite by mail (address, role, the invitee's language), or make a link
to copy by hand; the open invitations with the status of their mail, to send again or revoke (after a question).

Mail status is read when the list is drawn and again every few seconds while a mail is still on its way, so
"will retry" turns into "sent" or "failed: ..." without reloading the page."""

from __future__ import annotations

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.dialogs import confirm
from components.forms import ErrorLine, copy_field, text_field
from components.frame import aria
from components.sign_in import mail_base
from core.accounts import MAX_EMAIL
from core.communities import INVITE_DAYS, Invitation
from core.i18n import LANGUAGES
from core.mail import MailStatus
from core.roles import INVITATION_ROLES, Role
from core.services import Services


def mail_status_text(t, status: MailStatus | None) -> str:
    """ "sent", "will retry", "failed: <the relay's reason>" in the reader's language."""
    if status is None:
        return t('invite.mail.no_status')
    return t(f'mail.status.{status.state}', reason=status.error)


class InvitationsView:
    """One-time invitations: by mail or as a link; the open ones with their mail's status; resend; revoke."""

    def __init__(self, ctx: PageContext, services: Services) -> None:
        self.ctx, self.t = ctx, ctx.t
        self.communities = services.communities
        self.mail = services.invitation_mail
        self.cid, self.me = ctx.community.id, ctx.user.id
        t = self.t
        tx.h2(t('invite.title'))
        tx.p(t('invite.help', days=INVITE_DAYS))
        self.role = (
            ui.select(
                {r.value: t(f'role.{r.value}') for r in INVITATION_ROLES},
                value=Role.COACH.value,
                label=t('invite.role'),
            )
            .props('outlined')
            .classes('w-56')
            .mark('invite-role')
        )
        self._render_by_mail()
        tx.p(t('invite.mail.or_link'))
        with ui.row().classes('items-end gap-3'):
            ui.button(t('invite.create'), icon='link', on_click=self._on_create).props('outline').mark('invite-create')
        self.result = ui.column().classes('w-full')
        self.pending = ui.column().classes('w-full gap-1')
        self._render_pending()
        self.timer = ui.timer(3.0, self._on_tick)

    def _render_by_mail(self) -> None:
        t = self.t
        tx.h3(t('invite.mail.title'))
        with ui.row().classes('items-start gap-3 w-full'):
            with ui.element('div').classes('grow max-w-md'):
                self.email = text_field(
                    t('invite.mail.email'), kind='email', maxlength=MAX_EMAIL, autocomplete='off', marker='invite-email'
                )
            languages = {lang: t(f'lang.{lang}') for lang in LANGUAGES}
            self.lang = (
                ui.select(languages, value=self.ctx.community.language or self.ctx.lang, label=t('invite.mail.lang'))
                .props('outlined')
                .classes('w-48')
                .mark('invite-lang')
            )
            ui.button(t('invite.mail.send'), icon='send', on_click=self._on_send).mark('invite-send')
        self.error = ErrorLine().mark('invite-error')

    async def _on_send(self) -> None:
        self.error.clear_text()
        self.email.props(remove='error error-message')
        email = str(self.email.value or '').strip()
        sent = await self.ctx.attempt(
            self.mail.send(self.me, self.cid, self.role.value, email, self.lang.value, mail_base(self.ctx)),
            fields={'email': self.email},
            line=self.error,
        )
        if sent:
            ui.notify(self.t('invite.mail.sent', email=email), type='positive')
            self.email.value = ''
            self._render_pending()

    async def _on_create(self) -> None:
        t, role = self.t, self.role.value
        invited = await self.ctx.attempt(self.communities.invite(self.me, self.cid, role))
        if not invited:
            return
        token, _ = invited.value
        self.result.clear()
        with self.result:
            tx.p(t('invite.created', role=t(f'role.{role}'))).props('role=status')
            copy_field(t, t('invite.link'), f'{mail_base(self.ctx)}/invite/{token}', 'invite-link')
            tx.p(t('invite.once', days=INVITE_DAYS)).classes('text-sm cop-muted')
        self._render_pending()

    # -- the open invitations ---------------------------------------------------------------------------------------

    def _render_pending(self) -> None:
        t = self.t
        self.pending.clear()
        pending = self.communities.invitations(self.me, self.cid)
        self.shown = {i.id: self._state(i) for i in pending}
        if not pending:
            return
        with self.pending:
            tx.h3(t('invite.pending'))
            with html.ul().classes('flex flex-col gap-1'):
                for invitation in pending:
                    with html.li().classes('flex flex-wrap items-center gap-3').mark('invite-pending'):
                        self._render_invitation(invitation)

    def _render_invitation(self, invitation: Invitation) -> None:
        t = self.t
        role, expires = t(f'role.{invitation.role.value}'), t.date(invitation.expires)
        if invitation.email:
            status = mail_status_text(t, self.mail.status(invitation))
            tx.span(t('invite.mail.pending_item', email=invitation.email, role=role, date=expires, status=status))
            aria(
                ui.button(t('invite.mail.resend'), on_click=lambda i=invitation: self._on_resend(i)).props(
                    'flat dense'
                ),
                t('invite.mail.resend_named', email=invitation.email),
            ).mark('invite-resend')
        else:
            tx.span(t('invite.pending_item', role=role, date=expires) + f' ({t("invite.mail.by_link")})')
        who = invitation.email or role
        aria(
            ui.button(t('invite.revoke'), on_click=lambda i=invitation: self._on_revoke(i)).props('flat dense'),
            t('invite.mail.revoke_named', who=who),
        ).mark('invite-revoke')

    def _state(self, invitation: Invitation) -> str:
        status = self.mail.status(invitation)
        return f'{status.state}:{status.error}' if status else ''

    def _on_tick(self) -> None:
        """Redraw when a mail's status changed (sent, will retry, failed)."""
        pending = self.communities.invitations(self.me, self.cid)
        if {i.id: self._state(i) for i in pending} != self.shown:
            self._render_pending()

    async def _on_resend(self, invitation: Invitation) -> None:
        resent = await self.ctx.attempt(self.mail.resend(self.me, self.cid, invitation.id, mail_base(self.ctx)))
        if resent:
            ui.notify(self.t('invite.mail.resent', email=invitation.email), type='positive')
            self._render_pending()

    async def _on_revoke(self, invitation: Invitation) -> None:
        t = self.t
        if not await confirm(
            t, t('invite.mail.revoke_title'), t('invite.mail.revoke_text'), t('invite.revoke'), danger=True
        ):
            return
        if await self.ctx.attempt(self.communities.revoke(self.me, self.cid, invitation.id)):
            ui.notify(t('invite.revoked'))
            self._render_pending()
