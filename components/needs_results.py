"""The needs survey's released results inside the kick-off's "needs and expectations" block: the most chosen topics,
hopes, formats, moments, rhythm and time, or a pointer to the needs survey while nothing is released."""

from __future__ import annotations

from nicegui import html, ui

from core.i18n import Translator
from core.needs import NeedsSummary, heading, lines

from . import typography as tx


def needs_results(t: Translator, summary: NeedsSummary | None, cid: str) -> None:
    """Shown on the block's card, outside its details, so the coordinator sees it while arranging the blocks."""
    with ui.column().classes('w-full gap-1 mt-1 p-3 rounded bg-[#f3f6fa]').mark('needs-results'):
        tx.p(t('needs.result.title')).classes('font-semibold')
        if summary is None:
            tx.p(t('needs.result.none')).classes('text-sm cop-muted').mark('needs-results-none')
            ui.link(t('needs.result.open'), f'/c/{cid}/needs').classes('text-sm')
            return
        tx.p(heading(summary, t)).classes('text-sm')
        with html.dl().classes('w-full text-sm grid gap-x-4 gap-y-1 md:grid-cols-[minmax(12rem,1fr)_2fr]'):
            for question, answers in lines(summary, t):
                tx.dt(question).classes('font-medium')
                tx.dd(answers).classes('ml-0').mark('needs-result-line')
