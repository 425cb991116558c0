"""A kick-off scenario shown read-only, as the facilitator script or the participant agenda: the print views and
the coach's view. Takes `core.kickoff.scenario_data(...)`; all text is plain (escaped) text."""

from __future__ import annotations

from typing import Any

from nicegui import html, ui

from core.i18n import Translator
from core.kickoff.texts import data_timing_text, duration_text, when_text, where_text

from . import typography as tx

VIEW_CSS = """
.cop-agenda { border-collapse: collapse; width: 100%; }
.cop-agenda th, .cop-agenda td { text-align: left; vertical-align: top; padding: .4rem .5rem;
  border-bottom: 1px solid #9aa5b1; }
.cop-agenda thead th { background: #e3eaf4; border-bottom: 2px solid #1d4f91; }
.cop-agenda td.cop-time { white-space: nowrap; font-variant-numeric: tabular-nums; }
.cop-script-block { break-inside: avoid-page; border-top: 1px solid #9aa5b1; padding-top: .5rem; }
.cop-pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.cop-view { overflow-wrap: anywhere; }
@media print {
  .cop-view { font-size: 11pt; }
  .cop-agenda thead { display: table-header-group; }
  .cop-agenda tr { break-inside: avoid; }
  .cop-view h2, .cop-view h3 { break-after: avoid-page; }
  @page { size: A4; margin: 16mm; }
}
"""


def install_view_css() -> None:
    """Once per process start, with the pages (pages/kickoff.register)."""
    ui.add_css(VIEW_CSS, shared=True)


def scenario_view(t: Translator, data: dict[str, Any], version: str, community: str = '') -> ui.element:
    """The script (version='script', everything) or the agenda (version='agenda': times, titles, goals). Needs
    `install_view_css()` once per process."""
    with html.div().classes('cop-view w-full flex flex-col gap-2').mark(f'view-{version}') as root:
        if community:
            tx.p(community).classes('cop-muted')
        tx.p(t(f'kickoff.version.{version}')).classes('text-lg font-semibold')
        with html.dl().classes('grid grid-cols-[auto_1fr] gap-x-3 gap-y-1'):
            _term(t('kickoff.pdf.when'), when_text(t, data))
            _term(t('kickoff.pdf.where'), where_text(t, data))
            if version == 'script' and data['people']:
                _term(t('kickoff.pdf.people'), '; '.join(f'{p["role"]}: {p["name"]}' for p in data['people']))
        if version == 'script':
            tx.p(data_timing_text(t, data)).mark('view-timing')
        _agenda_table(t, data, version)
        if version == 'script':
            _script_blocks(t, data)
            for name in ('preparation', 'follow_up'):
                tx.h2(t(f'kickoff.{name}.title'))
                if not data[name]:
                    tx.p(t('kickoff.check.empty')).classes('cop-muted')
                with html.ul().classes('flex flex-col gap-1'):
                    for item in data[name]:
                        tx.li(f'{"☑" if item["done"] else "☐"} {item["text"]}').classes('cop-pre')
        else:
            tx.p(t('kickoff.pdf.end_at', end=data['end'])).classes('cop-muted')
    return root


def _agenda_table(t: Translator, data: dict[str, Any], version: str) -> None:
    if version == 'script':
        tx.h2(t('kickoff.pdf.overview'))
    with html.table().classes('cop-agenda').mark('view-table'):
        with html.thead(), html.tr():
            for key in ('kickoff.pdf.time', 'kickoff.pdf.programme', 'kickoff.pdf.duration'):
                tx.Text('th', t(key)).props('scope=col')
        with html.tbody():
            for block in data['blocks']:
                with html.tr():
                    tx.Text('td', f'{block["start"]}–{block["end"]}').classes('cop-time')
                    with html.td():
                        tx.div(block['title']).classes('font-semibold')
                        if block['goal']:
                            tx.div(block['goal']).classes('cop-pre')
                        if version == 'script' and block['method']:
                            tx.div(f'{t("kickoff.field.method")}: {block["method"]}').classes('text-sm cop-muted')
                    tx.Text('td', duration_text(t, block['duration'])).classes('cop-time')


def _script_blocks(t: Translator, data: dict[str, Any]) -> None:
    tx.h2(t('kickoff.pdf.blocks'))
    for block in data['blocks']:
        with html.section().classes('cop-script-block').mark('view-block'):
            tx.h3(f'{block["start"]}–{block["end"]} · {block["title"]}')
            with html.dl().classes('grid grid-cols-[auto_1fr] gap-x-3 gap-y-1'):
                _term(t('kickoff.pdf.duration'), duration_text(t, block['duration']))
                for key in ('goal', 'method'):
                    if block[key]:
                        _term(t(f'kickoff.field.{key}'), block[key])
                if block['roles']:
                    _term(t('kickoff.field.roles'), ', '.join(block['roles']))
                for key in ('instructions', 'materials', 'notes'):
                    if block[key]:
                        _term(t(f'kickoff.field.{key}'), block[key])


def _term(term: str, value: str) -> None:
    tx.dt(term).classes('font-medium')
    tx.dd(value).classes('cop-pre')
