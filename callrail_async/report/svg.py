"""Hand-written inline SVG charts: no script, no external file, readable without colour.

Each function returns one ``<svg>`` element with ``role="img"`` and a title; the numbers
themselves go in a table beside the chart (see :mod:`.html_page`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from html import escape

__all__ = ["AMBER", "BLUE", "GRAY", "GREEN", "RED", "bars", "donut", "heatmap", "line_chart"]

BLUE = "#2563eb"
GREEN = "#16a34a"
AMBER = "#d97706"
RED = "#dc2626"
GRAY = "#94a3b8"
INK = "#475569"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _svg(width: int, height: int, title: str, body: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        'xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def nice_step(value: float) -> int:
    """The smallest whole 1, 2, 2.5 or 5 x 10^n not below ``value`` (an axis' tick step)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    steps = (s * power for s in (1, 2, 2.5, 5, 10))
    return next(int(s) for s in steps if s >= value and s == int(s))


def line_chart(
    title: str, days: Sequence[dt.date], current: Sequence[int], previous: Sequence[int]
) -> str:
    """Calls per day as an area line, the previous period as a faint dashed line."""
    width, height, left, right, top, bottom = 960, 250, 44, 12, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    step = nice_step(max([*current, *previous, 1]) / 4)
    peak = 4 * step
    count = max(len(current), 2)

    def x(i: int) -> float:
        return left + plot_w * i / (count - 1)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / peak)

    parts = []
    for tick in range(5):
        value = step * tick
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#e2e8f0"/><text x="{left - 6}" y="{y(value) + 4:.1f}" '
            f'text-anchor="end" class="axis">{value:,}</text>'
        )
    every = max(1, math.ceil(len(days) / 8))
    for i in range(0, len(days), every):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" class="axis">'
            f"{days[i]:%b} {days[i].day}</text>"
        )

    def points(values: Sequence[int]) -> str:
        return " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))

    if previous:
        parts.append(
            f'<polyline points="{points(previous[: len(current)])}" fill="none" '
            f'stroke="{GRAY}" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    if current:
        base = f"{x(len(current) - 1):.1f},{y(0):.1f} {x(0):.1f},{y(0):.1f}"
        parts.append(
            f'<polygon points="{points(current)} {base}" fill="{BLUE}" fill-opacity="0.08"/>'
            f'<polyline points="{points(current)}" fill="none" stroke="{BLUE}" '
            'stroke-width="2.2" stroke-linejoin="round"/>'
        )
    return _svg(width, height, title, "".join(parts))


def donut(title: str, parts: Sequence[tuple[str, int, str]]) -> str:
    """Shares of a whole as a ring, with the total in the middle."""
    size, radius, stroke = 180, 66, 26
    total = sum(value for _, value, _ in parts)
    circumference = 2 * math.pi * radius
    body = [
        f'<circle cx="90" cy="90" r="{radius}" fill="none" stroke="#f1f5f9" '
        f'stroke-width="{stroke}"/>'
    ]
    offset = 0.0
    for label, value, colour in parts:
        if total and value:
            length = circumference * value / total
            body.append(
                f'<circle cx="90" cy="90" r="{radius}" fill="none" stroke="{colour}" '
                f'stroke-width="{stroke}" stroke-dasharray="{length:.2f} {circumference:.2f}" '
                f'stroke-dashoffset="{-offset:.2f}" transform="rotate(-90 90 90)">'
                f"<title>{escape(label)}: {value:,}</title></circle>"
            )
            offset += length
    body.append(
        f'<text x="90" y="88" text-anchor="middle" class="big">{total:,}</text>'
        '<text x="90" y="108" text-anchor="middle" class="axis">calls</text>'
    )
    return _svg(size, size, title, "".join(body))


def bars(
    title: str, rows: Sequence[tuple[str, int, int]], second: str | None, *, width: int = 960
) -> str:
    """Horizontal bars of calls per row, with the ``second`` measure (leads...) drawn inside
    each bar and written after it; ``None``: calls only."""
    label_w, value_w, bar_h, gap = (230 if width > 700 else 150), 96, 17, 7
    longest = label_w // 7
    plot_w = width - label_w - value_w
    peak = max([calls for _, calls, _ in rows] + [1])
    height = max(len(rows), 1) * (bar_h + gap) + gap
    body = []
    for i, (label, calls, inner) in enumerate(rows):
        top = gap + i * (bar_h + gap)
        full = plot_w * calls / peak
        short = label if len(label) <= longest else label[: longest - 1] + "…"
        body.append(
            f'<text x="{label_w - 8}" y="{top + 12}" text-anchor="end" class="label">'
            f"{escape(short)}</text>"
            f'<rect x="{label_w}" y="{top}" width="{full:.1f}" height="{bar_h}" rx="3" '
            f'fill="{BLUE}" fill-opacity="{0.28 if second else 0.8}"><title>{escape(label)}: '
            f"{calls:,} calls</title></rect>"
        )
        value = f"{calls:,}"
        if second:
            body.append(
                f'<rect x="{label_w}" y="{top}" width="{plot_w * inner / peak:.1f}" '
                f'height="{bar_h}" rx="3" fill="{BLUE}"><title>{escape(label)}: {inner:,} '
                f"{escape(second)}</title></rect>"
            )
            value += f'<tspan class="axis"> / {inner:,}</tspan>'
        body.append(
            f'<text x="{label_w + full + 6:.1f}" y="{top + 12}" class="value">{value}</text>'
        )
    return _svg(width, height, title, "".join(body))


def heatmap(title: str, grid: Sequence[Sequence[int]]) -> str:
    """Calls by weekday (rows) and hour (columns); darker is busier."""
    left, top, cell_w, cell_h, gap = 40, 20, 35, 26, 3
    width = left + 24 * (cell_w + gap)
    height = top + 7 * (cell_h + gap) + 4
    peak = max([max(row, default=0) for row in grid] + [1])
    body = []
    for hour in range(0, 24, 3):
        body.append(
            f'<text x="{left + hour * (cell_w + gap) + cell_w / 2}" y="13" '
            f'text-anchor="middle" class="axis">{hour:02d}h</text>'
        )
    for day, row in enumerate(grid):
        y = top + day * (cell_h + gap)
        body.append(
            f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" class="axis">'
            f"{WEEKDAYS[day]}</text>"
        )
        for hour, count in enumerate(row):
            body.append(
                f'<rect x="{left + hour * (cell_w + gap)}" y="{y}" width="{cell_w}" '
                f'height="{cell_h}" rx="3" fill="{_shade(count / peak)}">'
                f"<title>{WEEKDAYS[day]} {hour:02d}:00: {count:,} calls</title></rect>"
            )
    return _svg(width, height, title, "".join(body))


def _shade(share: float) -> str:
    """From near-white (0) to the report's blue (1)."""
    low, high = (241, 245, 249), (30, 64, 175)
    r, g, b = (round(a + (z - a) * share**0.8) for a, z in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"
