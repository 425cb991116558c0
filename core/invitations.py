"""Invitations by mail: the members page takes an address, a role and the invitee's language, and the invitation
link goes out by mail. The invitation itself is committed before its mail is queued, so a relay that is down never
loses it: the coordinator sees the mail's status, can send it again (a new link: the old one stops working) or revoke
the invitation. Copying the link by hand stays possible (Communities.invite without an address).
"""

from __future__ import annotations

import logging

from .accounts import EMAIL_PATTERN, MAX_EMAIL, Accounts, normalise_email
from .communities import INVITE_DAYS, Communities, Invitation
from .errors import ValidationError
from .i18n import LANGUAGES, Catalog
from .mail import Mailer, MailStatus
from .mailtext import render

log = logging.getLogger(__name__)


class InvitationMail:
    def __init__(self, communities: Communities, accounts: Accounts, mailer: Mailer, catalog: Catalog) -> None:
        self.communities = communities
        self.accounts = accounts
        self.mailer = mailer
        self.catalog = catalog

    async def send(self, actor: str, cid: str, role: str, email: str, lang: str, base_url: str) -> Invitation:
        """Invite `email` in `role`, and mail the link in `lang`."""
        email = normalise_email(email) if isinstance(email, str) else ''
        if len(email) > MAX_EMAIL or not EMAIL_PATTERN.match(email):
            raise ValidationError('auth.error.email_invalid', 'email')
        if lang not in LANGUAGES:
            raise ValidationError('error.invalid', 'lang')
        token, invitation = await self.communities.invite(actor, cid, role, email=email, lang=lang)
        return await self._mail(actor, invitation, token, base_url)

    async def resend(self, actor: str, cid: str, invitation_id: str, base_url: str) -> Invitation:
        """The same invitation with a new link and a new expiry, by mail again."""
        token, invitation = self.communities.renew(actor, cid, invitation_id)
        if not invitation.email:
            raise ValidationError('error.invalid')
        await self.communities.store.accounts.commit()
        return await self._mail(actor, invitation, token, base_url)

    def status(self, invitation: Invitation) -> MailStatus | None:
        return self.mailer.status(invitation.mail_id) if invitation.mail_id else None

    async def _mail(self, actor: str, invitation: Invitation, token: str, base_url: str) -> Invitation:
        inviter = self.accounts.get(actor)
        lang = invitation.lang
        mail = render(
            self.catalog,
            'mail.invite',
            lang,
            link=f'{base_url.rstrip("/")}/invite/{token}',
            inviter=inviter.name if inviter else '',
            community=invitation.community_name,
            role=self.catalog.text(f'role.{invitation.role.value}', lang),
            days=INVITE_DAYS,
        )
        try:
            mail_id = self.mailer.submit(invitation.email, mail.subject, mail.text, mail.html, lang=lang)
        except OSError:  # the spool cannot be written: the invitation stands, its status says the mail is missing
            log.exception('an invitation mail could not be queued')
            return invitation
        self.communities.set_invitation_mail(invitation.id, mail_id)
        await self.communities.store.accounts.commit()
        log.info('invitation %s mailed (mail %s)', invitation.id, mail_id)
        return invitation
