"""Accessible data tables: a caption, column headers, and the first cell of each row as its row header."""

from __future__ import annotations

from collections.abc import Sequence

from nicegui import html

from .typography import Text

TABLE_CSS_CLASS = 'cop-table'


def data_table(
    caption: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    numeric: Sequence[int] = (),
    marker: str | None = None,
) -> html.table:
    """`numeric`: indexes of columns to right-align. A line break in a cell is kept. On a narrow screen the table
    scrolls sideways in its own region, which keyboard users can focus and scroll too."""
    with html.div().classes('w-full overflow-x-auto') as region:
        region.props['role'] = 'region'
        region.props['tabindex'] = '0'
        region.props['aria-label'] = caption
        table = html.table().classes(f'{TABLE_CSS_CLASS} w-full')
    with table:
        Text('caption', caption).classes('text-left font-medium pb-1')
        with html.thead(), html.tr():
            for i, column in enumerate(columns):
                Text('th', column).props('scope=col').classes('text-right' if i in numeric else 'text-left')
        with html.tbody():
            for row in rows:
                with html.tr():
                    for i, cell in enumerate(row):
                        if i == 0:
                            Text('th', cell).props('scope=row').classes('text-left font-normal whitespace-pre-line')
                        else:
                            Text('td', cell).classes(
                                'text-right tabular-nums' if i in numeric else 'whitespace-pre-line'
                            )
    if marker:
        table.mark(marker)
    return table
