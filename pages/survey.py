"""The member survey, coordinator's side: rounds, their link and QR code and invitation texts, and the results
(shown only once a round has enough answers)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from nicegui import html, ui

from components import typography as tx
from components.charts import horizontal_bars, radar
from components.dialogs import confirm
from components.forms import ErrorLine, clear_field_errors, copy_button, show_field_error
from components.nav import provide
from components.survey_widgets import anonymity_notice, link_and_qr, status_buttons, status_text, survey_link
from components.tables import data_table
from core.errors import AppError, NotFound
from core.i18n import LANGUAGES, Translator
from core.roles import Permission
from core.services import Services
from core.survey import DEFAULT_THRESHOLD, MIN_THRESHOLD, SurveyRound
from core.survey_results import SurveyResults, aggregated_rows, perception_gap, to_csv, to_xlsx, weak_items

from ._base import PageContext, community_page
from ._questionnaire import send_idea
from .errors import not_found_content

INSTRUMENT = 'member_survey'


def register(services: Services) -> None:
    surveys = services.surveys

    def status(ctx: PageContext) -> str:
        rounds = surveys.rounds(ctx.user.id, ctx.community.id)
        if not rounds:
            return ctx.t('survey.dashboard.none')
        latest = rounds[0]
        return ctx.t(
            'survey.dashboard.latest',
            status=status_text(ctx.t, latest),
            count=surveys.answer_count(ctx.user.id, ctx.community.id, latest.id),
        )

    provide('survey', status)

    @community_page(services, '/c/{cid}/survey')
    def overview(ctx: PageContext):
        t, cid = ctx.t, ctx.community.id
        instrument = services.content.instruments.current(INSTRUMENT)
        with ctx.frame(t('survey.title'), active='survey'):
            tx.p(t('survey.intro'))
            anonymity_notice(t, DEFAULT_THRESHOLD)
            rounds = surveys.rounds(ctx.user.id, cid)
            tx.h2(t('survey.rounds'))
            if not rounds:
                tx.p(t('survey.no_rounds')).mark('no-rounds')
            with html.ul().classes('flex flex-col gap-2 w-full'):
                for survey_round in rounds:
                    with html.li().classes('flex flex-wrap gap-x-4 items-center'):
                        ui.link(
                            survey_round.title or t('survey.round_default', date=t.date(survey_round.created)),
                            f'/c/{cid}/survey/{survey_round.id}',
                        ).classes('font-medium').mark('round-link')
                        tx.span(status_text(t, survey_round))
                        tx.span(
                            t(
                                'survey.count',
                                count=surveys.answer_count(ctx.user.id, cid, survey_round.id),
                                threshold=survey_round.threshold,
                            )
                        ).classes('cop-muted')
            if ctx.can(Permission.EDIT):
                tx.h2(t('survey.new.title'))
                tx.p(t('survey.new.text', items=len(instrument.items)))
                with ui.card().classes('w-full max-w-xl').props('flat bordered'):
                    fields = _settings_fields(t, title='', closes=None, threshold=DEFAULT_THRESHOLD)
                    error = ErrorLine()

                    async def create() -> None:
                        error.clear_text()
                        clear_field_errors(fields)
                        try:
                            created = await surveys.create(
                                ctx.user.id,
                                cid,
                                title=fields['title'].value,
                                closes=fields['closes'].value or None,
                                threshold=fields['threshold'].value,
                            )
                        except AppError as e:
                            show_field_error(fields, e.field, ctx.error_text(e))
                            error.show(ctx.error_text(e))
                            return
                        ctx.go(f'/c/{cid}/survey/{created.id}', t('survey.new.created'))

                    ui.button(t('survey.new.submit'), icon='add', on_click=create).mark('survey-create')

    @community_page(services, '/c/{cid}/survey/{round_id}')
    def round_page(ctx: PageContext, round_id: str):
        t, cid = ctx.t, ctx.community.id
        try:
            survey_round = surveys.round(ctx.user.id, cid, round_id)
        except NotFound:
            return not_found_content(ctx)
        title = survey_round.title or t('survey.round_default', date=t.date(survey_round.created))
        with ctx.frame(t('survey.round_title', title=title), active='survey'):
            with ui.row().classes('items-center gap-3'):
                tx.p(status_text(t, survey_round)).classes('text-lg font-medium').mark('round-status')
                if ctx.can(Permission.EDIT):
                    status_buttons(ctx, survey_round, f'/c/{cid}/survey/{survey_round.id}')
            _share(ctx, survey_round)
            tx.h2(t('survey.results.title'))
            _results(ctx, services, survey_round)
            if ctx.can(Permission.EDIT):
                _settings(ctx, survey_round)


def _settings_fields(t: Translator, *, title: str, closes: str | None, threshold: int) -> dict:
    fields = {
        'title': ui.input(t('survey.field.title'), value=title)
        .classes('w-full')
        .props('outlined maxlength=120')
        .mark('survey-title'),
        'closes': ui.input(t('survey.field.closes'), value=closes or '')
        .classes('w-full')
        .props('outlined type=date')
        .mark('survey-closes'),
        'threshold': ui.number(t('survey.field.threshold'), value=threshold, min=MIN_THRESHOLD, step=1, precision=0)
        .classes('w-full')
        .props('outlined')
        .mark('survey-threshold'),
    }
    fields['closes'].props['stack-label'] = True
    fields['closes'].props['hint'] = t('survey.field.closes_hint')
    fields['threshold'].props['hint'] = t('survey.field.threshold_hint', low=MIN_THRESHOLD)
    return fields


def _share(ctx: PageContext, survey_round: SurveyRound) -> None:
    t = ctx.t
    tx.h2(t('survey.share.title'))
    if survey_round.status == 'draft':
        tx.p(t('survey.share.draft')).classes('font-medium')
    link_and_qr(ctx, survey_round, t('survey.title'))
    tx.h3(t('survey.share.invitations'))
    tx.p(t('survey.share.invitations_help')).classes('text-sm cop-muted')
    catalog = ctx.services.content.ui
    closes = survey_round.closes
    with ui.element('div').classes('w-full grid gap-3 lg:grid-cols-3'):
        for lang in LANGUAGES:
            other = Translator(catalog, lang)
            text = other(
                'survey.invitation.body',
                community=ctx.community.name,
                link=survey_link(ctx, survey_round, lang),
                closes=other('survey.invitation.closes', date=other.date(closes)) if closes else '',
                minutes=8,
            )
            with ui.column().classes('gap-1 w-full').mark(f'invitation-{lang}'):
                area = (
                    ui.textarea(t('survey.share.invitation', language=t(f'lang.{lang}')), value=text)
                    .props('readonly outlined autogrow')
                    .classes('w-full')
                )
                area.props['lang'] = lang
                copy_button(t, text, dense=True)


def _results(ctx: PageContext, services: Services, survey_round: SurveyRound) -> None:
    t, cid = ctx.t, ctx.community.id
    surveys = services.surveys
    count = surveys.answer_count(ctx.user.id, cid, survey_round.id)
    expected = ctx.community.expected_members
    if expected:
        tx.p(t('survey.results.count_rate', count=count, expected=expected, rate=t.percent(count / expected))).mark(
            'response-count'
        )
    else:
        tx.p(t('survey.results.count', count=count)).mark('response-count')
    results = surveys.results(ctx.user.id, cid, survey_round.id, expected)
    if results is None:
        with ui.card().classes('w-full').props('flat bordered').mark('below-threshold'):
            tx.p(
                t('survey.results.hidden', threshold=survey_round.threshold, missing=survey_round.threshold - count)
            ).classes('font-medium')
        return
    instrument = surveys.instrument_of(survey_round)
    _summary(ctx, instrument, results)
    _gap(ctx, services, results)
    _per_item(ctx, instrument, results)
    _to_plan(ctx, survey_round, results)
    _exports(ctx, instrument, survey_round, results)


def _summary(ctx: PageContext, instrument, results: SurveyResults) -> None:
    t = ctx.t
    rows = [
        [t.pick(instrument.dimension(block).title), t.number(mean, 1)]
        for block, mean in results.blocks.items()
        if mean is not None
    ]
    data_table(
        t('survey.results.blocks_caption'),
        [t('survey.results.block'), t('survey.results.mean')],
        rows,
        numeric=(1,),
        marker='blocks-table',
    )
    rows = [
        [t(f'survey.cycle.{cycle}'), t.number(mean, 1) if mean is not None else '—']
        for cycle, mean in results.cycles.items()
    ]
    if rows:
        data_table(
            t('survey.results.cycles_caption'),
            [t('survey.results.cycle'), t('survey.results.mean')],
            rows,
            numeric=(1,),
            marker='cycles-table',
        )
        tx.p(t('survey.results.cycles_help')).classes('text-sm cop-muted')


def _gap(ctx: PageContext, services: Services, results: SurveyResults) -> None:
    t = ctx.t
    latest = services.kompas.latest_result(ctx.user.id, ctx.community.id)
    gaps = perception_gap(latest.result if latest else None, results)
    if not gaps:
        return
    kompas = services.kompas.instrument
    tx.h3(t('survey.gap.title'))
    tx.p(t('survey.gap.help') if latest else t('survey.gap.no_kompas')).classes('text-sm')
    names = [t.pick(kompas.dimension(g.dimension).title) for g in gaps]
    with ui.element('div').classes('w-full grid gap-4 lg:grid-cols-2 items-start'):
        series = [(t('survey.gap.members'), [g.members for g in gaps])]
        if latest:
            series.insert(0, (t('survey.gap.coordinator'), [g.coordinator for g in gaps]))
        radar(names, series, max_value=5, label=t('survey.gap.chart_label')).mark('gap-radar')
        rows = []
        for name, g in zip(names, gaps, strict=True):
            rows.append(
                [
                    name,
                    '—' if g.coordinator is None else t.number(g.coordinator, 1),
                    '—' if g.members is None else t.number(g.members, 1),
                    t.change(g.members, g.coordinator),
                ]
            )
        data_table(
            t('survey.gap.caption'),
            [
                t('kompas.col_dimension'),
                t('survey.gap.coordinator'),
                t('survey.gap.members'),
                t('survey.gap.difference'),
            ],
            rows,
            numeric=(1, 2, 3),
            marker='gap-table',
        )


def _per_item(ctx: PageContext, instrument, results: SurveyResults) -> None:
    t = ctx.t
    tx.h3(t('survey.results.per_question'))
    for number, r in enumerate(results.items, start=1):
        item = r.item
        with ui.card().classes('w-full gap-1').props('flat bordered').mark(f'result-{item.id}'):
            tx.p(f'{number}. {t.pick(item.statement)}').classes('font-medium')
            if item.type == 'text':
                if not r.texts:
                    tx.p(t('survey.results.no_texts')).classes('cop-muted')
                with html.ul().classes('flex flex-col gap-1 list-disc pl-5').mark('open-answers'):
                    for text in r.texts:
                        tx.li(text)
                continue
            if item.type == 'scale':
                scale = instrument.scale_for(item)
                labels = [t.pick(scale.label(v)) for v in scale.numbers]
                counts = [r.counts[v] for v in scale.numbers]
                if scale.not_applicable:
                    labels.append(t.pick(scale.not_applicable))
                    counts.append(r.not_applicable)
                tx.p(
                    t('survey.results.item_mean', mean=t.number(r.mean, 1), n=r.answered)
                    if r.mean is not None
                    else t('survey.results.item_no_mean')
                ).classes('text-sm')
            else:
                labels = [t.pick(o.label) for o in item.options]
                counts = [r.counts[o.id] for o in item.options]
            with ui.element('div').classes('w-full grid gap-3 md:grid-cols-2 items-start'):
                horizontal_bars(labels, counts, label=t('survey.results.chart_label'))
                data_table(
                    t('survey.results.distribution'),
                    [t('survey.results.answer'), t('survey.results.n')],
                    [[label, t.number(n)] for label, n in zip(labels, counts, strict=True)],
                    numeric=(1,),
                )


def _to_plan(ctx: PageContext, survey_round: SurveyRound, results: SurveyResults) -> None:
    t = ctx.t
    weak = weak_items(results)
    tx.h3(t('survey.plan.title'))
    if not weak:
        tx.p(t('survey.plan.none')).mark('no-weak-items')
        return
    tx.p(t('survey.plan.help'))
    sent = ctx.services.suggestions.sent(ctx.user.id, ctx.community.id, 'survey', survey_round.id)
    catalog = ctx.services.content.ui
    with html.ul().classes('flex flex-col gap-2 w-full'):
        for r in weak:
            # the idea names the question, not today's mean: one more answer must not make it a different idea
            text = {
                lang: Translator(catalog, lang)('survey.plan.idea', statement=r.item.statement[lang])
                for lang in LANGUAGES
            }
            with html.li().classes('flex flex-wrap items-center gap-2 justify-between'):
                with html.span().classes('grow basis-64'):
                    tx.span(t.pick(text))
                    tx.span(' ' + t('survey.plan.mean', mean=t.number(r.mean, 1))).classes('cop-muted')
                if ctx.can(Permission.EDIT):
                    send_idea(
                        ctx, 'survey', survey_round.id, r.item.dimension, text, (r.item.dimension, text['en']) in sent
                    )


def _exports(ctx: PageContext, instrument, survey_round: SurveyRound, results: SurveyResults) -> None:
    t, surveys, cid = ctx.t, ctx.services.surveys, ctx.community.id
    stem = f'survey-{survey_round.id}-{datetime.now(UTC).date().isoformat()}'
    logged = partial(ctx.services.exportlog.note, ctx.user.id, cid)  # every export is logged (core/exportlog.py)

    def raw() -> None:
        rows = surveys.raw_answers(ctx.user.id, cid, survey_round.id)  # read now: an answer may have been withdrawn
        if rows is None:
            ui.notify(
                t(
                    'survey.results.hidden',
                    threshold=survey_round.threshold,
                    missing=survey_round.threshold - surveys.answer_count(ctx.user.id, cid, survey_round.id),
                )
            )
            return
        logged('survey_answers')
        ui.download.content(to_csv(rows), f'{stem}-answers.csv', 'text/csv')

    tx.h3(t('survey.export.title'))
    tx.p(t('survey.export.help')).classes('text-sm')
    with ui.row().classes('gap-2'):
        ui.button(
            t('survey.export.csv'),
            icon='download',
            on_click=lambda: (
                logged('survey_results')
                or ui.download.content(
                    to_csv(aggregated_rows(instrument, results, t)), f'{stem}-results.csv', 'text/csv'
                )
            ),
        ).props('outline').mark('export-csv')
        ui.button(
            t('survey.export.xlsx'),
            icon='download',
            on_click=lambda: (
                logged('survey_results')
                or ui.download.content(
                    to_xlsx(aggregated_rows(instrument, results, t), t('survey.title')),
                    f'{stem}-results.xlsx',
                    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                )
            ),
        ).props('outline').mark('export-xlsx')
        ui.button(t('survey.export.raw'), icon='download', on_click=raw).props('outline').mark('export-raw')


def _settings(ctx: PageContext, survey_round: SurveyRound) -> None:
    t, cid = ctx.t, ctx.community.id
    tx.h2(t('survey.settings'))
    with ui.card().classes('w-full max-w-xl').props('flat bordered'):
        fields = _settings_fields(
            t, title=survey_round.title, closes=survey_round.closes, threshold=survey_round.threshold
        )
        error = ErrorLine()

        async def save() -> None:
            error.clear_text()
            clear_field_errors(fields)
            try:
                await ctx.services.surveys.update(
                    ctx.user.id,
                    cid,
                    survey_round.id,
                    title=fields['title'].value,
                    closes=fields['closes'].value or None,
                    threshold=fields['threshold'].value,
                )
            except AppError as e:
                show_field_error(fields, e.field, ctx.error_text(e))
                error.show(ctx.error_text(e))
                return
            ctx.go(f'/c/{cid}/survey/{survey_round.id}', t('common.saved'))

        ui.button(t('common.save'), on_click=save).mark('survey-save')
    if ctx.can(Permission.MANAGE):

        async def delete() -> None:
            if not await confirm(
                t, t('survey.delete.title'), t('survey.delete.text'), t('survey.delete.action'), danger=True
            ):
                return
            try:
                await ctx.services.surveys.delete(ctx.user.id, cid, survey_round.id)
            except AppError as e:
                ctx.notify_error(e)
                return
            ctx.go(f'/c/{cid}/survey', t('survey.delete.done'))

        ui.button(t('survey.delete.action'), icon='delete', color='negative', on_click=delete).props('outline').mark(
            'survey-delete'
        )
