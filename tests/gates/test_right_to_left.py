"""An Arabic site is laid out as the mirror of an English one, and text in the other direction keeps its order.

The fixture `tests/fixtures/right-to-left/` (Arabic, Hebrew and English titles, names and affiliations) is built
as it is (`language: ar`) and as an English site, and boxes are measured in Chromium: where the site's name sits,
which side a card starts from.
"""

from __future__ import annotations

import contextlib
import shutil

import pytest

from .project import REPO_ROOT, run_build
from .server import serve_site

pytestmark = pytest.mark.gates

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "right-to-left"

# The box of each thing measured, in CSS pixels: left and right edges.
BOXES = """() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right}; };
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
    card: box(card('Safe Reinforcement').querySelector('article')),
  };
}"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory):
    """Build the fixture in Arabic and in English and serve both; yield their URLs by language."""
    urls = {}
    with contextlib.ExitStack() as stack:
        for language in ("ar", "en"):
            root = tmp_path_factory.mktemp(f"rtl-{language}") / "project"
            shutil.copytree(FIXTURE, root)
            for name in ("layouts", "assets"):
                shutil.copytree(REPO_ROOT / name, root / name)
            shutil.copyfile(REPO_ROOT / "build.py", root / "build.py")
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
