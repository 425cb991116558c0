"""The CoP-kompas: overview and rounds, answering per dimension, review and finish, results."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import html, ui

from components import typography as tx
from components.charts import lines, radar
from components.context import PageContext
from components.dialogs import confirm
from components.error_pages import not_found_content
from components.nav import provide
from components.questionnaire import QuestionCard
from components.questionnaire_flow import Flow, idea_list
from components.tables import data_table
from core.errors import NotFound
from core.kompas import RoundResult
from core.questionnaire import Dimension, DimensionScore, first_open_dimension, progress, score
from core.roles import Permission
from core.services import Services
from core.sheets import Sheet

from ._base import community_page


def register(services: Services) -> None:
    provide('kompas', _status)

    @community_page(services, '/c/{cid}/kompas')
    def overview(ctx: PageContext):
        _overview(ctx, services)

    @community_page(services, '/c/{cid}/kompas/quick', Permission.EDIT)
    def quick(ctx: PageContext):
        _quick(ctx, services)

    @community_page(services, '/c/{cid}/kompas/answer', Permission.EDIT)
    def answer(ctx: PageContext, d: str = ''):
        _answer(ctx, services, d)

    @community_page(services, '/c/{cid}/kompas/review', Permission.EDIT)
    def review(ctx: PageContext):
        _review(ctx, services)

    @community_page(services, '/c/{cid}/kompas/result/{round_id}')
    def result_page(ctx: PageContext, round_id: str):
        _result_page(ctx, services, round_id)


def _status(ctx: PageContext) -> str:
    kompas = ctx.services.kompas
    t, rounds = ctx.t, kompas.rounds(ctx.user.id, ctx.community.id)
    open_round = next((r for r in rounds if not r.done), None)
    if open_round is not None:
        done, total = progress(kompas.instrument_of(open_round), open_round.answers)
        return t('kompas.status_open', done=done, total=total)
    latest = next((r for r in rounds if r.done), None)
    if latest is None:
        return t('kompas.status_none')
    return t('kompas.status_done', date=t.date(latest.finished), stage=_stage_name(ctx, _stage_of(ctx, latest)))


def _overview(ctx: PageContext, services: Services) -> None:
    """Results first: the latest result with the trend over all assessments, and 'measure again' beside it."""
    t, cid, kompas = ctx.t, ctx.community.id, services.kompas
    instrument = kompas.instrument
    rounds = kompas.rounds(ctx.user.id, cid)
    finished = [r for r in rounds if r.done]
    with ctx.frame(t.pick(instrument.title), active='kompas'):
        open_round = next((r for r in rounds if not r.done), None)
        editable = ctx.can(Permission.EDIT)
        if editable and (open_round is not None or not finished):
            _round_controls(ctx, rounds)  # the way in first, on a phone too
        if not finished:
            tx.p(t.pick(instrument.intro))
            tx.p(t('kompas.no_rounds')).mark('kompas-no-rounds')
            return
        latest = kompas.result(ctx.user.id, cid, finished[0].id)
        with ui.row().classes('w-full items-center gap-x-4 gap-y-2'):
            tx.h2(t('kompas.latest', date=t.date(finished[0].finished))).mark('kompas-latest')
            ui.space()
            if editable and open_round is None:
                _start_buttons(ctx, first_time=False)
        _result(ctx, services, latest, after_figures=lambda: _trend(ctx))
        tx.h2(t('kompas.rounds'))
        _rounds_list(ctx, finished, current=finished[0].id)


def _quick(ctx: PageContext, services: Services) -> None:
    """The quick scan on one page: eight statements, one per theme, then the result."""
    t, cid, kompas = ctx.t, ctx.community.id, services.kompas
    sheet = kompas.open_round(ctx.user.id, cid)
    if sheet is None or not kompas.is_quick(sheet):
        ctx.go(f'/c/{cid}/kompas' if sheet is None else f'/c/{cid}/kompas/answer')
        return
    with ctx.frame(t('kompas.quick.title'), active='kompas'):
        _quick_scan(ctx, sheet)


def _answer(ctx: PageContext, services: Services, d: str) -> None:
    t, cid, kompas = ctx.t, ctx.community.id, services.kompas
    sheet = kompas.open_round(ctx.user.id, cid)
    if sheet is None or kompas.is_quick(sheet):
        ctx.go(f'/c/{cid}/kompas/quick' if sheet else f'/c/{cid}/kompas')
        return
    Flow(ctx, kompas.instrument_of(sheet), sheet, f'/c/{cid}/kompas', 'kompas').answer_page(
        lambda name: t('kompas.answer_title', dimension=name),
        d,
        save_answer=lambda item, value: kompas.answer(ctx.user.id, cid, sheet.id, item, value, sheet.version),
        save_comment=lambda item, text: kompas.comment(ctx.user.id, cid, sheet.id, item, text),
    )


def _review(ctx: PageContext, services: Services) -> None:
    t, cid, kompas = ctx.t, ctx.community.id, services.kompas
    sheet = kompas.open_round(ctx.user.id, cid)
    if sheet is None:
        ctx.go(f'/c/{cid}/kompas')
        return
    Flow(ctx, kompas.instrument_of(sheet), sheet, f'/c/{cid}/kompas', 'kompas').review_page(
        t('kompas.review_title'),
        lambda: kompas.finish(ctx.user.id, cid, sheet.id),
        f'/c/{cid}/kompas/result/{sheet.id}',
        t('kompas.finished'),
    )


def _result_page(ctx: PageContext, services: Services, round_id: str) -> None:
    t, cid, kompas = ctx.t, ctx.community.id, services.kompas
    try:
        outcome = kompas.result(ctx.user.id, cid, round_id)
    except NotFound:
        not_found_content(ctx)
        return
    with ctx.frame(
        t('kompas.result_title', date=t.date(outcome.round.finished or outcome.round.started)), active='kompas'
    ):
        _result(ctx, services, outcome)
        tx.h2(t('kompas.all_rounds'))
        _rounds_list(ctx, [r for r in kompas.rounds(ctx.user.id, cid) if r.done], current=round_id)


def _answer_href(ctx: PageContext, sheet: Sheet) -> str:
    """Where to answer an open assessment: the quick scan's one page, or the first open theme of the full kompas."""
    kompas, cid = ctx.services.kompas, ctx.community.id
    if kompas.is_quick(sheet):
        return f'/c/{cid}/kompas/quick'
    return f'/c/{cid}/kompas/answer?d={first_open_dimension(kompas.instrument_of(sheet), sheet.answers)}'


def _round_controls(ctx: PageContext, rounds: list[Sheet]) -> None:
    """Continue the open assessment, or start one: the quick scan first for a community that has none yet, the full
    kompas one click away."""
    t, cid, kompas = ctx.t, ctx.community.id, ctx.services.kompas
    open_round = next((r for r in rounds if not r.done), None)
    with ui.card().classes('w-full gap-2').props('flat bordered').mark('kompas-current'):
        if open_round is not None:
            done, total = progress(kompas.instrument_of(open_round), open_round.answers)
            tx.p(t('kompas.open_round', date=t.date(open_round.started), done=done, total=total))
            with ui.row().classes('gap-2'):
                ui.button(
                    t('questionnaire.continue'),
                    icon='play_arrow',
                    on_click=lambda: ui.navigate.to(_answer_href(ctx, open_round)),
                ).mark('kompas-continue')
                if not kompas.is_quick(open_round):
                    ui.button(
                        t('questionnaire.review'), on_click=lambda: ui.navigate.to(f'/c/{cid}/kompas/review')
                    ).props('outline').mark('kompas-review')
            return

        tx.p(t('kompas.first_time')).mark('kompas-first-time')
        _start_buttons(ctx, first_time=True)


def _start_buttons(ctx: PageContext, *, first_time: bool) -> None:
    """A quick scan or a full assessment: the quick scan first for a first use, the full kompas one click away."""
    t, cid, kompas = ctx.t, ctx.community.id, ctx.services.kompas

    async def start(quick: bool) -> None:
        if sheet := (await ctx.attempt(kompas.start(ctx.user.id, cid, quick=quick))).value:
            ui.navigate.to(_answer_href(ctx, sheet))

    with ui.row().classes('gap-2 items-center'):
        quick = ui.button(
            t('kompas.quick.start') if first_time else t('kompas.quick.again'),
            icon='bolt',
            on_click=lambda: start(True),
        ).mark('kompas-quick')
        full = ui.button(
            t('kompas.start') if first_time else t('kompas.full.again'),
            icon='play_arrow',
            on_click=lambda: start(False),
        ).mark('kompas-start')
        (full if first_time else quick).props('outline')


def _quick_scan(ctx: PageContext, sheet: Sheet) -> None:
    t, cid, kompas = ctx.t, ctx.community.id, ctx.services.kompas
    instrument = kompas.instrument_of(sheet)
    tx.p(t('kompas.quick.intro'))

    async def widen() -> None:
        if await ctx.attempt(kompas.widen(ctx.user.id, cid, sheet.id)):
            wide = kompas.round(ctx.user.id, cid, sheet.id)
            ctx.go(_answer_href(ctx, wide), t('kompas.quick.widened'))

    with ui.row().classes('items-center gap-2 text-sm'):
        tx.span(t('kompas.quick.widen'))
        ui.button(t('kompas.quick.widen_action'), on_click=widen).props('flat dense no-caps').mark('kompas-widen')
    answers = dict(sheet.answers)

    async def on_answer(item_id: str, value: object) -> bool:
        if not await ctx.attempt(kompas.answer(ctx.user.id, cid, sheet.id, item_id, value, sheet.version)):
            return False
        answers[item_id] = value
        return True

    for number, item in enumerate(instrument.items, start=1):
        with ui.column().classes('w-full gap-0'):
            tx.span(t.pick(instrument.dimension(item.dimension).title)).classes('text-xs uppercase cop-muted')
            QuestionCard(t, instrument, item, number, sheet.answers.get(item.id), on_answer=on_answer, comments=False)

    async def finish() -> None:
        missing = [i for i in instrument.items if answers.get(i.id) in (None, '')]
        if missing and not await confirm(
            t,
            t('questionnaire.finish_anyway_title'),
            t('questionnaire.finish_anyway', count=len(missing)),
            t('questionnaire.finish'),
        ):
            return
        if await ctx.attempt(kompas.finish(ctx.user.id, cid, sheet.id)):
            ctx.go(f'/c/{cid}/kompas/result/{sheet.id}', t('kompas.finished'))

    ui.button(t('kompas.quick.finish'), icon='flag', on_click=finish).mark('finish')


def _trend(ctx: PageContext) -> None:
    """Every finished assessment, oldest first: a line per theme, and the same figures in a table."""
    t, kompas = ctx.t, ctx.services.kompas
    points = kompas.trend(ctx.user.id, ctx.community.id)
    tx.h2(t('kompas.trend.title'))
    if len(points) < 2:
        tx.p(t('kompas.trend.one')).classes('cop-muted').mark('kompas-trend-one')
        return
    instrument = kompas.instrument
    dates = [
        t('kompas.point_quick', date=t.date(p.round.finished, short=True))
        if kompas.is_quick(p.round)
        else t.date(p.round.finished, short=True)
        for p in points
    ]

    def mean(point, dimension_id: str) -> float | None:
        score = point.result.dimension(dimension_id)
        return score.mean if score else None

    series = [(t.pick(d.title), [mean(p, d.id) for p in points]) for d in instrument.dimensions]
    lines(
        dates, series, min_value=instrument.scale.low, max_value=instrument.scale.high, label=t('kompas.trend.label')
    ).mark('kompas-trend')
    rows = [[name, *(t.number(v, 1) if v is not None else '—' for v in values)] for name, values in series]
    rows.append(
        [
            t('kompas.trend.overall'),
            *(t.number(p.result.overall, 1) if p.result.overall is not None else '—' for p in points),
        ]
    )
    data_table(
        t('kompas.trend.caption', scale=instrument.scale.high),
        [t('kompas.col_dimension'), *dates],
        rows,
        numeric=tuple(range(1, len(dates) + 1)),
        marker='kompas-trend-table',
    )


def _rounds_list(ctx: PageContext, rounds: list[Sheet], current: str | None = None) -> None:
    t, cid = ctx.t, ctx.community.id
    kompas = ctx.services.kompas
    with html.ul().classes('flex flex-col gap-2 w-full').mark('rounds-list'):
        for sheet in rounds:
            with html.li().classes('flex flex-wrap items-center gap-x-4 gap-y-1'):
                text = t(
                    'kompas.round_item_quick' if kompas.is_quick(sheet) else 'kompas.round_item',
                    date=t.date(sheet.finished),
                    version=sheet.version,
                    stage=_stage_name(ctx, _stage_of(ctx, sheet)),
                )
                if sheet.id == current:
                    tx.span(text + ' ' + t('kompas.this_round')).classes('font-medium')
                else:
                    ui.link(text, f'/c/{cid}/kompas/result/{sheet.id}').mark('round-link')
                if ctx.can(Permission.MANAGE):

                    async def delete(round_id: str = sheet.id, label: str = text) -> None:
                        if not await confirm(
                            t,
                            t('kompas.delete_title'),
                            t('kompas.delete_text', round=label),
                            t('kompas.delete'),
                            danger=True,
                        ):
                            return
                        if await ctx.attempt(kompas.delete(ctx.user.id, cid, round_id)):
                            ctx.go(f'/c/{cid}/kompas', t('kompas.deleted'))

                    ui.button(t('kompas.delete'), on_click=delete).props('flat dense color=negative').mark(
                        'round-delete'
                    )


def _stage_of(ctx: PageContext, sheet: Sheet) -> str | None:
    """The stage a round's answers point to (scored on the round's own instrument version)."""
    return score(ctx.services.kompas.instrument_of(sheet), sheet.answers).stage


def _stage_name(ctx: PageContext, stage_id: str | None) -> str:
    stage = ctx.services.content.stage(stage_id) if stage_id else None
    return ctx.t.pick(stage.title) if stage else ctx.t('kompas.no_stage')


def _result(
    ctx: PageContext, services: Services, outcome: RoundResult, after_figures: Callable[[], None] | None = None
) -> None:
    """A result: summary, radar and table; then `after_figures` (the overview's trend); then the ideas per theme."""
    t = ctx.t
    sheet = outcome.round
    tx.p(t('kompas.version_note', version=sheet.version)).classes('text-sm cop-muted').mark('version-note')
    if outcome.quick:
        with ui.row().classes('items-center gap-2').mark('kompas-indication'):
            ui.badge(t('kompas.quick.badge'), color='accent')
            tx.span(t('kompas.quick.indication')).classes('font-medium')
    if not sheet.done:
        tx.p(t('kompas.provisional')).classes('font-medium')
    _result_summary(ctx, services, outcome)
    _result_figures(ctx, outcome)
    if after_figures is not None:
        after_figures()
    tx.h2(t('kompas.per_dimension'))
    sent = services.suggestions.sent(ctx.user.id, ctx.community.id, 'kompas', sheet.id)
    for d, s in zip(outcome.instrument.dimensions, outcome.result.dimensions, strict=True):
        _dimension_result(ctx, outcome, d, s, sent)


def _result_summary(ctx: PageContext, services: Services, outcome: RoundResult) -> None:
    t, instrument, result = ctx.t, outcome.instrument, outcome.result
    with ui.card().classes('w-full').props('flat bordered').mark('kompas-summary'):
        if result.overall is None:
            tx.p(t('kompas.no_overall'))
        else:
            stage = services.content.stage(result.stage) if result.stage else None
            tx.p(t('kompas.overall', mean=t.number(result.overall, 1), stage=_stage_name(ctx, result.stage))).classes(
                'text-lg font-medium'
            ).mark('overall')
            if stage:
                tx.p(t.pick(stage.explanation)).classes('cop-muted')
            tx.p(t('kompas.stage_how')).classes('text-sm cop-muted').mark('stage-how')  # an indication, how derived
        if result.priorities:
            names = ', '.join(t.pick(instrument.dimension(d).title) for d in result.priorities)
            tx.p(t('kompas.priorities', dimensions=names)).mark('priorities')
            tx.p(t('kompas.priority_hint')).classes('text-sm cop-muted')


def _result_figures(ctx: PageContext, outcome: RoundResult) -> None:
    """The radar (this round, and the one before) and the table of the scores per theme."""
    t, instrument, result, sheet = ctx.t, outcome.instrument, outcome.result, outcome.round
    previous = outcome.previous[1] if outcome.previous else None
    titles = [t.pick(d.title) for d in instrument.dimensions]
    series = [
        (t('kompas.series_this', date=t.date(sheet.finished or sheet.started)), [s.mean for s in result.dimensions])
    ]
    if previous is not None:
        series.append(
            (
                t('kompas.series_previous', date=t.date(outcome.previous[0].finished)),
                [previous.dimension(d.id).mean if previous.dimension(d.id) else None for d in instrument.dimensions],
            )
        )
    with ui.element('div').classes('w-full grid gap-4 lg:grid-cols-2 items-start'):
        radar(titles, series, max_value=instrument.scale.high, min_value=0, label=t('kompas.radar_label')).mark(
            'kompas-radar'
        )
        columns = [t('kompas.col_dimension'), t('questionnaire.col_score'), t('questionnaire.col_band')]
        if previous is not None:
            columns += [t('kompas.col_previous'), t('kompas.col_change')]
        rows = []
        for d, s in zip(instrument.dimensions, result.dimensions, strict=True):
            row = [t.pick(d.title), _mean(ctx, s.mean, s), t.pick(s.band.label) if s.band else '—']
            if previous is not None:
                before = previous.dimension(d.id)
                before_mean = before.mean if before else None
                row += [_mean(ctx, before_mean, before), ctx.t.change(s.mean, before_mean)]
            rows.append(row)
        data_table(
            t('kompas.table_caption', scale=instrument.scale.high),
            columns,
            rows,
            numeric=(1, 3, 4) if previous is not None else (1,),
            marker='kompas-table',
        )


def _dimension_result(
    ctx: PageContext, outcome: RoundResult, d: Dimension, s: DimensionScore, sent: set[tuple[str, str]]
) -> None:
    """One theme: its score and band, what the band means, and its ideas (each can go to the action plan)."""
    t = ctx.t
    with ui.card().classes('w-full gap-1').props('flat bordered').mark(f'dimension-result-{d.id}'):
        with ui.row().classes('items-center gap-2'):
            tx.h3(t.pick(d.title))
            if d.id in outcome.result.priorities:
                ui.badge(t('kompas.priority'), color='accent').mark('priority-badge')
        if s.mean is None:
            tx.p(t('kompas.too_few', answered=s.answered, total=s.total)).mark('too-few')
            return
        tx.p(t('kompas.dimension_score', mean=t.number(s.mean, 1), band=t.pick(s.band.label)))
        if s.band.interpretation:
            tx.p(t.pick(s.band.interpretation))
        if not s.band.actions:
            return
        tx.p(t('kompas.ideas')).classes('font-medium mt-1')
        idea_list(ctx, 'kompas', outcome.round.id, d.id, s.band.actions, sent)


def _mean(ctx: PageContext, mean: float | None, score) -> str:
    if mean is None:
        return ctx.t('kompas.too_few_short') if score is not None else '—'
    return ctx.t.number(mean, 1)
