"""Bar charts as inline SVG, made at build time: no script, no library, no inline style.

Colours come from CSS classes (`chart-bar`, `chart-text`) that the stylesheet fills from its custom
properties, so the chart follows the light and dark themes. The SVG carries a `<title>` for screen
readers; templates add the numbers as a visually hidden table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH = 640
HEIGHT = 200
TOP, BOTTOM, SIDE = 34, 36, 8  # room for value labels above the bars and year labels below
# The stylesheet sizes labels up to 27 units on narrow screens (the chart is drawn at half size or less there, and a
# label must stay 12 CSS px): at most 8 year labels fit, and a value label only over a bar slot of 48 units or more
# (`chart-dense` lets the stylesheet hide the others there; the page's table carries every number).
YEAR_LABELS, VALUE_SLOT = 8, 48


def bar_chart(data: Sequence[tuple[int, int]], *, title: str, chart_id: str) -> Markup:
    """Return an SVG bar chart of (year, value) pairs, or empty markup when there is nothing to show."""
    if not data:
        return Markup("")
    peak = max(value for _, value in data) or 1
    slot = (WIDTH - 2 * SIDE) / len(data)
    bar = max(min(slot * 0.7, 56), 2)
    plot = HEIGHT - TOP - BOTTOM
    # Keep year labels from overlapping on long careers: every `label_every`-th year, counted back from the newest,
    # so the newest is labelled and the spacing stays even (counted from the oldest, with the newest added, the last
    # two of 16 years were one slot apart and overlapped).
    label_every = max(1, math.ceil(len(data) / YEAR_LABELS))
    dense = " chart-dense" if slot < VALUE_SLOT else ""
    parts = [
        f'<svg class="chart{dense}" id="{chart_id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<line class="chart-axis" x1="{SIDE}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - SIDE}" y2="{HEIGHT - BOTTOM}"/>',
    ]
    for i, (year, value) in enumerate(data):
        height = plot * value / peak
        x = SIDE + i * slot + (slot - bar) / 2
        y = HEIGHT - BOTTOM - height
        centre = x + bar / 2
        parts.append(f'<rect class="chart-bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}"/>')
        if value:
            parts.append(
                f'<text class="chart-text chart-value" x="{centre:.1f}" y="{y - 6:.1f}" '
                f'text-anchor="middle">{value}</text>'
            )
        if (len(data) - 1 - i) % label_every == 0:
            year_y = HEIGHT - 8
            parts.append(
                f'<text class="chart-text chart-year" x="{centre:.1f}" y="{year_y}" text-anchor="middle">{year}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
