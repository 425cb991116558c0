"""The kompas in Chromium, by keyboard only: start, answer, leave halfway, come back, finish, read the result."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from core.demo import DEMO_EMAIL

from .conftest import DEMO_PASSWORD, log_in, serious_violations, wait_idle


def tab_to(page, locator, limit: int = 60) -> None:
    """Press Tab until `locator` has the keyboard focus: proof that the keyboard alone reaches it."""
    for _ in range(limit):
        page.keyboard.press('Tab')
        if locator.evaluate('el => el === document.activeElement || el.contains(document.activeElement)'):
            return
    raise AssertionError(f'{locator} not reached with Tab')


def answer_dimension(page, value_label: str) -> int:
    """Answer every question on the page with the option `value_label`, by keyboard. Returns how many."""
    groups = page.get_by_role('radiogroup')
    expect(groups.first).to_be_visible()  # the page after a navigation has rendered (a busy machine is slow)
    count = groups.count()
    for index in range(count):
        option = groups.nth(index).get_by_role('radio', name=value_label, exact=True)
        tab_to(page, groups.nth(index))  # a radio group is one Tab stop; arrow keys move and choose within it
        for _ in range(8):
            if option.evaluate('el => el.contains(document.activeElement)'):
                break
            page.keyboard.press('ArrowDown')
        if option.get_attribute('aria-checked') != 'true':
            page.keyboard.press('Space')
        expect(option).to_have_attribute('aria-checked', 'true')
        expect(page.get_by_text('Antwoord opgeslagen.').nth(index)).to_be_visible()
    return count


def click_dimension(page, value_label: str) -> int:
    """Answer every question on the page with the option `value_label`, by mouse (the keyboard's way through the
    whole kompas is test_keyboard_e2e's). Returns how many."""
    groups = page.get_by_role('radiogroup')
    expect(groups.first).to_be_visible()
    count = groups.count()
    for index in range(count):
        option = groups.nth(index).get_by_role('radio', name=value_label, exact=True)
        option.click()
        expect(option).to_have_attribute('aria-checked', 'true')
        expect(page.get_by_text('Antwoord opgeslagen.').nth(index)).to_be_visible()
    return count


def test_complete_the_kompas_leaving_halfway_by_keyboard_then_by_mouse(server, browser):
    context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE')
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, server.url, DEMO_EMAIL, DEMO_PASSWORD)
    cid = page.locator('a[href^="/c/"]').first.get_attribute('href').split('/')[2]
    page.goto(f'{server.url}/c/{cid}/kompas?lang=nl')
    wait_idle(page)
    start = page.get_by_role('button', name='Nieuwe volledige meting')
    tab_to(page, start)
    page.keyboard.press('Enter')
    page.wait_for_url(re.compile(r'.*/kompas/answer\?d=domain'))
    wait_idle(page)
    violations = {'answer page': serious_violations(page)}

    answered = 0
    for value in ('Eerste stappen gezet', 'Gedeeltelijk aanwezig', 'Grotendeels aanwezig', 'Volledig verankerd'):
        answered += answer_dimension(page, value)
        tab_to(page, page.get_by_role('button', name=re.compile('^Volgende')))
        page.keyboard.press('Enter')
        wait_idle(page)
    assert answered == 20  # domain 6, community 6, practice 4, coordination 4 (kompas v3)

    # leave halfway: close the page, come back later through the overview
    page.close()
    page = context.new_page()
    page.goto(f'{server.url}/c/{cid}/kompas')
    wait_idle(page)
    expect(page.get_by_text('20 van 42 vragen beantwoord')).to_be_visible()
    tab_to(page, page.get_by_role('button', name='Verder invullen'))
    page.keyboard.press('Enter')
    page.wait_for_url(re.compile(r'.*/kompas/answer\?d=rhythm'))
    wait_idle(page)
    for value in ('Nog niet', 'Eerste stappen gezet', 'Gedeeltelijk aanwezig'):
        click_dimension(page, value)
        page.get_by_role('button', name=re.compile('^Volgende')).click()
        wait_idle(page)
    click_dimension(page, 'Niet van toepassing / weet ik niet')
    page.get_by_role('button', name='Naar overzicht en afronden').click()
    wait_idle(page)
    expect(page.get_by_text('Alle vragen zijn beantwoord.')).to_be_visible()
    tab_to(page, page.get_by_role('button', name='Afronden'))
    page.keyboard.press('Enter')
    page.wait_for_url(re.compile(r'.*/kompas/result/[0-9a-f]+'))
    wait_idle(page)

    # domain 2, community 3, practice 4, coordination 5, rhythm 1, anchoring 2, value 3, digital n/a (no score)
    table = page.get_by_role('table')
    for name, score in (('Domein en doel', '2,0'), ('Coördinatie en rollen', '5,0'), ('Ritme en activiteiten', '1,0')):
        expect(table.get_by_role('row', name=re.compile(f'^{name}'))).to_contain_text(score)
    expect(table.get_by_role('row', name=re.compile('^Digitale ruimte'))).to_contain_text('te weinig antwoorden')
    overall = 'Indicatie van de ontwikkelingsfase: Groeien (gemiddeld 2,9 op 5)'  # 20 / 7
    expect(page.get_by_text(overall)).to_be_visible()
    expect(table.get_by_role('columnheader', name='Vorige meting')).to_be_visible()  # compared with the demo round
    violations['result page'] = serious_violations(page)
    page.goto(page.url + '?lang=fr')
    wait_idle(page)
    expect(page.get_by_role('heading', level=1)).to_contain_text('Résultat de la boussole CoP')
    violations['result page fr'] = serious_violations(page)
    page.set_viewport_size({'width': 375, 'height': 800})
    wait_idle(page)
    violations['result page phone'] = serious_violations(page)
    context.close()
    assert not {k: v for k, v in violations.items() if v}, violations
