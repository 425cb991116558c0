"""The organisation's sign-in through the app's own routes, against a real OpenID Connect provider in a thread:
the callback with a wrong state, a code of another sign-in (wrong nonce), a replay, an unverified address, a
cancel, linking an existing account on its password, an issuer that is down, and passwords switched off."""

from __future__ import annotations

import pytest
from nicegui import app
from nicegui.testing import User

from tests.oidc_provider import running_provider

from .helpers import PASSWORD, mailed_link, settle, sign_up

pytestmark = pytest.mark.filterwarnings('ignore::DeprecationWarning:authlib.*')  # the provider's side of Authlib

EMAIL = 'an.peeters@fod.example.be'


@pytest.fixture(scope='module')
def provider():
    with running_provider() as running:
        yield running


@pytest.fixture
def oidc_env(provider, monkeypatch):
    """The organisation's sign-in points at the provider. main.py reads it when the `user` fixture starts the app,
    so tests ask for this fixture before `user`."""
    monkeypatch.setenv('COP_OIDC_ISSUER', provider.issuer)
    monkeypatch.setenv('COP_OIDC_CLIENT_ID', 'cop-toolbox')
    monkeypatch.setenv('COP_OIDC_CLIENT_SECRET', 'a client secret')
    monkeypatch.setenv('COP_OIDC_NAME', 'FOD-account')
    return provider


def services():
    return app.state.services


async def go_to_provider(user: User) -> str:
    """Click through the app's start route; returns the provider's authorization URL."""
    response = await user.http_client.get('/auth/oidc/login?next=/account', follow_redirects=False)
    assert response.status_code == 303
    location = response.headers['location']
    return location


async def come_back(user: User, callback_url: str) -> str:
    """Bring the provider's answer to the app; returns where the app sends the browser then (a path)."""
    path = callback_url.split('://', 1)[1].split('/', 1)[1]
    response = await user.http_client.get('/' + path, follow_redirects=False)
    assert response.status_code == 303, response.text[:300]
    return response.headers['location']


async def sign_in_as(user: User, provider, sub: str) -> str:
    authorize = await go_to_provider(user)
    assert authorize.startswith(provider.issuer)
    return await come_back(user, provider.authorize(authorize, sub))


async def finish(user: User, location: str) -> None:
    """Follow /auth/finish (it sets the session cookie) and open where it leads."""
    response = await user.http_client.get(location, follow_redirects=False)
    assert response.status_code == 303
    await user.open(response.headers['location'])


async def test_the_first_sign_in_creates_the_account_and_logs_in(oidc_env, user: User):
    oidc_env.set_user('sub-an', email=EMAIL, email_verified=True, name='An Peeters')
    await user.open('/login')
    await user.should_see(marker='sso-button')
    await user.should_see('Aanmelden met FOD-account')
    location = await sign_in_as(user, oidc_env, 'sub-an')
    assert location.startswith('/auth/finish?ticket=')
    await finish(user, location)
    await user.should_see(f'Aangemeld als {EMAIL}')
    account = services().accounts.by_email(EMAIL)
    assert services().oidc.links_of(account.id)[0]['sub'] == 'sub-an'


async def test_a_callback_with_a_wrong_state_or_a_replayed_answer_changes_nothing(oidc_env, user: User):
    oidc_env.set_user('sub-state', email=EMAIL, email_verified=True)
    authorize = await go_to_provider(user)
    answer = oidc_env.authorize(authorize, 'sub-state')
    forged = answer.replace('state=', 'state=x')
    assert await come_back(user, forged) == '/login?sso=state&next=%2Faccount'
    assert await come_back(user, answer) == '/login?sso=expired&next=%2F'  # the sign-in under way was used up
    await user.open('/login?sso=state')
    await user.should_see('hoort niet bij een aanmelding die in deze browser begon')
    assert services().accounts.by_email(EMAIL) is None


async def test_a_code_from_another_sign_in_is_refused_on_its_nonce(oidc_env, user: User):
    oidc_env.set_user('sub-nonce', email=EMAIL, email_verified=True)
    first = oidc_env.authorize(await go_to_provider(user), 'sub-nonce')  # a sign-in this browser abandoned
    second = await go_to_provider(user)  # the one under way now
    state_now = second.split('state=')[1].split('&')[0]
    spliced = first.split('state=')[0] + 'state=' + state_now
    assert (await come_back(user, spliced)).startswith('/login?sso=state')
    assert services().accounts.by_email(EMAIL) is None


async def test_an_unverified_address_and_a_cancel_are_refused_with_their_message(oidc_env, user: User):
    oidc_env.set_user('sub-unverified', email=EMAIL, email_verified=False)
    location = await sign_in_as(user, oidc_env, 'sub-unverified')
    assert location.startswith('/login?sso=unverified')
    await user.open(location + '&lang=fr')
    await user.should_see('ne confirme aucune adresse e-mail')
    assert services().accounts.by_email(EMAIL) is None
    authorize = await go_to_provider(user)
    location = await come_back(user, oidc_env.authorize(authorize, None, deny=True))
    assert location.startswith('/login?sso=cancelled')
    await user.open(location + '&lang=en')
    await user.should_see('You cancelled the login with FOD-account. Nothing was changed.')


async def test_an_existing_account_is_linked_after_its_password(oidc_env, user: User):
    await sign_up(user, name='An Peeters', email=EMAIL)
    await user.should_see(marker='field-name', retries=30)
    owner = services().accounts.by_email(EMAIL)
    user.http_client.cookies.clear()  # another day, another browser: logged out
    oidc_env.set_user('sub-link', email=EMAIL, email_verified=True)
    location = await sign_in_as(user, oidc_env, 'sub-link')
    assert location.startswith('/auth/oidc/link?key=')
    await user.open(location)
    await user.should_see(marker='oidc-link-intro')
    await user.should_see(EMAIL)
    user.find(marker='oidc-link-password').type('not my password')
    user.find(marker='oidc-link-submit').click()
    await user.should_see('Dit wachtwoord klopt niet.', retries=30)  # a password check takes a moment
    assert services().oidc.user_for(oidc_env.issuer, 'sub-link') is None
    user.find(marker='oidc-link-password').type(PASSWORD)
    before = len(user.back_history)
    user.find(marker='oidc-link-submit').click()
    await settle(user, before)
    await user.should_see(f'Aangemeld als {EMAIL}')
    assert services().oidc.user_for(oidc_env.issuer, 'sub-link').id == owner.id
    user.http_client.cookies.clear()
    assert (await sign_in_as(user, oidc_env, 'sub-link')).startswith('/auth/finish')  # no question any more


async def test_a_link_page_without_a_waiting_link_says_so(oidc_env, user: User):
    await user.open('/auth/oidc/link?key=forged')
    await user.should_see(marker='oidc-link-expired')
    await user.should_see('Het aanmelden met FOD-account duurde te lang of werd onderbroken.')


@pytest.fixture
def issuer_down(monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    monkeypatch.setenv('COP_OIDC_ISSUER', f'http://localhost:{port}')
    monkeypatch.setenv('COP_OIDC_CLIENT_ID', 'cop-toolbox')


async def test_with_the_issuer_down_the_app_serves_password_login_and_explains(issuer_down, user: User):
    await sign_up(user, name='An Peeters', email=EMAIL)  # the app started, and sign-up and login work
    await user.should_see(marker='field-name', retries=30)
    user.http_client.cookies.clear()
    response = await user.http_client.get('/auth/oidc/login', follow_redirects=False)
    assert response.headers['location'].startswith('/login?sso=down')
    await user.open(response.headers['location'])
    await user.should_see('is nu niet bereikbaar')
    await user.should_see(marker='login-password')


@pytest.fixture
def passwords_off(monkeypatch):
    monkeypatch.setenv('COP_NO_LOCAL_LOGIN', '1')


async def test_with_passwords_off_only_the_organisation_sign_in_is_offered(passwords_off, oidc_env, user: User):
    await user.open('/login')
    await user.should_see(marker='sso-button')
    await user.should_not_see(marker='login-password')
    await user.should_not_see(marker='to-signup')
    await user.open('/')
    await user.should_not_see(marker='home-signup')
    response = await user.http_client.get('/signup', follow_redirects=False)
    assert response.headers['location'] == '/login'


async def test_an_account_without_password_is_erased_after_confirming_at_the_provider(oidc_env, user: User):
    oidc_env.set_user('sub-erase', email=EMAIL, email_verified=True, name='An Peeters')
    oidc_env.set_user('sub-colleague', email='colleague@fod.example.be', email_verified=True)
    await finish(user, await sign_in_as(user, oidc_env, 'sub-erase'))
    await user.open('/account')
    await user.should_see(marker='account-sso')
    await user.should_not_see(marker='pw-change')
    await user.open('/account/delete')
    await user.should_see(marker='oidc-confirm')
    await user.should_not_see(marker='delete-password')
    start = await user.http_client.get('/auth/oidc/login?confirm=1&next=/account/delete', follow_redirects=False)
    assert 'prompt=login' in start.headers['location']  # the provider asks again, even with a session there
    back = await come_back(user, oidc_env.authorize(start.headers['location'], 'sub-colleague'))
    assert back == '/account/delete?sso=state'  # a colleague at the same computer does not confirm for An
    start = await user.http_client.get('/auth/oidc/login?confirm=1&next=/account/delete', follow_redirects=False)
    assert await come_back(user, oidc_env.authorize(start.headers['location'], 'sub-erase')) == '/account/delete'
    await user.open('/account/delete')
    await user.should_see(marker='oidc-confirmed')
    before = len(user.back_history)
    user.find(marker='delete-submit').click()
    await settle(user, before)
    assert services().accounts.by_email(EMAIL) is None
    assert services().oidc.user_for(oidc_env.issuer, 'sub-erase') is None


async def test_an_owner_without_the_password_links_through_a_mailed_link(oidc_env, user: User):
    await sign_up(user, name='An Peeters', email=EMAIL)
    owner = services().accounts.by_email(EMAIL)
    user.http_client.cookies.clear()
    oidc_env.set_user('sub-mailed', email=EMAIL, email_verified=True)
    await user.open(await sign_in_as(user, oidc_env, 'sub-mailed'))
    user.find(marker='oidc-link-mail').click()
    await user.should_see(marker='oidc-link-mailed', retries=30)
    assert services().oidc.user_for(oidc_env.issuer, 'sub-mailed') is None  # nothing linked before the click
    path = await mailed_link(EMAIL, '/auth/oidc/linked/')
    await user.open(path)  # opening is not enough (mail scanners open links): the button links
    assert services().oidc.user_for(oidc_env.issuer, 'sub-mailed') is None
    before = len(user.back_history)
    user.find(marker='oidc-linked-submit').click()
    await settle(user, before)
    await user.should_see(f'Aangemeld als {EMAIL}')
    assert services().oidc.user_for(oidc_env.issuer, 'sub-mailed').id == owner.id
    await user.open(path)
    await user.should_see(marker='link-problem')  # once


async def test_the_sign_up_page_offers_the_organisation_sign_in_too(oidc_env, user: User):
    await user.open('/signup')
    await user.should_see(marker='sso-button')
    await user.should_see(marker='signup-email')
