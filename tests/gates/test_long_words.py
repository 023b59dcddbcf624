"""Text with no place to break (long titles, venues, names, URLs, tags, a citation count of 31 digits, a line of
code) must not make a phone scroll sideways."""

from __future__ import annotations

import pytest

from .browser import find_overflow
from .project import fixture_project, run_build
from .server import serve_site

pytestmark = pytest.mark.gates

WORD = "Supercalifragilisticexpialidocious" * 3
PAPER = f"""---
title: "{WORD} Learning"
authors: ["{WORD} Lovelace", Juntao Dai]
date: 2024-05-01
categories: [cs.LG]
venue: "{WORD} Conference"
tags: [{WORD.lower()}]
citations: {10**30}
links:
  code: https://example.org/{WORD.lower()}/{WORD.lower()}
---
An abstract with https://example.org/{WORD.lower()}/{WORD.lower()} in it and $\\mathrm{{{WORD}}}$.

```
{WORD} = load("{WORD}")  # a line of code wider than a phone
```
"""


@pytest.fixture(scope="module")
def long_words_site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("long-words") / "project"
    papers = fixture_project(root)
    (papers / "long-words.md").write_text(PAPER, encoding="utf-8")
    out = root.parent / "site"
    run_build(root, out)
    with serve_site(out, "/") as url:
        yield out, url


def test_long_words_stay_inside_a_phone_screen(browser, long_words_site) -> None:
    site, url = long_words_site
    paths = ["", "papers/long-words/", "categories/cs.lg/", "publications/", "years/"]
    paths += [p.parent.relative_to(site).as_posix() + "/" for p in sorted(site.glob("*/*/index.html"))]
    context = browser.new_context(viewport={"width": 375, "height": 800})
    problems = []
    try:
        page = context.new_page()
        for path in dict.fromkeys(paths):
            page.goto(url + path, wait_until="load")
            problems += [f"/{path}: {problem}" for problem in find_overflow(page, width=375)]
    finally:
        context.close()
    assert not problems, "\n".join(problems)
