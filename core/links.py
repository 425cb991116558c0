"""Single-use links sent by mail (confirm an address, reset a password): only a hash of each link's secret is
stored, with its purpose, its account and when it expires.

A link works once and only for its purpose; an expired, used or unknown (forged) link is refused with its own
message, changes nothing, and leaves a log line without personal data. A new link for the same purpose and account
replaces the one before (the latest mail is the one that works).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

from tinydb import Query

from .errors import ValidationError
from .store import Database

log = logging.getLogger(__name__)

TABLE = 'mail_links'
PURPOSES = {'confirm': 24 * 3600, 'reset': 3600, 'oidc_link': 3600}  # how long a link of each kind works, in s
# ('oidc_link': linking the organisation's sign-in to an existing account, core/oidc.py)
KEEP_USED = 7 * 24 * 3600  # used and expired links are kept a while, so a second click says "used", not "unknown"
MAX_TOKEN = 200


def link_hash(token: str) -> str:
    return hashlib.sha256(token.encode('utf-8')).hexdigest()


class Links:
    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self._clock = clock

    @property
    def _table(self):
        return self._db.table(TABLE)

    def issue(self, purpose: str, user_id: str, **extra: str) -> str:
        """A new link secret for `user_id` (the caller commits). Earlier unused links of the same kind stop working."""
        now = self._clock()
        self._purge(now)
        self._table.remove((Query()['purpose'] == purpose) & (Query()['user_id'] == user_id) & (Query()['used'] == 0))
        token = secrets.token_urlsafe(32)
        self._table.insert(
            {
                'hash': link_hash(token),
                'purpose': purpose,
                'user_id': user_id,
                'expires': now + PURPOSES[purpose],
                'used': 0,
                **extra,
            }
        )
        return token

    def check(self, purpose: str, token: Any) -> dict[str, Any]:
        """The link's record if it may be used now; ValidationError saying why not otherwise."""
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
            return self._refuse(purpose, 'unknown')
        doc = self._table.get((Query()['hash'] == link_hash(token)) & (Query()['purpose'] == purpose))
        if doc is None:
            return self._refuse(purpose, 'unknown')
        if doc.get('used'):
            return self._refuse(purpose, 'used')
        if doc['expires'] <= self._clock():
            return self._refuse(purpose, 'expired')
        return dict(doc)

    def use(self, purpose: str, token: Any) -> dict[str, Any]:
        """Check the link and mark it used (the caller commits, in the same write as what the link does)."""
        doc = self.check(purpose, token)
        self._table.update({'used': 1}, Query()['hash'] == doc['hash'])
        return doc

    def forget_user(self, user_id: str) -> None:
        self._table.remove(Query()['user_id'] == user_id)

    def _refuse(self, purpose: str, why: str) -> dict[str, Any]:
        log.info('a %s link was refused: %s', purpose, why)
        raise ValidationError(f'link.error.{why}')

    def _purge(self, now: float) -> None:
        self._table.remove(Query()['expires'] < now - KEEP_USED)
