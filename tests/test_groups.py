"""Groupings: publication type, venue series, tags, coauthors and the site index that holds them."""

from __future__ import annotations

import pytest

from paperfolio import browse, groups, urls
from paperfolio.index import build_index
from paperfolio.model import Author, Paper, PaperDate


def paper(
    slug: str, *, year: int = 2024, authors=("Ann Lee", "Owner"), venue=None, pub_type=None, tags=(), cats=("cs.CL",)
):
    people = tuple(Author(name, is_owner=name == "Owner") for name in authors)
    return Paper(
        source=f"content/papers/{slug}.md",
        slug=slug,
        title=slug.title(),
        authors=people,
        et_al=False,
        date=PaperDate(year),
        categories=cats,
        abstract="",
        venue=venue,
        pub_type=pub_type,
        tags=tuple(tags),
    )


@pytest.mark.parametrize(
    ("venue", "series"),
    [
        ("NeurIPS 2023 (Datasets and Benchmarks Track, poster)", "NeurIPS"),
        ("NeurIPS 2024 (Oral)", "NeurIPS"),
        ("NIPS 2017", "NeurIPS"),
        ("ICML 2024 (PMLR v235)", "ICML"),
        ("ACL 2026 (Main Conference)", "ACL"),
        ("Findings of EMNLP 2025", "EMNLP Findings"),
        ("Findings of the ACL 2026", "ACL Findings"),
        ("Journal of Machine Learning Research 25(285), 2024", "Journal of Machine Learning Research"),
        ("ACM Computing Surveys (2025)", "ACM Computing Surveys"),
        ("Proceedings of the 40th ICML", "ICML"),
        # Journal abbreviations keep their last dot (it was cut: "Phys. Rev"); a sentence's full stop does not.
        ("Phys. Rev.", "Phys. Rev."),
        ("Phys. Rev. 47, 777 (1935)", "Phys. Rev."),
        ("J. Mach. Learn. Res. 25(285), 2024", "J. Mach. Learn. Res."),
        ("Phys. Rev. D 86, 010001 (2012)", "Phys. Rev. D"),
        ("NeurIPS 2023.", "NeurIPS"),
        # DBLP's venues: the dates and place after the year were kept, cut by the year and day rules ("ICML - July
        # Baltimore Maryland USA"), so each meeting of one conference was a series of its own.
        (
            "International Conference on Machine Learning, ICML 2022, 17-23 July 2022, Baltimore, Maryland, USA",
            "International Conference on Machine Learning ICML",
        ),
        (
            "Proceedings of the 38th International Conference on Machine Learning, ICML 2021, 18-24 July 2021, "
            "Virtual Event",
            "International Conference on Machine Learning ICML",
        ),
        ("Nature.", "Nature"),
        ("arXiv preprint arXiv:2401.00001", None),
        ("CoRR abs/2401.00001", None),
        (None, None),
        ("", None),
    ],
)
def test_venue_series(venue, series):
    assert groups.venue_series(venue) == series


@pytest.mark.parametrize(
    ("venue", "pub_type", "kind"),
    [
        ("NeurIPS 2024", None, "conference"),
        ("ACM Computing Surveys (2025)", None, "journal"),
        ("arXiv preprint", None, "preprint"),
        (None, None, "preprint"),
        ("NeurIPS 2024", "journal", "journal"),
        ("Some Venue", "workshop", "conference"),
        ("Some Venue", "thesis", "other"),
        # Journals as physics, astronomy and mathematics abbreviate them (they were "preprint"s and @misc).
        ("Phys. Rev. Lett. 109, 2012", None, "journal"),
        ("JHEP 05 (2020) 001", None, "journal"),
        ("Mon. Not. R. Astron. Soc. 500", None, "journal"),
        ("Commun. Math. Phys.", None, "journal"),
        ("Proc. Natl. Acad. Sci. USA", None, "journal"),
        ("IEEE Trans. Inf. Theory", None, "journal"),
        ("Cell 184(3)", None, "journal"),
        ("PLOS Computational Biology", None, "journal"),
        ("Econometrica 90", None, "journal"),
        ("IEEE Conference on Computer Communications", None, "conference"),
        ("International Conference on Physics Education", None, "conference"),
    ],
)
def test_publication_type(venue, pub_type, kind):
    assert groups.publication_type(paper("p", venue=venue, pub_type=pub_type)) == kind


def test_slugify_folds_accents_and_punctuation():
    assert urls.slugify("Ünal Çelik-Öztürk") == "unal-celik-ozturk"
    assert urls.slugify("Safe RL") == urls.slugify("safe-rl") == "safe-rl"
    assert urls.slugify("李雷") == "x"


def test_coauthors_count_each_paper_once_and_exclude_the_owner():
    papers = [paper("a", authors=("Ann Lee", "Ann Lee", "Owner")), paper("b", year=2022, authors=("Owner", "Ann Lee"))]
    coauthors = groups.group_by_coauthor(papers)
    assert list(coauthors) == ["ann-lee"]
    ann = coauthors["ann-lee"]
    assert (ann.papers, ann.first_year, ann.last_year) == (("a", "b"), 2022, 2024)


def test_owner_variants_and_aliases_to_the_owner_are_never_coauthors():
    papers = [paper("a", authors=("J. Owner", "Owner's Alias", "Ann Lee"))]
    coauthors = groups.group_by_coauthor(papers, aliases={"Owner's Alias": "J. Owner"}, owner_names={"J. Owner"})
    assert [c.name for c in coauthors.values()] == ["Ann Lee"]


def test_aliases_merge_spellings_under_the_canonical_name():
    papers = [paper("a", authors=("Ann Lee",)), paper("b", authors=("A. Lee",))]
    coauthors = groups.group_by_coauthor(papers, aliases={"A. Lee": "Ann Lee"})
    assert [(c.name, c.papers) for c in coauthors.values()] == [("Ann Lee", ("a", "b"))]
    assert groups.coauthor_lookup(coauthors.values(), {"A. Lee": "Ann Lee"}) == {
        "Ann Lee": "ann-lee",
        "A. Lee": "ann-lee",
    }


def test_names_that_slugify_alike_get_unique_slugs_oldest_first():
    papers = [paper("new", year=2025, authors=("Li Wei",)), paper("old", year=2020, authors=("Li-Wei",))]
    slugs = {c.name: c.slug for c in groups.group_by_coauthor(papers).values()}
    assert slugs == {"Li-Wei": "li-wei", "Li Wei": "li-wei-2"}
    # A newer namesake does not take the address of the one already listed.
    papers.append(paper("newest", year=2026, authors=("LI WEI",)))
    slugs = {c.name: c.slug for c in groups.group_by_coauthor(papers).values()}
    assert slugs["Li-Wei"] == "li-wei" and slugs["Li Wei"] == "li-wei-2" and slugs["LI WEI"] == "li-wei-3"


def test_tags_that_share_a_page_are_one_group():
    papers = [paper("a", tags=("Safe RL",)), paper("b", year=2023, tags=("safe-rl", "rlhf", "SAFE_RL"))]
    assert groups.group_by_tag(papers) == {"rlhf": ("b",), "Safe RL": ("a", "b")}


def test_tags_whose_addresses_would_collide_keep_their_own_pages_oldest_first():
    """`C++` and `C#`, or two tags in Chinese, slugify alike (`c`, `x`) but are different tags: each keeps
    its papers and gets an address of its own; the one with the oldest paper keeps the plain one."""
    papers = [
        paper("new", year=2025, tags=("C#", "中文")),
        paper("mid", year=2023, tags=("c++", "日本語")),
        paper("old", year=2020, tags=("C++",)),
    ]
    index = build_index(papers)
    assert index.tags == {"C#": ("new",), "c++": ("mid", "old"), "中文": ("new",), "日本語": ("mid",)}
    assert groups.page_slugs(index.tags, index.by_slug) == {"c++": "c", "C#": "c-2", "日本語": "x", "中文": "x-2"}
    pages = browse.tag_pages(index, urls.Urls("/"))
    assert sorted((page.path, page.context["slugs"]) for page in pages[1:]) == [
        ("tags/c-2/", ("new",)),
        ("tags/c/", ("mid", "old")),
        ("tags/x-2/", ("new",)),
        ("tags/x/", ("mid",)),
    ]
    links = {entry.name: entry.url for entry in pages[0].context["entries"]}
    assert links == {"c++": "/tags/c/", "C#": "/tags/c-2/", "日本語": "/tags/x/", "中文": "/tags/x-2/"}
    # A newer paper's tag never takes an address already given.
    papers.insert(0, paper("newest", year=2026, tags=("C",)))
    index = build_index(papers)
    assert groups.page_slugs(index.tags, index.by_slug) == {
        "c++": "c",
        "C#": "c-2",
        "C": "c-3",
        "日本語": "x",
        "中文": "x-2",
    }


def test_venue_series_whose_addresses_would_collide_keep_their_own_pages():
    papers = [paper("a", venue="Nature"), paper("b", year=2020, venue="???"), paper("c", year=2021, venue="!!")]
    index = build_index(papers)
    pages = browse.venue_pages(index, urls.Urls("/"))
    assert sorted((page.path, page.context["slugs"]) for page in pages[1:]) == [
        ("venues/nature/", ("a",)),
        ("venues/x-2/", ("c",)),
        ("venues/x/", ("b",)),
    ]


def test_group_by_type_lists_types_in_cv_order_and_leaves_out_empty_ones():
    papers = [paper("a", venue="arXiv"), paper("b", venue="NeurIPS 2024"), paper("c", venue="Nature")]
    assert list(groups.group_by_type(papers).items()) == [
        ("conference", ("b",)),
        ("journal", ("c",)),
        ("preprint", ("a",)),
    ]


def test_build_index_holds_every_grouping_as_slugs_in_site_order():
    papers = [
        paper("old", year=2021, venue="ICML 2021", tags=("rl",)),
        paper("new", year=2024, venue="ICML 2024 (Oral)", tags=("rl", "safety"), authors=("Bo Chen", "Owner")),
    ]
    index = build_index(papers)
    assert index.years == {2024: ("new",), 2021: ("old",)}
    assert index.tags == {"rl": ("new", "old"), "safety": ("new",)}
    assert index.venues == {"ICML": ("new", "old")}
    assert index.types == {"conference": ("new", "old")}
    assert sorted(index.coauthors) == ["ann-lee", "bo-chen"]
    assert index.coauthor_slugs == {"Ann Lee": "ann-lee", "Bo Chen": "bo-chen"}
    assert index.related == {"new": ("old",), "old": ("new",)}


def test_a_collaboration_paper_makes_no_coauthor_pages_and_the_index_says_so():
    """101 authors or more: a detector's or a consortium's paper; 2,000 names would make 2,000 pages."""
    crowd = tuple(f"Member {n}" for n in range(groups.COLLABORATION_SIZE)) + ("Owner",)
    papers = [
        paper("small", year=2024, authors=("Ann Lee", "Member 1", "Owner")),
        paper("big", year=2023, authors=crowd),  # 101 authors
        paper("edge", year=2022, authors=crowd[1:]),  # 100 authors: counted
    ]
    index = build_index(papers)
    assert index.coauthors["member-1"].papers == ("small", "edge")
    assert index.coauthors["member-99"].papers == ("edge",)
    assert "member-0" not in index.coauthors and index.coauthors["ann-lee"].papers == ("small",)
    pages = browse.coauthor_pages(index, urls.Urls("/"))
    assert pages[0].context["collaborations"] == 1 and len(pages) == 1 + len(index.coauthors)
