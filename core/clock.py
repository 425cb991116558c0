"""The one clock of core. Every "now" and "today" in core is read here (in UTC), so a test can set the time for all
of core at once (`frozen`), and no part keeps a clock of its own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime


class _Source:
    """Where the time comes from: the system clock, or a fixed moment while a test holds `frozen`."""

    read: Callable[[], datetime] = staticmethod(lambda: datetime.now(UTC))


_source = _Source()


def now() -> datetime:
    """The current moment, timezone-aware (UTC)."""
    return _source.read()


def today() -> date:
    """Today's date in UTC."""
    return now().date()


def now_iso() -> str:
    """The current moment as stored: ISO 8601 to the second, with the UTC offset."""
    return now().isoformat(timespec='seconds')


def today_iso() -> str:
    """Today as stored: YYYY-MM-DD."""
    return today().isoformat()


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Core's clock stands still at `at` (timezone-aware) inside the block: for tests of dates and expiry."""
    if at.tzinfo is None:
        raise ValueError('a frozen moment needs a time zone')
    previous = _source.read
    _source.read = lambda: at
    try:
        yield
    finally:
        _source.read = previous
