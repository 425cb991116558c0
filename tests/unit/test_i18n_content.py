"""Languages and content: completeness, placeholders, negotiation, formats, and clear content errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.config import parse_settings
from core.content import load_content, load_ui_strings
from core.i18n import Catalog, Translator, format_date, format_number, format_percent, from_accept_language, negotiate
from core.yamlcheck import CONTENT_DIR, ContentError


def test_all_content_loads_and_every_ui_string_is_complete():
    content = load_content()
    assert content.ui.problems() == []
    assert len(content.ui.entries) > 100
    for entry in content.ui.entries.values():
        assert {'nl', 'fr', 'en'} <= set(entry)  # 'de' is being added (content/ui/mail.yaml has it already)


def test_every_ui_key_used_in_code_exists():
    """Catch a key typed in a page but never written in content/ui."""
    import re

    catalog = load_content().ui
    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"""\bt\(\s*'([a-z0-9_]+(?:\.[a-z0-9_]+)+)'""")
    missing = set()
    for folder in ('pages', 'components', 'core'):
        for path in (root / folder).rglob('*.py'):
            for key in pattern.findall(path.read_text()):
                if key not in catalog.entries:
                    missing.add(f'{path.name}: {key}')
    assert not missing, sorted(missing)


def test_missing_language_or_placeholder_mismatch_is_found():
    catalog = Catalog(
        {
            'a.b': {'nl': 'Hallo {name}', 'fr': 'Bonjour {nom}', 'en': 'Hello {name}'},
            'a.c': {'nl': 'x', 'fr': '', 'en': 'y'},
        }
    )
    problems = catalog.problems()
    assert any(p.startswith('a.b: placeholders differ') for p in problems)
    assert any(p.startswith('a.c: missing fr') for p in problems)


def test_invalid_ui_file_names_file_and_key(tmp_path):
    (tmp_path / 'x.yaml').write_text('x.greeting: {nl: Hallo, fr: Bonjour}\n')
    with pytest.raises(ContentError) as info:
        load_ui_strings(tmp_path)
    assert 'x.yaml' in str(info.value) and 'x.greeting' in str(info.value) and 'en' in str(info.value)
    (tmp_path / 'x.yaml').write_text('x.greeting: {nl: "Hallo {a}", fr: "Bonjour {b}", en: "Hi {a}"}\n')
    with pytest.raises(ContentError) as info:
        load_ui_strings(tmp_path)
    assert 'x.greeting' in str(info.value) and 'placeholders' in str(info.value)
    (tmp_path / 'x.yaml').write_text('x: [unclosed\n')
    with pytest.raises(ContentError) as info:
        load_ui_strings(tmp_path)
    assert 'not valid YAML' in str(info.value)


def test_singular_variant_is_chosen_by_the_count_in_each_language():
    catalog = Catalog(
        {
            'x.answers': {'nl': '{count} antwoorden', 'fr': '{count} réponses', 'en': '{count} answers'},
            'x.answers#one': {'nl': '{count} antwoord', 'fr': '{count} réponse', 'en': '{count} answer'},
        }
    )
    assert catalog.problems() == []
    said = {(lang, n): catalog.text('x.answers', lang, count=n) for lang in ('nl', 'fr', 'en') for n in (0, 1, 2)}
    assert said[('nl', 1)] == '1 antwoord' and said[('nl', 0)] == '0 antwoorden' and said[('nl', 2)] == '2 antwoorden'
    assert said[('fr', 0)] == '0 réponse' and said[('fr', 1)] == '1 réponse' and said[('fr', 2)] == '2 réponses'
    assert said[('en', 1)] == '1 answer' and said[('en', 0)] == '0 answers'
    assert catalog.text('x.answers', 'nl', count=True) == 'True antwoorden'  # a flag is not a number
    assert catalog.text('x.answers', 'nl', count=1.0) == '1.0 antwoorden'  # nor is a measured quantity
    # the real catalogue: a respondent who skipped one question reads it in the singular
    ui = load_content().ui
    assert '1 vraag open' in ui.text('respond.missing', 'nl', count=1)
    assert '2 vragen open' in ui.text('respond.missing', 'nl', count=2)
    assert 'dans 1 minute.' in ui.text('auth.error.locked', 'fr', minutes=1)


def test_a_singular_variant_must_belong_to_a_key_and_share_its_placeholders():
    orphan = Catalog({'x.y#one': {'nl': 'a', 'fr': 'b', 'en': 'c'}})
    assert any('without its key' in p for p in orphan.problems())
    extra = Catalog(
        {
            'x.y': {'nl': '{count} a', 'fr': '{count} b', 'en': '{count} c'},
            'x.y#one': {'nl': '{other} a', 'fr': '{other} b', 'en': '{other} c'},
        }
    )
    assert any('placeholders its key does not have' in p for p in extra.problems())


def test_missing_key_falls_back_without_crashing(caplog):
    t = Translator(Catalog({}), 'fr')
    assert t('no.such.key') == 'no.such.key'


@pytest.mark.parametrize(
    'forced, stored, header, expected',
    [
        ('fr', 'nl', 'en', 'fr'),
        (None, 'en', 'fr-BE', 'en'),
        (None, None, 'fr-BE,fr;q=0.9,en;q=0.8', 'fr'),
        (None, None, 'de-DE,en;q=0.5,nl;q=0.7', 'nl'),
        (None, None, 'de-DE', 'nl'),
        ('xx', None, None, 'nl'),
        (None, None, 'en;q=0, fr;q=0.1', 'fr'),
    ],
)
def test_language_negotiation(forced, stored, header, expected):
    assert negotiate(forced, stored, header) == expected


def test_accept_language_parsing_is_robust():
    assert from_accept_language('fr;q=abc, nl') == 'nl'
    assert from_accept_language('') is None
    assert from_accept_language(',' * 1000) is None


def test_dates_and_numbers_follow_the_language():
    d = date(2026, 3, 1)
    assert format_date(d, 'nl') == '1 maart 2026'
    assert format_date(d, 'fr') == '1er mars 2026'
    assert format_date(d, 'en') == '1 March 2026'
    assert format_date('2026-11-29T10:00:00+00:00', 'fr') == '29 novembre 2026'
    assert format_date('garbage', 'nl') == ''
    assert format_number(1234.5, 'nl', 1) == '1.234,5'
    assert format_number(1234.5, 'fr', 1) == '1\u202f234,5'
    assert format_number(1234.5, 'en', 1) == '1,234.5'
    assert format_percent(0.256, 'nl') == '26\u00a0%'
    assert format_percent(0.256, 'en') == '26%'


def test_settings_from_arguments_and_environment(tmp_path):
    env = {'COP_PORT': '9000', 'COP_DATA_DIR': str(tmp_path), 'COP_DEMO': '1'}
    settings = parse_settings([], env)
    assert (settings.port, settings.data_dir, settings.demo) == (9000, tmp_path.resolve(), True)
    settings = parse_settings(['--port', '9100', '--host', '0.0.0.0'], env)
    assert (settings.port, settings.host) == (9100, '0.0.0.0')


def test_content_dir_is_the_repository_folder():
    assert (CONTENT_DIR / 'ui').is_dir()


def test_numbers_round_half_up_as_people_do():
    assert format_number(2.25, 'nl', 1) == '2,3'
    assert format_number(2.35, 'en', 1) == '2.4'
    assert format_number(0.5, 'fr') == '1'
