"""Pages that show what others change follow the community's changes (core/changes.py, components/live.py): two
people at once, each in their own browser; what one saves appears on the other's screen without a reload."""

from __future__ import annotations

from nicegui import app
from nicegui.testing import User

from .helpers import PASSWORD, log_in
from .test_plan import count, wait_for
from .test_survey import answer_survey, browser, link, setup_round


async def two_coordinators() -> tuple:
    services = app.state.services
    owner = await services.accounts.sign_up('Owner', 'owner@example.be', PASSWORD)
    other = await services.accounts.sign_up('Co', 'co@example.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP', 'purpose': 'Samen beter schrijven'})
    token, _ = await services.communities.invite(owner.id, community.id, 'co_coordinator')
    await services.communities.accept(other.id, token)
    return services, owner.id, other.id, community.id


def texts(user: User, marker: str) -> list[str]:
    with user:
        return [element.text for element in user.find(marker=marker).elements]


async def test_a_plan_open_in_two_browsers_shows_what_the_other_saves(user: User, create_user):
    services, owner, _, cid = await two_coordinators()
    for step in ('profile', 'kompas', 'survey', 'needs', 'ittools', 'kickoff'):
        await services.journey.skip(owner, cid, step)
    action = await services.plan.add(owner, cid, {'title': 'Kerngroep samenstellen'})
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/plan?journey=plan')
    await user.should_see(marker='journey-todo')
    listening = services.changes.listeners(cid)
    assert listening >= 2  # the banner and the list

    other = create_user()
    await log_in(other, 'co@example.be')
    await other.open(f'/c/{cid}/plan')
    other.find(marker='action-edit').click()
    await other.should_see(marker='action-owner')
    other.find(marker='action-owner').type('Lien')
    other.find(marker='action-due').type('2027-02-01')
    other.find(marker='action-save').click()
    await wait_for(lambda: services.plan.action(owner, cid, action.id).owner == 'Lien')

    # the first browser was not reloaded: its banner and its list show the change
    await wait_for(lambda: count(user, 'journey-step-done') == 1)
    await wait_for(lambda: any('Lien' in text for text in texts(user, 'action-summary')))
    other.find(marker='action-done').click()
    await wait_for(lambda: count(user, 'action-done') == 0)  # done now: no "mark done" button any more


async def test_a_change_in_another_community_is_not_heard(user: User):
    services, owner, _, cid = await two_coordinators()
    elsewhere = await services.communities.create(owner, {'name': 'Andere CoP'})
    await services.plan.add(owner, cid, {'title': 'Kerngroep samenstellen'})
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/plan')
    await services.plan.add(owner, elsewhere.id, {'title': 'Elders'})
    await user.should_not_see('Elders')
    assert services.changes.listeners(elsewhere.id) == 0


async def test_the_response_count_grows_while_the_coordinator_looks(user: User, create_user):
    services, _, cid, survey_round = await setup_round(threshold=5)
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/survey/{survey_round.id}')
    await user.should_see('0 antwoorden van 10 verwachte leden (0\u00a0%).')
    await answer_survey(browser(create_user()), await link(cid, survey_round), 4)
    # the coordinator's page was not reloaded: the count follows the answer
    await wait_for(lambda: texts(user, 'response-count') == ['1 antwoorden van 10 verwachte leden (10\u00a0%).'])
    await answer_survey(browser(create_user()), await link(cid, survey_round), 2)
    await wait_for(lambda: texts(user, 'response-count') == ['2 antwoorden van 10 verwachte leden (20\u00a0%).'])
    assert services.surveys.count(cid, survey_round.id) == 2
