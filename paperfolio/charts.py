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
# Room for value labels above the bars and year labels below, and at each side for half a year label, so the first
# and last years' labels are never cut off at the chart's edge.
TOP, BOTTOM, SIDE = 34, 36, 36
# The stylesheet sizes labels up to 27 units on narrow screens (the chart is drawn at half size or less there, and a
# label must stay 12 CSS px), where a year is up to 70 units wide: labelled years stand at least YEAR_SPACING apart.
# A value label is drawn only over a bar slot as wide as the widest value: on screens up to 34rem, where a digit is
# up to 18 units wide, `chart-dense` lets the stylesheet hide them; up to 42rem (11 units) `chart-crowded`; at any
# width (13 px, 9 units) `chart-packed`. The page's table carries every number.
YEAR_SPACING = 78
DIGIT_WIDTHS = (("chart-dense", 18), ("chart-crowded", 11), ("chart-packed", 9))


def bar_chart(data: Sequence[tuple[int, int]], *, title: str, chart_id: str) -> Markup:
    """Return an SVG bar chart of (year, value) pairs, or empty markup when there is nothing to show."""
    if not data:
        return Markup("")
    peak = max(value for _, value in data) or 1
    slot = (WIDTH - 2 * SIDE) / len(data)
    bar = max(min(slot * 0.7, 56), 2)
    plot = HEIGHT - TOP - BOTTOM
    # Counted back from the newest year, which is always labelled, so no label comes closer to the next.
    label_every = math.ceil(YEAR_SPACING / slot)
    digits = len(str(peak))
    dense = "".join(f" {name}" for name, digit in DIGIT_WIDTHS if slot < digit * digits + 6)
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
