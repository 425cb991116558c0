"""Results of a comparison: the ranking chart, the matrix as an accessible table, CSV, and the decision record."""

from __future__ import annotations

from datetime import date
from typing import Any

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.dialogs import confirm
from components.forms import clear_field_errors, show_field_error
from components.ittools_access import load_or_error
from components.ittools_widgets import RankRow, ranking_chart, results_table
from core.communities import file_slug
from core.errors import AppError
from core.ittools import Actor
from core.ittools.model import LIMITS, Comparison, cell_key
from core.ittools.report import export_csv
from core.ittools.scoring import completeness, weight_shares
from core.ittools.texts import criterion_title, decided_tool_name, tool_name
from core.ittools.view import completeness_lines, totals_payload
from core.roles import Permission
from core.services import Services

from .._base import community_page


def register(services: Services) -> None:
    ittools = services.ittools
    catalogue = services.content.ittools

    @community_page(services, '/c/{cid}/ittools/{comparison_id}/results')
    def results_page(ctx: PageContext, comparison_id: str):
        t = ctx.t
        cid = ctx.community.id
        loaded = load_or_error(ittools, ctx, comparison_id)
        if loaded is None:
            return
        actor, comparison = loaded
        editable = ctx.can(Permission.EDIT)
        names = {tool.id: t.pick(tool_name(catalogue, tool)) for tool in comparison.tools}
        titles = {c.id: t.pick(criterion_title(catalogue, c)) for c in comparison.criteria}
        with ctx.frame(t('ittools.results.title', title=comparison.title), active='ittools'):
            ui.link(t('ittools.nav.back_matrix'), f'/c/{cid}/ittools/{comparison_id}').mark('back-to-matrix')
            if not ittools.meetings.rights(actor, cid, comparison_id).totals:
                tx.p(t('ittools.results.hidden')).classes('font-medium').mark('results-hidden')
                return
            totals = totals_payload(ittools.room(cid, comparison_id), t)  # in ranking order
            tx.h2(t('ittools.results.ranking'))
            tx.p(t('ittools.results.how')).classes('text-sm cop-muted')
            rows = [
                RankRow(
                    rank=r['rank'],
                    name=names[tool_id],
                    percent_text=r['pct'],
                    width=r['width'],
                    excluded=r['excluded'],
                    failed=r['failed'],
                    detail=t(
                        'ittools.results.detail', points=r['points'], max=r['max'], scored=r['scored'], cells=r['cells']
                    ),
                )
                for tool_id, r in totals.items()
            ]
            ranking_chart(t, rows)
            done = completeness_lines(comparison, catalogue, t)
            with ui.card().classes('w-full').props('flat bordered').mark('completeness'):
                tx.h3(t('ittools.completeness.title'))
                for line in done:
                    tx.p(line)
            tx.h2(t('ittools.results.matrix'))
            shares = weight_shares(comparison.criteria)
            table_rows = []
            for criterion in comparison.criteria:
                cells = []
                for tool in comparison.tools:
                    key = cell_key(tool.id, criterion.id)
                    score = comparison.score(key)
                    note = comparison.notes.get(key)
                    cells.append(
                        (
                            t('ittools.score.none') if score is None else f'{score} · {t(f"ittools.score.{score}")}',
                            note.value if note else '',
                        )
                    )
                table_rows.append(
                    {
                        'title': titles[criterion.id],
                        'weight': criterion.weight,
                        'share': t.percent(shares[criterion.id]),
                        'must': criterion.must,
                        'cells': cells,
                    }
                )
            footer = [
                f'{totals[tool.id]["pct"]} · {t("matrix.rank", rank=totals[tool.id]["rank"])}'
                + (f' · {t("matrix.excluded")}' if totals[tool.id]['excluded'] else '')
                for tool in comparison.tools
            ]
            results_table(
                t,
                t('ittools.results.caption', title=comparison.title),
                [names[tool.id] for tool in comparison.tools],
                table_rows,
                footer,
            )

            def download() -> None:
                payload = export_csv(catalogue, ittools.comparison(actor, cid, comparison_id), t)
                name = file_slug(comparison.title, 'comparison')
                ui.download.content(payload, f'{name}.csv', 'text/csv; charset=utf-8')

            ui.button(t('ittools.results.csv'), icon='download', on_click=download).props('outline').mark('export-csv')
            _decision_section(ctx, actor, comparison, totals, names, editable)

    def _decision_section(
        ctx: PageContext,
        actor: Actor,
        comparison: Comparison,
        totals: dict[str, dict[str, Any]],
        names: dict[str, str],
        editable: bool,
    ) -> None:
        """totals: tool id -> its figures as core/ittools/view.totals_payload gives them, in ranking order."""
        t = ctx.t
        cid = ctx.community.id
        here = f'/c/{cid}/ittools/{comparison.id}/results'
        tx.h2(t('ittools.decision.title'))
        decision = comparison.decision
        if decision is not None:
            with ui.card().classes('w-full').props('flat bordered').mark('decision-record'):
                tool = t.pick(decided_tool_name(catalogue, comparison))
                with html.dl().classes('grid grid-cols-[auto_1fr] gap-x-4 gap-y-1'):
                    for term, value in (
                        (t('ittools.decision.tool'), tool),
                        (t('ittools.decision.date'), t.date(decision.date)),
                        (t('ittools.decision.rationale'), decision.rationale),
                        (
                            t('ittools.decision.recorded'),
                            t(
                                'ittools.decision.recorded_by',
                                name=decision.recorded_by,
                                date=t.date(decision.recorded_at),
                            ),
                        ),
                    ):
                        tx.dt(term).classes('font-medium')
                        tx.dd(value).classes('whitespace-pre-wrap')
        elif not editable:
            tx.p(t('ittools.decision.none')).mark('no-decision')
        if not editable:
            return
        tx.h3(t('ittools.decision.change' if decision else 'ittools.decision.record'))
        options = {}
        for tool_id, name in names.items():
            total = totals[tool_id]
            label = t('ittools.decision.option', name=name, rank=total['rank'], pct=total['pct'])
            options[tool_id] = label + (f' — {t("matrix.excluded")}' if total['excluded'] else '')
        first = next(iter(totals), None)
        tool = (
            ui.select(options, value=decision.tool_id if decision else first, label=t('ittools.decision.tool'))
            .props('outlined')
            .classes('w-full max-w-xl')
            .mark('decision-tool')
        )
        warning = tx.p('').classes('text-sm text-negative').props('aria-live=polite').mark('decision-warning')

        def check_excluded() -> None:
            total = totals.get(tool.value or '')
            warning.set_text(t('ittools.decision.excluded_warning') if total and total['excluded'] else '')

        tool.on_value_change(check_excluded)
        check_excluded()
        day = (
            ui.input(t('ittools.decision.date'), value=decision.date if decision else date.today().isoformat())
            .props('outlined type=date')
            .classes('w-56')
            .mark('decision-date')
        )
        rationale = (
            ui.textarea(t('ittools.decision.rationale'), value=decision.rationale if decision else '')
            .props(f'outlined autogrow maxlength={LIMITS["rationale"]} counter')
            .classes('w-full')
            .mark('decision-rationale')
        )
        rationale.props['hint'] = t('ittools.decision.rationale_hint')
        fields = {'tool': tool, 'date': day, 'rationale': rationale}

        async def save() -> None:
            clear_field_errors(fields)
            done = completeness(comparison)
            if not done.complete and not await confirm(
                t,
                t('ittools.decision.incomplete_title'),
                ' '.join([*completeness_lines(comparison, catalogue, t), t('ittools.decision.incomplete_text')]),
                t('ittools.decision.incomplete_go'),
            ):
                return
            try:
                await ittools.record_decision(actor, cid, comparison.id, tool.value, rationale.value, day.value)
            except AppError as e:
                if not show_field_error(fields, e.field, ctx.error_text(e)):
                    ctx.notify_error(e)
                return
            ctx.go(here, t('ittools.decision.saved'))

        with ui.row().classes('gap-2'):
            ui.button(t('ittools.decision.save'), icon='gavel', on_click=save).mark('decision-save')
            if decision is not None:

                async def clear() -> None:
                    if not await confirm(
                        t,
                        t('ittools.decision.clear_title'),
                        t('ittools.decision.clear_text'),
                        t('ittools.decision.clear'),
                        danger=True,
                    ):
                        return
                    if await ctx.attempt(ittools.clear_decision(actor, cid, comparison.id)):
                        ctx.go(here, ctx.t('common.saved'))

                ui.button(t('ittools.decision.clear'), on_click=clear).props('flat color=negative').mark(
                    'decision-clear'
                )
