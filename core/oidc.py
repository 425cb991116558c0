"""Sign-in with the organisation's account: OpenID Connect, authorization code flow with PKCE, through Authlib.

Two halves. `Provider` speaks the protocol: it loads the issuer's metadata lazily (an issuer that is down at start
does not stop the app; the next sign-in tries again after a short pause), sends the browser to the issuer with a
fresh state, nonce and PKCE verifier (S256), and turns the callback into a verified `Identity`: the state must be the
one this browser was given, the code is exchanged with the same redirect URI and verifier, and the ID token's
signature, issuer, audience, expiry and nonce are checked. Only a verified e-mail address is believed.

`OrganisationSignIn` applies the account rules to that identity. An account is found by issuer and subject (the
provider's stable id), never by e-mail alone. The first sign-in creates an account without a password. When an
account with the same address exists already, it is linked only after its owner confirms with its password; with
passwords switched off (`--no-local-login`) the provider is the only authority left, and the account is linked on
the verified address unless it is linked to another subject of the same issuer already (a reused address).

Every refusal is a `SignInRefused` whose `reason` names the message the user sees; log lines carry no personal data
(no address, no subject, no token).
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from tinydb import Query

from . import clock
from .accounts import Accounts, User, normalise_email
from .errors import AppError, AuthError, ValidationError
from .i18n import Catalog
from .links import Links
from .mail import Mailer
from .mailtext import render
from .ratelimit import FailureLimiter
from .store import Database

log = logging.getLogger(__name__)

LINKS = 'sign_in_links'  # accounts file: {user_id, issuer, sub, linked}
SCOPE = 'openid email profile'
PENDING_SECONDS = 600  # a sign-in started at the provider must come back within ten minutes
LINK_SECONDS = 900  # and a link to an existing account must be confirmed within fifteen
RETRY_SECONDS = 15.0  # after the issuer failed, sign-ins are refused this long without asking it again
TIMEOUT_SECONDS = 10.0
MAILS_PER_HOUR = 3  # link mails to one account (the page answers the same when the limit is reached)
CONFIRM_SECONDS = 300  # a confirmation at the provider (instead of a password) holds five minutes, once
MAX_PENDING_LINKS = 10_000

REASONS = ('state', 'cancelled', 'down', 'unverified', 'failed', 'expired', 'off', 'taken')


class SignInRefused(AppError):
    """A sign-in that did not happen; `reason` (one of REASONS) chooses the message `oidc.error.<reason>`."""

    def __init__(self, reason: str) -> None:
        super().__init__(f'oidc.error.{reason}')
        self.reason = reason


@dataclass(frozen=True)
class OidcConfig:
    issuer: str = ''
    client_id: str = ''
    client_secret: str = ''
    name: str = ''

    @property
    def enabled(self) -> bool:
        return bool(self.issuer and self.client_id)


@dataclass(frozen=True)
class Identity:
    """Who the provider vouches for: its issuer, the person's stable subject id there, and a verified address."""

    issuer: str
    sub: str
    email: str
    name: str


@dataclass(frozen=True)
class Pending:
    """What the browser keeps (in its signed session cookie) between leaving for the provider and coming back."""

    state: str
    nonce: str
    verifier: str
    target: str
    started: float
    confirm: str = ''  # a confirmation, not a login: the id of the logged-in account that must be the one signing in

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_dict(data: object) -> Pending | None:
        if not isinstance(data, dict):
            return None
        try:
            return Pending(
                str(data['state']),
                str(data['nonce']),
                str(data['verifier']),
                str(data['target']),
                float(data['started']),
                str(data.get('confirm', '')),
            )
        except (KeyError, TypeError, ValueError):
            return None


def email_is_verified(claims: Mapping[str, Any]) -> bool:
    """Whether the provider vouches for the address. `email_verified` is the standard claim and decides when present.
    Microsoft Entra ID never sends it for organisational accounts; its optional claim `xms_edov` (the address's
    domain is verified by the tenant) stands in for it then. Only a single-tenant issuer is accepted (see
    `Provider.metadata`), so that tenant is the organisation's own."""
    if 'email_verified' in claims:
        value = claims['email_verified']
        return value is True or (isinstance(value, str) and value.lower() == 'true')
    return claims.get('xms_edov') is True


def identity_from_claims(claims: Mapping[str, Any]) -> Identity:
    """The identity in verified ID-token claims; SignInRefused('unverified') without a verified address."""
    email = claims.get('email')
    if not isinstance(email, str) or not email.strip() or not email_is_verified(claims):
        raise SignInRefused('unverified')
    sub = claims.get('sub')
    if not isinstance(sub, str) or not sub:
        raise SignInRefused('failed')
    name = claims.get('name')
    if not isinstance(name, str) or not name.strip():
        parts = [claims.get('given_name'), claims.get('family_name')]
        name = ' '.join(p for p in parts if isinstance(p, str) and p.strip())
    return Identity(issuer=str(claims['iss']), sub=sub, email=normalise_email(email), name=name)


def _same_issuer(a: str, b: str) -> bool:
    return a.rstrip('/') == b.rstrip('/')


class Provider:
    """The protocol side, one per configured issuer (Authlib's client does PKCE, token exchange and ID-token checks)."""

    def __init__(
        self, config: OidcConfig, *, clock: Callable[[], float] = time.time, timeout: float = TIMEOUT_SECONDS
    ) -> None:
        self.config = config
        self._clock = clock
        self._failed_at: float | None = None
        client_kwargs: dict[str, Any] = {'scope': SCOPE, 'code_challenge_method': 'S256', 'timeout': timeout}
        if not config.client_secret:  # a public client (Keycloak allows one with PKCE): no client authentication
            client_kwargs['token_endpoint_auth_method'] = 'none'
        # imported here: only a server with an issuer configured needs the client (it pulls in Authlib's httpx layer)
        from authlib.integrations.starlette_client import OAuth

        self._client = OAuth().register(
            name='organisation',
            client_id=config.client_id,
            client_secret=config.client_secret or None,
            server_metadata_url=f'{config.issuer}/.well-known/openid-configuration',
            client_kwargs=client_kwargs,
        )

    async def metadata(self) -> dict[str, Any]:
        """The issuer's discovery document, fetched on first use and kept; SignInRefused('down') while unreachable."""
        import httpx

        now = self._clock()
        if self._failed_at is not None and now - self._failed_at < RETRY_SECONDS:
            raise SignInRefused('down')
        try:
            metadata = await self._client.load_server_metadata()
        except (httpx.HTTPError, ValueError) as error:
            self._failed_at = now
            log.warning('oidc: the issuer cannot be reached (%s); sign-in refused for now', type(error).__name__)
            raise SignInRefused('down') from None
        if not _same_issuer(str(metadata.get('issuer', '')), self.config.issuer):
            self._failed_at = now
            log.error(
                'oidc: the issuer names itself %r, not the configured %r', metadata.get('issuer'), self.config.issuer
            )
            raise SignInRefused('down')
        self._failed_at = None
        return metadata

    async def warm_up(self) -> None:
        """At start, off the request path: read the metadata once so a wrong or unreachable issuer shows in the log
        at once. A failure changes nothing else: the toolbox serves on, and the first sign-in tries again."""
        try:
            await self.metadata()
        except SignInRefused:
            return
        log.info('oidc: the issuer answers; sign-in with it is offered')

    async def begin(self, redirect_uri: str, target: str, confirm: str = '') -> tuple[str, Pending]:
        """Where to send the browser, and what it must keep until it comes back. With `confirm` (the logged-in
        account's id) the provider is asked to check the person again (`prompt=login`), e.g. before an erasure."""
        await self.metadata()
        pending = Pending(
            state=secrets.token_urlsafe(24),
            nonce=secrets.token_urlsafe(24),
            verifier=secrets.token_urlsafe(48),
            target=target,
            started=self._clock(),
            confirm=confirm,
        )
        extra = {'prompt': 'login'} if confirm else {}
        found = await self._client.create_authorization_url(
            redirect_uri, state=pending.state, nonce=pending.nonce, code_verifier=pending.verifier, **extra
        )
        return found['url'], pending

    async def complete(self, pending: Pending | None, params: Mapping[str, str], redirect_uri: str) -> Identity:
        """The identity in the provider's answer (the callback's query), or SignInRefused. `pending` is what this
        browser kept from `begin`, already taken out of its session so an answer is never used twice."""
        if pending is None or self._clock() - pending.started > PENDING_SECONDS:
            log.info('oidc: a callback without a sign-in under way in this browser')
            raise SignInRefused('expired')
        if params.get('error'):  # checked first: an error changes nothing, and some providers send no state with it
            cancelled = params.get('error') == 'access_denied'
            log.info('oidc: the provider answered %s', 'access_denied' if cancelled else 'with an error')
            raise SignInRefused('cancelled' if cancelled else 'failed')
        if not hmac.compare_digest(str(params.get('state', '')), pending.state):
            log.warning('oidc: a callback with a state this browser was not given; refused')
            raise SignInRefused('state')
        code = params.get('code')
        if not code:
            raise SignInRefused('failed')
        metadata = await self.metadata()
        token = await self._exchange(code, pending, redirect_uri)
        claims = await self._verified_claims(token, pending, metadata)
        return identity_from_claims(claims)

    async def _exchange(self, code: str, pending: Pending, redirect_uri: str) -> dict[str, Any]:
        import httpx
        from authlib.integrations.base_client import OAuthError

        try:
            token = await self._client.fetch_access_token(
                redirect_uri=redirect_uri, code=code, code_verifier=pending.verifier
            )
        except OAuthError as error:  # a used or forged code, a wrong verifier or redirect URI
            log.warning('oidc: the provider refused the code (%s)', error.error or 'error')
            raise SignInRefused('failed') from None
        except (httpx.HTTPError, ValueError) as error:
            self._failed_at = self._clock()
            log.warning('oidc: the token endpoint cannot be reached (%s)', type(error).__name__)
            raise SignInRefused('down') from None
        if 'id_token' not in token:
            log.warning('oidc: the provider sent no ID token')
            raise SignInRefused('failed')
        return token

    async def _verified_claims(self, token: dict[str, Any], pending: Pending, metadata: dict) -> dict[str, Any]:
        import httpx
        from joserfc.errors import InvalidClaimError, JoseError, MissingClaimError

        try:
            claims = await self._client.parse_id_token(token, nonce=pending.nonce)
        except (InvalidClaimError, MissingClaimError) as error:
            claim = getattr(error, 'claim', '') or ''
            log.warning('oidc: an ID token with a wrong or missing %s claim; refused', claim or 'required')
            raise SignInRefused('state' if claim == 'nonce' else 'failed') from None
        except (JoseError, ValueError) as error:
            log.warning('oidc: an ID token that cannot be verified (%s)', type(error).__name__)
            raise SignInRefused('failed') from None
        except httpx.HTTPError as error:
            log.warning('oidc: the key set cannot be fetched (%s)', type(error).__name__)
            raise SignInRefused('down') from None
        if not _same_issuer(str(claims.get('iss', '')), str(metadata.get('issuer', ''))):
            raise SignInRefused('failed')
        return dict(claims)


@dataclass(frozen=True)
class LinkMail:
    """What mailing a link needs: the single-use links, the mailer, and the catalogue the mail's words come from."""

    links: Links
    mailer: Mailer
    catalog: Catalog


@dataclass(frozen=True)
class PendingLink:
    """A sign-in that found an existing account with the same address: waiting for its owner's password."""

    user_id: str
    identity: Identity
    target: str
    browser: str
    issued: float


@dataclass(frozen=True)
class Outcome:
    """What a sign-in led to: a user to log in, or a link to confirm first (`link`, its one-time id)."""

    user: User | None = None
    link: str | None = None
    created: bool = False


class OrganisationSignIn:
    """The account rules of the organisation's sign-in, and the links (issuer + subject) it keeps."""

    def __init__(
        self,
        config: OidcConfig,
        accounts: Accounts,
        db: Database,
        *,
        provider: Provider | None = None,
        mail: LinkMail | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.accounts = accounts
        self.mail = mail
        self.provider = provider or (Provider(config, clock=clock) if config.enabled else None)
        self._db = db
        self._clock = clock
        self._links: dict[str, PendingLink] = {}  # in memory: a restart asks for the sign-in again
        self._confirmed: dict[str, float] = {}  # account id -> when its owner last confirmed at the provider
        self._mailed: set[str] = set()  # waiting links whose owner was already mailed
        self.mail_limiter = FailureLimiter(MAILS_PER_HOUR, 3600, 3600, 3600, clock=clock, flood=None)

    @property
    def enabled(self) -> bool:
        return self.provider is not None

    @property
    def _table(self):
        return self._db.table(LINKS)

    # -- links ------------------------------------------------------------------------------------------------------

    def user_for(self, issuer: str, sub: str) -> User | None:
        row = self._table.get((Query()['issuer'] == issuer) & (Query()['sub'] == sub))
        return self.accounts.get(row['user_id']) if row else None

    def links_of(self, user_id: str) -> list[dict[str, str]]:
        """The account's links, for the account page and the download of one's data."""
        return [
            {'issuer': row['issuer'], 'sub': row['sub'], 'linked': row.get('linked', '')}
            for row in self._table.search(Query()['user_id'] == user_id)
        ]

    async def _link(self, user: User, identity: Identity) -> None:
        self._table.insert(
            {
                'user_id': user.id,
                'issuer': identity.issuer,
                'sub': identity.sub,
                'linked': clock.now_iso(),
            }
        )
        await self._db.commit()
        log.info('oidc: an account was linked to its organisation sign-in')

    # -- the rules --------------------------------------------------------------------------------------------------

    async def resolve(self, identity: Identity, lang: str, target: str, browser: str) -> Outcome:
        """The account for a verified identity: the linked one, a new one, or (`link`) an existing one whose owner
        must confirm first."""
        linked = self.user_for(identity.issuer, identity.sub)
        if linked is not None:
            await self.accounts.signed_in(linked.id)
            return Outcome(user=linked)
        existing = self.accounts.by_email(identity.email)
        if existing is None:
            user = await self.accounts.create_verified(identity.name, identity.email, lang)
            await self._link(user, identity)
            log.info('oidc: an account was created at its first organisation sign-in')
            return Outcome(user=user, created=True)
        if self._linked_elsewhere(existing.id, identity):  # the address was given to someone else since
            log.warning('oidc: an address already linked to another person at this issuer; refused')
            raise SignInRefused('taken')
        if not self.accounts.password_login:
            await self._link(existing, identity)
            await self.accounts.signed_in(existing.id)
            return Outcome(user=existing)
        if not self.accounts.has_password(existing.id):
            raise SignInRefused('taken')
        return Outcome(link=self._hold_link(existing, identity, target, browser))

    def _linked_elsewhere(self, user_id: str, identity: Identity) -> bool:
        return any(
            row['issuer'] == identity.issuer and row['sub'] != identity.sub
            for row in self._table.search(Query()['user_id'] == user_id)
        )

    def _hold_link(self, user: User, identity: Identity, target: str, browser: str) -> str:
        now = self._clock()
        if len(self._links) >= MAX_PENDING_LINKS:
            self._links = {k: v for k, v in self._links.items() if now - v.issued <= LINK_SECONDS}
        key = secrets.token_urlsafe(24)
        self._links[key] = PendingLink(user.id, identity, target, browser, now)
        return key

    def pending_link(self, key: str, browser: str) -> PendingLink | None:
        """The link waiting under `key` for this browser, None when unknown, expired or made for another browser."""
        found = self._links.get(key) if isinstance(key, str) else None
        if found is None or found.browser != browser or self._clock() - found.issued > LINK_SECONDS:
            return None
        return found

    async def confirm_link(self, key: str, browser: str, password: str, client_key: str) -> tuple[User, str]:
        """Link after the owner's password (rate-limited like a login); returns the user and where to go. The
        waiting link is used once: a wrong password keeps it, so the owner may try again."""
        found = self.pending_link(key, browser)
        user = self.accounts.get(found.user_id) if found else None
        if found is None or user is None:
            raise SignInRefused('expired')
        try:
            confirmed = await self.accounts.authenticate(user.email, password, client_key)
        except AuthError as error:
            if error.key == 'auth.error.invalid':
                raise ValidationError('oidc.link.wrong_password', 'password') from None
            raise
        if self._links.pop(key, None) is None:  # confirmed twice at once: the first one links
            raise SignInRefused('expired')
        if self.user_for(found.identity.issuer, found.identity.sub) is None:
            await self._link(confirmed, found.identity)
        await self.accounts.signed_in(confirmed.id)
        return confirmed, found.target

    # -- confirming who one is, for an account without a password (e.g. before erasing it) ------------------------

    def confirmed(self, user_id: str, identity: Identity) -> None:
        """The owner of `user_id` just signed in again at the provider; SignInRefused('state') if the person who did
        is not linked to that account (another colleague at the same computer)."""
        linked = self.user_for(identity.issuer, identity.sub)
        if linked is None or linked.id != user_id:
            log.warning('oidc: a confirmation by a person not linked to the logged-in account; refused')
            raise SignInRefused('state')
        self._confirmed[user_id] = self._clock()

    def take_confirmation(self, user_id: str) -> bool:
        """Whether the owner confirmed at the provider in the last CONFIRM_SECONDS; a confirmation serves once."""
        at = self._confirmed.pop(user_id, None)
        return at is not None and self._clock() - at <= CONFIRM_SECONDS

    def confirms_at_provider(self, user_id: str) -> bool:
        """Whether this account proves who it is at the provider rather than with a password: it has none, or
        passwords are off."""
        return self.enabled and (not self.accounts.password_login or not self.accounts.has_password(user_id))

    def has_confirmation(self, user_id: str) -> bool:
        at = self._confirmed.get(user_id)
        return at is not None and self._clock() - at <= CONFIRM_SECONDS

    # -- linking by a mailed link instead of the password ---------------------------------------------------------

    async def mail_link(self, key: str, browser: str, base_url: str) -> None:
        """Mail the existing account's owner a single-use link (an hour) that links the waiting sign-in to it: for
        an owner who forgot the password. One mail per waiting link; SignInRefused('expired') when it is gone."""
        found = self.pending_link(key, browser)
        user = self.accounts.get(found.user_id) if found else None
        if found is None or user is None or self.mail is None:
            raise SignInRefused('expired')
        if key in self._mailed:
            return
        self._mailed.add(key)
        if self.mail_limiter.retry_after(user.id):  # each needs a sign-in at the provider, but still: a few an hour
            log.info('oidc: a link mail was not sent: the account had enough this hour')
            return
        self.mail_limiter.failure(user.id)
        identity = found.identity
        token = self.mail.links.issue('oidc_link', user.id, issuer=identity.issuer, sub=identity.sub, next=found.target)
        provider = self.config.name or self.mail.catalog.text('oidc.default_name', user.lang)
        text = render(
            self.mail.catalog,
            'mail.oidc_link',
            user.lang,
            link=f'{base_url.rstrip("/")}/auth/oidc/linked/{token}',
            name=user.name,
            provider=provider,
        )
        self.mail.mailer.submit(user.email, text.subject, text.text, text.html, lang=user.lang)
        await self._db.commit()
        log.info('oidc: a link to confirm by mail was queued')

    def mailed_link_target(self, token: str) -> User:
        """The account a mailed link is for, without using it (the page shows a button first: mail scanners open
        links). ValidationError 'link.error.*' for an unknown, used or expired link."""
        doc = self._links_store().check('oidc_link', token)
        user = self.accounts.get(doc['user_id'])
        if user is None:
            raise ValidationError('link.error.unknown')
        return user

    async def link_by_mail(self, token: str) -> tuple[User, str]:
        """Use a mailed link: the organisation sign-in it names is linked to its account, which then logs in."""
        user = self.mailed_link_target(token)
        doc = self._links_store().use('oidc_link', token)
        identity = Identity(str(doc.get('issuer', '')), str(doc.get('sub', '')), user.email, user.name)
        if self._linked_elsewhere(user.id, identity):
            await self._db.commit()  # the link is used up all the same
            raise SignInRefused('taken')
        if self.user_for(identity.issuer, identity.sub) is None:
            await self._link(user, identity)  # commits, with the link marked used
        else:
            await self._db.commit()
        await self.accounts.signed_in(user.id)
        log.info('oidc: an account was linked through a mailed link')
        return user, str(doc.get('next') or '/')

    def _links_store(self) -> Links:
        if self.mail is None:
            raise ValidationError('link.error.unknown')
        return self.mail.links

    def cancel_link(self, key: str, browser: str) -> None:
        if self.pending_link(key, browser) is not None:
            self._links.pop(key, None)
