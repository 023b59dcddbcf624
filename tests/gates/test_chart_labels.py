"""The years chart's labels stay readable at every width: none overlaps another, none is cut by the chart's edge."""

from __future__ import annotations

import pytest

from paperfolio.charts import bar_chart

from .handmade import write_site
from .project import REPO_ROOT
from .server import serve_site

pytestmark = pytest.mark.gates

CAREERS = [5, 9, 15, 16, 17, 25, 40]  # years from first to last paper; 16 and 17 left the newest two labels close
YEAR_BOXES = """() => [...document.querySelectorAll('.chart')].map((svg) => {
  const edge = svg.getBoundingClientRect();
  const clips = getComputedStyle(svg).overflow !== 'visible';
  return [...svg.querySelectorAll('.chart-year')].map((text) => {
    const r = text.getBoundingClientRect();
    return {year: text.textContent, left: r.left, right: r.right,
            min: clips ? Math.max(edge.left, 0) : 0, max: clips ? Math.min(edge.right, innerWidth) : innerWidth};
  });
})"""


@pytest.fixture(scope="module")
def charts_url(tmp_path_factory: pytest.TempPathFactory):
    charts = "\n".join(
        f'<figure class="chart-figure">{bar_chart([(2000 + i, i % 7) for i in range(n)], title="t", chart_id=f"c{n}")}'
        "</figure>"
        for n in CAREERS
    )
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>Charts</title>\n'
        f'<link rel="stylesheet" href="/style.css">\n</head>\n<body>\n<main>\n{charts}\n</main>\n</body>\n</html>\n'
    )
    style = (REPO_ROOT / "assets" / "style.css").read_text("utf-8")
    site = write_site(tmp_path_factory.mktemp("charts"), {"index.html": page, "style.css": style})
    with serve_site(site, "/") as url:
        yield url


@pytest.mark.parametrize("width", [320, 375, 768, 1280])
def test_year_labels_neither_overlap_nor_are_cut(browser, charts_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(charts_url, wait_until="load")
        charts = page.evaluate(YEAR_BOXES)
    finally:
        context.close()
    problems = []
    for n, labels in zip(CAREERS, charts, strict=True):
        for label in labels:
            if label["left"] < label["min"] - 0.5 or label["right"] > label["max"] + 0.5:
                problems.append(f"{n} years: {label['year']} is cut at {width}px")
        for before, after in zip(labels, labels[1:], strict=False):
            if after["left"] - before["right"] < 2:
                problems.append(f"{n} years: {before['year']} and {after['year']} touch at {width}px")
        assert labels[-1]["year"] == str(2000 + n - 1), "the newest year is labelled"
    assert not problems, "\n".join(problems)
