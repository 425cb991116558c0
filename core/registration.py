"""Sign-up with a confirmed address, and the forgotten password, both by a single-use link sent by mail.

What the pages show never depends on whether an address has an account: a sign-up always answers "check your
mailbox", and so does a reset request. The difference is in the mailbox: a new address gets a confirmation link, an
address that already has an account gets a mail saying so, with a link to reset the password.

Until its address is confirmed, an account can log in but cannot create or join a community (Communities asks
`require_confirmed`). Links: confirmation 24 h, reset 1 h, single-use, stored only as a hash (core/links.py).

Rate limits: a browser may ask for a few mails an hour (then it is told to wait); an address gets at most a few mails
an hour, and requests beyond that are answered the same way but send nothing (so the page still says nothing).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from .accounts import Accounts, User, check_sign_up, hash_password, normalise_email, validate_password
from .errors import AuthError, ValidationError
from .i18n import LANGUAGES, Catalog
from .links import Links
from .mail import Mailer
from .mailtext import render
from .ratelimit import FailureLimiter
from .redirects import safe_next

log = logging.getLogger(__name__)

CLIENT_MAILS_PER_HOUR = 10
ADDRESS_MAILS_PER_HOUR = 3


@dataclass(frozen=True)
class Confirmed:
    user: User
    next: str


class Registration:
    def __init__(
        self,
        accounts: Accounts,
        links: Links,
        mailer: Mailer,
        catalog: Catalog,
        *,
        client_limiter: FailureLimiter | None = None,
        address_limiter: FailureLimiter | None = None,
    ) -> None:
        self.accounts = accounts
        self.links = links
        self.mailer = mailer
        self.catalog = catalog
        # counted on every request (success or not): the limiters count mails asked for, not failures
        self.client_limiter = client_limiter or FailureLimiter(CLIENT_MAILS_PER_HOUR, 3600, 600, 3600, flood=None)
        self.address_limiter = address_limiter or FailureLimiter(ADDRESS_MAILS_PER_HOUR, 3600, 3600, 3600, flood=None)

    @property
    def _db(self):
        return self.accounts._db

    async def sign_up(
        self, name: str, email: str, password: str, lang: str, client_key: str, base_url: str, next_path: str = '/'
    ) -> None:
        """Check the form, then mail the address: a confirmation link for a new account, a reset link for an address
        that has one. Raises only for what the form itself says (a field, or too many requests from this browser)."""
        self._local_login()
        name, email = check_sign_up(name, email, password)
        self._count_client(client_key)
        lang = lang if lang in LANGUAGES else 'nl'
        existing = self.accounts.by_email(email)
        if existing is None:
            try:
                user = await self.accounts.sign_up(name, email, password, lang, confirmed=False)
            except ValidationError as e:
                if e.key != 'auth.error.email_taken':  # taken meanwhile: answered like any existing address
                    raise
                existing = self.accounts.by_email(email)
            else:
                self._mail_link(user, 'confirm', 'mail.confirm', base_url, next=safe_next(next_path))
                await self._db.commit()
                log.info('sign-up: an account was created, confirmation mail queued')
                return
        await asyncio.to_thread(hash_password, password)  # the same work as a new account: the time says nothing
        if existing is not None:
            self._mail_link(existing, 'reset', 'mail.exists', base_url)
            await self._db.commit()
        log.info('sign-up: the address has an account; a mail says so')

    async def resend_confirmation(self, user_id: str, base_url: str) -> bool:
        """A new confirmation link for an account that is not confirmed yet; False when nothing was sent."""
        user = self.accounts.get(user_id)
        if user is None or user.confirmed:
            return False
        if not self._mail_link(user, 'confirm', 'mail.confirm', base_url, next='/'):
            raise AuthError('auth.error.mail_limit', retry_after=self.address_limiter.retry_after(_key(user.email)))
        await self._db.commit()
        return True

    async def confirm(self, token: str) -> Confirmed:
        """Use a confirmation link: the account is confirmed. ValidationError for an unknown, used or expired link."""
        doc = self.links.use('confirm', token)
        user = self.accounts.get(doc['user_id'])
        if user is None:
            raise ValidationError('link.error.unknown')
        self.accounts.confirm(user.id)
        await self._db.commit()
        log.info('an address was confirmed')
        return Confirmed(self.accounts.get(user.id), safe_next(doc.get('next') or '/'))  # type: ignore[arg-type]

    async def request_reset(self, email: str, client_key: str, base_url: str) -> None:
        """Mail a reset link to the address if it has an account; the caller always says "check your mailbox"."""
        self._local_login()
        email = normalise_email(email) if isinstance(email, str) else ''
        if not email or '@' not in email:
            raise ValidationError('auth.error.email_invalid', 'email')
        self._count_client(client_key)
        user = self.accounts.by_email(email)
        if user is not None and self._mail_link(user, 'reset', 'mail.reset', base_url):
            await self._db.commit()
        log.info('password reset asked')

    def reset_target(self, token: str) -> User:
        """The account a reset link is for, without using the link (the form is shown first)."""
        doc = self.links.check('reset', token)
        user = self.accounts.get(doc['user_id'])
        if user is None:
            raise ValidationError('link.error.unknown')
        return user

    async def reset(self, token: str, new_password: str) -> User:
        """Set the new password through the link: the link is used, every other session ends and its pages close."""
        self._local_login()
        validate_password(new_password, 'new')
        self.reset_target(token)
        doc = self.links.use('reset', token)
        user = await self.accounts.reset_password(doc['user_id'], new_password)  # commits, with the link used
        if user is None:
            raise ValidationError('link.error.unknown')
        log.info('a password was reset through a mailed link')
        return user

    # -- internals --------------------------------------------------------------------------------------------------

    def _local_login(self) -> None:
        """With --no-local-login there are no passwords to sign up with or to reset."""
        if not self.accounts.password_login:
            raise AuthError('auth.error.password_off')

    def _count_client(self, client_key: str) -> None:
        key = f'client:{client_key}'
        wait = self.client_limiter.retry_after(key)
        if wait:
            raise AuthError('auth.error.mail_limit', retry_after=wait)
        self.client_limiter.failure(key)

    def _mail_link(self, user: User, purpose: str, key: str, base_url: str, **extra: str) -> bool:
        """Issue a link and queue its mail, in the account's language; False when the address had enough mails."""
        address = _key(user.email)
        if self.address_limiter.retry_after(address):
            log.info('a %s mail was not sent: the address had enough this hour', purpose)
            return False
        self.address_limiter.failure(address)
        token = self.links.issue(purpose, user.id, **extra)
        path = {'confirm': '/signup/confirm/', 'reset': '/reset/'}[purpose]
        mail = render(self.catalog, key, user.lang, link=f'{base_url.rstrip("/")}{path}{token}', name=user.name)
        self.mailer.submit(user.email, mail.subject, mail.text, mail.html, lang=user.lang)
        return True


def _key(email: str) -> str:
    return f'address:{normalise_email(email)}'
