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
from core.store import read_whole
from core.survey_results import aggregate, perception_gap, raw_rows, to_csv, weak_items

PASSWORD = 'a good long password'
OWNER = ['']  # the world's coordinator, for the helper that hands out personal links


@pytest.fixture
async def world(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    owner = await services.accounts.sign_up('Owner', 'owner@b.be', PASSWORD)
    coach = await services.accounts.sign_up('Coach', 'coach@b.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP', 'expected_members': 20})
    token, _ = await services.communities.invite(owner.id, community.id, 'coach')
    await services.communities.accept(coach.id, token)
    OWNER[0] = owner.id
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


async def submit(services, cid, survey_round, answers, **kwargs):
    """One respondent: a fresh page (ticket) and, for a round with personal links, a fresh link of their own."""
    code = None
    if survey_round.verified:
        owner = next(m.user_id for m in services.communities.members(OWNER[0], cid))
        (code,) = await services.surveys.make_codes(owner, cid, survey_round.id, 1)
    ticket = services.surveys.ticket(cid, survey_round.token)
    return await services.surveys.submit(cid, survey_round.token, ticket, answers, code=code, **kwargs)


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
    raw = read_whole(services.store.communities_dir / f'{cid}.json')
    (doc,) = raw['survey_answers'].values()
    assert set(doc) == {'round', 'answers', 'receipt', 'released'}  # no id, and no time at all: not even the day
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
    raw = read_whole(services.store.communities_dir / f'{cid}.json')
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
    receipts = [await submit(services, cid, survey_round, sheet(instrument, v)) for v in (1, 2, 3, 4, 5, 1)]
    with pytest.raises(NotFound):
        await surveys.withdraw(cid, survey_round.token, 'AAAA-BBBB-CCCC')
    await surveys.withdraw(cid, survey_round.token, receipts[1].lower().replace('-', ' '))  # typed loosely
    remaining = surveys.answers_above_threshold(coach, cid, survey_round.id)
    first = instrument.scored_items[0].id
    assert sorted(a.answers[first] for a in remaining) == [1, 1, 3, 4, 5]  # the snapshot lost exactly that one
    assert surveys.count(cid, survey_round.id) == 5
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
    codes = await surveys.make_codes(owner, cid, survey_round.id, 3)
    ticket = surveys.ticket(cid, survey_round.token)
    await surveys.submit(cid, survey_round.token, ticket, answers, code=codes[0])
    with pytest.raises(ValidationError) as info:
        await surveys.submit(cid, survey_round.token, ticket, answers, code=codes[1])  # the same page again
    assert info.value.key == 'survey.error.replayed'
    for forged in ('made-up-ticket', ticket.replace('.', '.9', 1), 'a.b.c', None):
        with pytest.raises(ValidationError):
            await surveys.submit(cid, survey_round.token, forged, answers, code=codes[1])
    with pytest.raises(NotFound):
        surveys.ticket(cid, survey_round.token[:-2] + 'xx')  # forged token
    with pytest.raises(NotFound):
        surveys.ticket('0123456789abcdef', survey_round.token)  # wrong community
    await surveys.set_status(owner, cid, survey_round.id, 'closed')
    ticket = surveys.ticket(cid, survey_round.token)
    with pytest.raises(ValidationError) as info:
        await surveys.submit(cid, survey_round.token, ticket, answers, code=codes[1])
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


async def test_export_carries_only_released_scores_of_closed_rounds_and_the_texts_apart(world):
    services, owner, coach, cid = world
    surveys = services.surveys
    small = await surveys.create(owner, cid, threshold=5, open_now=True)
    still_open = await surveys.create(owner, cid, threshold=3, open_now=True)
    big = await surveys.create(owner, cid, threshold=3, open_now=True)
    for survey_round, n in ((small, 2), (still_open, 3), (big, 4)):
        for i in range(n):
            await submit(services, cid, survey_round, sheet(surveys.instrument_of(survey_round), text=f'tekst {i}'))
    for survey_round in (small, big):
        await surveys.set_status(owner, cid, survey_round.id, 'closed')
    exported = json.loads(services.communities.export(owner, cid))
    answers, texts = exported['tables']['survey_answers'], exported['tables']['survey_texts']
    assert {d['round'] for d in answers} == {big.id} and len(answers) == 3  # the 4th came after the snapshot
    assert all(set(d) == {'round', 'answers'} for d in answers)  # no receipt
    text_item = next(i.id for i in surveys.instrument_of(big).items if i.type == 'text')
    assert all(text_item not in d['answers'] for d in answers)  # scores only
    assert sorted(d['text'] for d in texts) == sorted(
        t for r in surveys.results(owner, cid, big.id).items for t in r.texts
    )
    assert 'survey_codes' not in exported['tables'] or exported['tables']['survey_codes'] == []
    copy = await services.communities.import_(owner, json.dumps(exported).encode())
    (imported,) = [r for r in surveys.rounds(owner, copy.id) if r.id == big.id]
    results = surveys.results(owner, copy.id, imported.id)
    original = surveys.results(owner, cid, big.id)
    assert results.count == original.count == 3 and results.blocks == original.blocks
    assert sorted(results.item(text_item).texts) == sorted(original.item(text_item).texts)


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
    rows = raw_rows(instrument, [{text_item.id: 'een tekst'}, {instrument.scored_items[0].id: 4}])
    assert text_item.id not in rows[0] and 'een tekst' not in json.dumps(rows)  # scores only
    assert 'day' not in rows[0] and len(rows) == 3
    data = to_csv([['id', 'vraag', '=HYPERLINK("http://evil")'], ['id', 'vraag', '<script>x</script>']])
    assert "'=HYPERLINK" in data.decode('utf-8-sig') and '<script>x</script>' in data.decode('utf-8-sig')
    t = Translator(Catalog({}), 'nl')
    assert t  # aggregated_rows is exercised by the UI test with real strings


async def test_submissions_are_rate_limited_per_browser_but_an_office_gets_through(world):
    services, owner, _, cid = world
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, threshold=5, open_now=True)
    answers = sheet(surveys.instrument_of(survey_round))
    codes = await surveys.make_codes(owner, cid, survey_round.id, 150)
    for n in range(40):  # forty colleagues behind one proxy address
        await surveys.submit(
            cid,
            survey_round.token,
            surveys.ticket(cid, survey_round.token),
            answers,
            client='10.0.0.1',
            browser=f'browser-{n}',
            code=codes[n],
        )
    refused = []
    for n in range(100):  # a hundred submissions from one browser within a minute
        try:
            await surveys.submit(
                cid,
                survey_round.token,
                surveys.ticket(cid, survey_round.token),
                answers,
                client='10.0.0.2',
                browser='one-browser',
                code=codes[40 + n],
            )
        except AuthError as e:
            refused.append(e)
    assert len(refused) == 90 and all(e.key == 'survey.error.too_many' for e in refused)
    t = Translator(services.content.ui, 'fr')
    assert 'Réessayez dans' in t(refused[0].key, minutes=1)  # a clear message in the respondent's language
    assert surveys.count(cid, survey_round.id) == 50  # nothing stored for the refused ones


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
    await submit(services, cid, survey_round, sheet(instrument, 3, text='open antwoord'))
    results = surveys.results(coach, cid, survey_round.id, 20)
    assert results.count == 3 and results.rate == 3 / 20
    assert results.item(instrument.scored_items[0].id).mean == 2.0
    assert surveys.raw_answers(coach, cid, survey_round.id) is None  # per respondent: only once closed
    await surveys.set_status(owner, cid, survey_round.id, 'closed')
    rows = surveys.raw_answers(coach, cid, survey_round.id)
    scored = [i.id for i in instrument.items if i.type != 'text']
    assert rows[0] == scored and len(rows) == 4  # scores only: no open question in it
    assert 'open antwoord' not in json.dumps(rows)
    t = Translator(services.content.ui, 'nl')
    texts = surveys.open_answers(coach, cid, survey_round.id, t)
    assert [row[2] for row in texts[1:]] == ['open antwoord'] * len([i for i in instrument.items if i.type == 'text'])
    stranger = await services.accounts.sign_up('Stranger', 'stranger@b.be', PASSWORD)
    for read in (surveys.answer_count, surveys.results, surveys.raw_answers, surveys.snapshot):
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
    raw = read_whole(services.store.communities_dir / f'{cid}.json')
    assert all(set(doc) == {'round', 'answers', 'receipt', 'released'} for doc in raw['survey_answers'].values())
    exported = json.loads(services.communities.export(owner, cid))['tables']['survey_answers']
    assert all(set(doc) == {'round', 'answers'} for doc in exported)  # a receipt hash stays home


async def test_a_withdrawal_rewrites_the_backups_that_hold_it_and_keeps_every_other(world):
    services, owner, _, cid = world  # backups kept on every write (interval 0)
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, threshold=3, open_now=True)
    instrument = surveys.instrument_of(survey_round)
    text_item = next(i.id for i in instrument.items if i.type == 'text')
    receipt = await submit(services, cid, survey_round, sheet(instrument, text='het antwoord van Jan'))
    for n in range(3):
        await submit(services, cid, survey_round, sheet(instrument, text=f'een ander antwoord {n}'))
    before = services.store.community_backups(cid)
    holding = [b.name for b in before if 'het antwoord van Jan' in version_text(b)]
    assert len(before) == 5 and len(holding) >= 2
    await surveys.withdraw(cid, survey_round.token, receipt)
    after = services.store.community_backups(cid)
    assert [b.name for b in after] == [b.name for b in before]  # no backup deleted, none renamed
    assert not any('het antwoord van Jan' in version_text(b) for b in after)
    assert any('een ander antwoord 1' in version_text(b) for b in after)  # the other answers stay
    kept = [read_whole(b.path) for b in after]
    assert all('community' in data and 'survey_rounds' in data for data in kept)  # the rest of each backup too
    live = services.store.community(cid).table('survey_answers').all()
    assert all(a['answers'].get(text_item) != 'het antwoord van Jan' for a in live) and len(live) == 3
    assert surveys.snapshot(owner, cid, survey_round.id).released == 2  # out of the released snapshot too
    midnight = datetime.combine(datetime.now(UTC).date(), datetime.min.time(), tzinfo=UTC).timestamp()
    assert all(b.path.stat().st_mtime == midnight for b in after)


def version_text(info) -> str:
    """A kept version's whole text: its main file and its parts."""
    folder = info.path.with_suffix('')
    return info.path.read_text() + (''.join(p.read_text() for p in folder.iterdir()) if folder.is_dir() else '')


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
    await surveys.set_status(owner, cid, survey_round.id, 'closed')  # an export carries closed rounds' answers
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
        round_field('mode', 'everyone'),
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


async def test_many_page_loads_do_not_push_out_an_earlier_respondents_ticket(world):
    services, owner, _, cid = world
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, open_now=True)
    (code,) = await surveys.make_codes(owner, cid, survey_round.id, 1)
    first = surveys.ticket(cid, survey_round.token)
    for _ in range(150_000):  # more page loads than the old cap of 100,000 tickets
        surveys.ticket(cid, survey_round.token)
    await surveys.submit(cid, survey_round.token, first, sheet(surveys.instrument_of(survey_round)), code=code)
    assert surveys.count(cid, survey_round.id) == 1


# -- the attacks of issue 10: each must fail -----------------------------------------------------------------------


async def test_padding_a_used_personal_link_from_a_fresh_browser_is_refused(world):
    services, owner, coach, cid = world
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, threshold=5, open_now=True)
    other = await surveys.create(owner, cid, threshold=5, open_now=True)
    answers = sheet(surveys.instrument_of(survey_round))
    codes = await surveys.make_codes(owner, cid, survey_round.id, 4)
    (foreign,) = await surveys.make_codes(owner, cid, other.id, 1)
    assert len({*codes}) == 4 and all(len(c) == 22 for c in codes)  # 128 random bits each
    for code in codes:
        await surveys.submit(cid, survey_round.token, surveys.ticket(cid, survey_round.token), answers, code=code)
    assert surveys.by_code(cid, codes[0]) == (survey_round, True)  # the link says it was used
    refusals = {
        'survey.error.code_used': codes[0],  # the coordinator's own answer on a member's link: a fresh page, refused
        'survey.error.code_unknown': codes[1][:-1] + ('A' if codes[1][-1] != 'A' else 'B'),  # forged
        'survey.error.code_needed': None,  # the round's token alone does not take answers
    }
    for key, code in refusals.items():
        with pytest.raises(ValidationError) as info:
            await surveys.submit(cid, survey_round.token, surveys.ticket(cid, survey_round.token), answers, code=code)
        assert info.value.key == key
    with pytest.raises(ValidationError) as info:  # another round's link
        await surveys.submit(cid, survey_round.token, surveys.ticket(cid, survey_round.token), answers, code=foreign)
    assert info.value.key == 'survey.error.code_unknown'
    with pytest.raises(NotFound):
        surveys.by_code(cid, 'x' * 22)
    assert surveys.count(cid, survey_round.id) == 4  # still below the threshold of 5: nothing shown
    assert surveys.results(coach, cid, survey_round.id) is None
    stored = json.dumps(services.store.community(cid).table('survey_answers').all())
    assert not any(code in stored for code in codes)  # an answer keeps no trace of its link
    assert surveys.code_counts(owner, cid, survey_round.id) == (4, 4)


async def test_differencing_two_exports_around_one_new_answer_are_identical_until_the_next_step(world):
    from core.survey_results import aggregated_rows, to_xlsx

    services, owner, coach, cid = world
    surveys = services.surveys
    t = Translator(services.content.ui, 'nl')
    survey_round = await surveys.create(owner, cid, threshold=5, open_now=True)
    instrument = surveys.instrument_of(survey_round)

    def exports() -> tuple[bytes, ...]:
        results = surveys.results(coach, cid, survey_round.id, 20)
        rows = aggregated_rows(instrument, results, t)
        texts = surveys.open_answers(coach, cid, survey_round.id, t)
        return to_csv(rows), to_xlsx(rows, 'x'), to_csv(texts)

    for n in range(5):
        await submit(services, cid, survey_round, sheet(instrument, n % 5 + 1, text=f'tekst van lid {n}'))
    first = exports()
    assert surveys.snapshot(coach, cid, survey_round.id).released == 5
    for n in range(5, 9):  # the sixth to ninth answers: a colleague says "done!" after each
        await submit(services, cid, survey_round, sheet(instrument, 1, text=f'tekst van lid {n}'))
        assert exports() == first  # byte for byte: nothing tells what the new answer said
        assert surveys.results(coach, cid, survey_round.id).count == 5
    await surveys.set_status(owner, cid, survey_round.id, 'closed')  # closing does not single out the last four
    assert exports() == first
    assert surveys.snapshot(coach, cid, survey_round.id).pending == 4
    await surveys.set_status(owner, cid, survey_round.id, 'open')
    await submit(services, cid, survey_round, sheet(instrument, 1, text='tekst van lid 9'))
    moved = surveys.results(coach, cid, survey_round.id)
    assert moved.count == 10 and exports() != first  # the next step: five answers at once


async def test_an_open_link_is_labelled_unverified_and_released_only_closed_with_eight(world):
    services, owner, coach, cid = world
    surveys = services.surveys
    with pytest.raises(ValidationError) as info:
        await surveys.create(owner, cid, threshold=5, open_now=True, mode='open')
    assert info.value.key == 'survey.error.threshold' and info.value.params['low'] == 8
    survey_round = await surveys.create(owner, cid, threshold=8, open_now=True, mode='open')
    assert not survey_round.verified
    instrument = surveys.instrument_of(survey_round)
    for n in range(12):  # one person could have sent all twelve: the count is not verified
        await submit(services, cid, survey_round, sheet(instrument, n % 5 + 1))
    with pytest.raises(ValidationError):
        (code,) = await surveys.make_codes(owner, cid, survey_round.id, 1)
    snapshot = surveys.snapshot(coach, cid, survey_round.id)
    assert snapshot.waiting_for_close and not snapshot.verified and snapshot.released == 0
    assert surveys.results(coach, cid, survey_round.id) is None
    await surveys.set_status(owner, cid, survey_round.id, 'closed')
    assert surveys.results(coach, cid, survey_round.id).count == 12
    few = await surveys.create(owner, cid, threshold=8, open_now=True, mode='open')
    for _ in range(7):
        await submit(services, cid, few, sheet(instrument))
    await surveys.set_status(owner, cid, few.id, 'closed')
    assert surveys.results(coach, cid, few.id) is None  # closed, but fewer than 8


async def test_withdrawals_are_rate_limited_like_submissions(world):
    services, owner, _, cid = world
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, threshold=3, open_now=True)
    instrument = surveys.instrument_of(survey_round)
    receipts = [await submit(services, cid, survey_round, sheet(instrument)) for _ in range(12)]
    for receipt in receipts[:10]:
        await surveys.withdraw(cid, survey_round.token, receipt, client='10.0.0.3', browser='one-browser')
    with pytest.raises(AuthError) as info:
        await surveys.withdraw(cid, survey_round.token, receipts[10], client='10.0.0.3', browser='one-browser')
    assert info.value.key == 'survey.error.too_many'
    assert surveys.count(cid, survey_round.id) == 2  # nothing was removed by the refused one
    for n in range(10):  # wrong codes: a few per address
        with pytest.raises(NotFound):
            await surveys.withdraw(cid, survey_round.token, f'AAAA-BBBB-CCC{n}', client='10.0.0.4')
    with pytest.raises(AuthError):
        await surveys.withdraw(cid, survey_round.token, receipts[11], client='10.0.0.4')


async def test_an_expired_ticket_is_refused(world):
    services, owner, _, cid = world
    now = [1_000_000.0]
    services.surveys._clock = lambda: now[0]
    survey_round = await services.surveys.create(owner, cid, open_now=True)
    (code,) = await services.surveys.make_codes(owner, cid, survey_round.id, 1)
    ticket = services.surveys.ticket(cid, survey_round.token)
    now[0] += 25 * 3600
    with pytest.raises(ValidationError) as info:
        await services.surveys.submit(
            cid, survey_round.token, ticket, sheet(services.surveys.instrument_of(survey_round)), code=code
        )
    assert info.value.key == 'survey.error.replayed'


async def test_time_and_order_a_byte_level_look_at_the_data_folder_after_a_burst(tmp_path):
    """What the operator sees in the data folder after 60 answers arrived at once: no time finer than the day, and
    nothing that gives the order in which they arrived (document ids, order in the file, backups, mtimes)."""
    import asyncio
    import re

    services = build_services(Settings(data_dir=tmp_path / 'data'))  # the default backup policy
    owner = await services.accounts.sign_up('Owner', 'owner@b.be', PASSWORD)
    cid = (await services.communities.create(owner.id, {'name': 'CoP'})).id
    surveys = services.surveys
    survey_round = await surveys.create(owner.id, cid, threshold=5, open_now=True)
    instrument = surveys.instrument_of(survey_round)
    text_item = next(i.id for i in instrument.items if i.type == 'text')
    codes = await surveys.make_codes(owner.id, cid, survey_round.id, 60)
    path = services.store.communities_dir / f'{cid}.json'
    before = read_whole(path)

    async def one(n: int) -> str:
        await asyncio.sleep(0.001 * (n % 7))
        answers = {**sheet(instrument, n % 5 + 1), text_item: f'lid nummer {n:02d}'}
        return await surveys.submit(
            cid, survey_round.token, surveys.ticket(cid, survey_round.token), answers, code=codes[n]
        )

    receipts = await asyncio.gather(*(one(n) for n in range(60)))
    assert len(set(receipts)) == 60
    services.store.flush_all()
    data = read_whole(path)  # the main file and the round's parts beside it
    # 1. nothing but the survey tables changed: no time was written anywhere else because answers came in
    changed = {name for name in data if data[name] != before.get(name)}
    assert changed <= {'survey_answers', 'survey_codes'}, changed
    survey_bytes = json.dumps({k: data[k] for k in ('survey_answers', 'survey_codes')})
    assert not re.search(r'\d{1,2}:\d{2}|T\d{2}|\d{4}-\d{2}-\d{2}', survey_bytes)  # no time, not even a day
    # 2. document ids are random, and the file is sorted by them: its order is not the arrival order
    ids = [int(k) for k in data['survey_answers']]
    assert ids == sorted(ids) and ids != list(range(ids[0], ids[0] + 60)) and max(ids) > 10**6
    arrival = [int(d['answers'][text_item].split()[-1]) for d in data['survey_answers'].values()]
    assert sorted(arrival) == list(range(60))
    n = len(arrival)
    rho = 1 - 6 * sum((i - a) ** 2 for i, a in enumerate(arrival)) / (n * (n * n - 1))
    assert abs(rho) < 0.5, rho  # no correlation between place in the file and arrival
    code_ids = [int(k) for k in data['survey_codes']]
    assert code_ids == sorted(code_ids) and max(code_ids) > 10**6  # used flags flip in a random-order table
    # 3. every file the application wrote, and every folder, carries the day only
    midnight = datetime.combine(datetime.now(UTC).date(), datetime.min.time(), tzinfo=UTC).timestamp()
    parts = path.with_suffix('')
    community_files = [path, path.parent, parts, *parts.iterdir(), *services.store.backups_dir.rglob(f'c-{cid}/*')]
    assert all(re.fullmatch(r'survey_(answers|codes)@[0-9a-f]+\.[0-9a-f]{12}\.json', p.name) for p in parts.iterdir())
    assert all(p.stat().st_mtime == midnight for p in community_files), [
        (p.name, p.stat().st_mtime) for p in community_files
    ]
    for backup in services.store.community_backups(cid):
        assert re.fullmatch(r'\d{4}-\d{2}-\d{2}-\d{6}\.json', backup.name)
        assert 'lid nummer' not in version_text(backup)  # one version a day at most: none from the burst


async def test_answers_of_an_earlier_version_are_migrated_to_snapshots(tmp_path):
    """A data folder written before personal links: its rounds become open-link rounds; answers that the
    coordinator could already see (a closed round at its threshold) stay released, the others wait for the
    open-link rule; and the minute-stamped backups of the time are renamed to the day."""
    services = build_services(Settings(data_dir=tmp_path / 'data'))
    owner = await services.accounts.sign_up('Owner', 'owner@b.be', PASSWORD)
    cid = (await services.communities.create(owner.id, {'name': 'CoP'})).id
    instrument = services.content.instruments.current('member_survey')
    first = instrument.scored_items[0].id
    path = services.store.communities_dir / f'{cid}.json'
    services.store.flush_all()
    data = json.loads(path.read_text())
    data['_meta']['1']['schema'] = 1
    base = {'instrument': 'member_survey', 'version': instrument.version, 'subject': '', 'created': '2026-01-05'}
    base |= {'title': '', 'closes': None, 'threshold': 5}
    data['survey_rounds'] = {
        '1': {**base, 'id': 'closedround', 'token': 'c' * 32, 'status': 'closed'},
        '2': {**base, 'id': 'openround', 'token': 'o' * 32, 'status': 'open'},
    }
    answers = {}
    for n in range(6):
        answers[str(10 + n)] = {'round': 'closedround', 'answers': {first: 4}, 'receipt': '0' * 64}
        answers[str(20 + n)] = {'round': 'openround', 'answers': {first: 2}, 'receipt': '0' * 64, 'day': '2026-01-05'}
    data['survey_answers'] = answers
    data.pop('survey_texts', None)
    path.write_text(json.dumps(data))
    legacy = services.store.backups_dir / f'c-{cid}' / '20260105T101112123456Z.json'
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_text(json.dumps(data))
    services = build_services(Settings(data_dir=tmp_path / 'data'))  # a restart on the new version
    surveys = services.surveys
    closed, still_open = surveys.round(owner.id, cid, 'closedround'), surveys.round(owner.id, cid, 'openround')
    assert closed.mode == still_open.mode == 'open'
    assert surveys.results(owner.id, cid, closed.id).count == 6  # already seen: still shown
    assert surveys.results(owner.id, cid, still_open.id) is None  # an open link: released once closed, with 8
    raw = read_whole(path)
    assert all('day' not in d for d in raw['survey_answers'].values())
    names = [b.name for b in services.store.community_backups(cid)]
    assert '20260105T101112123456Z.json' not in names and any(n.startswith('2026-01-05-') for n in names)


async def test_the_dossier_shows_the_released_snapshot_its_count_and_the_open_link_label(world):
    from core.dossier import collect, survey_view

    services, owner, _, cid = world
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, threshold=8, open_now=True, mode='open', title='Open link')
    instrument = surveys.instrument_of(survey_round)
    for n in range(9):
        await submit(services, cid, survey_round, sheet(instrument, n % 5 + 1))
    assert collect(services, owner, cid, 'nl').survey is None  # open: nothing released yet
    await surveys.set_status(owner, cid, survey_round.id, 'closed')
    t = Translator(services.content.ui, 'fr')
    view = survey_view(collect(services, owner, cid, 'fr'), t)
    assert view.count == t('survey.results.count_rate', count=9, expected=20, rate=t.percent(9 / 20))
    assert t('survey.unverified') in view.note  # "count not verified" travels to the sponsor too


def test_the_qr_card_sheet_has_one_card_per_link_in_three_languages():
    import io

    from pypdf import PdfReader

    from core.content import load_content
    from core.pdf.survey_cards import survey_cards_pdf

    links = [f'https://cop.example.be/s/0123456789abcdef/p/{n:02d}AbCdEfGhIjKlMnOpQrSt' for n in range(9)]
    pdf = PdfReader(
        io.BytesIO(survey_cards_pdf(links, catalog=load_content().ui, lang='fr', community='CoP', title=''))
    )
    text = ''.join(page.extract_text() for page in pdf.pages).replace('\n', '')
    assert len(pdf.pages) == 2  # eight cards to a page
    assert all(link.rsplit('/', 1)[1] in text for link in links)
    assert 'Jouw persoonlijke link' in text and 'Votre lien personnel' in text and 'Your personal link' in text


@pytest.mark.parametrize(
    'settings, field',
    [
        ({'title': {'a': 'dict'}}, 'title'),
        ({'title': ['a', 'list']}, 'title'),
        ({'threshold': float('inf')}, 'threshold'),
        ({'threshold': '<script>'}, 'threshold'),
        ({'threshold': None}, 'threshold'),
        ({'threshold': True}, 'threshold'),
        ({'threshold': 5.5}, 'threshold'),
    ],
)
async def test_round_settings_of_the_wrong_type_are_refused_and_nothing_stored(world, settings, field):
    services, owner, _, cid = world
    before = len(services.surveys.rounds(owner, cid))
    with pytest.raises(ValidationError) as info:
        await services.surveys.create(owner, cid, **settings)
    assert info.value.field == field
    assert len(services.surveys.rounds(owner, cid)) == before


async def test_a_round_title_loses_its_control_characters(world):
    services, owner, _, cid = world
    survey_round = await services.surveys.create(owner, cid, title='Na\x00jaar\x1b 2026\u202e', threshold='5')
    assert (survey_round.title, survey_round.threshold) == ('Najaar 2026', 5)
