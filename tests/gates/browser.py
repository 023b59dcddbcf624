"""Checks that need a real browser: Debian's Chromium driven by Playwright for Python.

`audit_page` loads one URL in a fresh context (colour scheme and width given) and returns every problem a visitor
would meet: console errors, failed or off-host requests, CSP violations, horizontal scrolling, a first Tab stop that
is hidden or shows no focus, and axe-core's serious or critical accessibility violations. Each part is its own
function so that the gates' tests can prove it fails on a page built to break it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path(os.environ.get("PAPERFOLIO_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps trying to reach Google's hosts from a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")

# Installed before any page script runs; Playwright's init scripts are not subject to the page's CSP.
_RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || 'inline code'} (${e.sourceFile || 'page'}:${e.lineNumber})`);
});
"""
_RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${(n.failureSummary || '').split('\\n')[1] || ''}`),
    count: v.nodes.length,
  }));
}"""
_DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  const text = (el.textContent || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  return {
    name: `<${el.tagName.toLowerCase()}${el.id ? ' id=' + el.id : ''}> "${text}"`,
    x: r.x, y: r.y, width: r.width, height: r.height,
    onScreen: r.width >= 1 && r.height >= 1 && r.bottom > 0 && r.right > 0
      && r.top < window.innerHeight && r.left < window.innerWidth,
    shown: s.visibility === 'visible' && parseFloat(s.opacity) > 0,
  };
}"""


def browser_unavailable_reason() -> str | None:
    """Return why the browser gates cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install playwright; never `playwright install`)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


@contextlib.contextmanager
def launch_browser() -> Iterator[Browser]:
    """Start one headless Debian Chromium for many pages."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def audit_page(
    browser: Browser,
    url: str,
    *,
    color_scheme: str = "light",
    width: int = 1280,
    expected_status: int = 200,
    axe: bool = True,
) -> list[str]:
    """Load `url` as a visitor would and return every problem found, in the order met; `axe=False` skips axe."""
    problems: list[str] = []
    context = browser.new_context(
        color_scheme=color_scheme, viewport={"width": width, "height": 800}, service_workers="block"
    )
    try:
        page = context.new_page()
        in_flight = _watch_traffic(page, url, expected_status, problems)
        page.add_init_script(_RECORD_CSP_VIOLATIONS)
        response = page.goto(url, wait_until="load")
        _wait_until_quiet(page, in_flight)
        if response is None or response.status != expected_status:
            problems.append(f"{url} answered {response and response.status}, expected {expected_status}")
        problems += find_csp_problems(page)
        problems += find_overflow(page, width=width)
        problems += find_focus_problems(page)
        if axe:
            problems += find_axe_violations(page)
    finally:
        context.close()
    return problems


def find_csp_problems(page: Page) -> list[str]:
    """Report a missing Content-Security-Policy meta and any violation the page recorded."""
    problems = []
    has_csp = page.evaluate(
        "() => [...document.querySelectorAll('meta[http-equiv]')]"
        ".some((m) => m.httpEquiv.toLowerCase() === 'content-security-policy')"
    )
    if not has_csp:
        problems.append("no <meta http-equiv=Content-Security-Policy> in the page")
    for violation in page.evaluate("() => window.__cspViolations || []"):
        problems.append(f"CSP violation: {violation}")
    return problems


def find_overflow(page: Page, *, width: int) -> list[str]:
    """Report a page wider than the viewport, which makes the visitor scroll sideways."""
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    if scroll_width > width:
        culprit = page.evaluate(
            """(width) => {
              const wide = [...document.body.querySelectorAll('*')].filter(
                (el) => el.getBoundingClientRect().right > width + 0.5);
              const el = wide.find((e) => !wide.includes(e.parentElement)) || wide[0];
              return el ? `<${el.tagName.toLowerCase()}${el.className ? ' class=' + el.className : ''}>` : 'unknown';
            }""",
            width,
        )
        return [f"scrolls sideways at {width}px: scrollWidth is {scroll_width}px (widest first: {culprit})"]
    return []


def find_focus_problems(page: Page) -> list[str]:
    """Press Tab once and report if focus lands nowhere, on something hidden, or shows no visible change."""
    page.keyboard.press("Tab")
    focus = page.evaluate(_DESCRIBE_FOCUS)
    if focus is None:
        return ["Tab moved focus to nothing: no focusable element"]
    if not focus["onScreen"] or not focus["shown"]:
        return [f"Tab moved focus to {focus['name']}, which is not visible on screen"]
    viewport = page.viewport_size
    pad = 6  # outlines are drawn outside the box
    left, top = max(focus["x"] - pad, 0), max(focus["y"] - pad, 0)
    clip = {
        "x": left,
        "y": top,
        "width": min(focus["x"] + focus["width"] + pad, viewport["width"]) - left,
        "height": min(focus["y"] + focus["height"] + pad, viewport["height"]) - top,
    }
    focused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("() => document.activeElement.blur()")
    blurred = page.screenshot(clip=clip, animations="disabled")
    if focused == blurred:
        return [f"Tab moved focus to {focus['name']}, which looks the same focused and unfocused"]
    return []


def find_axe_violations(page: Page, *, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[str]:
    """Run axe-core in the page and report its violations of the given impacts."""
    # Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script> tag would be blocked).
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    problems = []
    for violation in page.evaluate(_RUN_AXE):
        if violation["impact"] in impacts:
            where = "; ".join(violation["nodes"])
            problems.append(
                f"axe {violation['id']} ({violation['impact']}, {violation['count']} element(s)):"
                f" {violation['help']} — {where}"
            )
    return problems


def _wait_until_quiet(page: Page, in_flight: set[object], *, quiet_ms: int = 150, timeout_ms: int = 10_000) -> None:
    """Wait until no request has been in flight for `quiet_ms` (Playwright's "networkidle" waits a fixed 500 ms)."""
    quiet = waited = 0
    while quiet < quiet_ms and waited < timeout_ms:
        page.wait_for_timeout(25)
        waited += 25
        quiet = quiet + 25 if not in_flight else 0


def _watch_traffic(page: Page, url: str, expected_status: int, problems: list[str]) -> set[object]:
    """Record console errors, uncaught exceptions, failed requests and requests that leave the site's host.

    Return the set of requests in flight, which the listeners keep up to date.
    """
    origin = urlsplit(url).netloc
    in_flight: set[object] = set()

    def on_console(message) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "")
        if urlsplit(where).netloc not in ("", origin) and message.text.startswith("Failed to load resource"):
            return  # an off-host request, aborted and reported by on_route
        if expected_status == 404 and where == url and "404" in message.text:
            return  # Chromium logs the 404 page's own status, which is what that page is for
        problems.append(f"console error: {message.text} ({where}:{message.location.get('lineNumber', 0) + 1})")

    def on_route(route) -> None:
        target = urlsplit(route.request.url)
        if target.scheme in ("http", "https", "ws", "wss") and target.netloc != origin:
            problems.append(f"request to another host: {route.request.url}")
            route.abort()
        else:
            route.continue_()

    def on_response(response) -> None:
        if response.status >= 400 and not (response.url == url and response.status == expected_status):
            problems.append(f"HTTP {response.status} for {response.url}")

    def on_request_failed(request) -> None:
        in_flight.discard(request)
        if urlsplit(request.url).netloc == origin:  # off-host requests are aborted and reported by on_route
            problems.append(f"request failed: {request.url} ({request.failure})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.route("**/*", on_route)
    return in_flight
