"""A member answers the survey on a 375 px phone, in French, in Chromium; axe on every step."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from .conftest import serious_violations, wait_idle


def open_round(server) -> tuple[str, str]:
    """The demo community's open round (community id, link token), read from the data file."""
    for path in (server.data_dir / 'communities').glob('*.json'):
        data = json.loads(path.read_text())
        for doc in data.get('survey_rounds', {}).values():
            if doc['status'] == 'open' and doc['instrument'] == 'member_survey':
                return path.stem, doc['token']
    raise AssertionError('the demo has no open survey round')


def test_answer_the_survey_on_a_phone_in_french(server, browser):
    cid, token = open_round(server)
    context = browser.new_context(
        viewport={'width': 375, 'height': 740}, locale='fr-BE', is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f'{server.url}/s/{cid}/{token}?lang=fr')
    wait_idle(page)
    assert page.locator('html').get_attribute('lang') == 'fr'
    expect(page.get_by_role('heading', level=1)).to_have_text('Enquête auprès des membres')
    expect(page.get_by_text('Nous ne conservons ni nom')).to_be_visible()
    violations = {'start': serious_violations(page)}
    assert page.evaluate('document.documentElement.scrollWidth') <= 375  # nothing wider than the phone

    step = 0
    while True:
        step += 1
        for group in page.get_by_role('radiogroup').all():
            group.get_by_role('radio').nth(1).click()
        expect(page.get_by_text(re.compile(r'^\d+ questions sur \d+ répondues$'))).to_be_visible()
        if step == 3:
            violations['step 3'] = serious_violations(page)
        if page.get_by_role('button', name='Envoyer').count():
            break
        page.get_by_role('button', name='Suivant').click()
        expect(page.get_by_role('heading', name=re.compile(f'^Partie {step + 1} sur'))).to_be_focused()
    page.get_by_role('button', name='Envoyer').click()
    # the multiple-choice and open questions were left open: the page asks first
    page.get_by_role('alertdialog').get_by_role('button', name='Envoyer').click()
    expect(page.get_by_role('heading', name='Merci ! Votre réponse a été envoyée.')).to_be_visible()
    receipt = page.locator('.font-mono').inner_text()
    assert re.fullmatch(r'[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}', receipt)
    violations['thanks'] = serious_violations(page)

    page.reload()  # the same browser again: already answered
    wait_idle(page)
    expect(page.get_by_text('Vous avez déjà répondu à cette enquête sur cet appareil.')).to_be_visible()

    page.get_by_role('link', name='Retirer ma réponse').click()
    wait_idle(page)
    violations['withdraw'] = serious_violations(page)
    page.get_by_label('Code de reçu').fill(receipt)
    page.get_by_role('button', name='Retirer la réponse').click()
    page.get_by_role('alertdialog').get_by_role('button', name='Retirer la réponse').click()
    expect(page.get_by_text('Votre réponse a été effacée.')).to_be_visible()
    context.close()
    assert not {k: v for k, v in violations.items() if v}, violations


def test_facilitation_checklist_and_participant_feedback_pages(server, browser):
    from core.demo import DEMO_EMAIL

    from .conftest import DEMO_PASSWORD, log_in

    context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE')
    page = context.new_page()
    log_in(page, server.url, DEMO_EMAIL, DEMO_PASSWORD)
    cid = page.locator('a[href^="/c/"]').first.get_attribute('href').split('/')[2]
    page.goto(f'{server.url}/c/{cid}/animation?lang=nl')
    wait_idle(page)
    violations = {'sessions': serious_violations(page)}
    page.get_by_role('link', name='Schrijfatelier: korte zinnen').first.click()
    wait_idle(page)
    expect(page.get_by_text('Rendement van de geïnvesteerde tijd')).to_be_visible()
    violations['session'] = serious_violations(page)
    link = page.get_by_role('textbox', name='Link naar de bevraging').input_value()
    context.close()

    phone = browser.new_context(viewport={'width': 375, 'height': 740}, locale='nl-BE', is_mobile=True)
    page = phone.new_page()
    page.goto(link)
    wait_idle(page)
    violations['feedback form'] = serious_violations(page)
    page.get_by_role('radiogroup').get_by_role('radio').nth(3).click()
    page.get_by_label('Je antwoord').first.fill('De voorbeelden <script>alert(1)</script>')
    page.get_by_role('button', name='Verzenden').click()
    expect(page.get_by_role('heading', name='Bedankt! Je antwoord is verzonden.')).to_be_visible()
    phone.close()
    assert not {k: v for k, v in violations.items() if v}, violations
