"""Kompas rounds and personal profiles through their services: roles, versions, refusals, history, sharing."""

from __future__ import annotations

import pytest

from core.config import Settings
from core.errors import NotFound, PermissionDenied, ValidationError
from core.services import build_services

PASSWORD = 'a good long password'


@pytest.fixture
async def world(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    people = {n: await services.accounts.sign_up(n, f'{n}@b.be', PASSWORD) for n in ('owner', 'co', 'coach', 'x')}
    community = await services.communities.create(people['owner'].id, {'name': 'CoP'})
    for name, role in (('co', 'co_coordinator'), ('coach', 'coach')):
        token, _ = await services.communities.invite(people['owner'].id, community.id, role)
        await services.communities.accept(people[name].id, token)
    return services, {k: v.id for k, v in people.items()}, community.id


async def test_a_round_from_start_to_result(world):
    services, p, cid = world
    kompas = services.kompas
    items = kompas.instrument.items
    sheet = await kompas.start(p['co'], cid)
    assert await kompas.start(p['owner'], cid) == sheet  # one shared open round
    for item in items[:8]:
        sheet = await kompas.answer(p['owner'], cid, sheet.id, item.id, 4, kompas.instrument.version)
    await kompas.answer(p['co'], cid, sheet.id, items[8].id, 'na')
    await kompas.comment(p['co'], cid, sheet.id, items[0].id, 'We doen dit al <b>goed</b>')
    sheet = await kompas.finish(p['owner'], cid, sheet.id)
    assert sheet.done
    result = kompas.result(p['coach'], cid, sheet.id)
    assert result.result.dimension(items[0].dimension).mean == 4.0
    assert result.previous is None
    assert result.round.comments[items[0].id] == 'We doen dit al <b>goed</b>'
    assert result.round.version == kompas.instrument.version


async def test_previous_round_is_compared(world):
    services, p, cid = world
    kompas = services.kompas
    item = kompas.instrument.items[0]
    first = await kompas.start(p['owner'], cid)
    for i in kompas.instrument.items[:4]:
        await kompas.answer(p['owner'], cid, first.id, i.id, 2)
    await kompas.finish(p['owner'], cid, first.id)
    second = await kompas.start(p['owner'], cid)
    assert second.id != first.id
    for i in kompas.instrument.items[:4]:
        await kompas.answer(p['owner'], cid, second.id, i.id, 4)
    await kompas.finish(p['owner'], cid, second.id)
    result = kompas.result(p['owner'], cid, second.id)
    assert result.previous[0].id == first.id
    assert result.previous[1].dimension(item.dimension).mean == 2.0
    assert [r.id for r in kompas.rounds(p['coach'], cid)] == [second.id, first.id]
    assert kompas.latest_result(p['owner'], cid).round.id == second.id


async def test_roles_and_refusals_store_nothing(world):
    services, p, cid = world
    kompas = services.kompas
    sheet = await kompas.start(p['owner'], cid)
    with pytest.raises(PermissionDenied):
        await kompas.start(p['coach'], cid)
    with pytest.raises(PermissionDenied):
        await kompas.answer(p['coach'], cid, sheet.id, kompas.instrument.items[0].id, 3)
    with pytest.raises(NotFound):
        kompas.rounds(p['x'], cid)
    with pytest.raises(ValidationError) as info:
        await kompas.answer(p['owner'], cid, sheet.id, kompas.instrument.items[0].id, 7)
    assert info.value.key == 'questionnaire.error.off_scale'
    with pytest.raises(ValidationError) as info:
        await kompas.answer(p['owner'], cid, sheet.id, 'no_such_item', 3)
    assert info.value.key == 'questionnaire.error.unknown_item'
    with pytest.raises(ValidationError) as info:
        await kompas.answer(p['owner'], cid, sheet.id, kompas.instrument.items[0].id, 3, version=99)
    assert info.value.key == 'questionnaire.error.version'
    with pytest.raises(ValidationError):
        await kompas.finish(p['owner'], cid, sheet.id)  # nothing answered yet
    assert kompas.round(p['owner'], cid, sheet.id).answers == {}
    with pytest.raises(NotFound):
        await kompas.answer(p['owner'], cid, 'forged', kompas.instrument.items[0].id, 3)


async def test_finished_round_cannot_change(world):
    services, p, cid = world
    kompas = services.kompas
    sheet = await kompas.start(p['owner'], cid)
    await kompas.answer(p['owner'], cid, sheet.id, kompas.instrument.items[0].id, 3)
    await kompas.finish(p['owner'], cid, sheet.id)
    with pytest.raises(ValidationError) as info:
        await kompas.answer(p['owner'], cid, sheet.id, kompas.instrument.items[0].id, 5)
    assert info.value.key == 'questionnaire.error.finished'


async def test_profile_is_personal_unless_shared(world):
    services, p, cid = world
    profiles = services.profiles
    sheet = await profiles.start(p['co'])
    items = profiles.instrument.items
    await profiles.answer(p['co'], sheet.id, items[0].id, 4)
    await profiles.answer(p['co'], sheet.id, items[1].id, 1)
    with pytest.raises(NotFound):
        await profiles.answer(p['owner'], sheet.id, items[0].id, 1)  # someone else's profile
    await profiles.finish(p['co'], sheet.id)
    assert profiles.shared_with(p['owner'], cid) == []
    await profiles.share(p['co'], sheet.id, cid, True)
    shared = profiles.shared_with(p['coach'], cid)
    assert [s.owner_name for s in shared] == ['co']
    assert [f.item.id for f in shared[0].profile.improvements] == [items[1].id]
    with pytest.raises(NotFound):
        profiles.shared_with(p['x'], cid)
    with pytest.raises(NotFound):
        await profiles.share(p['x'], sheet.id, cid, True)
    await profiles.share(p['co'], sheet.id, cid, False)
    assert profiles.shared_with(p['owner'], cid) == []


async def test_suggestions_are_kept_once_and_need_edit_rights(world):
    services, p, cid = world
    text = {'nl': 'Doe iets', 'fr': 'Faites quelque chose', 'en': 'Do something'}
    one = await services.suggestions.send(p['owner'], cid, 'kompas', 'r1', 'domain', text)
    two = await services.suggestions.send(p['co'], cid, 'kompas', 'r1', 'domain', text)
    assert one.id == two.id and len(services.suggestions.list(p['coach'], cid)) == 1
    with pytest.raises(PermissionDenied):
        await services.suggestions.send(p['coach'], cid, 'kompas', 'r1', 'domain', text)
    with pytest.raises(ValidationError):
        await services.suggestions.send(p['owner'], cid, 'nowhere', 'r1', 'domain', text)
    assert services.suggestions.sent(p['owner'], cid, 'kompas', 'r1') == {('domain', 'Do something')}


async def test_rounds_survive_export_and_import(world):
    services, p, cid = world
    kompas = services.kompas
    sheet = await kompas.start(p['owner'], cid)
    await kompas.answer(p['owner'], cid, sheet.id, kompas.instrument.items[0].id, 3)
    payload = services.communities.export(p['owner'], cid)
    copy = await services.communities.import_(p['x'], payload)
    assert kompas.rounds(p['x'], copy.id)[0].answers == {kompas.instrument.items[0].id: 3}
    tampered = payload.replace(
        b'"answers": {\n     "' + kompas.instrument.items[0].id.encode() + b'": 3',
        b'"answers": {\n     "' + kompas.instrument.items[0].id.encode() + b'": 9',
    )
    assert tampered != payload
    with pytest.raises(ValidationError) as info:
        await services.communities.import_(p['x'], tampered)
    assert info.value.key.startswith('import.error.') and info.value.params['table'] == 'kompas_rounds'


@pytest.mark.parametrize(
    'tamper',
    [
        lambda doc, item: doc.update(finished=5),  # would break the newest-first sort on the dashboard
        lambda doc, item: doc.update(instrument=['kompas']),
        lambda doc, item: doc['answers'].update({item: float('nan')}),
        lambda doc, item: doc['comments'].update({item: 'x' * 1001}),
        lambda doc, item: doc['comments'].update(no_such_item='hello'),
    ],
)
async def test_bad_round_data_is_refused_on_import(world, tamper):
    import json

    services, p, cid = world
    kompas = services.kompas
    item = kompas.instrument.items[0].id
    sheet = await kompas.start(p['owner'], cid)
    await kompas.answer(p['owner'], cid, sheet.id, item, 3)
    await kompas.comment(p['owner'], cid, sheet.id, item, 'Goed')
    await kompas.finish(p['owner'], cid, sheet.id)
    document = json.loads(services.communities.export(p['owner'], cid))
    tamper(document['tables']['kompas_rounds'][0], item)
    with pytest.raises(ValidationError) as info:
        await services.communities.import_(p['x'], json.dumps(document).encode())
    assert info.value.key.startswith('import.error.') and info.value.params['table'] == 'kompas_rounds'
    assert services.communities.memberships(p['x']) == []


async def test_a_quick_scan_asks_one_statement_per_dimension_and_scores_each_on_it(world):
    services, p, cid = world
    kompas = services.kompas
    quick = kompas.quick_instrument
    assert len(quick.items) == len(kompas.instrument.dimensions) == 8
    assert {i.dimension for i in quick.items} == {d.id for d in kompas.instrument.dimensions}
    sheet = await kompas.start(p['owner'], cid, quick=True)
    assert kompas.is_quick(sheet) and kompas.instrument_of(sheet).items == quick.items
    assert await kompas.start(p['co'], cid) == sheet  # still one shared open round
    not_quick = next(i for i in kompas.instrument.items if not i.quick)
    with pytest.raises(ValidationError):
        await kompas.answer(p['owner'], cid, sheet.id, not_quick.id, 3)
    for value, item in zip((1, 2, 3, 4, 5, 4, 3, 2), quick.items, strict=True):
        await kompas.answer(p['owner'], cid, sheet.id, item.id, value, sheet.version)
    await kompas.finish(p['owner'], cid, sheet.id)
    outcome = kompas.result(p['coach'], cid, sheet.id)
    assert outcome.quick
    assert [d.mean for d in outcome.result.dimensions] == [1, 2, 3, 4, 5, 4, 3, 2]
    assert outcome.result.overall == 3.0 and outcome.result.stage is not None


async def test_rounds_on_the_first_version_stay_readable_and_join_the_trend(world):
    """Version 2 marked the quick statements: a round answered on version 1 is still scored on version 1."""
    services, p, cid = world
    kompas = services.kompas
    v1 = kompas.instruments.get('kompas', 1)
    assert v1 is not None and kompas.instrument.version >= 2
    assert not any(i.quick for i in v1.items)
    table = services.communities.store.community(cid).table('kompas_rounds')
    table.insert(
        {
            'id': 'oldround0001',
            'instrument': 'kompas',
            'version': 1,
            'started': '2025-01-10',
            'finished': '2025-01-12',
            'answers': {i.id: 2 for i in v1.items},
            'comments': {},
            'by': p['owner'],
        }
    )
    sheet = await kompas.start(p['owner'], cid, quick=True)
    for item in kompas.quick_instrument.items:
        await kompas.answer(p['owner'], cid, sheet.id, item.id, 4)
    await kompas.finish(p['owner'], cid, sheet.id)
    old = kompas.result(p['owner'], cid, 'oldround0001')
    assert old.instrument.version == 1 and not old.quick and old.result.overall == 2.0
    trend = kompas.trend(p['coach'], cid)
    assert [point.round.id for point in trend] == ['oldround0001', sheet.id]
    assert [point.result.overall for point in trend] == [2.0, 4.0]
    assert kompas.result(p['owner'], cid, sheet.id).previous[0].id == 'oldround0001'


async def test_an_open_quick_scan_widens_to_the_full_kompas_keeping_its_answers(world):
    services, p, cid = world
    kompas = services.kompas
    sheet = await kompas.start(p['owner'], cid, quick=True)
    first = kompas.quick_instrument.items[0]
    await kompas.answer(p['owner'], cid, sheet.id, first.id, 4)
    with pytest.raises(PermissionDenied):
        await kompas.widen(p['coach'], cid, sheet.id)
    wide = await kompas.widen(p['co'], cid, sheet.id)
    assert not kompas.is_quick(wide) and wide.answers == {first.id: 4}
    assert len(kompas.instrument_of(wide).items) == len(kompas.instrument.items) > len(kompas.quick_instrument.items)
    await kompas.finish(p['owner'], cid, sheet.id)
    with pytest.raises(ValidationError):
        await kompas.widen(p['owner'], cid, sheet.id)
