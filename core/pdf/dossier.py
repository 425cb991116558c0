"""The dossier as a PDF: cover, contents, then the sections the coordinator picked. Every chart has its figures in
a table beside it; every user text is printed literally; a section with nothing in it says what is missing.

The dossier never fails as a whole because of one section: a section that cannot be built or laid out is replaced
by a short notice (in the reader's language) and the rest is built; `DossierPdf.failed` names those sections."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from ..dossier import (
    DEFAULT_SECTIONS,
    SECTIONS,
    Chart,
    DossierData,
    Grid,
    action_lines,
    appendix_sources,
    community_rows,
    cover_facts,
    decision_view,
    guide_sections,
    kompas_view,
    survey_view,
)
from ..i18n import Translator
from .base import (
    ACCENT,
    FONT,
    MUTED,
    Contents,
    DocInfo,
    LayoutFailed,
    Part,
    build_pdf,
    bullet,
    content_width,
    fit,
    heading,
    keep,
    lead,
    para,
    printable,
    spacer,
    styles,
    table,
)
from .charts import radar
from .kickoff import agenda_story, needs_story

log = logging.getLogger(__name__)
SectionBuilder = Callable[[DossierData, Translator], list[Flowable]]


@dataclass(frozen=True)
class DossierPdf:
    pdf: bytes
    failed: list[str] = field(default_factory=list)  # sections replaced by a notice: they could not be laid out


def dossier_pdf(
    data: DossierData, t: Translator, sections: Sequence[str] = DEFAULT_SECTIONS, *, invariant: bool = False
) -> bytes:
    """The dossier's bytes (see build_dossier)."""
    return build_dossier(data, t, sections, invariant=invariant).pdf


def build_dossier(
    data: DossierData, t: Translator, sections: Sequence[str] = DEFAULT_SECTIONS, *, invariant: bool = False
) -> DossierPdf:
    """The dossier with the chosen sections, in SECTIONS order. The coordinator's own profile is in it only when
    `sections` names it (DEFAULT_SECTIONS leaves it out). A section whose layout fails is replaced by a notice and
    the document is built again; a failure outside any section (cover, contents) is raised as LayoutFailed."""
    chosen = [s for s in SECTIONS if s in sections]
    info = DocInfo(
        title=t('dossier.pdf.title', community=data.community.name),
        lang=t.lang,
        author=data.coordinator,
        subject=t('dossier.pdf.subject', community=data.community.name),
        keywords=(t('dossier.title'), data.community.name, 'CoP'),
        header=t('dossier.pdf.title', community=data.community.name),
        footer=t('dossier.pdf.footer', date=t.date(data.made)),
    )
    failed: list[str] = []
    while True:
        story = dossier_story(data, t, chosen, failed)
        try:
            return DossierPdf(build_pdf(story, info, invariant=invariant), failed)
        except LayoutFailed as e:
            if e.part not in chosen or e.part in failed:
                raise
            _log_failure(e.part, e.__cause__)
            failed.append(e.part)


def _log_failure(section: str, cause: BaseException | None) -> None:
    """Only the section and the kind of error: ReportLab's messages quote the text that did not fit."""
    log.warning('dossier section %s could not be laid out (%s); left out', section, type(cause).__name__)


def dossier_story(
    data: DossierData, t: Translator, sections: Sequence[str], failed: list[str] | None = None
) -> list[Flowable]:
    """The flowables of the dossier. A section named in `failed`, or whose builder raises (then it is added to
    `failed`), holds a notice that it could not be laid out."""
    failed = [] if failed is None else failed
    st = styles()
    story: list[Flowable] = [
        spacer(40),
        para(t('dossier.cover.kicker'), st['muted']),
        para(data.community.name, st['title']),
    ]
    if data.community.purpose:
        story.append(para(data.community.purpose, st['h3']))
    story.append(spacer(6))
    story += [lead(label, value, st['body']) for label, value in cover_facts(data, t)]
    story += [spacer(30), para(t('dossier.cover.note'), st['muted']), PageBreak()]
    builders: dict[str, SectionBuilder] = {
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
    appendix = appendix_sources(data, sections)
    titles = [t(f'dossier.section.{s}') for s in sections] + ([t('dossier.sources.title')] if appendix else [])
    story += [para(t('dossier.contents'), st['h1']), Contents(titles, st), PageBreak()]
    for section in sections:
        story += [Part(section), heading(t(f'dossier.section.{section}'), 0, st)]
        if section not in failed:
            try:
                story += builders[section](data, t)
                continue
            except Exception as e:  # a bug in one section must not cost the sponsor the whole dossier
                _log_failure(section, e)
                failed.append(section)
        story.append(para(t('dossier.section_failed'), st['muted']))
    story += _sources(appendix, t)
    story.append(Part(''))  # nothing after the last section belongs to it
    return story


def _sources(references: list[str], t: Translator) -> list[Flowable]:
    """The appendix, after every chosen section: the sources of what those sections show, each once, sorted."""
    if not references:
        return []
    st = styles()
    story: list[Flowable] = [Part('sources'), heading(t('dossier.sources.title'), 0, st)]
    story.append(para(t('dossier.sources.intro'), st['muted']))
    return story + [bullet(reference, st['bullet']) for reference in references]


def _missing(text: str) -> list[Flowable]:
    return [para(text, styles()['muted'])]


def _community(data: DossierData, t: Translator) -> list[Flowable]:
    width = content_width()
    return [
        table(
            [t('dossier.what'), t('dossier.value')],
            community_rows(data, t),
            [width * 0.32, width * 0.68],
            style_set=styles(),
        )
    ]


def _profile(data: DossierData, t: Translator) -> list[Flowable]:
    st = styles()
    if data.profile is None:
        return _missing(t('dossier.missing.profile'))
    shared = data.profile
    outcome = shared.profile
    story: list[Flowable] = [
        para(t('dossier.profile.note'), st['muted']),
        heading(t('profile.shared_by', name=shared.owner_name, date=t.date(outcome.sheet.finished)), 1, st),
        para(t('profile.strengths', count=len(outcome.strengths)), st['h3']),
    ]
    story += [bullet(t.pick(f.item.statement), st['bullet']) for f in outcome.strengths] or _missing(
        t('profile.no_strengths')
    )
    story.append(para(t('profile.improvements', count=len(outcome.improvements)), st['h3']))
    for finding in outcome.improvements:
        story.append(
            keep(
                [
                    bullet(t.pick(finding.item.statement), st['bullet']),
                    para(t('profile.suggestion', text=t.pick(finding.item.suggestion)), st['small']),
                ]
            )
        )
    if not outcome.improvements:
        story += _missing(t('profile.no_improvements'))
    return story


def _table(grid: Grid, fractions: Sequence[float]) -> Flowable:
    width = content_width()
    return table(grid.header, grid.rows, [width * f for f in fractions], style_set=styles())


def spider(figures: Chart) -> Drawing:
    """A radar as on the web page (see charts.radar), on the fixed 0..high scale."""
    return radar(figures.labels, figures.series, figures.high)


def _kompas(data: DossierData, t: Translator) -> list[Flowable]:
    st = styles()
    view = kompas_view(data, t)
    if view is None:
        return _missing(t('dossier.missing.kompas'))
    story: list[Flowable] = [para(view.note, st['muted'])]
    if view.overall:
        story.append(para(view.overall, st['h3']))
    if view.priorities:
        story.append(para(view.priorities, st['body']))
    story.append(spider(view.radar))
    compared = len(view.table.header) > 3
    story.append(_table(view.table, (0.34, 0.13, 0.23, 0.15, 0.15) if compared else (0.34, 0.13, 0.53)))
    story.append(heading(t('kompas.per_dimension'), 1, st))
    story += [keep([para(title, st['h3']), para(text, st['body'])]) for title, text in view.readings]
    return story


def _survey(data: DossierData, t: Translator) -> list[Flowable]:
    st = styles()
    view = survey_view(data, t)
    if view is None:
        if data.survey_waiting is not None:
            return _missing(t('dossier.missing.survey_waiting', threshold=data.survey_waiting.threshold))
        return _missing(t('dossier.missing.survey'))
    story: list[Flowable] = [
        para(view.title, st['h3']),
        para(view.count, st['body']),
        para(view.note, st['muted']),
        _table(view.blocks, (0.75, 0.25)),
    ]
    if view.cycles:
        story += [spacer(3), _table(view.cycles, (0.75, 0.25))]
    if view.gap:
        gap = view.gap
        story += [heading(t('survey.gap.title'), 1, st), para(gap.note, st['body'])]
        story += [bullet(text, st['bullet']) for text in gap.disagreements]
        if gap.grid:
            story += [spacer(3), _table(gap.grid, (0.5, 0.25, 0.25))]
        if gap.unranked:
            story.append(para(gap.unranked, st['muted']))
    if view.weak:
        story.append(heading(t('dossier.survey.weak'), 1, st))
        story += [bullet(text, st['bullet']) for text in view.weak]
    return story


def _ittools(data: DossierData, t: Translator) -> list[Flowable]:
    st = styles()
    view = decision_view(data, t)
    if view is None:
        return _missing(t('dossier.missing.ittools'))
    story: list[Flowable] = [para(view.chosen, st['h3'])]
    story += [lead(label, value, st['body']) for label, value in view.facts]
    if view.bars and view.ranking:
        story += [_bars(view.bars), _table(view.ranking, (0.1, 0.35, 0.15, 0.4))]
    return story


def _bars(figures: Chart) -> Drawing:
    width = content_width()
    # a name the group typed may be long: the table beside the chart has it in full
    names = [fit(printable(name), FONT, 8, width * 0.28) for name in figures.labels]
    values = figures.series[0][1]
    height = max(30 * mm, 8 * mm * len(names) + 12 * mm)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = width * 0.3, 6 * mm, width * 0.6, height - 10 * mm
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = list(reversed(names))
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, figures.high, figures.high / 5
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7.5
    chart.bars[0].fillColor = ACCENT
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7.5
    chart.barLabelFormat = lambda value: f'{round(value)} %'
    chart.barLabels.fillColor = MUTED
    chart.barLabels.boxAnchor = 'w'  # the figure starts where the bar ends, never on the bar
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def _kickoff(data: DossierData, t: Translator) -> list[Flowable]:
    if data.kickoff is None:
        return _missing(t('dossier.missing.kickoff'))
    story = agenda_story(data.kickoff, t, level=1)
    if data.kickoff.get('needs'):
        story += [spacer(4), keep(needs_story(data.kickoff['needs'], t, styles()))]
    return story


def _actions(data: DossierData, t: Translator) -> list[Flowable]:
    st = styles()
    lines = action_lines(data, t)
    if not lines:
        return _missing(t('dossier.missing.plan'))
    rows = []
    for line in lines:
        what: list[Flowable] = [para(line.title, st['cell_bold'])]
        what += [para(text, st['cell']) for text in (line.description, line.indicator) if text]
        rows.append([what, line.owner, line.when, line.status, line.source])
    width = content_width()
    return [
        table(
            [
                t('plan.field.title'),
                t('plan.field.owner'),
                t('dossier.actions.when'),
                t('plan.field.status'),
                t('dossier.actions.source'),
            ],
            rows,
            [width * 0.38, width * 0.15, width * 0.17, width * 0.13, width * 0.17],  # 'CoP-Kompass' whole
            style_set=st,
        )
    ]


def _guide(data: DossierData, t: Translator) -> list[Flowable]:
    st = styles()
    sections = guide_sections(data)
    if not sections:
        return _missing(t('dossier.missing.guide'))
    story: list[Flowable] = []
    for phase, answered in sections:
        story.append(heading(t.pick(phase.title), 1, st))
        story += [keep([para(t.pick(q.question), st['h3']), para(a.text, st['body'])]) for q, a in answered]
    return story


def _stories(data: DossierData, t: Translator) -> list[Flowable]:
    """Published value-creation stories: each cycle the writer answered, then the signature (or "anonymous")."""
    st = styles()
    if not data.stories:
        return _missing(t('dossier.missing.stories'))
    story: list[Flowable] = []
    for told in data.stories:
        block: list[Flowable] = []
        for cycle, text in told.texts.items():
            if text:
                block += [para(t(f'story.cycle.{cycle}'), st['label']), para(text, st['body'])]
        block.append(para(told.author or t('story.anonymous'), st['muted']))
        story += [keep(block), spacer(3)]
    return story
