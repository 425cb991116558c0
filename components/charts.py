"""Charts (NiceGUI's ECharts). A chart is never the only way to read a result: every page that shows one also shows
its figures in a table, and the chart itself is announced as an image that points to that table."""

from __future__ import annotations

import textwrap

from nicegui import ui

SERIES_COLOURS = ('#1d4f91', '#8a5a00', '#1b6e3a', '#8a3b12')


def _chart(options: dict, label: str, height: str) -> ui.echart:
    chart = ui.echart(
        {'animation': False, 'textStyle': {'fontSize': 13, 'color': '#1c1c1c'}, **options}, renderer='svg'
    ).classes(f'w-full {height}')
    chart.props['role'] = 'img'
    chart.props['aria-label'] = label
    return chart


def radar(
    indicators: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    max_value: float,
    label: str,
    min_value: float = 0,
) -> ui.echart:
    """A radar of several series over the same dimensions (missing values are left out of a series' shape)."""
    data = []
    for index, (name, values) in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        data.append(
            {
                'name': name,
                'value': [v if v is not None else '-' for v in values],
                'lineStyle': {
                    'color': colour,
                    'width': 3 if index == 0 else 2,
                    'type': 'solid' if index == 0 else 'dashed',
                },
                'itemStyle': {'color': colour},
                'symbol': 'circle' if index == 0 else 'rect',
                'symbolSize': 7,
                'areaStyle': {'color': colour, 'opacity': 0.18 if index == 0 else 0.05},
            }
        )
    options = {
        'legend': {'bottom': 0, 'data': [name for name, _ in series]} if len(series) > 1 else {'show': False},
        'radar': {
            'indicator': [{'name': textwrap.fill(n, 14), 'max': max_value, 'min': min_value} for n in indicators],
            'radius': '55%',
            'center': ['50%', '48%'],
            'splitNumber': int(max_value - min_value) or 5,
            'axisName': {'color': '#1c1c1c', 'fontSize': 12, 'lineHeight': 14},
            'splitLine': {'lineStyle': {'color': '#b0b7c0'}},
            'splitArea': {'show': False},
        },
        'series': [{'type': 'radar', 'data': data}],
    }
    return _chart(options, label, 'h-96')


def horizontal_bars(
    categories: list[str],
    values: list[float],
    *,
    label: str,
    max_value: float | None = None,
    unit: str = '',
    whole: bool = False,
) -> ui.echart:
    """One bar per category, longest on top (rankings, distributions). `whole`: the values are counts, so the axis
    shows whole numbers only (no 0.5 ticks)."""
    options = {
        'grid': {'left': 8, 'right': 48, 'top': 8, 'bottom': 8, 'containLabel': True},
        'xAxis': {
            'type': 'value',
            'max': max_value,
            'axisLabel': {'color': '#1c1c1c'},
            **({'minInterval': 1} if whole else {}),
        },
        'yAxis': {
            'type': 'category',
            'data': list(reversed(categories)),
            # long answer labels wrap within a fixed width: unbounded, they took a phone's whole width from the bars
            'axisLabel': {'color': '#1c1c1c', 'width': 130, 'overflow': 'break', 'lineHeight': 15},
        },
        'series': [
            {
                'type': 'bar',
                'data': list(reversed(values)),
                'itemStyle': {'color': SERIES_COLOURS[0]},
                'label': {'show': True, 'position': 'right', 'color': '#1c1c1c', 'formatter': '{c}' + unit},
            }
        ],
    }
    return _chart(options, label, 'h-72')


TREND_COLOURS = ('#1d4f91', '#8a5a00', '#1b6e3a', '#8a3b12', '#6a2c91', '#00677a', '#a1283e', '#4b5d70')
TREND_SYMBOLS = ('circle', 'rect', 'triangle', 'diamond', 'pin', 'arrow', 'roundRect', 'emptyCircle')


def lines(
    points: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    min_value: float,
    max_value: float,
    label: str,
) -> ui.echart:
    """One line per series over the same points (rounds in time): a trend. Each line has its own colour and marker
    shape, so it can be told apart without colour; a missing value leaves a gap."""
    data = []
    for index, (name, values) in enumerate(series):
        colour = TREND_COLOURS[index % len(TREND_COLOURS)]
        data.append(
            {
                'name': name,
                'type': 'line',
                'data': [v if v is not None else '-' for v in values],
                'lineStyle': {'color': colour, 'width': 2},
                'itemStyle': {'color': colour},
                'symbol': TREND_SYMBOLS[index % len(TREND_SYMBOLS)],
                'symbolSize': 8,
                'connectNulls': False,
            }
        )
    options = {
        'grid': {'left': 8, 'right': 16, 'top': 16, 'bottom': 80, 'containLabel': True},  # the legend goes below
        'legend': {'bottom': 0},
        'tooltip': {'trigger': 'axis'},
        'xAxis': {'type': 'category', 'data': points, 'axisLabel': {'color': '#1c1c1c'}},
        'yAxis': {
            'type': 'value',
            'min': min_value,
            'max': max_value,
            'interval': 1,
            'axisLabel': {'color': '#1c1c1c'},
        },
        'series': data,
    }
    return _chart(options, label, 'h-96')
