"""The anonymous survey: what is stored, the threshold, receipts, refusals, order, aggregation and exports."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from core.config import Settings
from core.errors import AuthError, NotFound, PermissionDenied, ValidationError
from core.i18n import Catalog, Translator
from core.questionnaire import NA
from core.services import build_services
from core.survey_results import aggregate, perception_gap, raw_rows, to_csv, weak_items

PASSWORD = 'a good long password'


@pytest.fixture
async def world(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    owner = await services.accounts.sign_up('Owner', 'owner@b.be', PASSWORD)
    coach = await services.accounts.sign_up('Coach', 'coach@b.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP', 'expected_members': 20})
    token, _ = await services.communities.invite(owner.id, community.id, 'coach')
    await services.communities.accept(coach.id, token)
    return services, owner.id, coach.id, community.id


def sheet(instrument, value=4, text=None):
    answers = {item.id: value for item in instrument.items if item.type == 'scale'}
    for item in instrument.items:
        if item.type == 'choice':
            answers[item.id] = item.options[0].id
        elif item.type == 'multi':
            answers[item.id] = [item.options[0].id, item.options[1].id]
        elif item.type == 'text' and text:
            answers[item.id] = text
    return answers


async def submit(services, cid, survey_round, answers):
    ticket = services.surveys.ticket(cid, survey_round.token)
    return await services.surveys.submit(cid, survey_round.token, ticket, answers)


async def test_results_hidden_below_threshold_and_shown_at_it(world):
    services, owner, coach, cid = world
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, threshold=5, open_now=True)
    instrument = surveys.instrument_of(survey_round)
    for _ in range(4):
        await submit(services, cid, survey_round, sheet(instrument))
    assert surveys.answers_above_threshold(coach, cid, survey_round.id) is None  # N-1: nothing
    await submit(services, cid, survey_round, sheet(instrument))
    assert len(surveys.answers_above_threshold(coach, cid, survey_round.id)) == 5  # N: shown


async def test_stored_answer_holds_nothing_identifying(world):
    services, owner, _, cid = world
    survey_round = await services.surveys.create(owner, cid, open_now=True)
    instrument = services.surveys.instrument_of(survey_round)
    receipt = await submit(services, cid, survey_round, sheet(instrument, text='Mijn naam is Jan'))
    raw = json.loads((services.store.communities_dir / f'{cid}.json').read_text())
    (doc,) = raw['survey_answers'].values()
    assert set(doc) == {'round', 'answers', 'receipt'}  # no id, and no time at all: not even the day
    assert datetime.now(UTC).date().isoformat() not in json.dumps(doc)
    assert receipt not in json.dumps(raw) and receipt.replace('-', '') not in json.dumps(raw)
    assert owner not in json.dumps(doc)


async def test_storage_order_does_not_follow_arrival_order(world):
    services, owner, _, cid = world
    survey_round = await services.surveys.create(owner, cid, open_now=True)
    instrument = services.surveys.instrument_of(survey_round)
    first_item = instrument.scored_items[0].id
    for n in range(12):  # the n-th respondent answers n % 5 + 1 and says who they are in the text
        answers = sheet(instrument, n % 5 + 1, text=f'respondent {n}')
        await submit(services, cid, survey_round, answers)
    raw = json.loads((services.store.communities_dir / f'{cid}.json').read_text())
    texts = [
        d['answers'][next(i.id for i in instrument.items if i.type == 'text')] for d in raw['survey_answers'].values()
    ]
    assert sorted(texts, key=lambda s: int(s.split()[1])) != texts  # 1 in 12! chance of a false failure
    assert sorted(int(k) for k in raw['survey_answers']) == [int(k) for k in raw['survey_answers']]
    assert {d['answers'][first_item] for d in raw['survey_answers'].values()} == {1, 2, 3, 4, 5}


async def test_receipt_withdraws_exactly_that_answer(world):
    services, owner, coach, cid = world
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, threshold=3, open_now=True)
    instrument = surveys.instrument_of(survey_round)
    receipts = [await submit(services, cid, survey_round, sheet(instrument, v)) for v in (1, 2, 3, 4)]
    with pytest.raises(NotFound):
        await surveys.withdraw(cid, survey_round.token, 'AAAA-BBBB-CCCC')
    await surveys.withdraw(cid, survey_round.token, receipts[1].lower().replace('-', ' '))  # typed loosely
    remaining = surveys.answers_above_threshold(coach, cid, survey_round.id)
    first = instrument.scored_items[0].id
    assert sorted(a.answers[first] for a in remaining) == [1, 3, 4]
    with pytest.raises(NotFound):
        await surveys.withdraw(cid, survey_round.token, receipts[1])  # only once


@pytest.mark.parametrize(
    'bad',
    [
        {'no_such_item': 3},
        'off_scale',
        'unknown_option',
        'huge_text',
        'huge_payload',
        {},
    ],
)
async def test_bad_submissions_are_refused_and_store_nothing(world, bad):
    services, owner, _, cid = world
    survey_round = await services.surveys.create(owner, cid, open_now=True)
    instrument = services.surveys.instrument_of(survey_round)
    scale_item = instrument.scored_items[0].id
    choice_item = next(i.id for i in instrument.items if i.type == 'choice')
    text_item = next(i.id for i in instrument.items if i.type == 'text')
    answers = (
        {
            'off_scale': {scale_item: 9},
            'unknown_option': {choice_item: 'nope'},
            'huge_text': {text_item: 'x' * 2001},
            'huge_payload': {text_item: 'x' * 100, **{f'k{i}': 'y' * 1000 for i in range(80)}},
        }.get(bad, bad)
        if isinstance(bad, str)
        else bad
    )
    with pytest.raises(ValidationError):
        await submit(services, cid, survey_round, answers)
    assert services.surveys.count(cid, survey_round.id) == 0


async def test_replayed_forged_or_closed_submissions_are_refused(world):
    services, owner, _, cid = world
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, open_now=True)
    answers = sheet(surveys.instrument_of(survey_round))
    ticket = surveys.ticket(cid, survey_round.token)
    await surveys.submit(cid, survey_round.token, ticket, answers)
    with pytest.raises(ValidationError) as info:
        await surveys.submit(cid, survey_round.token, ticket, answers)  # the same submission again
    assert info.value.key == 'survey.error.replayed'
    with pytest.raises(ValidationError):
        await surveys.submit(cid, survey_round.token, 'made-up-ticket', answers)
    with pytest.raises(NotFound):
        surveys.ticket(cid, survey_round.token[:-2] + 'xx')  # forged token
    with pytest.raises(NotFound):
        surveys.ticket('0123456789abcdef', survey_round.token)  # wrong community
    await surveys.set_status(owner, cid, survey_round.id, 'closed')
    ticket = surveys.ticket(cid, survey_round.token)
    with pytest.raises(ValidationError) as info:
        await surveys.submit(cid, survey_round.token, ticket, answers)
    assert info.value.key == 'survey.error.closed'
    assert surveys.count(cid, survey_round.id) == 1


async def test_round_settings_and_roles(world):
    services, owner, coach, cid = world
    surveys = services.surveys
    with pytest.raises(ValidationError):
        await surveys.create(owner, cid, threshold=2)  # never below 3
    with pytest.raises(ValidationError):
        await surveys.create(owner, cid, closes='2001-01-01')  # in the past
    with pytest.raises(PermissionDenied):
        await surveys.create(coach, cid)
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    survey_round = await surveys.create(owner, cid, closes=tomorrow, threshold=4)
    assert survey_round.status == 'draft' and survey_round.closes == tomorrow
    assert len(survey_round.token) >= 32  # 192 random bits
    opened = await surveys.set_status(owner, cid, survey_round.id, 'open')
    assert opened.is_open()
    await submit(services, cid, opened, sheet(surveys.instrument_of(opened)))
    with pytest.raises(ValidationError) as info:
        await surveys.update(owner, cid, survey_round.id, title='', closes=tomorrow, threshold=3)
    assert info.value.key == 'survey.error.threshold_down'  # cannot be lowered once answers exist
    raised = await surveys.update(owner, cid, survey_round.id, title='Najaar', closes=None, threshold=8)
    assert raised.threshold == 8 and raised.closes is None


async def test_export_carries_only_answers_above_threshold(world):
    services, owner, _, cid = world
    surveys = services.surveys
    small = await surveys.create(owner, cid, threshold=5, open_now=True)
    big = await surveys.create(owner, cid, threshold=3, open_now=True)
    for survey_round, n in ((small, 2), (big, 3)):
        for _ in range(n):
            await submit(services, cid, survey_round, sheet(surveys.instrument_of(survey_round)))
    exported = json.loads(services.communities.export(owner, cid))
    assert {d['round'] for d in exported['tables']['survey_answers']} == {big.id}


def test_aggregation_hand_computed():
    from core.content import load_content

    instrument = load_content().instruments.current('member_survey')
    first, second = [i for i in instrument.dimension('satisfaction').items if i.type == 'scale'][:2]
    choice = next(i for i in instrument.items if i.type == 'choice')
    sheets = [
        {first.id: 5, second.id: 2, choice.id: choice.options[0].id},
        {first.id: 4, second.id: NA, choice.id: choice.options[0].id},
        {first.id: 1, second.id: 2, choice.id: choice.options[1].id},
        {first.id: NA},
    ]
    results = aggregate(instrument, sheets, expected=8, rng=random.Random(1))
    r1, r2 = results.item(first.id), results.item(second.id)
    assert (r1.answered, r1.not_applicable, r1.mean) == (3, 1, round(10 / 3, 4))
    assert (r1.counts[5], r1.counts[4], r1.counts[1], r1.counts[3]) == (1, 1, 1, 0)
    assert (r2.answered, r2.not_applicable, r2.mean) == (2, 1, 2.0)
    assert results.item(choice.id).counts[choice.options[0].id] == 2
    assert results.count == 4 and results.rate == 0.5
    assert weak_items(results)[0].item.id == second.id
    assert results.blocks['satisfaction'] == round((5 + 4 + 1 + 2 + 2) / 5, 4)  # pooled: 5 answers, n/a out


def test_perception_gap_pairs_kompas_with_members():
    from core.content import load_content
    from core.questionnaire import score

    content = load_content()
    survey = content.instruments.current('member_survey')
    kompas = content.instruments.current('kompas')
    mirrored = [i for i in survey.items if i.mirrors == 'digital']
    results = aggregate(survey, [{i.id: 2 for i in mirrored}, {i.id: 4 for i in mirrored}])
    kompas_result = score(kompas, {i.id: 5 for i in kompas.dimension('digital').items})
    gap = {g.dimension: g for g in perception_gap(kompas_result, results)}
    assert gap['digital'].coordinator == 5.0 and gap['digital'].members == 3.0
    assert gap['domain'].coordinator is None  # no kompas answer there


def test_exports_are_safe_and_carry_no_time():
    from core.content import load_content

    instrument = load_content().instruments.current('member_survey')
    text_item = next(i for i in instrument.items if i.type == 'text')
    rows = raw_rows(instrument, [{text_item.id: '=HYPERLINK("http://evil")'}, {text_item.id: '<script>x</script>'}])
    data = to_csv(rows).decode('utf-8-sig')
    assert "'=HYPERLINK" in data and '<script>x</script>' in data
    assert 'day' not in rows[0] and len(rows) == 3
    t = Translator(Catalog({}), 'nl')
    assert t  # aggregated_rows is exercised by the UI test with real strings


async def test_submissions_are_rate_limited_per_browser_but_an_office_gets_through(world):
    services, owner, _, cid = world
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, open_now=True)
    answers = sheet(surveys.instrument_of(survey_round))
    for n in range(40):  # forty colleagues behind one proxy address
        await surveys.submit(
            cid,
            survey_round.token,
            surveys.ticket(cid, survey_round.token),
            answers,
            client='10.0.0.1',
            browser=f'browser-{n}',
        )
    for _ in range(10):
        await surveys.submit(
            cid,
            survey_round.token,
            surveys.ticket(cid, survey_round.token),
            answers,
            client='10.0.0.2',
            browser='one-browser',
        )
    with pytest.raises(AuthError) as info:  # the eleventh from one browser within ten minutes
        await surveys.submit(
            cid,
            survey_round.token,
            surveys.ticket(cid, survey_round.token),
            answers,
            client='10.0.0.2',
            browser='one-browser',
        )
    assert info.value.key == 'survey.error.too_many'
    assert surveys.count(cid, survey_round.id) == 50


async def test_results_and_raw_answers_come_from_core_only_above_the_threshold(world):
    services, owner, coach, cid = world
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, threshold=3, open_now=True)
    instrument = surveys.instrument_of(survey_round)
    for value in (1, 2):
        await submit(services, cid, survey_round, sheet(instrument, value))
    assert surveys.answer_count(coach, cid, survey_round.id) == 2
    assert surveys.results(coach, cid, survey_round.id, 20) is None
    assert surveys.raw_answers(coach, cid, survey_round.id) is None
    await submit(services, cid, survey_round, sheet(instrument, 3))
    results = surveys.results(coach, cid, survey_round.id, 20)
    assert results.count == 3 and results.rate == 3 / 20
    assert results.item(instrument.scored_items[0].id).mean == 2.0
    rows = surveys.raw_answers(coach, cid, survey_round.id)
    assert rows[0] == [i.id for i in instrument.items] and len(rows) == 4
    stranger = await services.accounts.sign_up('Stranger', 'stranger@b.be', PASSWORD)
    for read in (surveys.answer_count, surveys.results, surveys.raw_answers):
        with pytest.raises((PermissionDenied, NotFound)):
            read(stranger.id, cid, survey_round.id)


async def test_answers_stored_by_an_earlier_version_stay_readable_and_lose_their_day(world):
    services, owner, coach, cid = world
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, threshold=3, open_now=True)
    instrument = surveys.instrument_of(survey_round)
    first = instrument.scored_items[0].id
    table = services.store.community(cid).table('survey_answers')
    for value in (1, 2):  # as earlier versions stored them
        table.insert(
            {
                'id': f'old{value}',
                'round': survey_round.id,
                'day': '2026-01-05',
                'answers': {first: value},
                'receipt': '0' * 64,
            }
        )
    await submit(services, cid, survey_round, sheet(instrument, 3))
    assert sorted(a.answers[first] for a in surveys.answers_above_threshold(coach, cid, survey_round.id)) == [1, 2, 3]
    raw = json.loads((services.store.communities_dir / f'{cid}.json').read_text())
    assert all(set(doc) == {'round', 'answers', 'receipt'} for doc in raw['survey_answers'].values())
    exported = json.loads(services.communities.export(owner, cid))['tables']['survey_answers']
    assert all(set(doc) == {'round', 'answers'} for doc in exported)  # a receipt hash stays home


async def test_a_withdrawn_answer_leaves_no_backup_behind(world):
    services, owner, _, cid = world  # backups kept on every write (interval 0)
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, threshold=3, open_now=True)
    instrument = surveys.instrument_of(survey_round)
    text_item = next(i.id for i in instrument.items if i.type == 'text')
    receipt = await submit(services, cid, survey_round, sheet(instrument, text='het antwoord van Jan'))
    await submit(services, cid, survey_round, sheet(instrument))
    assert any('het antwoord van Jan' in b.path.read_text() for b in services.store.community_backups(cid))
    await surveys.withdraw(cid, survey_round.token, receipt)
    assert services.store.community_backups(cid) == []
    folder = services.store.backups_dir
    assert not any('het antwoord van Jan' in p.read_text() for p in folder.rglob('*.json'))
    assert all(
        a['answers'].get(text_item) != 'het antwoord van Jan'
        for a in services.store.community(cid).table('survey_answers').all()
    )
    await surveys.submit(cid, survey_round.token, surveys.ticket(cid, survey_round.token), sheet(instrument))
    assert services.store.community_backups(cid)  # backups go on after the withdrawal


async def tampered_export(services, owner, cid, change) -> bytes:
    document = json.loads(services.communities.export(owner, cid))
    change(document['tables'])
    return json.dumps(document).encode()


async def test_import_refuses_answers_that_do_not_fit_their_instrument(world):
    services, owner, _, cid = world
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, threshold=3, open_now=True)
    instrument = surveys.instrument_of(survey_round)
    for value in (1, 2, 3):
        await submit(services, cid, survey_round, sheet(instrument, value))
    multi = next(i.id for i in instrument.items if i.type == 'multi')
    choice = next(i.id for i in instrument.items if i.type == 'choice')
    scale = instrument.scored_items[0].id

    def answer(**values):
        def change(tables):
            tables['survey_answers'][0]['answers'].update(values)

        return change

    def field(name, value):
        def change(tables):
            tables['survey_answers'][0][name] = value

        return change

    def round_field(name, value):
        def change(tables):
            tables['survey_rounds'][0][name] = value

        return change

    before = sorted(p.name for p in services.store.communities_dir.iterdir())
    for change in (
        answer(**{multi: 5}),
        answer(**{choice: ['a', 'b']}),
        answer(**{scale: 9}),
        answer(**{scale: [1]}),
        answer(no_such_item=1),
        field('answers', {}),
        field('day', '2026-01-05T10:11:12'),
        field('ip', '10.0.0.1'),
        field('receipt', 'abc'),
        round_field('version', 99),
        round_field('instrument', 'kompas'),
        round_field('closes', 'someday'),
    ):
        with pytest.raises(ValidationError) as info:
            await services.communities.import_(owner, await tampered_export(services, owner, cid, change))
        assert info.value.key.startswith('import.error.') and info.value.params['table'].startswith('survey_')
    assert sorted(p.name for p in services.store.communities_dir.iterdir()) == before  # nothing changed
    copy = await services.communities.import_(owner, await tampered_export(services, owner, cid, lambda t: None))
    (imported,) = services.surveys.rounds(owner, copy.id)
    assert services.surveys.results(owner, copy.id, imported.id).count == 3


def test_aggregation_leaves_out_values_that_do_not_fit_instead_of_crashing():
    from core.content import load_content

    instrument = load_content().instruments.current('member_survey')
    multi = next(i for i in instrument.items if i.type == 'multi')
    choice = next(i for i in instrument.items if i.type == 'choice')
    scale = instrument.scored_items[0]
    results = aggregate(instrument, [{multi.id: 5, choice.id: ['x'], scale.id: [4]}, {scale.id: 4}])
    assert results.item(multi.id).answered == 0 and results.item(choice.id).answered == 0
    assert results.item(scale.id).mean == 4.0


async def test_an_expired_round_can_be_renamed_and_its_threshold_raised(world):
    services, owner, _, cid = world
    surveys = services.surveys
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    survey_round = await surveys.create(owner, cid, closes=tomorrow, open_now=True)
    services.store.community(cid).table('survey_rounds').update({'closes': '2026-01-05'})  # time passed
    assert surveys.round(owner, cid, survey_round.id).expired()
    renamed = await surveys.update(owner, cid, survey_round.id, title='Voorjaar', closes='2026-01-05', threshold=7)
    assert (renamed.title, renamed.threshold, renamed.closes) == ('Voorjaar', 7, '2026-01-05')
    with pytest.raises(ValidationError) as info:  # a changed closing day must still lie ahead
        await surveys.update(owner, cid, survey_round.id, title='Voorjaar', closes='2026-01-06', threshold=7)
    assert info.value.key == 'survey.error.closes_past'
    reopened = await surveys.update(owner, cid, survey_round.id, title='Voorjaar', closes=tomorrow, threshold=7)
    assert not reopened.expired()


async def test_tickets_beyond_the_cap_push_out_the_oldest(world, monkeypatch):
    services, owner, _, cid = world
    monkeypatch.setattr('core.survey.MAX_TICKETS', 3)
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, open_now=True)
    tickets = [surveys.ticket(cid, survey_round.token) for _ in range(5)]
    answers = sheet(surveys.instrument_of(survey_round))
    with pytest.raises(ValidationError):
        await surveys.submit(cid, survey_round.token, tickets[0], answers)  # the oldest went
    await surveys.submit(cid, survey_round.token, tickets[4], answers)
