"""The dossier for the sponsor: pick the sections, download the PDF, or read and print the same dossier as an
accessible web page (a ReportLab PDF cannot be tagged for screen readers)."""

from __future__ import annotations

import logging

from nicegui import html, run, ui

from components import typography as tx
from components.charts import horizontal_bars, radar
from components.context import PageContext
from components.story_card import story_view
from components.survey_widgets import gap_section
from components.tables import data_table
from core.communities import file_slug
from core.dossier import (
    DEFAULT_SECTIONS,
    SECTIONS,
    DossierData,
    Grid,
    action_lines,
    appendix_sources,
    collect,
    community_rows,
    cover_facts,
    decision_view,
    guide_sections,
    kompas_view,
    survey_view,
)
from core.i18n import Translator
from core.services import Services

from ._base import community_page

log = logging.getLogger(__name__)


def register(services: Services) -> None:
    @community_page(services, '/c/{cid}/dossier')
    def dossier(ctx: PageContext):
        DossierView(ctx, services)


class DossierView:
    """The sections to include, the PDF and the print button, and the same dossier as a web page below."""

    def __init__(self, ctx: PageContext, services: Services) -> None:
        self.ctx, self.t = ctx, ctx.t
        self.data = collect(services, ctx.user.id, ctx.community.id, self.t.lang)
        # privacy by default: the coordinator's own profile only when ticked for this dossier
        self.chosen = {s: s in DEFAULT_SECTIONS for s in SECTIONS}
        with ctx.frame(self.t('dossier.title'), active='plan'):
            with ui.column().classes('w-full gap-2 cop-noprint').mark('dossier-controls'):
                tx.p(self.t('dossier.intro'))
                self._render_sections()
                self._render_download()
                tx.p(self.t('dossier.html_note')).classes('text-sm cop-muted')
            self.document = ui.column().classes('w-full gap-3').mark('dossier-html')
            self._render_document()

    @property
    def sections(self) -> list[str]:
        return [s for s in SECTIONS if self.chosen[s]]

    def _render_sections(self) -> None:
        t = self.t
        with html.fieldset().classes('w-full border rounded p-3'):
            tx.legend(t('dossier.sections')).classes('px-1 font-medium')
            with ui.row().classes('gap-x-4 gap-y-0'):
                for section in SECTIONS:
                    ui.checkbox(
                        t(f'dossier.section.{section}'),
                        value=self.chosen[section],
                        on_change=lambda e, s=section: self._on_section(s, bool(e.value)),
                    ).mark(f'section-{section}')
            tx.p(t('dossier.profile_private')).classes('text-sm cop-muted')

    def _on_section(self, section: str, chosen: bool) -> None:
        self.chosen[section] = chosen
        self._render_document()

    def _render_document(self) -> None:
        self.document.clear()
        with self.document:
            render_html(self.ctx, self.data, self.sections)

    def _render_download(self) -> None:
        t = self.t
        self.error = tx.p('').classes('text-negative').props('role=alert')
        with ui.row().classes('items-center gap-3'):
            self.button = ui.button(t('dossier.download'), icon='picture_as_pdf', on_click=self._on_download).mark(
                'dossier-pdf'
            )
            ui.button(t('dossier.print'), icon='print', on_click=lambda: ui.run_javascript('window.print()')).props(
                'outline'
            )
            self.status = tx.span('').classes('text-sm').props('aria-live=polite').mark('dossier-status')

    async def _on_download(self) -> None:
        t, ctx, sections = self.t, self.ctx, self.sections
        if not sections:
            self.error.set_text(t('dossier.none_selected'))
            return
        self.error.set_text('')
        self.button.props('loading')
        self.status.set_text(t('dossier.building'))
        try:
            from core.pdf.dossier import build_dossier  # ReportLab is loaded on the first PDF, not at start-up

            made = await run.io_bound(build_dossier, self.data, t, sections)
        except Exception as e:  # a bug in a document must not leave the page waiting: say so, log it
            # the type only: ReportLab's messages quote the text that did not fit
            log.warning('dossier PDF of %s failed (%s)', ctx.community.id, type(e).__name__)
            self.status.set_text('')
            self.error.set_text(t('dossier.failed'))
            return
        finally:
            self.button.props(remove='loading')
        if made is None:  # the server is stopping: nothing to hand over
            return
        if made.failed:  # built without them: name them, they are in full on this page
            names = ', '.join(t(f'dossier.section.{s}') for s in made.failed)
            self.status.set_text('')
            self.error.set_text(t('dossier.ready_partly', sections=names))
        else:
            self.status.set_text(t('dossier.ready'))
        ctx.services.exportlog.note(ctx.user.id, ctx.community.id, 'dossier')
        ui.download.content(made.pdf, f'{file_slug(ctx.community.name)}-dossier-{t.lang}.pdf', 'application/pdf')


def render_html(ctx: PageContext, data: DossierData, sections: list[str]) -> None:
    """The dossier as a web page: the same sections and texts as the PDF (core.dossier prepares them for both),
    with headings and tables for screen readers."""
    t = ctx.t
    with ui.card().classes('w-full').props('flat bordered'):
        tx.p(t('dossier.cover.kicker')).classes('cop-muted')
        tx.h2(data.community.name)
        if data.community.purpose:
            tx.p(data.community.purpose).classes('font-medium')
        for label, value in cover_facts(data, t):
            tx.p(f'{label} {value}')
        tx.p(t('dossier.cover.note')).classes('text-sm cop-muted')
    renderers = {
        'community': _community,
        'profile': _profile,
        'kompas': _kompas,
        'survey': _survey,
        'ittools': _ittools,
        'kickoff': _kickoff,
        'plan': _actions,
        'stories': _stories,
        'guide': _guide,
    }
    for section in sections:
        with html.section().classes('w-full flex flex-col gap-2').mark(f'dossier-{section}') as element:
            title = tx.h2(t(f'dossier.section.{section}'))
            element.props['aria-labelledby'] = title.html_id
            renderers[section](t, data)
    _sources(t, appendix_sources(data, sections))


def _sources(t: Translator, references: list[str]) -> None:
    """The appendix of sources, as in the PDF: last, and only when the chosen sections rest on any."""
    if not references:
        return
    with html.section().classes('w-full flex flex-col gap-2').mark('dossier-sources') as element:
        title = tx.h2(t('dossier.sources.title'))
        element.props['aria-labelledby'] = title.html_id
        tx.p(t('dossier.sources.intro')).classes('text-sm cop-muted')
        _bullets(references)


def _missing(text: str) -> None:
    tx.p(text).classes('cop-muted')


def _grid(grid: Grid, marker: str | None = None) -> None:
    data_table(grid.caption, grid.header, grid.rows, numeric=grid.numeric, marker=marker)


def _bullets(texts: list[str]) -> None:
    with html.ul().classes('list-disc pl-5'):
        for text in texts:
            tx.li(text)


def _community(t: Translator, data: DossierData) -> None:
    data_table(t('dossier.section.community'), [t('dossier.what'), t('dossier.value')], community_rows(data, t))


def _profile(t: Translator, data: DossierData) -> None:
    if data.profile is None:
        _missing(t('dossier.missing.profile'))
        return
    outcome = data.profile.profile
    tx.p(t('dossier.profile.note')).classes('text-sm cop-muted')
    tx.h3(t('profile.shared_by', name=data.profile.owner_name, date=t.date(outcome.sheet.finished)))
    tx.p(t('profile.strengths', count=len(outcome.strengths))).classes('font-medium')
    _bullets([t.pick(f.item.statement) for f in outcome.strengths] or [t('profile.no_strengths')])
    tx.p(t('profile.improvements', count=len(outcome.improvements))).classes('font-medium')
    _bullets(
        [
            f'{t.pick(f.item.statement)} — {t("profile.suggestion", text=t.pick(f.item.suggestion))}'
            for f in outcome.improvements
        ]
        or [t('profile.no_improvements')]
    )


def _kompas(t: Translator, data: DossierData) -> None:
    view = kompas_view(data, t)
    if view is None:
        _missing(t('dossier.missing.kompas'))
        return
    tx.p(view.note).classes('cop-muted')
    if view.overall:
        tx.p(view.overall).classes('font-medium')
    if view.priorities:
        tx.p(view.priorities)
    radar(view.radar.labels, view.radar.series, max_value=view.radar.high, label=t('kompas.radar_label'))
    _grid(view.table)
    tx.h3(t('kompas.per_dimension'))
    with html.dl().classes('flex flex-col gap-1'):
        for title, text in view.readings:
            tx.dt(title).classes('font-medium')
            tx.dd(text).classes('pl-4')


def _survey(t: Translator, data: DossierData) -> None:
    view = survey_view(data, t)
    if view is None:
        _missing(
            t('dossier.missing.survey_waiting', threshold=data.survey_waiting.threshold)
            if data.survey_waiting
            else t('dossier.missing.survey')
        )
        return
    tx.h3(view.title)
    tx.p(view.count)
    tx.p(view.note).classes('text-sm cop-muted')
    _grid(view.blocks)
    if view.cycles:
        _grid(view.cycles)
    if view.gap:
        tx.h3(t('survey.gap.title'))
        gap_section(view.gap)
    if view.weak:
        tx.h3(t('dossier.survey.weak'))
        _bullets(view.weak)


def _ittools(t: Translator, data: DossierData) -> None:
    view = decision_view(data, t)
    if view is None:
        _missing(t('dossier.missing.ittools'))
        return
    tx.h3(view.chosen)
    for label, value in view.facts:
        tx.p(f'{label} {value}')
    if view.bars and view.ranking:
        horizontal_bars(
            view.bars.labels,
            view.bars.series[0][1],
            label=t('survey.results.chart_label'),
            max_value=view.bars.high,
            unit=' %',
        )
        _grid(view.ranking)


def _kickoff(t: Translator, data: DossierData) -> None:
    plan = data.kickoff
    if plan is None:
        _missing(t('dossier.missing.kickoff'))
        return
    tx.h3(plan['title'])
    data_table(
        plan['title'],
        [t('kickoff.pdf.time'), t('kickoff.pdf.programme')],
        [[f'{b["start"]}–{b["end"]}', b['title'] + (f' — {b["goal"]}' if b['goal'] else '')] for b in plan['blocks']],
    )
    needs = plan.get('needs')
    if needs:  # what prospective members said, as under the script's "needs and expectations" block
        tx.h3(t('needs.result.title'))
        tx.p(needs['heading'])
        data_table(t('needs.result.title'), [t('dossier.needs.question'), t('dossier.needs.answers')], needs['lines'])


def _actions(t: Translator, data: DossierData) -> None:
    lines = action_lines(data, t)
    if not lines:
        _missing(t('dossier.missing.plan'))
        return
    rows = [
        ['\n'.join(text for text in (a.title, a.description, a.indicator) if text), a.owner, a.when, a.status, a.source]
        for a in lines
    ]
    data_table(
        t('dossier.section.plan'),
        [
            t('plan.field.title'),
            t('plan.field.owner'),
            t('dossier.actions.when'),
            t('plan.field.status'),
            t('dossier.actions.source'),
        ],
        rows,
    )


def _guide(t: Translator, data: DossierData) -> None:
    sections = guide_sections(data)
    if not sections:
        _missing(t('dossier.missing.guide'))
        return
    for phase, answered in sections:
        tx.h3(t.pick(phase.title))
        with html.dl().classes('flex flex-col gap-1'):
            for question, answer in answered:
                tx.dt(t.pick(question.question)).classes('font-medium')
                tx.dd(answer.text).classes('whitespace-pre-line pl-4')


def _stories(t: Translator, data: DossierData) -> None:
    if not data.stories:
        _missing(t('dossier.missing.stories'))
        return
    for told in data.stories:
        story_view(t, told)
