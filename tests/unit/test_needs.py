"""The needs survey of prospective members: its instrument, its rounds on the survey engine (apart from the member
survey's), its threshold, its journey step, and its released results in the kick-off, the IT tools and the plan."""

from __future__ import annotations

import re

import pytest

from core.config import Settings
from core.errors import ValidationError
from core.i18n import LANGUAGES, Translator
from core.journey import STEPS
from core.needs import INSTRUMENT, TOOLS_ITEM, lines, moment_idea
from core.services import build_services

PASSWORD = 'a good long password'


@pytest.fixture
async def world(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    owner = await services.accounts.sign_up('Owner', 'owner@b.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP Aankoop', 'purpose': 'Samen leren'})
    return services, owner.id, community.id


async def answer(services, owner, cid, survey_round, answers):
    """One prospective member with a personal single-use link of their own."""
    code = None
    if survey_round.verified:
        (code,) = await services.surveys.make_codes(owner, cid, survey_round.id, 1)
    ticket = services.surveys.ticket(cid, survey_round.token)
    return await services.surveys.submit(cid, survey_round.token, ticket, answers, code=code)


def sheet(moment: str, tools: list[str], topics: list[str], time: str = 'one_to_two_hours') -> dict:
    return {
        'hope_to_get': ['experience', 'contacts'],
        'topic_kinds': topics,
        'time_per_month': time,
        'manager_support': 4,
        'formats': ['online', 'workshops'],
        'moments': [moment],
        'rhythm': 'every_two_months',
        TOOLS_ITEM: tools,
        'first_question': 'Hoe schrijven we een bestek voor cloudsoftware?',
    }


def test_instrument_has_eight_to_twelve_items_in_four_languages_each_with_a_source(world):
    services, _, _ = world
    instrument = services.content.instruments.current(INSTRUMENT)
    assert instrument.kind == 'survey'
    assert 8 <= len(instrument.items) <= 12
    assert all(item.source for item in instrument.items)
    assert set(instrument.title) == set(LANGUAGES)
    assert instrument.title['nl'] == 'Behoeftepeiling' and instrument.title['de'] == 'Bedarfsumfrage'
    tool_ids = {tool.id for tool in services.content.ittools.tools}
    options = {o.id for o in instrument.item(TOOLS_ITEM).options} - {'other_tool'}
    assert options <= tool_ids, options - tool_ids  # the answers name tools the comparison knows


async def test_needs_rounds_are_apart_from_member_survey_rounds_and_keep_the_threshold(world):
    services, owner, cid = world
    surveys, needs = services.surveys, services.needs
    member = await surveys.create(owner, cid, open_now=True)
    needs_round = await surveys.create(owner, cid, instrument=INSTRUMENT, threshold=3, open_now=True)
    assert [r.id for r in surveys.rounds(owner, cid)] == [member.id]  # old callers see the member survey only
    assert [r.id for r in needs.rounds(owner, cid)] == [needs_round.id]
    assert needs_round.instrument == INSTRUMENT and needs_round.verified
    await answer(services, owner, cid, needs_round, sheet('lunch', ['teams', 'webex'], ['rules', 'daily_cases']))
    await answer(services, owner, cid, needs_round, sheet('lunch', ['teams'], ['rules']))
    assert needs.latest(owner, cid) is None  # two answers, threshold 3: nothing shown, nothing used
    assert needs.tools_in_use(owner, cid) == []
    await answer(services, owner, cid, needs_round, sheet('morning', ['teams', 'other_tool'], ['rules', 'innovation']))
    summary = needs.latest(owner, cid)
    assert summary is not None and summary.count == 3 and summary.round.id == needs_round.id
    assert [c.option for c in summary.top('topic_kinds', 1)] == ['rules']
    assert [(c.option, c.count) for c in summary.top('moments', 1)] == [('lunch', 2)]
    assert summary.tools() == [('teams', 3), ('webex', 1)]  # "another tool" is no tool of the catalogue
    # a member-survey sheet does not fit the needs survey: it is refused, not stored
    ticket = surveys.ticket(cid, needs_round.token)
    (code,) = await surveys.make_codes(owner, cid, needs_round.id, 1)
    with pytest.raises(ValidationError):
        await surveys.submit(cid, needs_round.token, ticket, {'satisfaction_overall': 4}, code=code)
    assert surveys.count(cid, needs_round.id) == 3


async def test_only_a_released_snapshot_is_used_never_newer_answers(world):
    services, owner, cid = world
    needs_round = await services.surveys.create(owner, cid, instrument=INSTRUMENT, threshold=3, open_now=True)
    for _ in range(3):
        await answer(services, owner, cid, needs_round, sheet('afternoon', ['zoom'], ['skills']))
    for _ in range(2):  # fewer than the step: they stay out of the snapshot
        await answer(services, owner, cid, needs_round, sheet('end_of_day', ['jitsi'], ['cooperation']))
    summary = services.needs.latest(owner, cid)
    assert summary.count == 3
    assert summary.tools() == [('zoom', 3)]
    assert [c.option for c in summary.top('moments')] == ['afternoon']


async def test_results_read_as_lines_for_the_kickoff_and_an_idea_for_the_plan(world):
    services, owner, cid = world
    needs_round = await services.surveys.create(owner, cid, instrument=INSTRUMENT, threshold=3, open_now=True)
    for moment in ('lunch', 'lunch', 'morning', 'lunch'):
        await answer(services, owner, cid, needs_round, sheet(moment, ['teams'], ['rules']))
    summary = services.needs.latest(owner, cid)
    assert summary.count == 3  # the fourth answer waits for the next step of the snapshot
    t = Translator(services.content.ui, 'de')
    shown = dict(lines(summary, t))
    assert (
        shown['Welche Zeitpunkte passen Ihnen am besten?']
        == 'In der Mittagszeit (67\u00a0%) · Am Vormittag (33\u00a0%)'
    )
    assert (
        'Vorschriften und Verfahren und ihre Anwendung (100'
        in shown['Welche Arten von Themen sind Ihnen am wichtigsten?']
    )
    idea = moment_idea(summary, services.content.ui)
    assert set(idea) == set(LANGUAGES)
    assert 'Over de middag' in idea['nl'] and 'Sur le temps de midi' in idea['fr']
    sent = await services.suggestions.send(owner, cid, 'needs', needs_round.id, 'ways', idea)
    assert sent.source == 'needs' and services.suggestions.waiting(owner, cid)[0].text['de'] == idea['de']


async def test_journey_step_is_done_once_a_needs_round_is_open_and_old_skip_lists_still_read(world):
    services, owner, cid = world
    journey = services.journey
    assert STEPS.index('profile') < STEPS.index('needs') < STEPS.index('kickoff')
    steps = {s.key: s for s in journey.progress(owner, cid)}
    assert not steps['needs'].done
    # a skip list stored before the step existed (and with the old name of the plan's step) reads as before
    db = services.communities.store.community(cid)
    db.table('wizard').insert({'skipped': ['profile', 'kompas', 'survey', 'ittools', 'kickoff', 'actionplan']})
    await db.commit()
    assert journey.current(owner, cid) == 'needs'
    draft = await services.surveys.create(owner, cid, instrument=INSTRUMENT)
    assert not {s.key: s for s in journey.progress(owner, cid)}['needs'].done  # a draft is not asked yet
    await services.surveys.set_status(owner, cid, draft.id, 'open')
    steps = {s.key: s for s in journey.progress(owner, cid)}
    assert steps['needs'].done and not steps['survey'].done  # a needs round is no member survey
    assert journey.summary(owner, cid)['needs'] == {'count': 1}


async def test_invitation_by_mail_speaks_to_prospective_members(world):
    services, owner, cid = world
    needs_round = await services.surveys.create(owner, cid, instrument=INSTRUMENT)
    member_round = await services.surveys.create(owner, cid)
    invitations = services.survey_invitations
    assert 'wir gründen eine Community CoP Aankoop' in invitations.default_text(cid, needs_round.id, 'de')
    assert 'etwa 4 Minuten' in invitations.default_text(cid, needs_round.id, 'de')
    assert 'Hoe ervaar jij onze community' in invitations.default_text(cid, member_round.id, 'nl')


def test_every_member_worded_string_has_the_needs_surveys_own_wording():
    """A string of the member survey that speaks of members reads, on a needs round's pages, as written for
    prospective members: its needs.* variant exists in every language, with the same placeholders."""
    from core.content import load_content
    from core.needs import WORDED, worded

    catalog = load_content().ui
    for key in WORDED:
        own = worded(key, INSTRUMENT)
        assert own != key and own.startswith('needs.') and worded(key, 'member_survey') == key
        assert own in catalog.entries, own
        for lang in LANGUAGES:
            mine, theirs = catalog.entries[own][lang], catalog.entries[key][lang]
            assert set(re.findall(r'{(\w+)}', mine)) == set(re.findall(r'{(\w+)}', theirs)), (own, lang)
            if key != 'survey.title':
                assert not re.search(r'\b(elk lid|each member|chaque membre|jedes Mitglied)\b', mine, re.I), own
    assert worded('respond.used', INSTRUMENT) == 'respond.used'  # a string that names nobody stays shared


async def test_the_dossiers_kickoff_section_shows_the_needs_results_in_its_language(world):
    """The sponsor's dossier shows under the kick-off agenda what the prospective members said, as the script does;
    without a released snapshot it shows the agenda alone."""
    import io

    from pypdf import PdfReader

    from core.dossier import collect
    from core.pdf.dossier import build_dossier

    services, owner, cid = world
    template = services.content.kickoff.templates[0].id
    await services.kickoff.create(owner, cid, title='Kick-off', lang='fr', template_id=template)
    assert collect(services, owner, cid, 'fr').kickoff['needs'] is None
    needs_round = await services.surveys.create(owner, cid, instrument=INSTRUMENT, threshold=3, open_now=True)
    for moment in ('lunch', 'lunch', 'morning'):
        await answer(services, owner, cid, needs_round, sheet(moment, ['teams'], ['rules']))
    t = Translator(services.content.ui, 'fr')
    data = collect(services, owner, cid, 'fr')
    assert data.kickoff['needs']['heading'] == t('needs.result.from', count=3)
    pdf = build_dossier(data, t, ['kickoff'])
    text = ' '.join(' '.join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.pdf)).pages)
    assert pdf.failed == [] and 'Résultats du sondage des besoins' in text and 'Sur le temps de midi (67' in text


async def test_three_topics_at_most_on_v2_while_a_v1_round_keeps_its_wording_and_its_rules(world):
    """The topic question says "choose three at most": v2 keeps it, for a hostile submission too. A round opened on
    v1 (before the limit and the rewording of `can_share`) still takes four topics and shows v1's words."""
    services, owner, cid = world
    surveys = services.surveys
    four = ['daily_cases', 'rules', 'skills', 'innovation']
    current = await surveys.create(owner, cid, threshold=3, instrument=INSTRUMENT, open_now=True)
    instrument = surveys.instrument_of(current)
    assert instrument.version == 2 and instrument.item('topic_kinds').max_choices == 3
    assert instrument.item('can_share').statement['nl'] == 'Wat zou je zelf in de community kunnen delen?'
    with pytest.raises(ValidationError) as refused:
        await answer(services, owner, cid, current, sheet('lunch', ['teams'], four))
    assert refused.value.key == 'questionnaire.error.too_many_choices'
    assert (
        Translator(services.content.ui, 'nl')(refused.value.key, **refused.value.params)
        == 'Je kunt hoogstens 3 antwoorden kiezen.'
    )
    await answer(services, owner, cid, current, sheet('lunch', ['teams'], four[:3]))

    old_round = await surveys.create(owner, cid, threshold=3, instrument=INSTRUMENT, open_now=True)
    community = services.store.community(cid)
    community.table('survey_rounds').update({'version': 1}, lambda doc: doc.get('id') == old_round.id)
    await community.commit()
    old_round = surveys.round(owner, cid, old_round.id)
    old = surveys.instrument_of(old_round)
    assert old.version == 1 and old.item('topic_kinds').max_choices is None
    assert old.item('can_share').statement['nl'] == 'Wat zou je kunnen delen met de andere leden?'
    for _ in range(3):
        await answer(services, owner, cid, old_round, sheet('lunch', ['teams'], four))
    await surveys.set_status(owner, cid, old_round.id, 'closed')
    results = surveys.results(owner, cid, old_round.id)
    assert results.item('can_share').item.statement['nl'] == 'Wat zou je kunnen delen met de andere leden?'
