"""The app shell in a real browser: sign up, create a community, switch language; axe on every page; kill -9."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from core.demo import DEMO_EMAIL

from .conftest import DEMO_PASSWORD, confirm_by_mail, log_in, serious_violations, start_server, wait_idle


def test_sign_up_create_community_and_switch_to_french(server, page, mail_server):
    page.goto(f'{server.url}/signup')
    wait_idle(page)
    assert page.locator('html').get_attribute('lang') == 'nl-BE'  # from the browser's nl-BE
    page.get_by_label('Naam', exact=True).fill('Els Janssens')
    page.get_by_label('E-mailadres').fill('els@example.be')
    page.get_by_label('Wachtwoord').fill('een lang genoeg wachtwoord')
    page.get_by_role('button', name='Account aanmaken').click()
    expect(page.get_by_role('heading', name='Kijk in je mailbox')).to_be_visible()
    confirm_by_mail(page, mail_server, 'els@example.be', 'een lang genoeg wachtwoord')
    page.wait_for_url('**/c/new')
    wait_idle(page)
    page.get_by_label('Naam van de community').fill('CoP Toegankelijkheid')
    page.get_by_label('Domein of doel').fill('Samen digitale toegankelijkheid verbeteren.')
    stage = page.get_by_role('radio', name=re.compile('^Groeien'))
    stage.focus()
    page.keyboard.press('Space')  # a real radio group, operable by keyboard
    expect(stage).to_have_attribute('aria-checked', 'true')
    page.get_by_role('button', name='Community aanmaken').click()
    page.wait_for_url(re.compile(r'.*/c/[0-9a-f]{16}$'))
    wait_idle(page)
    assert page.get_by_role('heading', level=1).inner_text() == 'CoP Toegankelijkheid'

    page.get_by_role('link', name='FR – Français').click()
    wait_idle(page)
    assert page.locator('html').get_attribute('lang') == 'fr-BE'
    assert page.get_by_text('Stade de développement', exact=True).is_visible()
    page.get_by_role('link', name='Paramètres').click()
    wait_idle(page)
    assert page.get_by_role('heading', level=1).inner_text() == 'Paramètres de CoP Toegankelijkheid'
    page.get_by_role('link', name='NL – Nederlands').click()
    wait_idle(page)
    assert page.locator('html').get_attribute('lang') == 'nl-BE'
    assert page.get_by_role('heading', level=1).inner_text() == 'Instellingen van CoP Toegankelijkheid'


def test_german_from_the_browser_and_the_switcher_with_de_be_and_no_axe_violation(server, browser):
    """A German-speaking colleague (browser de-BE) gets German without choosing it; the switcher offers DE; the pages
    in German carry <html lang="de-BE"> and pass axe on a desktop and on a phone."""
    problems = {}
    for width in (1280, 375):
        context = browser.new_context(viewport={'width': width, 'height': 900}, locale='de-BE')
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f'{server.url}/login')
        wait_idle(page)
        assert page.locator('html').get_attribute('lang') == 'de-BE'
        expect(page.get_by_role('heading', level=1)).to_have_text('Anmelden')
        expect(page.get_by_role('link', name='DE – Deutsch')).to_have_attribute('aria-current', 'true')
        problems[f'/login @{width}'] = serious_violations(page)
        log_in(page, server.url, DEMO_EMAIL, DEMO_PASSWORD)  # in English: the choice is remembered
        page.get_by_role('link', name='DE – Deutsch').click()
        wait_idle(page)
        assert page.locator('html').get_attribute('lang') == 'de-BE'
        cid = page.locator('a[href^="/c/"]').first.get_attribute('href').split('/')[2]
        for path in ('/', f'/c/{cid}', f'/c/{cid}/plan', f'/c/{cid}/kompas', f'/c/{cid}/survey', '/account'):
            page.goto(server.url + path)
            wait_idle(page)
            assert page.locator('html').get_attribute('lang') == 'de-BE', path
            problems[f'{path} @{width}'] = serious_violations(page)
        expect(page.get_by_role('heading', level=1)).to_have_text('Mein Konto')
        page.goto(f'{server.url}/account?lang=nl')  # back to Dutch for the tests that follow on this server
        wait_idle(page)
        context.close()
    assert not {k: v for k, v in problems.items() if v}, json.dumps(problems, indent=1)


def test_keyboard_reaches_the_skip_link_first(server, page):
    page.goto(f'{server.url}/login')
    wait_idle(page)
    page.keyboard.press('Tab')
    focused = page.evaluate('document.activeElement.className + "|" + document.activeElement.textContent')
    assert 'nicegui-skip-link' in focused and 'Naar de inhoud' in focused


def test_no_serious_accessibility_violation_on_any_page(server, browser):
    problems = {}
    for width in (1280, 375):
        context = browser.new_context(viewport={'width': width, 'height': 900}, locale='nl-BE')
        page = context.new_page()
        for path in ('/', '/login', '/signup', '/nope', '/?lang=fr', '/login?lang=en'):
            page.goto(server.url + path)
            wait_idle(page)
            problems[f'{path} @{width}'] = serious_violations(page)
        log_in(page, server.url, DEMO_EMAIL, DEMO_PASSWORD)
        cid = page.locator('a[href^="/c/"]').first.get_attribute('href').split('/')[2]
        for path in (
            '/',
            '/c/new',
            f'/c/{cid}',
            f'/c/{cid}/settings',
            f'/c/{cid}/members',
            '/account',
            '/import',
            '/invite/unknown-token',
            f'/c/{cid}?lang=fr',
            f'/c/{cid}/settings?lang=en',
        ):
            page.goto(server.url + path)
            wait_idle(page)
            problems[f'{path} @{width}'] = serious_violations(page)
        page.goto(f'{server.url}/c/{cid}/settings?lang=nl')
        wait_idle(page)
        page.get_by_role('button', name='Definitief verwijderen').click()
        page.get_by_role('alertdialog').wait_for()
        page.wait_for_timeout(1000)  # let the opening animation end: half-faded text fails the contrast check
        problems[f'delete dialog @{width}'] = serious_violations(page)
        page.keyboard.press('Escape')
        page.goto(f'{server.url}/c/{cid}/members')
        wait_idle(page)
        page.get_by_role('button', name='Uitnodigingslink maken').click()
        page.wait_for_timeout(400)
        problems[f'invitation created @{width}'] = serious_violations(page)
        context.close()
    assert not {k: v for k, v in problems.items() if v}, json.dumps(problems, indent=1)


def test_kill_9_after_confirmed_edits_loses_nothing(browser, tmp_path):
    server = start_server(tmp_path / 'data')
    try:
        context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE')
        page = context.new_page()
        log_in(page, server.url, DEMO_EMAIL, DEMO_PASSWORD)
        cid = page.locator('a[href^="/c/"]').first.get_attribute('href').split('/')[2]
        page.goto(f'{server.url}/c/{cid}/settings?lang=nl')
        wait_idle(page)
        for i in range(5):
            page.get_by_label('Sponsor', exact=True).fill(f'Sponsor versie {i}')
            page.get_by_role('button', name='Opslaan').click()
            page.get_by_text('Opgeslagen.').first.wait_for()  # the UI confirmed it
            page.wait_for_url(f'**/c/{cid}/settings')
            wait_idle(page)
        context.close()
        server.stop(kill=True)  # kill -9
        for path in (server.data_dir / 'communities').rglob('*.json'):  # main files and their parts
            json.loads(path.read_text())
        json.loads((server.data_dir / 'accounts.json').read_text())
        restarted = start_server(server.data_dir, demo=False)
        try:
            context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE')
            page = context.new_page()
            log_in(page, restarted.url, DEMO_EMAIL, DEMO_PASSWORD)
            page.goto(f'{restarted.url}/c/{cid}?lang=nl')
            wait_idle(page)
            assert page.get_by_text('Sponsor versie 4').is_visible()
            context.close()
        finally:
            restarted.stop()
    finally:
        server.stop(kill=True)
