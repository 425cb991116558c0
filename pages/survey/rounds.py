"""The member survey, coordinator's side: the latest results first with the trend over all rounds, then the rounds,
their personal links (QR cards, a mail-merge list) or open link, the invitation texts, and each round's released
snapshot of results (shown only from the threshold on, and moving only in steps)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from nicegui import html, ui

from components import typography as tx
from components.actions import attempt_now
from components.charts import horizontal_bars
from components.context import PageContext
from components.dialogs import confirm
from components.error_pages import not_found_content
from components.forms import ErrorLine, NumberField, copy_button
from components.live import follow
from components.nav import provide
from components.questionnaire_flow import send_idea
from components.survey_widgets import (
    anonymity_summary,
    gap_section,
    link_and_qr,
    personal_links,
    status_buttons,
    status_text,
    survey_link,
    trend_chart,
    unverified_label,
)
from components.tables import data_table
from core.changes import Changed
from core.dossier import gap_view
from core.errors import NotFound
from core.i18n import LANGUAGES, Translator
from core.needs import INSTRUMENT as NEEDS_INSTRUMENT
from core.needs import heading as needs_heading
from core.needs import lines as needs_lines
from core.needs import moment_idea, summarise, worded
from core.roles import Permission
from core.services import Services
from core.survey import DEFAULT_THRESHOLD, MIN_THRESHOLD, OPEN_MIN_THRESHOLD, SurveyRound
from core.survey_results import (
    SurveyResults,
    aggregated_rows,
    nearest_in_time,
    perception_gap,
    to_csv,
    to_xlsx,
    weak_items,
)

from .._base import community_page
from ._invites import SurveyInvitationsView


@dataclass(frozen=True)
class SurveyKind:
    """Which instrument a set of rounds runs and where its pages live: the member survey (/c/<id>/survey) or the
    needs survey of prospective members (/c/<id>/needs). Both run on the same engine and the same round page."""

    instrument: str
    key: str  # navigation key, path under /c/<id>, and prefix of its own UI strings (title, intro, invitation)

    def href(self, cid: str, round_id: str = '') -> str:
        return f'/c/{cid}/{self.key}' + (f'/{round_id}' if round_id else '')


MEMBER = SurveyKind('member_survey', 'survey')
NEEDS = SurveyKind(NEEDS_INSTRUMENT, 'needs')
INSTRUMENT = MEMBER.instrument


def kind_of(survey_round: SurveyRound) -> SurveyKind:
    return NEEDS if survey_round.instrument == NEEDS.instrument else MEMBER


def round_href(cid: str, survey_round: SurveyRound) -> str:
    return kind_of(survey_round).href(cid, survey_round.id)


def register(services: Services) -> None:
    for kind in (MEMBER, NEEDS):
        _register_kind(services, kind)


def _register_kind(services: Services, kind: SurveyKind) -> None:
    provide(kind.key, partial(_status, kind=kind))

    @community_page(services, '/c/{cid}/' + kind.key)
    def overview(ctx: PageContext):
        _overview(ctx, services, kind)

    @community_page(services, '/c/{cid}/' + kind.key + '/{round_id}')
    def round_page(ctx: PageContext, round_id: str):
        try:
            survey_round = services.surveys.round(ctx.user.id, ctx.community.id, round_id)
        except NotFound:
            not_found_content(ctx)
            return
        RoundView(ctx, services, survey_round)


def _status(ctx: PageContext, kind: SurveyKind = MEMBER) -> str:
    surveys = ctx.services.surveys
    rounds = surveys.rounds(ctx.user.id, ctx.community.id, kind.instrument)
    if not rounds:
        return ctx.t('survey.dashboard.none')
    latest = rounds[0]
    return ctx.t(
        'survey.dashboard.latest',
        status=status_text(ctx.t, latest),
        count=surveys.answer_count(ctx.user.id, ctx.community.id, latest.id),
    )


def _overview(ctx: PageContext, services: Services, kind: SurveyKind) -> None:
    """The latest results first, the trend over the rounds, the rounds, and a new round."""
    t, cid, surveys = ctx.t, ctx.community.id, services.surveys
    instrument = services.content.instruments.current(kind.instrument)
    with ctx.frame(t(f'{kind.key}.title'), active=kind.key):
        tx.p(t(f'{kind.key}.intro'))
        anonymity_summary(t, DEFAULT_THRESHOLD, kind.instrument)
        rounds = surveys.rounds(ctx.user.id, cid, kind.instrument)
        trend = surveys.trend(ctx.user.id, cid, kind.instrument)
        new_heading = _latest(ctx, trend)
        if kind == MEMBER:  # the needs survey asks once, before the kick-off: no trend over rounds
            _trend(ctx, trend)
        tx.h2(t('survey.rounds'))
        if not rounds:
            tx.p(t('survey.no_rounds')).mark('no-rounds')
        with html.ul().classes('flex flex-col gap-2 w-full'):
            for survey_round in rounds:
                with html.li().classes('flex flex-wrap gap-x-4 items-center'):
                    ui.link(_title(t, survey_round), round_href(cid, survey_round)).classes('font-medium').mark(
                        'round-link'
                    )
                    tx.span(status_text(t, survey_round))
                    tx.span(t(f'survey.mode.{survey_round.mode}_short')).classes('cop-muted')
                    count = surveys.answer_count(ctx.user.id, cid, survey_round.id)
                    tx.span(t('survey.count', count=count, threshold=survey_round.threshold)).classes('cop-muted')
        if ctx.can(Permission.EDIT):
            _new_round(ctx, kind, instrument, new_heading)


SURVEY_TOPICS = frozenset({'survey'})  # the changes a round's page follows


class RoundView:
    """One round: its state, its results (drawn again as answers come in or are withdrawn), sharing it, and its
    settings."""

    def __init__(self, ctx: PageContext, services: Services, survey_round: SurveyRound) -> None:
        self.ctx, self.t, self.services = ctx, ctx.t, services
        self.cid, self.round = ctx.community.id, survey_round
        t = self.t
        kind = kind_of(survey_round)
        with ctx.frame(t(f'{kind.key}.round_title', title=_title(t, survey_round)), active=kind.key):
            with ui.row().classes('items-center gap-3'):
                tx.p(status_text(t, survey_round)).classes('text-lg font-medium').mark('round-status')
                tx.span(t(f'survey.mode.{survey_round.mode}_short')).classes('cop-muted').mark('round-mode')
                if ctx.can(Permission.EDIT):
                    status_buttons(ctx, survey_round, round_href(self.cid, survey_round))
            anonymity_summary(t, survey_round.threshold, survey_round.instrument)
            tx.h2(t('survey.results.title'))
            self.results = ui.column().classes('w-full gap-2').mark('round-results')
            self.shown = self._state()
            self._render_results()
            follow(services.changes, self.cid, self.results, self._on_changed, SURVEY_TOPICS)
            _share(ctx, survey_round)
            if survey_round.verified and ctx.can(Permission.EDIT):
                SurveyInvitationsView(ctx, services, survey_round)  # personal links by mail
            if ctx.can(Permission.EDIT):
                _settings(ctx, survey_round)

    def _state(self) -> tuple[int, int]:
        """What the results show: the answers received and those in the released snapshot."""
        snapshot = self.services.surveys.snapshot(self.ctx.user.id, self.cid, self.round.id)
        return snapshot.received, snapshot.released

    def _render_results(self) -> None:
        self.results.clear()
        with self.results:
            _results(self.ctx, self.services, self.round)

    def _on_changed(self, change: Changed) -> None:
        """An answer came in or was withdrawn (in any round of the community): redraw when this round's changed."""
        state = attempt_now(self.t, self._state, notify=False)  # the round may be gone meanwhile
        if state and state.value != self.shown:
            self.shown = state.value
            self._render_results()


def _title(t: Translator, survey_round: SurveyRound) -> str:
    return survey_round.title or t('survey.round_default', date=t.date(survey_round.created))


def _latest(ctx: PageContext, trend: list[tuple[SurveyRound, SurveyResults]]) -> ui.element | None:
    """The latest released results first, with "new round" beside them; returns the button's target."""
    t, cid = ctx.t, ctx.community.id
    latest = trend[-1] if trend else None
    with ui.row().classes('w-full items-center justify-between gap-3'):
        tx.h2(t('survey.overview.latest', title=_title(t, latest[0])) if latest else t('survey.results.title'))
        new_button = (
            ui.button(t('survey.overview.new_round'), icon='add').props('outline').mark('survey-new-round')
            if ctx.can(Permission.EDIT)
            else None
        )
    if latest is None:
        tx.p(t('survey.overview.none')).mark('no-results')
    else:
        survey_round, results = latest
        instrument = ctx.services.surveys.instrument_of(survey_round)
        with ui.card().classes('w-full gap-2').props('flat bordered').mark('latest-results'):
            tx.p(t('survey.snapshot.holds', released=results.count)).classes('font-medium')
            if not survey_round.verified:
                unverified_label(t)
            if kind_of(survey_round) == NEEDS:
                _needs_summary(ctx, survey_round, results)
            else:
                _summary(ctx, instrument, results)
            ui.link(t('survey.overview.open_round'), round_href(cid, survey_round)).mark('latest-link')
    return new_button


def _trend(ctx: PageContext, trend: list[tuple[SurveyRound, SurveyResults]]) -> None:
    """A line per block and value cycle over every round with results, and the same figures in a table."""
    t = ctx.t
    if not trend:
        return
    tx.h2(t('survey.trend.title'))
    if len(trend) < 2:
        tx.p(t('survey.trend.single')).classes('cop-muted').mark('trend-single')
        return
    labels = [_title(t, r) for r, _ in trend]
    series: list[tuple[str, list[float | None]]] = []
    instrument = ctx.services.surveys.instrument_of(trend[-1][0])
    for dimension in instrument.dimensions:
        values = [results.blocks.get(dimension.id) for _, results in trend]
        if any(v is not None for v in values):
            series.append((t.pick(dimension.title), values))
    for cycle in dict.fromkeys(c for _, results in trend for c in results.cycles):
        series.append((t(f'survey.cycle.{cycle}'), [results.cycles.get(cycle) for _, results in trend]))
    trend_chart(labels, series, label=t('survey.trend.chart_label'))
    data_table(
        t('survey.trend.caption'),
        [t('survey.trend.part'), *labels],
        [[name, *['—' if v is None else t.number(v, 1) for v in values]] for name, values in series],
        numeric=tuple(range(1, len(labels) + 1)),
        marker='trend-table',
    )


def _bring(heading: ui.element) -> None:
    """Scroll a heading to the top and put the keyboard focus on it."""
    heading.run_method('scrollIntoView', {'block': 'start'})
    heading.run_method('focus', {'preventScroll': True})


def _new_round(ctx: PageContext, kind: SurveyKind, instrument, new_button: ui.button | None) -> None:
    t, cid = ctx.t, ctx.community.id
    heading = tx.h2(t('survey.new.title')).props('tabindex=-1').mark('new-round-heading')
    if new_button is not None:
        new_button.on_click(
            lambda: (heading.run_method('scrollIntoView', {'block': 'start'}), heading.run_method('focus'))
        )
    open_items = len([i for i in instrument.items if i.type == 'text'])
    tx.p(t(f'{kind.key}.new.text', items=len(instrument.items) - open_items, open=open_items))
    with ui.card().classes('w-full max-w-xl').props('flat bordered'):
        mode = (
            ui.radio(
                {'personal': t(worded('survey.mode.personal', kind.instrument)), 'open': t('survey.mode.open')},
                value='personal',
            )
            .props(f'aria-label="{t(worded("survey.field.mode", kind.instrument))}"')
            .mark('survey-mode')
        )
        fields = _settings_fields(t, title='', closes=None, threshold=DEFAULT_THRESHOLD)

        def mode_changed() -> None:
            low = OPEN_MIN_THRESHOLD if mode.value == 'open' else MIN_THRESHOLD
            fields['threshold'].props['min'] = low
            fields['threshold'].props['hint'] = t('survey.field.threshold_hint', low=low)
            if mode.value == 'open' and (fields['threshold'].value or 0) < OPEN_MIN_THRESHOLD:
                fields['threshold'].value = OPEN_MIN_THRESHOLD

        mode.on_value_change(mode_changed)
        error = ErrorLine()

        async def create() -> None:
            creating = ctx.services.surveys.create(
                ctx.user.id,
                cid,
                title=fields['title'].value,
                closes=fields['closes'].value or None,
                threshold=fields['threshold'].value,
                mode=mode.value,
                instrument=kind.instrument,
            )
            if created := (await ctx.attempt(creating, fields=fields, line=error)).value:
                ctx.go(round_href(cid, created), t('survey.new.created'))

        ui.button(t('survey.new.submit'), icon='add', on_click=create).mark('survey-create')


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
        'threshold': NumberField(t('survey.field.threshold'), value=threshold, min=MIN_THRESHOLD, step=1, precision=0)
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
    if survey_round.verified:
        personal_links(ctx, survey_round, _title(t, survey_round), ctx.can(Permission.EDIT))
    else:
        unverified_label(t)
        link_and_qr(ctx, survey_round, t(f'{kind_of(survey_round).key}.title'))
    if survey_round.verified:  # the server sends the invitations (below); these texts serve one's own mail merge
        with ui.expansion(t('survey.share.invitations')).classes('w-full').mark('invitation-texts'):
            tx.p(t('survey.links.invitation_help')).classes('text-sm cop-muted')
            _invitation_texts(ctx, survey_round)
    else:
        tx.h3(t('survey.share.invitations'))
        tx.p(t('survey.share.invitations_help')).classes('text-sm cop-muted')
        _invitation_texts(ctx, survey_round)


def _invitation_texts(ctx: PageContext, survey_round: SurveyRound) -> None:
    """The invitation text in every language, ready to copy."""
    t = ctx.t
    catalog = ctx.services.content.ui
    closes = survey_round.closes
    with ui.element('div').classes('w-full grid gap-3 lg:grid-cols-2'):
        for lang in LANGUAGES:
            other = Translator(catalog, lang)
            text = other(
                f'{kind_of(survey_round).key}.invitation.body',
                community=ctx.community.name,
                link=other('survey.links.placeholder')
                if survey_round.verified
                else survey_link(ctx, survey_round, lang),
                closes=other('survey.invitation.closes', date=other.date(closes)) if closes else '',
                minutes=4 if kind_of(survey_round) == NEEDS else 8,
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
    snapshot = surveys.snapshot(ctx.user.id, cid, survey_round.id)
    count = snapshot.received
    # the expected members are the community's; the needs survey asks people who are not members yet
    expected = ctx.community.expected_members if kind_of(survey_round) == MEMBER else None
    if expected:
        tx.p(t('survey.results.count_rate', count=count, expected=expected, rate=t.percent(count / expected))).mark(
            'response-count'
        )
    else:
        tx.p(t('survey.results.count', count=count)).mark('response-count')
    if not survey_round.verified:
        unverified_label(t)
    results = surveys.results(ctx.user.id, cid, survey_round.id, expected)
    if results is None:
        with ui.card().classes('w-full').props('flat bordered').mark('below-threshold'):
            if snapshot.waiting_for_close:
                tx.p(t('survey.snapshot.waiting_close', step=snapshot.step)).classes('font-medium')
            else:
                tx.p(t('survey.results.hidden', threshold=snapshot.step, missing=max(1, snapshot.missing))).classes(
                    'font-medium'
                )
        return
    with ui.column().classes('gap-1').mark('snapshot'):
        tx.p(t('survey.snapshot.holds', released=results.count)).classes('font-medium').mark('snapshot-count')
        if snapshot.pending:
            tx.p(
                t('survey.snapshot.pending', pending=snapshot.pending, step=snapshot.step, missing=snapshot.missing)
                if not snapshot.waiting_for_close
                else t('survey.snapshot.waiting_close', step=snapshot.step)
            ).classes('text-sm cop-muted').mark('snapshot-pending')
    instrument = surveys.instrument_of(survey_round)
    if kind_of(survey_round) == NEEDS:
        _needs_summary(ctx, survey_round, results)
        _per_item(ctx, instrument, results)
        _needs_feeds(ctx, survey_round, results)
    else:
        _summary(ctx, instrument, results)
        _gap(ctx, services, survey_round, results)
        _per_item(ctx, instrument, results)
        _to_plan(ctx, survey_round, results)
    _exports(ctx, instrument, survey_round, results)


def _needs_summary(ctx: PageContext, survey_round: SurveyRound, results: SurveyResults) -> None:
    """The most chosen answers per question, as the kick-off block shows them."""
    t = ctx.t
    summary = summarise(survey_round, results)
    data_table(
        needs_heading(summary, t),
        [t('survey.csv.statement'), t('survey.results.answer')],
        [list(line) for line in needs_lines(summary, t)],
        marker='needs-summary',
    )


def _needs_feeds(ctx: PageContext, survey_round: SurveyRound, results: SurveyResults) -> None:
    """Where the released results are used, and the plan idea on the moment most chose."""
    t, cid = ctx.t, ctx.community.id
    tx.h3(t('needs.feeds.title'))
    tx.p(t('needs.feeds.text')).classes('text-sm')
    ui.link(t('needs.feeds.kickoff'), f'/c/{cid}/kickoff').mark('needs-to-kickoff')
    idea = moment_idea(summarise(survey_round, results), ctx.services.content.ui)
    if idea is None:
        return
    tx.h3(t('needs.plan.title'))
    sent = ctx.services.suggestions.sent(ctx.user.id, cid, 'needs', survey_round.id)
    with ui.row().classes('w-full items-center gap-2 justify-between'):
        tx.span(t.pick(idea)).classes('grow basis-64')
        if ctx.can(Permission.EDIT):
            send_idea(ctx, 'needs', survey_round.id, 'ways', idea, ('ways', idea['en']) in sent)


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


def _gap(ctx: PageContext, services: Services, survey_round: SurveyRound, results: SurveyResults) -> None:
    t = ctx.t
    finished = [(r.finished, r.id) for r in services.kompas.rounds(ctx.user.id, ctx.community.id) if r.done]
    nearest = nearest_in_time(finished, survey_round.created)
    try:
        latest = services.kompas.result(ctx.user.id, ctx.community.id, nearest) if nearest else None
    except NotFound:  # its instrument version is gone
        latest = None
    gaps = perception_gap(latest.result if latest else None, results)
    if not gaps:
        return
    tx.h3(t('survey.gap.title'))
    gap_section(gap_view(gaps, services.kompas.instrument, t, latest.round.finished if latest else None))


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
                horizontal_bars(labels, counts, label=t('survey.results.chart_label'), whole=True)
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
    """The released snapshot's totals, its open answers apart, and (closed rounds only) scores per person. Every
    export is read again on click: a withdrawn answer must not come back from a page built before."""
    t, surveys, cid = ctx.t, ctx.services.surveys, ctx.community.id
    stem = f'survey-{survey_round.id}-{datetime.now(UTC).date().isoformat()}'
    logged = partial(ctx.services.exportlog.note, ctx.user.id, cid)  # every export is logged (core/exportlog.py)
    label = [[t('survey.unverified')], []] if not survey_round.verified else []

    def download(rows: list[list] | None, suffix: str, kind: str) -> None:
        if rows is None:
            ui.notify(t('survey.export.raw_closed_only'))
            return
        logged(kind)
        ui.download.content(to_csv([*label, *rows]), f'{stem}-{suffix}.csv', 'text/csv')

    def totals() -> list[list] | None:
        current = surveys.results(ctx.user.id, cid, survey_round.id)
        return None if current is None else aggregated_rows(instrument, current, t)

    def xlsx() -> None:
        rows = totals()
        if rows is None:
            return
        logged('survey_results')
        ui.download.content(
            to_xlsx([*label, *rows], t('survey.title')),
            f'{stem}-results.xlsx',
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        )

    closed = not survey_round.is_open()
    tx.h3(t('survey.export.title'))
    tx.p(t('survey.export.help')).classes('text-sm')
    with ui.row().classes('gap-2'):
        ui.button(
            t('survey.export.csv'), icon='download', on_click=lambda: download(totals(), 'results', 'survey_results')
        ).props('outline').mark('export-csv')
        ui.button(t('survey.export.xlsx'), icon='download', on_click=xlsx).props('outline').mark('export-xlsx')
        ui.button(
            t('survey.export.open_answers'),
            icon='download',
            on_click=lambda: download(
                surveys.open_answers(ctx.user.id, cid, survey_round.id, t), 'open-answers', 'survey_results'
            ),
        ).props('outline').mark('export-texts')
        if closed:
            ui.button(
                t('survey.export.raw'),
                icon='download',
                on_click=lambda: download(
                    surveys.raw_answers(ctx.user.id, cid, survey_round.id), 'scores', 'survey_answers'
                ),
            ).props('outline').mark('export-raw')
    if not closed:
        tx.p(t('survey.export.raw_closed_only')).classes('text-sm cop-muted').mark('raw-closed-only')


def _settings(ctx: PageContext, survey_round: SurveyRound) -> None:
    t, cid = ctx.t, ctx.community.id
    tx.h2(t('survey.settings'))
    with ui.card().classes('w-full max-w-xl').props('flat bordered'):
        fields = _settings_fields(
            t, title=survey_round.title, closes=survey_round.closes, threshold=survey_round.threshold
        )
        error = ErrorLine()

        async def save() -> None:
            updating = ctx.services.surveys.update(
                ctx.user.id,
                cid,
                survey_round.id,
                title=fields['title'].value,
                closes=fields['closes'].value or None,
                threshold=fields['threshold'].value,
            )
            if await ctx.attempt(updating, fields=fields, line=error):
                ctx.go(round_href(cid, survey_round), t('common.saved'))

        ui.button(t('common.save'), on_click=save).mark('survey-save')
    if ctx.can(Permission.MANAGE):

        async def delete() -> None:
            if not await confirm(
                t, t('survey.delete.title'), t('survey.delete.text'), t('survey.delete.action'), danger=True
            ):
                return
            if await ctx.attempt(ctx.services.surveys.delete(ctx.user.id, cid, survey_round.id)):
                ctx.go(kind_of(survey_round).href(cid), t('survey.delete.done'))

        ui.button(t('survey.delete.action'), icon='delete', color='negative', on_click=delete).props('outline').mark(
            'survey-delete'
        )
