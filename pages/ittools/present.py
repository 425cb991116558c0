"""The presenter view for the projector: the code, the QR code, the matrix and the ranking on one screen.

/c/{cid}/ittools/{comparison}/present?lang=fr

It shows what the whole room may see, never the coordinator's own private scores: while everyone scores alone, the
cells stay empty and only the progress is shown. It follows the meeting live (a rebuild is fine here:
nobody types on this screen), and speaks the language chosen in its header, the meeting's language. A burst of
changes (a hundred people scoring at once, a hundred joining) is drawn as it settles: at most one rebuild every
`REDRAW_EVERY` seconds, the last one after the last change, so the projector never costs the meeting one rebuild
(and one QR code) per edit.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.frame import aria
from components.ittools_access import load_or_error
from components.ittools_widgets import RankRow, mode_text, ranking_chart
from components.qr import qr_image
from core.i18n import Translator
from core.ittools import ITTools, Rights
from core.ittools.codes import display as display_code
from core.ittools.live import Room
from core.ittools.model import Comparison
from core.ittools.view import criteria_payload, stats_payload, tools_payload, totals_payload
from core.services import Services

from .._base import community_page

REDRAW_EVERY = 0.5  # seconds
CSS = """
.cop-present { display: grid; grid-template-columns: minmax(16rem, 26rem) 1fr; gap: 1.25rem; width: 100%;
  align-items: start; }
.cop-present__code { font-size: clamp(2.5rem, 3.6vw, 4.5rem); font-weight: 700; letter-spacing: .08em;
  line-height: 1.1; white-space: nowrap; }
.cop-present__table { border-collapse: collapse; width: 100%; font-size: clamp(.78rem, 1.05vw, 1.05rem); }
.cop-present__table th, .cop-present__table td { border-bottom: 1px solid #d0d5db; padding: .18rem .4rem;
  text-align: left; vertical-align: top; }
.cop-present__table thead th { border-bottom: 2px solid #1c1c1c; }
.cop-present__table tfoot th, .cop-present__table tfoot td { border-top: 2px solid #1c1c1c; font-weight: 600; }
.cop-present__differ { background: #fff1e0; box-shadow: inset 4px 0 0 #8a5a00; }
@media (max-width: 899px) { .cop-present { grid-template-columns: 1fr; } }
@media (min-width: 1600px) and (min-height: 900px) { .cop-present__table { font-size: 1.3rem; }
  .cop-present .nicegui-image { width: 18rem !important; height: 18rem !important; } }
"""


def register(services: Services) -> None:
    @community_page(services, '/c/{cid}/ittools/{comparison_id}/present')
    def present_page(ctx: PageContext, comparison_id: str):
        loaded = load_or_error(services.ittools, ctx, comparison_id)
        if loaded is not None:
            _present(ctx, services.ittools, loaded[1])


def _present(ctx: PageContext, ittools: ITTools, comparison: Comparison) -> None:
    """The projector's view: the matrix, large, redrawn on every change in the room."""
    t, cid = ctx.t, ctx.community.id
    base = str(ctx.request.base_url).rstrip('/')
    ui.add_css(CSS)
    with ctx.frame(comparison.title, public=True, heading=False) as main:
        main.classes(remove='max-w-screen-lg py-4 gap-3').classes('max-w-none py-2 gap-1')
        tx.h1(comparison.title).classes('cop-h2 my-0')

        @ui.refreshable
        def board() -> None:
            _board(t, ittools.room(cid, comparison.id), base, ittools.present(cid, comparison.id))

        board()
        client = ui.context.client

        def redraw() -> None:
            if not (client.is_deleted or main.is_deleted):
                with main:
                    board.refresh()

        later = Coalesced(redraw, REDRAW_EVERY)

        def changed(change: Any) -> None:
            if client.is_deleted or main.is_deleted:  # gone (its own on_delete may not have run yet)
                unsubscribe()
                return
            if change.kind != 'editing':  # the projector shows no "is editing" marks
                later.ask()

        unsubscribe = ittools.subscribe(cid, comparison.id, changed)
        client.on_delete(unsubscribe)


class Coalesced:
    """Runs `action` soon after it is asked for, at most once every `every` seconds: the asks that come meanwhile are
    served by one run after them. Never inside the caller (the room's notification of the other pages goes first)."""

    def __init__(self, action: Callable[[], None], every: float) -> None:
        self.action, self.every = action, every
        self.last = -every
        self.waiting: asyncio.TimerHandle | None = None

    def ask(self) -> None:
        if self.waiting is not None:
            return
        wait = max(0.0, self.last + self.every - time.monotonic())
        self.waiting = asyncio.get_running_loop().call_later(wait, self._run)

    def _run(self) -> None:
        self.waiting = None
        self.last = time.monotonic()
        self.action()


def _board(t: Translator, room: Room, base: str, present: list[Any]) -> None:
    meeting = room.active_meeting
    private = meeting is not None and meeting.mode == 'private'
    revealed = meeting is not None and meeting.mode == 'revealed'
    tx.p(mode_text(t, meeting, Rights(totals=not private, stats=revealed))).classes('text-sm').props('role=status')
    with html.div().classes('cop-present').mark('presenter'):
        with html.section().classes('flex flex-col gap-2') as side:
            aria(side, t('present.join'))
            if meeting is None:
                tx.p(t('present.no_meeting')).classes('text-lg font-medium').mark('presenter-no-meeting')
            else:
                link = f'{base}/m/{meeting.code}'
                tx.p(t('meeting.big.go_to', host=f'{base}/m')).classes('text-lg')
                tx.p(display_code(meeting.code)).classes('cop-present__code').mark('presenter-code')
                qr_image(link, t('meeting.panel.qr_alt', code=display_code(meeting.code)), size='min(13rem, 26vh)')
                people = sum(1 for row in present if row.kind == 'participant' and row.connected)
                tx.p(t('present.people', count=people)).classes('font-medium').mark('presenter-people')
            if not private:  # beside the matrix, so code, matrix and ranking fit one projector screen
                totals = totals_payload(room, t)
                names = {tool['id']: tool['name'] for tool in tools_payload(room, t)}
                tx.h2(t('matrix.ranking')).classes('cop-h3')
                ranking_chart(
                    t,
                    [
                        RankRow(r['rank'], names[tool_id], r['pct'], r['width'], r['excluded'], r['failed'], '')
                        for tool_id, r in totals.items()
                    ],
                )
        with html.section().classes('min-w-0 overflow-x-auto') as body:  # a narrow screen scrolls the table only
            aria(body, t('matrix.caption'))
            body.props['tabindex'] = '0'
            _table(t, room, private, revealed)


def _table(t: Translator, room: Room, private: bool, revealed: bool) -> None:
    tools = tools_payload(room, t)
    criteria = criteria_payload(room, t)
    stats = stats_payload(room, t) if revealed else {}
    totals = {} if private else totals_payload(room, t)
    scores = room.comparison.scores
    with html.table().classes('cop-present__table').mark('presenter-matrix'):
        tx.Text('caption', t('matrix.caption')).classes('cop-sr-only')
        with html.thead(), html.tr():
            tx.Text('th', t('matrix.criterion')).props('scope=col')
            for tool in tools:
                tx.Text('th', tool['name']).props('scope=col')
        with html.tbody():
            for criterion in criteria:
                with html.tr():
                    title = criterion['title'] + (f' ({t("matrix.must")})' if criterion['must'] else '')
                    tx.Text('th', title).props('scope=row').classes('font-medium')
                    for tool in tools:
                        key = f'{tool["id"]}:{criterion["id"]}'
                        _cell(t, None if private else scores.get(key), stats.get(key))
        if totals:
            with html.tfoot(), html.tr():
                tx.Text('th', t('matrix.total')).props('scope=row')
                for tool in tools:
                    total = totals[tool['id']]
                    text = f'{total["pct"]} · {t("matrix.rank", rank=total["rank"])}'
                    tx.Text('td', text + (f' · {t("matrix.excluded")}' if total['excluded'] else ''))


def _cell(t: Translator, entry: Any, stats: dict[str, Any] | None) -> None:
    with tx.Text('td', '') as cell:
        if entry is not None:
            tx.div(f'{entry.value} · {t(f"ittools.score.{entry.value}")}').classes('font-semibold')
        elif stats is None:
            aria(tx.span('—'), t('matrix.unscored'))
        if stats is not None:
            if stats['disagree']:
                cell.classes('cop-present__differ')
            with tx.div('').classes('text-sm') as box:
                box.props['title'] = stats['detail']
                tx.div(stats['text'])
                tx.div(stats['range'] + (f' · {t("matrix.disagreement")}' if stats['disagree'] else ''))
