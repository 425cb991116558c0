"""The member survey in Chromium: the coordinator makes seven personal links, members answer on 375 px phones in
Dutch and French, the same link in a fresh browser is refused; the facilitation checklist's feedback pages. Axe on
every step."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from core.store import read_whole

from .conftest import serious_violations, wait_idle


def answer_on_a_phone(browser, link: str, lang: str, texts: dict) -> tuple[str, dict]:
    """A member answers every part on a 375 px phone in `lang`; returns the receipt code and what was checked."""
    context = browser.new_context(
        viewport={'width': 375, 'height': 740}, locale=f'{lang}-BE', is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f'{link}?lang={lang}')
    wait_idle(page)
    assert page.locator('html').get_attribute('lang') == f'{lang}-BE'
    expect(page.get_by_text(texts['community'])).to_be_visible()  # the member sees which community asks
    expect(page.get_by_text(texts['notice'])).to_be_visible()
    violations = {'start': serious_violations(page)}
    assert page.evaluate('document.documentElement.scrollWidth') <= 375  # nothing wider than the phone
    step = 0
    while True:
        step += 1
        for group in page.get_by_role('radiogroup').all():
            group.get_by_role('radio').nth(1).click()
        expect(page.get_by_text(texts['progress'])).to_be_visible()
        if step == 3:
            violations['step 3'] = serious_violations(page)
        if page.get_by_role('button', name=texts['send']).count():
            break
        page.get_by_role('button', name=texts['next']).click()
        heading = page.get_by_role('heading', name=re.compile(texts['part'].format(step + 1)))
        expect(heading).to_be_focused()  # "next" moves the focus to the new part's heading...
        box = heading.bounding_box()
        assert box is not None and 0 <= box['y'] < 740, box  # ...and brings it into view
        expect(page.get_by_text(texts['notice'])).to_be_hidden()  # the notice folded away after the first part
    page.get_by_role('button', name=texts['send']).click()
    page.get_by_role('alertdialog').get_by_role('button', name=texts['send']).click()  # open questions left open
    expect(page.get_by_role('heading', name=texts['thanks'])).to_be_visible()
    receipt = page.locator('.font-mono').inner_text()
    assert re.fullmatch(r'[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}', receipt)
    violations['thanks'] = serious_violations(page)
    context.close()
    return receipt, violations


NL = {
    'community': 'Voor de community',
    'notice': 'We bewaren geen naam',
    'progress': re.compile(r'^\d+ van \d+ vragen beantwoord$'),
    'send': 'Verzenden',
    'next': 'Volgende',
    'part': '^Deel {} van',
    'thanks': 'Bedankt! Je antwoord is verzonden.',
}
FR = {
    'community': 'Pour la communauté',
    'notice': 'Nous ne conservons ni nom',
    'progress': re.compile(r'^\d+ questions sur \d+ répondues$'),
    'send': 'Envoyer',
    'next': 'Suivant',
    'part': '^Partie {} sur',
    'thanks': 'Merci ! Votre réponse a été envoyée.',
}


def test_seven_personal_links_answered_on_phones_in_nl_and_fr_and_a_used_link_refused(server, browser):
    from core.demo import DEMO_EMAIL

    from .conftest import DEMO_PASSWORD, log_in

    context = browser.new_context(viewport={'width': 1366, 'height': 768}, locale='nl-BE', accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, server.url, DEMO_EMAIL, DEMO_PASSWORD)
    cid = page.locator('a[href^="/c/"]').first.get_attribute('href').split('/')[2]
    page.goto(f'{server.url}/c/{cid}/survey?lang=nl')
    wait_idle(page)
    violations = {'overview': serious_violations(page)}
    expect(page.get_by_role('heading', name=re.compile('^Laatste resultaten: Voorjaar 2026'))).to_be_visible()
    page.get_by_label('Naam van de ronde (optioneel)').fill('Winter 2026')
    page.get_by_role('button', name='Ronde aanmaken').click()  # personal links: the default
    page.wait_for_url(re.compile(r'.*/survey/[0-9a-f]{12}$'))
    wait_idle(page)
    page.get_by_role('button', name='Ronde openen').click()
    wait_idle(page)
    expect(page.get_by_text('0 persoonlijke links gemaakt, 0 gebruikt.')).to_be_visible()
    page.get_by_label('Aantal links').fill('7')
    page.get_by_role('button', name='Links maken').click()
    expect(page.get_by_text('7 nieuwe links gemaakt.', exact=False)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role('button', name='Lijst voor mail merge (CSV)').click()
    rows = download.value.path().read_text(encoding='utf-8-sig').splitlines()[1:]
    links = [row.split(';')[1] for row in rows]
    assert len(links) == 7 == len(set(links)) and all(f'/s/{cid}/p/' in link for link in links)
    with page.expect_download() as download:
        page.get_by_role('button', name='QR-kaartjes (PDF)').click()
    assert download.value.path().read_bytes().startswith(b'%PDF')
    violations['round'] = serious_violations(page)
    context.close()

    receipts = {}
    for n, (lang, texts) in enumerate((('nl', NL), ('fr', FR), ('fr', FR))):
        receipts[n], found = answer_on_a_phone(browser, links[n], lang, texts)
        violations |= {f'{lang} {n} {k}': v for k, v in found.items()}

    fresh = browser.new_context(viewport={'width': 375, 'height': 740}, locale='fr-BE', is_mobile=True)
    page = fresh.new_page()  # the first member's link again, in a browser that never saw it
    page.goto(f'{links[0]}?lang=fr')
    wait_idle(page)
    expect(page.get_by_role('heading', name='Ce lien a déjà été utilisé')).to_be_visible()
    assert page.get_by_role('radiogroup').count() == 0
    violations['used'] = serious_violations(page)
    page.get_by_role('link', name='Retirer ma réponse').click()  # the withdrawal page is offered
    wait_idle(page)
    violations['withdraw'] = serious_violations(page)
    page.get_by_label('Code de reçu').fill(receipts[1])
    page.get_by_role('button', name='Retirer la réponse').click()
    page.get_by_role('alertdialog').get_by_role('button', name='Retirer la réponse').click()
    expect(page.get_by_text('Votre réponse a été effacée.')).to_be_visible()
    fresh.close()

    data = read_whole(server.data_dir / 'communities' / f'{cid}.json')  # the main file and the rounds' parts
    (winter,) = [r for r in data['survey_rounds'].values() if r['title'] == 'Winter 2026']
    answers = [a for a in data['survey_answers'].values() if a['round'] == winter['id']]
    codes = [c for c in data['survey_codes'].values() if c['round'] == winter['id']]
    assert len(answers) == 2 and sum(c['used'] for c in codes) == 3 and len(codes) == 7
    assert not any(link.rsplit('/', 1)[1] in json.dumps(data) for link in links)  # no code is stored
    assert not {k: v for k, v in violations.items() if v}, violations


def test_facilitation_checklist_and_participant_feedback_pages(server, browser):
    from core.demo import DEMO_EMAIL

    from .conftest import DEMO_PASSWORD, log_in

    context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE', accept_downloads=True)
    page = context.new_page()
    log_in(page, server.url, DEMO_EMAIL, DEMO_PASSWORD)
    cid = page.locator('a[href^="/c/"]').first.get_attribute('href').split('/')[2]
    page.goto(f'{server.url}/c/{cid}/facilitation?lang=nl')
    wait_idle(page)
    violations = {'sessions': serious_violations(page)}
    page.get_by_role('link', name='Schrijfatelier: korte zinnen').first.click()
    wait_idle(page)
    expect(page.get_by_text('Rendement van de geïnvesteerde tijd')).to_be_visible()
    violations['session'] = serious_violations(page)
    page.get_by_label('Aantal links').fill('1')  # one more participant: a personal link of their own
    page.get_by_role('button', name='Links maken').click()
    with page.expect_download() as download:
        page.get_by_role('button', name='Lijst voor mail merge (CSV)').click()
    link = download.value.path().read_text(encoding='utf-8-sig').splitlines()[1].split(';')[1]
    context.close()

    phone = browser.new_context(viewport={'width': 375, 'height': 740}, locale='nl-BE', is_mobile=True)
    page = phone.new_page()
    page.goto(link)
    wait_idle(page)
    violations['feedback form'] = serious_violations(page)
    page.get_by_role('radiogroup').get_by_role('radio').nth(3).click()
    page.get_by_role('textbox', name='Je antwoord').first.fill('De voorbeelden <script>alert(1)</script>')
    page.keyboard.press('Tab')  # leave the field as a member does before sending: its answer is saved on the way out
    expect(page.get_by_text('Antwoord opgeslagen.')).to_have_count(2)
    page.get_by_role('button', name='Verzenden').click()
    # a durable write on a busy machine: more than the default 5 s is no fault of the page
    expect(page.get_by_role('heading', name='Bedankt! Je antwoord is verzonden.')).to_be_visible(timeout=15_000)
    phone.close()
    assert not {k: v for k, v in violations.items() if v}, violations
