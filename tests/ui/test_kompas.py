"""The kompas and the profile as users meet them: answers set through the page, scores checked by hand."""

from __future__ import annotations

import asyncio

from nicegui import app
from nicegui.element_filter import ElementFilter
from nicegui.testing import User

from core.cited import cited_in

from .helpers import PASSWORD, create_community, log_in, settle, sign_up


async def answer(user: User, item_id: str, value) -> None:
    """Choose an answer in a question card, as a click on the radio would, and wait for the card to confirm
    that it is saved."""
    user.find(marker=f'answer-{item_id}').elements.pop().value = value
    card = user.find(marker=f'question-{item_id}').elements.pop()
    for _ in range(80):
        if any(getattr(e, 'text', '') == 'Antwoord opgeslagen.' for e in card.descendants()):
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f'answer to {item_id} not confirmed')


def count(user: User, marker: str) -> int:
    with user:
        return len(list(ElementFilter(marker=marker)))


async def start_round(user: User, cid: str) -> None:
    await user.open(f'/c/{cid}/kompas')
    before = len(user.back_history)
    user.find(marker='kompas-start').click()
    await settle(user, before)


async def test_answers_through_the_page_give_hand_computed_scores(user: User):
    await sign_up(user)
    cid = await create_community(user)
    kompas = app.state.services.kompas.instrument
    domain, community, practice = (kompas.dimension(d) for d in ('domain', 'community', 'practice'))
    await start_round(user, cid)
    await user.should_see(marker=f'based-on-{domain.items[0].id}')  # "Waarom deze vraag?" with the item's source
    await user.should_see('Gebaseerd op: ' + cited_in(domain.items[0].source, 'nl'))
    for item, value in zip(domain.items, [1, 2, 3, 4, 2, 3], strict=True):  # mean 2.5 -> developing
        await answer(user, item.id, value)
    await user.open(f'/c/{cid}/kompas/answer?d=community')
    for item, value in zip(community.items, [5, 5, 'na', 4, 5, 4], strict=True):  # mean 23/5 = 4.6 -> strong
        await answer(user, item.id, value)
    await user.open(f'/c/{cid}/kompas/answer?d=practice')
    await answer(user, practice.items[0].id, 2)  # 1 answer < minimum 2: no score
    total = len(kompas.items)
    await user.should_see(f'13 van {total} vragen beantwoord')

    await user.open(f'/c/{cid}/kompas/review')
    await user.should_see(f'Nog {total - 13} open vragen')
    user.find(marker='finish').click()
    await user.should_see(marker='confirm-ok')  # open questions: asked first
    before = len(user.back_history)
    user.find(marker='confirm-ok').click()
    await settle(user, before)

    await user.should_see('Indicatie van de ontwikkelingsfase: Groeien (gemiddeld 3,6 op 5)')  # (2.5 + 4.6) / 2 = 3.55
    await user.should_see('Werk eerst aan: Domein en doel')  # community is strong: not a priority
    with user:
        table = user.find(marker='kompas-table').elements.pop()
        cells = [c.text for c in table.descendants() if hasattr(c, 'text') and c.tag in ('td', 'th')]
    row = cells.index('Domein en doel')
    assert cells[row + 1 : row + 3] == ['2,5', 'In ontwikkeling']
    row = cells.index('Gemeenschap en relaties')
    assert cells[row + 1 : row + 3] == ['4,6', 'Sterk punt']
    row = cells.index('Praktijk en gedeelde kennis')
    assert cells[row + 1 : row + 3] == ['te weinig antwoorden', '—']
    await user.should_see(marker='too-few')


async def test_first_use_offers_the_quick_scan_and_the_page_then_opens_on_its_result(user: User):
    await sign_up(user)
    cid = await create_community(user)
    services = app.state.services
    await user.open(f'/c/{cid}/kompas')
    await user.should_see(marker='kompas-first-time')
    await user.should_see(marker='kompas-start')  # the full kompas one click away
    before = len(user.back_history)
    user.find(marker='kompas-quick').click()
    await settle(user, before)
    assert user.back_history[-1] == f'/c/{cid}/kompas/quick'
    quick = services.kompas.quick_instrument
    assert count(user, 'finish') == 1 and all(count(user, f'question-{i.id}') == 1 for i in quick.items)
    assert count(user, 'next-dimension') == 0  # one page, no paging through themes
    for item, value in zip(quick.items, [2, 2, 2, 2, 2, 2, 2, 2], strict=True):
        await answer(user, item.id, value)
    before = len(user.back_history)
    user.find(marker='finish').click()
    await settle(user, before)
    await user.should_see(marker='kompas-indication')  # a first indication, said so
    await user.should_see('Indicatie van de ontwikkelingsfase: Samenbrengen (gemiddeld 2,0 op 5)')

    await user.open(f'/c/{cid}/kompas')  # results first, with 'measure again' beside them
    await user.should_see(marker='kompas-latest')
    await user.should_see(marker='kompas-trend-one')
    await user.should_see(marker='kompas-quick')
    owner = services.accounts.by_email('anna@example.be').id
    second = await services.kompas.start(owner, cid)  # a full assessment later
    for item in services.kompas.instrument.items:
        await services.kompas.answer(owner, cid, second.id, item.id, 4)
    await services.kompas.finish(owner, cid, second.id)
    await user.open(f'/c/{cid}/kompas')
    await user.should_see(marker='kompas-trend')
    with user:
        table = user.find(marker='kompas-trend-table').elements.pop()
        cells = [c.text for c in table.descendants() if hasattr(c, 'text') and c.tag in ('td', 'th')]
    row = cells.index('Domein en doel')
    assert cells[row + 1 : row + 3] == ['2,0', '4,0']
    row = cells.index('Gemiddeld')
    assert cells[row + 1 : row + 3] == ['2,0', '4,0']


async def test_a_quick_scan_widens_to_the_full_kompas_in_one_click(user: User):
    await sign_up(user)
    cid = await create_community(user)
    services = app.state.services
    await user.open(f'/c/{cid}/kompas')
    before = len(user.back_history)
    user.find(marker='kompas-quick').click()
    await settle(user, before)
    first = services.kompas.quick_instrument.items[0]
    await answer(user, first.id, 3)
    before = len(user.back_history)
    user.find(marker='kompas-widen').click()
    await settle(user, before)
    assert user.back_history[-1] == f'/c/{cid}/kompas/answer?d=domain'
    await user.should_see(f'1 van {len(services.kompas.instrument.items)} vragen beantwoord')


async def test_leave_halfway_and_continue_later(user: User, create_user):
    await sign_up(user)
    cid = await create_community(user)
    items = app.state.services.kompas.instrument.items
    await start_round(user, cid)
    await answer(user, items[0].id, 3)
    await answer(user, items[1].id, 4)

    other_browser = create_user()  # the same coordinator, another day, another browser
    await log_in(other_browser, 'anna@example.be')
    await other_browser.open(f'/c/{cid}/kompas')
    await other_browser.should_see(f'2 van {len(items)} vragen beantwoord')
    before = len(other_browser.back_history)
    other_browser.find(marker='kompas-continue').click()
    await settle(other_browser, before)
    assert other_browser.back_history[-1].endswith('?d=domain')  # domain still has open questions
    radio = other_browser.find(marker=f'answer-{items[0].id}').elements.pop()
    assert radio.value == 3


async def test_send_an_idea_to_the_action_plan(user: User):
    await sign_up(user)
    cid = await create_community(user)
    instrument = app.state.services.kompas.instrument
    await start_round(user, cid)
    for item in instrument.dimension('domain').items:
        await answer(user, item.id, 1)
    services = app.state.services
    sheet = services.kompas.open_round(services.accounts.by_email('anna@example.be').id, cid)
    await services.kompas.finish(services.accounts.by_email('anna@example.be').id, cid, sheet.id)
    await user.open(f'/c/{cid}/kompas/result/{sheet.id}')
    assert len(user.find(marker='send-action').elements) == 3  # the three ideas of the one scored dimension
    for sent in range(1, 4):
        user.find(marker='send-action').click()  # the first idea still to send
        for _ in range(40):
            if count(user, 'action-sent') == sent:
                break
            await asyncio.sleep(0.05)
    owner = services.accounts.by_email('anna@example.be').id
    suggestions = services.suggestions.list(owner, cid)
    assert len(suggestions) == 3 and {(s.source, s.dimension) for s in suggestions} == {('kompas', 'domain')}
    await user.open(f'/c/{cid}/kompas/result/{sheet.id}')  # after reload they stay marked as sent
    assert count(user, 'action-sent') == 3
    await user.should_not_see(marker='send-action')


async def test_coach_reads_results_but_cannot_answer(user: User, create_user):
    services = app.state.services
    owner = await services.accounts.sign_up('Owner', 'owner@example.be', PASSWORD)
    coach = await services.accounts.sign_up('Coach', 'coach@example.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP'})
    token, _ = await services.communities.invite(owner.id, community.id, 'coach')
    await services.communities.accept(coach.id, token)
    sheet = await services.kompas.start(owner.id, community.id)
    await services.kompas.answer(owner.id, community.id, sheet.id, services.kompas.instrument.items[0].id, 4)
    await services.kompas.finish(owner.id, community.id, sheet.id)

    await log_in(user, 'coach@example.be')
    await user.open(f'/c/{community.id}/kompas')
    await user.should_not_see(marker='kompas-start')
    await user.should_not_see(marker='kompas-quick')
    await user.should_see(marker='kompas-latest')  # results first
    await user.should_see(marker='rounds-list')
    await user.open(f'/c/{community.id}/kompas/result/{sheet.id}')
    await user.should_see(marker='kompas-table')
    await user.should_not_see(marker='send-action')
    response = await user.http_client.get(f'/c/{community.id}/kompas/answer')
    assert response.status_code == 403


async def test_profile_filled_shared_and_seen_by_the_coordinator(user: User, create_user):
    services = app.state.services
    owner = await services.accounts.sign_up('Owner', 'owner@example.be', PASSWORD)
    co = await services.accounts.sign_up('Co Ordinator', 'co@example.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP'})
    token, _ = await services.communities.invite(owner.id, community.id, 'co_coordinator')
    await services.communities.accept(co.id, token)
    cid = community.id
    profile = services.profiles.instrument

    await log_in(user, 'co@example.be')
    await user.open(f'/c/{cid}/profile')
    before = len(user.back_history)
    user.find(marker='profile-start').click()
    await settle(user, before)
    first_group = profile.dimensions[0]
    for item, value in zip(first_group.items, [4, 1, 2, 'na'], strict=False):  # 'na': not applicable (not yet)
        await answer(user, item.id, value)
    await user.open(f'/c/{cid}/profile/review')
    user.find(marker='finish').click()
    await user.should_see(marker='confirm-ok')
    before = len(user.back_history)
    user.find(marker='confirm-ok').click()
    await settle(user, before)
    await user.should_see('Sterktes (1)')
    await user.should_see('Werkpunten (2)')
    await user.should_see('Tip: ' + profile.item(first_group.items[1].id).suggestion['nl'])
    await user.should_see('Niet van toepassing (1)')  # named as such, in no score
    await user.should_see(first_group.items[3].statement['nl'])

    coordinator = create_user()
    await log_in(coordinator, 'owner@example.be')
    await coordinator.open(f'/c/{cid}/profile')
    await coordinator.should_see(marker='shared-none')  # not shared yet

    await user.open(f'/c/{cid}/profile')
    user.find(marker='profile-share').elements.pop().value = True
    await user.should_see('Je resultaat is gedeeld met deze community.', retries=20)
    await coordinator.open(f'/c/{cid}/profile')
    await coordinator.should_see('Profiel van Co Ordinator', retries=10)
