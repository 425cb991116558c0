"""Cleaning what people type or import, the same way in every part: whole numbers and text."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from .errors import ValidationError


def whole_number(value: Any, low: int, high: int, key: str, field: str | None, **params: Any) -> int:
    """`value` (a number, or text such as ' 12 ') as an int in low..high; otherwise ValidationError(key, field,
    **params). Refuses booleans, fractions, NaN and infinities."""
    if isinstance(value, bool):
        raise ValidationError(key, field, **params)
    if isinstance(value, str):
        value = value.strip()
    try:
        number = float(value)
    except (TypeError, ValueError) as e:
        raise ValidationError(key, field, **params) from e
    if not math.isfinite(number) or number != int(number) or not low <= number <= high:
        raise ValidationError(key, field, **params)
    return int(number)


# control characters, C1 controls, zero-width spaces, direction marks and bidi overrides: invisible, and able to make
# a text read differently from what it holds (zero-width joiners stay: emoji and some scripts need them)
_INVISIBLE = re.compile(r'[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]')
_SPACES = re.compile(r'[^\S\u00a0\u202f]+')


def clean_text(
    value: Any, limit: int, field: str | None, *, multiline: bool = False, required: str | None = None
) -> str:
    """User text made safe to store: Unicode NFC, invisible characters removed; one line with spaces collapsed, or
    (`multiline`) lines kept with their indentation, trailing spaces and runs of blank lines trimmed. ValidationError
    'error.invalid' for what is not text, 'error.too_long' beyond `limit`, and `required` (a message key) when the
    text is empty and must not be. Markup is kept as typed: it is escaped wherever it is shown."""
    if value is None:
        value = ''
    if not isinstance(value, str):
        raise ValidationError('error.invalid', field)
    text = _INVISIBLE.sub('', unicodedata.normalize('NFC', value).replace('\r\n', '\n').replace('\r', '\n'))
    if multiline:
        text = re.sub(r'\n{3,}', '\n\n', '\n'.join(line.rstrip() for line in text.strip().split('\n')))
    else:  # runs of spaces collapse, but a no-break space stays (French typography: "Quoi\u00a0?")
        text = _SPACES.sub(' ', text).strip()
    if len(text) > limit:
        raise ValidationError('error.too_long', field, max=limit)
    if required and not text:
        raise ValidationError(required, field)
    return text
