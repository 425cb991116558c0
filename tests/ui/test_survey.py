"""The member survey through its pages: a coordinator opens a round, anonymous members answer by link, the
threshold hides results until enough answers, one answer per browser, receipts withdraw exactly one answer."""

from __future__ import annotations

import asyncio
import json
import re

from nicegui import app
from nicegui.element_filter import ElementFilter
from nicegui.testing import User

from core.store import read_whole

from .helpers import PASSWORD, log_in, settle

OWNERS: dict[str, str] = {}  # community id -> its coordinator, for the helper that makes personal links


async def setup_round(threshold: int = 5):
    services = app.state.services
    owner = await services.accounts.sign_up('Owner', 'owner@example.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP', 'expected_members': 10})
    survey_round = await services.surveys.create(owner.id, community.id, threshold=threshold, open_now=True)
    OWNERS[community.id] = owner.id
    return services, owner, community.id, survey_round


def browser(user: User, stored: str | None = None) -> User:
    """A respondent's browser: what its localStorage holds for the survey."""
    user.javascript_rules[re.compile(r'localStorage\.getItem.*')] = lambda _: stored
    return user


def visible(user: User, marker: str) -> list:
    with user:
        return list(ElementFilter(marker=marker))


async def link(cid: str, survey_round) -> str:
    """A member's personal link (its path): made by the coordinator, one per member."""
    services = app.state.services
    owner = next(m.user_id for m in services.communities.members(OWNERS[cid], cid))
    (code,) = await services.surveys.make_codes(owner, cid, survey_round.id, 1)
    return f'/s/{cid}/p/{code}'


async def answer_survey(user: User, path: str, value: int) -> str:
    """Answer every scale and choice question with `value` (or the first option) and send; returns the receipt."""
    await user.open(path)
    await user.should_see(marker='respond-step', retries=20)
    instrument = app.state.services.content.instruments.current('member_survey')
    for index, dimension in enumerate(instrument.dimensions):
        for item in dimension.items:
            if item.type == 'scale':
                user.find(marker=f'answer-{item.id}').elements.pop().value = value
            elif item.type == 'choice':
                user.find(marker=f'answer-{item.id}').elements.pop().value = item.options[0].id
        if index + 1 < len(instrument.dimensions):
            user.find(marker='respond-next').click()
            await user.should_see(f'Deel {index + 2} van', retries=20)
    user.find(marker='respond-submit').click()
    await user.should_see(marker='confirm-ok', retries=20)  # the multi and open questions were left open
    user.find(marker='confirm-ok').click()
    await user.should_see(marker='receipt-code', retries=40)
    return user.find(marker='receipt-code').elements.pop().text


async def test_threshold_hides_results_until_enough_answers(user: User, create_user):
    _, _, cid, survey_round = await setup_round(threshold=5)
    for n in range(4):
        await answer_survey(browser(create_user()), await link(cid, survey_round), 2 + n % 3)
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/survey/{survey_round.id}')
    await user.should_see(marker='below-threshold')  # N - 1 answers
    await user.should_see('4 antwoorden van 10 verwachte leden (40\u00a0%).')
    await user.should_not_see(marker='blocks-table')
    await answer_survey(browser(create_user()), await link(cid, survey_round), 4)
    await user.open(f'/c/{cid}/survey/{survey_round.id}')
    await user.should_see(marker='blocks-table')  # N answers
    await user.should_not_see(marker='below-threshold')
    await user.should_see('Vul het CoP-kompas in om je eigen rangorde van de dimensies naast die van de leden te zien.')
    await user.should_not_see(marker='gap-table')  # no kompas round: nothing to rank against


async def test_the_perception_gap_shows_two_rankings(user: User, create_user):
    services, owner, cid, survey_round = await setup_round(threshold=5)
    for n in range(5):
        await answer_survey(browser(create_user()), await link(cid, survey_round), 2 + n % 3)
    kompas = services.kompas
    sheet = await kompas.start(owner.id, cid)
    for rank, dimension in enumerate(kompas.instrument.dimensions):
        for item in dimension.items:
            await kompas.answer(owner.id, cid, sheet.id, item.id, 5 - rank % 5)
    await kompas.finish(owner.id, cid, sheet.id)
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/survey/{survey_round.id}')
    await user.should_see(marker='gap-table')
    await user.should_see('Plaats van elke dimensie bij de coördinator (kompas) en bij de leden (enquête); 1 = sterkst')
    await user.should_see(marker='gap-disagreements')  # the members rank every dimension alike, the kompas does not


async def test_a_personal_link_answers_once_in_any_browser(user: User, create_user):
    services, _, cid, survey_round = await setup_round()
    path = await link(cid, survey_round)
    await answer_survey(browser(user), path, 3)
    assert services.surveys.count(cid, survey_round.id) == 1
    user.find(marker='receipt-code')  # the thank-you view replaced the form: no submit button left to press
    assert not visible(user, 'respond-submit')
    fresh = browser(create_user())  # the same link in another browser, with nothing in its storage
    await fresh.open(path)
    await fresh.should_see(marker='respond-used', retries=20)
    await fresh.should_see('Deze link werd al gebruikt')
    assert not visible(fresh, 'respond-step')
    await fresh.should_see(marker='withdraw-link')
    await fresh.open(f'/s/{cid}/{survey_round.token}')  # the round's own link takes no answers
    await fresh.should_see(marker='respond-personal-only', retries=20)
    assert services.surveys.count(cid, survey_round.id) == 1
    response = await fresh.http_client.get(f'/s/{cid}/p/{"x" * 22}')
    assert response.status_code == 404 and 'Deze persoonlijke link is onbekend' in response.text


async def test_an_open_link_remembers_in_the_browser_and_says_its_count_is_not_verified(user: User):
    services, owner, cid, _ = await setup_round()
    survey_round = await services.surveys.create(owner.id, cid, threshold=8, open_now=True, mode='open')
    await answer_survey(browser(user), f'/s/{cid}/{survey_round.token}', 3)
    browser(user, json.dumps({'done': True}))  # what the page stored in the browser
    await user.open(f'/s/{cid}/{survey_round.token}')
    await user.should_see(marker='respond-already', retries=20)
    assert not visible(user, 'respond-step')
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/survey/{survey_round.id}')
    await user.should_see(marker='unverified')
    await user.should_see('Aantal niet geverifieerd: wie de open link heeft, kan meer dan eens antwoorden.')
    await user.should_see(marker='below-threshold')


async def test_receipt_withdraws_exactly_that_answer(user: User, create_user):
    services, owner, cid, survey_round = await setup_round(threshold=3)
    receipts = {}
    for value in (1, 3, 5):
        receipts[value] = await answer_survey(browser(create_user()), await link(cid, survey_round), value)
    await user.open(f'/s/{cid}/{survey_round.token}/withdraw')
    user.find(marker='receipt-input').type('ZZZZ-ZZZZ-ZZZZ')
    user.find(marker='withdraw-submit').click()
    await user.should_see(marker='confirm-ok', retries=20)
    user.find(marker='confirm-ok').click()
    await user.should_see('Deze ontvangstcode is onbekend voor deze bevraging. Controleer de code.', retries=20)
    assert services.surveys.count(cid, survey_round.id) == 3
    user.find(marker='receipt-input').clear().type(receipts[3])
    user.find(marker='withdraw-submit').click()
    await user.should_see(marker='confirm-ok', retries=20)
    user.find(marker='confirm-ok').click()
    await user.should_see('Je antwoord is gewist.', retries=20)
    first = services.content.instruments.current('member_survey').scored_items[0].id
    remaining = services.surveys.answers_above_threshold(owner.id, cid, survey_round.id)
    assert remaining is None  # 2 left, below the threshold of 3
    raw = read_whole(services.store.communities_dir / f'{cid}.json')
    assert sorted(d['answers'][first] for d in raw['survey_answers'].values()) == [1, 5]


async def test_stored_file_holds_no_address_agent_account_or_time(user: User):
    services, owner, cid, survey_round = await setup_round()
    user.http_client.headers['User-Agent'] = 'UniqueAgent/9.9 (survey test)'
    await answer_survey(browser(user), await link(cid, survey_round), 4)
    await asyncio.sleep(0.2)
    raw = read_whole(services.store.communities_dir / f'{cid}.json')  # the main file and the round's parts
    for doc in raw['survey_answers'].values():
        assert set(doc) <= {'round', 'answers', 'receipt', 'released'}  # not even the day
    for needle in ('UniqueAgent', '127.0.0.1', 'testclient', owner.id, 'T0', 'T1', 'T2'):
        assert needle not in json.dumps(list(raw['survey_answers'].values())), needle


async def test_closed_or_unknown_round_says_so(user: User):
    services, owner, cid, survey_round = await setup_round()
    await services.surveys.set_status(owner.id, cid, survey_round.id, 'closed')
    browser(user)
    await user.open(await link(cid, survey_round))
    await user.should_see(marker='respond-closed')
    response = await user.http_client.get(f'/s/{cid}/{"x" * 32}')
    assert response.status_code == 404 and 'onbekend' in response.text


async def test_coordinator_creates_opens_and_shares_an_open_link_round(user: User):
    services = app.state.services
    owner = await services.accounts.sign_up('Owner', 'owner@example.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP Juristen'})
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{community.id}/survey')
    user.find(marker='survey-mode').elements.pop().value = 'open'
    user.find(marker='survey-threshold').elements.pop().value = 7
    user.find(marker='survey-create').click()
    await user.should_see('Geef een geheel getal van minstens 8.', retries=20)  # an open link: never below 8
    user.find(marker='survey-mode').elements.pop().value = 'personal'
    user.find(marker='survey-threshold').elements.pop().value = 2
    user.find(marker='survey-create').click()
    await user.should_see('Geef een geheel getal van minstens 3.', retries=20)  # never below 3
    user.find(marker='survey-mode').elements.pop().value = 'open'
    user.find(marker='survey-threshold').elements.pop().value = 9
    user.find(marker='survey-title').type('Najaar')
    before = len(user.back_history)
    user.find(marker='survey-create').click()
    await settle(user, before)
    await user.should_see('Nog niet geopend')
    before = len(user.back_history)
    user.find(marker='round-open').click()
    await settle(user, before)
    await user.should_see('Open')
    shared = user.find(marker='survey-link').elements.pop().value
    (survey_round,) = services.surveys.rounds(owner.id, community.id)
    assert shared.endswith(f'/s/{community.id}/{survey_round.token}') and survey_round.threshold == 9
    await user.should_see('CoP Juristen', marker='invitation-fr')
    user.find(marker='qr-png').click()
    png = await user.download.next()
    assert png.content.startswith(b'\x89PNG')


async def submit_direct(cid: str, survey_round, answers: dict) -> str:
    """One member's answer through the service (a page was opened, a personal link used)."""
    services = app.state.services
    code = (await link(cid, survey_round)).rsplit('/', 1)[1] if survey_round.verified else None
    ticket = services.surveys.ticket(cid, survey_round.token)
    return await services.surveys.submit(cid, survey_round.token, ticket, answers, code=code)


async def test_markup_in_open_answers_is_shown_as_text(user: User):
    services, _, cid, survey_round = await setup_round(threshold=3)
    instrument = services.content.instruments.current('member_survey')
    text_item = next(i for i in instrument.items if i.type == 'text')
    markup = '<b>vet</b><script>alert("x")</script><img src=x onerror=alert(1)>'
    for _ in range(3):
        await submit_direct(cid, survey_round, {text_item.id: markup})
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/survey/{survey_round.id}')
    await user.should_see(markup)  # the literal text, in a text element: the browser shows it, never runs it
    answers = user.find(marker='open-answers').elements
    texts = [c.text for a in answers for c in a.descendants() if getattr(c, 'tag', '') == 'li']
    assert texts.count(markup) == 3


async def test_progress_counts_only_the_questions_it_totals(user: User):
    services, _, cid, survey_round = await setup_round()
    instrument = services.content.instruments.current('member_survey')
    total = len([i for i in instrument.items if i.type != 'text'])
    draft = {i.id: 'een open antwoord' for i in instrument.items if i.type == 'text'}
    draft[instrument.scored_items[0].id] = 4
    browser(user, json.dumps({'answers': draft}))  # the draft this browser kept
    await user.open(await link(cid, survey_round))
    await user.should_see(marker='respond-step', retries=20)
    await user.should_see(f'1 van {total} vragen beantwoord')  # open answers are in neither number
    for step in range(len(instrument.dimensions) - 1):
        user.find(marker='respond-next').click()
        await user.should_see(f'Deel {step + 2} van', retries=20)
    user.find(marker='respond-submit').click()
    await user.should_see(f'Je liet {total - 1} vragen open.', retries=20)


async def test_an_idea_sent_to_the_plan_stays_sent_when_more_answers_come_in(user: User):
    services, owner, cid, survey_round = await setup_round(threshold=3)
    instrument = services.content.instruments.current('member_survey')
    weak = instrument.scored_items[0].id
    for value in (1, 2, 2):
        await submit_direct(cid, survey_round, {weak: value})
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/survey/{survey_round.id}')
    await user.should_see('(gemiddeld 1,7 op 5)')
    user.find(marker='send-action').click()
    await user.should_see(marker='action-sent', retries=20)
    for _ in range(3):  # the next step: three more answers; the mean moves from 1.7 to 1.3
        await submit_direct(cid, survey_round, {weak: 1})
    await user.open(f'/c/{cid}/survey/{survey_round.id}')
    await user.should_see('(gemiddeld 1,3 op 5)')
    await user.should_see(marker='action-sent')
    assert not visible(user, 'send-action')
    (suggestion,) = services.suggestions.list(owner.id, cid)
    assert 'gemiddeld' not in suggestion.text['nl'] and 'average' not in suggestion.text['en']


async def test_coordinator_makes_personal_links_as_qr_cards_and_a_mail_merge_list(user: User):
    import io

    from pypdf import PdfReader

    services, owner, cid, survey_round = await setup_round()
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/survey/{survey_round.id}')
    await user.should_see(marker='anonymity-summary')
    await user.should_see('0 persoonlijke links gemaakt, 0 gebruikt.')
    user.find(marker='links-number').elements.pop().value = 7
    user.find(marker='links-make').click()
    await user.should_see(marker='links-made', retries=20)
    await user.should_see('7 persoonlijke links gemaakt, 0 gebruikt.')
    user.find(marker='links-csv').click()
    csv = (await user.download.next()).content.decode('utf-8-sig').splitlines()
    links = [row.split(';')[1] for row in csv[1:]]
    assert len(links) == 7 == len(set(links)) and all(f'/s/{cid}/p/' in u for u in links)
    user.find(marker='links-pdf').click()
    pdf = PdfReader(io.BytesIO((await user.download.next(timeout=30)).content))
    text = ''.join(page.extract_text() for page in pdf.pages)
    assert all(u.split('/p/')[1] in text.replace('\n', '') for u in links)  # one card per link
    assert 'Jouw persoonlijke link' in text and 'Votre lien personnel' in text
    stored = json.dumps(services.store.community(cid).table('survey_codes').all())
    assert not any(u.split('/p/')[1] in stored for u in links)  # only keyed hashes are kept
    assert services.surveys.code_counts(owner.id, cid, survey_round.id) == (7, 0)
    await answer_survey(browser(user), links[0].split('testserver')[-1], 4)
    assert services.surveys.code_counts(owner.id, cid, survey_round.id) == (7, 1)


async def test_results_open_first_with_the_trend_and_the_snapshot_moves_in_steps(user: User):
    services, owner, cid, first = await setup_round(threshold=3)
    instrument = services.content.instruments.current('member_survey')
    for value in (2, 3, 2):
        await submit_direct(cid, first, {item.id: value for item in instrument.scored_items})
    await services.surveys.set_status(owner.id, cid, first.id, 'closed')
    second = await services.surveys.create(owner.id, cid, threshold=3, open_now=True, title='Najaar')
    for value in (4, 4, 5, 1):
        await submit_direct(cid, second, {item.id: value for item in instrument.scored_items})
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/survey')
    await user.should_see('Laatste resultaten: Najaar')
    await user.should_see(marker='latest-results')
    await user.should_see(marker='survey-new-round')
    await user.should_see(marker='trend-table')
    with user:
        cells = [
            c.text
            for c in user.find(marker='trend-table').elements.pop().descendants()
            if getattr(c, 'tag', '') in ('th', 'td')
        ]
    scored = next(d for d in instrument.dimensions if any(i.type == 'scale' for i in d.items))
    assert cells[cells.index(scored.title['nl']) + 1 :][:2] == ['2,3', '4,3']  # a line per part, a column per round
    await user.open(f'/c/{cid}/survey/{second.id}')
    await user.should_see('De resultaten hieronder tonen 3 antwoorden.')  # the fourth waits for the next step
    await user.should_see(marker='snapshot-pending')
    await user.should_see(marker='raw-closed-only')
    await user.should_not_see(marker='export-raw')
