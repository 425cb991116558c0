"""Action plan, guide answers, the onboarding journey and the dossier PDF, at the core level."""

from __future__ import annotations

import asyncio
import io
import json
from dataclasses import replace

import pytest
from pypdf import PdfReader

from core.config import Settings
from core.dossier import SECTIONS, collect
from core.errors import NotFound, PermissionDenied, ValidationError
from core.i18n import Translator
from core.journey import next_after
from core.pdf.dossier import dossier_pdf
from core.plan import SORTS, Action, effective_plan, filter_and_sort
from core.services import build_services

PASSWORD = 'a good long password'


@pytest.fixture
async def world(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    owner = await services.accounts.sign_up('Ægir Łukasz Σοφία Жанна', 'owner@b.be', PASSWORD)
    coach = await services.accounts.sign_up('Coach', 'coach@b.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP <b>Test</b> & co'})
    token, _ = await services.communities.invite(owner.id, community.id, 'coach')
    await services.communities.accept(coach.id, token)
    return services, owner.id, coach.id, community.id


def text(pdf: bytes) -> str:
    return '\n'.join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


async def test_actions_validate_filter_sort_and_undo(world):
    services, owner, coach, cid = world
    plan = services.plan
    with pytest.raises(ValidationError) as info:
        await plan.add(owner, cid, {'title': ''})
    assert info.value.field == 'title'
    for bad in (
        {'title': 'x', 'status': 'maybe'},
        {'title': 'x', 'horizon': '45'},
        {'title': 'x', 'due': '31/12'},
        {'title': 'x' * 201},
        {'title': 'x', 'due': '1800-01-01'},
    ):
        with pytest.raises(ValidationError):
            await plan.add(owner, cid, bad)
    with pytest.raises(PermissionDenied):
        await plan.add(coach, cid, {'title': 'Coach may not'})
    a = await plan.add(owner, cid, {'title': 'Bravo', 'owner': 'Jan', 'due': '2027-03-01', 'status': 'doing'})
    b = await plan.add(owner, cid, {'title': 'alpha', 'owner': 'an', 'horizon': '30'})
    c = await plan.add(owner, cid, {'title': 'Charlie', 'owner': 'Jan', 'status': 'done'})
    actions = plan.actions(coach, cid)
    assert [x.title for x in filter_and_sort(actions, sort='title')] == ['alpha', 'Bravo', 'Charlie']
    assert [x.title for x in filter_and_sort(actions, owner='JAN', sort='status')] == ['Bravo', 'Charlie']
    assert [x.title for x in filter_and_sort(actions, horizon='30')] == ['alpha']
    assert filter_and_sort(actions, sort='due')[-1].title == 'Charlie'  # no date, no horizon: last
    await plan.update(owner, cid, b.id, {'status': 'done'})
    assert plan.action(owner, cid, b.id).status == 'done'
    removed = await plan.remove(owner, cid, a.id)
    assert {x.id for x in plan.actions(owner, cid)} == {b.id, c.id}
    await plan.restore(owner, cid, removed)  # undo
    assert plan.action(owner, cid, a.id).title == 'Bravo'
    with pytest.raises(NotFound):
        await plan.update(owner, cid, 'forged', {'title': 'x'})


async def test_suggestions_accepted_in_the_users_language_or_discarded_with_undo(world):
    services, owner, coach, cid = world
    text_ = {'nl': 'Doe iets', 'fr': 'Faites quelque chose', 'en': 'Do something'}
    one = await services.suggestions.send(owner, cid, 'kompas', 'r1', 'domain', text_)
    two = await services.suggestions.send(owner, cid, 'survey', 'r2', 'value', {**text_, 'en': 'Other'})
    assert len(services.plan.inbox(coach, cid)) == 2
    action = await services.plan.accept(owner, cid, one.id, 'fr', {'owner': 'Léa'})
    assert (action.title, action.source, action.dimension, action.owner) == (
        'Faites quelque chose',
        'kompas',
        'domain',
        'Léa',
    )
    with pytest.raises(NotFound):
        await services.plan.accept(owner, cid, one.id, 'fr')  # once only
    await services.plan.discard(owner, cid, two.id)
    assert services.plan.inbox(owner, cid) == []
    await services.plan.discard(owner, cid, two.id, undo=True)
    assert [s.id for s in services.plan.inbox(owner, cid)] == [two.id]


async def test_a_double_click_on_accept_makes_one_action(world):
    services, owner, _, cid = world
    one = await services.suggestions.send(
        owner, cid, 'kompas', 'r1', 'domain', {'nl': 'Doe iets', 'fr': 'Faites quelque chose', 'en': 'Do something'}
    )
    outcomes = await asyncio.gather(
        services.plan.accept(owner, cid, one.id, 'nl'),
        services.plan.accept(owner, cid, one.id, 'nl'),
        return_exceptions=True,
    )
    assert sorted(type(o).__name__ for o in outcomes) == ['Action', 'NotFound']
    assert [a.title for a in services.plan.actions(owner, cid)] == ['Doe iets']
    assert services.plan.inbox(owner, cid) == []
    assert [s.status for s in services.suggestions.list(owner, cid)] == ['accepted']


async def test_accepting_with_bad_fields_changes_nothing(world):
    services, owner, coach, cid = world
    one = await services.suggestions.send(
        owner, cid, 'kompas', 'r1', 'domain', {'nl': 'Doe iets', 'fr': 'Faites quelque chose', 'en': 'Do something'}
    )
    with pytest.raises(ValidationError):
        await services.plan.accept(owner, cid, one.id, 'nl', {'due': 'someday'})
    with pytest.raises(PermissionDenied):
        await services.plan.accept(coach, cid, one.id, 'nl')
    assert [s.id for s in services.suggestions.waiting(owner, cid)] == [one.id]
    assert services.plan.actions(owner, cid) == []


async def test_import_refuses_actions_with_dates_that_are_not_days(world):
    services, owner, _, cid = world
    await services.plan.add(owner, cid, {'title': 'Met termijn', 'horizon': '30'})
    document = json.loads(services.communities.export(owner, cid))
    before = sorted(p.name for p in services.store.communities_dir.iterdir())
    for name in ('created', 'updated'):
        bad = json.loads(json.dumps(document))
        bad['tables']['actions'][0][name] = 'not-a-date'
        with pytest.raises(ValidationError) as info:
            await services.communities.import_(owner, json.dumps(bad).encode())
        assert info.value.key == 'import.error.format' and info.value.params['name'] == name
    assert sorted(p.name for p in services.store.communities_dir.iterdir()) == before
    copy = await services.communities.import_(owner, json.dumps(document).encode())
    assert [a.title for a in filter_and_sort(services.plan.actions(owner, copy.id))] == ['Met termijn']


async def test_undo_of_a_delete_respects_the_action_limit(world, monkeypatch):
    services, owner, _, cid = world
    plan = services.plan
    first = await plan.add(owner, cid, {'title': 'Eén'})
    removed = await plan.remove(owner, cid, first.id)
    monkeypatch.setattr('core.plan.MAX_ACTIONS', 1)
    await plan.add(owner, cid, {'title': 'Twee'})
    with pytest.raises(ValidationError) as info:
        await plan.restore(owner, cid, removed)
    assert info.value.key == 'plan.error.too_many'


def test_effective_plan_fills_purpose_and_digital_space_and_sorts_are_listed():
    from core.communities import Community
    from core.plan import PlanFields

    community = Community('c', 'CoP', 'Samen leren', 'potential', '', None, 'nl', '', '')
    decision = {'tool_name': {'nl': 'Teams (NL)', 'fr': 'Teams (FR)', 'en': 'Teams (EN)'}}
    filled = effective_plan(PlanFields(), community, decision)
    assert (filled.purpose, filled.digital_space['fr'], filled.digital_space_decided) == (
        'Samen leren',
        'Teams (FR)',
        True,
    )
    own = effective_plan(PlanFields(purpose='Eigen doel', digital_space='Slack'), community, decision)
    assert (own.purpose, own.digital_space, own.digital_space_decided) == (
        'Eigen doel',
        {'nl': 'Slack', 'fr': 'Slack', 'en': 'Slack', 'de': 'Slack'},
        False,
    )
    assert effective_plan(PlanFields(), community, None).digital_space == {'nl': '', 'fr': '', 'en': '', 'de': ''}
    assert SORTS[0] == 'due' and set(SORTS) == {'due', 'status', 'owner', 'title'}


async def test_plan_fields_and_guide_answers(world):
    services, owner, coach, cid = world
    with pytest.raises(ValidationError) as info:
        await services.plan.save_plan(owner, cid, {'rhythm': 'x' * 501})
    assert info.value.field == 'rhythm'
    fields = await services.plan.save_plan(owner, cid, {'purpose': 'Doel', 'next_review': '2027-05-01'})
    assert fields.next_review == '2027-05-01'
    question = services.content.guide.phases[0].questions[0].id
    await services.guide.save(owner, cid, question, 'Ons antwoord')
    assert services.guide.answers(coach, cid)[question].text == 'Ons antwoord'
    with pytest.raises(PermissionDenied):
        await services.guide.save(coach, cid, question, 'no')
    with pytest.raises(ValidationError):
        await services.guide.save(owner, cid, 'no_such_question', 'x')
    await services.guide.save(owner, cid, question, '   ')  # empty removes it
    assert services.guide.answers(owner, cid) == {}


async def test_journey_reads_progress_from_the_tools_and_remembers_skips(world):
    services, owner, coach, cid = world
    journey = services.journey
    assert [s.done for s in journey.progress(owner, cid)] == [False] * 8
    assert journey.current(owner, cid) == 'basics'
    community = services.communities.get(owner, cid)[0]
    await services.communities.update(owner, cid, {'name': community.name, 'purpose': 'Samen leren'})
    assert journey.current(owner, cid) == 'profile'
    await journey.skip(owner, cid, 'profile')
    await journey.skip(owner, cid, 'kompas')
    assert journey.current(owner, cid) == 'survey'
    await journey.skip(owner, cid, 'kompas', skipped=False)
    assert journey.current(owner, cid) == 'kompas'
    first = await services.plan.add(owner, cid, {'title': 'Eerste actie'})
    assert not journey.progress(owner, cid)[-1].done  # an idea without owner and date is a wish, not a plan
    await services.plan.update(owner, cid, first.id, {'owner': 'Lien', 'due': '2027-03-01'})
    steps = {s.key: s for s in journey.progress(owner, cid)}
    assert steps['plan'].done and steps['profile'].skipped and not steps['kompas'].skipped
    assert next_after(journey.progress(owner, cid), 'kompas') == 'survey'
    assert next_after(journey.progress(owner, cid), 'kickoff') == 'kompas'  # the open ones before, once past the end
    with pytest.raises(PermissionDenied):
        await journey.skip(coach, cid, 'survey')
    with pytest.raises(ValidationError):
        await journey.skip(owner, cid, 'nowhere')


async def test_an_empty_community_gives_a_short_valid_dossier_saying_what_is_missing(world):
    services, owner, _, cid = world
    t = Translator(services.content.ui, 'nl')
    pdf = dossier_pdf(collect(services, owner, cid, 'nl'), t, SECTIONS, invariant=True)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) <= 4
    body = text(pdf)
    for key in ('kompas', 'survey', 'ittools', 'kickoff', 'plan', 'guide', 'profile'):
        assert t(f'dossier.missing.{key}') in body, key
    assert reader.metadata['/Title'] == 'Dossier CoP <b>Test</b> & co'
    assert reader.trailer['/Root']['/Lang'] == 'nl-BE'


async def test_dossier_survives_huge_texts_many_actions_markup_and_emoji(world):
    services, owner, _, cid = world
    nasty = '<b>vet</b> <script>alert(1)</script> & <img src=/etc/passwd> 😀 Łódź Ελλάδα Київ'
    await services.plan.save_plan(owner, cid, {'core_group': nasty, 'rhythm': 'x' * 500, 'purpose': 'Woord' * 100})
    for n in range(200):
        await services.plan.add(
            owner,
            cid,
            {
                'title': f'{nasty[:150]} {n}',
                'owner': 'Σοφία',
                'description': ('lang ' * 400)[:2000],
                'indicator': nasty,
                'horizon': '90',
            },
        )
    question = services.content.guide.phases[0].questions[0].id
    await services.guide.save(owner, cid, question, ('Een heel lang antwoord ' * 500)[:9900] + nasty)  # 10,000
    for lang in ('nl', 'fr', 'en'):
        t = Translator(services.content.ui, lang)
        pdf = dossier_pdf(collect(services, owner, cid, lang), t, SECTIONS)
        reader = PdfReader(io.BytesIO(pdf))
        body = text(pdf)
        assert len(reader.pages) > 20
        assert '<script>alert(1)</script>' in body and '<img src=/etc/passwd>' in body
        assert 'Łódź Ελλάδα Київ' in body and 'Ægir Łukasz Σοφία Жанна' in (reader.metadata['/Author'] or '')
        for section in SECTIONS:
            assert t(f'dossier.section.{section}') in body
        assert t('dossier.contents') in body
        assert reader.trailer['/Root']['/Lang'] == {'nl': 'nl-BE', 'fr': 'fr-BE', 'en': 'en-GB'}[lang]


async def test_dossier_with_chosen_sections_only(world):
    services, owner, _, cid = world
    t = Translator(services.content.ui, 'en')
    pdf = dossier_pdf(collect(services, owner, cid, 'en'), t, ['plan'])
    body = text(pdf)
    assert t('dossier.section.plan') in body and t('dossier.section.kompas') not in body


def test_action_dataclass_round_trip():
    action = Action(id='a', title='T', due='2027-01-01')
    assert replace(action, title='U').title == 'U'


def test_a_target_day_is_a_real_date_and_the_hint_is_counted_from_today():
    from datetime import date as day

    from core.plan import day_in, days_until, target_day

    today = day(2026, 12, 2)
    dated = Action(id='a', title='Kerngroep', due='2027-01-01', created='2026-12-01')
    within = Action(id='b', title='Leeragenda', horizon='30', created='2026-11-20')
    assert target_day(dated) == '2027-01-01' and days_until('2027-01-01', today) == 30
    assert target_day(within) == '2026-12-20'  # the horizon counts from the day the action was made
    assert days_until('2026-11-30', today) == -2 and days_until(None, today) is None
    assert days_until('not a day', today) is None
    assert day_in(30, today) == '2027-01-01' and days_until(day_in(90, today), today) == 90  # the quick choices
    assert target_day(Action(id='c', title='Zonder termijn')) is None


async def test_a_guide_answer_that_is_not_text_is_refused_and_the_old_one_kept(world):
    services, owner, _, cid = world
    question = services.content.guide.phases[0].questions[0].id
    await services.guide.save(owner, cid, question, 'Ons\x00 antwoord\x1b')
    for value in ({'a': 'dict'}, ['a', 'list'], 12345):
        with pytest.raises(ValidationError) as info:
            await services.guide.save(owner, cid, question, value)
        assert info.value.key == 'error.invalid'
    assert services.guide.answers(owner, cid)[question].text == 'Ons antwoord'


def test_a_forged_horizon_filter_is_ignored_not_a_crash():
    action = Action(id='a1', title='Iets', horizon='30')
    assert filter_and_sort([action], horizon='ffffffffffffffff') == [action]
