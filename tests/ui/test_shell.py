"""The app shell as a user meets it: sign up, log in, guards, communities, languages, invitations, deletion."""

from __future__ import annotations

import asyncio
import json

from nicegui import app, ui
from nicegui.testing import User

from .helpers import PASSWORD, confirm_and_log_in, create_community, current_community, log_in, log_out, settle, sign_up


async def test_sign_up_then_create_a_community(user: User):
    await sign_up(user)
    await user.should_see(marker='field-name', retries=30)  # a new user lands on "create a community"
    cid = await create_community(user, 'CoP Wetgeving')
    await user.should_see('CoP Wetgeving')
    await user.open('/')
    await user.should_see(marker='community-link')
    assert len(cid) == 16


async def test_wrong_password_gets_a_clear_message(user: User):
    await sign_up(user)
    await user.should_see(marker='field-name', retries=30)
    await log_out(user)
    await log_in(user, 'anna@example.be', 'wrong password!!', expect_success=False)
    await user.should_see('E-mailadres of wachtwoord klopt niet.', retries=30)


async def test_private_page_redirects_to_login_and_back(user: User, create_user):
    owner = create_user()
    await sign_up(owner, 'Owner', 'owner@example.be')
    await owner.should_see(marker='field-name', retries=30)
    cid = await create_community(owner)
    await sign_up(user, 'Visitor', 'visitor@example.be')
    await user.should_see(marker='field-name', retries=30)
    await log_out(user)
    await log_in(user, 'owner@example.be', path=f'/c/{cid}/settings')  # the guard sent us to /login?next=...
    await user.should_see(marker='save-community', retries=30)


async def test_unauthenticated_visit_is_redirected(user: User):
    response = await user.http_client.get('/c/0123456789abcdef', follow_redirects=False)
    assert response.status_code == 303
    assert response.headers['location'] == '/login?next=%2Fc%2F0123456789abcdef'
    response = await user.http_client.get('/account', follow_redirects=False)
    assert response.headers['location'] == '/login?next=%2Faccount'


async def test_unknown_pages_get_a_friendly_404_in_the_right_language(user: User):
    response = await user.http_client.get('/no/such/page?lang=fr')
    assert response.status_code == 404
    assert 'Page introuvable' in response.text
    assert 'Traceback' not in response.text
    assert '<html lang="fr"' in response.text


async def test_login_redirect_never_leaves_the_site(user: User):
    await sign_up(user)
    await user.should_see(marker='field-name', retries=30)
    await log_out(user)
    await log_in(user, 'anna@example.be', path='/login?next=//evil.example/x')
    await user.should_see(marker='new-community', retries=30)  # landed on / instead


async def test_language_from_browser_then_switch_and_remember(user: User):
    user.http_client.headers['Accept-Language'] = 'fr-BE,fr;q=0.9'
    await user.open('/')
    await user.should_see('Bienvenue dans la boîte à outils CoP')
    await user.open('/?lang=en')
    await user.should_see('Welcome to the CoP toolbox')
    await user.open('/')  # remembered for this visitor
    await user.should_see('Welcome to the CoP toolbox')
    response = await user.http_client.get('/login')
    assert '<html lang="en-GB"' in response.text


async def test_language_choice_is_saved_to_the_account(user: User):
    await sign_up(user)
    await user.should_see(marker='field-name', retries=30)
    await user.open('/?lang=fr')
    await user.should_see('Mes communautés', retries=10)
    services = app.state.services
    for _ in range(20):
        if services.accounts.by_email('anna@example.be').lang == 'fr':
            break
        await asyncio.sleep(0.05)
    assert services.accounts.by_email('anna@example.be').lang == 'fr'


async def test_german_with_lang_de_from_the_browser_and_in_the_account(user: User):
    """?lang=de gives the page in German with DE in the switcher; a German browser gets German without choosing;
    the choice goes to the account, and the account page offers German."""
    response = await user.http_client.get('/login', headers={'Accept-Language': 'de-BE,de;q=0.9,fr;q=0.5'})
    assert '<html lang="de"' in response.text and 'Anmelden' in response.text  # Quasar's pack; de-BE once started
    await sign_up(user)
    await user.should_see(marker='field-name', retries=30)
    await user.open('/?lang=de')
    await user.should_see('Meine Communities', retries=10)
    await user.should_see(marker='lang-de')
    switcher = {lang: user.find(marker=f'lang-{lang}').elements.pop() for lang in ('nl', 'fr', 'en', 'de')}
    assert switcher['de'].props.get('aria-current') == 'true' and 'aria-current' not in switcher['fr'].props
    assert switcher['de'].props['aria-label'] == 'DE – Deutsch' and switcher['de'].props['hreflang'] == 'de'
    services = app.state.services
    for _ in range(20):
        if services.accounts.by_email('anna@example.be').lang == 'de':
            break
        await asyncio.sleep(0.05)
    assert services.accounts.by_email('anna@example.be').lang == 'de'
    await user.open('/account')
    await user.should_see('Bevorzugte Sprache')
    await user.should_see('Mein Konto')
    response = await user.http_client.get('/no/such/page?lang=de')
    assert response.status_code == 404 and 'Seite nicht gefunden' in response.text


async def test_switch_community(user: User):
    await sign_up(user)
    await user.should_see(marker='field-name', retries=30)
    first = await create_community(user, 'Eerste CoP')
    second = await create_community(user, 'Tweede CoP')
    assert first != second
    switcher = user.find(marker='community-switcher').elements.pop()
    assert set(switcher.options) == {first, second}
    switcher.value = first
    for _ in range(30):
        if current_community(user) == first:
            break
        await asyncio.sleep(0.05)
    assert current_community(user) == first
    await user.should_see(marker='community-summary')


async def test_invite_a_coach_who_sees_the_community_read_only(user: User, create_user):
    coach = create_user()
    await sign_up(user, 'Owner', 'owner@example.be')
    await user.should_see(marker='field-name', retries=30)
    cid = await create_community(user, 'CoP Samen')
    await user.open(f'/c/{cid}/members')
    user.find(marker='invite-role').elements.pop().value = 'coach'
    user.find(marker='invite-create').click()
    await user.should_see(marker='invite-link', retries=20)
    link = user.find(marker='invite-link').elements.pop().value
    token_path = '/invite/' + link.rsplit('/invite/', 1)[1]

    await coach.open(token_path)  # not logged in: login page, then sign up keeping the way back
    await coach.should_see(marker='login-email')
    coach.find(marker='to-signup').click()
    await coach.should_see(marker='signup-name', retries=10)
    coach.find(marker='signup-name').type('Kim Coach')
    coach.find(marker='signup-email').type('kim@example.be')
    coach.find(marker='signup-password').type(PASSWORD)
    coach.find(marker='signup-submit').click()
    await coach.should_see(marker='mailbox-notice', retries=30)
    await confirm_and_log_in(coach, 'kim@example.be')  # the link in the mail, then back to the invitation
    await coach.should_see(marker='invite-accept', retries=30)
    coach.find(marker='invite-accept').click()
    await coach.should_see(marker='community-summary', retries=20)
    await coach.should_see('Coach')
    await coach.should_not_see(marker='edit-community')
    await coach.open(f'/c/{cid}/settings')
    await coach.should_see(marker='read-only-note')
    await coach.should_not_see(marker='save-community')
    await coach.should_not_see(marker='delete-community')
    await coach.should_not_see(marker='export-community')

    await coach.open(token_path)  # a used link does not work twice
    await coach.should_see(marker='invite-problem')
    await user.open(f'/c/{cid}/members')
    await user.should_see('Kim Coach')


async def test_edit_community_with_validation_message(user: User):
    await sign_up(user)
    await user.should_see(marker='field-name', retries=30)
    cid = await create_community(user)
    await user.open(f'/c/{cid}/settings')
    user.find(marker='field-name').clear()
    user.find(marker='save-community').click()
    await user.should_see('Geef de community een naam.', retries=10)
    user.find(marker='field-name').type('Nieuwe naam')
    user.find(marker='save-community').click()
    await user.should_see('Opgeslagen.', retries=10)
    await user.open(f'/c/{cid}')
    await user.should_see('Nieuwe naam')


async def test_delete_needs_confirmation_and_erases(user: User):
    await sign_up(user)
    await user.should_see(marker='field-name', retries=30)
    cid = await create_community(user, 'Weg ermee')
    await user.open(f'/c/{cid}/settings')
    user.find(marker='delete-community').click()
    await user.should_see(marker='confirm-input')
    user.find(marker='confirm-cancel').click()
    await user.open(f'/c/{cid}')
    await user.should_see('Weg ermee')
    await user.open(f'/c/{cid}/settings')
    user.find(marker='delete-community').click()
    await user.should_see(marker='confirm-input')
    user.find(marker='confirm-ok').click()  # the name must be typed first
    await user.should_see('Typ exact: Weg ermee')
    user.find(marker='confirm-input').type('Weg ermee')
    user.find(marker='confirm-ok').click()
    await user.should_see('Weg ermee is verwijderd.', retries=20)
    response = await user.http_client.get(f'/c/{cid}')
    assert response.status_code == 404


async def test_export_and_import_through_the_pages(user: User):
    await sign_up(user)
    await user.should_see(marker='field-name', retries=30)
    cid = await create_community(user, 'Te exporteren')
    await user.open(f'/c/{cid}/settings')
    user.find(marker='export-community').click()
    response = await user.download.next()
    document = json.loads(response.content)
    assert document['community']['name'] == 'Te exporteren'

    await user.open('/import')
    upload = user.find(marker='import-upload').elements.pop()
    await upload.handle_uploads([ui.upload.SmallFileUpload('bad.json', 'application/json', b'{"nope": 1}')])
    await user.should_see('Dit bestand is geen export van de CoP-toolbox.', retries=10)
    before = len(user.back_history)
    await upload.handle_uploads([ui.upload.SmallFileUpload('x.cop.json', 'application/json', response.content)])
    await settle(user, before)  # the notice can show before the new page's address is recorded
    await user.should_see('Te exporteren is geïmporteerd.', retries=20)
    assert current_community(user) != cid


async def test_change_password_ends_other_sessions(user: User, create_user):
    other_device = create_user()
    await sign_up(user)
    await user.should_see(marker='field-name', retries=30)
    await log_in(other_device, 'anna@example.be')
    await other_device.should_see(marker='new-community', retries=30)
    await user.open('/account')
    user.find(marker='pw-current').type(PASSWORD)
    user.find(marker='pw-new').type('a brand new passphrase')
    user.find(marker='pw-change').click()
    await user.should_see('Je wachtwoord is gewijzigd. Op je andere toestellen moet je opnieuw aanmelden.', retries=30)
    await user.open('/account')  # this session continues
    await user.should_see(marker='pw-change')
    response = await other_device.http_client.get('/account', follow_redirects=False)
    assert response.status_code == 303  # the other session has ended


async def test_a_failing_page_shows_a_friendly_error_without_trace(user: User, caplog):
    services = app.state.services

    def broken(*args, **kwargs):
        raise RuntimeError('secret internal detail')

    await sign_up(user)
    services.communities.memberships = broken
    response = await user.http_client.get('/')
    assert response.status_code == 500
    assert 'Er ging iets mis' in response.text
    assert 'secret internal detail' not in response.text and 'Traceback' not in response.text
    assert any('page error' in r.getMessage() for r in caplog.records)  # logged with a reference
    caplog.clear()  # the error was expected: do not fail the test for its log lines
