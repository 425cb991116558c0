"""Value-creation stories (Wenger, Trayner & de Laat 2011): short accounts that follow the value cycles, from what
happened in the community to whether it changed how success is seen.

A member writes through the community's story link, without an account, and chooses to sign with a name or to stay
anonymous. The writer receives a personal key (shown once): with it they read what is stored about their story,
agree to or refuse an edit the coordinator proposes, or withdraw the story (erased at once). The coordinator curates:
publish, propose an edit (applied only with the writer's consent), or set aside. Published stories appear in the
community's dossier and, when the community shares them, in its organisation's portfolio.

A signed story is personal data: the name is stored only when the writer chose to sign, the key only as a hash.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from tinydb import Query

from . import clock, schema
from .clean import clean_text
from .communities import Communities, TableSpec
from .errors import AuthError, NotFound, ValidationError
from .ratelimit import FailureLimiter
from .roles import Permission, can
from .store import DamagedFileError

TABLE = 'stories'
LINK_TABLE = 'story_link'
# the value cycles a story walks through, in order (the writer fills in at least the first two)
CYCLES = ('happened', 'gave', 'did', 'difference', 'success')
REQUIRED = ('happened', 'gave')
TEXT_MAX = 1200
NAME_MAX = 100
STATUSES = ('new', 'published', 'set_aside')
MAX_STORIES = 2000


@dataclass(frozen=True)
class Story:
    id: str
    texts: dict[str, str]  # cycle -> text
    author: str  # the name the writer signed with; '' = anonymous
    status: str
    created: str
    proposal: dict[str, str] | None  # the coordinator's proposed texts, waiting for the writer's consent
    edited: bool  # an edit was applied with consent

    @property
    def signed(self) -> bool:
        return bool(self.author)

    @property
    def published(self) -> bool:
        return self.status == 'published'


def clean_texts(raw: Any) -> dict[str, str]:
    """The cycle texts, cleaned; the first two cycles are needed to make a story."""
    if not isinstance(raw, dict):
        raise ValidationError('error.invalid', 'texts')
    out = {c: clean_text(raw.get(c), TEXT_MAX, c, multiline=True) for c in CYCLES}
    for name in REQUIRED:
        if not out[name]:
            raise ValidationError('story.error.required', name)
    return out


STORY_RECORD = schema.Record(
    {
        'id': schema.Str(40, min=1),
        'texts': schema.MapOf(schema.Str(20), schema.Str(TEXT_MAX), len(CYCLES)),
        'author': schema.Str(NAME_MAX),
        'status': schema.Choice(*STATUSES),
        'created': schema.Day(),
        'proposal': schema.optional(schema.Nullable(schema.MapOf(schema.Str(20), schema.Str(TEXT_MAX), len(CYCLES)))),
        'edited': schema.optional(schema.Bool()),
        'key_hash': schema.private(schema.Str(64)),  # the writer's key stays on this server
    }
)
LINK_RECORD = schema.Record({'token': schema.private(schema.Str(64)), 'created': schema.Stamp()})


def _check(docs: list[dict[str, Any]]) -> None:
    for doc in docs:
        if not set(doc.get('texts', {})) <= set(CYCLES):
            raise ValidationError('error.invalid', 'texts')


class Stories:
    def __init__(self, communities: Communities) -> None:
        self.communities = communities
        # in memory only, counting stories sent (not failures): a member writes one or two, so 5 an hour per browser
        # and 60 an hour per address (a whole office behind one proxy) stop a script from filling the 2,000 places
        self.browser_limiter = FailureLimiter(5, 3600, 600, 3600, flood=None)
        self.address_limiter = FailureLimiter(60, 3600, 600, 3600, flood=None)
        communities.register_table(TableSpec(TABLE, STORY_RECORD, _check, max_records=MAX_STORIES))
        communities.register_table(TableSpec(LINK_TABLE, LINK_RECORD, unique=None, max_records=1, exported=False))

    def _db(self, cid: str):
        return self.communities.store.community(cid)

    # -- the link --------------------------------------------------------------------------------------------------

    def link_token(self, actor: str, cid: str) -> str | None:
        self.communities.get(actor, cid, Permission.EDIT)
        doc = self._db(cid).table(LINK_TABLE).get(doc_id=1)
        return doc['token'] if doc else None

    async def open_link(self, actor: str, cid: str, renew: bool = False) -> str:
        """The community's story link (made on first use; `renew`: a new one, the old link stops working)."""
        self.communities.get(actor, cid, Permission.EDIT)
        table = self._db(cid).table(LINK_TABLE)
        doc = table.get(doc_id=1)
        if doc is not None and not renew:
            return doc['token']
        token = secrets.token_urlsafe(24)
        table.truncate()
        table.insert({'token': token, 'created': clock.now_iso()})
        await self._db(cid).commit()
        return token

    def check_link(self, cid: Any, token: Any) -> str:
        """The community's name for a valid link; NotFound (one message) for anything else."""
        if not isinstance(cid, str) or not isinstance(token, str) or not 20 <= len(token) <= 64:
            raise NotFound('story.error.link')
        try:
            db = self._db(cid)
        except (KeyError, NotFound, DamagedFileError) as e:
            raise NotFound('story.error.link') from e
        doc = db.table(LINK_TABLE).get(doc_id=1)
        if doc is None or not secrets.compare_digest(doc['token'], token):
            raise NotFound('story.error.link')
        return (db.table('community').get(doc_id=1) or {}).get('name', '')

    # -- the writer's side (no account) ----------------------------------------------------------------------------

    async def submit(
        self, cid: str, token: str, texts: Any, author: Any = '', *, browser: str = '', client: str = ''
    ) -> tuple[str, Story]:
        """A new story through the link; returns the writer's key (shown once) and the story. `browser` (its session
        id) and `client` (the peer address) feed the in-memory limits only; neither is stored."""
        wait = max(
            self.browser_limiter.retry_after(f'browser:{browser}') if browser else 0,
            self.address_limiter.retry_after(f'address:{client}') if client else 0,
        )
        if wait:
            raise AuthError('story.error.too_often', retry_after=wait)
        self.check_link(cid, token)
        clean = clean_texts(texts)
        name = clean_text(author, NAME_MAX, 'author')
        table = self._db(cid).table(TABLE)
        if len(table) >= MAX_STORIES:
            raise ValidationError('story.error.too_many')
        key = secrets.token_urlsafe(18)
        doc = {
            'id': secrets.token_hex(6),
            'texts': clean,
            'author': name,
            'status': 'new',
            'created': clock.now_iso()[:10],
            'proposal': None,
            'edited': False,
            'key_hash': _hash(key),
        }
        table.insert(doc)
        if browser:
            self.browser_limiter.failure(f'browser:{browser}')  # counts stories sent, not failures
        if client:
            self.address_limiter.failure(f'address:{client}')
        await self._db(cid).commit()
        return key, _story(doc)

    def mine(self, cid: Any, key: Any) -> Story:
        """The story behind a writer's key; NotFound for anything else."""
        doc = self._by_key(cid, key)
        return _story(doc)

    def _by_key(self, cid: Any, key: Any) -> dict[str, Any]:
        if not isinstance(cid, str) or not isinstance(key, str) or not 10 <= len(key) <= 64:
            raise NotFound('story.error.key')
        try:
            doc = self._db(cid).table(TABLE).get(Query()['key_hash'] == _hash(key))
        except (KeyError, NotFound, DamagedFileError) as e:
            raise NotFound('story.error.key') from e
        if doc is None:
            raise NotFound('story.error.key')
        return doc

    async def consent(self, cid: str, key: str, agree: bool) -> Story:
        """The writer agrees to the proposed edit (it replaces the texts) or refuses it (the texts stay)."""
        doc = self._by_key(cid, key)
        if not doc.get('proposal'):
            raise ValidationError('story.error.no_proposal')
        change: dict[str, Any] = {'proposal': None}
        if agree:
            change |= {'texts': dict(doc['proposal']), 'edited': True}
        self._db(cid).table(TABLE).update(change, Query()['id'] == doc['id'])
        await self._db(cid).commit()
        return self.mine(cid, key)

    async def withdraw(self, cid: str, key: str) -> None:
        """The writer takes the story back: erased from the file and from the kept versions."""
        doc = self._by_key(cid, key)
        db = self._db(cid)
        db.table(TABLE).remove(Query()['id'] == doc['id'])
        await db.commit(backup=False)

        def drop(data: dict[str, Any]) -> bool:
            table = data.get(TABLE) or {}
            found = [k for k, v in table.items() if v.get('id') == doc['id']]
            for k in found:
                del table[k]
            return bool(found)

        await asyncio.to_thread(db.rewrite_backups, drop)

    # -- the coordinator's side ------------------------------------------------------------------------------------

    def stories(self, actor: str, cid: str, status: str | None = None) -> list[Story]:
        """Stories, newest first; coordinators and co-coordinators curate, a coach reads the published ones."""
        _, role = self.communities.get(actor, cid, Permission.VIEW)
        docs = self._db(cid).table(TABLE).all()
        out = [_story(d) for d in sorted(docs, key=lambda d: (d.get('created', ''), d.doc_id), reverse=True)]
        if not can(role, Permission.EDIT):
            out = [s for s in out if s.published]
        return [s for s in out if status is None or s.status == status]

    def published(self, cid: str) -> list[Story]:
        """Published stories, newest first, without a role check (the dossier and the portfolio check first)."""
        docs = self._db(cid).table(TABLE).search(Query()['status'] == 'published')
        return [_story(d) for d in sorted(docs, key=lambda d: (d.get('created', ''), d.doc_id), reverse=True)]

    async def set_status(self, actor: str, cid: str, story_id: Any, status: str) -> Story:
        self.communities.get(actor, cid, Permission.EDIT)
        if status not in STATUSES:
            raise ValidationError('error.invalid', 'status')
        self._find(cid, story_id)
        self._db(cid).table(TABLE).update({'status': status}, Query()['id'] == story_id)
        await self._db(cid).commit()
        return _story(self._find(cid, story_id))

    async def propose(self, actor: str, cid: str, story_id: Any, texts: Any) -> Story:
        """An edit the writer must agree to before it replaces their words."""
        self.communities.get(actor, cid, Permission.EDIT)
        doc = self._find(cid, story_id)
        clean = clean_texts(texts)
        if clean == doc['texts']:
            raise ValidationError('story.error.unchanged')
        self._db(cid).table(TABLE).update({'proposal': clean}, Query()['id'] == story_id)
        await self._db(cid).commit()
        return _story(self._find(cid, story_id))

    def _find(self, cid: str, story_id: Any) -> dict[str, Any]:
        doc = self._db(cid).table(TABLE).get(Query()['id'] == story_id) if isinstance(story_id, str) else None
        if doc is None:
            raise NotFound('story.error.unknown')
        return doc


def _story(doc: dict[str, Any]) -> Story:
    return Story(
        id=doc['id'],
        texts={c: doc.get('texts', {}).get(c, '') for c in CYCLES},
        author=doc.get('author', ''),
        status=doc.get('status', 'new'),
        created=doc.get('created', ''),
        proposal=dict(doc['proposal']) if doc.get('proposal') else None,
        edited=bool(doc.get('edited')),
    )


def _hash(key: str) -> str:
    return hashlib.sha256(('story|' + key).encode()).hexdigest()
