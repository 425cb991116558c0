"""Sentences about a scenario's timing, in the reader's language: shared by the editor, the print views and the PDFs."""
from __future__ import annotations

from typing import Any

from ..agenda import split_minutes
from ..i18n import Translator


def duration_text(t: Translator, minutes: int) -> str:
    """45 -> '45 min'; 90 -> '1 u 30 min' (nl) / '1 h 30 min'; 120 -> '2 u'."""
    hours, rest = split_minutes(minutes)
    if not hours:
        return t('kickoff.minutes', n=rest)
    if not rest:
        return t('kickoff.hours', h=hours)
    return t('kickoff.hours_minutes', h=hours, m=rest)


def timing_text(t: Translator, data: dict[str, Any]) -> str:
    """How the scenario's end compares with the planned end, in words (never by colour alone)."""
    total = duration_text(t, data['total'])
    if not data['blocks']:
        return t('kickoff.timing.empty')
    if not data['planned_end']:
        return t('kickoff.timing.no_plan', start=data['start'], end=data['end'], total=total)
    if data['overrun']:
        return t('kickoff.timing.over', end=data['end'], planned=data['planned_end'],
                 over=duration_text(t, data['overrun']), total=total)
    if data['slack']:
        return t('kickoff.timing.slack', end=data['end'], planned=data['planned_end'],
                 slack=duration_text(t, data['slack']), total=total)
    return t('kickoff.timing.on_time', end=data['end'], planned=data['planned_end'], total=total)


def when_text(t: Translator, data: dict[str, Any]) -> str:
    """'29 november 2026, 09:30–11:00' (without a date: '09:30–11:00')."""
    span = f'{data["start"]}–{data["end"]}'
    return f'{t.date(data["date"])}, {span}' if data.get('date') else span


def where_text(t: Translator, data: dict[str, Any]) -> str:
    mode = t(f'kickoff.mode.{data["mode"]}')
    return f'{t("kickoff.pdf.colon", label=mode)} {data["location"]}' if data.get('location') else mode
