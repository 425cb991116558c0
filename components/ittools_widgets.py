"""Pieces of the IT-tools pages: who is present, the score legend, what the meeting's way of scoring means, the ranking
chart and the results as an accessible table. They take plain data and callbacks; none reads storage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nicegui import html, ui

from core.i18n import Translator
from core.ittools import Rights
from core.ittools.model import Meeting

from . import typography as tx
from .frame import aria


class PresenceList:
    """The people who have the comparison open, grouped (coordination, participants, watching, connection lost) and
    sorted by name, with a search field: usable with a hundred names. The names are one text element updated in
    place, however many people join (every page of a meeting shows it, so its size counts a hundred times), in a box
    of fixed height that scrolls: a joining or leaving participant never moves the matrix below it."""

    GROUPS = ('coordinator', 'participant', 'viewer', 'away')

    def __init__(self, t: Translator, *, show_progress: bool = False) -> None:
        self.t = t
        self.show_progress = show_progress
        self._rows: list[Any] = []
        self._total = 0
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

    def update(self, rows: list[Any], total_cells: int = 0) -> None:
        self._rows, self._total = list(rows), total_cells
        self.heading.set_text(self.t('meeting.presence.count', count=sum(1 for r in rows if r.connected)))
        self._render()

    def _on_search(self, value: Any) -> None:
        self._query = value.strip().casefold() if isinstance(value, str) else ''
        self._render()

    def _label(self, row: Any) -> str:
        label = row.name
        if row.kind == 'coordinator':
            label = self.t('meeting.presence.coordinator', name=row.name)
        elif row.kind == 'viewer':
            label = self.t('meeting.presence.viewer', name=row.name)
        if not row.connected:
            label = self.t('meeting.presence.away', name=label)
        if self.show_progress and row.scored is not None and self._total:
            label = self.t('meeting.presence.progress', name=label, scored=row.scored, total=self._total)
        return label

    def _render(self) -> None:
        groups: dict[str, list[str]] = {group: [] for group in self.GROUPS}
        for row in sorted(self._rows, key=lambda r: str(r.name).casefold()):
            if self._query and self._query not in str(row.name).casefold():
                continue
            group = (
                'away' if not row.connected else row.kind if row.kind in ('coordinator', 'viewer') else 'participant'
            )
            groups[group].append(self._label(row))
        lines = [
            self.t(f'meeting.presence.group.{group}', count=len(labels)) + ' ' + ' · '.join(labels)
            for group, labels in groups.items()
            if labels
        ]
        if not lines and self._query:
            lines = [self.t('meeting.presence.none_found')]
        self.names.set_text('\n'.join(lines))


def score_legend(t: Translator) -> None:
    """What each score means, next to the matrix."""
    with html.section().classes('w-full') as section:
        aria(section, t('ittools.legend.title'))
        with html.dl().classes('grid grid-cols-[auto_1fr] sm:grid-cols-[auto_1fr_auto_1fr] gap-x-3 gap-y-1 text-sm'):
            for score in range(4):
                tx.dt(f'{score} · {t(f"ittools.score.{score}")}').classes('font-semibold')
                tx.dd(t(f'ittools.score.{score}.meaning')).classes('cop-muted')


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
