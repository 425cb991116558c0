"""The data subject's rights: erase my account (GDPR Article 17) and download my data (Article 20).

Erasure is done by one rule applied everywhere the person can appear, so it cannot miss a part of the toolbox that
someone adds later:
- in the accounts file, every document that *belongs* to the person (their account, memberships, personal profile
  sheets, sessions: a document whose `id`/`user_id`/`owner`/`uid` is theirs) is removed;
- everywhere else (the rest of the accounts file and every community file), references to the person are replaced:
  their user id by `FORMER_ID`, their name and e-mail by "former member" in the community's language: as a whole
  value (an action's owner), and inside free text for the e-mail and a name of two or more words (a one-word name
  inside a sentence may be a namesake). The items themselves (actions, guide answers, scores) stay.
The same rule rewrites the kept backups, so no earlier version brings the name back.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import clock
from .accounts import Accounts, User
from .communities import COMMUNITY_TABLE, Communities
from .errors import AuthError, ValidationError
from .i18n import Catalog, Translator
from .inventory import FIELDS, Inventory, Limits, Operator, load_inventory, register_csv, register_html
from .oidc import LINKS as SIGN_IN_LINKS
from .profile import TABLE as PROFILES
from .store import ID_PATTERN, META_TABLE, DamagedFileError, Database, _write_synced, fsync_dir, parse_json_object

log = logging.getLogger(__name__)

FORMER_ID = 'former-member'  # stands for an erased account wherever a user id was kept
OWNER_KEYS = ('user_id', 'user', 'owner', 'uid', 'owner_id')  # a document with one of these set to the person is theirs
PERSONAL_TABLES_KEY = 'id'  # in the accounts file's `users` table, the account itself
EXPORT_FORMAT = 'cop-toolbox/my-data'

Action = dict[str, Any] | None  # a document's new content, or None: remove it
REMOVE: Action = None


@dataclass(frozen=True)
class Person:
    """Who is being erased, and the strings that identify them in stored data."""

    id: str
    name: str
    email: str

    def needles(self) -> list[str]:
        return [n for n in (self.id, self.email.lower(), self.name.lower()) if n]


@dataclass
class ErasureReport:
    """What an erasure touched, in counts only (it is logged: no personal data)."""

    communities: int = 0
    documents_removed: int = 0
    documents_rewritten: int = 0
    backups_rewritten: int = 0
    damaged_skipped: int = 0  # community files that could not be read, hence not scrubbed
    details: dict[str, int] = field(default_factory=dict)


class Scrubber:
    """Replaces every reference to one person inside a JSON value, with a label in one language."""

    def __init__(self, person: Person, label: str) -> None:
        self.person = person
        self.label = label
        self._ids = {person.id: FORMER_ID, f'u:{person.id}': f'u:{FORMER_ID}'}
        self._whole = {w.casefold() for w in (person.email, person.name) if w and w.strip()}
        # Inside longer text only what identifies this person and nobody else: the e-mail, and a name of two words
        # or more. A one-word name ('Jan') is replaced where it is the whole value (an owner, a presence name), not
        # inside other people's sentences, where it would just as well be a namesake.
        words = [re.escape(w) for w in (person.email, person.name) if w and (w == person.email or len(w.split()) > 1)]
        self._text = re.compile(r'(?<!\w)(' + '|'.join(words) + r')(?!\w)', re.IGNORECASE) if words else None

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self._string(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {self._string(k) if isinstance(k, str) else k: self.value(v) for k, v in value.items()}
        return value

    def _string(self, text: str) -> str:
        if text in self._ids:
            return self._ids[text]
        if text.strip().casefold() in self._whole:
            return self.label
        if self._text is None:
            return text
        return self._text.sub(self.label, text)


def plan_document(table: str, doc: dict[str, Any], scrubber: Scrubber, *, accounts_file: bool) -> Action | bool:
    """What erasure does to one stored document: False (unchanged), REMOVE, or its new content."""
    if table == META_TABLE:
        return False
    uid = scrubber.person.id
    if accounts_file and (
        (table == 'users' and doc.get(PERSONAL_TABLES_KEY) == uid) or any(doc.get(k) == uid for k in OWNER_KEYS)
    ):
        return REMOVE
    new = scrubber.value(dict(doc))
    return False if new == dict(doc) else new


def scrub_raw(data: dict[str, Any], scrubber: Scrubber, *, accounts_file: bool) -> tuple[int, int]:
    """Apply erasure to a data file's raw content ({table: {doc id: doc}}) in place; returns (removed, rewritten)."""
    removed = rewritten = 0
    for table, docs in data.items():
        for doc_id in list(docs):
            action = plan_document(table, docs[doc_id], scrubber, accounts_file=accounts_file)
            if action is REMOVE:
                del docs[doc_id]
                removed += 1
            elif action is not False:
                docs[doc_id] = action
                rewritten += 1
    return removed, rewritten


def scrub_database(db: Database, scrubber: Scrubber, *, accounts_file: bool) -> tuple[int, int]:
    """The same, on an open database, through TinyDB's API (so its caches stay right). The caller commits."""
    removed = rewritten = 0
    for name in sorted(db.tinydb.tables()):
        table = db.table(name)
        for doc in table.all():
            action = plan_document(name, doc, scrubber, accounts_file=accounts_file)
            if action is REMOVE:
                table.remove(doc_ids=[doc.doc_id])
                removed += 1
            elif action is not False:

                def replace(stored: dict[str, Any], new: dict[str, Any] = action) -> None:
                    stored.clear()
                    stored.update(new)

                table.update(replace, doc_ids=[doc.doc_id])
                rewritten += 1
    return removed, rewritten


def mentions(raw: bytes, person: Person) -> bool:
    """Whether a file's bytes may hold a reference to the person (cheap test before parsing). JSON may escape
    non-ASCII characters, so the test is made on the decoded text."""
    text = json.dumps(json.loads(raw.decode('utf-8')), ensure_ascii=False).lower()
    return any(needle in text for needle in person.needles())


def rewrite_backup(path: Path, scrubber: Scrubber, *, accounts_file: bool) -> bool:
    """Erase the person from one kept version; True if it changed. The file is replaced atomically, never edited."""
    raw = path.read_bytes()
    data = parse_json_object(raw, path)
    removed, rewritten = scrub_raw(data, scrubber, accounts_file=accounts_file)
    if not (removed or rewritten):
        return False
    tmp = path.with_name(path.name + '.tmp')
    _write_synced(tmp, json.dumps(data, ensure_ascii=False, separators=(',', ':')).encode('utf-8'))
    tmp.replace(path)
    fsync_dir(path.parent)
    return True


class Privacy:
    """Erase an account; gather everything linked to an account."""

    def __init__(
        self,
        communities: Communities,
        accounts: Accounts,
        ui: Catalog,
        *,
        inventory: Inventory | None = None,
        operator: Operator | None = None,
        limits: Limits | None = None,
        forget: list[Callable[[str, str, str], None]] | None = None,
    ) -> None:
        self.inventory = inventory or load_inventory()
        self.operator = operator or Operator()
        self.limits = limits or Limits()
        self.communities = communities
        self.accounts = accounts
        self.store = communities.store
        self.ui = ui
        # called after a community was scrubbed, with (community id, user id, label): for parts that keep the
        # community's data in memory too (live rooms), so they drop or fix their copy
        self.forget = forget or []

    def label(self, lang: str) -> str:
        return self.ui.text('privacy.former_member', lang)

    # -- the notice and the register -----------------------------------------------------------------------------

    def register(self, lang: str, kind: str) -> tuple[bytes, str, str]:
        """The GDPR Article 30 register entry as (content, file name, media type); kind is 'csv' or 'html'."""
        headers = {key: self.ui.text(f'notice.{key}', lang) for key in ('controller', 'contact', 'kinds', 'id')}
        headers['title'] = self.ui.text('notice.title_column', lang)
        headers |= {key: self.ui.text(f'notice.{key}', lang) for key in ('purposes', 'data_subjects', 'recipients')}
        headers |= {key: self.ui.text(f'notice.{key}', lang) for key in ('security', *FIELDS)}
        if kind == 'csv':
            payload = register_csv(self.inventory, self.operator, self.limits, lang, headers)
            return payload, 'processing-register.csv', 'text/csv; charset=utf-8'
        title = self.ui.text('notice.register', lang)
        payload = register_html(self.inventory, self.operator, self.limits, lang, headers, title)
        return payload, 'processing-register.html', 'text/html; charset=utf-8'

    # -- erasure -------------------------------------------------------------------------------------------------

    def blockers(self, user_id: str) -> list[str]:
        """Names of the communities where this user is the last coordinator: to hand over or delete first."""
        return [m.name for m in self.communities.sole_coordinator_of(user_id)]

    async def delete_account(
        self, user_id: str, password: str, client_key: str, *, confirmed_at_provider: bool = False
    ) -> ErasureReport:
        """Erase the account after checking its password, or (an account without one, or passwords off) after its
        owner signed in again at the organisation's provider (`confirmed_at_provider`, from core/oidc.py). Nothing
        changes on a wrong password (AuthError or ValidationError with a message key) or while the user is the last
        coordinator of a community."""
        user = self.accounts.get(user_id)
        if user is None:
            raise AuthError('auth.error.invalid')
        if not confirmed_at_provider:
            try:
                await self.accounts.authenticate(user.email, password, client_key)
            except AuthError as e:
                if e.key == 'auth.error.locked':
                    raise
                raise ValidationError('privacy.delete.wrong_password', 'password') from e
        if self.blockers(user_id):
            raise ValidationError('privacy.delete.blocked', 'password', names=', '.join(self.blockers(user_id)))
        return await self.erase(user)

    async def erase(self, user: User) -> ErasureReport:
        """Erase without any check (retention of inactive accounts; the caller has decided)."""
        self.accounts.credentials_changed(user.id)  # its sessions end first, and its open pages close
        person = Person(user.id, user.name, user.email)
        report = ErasureReport()
        member_of = {m.community_id for m in self.communities.memberships(user.id)}
        theirs = {cid for cid in member_of if self.store.community_exists(cid)}
        # reading every other community file is file I/O: done in a worker thread
        candidates = theirs | await asyncio.to_thread(self._files_mentioning, person, theirs)
        for cid in sorted(candidates):
            try:
                db = self.store.community(cid)
            except (KeyError, DamagedFileError):  # cannot be read, so cannot be scrubbed: counted in the log
                report.damaged_skipped += 1
                continue
            lang = (db.table(COMMUNITY_TABLE).get(doc_id=1) or {}).get('language', user.lang)
            scrubber = Scrubber(person, self.label(lang))
            removed, rewritten = scrub_database(db, scrubber, accounts_file=False)
            await db.commit()
            for hook in self.forget:
                hook(cid, user.id, scrubber.label)
            report.communities += 1
            report.documents_removed += removed
            report.documents_rewritten += rewritten
        removed, rewritten = scrub_database(
            self.store.accounts, Scrubber(person, self.label(user.lang)), accounts_file=True
        )
        await self.store.accounts.commit()
        report.documents_removed += removed
        report.documents_rewritten += rewritten
        report.backups_rewritten = await asyncio.to_thread(self._scrub_backups, person, user.lang)
        log.info(
            'account erased: %d communities, %d documents removed, %d rewritten, %d backups rewritten, %d unreadable',
            report.communities,
            report.documents_removed,
            report.documents_rewritten,
            report.backups_rewritten,
            report.damaged_skipped,
        )
        return report

    def _files_mentioning(self, person: Person, skip: set[str]) -> set[str]:
        """The other community files that mention the person (a community they left, a name typed by others)."""
        found = set()
        for path in self.store.communities_dir.glob('*.json'):
            cid = path.stem
            if cid in skip or not ID_PATTERN.fullmatch(cid):
                continue
            try:
                parts = path.with_suffix('')  # the community's parts (core/store.py): answers by round
                raws = [path.read_bytes(), *(p.read_bytes() for p in sorted(parts.glob('*.json')))]
                if any(mentions(raw, person) for raw in raws):
                    found.add(cid)
            except (OSError, ValueError):
                found.add(cid)  # unreadable here: the loop above tries it and counts it if it stays unreadable
        return found

    def _scrub_backups(self, person: Person, lang: str) -> int:
        count = 0
        # every kept version's main file (backups/<file>/<version>.json) and its parts (backups/<file>/<version>/)
        for path in sorted(self.store.backups_dir.rglob('*.json')):
            accounts_file = path.parent.name == 'accounts'
            try:
                if not mentions(path.read_bytes(), person):
                    continue
                scrubber = Scrubber(person, self.label(lang))
                count += rewrite_backup(path, scrubber, accounts_file=accounts_file)
            except (OSError, ValueError):
                log.warning('a backup that cannot be read was deleted during an erasure')
                path.unlink(missing_ok=True)
        return count

    # -- download my data ----------------------------------------------------------------------------------------

    def my_data(self, user_id: str, requested_id: str | None = None) -> dict[str, Any]:
        """Everything linked to the account, as one JSON-ready document. Only ever the caller's own data: a request
        for another account's id is refused (PermissionDenied-like ValidationError), whatever the caller's role."""
        if requested_id is not None and requested_id != user_id:
            raise ValidationError('privacy.download.not_yours')
        user = self.accounts.get(user_id)
        if user is None:
            raise AuthError('auth.error.invalid')
        accounts_db = self.store.accounts
        memberships = []
        contributions: dict[str, Any] = {}
        for m in self.communities.memberships(user_id):
            memberships.append({'community': m.name, 'community_id': m.community_id, 'role': m.role.value})
            if m.community is None:
                continue
            found = _written_by(self.store.community(m.community_id), user)
            if found:
                contributions[m.name] = found
        account = {k: v for k, v in asdict(user).items() if k != 'auth_epoch'}
        return {
            'format': EXPORT_FORMAT,
            'exported': clock.now_iso(),
            'account': account,
            'memberships': memberships,
            'profiles': _plain(accounts_db.table(PROFILES).search(lambda d: d.get('owner') == user_id)),
            'invitations_sent': [
                {k: d.get(k) for k in ('community_id', 'role', 'created', 'expires', 'used')}
                for d in accounts_db.table('invites').all()
                if d.get('invited_by') == user_id
            ],
            'sign_in_links': [  # the organisation's sign-in (core/oidc.py): issuer and subject
                {k: d.get(k) for k in ('issuer', 'sub', 'linked')}
                for d in accounts_db.table(SIGN_IN_LINKS).search(lambda d: d.get('user_id') == user_id)
            ],
            'organisations': _officer_of(accounts_db, user_id),
            'written_in_communities': contributions,
        }


def _written_by(db: Database, user: User) -> dict[str, list[dict[str, Any]]]:
    """Documents of a community file that name the user or carry their id (guide answers, actions, sheets...)."""
    scrubber = Scrubber(Person(user.id, user.name, user.email), '\0')
    found: dict[str, list[dict[str, Any]]] = {}
    for name in sorted(db.tinydb.tables()):
        if name in (META_TABLE, COMMUNITY_TABLE):
            continue
        docs = [dict(d) for d in db.table(name).all() if scrubber.value(dict(d)) != dict(d)]
        if docs:
            found[name] = docs
    return found


def _officer_of(accounts_db: Database, user_id: str) -> list[dict[str, Any]]:
    """The organisations the person is a KM officer of (core/organisations.py's tables, read by name)."""
    names = {d.get('id'): d.get('name', '') for d in accounts_db.table('organisations').all()}
    return [
        {'organisation': names.get(d.get('org_id'), ''), 'since': d.get('since')}
        for d in accounts_db.table('org_officers').all()
        if d.get('user_id') == user_id
    ]


def _plain(docs: list[Any]) -> list[dict[str, Any]]:
    return [dict(d) for d in docs]


def to_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode('utf-8')


def to_html(data: dict[str, Any], t: Translator) -> bytes:
    """A readable, self-contained page of the same data (for people, not programs)."""
    e = html.escape
    parts = [
        f'<!doctype html><html lang="{e(t.html_lang)}"><head><meta charset="utf-8">',
        f'<title>{e(t("privacy.download.title"))}</title>',
        '<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}'
        'table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;'
        'vertical-align:top}pre{white-space:pre-wrap;background:#f4f4f4;padding:.5rem}</style></head><body>',
        f'<h1>{e(t("privacy.download.title"))}</h1>',
        f'<p>{e(t("privacy.download.exported", date=data["exported"][:10]))}</p>',
        f'<h2>{e(t("privacy.download.account"))}</h2><table>',
    ]
    for key, value in data['account'].items():
        parts.append(f'<tr><th scope="row">{e(key)}</th><td>{e(str(value))}</td></tr>')
    parts.append(f'</table><h2>{e(t("privacy.download.memberships"))}</h2><ul>')
    for m in data['memberships']:
        parts.append(f'<li>{e(m["community"])}: {e(t("role." + m["role"]))}</li>')
    parts.append('</ul>')
    for key in ('profiles', 'invitations_sent', 'sign_in_links', 'organisations', 'written_in_communities'):
        parts.append(f'<h2>{e(t("privacy.download." + key))}</h2>')
        value = data[key]
        parts.append(f'<pre>{e(json.dumps(value, ensure_ascii=False, indent=1))}</pre>' if value else '<p>—</p>')
    parts.append(f'<h2>{e(t("privacy.download.anonymous_title"))}</h2><p>{e(t("privacy.download.anonymous"))}</p>')
    parts.append('</body></html>')
    return ''.join(parts).encode('utf-8')


def ittools_forgetter(ittools: Any) -> Callable[[str, str, str], None]:
    """The IT-tools live rooms keep a comparison (authors' display names included) in memory: after an erasure in a
    community they read it again from the scrubbed file."""

    def forget(cid: str, user_id: str, label: str) -> None:
        ittools.rooms.reload(cid)

    return forget
