"""Data protection in a real browser: hand over and delete the account (the name gone from every file, also after a
restart), download my data, the privacy notice in every language, the export log; axe on the new pages."""

from __future__ import annotations

import json

from core.demo import DEMO_EMAIL, DEMO_NAME

from .conftest import DEMO_PASSWORD, log_in, serious_violations, start_server, wait_idle


def files_naming(folder, *needles: str) -> list[str]:
    """Every file of the data folder that holds one of the needles (JSON escapes decoded)."""
    hits = []
    for path in sorted(p for p in folder.rglob('*') if p.is_file()):
        raw = path.read_bytes()
        texts = [raw.decode('utf-8', 'replace').lower()]
        if path.suffix == '.json':
            try:
                texts.append(json.dumps(json.loads(raw), ensure_ascii=False).lower())
            except ValueError:
                pass
        if any(n.lower() in t for n in needles for t in texts):
            hits.append(str(path.relative_to(folder)))
    return hits


def community_id(page) -> str:
    return page.locator('a[href^="/c/"]').first.get_attribute('href').split('/')[2]


def test_hand_over_then_delete_the_account_and_the_name_is_gone_also_after_a_restart(tmp_path, browser):
    server = start_server(tmp_path / 'data')
    try:
        context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE')
        page = context.new_page()
        page.set_default_timeout(30_000)
        log_in(page, server.url, DEMO_EMAIL, DEMO_PASSWORD)
        cid = community_id(page)
        assert files_naming(server.data_dir, DEMO_NAME)

        page.goto(f'{server.url}/account/delete?lang=en')
        wait_idle(page)
        assert page.get_by_text('You are the last coordinator of these communities').is_visible()
        page.goto(f'{server.url}/c/{cid}/members?lang=en')
        wait_idle(page)
        page.get_by_label('New coordinator').click()
        page.get_by_role('option', name='Kim Coach').click()
        page.get_by_role('button', name='Hand over').click()
        page.get_by_role('alertdialog').get_by_role('button', name='Hand over').click()
        page.get_by_text('Kim Coach is now a coordinator.').wait_for()

        page.goto(f'{server.url}/account/delete?lang=en')
        wait_idle(page)
        page.get_by_label('Your password, to confirm').fill('not the password at all')
        page.get_by_role('button', name='Delete my account for good').click()
        page.get_by_text('This password is wrong. Nothing was deleted.').wait_for()
        page.get_by_label('Your password, to confirm').fill(DEMO_PASSWORD)
        page.get_by_role('button', name='Delete my account for good').click()
        page.get_by_text('Your account has been deleted.').wait_for()
        context.close()
    finally:
        server.stop()
    assert files_naming(server.data_dir, DEMO_NAME, DEMO_EMAIL) == []

    again = start_server(server.data_dir, demo=False)  # restarted without --demo, which would sign the demo up again
    try:
        assert files_naming(server.data_dir, DEMO_NAME, DEMO_EMAIL) == []
        context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE')
        page = context.new_page()
        log_in(page, again.url, 'coach@cop-toolbox.example', DEMO_PASSWORD)
        page.goto(f'{again.url}/c/{cid}/plan?lang=nl')
        wait_idle(page)
        assert page.get_by_text('voormalig lid').first.is_visible()  # the actions stay, the owner's name does not
        page.goto(f'{again.url}/c/{cid}/members?lang=nl')
        wait_idle(page)
        assert page.get_by_text(DEMO_NAME).count() == 0
        context.close()
    finally:
        again.stop()


def test_download_my_data_notice_in_every_language_and_the_export_log(server, page):
    page.set_default_timeout(30_000)  # seven people's tests share two cores
    log_in(page, server.url, DEMO_EMAIL, DEMO_PASSWORD)
    cid = community_id(page)
    page.goto(f'{server.url}/account?lang=en')
    wait_idle(page)
    page.get_by_role('link', name='Download my data').click()
    wait_idle(page)
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role('button', name='Download my data (JSON)').click()
    data = json.loads(open(download.value.path(), encoding='utf-8').read())
    assert data['account']['email'] == DEMO_EMAIL
    assert data['memberships'][0]['role'] == 'coordinator'
    assert 'guide_answers' in next(iter(data['written_in_communities'].values()))
    assert page.get_by_text('linked to no one').is_visible()

    page.goto(f'{server.url}/c/{cid}/settings?lang=en')
    wait_idle(page)
    with page.expect_download(timeout=30_000):
        page.get_by_role('button', name='Download export file').click()
    page.goto(f'{server.url}/c/{cid}/members?lang=en')
    wait_idle(page)
    log = page.get_by_role('table', name='Export log')
    assert log.get_by_text('Community file').first.is_visible()
    assert log.get_by_text(DEMO_NAME).first.is_visible()

    headings = {'nl': 'Privacyverklaring', 'fr': 'Déclaration de confidentialité', 'en': 'Privacy notice'}
    for lang, heading in headings.items():
        page.goto(f'{server.url}/privacy?lang={lang}')
        wait_idle(page)
        assert page.locator('html').get_attribute('lang').startswith(lang[:2])
        assert page.get_by_role('heading', level=1).inner_text() == heading
    page.goto(f'{server.url}/guide?lang=en')
    wait_idle(page)
    page.get_by_role('link', name='How we handle your data').click()
    page.wait_for_url('**/privacy*')
    response = page.request.get(f'{server.url}/privacy/register.csv?lang=fr')
    assert response.ok and 'Responsable du traitement' in response.text()


def test_no_serious_accessibility_violation_on_the_data_protection_pages(server, page):
    log_in(page, server.url, DEMO_EMAIL, DEMO_PASSWORD)
    cid = community_id(page)
    problems = {}
    for path in ('/privacy', '/account', '/account/data', '/account/delete', f'/c/{cid}/members'):
        page.goto(server.url + path)
        wait_idle(page)
        found = serious_violations(page)
        if found:
            problems[path] = found
    assert problems == {}
