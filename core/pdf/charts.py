"""Charts for the PDFs, drawn with reportlab.graphics shapes (no chart widget), so they read like the web's charts.

`radar(labels, series, high)` matches the web radar (components/charts.py, ECharts): the first dimension at the
top, the next ones counter-clockwise, rings at every scale step from 0 to `high`, a missing value left out of its
series' shape. Every label sits outside the outer ring and runs away from it, so no chart line crosses a label.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from .base import ACCENT, FONT, INK, content_width, nbsp, printable, register_fonts

SECOND = colors.HexColor('#8a5a00')
GRID = colors.HexColor('#b0b7c0')
SERIES = (ACCENT, SECOND)
LABEL_SIZE = 7.5
LABEL_LEADING = 9
LABEL_CHARS = 22  # a dimension's name wraps at about this many characters per line
GAP = 3.5 * mm  # between the outer ring and a label


def angle_of(index: int, count: int) -> float:
    """The angle (radians, counter-clockwise from the x axis) of dimension `index`: as ECharts' radar, whose
    default is startAngle 90 and clockwise false."""
    return math.radians(90 + 360 * index / count)


def radar(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    high: float,
    *,
    width: float | None = None,
    radius: float = 30 * mm,
) -> Drawing:
    register_fonts()
    width = width or content_width()
    legend = 9 * mm
    label_room = 3 * LABEL_LEADING + GAP
    height = 2 * (radius + label_room) + legend
    drawing = Drawing(width, height)
    cx, cy = width / 2, legend + radius + label_room
    count = len(labels)
    if count < 3 or high <= 0:
        return drawing
    angles = [angle_of(i, count) for i in range(count)]

    def point(index: int, value: float) -> tuple[float, float]:
        r = radius * max(0.0, min(value, high)) / high
        return cx + r * math.cos(angles[index]), cy + r * math.sin(angles[index])

    for step in range(1, math.ceil(high) + 1):  # rings, as the web's split lines
        ring = [c for i in range(count) for c in point(i, min(step, high))]
        drawing.add(Polygon(ring, strokeColor=GRID, strokeWidth=0.4, fillColor=None))
    for i in range(count):
        drawing.add(Line(cx, cy, *point(i, high), strokeColor=GRID, strokeWidth=0.4))
    for index, (_, values) in enumerate(series[: len(SERIES)]):
        drawing.add(_strand(values, point, SERIES[index], index))
    for i, label in enumerate(labels):
        drawing.add(_label(label, cx, cy, radius + GAP, angles[i]))
    _legend(drawing, [name for name, _ in series[: len(SERIES)]])
    return drawing


def _strand(values: Sequence[float | None], point, colour: colors.Color, index: int) -> Group:
    """One series: a filled shape through its known values, with a marker on each (circle first, square next)."""
    group = Group()
    points = [point(i, v) for i, v in enumerate(values) if v is not None]
    flat = [c for p in points for c in p]
    if len(points) >= 3:
        fill = colors.Color(colour.red, colour.green, colour.blue, alpha=0.15 if index == 0 else 0.05)
        group.add(Polygon(flat, fillColor=fill, strokeColor=None, strokeWidth=0))
    if len(points) >= 2:
        line = PolyLine(flat + list(points[0]) if len(points) >= 3 else flat, strokeColor=colour)
        line.strokeWidth = 1.6 if index == 0 else 1.2
        if index:
            line.strokeDashArray = (3, 2)
        group.add(line)
    for x, y in points:
        if index == 0:
            group.add(Circle(x, y, 1.8, fillColor=colour, strokeColor=None))
        else:
            group.add(Rect(x - 1.6, y - 1.6, 3.2, 3.2, fillColor=colour, strokeColor=None))
    return group


def _label(text: str, cx: float, cy: float, distance: float, angle: float) -> Group:
    """A dimension's name just outside the outer ring, running away from it: to the right of a point on the right
    side, to the left on the left side, centred above the top and below the bottom."""
    lines = textwrap.wrap(nbsp(printable(' '.join(str(text).split()))), LABEL_CHARS) or ['']
    x, y = cx + distance * math.cos(angle), cy + distance * math.sin(angle)
    across, up = math.cos(angle), math.sin(angle)
    anchor = 'start' if across > 0.25 else 'end' if across < -0.25 else 'middle'
    block = LABEL_LEADING * len(lines)
    if up > 0.25:  # above the centre: the block grows upwards from the point
        top = y + block - (LABEL_LEADING - LABEL_SIZE)
    elif up < -0.25:  # below: it hangs from the point
        top = y
    else:
        top = y + block / 2
    group = Group()
    for n, line in enumerate(lines):
        baseline = top - LABEL_SIZE - n * LABEL_LEADING
        group.add(String(x, baseline, line, fontName=FONT, fontSize=LABEL_SIZE, fillColor=INK, textAnchor=anchor))
    return group


def _legend(drawing: Drawing, names: Sequence[str]) -> None:
    if len(names) < 2:
        return
    x = 0.0
    for name, colour in zip(names, SERIES, strict=False):
        drawing.add(Rect(x, 2 * mm, 7, 7, fillColor=colour, strokeColor=None))
        name = printable(name)
        drawing.add(String(x + 10, 2 * mm + 0.5, name, fontName=FONT, fontSize=8, fillColor=INK))
        x += 10 + pdfmetrics.stringWidth(name, FONT, 8) + 14
