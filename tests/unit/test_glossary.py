"""One vocabulary: no content or UI text uses a variant that content/glossary.yaml bans, every instrument labels its
score bands with the glossary's band labels, and French texts put a non-breaking space before : ; ? ! and inside
guillemets (one character for all of them: U+00A0)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / 'content'
GLOSSARY = CONTENT / 'glossary.yaml'
LANGS = ('nl', 'fr', 'en', 'de')
SKIP_KEYS = {'source', 'sources'}  # citations and titles of cited works keep their own wording (a translated
# source, a mapping per language, is our own wording around the titles and is checked like any text)
NBSP = '\u00a0'

# Banned variants not enforced yet, with where they still occur: the sweep removes them one by one. A variant listed
# here that no longer occurs fails test_not_yet_list_only_holds_what_still_occurs, so the list can only shrink.
NOT_YET: dict[tuple[str, str], str] = {}

# Instruments whose band labels are not the glossary's yet (their next version fixes them).
BANDS_NOT_YET: set[str] = set()

# Files whose French typography is checked (the sweep adds files as it goes; all of content/ in the end).
FRENCH_TYPOGRAPHY_EXEMPT: set[str] = set()


def _glossary() -> dict:
    with open(GLOSSARY, encoding='utf-8') as f:
        return yaml.safe_load(f)


def _content_files() -> list[Path]:
    """Every content file a user reads, except the glossary itself and archived instrument versions (they keep the
    wording they were answered on). The later translations of those (archive/translations/<lang>.yaml) are read:
    their own language only (_all_texts)."""
    return [
        p
        for p in sorted(CONTENT.rglob('*.yaml'))
        if p != GLOSSARY and ('archive' not in p.relative_to(CONTENT).parts or p.parent.name == 'translations')
    ]


def _is_text(node: object) -> bool:
    return isinstance(node, dict) and 'nl' in node and set(node) <= set(LANGS) and isinstance(node['nl'], str)


def _texts(node: object, where: str = '') -> Iterator[tuple[str, str, str]]:
    """(place, language, string) of every text under `node`."""
    if _is_text(node):
        for lang, value in node.items():
            if isinstance(value, str):
                yield where, lang, value
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in SKIP_KEYS or _is_text(value):
                yield from _texts(value, f'{where}.{key}' if where else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f'{where}[{i}]')


def _all_texts() -> list[tuple[str, str, str, str]]:
    found = []
    for path in _content_files():
        with open(path, encoding='utf-8') as f:
            data = yaml.safe_load(f)
        name = str(path.relative_to(ROOT))
        later = path.stem if path.parent.name == 'translations' else None  # the archived en/nl are quoted as they were
        found.extend(
            (name, where, lang, value) for where, lang, value in _texts(data) if later is None or lang == later
        )
    return found


TEXTS = _all_texts()


def _pattern(variant: str) -> re.Pattern:
    """Whole words only: 'hou' must not match 'houd' or 'houden'."""
    return re.compile(r'(?<!\w)' + re.escape(variant) + r'(?!\w)', re.IGNORECASE)


def _banned() -> list[tuple[str, str, str, str]]:
    """(term id, language, variant, preferred word)."""
    rows = []
    for term in _glossary()['terms']:
        for lang, variants in (term.get('banned') or {}).items():
            for variant in variants:
                rows.append((term['id'], lang, variant, str(term.get(lang, ''))))
    return rows


def _allowed(term_id: str, lang: str) -> list[str]:
    term = next(t for t in _glossary()['terms'] if t['id'] == term_id)
    return (term.get('allow') or {}).get(lang, [])


def _occurrences(term_id: str, lang: str, variant: str) -> list[str]:
    pattern = _pattern(variant)
    allowed = [_pattern(a) for a in _allowed(term_id, lang)]
    hits = []
    for name, where, text_lang, value in TEXTS:
        if text_lang != lang:
            continue
        for a in allowed:
            value = a.sub(' ', value)
        match = pattern.search(value)
        if match:
            start = max(0, match.start() - 30)
            hits.append(f'{name}: {where}: ...{value[start : match.end() + 30]}...')
    return hits


def test_glossary_shape():
    """Every term names its word per language; a banned variant is never also the preferred word; band labels exist
    in every language."""
    glossary = _glossary()
    ids = [t['id'] for t in glossary['terms']]
    assert len(ids) == len(set(ids))
    for term in glossary['terms']:
        assert 'nl' in term, term['id']
        multilingual = any(lang in term for lang in ('fr', 'en', 'de'))
        if multilingual:
            assert all(isinstance(term.get(lang), str) and term[lang].strip() for lang in LANGS), term['id']
        for lang, variants in (term.get('banned') or {}).items():
            assert lang in LANGS, (term['id'], lang)
            for variant in variants:
                assert not _pattern(variant).fullmatch(str(term.get(lang, ''))), (term['id'], variant)
    for band in ('low', 'developing', 'strong'):
        assert set(glossary['bands'][band]) == set(LANGS)


def test_the_check_sees_whole_words_only():
    assert _pattern('hou').search('Hou de vragen bij')
    assert not _pattern('hou').search('Ik houd de vragen bij en houden')
    assert _pattern('je kan').search('Dan JE KAN het')
    assert not _pattern('noyau').search('noyaux')


@pytest.mark.parametrize(('term_id', 'lang', 'variant', 'preferred'), _banned(), ids=str)
def test_no_banned_variant(term_id, lang, variant, preferred):
    if (lang, variant) in NOT_YET:
        pytest.skip(f'not swept yet: {NOT_YET[(lang, variant)]}')
    hits = _occurrences(term_id, lang, variant)
    assert not hits, f'{lang} "{variant}" is banned (glossary {term_id}: write "{preferred}"):\n' + '\n'.join(hits)


def test_not_yet_list_only_holds_what_still_occurs():
    terms = {(lang, variant): term_id for term_id, lang, variant, _ in _banned()}
    for key in NOT_YET:
        assert key in terms, f'{key} is not a banned variant of the glossary'
        assert _occurrences(terms[key], *key), f'{key} no longer occurs: remove it from NOT_YET'


def _current_instruments() -> list[Path]:
    return sorted((CONTENT / 'instruments').glob('*.yaml'))


@pytest.mark.parametrize('path', _current_instruments(), ids=lambda p: p.stem)
def test_band_labels_are_the_glossarys(path):
    """A score band means the same in every instrument, so it has the same name everywhere."""
    if path.stem in BANDS_NOT_YET:
        pytest.skip('the next version of this instrument takes the glossary labels')
    bands = _glossary()['bands']
    with open(path, encoding='utf-8') as f:
        instrument = yaml.safe_load(f)
    for dimension in instrument['dimensions']:
        for band in [*(dimension.get('bands') or []), *(instrument.get('bands') or [])]:
            assert band['id'] in bands, f'{path.name}: {dimension["id"]}: band id {band["id"]!r}'
            for lang, label in band['label'].items():
                assert label == bands[band['id']][lang], f'{path.name}: {dimension["id"]}.{band["id"]}.{lang}'


# -- French typography ----------------------------------------------------------------------------------------------

_BEFORE_PUNCT = re.compile(r'(.)([:;?!])')


def french_typography_problems(text: str) -> list[str]:
    """The places where a French text lacks the non-breaking space (U+00A0) before : ; ? ! or inside « », or uses
    another kind of space there. A colon in a URL or between digits (14:30) is not punctuation."""
    text = re.sub(r'https?://\S+', 'URL', text)
    problems = []
    for match in _BEFORE_PUNCT.finditer(text):
        before, mark = match.group(1), match.group(2)
        after = text[match.end() : match.end() + 2]
        if mark == ':' and (after.startswith('//') or (before.isdigit() and after[:1].isdigit())):
            continue
        if before in (NBSP, mark) or (mark in '?!' and before in '?!'):
            continue
        problems.append(text[max(0, match.start() - 20) : match.end() + 10])
    problems += [m.group(0) for m in re.finditer(r'.{0,20}\s\u00a0.{0,10}', text)]  # a space and then the NBSP
    problems += [m.group(0) for m in re.finditer(r'«[^\u00a0].{0,10}', text)]
    problems += [m.group(0) for m in re.finditer(r'.{0,10}[^\u00a0]»', text)]
    return problems


def test_french_typography_check():
    assert french_typography_problems('Étape 1 sur 3\u00a0: suite\u00a0; oui\u00a0? non\u00a0!') == []
    assert french_typography_problems('à 14:30, voir https://x.be/a?b\u00a0!') == []
    assert french_typography_problems('Étape 1 : suite') != []
    assert french_typography_problems('Étape\u202f: suite') != []
    assert french_typography_problems('quoi?') != []
    assert french_typography_problems('« texte »') != []
    assert french_typography_problems('«\u00a0texte\u00a0»') == []
    assert french_typography_problems('Microsoft 365 \u00a0: comparez') != []  # two spaces, one of them plain


def _french_files() -> list[str]:
    return sorted({name for name, _, lang, _ in TEXTS if lang == 'fr'} - FRENCH_TYPOGRAPHY_EXEMPT)


@pytest.mark.parametrize('name', _french_files())
def test_french_typography(name):
    problems = [
        f'{where}: ...{p}...'
        for file, where, lang, value in TEXTS
        if file == name and lang == 'fr'
        for p in french_typography_problems(value)
    ]
    assert not problems, f'{name}: use U+00A0 before : ; ? ! and inside « »:\n' + '\n'.join(problems[:30])
