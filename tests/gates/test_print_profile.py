"""On paper the profile's links show their addresses, as a paper page's links do: a printed "GitHub" leads nowhere;
and each paper is printed once."""

from __future__ import annotations

import pytest

from .project import BuiltSite

pytestmark = pytest.mark.gates

PRINTED = """() => [...document.querySelectorAll('.profile-links a')].map((a) => ({
  label: a.textContent, href: a.href, after: getComputedStyle(a, '::after').content,
  line: Math.round(a.getBoundingClientRect().top)}))"""


def test_printed_profile_links_show_their_addresses(
    browser, built_sites: dict[str, BuiltSite], served_sites: dict[str, str]
) -> None:
    context = browser.new_context(viewport={"width": 800, "height": 1000})
    try:
        page = context.new_page()
        page.emulate_media(media="print")
        page.goto(served_sites["root"], wait_until="load")
        links = page.evaluate(PRINTED)
    finally:
        context.close()
    assert [link["label"] for link in links] == ["GitHub", "Google Scholar"]
    for link in links:
        assert link["after"] == f'" {link["href"]}"', link
    assert len({link["line"] for link in links}) == len(links), "one link to a line"


def test_the_home_page_prints_each_paper_once(
    browser, built_sites: dict[str, BuiltSite], served_sites: dict[str, str]
) -> None:
    """The selected papers were printed under "Selected publications" and again in the full list."""
    context = browser.new_context(viewport={"width": 800, "height": 1000})
    try:
        page = context.new_page()
        page.goto(served_sites["root"], wait_until="load")
        on_screen = page.evaluate("() => document.querySelectorAll('.featured .paper-title').length")
        page.emulate_media(media="print")
        printed = page.evaluate(
            """() => [...document.querySelectorAll('.paper-title a')]
                .filter((a) => a.getClientRects().length).map((a) => a.getAttribute('href'))"""
        )
    finally:
        context.close()
    assert on_screen > 0  # the default site features papers: the test can fail
    assert len(printed) == len(set(printed)) == 37
