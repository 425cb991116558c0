"""The PDF foundation: fonts, styles, escaping of user text, headings with bookmarks, tables, and the A4 document
with header, "page x of y" footer and metadata. See the package docstring (core/pdf/__init__.py) for the API."""

from __future__ import annotations

import copy
import io
import re
import threading
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..i18n import HTML_LANG

FONT_DIR = Path(__file__).resolve().parent / 'fonts'
FONT = 'DejaVuSans'
FONT_BOLD = 'DejaVuSans-Bold'
FONT_ITALIC = 'DejaVuSans-Oblique'
FONT_BOLD_ITALIC = 'DejaVuSans-BoldOblique'
FACES = {
    FONT: 'DejaVuSans.ttf',
    FONT_BOLD: 'DejaVuSans-Bold.ttf',
    FONT_ITALIC: 'DejaVuSans-Oblique.ttf',
    FONT_BOLD_ITALIC: 'DejaVuSans-BoldOblique.ttf',
}

PAGE_OF = {
    'nl': 'pagina {page} van {pages}',
    'fr': 'page {page} sur {pages}',
    'en': 'page {page} of {pages}',
    'de': 'Seite {page} von {pages}',
}
# Column headers are narrow: a long compound ("Vorherige Einschätzung", "Gegevensbeschermingsautoriteit") breaks
# at a syllable with a hyphen, by the document's language (set while it is laid out), not anywhere without one.
HYPHENATION = {'nl': 'nl_NL', 'fr': 'fr', 'en': 'en_GB', 'de': 'de_DE'}
_layout_lang: ContextVar[str] = ContextVar('pdf_layout_lang', default='')
_LONG_WORD = re.compile(r'[^\W\d_]{8,}')
INK = colors.HexColor('#1c1c1c')
MUTED = colors.HexColor('#4a4a4a')
ACCENT = colors.HexColor('#1d4f91')
RULE = colors.HexColor('#9aa5b1')
HEADER_FILL = colors.HexColor('#e3eaf4')
ZEBRA = colors.HexColor('#f5f7fa')

MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 18 * mm
HEADING_ROOM = 35 * mm  # a heading with less room than this below it starts a new page
FRAME_PADDING = 6  # ReportLab's default Frame padding, on each side
FRAME_HEIGHT = A4[1] - MARGIN_TOP - MARGIN_BOTTOM - 2 * FRAME_PADDING  # the most a flowable can ever be given
SPLIT_ROOM = 35 * mm  # see _Table
KEEP_MAX = 60 * mm  # a block kept together (keep) up to this tall moves to the next page whole
KEEP_MIN = 25 * mm  # a longer one starts where it stands if at least this much is left
SHRINK_MIN = 0.75  # a figure shrinks down to this scale to fit the rest of a page, before it moves to the next one

_fonts_lock = threading.Lock()
_build_lock = threading.Lock()  # ReportLab keeps some module-level caches: one build at a time, off the event loop
_CONTROL = re.compile(r'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]')
# French typography: a space before : ; ? ! » and after « never breaks the line (ReportLab breaks at every space
# but U+00A0). Harmless in other languages, where such a space is rare, so every text gets it.
_NBSP_BEFORE = re.compile(r'[ \u202f](?=[:;?!»])')
_NBSP_AFTER = re.compile(r'(?<=«)[ \u202f]')
# emoji and other pictographs, with their joiners and variation selectors: the ones DejaVu Sans lacks are left out
# (an empty box in a document for the sponsor reads as a fault; the web page shows them)
_PICTOGRAPH = re.compile(
    '[\U00010000-\U0010ffff\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2900-\u2bff\u200d\ufe0e\ufe0f\u20e3]'
)
_JOINERS = '\u200d\ufe0e\ufe0f\u20e3'
_covered: set[int] = set()


def register_fonts() -> str:
    """Register DejaVu Sans (four faces) once per process as a family, so <b> and <i> pick the right face."""
    with _fonts_lock:
        if FONT not in pdfmetrics.getRegisteredFontNames():
            for name, file in FACES.items():
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
            pdfmetrics.registerFontFamily(
                FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
            )
    return FONT


def escape(text: Any) -> str:
    """User text as Paragraph markup that prints literally: & < > escaped, control characters dropped, line breaks
    kept. Nothing a user types can become a tag (<b>, <img src=...>, <font>...) or break the build."""
    value = '' if text is None else str(text)
    value = _CONTROL.sub('', value.replace('\r\n', '\n').replace('\r', '\n'))
    return _xml_escape(nbsp(printable(value))).replace('\t', ' ').replace('\n', '<br/>')


def printable(text: str) -> str:
    """`text` without the pictographs (emoji) the font cannot draw, and without their joiners and variation
    selectors; everything else is kept as typed."""
    if not _PICTOGRAPH.search(text):
        return text
    if not _covered:
        register_fonts()
        _covered.update(pdfmetrics.getFont(FONT).face.charToGlyph)
    return _PICTOGRAPH.sub(
        lambda m: m.group() if ord(m.group()) in _covered and m.group() not in _JOINERS else '', text
    )


def nbsp(text: str) -> str:
    """The space before : ; ? ! » and after « made non-breaking (French typography: "Total : 12" never ends a line
    with "Total" and starts the next with ":")."""
    return _NBSP_AFTER.sub('\u00a0', _NBSP_BEFORE.sub('\u00a0', text))


@cache
def _dictionary(lang: str) -> Any:
    try:
        import pyphen
    except ImportError:  # without it a word too long for its column still breaks, only without a hyphen
        return None
    name = HYPHENATION.get(lang)
    return pyphen.Pyphen(lang=name) if name and name in pyphen.LANGUAGES else None


def soft_hyphens(markup: str, lang: str) -> str:
    """`markup` with a soft hyphen at every syllable break of its long words, in `lang` (unchanged without a
    dictionary). Entities and tags hold no word that long, so they stay intact."""
    dictionary = _dictionary(lang)
    if dictionary is None:
        return markup
    return _LONG_WORD.sub(lambda m: dictionary.inserted(m.group(), hyphen='\u00ad'), markup)


class _Style(ParagraphStyle):
    """A paragraph style that copying a story shares instead of copying: layout never changes a style, and deep
    copies of them were a quarter of the time of a short document."""

    def __deepcopy__(self, memo: dict) -> _Style:
        return self


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of every document, all in DejaVu Sans (accents, Polish, Greek, Cyrillic)."""
    register_fonts()
    base = _Style(
        'body',
        fontName=FONT,
        fontSize=10,
        leading=13.5,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=4,
        splitLongWords=1,
        wordWrap=None,
        allowWidows=0,
        allowOrphans=0,
        bulletFontName=FONT,
    )
    made = {
        'body': base,
        'small': _Style('small', base, fontSize=8.5, leading=11),
        'muted': _Style('muted', base, fontSize=9, leading=12, textColor=MUTED),
        'title': _Style('title', base, fontName=FONT_BOLD, fontSize=18, leading=23, spaceAfter=6, textColor=ACCENT),
        'h1': _Style(
            'h1', base, fontName=FONT_BOLD, fontSize=15, leading=19, spaceBefore=8, spaceAfter=6, textColor=ACCENT
        ),
        'h2': _Style('h2', base, fontName=FONT_BOLD, fontSize=12, leading=15.5, spaceBefore=8, spaceAfter=4),
        'h3': _Style('h3', base, fontName=FONT_BOLD, fontSize=10.5, leading=13.5, spaceBefore=5, spaceAfter=2),
        'label': _Style(
            'label', base, fontName=FONT_BOLD, fontSize=9, leading=12, spaceAfter=0, textColor=MUTED, keepWithNext=1
        ),
        'cell': _Style('cell', base, fontSize=9.5, leading=12.5, spaceAfter=0),
        'cell_bold': _Style('cell_bold', base, fontName=FONT_BOLD, fontSize=9.5, leading=12.5, spaceAfter=0),
        'cell_head': _Style(
            'cell_head', base, fontName=FONT_BOLD, fontSize=9, leading=12, spaceAfter=0, embeddedHyphenation=1
        ),
        'bullet': _Style('bullet', base, leftIndent=14, bulletIndent=2, spaceAfter=2),
    }
    return made


def para(text: Any, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text, printed literally."""
    return Paragraph(escape(text), style)


def lead(label: str, text: Any, style: ParagraphStyle) -> Paragraph:
    """'Label: text' with the label in bold; both escaped."""
    return Paragraph(f'<b>{escape(label)}</b> {escape(text)}', style)


def bullet(text: Any, style: ParagraphStyle, mark: str = '•') -> Paragraph:
    return Paragraph(escape(text), style, bulletText=mark)


class _HeaderCell(Paragraph):
    """A column header: the toolbox's own words, hyphenated in the document's language, which is known only when
    the document is laid out (a table is made before), so the soft hyphens go in at the first wrap."""

    def __init__(self, text: Any, style: ParagraphStyle) -> None:
        self._markup, self._hyphenated_for = escape(text), ''
        super().__init__(self._markup, style)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        lang = _layout_lang.get()
        if lang != self._hyphenated_for:
            self._hyphenated_for = lang
            super().__init__(soft_hyphens(self._markup, lang), self.style)
        return super().wrap(availWidth, availHeight)


class Heading(Paragraph):
    """A heading that becomes a bookmark and an entry of the PDF outline (level 0 = top)."""

    def __init__(self, text: str, style: ParagraphStyle, level: int = 0) -> None:
        super().__init__(escape(text), style)
        self.outline_title = ' '.join(str(text).split())[:200]
        self.outline_level = level


def heading(text: str, level: int = 0, style_set: dict[str, ParagraphStyle] | None = None) -> Heading:
    """A heading of level 0 (h1), 1 (h2) or 2 (h3)."""
    style_set = style_set or styles()
    return Heading(text, style_set[('h1', 'h2', 'h3')[min(level, 2)]], level)


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float] | None = None,
    *,
    style_set: dict[str, ParagraphStyle] | None = None,
    zebra: bool = True,
) -> Table:
    """A table that splits across pages (also inside a row) and repeats its header row on every page. Cells that
    are strings are user text (escaped); a cell may also be a Flowable or a list of them. Without `col_widths`
    the columns share the page width equally."""
    style_set = style_set or styles()

    def cell(value: Any, head: bool = False) -> Any:
        if isinstance(value, Flowable) or isinstance(value, list):
            return value
        return _HeaderCell(value, style_set['cell_head']) if head else para(value, style_set['cell'])

    data = [[cell(h, True) for h in header]] + [[cell(v) for v in row] for row in rows]
    commands: list[tuple] = [
        ('FONTNAME', (0, 0), (-1, -1), FONT),
        ('FONTNAME', (0, 0), (-1, 0), FONT_BOLD),
        ('BACKGROUND', (0, 0), (-1, 0), HEADER_FILL),
        ('VALIGN', (0, 0), (-1, -1), 'TOP'),
        ('LINEBELOW', (0, 0), (-1, 0), 0.8, ACCENT),
        ('LINEBELOW', (0, 1), (-1, -1), 0.3, RULE),
        ('TOPPADDING', (0, 0), (-1, -1), 4),
        ('BOTTOMPADDING', (0, 0), (-1, -1), 4),
        ('LEFTPADDING', (0, 0), (-1, -1), 5),
        ('RIGHTPADDING', (0, 0), (-1, -1), 5),
    ]
    if zebra:
        commands += [('BACKGROUND', (0, r), (-1, r), ZEBRA) for r in range(2, len(data), 2)]
    widths = list(col_widths) if col_widths else [content_width() / len(header)] * len(header)  # never auto: a
    return _Table(
        data,
        colWidths=widths,
        repeatRows=1,
        splitInRow=1,  # long cell would squeeze the others to nothing
        style=TableStyle(commands),
        hAlign='LEFT',
    )


class _Table(Table):
    """A table that fills a page before it goes on: where splitting between rows would leave more than
    SPLIT_ROOM empty at the page's foot, the next row is split across the pages instead; and the rest of a table
    never starts (with its repeated header) in less than SPLIT_ROOM. ReportLab's own order (between rows first,
    then in a row only when no row fits) put a repeated header in the middle of a page."""

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self._calc(available_width, available_height)
        if self._width > available_width:
            return []
        by_row = self._splitRows(available_height, doInRowSplit=False)
        if by_row and available_height - by_row[0].wrap(available_width, available_height)[1] <= SPLIT_ROOM:
            return by_row
        if available_height >= SPLIT_ROOM:
            in_row = self._splitRows(available_height, doInRowSplit=True)
            if in_row:
                return in_row
        return by_row or []


class PageRef(Flowable):
    """A number known only when the layout is done (a page number), drawn right-aligned in the place of one line of
    `style`: it refers to a PDF form that build_pdf fills in at the end, so the document is laid out only once."""

    def __init__(self, form: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.form = form
        self.style = style

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.style.leading

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.translate(self.width, self.style.leading - self.style.fontSize)
        self.canv.doForm(self.form)
        self.canv.restoreState()


class Contents(Flowable):
    """A table of contents of the document's top-level headings with their page numbers: the numbers of the last
    len(titles) level-0 headings of the document, filled in when the layout is done (see PageRef)."""

    def __init__(self, titles: Sequence[str], style_set: dict[str, ParagraphStyle] | None = None) -> None:
        super().__init__()
        self.titles = list(titles)
        self.style_set = style_set or styles()
        self._table: Table | None = None

    def _make(self) -> Table:
        st = self.style_set
        rows = [[para(title, st['body']), PageRef(f'toc{i}', st['body'])] for i, title in enumerate(self.titles)]
        return Table(
            rows,
            colWidths=[content_width() - 20 * mm, 20 * mm],
            hAlign='LEFT',
            style=TableStyle(
                [
                    ('FONTNAME', (0, 0), (-1, -1), FONT),
                    ('LINEBELOW', (0, 0), (-1, -1), 0.3, RULE),
                    ('TOPPADDING', (0, 0), (-1, -1), 3),
                    ('BOTTOMPADDING', (0, 0), (-1, -1), 3),
                    ('LEFTPADDING', (0, 0), (-1, -1), 0),
                ]
            ),
        )

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._table = self._make()
        return self._table.wrap(available_width, available_height)

    def draw(self) -> None:
        self._table.drawOn(self.canv, 0, 0)


def keep(flowables: Sequence[Flowable]) -> KeepTogether:
    """Flowables kept on one page when they are short (up to KEEP_MAX); a longer block (a question and its long
    answer) starts where it stands and flows on, unless less than KEEP_MIN is left (then it starts on the next
    page, so a heading never ends a page with no line under it). Never a LayoutError, never a page left empty."""
    return _Keep(list(flowables))


class _Keep(KeepTogether):
    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if getattr(self, '_wrapInfo', None) != (available_width, available_height):
            self.wrap(available_width, available_height)
        content = list(self._content)
        at_top = getattr(getattr(self, '_frame', None), '_atTop', False)
        if self._H <= available_height or at_top:
            return content
        if self._H <= KEEP_MAX or available_height < KEEP_MIN:
            return [FrameBreak(), *content]
        return content


class Figure(Flowable):
    """A chart (a Drawing) that always fits: narrower than the frame if it must be, a little smaller (down to
    SHRINK_MIN) to fit the rest of a page, otherwise on the next page, and never taller than a whole page.

    The Drawing is shared, not copied (chart widgets cannot be deep-copied, and layout does not change them); the
    Figure itself is fresh in every layout pass, so no state of one pass (ReportLab marks a flowable it had to
    move to the next page, and fails when a marked one must move again) leaks into the next."""

    def __init__(self, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.scale = 1.0

    def __deepcopy__(self, memo: dict) -> Figure:
        return Figure(self.drawing)

    def _fit(self, available_width: float, available_height: float | None) -> float:
        width, height = float(self.drawing.width), float(self.drawing.height)
        scale = min(1.0, available_width / width if width else 1.0, FRAME_HEIGHT / height if height else 1.0)
        if available_height is not None and height * scale > available_height:
            room = available_height / height
            if room >= SHRINK_MIN * scale:
                scale = room
        return scale

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.scale = self._fit(available_width, available_height)
        return self.drawing.width * self.scale, self.drawing.height * self.scale

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.scale(self.scale, self.scale)
        renderPDF.draw(self.drawing, self.canv, 0, 0)
        self.canv.restoreState()


class Part(Flowable):
    """An invisible mark where a named part of a document begins. When the layout fails, `LayoutFailed.part` names
    the part it failed in, so a caller can leave that part out and build the rest."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class LayoutFailed(Exception):
    """The layout failed inside the part `part` (None: before any Part mark). The cause is chained."""

    def __init__(self, part: str | None) -> None:
        super().__init__(f'layout failed in part {part!r}')
        self.part = part


def spacer(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)


@dataclass(frozen=True)
class DocInfo:
    """What a document says about itself: metadata, language, header and footer texts."""

    title: str
    lang: str = 'nl'  # nl | fr | en | de: "page x of y" and the PDF's /Lang
    author: str = ''
    subject: str = ''
    keywords: tuple[str, ...] = field(default_factory=tuple)
    creator: str = 'CoP-toolbox'
    header: str = ''  # top left on every page (default: the title)
    footer: str = ''  # bottom left on every page

    @property
    def lang_tag(self) -> str:
        return HTML_LANG.get(self.lang, 'nl-BE')


def page_label(lang: str, page: int, pages: int) -> str:
    return PAGE_OF.get(lang, PAGE_OF['en']).format(page=page, pages=pages)


def content_width() -> float:
    return A4[0] - 2 * MARGIN_X


class _Document(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, info: DocInfo, invariant: bool) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=info.title,
            author=info.author,
            subject=info.subject,
            keywords=list(info.keywords),
            creator=info.creator,
            lang=info.lang_tag,
            displayDocTitle=True,
            invariant=1 if invariant else 0,
            initialFontName=FONT,
        )
        self.info = info
        self._doSave = 0  # build_pdf fills in the page numbers (forms), then saves
        self.top_headings: list[int] = []  # the page of every level-0 heading, in order
        self.part: str | None = None  # the Part being laid out
        self._outline_count = 0
        self._last_level = -1
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id='body',
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id='page', frames=[frame], onPage=self._header)])

    def _header(self, canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        top = A4[1] - MARGIN_TOP + 8 * mm
        text = fit(self.info.header or self.info.title, FONT, 8, A4[0] - 2 * MARGIN_X)
        canvas.drawString(MARGIN_X, top, text)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN_X, top - 2 * mm, A4[0] - MARGIN_X, top - 2 * mm)
        y = MARGIN_BOTTOM - 9 * mm
        canvas.saveState()
        canvas.translate(A4[0] - MARGIN_X, y)
        canvas.doForm(f'page{doc.page}')  # "page x of y", written when y is known
        canvas.restoreState()
        if self.info.footer:
            widest = page_label(self.info.lang, 888, 888)
            room = A4[0] - 2 * MARGIN_X - pdfmetrics.stringWidth(widest, FONT, 8) - 8 * mm
            canvas.drawString(MARGIN_X, y, fit(self.info.footer, FONT, 8, room))
        canvas.restoreState()

    def finish(self, contents: Sequence[Contents]) -> None:
        """Fill in the numbers known only now (every page's "page x of y", the contents' page numbers), then save.
        A PDF form may be used before it is defined."""
        canv = self.canv
        for page in range(1, self.page + 1):
            _number_form(canv, f'page{page}', page_label(self.info.lang, page, self.page), 8, MUTED)
        for table in contents:
            pages = self.top_headings[-len(table.titles) :] if table.titles else []
            for i in range(len(table.titles)):
                _number_form(canv, f'toc{i}', str(pages[i]) if i < len(pages) else '', 10, INK)
        canv.save()

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        if flowables and isinstance(flowables[0], Part):
            self.part = flowables[0].name
        super().handle_flowable(flowables)

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            if flowable.outline_level == 0:
                self.top_headings.append(self.page)
            self._outline_count += 1
            key = f'h{self._outline_count}'
            level = min(flowable.outline_level, self._last_level + 1)
            self._last_level = level
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_title, key, level=level, closed=level > 0)


def _number_form(canv: Canvas, name: str, text: str, size: float, colour: colors.Color) -> None:
    """A form holding `text` right-aligned at its origin (the place a PageRef or the footer reserved)."""
    canv.beginForm(name, lowerx=-A4[0], lowery=-size, upperx=1, uppery=2 * size)
    canv.setFont(FONT, size)
    canv.setFillColor(colour)
    canv.drawRightString(0, 0, text)
    canv.endForm()


def fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten a one-line text with an ellipsis so it fits `width`."""
    text = ' '.join(_CONTROL.sub('', str(text)).split())
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + '…', font, size) > width:
        text = text[:-1]
    return text + '…'


def _prepared(story: Sequence[Flowable]) -> list[Flowable]:
    """A fresh copy of the story (layout changes flowables, and each pass needs them new), with a conditional page
    break before every heading, so a heading never ends a page alone. A bare Drawing becomes a Figure (see there)."""
    out: list[Flowable] = []
    items = [Figure(f) if isinstance(f, Drawing) else f for f in story]
    for index, flowable in enumerate(items):
        copied = copy.deepcopy(flowable)
        if isinstance(copied, Heading) and not (index and isinstance(items[index - 1], Heading)):
            # a run of headings (a section title right above a sub-title) needs room for all of them
            run = 1
            while index + run < len(items) and isinstance(items[index + run], Heading):
                run += 1
            room = HEADING_ROOM + (run - 1) * 12 * mm
            after = items[index + run] if index + run < len(items) else None
            if isinstance(after, Figure):  # a heading right above a chart goes with the chart (shrunk if need be)
                room = max(room, min(FRAME_HEIGHT, run * 12 * mm + after.drawing.height * SHRINK_MIN))
            out.append(CondPageBreak(room))
        out.append(copied)
    return out


def build_pdf(story: list[Flowable], info: DocInfo, *, invariant: bool = False) -> bytes:
    """Lay out `story` on A4 pages and return the PDF. Blocking and CPU-bound: call it from a page with
    `await run.io_bound(build_pdf, ...)`. With `invariant`, the same input gives the same bytes (tests).

    Laid out once: what is known only at the end ("page x of y", the contents' page numbers) is drawn as PDF forms
    that are filled in after the last page (neither can change the layout: the footer sits in the margin, and a
    page number has a fixed place). The story itself is not changed: a caller may build it again."""
    register_fonts()
    with _build_lock:
        buffer = io.BytesIO()
        document = _Document(buffer, info, invariant)
        prepared = _prepared(story)
        contents = [f for f in prepared if isinstance(f, Contents)]  # build() consumes the list
        language = _layout_lang.set(info.lang)
        try:
            document.build(prepared)
        except Exception as e:  # name the Part it failed in (the cause chained)
            raise LayoutFailed(document.part) from e
        finally:
            _layout_lang.reset(language)
        document.finish(contents)
    return buffer.getvalue()
