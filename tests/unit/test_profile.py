"""Profiles, checklists and survey rounds across instrument versions: a sheet started on a version that has since been
archived is shown, answered and scored on its own version, with its own wording, never on the current one. These use
the real archive: profile, facilitation checklist and member survey v1 were replaced by v2 when double-barrelled items
were split (issue 15), so v1 ids such as `facilitator_outcomes` exist only in v1 and v2 ids only in v2."""

from __future__ import annotations

import json

import pytest

from core import sheets
from core.config import Settings
from core.content import load_content
from core.errors import ValidationError
from core.i18n import Translator
from core.questionnaire import CONTENT_LANGUAGES, NA, fingerprint, score, strengths_and_improvements
from core.services import build_services

PASSWORD = 'a good long password'
NEW_WORDING = {'nl': 'Nieuwe formulering', 'fr': 'Nouvelle formulation', 'en': 'New wording', 'de': 'Neue Fassung'}
NEW_ITEM = 'new_in_next_version'


def bump_to_v2(raw: dict) -> dict:
    """The next version of an instrument (for page tests that publish one at run time): its first statement
    reworded, a question added to its first dimension."""
    raw = json.loads(json.dumps(raw))
    raw['version'] += 1
    items = raw['dimensions'][0]['items']
    items[0]['statement'] = NEW_WORDING
    items.append(
        {'id': NEW_ITEM, 'statement': NEW_WORDING, 'suggestion': NEW_WORDING, 'source': 'test'}
        if raw['kind'] == 'profile'
        else {'id': NEW_ITEM, 'statement': NEW_WORDING, 'source': 'test'}
    )
    return raw


@pytest.fixture
async def world(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    owner = await services.accounts.sign_up('Owner', 'owner@b.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP'})
    return services, owner.id, community.id


# the same question in other words, so its id stays: the needs survey's v1 asked prospective members what they could
# share "with the other members", which they are not yet; v2 asks what they could share "in the community"
REWORDED = {('needs_survey', 'can_share'): ('Wat zou je kunnen delen met de andere leden?', 'in de community')}


def test_every_split_item_has_new_ids_and_no_old_id_is_reused():
    """Stored answers reference item ids: an id of an archived version that the current version still has must
    carry the same question (same statement in Dutch, apart from spelling fixes, or one reviewed rewording), never a
    different one."""
    instruments = load_content().instruments
    for instrument_id in instruments.ids():
        current = instruments.current(instrument_id)
        for version in range(1, current.version):
            old = instruments.get(instrument_id, version)
            for item in old.items:
                now = current.item(item.id)
                if (instrument_id, item.id) in REWORDED:
                    was, now_says = REWORDED[instrument_id, item.id]
                    assert item.statement['nl'] == was and now_says in now.statement['nl']
                    assert [o.id for o in item.options] == [o.id for o in now.options]
                elif now is not None:
                    spelled = item.statement['nl'].replace(' hou ', ' houd ')
                    assert now.statement['en'] == item.statement['en'] or now.statement['nl'] == spelled, item.id
    profile = instruments.current('profile')
    assert profile.item('facilitator_outcomes') is None and profile.item('facilitator_time') is not None
    assert instruments.get('profile', 1).item('facilitator_time') is None


async def test_a_profile_on_the_archived_v1_is_answered_and_shown_with_its_own_wording(world):
    services, me, _ = world
    profiles = services.profiles
    old = services.content.instruments.get('profile', 1)
    assert profiles.instrument.version == 2 and old.languages == CONTENT_LANGUAGES  # German written for it later
    sheet = sheets.new_sheet(profiles._table, old, owner=me, shared=[])  # started before version 2 came out
    assert profiles.open_profile(me).id == sheet.id and profiles.instrument_of(sheet) is old
    with pytest.raises(ValidationError) as info:
        await profiles.answer(me, sheet.id, 'facilitator_time', 4, version=1)  # only in version 2
    assert info.value.key == 'questionnaire.error.unknown_item'
    with pytest.raises(ValidationError) as info:
        await profiles.answer(me, sheet.id, 'facilitator_outcomes', 4, version=2)  # a page showing version 2
    assert info.value.key == 'questionnaire.error.version'
    with pytest.raises(ValidationError):
        await profiles.answer(me, sheet.id, 'facilitator_outcomes', NA, version=1)  # v1 had no "not applicable"
    await profiles.answer(me, sheet.id, 'facilitator_outcomes', 4, version=1)
    await profiles.finish(me, sheet.id)
    outcome = profiles.result(me, sheet.id)
    assert outcome.instrument is old
    assert [f.item.statement['nl'] for f in outcome.strengths] == [
        'Ik bewaak de tijd, ga rustig om met spanningen en sluit af met duidelijke conclusies en volgende stappen.'
    ]
    t = Translator(services.content.ui, 'de')  # German came later, with a wording of its own for the old statement
    assert t.pick(outcome.strengths[0].item.statement).startswith('Ich ')
    assert (await profiles.start(me)).version == 2  # a new profile takes the current version


async def test_not_applicable_in_the_profile_counts_in_no_score_and_is_listed_as_such(world):
    services, me, _ = world
    profiles = services.profiles
    sheet = await profiles.start(me)
    instrument = profiles.instrument
    first, second, third = instrument.dimensions[0].items[:3]
    await profiles.answer(me, sheet.id, first.id, NA, version=instrument.version)
    await profiles.answer(me, sheet.id, second.id, 1, version=instrument.version)
    await profiles.answer(me, sheet.id, third.id, 3, version=instrument.version)
    outcome = profiles.result(me, sheet.id)
    dimension = outcome.result.dimension(instrument.dimensions[0].id)
    assert dimension.mean == 2.0 and dimension.not_applicable == 1 and dimension.answered == 2
    assert [i.id for i in outcome.not_applicable] == [first.id]
    assert first.id not in {f.item.id for f in outcome.strengths + outcome.improvements}
    strengths, improvements = strengths_and_improvements(instrument, {first.id: NA})
    assert strengths == improvements == []
    assert score(instrument, {first.id: NA}).dimension(instrument.dimensions[0].id).mean is None


async def test_a_checklist_on_the_archived_v1_is_answered_on_that_version(world):
    services, me, cid = world
    facilitation = services.facilitation
    session = await facilitation.record(me, cid, name='Intervisie', day='2026-01-05')
    assert session.sheet.version == 2
    old = services.content.instruments.get('animation', 1)
    sheet = sheets.new_sheet(
        facilitation._table(cid), old, by=me, name='Oud', day='2026-01-04', method='', participants=None
    )
    assert facilitation.instrument_of(sheet) is old and facilitation.instrument_of(session.sheet).version == 2
    with pytest.raises(ValidationError):
        await facilitation.answer(me, cid, sheet.id, 'outcomes_summary', 3, 1)  # a v2 statement
    await facilitation.answer(me, cid, sheet.id, 'outcomes_closing', 3, 1)
    outcome = facilitation.outcome(me, cid, sheet.id)
    assert outcome.instrument is old and outcome.instrument.item('outcomes_closing').statement['nl'].startswith(
        'De afsluiting was duidelijk'
    )


async def test_a_v1_member_survey_round_keeps_its_own_questions_and_wording(world):
    """A round opened before the bump collects and shows v1's questions; a new round asks v2's."""
    services, me, cid = world
    surveys = services.surveys
    survey_round = await surveys.create(me, cid, threshold=8, open_now=True, mode='open')
    table = services.store.community(cid).table('survey_rounds')
    table.update({'version': 1}, lambda doc: doc.get('id') == survey_round.id)  # as stored before the bump
    await services.store.community(cid).commit()
    survey_round = surveys.round(me, cid, survey_round.id)
    old = surveys.instrument_of(survey_round)
    assert old.version == 1 and old.item('satisfaction_activity_format') and not old.item('satisfaction_overall')
    answers = {i.id: 4 for i in old.items if i.type == 'scale'}
    for _ in range(8):
        await surveys.submit(cid, survey_round.token, surveys.ticket(cid, survey_round.token), dict(answers))
    with pytest.raises(ValidationError):  # a v2 question in a v1 round
        await surveys.submit(
            cid, survey_round.token, surveys.ticket(cid, survey_round.token), {'satisfaction_overall': 4}
        )
    await surveys.set_status(me, cid, survey_round.id, 'closed')
    results = surveys.results(me, cid, survey_round.id)
    assert [r.item.id for r in results.items] == [i.id for i in old.items]
    format_item = results.item('satisfaction_activity_format')
    assert format_item.mean == 4 and format_item.item.statement['nl'].startswith('De vorm van de activiteiten')
    new_round = await surveys.create(me, cid, threshold=3, open_now=True)
    current = surveys.instrument_of(new_round)
    assert current.version == 2 and current.item('satisfaction_overall')
    assert not current.item('satisfaction_activity_format')


def test_the_member_survey_covers_the_five_capitals_and_overall_satisfaction():
    survey = load_content().instruments.current('member_survey')
    potential = ' '.join(i.source for i in survey.items if i.cycle == 'potential')
    for capital in ('human', 'social', 'tangible', 'reputational', 'learning'):
        assert f'{capital} capital' in potential, capital
    overall = survey.item('satisfaction_overall')
    assert overall is not None and overall.type == 'scale' and overall.dimension == 'satisfaction'


def test_french_and_english_anchors_are_as_strong_as_the_dutch():
    """Answers in all languages are pooled: 'Plutôt d'accord' (rather agree) is weaker than 'Akkoord' (agree)."""
    labels = {v.value: v.label for v in load_content().instruments.current('member_survey').scale.values}
    assert labels[4] == {'nl': 'Akkoord', 'fr': "D'accord", 'en': 'Agree', 'de': 'Stimme zu'}
    assert labels[2]['fr'] == "Pas d'accord" and 'plutôt' not in json.dumps(labels, ensure_ascii=False).lower()


def test_an_archived_version_keeps_its_fingerprint():
    """Archived files are never edited: their recorded fingerprint still matches (start-up checks it too)."""
    from core.yamlcheck import CONTENT_DIR, read_yaml

    recorded = json.loads((CONTENT_DIR / 'instruments' / 'versions.json').read_text())
    for path in sorted((CONTENT_DIR / 'instruments' / 'archive').glob('*.yaml')):
        raw = read_yaml(path)
        assert recorded[raw['id']][str(raw['version'])] == fingerprint(raw), path.name


def test_every_archived_version_reads_in_every_language_without_its_file_being_edited(tmp_path):
    """German came after these versions were answered: each archived text has a German wording, taken from the same
    text in a current version or from archive/translations/de.yaml, and no entry there is left unused. The archived
    files themselves keep no German (their fingerprints are checked above)."""
    import shutil

    from core.questionnaire import ARCHIVE_TRANSLATIONS, _texts, load_instruments
    from core.yamlcheck import CONTENT_DIR, ContentError, read_yaml

    instruments = load_content().instruments
    archived = [instruments.get(i, v) for i in instruments.ids() for v in range(1, instruments.current(i).version)]
    assert len(archived) >= 7
    for instrument in archived:
        assert instrument.languages == CONTENT_LANGUAGES, (instrument.id, instrument.version)
    folder = CONTENT_DIR / 'instruments'
    raw_texts = [text for path in (folder / 'archive').glob('*.yaml') for text in _texts(read_yaml(path))]
    needed = {(text['en'].strip(), text['nl'].strip()) for text in raw_texts if 'de' not in text}
    current = {(t['en'].strip(), t['nl'].strip()) for p in folder.glob('*.yaml') for t in _texts(read_yaml(p))}
    written = read_yaml(folder / ARCHIVE_TRANSLATIONS / 'de.yaml')
    unused = [e['en'] for e in written if (key := (e['en'].strip(), e['nl'].strip())) not in needed or key in current]
    assert not unused  # each entry is for an archived text that no current version still words the same
    old = instruments.get('kompas', 1).item('domain_purpose_clear')
    assert old.statement['de'] not in (old.statement['en'], old.statement['nl'])

    # a broken translations file stops start-up with where and what
    shutil.copytree(folder, tmp_path / 'instruments')
    broken = tmp_path / 'instruments' / ARCHIVE_TRANSLATIONS / 'de.yaml'
    broken.write_text('- {en: Strong, nl: Sterk}\n', encoding='utf-8')
    with pytest.raises(ContentError) as info:
        load_instruments(tmp_path / 'instruments', stage_ids=None)
    assert 'de.yaml' in str(info.value) and 'missing or empty de' in str(info.value)


def test_the_demo_answers_every_statement_of_the_current_instruments():
    """core/demo.py seeds answers by position: one per statement of the current versions, each on the scale."""
    from core.demo import ANIMATION_DEMO, KOMPAS_DEMO, PROFILE_DEMO
    from core.questionnaire import clean_answer

    instruments = load_content().instruments
    kompas = instruments.current('kompas')
    for dimension in kompas.dimensions:
        for values in KOMPAS_DEMO[dimension.id]:
            assert len(values) == len(dimension.items), dimension.id
            for item, value in zip(dimension.items, values, strict=True):
                clean_answer(kompas, item.id, value)
    profile = instruments.current('profile')
    assert len(PROFILE_DEMO) == len(profile.scored_items)
    for item, value in zip(profile.scored_items, PROFILE_DEMO, strict=True):
        clean_answer(profile, item.id, value)
    checklist = instruments.current('animation')
    for *_, values, _roti in ANIMATION_DEMO:
        assert len(values) == len(checklist.scored_items)
