"""Communities: their fields, who belongs to them in which role, invitations, deletion, export and import.

Memberships and invitations live in the accounts file (so a user's list needs no community file); everything about
the community itself lives in its own file, which deletion erases together with its backups.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from tinydb import Query

from . import clock, schema
from .accounts import Accounts
from .changes import Changes
from .clean import clean_text, whole_number
from .errors import NotFound, PermissionDenied, ValidationError
from .i18n import LANGUAGES
from .roles import INVITABLE, INVITATION_ROLES, Permission, Role, require
from .store import SCHEMA_VERSIONS, BackupInfo, DamagedFileError, Store

STAGES = ('potential', 'coalescing', 'maturing', 'stewardship', 'transformation')
LIMITS = {'name': 120, 'purpose': 300, 'sponsor': 120}
MAX_MEMBERS = 100_000
INVITE_DAYS = 14
EXPORT_FORMAT = 'cop-toolbox/community'
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_DEPTH = 32  # nesting levels of an export file; a real one has fewer than ten
COMMUNITY_TABLE = 'community'

COMMUNITY_FIELDS = schema.Record(
    {
        'name': schema.Str(LIMITS['name'], min=1),
        'purpose': schema.optional(schema.Str(LIMITS['purpose'])),
        'stage': schema.Choice(*STAGES),
        'sponsor': schema.optional(schema.Str(LIMITS['sponsor'])),
        'expected_members': schema.optional(schema.Nullable(schema.Int(1, MAX_MEMBERS))),
        'language': schema.Choice(*LANGUAGES),
    }
)


@dataclass(frozen=True)
class TableSpec:
    """A table of a community's file that a part of the toolbox owns, as export and import see it.

    `record` declares every field of its documents; `check` holds the rules the shape cannot say (an answer fits its
    instrument, a schedule ends before midnight), raising ValidationError; `unique` names the field no two documents
    may share; `select` chooses which documents an export carries (answers below their threshold stay home);
    `exported=False` keeps the whole table home (an import still checks it, then drops it)."""

    name: str
    record: schema.Record
    check: schema.Check | None = None
    unique: str | None = 'id'
    max_records: int = 10_000
    select: Callable[[Any, list[dict[str, Any]]], list[dict[str, Any]]] | None = None
    exported: bool = True


@dataclass(frozen=True)
class Community:
    id: str
    name: str
    purpose: str
    stage: str
    sponsor: str
    expected_members: int | None
    language: str
    created: str
    updated: str


@dataclass(frozen=True)
class Membership:
    community_id: str
    role: Role
    name: str  # the community's name as last known, so a damaged file can still be named
    community: Community | None
    damaged: str | None = None  # why the community's file cannot be read


@dataclass(frozen=True)
class Member:
    user_id: str
    name: str
    email: str
    role: Role


@dataclass(frozen=True)
class Invitation:
    id: str
    community_id: str
    community_name: str
    role: Role
    invited_by: str
    created: str
    expires: str
    used: bool
    email: str = ''  # sent by mail to this address (empty: a link copied by hand)
    lang: str = ''  # the language of the mail
    mail_id: str = ''  # the mail's status in core/mail.py

    @property
    def expired(self) -> bool:
        return datetime.fromisoformat(self.expires) <= clock.now()


def validate_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """Clean and check community fields; ValidationError names the first bad field."""
    out: dict[str, Any] = {}
    for name in ('name', 'purpose', 'sponsor'):
        out[name] = clean_text(raw.get(name), LIMITS[name], name)  # no control characters; what is not text refused
    if not out['name']:
        raise ValidationError('community.error.name_required', 'name')
    stage = raw.get('stage') or 'potential'
    if stage not in STAGES:
        raise ValidationError('error.invalid', 'stage')
    out['stage'] = stage
    members = raw.get('expected_members')
    if members in (None, ''):
        out['expected_members'] = None
    else:
        out['expected_members'] = whole_number(
            members, 1, MAX_MEMBERS, 'community.error.members', 'expected_members', max=MAX_MEMBERS
        )
    language = raw.get('language') or 'nl'
    if language not in LANGUAGES:
        raise ValidationError('error.invalid', 'language')
    out['language'] = language
    return out


class Communities:
    def __init__(self, store: Store, accounts: Accounts, changes: Changes | None = None) -> None:
        self.store = store
        self.accounts = accounts
        self.changes = changes or Changes()  # the services of the parts publish their changes here, after a commit
        self.tables: dict[str, TableSpec] = {}

    def register_table(self, spec: TableSpec) -> None:
        """A part of the toolbox declares a table it owns, when its service is built (the only moment: the rules may
        need its content, such as the instruments' versions)."""
        self.tables[spec.name] = spec

    # -- reading -----------------------------------------------------------------------------------------------

    @property
    def _memberships(self):
        return self.store.accounts.table('memberships')

    @property
    def _invites(self):
        return self.store.accounts.table('invites')

    def role_of(self, user_id: str, cid: str) -> Role | None:
        doc = self._memberships.get((Query()['user_id'] == user_id) & (Query()['community_id'] == cid))
        return Role(doc['role']) if doc else None

    def memberships(self, user_id: str) -> list[Membership]:
        """The user's communities, coordinator ones first, then by name; damaged ones included and flagged."""
        result = []
        for doc in self._memberships.search(Query()['user_id'] == user_id):
            cid = doc['community_id']
            try:
                community = self._load(cid)
                result.append(Membership(cid, Role(doc['role']), community.name, community))
            except DamagedFileError as e:
                result.append(Membership(cid, Role(doc['role']), doc.get('name', ''), None, e.reason))
            except NotFound:
                continue  # a file deleted outside the application: nothing to show
        order = {Role.COORDINATOR: 0, Role.CO_COORDINATOR: 1, Role.COACH: 2}
        return sorted(result, key=lambda m: (order[m.role], m.name.casefold()))

    def get(self, user_id: str, cid: str, permission: Permission = Permission.VIEW) -> tuple[Community, Role]:
        """The community and the user's role, if the role grants `permission`. DamagedFileError passes through."""
        role = self.role_of(user_id, cid)
        if role is None:
            raise NotFound()
        require(role, permission)
        return self._load(cid), role

    def _load(self, cid: str) -> Community:
        try:
            db = self.store.community(cid)
        except KeyError as e:
            raise NotFound() from e
        doc = db.table(COMMUNITY_TABLE).get(doc_id=1)
        if doc is None:
            raise DamagedFileError(db.path, 'holds no community record')
        return _community(cid, doc)

    # -- writing -----------------------------------------------------------------------------------------------

    def require_confirmed(self, user_id: str) -> None:
        """Creating or joining a community needs a confirmed address (see core/registration.py)."""
        user = self.accounts.get(user_id)
        if user is None or not user.confirmed:
            raise PermissionDenied('auth.error.unconfirmed')

    async def create(self, user_id: str, fields: dict[str, Any]) -> Community:
        self.require_confirmed(user_id)
        clean = validate_fields(fields)
        cid = secrets.token_hex(8)
        now = clock.now_iso()
        db = self.store.create_community(cid)
        db.table(COMMUNITY_TABLE).insert({**clean, 'created': now, 'updated': now})
        await db.commit()
        self._memberships.insert(
            {
                'user_id': user_id,
                'community_id': cid,
                'role': Role.COORDINATOR.value,
                'name': clean['name'],
                'since': now,
            }
        )
        await self.store.accounts.commit()
        return self._load(cid)

    async def update(self, user_id: str, cid: str, fields: dict[str, Any]) -> Community:
        self.get(user_id, cid, Permission.EDIT)
        clean = validate_fields(fields)
        db = self.store.community(cid)
        db.table(COMMUNITY_TABLE).update({**clean, 'updated': clock.now_iso()}, doc_ids=[1])
        await db.commit()
        self._memberships.update({'name': clean['name']}, Query()['community_id'] == cid)
        await self.store.accounts.commit()
        self.changes.publish(cid, 'basics', user_id)
        return self._load(cid)

    async def delete(self, user_id: str, cid: str) -> None:
        """Erase the community: its file, every backup of it, memberships and invitations."""
        role = self.role_of(user_id, cid)
        if role is None:
            raise NotFound()
        require(role, Permission.MANAGE)
        self.store.erase_community(cid)
        self._memberships.remove(Query()['community_id'] == cid)
        self._invites.remove(Query()['community_id'] == cid)
        self.store.accounts.table('org_links').remove(Query()['community_id'] == cid)  # core/organisations.py
        await self.store.accounts.commit()

    # -- damaged files -----------------------------------------------------------------------------------------

    def backups(self, user_id: str, cid: str) -> list[BackupInfo]:
        require(self.role_of(user_id, cid), Permission.MANAGE)
        good = []
        for info in self.store.community_backups(cid):
            try:
                self.store.read_community_backup(cid, info)  # the main file and every part of that version
                good.append(info)
            except (DamagedFileError, OSError):
                continue
        return good

    async def restore(self, user_id: str, cid: str, backup_name: str) -> Community:
        require(self.role_of(user_id, cid), Permission.MANAGE)
        if backup_name not in {b.name for b in self.backups(user_id, cid)}:
            raise NotFound()
        self.store.restore_community(cid, backup_name)
        community = self._load(cid)
        self._memberships.update({'name': community.name}, Query()['community_id'] == cid)
        await self.store.accounts.commit()
        return community

    # -- members and invitations -------------------------------------------------------------------------------

    def members(self, user_id: str, cid: str) -> list[Member]:
        self.get(user_id, cid)
        members = []
        for doc in self._memberships.search(Query()['community_id'] == cid):
            user = self.accounts.get(doc['user_id'])
            if user is not None:
                members.append(Member(user.id, user.name, user.email, Role(doc['role'])))
        order = {Role.COORDINATOR: 0, Role.CO_COORDINATOR: 1, Role.COACH: 2}
        return sorted(members, key=lambda m: (order[m.role], m.name.casefold()))

    def account_names(self, cid: str) -> set[str]:
        """The display names (casefolded) of everyone with an account and a role in the community, without a role
        check: a meeting participant may not take one of them, so that nobody can pass for an account holder."""
        names = set()
        for doc in self._memberships.search(Query()['community_id'] == cid):
            user = self.accounts.get(doc['user_id'])
            if user is not None:
                names.add(' '.join(user.name.split()).casefold())
        return names

    async def invite(
        self, user_id: str, cid: str, role: Role | str, *, email: str = '', lang: str = ''
    ) -> tuple[str, Invitation]:
        """Create a one-time invitation; returns the secret token (shown once) and the invitation. With `email`, it
        is to be mailed there in `lang` (core/invitations.py)."""
        community, _ = self.get(user_id, cid, Permission.MANAGE)
        try:
            role = Role(role)
        except ValueError as e:
            raise ValidationError('error.invalid', 'role') from e
        if role not in INVITATION_ROLES:
            raise ValidationError('error.invalid', 'role')
        token = secrets.token_urlsafe(24)
        now = clock.now()
        doc = {
            'id': secrets.token_hex(8),
            'token_hash': _token_hash(token),
            'community_id': cid,
            'role': role.value,
            'invited_by': user_id,
            'created': now.isoformat(timespec='seconds'),
            'expires': (now + timedelta(days=INVITE_DAYS)).isoformat(timespec='seconds'),
            'used': False,
            **({'email': email, 'lang': lang} if email else {}),
        }
        self._invites.insert(doc)
        await self.store.accounts.commit()
        return token, self._invitation(doc, community.name)

    def invitations(self, user_id: str, cid: str) -> list[Invitation]:
        """Open (unused, unexpired) invitations of a community."""
        community, _ = self.get(user_id, cid, Permission.MANAGE)
        docs = self._invites.search((Query()['community_id'] == cid) & (Query()['used'] == False))  # noqa: E712
        invitations = [self._invitation(d, community.name) for d in docs]
        return sorted([i for i in invitations if not i.expired], key=lambda i: i.created)

    def invitation(self, token: str) -> Invitation:
        """The invitation behind a token (NotFound if unknown); the caller checks `used` and `expired`."""
        doc = self._invites.get(Query()['token_hash'] == _token_hash(token or ''))
        if doc is None:
            raise NotFound('invite.error.unknown')
        try:
            name = self._load(doc['community_id']).name
        except (NotFound, DamagedFileError):
            name = ''
        return self._invitation(doc, name)

    async def accept(self, user_id: str, token: str) -> str:
        """Join the community of an invitation; returns its id. The token can be used once."""
        invitation = self.invitation(token)
        self.require_confirmed(user_id)
        if invitation.used:
            raise ValidationError('invite.error.used')
        if invitation.expired:
            raise ValidationError('invite.error.expired')
        cid = invitation.community_id
        if invitation.role == Role.COORDINATOR and self.role_of(user_id, cid) is not None:  # a hand-over to a member
            self._memberships.update(
                {'role': Role.COORDINATOR.value}, (Query()['user_id'] == user_id) & (Query()['community_id'] == cid)
            )
        if self.role_of(user_id, cid) is None:
            self._memberships.insert(
                {
                    'user_id': user_id,
                    'community_id': cid,
                    'role': invitation.role.value,
                    'name': invitation.community_name,
                    'since': clock.now_iso(),
                }
            )
        self._invites.update({'used': True, 'used_by': user_id}, Query()['id'] == invitation.id)
        await self.store.accounts.commit()
        return cid

    def renew(self, user_id: str, cid: str, invitation_id: str) -> tuple[str, Invitation]:
        """A new secret and a new expiry for an open invitation (to send it again): the old link stops working.
        The caller commits."""
        community, _ = self.get(user_id, cid, Permission.MANAGE)
        found = (Query()['id'] == invitation_id) & (Query()['community_id'] == cid) & (Query()['used'] == False)  # noqa: E712
        if self._invites.get(found) is None:
            raise NotFound()
        token = secrets.token_urlsafe(24)
        expires = (clock.now() + timedelta(days=INVITE_DAYS)).isoformat(timespec='seconds')
        self._invites.update({'token_hash': _token_hash(token), 'expires': expires}, found)
        return token, self._invitation(self._invites.get(found), community.name)

    def set_invitation_mail(self, invitation_id: str, mail_id: str) -> None:
        """Remember which mail carried the invitation (its status is shown); the caller commits."""
        self._invites.update({'mail_id': mail_id}, Query()['id'] == invitation_id)

    async def revoke(self, user_id: str, cid: str, invitation_id: str) -> None:
        self.get(user_id, cid, Permission.MANAGE)
        removed = self._invites.remove((Query()['id'] == invitation_id) & (Query()['community_id'] == cid))
        if not removed:
            raise NotFound()
        await self.store.accounts.commit()

    async def set_role(self, user_id: str, cid: str, member_id: str, role: Role | str) -> None:
        self.get(user_id, cid, Permission.MANAGE)
        try:
            role = Role(role)
        except ValueError as e:
            raise ValidationError('error.invalid', 'role') from e
        if member_id == user_id or role not in INVITABLE:
            raise PermissionDenied('community.error.own_role')
        updated = self._memberships.update(
            {'role': role.value}, (Query()['user_id'] == member_id) & (Query()['community_id'] == cid)
        )
        if not updated:
            raise NotFound()
        await self.store.accounts.commit()

    async def remove_member(self, user_id: str, cid: str, member_id: str) -> None:
        """The coordinator removes someone, or anyone who is not the coordinator leaves."""
        if member_id == user_id:
            if self.role_of(user_id, cid) is None or self.is_last_coordinator(user_id, cid):
                raise PermissionDenied('community.error.owner_leave')
        else:
            self.get(user_id, cid, Permission.MANAGE)
        removed = self._memberships.remove((Query()['user_id'] == member_id) & (Query()['community_id'] == cid))
        if not removed:
            raise NotFound()
        await self.store.accounts.commit()

    # -- coordination: several coordinators, hand-over, the last one stays ------------------------------------------

    def coordinators(self, cid: str) -> list[str]:
        """The user ids holding the coordinator role in a community."""
        docs = self._memberships.search((Query()['community_id'] == cid) & (Query()['role'] == Role.COORDINATOR.value))
        return [d['user_id'] for d in docs]

    def is_last_coordinator(self, user_id: str, cid: str) -> bool:
        return self.coordinators(cid) == [user_id]

    def sole_coordinator_of(self, user_id: str) -> list[Membership]:
        """The communities that would be left without a coordinator if this user went: to hand over or delete first."""
        return [
            m
            for m in self.memberships(user_id)
            if m.role == Role.COORDINATOR and self.is_last_coordinator(user_id, m.community_id)
        ]

    async def hand_over(self, user_id: str, cid: str, member_id: str, *, step_down: bool = False) -> None:
        """Make a member of the community a coordinator; with `step_down`, the actor becomes co-coordinator.
        Several coordinators may share a community, so nothing is lost if the actor stays too."""
        self.get(user_id, cid, Permission.MANAGE)
        if not isinstance(member_id, str) or member_id == user_id:
            raise ValidationError('handover.error.self', 'member')
        if self.role_of(member_id, cid) is None:
            raise NotFound('handover.error.not_member')
        self._memberships.update(
            {'role': Role.COORDINATOR.value}, (Query()['user_id'] == member_id) & (Query()['community_id'] == cid)
        )
        if step_down:
            self._memberships.update(
                {'role': Role.CO_COORDINATOR.value}, (Query()['user_id'] == user_id) & (Query()['community_id'] == cid)
            )
        await self.store.accounts.commit()

    async def step_down(self, user_id: str, cid: str) -> None:
        """A coordinator becomes co-coordinator, if another coordinator remains."""
        self.get(user_id, cid, Permission.MANAGE)
        if self.is_last_coordinator(user_id, cid):
            raise PermissionDenied('community.error.last_coordinator')
        self._memberships.update(
            {'role': Role.CO_COORDINATOR.value}, (Query()['user_id'] == user_id) & (Query()['community_id'] == cid)
        )
        await self.store.accounts.commit()

    def _invitation(self, doc: dict[str, Any], name: str) -> Invitation:
        return Invitation(
            id=doc['id'],
            community_id=doc['community_id'],
            community_name=name,
            role=Role(doc['role']),
            invited_by=doc['invited_by'],
            created=doc['created'],
            expires=doc['expires'],
            used=bool(doc.get('used')),
            email=doc.get('email', ''),
            lang=doc.get('lang', ''),
            mail_id=doc.get('mail_id', ''),
        )

    # -- export and import -------------------------------------------------------------------------------------

    def export(self, user_id: str, cid: str) -> bytes:
        """The community as a JSON document: its fields and the tables of the tools, each document as its schema
        exports it. No account data, no private scores, receipt hashes, link tokens or user ids."""
        community, _ = self.get(user_id, cid, Permission.EDIT)
        db = self.store.community(cid)
        tables = {}
        for name in sorted(db.tinydb.tables()):
            spec = self.tables.get(name)
            if spec is None or not spec.exported:
                continue
            docs = [dict(doc) for doc in db.table(name).all()]
            if spec.select is not None:
                docs = spec.select(db, docs)
            tables[name] = [spec.record.dump(doc) for doc in docs]
        fields = {k: v for k, v in asdict(community).items() if k not in ('id', 'created', 'updated')}
        document = {
            'format': EXPORT_FORMAT,
            'schema': SCHEMA_VERSIONS['community'],
            'exported': clock.now_iso(),
            'community': fields,
            'tables': tables,
        }
        return json.dumps(document, ensure_ascii=False, indent=1).encode('utf-8')

    def parse_export(self, payload: bytes) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
        return parse_export(payload, self.tables)

    async def import_(self, user_id: str, payload: bytes) -> Community:
        """Create a new community from an export; the importing user becomes its coordinator. All or nothing: the
        whole file is checked before anything is written."""
        fields, tables = self.parse_export(payload)
        community = await self.create(user_id, fields)
        db = self.store.community(community.id)
        for name, docs in tables.items():
            db.table(name).insert_multiple(docs)
        await db.commit()
        return community


def parse_export(payload: bytes, specs: dict[str, TableSpec]) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Validate an export file completely before anything is written; returns the community's fields and, per
    table, the documents to store. ValidationError names what is wrong: the table, the record and the field."""
    document = _read_export(payload)
    fields = _load_fields(document.get('community'))
    tables = document.get('tables', {})
    if not isinstance(tables, dict):
        raise ValidationError('import.error.not_export')
    clean: dict[str, list[dict[str, Any]]] = {}
    for name, docs in tables.items():
        spec = specs.get(name)
        if spec is None:
            raise ValidationError('import.error.table', table=str(name)[:40])
        loaded = _load_table(spec, docs)
        if spec.exported:
            clean[name] = loaded
    return fields, clean


def _read_export(payload: bytes) -> dict[str, Any]:
    """The export file's JSON document, once it is known to be one of ours, of a schema this version reads, not
    too big and not too deep."""
    if len(payload) > MAX_IMPORT_BYTES:
        raise ValidationError('import.error.too_large', max=MAX_IMPORT_BYTES // (1024 * 1024))
    try:
        document = json.loads(payload.decode('utf-8'))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValidationError('import.error.not_json') from e
    except RecursionError as e:  # the parser's own guard against thousands of nested brackets
        raise ValidationError('import.error.too_deep', max=MAX_IMPORT_DEPTH) from e
    if nesting_depth(document) > MAX_IMPORT_DEPTH:
        raise ValidationError('import.error.too_deep', max=MAX_IMPORT_DEPTH)
    if not isinstance(document, dict) or document.get('format') != EXPORT_FORMAT:
        raise ValidationError('import.error.not_export')
    version = document.get('schema')
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValidationError('import.error.not_export')
    if version > SCHEMA_VERSIONS['community']:
        raise ValidationError('import.error.newer')
    unknown = set(document) - {'format', 'schema', 'exported', 'community', 'tables'}
    if unknown:
        raise ValidationError('import.error.unknown', table='—', record=1, name=str(sorted(unknown)[0])[:40])
    return document


def _load_fields(raw_fields: Any) -> dict[str, Any]:
    """The community's own fields from an export, checked as the settings page checks them."""
    try:
        raw_fields = COMMUNITY_FIELDS.load(raw_fields)
    except schema.SchemaError as e:
        raise _located(e, COMMUNITY_TABLE, 0) from e
    try:
        return validate_fields(raw_fields)
    except ValidationError as e:
        raise ValidationError('import.error.field', name=e.field or '') from e


def _load_table(spec: TableSpec, docs: Any) -> list[dict[str, Any]]:
    """Every document of an imported table checked against its schema, then against the part's own rules (per
    record, so the message can say which, then across the table)."""
    if not isinstance(docs, list):
        raise ValidationError('import.error.type', table=spec.name, record=1, name='—')
    if len(docs) > spec.max_records:
        raise ValidationError(
            'import.error.too_many', table=spec.name, record=len(docs), name='—', max=spec.max_records
        )
    loaded = []
    for i, doc in enumerate(docs):
        try:
            loaded.append(spec.record.load(doc))
        except schema.SchemaError as e:
            raise _located(e, spec.name, i) from e
    if spec.unique:
        try:
            schema.unique(loaded, spec.unique)
        except schema.SchemaError as e:
            raise _located(e, spec.name, e.path[0], e.path[1:]) from e
    if spec.check is not None:
        for i, doc in enumerate(loaded):
            _apply(spec, [doc], i)
        _apply(spec, loaded, None)
    return loaded


def _apply(spec: TableSpec, docs: list[dict[str, Any]], index: int | None) -> None:
    try:
        spec.check(docs)
    except ValidationError as e:
        record = '—' if index is None else index + 1
        raise ValidationError('import.error.rule', table=spec.name, record=record, name=e.field or '—') from e
    except (KeyError, TypeError, ValueError, AttributeError) as e:  # a rule that met a shape it did not expect
        record = '—' if index is None else index + 1
        raise ValidationError('import.error.rule', table=spec.name, record=record, name='—') from e


def _located(error: schema.SchemaError, table: str, index: int, path: tuple[Any, ...] | None = None) -> ValidationError:
    """A schema error as the user reads it: the table, the record (counted from 1), the field and the problem."""
    path = error.path if path is None else path
    return ValidationError(
        f'import.error.{error.reason}',
        table=table,
        record=index + 1,
        name=schema.where(path) or '—',
        **error.params,
    )


def nesting_depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed JSON value, measured without recursion (a hostile file must not
    exhaust the stack of the checks that walk it afterwards)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _community(cid: str, doc: dict[str, Any]) -> Community:
    return Community(
        id=cid,
        name=doc.get('name', ''),
        purpose=doc.get('purpose', ''),
        stage=doc.get('stage', 'potential'),
        sponsor=doc.get('sponsor', ''),
        expected_members=doc.get('expected_members'),
        language=doc.get('language', 'nl'),
        created=doc.get('created', ''),
        updated=doc.get('updated', ''),
    )


def file_slug(name: str, fallback: str = 'community') -> str:
    """A name made safe for a downloaded file's name (accents dropped: "Réunion" -> "reunion")."""
    plain = unicodedata.normalize('NFKD', name).encode('ascii', 'ignore').decode().lower()
    return re.sub(r'[^a-z0-9]+', '-', plain).strip('-')[:60] or fallback


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
