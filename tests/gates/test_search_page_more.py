"""The search page shows the first 100 results and a button for more, instead of every result at every keystroke:
at 1,000 papers a letter matched 700-1,000 papers, and building and laying out that list took a second of a slow
phone's time a keystroke (14-18 s at 10,000 papers)."""

from __future__ import annotations

import pytest

from .project import fixture_project, run_build
from .server import serve_site

pytestmark = pytest.mark.gates

PAPER = (
    "---\ntitle: Study number {n} of learning\nauthors: [Juntao Dai]\ndate: 2024-05-01\ncategories: [cs.CL]\n---\n"
    "An abstract.\n"
)
PAPERS = 250


@pytest.fixture(scope="module")
def many_papers_site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("search-more") / "project"
    papers = fixture_project(root)
    for path in papers.iterdir():
        path.unlink()
    for n in range(PAPERS):
        (papers / f"study-{n:03}.md").write_text(PAPER.format(n=n), encoding="utf-8")
    out = root.parent / "site"
    run_build(root, out)
    with serve_site(out, "/") as url:
        yield url


RESULTS = "() => document.querySelectorAll('#search-page-results .search-result').length"
FOCUSED = "() => document.activeElement.textContent"


def test_the_search_page_shows_results_a_hundred_at_a_time(browser, many_papers_site: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto(many_papers_site + "search/?q=learning", wait_until="load")
        page.wait_for_selector("#search-page-results .search-result")
        assert page.locator("#search-status").text_content() == f"{PAPERS} papers match \u201clearning\u201d."
        assert page.evaluate(RESULTS) == 100
        more = page.locator(".search-more")
        assert more.text_content() == f"Show more (100 of {PAPERS} shown)"
        more.focus()
        page.keyboard.press("Enter")
        assert page.evaluate(RESULTS) == 200
        # The focus goes on to the first of the new results, the 101st.
        first_new = page.locator("#search-page-results .search-result").nth(100).text_content()
        assert page.evaluate(FOCUSED) == first_new
        assert more.text_content() == f"Show more (200 of {PAPERS} shown)"
        more.click()
        assert page.evaluate(RESULTS) == PAPERS
        assert page.locator(".search-more").count() == 0
        # A new query starts again from the first 100.
        page.fill("#search-input", "study")
        page.wait_for_function(f"() => ({RESULTS})() === 100")
        assert page.locator(".search-more").count() == 1
    finally:
        context.close()
