"""Bar charts as a handful of shapes that both the PDF and the SVG (HTML) writer draw.

Made for black-and-white printing: series differ by grey level *and* by pattern (solid dark
versus white with diagonal hatching), every bar has a black outline, and values are printed
next to the bars, so nothing depends on colour. Coordinates are points, origin bottom-left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: float  # grey level: 0 black ... 1 white
    hatch: bool = False  # diagonal lines inside (the second series)


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.5
    grey: float = 0.0


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    size: float = 7
    anchor: str = "start"  # start | middle | end
    bold: bool = False


Shape = Box | Line | Label


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    shapes: tuple[Shape, ...]
    description: str  # the chart in words (alt text, screen readers)


@dataclass(frozen=True)
class Series:
    name: str
    fill: float
    hatch: bool


SOLID = Series("", 0.35, False)
HATCHED = Series("", 1.0, True)


def hatch_lines(box: Box, spacing: float = 3.0) -> list[Line]:
    """45° lines clipped to the box (computed, so both writers need no clipping)."""
    lines = []
    x0, y0, x1, y1 = box.x, box.y, box.x + box.w, box.y + box.h
    c = -box.h  # lines y - y0 = (x - x0) + c
    while c < box.w:
        # from where the line enters the box to where it leaves
        sx, sy = (x0 + c, y0) if c >= 0 else (x0, y0 - c)
        ex_x = min(x1, x0 + c + box.h)
        ex = (ex_x, y0 + (ex_x - x0 - c))
        if ex[0] > sx:
            lines.append(Line(sx, sy, ex[0], min(y1, ex[1]), 0.4))
        c += spacing
    return lines


def _nice_max(value: int) -> int:
    """Axis top: four whole steps of 1, 2 or 5 × a power of ten, reaching the largest value."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if 4 * m * step >= max(1, value):
                return 4 * m * step
        step *= 10


def column_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int], Series]],
    *,
    width: float,
    height: float,
    title: str,
    label_every: int = 1,
) -> Chart:
    """Vertical grouped bars (arrivals per quarter hour)."""
    shapes: list[Shape] = [Label(0, height - 9, title, 9, bold=True)]
    left, bottom, top = 30.0, 24.0, height - 34.0
    right = width - 6.0
    top_value = _nice_max(max((max(v, default=0) for _, v, _ in series), default=0))
    plot_h = top - bottom
    for i in range(5):
        value = top_value * i / 4
        y = bottom + plot_h * i / 4
        shapes.append(Line(left, y, right, y, 0.3, 0.75 if i else 0.0))
        shapes.append(Label(left - 3, y - 2.5, f"{value:,.0f}", 6.5, "end"))
    n = max(1, len(labels))
    slot = (right - left) / n
    bar_w = max(1.0, slot * 0.8 / max(1, len(series)))
    for i, label in enumerate(labels):
        x = left + i * slot + slot * 0.1
        for j, (_, values, style) in enumerate(series):
            h = plot_h * values[i] / top_value if i < len(values) else 0
            if h > 0:
                shapes.append(Box(x + j * bar_w, bottom, bar_w, h, style.fill, style.hatch))
        if i % label_every == 0:
            shapes.append(Label(left + i * slot + slot / 2, bottom - 9, label, 6.5, "middle"))
    _legend(shapes, series, left, height - 24)
    description = (
        title
        + ": "
        + "; ".join(
            f"{label} " + ", ".join(f"{values[i]} {name}" for name, values, _ in series)
            for i, label in enumerate(labels)
        )
    )
    return Chart(width, height, tuple(shapes), description)


def bar_chart(
    rows: Sequence[tuple[str, Sequence[int], str]],
    series: Sequence[tuple[str, Series]],
    *,
    width: float,
    title: str,
    label_width: float = 90,
) -> Chart:
    """Horizontal grouped bars, one group a row, with a note after it (per-resource figures)."""
    group_h = 9.0 * len(series) + 8
    height = 36 + group_h * max(1, len(rows))
    shapes: list[Shape] = [Label(0, height - 9, title, 9, bold=True)]
    left, right = label_width, width - 90
    top_value = _nice_max(max((max(v, default=0) for _, v, _ in rows), default=0))
    y = height - 34
    for name, values, note in rows:
        y -= group_h
        shapes.append(Label(left - 4, y + group_h / 2 - 4, name, 7.5, "end", bold=True))
        for j, (_, style) in enumerate(series):
            value = values[j] if j < len(values) else 0
            by = y + group_h - 4 - 9 * (j + 1)
            w = (right - left) * value / top_value
            if w > 0:
                shapes.append(Box(left, by, w, 8, style.fill, style.hatch))
            shapes.append(Label(left + w + 3, by + 1.5, f"{value:,}", 6.5))
        shapes.append(Label(width, y + group_h / 2 - 4, note, 6.5, "end"))
    shapes.append(Line(left, y, left, height - 34, 0.6))
    _legend(shapes, [(n, (), s) for n, s in series], left, height - 24)
    description = (
        title
        + ": "
        + "; ".join(
            f"{name} " + ", ".join(f"{v} {s[0]}" for v, s in zip(values, series, strict=False))
            for name, values, _ in rows
        )
    )
    return Chart(width, height, tuple(shapes), description)


def _legend(
    shapes: list[Shape], series: Sequence[tuple[str, object, Series]], x: float, y: float
) -> None:
    for name, _, style in series:
        shapes.append(Box(x, y, 9, 7, style.fill, style.hatch))
        shapes.append(Label(x + 12, y + 1, name, 7))
        x += 20 + 4.2 * len(name)
