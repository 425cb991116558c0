"""Communities: fields, roles enforced in core, invitations, deletion, export and import."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from tinydb import Query

from core import schema
from core.accounts import Accounts
from core.communities import Communities, TableSpec
from core.errors import NotFound, PermissionDenied, ValidationError
from core.roles import Permission, Role, can
from core.store import BackupPolicy, Store

PASSWORD = 'a good long password'
FIELDS = {
    'name': 'CoP Juristen',
    'purpose': 'Samen wetgeving lezen.',
    'stage': 'maturing',
    'sponsor': 'DG',
    'expected_members': 12,
    'language': 'fr',
}


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path, BackupPolicy(min_interval=0))


@pytest.fixture
def accounts(store):
    return Accounts(store.accounts)


@pytest.fixture
def communities(store, accounts):
    return Communities(store, accounts)


@pytest.fixture
async def people(accounts):
    return {name: await accounts.sign_up(name, f'{name}@b.be', PASSWORD) for name in ('owner', 'co', 'coach', 'other')}


@pytest.fixture
async def community(communities, people):
    c = await communities.create(people['owner'].id, FIELDS)
    for role in ('co_coordinator', 'coach'):
        token, _ = await communities.invite(people['owner'].id, c.id, role)
        await communities.accept(people['co' if role == 'co_coordinator' else 'coach'].id, token)
    return c


def test_role_grants():
    assert can(Role.COORDINATOR, Permission.MANAGE)
    assert can(Role.CO_COORDINATOR, Permission.EDIT) and not can(Role.CO_COORDINATOR, Permission.MANAGE)
    assert can(Role.COACH, Permission.VIEW) and not can(Role.COACH, Permission.EDIT)
    assert not can(None, Permission.VIEW) and not can('admin', Permission.VIEW)


async def test_create_validates_and_stores(communities, people, store):
    c = await communities.create(people['owner'].id, {**FIELDS, 'name': '  CoP   Juristen '})
    assert c.name == 'CoP Juristen' and c.expected_members == 12 and c.stage == 'maturing'
    assert communities.role_of(people['owner'].id, c.id) == Role.COORDINATOR
    assert [m.community_id for m in communities.memberships(people['owner'].id)] == [c.id]


@pytest.mark.parametrize(
    'change, field',
    [
        ({'name': ''}, 'name'),
        ({'name': 'x' * 121}, 'name'),
        ({'purpose': 'x' * 301}, 'purpose'),
        ({'stage': 'unknown'}, 'stage'),
        ({'expected_members': 0}, 'expected_members'),
        ({'expected_members': 2.5}, 'expected_members'),
        ({'expected_members': 'many'}, 'expected_members'),
        ({'expected_members': 'nan'}, 'expected_members'),
        ({'expected_members': float('inf')}, 'expected_members'),
        ({'expected_members': True}, 'expected_members'),
        ({'language': 'es'}, 'language'),
    ],
)
async def test_bad_fields_are_refused(communities, people, change, field):
    with pytest.raises(ValidationError) as info:
        await communities.create(people['owner'].id, {**FIELDS, **change})
    assert info.value.field == field
    assert communities.memberships(people['owner'].id) == []


async def test_roles_are_enforced_in_core(communities, people, community):
    cid = community.id
    await communities.update(people['co'].id, cid, {**FIELDS, 'name': 'Renamed'})
    with pytest.raises(PermissionDenied):
        await communities.update(people['coach'].id, cid, FIELDS)
    with pytest.raises(NotFound):
        await communities.update(people['other'].id, cid, FIELDS)
    with pytest.raises(NotFound):
        communities.get(people['other'].id, cid)
    for actor in ('co', 'coach'):
        with pytest.raises(PermissionDenied):
            await communities.invite(people[actor].id, cid, 'coach')
        with pytest.raises(PermissionDenied):
            await communities.delete(people[actor].id, cid)
    with pytest.raises(PermissionDenied):
        communities.export(people['coach'].id, cid)
    with pytest.raises(PermissionDenied):
        await communities.set_role(people['co'].id, cid, people['coach'].id, 'co_coordinator')
    assert communities.get(people['coach'].id, cid)[0].name == 'Renamed'


async def test_invitation_is_one_time_and_expires(communities, people, community, store):
    token, invitation = await communities.invite(people['owner'].id, community.id, 'coach')
    assert communities.invitations(people['owner'].id, community.id)[0].id == invitation.id
    assert token not in (store.data_dir / 'accounts.json').read_text()  # only its hash is stored
    await communities.accept(people['other'].id, token)
    assert communities.role_of(people['other'].id, community.id) == Role.COACH
    with pytest.raises(ValidationError) as info:
        await communities.accept(people['other'].id, token)
    assert info.value.key == 'invite.error.used'
    token2, invitation2 = await communities.invite(people['owner'].id, community.id, 'co_coordinator')
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    store.accounts.table('invites').update({'expires': past}, Query()['id'] == invitation2.id)
    with pytest.raises(ValidationError) as info:
        await communities.accept(people['other'].id, token2)
    assert info.value.key == 'invite.error.expired'
    with pytest.raises(NotFound):
        communities.invitation('forged-token')
    with pytest.raises(ValidationError):
        await communities.invite(
            people['owner'].id, community.id, 'owner'
        )  # coordinator is allowed: a hand-over by invitation


async def test_members_roles_and_leaving(communities, people, community):
    members = communities.members(people['coach'].id, community.id)
    assert [m.role for m in members] == [Role.COORDINATOR, Role.CO_COORDINATOR, Role.COACH]
    await communities.set_role(people['owner'].id, community.id, people['coach'].id, 'co_coordinator')
    assert communities.role_of(people['coach'].id, community.id) == Role.CO_COORDINATOR
    with pytest.raises(PermissionDenied):
        await communities.set_role(people['owner'].id, community.id, people['owner'].id, 'coach')
    with pytest.raises(PermissionDenied):
        await communities.remove_member(people['owner'].id, community.id, people['owner'].id)
    await communities.remove_member(people['co'].id, community.id, people['co'].id)  # leaving
    assert communities.role_of(people['co'].id, community.id) is None


async def test_delete_erases_everything(communities, people, community, store):
    path = store.communities_dir / f'{community.id}.json'
    assert path.exists()
    await communities.delete(people['owner'].id, community.id)
    assert not path.exists()
    assert not (store.backups_dir / f'c-{community.id}').exists()
    assert communities.memberships(people['coach'].id) == []
    assert not store.accounts.table('invites').search(Query()['community_id'] == community.id)


NOTES = TableSpec('notes', schema.Record({'text': schema.Str(100), 'by': schema.private(schema.Str(40))}), unique=None)


async def test_export_import_round_trip(communities, people, community, store):
    communities.register_table(NOTES)
    store.community(community.id).table('notes').insert({'text': 'hallo <b>wereld</b>', 'by': people['owner'].id})
    store.community(community.id).table('unregistered').insert({'secret': 'stays home'})
    payload = communities.export(people['owner'].id, community.id)
    document = json.loads(payload)
    assert document['format'] == 'cop-toolbox/community'
    assert 'owner@b.be' not in payload.decode()  # no account data
    assert people['owner'].id not in payload.decode() and 'stays home' not in payload.decode()
    copy = await communities.import_(people['other'].id, payload)
    assert copy.id != community.id and copy.name == community.name and copy.language == 'fr'
    assert communities.role_of(people['other'].id, copy.id) == Role.COORDINATOR
    assert store.community(copy.id).table('notes').all() == [{'text': 'hallo <b>wereld</b>'}]


@pytest.mark.parametrize(
    'payload, key',
    [
        (b'not json', 'import.error.not_json'),
        (b'\xff\xfe', 'import.error.not_json'),
        (b'[]', 'import.error.not_export'),
        (json.dumps({'format': 'other'}).encode(), 'import.error.not_export'),
        (
            json.dumps({'format': 'cop-toolbox/community', 'schema': 99, 'community': FIELDS}).encode(),
            'import.error.newer',
        ),
        (
            json.dumps(
                {'format': 'cop-toolbox/community', 'schema': 1, 'community': {**FIELDS, 'stage': 'x'}}
            ).encode(),
            'import.error.choice',
        ),
        (
            json.dumps(
                {'format': 'cop-toolbox/community', 'schema': 1, 'community': {**FIELDS, 'name': '   '}}
            ).encode(),
            'import.error.field',
        ),
        (
            json.dumps(
                {'format': 'cop-toolbox/community', 'schema': 1, 'community': FIELDS, 'tables': {'unknown': []}}
            ).encode(),
            'import.error.table',
        ),
        (
            json.dumps(
                {
                    'format': 'cop-toolbox/community',
                    'schema': 1,
                    'community': FIELDS,
                    'tables': {'notes': [{'text': 5}]},
                }
            ).encode(),
            'import.error.type',
        ),
        (b' ' * (10 * 1024 * 1024 + 1), 'import.error.too_large'),
        (b'[' * 400_000, 'import.error.too_deep'),  # 400 KB of brackets: once a RecursionError
        (
            json.dumps(
                {'format': 'cop-toolbox/community', 'schema': 1, 'community': FIELDS, 'tables': {'notes': [[[[[[]]]]]]}}
            )
            .replace('[[[[[[]]]]]]', '[' * 40 + ']' * 40)
            .encode(),
            'import.error.too_deep',
        ),
    ],
)
async def test_bad_import_changes_nothing(communities, people, store, payload, key):
    communities.register_table(NOTES)
    before = sorted(p.name for p in store.communities_dir.iterdir())
    with pytest.raises(ValidationError) as info:
        await communities.import_(people['other'].id, payload)
    assert info.value.key == key
    assert sorted(p.name for p in store.communities_dir.iterdir()) == before
    assert communities.memberships(people['other'].id) == []


async def test_damaged_community_is_listed_and_others_keep_working(communities, people, community, store):
    other = await communities.create(people['owner'].id, {**FIELDS, 'name': 'Another'})
    store._open.clear()
    (store.communities_dir / f'{community.id}.json').write_text('{broken')
    listed = {m.community_id: m for m in communities.memberships(people['owner'].id)}
    assert listed[community.id].damaged and listed[community.id].name == 'CoP Juristen'
    assert listed[other.id].community.name == 'Another'


def test_tables_are_registered_on_the_communities_service_not_globally(store, accounts):
    first, second = Communities(store, accounts), Communities(store, accounts)
    first.register_table(NOTES)
    assert first.tables == {'notes': NOTES} and second.tables == {}


async def test_community_texts_lose_control_characters_and_other_types_are_refused(communities, people):
    owner = people['owner'].id
    cid = (await communities.create(owner, {**FIELDS, 'sponsor': 'Dienst\x00 \x1b[31mICT\u202e\x7f'})).id
    assert communities.get(owner, cid)[0].sponsor == 'Dienst [31mICT'
    for value in ({'a': 'dict'}, ['a', 'list'], 12345):
        with pytest.raises(ValidationError) as info:
            await communities.update(owner, cid, {**FIELDS, 'sponsor': value})
        assert (info.value.key, info.value.field) == ('error.invalid', 'sponsor')
    assert communities.get(owner, cid)[0].sponsor == 'Dienst [31mICT'
