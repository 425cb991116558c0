"""PDF foundation (ReportLab, no NiceGUI): every document of the toolbox is built with it.

Fonts
    `register_fonts()` registers the vendored DejaVu Sans faces (fonts/, licence in fonts/LICENSE) once per process
    as the family 'DejaVuSans', so <b> and <i> choose the bold and oblique faces. Every style uses it: accents,
    Polish, Greek and Cyrillic print (no tofu). Emoji outside DejaVu Sans are left out; other glyphs outside it
    (CJK) print as empty boxes.

Text
    `escape(text)` turns user text into Paragraph markup that prints literally: `<b>`, `<script>`, `&`,
    `<img src=...>` and unbalanced tags come out as typed, control characters are dropped, line breaks kept, and
    the space before : ; ? ! » (after «) becomes non-breaking (`nbsp(text)`, French typography), and emoji the
    font lacks are left out instead of printing as empty boxes (`printable(text)`; the web page shows them).
    `fit(text, font, size, width)` shortens a one-line text with an ellipsis.
    `para(text, style)` is a Paragraph of user text; `lead(label, text, style)` prints "**label** text";
    `bullet(text, style, mark)` a list item. Never pass user text to `Paragraph` directly.
    Long words and URLs wrap (`splitLongWords`); a paragraph longer than a page splits across pages.

Styles
    `styles()` -> dict of ParagraphStyle: body, small, muted, title, h1, h2, h3, label, cell, cell_bold,
    cell_head, bullet.

Structure
    `heading(text, level, style_set)` -> Heading (level 0, 1, 2 = h1, h2, h3): a bookmark and an outline entry
    in the PDF; the builder keeps at least `HEADING_ROOM` below it, or starts a new page.
    `table(header, rows, col_widths, style_set=..., zebra=True)`: strings are escaped; a cell may also hold a
    Flowable or a list of them; the table splits across pages, also inside a tall row, and repeats its header.
    `spacer(mm)`, `content_width()` (usable width in points).
    `keep(flowables)`: kept on one page when they fit; a large block splits where it stands (never a LayoutError).
    `Figure(drawing)`: a chart that always fits: it shrinks to the frame, a little to fit the rest of a page, or
    moves to the next page. A bare Drawing in a story becomes a Figure.
    `Part(name)`: an invisible mark where a named part begins; a failed layout raises `LayoutFailed(part)` naming
    the part it failed in (the cause chained), so a document can leave that part out and build the rest.
    `Contents(titles)`: a table of contents; given the titles of the document's level-0 headings that follow it,
    it prints their page numbers (filled in when the layout is done).

Document
    `DocInfo(title, lang='nl', author='', subject='', keywords=(), creator='CoP-toolbox', header='', footer='')`
    `build_pdf(story, info, invariant=False) -> bytes`: A4, 18 mm side margins, a header line (info.header or the
    title) and a footer with info.footer on the left and "pagina x van y" / "page x sur y" / "page x of y" on
    the right, in info.lang. Laid out once: the page numbers are PDF forms filled in after the last page.
    Metadata: /Title /Author /Subject /Keywords /Creator, the Catalog's /Lang (nl-BE, fr-BE, en-GB) and
    DisplayDocTitle. `invariant=True` fixes dates and ids: the same story gives the same bytes. The story is
    copied before layout, so a caller may build it again. A failure raises LayoutFailed. ReportLab cannot tag
    PDFs (no PDF/UA): offer the same content as HTML next to it.

    Building is CPU work that blocks: from a page, `pdf = await run.io_bound(build_pdf, story, info)` (builds
    are serialised by a lock inside, the event loop stays free for other users).

Documents
    `kickoff.agenda_pdf(data, t, community=..., author=..., invariant=...)` and `kickoff.script_pdf(...)` take
    `core.kickoff.scenario_data(...)` and a Translator; `agenda_story` / `script_story` give their flowables for a
    larger document (the dossier).
"""

from __future__ import annotations

from .base import (
    FONT,
    FONT_BOLD,
    FONT_BOLD_ITALIC,
    FONT_ITALIC,
    HEADING_ROOM,
    PAGE_OF,
    Contents,
    DocInfo,
    Figure,
    Heading,
    LayoutFailed,
    Part,
    build_pdf,
    bullet,
    content_width,
    escape,
    fit,
    heading,
    keep,
    lead,
    nbsp,
    page_label,
    para,
    printable,
    register_fonts,
    spacer,
    styles,
    table,
)

__all__ = [
    'FONT',
    'FONT_BOLD',
    'FONT_BOLD_ITALIC',
    'FONT_ITALIC',
    'HEADING_ROOM',
    'PAGE_OF',
    'Contents',
    'DocInfo',
    'Figure',
    'Heading',
    'LayoutFailed',
    'Part',
    'build_pdf',
    'bullet',
    'content_width',
    'escape',
    'fit',
    'heading',
    'keep',
    'lead',
    'nbsp',
    'page_label',
    'para',
    'printable',
    'register_fonts',
    'spacer',
    'styles',
    'table',
]
