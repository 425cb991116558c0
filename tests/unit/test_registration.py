"""Sign-up with confirmation and the forgotten password, end to end in core with a real SMTP server: what the mail
says and in which language, links that work once, expire and are stored only as hashes; forged, reused and expired
links refused; an address that has an account gets a different mail, not a different answer; rate limits."""

from __future__ import annotations

import re

import pytest

from core.config import Settings
from core.errors import AuthError, PermissionDenied, ValidationError
from core.links import Links
from core.mail import Mailer, parse_smtp_url
from core.registration import Registration
from core.services import build_services
from core.sessions import Sessions

PASSWORD = 'a long enough passphrase'
BASE = 'https://cop.example.be'


class Clock:
    def __init__(self) -> None:
        self.now = 2_000_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def services(tmp_path, smtp_server, clock):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    services.mailer.close()
    services.mailer = Mailer(tmp_path / 'outbox', sender='cop@example.be', relay=parse_smtp_url(smtp_server.url))
    services.links = Links(services.store.accounts, clock=clock)
    services.registration = Registration(services.accounts, services.links, services.mailer, services.content.ui)
    yield services
    services.mailer.close()


def link_in(received, path: str) -> str:
    [link] = [link for link in received.links() if path in link]
    return link.rsplit('/', 1)[1]


async def test_a_new_address_gets_a_confirmation_link_that_works_once(services, smtp_server):
    reg = services.registration
    await reg.sign_up('Anna Peeters', 'Anna@Example.be', PASSWORD, 'fr', 'b1', BASE, '/invite/abc')
    user = services.accounts.by_email('anna@example.be')
    assert user is not None and not user.confirmed
    [mail] = smtp_server.wait_for(1)
    assert mail.rcpt_tos == ['anna@example.be'] and mail.message['Content-Language'] == 'fr-BE'
    assert 'confirmez votre adresse' in mail.message['Subject'] and 'CoP-toolbox' in mail.message['Subject']
    assert PASSWORD not in mail.text and PASSWORD not in mail.html  # never a password in a mail
    assert f'{BASE}/signup/confirm/' in mail.text and 'href="https://cop.example.be/signup/confirm/' in mail.html
    token = link_in(mail, '/signup/confirm/')
    raw = (services.settings.data_dir / 'accounts.json').read_text()
    assert token not in raw  # stored only as a hash

    with pytest.raises(PermissionDenied) as refused:  # not confirmed yet: no community
        await services.communities.create(user.id, {'name': 'CoP'})
    assert refused.value.key == 'auth.error.unconfirmed'
    done = await reg.confirm(token)
    assert done.user.confirmed and done.next == '/invite/abc'
    await services.communities.create(user.id, {'name': 'CoP'})
    with pytest.raises(ValidationError) as again:
        await reg.confirm(token)
    assert again.value.key == 'link.error.used'


@pytest.mark.parametrize(
    'token, key',
    [
        ('x' * 43, 'link.error.unknown'),
        ('', 'link.error.unknown'),
        (None, 'link.error.unknown'),
        ('a' * 500, 'link.error.unknown'),
    ],
)
async def test_forged_links_are_refused_and_change_nothing(services, token, key):
    with pytest.raises(ValidationError) as refused:
        await services.registration.confirm(token)
    assert refused.value.key == key
    with pytest.raises(ValidationError):
        services.registration.reset_target(token)


async def test_a_confirmation_link_expires_after_24_hours(services, smtp_server, clock):
    await services.registration.sign_up('Bo', 'bo@example.be', PASSWORD, 'nl', 'b1', BASE)
    token = link_in(smtp_server.wait_for(1)[0], '/signup/confirm/')
    clock.now += 24 * 3600 + 1
    with pytest.raises(ValidationError) as refused:
        await services.registration.confirm(token)
    assert refused.value.key == 'link.error.expired'
    assert not services.accounts.by_email('bo@example.be').confirmed


async def test_an_address_with_an_account_gets_a_mail_with_a_reset_link_and_the_same_answer(services, smtp_server):
    owner = await services.accounts.sign_up('Els Claes', 'els@example.be', PASSWORD, 'en')
    result = await services.registration.sign_up('Someone', 'els@example.be', 'another passphrase', 'nl', 'b2', BASE)
    assert result is None  # the same answer as for a new address
    assert services.accounts.count() == 1 and services.accounts.get(owner.id).name == 'Els Claes'
    [mail] = smtp_server.wait_for(1)
    assert mail.message['Content-Language'] == 'en-GB'  # the account's language, not the form's
    assert 'already have an account' in mail.message['Subject']
    assert '/reset/' in mail.text and '/signup/confirm/' not in mail.text
    assert 'another passphrase' not in mail.text


async def test_existing_accounts_from_before_confirmation_count_as_confirmed(services):
    user = await services.accounts.sign_up('Old', 'old@example.be', PASSWORD)
    users = services.store.accounts.table('users')
    users.update(lambda doc: doc.pop('confirmed'), doc_ids=[users.all()[0].doc_id])  # as an older version wrote it
    assert 'confirmed' not in users.all()[0]
    assert services.accounts.get(user.id).confirmed
    await services.communities.create(user.id, {'name': 'CoP'})


async def test_a_reset_link_sets_a_new_password_ends_every_session_and_works_once(services, smtp_server, clock):
    user = await services.accounts.sign_up('Jan', 'jan@example.be', PASSWORD, 'fr')
    sessions = Sessions(services.store.accounts, services.accounts)
    await sessions.start(user)
    await sessions.start(user)
    await services.registration.request_reset('JAN@example.be ', 'b3', BASE)
    await services.registration.request_reset('nobody@example.be', 'b3', BASE)  # no account: no mail, same answer
    [mail] = smtp_server.wait_for(1)
    assert mail.rcpt_tos == ['jan@example.be'] and mail.message['Content-Language'] == 'fr-BE'
    token = link_in(mail, '/reset/')
    assert services.registration.reset_target(token).id == user.id  # showing the form does not use the link
    with pytest.raises(ValidationError) as short:
        await services.registration.reset(token, 'short')
    assert short.value.field == 'new'
    updated = await services.registration.reset(token, 'a brand new passphrase')
    assert updated.auth_epoch == user.auth_epoch + 1 and sessions.count(user.id) == 0
    assert (await services.accounts.authenticate('jan@example.be', 'a brand new passphrase', 'b')).id == user.id
    with pytest.raises(ValidationError) as reused:
        await services.registration.reset(token, 'yet another passphrase')
    assert reused.value.key == 'link.error.used'


async def test_a_reset_link_expires_after_an_hour_and_a_newer_one_replaces_it(services, smtp_server, clock):
    await services.accounts.sign_up('Jan', 'jan@example.be', PASSWORD)
    await services.registration.request_reset('jan@example.be', 'b', BASE)
    first = link_in(smtp_server.wait_for(1)[0], '/reset/')
    await services.registration.request_reset('jan@example.be', 'b', BASE)
    second = link_in(smtp_server.wait_for(2)[1], '/reset/')
    with pytest.raises(ValidationError) as replaced:
        services.registration.reset_target(first)
    assert replaced.value.key == 'link.error.unknown'
    clock.now += 3601
    with pytest.raises(ValidationError) as expired:
        await services.registration.reset(second, 'a brand new passphrase')
    assert expired.value.key == 'link.error.expired'


async def test_sign_ups_are_limited_per_browser_and_mails_per_address(services, smtp_server):
    reg = services.registration
    for i in range(3):
        await reg.sign_up('Lou', 'lou@example.be', PASSWORD, 'nl', f'browser{i}', BASE)
    await reg.sign_up('Lou', 'lou@example.be', PASSWORD, 'nl', 'browser9', BASE)  # same answer, but no fourth mail
    services.mailer.wait_idle()
    assert len([m for m in smtp_server.received if 'lou@example.be' in m.rcpt_tos]) == 3
    for i in range(10):
        await reg.request_reset(f'x{i}@example.be', 'busy-browser', BASE)
    with pytest.raises(AuthError) as limited:
        await reg.sign_up('Max', 'max@example.be', PASSWORD, 'nl', 'busy-browser', BASE)
    assert limited.value.key == 'auth.error.mail_limit' and limited.value.params['minutes'] >= 1
    assert services.accounts.by_email('max@example.be') is None


@pytest.mark.parametrize(
    'name, email, password, field',
    [
        ('', 'a@b.be', PASSWORD, 'name'),
        ('A', 'nope', PASSWORD, 'email'),
        ('A', 'a@b.be', 'short', 'password'),
        (['x'], 'a@b.be', PASSWORD, 'name'),
        ('A', {'x': 1}, PASSWORD, 'email'),
    ],
)
async def test_bad_sign_up_input_names_the_field_and_sends_nothing(services, smtp_server, name, email, password, field):
    with pytest.raises(ValidationError) as refused:
        await services.registration.sign_up(name, email, password, 'nl', 'b', BASE)
    assert refused.value.field == field
    assert services.accounts.count() == 0 and services.mailer.wait_idle() and not smtp_server.received


def test_mail_texts_exist_in_every_language_and_hold_the_link_and_product(services):
    from core.mailtext import render

    for lang in ('nl', 'fr', 'en', 'de'):
        for key in ('mail.confirm', 'mail.exists', 'mail.reset'):
            mail = render(services.content.ui, key, lang, link=f'{BASE}/x/y', name='<Anna>')
            assert 'CoP-toolbox' in mail.text and f'{BASE}/x/y' in mail.text
            assert '&lt;Anna&gt;' in mail.html and '<Anna>' not in mail.html  # escaped in the HTML part
            assert not re.search(r'\{\w+\}', mail.text), mail.text
