"""The markup of list entries and paper pages, read from a built site: what an accessibility audit asked of it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from htmlparse import Page

from paperfolio.pipeline import Project, build

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "basic"

VENUE_PAPER = """---
title: A Paper With A Venue
authors: [Ada Lovelace, Juntao Dai]
date: 2024-05-02
categories: [cs.CL]
venue: ACL 2024 (Main Conference)
tags: [structure]
links:
  arxiv: "2405.00002"
---
Abstract.
"""

MANY_AUTHORS = """---
title: Written By Twenty
authors: [{names}, Juntao Dai]
date: 2024-05-01
categories: [cs.LG]
links:
  arxiv: "2405.00001"
  code: https://github.com/example/twenty
---
Abstract.
""".format(names=", ".join(f"Author {n}" for n in range(1, 20)))


EQUAL_ONLY = """---
title: Two Equal Authors
authors: [{name: Ada Lovelace, equal_contribution: true}, {name: Juntao Dai, equal_contribution: true}]
date: 2024-05-03
categories: [cs.LG]
---
Abstract.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("structure") / "project"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    (root / "content" / "papers" / "with-venue.md").write_text(VENUE_PAPER, "utf-8")
    (root / "content" / "papers" / "many-authors.md").write_text(MANY_AUTHORS, "utf-8")
    (root / "content" / "papers" / "equal-only.md").write_text(EQUAL_ONLY, "utf-8")
    out = root / "site"
    build(Project(root), out, env={})
    return out


def test_compact_entries_keep_no_loose_text_between_the_items_of_their_meta_row(site: Path):
    """`.paper-meta` is a flex row, so a bare ", " between the venue and the year was an item of its own and
    showed as "ACL 2024 (Main Conference)  ,  2024"; the comma belongs inside the venue's item."""
    entry = Page.read(site / "tags" / "structure" / "index.html").find("p", "paper-meta")
    assert entry.text == "ACL 2024 (Main Conference), 2024"
    assert own_text(entry).strip() == ""


def own_text(element) -> str:
    """The text of `element` outside its child elements (the text that would be anonymous flex items)."""
    text = "".join(element.parts)
    for child in element.children:
        text = text.replace("".join(child.parts), "", 1)
    return text


def test_a_long_author_list_has_a_skip_link_to_the_papers_links(site: Path):
    """Twenty names are twenty Tab stops before the arXiv and Code links (87 on the Singapore Consensus page)."""
    page = Page.read(site / "papers" / "many-authors" / "index.html")
    section = next(e for e in page.find_all("section") if e.attrs.get("id") == "authors")
    kinds = [child.tag for child in section.children]
    assert kinds.index("a") < kinds.index("ol")
    skip = section.children[kinds.index("a")]
    assert skip.classes == ["skip-authors"] and skip.text == "Skip the 20 authors to the links"
    (target,) = [e for e in page.elements if e.attrs.get("id") == skip.attrs["href"].removeprefix("#")]
    assert target.tag == "ul" and "links" in target.classes


def test_a_short_author_list_has_no_skip_link(site: Path):
    page = Page.read(site / "papers" / "long-author-list" / "index.html")  # seven authors
    assert page.find_all("a", "skip-authors") == []


def test_a_papers_metadata_follows_its_heading_on_cards_and_on_its_page(site: Path):
    """Category, date, venue and award came before the h3 or h1, so moving by heading skipped them."""
    home = Page.read(site / "index.html")
    for card in home.find_all("li", "paper"):
        tags = [(e.tag, "paper-meta" in e.classes) for e in walk(card)]
        assert tags.index(("h3", False)) < tags.index(("p", True))
    page = Page.read(site / "papers" / "with-venue" / "index.html")
    order = [e for e in page.elements if e.tag == "h1" or "paper-meta" in e.classes]
    assert [e.tag for e in order] == ["h1", "p"]


def walk(element):
    for child in element.children:
        yield child
        yield from walk(child)


def test_the_has_code_filter_is_left_out_when_no_paper_has_code(site: Path, tmp_path: Path):
    """A site whose papers name no code showed a "Has code 0" filter, which could only empty the list. A
    chip's count says what it counts to a screen reader ("AI 15" was read out of context)."""
    chips = [b.text for b in Page.read(site / "index.html").find_all("button") if b.attrs.get("data-filter") == "code"]
    assert chips == ["Has code 3 papers"]  # code-without-url.md, newest-first.md and many-authors.md name code
    root = tmp_path / "project"
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    (root / "content" / "papers").mkdir(parents=True)
    (root / "content" / "papers" / "one.md").write_text(VENUE_PAPER, "utf-8")
    build(Project(root), root / "site", env={})
    home = Page.read(root / "site" / "index.html")
    assert [b for b in home.find_all("button") if b.attrs.get("data-filter") == "code"] == []
    assert home.find("div", "filters") is not None
    years = [a.text for a in home.find_all("a") if a.attrs.get("data-filter") == "year"]
    assert years == ["2024 1 paper"]


def test_the_marks_legend_explains_only_the_marks_the_list_uses(site: Path):
    """A list with equal contribution marks alone was explained as "* equal contribution · † corresponding
    author", a mark no author had."""
    legend = Page.read(site / "papers" / "equal-only" / "index.html").find("p", "marks-legend")
    assert legend.text == "* equal contribution"


def test_a_part_of_a_paper_page_the_docs_link_to_is_on_the_page(site: Path):
    """docs/front-matter.md offered `/papers/other/#bibtex` as a link to another paper's citation, a fragment no
    page defines (the BibTeX block is `bibtex-<slug>`): the link opened the page at its top, and nothing warned."""
    written = "\n".join((REPO / name).read_text("utf-8") for name in ("README.md", "docs/front-matter.md"))
    fragments = set(re.findall(r"/papers/[a-z0-9-]+/#([A-Za-z][\w-]*)", written))
    assert fragments
    page = Page.read(site / "papers" / "with-venue" / "index.html")
    ids = {element.attrs.get("id") for element in page.find_all()}
    assert fragments <= ids, f"the docs link to #{', #'.join(sorted(fragments - ids))}, which no paper page defines"


NAMELESS_SETTINGS = "title: Lab Publications\nprofile:\n  photo: me.png\n"


def test_a_site_that_names_no_one_calls_nobody_by_its_title(make_project, tmp_path: Path):
    """Without `owner` or `profile.name` the site's title stood in for a person: "Everyone Lab Publications has
    written with" on the coauthors page, and "Photo of Lab Publications" as the photo's alt text."""
    root = make_project({"paper.md": (FIXTURE / "content" / "papers" / "newest-first.md").read_text("utf-8")})
    (root / "paperfolio.yaml").write_text(NAMELESS_SETTINGS, encoding="utf-8")
    (root / "assets" / "me.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    build(Project(root), tmp_path / "site", base_url="https://example.org/", env={})
    coauthors = Page.read(tmp_path / "site" / "coauthors" / "index.html")
    (intro,) = [p for p in coauthors.find_all("p") if "people" in p.text or "person" in p.text]
    assert intro.text.startswith("Everyone named on these papers: ")
    home = Page.read(tmp_path / "site" / "index.html")
    (photo,) = home.find_all("img", cls="avatar")
    metas = {e.attrs.get("property"): e.attrs.get("content") for e in home.find_all("meta")}
    assert photo.attrs["alt"] == metas["og:image:alt"] == "Profile photo"
