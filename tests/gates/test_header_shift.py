"""The header does not move when the page's scripts start. On a long page the browser paints before the document
has finished loading, and the theme toggle, hidden in the HTML (it needs the script), used to appear then and push
the site's name, links, search box and the whole page: a layout shift at every load of a 1,000-paper home page."""

from __future__ import annotations

import pytest

from .project import BuiltSite

pytestmark = pytest.mark.gates

BOXES = """() => Object.fromEntries(['.site-name', '.site-nav ul', '.site-search', 'main'].map((selector) => {
  const r = document.querySelector(selector).getBoundingClientRect();
  return [selector, [r.left, r.top, r.width, r.height]];
}))"""
TOGGLE_SHOWN = "() => !document.querySelector('.theme-toggle').hidden"


@pytest.mark.parametrize("width", [375, 1280])
def test_the_header_keeps_its_place_when_the_scripts_start(
    browser, built_sites: dict[str, BuiltSite], served_sites: dict[str, str], width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    held = []
    try:
        page = context.new_page()
        # A deferred script not yet loaded holds DOMContentLoaded back, as a long page's parsing does: the page is
        # drawn while site.js's DOMContentLoaded work (showing the toggle) waits.
        page.route("**/search.js*", lambda route: held.append(route))
        page.goto(served_sites["root"], wait_until="commit")
        page.wait_for_selector(".site-footer", state="attached")
        page.wait_for_function("() => new Promise((done) => requestAnimationFrame(() => done(true)))")
        assert not page.evaluate(TOGGLE_SHOWN), "the toggle showed before DOMContentLoaded: the test sees nothing"
        before = page.evaluate(BOXES)
        held[0].continue_()
        page.wait_for_load_state("load")
        assert page.evaluate(TOGGLE_SHOWN)
        after = page.evaluate(BOXES)
    finally:
        context.close()
    assert after == before
