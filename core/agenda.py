"""Timing arithmetic of a timed agenda: clock times, durations, the end against a planned end. Pure, no storage.

Times of day are whole minutes since midnight (0..1440). A scenario lives within one day: a block that would end
after midnight is refused (`ValidationError('agenda.error.midnight')`), because a first meeting of a community never
runs through the night and a wrapped clock time ("00:15" after "23:50") would mislead more than it helps. An end of
exactly 24:00 is allowed and shown as "24:00"; a planned end at midnight is stored as "00:00" (`format_planned_end`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .clean import whole_number
from .errors import ValidationError

MIN_DURATION = 1  # minutes per block
MAX_DURATION = 480  # eight hours: longer is a typo, not a block
MINUTES_PER_DAY = 24 * 60
CLOCK = re.compile(r'^\s*(\d{1,2})[:hHu.](\d{2})\s*$')


def parse_clock(value: Any, field: str | None = None) -> int:
    """'09:30' (also '9:30', '9h30', '9u30', '9.30') -> 570. ValidationError 'agenda.error.clock' otherwise."""
    match = CLOCK.match(str(value or ''))
    if not match:
        raise ValidationError('agenda.error.clock', field)
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        raise ValidationError('agenda.error.clock', field)
    return hours * 60 + minutes


def format_clock(minutes: int) -> str:
    """570 -> '09:30'; 1440 -> '24:00' (an end at midnight)."""
    if not 0 <= minutes <= MINUTES_PER_DAY:
        raise ValueError(f'{minutes} is not a time of day')
    return f'{minutes // 60:02d}:{minutes % 60:02d}'


def format_planned_end(minutes: int) -> str:
    """A planned end as a clock field holds it: like format_clock, but midnight at the end of the day (1440) is
    '00:00', which parse_clock accepts and schedule() reads back as midnight ('24:00' would be refused)."""
    return format_clock(0 if minutes == MINUTES_PER_DAY else minutes)


def check_duration(value: Any, field: str | None = 'duration') -> int:
    """A block's duration as whole minutes in MIN_DURATION..MAX_DURATION; ValidationError 'agenda.error.duration'."""
    return whole_number(
        value, MIN_DURATION, MAX_DURATION, 'agenda.error.duration', field, min=MIN_DURATION, max=MAX_DURATION
    )


@dataclass(frozen=True)
class Slot:
    """One block placed on the clock."""

    index: int
    start: int  # minutes since midnight
    end: int
    duration: int

    @property
    def start_text(self) -> str:
        return format_clock(self.start)

    @property
    def end_text(self) -> str:
        return format_clock(self.end)


@dataclass(frozen=True)
class Timing:
    start: int
    slots: tuple[Slot, ...]
    planned_end: int | None

    @property
    def total(self) -> int:
        return sum(s.duration for s in self.slots)

    @property
    def end(self) -> int:
        return self.start + self.total

    @property
    def overrun(self) -> int:
        """Minutes past the planned end (0 when on time, or without a planned end)."""
        return max(0, self.end - self.planned_end) if self.planned_end is not None else 0

    @property
    def slack(self) -> int:
        """Minutes left before the planned end (0 when on time or over)."""
        return max(0, self.planned_end - self.end) if self.planned_end is not None else 0

    @property
    def start_text(self) -> str:
        return format_clock(self.start)

    @property
    def end_text(self) -> str:
        return format_clock(self.end)

    @property
    def planned_end_text(self) -> str:
        return format_clock(self.planned_end) if self.planned_end is not None else ''


def schedule(start: int | str, durations: Sequence[int], planned_end: int | str | None = None) -> Timing:
    """Place blocks of `durations` one after another from `start`. Refuses a day that runs past midnight and a
    planned end that is not after the start."""
    begin = parse_clock(start, 'start') if isinstance(start, str) else start
    if not 0 <= begin < MINUTES_PER_DAY:
        raise ValidationError('agenda.error.clock', 'start')
    planned = None
    if planned_end not in (None, ''):
        planned = parse_clock(planned_end, 'planned_end') if isinstance(planned_end, str) else planned_end
        if planned == 0:
            planned = MINUTES_PER_DAY  # "00:00" as a planned end means midnight at the end of the day
        if planned <= begin:
            raise ValidationError('agenda.error.planned_end', 'planned_end')
    slots = []
    clock = begin
    for index, duration in enumerate(durations):
        minutes = check_duration(duration)
        if clock + minutes > MINUTES_PER_DAY:
            raise ValidationError('agenda.error.midnight', 'duration', block=index + 1)
        slots.append(Slot(index, clock, clock + minutes, minutes))
        clock += minutes
    return Timing(begin, tuple(slots), planned)


def split_minutes(total: int) -> tuple[int, int]:
    """90 -> (1, 30): hours and minutes, for '1 h 30 min'."""
    return divmod(max(0, int(total)), 60)
