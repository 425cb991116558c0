"""Core's one clock (core/clock.py) and its one parser of typed days (core/dates.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from core import clock
from core.dates import optional_day, parse_day
from core.errors import ValidationError


def test_the_clock_can_be_frozen_for_all_of_core_and_comes_back():
    moment = datetime(2027, 2, 28, 23, 59, 30, tzinfo=UTC)
    with clock.frozen(moment):
        assert clock.now() == moment
        assert clock.today() == date(2027, 2, 28)
        assert clock.now_iso() == '2027-02-28T23:59:30+00:00'
        assert clock.today_iso() == '2027-02-28'
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_the_clock_is_in_utc_even_when_frozen_elsewhere():
    with clock.frozen(datetime(2027, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1)))):
        assert clock.now().utcoffset() == timedelta(hours=1)  # kept as given; stored values carry their offset
    with pytest.raises(ValueError), clock.frozen(datetime(2027, 1, 1)):
        pass


def test_a_frozen_clock_moves_what_core_stores():
    """Parts read the one clock: a plan's 'days until' follows it."""
    from core.plan import days_until

    with clock.frozen(datetime(2027, 3, 1, 12, tzinfo=UTC)):
        assert days_until('2027-03-11') == 10


@pytest.mark.parametrize('typed', ['2026-12-02', ' 2026-12-02 ', date(2026, 12, 2)])
def test_a_day_is_read_from_text_or_a_date(typed):
    assert parse_day(typed, 'x.error', 'day') == date(2026, 12, 2)


@pytest.mark.parametrize(
    'typed', ['02/12/2026', '20261202', '2026-W49-3', '2026-02-30', '1999-12-31', 'morgen', 20261202, None, ['2026']]
)
def test_anything_else_is_refused_with_the_parts_own_message(typed):
    with pytest.raises(ValidationError) as caught:
        parse_day(typed, 'plan.error.date', 'due')
    assert (caught.value.key, caught.value.field) == ('plan.error.date', 'due')


def test_a_range_bounds_the_day_and_an_empty_field_is_no_day():
    assert (
        optional_day('', 'x', 'f') is None
        and optional_day('  ', 'x', 'f') is None
        and optional_day(None, 'x', 'f') is None
    )
    assert parse_day('2030-01-01', 'x', 'f', latest=date(2030, 1, 1)) == date(2030, 1, 1)
    with pytest.raises(ValidationError):
        parse_day('2030-01-02', 'x', 'f', latest=date(2030, 1, 1))
    assert parse_day('1990-05-01', 'x', 'f', earliest=None) == date(1990, 5, 1)
