"""Timing arithmetic of an agenda: clock times, durations, overrun, the day ending at midnight."""

from __future__ import annotations

import pytest

from core.agenda import (
    MAX_DURATION,
    check_duration,
    format_clock,
    format_planned_end,
    parse_clock,
    schedule,
    split_minutes,
)
from core.errors import ValidationError


@pytest.mark.parametrize(
    ('text', 'minutes'),
    [('09:30', 570), ('9:30', 570), ('9h30', 570), ('9u30', 570), ('00:00', 0), ('23:59', 1439), (' 14:05 ', 845)],
)
def test_parse_clock(text, minutes):
    assert parse_clock(text) == minutes


@pytest.mark.parametrize('text', ['', None, '24:00', '12:60', '9', '930', 'nine', '-1:00', '12:5', '<b>9:30</b>'])
def test_parse_clock_refuses_what_is_not_a_time(text):
    with pytest.raises(ValidationError) as caught:
        parse_clock(text, 'start')
    assert caught.value.key == 'agenda.error.clock' and caught.value.field == 'start'


def test_format_clock_pads_and_shows_midnight_as_the_end_of_the_day():
    assert format_clock(570) == '09:30'
    assert format_clock(0) == '00:00'
    assert format_clock(1440) == '24:00'
    with pytest.raises(ValueError):
        format_clock(1441)


def test_a_planned_end_at_midnight_is_stored_as_a_clock_field_can_read_back():
    assert format_planned_end(660) == '11:00'
    assert format_planned_end(1440) == '00:00'  # not '24:00', which parse_clock refuses
    assert parse_clock(format_planned_end(1440)) == 0
    assert schedule('22:30', [90], format_planned_end(1440)).planned_end == 1440
    with pytest.raises(ValueError):
        format_planned_end(1441)


@pytest.mark.parametrize('value', [1, 45, '30', 30.0, MAX_DURATION])
def test_durations_accepted(value):
    assert check_duration(value) == int(float(value))


@pytest.mark.parametrize(
    'value', [0, -5, 481, 10_000, 2.5, '2.5', 'abc', '', None, True, float('nan'), float('inf'), [10]]
)
def test_negative_absurd_or_broken_durations_are_refused(value):
    with pytest.raises(ValidationError) as caught:
        check_duration(value)
    assert caught.value.key == 'agenda.error.duration'
    assert caught.value.params == {'min': 1, 'max': 480}


def test_each_block_starts_where_the_previous_ended():
    timing = schedule('09:30', [10, 15, 10, 20, 15, 10, 5, 5], '11:00')
    assert [s.start_text for s in timing.slots] == [
        '09:30',
        '09:40',
        '09:55',
        '10:05',
        '10:25',
        '10:40',
        '10:50',
        '10:55',
    ]
    assert timing.slots[-1].end_text == '11:00'
    assert timing.total == 90 and timing.end_text == '11:00'
    assert timing.overrun == 0 and timing.slack == 0


def test_overrun_and_slack_against_the_planned_end():
    over = schedule('09:30', [60, 45], '11:00')
    assert over.end_text == '11:15' and over.overrun == 15 and over.slack == 0
    under = schedule('09:30', [60], '11:00')
    assert under.overrun == 0 and under.slack == 30
    free = schedule('09:30', [60])
    assert free.planned_end is None and free.overrun == 0 and free.planned_end_text == ''


def test_an_empty_scenario_ends_when_it_starts():
    timing = schedule(600, [], None)
    assert timing.slots == () and timing.end == 600 and timing.total == 0


def test_a_day_may_end_exactly_at_midnight_but_not_later():
    timing = schedule('23:00', [30, 30])
    assert timing.end_text == '24:00'
    with pytest.raises(ValidationError) as caught:
        schedule('23:00', [30, 30, 1])
    assert caught.value.key == 'agenda.error.midnight' and caught.value.params == {'block': 3}
    with pytest.raises(ValidationError):
        schedule('22:00', [120, 1])
    assert schedule('22:00', [120]).end_text == '24:00'


def test_planned_end_must_follow_the_start():
    with pytest.raises(ValidationError) as caught:
        schedule('10:00', [30], '09:00')
    assert caught.value.key == 'agenda.error.planned_end'
    with pytest.raises(ValidationError):
        schedule('10:00', [30], '10:00')
    assert schedule('22:00', [60], '00:00').planned_end == 1440  # "00:00" as an end means midnight


def test_split_minutes():
    assert split_minutes(90) == (1, 30)
    assert split_minutes(45) == (0, 45)
    assert split_minutes(-3) == (0, 0)
