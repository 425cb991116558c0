"""One community as its organisation sees it: the always-shown facts, each shared part's summary, and for a part the
coordinator keeps to the community the words "not shared by the coordinator" (never a value, never a hint). The
officer's portfolio and the coordinator's preview use the same card, so both sides read the same."""

from __future__ import annotations

from nicegui import html, ui

from core.portfolio import COLUMN_PART, Labels, Row, cell

from . import typography as tx

# a flag: white on dark brown (contrast above 7:1), its words saying what it is
FLAG_PROPS = 'color=brown-9 text-color=white'
# the lines of a card: a label key and the table columns whose cells it joins
LINES = (
    ('kompas', ('kompas', 'weakest', 'trend')),
    ('survey', ('survey_answers', 'satisfaction')),
    ('plan', ('plan_open', 'plan_done', 'plan_overdue')),
    ('next_review', ('next_review',)),
    ('ittools', ('ittools',)),
    ('kickoff', ('kickoff',)),
)


def community_card(row: Row, labels: Labels, href: str | None = None) -> ui.card:
    t = labels.t
    with ui.card().classes('w-full gap-1').props('flat bordered').mark('portfolio-row') as card:
        with ui.row().classes('w-full items-baseline gap-x-3 gap-y-0'):
            if href:
                with html.h3().classes('text-lg font-medium m-0'):
                    ui.link(row.name, href).mark('portfolio-open')
            else:
                tx.h3(row.name).classes('text-lg font-medium m-0')
            tx.span(f'{labels.stage(row.stage)} · {cell(row, "age", labels)}').classes('text-sm cop-muted')
        if row.purpose:
            tx.p(row.purpose).classes('text-sm')
        with html.dl().classes('grid grid-cols-1 sm:grid-cols-[auto_1fr] gap-x-4 gap-y-0 text-sm'):
            _line(t('portfolio.line.coordinators'), cell(row, 'coordinators', labels))
            _line(t('portfolio.line.last_activity'), cell(row, 'last_activity', labels))
            for key, columns in LINES:
                _line(t(f'portfolio.line.{key}'), _joined(row, key, columns, labels), hidden=_hidden(row, columns))
        if row.flags:
            with ui.row().classes('gap-1 pt-1').mark('portfolio-flags'):
                for flag in row.flags:
                    ui.badge(t(f'portfolio.flag.{flag}')).props(FLAG_PROPS).mark(f'flag-{flag}')
    return card


def _joined(row: Row, key: str, columns: tuple[str, ...], labels: Labels) -> str:
    t = labels.t
    if _hidden(row, columns):
        return t('portfolio.not_shared')
    values = {c: str(cell(row, c, labels)) for c in columns}
    if key == 'kompas':
        return t('portfolio.line.kompas_value', overall=values['kompas'], weakest=values['weakest'],
                 trend=values['trend'])  # fmt: skip
    if key == 'survey':
        return t('portfolio.line.survey_value', answers=values['survey_answers'], satisfaction=values['satisfaction'])
    if key == 'plan':
        return t('portfolio.line.plan_value', open=values['plan_open'], done=values['plan_done'],
                 overdue=values['plan_overdue'])  # fmt: skip
    return values[columns[0]]


def _hidden(row: Row, columns: tuple[str, ...]) -> bool:
    return any(COLUMN_PART.get(c) and COLUMN_PART[c] not in row.shared for c in columns)


def _line(label: str, value: str, hidden: bool = False) -> None:
    tx.dt(label).classes('font-medium')
    dd = tx.dd(value)
    if hidden:
        dd.classes('cop-muted italic').mark('not-shared')
