"""Sentences about a scenario's timing, in the reader's language: shared by the editor, the print views and the PDFs."""

from __future__ import annotations

from typing import Any

from ..agenda import Timing, split_minutes
from ..i18n import Translator


def duration_text(t: Translator, minutes: int) -> str:
    """45 -> '45 min'; 90 -> '1 u 30 min' (nl) / '1 h 30 min'; 120 -> '2 u'."""
    hours, rest = split_minutes(minutes)
    if not hours:
        return t('kickoff.minutes', n=rest)
    if not rest:
        return t('kickoff.hours', h=hours)
    return t('kickoff.hours_minutes', h=hours, m=rest)


def timing_text(t: Translator, timing: Timing) -> str:
    """How the scenario's end compares with the planned end, in words (never by colour alone). A scenario has
    blocks exactly when its timing has slots."""
    return _timing_sentence(
        t,
        bool(timing.slots),
        timing.total,
        timing.start_text,
        timing.end_text,
        timing.planned_end_text,
        timing.overrun,
        timing.slack,
    )


def data_timing_text(t: Translator, data: dict[str, Any]) -> str:
    """The same sentence from `scenario_data(...)` (print views and PDFs, which hold plain data)."""
    return _timing_sentence(
        t,
        bool(data['blocks']),
        data['total'],
        data['start'],
        data['end'],
        data['planned_end'],
        data['overrun'],
        data['slack'],
    )


def _timing_sentence(
    t: Translator, has_blocks: bool, minutes: int, start: str, end: str, planned_end: str, overrun: int, slack: int
) -> str:
    if not has_blocks:
        return t('kickoff.timing.empty')
    total = duration_text(t, minutes)
    if not planned_end:
        return t('kickoff.timing.no_plan', start=start, end=end, total=total)
    if overrun:
        return t('kickoff.timing.over', end=end, planned=planned_end, over=duration_text(t, overrun), total=total)
    if slack:
        return t('kickoff.timing.slack', end=end, planned=planned_end, slack=duration_text(t, slack), total=total)
    return t('kickoff.timing.on_time', end=end, planned=planned_end, total=total)


def when_text(t: Translator, data: dict[str, Any]) -> str:
    """'29 november 2026, 09:30–11:00' (without a date: '09:30–11:00')."""
    span = f'{data["start"]}–{data["end"]}'
    return f'{t.date(data["date"])}, {span}' if data.get('date') else span


def where_text(t: Translator, data: dict[str, Any]) -> str:
    mode = t(f'kickoff.mode.{data["mode"]}')
    return f'{t("kickoff.pdf.colon", label=mode)} {data["location"]}' if data.get('location') else mode
