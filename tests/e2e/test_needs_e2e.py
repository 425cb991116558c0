"""The needs survey in Chromium: the coordinator opens a round with personal links, three prospective members answer
it in German on 375 px phones (?lang=de), and its released results appear in the kick-off scenario's "needs and
expectations" block, in Dutch and in German. Axe on every new or changed page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import serious_violations, wait_idle

DE = {
    'progress': re.compile(r'^\d+ von \d+ Fragen beantwortet$'),
    'next': 'Weiter',
    'send': 'Senden',
    'thanks': 'Vielen Dank! Ihre Antwort wurde gesendet.',
}


def answer_in_german_on_a_phone(browser, link: str, choice: int) -> list[str]:
    """A prospective member answers every part on a phone in German, ticking option `choice` of every question."""
    context = browser.new_context(
        viewport={'width': 375, 'height': 740}, locale='de-BE', is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f'{link}?lang=de')
    wait_idle(page)
    assert page.locator('html').get_attribute('lang') == 'de-BE'
    expect(page.get_by_role('heading', name='Bedarfsumfrage', exact=True).first).to_be_visible()
    violations = serious_violations(page)
    while True:
        assert page.evaluate('document.documentElement.scrollWidth') <= 375  # nothing wider than the phone
        for group in page.get_by_role('radiogroup').all():
            group.get_by_role('radio').nth(choice).click()
        for group in page.locator('[role=group]').all():
            group.get_by_role('checkbox').nth(choice).click()
        expect(page.get_by_text(DE['progress'])).to_be_visible()
        if page.get_by_role('button', name=DE['send'], exact=True).count():
            break
        page.get_by_role('button', name=DE['next'], exact=True).click()
        wait_idle(page)
    page.get_by_role('button', name=DE['send'], exact=True).click()
    dialog = page.get_by_role('alertdialog')
    page.wait_for_timeout(400)
    if dialog.count():
        dialog.get_by_role('button', name=DE['send'], exact=True).click()
    expect(page.get_by_role('heading', name=DE['thanks'])).to_be_visible()
    violations += serious_violations(page)
    context.close()
    return violations


def test_needs_survey_answered_in_german_on_phones_feeds_the_kickoff_scenario(server, browser):
    from core.demo import DEMO_EMAIL

    from .conftest import DEMO_PASSWORD, log_in

    context = browser.new_context(viewport={'width': 1366, 'height': 768}, locale='nl-BE', accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, server.url, DEMO_EMAIL, DEMO_PASSWORD)
    cid = page.locator('a[href^="/c/"]').first.get_attribute('href').split('/')[2]
    page.goto(f'{server.url}/c/{cid}/needs?lang=nl')
    wait_idle(page)
    violations = {'overview': serious_violations(page)}
    page.get_by_label('Naam van de ronde (optioneel)').fill('Voor de kick-off')
    page.get_by_label('Minimum aantal antwoorden voor resultaten').fill('3')
    page.get_by_role('button', name='Ronde aanmaken').click()
    page.wait_for_url(re.compile(r'.*/needs/[0-9a-f]{12}$'))
    wait_idle(page)
    page.get_by_role('button', name='Ronde openen').click()
    wait_idle(page)
    page.get_by_label('Aantal links').fill('3')
    page.get_by_role('button', name='Links maken').click()
    expect(page.get_by_text('3 nieuwe links gemaakt.', exact=False)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role('button', name='Lijst voor mail merge (CSV)').click()
    rows = download.value.path().read_text(encoding='utf-8-sig').splitlines()[1:]
    links = [row.split(';')[1] for row in rows]
    violations['round'] = serious_violations(page)

    for n, choice in enumerate((0, 1, 0)):  # two of three choose the first option of every question
        violations[f'phone {n}'] = answer_in_german_on_a_phone(browser, links[n], choice)

    page.reload()
    wait_idle(page)
    expect(page.get_by_text('De resultaten hieronder tonen 3 antwoorden.')).to_be_visible()
    violations['round with results'] = serious_violations(page)

    page.goto(f'{server.url}/c/{cid}/kickoff?lang=nl')
    wait_idle(page)
    page.get_by_role('link', name='Kick-off CoP Klantgericht schrijven').click()
    wait_idle(page)
    block = page.locator('[data-block]').filter(has=page.get_by_text('Resultaten van de behoeftepeiling'))
    expect(block.get_by_text('Uit de behoeftepeiling (3 antwoorden, vrijgegeven momentopname):')).to_be_visible()
    expect(block.get_by_text(re.compile(r'^In de voormiddag \(67\s%\)'))).to_be_visible()
    expect(block.get_by_text(re.compile(r'Concrete gevallen uit het dagelijkse werk \(67\s%\)'))).to_be_visible()
    violations['kick-off editor'] = serious_violations(page)
    page.goto(page.url.split('?')[0] + '?lang=de')
    wait_idle(page)
    expect(page.get_by_text('Aus der Bedarfsumfrage (3 Antworten, freigegebener Stand):')).to_be_visible()
    expect(page.get_by_text(re.compile(r'^Am Vormittag \(67\s%\)'))).to_be_visible()
    context.close()
    assert not {k: v for k, v in violations.items() if v}, violations
