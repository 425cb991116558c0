"""Results of a comparison: the ranking chart, the matrix as an accessible table, CSV, and the decision record."""

from __future__ import annotations

from datetime import date

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.dialogs import confirm
from components.forms import clear_field_errors, text_field
from components.ittools_access import load_or_error
from components.ittools_widgets import RankRow, ranking_chart, results_table
from core.communities import file_slug
from core.ittools import Actor
from core.ittools.model import LIMITS, Comparison, Decision, cell_key
from core.ittools.report import export_csv
from core.ittools.scoring import completeness, weight_shares
from core.ittools.texts import criterion_title, decided_tool_name, tool_name
from core.ittools.view import completeness_lines, totals_payload
from core.roles import Permission
from core.services import Services

from .._base import community_page


def register(services: Services) -> None:
    @community_page(services, '/c/{cid}/ittools/{comparison_id}/results')
    def results_page(ctx: PageContext, comparison_id: str):
        loaded = load_or_error(services.ittools, ctx, comparison_id)
        if loaded is not None:
            ResultsView(ctx, services, *loaded)


class ResultsView:
    """The results of one comparison: ranking, completeness, the matrix as a table, CSV, and the decision."""

    def __init__(self, ctx: PageContext, services: Services, actor: Actor, comparison: Comparison) -> None:
        self.ctx, self.t = ctx, ctx.t
        self.ittools, self.catalogue = services.ittools, services.content.ittools
        self.actor, self.comparison = actor, comparison
        self.cid = ctx.community.id
        self.here = f'/c/{self.cid}/ittools/{comparison.id}/results'
        t = self.t
        self.names = {tool.id: t.pick(tool_name(self.catalogue, tool)) for tool in comparison.tools}
        with ctx.frame(t('ittools.results.title', title=comparison.title), active='ittools'):
            ui.link(t('ittools.nav.back_matrix'), f'/c/{self.cid}/ittools/{comparison.id}').mark('back-to-matrix')
            if not self.ittools.meetings.rights(actor, self.cid, comparison.id).totals:
                tx.p(t('ittools.results.hidden')).classes('font-medium').mark('results-hidden')
                return
            # tool id -> its figures (core/ittools/view.totals_payload), in ranking order
            self.totals = totals_payload(self.ittools.room(self.cid, comparison.id), t)
            self._render_ranking()
            self._render_matrix()
            ui.button(t('ittools.results.csv'), icon='download', on_click=self._on_download).props('outline').mark(
                'export-csv'
            )
            self._render_decision()

    # -- ranking and matrix -----------------------------------------------------------------------------------------

    def _render_ranking(self) -> None:
        t = self.t
        tx.h2(t('ittools.results.ranking'))
        tx.p(t('ittools.results.how')).classes('text-sm cop-muted')
        rows = [
            RankRow(
                rank=r['rank'],
                name=self.names[tool_id],
                percent_text=r['pct'],
                width=r['width'],
                excluded=r['excluded'],
                failed=r['failed'],
                detail=t(
                    'ittools.results.detail', points=r['points'], max=r['max'], scored=r['scored'], cells=r['cells']
                ),
            )
            for tool_id, r in self.totals.items()
        ]
        ranking_chart(t, rows)
        with ui.card().classes('w-full').props('flat bordered').mark('completeness'):
            tx.h3(t('ittools.completeness.title'))
            for line in completeness_lines(self.comparison, self.catalogue, t):
                tx.p(line)

    def _cell(self, tool_id: str, criterion_id: str) -> tuple[str, str]:
        key = cell_key(tool_id, criterion_id)
        score = self.comparison.score(key)
        note = self.comparison.notes.get(key)
        shown = self.t('ittools.score.none') if score is None else f'{score} · {self.t(f"ittools.score.{score}")}'
        return shown, note.value if note else ''

    def _render_matrix(self) -> None:
        t, comparison, totals = self.t, self.comparison, self.totals
        tx.h2(t('ittools.results.matrix'))
        shares = weight_shares(comparison.criteria)
        table_rows = [
            {
                'title': t.pick(criterion_title(self.catalogue, criterion)),
                'weight': criterion.weight,
                'share': t.percent(shares[criterion.id]),
                'must': criterion.must,
                'cells': [self._cell(tool.id, criterion.id) for tool in comparison.tools],
            }
            for criterion in comparison.criteria
        ]
        footer = [
            f'{totals[tool.id]["pct"]} · {t("matrix.rank", rank=totals[tool.id]["rank"])}'
            + (f' · {t("matrix.excluded")}' if totals[tool.id]['excluded'] else '')
            for tool in comparison.tools
        ]
        results_table(
            t,
            t('ittools.results.caption', title=comparison.title),
            [self.names[tool.id] for tool in comparison.tools],
            table_rows,
            footer,
        )

    def _on_download(self) -> None:
        comparison = self.ittools.comparison(self.actor, self.cid, self.comparison.id)
        payload = export_csv(self.catalogue, comparison, self.t)
        name = file_slug(self.comparison.title, 'comparison')
        ui.download.content(payload, f'{name}.csv', 'text/csv; charset=utf-8')

    # -- the decision -----------------------------------------------------------------------------------------------

    def _render_decision(self) -> None:
        t = self.t
        editable = self.ctx.can(Permission.EDIT)
        tx.h2(t('ittools.decision.title'))
        decision = self.comparison.decision
        if decision is not None:
            self._render_decision_record(decision)
        elif not editable:
            tx.p(t('ittools.decision.none')).mark('no-decision')
        if editable:
            self._render_decision_form(decision)

    def _render_decision_record(self, decision: Decision) -> None:
        t = self.t
        with ui.card().classes('w-full').props('flat bordered').mark('decision-record'):
            tool = t.pick(decided_tool_name(self.catalogue, self.comparison))
            recorded = t('ittools.decision.recorded_by', name=decision.recorded_by, date=t.date(decision.recorded_at))
            with html.dl().classes('grid grid-cols-[auto_1fr] gap-x-4 gap-y-1'):
                for term, value in (
                    (t('ittools.decision.tool'), tool),
                    (t('ittools.decision.date'), t.date(decision.date)),
                    (t('ittools.decision.rationale'), decision.rationale),
                    (t('ittools.decision.recorded'), recorded),
                ):
                    tx.dt(term).classes('font-medium')
                    tx.dd(value).classes('whitespace-pre-wrap')

    def _tool_options(self) -> dict[str, str]:
        t, options = self.t, {}
        for tool_id, name in self.names.items():
            total = self.totals[tool_id]
            label = t('ittools.decision.option', name=name, rank=total['rank'], pct=total['pct'])
            options[tool_id] = label + (f' — {t("matrix.excluded")}' if total['excluded'] else '')
        return options

    def _render_decision_form(self, decision: Decision | None) -> None:
        t = self.t
        tx.h3(t('ittools.decision.change' if decision else 'ittools.decision.record'))
        first = next(iter(self.totals), None)
        tool = (
            ui.select(
                self._tool_options(), value=decision.tool_id if decision else first, label=t('ittools.decision.tool')
            )
            .props('outlined')
            .classes('w-full max-w-xl')
            .mark('decision-tool')
        )
        self.warning = tx.p('').classes('text-sm text-negative').props('aria-live=polite').mark('decision-warning')
        tool.on_value_change(self._on_tool_chosen)
        day = (
            ui.input(t('ittools.decision.date'), value=decision.date if decision else date.today().isoformat())
            .props('outlined type=date')
            .classes('w-56')
            .mark('decision-date')
        )
        rationale = text_field(
            t('ittools.decision.rationale'),
            value=decision.rationale if decision else '',
            maxlength=LIMITS['rationale'],
            area=True,
            hint=t('ittools.decision.rationale_hint'),
            marker='decision-rationale',
        )
        self.fields = {'tool': tool, 'date': day, 'rationale': rationale}
        self._on_tool_chosen()
        with ui.row().classes('gap-2'):
            ui.button(t('ittools.decision.save'), icon='gavel', on_click=self._on_save_decision).mark('decision-save')
            if decision is not None:
                ui.button(t('ittools.decision.clear'), on_click=self._on_clear_decision).props(
                    'flat color=negative'
                ).mark('decision-clear')

    def _on_tool_chosen(self) -> None:
        total = self.totals.get(self.fields['tool'].value or '')
        self.warning.set_text(self.t('ittools.decision.excluded_warning') if total and total['excluded'] else '')

    async def _on_save_decision(self) -> None:
        t, comparison = self.t, self.comparison
        clear_field_errors(self.fields)
        if not completeness(comparison).complete and not await confirm(
            t,
            t('ittools.decision.incomplete_title'),
            ' '.join([*completeness_lines(comparison, self.catalogue, t), t('ittools.decision.incomplete_text')]),
            t('ittools.decision.incomplete_go'),
        ):
            return
        values = {name: field.value for name, field in self.fields.items()}
        recorded = self.ittools.record_decision(
            self.actor, self.cid, comparison.id, values['tool'], values['rationale'], values['date']
        )
        if await self.ctx.attempt(recorded, fields=self.fields):
            self.ctx.go(self.here, t('ittools.decision.saved'))

    async def _on_clear_decision(self) -> None:
        t = self.t
        if not await confirm(
            t,
            t('ittools.decision.clear_title'),
            t('ittools.decision.clear_text'),
            t('ittools.decision.clear'),
            danger=True,
        ):
            return
        if await self.ctx.attempt(self.ittools.clear_decision(self.actor, self.cid, self.comparison.id)):
            self.ctx.go(self.here, t('common.saved'))
