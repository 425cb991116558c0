"""The guide, the journey and the action plan through their pages."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from nicegui import app
from nicegui.element_filter import ElementFilter
from nicegui.testing import User

from .helpers import PASSWORD, log_in, settle


async def setup() -> tuple:
    services = app.state.services
    owner = await services.accounts.sign_up('Owner', 'owner@example.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP', 'purpose': ''})
    return services, owner.id, community.id


def count(user: User, marker: str) -> int:
    with user:
        return len(list(ElementFilter(marker=marker)))


async def wait_for(condition, tries: int = 60) -> None:
    for _ in range(tries):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError('condition not met')


async def test_guide_is_public_and_a_coordinator_writes_answers(user: User):
    response = await user.http_client.get('/guide')
    assert response.status_code == 200
    await user.open('/guide?lang=fr')
    await user.should_see(marker='guide-login-hint')
    services, owner, cid = await setup()
    guide = services.content.guide
    question = guide.phases[0].questions[0]
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/guide?phase={guide.phases[0].id}')
    user.find(marker=f'answer-{question.id}').type('Omdat <b>niemand</b> alleen leert').trigger('blur')
    await wait_for(lambda: question.id in services.guide.answers(owner, cid))
    assert services.guide.answers(owner, cid)[question.id].text == 'Omdat <b>niemand</b> alleen leert'
    await user.open(f'/c/{cid}/plan')
    await user.should_see('Omdat <b>niemand</b> alleen leert')


async def test_plan_accept_add_filter_delete_and_undo(user: User):
    services, owner, cid = await setup()
    await services.suggestions.send(
        owner,
        cid,
        'kompas',
        'r1',
        'domain',
        {'nl': 'Schrijf het doel op', 'fr': 'Écrivez la finalité', 'en': 'Write it down'},
    )
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/plan')
    await user.should_see(marker='suggestion')
    user.find(marker='suggestion-accept').click()
    await user.should_see(marker='take-save', retries=20)  # who carries it, and by when?
    user.find(marker='action-owner').type('Noor')
    user.find(marker='due-in-30').click()
    user.find(marker='take-save').click()
    await user.should_see('Idee overgenomen als actie.', retries=20)
    await wait_for(lambda: count(user, 'action') == 1)
    assert count(user, 'suggestion') == 0
    taken = services.plan.actions(owner, cid)[0]
    assert taken.owner == 'Noor' and taken.due == (date.today() + timedelta(days=30)).isoformat()
    await user.should_see('(over 30 dagen)')  # the real date, with how far away it is

    user.find(marker='action-add').click()
    await user.should_see(marker='action-save', retries=20)
    user.find(marker='action-save').click()
    await user.should_see('Geef de actie een naam.', retries=20)  # a clear message, nothing stored
    user.find(marker='action-title').type('Kick-off houden')
    user.find(marker='action-owner').type('Lien')
    user.find(marker='due-in-30').click()  # a real date, thirty days from today
    user.find(marker='action-save').click()
    await wait_for(lambda: count(user, 'action') == 2)
    assert {a.title for a in services.plan.actions(owner, cid)} == {'Schrijf het doel op', 'Kick-off houden'}

    user.find(marker='filter-owner').elements.pop().value = 'Lien'
    await wait_for(lambda: count(user, 'action') == 1)
    await user.should_see('1 van 2 acties getoond.')
    user.find(marker='filter-owner').elements.pop().value = ''
    await wait_for(lambda: count(user, 'action') == 2)

    user.find(marker='action-delete').click()  # the first one shown
    await wait_for(lambda: count(user, 'action') == 1)
    assert len(services.plan.actions(owner, cid)) == 1
    user.find(marker='undo').click()
    await wait_for(lambda: count(user, 'action') == 2)
    assert len(services.plan.actions(owner, cid)) == 2


async def test_an_idea_taken_over_later_and_an_action_done_in_one_click(user: User):
    services, owner, cid = await setup()
    await services.suggestions.send(owner, cid, 'kompas', 'r1', 'domain', {'nl': 'Doel', 'fr': 'But', 'en': 'Aim'})
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/plan')
    user.find(marker='suggestion-accept').click()
    await user.should_see(marker='take-later', retries=20)
    user.find(marker='take-later').click()  # skippable: owner and date come later
    await wait_for(lambda: count(user, 'action') == 1)
    await user.should_see('Gepland · nog geen trekker · nog geen datum')
    user.find(marker='action-done').click()
    await wait_for(lambda: services.plan.actions(owner, cid)[0].status == 'done')
    await wait_for(lambda: count(user, 'action-done') == 0)
    user.find(marker='undo').click()
    await wait_for(lambda: services.plan.actions(owner, cid)[0].status == 'planned')


async def test_journey_skips_and_resumes(user: User):
    services, owner, cid = await setup()
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/journey')
    await user.should_see('0 van 8 stappen gedaan.')
    await user.should_see('Stap 1 van 8: De basis van je community')
    before = len(user.back_history)
    user.find(marker='journey-open').click()
    await settle(user, before)
    assert user.back_history[-1] == f'/c/{cid}/settings?journey=basics'
    await user.should_see(marker='journey-banner')  # the real tool, with the way back
    user.find(marker='field-purpose').type('Samen beter schrijven')
    before = len(user.back_history)
    user.find(marker='save-community').click()
    await settle(user, before)
    await user.open(f'/c/{cid}/journey')
    await user.should_see('Stap 2 van 8: Je profiel als coördinator')  # resumes at the first open step
    before = len(user.back_history)
    user.find(marker='journey-skip').click()
    await settle(user, before)
    await user.should_see('Stap 3 van 8: CoP-kompas')
    await user.open(f'/c/{cid}')
    await user.should_see('1 van 8 stappen gedaan.', marker='status-journey')


async def test_the_journey_follows_the_user_through_every_page_of_a_tool(user: User):
    services, owner, cid = await setup()
    await services.communities.update(owner, cid, {'name': 'CoP', 'purpose': 'Samen beter schrijven'})
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/kompas')
    await user.should_not_see(marker='journey-banner')  # not in the journey: no banner
    await user.open(f'/c/{cid}/journey?step=kompas')
    await user.open(f'/c/{cid}/kompas/quick')  # no ?journey= any more: the journey is remembered
    await user.should_not_see(marker='journey-banner')  # (no quick scan open yet: sent back to the overview)
    await user.open(f'/c/{cid}/kompas')
    await user.should_see('Stappenplan, stap 3 van 8: CoP-kompas')
    await user.should_see(marker='journey-todo')
    sheet = await services.kompas.start(owner, cid, quick=True)
    for item in services.kompas.quick_instrument.items:
        await services.kompas.answer(owner, cid, sheet.id, item.id, 3)
    await services.kompas.finish(owner, cid, sheet.id)
    await user.open(f'/c/{cid}/kompas/result/{sheet.id}')  # a page deep inside the tool
    await user.should_see(marker='journey-step-done')
    await user.should_see('Verder naar stap 4: Enquête voor leden')  # onwards; the profile left open comes at the end
    before = len(user.back_history)
    user.find(marker='journey-done-next').click()
    await settle(user, before)
    assert user.back_history[-1] == f'/c/{cid}/survey?journey=survey'
    user.find(marker='journey-close').click()  # the guidance can be put away
    await user.open(f'/c/{cid}/kompas')
    await user.should_not_see(marker='journey-banner')


async def test_the_journey_ends_with_the_dossier_and_a_closing_note(user: User):
    services, owner, cid = await setup()
    await services.communities.update(owner, cid, {'name': 'CoP', 'purpose': 'Samen beter schrijven'})
    for step in ('profile', 'kompas', 'survey', 'needs', 'ittools', 'kickoff'):
        await services.journey.skip(owner, cid, step)
    action = await services.plan.add(owner, cid, {'title': 'Kerngroep samenstellen'})
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/plan?journey=plan')
    await user.should_see(marker='journey-todo')  # an action without owner and date does not finish the plan
    await services.plan.update(owner, cid, action.id, {'owner': 'Lien', 'due': '2027-02-01'})
    await user.open(f'/c/{cid}/plan')
    before = len(user.back_history)
    user.find(marker='journey-done-next').click()
    await settle(user, before)
    assert user.back_history[-1] == f'/c/{cid}/journey?step=dossier'
    await user.should_see(marker='journey-end')
    await user.should_see('Acties in het plan: 1, waarvan 1 met trekker en datum.')
    await user.should_see('Je profiel als coördinator: nog niet gedaan')
    user.find(marker='journey-dossier-pdf').click()
    response = await user.download.next()
    assert response.content.startswith(b'%PDF')


async def test_dossier_page_downloads_a_pdf(user: User):
    services, owner, cid = await setup()
    await services.plan.add(owner, cid, {'title': 'Eerste actie <script>'})
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/dossier')
    await user.should_see(marker='dossier-html')
    await user.should_see('Eerste actie <script>')  # the accessible web version
    user.find(marker='section-guide').elements.pop().value = False
    await wait_for(lambda: count(user, 'dossier-guide') == 0)
    user.find(marker='dossier-pdf').click()
    response = await user.download.next()
    assert response.content.startswith(b'%PDF')


async def test_plan_filters_stay_in_place_and_an_unknown_owner_filters_nothing(user: User):
    services, owner, cid = await setup()
    await services.plan.add(owner, cid, {'title': 'Van Jan', 'owner': 'Jan', 'status': 'doing'})
    await services.plan.add(owner, cid, {'title': 'Van Lien', 'owner': 'Lien'})
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/plan?owner=Nobody')
    await user.should_see('2 van 2 acties getoond.')  # shown as "All", and it is all
    status = user.find(marker='filter-status').elements.pop()
    status.value = 'doing'
    await user.should_see('1 van 2 acties getoond.')
    assert user.find(marker='filter-status').elements.pop() is status  # not rebuilt: focus stays on it
    await user.open(f'/c/{cid}/plan?owner=lien')  # a known owner, however it is written
    await user.should_see('1 van 2 acties getoond.')
    assert user.find(marker='filter-owner').elements.pop().value == 'Lien'
