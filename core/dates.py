"""The one parser of days that people type or forms send (a due date, a session's day, a closing day, a decision's
day, a kick-off's date). A day is written YYYY-MM-DD, as the date fields send it; each part names the message for a
wrong one and the range that makes sense for it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .errors import ValidationError

_DAY = re.compile(r'\d{4}-\d{2}-\d{2}')
EARLIEST = date(2000, 1, 1)  # no community activity before this; a typo such as 0202 for 2026 is caught


def parse_day(
    value: Any, key: str, field: str | None, *, earliest: date | None = EARLIEST, latest: date | None = None
) -> date:
    """The day in `value` (a date, or text YYYY-MM-DD with spaces around allowed), between `earliest` and `latest`
    when given. ValidationError(`key`, `field`) for anything else: other formats, impossible days (2026-02-30),
    out of range, not text."""
    if isinstance(value, date):
        day = value
    elif isinstance(value, str) and _DAY.fullmatch(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError as e:
            raise ValidationError(key, field) from e
    else:
        raise ValidationError(key, field)
    if (earliest is not None and day < earliest) or (latest is not None and day > latest):
        raise ValidationError(key, field)
    return day


def optional_day(value: Any, key: str, field: str | None, **bounds: date | None) -> date | None:
    """Like `parse_day`, but an empty field (None or blank text) is no day."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_day(value, key, field, **bounds)
