"""The questionnaire engine: instrument validation, answer checks and scoring against hand-computed figures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from core.errors import ValidationError
from core.questionnaire import (
    NA,
    below_top_band,
    clean_answer,
    clean_answers,
    dimension_to_show,
    fingerprint,
    first_open_dimension,
    load_instruments,
    parse_instrument,
    progress,
    score,
    strengths_and_improvements,
    unanswered,
)
from core.sheets import MAX_COMMENT, validate_sheets
from core.yamlcheck import CONTENT_DIR, Checker, ContentError, read_yaml


def t(text: str) -> dict[str, str]:
    return {'nl': text, 'fr': text, 'en': text}


def bands():
    return [
        {'id': 'low', 'max': 2.4, 'label': t('low'), 'interpretation': t('i'), 'actions': [t('a1'), t('a2')]},
        {'id': 'developing', 'max': 3.6, 'label': t('dev'), 'interpretation': t('i'), 'actions': [t('a1'), t('a2')]},
        {'id': 'strong', 'max': 5, 'label': t('strong'), 'interpretation': t('i'), 'actions': [t('a1'), t('a2')]},
    ]


def instrument(min_answers: int = 2):
    """Three dimensions: a (3 items), b (3 items), c (2 items); 5-point scale with n/a."""
    raw = {
        'id': 'test',
        'version': 1,
        'kind': 'maturity',
        'title': t('T'),
        'intro': t('I'),
        'min_answers': min_answers,
        'scale': {
            'values': [
                {
                    'value': v,
                    'label': t(str(v)),
                    'meaning': 'improvement' if v < 3 else 'neutral' if v == 3 else 'strength',
                }
                for v in range(1, 6)
            ],
            'not_applicable': t('n/a'),
        },
        'stages': [
            {'max': 1.8, 'stage': 'potential'},
            {'max': 2.6, 'stage': 'coalescing'},
            {'max': 3.6, 'stage': 'maturing'},
            {'max': 5, 'stage': 'stewardship'},
        ],
        'dimensions': [
            {
                'id': 'a',
                'title': t('A'),
                'bands': bands(),
                'items': [
                    {'id': 'a1', 'statement': t('x')},
                    {'id': 'a2', 'statement': t('x')},
                    {'id': 'a3', 'statement': t('x')},
                ],
            },
            {
                'id': 'b',
                'title': t('B'),
                'bands': bands(),
                'items': [
                    {'id': 'b1', 'statement': t('x')},
                    {'id': 'b2', 'statement': t('x')},
                    {'id': 'b3', 'statement': t('x')},
                ],
            },
            {
                'id': 'c',
                'title': t('C'),
                'bands': bands(),
                'items': [
                    {'id': 'c1', 'statement': t('x')},
                    {'id': 'c2', 'statement': t('x')},
                    {'id': 'note', 'type': 'text', 'statement': t('x')},
                ],
            },
        ],
    }
    return parse_instrument(raw, Checker(Path('test.yaml')))


def test_means_bands_overall_stage_and_priorities_hand_computed():
    ins = instrument()
    answers = {
        'a1': 1,
        'a2': 2,
        'a3': 3,  # a: (1+2+3)/3 = 2.0 -> low
        'b1': 4,
        'b2': 4,
        'b3': NA,  # b: (4+4)/2 = 4.0 -> strong; n/a excluded
        'c1': 3,
        'c2': 4,
        'note': 'free text',
    }  # c: 3.5 -> developing
    result = score(ins, answers)
    a, b, c = result.dimensions
    assert (a.mean, a.band.id, a.answered, a.total) == (2.0, 'low', 3, 3)
    assert (b.mean, b.band.id, b.answered, b.not_applicable) == (4.0, 'strong', 2, 1)
    assert (c.mean, c.band.id, c.total) == (3.5, 'developing', 2)
    assert result.overall == round((2.0 + 4.0 + 3.5) / 3, 4) == 3.1667
    assert result.stage == 'maturing'
    assert result.priorities == ('a', 'c')  # the two lowest not in their top band
    assert (result.answered, result.total) == (8, 8)  # 'not applicable' is an answer too


def test_too_few_answers_gives_no_number():
    ins = instrument(min_answers=2)
    result = score(ins, {'a1': 5, 'b1': NA, 'b2': NA, 'b3': NA})
    a, b, _ = result.dimensions
    assert a.mean is None and a.band is None and a.answered == 1
    assert b.mean is None and b.not_applicable == 3
    assert result.overall is None and result.stage is None and result.priorities == ()


def test_all_not_applicable():
    ins = instrument(min_answers=1)
    result = score(ins, {item.id: NA for item in ins.scored_items})
    assert all(d.mean is None for d in result.dimensions)
    assert result.overall is None and result.stage is None and result.answered == 8
    assert all(d.not_applicable == d.total and d.answered == 0 for d in result.dimensions)


def test_one_answer_with_minimum_one():
    ins = instrument(min_answers=1)
    result = score(ins, {'c2': 2})
    assert result.dimension('c').mean == 2.0 and result.dimension('c').band.id == 'low'
    assert result.overall == 2.0 and result.stage == 'coalescing'
    assert result.priorities == ('c',)


def test_ties_at_the_cut_are_all_priorities():
    ins = instrument(min_answers=1)
    result = score(ins, {'a1': 2, 'b1': 3, 'c1': 3})  # a 2.0, b 3.0, c 3.0: the 2nd lowest is tied
    assert result.priorities == ('a', 'b', 'c')
    result = score(ins, {'a1': 5, 'b1': 5, 'c1': 5})  # everything strong: nothing to prioritise
    assert result.priorities == ()


def test_band_boundaries_are_inclusive():
    ins = instrument(min_answers=1)
    result = score(ins, {'a1': 2, 'a2': 2, 'a3': 3, 'b1': 4, 'b2': 3, 'b3': 4})
    assert result.dimension('a').mean == 2.3333 and result.dimension('a').band.id == 'low'
    result = score(ins, {'a1': 3, 'a2': 4, 'a3': 4})  # 3.6667 -> strong
    assert result.dimension('a').band.id == 'strong'


@pytest.mark.parametrize(
    'item, value',
    [
        ('a1', 6),
        ('a1', 0),
        ('a1', 2.5),
        ('a1', '3'),
        ('a1', True),
        ('a1', 'maybe'),
        ('nope', 3),
        (None, 3),
        ('a1', []),
    ],
)
def test_answers_off_the_scale_or_unknown_are_refused(item, value):
    with pytest.raises(ValidationError):
        clean_answer(instrument(), item, value)


def test_clean_answers_accepts_valid_values():
    ins = instrument()
    assert clean_answer(ins, 'a1', 3.0) == 3
    assert clean_answer(ins, 'a1', NA) == NA
    assert clean_answer(ins, 'note', '  two   words ') == 'two words'
    assert clean_answer(ins, 'note', 'line one\nline two') == 'line one\nline two'
    with pytest.raises(ValidationError):
        clean_answer(ins, 'note', 'x' * 2001)
    assert clean_answers(ins, {'a1': 1, 'note': ''}) == {'a1': 1}
    assert [i.id for i in unanswered(ins, {'a1': 1, 'b1': NA})] == ['a2', 'a3', 'b2', 'b3', 'c1', 'c2']


def mixed_instrument():
    """One item of each type: scale, choice, multi, text."""
    options = [{'id': 'yes', 'label': t('yes')}, {'id': 'no', 'label': t('no')}]
    raw = {
        'id': 'mixed',
        'version': 1,
        'kind': 'survey',
        'title': t('T'),
        'intro': t('I'),
        'scale': {'values': [{'value': v, 'label': t(str(v))} for v in range(1, 6)]},
        'dimensions': [
            {
                'id': 'only',
                'title': t('O'),
                'items': [
                    {'id': 'rate', 'statement': t('x')},
                    {'id': 'pick', 'type': 'choice', 'statement': t('x'), 'options': options},
                    {'id': 'tick', 'type': 'multi', 'statement': t('x'), 'options': options},
                    {'id': 'say', 'type': 'text', 'statement': t('x')},
                ],
            }
        ],
    }
    return parse_instrument(raw, Checker(Path('mixed.yaml')))


@pytest.mark.parametrize(
    'item, value',
    [
        ('rate', float('nan')),
        ('rate', float('inf')),
        ('rate', float('-inf')),
        ('rate', 1e400),
        ('pick', ['yes']),
        ('pick', {'yes': 1}),
        ('pick', 1),
        ('tick', [['yes']]),
        ('tick', [{'a': 1}]),
        ('tick', [1, 'yes']),
        ('tick', 'yes'),
        ('say', {'a': 1}),
        ('say', ['text']),
        ('say', 12),
    ],
)
def test_values_of_the_wrong_kind_are_refused_not_crashed_on(item, value):
    """Import data and survey posts can hold anything JSON does (NaN included): always a ValidationError."""
    with pytest.raises(ValidationError):
        clean_answer(mixed_instrument(), item, value)
    with pytest.raises(ValidationError):
        clean_answers(mixed_instrument(), {item: value})


def test_values_of_each_kind_are_kept():
    ins = mixed_instrument()
    assert clean_answers(ins, {'rate': 5.0, 'pick': 'no', 'tick': ['no', 'yes'], 'say': ' a  b '}) == {
        'rate': 5,
        'pick': 'no',
        'tick': ['yes', 'no'],
        'say': 'a b',
    }


def test_progress_counts_every_question_but_the_optional_text_ones():
    ins = instrument()
    assert progress(ins, {}) == (0, 8)
    assert progress(ins, {'a1': 1, 'b1': NA, 'note': 'text', 'c2': 2}) == (3, 8)  # n/a counts; text does not
    assert progress(ins, {'a1': 1, 'b1': NA}, 'b') == (1, 3)
    assert progress(ins, {'note': 'only text'}, 'c') == (0, 2)
    assert progress(ins, {i.id: 3 for i in ins.items}) == (8, 8)
    assert progress(ins, {'unknown': 3}) == (0, 8)  # never more done than total, never negative
    assert progress(ins, {'a1': 1}, 'no_such_dimension') == (0, 0)


def test_where_to_continue():
    ins = instrument()
    assert first_open_dimension(ins, {}) == 'a'
    assert first_open_dimension(ins, {'a1': 1, 'a2': 1, 'a3': NA}) == 'b'
    everything = {i.id: 2 for i in ins.scored_items}
    assert first_open_dimension(ins, everything) == 'a'  # all answered (the text too may stay empty)
    assert dimension_to_show(ins, {'a1': 1, 'a2': 1, 'a3': 1}, 'c').id == 'c'
    assert dimension_to_show(ins, {'a1': 1, 'a2': 1, 'a3': 1}, 'nope').id == 'b'
    assert dimension_to_show(ins, {'a1': 1, 'a2': 1, 'a3': 1}).id == 'b'


def test_below_top_band_is_what_priorities_and_improvements_share():
    ins = instrument(min_answers=1)
    result = score(ins, {'a1': 1, 'b1': 5, 'c1': 3})
    below = [d.id for d, s in zip(ins.dimensions, result.dimensions, strict=True) if below_top_band(d, s)]
    assert below == ['a', 'c'] and set(result.priorities) == {'a', 'c'}
    unscored = score(ins, {'a1': 1})
    assert not below_top_band(ins.dimension('b'), unscored.dimension('b'))


def test_profile_strengths_and_improvements_clearest_first(content):
    ins = content.instruments.current('profile')
    items = [i.id for i in ins.scored_items]
    answers = {items[0]: 3, items[1]: 4, items[2]: 1, items[3]: 2, items[4]: 4}
    strengths, improvements = strengths_and_improvements(ins, answers)
    assert [f.item.id for f in strengths] == [items[1], items[4], items[0]]
    assert [f.item.id for f in improvements] == [items[2], items[3]]
    assert all(f.item.suggestion for f in improvements)


@pytest.fixture(scope='module')
def content():
    from core.content import load_content

    return load_content()


def test_real_instruments_have_the_required_shape(content):
    kompas = content.instruments.current('kompas')
    # one thing per statement (v3 split the double-barrelled ones): 4 to 6 per dimension, as the kompas proposal has it
    assert len(kompas.dimensions) >= 6 and 28 <= len(kompas.items) <= 48
    assert all(4 <= len(d.items) <= 6 for d in kompas.dimensions)
    assert kompas.scale.numbers == (1, 2, 3, 4, 5) and kompas.scale.not_applicable
    assert all(len(b.actions) >= 2 and b.interpretation for d in kompas.dimensions for b in d.bands)
    profile = content.instruments.current('profile')
    assert 6 <= len(profile.dimensions) <= 8 and 20 <= len(profile.items) <= 32
    assert len(profile.scale.values) == 4 and profile.scale.not_applicable  # a future coordinator: 'not yet'
    survey = content.instruments.current('member_survey')
    assert {i.mirrors for i in survey.items if i.mirrors} <= {d.id for d in kompas.dimensions}


def copy_instruments(tmp_path) -> Path:
    folder = tmp_path / 'instruments'
    shutil.copytree(CONTENT_DIR / 'instruments', folder)
    return folder


def test_changed_wording_without_new_version_stops_start_up(tmp_path):
    folder = copy_instruments(tmp_path)
    path = folder / 'kompas.yaml'
    path.write_text(path.read_text().replace('Nog niet', 'Helemaal nog niet', 1))
    with pytest.raises(ContentError) as info:
        load_instruments(folder)
    assert 'kompas.yaml' in str(info.value) and 'new version' in str(info.value)


def test_a_new_version_keeps_the_old_one_readable(tmp_path):
    import yaml

    folder = copy_instruments(tmp_path)
    path = folder / 'kompas.yaml'
    raw = yaml.safe_load(path.read_text())
    current = raw['version']
    shutil.copy(path, folder / 'archive' / f'kompas.v{current}.yaml')
    raw['version'] = current + 1
    raw['scale']['values'][0]['label']['nl'] = 'Helemaal nog niet'
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    versions = json.loads((folder / 'versions.json').read_text())
    versions['kompas'][str(current + 1)] = fingerprint(raw)
    (folder / 'versions.json').write_text(json.dumps(versions))
    instruments = load_instruments(folder)
    assert instruments.current('kompas').version == current + 1
    assert instruments.get('kompas', current).scale.values[0].label['nl'] == 'Nog niet'
    assert instruments.get('kompas', 1).scale.values[0].label['nl'] == 'Nog niet'


@pytest.mark.parametrize(
    'change, where',
    [
        (lambda r: r['dimensions'][0]['items'][0].pop('statement'), 'statement'),
        (lambda r: r['dimensions'][0]['items'][1].update(id=r['dimensions'][0]['items'][0]['id']), 'used twice'),
        (
            lambda r: r['dimensions'][0]['bands'][0].update(actions=r['dimensions'][0]['bands'][0]['actions'][:1]),
            'at least 2',
        ),
        (lambda r: r['dimensions'][0]['items'][0]['statement'].pop('fr'), 'fr'),
        (lambda r: r['scale']['values'][0].update(meaning='great'), 'meaning'),
        (lambda r: r['dimensions'][0]['items'][0].update(type='slider'), 'type'),
        (lambda r: r['dimensions'][0]['bands'][-1].update(max=4.5), "dimension domain.bands: the last band's max"),
    ],
)
def test_invalid_instrument_names_file_item_and_problem(change, where):
    import copy

    import yaml

    raw = yaml.safe_load((CONTENT_DIR / 'instruments' / 'kompas.yaml').read_text())
    raw = copy.deepcopy(raw)
    change(raw)
    with pytest.raises(ContentError) as info:
        parse_instrument(raw, Checker(CONTENT_DIR / 'instruments' / 'kompas.yaml'))
    message = str(info.value)
    assert 'content/instruments/kompas.yaml' in message and where in message


def test_a_top_score_always_has_a_band():
    """With the last band reaching the scale's top, the highest possible mean lands in a band."""
    ins = instrument(min_answers=1)
    result = score(ins, {i.id: 5 for i in ins.scored_items})
    assert all(d.band is not None and d.band.id == 'strong' for d in result.dimensions)
    assert result.stage == 'stewardship'


def test_stage_ids_must_exist_in_the_stages_file(tmp_path):
    import yaml

    raw = yaml.safe_load((CONTENT_DIR / 'instruments' / 'kompas.yaml').read_text())
    raw['stages'][1]['stage'] = 'flourishing'
    with pytest.raises(ContentError) as info:
        parse_instrument(raw, Checker(CONTENT_DIR / 'instruments' / 'kompas.yaml'), {'potential', 'maturing'})
    assert 'stages[1].stage' in str(info.value) and "'flourishing' is not a stage" in str(info.value)
    # at start-up: the stage ids come from the content folder's stages.yaml
    shutil.copytree(CONTENT_DIR, tmp_path / 'content')
    folder = tmp_path / 'content' / 'instruments'
    load_instruments(folder)
    stages = tmp_path / 'content' / 'stages.yaml'
    stages.write_text(stages.read_text().replace('id: maturing', 'id: ripening'))
    with pytest.raises(ContentError) as info:
        load_instruments(folder)
    assert 'kompas.yaml' in str(info.value) and "'maturing' is not a stage" in str(info.value)


NEEDS_PATH = CONTENT_DIR / 'instruments' / 'needs_survey.yaml'


def needs_raw_and_item(item_id: str) -> tuple[dict, dict]:
    """The needs survey's raw content, and the raw item `item_id` in it (to change before parsing)."""
    raw = read_yaml(NEEDS_PATH)
    return raw, next(i for d in raw['dimensions'] for i in d['items'] if i['id'] == item_id)


@pytest.mark.parametrize(
    ('where', 'value', 'problem'),
    [
        ('hope_to_get', 1, 'outside 2..5'),  # one at most is a choice item
        ('hope_to_get', 6, 'outside 2..5'),  # as many as there are options is no limit
        ('hope_to_get', 'three', 'must be a whole number'),
        ('time_per_month', 2, 'only multi items have max_choices'),
        ('first_question', 2, 'only multi items have max_choices'),
    ],
)
def test_max_choices_is_a_real_limit_on_a_multi_item(where, value, problem):
    raw, item = needs_raw_and_item(where)
    item['max_choices'] = value
    with pytest.raises(ContentError) as info:
        parse_instrument(raw, Checker(NEEDS_PATH))
    assert f'item {where}.max_choices' in str(info.value) and problem in str(info.value)


def test_an_item_with_max_choices_says_so_in_its_help():
    raw, item = needs_raw_and_item('topic_kinds')
    del item['help']
    with pytest.raises(ContentError) as info:
        parse_instrument(raw, Checker(NEEDS_PATH))
    assert 'item topic_kinds.help' in str(info.value) and 'says the limit' in str(info.value)


def test_the_help_of_a_limited_item_names_the_same_limit_in_every_language():
    raw, item = needs_raw_and_item('topic_kinds')
    assert item['max_choices'] == 3 and 'drie' in item['help']['nl']
    item['max_choices'] = 4  # the help still says three
    with pytest.raises(ContentError) as info:
        parse_instrument(raw, Checker(NEEDS_PATH))
    assert 'item topic_kinds.help.nl' in str(info.value) and '(4 or vier)' in str(info.value)
    item['help'] = {
        'nl': 'Kies er hoogstens 4.',
        'fr': 'Quatre au maximum.',
        'en': 'Four at most.',
        'de': 'Höchstens vier.',
    }
    assert parse_instrument(raw, Checker(NEEDS_PATH)).item('topic_kinds').max_choices == 4  # in figures or in words
    item['help']['de'] = 'Höchstens drei.'
    with pytest.raises(ContentError) as info:
        parse_instrument(raw, Checker(NEEDS_PATH))
    assert 'item topic_kinds.help.de' in str(info.value)


# -- import of answer sheets --------------------------------------------------------------------------------------


def sheet_doc(content, **changes):
    current = content.instruments.current('kompas')
    item = current.items[0].id
    doc = {
        'id': 'abc123',
        'instrument': 'kompas',
        'version': current.version,
        'started': '2026-01-05',
        'finished': '2026-01-09',
        'answers': {item: 3},
        'comments': {item: 'Goed bezig'},
        'by': 'u1',
    }
    doc.update(changes)
    return doc


def test_a_well_formed_sheet_is_accepted(content):
    validate_sheets(content.instruments, [sheet_doc(content), sheet_doc(content, finished=None)], {'by': str})


@pytest.mark.parametrize(
    'changes',
    [
        {'instrument': ['kompas']},
        {'instrument': None},
        {'version': True},
        {'version': '1'},
        {'finished': 5},
        {'finished': ['2026-01-09']},
        {'finished': 'yesterday'},
        {'started': 5},
        {'answers': {'__first__': float('nan')}},
        {'answers': {'__first__': float('inf')}},
        {'answers': ['x']},
        {'comments': {'__first__': 'x' * (MAX_COMMENT + 1)}},
        {'comments': {'no_such_item': 'hello'}},
        {'comments': {'__first__': 5}},
        {'comments': ['x']},
    ],
)
def test_a_malformed_sheet_is_refused_on_import(content, changes):
    first = content.instruments.current('kompas').items[0].id
    changes = json.loads(json.dumps(changes).replace('__first__', first))  # NaN and Infinity survive, as in JSON
    with pytest.raises(ValidationError):  # the import reports it as a bad table
        validate_sheets(content.instruments, [sheet_doc(content, **changes)], {'by': str})
