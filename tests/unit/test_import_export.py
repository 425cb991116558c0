"""Export and import of a whole community, on the demo data (every part filled in) plus a live meeting with private
scores: every field of every table is declared, an export holds nothing private, a round trip loses nothing, and a
tampered file is refused with a message naming table, record and field, without changing anything."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from core import demo, schema
from core.config import Settings
from core.errors import ValidationError
from core.i18n import LANGUAGES
from core.services import build_services
from core.store import META_TABLE

PASSWORD = 'a good long password'


@pytest.fixture
async def world(tmp_path: Path):
    return await make_world(tmp_path / 'data')


async def make_world(folder: Path):
    services = build_services(Settings(data_dir=folder, backup_interval=0))
    owner, cid = await demo.seed(services, PASSWORD)
    other = await services.accounts.sign_up('Other Person', 'other@b.be', PASSWORD)
    ittools = services.ittools
    actor = ittools.user_actor(services.accounts.get(owner), cid)
    comparison = ittools.comparisons(actor, cid)[0]
    meeting = await ittools.meetings.start_meeting(actor, cid, comparison.id, mode='private')
    ref = ittools.meetings.find_meeting(meeting.code, 'browser', '10.0.0.1')
    zoe = await ittools.meetings.join(ref, 'Zoë Deelnemer')
    key = comparison.keys()[0]
    await ittools.set_score(zoe, cid, comparison.id, key, 3)
    await ittools.meetings.set_mode(actor, cid, comparison.id, 'revealed')
    return services, owner, other.id, cid


def stored(services, cid) -> dict[str, list[dict]]:
    db = services.store.community(cid)
    return {name: [dict(d) for d in db.table(name).all()] for name in db.tinydb.tables() if name != META_TABLE}


async def test_every_stored_field_of_every_table_is_declared_and_passes_its_schema(world):
    services, _, _, cid = world
    tables = stored(services, cid)
    specs = services.communities.tables
    assert set(tables) - {'community'} <= set(specs), 'a table nobody registered would never be exported'
    assert {'kompas_rounds', 'survey_answers', 'ittools_comparisons', 'ittools_meetings', 'actions'} <= set(tables)
    for name, docs in tables.items():
        if name == 'community':
            continue
        for doc in docs:
            assert specs[name].record.undeclared(doc) == set(), name
            specs[name].record.load(doc)  # what the application stores, an import accepts


async def test_the_export_holds_no_private_scores_names_receipts_tokens_or_user_ids(world):
    services, owner, _, cid = world
    text = services.communities.export(owner, cid).decode()
    document = json.loads(text)
    assert 'ittools_meetings' not in document['tables']
    assert 'Zoë Deelnemer' not in text  # an action's owner may be named: that is what the plan says
    secrets = {owner, *(m.user_id for m in services.communities.members(owner, cid))}
    tables = stored(services, cid)
    secrets |= {d['receipt'] for d in tables['survey_answers']}
    secrets |= {d['token'] for d in tables['survey_rounds']}
    secrets |= {d['code'] for d in tables['ittools_meetings']}
    for secret in secrets:
        assert secret not in text
    for comparison in document['tables']['ittools_comparisons']:
        for entries in (comparison['scores'], comparison['notes']):
            assert all(set(e) == {'value', 'at', 'rev'} for e in entries.values())


async def test_a_round_trip_loses_nothing_the_community_needs(world):
    services, owner, other, cid = world
    payload = services.communities.export(owner, cid)
    copy_ = await services.communities.import_(other, payload)
    again = json.loads(services.communities.export(other, copy_.id))
    first = json.loads(payload)
    assert again['community'] == first['community']
    assert again['tables'] == first['tables']
    # and the parts read it the same way
    rounds = services.surveys.rounds(owner, cid)
    copied = services.surveys.rounds(other, copy_.id)
    assert [r.id for r in rounds] == [r.id for r in copied]
    assert all(a.token != b.token for a, b in zip(rounds, copied, strict=True))  # an old link does not open the copy
    for a, b in zip(rounds, copied, strict=True):
        before, after = (
            services.surveys.raw_answers(owner, cid, a.id),
            services.surveys.raw_answers(other, copy_.id, b.id),
        )
        assert (before is None) == (after is None)
        assert sorted(map(json.dumps, before or [])) == sorted(map(json.dumps, after or []))
    assert services.kompas.latest_result(owner, cid).result == services.kompas.latest_result(other, copy_.id).result
    mine = services.ittools.user_actor(services.accounts.get(owner), cid)
    theirs = services.ittools.user_actor(services.accounts.get(other), copy_.id)
    [a], [b] = services.ittools.comparisons(mine, cid), services.ittools.comparisons(theirs, copy_.id)
    assert services.ittools.room(cid, a.id).results() == services.ittools.room(copy_.id, b.id).results()
    assert len(services.plan.actions(owner, cid)) == len(services.plan.actions(other, copy_.id))


def _first(document, table):
    return document['tables'][table][0]


TAMPERING = [
    ('survey_rounds', lambda d: _first(d, 'survey_rounds').update(title=['a', 'list']), 'type', 'title'),
    ('survey_rounds', lambda d: _first(d, 'survey_rounds').update(title='x' * 50_000), 'too_long', 'title'),
    ('survey_rounds', lambda d: _first(d, 'survey_rounds').update(created='yesterday'), 'format', 'created'),
    ('survey_rounds', lambda d: _first(d, 'survey_rounds').update(subject={'a': 1}), 'type', 'subject'),
    ('survey_rounds', lambda d: _first(d, 'survey_rounds').update(extra='x'), 'unknown', 'extra'),
    ('survey_rounds', lambda d: _first(d, 'survey_rounds').update(title='a\x00b'), 'control', 'title'),
    ('actions', lambda d: d['tables']['actions'].append(dict(_first(d, 'actions'))), 'duplicate', 'id'),
    ('actions', lambda d: _first(d, 'actions').update(due='2026-02-30'), 'format', 'due'),
    ('actions', lambda d: _first(d, 'actions').pop('status'), 'missing', 'status'),
    ('kompas_rounds', lambda d: _first(d, 'kompas_rounds').update(version=True), 'type', 'version'),
    ('kompas_rounds', lambda d: _first(d, 'kompas_rounds')['answers'].update(x='<b>'), 'rule', '—'),
    (
        'kickoff_scenarios',
        lambda d: _first(d, 'kickoff_scenarios')['blocks'][1].update(title=7),
        'type',
        'blocks[2].title',
    ),
    ('ittools_comparisons', lambda d: _first(d, 'ittools_comparisons').update(rev=-1), 'range', 'rev'),
    (
        'guide_answers',
        lambda d: d['tables']['guide_answers'].append(dict(_first(d, 'guide_answers'))),
        'duplicate',
        'question',
    ),
    ('action_suggestions', lambda d: _first(d, 'action_suggestions')['text'].pop('fr'), 'missing', 'text.fr'),
]


_EXPORTS: list[str] = []  # the world's export, made once per test process: building the world is most of the time


@pytest.fixture
async def stranger_and_export(tmp_path: Path):
    """A server with one account and none of the world's communities, and the world's export (made once)."""
    if not _EXPORTS:
        services, owner, _, cid = await make_world(tmp_path / 'source')
        _EXPORTS.append(services.communities.export(owner, cid))
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    other = await services.accounts.sign_up('Other Person', 'other@b.be', PASSWORD)
    return services, other.id, _EXPORTS[0]


@pytest.mark.parametrize('table, change, reason, field', TAMPERING, ids=[f'{t[0]}-{t[2]}-{t[3]}' for t in TAMPERING])
async def test_a_tampered_file_is_refused_naming_table_record_and_field_and_changes_nothing(
    stranger_and_export, table, change, reason, field
):
    services, other, export = stranger_and_export
    document = json.loads(export)
    if table not in document['tables'] or not document['tables'][table]:
        pytest.skip(f'the demo has no {table}')
    change(document)
    before = sorted(p.name for p in services.store.communities_dir.iterdir())
    with pytest.raises(ValidationError) as info:
        await services.communities.import_(other, json.dumps(document).encode())
    assert info.value.key == f'import.error.{reason}'
    assert info.value.params['table'] == table and info.value.params['name'] == field
    assert isinstance(info.value.params['record'], int | str)
    assert sorted(p.name for p in services.store.communities_dir.iterdir()) == before
    assert services.communities.memberships(other) == []
    for lang in LANGUAGES:  # the message reads in every language, with every placeholder filled
        text = services.content.ui.text(info.value.key, lang, **info.value.params)
        assert table in text and '{' not in text


async def test_unknown_keys_are_refused_at_every_level(world):
    services, owner, other, cid = world
    document = json.loads(services.communities.export(owner, cid))
    for change in (
        lambda d: d.update(surprise=1),
        lambda d: d['community'].update(surprise=1),
        lambda d: d['tables']['ittools_comparisons'][0]['tools'][0].update(surprise=1),
    ):
        bad = copy.deepcopy(document)
        change(bad)
        with pytest.raises(ValidationError) as info:
            await services.communities.import_(other, json.dumps(bad).encode())
        assert info.value.key == 'import.error.unknown'


async def test_an_older_export_with_meetings_and_receipts_still_imports_without_them(world):
    services, owner, other, cid = world
    document = json.loads(services.communities.export(owner, cid))
    tables = stored(services, cid)
    document['tables']['ittools_meetings'] = tables['ittools_meetings']  # what exports held before
    receipts = {d['receipt'] for d in tables['survey_answers']}
    for doc, receipt in zip(document['tables']['survey_answers'], sorted(receipts), strict=False):
        doc['receipt'] = receipt
    copy_ = await services.communities.import_(other, json.dumps(document).encode())
    copied = stored(services, copy_.id)
    assert 'ittools_meetings' not in copied or copied['ittools_meetings'] == []
    assert all('receipt' not in d for d in copied['survey_answers'])


def test_schema_paths_read_as_people_read_them():
    record = schema.Record({'blocks': schema.ListOf(schema.Record({'title': schema.Str(5)}), 10)})
    with pytest.raises(schema.SchemaError) as info:
        record.load({'blocks': [{'title': 'ok'}, {'title': 'too long'}]})
    assert info.value.reason == 'too_long' and schema.where(info.value.path) == 'blocks[2].title'


async def test_a_participant_cannot_take_an_account_holders_name(world):
    services, owner, _, cid = world
    ittools = services.ittools
    actor = ittools.user_actor(services.accounts.get(owner), cid)
    comparison = ittools.comparisons(actor, cid)[0]
    meeting = ittools.meetings.meeting(cid, comparison.id)
    ref = ittools.meetings.find_meeting(meeting.code, 'browser-2', '10.0.0.2')
    for taken in ('An Demo', ' an  DEMO ', 'Kim Coach'):
        with pytest.raises(ValidationError) as info:
            await ittools.meetings.join(ref, taken)
        assert info.value.key == 'meeting.error.name_account'
    assert {p.name for p in ittools.meetings.meeting(cid, comparison.id).participants.values()} == {'Zoë Deelnemer'}
    assert (await ittools.meetings.join(ref, 'An Demo-Peeters')).name == 'An Demo-Peeters'
