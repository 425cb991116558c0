"""Accounts: sign up, log in with rate limiting, change password, language preference.

Passwords are hashed with scrypt (memory-hard, standard library) in a worker thread so the event loop stays free.
No password, hash or e-mail address is ever logged.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from tinydb import Query

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


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=128 * 1024 * 1024, dklen=32)
    return f'scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}'


def verify_password(password: str, stored: str) -> bool:
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
    if len(password or '') < MIN_PASSWORD:
        raise ValidationError('auth.error.password_short', field, min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise ValidationError('auth.error.password_long', field, max=MAX_PASSWORD)


class Accounts:
    def __init__(
        self,
        db: Database,
        *,
        account_limiter: FailureLimiter | None = None,
        client_limiter: FailureLimiter | None = None,
    ) -> None:
        self._db = db
        # per account: 5 free failures in 15 minutes, then 30 s, 60 s, ... up to 15 minutes
        self.account_limiter = account_limiter or FailureLimiter(5, 900, 30, 900)
        # per client (address): 20 free failures in 15 minutes, then 60 s doubling up to an hour
        self.client_limiter = client_limiter or FailureLimiter(20, 900, 60, 3600)
        self._dummy_hash = hash_password(secrets.token_urlsafe(12))

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

    async def sign_up(self, name: str, email: str, password: str, lang: str = 'nl') -> User:
        name = ' '.join((name or '').split())
        email = normalise_email(email)
        if not name:
            raise ValidationError('auth.error.name_required', 'name')
        if len(name) > MAX_NAME:
            raise ValidationError('error.too_long', 'name', max=MAX_NAME)
        if len(email) > MAX_EMAIL or not EMAIL_PATTERN.match(email):
            raise ValidationError('auth.error.email_invalid', 'email')
        validate_password(password)
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
            'created': _now(),
            'auth_epoch': 1,
        }
        self._users.insert(doc)
        await self._db.commit()
        return _user(doc)

    async def authenticate(self, email: str, password: str, client_key: str) -> User:
        """The user for these credentials, or AuthError. Counts failures per account and per client."""
        email = normalise_email(email)
        account_key = f'acct:{email}'
        client_key = f'client:{client_key}'
        wait = max(self.account_limiter.retry_after(account_key), self.client_limiter.retry_after(client_key))
        if wait:
            raise AuthError('auth.error.locked', retry_after=wait)
        doc = self._users.get(Query()['email'] == email) if email else None
        ok = await asyncio.to_thread(verify_password, password or '', doc['pw'] if doc else self._dummy_hash)
        if not doc or not ok:
            self.account_limiter.failure(account_key)
            self.client_limiter.failure(client_key)
            raise AuthError('auth.error.invalid')
        self.account_limiter.success(account_key)
        if doc.get('last_login') != _now()[:10]:  # the day only: accounts unused for long are erased (core/retention)
            self._users.update({'last_login': _now()[:10]}, Query()['id'] == doc['id'])
            await self._db.commit()
        return _user(doc)

    async def change_password(self, user_id: str, current: str, new: str) -> User:
        """Checks the current password, sets the new one and ends the user's other sessions."""
        doc = self._users.get(Query()['id'] == user_id)
        if doc is None:
            raise AuthError('auth.error.invalid')
        key = f'acct:{doc["email"]}'
        wait = self.account_limiter.retry_after(key)
        if wait:
            raise AuthError('auth.error.locked', retry_after=wait)
        if not await asyncio.to_thread(verify_password, current or '', doc['pw']):
            self.account_limiter.failure(key)
            raise ValidationError('auth.error.current_wrong', 'current')
        validate_password(new, 'new')
        pw_hash = await asyncio.to_thread(hash_password, new)
        epoch = int(doc.get('auth_epoch', 1)) + 1
        self._users.update({'pw': pw_hash, 'auth_epoch': epoch}, Query()['id'] == user_id)
        await self._db.commit()
        return self.get(user_id)  # type: ignore[return-value]

    async def set_password(self, user_id: str, new: str) -> None:
        """Administrative reset (demo account): no current password asked."""
        validate_password(new, 'new')
        pw_hash = await asyncio.to_thread(hash_password, new)
        self._users.update({'pw': pw_hash}, Query()['id'] == user_id)
        await self._db.commit()

    async def set_language(self, user_id: str, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValidationError('error.invalid', 'lang')
        user = self.get(user_id)
        if user is not None and user.lang != lang:
            self._users.update({'lang': lang}, Query()['id'] == user_id)
            await self._db.commit()

    async def set_name(self, user_id: str, name: str) -> None:
        name = ' '.join((name or '').split())
        if not name:
            raise ValidationError('auth.error.name_required', 'name')
        if len(name) > MAX_NAME:
            raise ValidationError('error.too_long', 'name', max=MAX_NAME)
        self._users.update({'name': name}, Query()['id'] == user_id)
        await self._db.commit()


def _user(doc: dict) -> User:
    return User(
        id=doc['id'],
        email=doc['email'],
        name=doc['name'],
        lang=doc.get('lang', 'nl'),
        created=doc.get('created', ''),
        auth_epoch=int(doc.get('auth_epoch', 1)),
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec='seconds')
