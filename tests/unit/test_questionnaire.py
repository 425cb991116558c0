"""The questionnaire engine: instrument validation, answer checks and scoring against hand-computed figures."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from core.content import CONTENT_DIR, Checker, ContentError
from core.errors import ValidationError
from core.questionnaire import (
    NA,
    clean_answer,
    clean_answers,
    fingerprint,
    load_instruments,
    parse_instrument,
    score,
    strengths_and_improvements,
    unanswered,
)


def t(text: str) -> dict[str, str]:
    return {'nl': text, 'fr': text, 'en': text}


def bands():
    return [{'id': 'low', 'max': 2.4, 'label': t('low'), 'interpretation': t('i'), 'actions': [t('a1'), t('a2')]},
            {'id': 'developing', 'max': 3.6, 'label': t('dev'), 'interpretation': t('i'),
             'actions': [t('a1'), t('a2')]},
            {'id': 'strong', 'max': 5, 'label': t('strong'), 'interpretation': t('i'), 'actions': [t('a1'), t('a2')]}]


def instrument(min_answers: int = 2):
    """Three dimensions: a (3 items), b (3 items), c (2 items); 5-point scale with n/a."""
    raw = {
        'id': 'test', 'version': 1, 'kind': 'maturity', 'title': t('T'), 'intro': t('I'), 'min_answers': min_answers,
        'scale': {'values': [{'value': v, 'label': t(str(v)), 'meaning': 'improvement' if v < 3 else
                              'neutral' if v == 3 else 'strength'} for v in range(1, 6)],
                  'not_applicable': t('n/a')},
        'stages': [{'max': 1.8, 'stage': 'potential'}, {'max': 2.6, 'stage': 'coalescing'},
                   {'max': 3.6, 'stage': 'maturing'}, {'max': 5, 'stage': 'stewardship'}],
        'dimensions': [
            {'id': 'a', 'title': t('A'), 'bands': bands(),
             'items': [{'id': 'a1', 'statement': t('x')}, {'id': 'a2', 'statement': t('x')},
                       {'id': 'a3', 'statement': t('x')}]},
            {'id': 'b', 'title': t('B'), 'bands': bands(),
             'items': [{'id': 'b1', 'statement': t('x')}, {'id': 'b2', 'statement': t('x')},
                       {'id': 'b3', 'statement': t('x')}]},
            {'id': 'c', 'title': t('C'), 'bands': bands(),
             'items': [{'id': 'c1', 'statement': t('x')}, {'id': 'c2', 'statement': t('x')},
                       {'id': 'note', 'type': 'text', 'statement': t('x')}]},
        ],
    }
    return parse_instrument(raw, Checker(Path('test.yaml')))


def test_means_bands_overall_stage_and_priorities_hand_computed():
    ins = instrument()
    answers = {'a1': 1, 'a2': 2, 'a3': 3,      # a: (1+2+3)/3 = 2.0 -> low
               'b1': 4, 'b2': 4, 'b3': NA,     # b: (4+4)/2 = 4.0 -> strong; n/a excluded
               'c1': 3, 'c2': 4, 'note': 'free text'}   # c: 3.5 -> developing
    result = score(ins, answers)
    a, b, c = result.dimensions
    assert (a.mean, a.band.id, a.answered, a.total) == (2.0, 'low', 3, 3)
    assert (b.mean, b.band.id, b.answered, b.not_applicable) == (4.0, 'strong', 2, 1)
    assert (c.mean, c.band.id, c.total) == (3.5, 'developing', 2)
    assert result.overall == round((2.0 + 4.0 + 3.5) / 3, 4) == 3.1667
    assert result.stage == 'maturing'
    assert result.priorities == ('a', 'c')   # the two lowest not in their top band
    assert (result.answered, result.total) == (8, 8)   # 'not applicable' is an answer too


def test_too_few_answers_gives_no_number():
    ins = instrument(min_answers=2)
    result = score(ins, {'a1': 5, 'b1': NA, 'b2': NA, 'b3': NA})
    a, b, _ = result.dimensions
    assert a.mean is None and a.band is None and a.answered == 1 and not a.enough
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
    result = score(ins, {'a1': 2, 'b1': 3, 'c1': 3})   # a 2.0, b 3.0, c 3.0: the 2nd lowest is tied
    assert result.priorities == ('a', 'b', 'c')
    result = score(ins, {'a1': 5, 'b1': 5, 'c1': 5})   # everything strong: nothing to prioritise
    assert result.priorities == ()


def test_band_boundaries_are_inclusive():
    ins = instrument(min_answers=1)
    result = score(ins, {'a1': 2, 'a2': 2, 'a3': 3, 'b1': 4, 'b2': 3, 'b3': 4})
    assert result.dimension('a').mean == 2.3333 and result.dimension('a').band.id == 'low'
    result = score(ins, {'a1': 3, 'a2': 4, 'a3': 4})   # 3.6667 -> strong
    assert result.dimension('a').band.id == 'strong'


@pytest.mark.parametrize('item, value', [
    ('a1', 6), ('a1', 0), ('a1', 2.5), ('a1', '3'), ('a1', True), ('a1', 'maybe'), ('nope', 3), (None, 3), ('a1', []),
])
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
    assert len(kompas.dimensions) >= 6 and 28 <= len(kompas.items) <= 36
    assert all(4 <= len(d.items) <= 6 for d in kompas.dimensions)
    assert kompas.scale.numbers == (1, 2, 3, 4, 5) and kompas.scale.not_applicable
    assert all(len(b.actions) >= 2 and b.interpretation for d in kompas.dimensions for b in d.bands)
    profile = content.instruments.current('profile')
    assert 6 <= len(profile.dimensions) <= 8 and 20 <= len(profile.items) <= 28
    assert len(profile.scale.values) == 4
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
    shutil.copy(path, folder / 'archive' / 'kompas.v1.yaml')
    raw = yaml.safe_load(path.read_text())
    raw['version'] = 2
    raw['scale']['values'][0]['label']['nl'] = 'Helemaal nog niet'
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    versions = json.loads((folder / 'versions.json').read_text())
    versions['kompas']['2'] = fingerprint(raw)
    (folder / 'versions.json').write_text(json.dumps(versions))
    instruments = load_instruments(folder)
    assert instruments.current('kompas').version == 2
    assert instruments.get('kompas', 1).scale.values[0].label['nl'] == 'Nog niet'


@pytest.mark.parametrize('change, where', [
    (lambda r: r['dimensions'][0]['items'][0].pop('statement'), 'statement'),
    (lambda r: r['dimensions'][0]['items'][1].update(id=r['dimensions'][0]['items'][0]['id']), 'used twice'),
    (lambda r: r['dimensions'][0]['bands'][0].update(actions=r['dimensions'][0]['bands'][0]['actions'][:1]),
     'at least 2'),
    (lambda r: r['dimensions'][0]['items'][0]['statement'].pop('fr'), 'fr'),
    (lambda r: r['scale']['values'][0].update(meaning='great'), 'meaning'),
    (lambda r: r['dimensions'][0]['items'][0].update(type='slider'), 'type'),
])
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
