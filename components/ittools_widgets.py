"""Pieces of the IT-tools pages: who is present, the score legend, what the meeting's way of scoring means, the ranking
chart and the results as an accessible table. They take plain data and callbacks; none reads storage."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from html import escape
from typing import Any

from nicegui import html, ui

from core.i18n import Translator
from core.ittools import Rights
from core.ittools.model import Meeting
from core.ittools.view import PresenceView, presence_lines

from . import typography as tx
from .frame import aria


class PresenceList:
    """The people who have the comparison open, grouped (coordination, participants, watching, connection lost) and
    sorted by name, with a search field: usable with a hundred names. The names are one text element updated in
    place, however many people join (every page of a meeting shows it, so its size counts a hundred times), in a box
    of fixed height that scrolls: a joining or leaving participant never moves the matrix below it. The text comes
    ready from the room (core/ittools/view.py `presence_view`, once per change and language): a page that shows
    that version already does nothing, so a join costs each page a comparison, not a sort of a hundred names."""

    def __init__(self, t: Translator) -> None:
        self.t = t
        self._view: PresenceView | None = None
        self._query = ''
        with html.section().classes('w-full') as self.box:
            aria(self.box, t('meeting.presence.title'))
            self.heading = tx.h2(t('meeting.presence.title')).classes('cop-h3')
            self.search = (
                ui.input(t('meeting.presence.search'), on_change=lambda e: self._on_search(e.value))
                .props('dense clearable type=search')
                .classes('w-full max-w-xs')
                .mark('presence-search')
            )
            self.names = (
                tx.p('').classes('text-sm whitespace-pre-line overflow-y-auto').style('height: 7.5rem').mark('presence')
            )
            self.names.props(f'tabindex=0 role=region aria-label="{t("meeting.presence.title")}"')

    def update(self, view: PresenceView) -> None:
        if self._view is not None and self._view.key == view.key:
            return
        self._view = view
        self.heading.set_text(view.heading)
        self._render()

    def _on_search(self, value: Any) -> None:
        self._query = value.strip().casefold() if isinstance(value, str) else ''
        self._render()

    def _render(self) -> None:
        view = self._view
        if view is None:
            return
        if self._query:
            self.names.set_text(presence_lines(view.rows, self.t, total=view.total, query=self._query))
        else:
            self.names.set_text(view.text)


def score_legend(t: Translator) -> None:
    """What each score means, next to the matrix: one element (a definition list written as HTML, its texts escaped),
    not ten, because every page of a meeting of a hundred shows it."""
    items = []
    for score in range(4):
        name, meaning = t(f'ittools.score.{score}'), t(f'ittools.score.{score}.meaning')
        items.append(f'<dt class="font-semibold">{score} · {escape(name)}</dt>')
        items.append(f'<dd class="cop-muted">{escape(meaning)}</dd>')
    legend = (
        '<dl class="grid grid-cols-[auto_1fr] sm:grid-cols-[auto_1fr_auto_1fr] gap-x-3 gap-y-1 text-sm">'
        f'{"".join(items)}</dl>'
    )
    aria(ui.html(sys.intern(legend), sanitize=False, tag='section').classes('w-full'), t('ittools.legend.title'))


def mode_text(t: Translator, meeting: Meeting | None, rights: Rights) -> str:
    """One line on how the meeting scores now, for the person whose rights these are."""
    if meeting is None:
        return t('meeting.mode.none')
    if meeting.mode == 'private':
        return t('meeting.mode.private.status' if rights.cells else 'meeting.mode.private.status_viewer')
    if meeting.mode == 'revealed':
        return t('meeting.mode.revealed.status')
    return t('meeting.mode.together.status')


@dataclass(frozen=True)
class RankRow:
    rank: int
    name: str
    percent_text: str
    width: float  # 0..100
    excluded: bool
    failed: str  # names of failed must-haves
    detail: str  # points and completeness


def ranking_chart(t: Translator, rows: list[RankRow]) -> None:
    """Horizontal bars in ranking order; the bars are decoration, every figure is also text."""
    with html.ol().classes('w-full flex flex-col gap-2').mark('ranking-chart'):
        for row in rows:
            with html.li().classes('grid grid-cols-[minmax(7rem,14rem)_1fr_auto] gap-3 items-center'):
                tx.span(f'{row.rank}. {row.name}').classes('font-semibold')
                with html.div().classes('h-4 rounded bg-gray-200 overflow-hidden') as track:
                    track.props['aria-hidden'] = 'true'
                    html.div().classes('h-full ' + ('bg-gray-500' if row.excluded else 'bg-primary')).style(
                        f'width: {row.width:.1f}%'
                    )
                tx.span(row.percent_text).classes('font-semibold tabular-nums')
                tx.span(row.detail).classes('text-sm cop-muted col-span-3 -mt-1')
                if row.excluded:
                    tx.span(t('ittools.results.excluded', criteria=row.failed)).classes(
                        'text-sm text-negative font-medium col-span-3 -mt-1'
                    ).mark('excluded-note')


def results_table(t: Translator, caption: str, tools: list[str], rows: list[dict[str, Any]], totals: list[str]) -> None:
    """The matrix as a table: a header per tool, a header per criterion, the totals in the footer.

    rows: {'title', 'weight', 'share', 'must', 'cells': [(score text, note)]} in criterion order."""
    with html.div().classes('w-full overflow-x-auto border rounded') as scroll:
        scroll.props['role'] = 'region'
        scroll.props['tabindex'] = '0'
        aria(scroll, caption)
        with html.table().classes('cop-results min-w-full text-sm').mark('results-table'):
            tx.Text('caption', caption).classes('text-left font-semibold p-2')
            with html.thead(), html.tr():
                for text in (t('ittools.results.criterion'), t('ittools.results.weight'), *tools):
                    tx.Text('th', text).props('scope=col').classes('text-left p-2 bg-blue-50 align-bottom')
            with html.tbody():
                for row in rows:
                    with html.tr().classes('border-t'):
                        title = row['title'] + (f' ({t("ittools.must")})' if row['must'] else '')
                        tx.Text('th', title).props('scope=row').classes('text-left p-2 font-medium align-top')
                        tx.Text('td', f'{row["weight"]} · {row["share"]}').classes('p-2 align-top whitespace-nowrap')
                        for score, note in row['cells']:
                            with tx.Text('td', '').classes('p-2 align-top'):
                                tx.div(score)
                                if note:
                                    tx.div(note).classes('cop-muted text-xs whitespace-pre-wrap')
            with html.tfoot(), html.tr().classes('border-t-2'):
                tx.Text('th', t('ittools.results.total')).props('scope=row').classes('text-left p-2')
                tx.Text('td', '').classes('p-2')
                for total in totals:
                    tx.Text('td', total).classes('p-2 font-semibold')
