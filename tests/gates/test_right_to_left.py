"""An Arabic site is laid out as the mirror of an English one, and text in the other direction keeps its order.

The fixture `tests/fixtures/right-to-left/` (Arabic, Hebrew and English titles, names and affiliations) is built
as it is (`language: ar`) and as an English site, and boxes are measured in Chromium: where the site's name sits,
which side a card starts from, and in which order names of the other direction are drawn.
"""

from __future__ import annotations

import contextlib

import pytest

from .project import REPO_ROOT, fixture_project, run_build
from .server import serve_site

pytestmark = pytest.mark.gates

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "right-to-left"

# The box of each thing measured, in CSS pixels: left and right edges.
BOXES = """() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right}; };
  // A card's content box: the card has padding for its links' focus rings, taken back by a negative margin.
  const inner = (el) => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return {left: r.left + parseFloat(s.paddingLeft), right: r.right - parseFloat(s.paddingRight)};
  };
  const nav = document.querySelector('.site-nav');
  const pad = parseFloat(getComputedStyle(nav).paddingLeft);
  const cards = [...document.querySelectorAll('#all-papers .paper')];
  const card = (text) => cards.find((c) => c.querySelector('.paper-title').textContent.includes(text));
  return {
    nav: {left: nav.getBoundingClientRect().left + pad, right: nav.getBoundingClientRect().right - pad},
    name: box(document.querySelector('.site-name')),
    avatar: box(document.querySelector('.avatar')),
    heading: box(document.querySelector('#profile-name')),
    badge: box(card('Safe Reinforcement').querySelector('.badge.category')),
    card: inner(card('Safe Reinforcement').querySelector('article')),
  };
}"""

# For each named paper's card: its title's direction, and the boxes of the title, its text and its names.
TITLE_AND_NAMES = """(text) => {
  const card = [...document.querySelectorAll('#all-papers .paper')]
    .find((c) => c.querySelector('.paper-title').textContent.includes(text));
  const title = card.querySelector('.paper-title');
  const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top}; };
  const names = {};
  for (const el of card.querySelectorAll('.authors strong, .authors a, .authors bdi')) {
    names[el.textContent.trim()] = box(el);
  }
  const words = {};
  const affiliations = card.querySelector('.affiliations');
  if (affiliations) {
    const text = affiliations.firstChild;
    for (const word of ['جامعة المثال', 'معهد الاختبار']) {
      const range = document.createRange();
      const at = text.data.indexOf(word);
      range.setStart(text, at); range.setEnd(text, at + word.length);
      words[word] = box(range);
    }
  }
  return {direction: getComputedStyle(title).direction, title: box(title), text: box(title.firstElementChild),
          names, affiliations: words};
}"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory):
    """Build the fixture in Arabic and in English and serve both; yield their URLs by language."""
    urls = {}
    with contextlib.ExitStack() as stack:
        for language in ("ar", "en"):
            root = tmp_path_factory.mktemp(f"rtl-{language}") / "project"
            fixture_project(root, FIXTURE.name)
            settings = root / "paperfolio.yaml"
            text = settings.read_text("utf-8").replace("language: ar\n", f"language: {language}\n")
            settings.write_text(text, "utf-8")
            out = root.parent / "site"
            run_build(root, out)
            urls[language] = stack.enter_context(serve_site(out, "/"))
        yield urls


def measure(browser, url: str, width: int, script: str, arg: str | None = None):
    """Load `url` at `width` px and return what `script` finds."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        return page.evaluate(script, arg)
    finally:
        context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_an_arabic_site_starts_at_the_right(browser, sites, width: int) -> None:
    boxes = measure(browser, sites["ar"], width, BOXES)
    assert abs(boxes["name"]["right"] - boxes["nav"]["right"]) < 1, boxes  # the site's name at the right edge
    assert boxes["name"]["left"] > boxes["nav"]["left"] + 100, boxes
    assert abs(boxes["badge"]["right"] - boxes["card"]["right"]) < 1, boxes  # a card's badge at its right edge
    assert abs(boxes["avatar"]["right"] - boxes["card"]["right"]) < 1, boxes  # the photo at the right
    if width > 600:  # beside the name, which is to its left
        assert boxes["heading"]["right"] < boxes["avatar"]["left"], boxes


@pytest.mark.parametrize("width", [375, 1280])
def test_an_english_site_starts_at_the_left(browser, sites, width: int) -> None:
    boxes = measure(browser, sites["en"], width, BOXES)
    assert abs(boxes["name"]["left"] - boxes["nav"]["left"]) < 1, boxes
    assert abs(boxes["badge"]["left"] - boxes["card"]["left"]) < 1, boxes
    assert abs(boxes["avatar"]["left"] - boxes["card"]["left"]) < 1, boxes


def test_an_english_title_on_an_arabic_site_runs_left_to_right_from_the_pages_edge(browser, sites) -> None:
    card = measure(browser, sites["ar"], 1280, TITLE_AND_NAMES, "Safe Reinforcement")
    assert card["direction"] == "ltr"  # so "(Part 2)" keeps its parentheses at its end
    assert abs(card["text"]["right"] - card["title"]["right"]) < 1, card  # lined up with the other titles
    names = card["names"]
    # Read from the right: Ada Lovelace, ليلى حسن, Grace Hopper, Alan Turing. Unisolated, the last two were one
    # left-to-right run, "Grace Hopper, Alan Turing", read backwards from the right.
    order = sorted(names, key=lambda n: -names[n]["right"])
    assert order == ["Ada Lovelace", "ليلى حسن", "Grace Hopper", "Alan Turing"], names


def test_arabic_names_on_an_english_site_keep_their_order(browser, sites) -> None:
    card = measure(browser, sites["en"], 1280, TITLE_AND_NAMES, "التعلم المعزز")
    assert card["direction"] == "rtl"
    assert abs(card["text"]["left"] - card["title"]["left"]) < 1, card
    names = card["names"]
    # Read from the left. Unisolated, the two Arabic names were one right-to-left run, the second drawn first.
    assert sorted(names, key=lambda n: names[n]["left"]) == ["ليلى حسن", "أحمد خالد", "Ada Lovelace"], names
    words = card["affiliations"]
    assert words["جامعة المثال"]["right"] < words["معهد الاختبار"]["left"], words


# The left edge of each of these words in the first search result whose title has `title` in it.
RESULT_WORDS = """([title, words]) => {
  const result = [...document.querySelectorAll('#search-results .search-result')]
    .find((r) => r.querySelector('.search-result-title').textContent.includes(title));
  const found = {};
  const walker = document.createTreeWalker(result.querySelector('.search-result-meta'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const word of words) {
      const at = node.data.indexOf(word);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at); range.setEnd(node, at + word.length);
      found[word] = range.getBoundingClientRect().left;
    }
  }
  return found;
}"""


def test_search_results_keep_the_order_of_arabic_names(browser, sites) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(sites["en"], wait_until="load")
        page.fill("#search-input", "ليلى")
        page.wait_for_selector("#search-results .search-result")
        names = ["ليلى حسن", "أحمد خالد", "Ada Lovelace"]
        left = page.evaluate(RESULT_WORDS, ["التعلم", names])
    finally:
        context.close()
    assert sorted(left, key=left.get) == names, left
