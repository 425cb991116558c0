"""The protocol half of the organisation's sign-in against a real OpenID Connect provider (oidc-provider-mock in a
thread): PKCE, state, nonce and the verified address are checked; an issuer that is down is refused, then retried."""

from __future__ import annotations

import logging
import socket
from urllib.parse import parse_qs, urlsplit

import pytest

from core.oidc import RETRY_SECONDS, OidcConfig, Pending, Provider, SignInRefused
from tests.oidc_provider import query, running_provider

pytestmark = pytest.mark.filterwarnings('ignore::DeprecationWarning:authlib.*')  # the provider's side of Authlib

REDIRECT = 'http://127.0.0.1:9/auth/oidc/callback'
EMAIL = 'an.peeters@fod.example.be'


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope='module')
def provider():
    with running_provider() as running:
        yield running


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def client(provider, clock):
    return Provider(OidcConfig(provider.issuer, 'cop-toolbox', 'client-secret', 'Test ID'), clock=clock)


async def sign_in(client: Provider, provider, sub: str, *, deny: bool = False) -> tuple[Pending, dict[str, str]]:
    url, pending = await client.begin(REDIRECT, '/account')
    back = provider.authorize(url, sub, deny=deny)
    assert back.startswith(REDIRECT)
    return pending, query(back)


async def test_the_authorization_request_carries_state_nonce_and_an_s256_challenge(client):
    url, pending = await client.begin(REDIRECT, '/account')
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert params['state'] == pending.state and params['nonce'] == pending.nonce
    assert params['code_challenge_method'] == 'S256'
    assert params['code_challenge'] and pending.verifier not in url  # only the challenge travels, never the verifier
    assert params['redirect_uri'] == REDIRECT and params['response_type'] == 'code'
    assert set(params['scope'].split()) == {'openid', 'email', 'profile'}
    _, again = await client.begin(REDIRECT, '/account')
    assert {again.state, again.nonce, again.verifier}.isdisjoint({pending.state, pending.nonce, pending.verifier})


async def test_a_verified_address_comes_back_as_the_identity(client, provider):
    provider.set_user('sub-an', email=EMAIL.upper(), email_verified=True, name='An Peeters')
    pending, params = await sign_in(client, provider, 'sub-an')
    identity = await client.complete(pending, params, REDIRECT)
    assert (identity.issuer, identity.sub, identity.email, identity.name) == (
        provider.issuer,
        'sub-an',
        EMAIL,
        'An Peeters',
    )


async def test_an_unverified_address_is_refused(client, provider):
    provider.set_user('sub-unverified', email=EMAIL, email_verified=False)
    pending, params = await sign_in(client, provider, 'sub-unverified')
    with pytest.raises(SignInRefused) as refused:
        await client.complete(pending, params, REDIRECT)
    assert refused.value.reason == 'unverified'


async def test_a_wrong_state_is_refused_before_the_code_is_used(client, provider):
    provider.set_user('sub-state', email=EMAIL, email_verified=True)
    pending, params = await sign_in(client, provider, 'sub-state')
    with pytest.raises(SignInRefused) as refused:
        await client.complete(pending, {**params, 'state': 'forged'}, REDIRECT)
    assert refused.value.reason == 'state'
    assert (await client.complete(pending, params, REDIRECT)).sub == 'sub-state'  # the code was not spent


async def test_a_code_from_another_sign_in_fails_on_its_nonce(client, provider):
    """A code obtained for another sign-in (an attacker's, or an older tab's) carries that sign-in's nonce."""
    provider.set_user('sub-nonce', email=EMAIL, email_verified=True)
    first, first_params = await sign_in(client, provider, 'sub-nonce')
    second, _ = await sign_in(client, provider, 'sub-nonce')
    with pytest.raises(SignInRefused) as refused:
        await client.complete(second, {**first_params, 'state': second.state}, REDIRECT)
    assert refused.value.reason == 'state'


async def test_a_replayed_code_is_refused_by_the_provider(client, provider):
    provider.set_user('sub-replay', email=EMAIL, email_verified=True)
    pending, params = await sign_in(client, provider, 'sub-replay')
    await client.complete(pending, params, REDIRECT)
    with pytest.raises(SignInRefused) as refused:
        await client.complete(pending, params, REDIRECT)
    assert refused.value.reason == 'failed'


async def test_cancelling_at_the_provider_and_an_old_sign_in_have_their_own_reasons(client, provider, clock):
    pending, params = await sign_in(client, provider, None, deny=True)
    assert params['error'] == 'access_denied'
    with pytest.raises(SignInRefused) as refused:
        await client.complete(pending, params, REDIRECT)
    assert refused.value.reason == 'cancelled'
    provider.set_user('sub-late', email=EMAIL, email_verified=True)
    pending, params = await sign_in(client, provider, 'sub-late')
    clock.now += 3600
    for kept in (pending, None):
        with pytest.raises(SignInRefused) as refused:
            await client.complete(kept, params, REDIRECT)
        assert refused.value.reason == 'expired'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


async def test_an_issuer_that_is_down_is_refused_then_asked_again_after_a_pause(clock, caplog):
    caplog.set_level(logging.INFO)
    port = free_port()
    client = Provider(OidcConfig(f'http://localhost:{port}', 'cop-toolbox', 's3cret', ''), clock=clock, timeout=2)
    with pytest.raises(SignInRefused) as refused:
        await client.begin(REDIRECT, '/')
    assert refused.value.reason == 'down'
    with running_provider() as late:  # the provider comes up (on another port: re-point the client at it)
        client = Provider(OidcConfig(late.issuer, 'cop-toolbox', 's3cret', ''), clock=clock)
        client._failed_at = clock.now  # it failed a moment ago
        with pytest.raises(SignInRefused):
            await client.begin(REDIRECT, '/')  # within the pause: not asked again
        clock.now += RETRY_SECONDS + 1
        url, _ = await client.begin(REDIRECT, '/')
        assert url.startswith(late.issuer)
    assert 's3cret' not in caplog.text


async def test_the_warm_up_at_start_logs_and_never_raises(client, clock, caplog):
    caplog.set_level(logging.INFO)
    await client.warm_up()
    assert 'the issuer answers' in caplog.text
    down = Provider(OidcConfig(f'http://localhost:{free_port()}', 'c', 's', ''), clock=clock, timeout=2)
    await down.warm_up()  # no exception: the app starts and serves password login
    assert 'cannot be reached' in caplog.text
