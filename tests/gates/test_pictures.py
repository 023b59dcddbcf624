"""A site whose papers carry pictures (`image:`): the default site has none, so these gates build a copy of it
with a teaser on two papers and check the pages that show them, as the site gates check the default site."""

from __future__ import annotations

import shutil

import pytest

from .browser import audit_page
from .checks import find_broken_links, find_external_resources, format_problems, html_files, run_vnu
from .project import REPO_ROOT, run_build
from .server import serve_site

pytestmark = pytest.mark.gates

BASE_URL = "https://example.github.io/portfolio/"
# An SVG drawn for a white background, as figures are: dark strokes, no background of its own.
FIGURE = """<svg xmlns="http://www.w3.org/2000/svg" width="600" height="240" viewBox="0 0 600 240">
<rect x="20" y="20" width="160" height="80" fill="none" stroke="#222" stroke-width="4"/>
<path d="M180 60 H420" stroke="#222" stroke-width="4"/><circle cx="480" cy="60" r="40" fill="#0b57d0"/>
</svg>
"""


@pytest.fixture(scope="module")
def picture_site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("pictures") / "project"
    for name in ("content", "layouts", "assets"):
        shutil.copytree(REPO_ROOT / name, root / name)
    for name in ("build.py", "paperfolio.yaml"):
        shutil.copyfile(REPO_ROOT / name, root / name)
    (root / "assets" / "figures").mkdir()
    (root / "assets" / "figures" / "teaser one.svg").write_text(FIGURE, encoding="utf-8")
    for slug, alt in (("aligner", "Boxes joined by an arrow"), ("beavertails", None)):  # described, and not
        paper = root / "content" / "papers" / f"{slug}.md"
        front = "---\nimage: /assets/figures/teaser one.svg\n" + (f"image_alt: {alt}\n" if alt else "")
        paper.write_text(paper.read_text("utf-8").replace("---\n", front, 1), "utf-8")
    out = root.parent / "site"
    run_build(root, out, "--base-url", BASE_URL)
    with serve_site(out, "/portfolio/") as url:
        yield out, url


def test_pages_with_pictures_are_valid_and_load_only_this_site(picture_site, vnu_command) -> None:
    site, _url = picture_site
    java, jar = vnu_command
    files = [site / "index.html", site / "papers/aligner/index.html", site / "papers/beavertails/index.html"]
    problems = run_vnu(files, root=site, jar=jar, java=java, warnings=True)
    assert not problems, format_problems(problems)
    assert not find_broken_links(site, BASE_URL), format_problems(find_broken_links(site, BASE_URL))
    assert not find_external_resources(site, BASE_URL)
    assert len(html_files(site)) > 300


@pytest.mark.parametrize("path", ["", "papers/aligner/", "papers/beavertails/"])
@pytest.mark.parametrize(("scheme", "width"), [("light", 375), ("dark", 375), ("light", 1280), ("dark", 1280)])
def test_pages_with_pictures_in_the_browser(browser, picture_site, path: str, scheme: str, width: int) -> None:
    _site, url = picture_site
    problems = audit_page(browser, url + path, color_scheme=scheme, width=width)
    assert not problems, f"/{path} ({scheme}, {width}px):\n" + "\n".join(problems)
