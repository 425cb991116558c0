"""The member survey through its pages: a coordinator opens a round, anonymous members answer by link, the
threshold hides results until enough answers, one answer per browser, receipts withdraw exactly one answer."""

from __future__ import annotations

import asyncio
import json
import re

from nicegui import app
from nicegui.element_filter import ElementFilter
from nicegui.testing import User

from .helpers import PASSWORD, log_in, settle


async def setup_round(threshold: int = 5):
    services = app.state.services
    owner = await services.accounts.sign_up('Owner', 'owner@example.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP', 'expected_members': 10})
    survey_round = await services.surveys.create(owner.id, community.id, threshold=threshold, open_now=True)
    return services, owner, community.id, survey_round


def browser(user: User, stored: str | None = None) -> User:
    """A respondent's browser: what its localStorage holds for the survey."""
    user.javascript_rules[re.compile(r'localStorage\.getItem.*')] = lambda _: stored
    return user


def visible(user: User, marker: str) -> list:
    with user:
        return list(ElementFilter(marker=marker))


async def answer_survey(user: User, cid: str, token: str, value: int) -> str:
    """Answer every scale and choice question with `value` (or the first option) and send; returns the receipt."""
    await user.open(f'/s/{cid}/{token}')
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
        await answer_survey(browser(create_user()), cid, survey_round.token, 2 + n % 3)
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/survey/{survey_round.id}')
    await user.should_see(marker='below-threshold')  # N - 1 answers
    await user.should_see('4 antwoorden van 10 verwachte leden (40\u00a0%).')
    await user.should_not_see(marker='blocks-table')
    await answer_survey(browser(create_user()), cid, survey_round.token, 4)
    await user.open(f'/c/{cid}/survey/{survey_round.id}')
    await user.should_see(marker='blocks-table')  # N answers
    await user.should_not_see(marker='below-threshold')
    await user.should_see(marker='gap-table')


async def test_one_submission_per_browser_and_no_replay(user: User):
    services, _, cid, survey_round = await setup_round()
    await answer_survey(browser(user), cid, survey_round.token, 3)
    assert services.surveys.count(cid, survey_round.id) == 1
    user.find(marker='receipt-code')  # the thank-you view replaced the form: no submit button left to press
    assert not visible(user, 'respond-submit')
    browser(user, json.dumps({'done': True}))  # what the page stored in the browser
    await user.open(f'/s/{cid}/{survey_round.token}')
    await user.should_see(marker='respond-already', retries=20)
    assert not visible(user, 'respond-step')


async def test_receipt_withdraws_exactly_that_answer(user: User, create_user):
    services, owner, cid, survey_round = await setup_round(threshold=3)
    receipts = {}
    for value in (1, 3, 5):
        receipts[value] = await answer_survey(browser(create_user()), cid, survey_round.token, value)
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
    raw = json.loads((services.store.communities_dir / f'{cid}.json').read_text())
    assert sorted(d['answers'][first] for d in raw['survey_answers'].values()) == [1, 5]


async def test_stored_file_holds_no_address_agent_account_or_time(user: User):
    services, owner, cid, survey_round = await setup_round()
    user.http_client.headers['User-Agent'] = 'UniqueAgent/9.9 (survey test)'
    await answer_survey(browser(user), cid, survey_round.token, 4)
    await asyncio.sleep(0.2)
    text = (services.store.communities_dir / f'{cid}.json').read_text()
    raw = json.loads(text)
    for doc in raw['survey_answers'].values():
        assert set(doc) <= {'round', 'answers', 'receipt'}  # not even the day
    for needle in ('UniqueAgent', '127.0.0.1', 'testclient', owner.id, 'T0', 'T1', 'T2'):
        assert needle not in json.dumps(list(raw['survey_answers'].values())), needle


async def test_closed_or_unknown_round_says_so(user: User):
    services, owner, cid, survey_round = await setup_round()
    await services.surveys.set_status(owner.id, cid, survey_round.id, 'closed')
    browser(user)
    await user.open(f'/s/{cid}/{survey_round.token}')
    await user.should_see(marker='respond-closed')
    response = await user.http_client.get(f'/s/{cid}/{"x" * 32}')
    assert response.status_code == 404 and 'onbekend' in response.text


async def test_coordinator_creates_opens_and_shares_a_round(user: User):
    services = app.state.services
    owner = await services.accounts.sign_up('Owner', 'owner@example.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP Juristen'})
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{community.id}/survey')
    user.find(marker='survey-threshold').elements.pop().value = 2
    user.find(marker='survey-create').click()
    await user.should_see('Geef een geheel getal van minstens 3.', retries=20)  # never below 3
    user.find(marker='survey-threshold').elements.pop().value = 6
    user.find(marker='survey-title').type('Najaar')
    before = len(user.back_history)
    user.find(marker='survey-create').click()
    await settle(user, before)
    await user.should_see('Nog niet geopend')
    before = len(user.back_history)
    user.find(marker='round-open').click()
    await settle(user, before)
    await user.should_see('Open')
    link = user.find(marker='survey-link').elements.pop().value
    (survey_round,) = services.surveys.rounds(owner.id, community.id)
    assert link.endswith(f'/s/{community.id}/{survey_round.token}') and survey_round.threshold == 6
    await user.should_see('CoP Juristen', marker='invitation-fr')
    user.find(marker='qr-png').click()
    png = await user.download.next()
    assert png.content.startswith(b'\x89PNG')


async def test_markup_in_open_answers_is_shown_as_text(user: User):
    services, _, cid, survey_round = await setup_round(threshold=3)
    instrument = services.content.instruments.current('member_survey')
    text_item = next(i for i in instrument.items if i.type == 'text')
    markup = '<b>vet</b><script>alert("x")</script><img src=x onerror=alert(1)>'
    for _ in range(3):
        await services.surveys.submit(
            cid, survey_round.token, services.surveys.ticket(cid, survey_round.token), {text_item.id: markup}
        )
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
    await user.open(f'/s/{cid}/{survey_round.token}')
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
        await services.surveys.submit(
            cid, survey_round.token, services.surveys.ticket(cid, survey_round.token), {weak: value}
        )
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/survey/{survey_round.id}')
    await user.should_see('(gemiddeld 1,7 op 5)')
    user.find(marker='send-action').click()
    await user.should_see(marker='action-sent', retries=20)
    await services.surveys.submit(
        cid, survey_round.token, services.surveys.ticket(cid, survey_round.token), {weak: 1}
    )  # the mean moves from 1.7 to 1.5
    await user.open(f'/c/{cid}/survey/{survey_round.id}')
    await user.should_see('(gemiddeld 1,5 op 5)')
    await user.should_see(marker='action-sent')
    assert not visible(user, 'send-action')
    (suggestion,) = services.suggestions.list(owner.id, cid)
    assert 'gemiddeld' not in suggestion.text['nl'] and 'average' not in suggestion.text['en']
