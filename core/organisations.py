"""Organisations: an administration (e.g. "FOD Financiën") that groups communities, its knowledge-management (KM)
officers, and what each attached community shares with it.

Everything lives in the accounts file, like memberships and invitations: officers are accounts, "at most one
organisation per community" and "detach removes it at once" are checks and changes on one file written in one commit,
and a user's list of organisations needs no community file. A community's file knows nothing of its organisation, so
a community export never carries the link (an organisation id means nothing on another installation).

Attaching is by consent of both sides: the organisation invites a community by a one-time link that a coordinator
accepts for one of their communities, or a coordinator asks to join and an officer accepts. Sharing is the
coordinator's choice per part (`PARTS`); the always-visible facts are listed in `ALWAYS`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tinydb import Query

from . import clock
from .accounts import EMAIL_PATTERN, MAX_EMAIL, Accounts, normalise_email
from .clean import clean_text
from .communities import Communities
from .errors import NotFound, PermissionDenied, ValidationError
from .i18n import LANGUAGES
from .mailtext import render
from .roles import Permission

ORGANISATIONS = 'organisations'
OFFICERS = 'org_officers'
INVITES = 'org_invites'
LINKS = 'org_links'
TABLES = (ORGANISATIONS, OFFICERS, INVITES, LINKS)

# what an attached community always shows its organisation
ALWAYS = ('name', 'purpose', 'stage', 'coordinators', 'created', 'last_activity')
# what the coordinator may choose to share, each on its own
PARTS = ('kompas', 'survey', 'plan', 'ittools', 'kickoff', 'stories')
NAME_MAX = 120
INVITE_DAYS = 14
ID_LENGTH = 16

ATTACHED = 'attached'
ASKED = 'asked'  # the coordinator asked; an officer decides


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    created: str


@dataclass(frozen=True)
class Link:
    """A community's tie to an organisation: attached, or asked by its coordinator and waiting for an officer."""

    community_id: str
    org_id: str
    status: str
    shared: frozenset[str]
    since: str
    community_name: str = ''


@dataclass(frozen=True)
class OrgInvitation:
    id: str
    org_id: str
    org_name: str
    kind: str  # 'officer' (become a KM officer) or 'attach' (attach a community)
    created: str
    expires: str
    used: bool

    @property
    def expired(self) -> bool:
        return datetime.fromisoformat(self.expires) <= clock.now()


def org_scope(org_id: str) -> str:
    """The key of an organisation's channel in core/changes.py (communities are keyed by their own id)."""
    return f'org:{org_id}'


class Organisations:
    def __init__(self, communities: Communities, accounts: Accounts) -> None:
        self.communities = communities
        self.accounts = accounts
        self.store = communities.store
        self.changes = communities.changes

    def _changed(self, org_id: str) -> None:
        """A community was attached, detached or changed what it shares: published on the organisation's channel of
        core/changes.py (the one live mechanism), so open portfolio pages redraw and a detached community leaves
        them at once."""
        self.changes.publish(org_scope(org_id), 'sharing')

    def _table(self, name: str):
        return self.store.accounts.table(name)

    async def _commit(self) -> None:
        await self.store.accounts.commit()

    # -- organisations and officers ------------------------------------------------------------------------------

    async def create(self, user_id: str, name: Any) -> Organisation:
        """A new organisation; its creator is its first KM officer."""
        clean = clean_text(name, NAME_MAX, 'name')
        if not clean:
            raise ValidationError('org.error.name_required', 'name')
        if self.accounts.get(user_id) is None:
            raise PermissionDenied()
        doc = {'id': secrets.token_hex(8), 'name': clean, 'created': clock.now_iso()}
        self._table(ORGANISATIONS).insert(doc)
        self._table(OFFICERS).insert({'org_id': doc['id'], 'user_id': user_id, 'since': clock.now_iso()})
        await self._commit()
        return _org(doc)

    def get(self, org_id: Any) -> Organisation:
        """The organisation behind an id; a forged or unknown id gets NotFound with its own message."""
        if not isinstance(org_id, str) or len(org_id) != ID_LENGTH:
            raise NotFound('org.error.unknown')
        doc = self._table(ORGANISATIONS).get(Query()['id'] == org_id)
        if doc is None:
            raise NotFound('org.error.unknown')
        return _org(doc)

    def all(self) -> list[Organisation]:
        """Every organisation, by name: a coordinator chooses the one to ask (names are not secret)."""
        return sorted((_org(d) for d in self._table(ORGANISATIONS).all()), key=lambda o: o.name.casefold())

    def is_officer(self, user_id: str, org_id: str) -> bool:
        q = Query()
        return self._table(OFFICERS).contains((q['org_id'] == org_id) & (q['user_id'] == user_id))

    def require_officer(self, user_id: str, org_id: Any) -> Organisation:
        """The organisation, if the user is one of its KM officers; NotFound otherwise (an outsider learns nothing,
        not even that the id exists)."""
        org = self.get(org_id)
        if not self.is_officer(user_id, org.id):
            raise NotFound('org.error.unknown')
        return org

    def of_officer(self, user_id: str) -> list[Organisation]:
        ids = {d['org_id'] for d in self._table(OFFICERS).search(Query()['user_id'] == user_id)}
        return sorted((self.get(i) for i in ids if self._table(ORGANISATIONS).contains(Query()['id'] == i)),
                      key=lambda o: o.name.casefold())  # fmt: skip

    def officers(self, user_id: str, org_id: str) -> list[tuple[str, str]]:
        """(user id, name) of the organisation's officers, for its officers."""
        self.require_officer(user_id, org_id)
        out = []
        for doc in self._table(OFFICERS).search(Query()['org_id'] == org_id):
            user = self.accounts.get(doc['user_id'])
            if user is not None:
                out.append((user.id, user.name))
        return sorted(out, key=lambda o: o[1].casefold())

    async def remove_officer(self, user_id: str, org_id: str, officer_id: str) -> None:
        """An officer leaves or removes another; the last one cannot (the organisation would be nobody's)."""
        self.require_officer(user_id, org_id)
        if not self.is_officer(officer_id, org_id):
            raise NotFound()
        if len(self._table(OFFICERS).search(Query()['org_id'] == org_id)) <= 1:
            raise ValidationError('org.error.last_officer')
        q = Query()
        self._table(OFFICERS).remove((q['org_id'] == org_id) & (q['user_id'] == officer_id))
        await self._commit()

    # -- invitations by link -------------------------------------------------------------------------------------

    async def invite(self, user_id: str, org_id: str, kind: str) -> tuple[str, OrgInvitation]:
        """A one-time link: `officer` makes its user a KM officer, `attach` lets a coordinator attach a community.
        Returns the secret token (shown once) and the invitation."""
        org = self.require_officer(user_id, org_id)
        if kind not in ('officer', 'attach'):
            raise ValidationError('error.invalid', 'kind')
        token = secrets.token_urlsafe(24)
        now = clock.now()
        doc = {
            'id': secrets.token_hex(8),
            'token_hash': _token_hash(token),
            'org_id': org.id,
            'kind': kind,
            'invited_by': user_id,
            'created': now.isoformat(timespec='seconds'),
            'expires': (now + timedelta(days=INVITE_DAYS)).isoformat(timespec='seconds'),
            'used': False,
        }
        self._table(INVITES).insert(doc)
        await self._commit()
        return token, _invitation(doc, org.name)

    def invitation(self, token: Any) -> OrgInvitation:
        """The invitation behind a token; a forged, used or expired one gets a clear message."""
        doc = self._table(INVITES).get(Query()['token_hash'] == _token_hash(token if isinstance(token, str) else ''))
        if doc is None:
            raise NotFound('org.error.invite_unknown')
        try:
            name = self.get(doc['org_id']).name
        except NotFound as e:
            raise NotFound('org.error.invite_unknown') from e
        invitation = _invitation(doc, name)
        if invitation.used:
            raise ValidationError('org.error.invite_used')
        if invitation.expired:
            raise ValidationError('org.error.invite_expired')
        return invitation

    def open_invitations(self, user_id: str, org_id: str) -> list[OrgInvitation]:
        org = self.require_officer(user_id, org_id)
        docs = self._table(INVITES).search((Query()['org_id'] == org_id) & (Query()['used'] == False))  # noqa: E712
        return sorted((i for i in (_invitation(d, org.name) for d in docs) if not i.expired), key=lambda i: i.created)

    async def revoke(self, user_id: str, org_id: str, invitation_id: str) -> None:
        self.require_officer(user_id, org_id)
        if not self._table(INVITES).remove((Query()['id'] == invitation_id) & (Query()['org_id'] == org_id)):
            raise NotFound()
        await self._commit()

    async def mail_invitation(
        self, user_id: str, org_id: str, kind: str, email: Any, lang: str, base_url: str, mailer: Any, catalog: Any
    ) -> str:
        """A one-time link sent by mail (through the toolbox's sender, off the event loop: the mail is spooled and a
        worker delivers it). Returns the mail's id; the link itself is never shown to the sender."""
        address = normalise_email(email) if isinstance(email, str) else ''
        if len(address) > MAX_EMAIL or not EMAIL_PATTERN.match(address):
            raise ValidationError('auth.error.email_invalid', 'email')
        if lang not in LANGUAGES:
            raise ValidationError('error.invalid', 'lang')
        token, invitation = await self.invite(user_id, org_id, kind)
        inviter = self.accounts.get(user_id)
        mail = render(
            catalog,
            f'mail.org_{kind}',
            lang,
            link=f'{base_url.rstrip("/")}/org/join/{token}',
            inviter=inviter.name if inviter else '',
            organisation=invitation.org_name,
            days=INVITE_DAYS,
        )
        return mailer.submit(address, mail.subject, mail.text, mail.html, lang=lang)

    async def accept_officer(self, user_id: str, token: str) -> Organisation:
        invitation = self.invitation(token)
        if invitation.kind != 'officer':
            raise ValidationError('org.error.invite_kind')
        if not self.is_officer(user_id, invitation.org_id):
            self._table(OFFICERS).insert({'org_id': invitation.org_id, 'user_id': user_id, 'since': clock.now_iso()})
        self._use(invitation, user_id)
        await self._commit()
        return self.get(invitation.org_id)

    async def accept_attach(self, user_id: str, token: str, cid: str, shared: Any = ()) -> Link:
        """A coordinator attaches one of their communities through the organisation's invitation, sharing `shared`."""
        invitation = self.invitation(token)
        if invitation.kind != 'attach':
            raise ValidationError('org.error.invite_kind')
        self.communities.get(user_id, cid, Permission.MANAGE)
        self._free(cid, invitation.org_id)
        self._table(LINKS).remove(Query()['community_id'] == cid)  # an earlier request of its own, now answered
        self._table(LINKS).insert(_link_doc(cid, invitation.org_id, ATTACHED, _parts(shared), user_id))
        self._use(invitation, user_id)
        await self._commit()
        self._changed(invitation.org_id)
        return self.link(cid)  # type: ignore[return-value]

    def _use(self, invitation: OrgInvitation, user_id: str) -> None:
        self._table(INVITES).update({'used': True, 'used_by': user_id}, Query()['id'] == invitation.id)

    # -- the coordinator asks, an officer decides ------------------------------------------------------------------

    async def ask(self, user_id: str, cid: str, org_id: Any, shared: Any = ()) -> Link:
        """The coordinator asks to attach the community; its officers accept or decline."""
        self.communities.get(user_id, cid, Permission.MANAGE)
        org = self.get(org_id)
        self._free(cid, org.id)
        self._table(LINKS).remove(Query()['community_id'] == cid)
        self._table(LINKS).insert(_link_doc(cid, org.id, ASKED, _parts(shared), user_id))
        await self._commit()
        return self.link(cid)  # type: ignore[return-value]

    def requests(self, user_id: str, org_id: str) -> list[Link]:
        """Communities asking to join, for the organisation's officers."""
        self.require_officer(user_id, org_id)
        docs = self._table(LINKS).search((Query()['org_id'] == org_id) & (Query()['status'] == ASKED))
        return [self._named(_link(d)) for d in docs]

    async def decide(self, user_id: str, org_id: str, cid: Any, accept: bool) -> None:
        self.require_officer(user_id, org_id)
        q = Query()
        match = (q['org_id'] == org_id) & (q['community_id'] == cid) & (q['status'] == ASKED)
        if not self._table(LINKS).contains(match):
            raise NotFound('org.error.request_unknown')
        if accept:
            self._table(LINKS).update({'status': ATTACHED, 'since': clock.now_iso()}, match)
        else:
            self._table(LINKS).remove(match)
        await self._commit()
        self._changed(org_id)

    # -- links and sharing ---------------------------------------------------------------------------------------

    def link(self, cid: str) -> Link | None:
        """The community's link (attached or asked), without a role check: core callers check."""
        doc = self._table(LINKS).get(Query()['community_id'] == cid)
        return self._named(_link(doc)) if doc else None

    def link_for(self, user_id: str, cid: str) -> Link | None:
        """The community's link, for anyone who may see the community (both sides read the same words)."""
        self.communities.get(user_id, cid, Permission.VIEW)
        return self.link(cid)

    def attached(self, org_id: str) -> list[Link]:
        """The communities attached to the organisation (asked ones not included), without a role check."""
        q = Query()
        docs = self._table(LINKS).search((q['org_id'] == org_id) & (q['status'] == ATTACHED))
        return [_link(d) for d in docs]

    def shared_link(self, user_id: str, org_id: Any, cid: Any) -> Link:
        """The attached community's link, for one of the organisation's officers; NotFound for anyone else and for a
        community that is not (or no longer) attached: a URL with another community's id shows nothing."""
        self.require_officer(user_id, org_id)
        link = self.link(cid) if isinstance(cid, str) else None
        if link is None or link.org_id != org_id or link.status != ATTACHED:
            raise NotFound('org.error.not_attached')
        return link

    async def set_shared(self, user_id: str, cid: str, shared: Any) -> Link:
        """The coordinator chooses which parts the organisation sees (replaces the earlier choice)."""
        self.communities.get(user_id, cid, Permission.MANAGE)
        link = self.link(cid)
        if link is None:
            raise NotFound('org.error.not_attached')
        self._table(LINKS).update({'shared': sorted(_parts(shared))}, Query()['community_id'] == cid)
        await self._commit()
        self._changed(link.org_id)
        return self.link(cid)  # type: ignore[return-value]

    async def detach(self, user_id: str, cid: str, org_id: str | None = None) -> None:
        """End the link (or withdraw a request): the coordinator from the community's side, an officer (`org_id`)
        from the organisation's. The community leaves the portfolio at once."""
        link = self.link(cid) if isinstance(cid, str) else None
        if org_id is None:
            self.communities.get(user_id, cid, Permission.MANAGE)
        else:
            self.require_officer(user_id, org_id)
            if link is None or link.org_id != org_id:
                raise NotFound('org.error.not_attached')
        if link is None:
            raise NotFound('org.error.not_attached')
        self._table(LINKS).remove(Query()['community_id'] == cid)
        await self._commit()
        self._changed(link.org_id)

    def forget_community(self, cid: str) -> None:
        """A deleted community leaves its organisation (in memory; the caller's commit carries it)."""
        link = self.link(cid)
        self._table(LINKS).remove(Query()['community_id'] == cid)
        if link is not None:
            self._changed(link.org_id)

    def _free(self, cid: str, org_id: str) -> None:
        """At most one organisation per community: attached elsewhere means detach first."""
        link = self.link(cid)
        if link is not None and link.status == ATTACHED:
            if link.org_id == org_id:
                raise ValidationError('org.error.already_here')
            raise ValidationError('org.error.already_attached', name=self._org_name(link.org_id))

    def _org_name(self, org_id: str) -> str:
        try:
            return self.get(org_id).name
        except NotFound:
            return '—'

    def _named(self, link: Link) -> Link:
        doc = self._table('memberships').get(Query()['community_id'] == link.community_id)
        return Link(**{**link.__dict__, 'community_name': (doc or {}).get('name', '')})


def _parts(shared: Any) -> frozenset[str]:
    """The chosen parts; anything that is not a known part is refused (a forged event cannot widen the choice)."""
    if shared is None:
        return frozenset()
    if isinstance(shared, str) or not isinstance(shared, list | tuple | set | frozenset):
        raise ValidationError('error.invalid', 'shared')
    chosen = frozenset(shared)
    if not chosen <= set(PARTS):
        raise ValidationError('error.invalid', 'shared')
    return chosen


def _link_doc(cid: str, org_id: str, status: str, shared: frozenset[str], by: str) -> dict[str, Any]:
    return {
        'community_id': cid,
        'org_id': org_id,
        'status': status,
        'shared': sorted(shared),
        'since': clock.now_iso(),
        'by': by,
    }


def _link(doc: dict[str, Any]) -> Link:
    return Link(
        community_id=doc['community_id'],
        org_id=doc['org_id'],
        status=doc.get('status', ASKED),
        shared=frozenset(p for p in doc.get('shared', []) if p in PARTS),
        since=doc.get('since', ''),
    )


def _org(doc: dict[str, Any]) -> Organisation:
    return Organisation(id=doc['id'], name=doc.get('name', ''), created=doc.get('created', ''))


def _invitation(doc: dict[str, Any], name: str) -> OrgInvitation:
    return OrgInvitation(
        id=doc['id'],
        org_id=doc['org_id'],
        org_name=name,
        kind=doc.get('kind', 'officer'),
        created=doc.get('created', ''),
        expires=doc.get('expires', ''),
        used=bool(doc.get('used')),
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(('org|' + token).encode()).hexdigest()
