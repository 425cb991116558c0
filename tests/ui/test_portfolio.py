"""Organisations, sharing, the portfolio and value-creation stories through their pages, with several users."""

from __future__ import annotations

import asyncio

from nicegui import app
from nicegui.element_filter import ElementFilter
from nicegui.testing import User

from .helpers import PASSWORD, log_in, log_out, settle


async def world() -> tuple:
    """A coordinator with a community (a kompas round, a plan), a KM officer with an organisation."""
    services = app.state.services
    coordinator = await services.accounts.sign_up('Coco Ordinator', 'coco@example.be', PASSWORD)
    officer = await services.accounts.sign_up('Kim Officer', 'kim@example.be', PASSWORD)
    community = await services.communities.create(coordinator.id, {'name': 'CoP Fiscaliteit', 'purpose': 'Samen.'})
    cid = community.id
    sheet = await services.kompas.start(coordinator.id, cid)
    for dimension in services.kompas.instrument.dimensions:
        for item in dimension.items:
            await services.kompas.answer(coordinator.id, cid, sheet.id, item.id, 3)
    await services.kompas.finish(coordinator.id, cid, sheet.id)
    await services.plan.add(coordinator.id, cid, {'title': 'Geheime actie', 'status': 'doing'})
    org = await services.organisations.create(officer.id, 'FOD Financiën')
    return services, coordinator.id, officer.id, cid, org.id


def texts(user: User, marker: str) -> list[str]:
    with user:
        return [getattr(e, 'text', '') or str(getattr(e, 'value', '')) for e in ElementFilter(marker=marker)]


async def wait_for(condition, tries: int = 80) -> None:
    for _ in range(tries):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError('condition not met')


async def test_attach_by_invitation_then_share_and_the_portfolio_shows_only_that(user: User, create_user):
    services, coordinator, officer, cid, org_id = await world()
    token, _ = await services.organisations.invite(officer, org_id, 'attach')
    await log_in(user, 'coco@example.be')
    await user.open(f'/org/join/{token}')
    await user.should_see(marker='join-text')
    user.find(marker='share-kompas').click()  # the coordinator shares the kompas only
    before = len(user.back_history)
    user.find(marker='join-accept').click()
    await settle(user, before)
    assert services.organisations.link(cid).shared == {'kompas'}
    await user.should_see(marker='share-preview')
    await user.should_see('niet gedeeld door de coördinator')

    km = create_user()
    await log_in(km, 'kim@example.be')
    await km.open(f'/portfolio/{org_id}')
    await km.should_see('CoP Fiscaliteit')
    await km.should_see('3,0 gemiddeld', retries=20)
    await km.should_not_see('Geheime actie')
    await km.open(f'/portfolio/{org_id}/c/{cid}')
    await km.should_see(marker='coach-banner')
    await km.should_see(marker='coach-kompas')
    await km.should_not_see(marker='coach-actions')  # the plan is not shared
    await km.should_not_see('Geheime actie')


async def test_a_forged_or_unshared_address_shows_a_clear_message_and_nothing_else(user: User):
    services, coordinator, officer, cid, org_id = await world()
    other = await services.communities.create(coordinator, {'name': 'Niet gekoppeld'})
    await log_in(user, 'kim@example.be')
    cases = [
        (f'/portfolio/{"0" * 16}', 'portfolio-problem'),
        ('/portfolio/nope', 'portfolio-problem'),
        (f'/portfolio/{org_id}/c/{other.id}', 'coach-problem'),
        (f'/portfolio/{org_id}/c/{cid}', 'coach-problem'),  # not attached (yet)
        ('/org/join/forged-token', 'join-problem'),
    ]
    for path, marker in cases:
        await user.open(path)
        await user.should_see(marker=marker)
        await user.should_not_see('CoP Fiscaliteit')
    for path in (f'/c/{cid}/kompas', f'/c/{cid}/plan', f'/c/{cid}/dossier'):  # no role in the community itself
        response = await user.http_client.get(path)
        assert response.status_code == 404 and 'Geheime actie' not in response.text


async def test_the_coordinator_asks_the_officer_accepts_and_detaching_empties_the_open_portfolio(
    user: User, create_user
):
    services, coordinator, officer, cid, org_id = await world()
    await log_in(user, 'coco@example.be')
    await user.open(f'/c/{cid}/organisation')
    user.find(marker='share-org').elements.pop().value = org_id
    user.find(marker='share-plan').click()
    before = len(user.back_history)
    user.find(marker='share-ask').click()
    await settle(user, before)
    assert services.organisations.link(cid).status == 'asked'

    km = create_user()
    await log_in(km, 'kim@example.be')
    await km.open(f'/portfolio/{org_id}/manage')
    km.find(marker='org-request-accept').click()
    await wait_for(lambda: services.organisations.link(cid).status == 'attached')
    await km.open(f'/portfolio/{org_id}')
    await km.should_see('CoP Fiscaliteit')
    await km.should_see('open: 1; gedaan: 0; te laat: 0')

    await user.open(f'/c/{cid}/organisation')
    user.find(marker='share-detach').click()
    await user.should_see(marker='confirm-ok', retries=20)
    user.find(marker='confirm-ok').click()
    await wait_for(lambda: services.organisations.link(cid) is None)
    await km.should_see(marker='portfolio-empty', retries=40)  # the open page redrew at once
    await km.should_not_see('CoP Fiscaliteit')


async def test_a_slow_detach_moves_the_coordinator_and_empties_the_officers_open_page(user: User, create_user):
    """The detach's write takes a while; the officer's page empties meanwhile, and only the coordinator's page moves
    on (tests/ui/conftest.py routes each navigation to the page that asked for it: without it this test fails)."""
    services, coordinator, officer, cid, org_id = await world()
    token, _ = await services.organisations.invite(officer, org_id, 'attach')
    await services.organisations.accept_attach(coordinator, token, cid, ['survey'])
    km = create_user()
    await log_in(km, 'kim@example.be')
    await km.open(f'/portfolio/{org_id}')
    await km.should_see('CoP Fiscaliteit')
    await log_in(user, 'coco@example.be')
    await user.open(f'/c/{cid}/organisation')
    commit = services.organisations._commit

    async def slow_commit() -> None:
        await asyncio.sleep(0.5)
        await commit()

    services.organisations._commit = slow_commit
    user.find(marker='share-detach').click()
    await user.should_see(marker='confirm-ok', retries=20)
    before = len(user.back_history)
    user.find(marker='confirm-ok').click()
    await km.should_see(marker='portfolio-empty', retries=40)  # the test looks at the officer while the write runs
    await settle(user, before)
    assert user.back_history[-1] == f'/c/{cid}/organisation'
    await user.should_see(marker='share-ask')
    assert km.back_history[-1] == f'/portfolio/{org_id}'


async def test_filters_search_and_flags(user: User):
    services, coordinator, officer, cid, org_id = await world()
    second = await services.communities.create(coordinator, {'name': 'Alfa data', 'stage': 'maturing'})
    for community in (cid, second.id):
        token, _ = await services.organisations.invite(officer, org_id, 'attach')
        await services.organisations.accept_attach(coordinator, token, community, ['survey'])
    await log_in(user, 'kim@example.be')
    await user.open(f'/portfolio/{org_id}?q=fisc')
    await user.should_see('CoP Fiscaliteit')
    await user.should_not_see('Alfa data')
    await user.open(f'/portfolio/{org_id}?stage=maturing')
    await user.should_see('Alfa data')
    await user.should_not_see('CoP Fiscaliteit')
    await user.open(f'/portfolio/{org_id}?flag=no_survey')
    await user.should_see(marker='flag-no_survey')
    await user.should_see(marker='flag-alone')
    await user.should_see(marker='heat-none')  # nobody shares the kompas


async def test_a_member_writes_a_story_without_an_account_and_the_coordinator_publishes_it(user: User, create_user):
    services, coordinator, officer, cid, org_id = await world()
    link = await services.stories.open_link(coordinator, cid)
    member = create_user()
    await member.open(f'/story/{cid}/{link}')
    await member.should_see(marker='story-intro')
    member.find(marker='story-happened').type('Een collega legde een moeilijke brief voor.')
    member.find(marker='story-gave').type('Een aanpak die ik meteen kon gebruiken.')
    member.find(marker='story-sign').elements.pop().value = 'name'
    member.find(marker='story-name').type('Mira Janssens')
    member.find(marker='story-submit').click()
    await member.should_see(marker='story-key-link', retries=40)
    (story,) = services.stories.stories(coordinator, cid)
    assert story.author == 'Mira Janssens'
    key_link = texts(member, 'story-key-link')[0]

    await log_in(user, 'coco@example.be')
    await user.open(f'/c/{cid}/stories')
    await user.should_see('Een aanpak die ik meteen kon gebruiken.')
    user.find(marker='story-publish').click()
    await wait_for(lambda: services.stories.published(cid))

    await member.open('/' + key_link.split('/', 3)[3])
    await member.should_see(marker='story-status')
    member.find(marker='story-withdraw').click()
    await member.should_see(marker='confirm-ok', retries=20)
    member.find(marker='confirm-ok').click()
    await member.should_see(marker='story-withdrawn', retries=40)
    assert services.stories.stories(coordinator, cid) == []


async def test_an_officer_invites_a_colleague_who_becomes_an_officer(user: User, create_user):
    services, coordinator, officer, cid, org_id = await world()
    await log_in(user, 'kim@example.be')
    await user.open(f'/portfolio/{org_id}/manage')
    user.find(marker='org-invite-officer').click()
    await user.should_see(marker='org-link-officer', retries=40)
    link = texts(user, 'org-link-officer')[0]
    colleague = await services.accounts.sign_up('Col League', 'col@example.be', PASSWORD)
    await log_out(user)
    await log_in(user, 'col@example.be')
    await user.open('/org/join/' + link.rsplit('/', 1)[1])
    before = len(user.back_history)
    user.find(marker='join-accept').click()
    await settle(user, before)
    assert services.organisations.is_officer(colleague.id, org_id)
    await user.should_see(marker='portfolio-empty')
