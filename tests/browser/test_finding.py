"""Finding papers in a real browser: search, no single-key shortcut, keyboard-only results, filters, coauthor links.

The default site is built under `/repo/` (a GitHub project path) and served by a local HTTP server that maps
`/repo/` to the output folder. Debian's Chromium is driven by Playwright; these tests skip, with the reason, when
either is missing, unless PAPERFOLIO_REQUIRE_GATES=1 makes that a failure.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-quic"]
BASE = "/repo/"


def unavailable() -> str | None:
    """Return why the browser tests cannot run here, or None."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install playwright; never `playwright install`)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the default site under /repo/, serve it on a free port, and yield its home URL."""
    reason = unavailable()
    if reason:
        if os.environ.get("PAPERFOLIO_REQUIRE_GATES") == "1":
            pytest.fail(f"PAPERFOLIO_REQUIRE_GATES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("finding") / "site"
    command = [sys.executable, "build.py", "--output", str(out), "--base-url", BASE]
    built = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stdout + built.stderr

    class Handler(SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            path = urlsplit(path).path
            inside = path[len(BASE) :] if path.startswith(BASE) else "\0missing"
            return super().translate_path("/" + inside)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{BASE}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(site: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        running = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield running
        running.close()


@pytest.fixture
def page(browser, site: str) -> Iterator[object]:
    """A fresh page that fails the test on any script error or request to another host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    host = urlsplit(site).netloc
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).netloc == host
            else route.abort() or problems.append(f"request to another host: {route.request.url}")
        ),
    )
    tab = context.new_page()
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    tab.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    yield tab
    context.close()
    assert problems == []


def search(page, site: str, query: str) -> list[str]:
    """Open the home page, type into the search box and return the result titles."""
    page.goto(site)
    page.fill("#search-input", query)
    page.wait_for_selector("#search-results:not([hidden])")
    return page.locator("#search-results .search-result-title").all_inner_texts()


def test_a_title_word_finds_the_paper_and_title_matches_rank_first(page, site):
    titles = search(page, site, "gymnasium")
    assert titles == ["Safety-Gymnasium: A Unified Safe Reinforcement Learning Benchmark"]
    assert page.locator("#search-status").inner_text() == "1 paper matches “gymnasium”."
    page.goto(site + "search/?q=alignment")
    page.wait_for_selector("#search-page-results .search-result")
    titles = page.locator("#search-page-results .search-result-title").all_inner_texts()
    in_title = ["alignment" in t.lower() for t in titles]
    assert True in in_title and False in in_title  # some match in the title, others elsewhere
    assert in_title == sorted(in_title, reverse=True)  # ...and title matches come first


def test_a_coauthor_name_a_prefix_and_an_accentless_query_find_papers(page, site):
    assert len(search(page, site, "Yike Guo")) >= 8  # the drop-down shows eight
    assert "13 papers match" in page.locator("#search-status").inner_text()
    assert any("Safe Reinforcement Learning" in t for t in search(page, site, "reinfor"))
    assert any(t.startswith("The Singapore Consensus") for t in search(page, site, "zikelic moller"))
    assert any(t.startswith("The Singapore Consensus") for t in search(page, site, "ŽIKELIĆ"))


def test_no_single_key_shortcut_and_the_keyboard_alone_reaches_a_result(page, site):
    page.goto(site + "years/")
    # WCAG 2.1.4: a character key must not act on its own (and `/` is Firefox's quick find), so `/` is left alone.
    assert page.get_attribute("#search-input", "aria-keyshortcuts") is None
    assert "/" not in (page.get_attribute("#search-input", "placeholder") or "")
    page.evaluate("window.__slash = new KeyboardEvent('keydown', {key: '/', bubbles: true, cancelable: true})")
    page.evaluate("document.body.dispatchEvent(window.__slash)")
    assert page.evaluate("window.__slash.defaultPrevented") is False
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") != "search-input"
    page.keyboard.press("Escape")
    for _ in range(20):  # Tab: the skip link, the site's name, the nav links, the theme toggle, then the box
        if page.evaluate("document.activeElement.id") == "search-input":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.type("beavertails")
    page.wait_for_selector("#search-results:not([hidden])")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('.search-result') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url("**/repo/papers/beavertails/")


def test_tab_reaches_results_and_escape_closes_them(page, site):
    search(page, site, "aligner")
    page.keyboard.press("Tab")  # the Search button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#search-results') !== null")
    page.keyboard.press("Escape")
    assert page.locator("#search-results").is_hidden()
    assert page.evaluate("document.activeElement.id") == "search-input"


def test_the_search_page_reads_q_and_enter_in_the_box_leads_there(page, site):
    page.goto(site)
    page.fill("#search-input", "safe")
    page.keyboard.press("Enter")
    page.wait_for_url("**/repo/search/?q=safe")
    page.wait_for_selector("#search-page-results .search-result")
    count = page.locator("#search-page-results .search-result").count()
    assert count > 8 and f"{count} papers match" in page.inner_text("#search-page-results")


def test_filters_combine_show_matching_cards_and_live_in_the_url(page, site):
    page.goto(site)
    page.click("#filters button[data-filter=year][data-value='2024']")
    page.click("#filters button[data-filter=type][data-value=conference]")
    assert page.url.endswith("?year=2024&type=conference")
    visible = page.locator("#all-papers > li.paper:visible")
    shown = [(c.get_attribute("data-year"), c.get_attribute("data-type")) for c in visible.all()]
    assert shown and set(shown) == {("2024", "conference")}
    assert page.locator("#filter-count").inner_text() == f"Showing {len(shown)} of 37 papers."
    assert page.locator(".featured").is_hidden()
    # A shared URL opens with the same view.
    page.goto(site + "?category=cs.RO&code=yes")
    assert page.locator("#all-papers > li.paper:visible").count() == 1
    assert page.get_attribute("#filters button[data-value='cs.RO']", "aria-pressed") == "true"
    page.click(".filter-clear")
    assert page.locator("#all-papers > li.paper:visible").count() == 37 and page.url == site


def test_a_coauthor_link_leads_to_the_shared_papers(page, site):
    page.goto(site + "papers/aligner/")
    page.click("a.coauthor:text-is('Tianyi Qiu')")
    page.wait_for_url("**/repo/coauthors/tianyi-qiu/")
    assert page.inner_text("h1") == "Tianyi Qiu"
    assert page.locator("a[href='/repo/papers/aligner/']").count() >= 1
    assert page.locator(".owner").count() >= 1 and page.locator("a.coauthor:text-is('Juntao Dai')").count() == 0


def test_on_a_phone_search_fits_and_finds(browser, site):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        phone = context.new_page()
        titles = search(phone, site, "2023 dataset")
        assert any(t.startswith("BeaverTails") for t in titles)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


def test_without_javascript_the_box_leads_to_a_page_of_lists(browser, site):
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(site)
        plain.fill("#search-input", "safe")
        plain.keyboard.press("Enter")
        plain.wait_for_url("**/repo/search/?q=safe")
        assert "Search needs JavaScript" in plain.inner_text("main")
        assert plain.locator("main a[href='/repo/years/']").count() == 1
        # The filters are plain links to the pages listing the same papers.
        plain.goto(site)
        plain.click("#filters a[data-value='2024']")
        plain.wait_for_url("**/repo/years/2024/")
    finally:
        context.close()


def test_axe_finds_nothing_with_results_open_on_the_search_page_or_with_filters_on(page, site):
    sys.path.insert(0, str(REPO))
    from tests.gates.browser import find_axe_violations

    search(page, site, "safe")
    problems = find_axe_violations(page)
    page.goto(site + "search/?q=alignment")
    page.wait_for_selector("#search-page-results .search-result")
    problems += find_axe_violations(page)
    page.goto(site)
    page.click("#filters button[data-filter=year][data-value='2024']")
    page.locator("#all-papers > li.paper:visible details.abstract summary").first.click()  # an abstract opened
    problems += find_axe_violations(page)
    assert problems == []


def test_printed_pages_keep_the_whole_citation_and_drop_the_controls(page, site):
    page.goto(site + "papers/aligner/")
    page.emulate_media(media="print")
    bibtex = page.locator("pre.bibtex")
    assert bibtex.evaluate("e => e.scrollWidth <= e.clientWidth")  # wrapped, not cut off at the margin
    assert page.locator(".cite-actions").is_hidden() and page.locator(".site-header").is_hidden()
    page.goto(site)
    page.emulate_media(media="print")
    all_papers = page.locator("section[aria-labelledby='all-heading'] .paper")  # the selected ones print once, there
    assert page.locator("#filters").is_hidden() and all_papers.first.is_visible()


@pytest.mark.parametrize("chosen", [None, "dark"])
def test_a_page_printed_from_the_dark_scheme_prints_dark_on_white(browser, site, chosen):
    """print.css resets the palette: with the system's dark scheme, or the toggle's data-theme="dark", the
    BibTeX block printed #e6e9ed on #1e242b (with background graphics on) and muted text stayed light."""
    context = browser.new_context(color_scheme="dark")
    try:
        tab = context.new_page()
        tab.goto(site + "papers/aligner/")
        if chosen:
            tab.evaluate(f"document.documentElement.setAttribute('data-theme', '{chosen}')")
        tab.emulate_media(media="print", color_scheme="dark")
        colours = tab.evaluate(
            """() => Object.fromEntries([['body', 'body'], ['bibtex', 'pre.bibtex'], ['muted', '.paper-meta time'],
                ['badge', '.badge.category']].map(([name, selector]) => {
              const s = getComputedStyle(document.querySelector(selector));
              return [name, [s.color, s.backgroundColor]];
            }))"""
        )
    finally:
        context.close()
    white = ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")

    def dark(colour: str) -> bool:
        return max(int(part) for part in colour[colour.index("(") + 1 : -1].split(",")[:3]) <= 0x60

    for name, (colour, background) in colours.items():
        assert dark(colour) and background in white, (name, colour, background)


def test_a_pressed_chip_shows_a_mark_besides_its_colour_and_moves_no_other_chip(page, site):
    """WCAG 1.4.1: the pressed state was only a background colour, which forced-colours mode drops too."""
    page.goto(site)
    chips = page.locator("#filters button.chip")
    chip = page.locator("#filters button[data-filter=year][data-value='2024']")

    def mark() -> str:
        return chip.evaluate("e => getComputedStyle(e, '::before').content")

    def places() -> list[tuple[float, float, float]]:
        return chips.evaluate_all(
            """all => all.map((e) => {
              const r = e.getBoundingClientRect(), box = document.getElementById("filters").getBoundingClientRect();
              return [r.x - box.x, r.y - box.y, r.width];
            })"""
        )

    before, off = places(), mark()
    chip.click()
    assert chip.get_attribute("aria-pressed") == "true"
    assert "\u2713" in mark() and "\u2713" not in off
    assert places() == before
    page.emulate_media(forced_colors="active")
    styles = chip.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]")
    other = page.locator("#filters button[data-filter=year][data-value='2023']")
    assert styles != other.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]")


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two computed `rgb(…)` colours."""

    def luminance(colour: str) -> float:
        channels = [int(part) / 255 for part in colour[colour.index("(") + 1 : -1].split(",")[:3]]
        r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_theme_toggle_shows_its_state_and_toggling_back_follows_the_system(browser, site, scheme):
    """The toggle looked the same pressed and not (WCAG 1.4.1), its border was 1.4:1 in dark (1.4.11), and once
    used the site never followed the system's scheme again."""
    context = browser.new_context(color_scheme=scheme)
    try:
        tab = context.new_page()
        tab.goto(site)
        toggle = tab.locator(".theme-toggle")
        read = """e => { const s = getComputedStyle(e), h = getComputedStyle(document.querySelector('.site-header'));
                         return {pressed: e.getAttribute('aria-pressed'), background: s.backgroundColor,
                                 border: s.borderTopColor, header: h.backgroundColor,
                                 mark: getComputedStyle(e, '::before').content}; }"""
        first = toggle.evaluate(read)
        assert first["pressed"] == ("true" if scheme == "dark" else "false")
        assert contrast(first["border"], first["header"]) >= 3, first
        toggle.click()
        second = toggle.evaluate(read)
        assert second["pressed"] != first["pressed"]
        assert (second["background"], second["mark"]) != (first["background"], first["mark"])
        pressed = first if first["pressed"] == "true" else second
        assert "\u2713" in pressed["mark"]
        assert tab.evaluate("localStorage.getItem('paperfolio-theme')") == ("light" if scheme == "dark" else "dark")
        tab.reload()
        assert toggle.evaluate(read) == second  # remembered
        toggle.click()  # back to the system's scheme: forgotten, and the page follows the system again
        assert tab.evaluate("localStorage.getItem('paperfolio-theme')") is None
        assert tab.evaluate("document.documentElement.hasAttribute('data-theme')") is False
        other = "light" if scheme == "dark" else "dark"
        tab.emulate_media(color_scheme=other)
        expected = "true" if other == "dark" else "false"  # the media query's change event comes a moment later
        for _ in range(40):
            if toggle.get_attribute("aria-pressed") == expected:
                break
            tab.wait_for_timeout(25)
        assert toggle.get_attribute("aria-pressed") == expected
    finally:
        context.close()


def test_the_keyboard_skips_a_long_author_list_to_the_links(page, site):
    page.goto(site + "papers/singapore-consensus/")
    skip = page.locator(".skip-authors")
    assert skip.evaluate("e => e.getBoundingClientRect().width") <= 1  # hidden until focused
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('skip-authors')"):
            break
    assert page.evaluate("document.activeElement.classList.contains('skip-authors')")
    assert skip.evaluate("e => e.getBoundingClientRect().width") > 100  # shown while focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('ul.links') !== null")


@pytest.mark.parametrize("width", [320, 375, 600, 1280])
def test_the_year_charts_labels_are_readable_on_a_phone_and_stay_inside_it(browser, site, width):
    """The chart's 640-unit labels were 18 units, drawn 8-9 CSS px at 320-375 px."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        tab = context.new_page()
        tab.goto(site + "years/")
        labels = tab.locator("svg.chart text").evaluate_all(
            """all => all.map((e) => {
              const box = e.getBoundingClientRect(), svg = e.ownerSVGElement.getBoundingClientRect();
              return {size: parseFloat(getComputedStyle(e).fontSize) * e.getScreenCTM().a, text: e.textContent,
                      inside: box.top >= svg.top - 0.5 && box.bottom <= svg.bottom + 0.5, left: box.left,
                      right: box.right, year: e.classList.contains('chart-year')};
            })"""
        )
    finally:
        context.close()
    assert labels
    for label in labels:
        assert label["size"] >= 12 and label["inside"], label
    years = sorted((label for label in labels if label["year"]), key=lambda label: label["left"])
    assert all(a["right"] < b["left"] for a, b in zip(years, years[1:], strict=False))


def test_a_printed_paper_page_keeps_its_links_with_their_addresses(page, site):
    """print.css hid `.links`, so a printed paper page lost its arXiv and code addresses."""
    page.goto(site + "papers/aligner/")
    page.emulate_media(media="print")
    links = page.locator(".paper-page ul.links")
    assert links.is_visible()
    printed = links.locator("a").evaluate_all(
        "all => all.map((a) => [a.getAttribute('href'), getComputedStyle(a, '::after').content])"
    )
    assert printed and all(href in after for href, after in printed), printed
    assert any("arxiv.org" in href for href, _ in printed)
    page.goto(site)
    page.emulate_media(media="print")
    assert page.locator(".paper .links").first.is_hidden()  # the printed list stays a list of papers


@pytest.mark.parametrize("width", [375, 1280])
def test_inline_math_is_neither_clipped_nor_given_a_scrollbar(browser, site, width):
    """`overflow-y: hidden` cut the glyphs' overshoot (scrollHeight 17 in a 16 px box)."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        tab = context.new_page()
        boxes = []
        for path in ("", "papers/safe-rlhf-v/"):
            tab.goto(site + path)
            boxes += tab.locator("math").evaluate_all(
                "all => all.map((m) => [m.scrollHeight, m.clientHeight, m.scrollWidth, m.clientWidth])"
            )
    finally:
        context.close()
    assert boxes
    for scroll_height, client_height, scroll_width, client_width in boxes:
        assert scroll_height <= client_height and scroll_width <= client_width, boxes
