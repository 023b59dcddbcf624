"""The quality gates over the default site, built at the domain root and under /portfolio/ (issue 3)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .browser import audit_page
from .checks import find_broken_links, find_external_resources, format_problems, html_files, run_vnu
from .project import BuiltSite

pytestmark = pytest.mark.gates

SITES = ["root", "portfolio"]
PAGE_KINDS = ["home", "paper", "category", "404"]
MISSING_URL = "no/such/page/"  # GitHub Pages answers any missing URL with 404.html and status 404


def page_path(site: BuiltSite, kind: str) -> str:
    """Return the URL path, relative to the site's base, of the page of `kind` that the browser gates load."""
    if kind == "home":
        return ""
    if kind == "404":
        return MISSING_URL
    folder = {"paper": "papers", "category": "categories"}[kind]
    pages = sorted(site.dir.glob(f"{folder}/*/index.html"))
    if not pages:
        pytest.fail(f"the {site.name} build has no {folder}/<slug>/index.html page", pytrace=False)
    return pages[0].parent.relative_to(site.dir).as_posix() + "/"


def test_site_has_the_pages_the_gates_load(built_sites: dict[str, BuiltSite]) -> None:
    for site in built_sites.values():
        for name in ("index.html", "404.html"):
            assert (site.dir / name).is_file(), f"{site.name} build has no {name}"
        for kind in ("paper", "category"):
            page_path(site, kind)


def test_html_is_valid(built_sites: dict[str, BuiltSite], vnu_command: tuple[str, Path]) -> None:
    java, jar = vnu_command
    root = next(iter(built_sites.values())).dir.parent.parent  # the session's temp folder holding both builds
    files = [path for site in built_sites.values() for path in html_files(site.dir)]
    started = time.perf_counter()
    problems = run_vnu(files, root=root, jar=jar, java=java, warnings=True)
    print(f"vnu checked {len(files)} files in {time.perf_counter() - started:.1f}s")
    assert not problems, "the Nu Html Checker found errors or warnings\n" + format_problems(problems)


@pytest.mark.parametrize("name", SITES)
def test_internal_links_resolve(built_sites: dict[str, BuiltSite], name: str) -> None:
    site = built_sites[name]
    problems = find_broken_links(site.dir, site.base_url)
    assert not problems, f"broken internal references in the {name} build\n" + format_problems(problems)


@pytest.mark.parametrize("name", SITES)
def test_nothing_loads_from_another_host(built_sites: dict[str, BuiltSite], name: str) -> None:
    site = built_sites[name]
    problems = find_external_resources(site.dir, site.base_url)
    assert not problems, f"resources from other hosts in the {name} build\n" + format_problems(problems)


# Every page kind in both colour schemes at both widths under /portfolio/, the riskier build; at the domain root,
# where only URL prefixes differ, two combinations per page keep the suite fast.
BROWSER_CASES = [
    (name, kind, scheme, width)
    for name in SITES
    for kind in PAGE_KINDS
    for scheme in ("light", "dark")
    for width in (375, 1280)
    if name == "portfolio" or (scheme, width) in (("light", 375), ("dark", 1280))
]


@pytest.mark.parametrize(
    ("name", "kind", "scheme", "width"), BROWSER_CASES, ids=["-".join(map(str, case)) for case in BROWSER_CASES]
)
def test_page_in_browser(
    browser,
    built_sites: dict[str, BuiltSite],
    served_sites: dict[str, str],
    name: str,
    kind: str,
    scheme: str,
    width: int,
) -> None:
    url = served_sites[name] + page_path(built_sites[name], kind)
    problems = audit_page(browser, url, color_scheme=scheme, width=width, expected_status=404 if kind == "404" else 200)
    assert not problems, f"{url} ({scheme}, {width}px):\n" + "\n".join(problems)
