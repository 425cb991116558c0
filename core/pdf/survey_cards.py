"""A printable sheet of QR cards, one per member, to hand out at a meeting: each card holds one personal single-use
link of a survey round. Eight cards to an A4 page, cut along the lines.

The card says the same in Dutch, French and English (a meeting of Belgian federal staff mixes languages); the link
opens the survey in the browser's language. Nothing on a card is stored with the answer it leads to: the number
only helps the coordinator count the cards handed out."""

from __future__ import annotations

from collections.abc import Sequence

import segno
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from ..i18n import LANGUAGES, Catalog, Translator
from ..needs import worded
from .base import INK, MUTED, RULE, DocInfo, build_pdf, content_width, para, styles

COLUMNS = 2
ROWS = 4
CARD_HEIGHT = 60 * mm
QR_SIZE = 34 * mm


def qr_drawing(url: str, size: float = QR_SIZE) -> Drawing:
    """The QR code of `url` as vector squares (segno computes it; nothing is fetched from a QR service)."""
    matrix = segno.make(url, error='m').matrix
    border = 2
    modules = len(matrix) + 2 * border
    cell = size / modules
    drawing = Drawing(size, size)
    drawing.add(Rect(0, 0, size, size, fillColor=colors.white, strokeColor=None))
    for row, line in enumerate(matrix):
        run_start = None
        for col, dark in enumerate([*line, 0]):  # draw runs of dark modules as one rectangle
            if dark and run_start is None:
                run_start = col
            elif not dark and run_start is not None:
                x = (run_start + border) * cell
                y = size - (row + border + 1) * cell
                drawing.add(Rect(x, y, (col - run_start) * cell, cell, fillColor=INK, strokeColor=None))
                run_start = None
    return drawing


def _styles() -> dict[str, ParagraphStyle]:
    st = styles()
    kind = type(st['small'])  # derived styles must be of their parent's class (ReportLab checks it)
    return {
        'name': kind('card_name', st['h3'], spaceBefore=0),
        'text': kind('card_text', st['small'], fontSize=7.5, leading=9.5, spaceAfter=2),
        'url': kind('card_url', st['small'], fontSize=6.5, leading=8, textColor=MUTED, wordWrap='CJK'),
    }


def _card(catalog: Catalog, number: int, total: int, url: str, community: str, title: str) -> list[Flowable]:
    st = _styles()
    texts = [para(community, st['name'])] if community else []
    if title:
        texts.append(para(title, st['text']))
    for lang in LANGUAGES:
        texts.append(para(Translator(catalog, lang)('survey.cards.card_text'), st['text']))
    texts.append(para(f'{number} / {total}', st['url']))
    inner = Table(
        [[qr_drawing(url), texts]],
        colWidths=[QR_SIZE + 3 * mm, None],
        style=TableStyle(
            [
                ('VALIGN', (0, 0), (-1, -1), 'TOP'),
                ('LEFTPADDING', (0, 0), (-1, -1), 0),
                ('RIGHTPADDING', (0, 0), (-1, -1), 2 * mm),
                ('TOPPADDING', (0, 0), (-1, -1), 0),
                ('BOTTOMPADDING', (0, 0), (-1, -1), 0),
            ]
        ),
    )
    return [inner, para(url, st['url'])]


def survey_cards_pdf(
    urls: Sequence[str],
    *,
    catalog: Catalog,
    lang: str,
    community: str,
    title: str,
    author: str = '',
    instrument: str | None = None,
) -> bytes:
    """The cards of these personal links, in their order. `lang` sets the document's own metadata language."""
    t = Translator(catalog, lang)
    cards = [_card(catalog, n, len(urls), url, community, title) for n, url in enumerate(urls, start=1)]
    rows = [cards[i : i + COLUMNS] for i in range(0, len(cards), COLUMNS)]
    if rows and len(rows[-1]) < COLUMNS:
        rows[-1] = rows[-1] + [''] * (COLUMNS - len(rows[-1]))
    width = content_width() / COLUMNS
    story: list[Flowable] = []
    for start in range(0, len(rows), ROWS):  # one table per page: a card is never split over two pages
        page = rows[start : start + ROWS]
        story.append(
            Table(
                page,
                colWidths=[width] * COLUMNS,
                rowHeights=[CARD_HEIGHT] * len(page),
                style=TableStyle(
                    [
                        ('GRID', (0, 0), (-1, -1), 0.5, RULE),
                        ('VALIGN', (0, 0), (-1, -1), 'TOP'),
                        ('LEFTPADDING', (0, 0), (-1, -1), 4 * mm),
                        ('RIGHTPADDING', (0, 0), (-1, -1), 4 * mm),
                        ('TOPPADDING', (0, 0), (-1, -1), 4 * mm),
                    ]
                ),
            )
        )
    info = DocInfo(
        title=t('survey.cards.title', title=title or t(worded('survey.title', instrument))),
        lang=lang,
        author=author,
        subject=t(worded('survey.cards.subject', instrument), community=community),
        keywords=(t(worded('survey.title', instrument)), community),
        header=t(worded('survey.cards.header', instrument), community=community),
        footer=t('survey.cards.footer'),
    )
    return build_pdf(story, info, invariant=True)
