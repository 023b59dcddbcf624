"""Fixtures of the quality gates: the default site built twice per session, a browser, servers and the checker.

A gate whose tool is missing (Java with vnu.jar, Chromium with Playwright) skips with the reason, unless
PAPERFOLIO_REQUIRE_GATES=1 (set by .ci/run), which turns every such skip into a failure.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .browser import browser_unavailable_reason, launch_browser
from .checks import find_vnu_jar
from .project import BASE_URL, REPO_ROOT, BuiltSite, require, run_build
from .server import serve_site


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuiltSite]:
    """Build the default site once at the domain root and once under /portfolio/."""
    sites = {}
    for name, args, base_url, base_path in (
        ("root", (), "/", "/"),
        ("portfolio", ("--base-url", BASE_URL), BASE_URL, "/portfolio/"),
    ):
        out = tmp_path_factory.mktemp(f"site-{name}") / "site"
        started = time.perf_counter()
        run_build(REPO_ROOT, out, *args)
        print(f"built {name} site in {time.perf_counter() - started:.1f}s")
        sites[name] = BuiltSite(name, out, base_url, base_path)
    return sites


@pytest.fixture(scope="session")
def vnu_command() -> tuple[str, Path]:
    """Return (java, vnu.jar), or skip when either is missing."""
    java = shutil.which("java")
    require(None if java else "java is not installed (apt-get install default-jre-headless)")
    jar = find_vnu_jar()
    require(None if jar else "vnu.jar is missing: run `npm ci --ignore-scripts --prefix tests/gates`")
    return java, jar


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """Start one headless Chromium for the browser tests of this package.

    Package scope, not session: Playwright's sync API runs an event loop while it is open, and another
    package's tests that start their own Playwright after ours would fail inside it.
    """
    require(browser_unavailable_reason())
    with launch_browser() as running:
        yield running


@pytest.fixture(scope="session")
def served_sites(built_sites: dict[str, BuiltSite]) -> Iterator[dict[str, str]]:
    """Serve each build under its base path; map its name to the URL of its home page."""
    with (
        serve_site(built_sites["root"].dir, "/") as root,
        serve_site(built_sites["portfolio"].dir, "/portfolio/") as portfolio,
    ):
        yield {"root": root, "portfolio": portfolio}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "gates: builds the default site and checks it (slow: about a minute)")
