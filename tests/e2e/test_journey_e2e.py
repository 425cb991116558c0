"""A new coordinator walks the whole journey in Chromium, in Dutch, with realistic content (not the demo): sign-up,
profile, kompas quick scan, a member survey round, an IT-tools decision, a kick-off from a template, ideas taken over
with owner and date, and the dossier downloaded in Dutch and in French. Every click and key press is counted: the
figure the journey is judged by (issue 17)."""

from __future__ import annotations

import io
import re

from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from .conftest import confirm_by_mail, serious_violations, wait_idle


class Tally:
    """Does what a user does, and counts it: one click per click (a select is two), one key press per character."""

    def __init__(self, page: Page) -> None:
        self.page, self.clicks, self.keys = page, 0, 0

    def click(self, locator: Locator) -> None:
        locator.click()
        self.clicks += 1

    def type(self, locator: Locator, text: str) -> None:
        locator.click()
        locator.fill(text)
        self.clicks += 1
        self.keys += len(text)

    def settle(self) -> None:
        wait_idle(self.page)


def answer_page(tally: Tally, choice: int) -> None:
    """Answer every question on the page with the option at index `choice` (0 = the lowest)."""
    page = tally.page
    for group in page.get_by_role('radiogroup').all():
        tally.click(group.get_by_role('radio').nth(choice))
        expect(group.get_by_role('radio').nth(choice)).to_have_attribute('aria-checked', 'true')


def banner_next(tally: Tally, step: str) -> None:
    """The journey's 'done, on to the next step' action, on whatever page of the tool the user is."""
    tally.click(tally.page.get_by_role('button', name=re.compile(f'Verder naar stap \\d: {step}')))
    tally.settle()


def test_a_new_coordinator_walks_the_whole_journey_to_the_dossier(server, browser, mail_server):
    context = browser.new_context(viewport={'width': 1366, 'height': 768}, locale='nl-BE', accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    tally = Tally(page)
    violations = {}

    page.goto(f'{server.url}/')
    tally.settle()
    signup = page.get_by_role('button', name=re.compile('Account aanmaken'))
    expect(signup).to_be_in_viewport()  # the sign-up in the laptop's first screen
    tally.click(signup)
    page.wait_for_url('**/signup**')
    tally.settle()
    tally.type(page.get_by_label('Naam', exact=True), 'Noor Vermeulen')
    tally.type(page.get_by_label('E-mailadres'), 'noor.vermeulen@mobilit.fgov.be')
    tally.type(page.get_by_label('Wachtwoord'), 'fietsen naar het station in de regen')
    tally.click(page.get_by_role('button', name='Account aanmaken'))
    expect(page.get_by_role('heading', name='Kijk in je mailbox')).to_be_visible()
    confirm_by_mail(page, mail_server, 'noor.vermeulen@mobilit.fgov.be', 'fietsen naar het station in de regen')
    page.wait_for_url('**/c/new')
    tally.settle()
    tally.type(page.get_by_label('Naam van de community'), 'CoP Duurzame mobiliteit')
    tally.type(
        page.get_by_label('Domein of doel'),
        'Mobiliteitscoördinatoren van de federale diensten leren van elkaar hoe collega’s duurzamer pendelen.',
    )
    tally.click(page.get_by_role('button', name='Community aanmaken'))
    page.wait_for_url(re.compile(r'.*/c/[0-9a-f]{16}$'))
    tally.settle()
    cid = page.url.rsplit('/', 1)[1]

    # the dashboard leads on: the next step is highlighted, not one of nine equal cards
    expect(page.get_by_role('heading', name='Je volgende stap')).to_be_visible()
    violations['dashboard'] = serious_violations(page)
    tally.click(page.get_by_role('button', name=re.compile('Verder met: Je profiel als coördinator')))
    page.wait_for_url(f'**/c/{cid}/profile?journey=profile')
    tally.settle()

    # step 2: the profile, eight short parts
    tally.click(page.get_by_role('button', name=re.compile('Mijn profiel invullen')))
    tally.settle()
    for part in range(8):
        expect(page.get_by_text('Stappenplan, stap 2 van 8: Je profiel als coördinator')).to_be_visible()
        answer_page(tally, (part % 3) + 1)
        following = 'Volgende' if part < 7 else 'Naar overzicht en afronden'
        tally.click(page.get_by_role('button', name=re.compile(following)))
        tally.settle()
    tally.click(page.get_by_role('button', name='Afronden'))
    tally.settle()
    banner_next(tally, 'CoP-kompas')

    # step 3: the kompas quick scan, offered first
    expect(page.get_by_role('button', name=re.compile('Volledig kompas invullen'))).to_be_visible()  # one click away
    tally.click(page.get_by_role('button', name=re.compile('Snelle scan starten')))
    page.wait_for_url(f'**/c/{cid}/kompas/quick')
    tally.settle()
    violations['quick scan'] = serious_violations(page)
    answer_page(tally, 1)
    tally.click(page.get_by_role('button', name=re.compile('Resultaat bekijken')))
    page.wait_for_url(re.compile(r'.*/kompas/result/[0-9a-f]+'))
    tally.settle()
    expect(page.get_by_text(re.compile('^Eerste indicatie uit de snelle scan'))).to_be_visible()
    ideas = page.get_by_role('button', name=re.compile('^Zet in actieplan:'))
    for _ in range(2):
        tally.click(ideas.first)
        page.wait_for_timeout(300)
    banner_next(tally, 'Enquête voor leden')

    # step 4: a survey round for the members, opened
    tally.type(page.get_by_label(re.compile('Naam van de ronde')), 'Verwachtingen voor de start')
    tally.click(page.get_by_role('button', name=re.compile('Ronde aanmaken')))
    page.wait_for_url(re.compile(r'.*/survey/[0-9a-f]+'))
    tally.settle()
    tally.click(page.get_by_role('button', name=re.compile('Ronde openen')))
    tally.settle()
    if page.get_by_role('alertdialog').count():
        tally.click(page.get_by_role('alertdialog').get_by_role('button').last)
        tally.settle()
    banner_next(tally, 'Behoeftepeiling')

    # step 5: a needs survey round for the prospective members, opened
    tally.click(page.get_by_role('button', name=re.compile('Ronde aanmaken')))
    page.wait_for_url(re.compile(r'.*/needs/[0-9a-f]+'))
    tally.settle()
    tally.click(page.get_by_role('button', name=re.compile('Ronde openen')))
    tally.settle()
    if page.get_by_role('alertdialog').count():
        tally.click(page.get_by_role('alertdialog').get_by_role('button').last)
        tally.settle()
    violations['needs'] = serious_violations(page)
    banner_next(tally, 'IT-tools kiezen')

    # step 6: the IT-tools comparison from the suggested set, a few scores, the decision
    tally.click(page.get_by_role('button', name=re.compile('Nieuwe vergelijking')))
    tally.settle()
    tally.click(page.get_by_role('button', name='Vergelijking aanmaken'))
    tally.settle()
    scores = page.get_by_label(re.compile('^Score van .* voor '))
    for index in range(3):
        scores.nth(index).select_option('2' if index else '3')
        tally.clicks += 2
        page.wait_for_timeout(200)
    tally.click(page.get_by_role('link', name=re.compile('Resultaten en beslissing')))
    tally.settle()
    tally.type(page.get_by_label('Motivering'), 'Teams gebruiken alle diensten al; discussies in kanalen per thema.')
    tally.click(page.get_by_role('button', name=re.compile('Beslissing opslaan')))
    tally.settle()
    if page.get_by_role('alertdialog').count():
        tally.click(page.get_by_role('alertdialog').get_by_role('button', name='Toch beslissen'))
        tally.settle()
    banner_next(tally, 'Scenario voor de kick-off')

    # step 7: the kick-off from a template, made the plan
    tally.click(page.get_by_role('button', name=re.compile("^Sjabloon '.*' gebruiken")).first)
    page.wait_for_url(re.compile(r'.*/kickoff/[0-9a-f]+'))
    tally.settle()
    expect(page.get_by_text('Dit is het kick-off-plan van de community', exact=False)).to_be_visible()
    banner_next(tally, 'Actieplan')

    # step 8: the ideas taken over, each with its owner and a real date
    for owner, days in (('Noor', '30'), ('Pieter', '60')):
        tally.click(page.get_by_role('button', name=re.compile('^Overnemen: ')).first)
        dialog = page.get_by_role('dialog')
        tally.type(dialog.get_by_label('Trekker'), owner)
        tally.click(dialog.get_by_role('button', name=f'over {days} dagen'))
        tally.click(dialog.get_by_role('button', name='Overnemen', exact=True))
        tally.settle()
    expect(page.get_by_text('(over 30 dagen)')).to_be_visible()
    violations['plan'] = serious_violations(page)
    tally.click(page.get_by_role('button', name=re.compile('Afronden: je dossier')))
    tally.settle()

    # the end: well done, and the dossier
    expect(page.get_by_role('heading', name=re.compile('Goed gedaan'))).to_be_visible()
    violations['closing'] = serious_violations(page)
    with page.expect_download() as download:
        tally.click(page.get_by_role('button', name=re.compile('Dossier downloaden')))
    nl = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    body = '\n'.join(p.extract_text() for p in nl.pages)
    assert 'CoP Duurzame mobiliteit' in body and 'Noor' in body and 'Pieter' in body
    assert nl.trailer['/Root']['/Lang'] == 'nl-BE'
    tally.click(page.get_by_role('link', name='FR – Français'))
    tally.settle()
    with page.expect_download() as download:
        tally.click(page.get_by_role('button', name=re.compile('Télécharger le dossier')))
    fr = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    assert fr.trailer['/Root']['/Lang'] == 'fr-BE' and 'CoP Duurzame mobiliteit' in fr.pages[0].extract_text()

    print(f'\njourney: {tally.clicks} clicks, {tally.keys} key presses')
    context.close()
    assert not {k: v for k, v in violations.items() if v}, violations
