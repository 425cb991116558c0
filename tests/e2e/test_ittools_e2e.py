"""The live IT-tools meeting in two real browsers: the coordinator projects, a participant joins with a code on their
own device; both edit, see each other's edits, score privately and reveal; axe on both views (NL and FR, desktop
and phone)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from core.demo import DEMO_EMAIL

from .conftest import DEMO_PASSWORD, log_in, serious_violations, wait_idle


def axe(page) -> list[str]:
    """axe's serious findings once transient notices are gone (half-faded text would fail the contrast check)."""
    expect(page.locator('.q-notification')).to_have_count(0, timeout=10_000)
    return serious_violations(page)


def score(page, tool: str, criterion: str, *, kind: str = 'Score'):
    return page.get_by_label(f'{kind} van {tool} voor {criterion}', exact=True)


def test_a_meeting_in_two_browsers(server, browser):
    coordinator_context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE')
    participant_context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE')
    try:
        coordinator = coordinator_context.new_page()
        coordinator.set_default_timeout(15_000)
        log_in(coordinator, server.url, DEMO_EMAIL, DEMO_PASSWORD)
        cid = coordinator.locator('a[href^="/c/"]').first.get_attribute('href').split('/')[2]

        # a new comparison from the Microsoft 365 template, then a meeting in the "together" mode
        coordinator.goto(f'{server.url}/c/{cid}/ittools/new?lang=nl')
        wait_idle(coordinator)
        coordinator.get_by_label('Titel van de vergelijking').fill('Live proef')
        coordinator.get_by_role('button', name='Vergelijking aanmaken').click()
        coordinator.wait_for_url(re.compile(r'.*/ittools/c[0-9a-f]+$'))
        wait_idle(coordinator)
        assert coordinator.get_by_role('heading', level=1).inner_text() == 'Live proef'
        coordinator.get_by_role('button', name='Vergadering starten').click()
        code = coordinator.get_by_text(re.compile(r'^[A-Z0-9]{3} [A-Z0-9]{3}$')).inner_text()
        assert coordinator.get_by_role('img', name=re.compile('QR-code')).is_visible()

        # the participant joins with the code and a name, without an account
        participant = participant_context.new_page()
        participant.set_default_timeout(15_000)
        participant.goto(f'{server.url}/m')
        wait_idle(participant)
        participant.get_by_label('Code van de vergadering').fill(code.lower())
        participant.get_by_role('button', name='Deelnemen', exact=True).click()
        participant.wait_for_url(re.compile(r'.*/m/[A-Z0-9]{6}$'))
        wait_idle(participant)
        participant.get_by_label('Je naam in deze vergadering').fill('Ans <b>')
        participant.get_by_role('button', name='Deelnemen aan de vergadering').click()
        expect(participant.get_by_role('alert').filter(has_text='Gebruik geen < of >')).to_be_visible()
        participant.get_by_label('Je naam in deze vergadering').fill('Ans')
        participant.get_by_role('button', name='Deelnemen aan de vergadering').click()
        expect(score(participant, 'Microsoft Teams', 'Samen bewerken')).to_be_visible()
        expect(coordinator.get_by_text(re.compile(r'\bAns\b')).first).to_be_visible()

        # both edit; each sees the other's edit without reloading
        score(participant, 'Microsoft Teams', 'Samen bewerken').select_option('3')
        expect(score(coordinator, 'Microsoft Teams', 'Samen bewerken')).to_have_value('3')
        score(coordinator, 'HumHub', 'Samen bewerken').select_option('1')
        expect(score(participant, 'HumHub', 'Samen bewerken')).to_have_value('1')
        expect(participant.locator('.cop-matrix__ranking')).to_contain_text('Microsoft Teams')
        # someone typing a note is not interrupted by an edit elsewhere
        participant.get_by_role('button', name='Notitie: Score van Microsoft Teams voor Samen bewerken').click()
        note = participant.get_by_label('Tekst van de notitie: Score van Microsoft Teams voor Samen bewerken')
        note.type('Werkt ook in de browser')
        score(coordinator, 'Microsoft SharePoint', 'Samen bewerken').select_option('2')
        expect(score(participant, 'Microsoft SharePoint', 'Samen bewerken')).to_have_value('2')
        expect(note).to_be_focused()
        note.type(' zonder installatie')
        participant.get_by_role('button', name='Bewaren').click()
        expect(coordinator.get_by_text('Werkt ook in de browser zonder installatie')).to_be_visible()
        # a refused edit shows what the server holds, even what this screen had not caught up with yet
        participant.locator('.cop-matrix').evaluate("""(element) => {
            const matrix = getElement(element);
            matrix.s.scores['teams:co_editing'] = {v: 0, by: '', mine: true, rev: 0};   // a stale screen
            matrix.setScore(matrix.s.tools[0], matrix.s.criteria.find((c) => c.id === 'co_editing'), 9);
        }""")
        expect(participant.locator('.cop-matrix [role=status]')).to_contain_text('Een score is 0, 1, 2 of 3.')
        expect(score(participant, 'Microsoft Teams', 'Samen bewerken')).to_have_value('3')

        problems = {'coordinator nl 1280': axe(coordinator), 'participant nl 1280': axe(participant)}

        # each on their own, then the reveal: it replaces the earlier shared score
        score(coordinator, 'Microsoft Teams', 'Vragen en antwoorden, zoeken').select_option('1')
        expect(score(participant, 'Microsoft Teams', 'Vragen en antwoorden, zoeken')).to_have_value('1')
        coordinator.get_by_role('button', name='Ronde starten: iedereen scoort apart').click()
        own = score(participant, 'Microsoft Teams', 'Vragen en antwoorden, zoeken', kind='Jouw eigen score')
        expect(own).to_be_visible()
        own.select_option('0')
        mine = score(coordinator, 'Microsoft Teams', 'Vragen en antwoorden, zoeken', kind='Jouw eigen score')
        mine.select_option('3')
        expect(coordinator.get_by_text(re.compile(r'Ans: 1/48'))).to_be_visible()
        expect(mine).to_have_value('3')  # the coordinator does not see the participant's 0
        expect(own).to_have_value('0')
        coordinator.get_by_role('button', name='Scores onthullen').click()
        agreed = score(participant, 'Microsoft Teams', 'Vragen en antwoorden, zoeken', kind='Afgesproken score')
        expect(agreed).to_be_visible()
        for page in (coordinator, participant):
            cell = page.locator(
                'td',
                has=page.get_by_label(
                    'Afgesproken score van Microsoft Teams voor Vragen en antwoorden, zoeken', exact=True
                ),
            )
            expect(cell).to_contain_text('Voorstel: 2 · Goed')  # plain words, the figures in a tooltip
            expect(cell).to_contain_text('2 stemmen, van 0 tot 3')
            expect(cell).to_contain_text('meningen lopen sterk uiteen')
            expect(cell.locator('.cop-cell__stats')).to_have_attribute('title', re.compile('gemiddelde 1,5'))
            expect(cell.get_by_role('combobox')).to_have_value('')  # the earlier shared 1 is not shown beside it
        expect(coordinator.get_by_text('Op 1 cel lopen de meningen sterk uiteen')).to_be_visible()

        # the presenter view on the projector, in French: code, QR code, matrix and ranking on one 1366x768 screen
        projector = coordinator_context.new_page()
        projector.set_viewport_size({'width': 1366, 'height': 768})
        projector.goto(coordinator.url.split('?')[0] + '/present?lang=fr')
        wait_idle(projector)
        expect(projector.get_by_text(code, exact=True)).to_be_visible()
        expect(projector.get_by_role('img', name=re.compile('Code QR'))).to_be_visible()
        expect(projector.get_by_role('table')).to_contain_text('Proposition\u00a0: 2 · Bien')
        expect(projector.get_by_text('1 participant connecté')).to_be_visible()
        for part in (projector.get_by_text(code, exact=True), projector.get_by_role('img', name=re.compile('Code QR'))):
            box = part.bounding_box()
            assert box and box['y'] + box['height'] <= 768, box  # no scrolling needed on the projector
        problems['presenter fr 1366'] = axe(projector)
        agreed.select_option('2')
        expect(
            score(coordinator, 'Microsoft Teams', 'Vragen en antwoorden, zoeken', kind='Afgesproken score')
        ).to_have_value('2')
        expect(projector.get_by_role('table')).to_contain_text('2 · Bien')  # the projector follows live
        projector.close()
        problems['coordinator nl revealed'] = axe(coordinator)
        problems['participant nl revealed'] = axe(participant)

        # the participant's view in French on a phone: one tool at a time
        participant.set_viewport_size({'width': 375, 'height': 812})
        participant.goto(f'{server.url}/m/{code.replace(" ", "")}?lang=fr')
        wait_idle(participant)
        expect(participant.get_by_label('Outil', exact=True)).to_be_visible()
        participant.get_by_label('Outil', exact=True).select_option(label='HumHub')
        expect(participant.get_by_label('Score retenu de HumHub pour Coédition', exact=True)).to_have_value('1')
        problems['participant fr 375'] = axe(participant)

        # the end: the code stops working, the result stays
        coordinator.get_by_role('button', name='Vergadering beëindigen').click()
        coordinator.get_by_role('alertdialog').get_by_role('button', name='Vergadering beëindigen').click()
        expect(participant.get_by_text('Cette réunion est terminée.', exact=False).first).to_be_visible()
        participant.goto(f'{server.url}/m/{code.replace(" ", "")}')
        expect(participant.get_by_text('Cette réunion est terminée\u00a0; le code ne fonctionne plus.')).to_be_visible()
        coordinator.goto(coordinator.url.split('?')[0] + '/results?lang=fr')
        wait_idle(coordinator)
        expect(coordinator.get_by_role('table')).to_contain_text('Microsoft Teams')
        problems['results fr 1280'] = axe(coordinator)
        assert all(not found for found in problems.values()), problems
    finally:
        coordinator_context.close()
        participant_context.close()


def test_every_ittools_page_passes_axe(server, browser):
    """The other IT-tools pages (list, new, setup, results, joining): every page on a desktop in Dutch, the ones a
    phone user meets in French; the matrix pages are scanned in the meeting test above."""
    problems = {}
    desktop = ('/m/ZZZZZZ', '{list}', '{list}/new', '{comparison}/setup', '{comparison}/results')
    phone = ('/m', '{list}', '{comparison}/results', '{comparison}')
    for width, lang, pages in ((1280, 'nl', desktop), (375, 'fr', phone)):
        context = browser.new_context(viewport={'width': width, 'height': 900}, locale='nl-BE')
        try:
            page = context.new_page()
            page.set_default_timeout(15_000)
            log_in(page, server.url, DEMO_EMAIL, DEMO_PASSWORD)
            cid = page.locator('a[href^="/c/"]').first.get_attribute('href').split('/')[2]
            page.goto(f'{server.url}/c/{cid}/ittools?lang={lang}')
            wait_idle(page)
            comparison = page.locator('a[href*="/ittools/c"]').last.get_attribute('href')  # the demo comparison
            for path in pages:
                url = path.format(list=f'/c/{cid}/ittools', comparison=comparison)
                page.goto(f'{server.url}{url}?lang={lang}')
                wait_idle(page)
                problems[f'{url} {lang} {width}'] = axe(page)
            if width == 1280:
                page.goto(f'{server.url}{comparison}/setup?lang={lang}')
                wait_idle(page)
                page.get_by_role('button', name=re.compile(r'uit de vergelijking verwijderen$')).first.click()
                page.get_by_role('alertdialog').wait_for()
                page.wait_for_timeout(1000)  # the opening animation: half-faded text fails the contrast check
                problems[f'remove dialog {lang} {width}'] = axe(page)
        finally:
            context.close()
    assert all(not found for found in problems.values()), problems
