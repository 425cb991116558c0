"""Pieces shared by the anonymous-survey pages (the member survey, answering it, a session's feedback round): the
anonymity notice and its one-line summary, a round's status and its buttons, its open link with the QR code, its
personal links (a sheet of QR cards and a list for a mail merge), the "count not verified" label, the trend, the
perception gap (two rankings).

`ctx` is the page's context (pages._base.PageContext): its translator, community, user and services, captured
when the page was built."""

from __future__ import annotations

from typing import Any

from nicegui import html, run, ui

from core.dossier import GapView
from core.i18n import Translator
from core.needs import worded
from core.survey import MAX_CODES, SurveyRound
from core.survey_results import to_csv

from . import typography as tx
from .charts import SERIES_COLOURS
from .forms import ErrorLine, NumberField, copy_field
from .qr import qr_image, qr_png, qr_svg
from .tables import data_table

NOTICE_POINTS = ('stored', 'not_stored', 'order', 'threshold', 'texts', 'receipt')


def survey_link(ctx: Any, survey_round: SurveyRound, lang: str | None = None) -> str:
    base = str(ctx.request.base_url).rstrip('/')
    return f'{base}/s/{ctx.community.id}/{survey_round.token}' + (f'?lang={lang}' if lang else '')


def personal_link(ctx: Any, code: str) -> str:
    return f'{str(ctx.request.base_url).rstrip("/")}/s/{ctx.community.id}/p/{code}'


def status_text(t: Translator, survey_round: SurveyRound) -> str:
    if survey_round.status == 'open' and survey_round.expired():
        return t('survey.status.expired', date=t.date(survey_round.closes))
    if survey_round.status == 'open' and survey_round.closes:
        return t('survey.status.open_until', date=t.date(survey_round.closes))
    return t(f'survey.status.{survey_round.status}')


def anonymity_notice(t: Translator, threshold: int, heading: bool = True) -> None:
    """What is and is not stored, in plain words: the same text for the coordinator and the respondent."""
    with ui.card().classes('w-full bg-blue-50').props('flat bordered').mark('anonymity-notice'):
        if heading:
            tx.h2(t('survey.notice.title'))
        with html.ul().classes('list-disc pl-5 flex flex-col gap-1'):
            for key in NOTICE_POINTS:
                tx.li(t(f'survey.notice.{key}', threshold=threshold))
        ui.link(t('privacy.link_long'), '/privacy').classes('text-sm').mark('survey-privacy')


def anonymity_summary(t: Translator, threshold: int, instrument: str | None = None) -> None:
    """The coordinator's view of the notice: one line, the respondents' full text a click away (`instrument` words
    who the respondents are: members, or prospective members for the needs survey)."""
    with ui.column().classes('w-full gap-1').mark('anonymity-summary'):
        with ui.row().classes('items-start gap-2 no-wrap'):
            ui.icon('lock', size='sm').classes('text-blue-900 mt-0.5').props('aria-hidden=true')
            tx.p(t('survey.notice.summary', threshold=threshold))
        more = ui.expansion(t(worded('survey.notice.more', instrument))).classes('w-full').props('dense')
        with more.mark('anonymity-more'):
            anonymity_notice(t, threshold, heading=False)


def unverified_label(t: Translator) -> None:
    """The label of an open link's results, wherever they are shown."""
    with ui.row().classes('items-center gap-2 no-wrap rounded bg-amber-50 px-3 py-1').mark('unverified'):
        ui.icon('warning', size='sm').classes('text-amber-900').props('aria-hidden=true')
        tx.span(t('survey.unverified')).classes('font-medium')


def personal_links(ctx: Any, survey_round: SurveyRound, title: str, can_edit: bool) -> None:
    """Make personal single-use links, then download them at once as QR cards (PDF) and as a mail-merge list
    (CSV). The codes live in this page's memory only: the server keeps their keyed hashes."""
    t, cid, surveys = ctx.t, ctx.community.id, ctx.services.surveys
    made, used = surveys.code_counts(ctx.user.id, cid, survey_round.id)
    tx.h3(t('survey.links.title'))
    tx.p(t(worded('survey.links.help', survey_round.instrument))).classes('text-sm')
    counts = tx.p(t('survey.links.counts', made=made, used=used)).classes('cop-muted').mark('link-counts')
    if not can_edit:
        return
    expected = ctx.community.expected_members or 10
    with ui.row().classes('items-start gap-2'):
        number = (
            NumberField(t('survey.links.how_many'), value=min(expected, MAX_CODES), min=1, max=MAX_CODES, precision=0)
            .props('outlined dense')
            .classes('w-40')
            .mark('links-number')
        )
        make = ui.button(t('survey.links.make'), icon='qr_code_2').mark('links-make')
    error = ErrorLine()
    ready = ui.column().classes('gap-2')
    name = f'survey-{survey_round.id}-links'

    async def make_links() -> None:
        ready.clear()
        made = await ctx.attempt(surveys.make_codes(ctx.user.id, cid, survey_round.id, number.value), line=error)
        if not made:
            return
        codes = made.value
        links = [personal_link(ctx, c) for c in codes]
        total, used_now = surveys.code_counts(ctx.user.id, cid, survey_round.id)
        counts.set_text(t('survey.links.counts', made=total, used=used_now))
        with ready:
            _links_ready(ctx, links, name, title, survey_round.instrument)

    make.on_click(make_links)


def _links_ready(ctx: Any, links: list[str], name: str, title: str, instrument: str) -> None:
    """The links just made, to download at once: as QR cards (PDF) and as a mail-merge list (CSV)."""
    t = ctx.t
    rows = [[t('survey.links.csv_number'), t('survey.links.csv_link')], *[[n, u] for n, u in enumerate(links, 1)]]

    async def pdf() -> None:
        from core.pdf.survey_cards import survey_cards_pdf  # ReportLab on the first PDF, not at start-up

        data = await run.io_bound(
            survey_cards_pdf,
            links,
            catalog=ctx.services.content.ui,
            lang=t.lang,
            community=ctx.community.name,
            title=title,
            author=ctx.user.name,
            instrument=instrument,
        )
        if data is not None:  # None: the server is stopping
            ui.download.content(data, f'{name}.pdf', 'application/pdf')

    tx.p(t('survey.links.made', count=len(links))).classes('font-medium').props('role=status').mark('links-made')
    with ui.row().classes('gap-2'):
        ui.button(t('survey.links.pdf'), icon='download', on_click=pdf).props('outline').mark('links-pdf')
        ui.button(
            t('survey.links.csv'),
            icon='download',
            on_click=lambda: ui.download.content(to_csv(rows), f'{name}.csv', 'text/csv'),
        ).props('outline').mark('links-csv')


def trend_chart(labels: list[str], series: list[tuple[str, list[float | None]]], *, label: str) -> ui.echart:
    """A line per block or value cycle over the rounds (oldest first), on the fixed 1..5 scale."""
    options = {
        'animation': False,
        'textStyle': {'fontSize': 13, 'color': '#1c1c1c'},
        'grid': {'left': 8, 'right': 16, 'top': 16, 'bottom': 8, 'containLabel': True},
        'legend': {'bottom': 0, 'type': 'scroll'},
        'xAxis': {'type': 'category', 'data': labels, 'axisLabel': {'color': '#1c1c1c'}},
        'yAxis': {'type': 'value', 'min': 1, 'max': 5, 'interval': 1, 'axisLabel': {'color': '#1c1c1c'}},
        'series': [
            {
                'type': 'line',
                'name': name,
                'data': [v if v is not None else '-' for v in values],
                'itemStyle': {'color': SERIES_COLOURS[i % len(SERIES_COLOURS)]},
                'lineStyle': {'type': ('solid', 'dashed', 'dotted')[i // len(SERIES_COLOURS) % 3]},
                'symbol': ('circle', 'rect', 'triangle', 'diamond')[i % 4],
                'symbolSize': 8,
                'connectNulls': True,
            }
            for i, (name, values) in enumerate(series)
        ],
    }
    options['grid']['bottom'] = 48
    chart = ui.echart(options, renderer='svg').classes('w-full h-96').mark('trend-chart')
    chart.props['role'] = 'img'
    chart.props['aria-label'] = label
    return chart


def status_buttons(ctx: Any, survey_round: SurveyRound, back: str) -> None:
    """Open, close or reopen a round, then come back to `back`."""
    t, cid = ctx.t, ctx.community.id

    async def set_status(status: str) -> None:
        if await ctx.attempt(ctx.services.surveys.set_status(ctx.user.id, cid, survey_round.id, status)):
            ctx.go(back, t(f'survey.status.now_{status}'))

    if survey_round.status == 'draft':
        ui.button(t('survey.open'), icon='play_arrow', on_click=lambda: set_status('open')).mark('round-open')
    elif survey_round.status == 'open' and not survey_round.expired():
        ui.button(t('survey.close'), icon='stop', on_click=lambda: set_status('closed')).props('outline').mark(
            'round-close'
        )
    else:
        ui.button(t('survey.reopen'), icon='replay', on_click=lambda: set_status('open')).props('outline').mark(
            'round-reopen'
        )


def link_and_qr(ctx: Any, survey_round: SurveyRound, qr_title: str) -> str:
    """The round's link with a copy button, its QR code, and the QR code as PNG and SVG downloads."""
    t = ctx.t
    link = survey_link(ctx, survey_round)
    with ui.element('div').classes('w-full grid gap-4 md:grid-cols-[1fr_auto] items-start'):
        with ui.column().classes('gap-2 w-full'):
            copy_field(t, t('survey.share.link'), link, 'survey-link')
            with ui.row().classes('gap-2'):
                name = f'survey-{survey_round.id}'
                ui.button(
                    t('survey.share.png'),
                    icon='download',
                    on_click=lambda: ui.download.content(qr_png(link), f'{name}.png', 'image/png'),
                ).props('outline dense').mark('qr-png')
                ui.button(
                    t('survey.share.svg'),
                    icon='download',
                    on_click=lambda: ui.download.content(qr_svg(link, qr_title), f'{name}.svg', 'image/svg+xml'),
                ).props('outline dense').mark('qr-svg')
        qr_image(link, t('survey.share.qr_alt'))
    return link


def gap_section(view: GapView) -> None:
    """The perception gap as the survey page and the dossier page show it: how the rankings are made, where they
    disagree, the two rankings side by side."""
    tx.p(view.note).classes('text-sm').mark('gap-help')
    if view.disagreements:
        with html.ul().classes('list-disc pl-5 flex flex-col gap-1').mark('gap-disagreements'):
            for text in view.disagreements:
                tx.li(text)
    if view.grid:
        grid = view.grid
        data_table(grid.caption, grid.header, grid.rows, numeric=grid.numeric, marker='gap-table')
    if view.unranked:
        tx.p(view.unranked).classes('text-sm cop-muted').mark('gap-unranked')
