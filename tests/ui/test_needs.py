"""The needs survey through its pages: the coordinator makes a round at /c/<id>/needs (not among the member survey's
rounds), prospective members answer, and the released results show in the kick-off's needs block and as a hint when
a new IT-tools comparison starts; below the threshold, none of them shows anything."""

from __future__ import annotations

import asyncio
import re

from nicegui import app
from nicegui.testing import User

from core.needs import INSTRUMENT

from .helpers import PASSWORD, log_in, settle


async def setup():
    services = app.state.services
    owner = await services.accounts.sign_up('Owner', 'owner@example.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP Overheidsopdrachten', 'purpose': 'Leren'})
    return services, owner.id, community.id


async def answer(services, owner: str, cid: str, survey_round, moment: str, tools: list[str]) -> None:
    (code,) = await services.surveys.make_codes(owner, cid, survey_round.id, 1)
    ticket = services.surveys.ticket(cid, survey_round.token)
    sheet = {'topic_kinds': ['rules', 'daily_cases'], 'moments': [moment], 'tools_used': tools, 'rhythm': 'quarterly'}
    await services.surveys.submit(cid, survey_round.token, ticket, sheet, code=code)


async def test_a_needs_round_is_made_on_its_own_page_and_not_listed_with_the_member_survey(user: User):
    services, owner, cid = await setup()
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/needs')
    await user.should_see('Behoeftepeiling')
    await user.should_see(marker='no-rounds')
    user.find(marker='survey-title').type('Voor de start')
    before = len(user.back_history)
    user.find(marker='survey-create').click()
    await settle(user, before)
    (created,) = services.needs.rounds(owner, cid)
    assert created.instrument == INSTRUMENT and created.title == 'Voor de start'
    assert user.back_history[-1] == f'/c/{cid}/needs/{created.id}'
    assert services.surveys.rounds(owner, cid) == []  # the member survey's list stays its own
    await user.should_see('We starten een community CoP Overheidsopdrachten', marker='invitation-nl')
    await user.open(f'/c/{cid}/survey')
    await user.should_not_see('Voor de start')


async def test_released_results_reach_the_kickoff_block_and_the_ittools_hint_only_from_the_threshold(user: User):
    services, owner, cid = await setup()
    survey_round = await services.surveys.create(owner, cid, instrument=INSTRUMENT, threshold=3, open_now=True)
    scenario = await services.kickoff.create(owner, cid, title='Kick-off', lang='nl', template_id='kickoff_90')
    await answer(services, owner, cid, survey_round, 'lunch', ['teams', 'webex'])
    await answer(services, owner, cid, survey_round, 'lunch', ['teams'])
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/kickoff/{scenario.id}')
    await user.should_see(marker='needs-results-none')  # two answers, threshold three: nothing shown
    await user.open(f'/c/{cid}/ittools/new')
    await user.should_not_see(marker='needs-tools-hint')
    await answer(services, owner, cid, survey_round, 'morning', ['teams', 'zoom'])
    await user.open(f'/c/{cid}/kickoff/{scenario.id}')
    await user.should_see('Uit de behoeftepeiling (3 antwoorden, vrijgegeven momentopname):')
    await user.should_see('Over de middag (67', marker='needs-result-line')
    await user.should_see('Regelgeving en procedures, en hoe ze toe te passen (100', marker='needs-result-line')
    await user.open(f'/c/{cid}/ittools/new')
    await user.should_see('Microsoft Teams, Webex, Zoom', marker='needs-tools-hint')
    user.find(marker='template-choice').elements.pop().value = ''  # an own choice starts from the tools in use
    assert user.find(marker='tool-teams').elements.pop().value
    assert not user.find(marker='tool-nextcloud').elements.pop().value
    await user.open(f'/c/{cid}/needs/{survey_round.id}')
    await user.should_see(marker='needs-summary')
    await user.should_see('Plan de bijeenkomsten op het moment dat de meeste toekomstige leden kozen: Over de middag.')


async def test_prospective_members_are_not_addressed_as_members(user: User, create_user):
    """The needs survey runs on the member survey's pages, but its respondents are not members yet."""
    services, owner, cid = await setup()
    needs = await services.surveys.create(owner, cid, instrument=INSTRUMENT, threshold=3, open_now=True)
    member = await services.surveys.create(owner, cid, threshold=3, open_now=True)
    respondent = create_user()
    respondent.javascript_rules[re.compile(r'localStorage\.getItem.*')] = lambda _: None
    (code,) = await services.surveys.make_codes(owner, cid, needs.id, 1)
    await respondent.open(f'/s/{cid}/p/{code}')
    await respondent.should_see('Voor de community CoP Overheidsopdrachten, die van start gaat')
    await respondent.open(f'/s/{cid}/{needs.token}')  # a personal round's own link takes no answers
    await respondent.should_see('Deze peiling werkt met persoonlijke links: elke genodigde kreeg een eigen link.')
    await respondent.should_not_see('elk lid')
    await respondent.open(f'/s/{cid}/{member.token}')
    await respondent.should_see('Voor de community CoP Overheidsopdrachten')
    await respondent.should_see('elk lid kreeg een eigen link')
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/needs/{needs.id}')
    await user.should_see('Wat de toekomstige leden lezen over hun anonimiteit')
    await user.should_see('Maak één link per genodigde')
    await user.should_not_see('Wat de leden lezen over hun anonimiteit')
    await user.open(f'/c/{cid}/needs')
    await user.should_see('elke genodigde krijgt een eigen link die één keer werkt')
    await user.open(f'/c/{cid}/survey')
    await user.should_see('elk lid krijgt een eigen link die één keer werkt')


async def test_a_fourth_topic_is_taken_back_with_a_reason_and_three_are_sent(user: User):
    """ "Choose three at most": the fourth tick is undone at once and the card says why, in the reader's language."""
    services, owner, cid = await setup()
    needs = await services.surveys.create(owner, cid, instrument=INSTRUMENT, threshold=3, open_now=True)
    user.javascript_rules[re.compile(r'localStorage\.getItem.*')] = lambda _: None
    (code,) = await services.surveys.make_codes(owner, cid, needs.id, 1)
    await user.open(f'/s/{cid}/p/{code}?lang=fr')
    await user.should_see(marker='respond-step', retries=20)
    user.find(marker='respond-next').click()
    await user.should_see(marker='answer-topic_kinds-rules', retries=20)

    def box(option: str):
        return user.find(marker=f'answer-topic_kinds-{option}').elements.pop()

    async def tick(option: str, value: bool = True) -> None:  # one click at a time, as a hand does
        box(option).value = value
        await asyncio.sleep(0.05)

    for option in ('rules', 'daily_cases', 'skills', 'innovation'):
        await tick(option)
    await user.should_see("Vous pouvez choisir 3 réponses au maximum\u00a0: décochez-en d'abord une.")
    assert [box(o).value for o in ('rules', 'daily_cases', 'skills', 'innovation')] == [True, True, True, False]
    await tick('skills', False)
    await tick('innovation')
    await user.should_see('Réponse enregistrée.')
    assert [box(o).value for o in ('rules', 'daily_cases', 'skills', 'innovation')] == [True, True, False, True]
    instrument = services.surveys.instrument_of(needs)
    for index in range(2, len(instrument.dimensions)):
        user.find(marker='respond-next').click()
        await user.should_see(f'Partie {index + 1} sur', retries=20)
    user.find(marker='respond-submit').click()
    await user.should_see(marker='confirm-ok', retries=20)
    user.find(marker='confirm-ok').click()
    await user.should_see(marker='receipt-code', retries=40)
    assert services.surveys.answer_count(owner, cid, needs.id) == 1
