"""A shared community in read-only coach mode, for its organisation's KM officers: the card of the portfolio, then
each shared part in more detail. Everything comes from the portfolio row (core), so a part the coordinator did not
share cannot appear here, whatever the URL says."""

from __future__ import annotations

from nicegui import ui

from components import typography as tx
from components.context import PageContext
from components.portfolio_card import community_card
from components.story_card import story_view
from components.tables import data_table
from core.portfolio import KompasSummary, PlanSummary, Row, SurveySummary, labels_for
from core.services import Services

from .._base import page


def register(services: Services) -> None:
    @page(services, '/portfolio/{org_id}/c/{cid}', login=True)
    def coach_page(ctx: PageContext, org_id: str, cid: str):
        outcome = ctx.attempt_now(lambda: services.portfolio.row(ctx.user.id, org_id, cid), notify=False)
        if not outcome:
            with ctx.frame(ctx.t('portfolio.coach.gone_title'), active='portfolio'):
                tx.p(ctx.error_text(outcome.error)).mark('coach-problem')
                ui.link(ctx.t('portfolio.list.back'), '/portfolio')
            return
        org = services.organisations.get(org_id)
        with ctx.frame(outcome.value.name, active='portfolio'):
            CoachView(ctx, services, org.id, org.name, outcome.value)


class CoachView:
    """Read-only: no control changes anything; the officer reads what the coordinator chose to share."""

    def __init__(self, ctx: PageContext, services: Services, org_id: str, org_name: str, row: Row) -> None:
        self.ctx, self.t, self.row = ctx, ctx.t, row
        self.labels = labels_for(self.t, services.content, services.kompas.instrument)
        with ui.row().classes('w-full items-center gap-2 p-2 rounded bg-blue-50').mark('coach-banner'):
            ui.icon('visibility').props('aria-hidden=true')
            tx.span(self.t('portfolio.coach.readonly', name=org_name))
        ui.link(self.t('portfolio.coach.back'), f'/portfolio/{org_id}').mark('coach-back')
        community_card(row, self.labels)
        self._render_kompas()
        self._render_survey()
        self._render_plan()
        self._render_stories()

    def _render_kompas(self) -> None:
        k = self.row.kompas
        if not isinstance(k, KompasSummary):
            return
        t = self.t
        tx.h2(t('portfolio.coach.kompas'))
        rows = [[self.labels.dimension(d), t.number(v, 1) if v is not None else '—'] for d, v in k.dimensions.items()]
        data_table(t('portfolio.coach.kompas_caption', date=t.date(k.day)), [t('portfolio.coach.dimension'),
                   t('portfolio.coach.score')], rows, numeric=[1], marker='coach-kompas')  # fmt: skip

    def _render_survey(self) -> None:
        s = self.row.survey
        if not isinstance(s, SurveySummary) or s.answers is None:
            return
        t = self.t
        tx.h2(t('portfolio.coach.survey'))
        tx.p(t('portfolio.coach.survey_text', count=s.answers, date=t.date(s.day)))
        if s.cycles:
            rows = [[t(f'survey.cycle.{c}'), t.number(v, 1) if v is not None else '—'] for c, v in s.cycles.items()]
            data_table(t('portfolio.coach.cycles'), [t('portfolio.coach.cycle'), t('portfolio.coach.score')], rows,
                       numeric=[1], marker='coach-cycles')  # fmt: skip

    def _render_plan(self) -> None:
        p = self.row.plan
        if not isinstance(p, PlanSummary) or not p.actions:
            return
        t = self.t
        tx.h2(t('portfolio.coach.actions'))
        rows = [[title, t(f'plan.status.{status}'), t.date(due) if due else '—'] for title, status, due in p.actions]
        data_table(t('portfolio.coach.actions'), [t('portfolio.coach.action'), t('portfolio.coach.status'),
                   t('portfolio.coach.due')], rows, marker='coach-actions')  # fmt: skip

    def _render_stories(self) -> None:
        if not isinstance(self.row.stories, tuple):
            return
        t = self.t
        tx.h2(t('portfolio.coach.stories'))
        if not self.row.stories:
            tx.p(t('portfolio.coach.no_stories')).classes('cop-muted')
        for story in self.row.stories:
            story_view(t, story)
