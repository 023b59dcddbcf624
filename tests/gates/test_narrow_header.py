"""At phone widths the site header is three tidy rows: the name beside the theme toggle, the links on one line, the
search. Nothing is hidden behind a script menu: every link and control stays in the tab order."""

from __future__ import annotations

import pytest

from .project import BuiltSite

pytestmark = pytest.mark.gates

# Every link, button and field of the header that shows, with its box and its name.
HEADER_CONTROLS = """() => [...document.querySelectorAll('.site-header a, .site-header button, .site-header input')]
  .filter((el) => el.getClientRects().length > 0)
  .map((el) => {
    const r = el.getBoundingClientRect();
    return {name: el.textContent.trim() || el.name, top: r.top, bottom: r.bottom, left: r.left, right: r.right,
            nav: el.closest('.site-nav ul') !== null};
  })"""
FOCUSED = "() => document.activeElement.textContent.trim() || document.activeElement.name || ''"


def rows(boxes: list[dict]) -> list[list[str]]:
    """Return the names of the boxes by row, left to right: a box whose middle falls within a row's height joins it."""
    grouped: list[tuple[float, float, list[dict]]] = []
    for box in sorted(boxes, key=lambda b: b["top"]):
        middle = (box["top"] + box["bottom"]) / 2
        for top, bottom, row in grouped:
            if top <= middle <= bottom:
                row.append(box)
                break
        else:
            grouped.append((box["top"], box["bottom"], [box]))
    return [[box["name"] for box in sorted(row, key=lambda b: b["left"])] for _, _, row in grouped]


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("path", ["", "categories/"])  # the current page's link is bold, so wider
def test_header_is_three_rows_on_a_phone(
    browser, built_sites: dict[str, BuiltSite], served_sites: dict[str, str], width: int, path: str
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(served_sites["root"] + path, wait_until="load")
        boxes = page.evaluate(HEADER_CONTROLS)
        found = rows(boxes)
        assert found == [
            ["Juntao Dai", "Dark theme"],
            ["Publications", "Categories", "Years", "Coauthors"],
            ["q", "Search"],
        ], found
        for box in boxes:
            assert box["right"] <= width - 16 + 0.5, f"{box['name']} reaches past the page's margin at {width}px"
            if box["nav"]:
                assert box["bottom"] - box["top"] >= 24, f"{box['name']} is a target under 24 px high (WCAG 2.5.8)"
        page.keyboard.press("Tab")  # the skip link
        order = []
        for _ in range(8):
            page.keyboard.press("Tab")
            order.append(page.evaluate(FOCUSED))
        assert order == [
            "Juntao Dai",
            "Publications",
            "Categories",
            "Years",
            "Coauthors",
            "Dark theme",
            "q",
            "Search",
        ]
    finally:
        context.close()
