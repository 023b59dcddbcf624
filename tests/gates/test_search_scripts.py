"""Search finds a word of a title in any script as it is typed. Two kinds of title found nothing: a word inside a
Chinese or Japanese title (written without spaces, so only the title's first characters were a "word start":
对齐 in 深度学习的对齐方法研究), and a word holding a mark the index folded away but the query kept (Japanese
データ, whose dakuten the index dropped as a combining mark and the browser's fold kept), or a final ς (λόγος,
which the index casefolds to σ and the browser only lowercased)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from .project import fixture_project, run_build
from .server import serve_site

pytestmark = pytest.mark.gates

TITLES = {
    "chinese": "深度学习的对齐方法研究",
    "japanese": "データセットの構築と評価",
    "hindi": "हिन्दी भाषा में मशीन अनुवाद",
    "english": "Reinforcement Learning from Human Feedback",
    "greek": "Λόγος και Αλήθεια",
}
PAPER = "---\ntitle: {title}\nauthors: [Juntao Dai]\ndate: 2024-05-01\ncategories: [cs.CL]\n---\nAn abstract.\n"
# A query, and the papers it must find: every paper whose title holds it, and no other.
QUERIES = [
    ("对齐", ["chinese"]),
    ("学习", ["chinese"]),
    ("深度学习", ["chinese"]),
    ("データ", ["japanese"]),
    ("評価", ["japanese"]),
    ("हिन्दी", ["hindi"]),
    ("अनुवाद", ["hindi"]),
    ("learning", ["english"]),
    ("earning", []),  # a Latin word is still found from its start only
    ("λόγος", ["greek"]),  # the index casefolds its final ς to σ; the browser lowercased it only
]


@pytest.fixture(scope="module")
def scripts_site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("search-scripts") / "project"
    papers = fixture_project(root)
    for path in papers.iterdir():
        path.unlink()
    for slug, title in TITLES.items():
        (papers / f"{slug}.md").write_text(PAPER.format(title=title), encoding="utf-8")
    out = root.parent / "site"
    run_build(root, out)
    with serve_site(out, "/") as url:
        yield url


def test_a_word_of_a_title_is_found_in_every_script(browser, scripts_site) -> None:
    context = browser.new_context()
    wrong = []
    try:
        tab = context.new_page()
        for query, expected in QUERIES:
            tab.goto(scripts_site + "search/?q=" + quote(query))
            tab.wait_for_selector("#search-page-results:not(:empty)")
            found = sorted(tab.locator("#search-page-results .search-result-title").all_inner_texts())
            if found != sorted(TITLES[slug] for slug in expected):
                wrong.append(f"{query!r} found {found}, expected {[TITLES[slug] for slug in expected]}")
    finally:
        context.close()
    assert not wrong, "\n".join(wrong)


def test_the_index_is_downloaded_when_the_visitor_starts_typing_not_when_the_box_gets_focus(
    browser, scripts_site
) -> None:
    """README: the index "is downloaded only when a visitor starts typing". search.js fetched it as soon as the
    box had focus, so a keyboard user tabbing past the box on every page downloaded every paper's entry."""
    context = browser.new_context()
    fetched = []
    try:
        tab = context.new_page()
        tab.on("request", lambda request: fetched.append(request.url) if "index.json" in request.url else None)
        tab.goto(scripts_site)
        tab.focus("input[type=search]")
        tab.wait_for_timeout(300)
        assert fetched == [], "the box's focus alone fetched the index"
        tab.keyboard.type("lear")
        tab.wait_for_selector(".search-result-title")
        assert fetched == [scripts_site + "search/index.json"]
    finally:
        context.close()
