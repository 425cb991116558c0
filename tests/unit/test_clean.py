"""The one way every part cleans typed or imported text and whole numbers."""

from __future__ import annotations

import pytest

from core.clean import clean_text, whole_number
from core.errors import ValidationError


def test_text_on_one_line_and_on_several():
    assert clean_text('  a\t b \n c ', 20, 'f') == 'a b c'
    assert clean_text('e\u0301te\u0301', 20, 'f') == '\u00e9t\u00e9'  # NFC: composed
    assert clean_text('pay\u202eusd.exe\u200b\x00', 20, 'f') == 'payusd.exe'  # bidi override, zero-width
    assert clean_text('👨\u200d👩\u200d👧', 20, 'f') == '👨\u200d👩\u200d👧'  # joiners stay
    text = clean_text('\r\n  Stappen:\r\n  1. lezen   \n\n\n\n  2. <b>doen</b>\n', 100, 'f', multiline=True)
    assert text == 'Stappen:\n  1. lezen\n\n  2. <b>doen</b>'  # indentation and markup kept
    assert clean_text(None, 5, 'f') == ''


@pytest.mark.parametrize('value, limit', [(['x'], 10), ({'a': 1}, 10), (5, 10), ('x' * 11, 10)])
def test_what_is_not_text_or_too_long_is_refused(value, limit):
    with pytest.raises(ValidationError) as info:
        clean_text(value, limit, 'title')
    assert info.value.field == 'title'


def test_whole_numbers():
    assert whole_number(' 12 ', 1, 40, 'k', 'f') == 12 and whole_number(3.0, 1, 40, 'k', 'f') == 3
    for bad in ('nan', float('inf'), '-inf', True, 2.5, 0, 41, 'veel', None, [3]):
        with pytest.raises(ValidationError) as info:
            whole_number(bad, 1, 40, 'k', 'f', max=40)
        assert info.value.key == 'k' and info.value.params == {'max': 40}


def test_a_no_break_space_survives_cleaning():
    """French typography (content/glossary.yaml) puts U+00A0 before : ; ? !: a cleaned text keeps it."""
    assert clean_text('  Quoi\u00a0?  Et \n alors  \t ', 100, None) == 'Quoi\u00a0? Et alors'
