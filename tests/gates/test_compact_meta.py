"""A compact entry (year, tag, venue and coauthor pages) reads "Venue, 2026" with one word space after the comma."""

from __future__ import annotations

import pytest

from .project import BuiltSite

pytestmark = pytest.mark.gates

GAPS = """() => {
  const meta = document.querySelector('.paper.compact .paper-meta');
  const probe = document.createElement('span');
  meta.append(probe);
  probe.textContent = 'a b';
  const spaced = probe.getBoundingClientRect().width;
  probe.textContent = 'ab';
  const space = spaced - probe.getBoundingClientRect().width;
  probe.remove();
  const [venue, year] = meta.children;
  return {gap: year.getBoundingClientRect().left - venue.getBoundingClientRect().right, space: space,
          text: meta.textContent};
}"""


def test_venue_and_year_are_one_space_apart(
    browser, built_sites: dict[str, BuiltSite], served_sites: dict[str, str]
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(served_sites["root"] + "coauthors/jiaming-ji/", wait_until="load")
        found = page.evaluate(GAPS)
    finally:
        context.close()
    assert found["text"].endswith(", 2026"), found
    assert found["gap"] <= found["space"] + 1, found
