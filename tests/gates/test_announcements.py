"""What a screen reader hears when a script changes the page without moving focus (WCAG 4.1.3, status messages).

A live region is announced only when its text changes while it is in the accessibility tree: one added, or shown,
in the same moment as its text is heard by no screen reader reliably. So each test checks both that the message is
in a live region and that the region was there, not hidden, before the action.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gates

# Every live region of the page that is in the accessibility tree (not inside anything hidden), with its text.
_LIVE_REGIONS = """() => [...document.querySelectorAll('[aria-live], [role=status], [role=alert], [role=log]')]
  .filter((el) => !el.closest('[hidden]') && el.getAttribute('aria-live') !== 'off')
  .map((el) => ({id: el.id || el.className, text: el.textContent.trim()}))"""


def _live_region_ids(page) -> set[str]:
    return {region["id"] for region in page.evaluate(_LIVE_REGIONS)}


def _announced(page, before: set[str], words: str) -> list[dict[str, str]]:
    """Return the live regions, present before the action, whose text now holds `words`."""
    return [r for r in page.evaluate(_LIVE_REGIONS) if r["id"] in before and words.lower() in r["text"].lower()]


def test_copying_the_bibtex_is_announced(browser, served_sites) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(served_sites["root"] + "papers/aligner/", wait_until="load")
        button = page.locator(".copy-button")
        button.wait_for(state="visible")
        before = _live_region_ids(page)
        button.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelector('.copy-button').textContent === 'Copied'")
        assert "@" in page.evaluate("() => navigator.clipboard.readText()")
        regions = page.evaluate(_LIVE_REGIONS)
        assert _announced(page, before, "copied"), f"no live region says the BibTeX was copied: {regions}"
    finally:
        context.close()


def test_the_count_of_filtered_papers_is_announced_from_the_first_filter(browser, served_sites) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(served_sites["root"], wait_until="load")
        chip = page.locator("#filters button[data-filter=category][data-value='cs.CL']")
        chip.wait_for(state="visible")
        before = _live_region_ids(page)
        chip.focus()
        page.keyboard.press("Enter")
        assert chip.get_attribute("aria-pressed") == "true"
        shown = page.locator("#all-papers > li.paper:visible").count()
        said = f"Showing {shown} of 37 papers."
        regions = page.evaluate(_LIVE_REGIONS)
        assert _announced(page, before, said), f"{said!r} is in no live region there before the click: {regions}"
    finally:
        context.close()
