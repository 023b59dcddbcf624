"""A display formula wider than a phone scrolls sideways in its own box, and a keyboard can reach that box to
scroll it (axe's scrollable-region-focusable; WCAG 2.1.1), while the page itself does not scroll sideways."""

from __future__ import annotations

import pytest

from .browser import audit_page
from .project import fixture_project, run_build
from .server import serve_site

pytestmark = pytest.mark.gates

PAPER = r"""---
title: A Paper With a Long Objective
authors: [Juntao Dai]
date: 2024-05-01
categories: [cs.LG]
links:
  arxiv: "2401.00001"
---
We minimise

$$
\mathcal{L}(\theta) = \mathbb{E}_{(x,y)\sim D}\left[\log p_\theta(y\mid x)
- \beta\,\mathrm{KL}(p_\theta \| p_{\mathrm{ref}})\right] + \lambda \sum_{k=1}^{K} c_k(\theta)
$$

over $\theta$.
"""


@pytest.fixture(scope="module")
def formula_site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("wide-formula") / "project"
    papers = fixture_project(root)
    (papers / "long-objective.md").write_text(PAPER, encoding="utf-8")
    out = root.parent / "site"
    run_build(root, out)
    with serve_site(out, "/") as url:
        yield url


@pytest.mark.parametrize(("scheme", "width"), [("light", 320), ("dark", 375)])
def test_wide_display_formula_can_be_scrolled_by_keyboard(browser, formula_site: str, scheme: str, width: int) -> None:
    url = formula_site + "papers/long-objective/"
    assert audit_page(browser, url, color_scheme=scheme, width=width) == []
