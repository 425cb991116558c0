"""The dossier as a PDF: cover, contents, then the sections the coordinator picked. Every chart has its figures in
a table beside it; every user text is printed literally; a section with nothing in it says what is missing."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak

from ..dossier import SECTIONS, DossierData, community_rows
from ..i18n import Translator
from ..survey_results import weak_items
from .base import (
    ACCENT,
    FONT,
    INK,
    MUTED,
    Contents,
    DocInfo,
    build_pdf,
    bullet,
    content_width,
    heading,
    lead,
    para,
    spacer,
    styles,
    table,
)
from .kickoff import agenda_story

SECOND = colors.HexColor('#8a5a00')


def dossier_pdf(data: DossierData, t: Translator, sections: Sequence[str] = SECTIONS, *,
                invariant: bool = False) -> bytes:
    chosen = [s for s in SECTIONS if s in sections]
    info = DocInfo(title=t('dossier.pdf.title', community=data.community.name), lang=t.lang,
                   author=data.coordinator, subject=t('dossier.pdf.subject', community=data.community.name),
                   keywords=(t('dossier.title'), data.community.name, 'CoP'),
                   header=t('dossier.pdf.title', community=data.community.name),
                   footer=t('dossier.pdf.footer', date=t.date(data.made)))
    return build_pdf(dossier_story(data, t, chosen), info, invariant=invariant)


def dossier_story(data: DossierData, t: Translator, sections: Sequence[str]) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [spacer(40), para(t('dossier.cover.kicker'), st['muted']),
                             para(data.community.name, st['title'])]
    if data.community.purpose:
        story.append(para(data.community.purpose, st['h3']))
    story += [spacer(6), lead(t('dossier.cover.coordinator'), data.coordinator or '—', st['body']),
              lead(t('dossier.cover.sponsor'), data.community.sponsor or '—', st['body']),
              lead(t('dossier.cover.date'), t.date(data.made), st['body']),
              lead(t('dossier.cover.language'), t(f'lang.{t.lang}'), st['body']), spacer(30),
              para(t('dossier.cover.note'), st['muted']), PageBreak()]
    builders: dict[str, Callable[[DossierData, Translator], list[Flowable]]] = {
        'community': _community, 'profile': _profiles, 'kompas': _kompas, 'survey': _survey, 'ittools': _ittools,
        'kickoff': _kickoff, 'actionplan': _actions, 'guide': _guide}
    titles = [t(f'dossier.section.{s}') for s in sections]
    story += [para(t('dossier.contents'), st['h1']), Contents(titles, st), PageBreak()]
    for section in sections:
        story.append(heading(t(f'dossier.section.{section}'), 0, st))
        story += builders[section](data, t)
    return story


def _missing(text: str) -> list[Flowable]:
    return [para(text, styles()['muted'])]


def _community(data: DossierData, t: Translator) -> list[Flowable]:
    width = content_width()
    return [table([t('dossier.what'), t('dossier.value')], community_rows(data, t), [width * 0.32, width * 0.68],
                  style_set=styles())]


def _profiles(data: DossierData, t: Translator) -> list[Flowable]:
    st = styles()
    if not data.profiles:
        return _missing(t('dossier.missing.profile'))
    story: list[Flowable] = [para(t('dossier.profile.note'), st['muted'])]
    for shared in data.profiles:
        outcome = shared.profile
        story.append(heading(t('profile.shared_by', name=shared.owner_name, date=t.date(outcome.sheet.finished)), 1,
                             st))
        story.append(para(t('profile.strengths', count=len(outcome.strengths)), st['h3']))
        story += [bullet(t.pick(f.item.statement), st['bullet']) for f in outcome.strengths] or \
            _missing(t('profile.no_strengths'))
        story.append(para(t('profile.improvements', count=len(outcome.improvements)), st['h3']))
        for finding in outcome.improvements:
            story.append(KeepTogether([bullet(t.pick(finding.item.statement), st['bullet']),
                                       para(t('profile.suggestion', text=t.pick(finding.item.suggestion)),
                                            st['small'])]))
        if not outcome.improvements:
            story += _missing(t('profile.no_improvements'))
    return story


def spider(labels: list[str], series: list[tuple[str, list[float | None]]], high: float) -> Drawing:
    """A radar on a fixed 0..high scale (SpiderChart scales to the largest value: an invisible strand at `high`
    pins the scale), with a small legend."""
    width, height = content_width(), 86 * mm
    drawing = Drawing(width, height)
    chart = SpiderChart()
    chart.x, chart.y, chart.width, chart.height = width * 0.2, 14 * mm, width * 0.6, height - 22 * mm
    data = [[v if v is not None else 0 for v in values] for _, values in series] + [[high] * len(labels)]
    chart.data = data
    chart.labels = labels
    chart.spokeLabels.fontName = FONT
    chart.spokeLabels.fontSize = 7.5
    chart.spokes.strokeColor = colors.HexColor('#b0b7c0')
    for index, colour in enumerate((ACCENT, SECOND)[:len(series)]):
        chart.strands[index].strokeColor = colour
        chart.strands[index].strokeWidth = 1.6 if index == 0 else 1.2
        chart.strands[index].fillColor = colors.Color(colour.red, colour.green, colour.blue, alpha=0.15)
        if index:
            chart.strands[index].strokeDashArray = (3, 2)
    chart.strands[len(series)].strokeColor = None
    chart.strands[len(series)].fillColor = None
    drawing.add(chart)
    x = 0
    for (name, _), colour in zip(series, (ACCENT, SECOND), strict=False):
        drawing.add(String(x, 2 * mm, '■ ', fontName=FONT, fontSize=8, fillColor=colour))
        drawing.add(String(x + 8, 2 * mm, name, fontName=FONT, fontSize=8, fillColor=INK))
        x += 8 + 4.6 * len(name) + 16
    return drawing


def _kompas(data: DossierData, t: Translator) -> list[Flowable]:
    st = styles()
    outcome, instrument = data.kompas, data.kompas_instrument
    if outcome is None:
        return _missing(t('dossier.missing.kompas'))
    result, sheet = outcome.result, outcome.round
    previous = outcome.previous[1] if outcome.previous else None
    story: list[Flowable] = [para(t('dossier.kompas.round', date=t.date(sheet.finished), version=sheet.version),
                                  st['muted'])]
    if result.overall is not None and result.stage:
        name = t.pick(data.kompas_stage.title) if data.kompas_stage else result.stage
        story.append(para(t('kompas.overall', mean=t.number(result.overall, 1), stage=name), st['h3']))
    if result.priorities:
        story.append(para(t('kompas.priorities', dimensions=', '.join(
            t.pick(instrument.dimension(d).title) for d in result.priorities)), st['body']))
    labels = [t.pick(d.title) for d in instrument.dimensions]
    series = [(t('kompas.series_this', date=t.date(sheet.finished)), [s.mean for s in result.dimensions])]
    if previous is not None:
        series.append((t('kompas.series_previous', date=t.date(outcome.previous[0].finished)),
                       [previous.dimension(d.id).mean if previous.dimension(d.id) else None
                        for d in instrument.dimensions]))
    story.append(spider(labels, series, instrument.scale.high))
    header = [t('kompas.col_dimension'), t('kompas.col_score'), t('kompas.col_band')]
    if previous is not None:
        header += [t('kompas.col_previous'), t('kompas.col_change')]
    rows = []
    for d, s in zip(instrument.dimensions, result.dimensions, strict=True):
        row = [t.pick(d.title), t.number(s.mean, 1) if s.mean is not None else t('kompas.too_few_short'),
               t.pick(s.band.label) if s.band else '—']
        if previous is not None:
            before = previous.dimension(d.id)
            row += [t.number(before.mean, 1) if before and before.mean is not None else '—',
                    _delta(t, s.mean, before.mean if before else None)]
        rows.append(row)
    width = content_width()
    widths = [width * 0.34, width * 0.13, width * 0.23] + ([width * 0.15, width * 0.15] if previous else [])
    if previous is None:
        widths[-1] += width * 0.30
    story.append(table(header, rows, widths, style_set=st))
    story.append(heading(t('kompas.per_dimension'), 1, st))
    for d, s in zip(instrument.dimensions, result.dimensions, strict=True):
        if s.band is None:
            continue
        story.append(KeepTogether([para(f'{t.pick(d.title)}: {t.pick(s.band.label)} ({t.number(s.mean, 1)})',
                                        st['h3']),
                                   para(t.pick(s.band.interpretation) if s.band.interpretation else '', st['body'])]))
    return story


def _delta(t: Translator, now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return '—'
    change = round(now - before, 1)
    return t('kompas.no_change') if change == 0 else f"{'+' if change > 0 else '−'}{t.number(abs(change), 1)}"


def _survey(data: DossierData, t: Translator) -> list[Flowable]:
    st = styles()
    if data.survey is None:
        if data.survey_waiting is not None:
            return _missing(t('dossier.missing.survey_waiting', threshold=data.survey_waiting.threshold))
        return _missing(t('dossier.missing.survey'))
    part = data.survey
    results, instrument = part.results, part.instrument
    title = part.round.title or t('survey.round_default', date=t.date(part.round.created))
    story: list[Flowable] = [para(title, st['h3'])]
    if results.expected:
        story.append(para(t('survey.results.count_rate', count=results.count, expected=results.expected,
                            rate=t.percent(results.rate)), st['body']))
    else:
        story.append(para(t('survey.results.count', count=results.count), st['body']))
    story.append(para(t('dossier.survey.note', threshold=part.round.threshold), st['muted']))
    width = content_width()
    rows = [[t.pick(instrument.dimension(b).title), t.number(m, 1)] for b, m in results.blocks.items() if m is not None]
    story.append(table([t('survey.results.block'), t('survey.results.mean')], rows, [width * 0.75, width * 0.25],
                       style_set=st))
    if results.cycles:
        story.append(spacer(3))
        rows = [[t(f'survey.cycle.{c}'), t.number(m, 1) if m is not None else '—'] for c, m in results.cycles.items()]
        story.append(table([t('survey.results.cycle'), t('survey.results.mean')], rows, [width * 0.75, width * 0.25],
                           style_set=st))
    gaps = [g for g in part.gaps if g.members is not None]
    if gaps:
        story.append(heading(t('survey.gap.title'), 1, st))
        kompas = data.kompas_instrument
        labels = [t.pick(kompas.dimension(g.dimension).title) for g in gaps]
        series = [(t('survey.gap.members'), [g.members for g in gaps])]
        if any(g.coordinator is not None for g in gaps):
            series.insert(0, (t('survey.gap.coordinator'), [g.coordinator for g in gaps]))
        story.append(spider(labels, series, 5))
        rows = [[label, t.number(g.coordinator, 1) if g.coordinator is not None else '—', t.number(g.members, 1),
                 _delta(t, g.members, g.coordinator)] for label, g in zip(labels, gaps, strict=True)]
        story.append(table([t('kompas.col_dimension'), t('survey.gap.coordinator'), t('survey.gap.members'),
                            t('survey.gap.difference')], rows, [width * 0.4, width * 0.2, width * 0.2, width * 0.2],
                           style_set=st))
    weak = weak_items(results)
    if weak:
        story.append(heading(t('dossier.survey.weak'), 1, st))
        story += [bullet(f'{t.pick(r.item.statement)} ({t.number(r.mean, 1)})', st['bullet']) for r in weak]
    return story


def _ittools(data: DossierData, t: Translator) -> list[Flowable]:
    st = styles()
    decision = data.decision
    if decision is None:
        return _missing(t('dossier.missing.ittools'))
    story: list[Flowable] = [
        para(t('dossier.ittools.chosen', tool=t.pick(decision['tool_name'])), st['h3']),
        lead(t('dossier.ittools.date'), t.date(decision['date']) or decision['date'] or '—', st['body']),
        lead(t('dossier.ittools.rationale'), decision['rationale'] or '—', st['body']),
        lead(t('dossier.ittools.comparison'), decision['title'], st['body'])]
    ranking = decision['ranking']
    if ranking:
        story.append(_bars([t.pick(r['name']) for r in ranking], [round(r['percent'] * 100) for r in ranking]))
        rows = [[str(r['rank']), t.pick(r['name']), t.percent(r['percent']),
                 t('dossier.ittools.excluded', criteria=', '.join(t.pick(f) for f in r['failed']))
                 if r['excluded'] else '—'] for r in ranking]
        width = content_width()
        story.append(table([t('dossier.ittools.rank'), t('dossier.ittools.tool'), t('dossier.ittools.score'),
                            t('dossier.ittools.must')], rows, [width * 0.1, width * 0.35, width * 0.15, width * 0.4],
                           style_set=st))
    return story


def _bars(names: list[str], values: list[float]) -> Drawing:
    width = content_width()
    height = max(30 * mm, 8 * mm * len(names) + 12 * mm)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = width * 0.3, 6 * mm, width * 0.6, height - 10 * mm
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = list(reversed(names))
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7.5
    chart.bars[0].fillColor = ACCENT
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7.5
    chart.barLabelFormat = lambda value: f'{round(value)} %'
    chart.barLabels.fillColor = MUTED
    chart.barLabels.boxAnchor = 'w'   # the figure starts where the bar ends, never on the bar
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def _kickoff(data: DossierData, t: Translator) -> list[Flowable]:
    if data.kickoff is None:
        return _missing(t('dossier.missing.kickoff'))
    return agenda_story(data.kickoff, t, level=1)


def _actions(data: DossierData, t: Translator) -> list[Flowable]:
    st = styles()
    if not data.actions:
        return _missing(t('dossier.missing.actionplan'))
    order = {'doing': 0, 'planned': 1, 'done': 2, 'dropped': 3}
    actions = sorted(data.actions, key=lambda a: (order.get(a.status, 9), a.due or '9999', a.title.casefold()))
    rows = []
    for action in actions:
        what: list[Flowable] = [para(action.title, st['cell_bold'])]
        if action.description:
            what.append(para(action.description, st['cell']))
        if action.indicator:
            what.append(para(t('plan.indicator_is', indicator=action.indicator), st['cell']))
        when = t.date(action.due) if action.due else t('plan.horizon.days', days=action.horizon) \
            if action.horizon else '—'
        rows.append([what, action.owner or '—', when, t(f'plan.status.{action.status}'),
                     t(f'plan.source.{action.source}')])
    width = content_width()
    return [table([t('plan.field.title'), t('plan.field.owner'), t('dossier.actions.when'),
                   t('plan.field.status'), t('dossier.actions.source')], rows,
                  [width * 0.44, width * 0.16, width * 0.14, width * 0.12, width * 0.14], style_set=st)]


def _guide(data: DossierData, t: Translator) -> list[Flowable]:
    st = styles()
    if not data.guide_answers or data.guide is None:
        return _missing(t('dossier.missing.guide'))
    story: list[Flowable] = []
    for phase in data.guide.phases:
        answered = [(q, data.guide_answers[q.id]) for q in phase.questions if q.id in data.guide_answers]
        if not answered:
            continue
        story.append(heading(t.pick(phase.title), 1, st))
        for question, answer in answered:
            story.append(KeepTogether([para(t.pick(question.question), st['h3']), para(answer.text, st['body'])]))
    return story

