"""Data protection in core: hand-over of coordination, erasure of an account (the name gone from every file, backups
included, also after a restart), and the download of one's own data."""

from __future__ import annotations

import json

import pytest

from core import demo, privacy
from core.config import Settings
from core.errors import AuthError, NotFound, PermissionDenied, ValidationError
from core.roles import Role
from core.services import build_services

PASSWORD = 'a good long password'
NAME = 'Jan Peeters'
EMAIL = 'jan.peeters@fod.example.be'


def scan(folder, *needles: str) -> list[str]:
    """Every file under `folder` that holds one of the needles (case-insensitive, JSON escapes decoded)."""
    hits = []
    for path in sorted(p for p in folder.rglob('*') if p.is_file()):
        raw = path.read_bytes()
        texts = [raw.decode('utf-8', 'replace').lower()]
        if path.suffix == '.json':
            try:
                texts.append(json.dumps(json.loads(raw), ensure_ascii=False).lower())
            except ValueError:
                pass
        if any(n.lower() in text for n in needles for text in texts):
            hits.append(str(path.relative_to(folder)))
    return hits


@pytest.fixture
def services(tmp_path):
    return build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))


async def two_coordinators(services):
    """Jan runs a fully seeded community (every part of the toolbox holds his traces); Sara is co-coordinator."""
    jan = await services.accounts.sign_up(NAME, EMAIL, PASSWORD, 'nl')
    sara = await services.accounts.sign_up('Sara Janssens', 'sara@fod.example.be', PASSWORD, 'fr')
    community = await services.communities.create(jan.id, {'name': 'CoP Wetgeving', 'language': 'fr'})
    token, _ = await services.communities.invite(jan.id, community.id, 'co_coordinator')
    await services.communities.accept(sara.id, token)
    await demo.seed_parts(services, jan.id, community.id)
    await services.plan.add(
        jan.id, community.id, {'title': 'Nieuwsbrief opzetten', 'owner': NAME, 'description': f'Vraag {NAME} om hulp'}
    )
    return jan, sara, community.id


# -- hand-over ----------------------------------------------------------------------------------------------------


async def test_the_last_coordinator_cannot_leave_until_someone_else_coordinates(services):
    jan, sara, cid = await two_coordinators(services)
    communities = services.communities
    with pytest.raises(PermissionDenied):
        await communities.remove_member(jan.id, cid, jan.id)
    with pytest.raises(PermissionDenied):
        await communities.step_down(jan.id, cid)
    await communities.hand_over(jan.id, cid, sara.id)
    assert sorted(communities.coordinators(cid)) == sorted([jan.id, sara.id])
    await communities.step_down(jan.id, cid)
    assert communities.role_of(jan.id, cid) == Role.CO_COORDINATOR
    with pytest.raises(PermissionDenied):  # Sara is now the last one
        await communities.remove_member(sara.id, cid, sara.id)
    await communities.remove_member(jan.id, cid, jan.id)
    assert communities.role_of(jan.id, cid) is None


async def test_hand_over_with_step_down_swaps_roles_and_refuses_strangers(services):
    jan, sara, cid = await two_coordinators(services)
    stranger = await services.accounts.sign_up('Piet', 'piet@example.be', PASSWORD)
    with pytest.raises(NotFound):
        await services.communities.hand_over(jan.id, cid, stranger.id)
    with pytest.raises(ValidationError):
        await services.communities.hand_over(jan.id, cid, jan.id)
    with pytest.raises(PermissionDenied):  # a co-coordinator cannot hand over
        await services.communities.hand_over(sara.id, cid, jan.id)
    assert services.communities.coordinators(cid) == [jan.id]
    await services.communities.hand_over(jan.id, cid, sara.id, step_down=True)
    assert services.communities.coordinators(cid) == [sara.id]
    assert services.communities.role_of(jan.id, cid) == Role.CO_COORDINATOR


async def test_hand_over_to_an_invited_address_changes_nothing_until_accepted(services):
    jan, sara, cid = await two_coordinators(services)
    token, invitation = await services.communities.invite(jan.id, cid, 'coordinator')
    assert invitation.role == Role.COORDINATOR
    assert services.communities.coordinators(cid) == [jan.id]  # never accepted: still only Jan
    newcomer = await services.accounts.sign_up('Nina', 'nina@example.be', PASSWORD)
    await services.communities.accept(newcomer.id, token)
    assert sorted(services.communities.coordinators(cid)) == sorted([jan.id, newcomer.id])
    token, _ = await services.communities.invite(jan.id, cid, 'coordinator')
    await services.communities.accept(sara.id, token)  # a member accepting a hand-over is promoted
    assert services.communities.role_of(sara.id, cid) == Role.COORDINATOR


# -- erasure --------------------------------------------------------------------------------------------------------


async def test_erasure_is_refused_with_a_wrong_password_or_while_last_coordinator(services):
    jan, sara, cid = await two_coordinators(services)
    community_before = services.store.community(cid).path.read_bytes()
    members_before = services.communities.members(sara.id, cid)
    with pytest.raises(ValidationError) as wrong:
        await services.privacy.delete_account(jan.id, 'not my password', 'test')
    assert wrong.value.key == 'privacy.delete.wrong_password'
    with pytest.raises(ValidationError) as blocked:
        await services.privacy.delete_account(jan.id, PASSWORD, 'test')
    assert blocked.value.key == 'privacy.delete.blocked'
    assert 'CoP Wetgeving' in blocked.value.params['names']
    assert services.accounts.get(jan.id) is not None
    assert services.store.community(cid).path.read_bytes() == community_before
    assert services.communities.members(sara.id, cid) == members_before


async def test_erasure_removes_the_name_from_every_file_backups_included_and_keeps_the_items(services, tmp_path):
    jan, sara, cid = await two_coordinators(services)
    await services.communities.hand_over(jan.id, cid, sara.id)
    data_dir = services.settings.data_dir
    actions_before = len(services.plan.actions(sara.id, cid))
    guide_before = services.store.community(cid).table('guide_answers').all()
    assert scan(data_dir, NAME, EMAIL)  # the seeded data really holds his name
    assert services.store.community_backups(cid)  # and earlier versions exist

    report = await services.privacy.delete_account(jan.id, PASSWORD, 'test')
    services.close()

    assert report.communities == 1 and report.backups_rewritten > 0
    assert scan(data_dir, NAME, EMAIL, jan.id) == []
    assert services.accounts.get(jan.id) is None
    assert services.accounts.by_email(EMAIL) is None
    assert services.profiles.mine(jan.id) == []
    with pytest.raises(AuthError):
        await services.accounts.authenticate(EMAIL, PASSWORD, 'test')

    restarted = build_services(Settings(data_dir=data_dir, backup_interval=0))
    assert scan(data_dir, NAME, EMAIL, jan.id) == []
    actions = restarted.plan.actions(sara.id, cid)
    assert len(actions) == actions_before
    mine = next(a for a in actions if a.title == 'Nieuwsbrief opzetten')
    assert mine.owner == 'ancien membre'  # the community's language is French
    assert mine.description == 'Vraag ancien membre om hulp'
    guide_after = restarted.store.community(cid).table('guide_answers').all()
    assert len(guide_after) == len(guide_before) > 0
    assert {d['by'] for d in guide_after} == {privacy.FORMER_ID}
    assert [m.user_id for m in restarted.communities.members(sara.id, cid)] == [sara.id]


async def test_erasure_reaches_communities_the_person_left(services):
    jan, sara, cid = await two_coordinators(services)
    await services.communities.hand_over(jan.id, cid, sara.id, step_down=True)
    await services.communities.remove_member(jan.id, cid, jan.id)
    await services.privacy.delete_account(jan.id, PASSWORD, 'test')
    services.close()
    assert scan(services.settings.data_dir, NAME, EMAIL, jan.id) == []


def test_the_scrubber_replaces_whole_words_only():
    scrubber = privacy.Scrubber(privacy.Person('abcdef0123456789', 'An Demo', 'an@x.be'), 'former member')
    assert scrubber.value('An Demo, Sara') == 'former member, Sara'
    assert scrubber.value('Ann Demonstration') == 'Ann Demonstration'
    assert scrubber.value({'u:abcdef0123456789': {'by': 'AN DEMO'}}) == {'u:former-member': {'by': 'former member'}}


def test_a_one_word_name_is_replaced_as_a_whole_value_but_not_inside_other_peoples_sentences():
    scrubber = privacy.Scrubber(privacy.Person('abcdef0123456789', 'Jan', 'jan@x.be'), 'former member')
    assert scrubber.value({'owner': 'Jan', 'by': ' jan '}) == {'owner': 'former member', 'by': 'former member'}
    assert scrubber.value('Jan Janssens en Sara') == 'Jan Janssens en Sara'  # a namesake keeps their name
    assert scrubber.value('Mail jan@x.be of Sara') == 'Mail former member of Sara'


# -- download my data ---------------------------------------------------------------------------------------------


async def test_my_data_holds_account_roles_profiles_writings_and_invitations(services):
    jan, sara, cid = await two_coordinators(services)
    data = services.privacy.my_data(jan.id)
    assert data['account']['email'] == EMAIL and 'pw' not in data['account'] and 'auth_epoch' not in data['account']
    assert data['memberships'] == [{'community': 'CoP Wetgeving', 'community_id': cid, 'role': 'coordinator'}]
    assert data['profiles'] and all(p['owner'] == jan.id for p in data['profiles'])
    assert [i['role'] for i in data['invitations_sent']] == ['co_coordinator']
    written = data['written_in_communities']['CoP Wetgeving']
    assert written['guide_answers'] and written['actions']
    assert 'survey_answers' not in written  # linked to no one
    json.loads(privacy.to_json(data))
    page = privacy.to_html(data, _t(services, 'en')).decode()
    assert '<html lang="en-GB">' in page and EMAIL in page and 'linked to no one' in page


async def test_my_data_refuses_another_accounts_id(services):
    jan, sara, _ = await two_coordinators(services)
    with pytest.raises(ValidationError) as refused:
        services.privacy.my_data(sara.id, requested_id=jan.id)
    assert refused.value.key == 'privacy.download.not_yours'


def _t(services, lang):
    from core.i18n import Translator

    return Translator(services.content.ui, lang)


async def test_erasure_ends_the_sessions_first_while_they_still_name_the_account(services):
    jan, sara, cid = await two_coordinators(services)
    await services.communities.hand_over(jan.id, cid, sara.id)
    seen = []
    services.accounts.on_credentials_changed(lambda user_id: seen.append((user_id, services.accounts.get(user_id))))
    await services.privacy.delete_account(jan.id, PASSWORD, 'test')
    assert seen == [(jan.id, jan)]
    assert not [r for r in services.store.accounts.table('sessions').all() if r.get('user') == jan.id]
