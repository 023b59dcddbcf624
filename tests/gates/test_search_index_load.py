"""The search index is downloaded when a visitor searches, not when the keyboard passes through the search box.

The box is in every page's header, between the links and the page: tabbing to the page's content went through it,
and its focus fetched search/index.json (3.9 MB gzip'd at 10,000 papers, 1.8 s of parsing on a phone-speed CPU)
on every page a keyboard user visited. A keystroke in the box, or a tap or click on it, loads the index."""

from __future__ import annotations

import pytest

from .project import BuiltSite

pytestmark = pytest.mark.gates

FOCUSED = "() => document.activeElement.id"


def index_requests(page) -> list[str]:
    """Record every request for the search index the page makes; return the list it fills."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if "search/index.json" in request.url else None)
    return seen


def test_tabbing_through_the_search_box_loads_no_index(
    browser, built_sites: dict[str, BuiltSite], served_sites: dict[str, str]
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        seen = index_requests(page)
        page.goto(served_sites["root"], wait_until="load")
        passed = False
        for _ in range(20):
            page.keyboard.press("Tab")
            if page.evaluate(FOCUSED) == "search-input":
                passed = True
            elif passed:
                break
        assert passed, "Tab never reached the search box"
        page.wait_for_timeout(300)
        assert seen == [], "the index was fetched as the focus passed through the search box"
        page.focus("#search-input")
        page.keyboard.type("safety")
        page.wait_for_selector("#search-results .search-result")
        assert len(seen) == 1, seen
    finally:
        context.close()


def test_a_tap_on_the_search_box_loads_the_index(
    browser, built_sites: dict[str, BuiltSite], served_sites: dict[str, str]
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        seen = index_requests(page)
        page.goto(served_sites["root"], wait_until="load")
        page.tap("#search-input")  # a visitor about to type: the index is on its way meanwhile
        page.wait_for_timeout(300)
        assert len(seen) == 1, seen
    finally:
        context.close()
