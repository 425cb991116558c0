"""A heat map of kompas dimensions by community (ECharts). Like every chart here it is announced as an image that
points to its table: the page shows the same figures in a table right below it."""

from __future__ import annotations

from collections.abc import Sequence

from nicegui import ui

# light to dark blue, the same scale as the board report; the value is printed in each cell as well
SCALE = ['#eef3fa', '#c9daf0', '#93b5e0', '#4f7fc0', '#1d4f91']


def heat_map(
    dimensions: Sequence[str],
    rows: Sequence[tuple[str, Sequence[float | None]]],
    *,
    label: str,
    min_value: float,
    max_value: float,
) -> ui.echart:
    names = [name for name, _ in rows]
    data = [_cell(x, y, v) for y, (_, values) in enumerate(rows) for x, v in enumerate(values)]
    options = {
        'animation': False,
        'textStyle': {'fontSize': 12, 'color': '#1c1c1c'},
        'grid': {'left': 8, 'right': 8, 'top': 8, 'bottom': 8, 'containLabel': True},
        'xAxis': {'type': 'category', 'data': list(dimensions), 'position': 'top',
                  'axisLabel': {'interval': 0, 'rotate': 30, 'width': 110, 'overflow': 'truncate'}},
        'yAxis': {'type': 'category', 'data': names, 'inverse': True,
                  'axisLabel': {'width': 140, 'overflow': 'truncate'}},
        'visualMap': {'min': min_value, 'max': max_value, 'show': False, 'inRange': {'color': SCALE}},
        'series': [{'type': 'heatmap', 'data': data, 'label': {'show': True, 'fontSize': 11},
                    'itemStyle': {'borderColor': '#ffffff', 'borderWidth': 1}}],
    }  # fmt: skip
    height = 110 + 26 * len(rows)
    chart = ui.echart(options, renderer='svg').classes('w-full').style(f'height: {height}px')
    chart.props['role'] = 'img'
    chart.props['aria-label'] = label
    return chart


def _cell(x: int, y: int, value: float | None) -> dict:
    """A cell with its value printed in a colour that reads on its background (white on the two darkest)."""
    if value is None:
        return {'value': [x, y, '-']}
    return {'value': [x, y, round(value, 1)], 'label': {'color': '#ffffff' if value >= 3.5 else '#1c1c1c'}}
