"""Server-side login sessions: the proof of who is logged in lives here, not in the browser's cookie.

The signed cookie holds only a random token. The server keeps, per token, the user, the user's credential epoch
when the session began, and when it began and was last used; only a hash of the token is stored, so a copy of the
data folder does not hold usable sessions. A session is valid while its row exists, the account still exists with
the same epoch (a password change bumps it) and neither the idle nor the absolute lifetime has passed.

Every login ends in `start()`, which issues a new token and drops the one the browser had: a token planted in a
browser before the login never becomes a logged-in session (session fixation). The page layer subscribes with
`on_end` to close the open pages of sessions that end.

The rows live in the accounts file (table `sessions`), so a restart keeps people logged in. Last-use times are
written at most every LAST_SEEN_GRANULARITY seconds, so browsing does not cost a disk write per page.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from tinydb import Query

from .accounts import Accounts, User
from .store import Database

log = logging.getLogger(__name__)

TABLE = 'sessions'
IDLE_SECONDS = 14 * 24 * 3600  # unused this long: ended (the cookie's own lifetime is the same)
ABSOLUTE_SECONDS = 30 * 24 * 3600  # at most this long after the login, however busy
LAST_SEEN_GRANULARITY = 3600
TICKET_SECONDS = 60  # a login ticket must be redeemed within a minute, once
MAX_TICKETS = 10_000
PURGE_SECONDS = 24 * 3600  # expired rows are dropped at start and then at a login at most once a day


def token_key(token: str) -> str:
    """What the table stores for a token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode('utf-8')).hexdigest()


@dataclass(frozen=True)
class Ticket:
    user_id: str
    epoch: int
    target: str
    browser: str  # the browser that checked the password: only it may redeem the ticket
    issued: float


class Sessions:
    def __init__(self, db: Database, accounts: Accounts, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self._accounts = accounts
        self._clock = clock
        self._tickets: dict[str, Ticket] = {}  # in memory only: a restart simply asks for the login again
        self._listeners: list[Callable[[set[str]], None]] = []
        self._purged = 0.0
        accounts.on_credentials_changed(self._credentials_changed)
        self.purge()

    @property
    def _table(self):
        return self._db.table(TABLE)

    # -- login tickets: the UI checks the password, a plain HTTP request then sets the cookie ----------------------

    def ticket(self, user: User, target: str, browser: str) -> str:
        """A one-time ticket for `user`, redeemed by the HTTP route that finishes the login (and sets the cookie) in
        the same browser."""
        now = self._clock()
        if len(self._tickets) >= MAX_TICKETS:
            self._tickets = {k: v for k, v in self._tickets.items() if now - v.issued <= TICKET_SECONDS}
        ticket = secrets.token_urlsafe(24)
        self._tickets[ticket] = Ticket(user.id, user.auth_epoch, target, browser, now)
        return ticket

    def redeem(self, ticket: str, browser: str) -> Ticket | None:
        """The ticket's content if it is fresh, comes from the browser it was made for, and its account is unchanged
        since; a ticket works once."""
        found = self._tickets.pop(ticket, None) if isinstance(ticket, str) else None
        if found is None or self._clock() - found.issued > TICKET_SECONDS or found.browser != browser:
            return None
        user = self._accounts.get(found.user_id)
        if user is None or user.auth_epoch != found.epoch:
            return None
        return found

    # -- sessions ---------------------------------------------------------------------------------------------------

    async def start(self, user: User, replacing: str | None = None) -> str:
        """A new session for `user`; the session the browser had before (`replacing`) ends. Returns the token."""
        if replacing:
            self._remove({token_key(replacing)})
        token = secrets.token_urlsafe(32)
        now = self._clock()
        if now - self._purged > PURGE_SECONDS:
            self.purge()
        self._table.insert(
            {'key': token_key(token), 'user_id': user.id, 'epoch': user.auth_epoch, 'created': now, 'seen': now}
        )
        await self._db.commit()
        return token

    def user_for(self, token: str | None) -> User | None:
        """The user of a valid session, None otherwise (unknown, ended, expired, or the password changed since)."""
        if not token or not isinstance(token, str):
            return None
        key = token_key(token)
        row = self._table.get(Query()['key'] == key)
        if row is None:
            return None
        now = self._clock()
        user = self._accounts.get(row['user_id'])
        if user is None or user.auth_epoch != row['epoch'] or self._expired(row, now):
            self._remove({key})
            return None
        if now - row['seen'] > LAST_SEEN_GRANULARITY:
            self._table.update({'seen': now}, Query()['key'] == key)  # written with the next commit of the file
        return user

    def is_valid(self, token: str | None, user_id: str) -> bool:
        """Whether the session still belongs to `user_id`: checked before every event of a logged-in page."""
        user = self.user_for(token)
        return user is not None and user.id == user_id

    async def end(self, token: str | None) -> None:
        """Log out: this session ends, and its open pages are closed."""
        if token:
            self._remove({token_key(token)})
            await self._db.commit()

    async def end_all(self, user_id: str, keep: str | None = None) -> None:
        """End every session of `user_id` but `keep` (e.g. "log out everywhere", or after an account deletion)."""
        kept = token_key(keep) if keep else None
        keys = {row['key'] for row in self._table.search(Query()['user_id'] == user_id) if row['key'] != kept}
        self._remove(keys)
        await self._db.commit()

    def count(self, user_id: str) -> int:
        return self._table.count(Query()['user_id'] == user_id)

    def purge(self) -> None:
        """Forget expired sessions (at start, then now and then)."""
        now = self._purged = self._clock()
        self._remove({row['key'] for row in self._table.all() if self._expired(row, now)})

    def on_end(self, listener: Callable[[set[str]], None]) -> None:
        """Call `listener(keys)` with the token keys of sessions that end (see `token_key`)."""
        self._listeners.append(listener)

    # -- internals --------------------------------------------------------------------------------------------------

    @staticmethod
    def _expired(row: dict, now: float) -> bool:
        return now - row['seen'] > IDLE_SECONDS or now - row['created'] > ABSOLUTE_SECONDS

    def _remove(self, keys: set[str]) -> None:
        if not keys:
            return
        self._table.remove(Query()['key'].one_of(list(keys)))
        for listener in self._listeners:
            try:
                listener(keys)
            except Exception:  # a page that cannot be told must not stop the logout
                log.exception('session end listener failed')

    def _credentials_changed(self, user_id: str) -> None:
        """The password changed, or the account is being deleted: every session of the account ends (the caller
        commits). The browser that changed the password starts a new one."""
        self._remove({row['key'] for row in self._table.search(Query()['user_id'] == user_id)})
