"""The KM officer's screens: their organisations (and a new one), and an organisation's portfolio: one card per
attached community, filters, sorting and search, flags, the kompas heat map with its table, and the board report."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from nicegui import html, run, ui

from components import typography as tx
from components.context import PageContext
from components.forms import ErrorLine, text_field
from components.heat_map import heat_map
from components.live import follow
from components.portfolio_card import community_card
from components.tables import data_table
from core.changes import Changed
from core.communities import STAGES, file_slug
from core.organisations import NAME_MAX, Organisation, org_scope
from core.portfolio import FLAGS, MIN_FOR_MEAN, SORTS, Row, heat, labels_for, select, summary, table
from core.services import Services
from core.survey_results import to_csv, to_xlsx

from .._base import page

log = logging.getLogger(__name__)
PAGE_SIZE = 40  # cards drawn at once; "show more" adds the next ones


def register(services: Services) -> None:
    @page(services, '/portfolio', login=True)
    def organisations_page(ctx: PageContext):
        with ctx.frame(ctx.t('portfolio.list.title'), active='portfolio'):
            OrganisationsView(ctx, services)

    @page(services, '/portfolio/{org_id}', login=True)
    def portfolio_page(ctx: PageContext, org_id: str, q: str = '', stage: str = '', flag: str = '', sort: str = ''):
        attempt = ctx.attempt_now(lambda: services.organisations.require_officer(ctx.user.id, org_id), notify=False)
        if not attempt:
            with ctx.frame(ctx.t('portfolio.list.title'), active='portfolio'):
                tx.p(ctx.error_text(attempt.error)).mark('portfolio-problem')
                ui.link(ctx.t('portfolio.list.back'), '/portfolio')
            return
        org = attempt.value
        with ctx.frame(ctx.t('portfolio.title', name=org.name), active='portfolio'):
            PortfolioView(ctx, services, org, {'q': q, 'stage': stage, 'flag': flag, 'sort': sort})


class OrganisationsView:
    """The organisations the user is a KM officer of, and a form to start one."""

    def __init__(self, ctx: PageContext, services: Services) -> None:
        self.ctx, self.t, self.services = ctx, ctx.t, services
        tx.p(self.t('portfolio.list.intro'))
        self._render_list()
        self._render_create()

    def _render_list(self) -> None:
        mine = self.services.organisations.of_officer(self.ctx.user.id)
        if not mine:
            tx.p(self.t('portfolio.list.empty')).classes('cop-muted').mark('org-none')
            return
        with html.ul().classes('flex flex-col gap-1'):
            for org in mine:
                with html.li():
                    ui.link(org.name, f'/portfolio/{org.id}').classes('text-lg').mark('org-link')

    def _render_create(self) -> None:
        t = self.t
        tx.h2(t('portfolio.create.title'))
        tx.p(t('portfolio.create.help')).classes('text-sm cop-muted')
        self.name = text_field(t('portfolio.create.name'), maxlength=NAME_MAX, marker='org-name')
        self.error = ErrorLine()
        ui.button(t('portfolio.create.action'), icon='add_business', on_click=self._on_create).mark('org-create')

    async def _on_create(self) -> None:
        outcome = await self.ctx.attempt(
            lambda: self.services.organisations.create(self.ctx.user.id, self.name.value),
            fields={'name': self.name},
            line=self.error,
        )
        if outcome:
            self.ctx.go(f'/portfolio/{outcome.value.id}', self.t('portfolio.created'))


class PortfolioView:
    """The portfolio as a small controller: the rows are read once per change; filters redraw the list only."""

    def __init__(self, ctx: PageContext, services: Services, org: Organisation, query: dict[str, str]) -> None:
        self.ctx, self.t, self.services, self.org = ctx, ctx.t, services, org
        self.labels = labels_for(self.t, services.content, services.kompas.instrument)
        self.dimensions = tuple(d.id for d in services.kompas.instrument.dimensions)
        self.filters = {
            'q': query['q'][:100],
            'stage': query['stage'] if query['stage'] in STAGES else '',
            'flag': query['flag'] if query['flag'] in FLAGS else '',
            'sort': query['sort'] if query['sort'] in SORTS else SORTS[0],
        }
        self.shown = PAGE_SIZE
        self.rows = self._read()
        with ui.row().classes('w-full gap-3 items-center'):
            tx.p(self.t('portfolio.intro')).classes('grow')
            ui.link(self.t('portfolio.manage'), f'/portfolio/{org.id}/manage').mark('portfolio-manage')
        self.summary = ui.column().classes('w-full gap-1').mark('portfolio-summary')
        self._render_filters()
        self.list = ui.column().classes('w-full gap-2').mark('portfolio-list')
        tx.h2(self.t('portfolio.heat.title'))
        self.heat = ui.column().classes('w-full gap-2').mark('portfolio-heat')
        self._render_report()
        self._refresh()
        self._listen()

    # -- data -------------------------------------------------------------------------------------------------------

    def _read(self) -> list[Row]:
        # no longer an officer (removed meanwhile): an empty portfolio, never another's data
        rows = self.ctx.attempt_now(lambda: self.services.portfolio.rows(self.ctx.user.id, self.org.id), notify=False)
        return rows.value or []

    def _chosen(self) -> list[Row]:
        f = self.filters
        return select(self.rows, query=f['q'], stage=f['stage'], flag=f['flag'], sort=f['sort'])

    def _listen(self) -> None:
        """A community attached, detached or sharing otherwise: read again and redraw at once."""
        client = ui.context.client

        def redraw() -> None:
            if client.is_deleted:
                return
            with client:
                self.rows = self._read()
                self._refresh()

        def changed(change: Changed) -> None:
            # after the acting user's handler, not inside it: that handler may still be navigating its own page
            if not client.is_deleted:
                asyncio.get_running_loop().call_soon(redraw)

        follow(self.services.changes, org_scope(self.org.id), self.summary, changed)

    # -- rendering --------------------------------------------------------------------------------------------------

    def _refresh(self) -> None:
        self._render_summary()
        self._render_list()
        self._render_heat()

    def _render_summary(self) -> None:
        t, s = self.t, summary(self.rows)
        self.summary.clear()
        with self.summary:
            tx.p(t('portfolio.summary.count', count=s.communities)).classes('font-medium')
            flagged = [
                t('portfolio.summary.flag', flag=t(f'portfolio.flag.{f}'), count=n) for f, n in s.flagged.items() if n
            ]
            if flagged:
                tx.p(t('portfolio.summary.flags', flags='; '.join(flagged))).classes('text-sm')

    def _render_filters(self) -> None:
        t = self.t
        with ui.row().classes('w-full items-end gap-3').mark('portfolio-filters'):
            search = ui.input(t('portfolio.search'), value=self.filters['q']).props(
                'outlined dense clearable type=search'
            )
            search.classes('w-full sm:w-64').mark('portfolio-search')
            search.on_value_change(lambda e: self._on_filter('q', e.value or ''))
            options = {
                'stage': {'': t('portfolio.all'), **{s: self.labels.stage(s) for s in STAGES}},
                'flag': {'': t('portfolio.all'), **{f: t(f'portfolio.flag.{f}') for f in FLAGS}},
                'sort': {s: t(f'portfolio.sort.{s}') for s in SORTS},
            }
            for name, choices in options.items():
                select_ = ui.select(choices, value=self.filters[name], label=t(f'portfolio.filter.{name}'))
                select_.props('outlined dense').classes('w-full sm:w-52').mark(f'portfolio-{name}')
                select_.on_value_change(lambda e, n=name: self._on_filter(n, e.value or ''))

    def _on_filter(self, name: str, value: Any) -> None:
        self.filters[name] = str(value)[:100] if isinstance(value, str) else ''
        self.shown = PAGE_SIZE
        self._render_list()
        self._render_heat()

    def _render_list(self) -> None:
        t = self.t
        chosen = self._chosen()
        self.list.clear()
        with self.list:
            if not self.rows:
                tx.p(t('portfolio.empty')).classes('cop-muted').mark('portfolio-empty')
                return
            tx.p(t('portfolio.showing', count=len(chosen), total=len(self.rows))).classes('text-sm').props(
                'aria-live=polite'
            ).mark('portfolio-count')
            for row in chosen[: self.shown]:
                community_card(row, self.labels, f'/portfolio/{self.org.id}/c/{row.community_id}')
            if len(chosen) > self.shown:
                ui.button(t('portfolio.more'), on_click=self._on_more).props('outline').mark('portfolio-more')

    def _on_more(self) -> None:
        self.shown += PAGE_SIZE
        self._render_list()

    def _render_heat(self) -> None:
        t = self.t
        data = heat(self._chosen(), self.dimensions)
        self.heat.clear()
        with self.heat:
            if not data.rows:
                tx.p(t('portfolio.heat.none')).classes('cop-muted').mark('heat-none')
                return
            tx.p(t('portfolio.heat.intro', count=data.sharing)).classes('text-sm')
            names = [self.labels.dimension(d) for d in self.dimensions]
            heat_map(names, data.rows, label=t('portfolio.heat.label'), min_value=1, max_value=5)
            header = [t('portfolio.col.name'), *names]
            body = [[name, *(t.number(v, 1) if v is not None else '—' for v in values)] for name, values in data.rows]
            if data.means is not None:
                body.append([t('portfolio.heat.mean'), *(t.number(v, 1) if v is not None else '—' for v in data.means)])
            data_table(t('portfolio.heat.caption'), header, body, numeric=range(1, len(header)), marker='heat-table')
            if data.means is None:
                tx.p(t('portfolio.heat.mean_hidden', min=MIN_FOR_MEAN)).classes('text-sm cop-muted').mark('mean-hidden')

    # -- the board report ---------------------------------------------------------------------------------------------

    def _render_report(self) -> None:
        t = self.t
        tx.h2(t('portfolio.report.title'))
        tx.p(t('portfolio.report.help')).classes('text-sm')
        with ui.row().classes('items-center gap-3'):
            self.pdf_button = ui.button(t('portfolio.report.pdf'), icon='picture_as_pdf', on_click=self._on_pdf)
            self.pdf_button.mark('report-pdf')
            ui.button(t('portfolio.report.csv'), icon='table_view', on_click=lambda: self._on_sheet('csv')).props(
                'outline'
            ).mark('report-csv')
            ui.button(t('portfolio.report.xlsx'), icon='grid_on', on_click=lambda: self._on_sheet('xlsx')).props(
                'outline'
            ).mark('report-xlsx')
        self.progress = ui.linear_progress(value=0, show_value=False).props('size=8px rounded').classes('w-full')
        self.progress.set_visibility(False)
        self.status = tx.p('').classes('text-sm').props('aria-live=polite').mark('report-status')

    def _note_export(self, rows: list[Row]) -> None:
        for row in rows:
            self.services.exportlog.note(self.ctx.user.id, row.community_id, 'portfolio')

    def _on_sheet(self, kind: str) -> None:
        rows = self._read()
        cells = table(rows, self.labels)
        self._note_export(rows)
        name = f'{file_slug(self.org.name, "portfolio")}-portfolio-{self.t.lang}'
        if kind == 'csv':
            ui.download.content(to_csv(cells), f'{name}.csv', 'text/csv')
        else:
            sheet = self.t('portfolio.report.sheet')
            ui.download.content(to_xlsx(cells, sheet), f'{name}.xlsx', 'application/vnd.ms-excel')

    async def _on_pdf(self) -> None:
        t = self.t
        from core.pdf.board import Progress, board_pdf  # ReportLab on the first PDF, not at start-up

        rows = self._read()
        progress = Progress()
        timer = ui.timer(0.3, lambda: self._show_progress(progress))
        self.pdf_button.props('loading')
        self.progress.set_visibility(True)
        self.status.set_text(t('portfolio.report.making'))
        try:
            pdf = await run.io_bound(board_pdf, self.org.name, rows, self.dimensions, self.labels, progress)
        except Exception as e:  # a bug in the document must not leave the page waiting: say so, log the type only
            log.warning('board report failed (%s)', type(e).__name__)
            self.status.set_text(t('portfolio.report.failed'))
            return
        finally:
            timer.cancel()
            self.pdf_button.props(remove='loading')
            self.progress.set_visibility(False)
        self._note_export(rows)
        self.status.set_text(t('portfolio.report.ready'))
        ui.download.content(pdf, f'{file_slug(self.org.name, "portfolio")}-board-{t.lang}.pdf', 'application/pdf')

    def _show_progress(self, progress: Any) -> None:
        self.progress.set_value(progress.value)
