"""The year charts stay readable at any career length and any count: no two labels overlap and none is cut off
at the chart's edge, on a phone or a laptop. Only the default site's 5-year chart was looked at before: a
12-year career ran its last two year labels together on a phone (2024 and 2025: the last year was labelled
however close it came to the one before), the first year's label of a 33-year career was cut off at the edge,
and four-digit citation counts over 12 years overlapped one another."""

from __future__ import annotations

import shutil

import pytest

from paperfolio import charts

from .project import REPO_ROOT
from .server import serve_site

pytestmark = pytest.mark.gates

CAREERS = (5, 8, 9, 12, 16, 17, 33, 60)
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Charts</title>
<link rel="stylesheet" href="/assets/style.css"></head><body><main>{figures}</main></body></html>"""
# Every label drawn (not hidden by the stylesheet), with its box and that of its chart, in CSS px.
LABELS = """() => [...document.querySelectorAll('svg.chart')].map((svg) => {
  const box = svg.getBoundingClientRect();
  const shown = [...svg.querySelectorAll('text')].filter((t) => getComputedStyle(t).display !== 'none');
  return {id: svg.id, left: box.left, right: box.right, labels: shown.map((t) => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, kind: t.classList.contains('chart-year') ? 'year' : 'value', left: r.left,
            right: r.right};
  })};
})"""


@pytest.fixture(scope="module")
def charts_page(tmp_path_factory: pytest.TempPathFactory):
    """Serve one page holding a papers chart (1-3 a year) and a citations chart (4 digits) of every length."""
    site = tmp_path_factory.mktemp("charts")
    shutil.copytree(REPO_ROOT / "assets", site / "assets")
    figures = []
    for years in CAREERS:
        papers = [(2026 - years + i, 1 + i % 3) for i in range(years)]
        cited = [(2026 - years + i, 1000 + 997 * i % 9000) for i in range(years)]
        for name, data in (("papers", papers), ("cited", cited)):
            chart = charts.bar_chart(data, title=f"{name} over {years} years", chart_id=f"{name}-{years}")
            figures.append(f'<figure class="chart-figure">{chart}</figure>')
    (site / "index.html").write_text(PAGE.format(figures="\n".join(figures)), encoding="utf-8")
    with serve_site(site, "/") as url:
        yield url


@pytest.mark.parametrize("width", [320, 375, 600, 1280])
def test_no_chart_label_overlaps_another_or_leaves_the_chart(browser, charts_page, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        tab = context.new_page()
        tab.goto(charts_page)
        found = tab.evaluate(LABELS)
    finally:
        context.close()
    assert len(found) == 2 * len(CAREERS) and all(any(x["kind"] == "year" for x in c["labels"]) for c in found)
    problems = []
    for chart in found:
        for label in chart["labels"]:
            if label["left"] < chart["left"] - 0.5 or label["right"] > chart["right"] + 0.5:
                problems.append(f"{chart['id']}: {label['kind']} label {label['text']} is cut off at the edge")
        for kind in ("year", "value"):
            row = sorted((label for label in chart["labels"] if label["kind"] == kind), key=lambda x: x["left"])
            for a, b in zip(row, row[1:], strict=False):
                if a["right"] >= b["left"]:
                    problems.append(f"{chart['id']}: {kind} labels {a['text']} and {b['text']} overlap")
    assert not problems, f"at {width} px:\n" + "\n".join(problems)
