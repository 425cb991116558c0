"""Value-creation stories: written through a link without an account, signed or anonymous, curated by the
coordinator with the writer's consent for edits, withdrawn by the writer, shown where they were shared."""

from __future__ import annotations

import json

import pytest

from core.config import Settings
from core.errors import NotFound, PermissionDenied, ValidationError
from core.portfolio import NOT_SHARED
from core.services import build_services

PASSWORD = 'a good long password'
STORY = {
    'happened': 'In de intervisie legde ik een moeilijke brief voor.',
    'gave': 'Drie collega’s gaven me elk een andere aanpak.',
    'did': 'Ik herschreef de brief met korte zinnen.',
    'difference': 'De burger belde niet meer terug met vragen.',
    'success': 'We tellen nu ook hoe weinig vragen er terugkomen.',
}


@pytest.fixture
async def world(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    coordinator = await services.accounts.sign_up('Coco Ordinator', 'coco@b.be', PASSWORD)
    coach = await services.accounts.sign_up('Cora Coach', 'cora@b.be', PASSWORD)
    community = await services.communities.create(coordinator.id, {'name': 'CoP Brieven'})
    token, _ = await services.communities.invite(coordinator.id, community.id, 'coach')
    await services.communities.accept(coach.id, token)
    link = await services.stories.open_link(coordinator.id, community.id)
    return services, coordinator.id, coach.id, community.id, link


async def test_a_member_writes_signed_or_anonymous_and_only_the_first_cycles_are_needed(world):
    services, coordinator, coach, cid, link = world
    stories = services.stories
    assert stories.check_link(cid, link) == 'CoP Brieven'
    key, signed = await stories.submit(cid, link, STORY, 'Mira Janssens')
    _, anonymous = await stories.submit(cid, link, {'happened': 'Een tip.', 'gave': 'Tijd gewonnen.'})
    assert signed.author == 'Mira Janssens' and signed.signed
    assert anonymous.author == '' and not anonymous.signed and anonymous.texts['did'] == ''
    with pytest.raises(ValidationError) as info:
        await stories.submit(cid, link, {'happened': 'Iets'})
    assert info.value.field == 'gave'
    for bad in ({'happened': 'x' * 1300, 'gave': 'y'}, 'not a dict', {'happened': 3, 'gave': 'y'}):
        with pytest.raises(ValidationError):
            await stories.submit(cid, link, bad)
    assert stories.mine(cid, key).texts == STORY
    stored = services.store.community(cid).table('stories').all()
    assert all(key not in json.dumps(d) for d in stored)  # the key itself is never stored


async def test_forged_links_and_keys_get_one_clear_message(world):
    services, coordinator, coach, cid, link = world
    for forged_cid, forged in ((cid, 'x' * 32), (cid, None), ('f' * 16, link), ('../x', link), (cid, link + 'a')):
        with pytest.raises(NotFound) as info:
            await services.stories.submit(forged_cid, forged, STORY)
        assert info.value.key == 'story.error.link'
    for forged in ('x' * 24, None, ''):
        with pytest.raises(NotFound) as info:
            services.stories.mine(cid, forged)
        assert info.value.key == 'story.error.key'
    renewed = await services.stories.open_link(coordinator, cid, renew=True)
    with pytest.raises(NotFound):
        services.stories.check_link(cid, link)  # the old link stops working
    assert services.stories.check_link(cid, renewed)


async def test_the_coordinator_curates_and_edits_only_with_consent(world):
    services, coordinator, coach, cid, link = world
    stories = services.stories
    key, story = await stories.submit(cid, link, STORY, 'Mira Janssens')
    assert stories.stories(coach, cid) == []  # a coach reads published stories only
    with pytest.raises(PermissionDenied):
        await stories.set_status(coach, cid, story.id, 'published')
    await stories.set_status(coordinator, cid, story.id, 'published')
    assert [s.id for s in stories.stories(coach, cid)] == [story.id]
    edited = {**STORY, 'gave': 'Drie collega’s gaven elk een andere aanpak.'}
    proposed = await stories.propose(coordinator, cid, story.id, edited)
    assert proposed.texts == STORY and proposed.proposal == edited  # not applied yet
    refused = await stories.consent(cid, key, agree=False)
    assert refused.texts == STORY and refused.proposal is None and not refused.edited
    await stories.propose(coordinator, cid, story.id, edited)
    agreed = await stories.consent(cid, key, agree=True)
    assert agreed.texts == edited and agreed.edited
    with pytest.raises(ValidationError):
        await stories.consent(cid, key, agree=True)  # nothing waiting
    await stories.set_status(coordinator, cid, story.id, 'set_aside')
    assert stories.published(cid) == []
    with pytest.raises(NotFound):
        await stories.set_status(coordinator, cid, 'nope', 'published')


async def test_withdrawing_erases_the_story_from_the_file_and_its_backups(world):
    services, coordinator, coach, cid, link = world
    key, story = await services.stories.submit(cid, link, STORY, 'Mira Janssens')
    db = services.store.community(cid)
    db.file.keep_backup_now()
    await services.plan.add(coordinator, cid, {'title': 'Another change'})
    await services.stories.withdraw(cid, key)
    assert services.store.community(cid).table('stories').all() == []
    for info in services.store.community_backups(cid):
        assert 'Mira Janssens' not in info.path.read_text()
    with pytest.raises(NotFound):
        services.stories.mine(cid, key)


async def test_published_stories_reach_the_portfolio_only_when_shared(world):
    services, coordinator, coach, cid, link = world
    officer = await services.accounts.sign_up('Kim Officer', 'kim@b.be', PASSWORD)
    org = await services.organisations.create(officer.id, 'FOD Financiën')
    _, story = await services.stories.submit(cid, link, STORY, 'Mira Janssens')
    await services.stories.submit(cid, link, {'happened': 'Nog niet gepubliceerd', 'gave': 'x'})
    await services.stories.set_status(coordinator, cid, story.id, 'published')
    token, _ = await services.organisations.invite(officer.id, org.id, 'attach')
    await services.organisations.accept_attach(coordinator, token, cid, [])
    (row,) = services.portfolio.rows(officer.id, org.id)
    assert row.stories is NOT_SHARED
    await services.organisations.set_shared(coordinator, cid, ['stories'])
    (row,) = services.portfolio.rows(officer.id, org.id)
    assert [s.id for s in row.stories] == [story.id]


async def test_an_account_holders_signed_story_is_in_their_data_and_goes_with_the_account(world):
    services, coordinator, coach, cid, link = world
    await services.stories.submit(cid, link, STORY, 'Cora Coach')
    data = services.privacy.my_data(coach)
    assert 'stories' in data['written_in_communities']['CoP Brieven']
    await services.privacy.erase(services.accounts.get(coach))
    (doc,) = services.store.community(cid).table('stories').all()
    assert doc['author'] != 'Cora Coach' and 'Cora Coach' not in json.dumps(doc)


async def test_stories_travel_with_a_community_export_without_the_writers_keys(world):
    services, coordinator, coach, cid, link = world
    key, _ = await services.stories.submit(cid, link, STORY, 'Mira Janssens')
    exported = json.loads(services.communities.export(coordinator, cid))
    assert exported['tables']['stories'][0]['author'] == 'Mira Janssens'
    assert 'key_hash' not in exported['tables']['stories'][0]
    assert 'story_link' not in exported['tables']


async def test_a_script_cannot_fill_the_stories_from_one_browser_or_one_address(world):
    """Five stories an hour from one browser, sixty from one address: the next one is refused with the wait in
    minutes and nothing is stored; another browser behind another address still gets through."""
    from core.errors import AuthError

    services, coordinator, _, cid, link = world
    stories = services.stories
    for _ in range(5):
        await stories.submit(cid, link, STORY, browser='b1', client='10.0.0.1')
    with pytest.raises(AuthError) as refused:
        await stories.submit(cid, link, STORY, browser='b1', client='10.0.0.1')
    assert refused.value.key == 'story.error.too_often' and refused.value.params['minutes'] == 10
    for i in range(55):  # other browsers behind the same office proxy
        await stories.submit(cid, link, STORY, browser=f'office-{i}', client='10.0.0.1')
    with pytest.raises(AuthError):
        await stories.submit(cid, link, STORY, browser='office-new', client='10.0.0.1')
    await stories.submit(cid, link, STORY, browser='home', client='192.0.2.7')
    assert len(stories.stories(coordinator, cid)) == 61
