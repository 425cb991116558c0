"""The dossier for the sponsor: pick the sections, download the PDF, or read and print the same dossier as an
accessible web page (a ReportLab PDF cannot be tagged for screen readers)."""
from __future__ import annotations

from nicegui import html, run, ui

from components import typography as tx
from components.charts import horizontal_bars, radar
from components.tables import data_table
from core.communities import file_slug
from core.dossier import SECTIONS, DossierData, collect, community_rows
from core.i18n import Translator
from core.pdf.dossier import dossier_pdf
from core.services import Services
from core.survey_results import weak_items

from ._base import PageContext, community_page


def register(services: Services) -> None:
    @community_page(services, '/c/{cid}/dossier')
    def dossier(ctx: PageContext):
        t = ctx.t
        data = collect(services, ctx.user.id, ctx.community.id, t.lang)
        with ctx.frame(t('dossier.title'), active='actionplan'):
            with ui.column().classes('w-full gap-2 cop-noprint').mark('dossier-controls'):
                tx.p(t('dossier.intro'))
                chosen = {s: True for s in SECTIONS}
                with html.fieldset().classes('w-full border rounded p-3'):
                    tx.legend(t('dossier.sections')).classes('px-1 font-medium')
                    with ui.row().classes('gap-x-4 gap-y-0'):
                        for section in SECTIONS:
                            ui.checkbox(t(f'dossier.section.{section}'), value=True,
                                        on_change=lambda e, s=section: (chosen.update({s: e.value}),
                                                                         document.refresh())) \
                                .mark(f'section-{section}')
                error = tx.p('').classes('text-negative').props('role=alert')
                with ui.row().classes('items-center gap-3'):
                    async def download() -> None:
                        sections = [s for s in SECTIONS if chosen[s]]
                        if not sections:
                            error.set_text(t('dossier.none_selected'))
                            return
                        error.set_text('')
                        button.props('loading')
                        status.set_text(t('dossier.building'))
                        try:
                            pdf = await run.io_bound(dossier_pdf, data, t, sections)
                        finally:
                            button.props(remove='loading')
                        status.set_text(t('dossier.ready'))
                        ui.download.content(pdf, f'{file_slug(ctx.community.name)}-dossier-{t.lang}.pdf',
                                            'application/pdf')

                    button = ui.button(t('dossier.download'), icon='picture_as_pdf', on_click=download) \
                        .mark('dossier-pdf')
                    ui.button(t('dossier.print'), icon='print', on_click=lambda: ui.run_javascript('window.print()')) \
                        .props('outline')
                    status = tx.span('').classes('text-sm').props('aria-live=polite').mark('dossier-status')
                tx.p(t('dossier.html_note')).classes('text-sm cop-muted')

            @ui.refreshable
            def document() -> None:
                render_html(ctx, data, [s for s in SECTIONS if chosen[s]])

            with ui.column().classes('w-full gap-3').mark('dossier-html'):
                document()


def render_html(ctx: PageContext, data: DossierData, sections: list[str]) -> None:
    """The dossier as a web page: the same sections as the PDF, headings and tables for screen readers."""
    t = ctx.t
    with ui.card().classes('w-full').props('flat bordered'):
        tx.p(t('dossier.cover.kicker')).classes('cop-muted')
        tx.h2(data.community.name)
        for label, value in ((t('dossier.cover.coordinator'), data.coordinator),
                             (t('dossier.cover.sponsor'), data.community.sponsor),
                             (t('dossier.cover.date'), t.date(data.made))):
            tx.p(f'{label} {value or "—"}')
    renderers = {'community': _community, 'profile': _profiles, 'kompas': _kompas, 'survey': _survey,
                 'ittools': _ittools, 'kickoff': _kickoff, 'actionplan': _actions, 'guide': _guide}
    for section in sections:
        with html.section().classes('w-full flex flex-col gap-2').mark(f'dossier-{section}') as element:
            title = tx.h2(t(f'dossier.section.{section}'))
            element.props['aria-labelledby'] = title.html_id
            renderers[section](t, data)


def _missing(text: str) -> None:
    tx.p(text).classes('cop-muted')


def _community(t: Translator, data: DossierData) -> None:
    data_table(t('dossier.section.community'), [t('dossier.what'), t('dossier.value')], community_rows(data, t))


def _profiles(t: Translator, data: DossierData) -> None:
    if not data.profiles:
        _missing(t('dossier.missing.profile'))
        return
    tx.p(t('dossier.profile.note')).classes('text-sm cop-muted')
    for shared in data.profiles:
        outcome = shared.profile
        tx.h3(t('profile.shared_by', name=shared.owner_name, date=t.date(outcome.sheet.finished)))
        tx.p(t('profile.strengths', count=len(outcome.strengths))).classes('font-medium')
        with html.ul().classes('list-disc pl-5'):
            for finding in outcome.strengths:
                tx.li(t.pick(finding.item.statement))
        tx.p(t('profile.improvements', count=len(outcome.improvements))).classes('font-medium')
        with html.ul().classes('list-disc pl-5'):
            for finding in outcome.improvements:
                tip = t('profile.suggestion', text=t.pick(finding.item.suggestion))
                tx.li(f'{t.pick(finding.item.statement)} — {tip}')


def _kompas(t: Translator, data: DossierData) -> None:
    outcome, instrument = data.kompas, data.kompas_instrument
    if outcome is None:
        _missing(t('dossier.missing.kompas'))
        return
    result, sheet = outcome.result, outcome.round
    previous = outcome.previous[1] if outcome.previous else None
    tx.p(t('dossier.kompas.round', date=t.date(sheet.finished), version=sheet.version)).classes('cop-muted')
    if result.overall is not None and data.kompas_stage:
        tx.p(t('kompas.overall', mean=t.number(result.overall, 1), stage=t.pick(data.kompas_stage.title))) \
            .classes('font-medium')
    titles = [t.pick(d.title) for d in instrument.dimensions]
    series = [(t('kompas.series_this', date=t.date(sheet.finished)), [s.mean for s in result.dimensions])]
    if previous is not None:
        series.append((t('kompas.series_previous', date=t.date(outcome.previous[0].finished)),
                       [previous.dimension(d.id).mean if previous.dimension(d.id) else None
                        for d in instrument.dimensions]))
    radar(titles, series, max_value=instrument.scale.high, label=t('kompas.radar_label'))
    rows = []
    for d, s in zip(instrument.dimensions, result.dimensions, strict=True):
        row = [t.pick(d.title), t.number(s.mean, 1) if s.mean is not None else t('kompas.too_few_short'),
               t.pick(s.band.label) if s.band else '—']
        if previous is not None:
            before = previous.dimension(d.id)
            row.append(t.number(before.mean, 1) if before and before.mean is not None else '—')
        rows.append(row)
    columns = [t('kompas.col_dimension'), t('kompas.col_score'), t('kompas.col_band')]
    if previous is not None:
        columns.append(t('kompas.col_previous'))
    data_table(t('kompas.table_caption', scale=instrument.scale.high), columns, rows, numeric=(1, 3))
    for d, s in zip(instrument.dimensions, result.dimensions, strict=True):
        if s.band is not None and s.band.interpretation:
            tx.p(f'{t.pick(d.title)}: {t.pick(s.band.interpretation)}').classes('text-sm')


def _survey(t: Translator, data: DossierData) -> None:
    if data.survey is None:
        _missing(t('dossier.missing.survey_waiting', threshold=data.survey_waiting.threshold)
                 if data.survey_waiting else t('dossier.missing.survey'))
        return
    part = data.survey
    results, instrument = part.results, part.instrument
    tx.h3(part.round.title or t('survey.round_default', date=t.date(part.round.created)))
    tx.p(t('survey.results.count_rate', count=results.count, expected=results.expected,
           rate=t.percent(results.rate)) if results.expected else t('survey.results.count', count=results.count))
    data_table(t('survey.results.blocks_caption'), [t('survey.results.block'), t('survey.results.mean')],
               [[t.pick(instrument.dimension(b).title), t.number(m, 1)] for b, m in results.blocks.items()
                if m is not None], numeric=(1,))
    if results.cycles:
        data_table(t('survey.results.cycles_caption'), [t('survey.results.cycle'), t('survey.results.mean')],
                   [[t(f'survey.cycle.{c}'), t.number(m, 1) if m is not None else '—']
                    for c, m in results.cycles.items()], numeric=(1,))
    gaps = [g for g in part.gaps if g.members is not None]
    if gaps:
        kompas = data.kompas_instrument
        data_table(t('survey.gap.caption'), [t('kompas.col_dimension'), t('survey.gap.coordinator'),
                                             t('survey.gap.members')],
                   [[t.pick(kompas.dimension(g.dimension).title),
                     t.number(g.coordinator, 1) if g.coordinator is not None else '—', t.number(g.members, 1)]
                    for g in gaps], numeric=(1, 2))
    weak = weak_items(results)
    if weak:
        tx.p(t('dossier.survey.weak')).classes('font-medium')
        with html.ul().classes('list-disc pl-5'):
            for r in weak:
                tx.li(f'{t.pick(r.item.statement)} ({t.number(r.mean, 1)})')


def _ittools(t: Translator, data: DossierData) -> None:
    decision = data.decision
    if decision is None:
        _missing(t('dossier.missing.ittools'))
        return
    tx.h3(t('dossier.ittools.chosen', tool=t.pick(decision['tool_name'])))
    tx.p(f"{t('dossier.ittools.rationale')} {decision['rationale'] or '—'}")
    ranking = decision['ranking']
    if ranking:
        horizontal_bars([t.pick(r['name']) for r in ranking], [round(r['percent'] * 100) for r in ranking],
                        label=t('survey.results.chart_label'), max_value=100, unit=' %')
        data_table(t('dossier.ittools.ranking'), [t('dossier.ittools.rank'), t('dossier.ittools.tool'),
                                                  t('dossier.ittools.score'), t('dossier.ittools.must')],
                   [[str(r['rank']), t.pick(r['name']), t.percent(r['percent']),
                     t('dossier.ittools.excluded', criteria=', '.join(t.pick(f) for f in r['failed']))
                     if r['excluded'] else '—'] for r in ranking], numeric=(2,))


def _kickoff(t: Translator, data: DossierData) -> None:
    plan = data.kickoff
    if plan is None:
        _missing(t('dossier.missing.kickoff'))
        return
    tx.h3(plan['title'])
    data_table(plan['title'], [t('kickoff.pdf.time'), t('kickoff.pdf.programme')],
               [[f'{b["start"]}–{b["end"]}', b['title'] + (f' — {b["goal"]}' if b['goal'] else '')]
                for b in plan['blocks']])


def _actions(t: Translator, data: DossierData) -> None:
    if not data.actions:
        _missing(t('dossier.missing.actionplan'))
        return
    rows = [[a.title + (f' — {a.indicator}' if a.indicator else ''), a.owner or '—',
             t.date(a.due) if a.due else (t('plan.horizon.days', days=a.horizon) if a.horizon else '—'),
             t(f'plan.status.{a.status}')] for a in data.actions]
    data_table(t('dossier.section.actionplan'), [t('plan.field.title'), t('plan.field.owner'),
                                                 t('dossier.actions.when'), t('plan.field.status')], rows)


def _guide(t: Translator, data: DossierData) -> None:
    if not data.guide_answers or data.guide is None:
        _missing(t('dossier.missing.guide'))
        return
    with html.dl().classes('flex flex-col gap-1'):
        for phase in data.guide.phases:
            for question in phase.questions:
                answer = data.guide_answers.get(question.id)
                if answer:
                    tx.dt(t.pick(question.question)).classes('font-medium')
                    tx.dd(answer.text).classes('whitespace-pre-line pl-4')

