"""A long list of papers is laid out and painted only where it is seen (`content-visibility: auto` on each card's
content), so a home page of thousands of cards loads and filters on a phone; skipping a box must clip no focus ring,
and the box that skips must be inside the <li> a filter hides (docs/performance.md has the measurements)."""

from __future__ import annotations

import pytest

from .project import BuiltSite

pytestmark = pytest.mark.gates

# Each card of the list: whether its title is rendered now, and the box that may skip its rendering.
CARDS = """(selector) => [...document.querySelectorAll(selector)].map((card) => {
  const title = card.querySelector('.paper-title a');
  let box = title;
  while (box && box !== card && getComputedStyle(box).contentVisibility !== 'auto') box = box.parentElement;
  return {
    title: title.textContent.trim(),
    rendered: title.checkVisibility({contentVisibilityAuto: true}),
    skipper: box === card ? 'li' : box ? box.tagName.toLowerCase() : null,
  };
})"""

# Room between the focused link's ring and the edges of the box that clips it (negative: the ring is cut).
RING_ROOM = """(link) => {
  let box = link.parentElement;
  while (box && getComputedStyle(box).contentVisibility !== 'auto') box = box.parentElement;
  if (!box) return null;
  const style = getComputedStyle(link);
  const ring = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
  const outer = box.getBoundingClientRect();
  const boxStyle = getComputedStyle(box);
  const left = outer.left + parseFloat(boxStyle.borderLeftWidth);
  const right = outer.right - parseFloat(boxStyle.borderRightWidth);
  const top = outer.top + parseFloat(boxStyle.borderTopWidth);
  const r = link.getClientRects()[0];
  return {ring: ring, left: r.left - ring - left, right: right - (r.right + ring), top: r.top - ring - top};
}"""


@pytest.mark.parametrize(
    ("path", "selector"),
    [("", "#all-papers > .paper"), ("coauthors/jiaming-ji/", ".papers > .paper.compact")],
)
def test_cards_off_screen_are_not_rendered(
    browser, built_sites: dict[str, BuiltSite], served_sites: dict[str, str], path: str, selector: str
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto(served_sites["root"] + path, wait_until="load")
        page.locator(selector).first.scroll_into_view_if_needed()
        page.wait_for_timeout(100)  # the browser decides what is near the view after a frame
        cards = page.evaluate(CARDS, selector)
    finally:
        context.close()
    assert len(cards) > 20, cards
    assert cards[0]["rendered"], "the first card, scrolled to, must be rendered"
    skipped = [card["title"] for card in cards if not card["rendered"]]
    assert len(skipped) > len(cards) // 2, f"only {len(skipped)} of {len(cards)} cards are skipped off screen"
    # Hiding a box that skips its rendering (a filter hides the <li>) restyled every card: 4 s a click at 1,000.
    assert {card["skipper"] for card in cards} == {"article" if path == "" else "div"}, cards


@pytest.mark.parametrize(
    ("path", "selector"),
    [("", "#all-papers > .paper .paper-title a"), ("coauthors/jiaming-ji/", ".paper.compact .paper-title a")],
)
def test_focus_ring_of_a_card_link_is_not_cut(
    browser, built_sites: dict[str, BuiltSite], served_sites: dict[str, str], path: str, selector: str
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto(served_sites["root"] + path, wait_until="load")
        link = page.locator(selector).first
        page.keyboard.press("Shift")  # a keyboard user: the focus that follows shows its ring (:focus-visible)
        link.focus()
        room = link.evaluate(RING_ROOM)
    finally:
        context.close()
    assert room is not None, "the card's content does not skip its rendering off screen"
    assert room["ring"] >= 3, room
    assert min(room["left"], room["right"], room["top"]) >= 0, f"the focus ring is cut by the card's box: {room}"
