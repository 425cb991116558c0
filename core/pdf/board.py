"""The board report: an organisation's portfolio as a PDF for its management board. A cover, the summary, the kompas
heat map with the same figures as a table, the flags, and per community one short paragraph and one published story.

It is built from portfolio rows (core/portfolio.py), so it holds nothing a community did not share: a part kept to the
community reads "not shared by the coordinator". Building is CPU work: call it off the event loop; `Progress` lets
the page show how far it got.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, PageBreak

from .. import clock
from ..portfolio import (
    MIN_FOR_MEAN,
    KompasSummary,
    Labels,
    PlanSummary,
    Row,
    SurveySummary,
    cell,
    heat,
    summary,
)
from .base import (
    FONT,
    DocInfo,
    Figure,
    build_pdf,
    bullet,
    content_width,
    fit,
    heading,
    keep,
    lead,
    para,
    spacer,
    styles,
    table,
)

HEAT_ROWS = 40  # communities per heat-map drawing (a larger portfolio gets several, one after the other)
CELL_H = 13
LABEL_W = 150
# light to dark blue: a value is also printed in its cell, so the colour is never the only way to read it
SCALE = ('#eef3fa', '#c9daf0', '#93b5e0', '#4f7fc0', '#1d4f91')


@dataclass
class Progress:
    """How far a build got (0..1), read by the page while the build runs in a worker thread."""

    value: float = 0.0


def board_pdf(
    org_name: str,
    rows: Sequence[Row],
    dimensions: Sequence[str],
    labels: Labels,
    progress: Progress | None = None,
    *,
    made: str | None = None,
    invariant: bool = False,
) -> bytes:
    progress = progress or Progress()
    t = labels.t
    made = made or clock.today_iso()
    story = board_story(org_name, list(rows), tuple(dimensions), labels, progress, made)
    progress.value = 0.6
    info = DocInfo(
        title=t('board.title', name=org_name),
        lang=t.lang if t.lang in ('nl', 'fr', 'en', 'de') else 'nl',
        subject=t('board.subject'),
        header=t('board.title', name=org_name),
        footer=t('board.footer', date=t.date(made)),
    )
    pdf = build_pdf(story, info, invariant=invariant)
    progress.value = 1.0
    return pdf


def board_story(
    org_name: str, rows: list[Row], dimensions: tuple[str, ...], labels: Labels, progress: Progress, made: str
) -> list[Flowable]:
    t, st = labels.t, styles()
    story: list[Flowable] = [
        spacer(40),
        para(t('board.kicker'), st['muted']),
        para(org_name, st['title']),
        para(t('board.made', date=t.date(made), count=len(rows)), st['h3']),
        spacer(20),
        para(t('board.cover_note'), st['muted']),
        PageBreak(),
    ]
    story += _summary(rows, labels)
    story += _heat(rows, dimensions, labels)
    story += _flags(rows, labels)
    story.append(heading(t('board.communities'), 0, st))
    for index, row in enumerate(rows):
        story.append(keep(_community(row, labels)))
        progress.value = 0.6 * (index + 1) / max(1, len(rows))
    return story


def _summary(rows: list[Row], labels: Labels) -> list[Flowable]:
    t, st = labels.t, styles()
    s = summary(rows)
    out: list[Flowable] = [
        heading(t('board.summary'), 0, st),
        para(t('board.summary_text', count=s.communities), st['body']),
    ]
    for stage, count in sorted(s.by_stage.items(), key=lambda kv: -kv[1]):
        out.append(bullet(t('board.stage_line', stage=labels.stage(stage), count=count), st['bullet']))
    out.append(spacer(2))
    shared = [t('board.sharing_line', part=t(f'share.part.{p}.short'), count=n) for p, n in s.sharing.items()]
    out.append(lead(t('board.sharing'), '; '.join(shared), st['body']))
    flagged = [t('board.flag_line', flag=t(f'portfolio.flag.{f}'), count=n) for f, n in s.flagged.items() if n]
    out.append(lead(t('board.flagged'), '; '.join(flagged) or t('board.no_flags'), st['body']))
    out.append(lead(t('board.stories'), str(s.stories), st['body']))
    return out


def _heat(rows: list[Row], dimensions: tuple[str, ...], labels: Labels) -> list[Flowable]:
    t, st = labels.t, styles()
    data = heat(rows, dimensions)
    out: list[Flowable] = [heading(t('portfolio.heat.title'), 0, st)]
    if not data.rows:
        return [*out, para(t('portfolio.heat.none'), st['muted'])]
    out.append(para(t('portfolio.heat.intro', count=data.sharing), st['body']))
    names = [labels.dimension(d) for d in dimensions]
    for start in range(0, len(data.rows), HEAT_ROWS):
        out.append(Figure(_heat_drawing(names, data.rows[start : start + HEAT_ROWS], lambda v: t.number(v, 1))))
    body = [[name, *(t.number(v, 1) if v is not None else '—' for v in values)] for name, values in data.rows]
    if data.means is not None:
        body.append([t('portfolio.heat.mean'), *(t.number(v, 1) if v is not None else '—' for v in data.means)])
    width = content_width()
    first = width * 0.28
    out.append(spacer(3))
    out.append(
        table(
            [t('portfolio.col.name'), *names],
            body,
            [first, *([(width - first) / len(names)] * len(names))],
            style_set=_small(st),
        )
    )
    if data.means is None:
        out.append(para(t('portfolio.heat.mean_hidden', min=MIN_FOR_MEAN), st['muted']))
    return out


def _small(st: dict) -> dict:
    """Table styles a size smaller: eight dimensions and a name share one page width."""
    small = dict(st)
    for key in ('cell', 'cell_bold', 'cell_head'):
        style = st[key].clone(key + '_small')
        style.fontSize, style.leading = 7.5, 9
        small[key] = style
    return small


def _heat_drawing(
    names: list[str], rows: Sequence[tuple[str, tuple[float | None, ...]]], number: Callable[[float], str]
) -> Drawing:
    """The heat map; `number` writes a value as the reader does (2,5 in Dutch, French and German)."""
    width = content_width()
    cell_w = (width - LABEL_W) / max(1, len(names))
    header_h = 46
    height = header_h + CELL_H * len(rows)
    drawing = Drawing(width, height)
    for i, name in enumerate(names):  # dimension names, two short lines above each column
        words = name.split()
        half = (len(words) + 1) // 2
        for line, text in enumerate((' '.join(words[:half]), ' '.join(words[half:]))):
            x = LABEL_W + i * cell_w + cell_w / 2
            drawing.add(String(x, height - 14 - line * 9, fit(text, FONT, 7, cell_w - 2), fontName=FONT, fontSize=7,
                               textAnchor='middle'))  # fmt: skip
    for r, (community, values) in enumerate(rows):
        y = height - header_h - (r + 1) * CELL_H
        drawing.add(String(0, y + 3, fit(community, FONT, 7.5, LABEL_W - 6), fontName=FONT, fontSize=7.5))
        for i, value in enumerate(values):
            fill = colors.HexColor(_colour(value))
            drawing.add(Rect(LABEL_W + i * cell_w, y, cell_w - 1, CELL_H - 1, fillColor=fill, strokeColor=None))
            text = '—' if value is None else number(value)
            ink = colors.white if value is not None and value >= 3.5 else colors.black
            drawing.add(String(LABEL_W + i * cell_w + cell_w / 2, y + 3, text, fontName=FONT, fontSize=7,
                               fillColor=ink, textAnchor='middle'))  # fmt: skip
    return drawing


def _colour(value: float | None) -> str:
    if value is None:
        return '#ffffff'
    return SCALE[min(4, max(0, round(value) - 1))]


def _flags(rows: list[Row], labels: Labels) -> list[Flowable]:
    t, st = labels.t, styles()
    out: list[Flowable] = [heading(t('board.flags'), 0, st), para(t('board.flags_help'), st['body'])]
    flagged = [r for r in rows if r.flags]
    if not flagged:
        return [*out, para(t('board.no_flags'), st['muted'])]
    width = content_width()
    body = [[r.name, ', '.join(t(f'portfolio.flag.{f}') for f in r.flags)] for r in flagged]
    out.append(
        table([t('portfolio.col.name'), t('portfolio.col.flags')], body, [width * 0.4, width * 0.6], style_set=st)
    )
    return out


def _community(row: Row, labels: Labels) -> list[Flowable]:
    t, st = labels.t, styles()
    out: list[Flowable] = [heading(row.name, 1, st), para(paragraph(row, labels), st['body'])]
    story = row.stories[0] if isinstance(row.stories, tuple) and row.stories else None
    if story is not None:
        quote = ' '.join(v for v in story.texts.values() if v)
        signed = story.author or t('board.anonymous')
        out.append(
            para(f'«\u00a0{quote}\u00a0» — {signed}' if t.lang == 'fr' else f'“{quote}” — {signed}', st['small'])
        )
    elif 'stories' in row.shared:
        out.append(para(t('board.no_story'), st['muted']))
    return out


def paragraph(row: Row, labels: Labels) -> str:
    """One short paragraph about a community, in plain words; what it does not share is named as such."""
    t = labels.t
    parts = [t('board.para.stage', stage=labels.stage(row.stage), age=cell(row, 'age', labels),
               coordinators=cell(row, 'coordinators', labels))]  # fmt: skip
    if isinstance(row.kompas, KompasSummary) and row.kompas.overall is not None:
        parts.append(t('board.para.kompas', overall=cell(row, 'kompas', labels), weakest=cell(row, 'weakest', labels),
                       trend=cell(row, 'trend', labels)))  # fmt: skip
    if isinstance(row.survey, SurveySummary) and row.survey.answers is not None:
        parts.append(t('board.para.survey', answers=row.survey.answers, satisfaction=cell(row, 'satisfaction', labels)))
    if isinstance(row.plan, PlanSummary):
        parts.append(t('board.para.plan', open=row.plan.open, done=row.plan.done, overdue=row.plan.overdue,
                       review=cell(row, 'next_review', labels)))  # fmt: skip
    hidden = [t(f'share.part.{p}.short') for p in ('kompas', 'survey', 'plan', 'ittools', 'kickoff', 'stories')
              if p not in row.shared]  # fmt: skip
    if hidden:
        parts.append(t('board.para.hidden', parts=', '.join(hidden)))
    return ' '.join(parts)
