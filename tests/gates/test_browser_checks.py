"""Each browser check fails on a hand-written page built to break it, and passes a clean page; so does the server."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .browser import audit_page
from .handmade import write_site
from .server import serve_site

CSP = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; img-src 'self' data:\">"
STYLE = """
body { font-family: sans-serif; color: #111; background: #fff; margin: 1rem; }
@media (prefers-color-scheme: dark) { body { color: #eee; background: #111; } a { color: #9cf; } }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; outline: 3px solid currentColor; }
.faint { color: #bbb; }
@media (prefers-color-scheme: dark) { .faint-in-dark { color: #333; } }
.wide { width: 600px; }
.no-ring:focus { outline: none; }
"""


def doc(body: str, *, head: str = CSP, title: str = "Test page") -> str:
    """Return a page that passes every browser check until `body` or `head` breaks one."""
    return (
        f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n{head}\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{title}</title>\n<link rel="stylesheet" href="/portfolio/style.css">\n</head>\n'
        f'<body>\n<a class="skip" href="#main">Skip to content</a>\n<main id="main">\n<h1>Title</h1>\n{body}\n'
        "</main>\n</body>\n</html>\n"
    )


PAGES = {
    "style.css": STYLE,
    "good/index.html": doc('<p>Fine text with <a href="/portfolio/">a link</a>.</p>'),
    "console/index.html": doc('<script src="/portfolio/console.js"></script>'),
    "console.js": "console.error('something broke');\n",
    "exception/index.html": doc('<script src="/portfolio/throw.js"></script>'),
    "throw.js": "null.property;\n",
    "missing/index.html": doc('<img src="/portfolio/missing.png" alt="a picture">'),
    "offhost/index.html": doc(
        '<img src="http://images.example.invalid/a.png" alt="a picture">',
        head='<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; img-src *">',
    ),
    "csp/index.html": doc("<script>document.title = 'inline';</script>"),
    "no-csp/index.html": doc("<p>No policy.</p>", head=""),
    "contrast/index.html": doc('<p class="faint">Hard to read.</p>'),
    "dark-contrast/index.html": doc('<p class="faint-in-dark">Hard to read in the dark.</p>'),
    "wide/index.html": doc('<div class="wide">Too wide for a phone.</div>'),
    "no-focus-ring/index.html": doc('<p><a class="no-ring" href="/portfolio/">Home</a></p>').replace(
        '<a class="skip" href="#main">Skip to content</a>\n', ""
    ),
    "hidden-focus/index.html": doc("<p>x</p>").replace('class="skip"', 'class="skip" style-hidden'),
    "nothing-to-focus/index.html": doc("<p>No links at all.</p>").replace(
        '<a class="skip" href="#main">Skip to content</a>\n', ""
    ),
    "unnamed-button/index.html": doc("<button></button>"),
    "404.html": doc('<p><a href="/portfolio/">Home</a></p>', title="Not found"),
    "relative-404/404.html": doc(
        "<p>x</p>", head=CSP + '\n<link rel="stylesheet" href="style.css">', title="Not found"
    ),
}
# A skip link that stays off screen when focused: its own stylesheet rule wins over `.skip:focus`.
PAGES["style.css"] += ".skip[style-hidden] { left: -999px !important; }\n"


@pytest.fixture(scope="module")
def test_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = write_site(tmp_path_factory.mktemp("browser-checks"), PAGES)
    with serve_site(site, "/portfolio/") as base:
        yield base


def only(problems: list[str], text: str) -> str:
    """Assert that exactly one problem mentions `text` and return it."""
    matching = [problem for problem in problems if text in problem]
    assert len(matching) == 1, problems
    return matching[0]


@pytest.mark.parametrize(("scheme", "width"), [("light", 375), ("dark", 1280)])
def test_clean_page_passes(browser, test_site: str, scheme: str, width: int) -> None:
    assert audit_page(browser, test_site + "good/", color_scheme=scheme, width=width) == []


def test_console_error_fails(browser, test_site: str) -> None:
    problems = audit_page(browser, test_site + "console/", axe=False)
    assert problems == [f"console error: something broke ({test_site}console.js:1)"]


def test_uncaught_exception_fails(browser, test_site: str) -> None:
    only(audit_page(browser, test_site + "exception/", axe=False), "uncaught exception: Cannot read properties of null")


def test_missing_resource_fails(browser, test_site: str) -> None:
    problems = audit_page(browser, test_site + "missing/", axe=False)
    only(problems, f"HTTP 404 for {test_site}missing.png")


def test_request_to_another_host_fails(browser, test_site: str) -> None:
    problems = audit_page(browser, test_site + "offhost/", axe=False)
    assert problems == ["request to another host: http://images.example.invalid/a.png"]


def test_csp_violation_fails(browser, test_site: str) -> None:
    problems = audit_page(browser, test_site + "csp/", axe=False)
    only(problems, "CSP violation: script-src-elem blocked inline (")


def test_missing_csp_fails(browser, test_site: str) -> None:
    assert audit_page(browser, test_site + "no-csp/", axe=False) == [
        "no <meta http-equiv=Content-Security-Policy> in the page"
    ]


def test_low_contrast_fails(browser, test_site: str) -> None:
    problem = only(audit_page(browser, test_site + "contrast/"), "axe color-contrast")
    assert "(serious, 1 element(s))" in problem


def test_contrast_is_checked_in_each_colour_scheme(browser, test_site: str) -> None:
    assert audit_page(browser, test_site + "dark-contrast/", color_scheme="light") == []
    only(audit_page(browser, test_site + "dark-contrast/", color_scheme="dark"), "axe color-contrast")


def test_critical_axe_violation_fails(browser, test_site: str) -> None:
    only(audit_page(browser, test_site + "unnamed-button/"), "axe button-name (critical")


def test_sideways_scrolling_on_a_phone_fails(browser, test_site: str) -> None:
    assert audit_page(browser, test_site + "wide/", width=1280, axe=False) == []
    problem = only(audit_page(browser, test_site + "wide/", width=375, axe=False), "scrolls sideways at 375px")
    assert "<div class=wide>" in problem


def test_focus_without_a_visible_indicator_fails(browser, test_site: str) -> None:
    problems = audit_page(browser, test_site + "no-focus-ring/", axe=False)
    assert problems == ['Tab moved focus to <a> "Home", which looks the same focused and unfocused']


def test_focus_on_an_element_off_screen_fails(browser, test_site: str) -> None:
    problems = audit_page(browser, test_site + "hidden-focus/", axe=False)
    assert problems == ['Tab moved focus to <a> "Skip to content", which is not visible on screen']


def test_page_with_nothing_to_focus_fails(browser, test_site: str) -> None:
    assert audit_page(browser, test_site + "nothing-to-focus/", axe=False) == [
        "Tab moved focus to nothing: no focusable element"
    ]


def test_404_page_is_served_for_a_missing_nested_url(browser, test_site: str) -> None:
    assert audit_page(browser, test_site + "no/such/page/", expected_status=404) == []
    only(
        audit_page(browser, test_site + "no/such/page/", axe=False),
        f"{test_site}no/such/page/ answered 404, expected 200",
    )


def test_relative_url_in_404_page_breaks_when_served_deep(browser, tmp_path: Path) -> None:
    site = write_site(tmp_path, {"style.css": STYLE, "404.html": PAGES["relative-404/404.html"]})
    with serve_site(site, "/portfolio/") as base:
        assert audit_page(browser, base + "404.html", expected_status=200) == []
        problems = audit_page(browser, base + "deep/missing/", expected_status=404, axe=False)
    only(problems, f"HTTP 404 for {base}deep/missing/style.css")


def fetch(url: str) -> tuple[int, str, bytes]:
    """Return (status, Location header, body) of a GET without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.headers.get("Location", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", ""), error.read()


def test_server_maps_the_base_path_like_github_pages(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"index.html": "home", "papers/x/index.html": "x", "404.html": "not found"})
    with serve_site(site, "/portfolio/") as base:
        origin = base.removesuffix("/portfolio/")
        assert fetch(base) == (200, "", b"home")
        assert fetch(base + "papers/x/") == (200, "", b"x")
        assert fetch(base + "papers/x")[:2] == (301, "/portfolio/papers/x/")
        assert fetch(origin + "/portfolio")[:2] == (301, "/portfolio/")
        assert fetch(base + "papers/y/") == (404, "", b"not found")
        assert fetch(origin + "/papers/x/") == (404, "", b"not found")
        assert fetch(base + "../../etc/passwd")[0] == 404
