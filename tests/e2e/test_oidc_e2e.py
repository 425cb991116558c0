"""The organisation's sign-in in a real browser: the login page's button, the provider's own form (a real OpenID
Connect provider in a thread), and back in the toolbox logged in; an existing account linked on its password.
axe on the login page with the button and on the link page. Its own server: the shared one has no provider."""

from __future__ import annotations

import re

import pytest

from tests.oidc_provider import running_provider

from .conftest import DEMO_PASSWORD, serious_violations, start_server, wait_idle

pytestmark = pytest.mark.filterwarnings('ignore::DeprecationWarning:authlib.*')

DEMO_EMAIL = 'demo@cop-toolbox.example'


@pytest.fixture(scope='module')
def provider():
    with running_provider() as running:
        yield running


@pytest.fixture(scope='module')
def sso_server(provider, tmp_path_factory):
    server = start_server(
        tmp_path_factory.mktemp('oidc-e2e') / 'data',
        extra_env={
            'COP_OIDC_ISSUER': provider.issuer,
            'COP_OIDC_CLIENT_ID': 'cop-toolbox',
            'COP_OIDC_CLIENT_SECRET': 'a client secret',
            'COP_OIDC_NAME': 'FOD-account',
        },
    )
    yield server
    server.stop()


def through_the_provider(page, base: str, sub: str) -> None:
    """On the toolbox's login page: the button, then the provider's form for `sub`."""
    page.goto(f'{base}/login?lang=nl')
    wait_idle(page)
    page.get_by_role('link', name='Aanmelden met FOD-account').click()
    page.wait_for_url(re.compile(r'.*/oauth2/authorize.*'))
    page.locator('input[name=sub]').fill(sub)
    page.get_by_role('button', name='Authorize').click()


def test_signing_in_with_the_organisation_account_comes_back_logged_in(page, sso_server, provider):
    provider.set_user('e2e-an', email='an.peeters@fod.example.be', email_verified=True, name='An Peeters')
    page.goto(f'{sso_server.url}/login?lang=nl')
    wait_idle(page)
    assert serious_violations(page) == []
    through_the_provider(page, sso_server.url, 'e2e-an')
    page.wait_for_url(re.compile(r'.*/(\?.*)?$'))
    wait_idle(page)
    page.goto(f'{sso_server.url}/account')
    wait_idle(page)
    assert page.get_by_text('Aangemeld als an.peeters@fod.example.be').is_visible()


def test_an_existing_account_is_linked_on_its_password_in_the_browser(page, sso_server, provider):
    provider.set_user('e2e-demo', email=DEMO_EMAIL, email_verified=True, name='Demo')
    through_the_provider(page, sso_server.url, 'e2e-demo')
    page.wait_for_url(re.compile(r'.*/auth/oidc/link\?key=.*'))
    wait_idle(page)
    assert page.get_by_text(DEMO_EMAIL).first.is_visible()
    assert serious_violations(page) == []
    page.get_by_label('Wachtwoord').fill('not the password')
    page.get_by_role('button', name='Koppelen en aanmelden').click()
    page.get_by_text('Dit wachtwoord klopt niet.').wait_for()
    page.get_by_label('Wachtwoord').fill(DEMO_PASSWORD)
    page.get_by_role('button', name='Koppelen en aanmelden').click()
    page.wait_for_url(re.compile(r'.*/(\?.*)?$'))
    wait_idle(page)
    page.goto(f'{sso_server.url}/account')
    wait_idle(page)
    assert page.get_by_text(f'Aangemeld als {DEMO_EMAIL}').is_visible()
