"""Paper text on the site: relative addresses are site paths under the base path, wherever the text is shown."""

from __future__ import annotations

import pytest

from paperfolio.urls import Urls
from paperfolio.views import rebase

PROJECT = Urls("https://ada.github.io/portfolio/")


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ('<img alt="f" src="/assets/fig.png">', '<img alt="f" src="/portfolio/assets/fig.png">'),
        ('<img alt="f" src="assets/fig.png">', '<img alt="f" src="/portfolio/assets/fig.png">'),
        ('<a href="/papers/other/">o</a>', '<a href="/portfolio/papers/other/">o</a>'),
        ('<a href="https://arxiv.org/abs/1">a</a>', '<a href="https://arxiv.org/abs/1">a</a>'),
        ('<a href="mailto:ada@example.org">m</a>', '<a href="mailto:ada@example.org">m</a>'),
        ('<a href="#results">r</a>', '<a href="#results">r</a>'),
        ('<p>a src="x" written as text</p>', '<p>a src="x" written as text</p>'),
        ('<a title="a > b" href="x/">t</a>', '<a title="a > b" href="/portfolio/x/">t</a>'),
        ('<a title="src=&quot;y&quot;" href="x/">t</a>', '<a title="src=&quot;y&quot;" href="/portfolio/x/">t</a>'),
    ],
)
def test_relative_addresses_are_site_paths_under_the_base_path(fragment, expected):
    assert rebase(fragment, PROJECT) == expected


def test_at_the_domain_root_a_relative_address_still_works_on_every_page():
    assert rebase('<img alt="f" src="assets/fig.png">', Urls("/")) == '<img alt="f" src="/assets/fig.png">'


def test_a_relative_address_that_reaches_nothing_is_warned_about(tmp_path) -> None:
    import shutil
    from pathlib import Path

    from paperfolio.pipeline import Project, build

    repo = Path(__file__).resolve().parents[1]
    root = tmp_path / "project"
    shutil.copytree(repo / "tests" / "fixtures" / "basic", root)
    shutil.copytree(repo / "layouts", root / "layouts")
    shutil.copytree(repo / "assets", root / "assets")
    (root / "assets" / "figures").mkdir()
    (root / "assets" / "figures" / "chart.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (root / "content" / "papers" / "linking.md").write_text(
        "---\ntitle: Linking\nauthors: [Juntao Dai]\ndate: 2024-01-01\ncategories: [cs.LG]\n---\n"
        "![A chart](assets/figures/chart.svg), ![Missing](figures/missing.png), "
        "[a paper](/papers/newest-first/#abstract), [the feed](feed.xml), [nowhere](papers/nowhere/).\n",
        encoding="utf-8",
    )
    result = build(Project(root), tmp_path / "site", base_url="/portfolio/", env={})
    found = [w.message for w in result.warnings if w.path == "content/papers/linking.md"]
    assert found == [
        "`figures/missing.png` points to no page or file of this site",
        "`papers/nowhere/` points to no page or file of this site",
    ]
    page = (tmp_path / "site" / "papers" / "linking" / "index.html").read_text("utf-8")
    assert 'src="/portfolio/assets/figures/chart.svg"' in page
    assert 'href="/portfolio/papers/newest-first/#abstract"' in page


def test_author_views_are_shared_but_follow_every_field_and_the_base_path():
    from dataclasses import replace

    from test_groups import paper

    from paperfolio.model import Settings
    from paperfolio.views import AuthorView, paper_view

    slugs = {"Ann Lee": "ann-lee", "Owner": "owner"}
    first, second = (paper_view(paper(s), Settings(), PROJECT, coauthor_slugs=slugs) for s in ("a", "b"))
    assert first.authors == (
        AuthorView("Ann Lee", False, None, None, False, False, "/portfolio/coauthors/ann-lee/"),
        AuthorView("Owner", True, None, None, False, False, None),  # the owner has no coauthor page
    )
    assert first.authors[0] is second.authors[0]
    at_root = paper_view(paper("a"), Settings(), Urls("/"), coauthor_slugs=slugs)
    assert at_root.authors[0].page == "/coauthors/ann-lee/"
    assert paper_view(paper("a"), Settings(), PROJECT).authors[0].page is None
    marked = paper("a")
    marked = replace(marked, authors=(replace(marked.authors[0], corresponding=True), *marked.authors[1:]))
    assert paper_view(marked, Settings(), PROJECT, coauthor_slugs=slugs).authors[0].corresponding


def test_an_abstract_split_from_its_sections_closes_the_bidi_controls_it_opened():
    """The body's closing marks went after its sections, so the abstract alone (feed summaries, meta
    descriptions, cards) left a right-to-left override open, reversing what followed it."""
    from paperfolio.views import split_sections

    abstract, sections = split_sections("Body \u202e reversed\n\n# Method\n\nmore\u202c")
    assert abstract == "Body \u202e reversed\u202c"
    assert sections == "# Method\n\nmore\u202c"
    assert split_sections("No override.\n\n# H\n\nx") == ("No override.", "# H\n\nx")
