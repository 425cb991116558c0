"""Accounts: sign up, log in with rate limiting, change password, language preference.

Passwords are hashed with scrypt (memory-hard, standard library) in a worker thread so the event loop stays free.
No password, hash or e-mail address is ever logged.

Wrong passwords slow down further attempts on the account (the attempt is held, then checked), but the right
password is never refused; a browser that keeps failing is refused for a while (see core/ratelimit.py).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tinydb import Query

from . import clock
from .clean import clean_text
from .errors import AuthError, ValidationError
from .i18n import LANGUAGES
from .ratelimit import FailureLimiter
from .store import Database

MIN_PASSWORD = 10
MAX_PASSWORD = 256
MAX_NAME = 100
MAX_EMAIL = 254
EMAIL_PATTERN = re.compile(r'^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$')

# scrypt cost: 2**14 x 8 x 128 bytes = 16 MiB of memory per hash, about 50 ms here
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


@dataclass(frozen=True)
class User:
    id: str
    email: str
    name: str
    lang: str
    created: str
    auth_epoch: int
    confirmed: bool = True  # by a mailed link; accounts from before confirmation existed count as confirmed


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=128 * 1024 * 1024, dklen=32)
    return f'scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}'


def verify_password(password: str, stored: str) -> bool:
    if not isinstance(password, str):  # what is not text never matches (a forged message can send anything)
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split('$')
        if scheme != 'scrypt':
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=128 * 1024 * 1024,
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode('ascii')


def normalise_email(email: str) -> str:
    return (email or '').strip().lower()


def validate_password(password: str, field: str = 'password') -> None:
    if not isinstance(password, str | None):
        raise ValidationError('error.invalid', field)
    if len(password or '') < MIN_PASSWORD:
        raise ValidationError('auth.error.password_short', field, min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise ValidationError('auth.error.password_long', field, max=MAX_PASSWORD)


class Accounts:
    def _dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = hash_password(secrets.token_urlsafe(12))
        return self._dummy

    def __init__(
        self,
        db: Database,
        *,
        account_limiter: FailureLimiter | None = None,
        client_limiter: FailureLimiter | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._db = db
        # per account: 5 free failures in 15 minutes, then each attempt is held 1 s, 2 s, ... up to 30 s (not refused)
        self.account_limiter = account_limiter or FailureLimiter(5, 900, 1, 30)
        # per browser: 10 free failures in 15 minutes, then refused for 30 s doubling up to 15 minutes
        self.client_limiter = client_limiter or FailureLimiter(10, 900, 30, 900)
        self._sleep = sleep
        self._in_flight: set[str] = set()  # browsers with an attempt being checked: one at a time each
        self._listeners: list[Callable[[str], None]] = []
        self._dummy: str | None = None  # a hash to check unknown accounts against, made on first use (scrypt: ~0.1 s)
        self.password_login = True  # False with --no-local-login: the organisation's sign-in only (core/oidc.py)

    def on_credentials_changed(self, listener: Callable[[str], None]) -> None:
        """Call `listener(user_id)` when an account's password changes or the account is deleted (sessions end)."""
        self._listeners.append(listener)

    def credentials_changed(self, user_id: str) -> None:
        """Tell the listeners; called before the change is committed, so their own changes share the write."""
        for listener in self._listeners:
            listener(user_id)

    @property
    def _users(self):
        return self._db.table('users')

    def get(self, user_id: str | None) -> User | None:
        if not user_id:
            return None
        doc = self._users.get(Query()['id'] == user_id)
        return _user(doc) if doc else None

    def by_email(self, email: str) -> User | None:
        doc = self._users.get(Query()['email'] == normalise_email(email))
        return _user(doc) if doc else None

    def count(self) -> int:
        return len(self._users)

    async def sign_up(self, name: str, email: str, password: str, lang: str = 'nl', *, confirmed: bool = True) -> User:
        """Create an account. The sign-up page goes through core/registration.py, which creates it unconfirmed and
        mails the link; accounts made here directly (the demo, tests, an operator) are confirmed."""
        if not self.password_login:
            raise AuthError('auth.error.password_off')
        name, email = check_sign_up(name, email, password)
        if self.by_email(email) is not None:
            raise ValidationError('auth.error.email_taken', 'email')
        pw_hash = await asyncio.to_thread(hash_password, password)
        if self.by_email(email) is not None:  # someone else signed up with it while we were hashing
            raise ValidationError('auth.error.email_taken', 'email')
        doc = {
            'id': secrets.token_hex(8),
            'email': email,
            'name': name,
            'pw': pw_hash,
            'lang': lang if lang in LANGUAGES else 'nl',
            'created': clock.now_iso(),
            'auth_epoch': 1,
            'confirmed': confirmed,
        }
        self._users.insert(doc)
        await self._db.commit()
        return _user(doc)

    async def authenticate(self, email: str, password: str, client_key: str) -> User:
        """The user for these credentials, or AuthError. `client_key` names the browser (not its address).

        After a few failures on an account, each attempt on it is held for a growing delay before the password is
        checked: guessing slows to a crawl, and the owner still gets in with the right password. A browser that fails
        too often is refused for a while, and may have one attempt under way at a time."""
        if not self.password_login:
            raise AuthError('auth.error.password_off')
        email = normalise_email(email)
        account_key = f'acct:{email}'
        browser_key = f'browser:{client_key}'
        wait = self.client_limiter.retry_after(browser_key)
        if wait:
            raise AuthError('auth.error.locked', retry_after=wait)
        if browser_key in self._in_flight:
            raise AuthError('auth.error.busy')
        self._in_flight.add(browser_key)
        try:
            hold = self.account_limiter.delay(account_key)
            if hold:
                await self._sleep(hold)
            doc = self._users.get(Query()['email'] == email) if email else None
            stored = doc.get('pw') if doc else None  # an account made by the organisation's sign-in has none
            ok = await asyncio.to_thread(verify_password, password or '', stored or self._dummy_hash()) and bool(stored)
        finally:
            self._in_flight.discard(browser_key)
        if not doc or not ok:
            self.account_limiter.failure(account_key)
            self.client_limiter.failure(browser_key)
            raise AuthError('auth.error.invalid')
        self.account_limiter.success(account_key)
        if (
            doc.get('last_login') != clock.now_iso()[:10]
        ):  # the day only: accounts unused for long are erased (core/retention)
            self._users.update({'last_login': clock.now_iso()[:10]}, Query()['id'] == doc['id'])
            await self._db.commit()
        self.client_limiter.success(browser_key)
        return _user(doc)

    async def change_password(self, user_id: str, current: str, new: str) -> User:
        """Checks the current password, sets the new one and ends every session of the account (the caller starts
        a new one for the browser that made the change)."""
        doc = self._users.get(Query()['id'] == user_id)
        if doc is None:
            raise AuthError('auth.error.invalid')
        key = f'acct:{doc["email"]}'
        hold = self.account_limiter.delay(key)
        if hold:
            await self._sleep(hold)
        if not await asyncio.to_thread(verify_password, current or '', doc['pw']):
            self.account_limiter.failure(key)
            raise ValidationError('auth.error.current_wrong', 'current')
        validate_password(new, 'new')
        pw_hash = await asyncio.to_thread(hash_password, new)
        await self._set_credentials(user_id, pw_hash)
        return self.get(user_id)  # type: ignore[return-value]

    async def set_password(self, user_id: str, new: str) -> None:
        """Administrative reset (demo account): no current password asked. Setting the same password again changes
        nothing (a restart with the demo keeps its sessions)."""
        validate_password(new, 'new')
        doc = self._users.get(Query()['id'] == user_id)
        if doc is None or await asyncio.to_thread(verify_password, new, doc['pw']):
            return
        pw_hash = await asyncio.to_thread(hash_password, new)
        await self._set_credentials(user_id, pw_hash)

    async def _set_credentials(self, user_id: str, pw_hash: str) -> None:
        """A new password hash and a new epoch: every session made with the old password ends."""
        doc = self._users.get(Query()['id'] == user_id)
        if doc is None:
            return
        self._users.update({'pw': pw_hash, 'auth_epoch': int(doc.get('auth_epoch', 1)) + 1}, Query()['id'] == user_id)
        self.credentials_changed(user_id)
        await self._db.commit()

    def confirm(self, user_id: str) -> None:
        """The address is confirmed (the caller commits)."""
        self._users.update({'confirmed': True}, Query()['id'] == user_id)

    async def reset_password(self, user_id: str, new: str) -> User | None:
        """A new password through a mailed link: every session of the account ends and its open pages close
        (credentials_changed); the link proved the address, so it counts as confirmed."""
        validate_password(new, 'new')
        pw_hash = await asyncio.to_thread(hash_password, new)
        self._users.update({'confirmed': True}, Query()['id'] == user_id)
        await self._set_credentials(user_id, pw_hash)
        return self.get(user_id)

    async def set_language(self, user_id: str, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValidationError('error.invalid', 'lang')
        user = self.get(user_id)
        if user is not None and user.lang != lang:
            self._users.update({'lang': lang}, Query()['id'] == user_id)
            await self._db.commit()

    async def set_name(self, user_id: str, name: str) -> None:
        name = clean_text(name, MAX_NAME, 'name')  # what is not text is refused, control characters dropped
        if not name:
            raise ValidationError('auth.error.name_required', 'name')
        self._users.update({'name': name}, Query()['id'] == user_id)
        await self._db.commit()

    # -- the organisation's sign-in (core/oidc.py) --------------------------------------------------------------------

    async def create_verified(self, name: str, email: str, lang: str = 'nl') -> User:
        """An account without a password for an address the organisation's provider has verified."""
        email = normalise_email(email)
        if len(email) > MAX_EMAIL or not EMAIL_PATTERN.match(email):
            raise ValidationError('auth.error.email_invalid', 'email')
        if self.by_email(email) is not None:
            raise ValidationError('auth.error.email_taken', 'email')
        name = clean_text((name if isinstance(name, str) else '')[:MAX_NAME], MAX_NAME, 'name') or email.split('@')[0]
        doc = {
            'id': secrets.token_hex(8),
            'email': email,
            'name': name[:MAX_NAME],  # the local part of a long address may be longer than a name
            'pw': '',
            'lang': lang if lang in LANGUAGES else 'nl',
            'created': clock.now_iso(),
            'auth_epoch': 1,
            'last_login': clock.today_iso(),
            'confirmed': True,  # the provider verified the address
        }
        self._users.insert(doc)
        await self._db.commit()
        return _user(doc)

    def has_password(self, user_id: str) -> bool:
        doc = self._users.get(Query()['id'] == user_id)
        return bool(doc and doc.get('pw'))

    async def signed_in(self, user_id: str) -> None:
        """A login that did not go through `authenticate`: the day is kept for the retention of unused accounts."""
        doc = self._users.get(Query()['id'] == user_id)
        if doc is not None and doc.get('last_login') != clock.today_iso():
            self._users.update({'last_login': clock.today_iso()}, Query()['id'] == user_id)
            await self._db.commit()


def check_sign_up(name: str, email: str, password: str) -> tuple[str, str]:
    """The cleaned name and address of a sign-up, or ValidationError naming the field (says nothing about whether
    the address has an account)."""
    name = ' '.join((name or '').split()) if isinstance(name, str) else ''
    email = normalise_email(email) if isinstance(email, str) else ''
    if not name:
        raise ValidationError('auth.error.name_required', 'name')
    if len(name) > MAX_NAME:
        raise ValidationError('error.too_long', 'name', max=MAX_NAME)
    if len(email) > MAX_EMAIL or not EMAIL_PATTERN.match(email):
        raise ValidationError('auth.error.email_invalid', 'email')
    validate_password(password)
    return name, email


def _user(doc: dict) -> User:
    return User(
        id=doc['id'],
        email=doc['email'],
        name=doc['name'],
        lang=doc.get('lang', 'nl'),
        created=doc.get('created', ''),
        auth_epoch=int(doc.get('auth_epoch', 1)),
        confirmed=doc.get('confirmed', True) is not False,  # no field: an account from before confirmation existed
    )
