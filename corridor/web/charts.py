"""Charts drawn on the server as inline SVG: no JavaScript library, no build, and every
figure readable without scripts (each mark carries a <title> with its value).

The SVGs scale with their container (``viewBox``); colours come from CSS classes (``s0`` to
``s7``) so the stylesheet controls the palette.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 12, 34


def _nice_max(value: float) -> float:
    """The top of the axis: four equal steps of a round whole size (1, 2, 5 or 10 times a
    power of ten), so counts get whole-number ticks."""
    step = 1.0
    growth = itertools.cycle((2, 2.5, 2))  # 1 -> 2 -> 5 -> 10 -> 20 -> 50 ...
    while step * 4 < value:
        step *= next(growth)
    return step * 4


def _fmt(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def _axis(top: float, label_every: int, labels: Sequence[str], x_of: list[float]) -> list[str]:
    parts = []
    plot_h = HEIGHT - TOP - BOTTOM
    for i in range(5):
        v = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(v)}</text>'
        )
    for i, (label, x) in enumerate(zip(labels, x_of, strict=True)):
        if i % label_every == 0:
            parts.append(
                f'<text class="tick" x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return parts


def _legend(names: Sequence[str], classes: Sequence[str] | None = None) -> str:
    classes = classes or [f"s{i % 8}" for i in range(len(names))]
    items = "".join(
        f'<li><span class="swatch {c}"></span>{escape(n)}</li>'
        for n, c in zip(names, classes, strict=True)
    )
    return f'<ul class="legend">{items}</ul>'


def _svg(title: str, body: list[str]) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


def stacked_bars(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    short_labels: Sequence[str] | None = None,
    classes: Sequence[str] | None = None,
) -> Markup:
    """Vertical bars per label, each stacked from the series' values (``classes``: a CSS
    class per series, ``s0``... by default)."""
    classes = classes or [f"s{i % 8}" for i in range(len(series))]
    n = max(1, len(labels))
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    top = _nice_max(max(totals, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / n
    bar = max(1.0, slot * 0.75)
    xs = [LEFT + slot * i + slot / 2 for i in range(len(labels))]
    body = _axis(top, max(1, n // 8), short_labels or labels, xs)
    for i, label in enumerate(labels):
        base = float(TOP + plot_h)
        for s, (name, values) in enumerate(series):
            v = values[i]
            if v <= 0:
                continue
            h = plot_h * v / top
            base -= h
            body.append(
                f'<rect class="{classes[s]}" x="{xs[i] - bar / 2:.1f}" y="{base:.1f}" '
                f'width="{bar:.1f}" height="{h:.1f}"><title>{escape(label)}: '
                f"{_fmt(v)} {escape(name)}</title></rect>"
            )
    return Markup(_svg(title, body) + _legend([name for name, _ in series], classes))


def lines(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
) -> Markup:
    """One line per series over the labels (points marked, with their values)."""
    n = len(labels)
    top = _nice_max(max((v for _, values in series for v in values), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, n - 1) if n > 1 else 0
    xs = [LEFT + step * i if n > 1 else LEFT + plot_w / 2 for i in range(n)]
    body = _axis(top, max(1, n // 8), labels, xs)
    for s, (name, values) in enumerate(series):
        points = [(xs[i], TOP + plot_h - plot_h * v / top) for i, v in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline class="line s{s % 8}" points="{path}"/>')
        for (x, y), label, v in zip(points, labels, values, strict=True):
            body.append(
                f'<circle class="s{s % 8}" cx="{x:.1f}" cy="{y:.1f}" r="3">'
                f"<title>{escape(name)} {escape(label)}: {_fmt(v)}</title></circle>"
            )
    return Markup(_svg(title, body) + _legend([name for name, _ in series]))


def hbars(title: str, items: Sequence[tuple[str, float]], unit: str = "") -> Markup:
    """Horizontal bars, one per item, with the value written at the end."""
    if not items:
        return Markup('<p class="empty">Nothing yet.</p>')
    row = 24
    height = TOP + row * len(items) + 8
    top = _nice_max(max(v for _, v in items))
    label_w = 190
    plot_w = WIDTH - label_w - 60
    body = []
    for i, (label, v) in enumerate(items):
        y = TOP + i * row
        w = plot_w * v / top
        short = label if len(label) <= 28 else label[:27] + "…"
        body.append(
            f'<text class="tick" x="{label_w - 8}" y="{y + 15}" text-anchor="end">'
            f"{escape(short)}</text>"
            f'<rect class="s0" x="{label_w}" y="{y + 3}" width="{w:.1f}" '
            f'height="{row - 8}"><title>{escape(label)}: {_fmt(v)}{escape(unit)}</title></rect>'
            f'<text class="value" x="{label_w + w + 6:.1f}" y="{y + 15}">{_fmt(v)}</text>'
        )
    svg = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )
    return Markup(svg)
