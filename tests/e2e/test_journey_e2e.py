"""A new coordinator walks the journey in Chromium, in Dutch, from sign-up to the downloaded dossier PDF."""

from __future__ import annotations

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import serious_violations, wait_idle


def test_from_sign_up_to_the_dossier_pdf(server, browser):
    context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE', accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = {}
    page.goto(f'{server.url}/guide')
    wait_idle(page)
    violations['guide (public)'] = serious_violations(page)

    page.goto(f'{server.url}/signup')
    wait_idle(page)
    page.get_by_label('Naam', exact=True).fill('Noor Vermeulen')
    page.get_by_label('E-mailadres').fill('noor@example.be')
    page.get_by_label('Wachtwoord').fill('een lang genoeg wachtwoord')
    page.get_by_role('button', name='Account aanmaken').click()
    page.wait_for_url('**/c/new')
    wait_idle(page)
    page.get_by_label('Naam van de community').fill('CoP Open data')
    page.get_by_label('Domein of doel').fill('Samen open data van de overheid beter publiceren.')
    page.get_by_role('button', name='Community aanmaken').click()
    page.wait_for_url(re.compile(r'.*/c/[0-9a-f]{16}$'))
    cid = page.url.rsplit('/', 1)[1]

    page.get_by_role('link', name='Aan de slag').first.click()
    page.wait_for_url(f'**/c/{cid}/start')
    wait_idle(page)
    expect(page.get_by_text('1 van 7 stappen gedaan.')).to_be_visible()  # the basics are done
    violations['journey'] = serious_violations(page)
    for step in (
        'Je profiel als coördinator',
        'CoP-kompas',
        'Ledenbevraging',
        'IT-tools kiezen',
        'Scenario voor de kick-off',
    ):
        expect(page.get_by_role('heading', level=2)).to_contain_text(step)
        page.get_by_role('button', name='Voorlopig overslaan').click()
        wait_idle(page)
    expect(page.get_by_role('heading', level=2)).to_contain_text('Actieplan')
    page.get_by_role('button', name='Open: Actieplan').click()
    page.wait_for_url(f'**/c/{cid}/plan?wizard=actionplan')
    wait_idle(page)
    expect(page.get_by_text('Aan de slag, stap 7 van 7: Actieplan')).to_be_visible()

    page.get_by_role('button', name='Actie toevoegen').click()
    dialog = page.get_by_role('dialog')
    dialog.get_by_label('Actie', exact=True).fill('Eerste bijeenkomst plannen')
    dialog.get_by_label('Trekker').fill('Noor')
    dialog.get_by_label('Tegen (datum)').fill('2027-03-01')
    dialog.get_by_role('button', name='Opslaan').click()
    expect(page.get_by_role('heading', name='Eerste bijeenkomst plannen')).to_be_visible()
    violations['plan'] = serious_violations(page)

    page.get_by_role('link', name='Naar het dossier').click()
    page.wait_for_url(f'**/c/{cid}/dossier')
    wait_idle(page)
    violations['dossier'] = serious_violations(page)
    with page.expect_download() as download:
        page.get_by_role('button', name='Pdf downloaden').click()
    pdf = download.value.path().read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    body = '\n'.join(p.extract_text() for p in reader.pages)
    assert 'CoP Open data' in body and 'Eerste bijeenkomst plannen' in body and 'Noor Vermeulen' in body
    assert 'Het CoP-kompas is nog niet ingevuld.' in body
    assert reader.metadata['/Title'] == 'Dossier CoP Open data'
    assert reader.trailer['/Root']['/Lang'] == 'nl-BE'

    page.goto(f'{server.url}/c/{cid}/start')
    wait_idle(page)
    expect(page.get_by_text('2 van 7 stappen gedaan.')).to_be_visible()
    context.close()
    assert not {k: v for k, v in violations.items() if v}, violations
