"""The home page's filter rows line up at desktop width however many chips a row holds: a long career's years wrap
beside their label, as a short row's chips sit, not under it."""

from __future__ import annotations

import shutil

import pytest

from .project import REPO_ROOT, run_build
from .server import serve_site

pytestmark = pytest.mark.gates

OLD_PAPER = """---
title: An Early Paper of {year}
authors: [Juntao Dai]
date: {year}-03-01
categories: [cs.LG]
---
An abstract.
"""
ROW_EDGES = """() => [...document.querySelectorAll('.filter-row')].filter((row) => row.getClientRects().length > 0)
  .map((row) => ({label: row.querySelector('.filter-label').textContent,
                  labelLeft: row.querySelector('.filter-label').getBoundingClientRect().left,
                  chipsLeft: row.querySelector('ul').getBoundingClientRect().left}))"""


@pytest.fixture(scope="module")
def long_career_url(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("long-career") / "project"
    for name in ("content", "layouts", "assets"):
        shutil.copytree(REPO_ROOT / name, root / name)
    for name in ("build.py", "paperfolio.yaml"):
        shutil.copyfile(REPO_ROOT / name, root / name)
    for year in range(1995, 2009):  # with the default site's five years, 19 year chips: two lines at 1280 px
        (root / "content" / "papers" / f"early-{year}.md").write_text(OLD_PAPER.format(year=year), "utf-8")
    out = root.parent / "site"
    run_build(root, out)
    with serve_site(out, "/") as url:
        yield url


def test_filter_chips_start_at_one_edge_beside_their_labels(browser, long_career_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(long_career_url, wait_until="load")
        rows = page.evaluate(ROW_EDGES)
    finally:
        context.close()
    assert [row["label"] for row in rows] == ["Category", "Year", "Type", "Code"]
    for row in rows:
        assert row["chipsLeft"] > row["labelLeft"], f"the {row['label']} chips wrapped under their label: {rows}"
    assert len({round(row["chipsLeft"]) for row in rows}) == 1, rows
