"""A figure in a paper's text (`![…](/assets/fig.png)`) fits a phone's width: drawn at its own 1,200 px, it made the
paper's page scroll sideways at 375 px (and was cut at the card's edge on lists). So does a picture in the `footer`
setting (inline Markdown, on every page), which made every page scroll sideways."""

from __future__ import annotations

import struct
import zlib

import pytest

from .project import fixture_project, run_build
from .server import serve_site

pytestmark = pytest.mark.gates

PAPER = (
    "---\ntitle: A study with a figure\nauthors: [Juntao Dai]\ndate: 2024-05-01\ncategories: [cs.CL]\n---\n"
    "The abstract.\n\n![The method's pipeline](/assets/fig.png)\n\nText after the figure.\n\n"
    "## Method\n\n![The method again](/assets/fig.png)\n"
)
BOXES = """() => ({
  page: document.documentElement.scrollWidth,
  figures: [...document.querySelectorAll('main img, .site-footer img')].map((img) => {
    const r = img.getBoundingClientRect();
    const box = img.closest('article, main, footer').getBoundingClientRect();
    const inside = r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
    return {alt: img.alt, width: r.width, height: r.height, inside: inside};
  }),
})"""


def png(width: int, height: int) -> bytes:
    """Return a plain PNG picture of this size."""
    rows = b"".join(b"\0" + b"\xc8\x64\x32" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def figure_site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("figures") / "project"
    papers = fixture_project(root)
    (root / "assets" / "fig.png").write_bytes(png(1200, 600))
    (papers / "with-figure.md").write_text(PAPER, encoding="utf-8")
    with open(root / "paperfolio.yaml", "a", encoding="utf-8") as settings:
        settings.write("footer: 'Shared under ![a licence badge, drawn large](/assets/fig.png)'\n")
    out = root.parent / "site"
    run_build(root, out)
    with serve_site(out, "/") as url:
        yield url


@pytest.mark.parametrize("path", ["papers/with-figure/", ""])
def test_a_figure_in_a_papers_text_fits_a_phone(browser, figure_site: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto(figure_site + path, wait_until="load")
        page.evaluate("document.querySelectorAll('details.abstract').forEach((d) => { d.open = true; })")
        page.wait_for_function("() => [...document.querySelectorAll('img')].every((img) => img.complete)")
        found = page.evaluate(BOXES)
    finally:
        context.close()
    assert found["figures"], found
    assert "a licence badge, drawn large" in [figure["alt"] for figure in found["figures"]], found
    assert found["page"] <= 375, f"the page scrolls sideways: {found}"
    for figure in found["figures"]:
        assert figure["inside"], found
        assert figure["height"] == pytest.approx(figure["width"] / 2, abs=1), f"the figure is distorted: {found}"
