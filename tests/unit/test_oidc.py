"""The account rules of the organisation's sign-in: found by issuer and subject, created from a verified address,
linked to an existing account only after its password (or, with passwords off, when no one else holds the link);
claims without a verified address refused; settings checked at start."""

from __future__ import annotations

import logging

import pytest

from core.accounts import Accounts
from core.config import parse_settings
from core.errors import AuthError, ValidationError
from core.oidc import (
    LINK_SECONDS,
    LINKS,
    Identity,
    OidcConfig,
    OrganisationSignIn,
    Pending,
    SignInRefused,
    email_is_verified,
    identity_from_claims,
)
from core.ratelimit import FailureLimiter
from core.store import BackupPolicy, Store

PASSWORD = 'a good long password'
ISSUER = 'https://login.microsoftonline.com/0a1b2c3d-tenant/v2.0'
AN = Identity(ISSUER, 'sub-an-0001', 'an.peeters@fod.example.be', 'An Peeters')


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path, BackupPolicy(min_interval=0))


@pytest.fixture
def accounts(store, clock):
    async def sleep(seconds: float) -> None:
        clock.now += seconds

    return Accounts(
        store.accounts,
        account_limiter=FailureLimiter(5, 900, 1, 30, clock=clock, flood=None),
        client_limiter=FailureLimiter(10, 900, 30, 900, clock=clock, flood=None),
        sleep=sleep,
    )


@pytest.fixture
def sign_in(accounts, store, clock):
    return OrganisationSignIn(OidcConfig(ISSUER, 'client', 'secret', 'Entra ID'), accounts, store.accounts, clock=clock)


def test_only_a_verified_address_is_believed():
    claims = {'iss': ISSUER, 'sub': 's', 'email': 'A.B@x.be', 'email_verified': True, 'name': 'A B'}
    assert identity_from_claims(claims) == Identity(ISSUER, 's', 'a.b@x.be', 'A B')
    for unverified in ({'email_verified': False}, {'email_verified': None}, {'email_verified': 'no'}, {'email': ''}):
        with pytest.raises(SignInRefused) as refused:
            identity_from_claims({**claims, **unverified})
        assert refused.value.reason == 'unverified'
    without = {k: v for k, v in claims.items() if k != 'email_verified'}
    with pytest.raises(SignInRefused):
        identity_from_claims(without)
    assert email_is_verified({'email_verified': 'true'})  # some providers send the text
    assert email_is_verified({'xms_edov': True})  # Entra ID: the address's domain is verified by the tenant
    assert not email_is_verified({'xms_edov': 'true'}) and not email_is_verified({})
    assert not email_is_verified({'email_verified': False, 'xms_edov': True})  # the standard claim decides
    named = identity_from_claims(
        {**without, 'email_verified': True, 'name': ' ', 'given_name': 'An', 'family_name': 'P'}
    )
    assert named.name == 'An P'


def test_a_pending_sign_in_survives_the_cookie_and_garbage_does_not():
    pending = Pending('st', 'no', 've', '/account', 12.5)
    assert Pending.from_dict(pending.to_dict()) == pending
    for garbage in (None, 'x', {'state': 'st'}, {**pending.to_dict(), 'started': 'soon'}, []):
        assert Pending.from_dict(garbage) is None


async def test_the_first_sign_in_creates_an_account_without_password_and_links_it(sign_in, accounts, store):
    outcome = await sign_in.resolve(AN, 'fr', '/account', 'browser-1')
    assert outcome.created and outcome.user.email == AN.email and outcome.user.lang == 'fr'
    assert not accounts.has_password(outcome.user.id)
    assert outcome.user.confirmed  # the provider verified the address: no confirmation mail needed
    with pytest.raises(AuthError):  # no password works for it, not even an empty one
        await accounts.authenticate(AN.email, '', 'b:1')
    assert sign_in.links_of(outcome.user.id) == [
        {'issuer': ISSUER, 'sub': AN.sub, 'linked': store.accounts.table(LINKS).all()[0]['linked']}
    ]
    again = await sign_in.resolve(AN, 'nl', '/', 'browser-2')
    assert again.user.id == outcome.user.id and not again.created


async def test_later_sign_ins_match_on_issuer_and_subject_not_on_the_address(sign_in, accounts):
    first = (await sign_in.resolve(AN, 'nl', '/', 'b')).user
    renamed = Identity(ISSUER, AN.sub, 'an.peeters-janssens@fod.example.be', 'An Peeters-Janssens')
    assert (await sign_in.resolve(renamed, 'nl', '/', 'b')).user.id == first.id  # the address changed at the provider
    other_issuer = Identity('https://keycloak.example.be/realms/fod', AN.sub, 'someone@else.be', 'X')
    created = await sign_in.resolve(other_issuer, 'nl', '/', 'b')
    assert created.created and created.user.id != first.id  # the same subject at another issuer is someone else


async def test_an_existing_account_is_linked_only_after_its_password(sign_in, accounts, clock):
    owner = await accounts.sign_up('An Peeters', AN.email, PASSWORD)
    outcome = await sign_in.resolve(AN, 'nl', '/account', 'browser-1')
    assert outcome.user is None and outcome.link
    assert sign_in.user_for(ISSUER, AN.sub) is None  # nothing linked yet
    assert sign_in.pending_link(outcome.link, 'browser-2') is None  # the link waits for this browser only
    with pytest.raises(ValidationError) as wrong:
        await sign_in.confirm_link(outcome.link, 'browser-1', 'not the password', 'b:1')
    assert wrong.value.key == 'oidc.link.wrong_password'
    assert sign_in.user_for(ISSUER, AN.sub) is None
    user, target = await sign_in.confirm_link(outcome.link, 'browser-1', PASSWORD, 'b:1')
    assert (user.id, target) == (owner.id, '/account')
    assert sign_in.user_for(ISSUER, AN.sub).id == owner.id
    with pytest.raises(SignInRefused):  # used once
        await sign_in.confirm_link(outcome.link, 'browser-1', PASSWORD, 'b:1')
    assert (await sign_in.resolve(AN, 'nl', '/', 'browser-1')).user.id == owner.id  # from now on, no question


async def test_a_waiting_link_expires_and_can_be_cancelled(sign_in, accounts, clock):
    await accounts.sign_up('An Peeters', AN.email, PASSWORD)
    late = (await sign_in.resolve(AN, 'nl', '/', 'b')).link
    clock.now += LINK_SECONDS + 1
    with pytest.raises(SignInRefused) as refused:
        await sign_in.confirm_link(late, 'b', PASSWORD, 'b:1')
    assert refused.value.reason == 'expired'
    cancelled = (await sign_in.resolve(AN, 'nl', '/', 'b')).link
    sign_in.cancel_link(cancelled, 'b')
    assert sign_in.pending_link(cancelled, 'b') is None


async def test_an_address_linked_to_another_person_is_not_taken_over(sign_in, accounts):
    await sign_in.resolve(AN, 'nl', '/', 'b')
    successor = Identity(ISSUER, 'sub-new-colleague', AN.email, 'New Colleague')  # the address was reassigned
    with pytest.raises(SignInRefused) as refused:
        await sign_in.resolve(successor, 'nl', '/', 'b')
    assert refused.value.reason == 'taken'
    assert sign_in.user_for(ISSUER, successor.sub) is None


async def test_with_passwords_off_the_provider_links_an_existing_account_and_passwords_are_refused(sign_in, accounts):
    owner = await accounts.sign_up('An Peeters', AN.email, PASSWORD)
    accounts.password_login = False
    outcome = await sign_in.resolve(AN, 'nl', '/', 'b')
    assert outcome.user.id == owner.id and not outcome.link
    with pytest.raises(AuthError) as refused:
        await accounts.authenticate(AN.email, PASSWORD, 'b:1')
    assert refused.value.key == 'auth.error.password_off'
    with pytest.raises(AuthError):
        await accounts.sign_up('Someone', 'someone@fod.example.be', PASSWORD)


async def test_nothing_personal_is_logged(sign_in, accounts, caplog):
    caplog.set_level(logging.DEBUG)
    await sign_in.resolve(AN, 'nl', '/', 'b')
    with pytest.raises(SignInRefused):
        await sign_in.resolve(Identity(ISSUER, 'sub-other', AN.email, 'Other Person'), 'nl', '/', 'b')
    assert caplog.records
    for secret in (AN.email, AN.sub, 'sub-other', 'An Peeters', 'Other Person'):
        assert secret not in caplog.text


@pytest.mark.parametrize(
    ('argv', 'message'),
    [
        (['--oidc-issuer', 'login.example.be'], 'must be a URL'),
        (['--oidc-issuer', 'https://login.example.be'], 'needs --oidc-client-id'),
        (['--no-local-login'], 'needs --oidc-issuer'),
        (['--no-local-login', '--demo', '--oidc-issuer', 'https://id.example.be', '--oidc-client-id', 'c'], '--demo'),
    ],
)
def test_sign_in_settings_that_would_lock_everyone_out_are_refused_at_start(argv, message, capsys):
    with pytest.raises(SystemExit):
        parse_settings(argv, env={})
    assert message in capsys.readouterr().err


def test_sign_in_settings_come_from_the_environment():
    settings = parse_settings(
        [],
        env={
            'COP_OIDC_ISSUER': 'https://keycloak.example.be/realms/fod/',
            'COP_OIDC_CLIENT_ID': 'cop-toolbox',
            'COP_OIDC_CLIENT_SECRET': 's3cret',
            'COP_OIDC_NAME': '  FOD   account ',
            'COP_NO_LOCAL_LOGIN': '1',
        },
    )
    assert settings.oidc_issuer == 'https://keycloak.example.be/realms/fod'
    assert (settings.oidc_client_id, settings.oidc_client_secret, settings.oidc_name) == (
        'cop-toolbox',
        's3cret',
        'FOD account',
    )
    assert settings.no_local_login
    assert not parse_settings([], env={}).no_local_login


async def test_the_link_is_in_the_inventory_the_download_and_goes_with_the_account(tmp_path):
    from core import privacy as privacy_module
    from core.config import Settings
    from core.i18n import Translator
    from core.services import build_services

    services = build_services(Settings(data_dir=tmp_path / 'data'))
    outcome = await services.oidc.resolve(AN, 'nl', '/', 'b')
    assert f'accounts/{LINKS}' in services.privacy.inventory.tables()
    data = services.privacy.my_data(outcome.user.id)
    assert data['sign_in_links'][0]['sub'] == AN.sub and data['sign_in_links'][0]['issuer'] == ISSUER
    page = privacy_module.to_html(data, Translator(services.content.ui, 'fr')).decode()
    assert AN.sub in page and 'Connexion avec le compte de votre organisation' in page
    await services.privacy.erase(outcome.user)
    assert services.store.accounts.table(LINKS).all() == []
    assert services.oidc.user_for(ISSUER, AN.sub) is None


async def test_an_account_without_password_confirms_at_the_provider_once_and_briefly(sign_in, accounts, clock):
    from core.oidc import CONFIRM_SECONDS

    an = (await sign_in.resolve(AN, 'nl', '/', 'b')).user
    owner = await accounts.sign_up('Bo Janssens', 'bo@fod.example.be', PASSWORD)
    assert sign_in.confirms_at_provider(an.id) and not sign_in.confirms_at_provider(owner.id)
    colleague = Identity(ISSUER, 'sub-colleague', 'colleague@fod.example.be', 'C')
    await sign_in.resolve(colleague, 'nl', '/', 'b')
    with pytest.raises(SignInRefused):  # someone else signed in at the provider on An's computer
        sign_in.confirmed(an.id, colleague)
    assert not sign_in.take_confirmation(an.id)
    sign_in.confirmed(an.id, AN)
    assert sign_in.has_confirmation(an.id)
    assert sign_in.take_confirmation(an.id) and not sign_in.take_confirmation(an.id)  # once
    sign_in.confirmed(an.id, AN)
    clock.now += CONFIRM_SECONDS + 1
    assert not sign_in.take_confirmation(an.id)
    accounts.password_login = False
    assert sign_in.confirms_at_provider(owner.id)  # with passwords off, everyone confirms at the provider


async def test_link_mails_to_one_account_are_limited_and_say_who_it_is_for_in_its_language(tmp_path):
    from core.config import Settings
    from core.oidc import MAILS_PER_HOUR
    from core.services import build_services

    settings = Settings(data_dir=tmp_path / 'data', oidc_issuer=ISSUER, oidc_client_id='c', oidc_name='Entra ID')
    services = build_services(settings)
    await services.accounts.sign_up('Anne Dubois', AN.email, PASSWORD, 'fr')
    sent = []
    services.oidc.mail.mailer.submit = lambda to, subject, text, html, lang: sent.append((to, subject, text, lang))
    for _ in range(MAILS_PER_HOUR + 2):
        key = (await services.oidc.resolve(AN, 'nl', '/', 'b')).link
        await services.oidc.mail_link(key, 'b', 'https://cop.example.be')
        await services.oidc.mail_link(key, 'b', 'https://cop.example.be')  # twice on one page: one mail
    assert len(sent) == MAILS_PER_HOUR
    to, subject, text, lang = sent[-1]
    assert (to, lang) == (AN.email, 'fr') and 'Entra ID' in subject and 'Bonjour Anne Dubois' in text
    assert 'https://cop.example.be/auth/oidc/linked/' in text and PASSWORD not in text
