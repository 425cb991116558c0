"""Kick-off scenarios: the content (methods, templates), the service's rules, roles, undo, export and import."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from core.accounts import Accounts
from core.communities import Communities
from core.errors import NotFound, PermissionDenied, ValidationError
from core.i18n import LANGUAGES
from core.kickoff import LIMITS, Kickoff, load_catalogue, scenario_data, validate_docs
from core.kickoff.model import clean_block_fields
from core.store import BackupPolicy, Store
from core.yamlcheck import CONTENT_DIR, ContentError

PASSWORD = 'a good long password'
MARKUP = '<b>vet</b> & <script>alert(1)</script> <img src="x" onerror="y"> <i>open'


@pytest.fixture(scope='module')
def catalogue():
    return load_catalogue(CONTENT_DIR / 'catalogues')


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / 'data', BackupPolicy(min_interval=0))


@pytest.fixture
async def setup(store, catalogue):
    accounts = Accounts(store.accounts)
    communities = Communities(store, accounts)
    owner = await accounts.sign_up('Owner', 'owner@b.be', PASSWORD)
    co = await accounts.sign_up('Co', 'co@b.be', PASSWORD)
    coach = await accounts.sign_up('Coach', 'coach@b.be', PASSWORD)
    outsider = await accounts.sign_up('Other', 'other@b.be', PASSWORD)
    community = await communities.create(owner.id, {'name': 'CoP Data'})
    for user, role in ((co, 'co_coordinator'), (coach, 'coach')):
        token, _ = await communities.invite(owner.id, community.id, role)
        await communities.accept(user.id, token)
    kickoff = Kickoff(store, communities, catalogue)
    return kickoff, community.id, {'owner': owner.id, 'co': co.id, 'coach': coach.id, 'other': outsider.id}


# -- content --------------------------------------------------------------------------------------------------------


def test_catalogue_has_the_methods_and_templates_the_issue_asks_for(catalogue):
    ids = {m.id for m in catalogue.methods}
    assert len(ids) >= 12
    assert {
        'impromptu_networking',
        'one_two_four_all',
        'dot_voting',
        'charter_canvas',
        'check_out_round',
        'roti',
    } <= ids
    templates = {t.id: t for t in catalogue.templates}
    assert templates['kickoff_90'].total == 90
    assert templates['kickoff_online'].total == 120 and templates['kickoff_online'].mode == 'online'
    assert 180 <= templates['kickoff_half_day'].total <= 240
    kinds = {b.kind for t in catalogue.templates for b in t.blocks}
    assert {
        'welcome',
        'icebreaker',
        'what_is_cop',
        'needs',
        'break',
        'charter',
        'roles_topics',
        'next_steps',
        'closing',
    } <= kinds
    for method in catalogue.methods:
        for text in (method.title, method.purpose, method.materials, method.online, *method.steps):
            assert all(text[lang] for lang in LANGUAGES)
        assert method.duration_min <= method.suggested_duration <= method.duration_max


async def test_every_method_fits_the_block_it_fills_in_every_language_uncut(setup, catalogue):
    kickoff, _, _ = setup
    method_ids = {m.id for m in catalogue.methods}
    for method in catalogue.methods:
        for lang in LANGUAGES:
            for mode in ('onsite', 'online'):
                fields = kickoff.method_block(method, lang, mode)
                assert clean_block_fields(fields, catalogue.role_ids, method_ids) == fields
            assert fields['goal'] == method.purpose[lang] and fields['title'] == method.title[lang]
            assert fields['instructions'] == method.steps_text(lang)


@pytest.fixture
def content_copy(tmp_path):
    folder = tmp_path / 'catalogues'
    shutil.copytree(CONTENT_DIR / 'catalogues', folder)
    return folder


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding='utf-8'))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding='utf-8')


@pytest.mark.parametrize(
    ('file', 'change', 'message'),
    [
        ('kickoff.yaml', lambda d: d['templates'][0]['blocks'][0].update(duration=-5), 'blocks[0].duration'),
        ('kickoff.yaml', lambda d: d['templates'][0]['blocks'][0].update(duration=2.5), 'must be a whole number'),
        ('kickoff.yaml', lambda d: d['templates'][1]['blocks'][1].update(method='no_such_method'), 'unknown method'),
        ('kickoff.yaml', lambda d: d['templates'][0]['blocks'][2].update(roles=['juggler']), "unknown role 'juggler'"),
        ('kickoff.yaml', lambda d: d['templates'][0]['blocks'][0]['goal'].pop('fr'), 'missing or empty language fr'),
        ('kickoff.yaml', lambda d: d['templates'][0].update(start='25:00'), 'is not a time'),
        ('kickoff.yaml', lambda d: d['templates'][0].update(start='23:30'), 'past midnight'),
        ('kickoff.yaml', lambda d: d['templates'][0]['preparation'][0].update(en=''), 'preparation[0]'),
        ('methods.yaml', lambda d: d['methods'][0]['duration'].update(min=0), 'duration.min'),
        ('methods.yaml', lambda d: d['methods'][0]['duration'].update(min=30, max=10), 'max is below min'),
        ('methods.yaml', lambda d: d['methods'][1].update(id=d['methods'][0]['id']), 'is used twice'),
        ('methods.yaml', lambda d: d['methods'][0].update(category='party'), "'party' is not one of"),
        ('methods.yaml', lambda d: d['methods'][0]['steps'][1].pop('nl'), 'steps[1]'),
        ('methods.yaml', lambda d: d.update(methods=d['methods'][:5]), 'needs at least 12'),
        ('methods.yaml', lambda d: d['methods'][0]['purpose'].update(fr='x' * 601), 'the field holds 600'),
        ('methods.yaml', lambda d: d['methods'][0]['title'].update(en='x' * 121), 'title: en text is 121 characters'),
        ('methods.yaml', lambda d: d['methods'][0]['steps'][0].update(nl='x' * 4000), 'the field holds 4000'),
    ],
)
def test_broken_content_stops_start_up_naming_file_item_and_problem(content_copy, file, change, message):
    _edit(content_copy / file, change)
    with pytest.raises(ContentError) as caught:
        load_catalogue(content_copy)
    assert file in str(caught.value) and message in str(caught.value)


# -- scenarios ------------------------------------------------------------------------------------------------------


async def test_create_from_a_template_in_the_users_language(setup):
    kickoff, cid, who = setup
    scenario = await kickoff.create(who['co'], cid, title='Onze kick-off', lang='fr', template_id='kickoff_90')
    assert scenario.current  # the first scenario becomes the kick-off plan
    assert scenario.start == '09:30' and scenario.planned_end == '11:00'
    assert scenario.blocks[0].title == 'Accueil et objectif'
    assert scenario.blocks[1].method == 'impromptu_networking'
    assert len(scenario.preparation) >= 5 and len(scenario.follow_up) >= 5
    timing = scenario.timing
    assert timing.end_text == '11:00' and timing.overrun == 0
    second = await kickoff.create(who['co'], cid, title='Plan B', lang='nl')
    assert not second.current and second.blocks == ()
    assert [s.title for s in kickoff.scenarios(who['coach'], cid)] == ['Onze kick-off', 'Plan B']


async def test_a_template_ending_at_midnight_stores_a_planned_end_that_later_edits_accept(setup, store, catalogue):
    _, cid, who = setup
    late = tuple(replace(t, start='22:30') if t.id == 'kickoff_90' else t for t in catalogue.templates)
    kickoff = Kickoff(store, setup[0].communities, replace(catalogue, templates=late))
    s = await kickoff.create(who['owner'], cid, title='Laat', lang='nl', template_id='kickoff_90')
    assert s.start == '22:30' and s.planned_end == '00:00'  # midnight, as a clock field holds it
    assert s.timing.end_text == '24:00' and s.timing.planned_end == 24 * 60 and s.timing.overrun == 0
    s = await kickoff.update(who['owner'], cid, s.id, {'title': 'Nachtelijke kick-off'})
    s = await kickoff.update_block(who['owner'], cid, s.id, s.blocks[0].id, {'duration': 5})
    assert s.title == 'Nachtelijke kick-off' and s.timing.slack == 5


async def test_create_refuses_an_unknown_language(setup):
    kickoff, cid, who = setup
    with pytest.raises(ValidationError) as caught:
        await kickoff.create(who['owner'], cid, title='K', lang='es', template_id='kickoff_90')
    assert caught.value.key == 'error.invalid' and caught.value.field == 'lang'
    assert kickoff.scenarios(who['owner'], cid) == []


async def test_coach_reads_but_cannot_change_and_outsiders_see_nothing(setup):
    kickoff, cid, who = setup
    scenario = await kickoff.create(who['owner'], cid, title='K', lang='nl', template_id='kickoff_online')
    assert kickoff.get(who['coach'], cid, scenario.id).title == 'K'
    bid = scenario.blocks[0].id
    for call in (
        lambda: kickoff.create(who['coach'], cid, title='X', lang='nl'),
        lambda: kickoff.update(who['coach'], cid, scenario.id, {'title': 'X'}),
        lambda: kickoff.update_block(who['coach'], cid, scenario.id, bid, {'duration': 5}),
        lambda: kickoff.move_block(who['coach'], cid, scenario.id, bid, 3),
        lambda: kickoff.delete_block(who['coach'], cid, scenario.id, bid),
        lambda: kickoff.set_current(who['coach'], cid, scenario.id),
        lambda: kickoff.delete(who['coach'], cid, scenario.id),
    ):
        with pytest.raises(PermissionDenied):
            await call()
    with pytest.raises(NotFound):
        kickoff.scenarios(who['other'], cid)
    with pytest.raises(NotFound):
        kickoff.get(who['owner'], cid, 'ffffffffffffffff')


async def test_insert_a_method_move_by_position_and_times_follow(setup):
    kickoff, cid, who = setup
    s = await kickoff.create(who['owner'], cid, title='K', lang='en', template_id='kickoff_90')
    s, block = await kickoff.insert_method(who['owner'], cid, s.id, 'check_out_round', 'en', index=7)
    assert s.blocks[7].id == block.id and block.title == 'Check-out round' and block.method == 'check_out_round'
    assert block.instructions.startswith('1. ') and block.duration == 10
    assert s.timing.overrun == 10 and s.timing.end_text == '11:10'
    s = await kickoff.move_block(who['owner'], cid, s.id, block.id, 0)
    assert s.blocks[0].id == block.id
    assert [x.start_text for x in s.timing.slots][:2] == ['09:30', '09:40']
    s = await kickoff.move_block(who['owner'], cid, s.id, block.id, 99)  # clamped to the end
    assert s.blocks[-1].id == block.id
    with pytest.raises(ValidationError):
        await kickoff.insert_method(who['owner'], cid, s.id, 'no_such', 'en')


async def test_block_fields_are_checked_and_markup_is_kept_literally(setup):
    kickoff, cid, who = setup
    s = await kickoff.create(who['owner'], cid, title='K', lang='nl', template_id='kickoff_90')
    bid = s.blocks[0].id
    for fields, key in (
        ({'duration': -5}, 'agenda.error.duration'),
        ({'duration': 10_000}, 'agenda.error.duration'),
        ({'duration': 'tien'}, 'agenda.error.duration'),
        ({'title': '   '}, 'kickoff.error.title_required'),
        ({'notes': 'x' * 10_000}, 'error.too_long'),
        ({'goal': 'x' * 10_000}, 'error.too_long'),
        ({'method': 'nope'}, 'kickoff.error.method'),
        ({'roles': ['juggler']}, 'error.invalid'),
    ):
        with pytest.raises(ValidationError) as caught:
            await kickoff.update_block(who['owner'], cid, s.id, bid, fields)
        assert caught.value.key == key
        assert caught.value.field == next(iter(fields))
    assert kickoff.get(who['owner'], cid, s.id).blocks[0] == s.blocks[0]  # nothing half-saved
    s = await kickoff.update_block(who['owner'], cid, s.id, bid, {'title': MARKUP, 'notes': 'regel 1\r\nregel 2\x00'})
    assert s.blocks[0].title == MARKUP and s.blocks[0].notes == 'regel 1\nregel 2'
    s = await kickoff.update_block(who['owner'], cid, s.id, bid, {'roles': ['timekeeper', 'sponsor', 'sponsor']})
    assert s.blocks[0].roles == ('sponsor', 'timekeeper')


async def test_a_scenario_running_past_midnight_is_refused(setup):
    kickoff, cid, who = setup
    s = await kickoff.create(who['owner'], cid, title='K', lang='nl', template_id='kickoff_90')
    with pytest.raises(ValidationError) as caught:
        await kickoff.update(who['owner'], cid, s.id, {'start': '23:00', 'planned_end': ''})
    assert caught.value.key == 'agenda.error.midnight'
    s = await kickoff.update(who['owner'], cid, s.id, {'start': '22:00', 'planned_end': ''})
    assert s.timing.end_text == '23:30'
    with pytest.raises(ValidationError) as caught:
        await kickoff.update_block(who['owner'], cid, s.id, s.blocks[0].id, {'duration': 45})
    assert caught.value.key == 'agenda.error.midnight' and caught.value.field == 'duration'
    assert kickoff.get(who['owner'], cid, s.id).timing.end_text == '23:30'
    with pytest.raises(ValidationError) as caught:
        await kickoff.update(who['owner'], cid, s.id, {'planned_end': '21:00'})
    assert caught.value.key == 'agenda.error.planned_end'
    with pytest.raises(ValidationError) as caught:
        await kickoff.update(who['owner'], cid, s.id, {'start': '7 uur'})
    assert caught.value.key == 'agenda.error.clock'


async def test_duplicate_delete_and_undo_blocks(setup):
    kickoff, cid, who = setup
    s = await kickoff.create(who['co'], cid, title='K', lang='nl', template_id='kickoff_90')
    original = s.blocks[2]
    s, twin = await kickoff.duplicate_block(who['co'], cid, s.id, original.id)
    assert s.blocks[3].id == twin.id and twin.id != original.id and twin.title == original.title
    s, removed, index = await kickoff.delete_block(who['co'], cid, s.id, original.id)
    assert index == 2 and original.id not in {b.id for b in s.blocks}
    s = await kickoff.restore_block(who['co'], cid, s.id, removed, index)
    assert s.blocks[2] == original
    s = await kickoff.restore_block(who['co'], cid, s.id, removed, index)  # twice: still once
    assert [b.id for b in s.blocks].count(original.id) == 1
    with pytest.raises(NotFound):
        await kickoff.update_block(who['co'], cid, s.id, 'ffffffffffffffff', {'title': 'x'})


async def test_scenario_delete_and_restore_and_the_single_kickoff_plan(setup):
    kickoff, cid, who = setup
    first = await kickoff.create(who['owner'], cid, title='Eerste', lang='nl', template_id='kickoff_90')
    second = await kickoff.create(who['owner'], cid, title='Tweede', lang='nl', template_id='kickoff_online')
    await kickoff.set_current(who['co'], cid, second.id)
    assert kickoff.current(who['coach'], cid).id == second.id
    assert [s.current for s in kickoff.scenarios(who['owner'], cid)] == [True, False]
    removed = await kickoff.delete(who['owner'], cid, second.id)
    assert kickoff.current(who['owner'], cid) is None
    await kickoff.set_current(who['owner'], cid, first.id)
    restored = await kickoff.restore(who['owner'], cid, removed)
    assert not restored.current  # the plan chosen meanwhile stays the plan
    assert kickoff.current(who['owner'], cid).id == first.id
    copy = await kickoff.duplicate(who['owner'], cid, first.id, 'Eerste (kopie)')
    assert not copy.current and len(copy.blocks) == len(first.blocks)
    assert {b.id for b in copy.blocks}.isdisjoint({b.id for b in first.blocks})
    long = await kickoff.duplicate(who['owner'], cid, first.id, 'x' * 200 + ' (kopie)')
    assert long.title == 'x' * LIMITS['title']  # a copy's title is cut to fit, never refused


async def test_plan_data_is_plain_data_for_the_dossier(setup):
    kickoff, cid, who = setup
    assert kickoff.plan_data(who['owner'], cid, 'nl') is None
    s = await kickoff.create(who['owner'], cid, title='K', lang='nl', template_id='kickoff_90')
    await kickoff.set_person(who['owner'], cid, s.id, 'facilitator', 'An')
    data = kickoff.plan_data(who['coach'], cid, 'fr')
    json.dumps(data)  # plain data
    assert data['start'] == '09:30' and data['end'] == '11:00' and data['total'] == 90 and data['overrun'] == 0
    assert data['blocks'][1]['start'] == '09:40'
    assert data['blocks'][1]['method'] == 'Rencontres express en binômes (réseautage impromptu)'  # plain, term hinted
    assert data['people'] == [{'role': 'Facilitation', 'name': 'An'}]
    assert 'Facilitation' in data['blocks'][1]['roles']


async def test_checklists_add_tick_remove_and_limits(setup):
    kickoff, cid, who = setup
    s = await kickoff.create(who['owner'], cid, title='K', lang='nl')
    s, item = await kickoff.add_check(who['owner'], cid, s.id, 'preparation', '  Zaal <b>boeken</b>  ')
    assert item.text == 'Zaal <b>boeken</b>'
    s = await kickoff.set_check(who['owner'], cid, s.id, 'preparation', item.id, True)
    assert s.preparation[0].done
    s, removed, index = await kickoff.delete_check(who['owner'], cid, s.id, 'preparation', item.id)
    assert s.preparation == () and removed.text == item.text and index == 0
    with pytest.raises(ValidationError):
        await kickoff.add_check(who['owner'], cid, s.id, 'preparation', '   ')
    with pytest.raises(ValidationError):
        await kickoff.add_check(who['owner'], cid, s.id, 'preparation', 'x' * 401)
    with pytest.raises(ValidationError):
        await kickoff.add_check(who['owner'], cid, s.id, 'lunch', 'x')


async def test_a_removed_checklist_item_comes_back_ticked_in_its_place_once(setup):
    kickoff, cid, who = setup
    s = await kickoff.create(who['owner'], cid, title='K', lang='nl', template_id='kickoff_90')
    item = s.preparation[2]
    s = await kickoff.set_check(who['owner'], cid, s.id, 'preparation', item.id, True)
    s, removed, index = await kickoff.delete_check(who['owner'], cid, s.id, 'preparation', item.id)
    assert index == 2 and removed == replace(item, done=True)
    s, restored = await kickoff.restore_check(who['owner'], cid, s.id, 'preparation', removed, index)
    assert restored == removed and s.preparation[2] == removed  # same id, still ticked, same place
    s, again = await kickoff.restore_check(who['owner'], cid, s.id, 'preparation', removed, index)
    assert again == removed and [c.id for c in s.preparation].count(item.id) == 1
    assert kickoff.get(who['owner'], cid, s.id).preparation == s.preparation
    with pytest.raises(PermissionDenied):
        await kickoff.restore_check(who['coach'], cid, s.id, 'preparation', removed, index)


async def test_a_block_added_by_hand_gets_the_default_duration(setup):
    kickoff, cid, who = setup
    s = await kickoff.create(who['owner'], cid, title='K', lang='nl')
    s, block = await kickoff.add_block(who['owner'], cid, s.id, {'title': 'Nieuw blok'})
    assert block.duration == 10 and s.timing.total == 10


async def test_export_carries_scenarios_and_import_refuses_tampered_ones(setup, store, catalogue):
    kickoff, cid, who = setup
    await kickoff.create(who['owner'], cid, title='K <b>', lang='nl', template_id='kickoff_half_day')
    payload = kickoff.communities.export(who['owner'], cid)
    _, tables = kickoff.communities.parse_export(payload)
    assert tables['kickoff_scenarios'][0]['title'] == 'K <b>'
    community = await kickoff.communities.import_(who['co'], payload)
    assert kickoff.current(who['co'], community.id).title == 'K <b>'
    role_ids, method_ids = catalogue.role_ids, {m.id for m in catalogue.methods}
    good = tables['kickoff_scenarios']
    validate_docs(good, role_ids, method_ids)
    for tamper in (
        lambda d: d['blocks'][0].update(duration=-3),
        lambda d: d['blocks'][0].update(method='evil'),
        lambda d: d['blocks'][0].update(title='x' * 500),
        lambda d: d.update(start='25:00'),
        lambda d: d['blocks'][1].update(id=d['blocks'][0]['id']),
        lambda d: d.pop('blocks'),
        lambda d: d.update(start='23:00', planned_end=''),
        lambda d: d['preparation'][0].update(done='y'),
    ):
        doc = json.loads(json.dumps(good[0]))
        tamper(doc)
        with pytest.raises(ValidationError):
            validate_docs([doc], role_ids, method_ids)


async def test_scenario_data_resolves_free_methods_and_empty_scenarios(setup, catalogue):
    kickoff, cid, who = setup
    s = await kickoff.create(who['owner'], cid, title='K', lang='en')
    data = scenario_data(s, catalogue, 'en')
    assert data['blocks'] == [] and data['total'] == 0
    s, _ = await kickoff.add_block(
        who['owner'], cid, s.id, {'title': 'Lunch', 'duration': 45, 'method_text': 'Walking lunch'}
    )
    assert scenario_data(s, catalogue, 'en')['blocks'][0]['method'] == 'Walking lunch'


@pytest.mark.parametrize(
    'fields, field',
    [({'method': ['a', 'list']}, 'method'), ({'method': {'a': 'dict'}}, 'method'), ({'kind': ['x']}, 'kind')],
)
def test_a_block_method_or_kind_that_is_not_text_is_refused(catalogue, fields, field):
    with pytest.raises(ValidationError) as info:
        clean_block_fields(fields, catalogue.role_ids, {m.id for m in catalogue.methods})
    assert info.value.field == field
