"""Sources you can see, in Chromium: each disclosure opens from the keyboard and the pages stay axe-clean with it
open (the guide, the kick-off editor with its library, the IT-tools setup)."""

from __future__ import annotations

from playwright.sync_api import expect

from core.demo import DEMO_EMAIL

from .conftest import DEMO_PASSWORD, log_in, serious_violations, wait_idle


def _open_first_by_keyboard(page, summary_text: str) -> None:
    summary = page.locator('details.cop-source > summary', has_text=summary_text).first
    summary.focus()
    expect(summary).to_be_focused()
    page.keyboard.press('Enter')
    expect(summary.locator('xpath=..')).to_have_attribute('open', '')
    expect(summary.locator('xpath=..')).to_contain_text('Gebaseerd op: ')


def test_source_disclosures_open_by_keyboard_and_pass_axe(server, page):
    log_in(page, server.url, DEMO_EMAIL, DEMO_PASSWORD)
    cid = page.locator('a[href^="/c/"]').first.get_attribute('href').split('/')[2]
    problems = {}
    page.goto(f'{server.url}/c/{cid}/guide?phase=launch&lang=nl')
    wait_idle(page)
    _open_first_by_keyboard(page, 'Waarom deze vraag?')
    problems['guide'] = serious_violations(page)

    page.goto(f'{server.url}/c/{cid}/kickoff?lang=nl')
    wait_idle(page)
    page.goto(server.url + page.get_by_role('link', name='Kick-off CoP Klantgericht schrijven').get_attribute('href'))
    wait_idle(page)
    _open_first_by_keyboard(page, 'Waarom dit blok?')
    page.get_by_role('button', name='Bibliotheek met werkvormen').click()
    page.wait_for_timeout(400)
    _open_first_by_keyboard(page, 'Waarop is dit gebaseerd?')
    problems['kickoff'] = serious_violations(page)

    page.goto(f'{server.url}/c/{cid}/ittools')
    wait_idle(page)
    comparison = page.locator(f'a[href^="/c/{cid}/ittools/c"]').first.get_attribute('href')
    page.goto(f'{server.url}{comparison}/setup')
    wait_idle(page)
    _open_first_by_keyboard(page, 'Waarop is dit gebaseerd?')
    problems['ittools setup'] = serious_violations(page)
    assert not any(problems.values()), problems
