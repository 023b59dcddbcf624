"""A paper's picture (`image:`): on its page with its description, as a thumbnail on lists, in the head for
link previews, and refused at its line when the file is not under assets/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from htmlparse import Page

from paperfolio.errors import ContentError
from paperfolio.pipeline import Project, build
from tests.test_incremental import make_project, tree

BASE = "https://example.github.io/portfolio/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def with_picture(tmp_path: Path, value: str = "/assets/figures/aligner teaser.png") -> Project:
    project = make_project(tmp_path / "project", ["aligner.md", "beavertails.md"])
    (project.assets / "figures").mkdir()
    (project.assets / "figures" / "aligner teaser.png").write_bytes(PNG)
    paper = project.papers / "aligner.md"
    alt = "Aligner between the upstream model and the answer"
    paper.write_text(paper.read_text("utf-8").replace("---\n", f"---\nimage: {value}\nimage_alt: {alt}\n", 1), "utf-8")
    return project


def img_src(site: Path, src: str) -> Path:
    """Return the file of the site an image address names, read as a browser reads it under the base path."""
    return site / unquote(urlsplit(src).path).removeprefix("/portfolio/")


def test_the_picture_is_on_the_paper_page_on_lists_and_in_the_head(tmp_path: Path) -> None:
    project = with_picture(tmp_path)
    site = tmp_path / "site"
    build(project, site, base_url=BASE, env={}, use_cache=False)
    page = Page.read(site / "papers" / "aligner" / "index.html")
    (figure,) = [e for e in page.find_all("img") if not e.attrs.get("class")]
    assert figure.attrs["alt"] == "Aligner between the upstream model and the answer"
    assert figure.attrs["src"] == "/portfolio/assets/figures/aligner%20teaser.png"
    assert img_src(site, figure.attrs["src"]).read_bytes() == PNG
    metas = {e.attrs.get("property") or e.attrs.get("name"): e.attrs.get("content") for e in page.find_all("meta")}
    assert metas["og:image"] == "https://example.github.io/portfolio/assets/figures/aligner%20teaser.png"
    assert metas["og:image:alt"] == "Aligner between the upstream model and the answer"
    assert metas["twitter:card"] == "summary_large_image"
    (script,) = [e for e in page.find_all("script") if e.attrs.get("type") == "application/ld+json"]
    assert json.loads(script.text)["image"] == metas["og:image"]
    # On the home page: a thumbnail beside the title, described by it (empty alt), only for that paper.
    home = Page.read(site / "index.html")
    thumbs = [e for e in home.find_all("img") if e.attrs.get("class") == "thumb"]
    assert thumbs and all(e.attrs["alt"] == "" and e.attrs["loading"] == "lazy" for e in thumbs)
    assert {img_src(site, e.attrs["src"]) for e in thumbs} == {site / "assets" / "figures" / "aligner teaser.png"}
    other = Page.read(site / "papers" / "beavertails" / "index.html")
    assert not other.find_all("img") and "og:image" not in (site / "papers/beavertails/index.html").read_text()


def test_without_a_host_the_head_names_no_picture(tmp_path: Path) -> None:
    """Open Graph wants a full address, which a site built for `/` has not; the page still shows it."""
    project = with_picture(tmp_path, "figures/aligner teaser.png")
    build(project, tmp_path / "site", env={}, use_cache=False)
    html = (tmp_path / "site" / "papers" / "aligner" / "index.html").read_text("utf-8")
    assert "og:image" not in html and '<meta name="twitter:card" content="summary">' in html
    assert 'src="/assets/figures/aligner%20teaser.png"' in html


def test_a_picture_not_under_assets_is_an_error_at_its_line_and_the_site_stays(tmp_path: Path) -> None:
    project = with_picture(tmp_path)
    site = tmp_path / "site"
    build(project, site, base_url=BASE, env={}, use_cache=False)
    before = tree(site)
    (project.assets / "figures" / "aligner teaser.png").unlink()
    with pytest.raises(ContentError) as refused:
        build(project, site, base_url=BASE, env={})
    assert [p.format() for p in refused.value.problems] == [
        "content/papers/aligner.md:2: error: `image`: no file assets/figures/aligner teaser.png\n"
        "    hint: put the picture at assets/figures/aligner teaser.png "
        "(from the old site's assets/, if it came from one)"
    ]
    assert tree(site) == before


def test_a_bundles_picture_named_from_beside_its_index_gets_where_to_move_it(tmp_path: Path) -> None:
    """Hugo Blox keeps `featured.png` beside a bundle's index.md; `image: featured.png` was hinted as
    assets/featured.png, a place the file is not. The hint names the file and where it goes, as `check`'s
    warning of the file itself does (`checks.stray_files`)."""
    project = make_project(tmp_path / "project", ["aligner.md"])
    bundle = project.papers / "aligner"
    bundle.mkdir()
    (project.papers / "aligner.md").rename(bundle / "index.md")
    (bundle / "featured.png").write_bytes(PNG)
    text = (bundle / "index.md").read_text("utf-8")
    (bundle / "index.md").write_text(text.replace("---\n", "---\nimage: featured.png\n", 1), "utf-8")
    with pytest.raises(ContentError) as refused:
        build(project, tmp_path / "site", env={}, use_cache=False)
    assert [p.format() for p in refused.value.problems] == [
        "content/papers/aligner/index.md:2: error: `image`: no file assets/featured.png\n"
        "    hint: files beside a paper are not published: move content/papers/aligner/featured.png to "
        "assets/papers/aligner/featured.png and write `image: /assets/papers/aligner/featured.png`"
    ]
    from paperfolio.checks import stray_files

    assert "assets/papers/aligner/featured.png" in stray_files(project)[0].hint


def test_al_folio_preview_becomes_the_picture(tmp_path: Path) -> None:
    from paperfolio.bibimport import import_bib

    bib = tmp_path / "papers.bib"
    entry = "@inproceedings{{{key}, title={{T {key}}}, author={{Doe, Jane}}, year=2024, preview={{{preview}}}}}\n"
    bib.write_text(
        entry.format(key="a", preview="brownian motion.gif") + entry.format(key="b", preview="http://x.org/y.png"),
        encoding="utf-8",
    )
    report = import_bib(bib, tmp_path / "papers")
    assert [p.name for p in report.created] == ["a.md", "b.md"]
    assert "image: /assets/img/publication_preview/brownian motion.gif\n" in (tmp_path / "papers" / "a.md").read_text()
    assert "image:" not in (tmp_path / "papers" / "b.md").read_text()
    assert [why for _key, _line, why in report.warnings] == [
        "preview 'http://x.org/y.png' is not a picture's file name and was left out"
    ]


def test_an_image_edit_rebuilds_as_a_build_from_nothing(tmp_path: Path) -> None:
    """Adding, moving and describing the picture: a cached build equals one from nothing each time."""
    project = with_picture(tmp_path)
    paper = project.papers / "aligner.md"
    for step, (old, new) in enumerate(
        [
            ("image_alt: Aligner between the upstream model and the answer", "image_alt: Another description"),
            ("image: /assets/figures/aligner teaser.png", "image: /assets/favicon.svg"),
            ("image: /assets/favicon.svg\n", ""),
        ]
    ):
        paper.write_text(paper.read_text("utf-8").replace(old, new), "utf-8")
        build(project, tmp_path / "cached", base_url=BASE, env={})
        shutil.rmtree(tmp_path / "full", ignore_errors=True)
        build(project, tmp_path / "full", base_url=BASE, env={}, use_cache=False)
        assert tree(tmp_path / "cached") == tree(tmp_path / "full"), step


def test_feed_readers_get_the_picture_as_an_enclosure(tmp_path: Path) -> None:
    import feedparser

    from paperfolio.feeds import IMAGE_TYPES
    from paperfolio.schema import IMAGE_SUFFIXES

    assert set(IMAGE_TYPES) == {suffix.lstrip(".") for suffix in IMAGE_SUFFIXES}  # every picture has its type
    project = with_picture(tmp_path)
    build(project, tmp_path / "site", base_url=BASE, env={}, use_cache=False)
    feed = feedparser.parse((tmp_path / "site" / "feed.xml").read_bytes())
    assert not feed.bozo
    by_title = {entry.title: entry for entry in feed.entries}
    aligner = by_title["Aligner: Efficient Alignment by Learning to Correct"]
    assert [(e.href, e.type) for e in aligner.enclosures] == [
        ("https://example.github.io/portfolio/assets/figures/aligner%20teaser.png", "image/png")
    ]
    assert all(not entry.enclosures for title, entry in by_title.items() if not title.startswith("Aligner"))


def test_a_picture_named_in_another_case_is_named_as_it_is(tmp_path: Path) -> None:
    """`teaser.png` for `Teaser.PNG` is one file where names ignore case (macOS), not on the web or GitHub's
    builders; the hint said to put the picture where it is, as good as for no file at all."""
    project = with_picture(tmp_path, "/assets/figures/Aligner Teaser.PNG")
    with pytest.raises(ContentError) as refused:
        build(project, tmp_path / "site", base_url=BASE, env={})
    assert [p.format() for p in refused.value.problems] == [
        "content/papers/aligner.md:2: error: `image`: no file assets/figures/Aligner Teaser.PNG\n"
        "    hint: the file is assets/figures/aligner teaser.png: write `image: /assets/figures/aligner teaser.png`"
        " (a web address's case counts)"
    ]
