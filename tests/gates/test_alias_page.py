"""An alias page (a paper's old address) is drawn in the visitor's colour scheme, as the site is: in a dark one it
was a white page for the moment before the browser moved on."""

from __future__ import annotations

import pytest

from .project import fixture_project, run_build
from .server import serve_site

pytestmark = pytest.mark.gates


@pytest.fixture(scope="module")
def alias_site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("alias") / "project"
    papers = fixture_project(root)
    paper = papers / "newest-first.md"
    text = paper.read_text("utf-8")
    paper.write_text(text.replace("\ndate:", "\naliases: [/publication/newest/]\ndate:", 1), "utf-8")
    out = root.parent / "site"
    run_build(root, out)
    with serve_site(out, "/") as url:
        yield url


@pytest.mark.parametrize(("scheme", "text"), [("dark", "rgb(255, 255, 255)"), ("light", "rgb(0, 0, 0)")])
def test_alias_page_follows_the_colour_scheme(browser, alias_site: str, scheme: str, text: str) -> None:
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        # The paper's page answers 204 No Content, so the browser stays on the alias page to be looked at.
        page.route(alias_site + "papers/newest-first/", lambda route: route.fulfill(status=204))
        page.goto(alias_site + "publication/newest/", wait_until="load")
        page.wait_for_timeout(200)
        assert page.url == alias_site + "publication/newest/"
        assert page.evaluate("getComputedStyle(document.body).color") == text
    finally:
        context.close()
