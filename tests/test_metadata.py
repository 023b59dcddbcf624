"""Machine-readable output read back with real parsers: HTML meta tags, JSON-LD, Atom, sitemap."""

from __future__ import annotations

import html
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from htmlparse import Page
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from paperfolio.pipeline import Project, build

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "basic"
BASE = "https://example.github.io/portfolio/"
HOSTILE_TITLE = "<script>alert('title')</script> Breaking ]]> \"quotes\""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("meta") / "project"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    out = root.parent / "site"
    build(Project(root), out, base_url=BASE, env={})
    return out


def metas(page: Page, name: str) -> list[str]:
    return [e.attrs["content"] for e in page.find_all("meta") if e.attrs.get("name") == name]


def test_highwire_tags_follow_scholar(site: Path):
    page = Page.read(site / "papers/newest-first/index.html")
    assert metas(page, "citation_title") == ["Newest Paper Comes First"]
    assert metas(page, "citation_author") == ["Ada Lovelace", "Juntao Dai"]
    assert metas(page, "citation_publication_date") == ["2025/6/1"]
    assert metas(page, "citation_pdf_url") == ["https://arxiv.org/pdf/2506.00001"]
    assert metas(page, "citation_arxiv_id") == ["2506.00001"]
    assert metas(page, "citation_abstract") == ["The newest abstract."]


def test_partial_date_and_no_pdf(site: Path):
    page = Page.read(site / "papers/partial-date/index.html")
    assert metas(page, "citation_publication_date") == ["2021"]
    assert metas(page, "citation_pdf_url") == []


def test_json_ld_parses_and_cannot_break_out(site: Path):
    html = (site / "papers/html-in-title/index.html").read_text()
    page = Page(html)
    (script,) = [e for e in page.find_all("script") if e.attrs.get("type") == "application/ld+json"]
    data = json.loads(script.text)
    assert data["@type"] == "ScholarlyArticle"
    assert data["url"] == BASE + "papers/html-in-title/"
    assert [a["name"] for a in data["author"]] == ["<img src=x onerror=alert(1)>", "Juntao Dai"]
    start = html.index('<script type="application/ld+json">')
    block = html[start : html.index("</script>", start)]
    assert "<script>" not in block[len('<script type="application/ld+json">') :] and "<img" not in block


def test_canonical_and_open_graph(site: Path):
    page = Page.read(site / "papers/newest-first/index.html")
    canonical = [e.attrs["href"] for e in page.find_all("link") if e.attrs.get("rel") == "canonical"]
    assert canonical == [BASE + "papers/newest-first/"]
    og = {e.attrs["property"]: e.attrs["content"] for e in page.find_all("meta") if "property" in e.attrs}
    assert og["og:title"] == "Newest Paper Comes First" and og["og:url"] == canonical[0]
    assert metas(page, "description") == ["The newest abstract."]


def test_site_feed_with_feedparser(site: Path):
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    titles = [e.title for e in feed.entries]
    assert titles[0] == "Newest Paper Comes First" and len(titles) == 6
    entry = feed.entries[0]
    assert entry.link == BASE + "papers/newest-first/"
    assert entry.published_parsed[:3] == (2025, 6, 1)
    assert [a.name for a in entry.authors] == ["Ada Lovelace", "Juntao Dai"]
    hostile = next(e for e in feed.entries if "Breaking" in e.title)
    assert "alert('title')" not in hostile.get("summary", "")


def test_category_feed_lists_only_its_papers(site: Path):
    feed = feedparser.parse((site / "categories/cs.ai/feed.xml").read_bytes())
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Newest Paper Comes First"]
    page = Page.read(site / "categories/cs.ai/index.html")
    alternates = [e.attrs["href"] for e in page.find_all("link") if e.attrs.get("rel") == "alternate"]
    assert "/portfolio/categories/cs.ai/feed.xml" in alternates


def test_sitemap_lists_every_page_absolutely(site: Path):
    tree = ET.parse(site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in tree.getroot().findall("s:url/s:loc", ns)]
    html_pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    assert len(locs) == len(html_pages)
    assert all(loc.startswith(BASE) for loc in locs)
    assert BASE + "papers/chosen-slug/" in locs
    # Crawlers read robots.txt at the host's root only: /portfolio/robots.txt would never be read.
    assert not (site / "robots.txt").exists()


def test_robots_txt_names_the_sitemap_of_a_site_at_a_hosts_root():
    from paperfolio import sitemap
    from paperfolio.settings import Settings

    files = sitemap.sitemap_files(Settings(base_url="https://ada.example/"), {"index.html": b""})
    assert files["robots.txt"] == b"User-agent: *\nAllow: /\nSitemap: https://ada.example/sitemap.xml\n"
    assert b"<loc>https://ada.example/</loc>" in files["sitemap.xml"]


def test_citation_files_exist_and_parse(site: Path):
    import bibtexparser

    library = bibtexparser.parse_string((site / "papers.bib").read_text())
    assert len(library.entries) == 6
    assert len(json.loads((site / "papers.json").read_text())) == 6
    page = Page.read(site / "papers/newest-first/index.html")
    downloads = [e.attrs["href"] for e in page.find_all("a") if "download" in e.attrs]
    assert len(downloads) == 3
    for href in downloads:
        assert (site / href.removeprefix("/portfolio/")).is_file()


def test_every_default_paper_page_carries_scholar_and_json_ld_metadata(tmp_path_factory):
    """The default site's pages, read back: Highwire authors in order, JSON-LD that parses, a feed entry each."""
    from paperfolio.pipeline import load

    out = tmp_path_factory.mktemp("default") / "site"
    build(Project(REPO), out, base_url=BASE, env={})
    papers = load(Project(REPO), env={}).papers
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == len(papers) == 37
    venue_kinds = set()
    for paper in papers:
        page = Page.read(out / "papers" / paper.slug / "index.html")
        assert metas(page, "citation_author") == [a.name for a in paper.authors], paper.slug
        assert metas(page, "citation_publication_date") and metas(page, "citation_title")
        assert metas(page, "citation_arxiv_id") == [paper.arxiv_id]
        (script,) = [e for e in page.find_all("script") if e.attrs.get("type") == "application/ld+json"]
        data = json.loads(script.text)
        assert data["url"] == f"{BASE}papers/{paper.slug}/"
        assert f"https://arxiv.org/abs/{paper.arxiv_id}" in data["sameAs"]
        if paper.venue:
            assert metas(page, "citation_conference_title") or metas(page, "citation_journal_title"), paper.slug
        assert_schema_org(data, "ScholarlyArticle")
        venue_kinds.add(next((data[key]["@type"] for key in ("isPartOf", "publication") if key in data), None))
    assert venue_kinds == {"Periodical", "PublicationEvent", None}  # journals, conferences and preprints, no venue


# What schema.org (https://schema.org/, release 29) defines for the types paperfolio writes: each property's
# range, and each type's parents. A validator (the Schema Markup Validator, Google's Rich Results Test) flags a
# property a type does not have and a value of a type outside the property's range.
SCHEMA_RANGES = {
    "name": {"Text"},
    "headline": {"Text"},
    "abstract": {"Text"},
    "author": {"Person", "Organization"},
    "datePublished": {"Date", "DateTime"},
    "url": {"URL"},
    "sameAs": {"URL"},
    "isPartOf": {"CreativeWork", "URL"},
    "publication": {"PublicationEvent"},
    "keywords": {"DefinedTerm", "Text", "URL"},
    "identifier": {"PropertyValue", "Text", "URL"},
    "propertyID": {"Text", "URL"},
    "value": {"Text", "Number", "Boolean", "StructuredValue"},
    "mainEntity": {"Thing"},
    "jobTitle": {"Text", "DefinedTerm"},
    "affiliation": {"Organization"},
    "description": {"Text", "TextObject"},
    "image": {"ImageObject", "URL"},
    "email": {"Text"},
}
SCHEMA_PARENTS = {
    "ScholarlyArticle": "Article",
    "Article": "CreativeWork",
    "Periodical": "CreativeWorkSeries",
    "CreativeWorkSeries": "CreativeWork",
    "PublicationEvent": "Event",
    "PropertyValue": "StructuredValue",
    "StructuredValue": "Intangible",
    "ProfilePage": "WebPage",
    "WebPage": "CreativeWork",
}
SCHEMA_PROPERTIES = {  # the properties used here that each type has, its own or inherited
    "Thing": {"name", "url", "sameAs", "identifier", "description", "image"},
    "CreativeWork": {
        *("headline", "abstract", "author", "datePublished", "isPartOf", "publication", "keywords", "mainEntity")
    },
    "PropertyValue": {"propertyID", "value"},
    "Person": {"jobTitle", "affiliation", "email"},
}


def schema_ancestry(kind: str) -> list[str]:
    chain = [kind]
    while chain[-1] in SCHEMA_PARENTS:
        chain.append(SCHEMA_PARENTS[chain[-1]])
    return [*chain, "Thing"]


def assert_schema_org(data: dict, kind: str) -> None:
    """Fail on a property `kind` does not have or a value outside its property's range, recursively."""
    assert data["@type"] == kind
    allowed = set().union(*(SCHEMA_PROPERTIES.get(k, set()) for k in schema_ancestry(kind)))
    for key, value in data.items():
        if key.startswith("@"):
            continue
        assert key in allowed, f"{kind} has no property {key}"
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                ranges = SCHEMA_RANGES[key]
                assert ranges & set(schema_ancestry(item["@type"])), f"{key} takes {ranges}, not {item['@type']}"
                assert_schema_org(item, item["@type"])
            else:
                assert isinstance(item, str) and SCHEMA_RANGES[key] & {"Text", "URL", "Date", "DateTime"}, key


def test_schema_org_check_refuses_what_validators_flag():
    article = {"@type": "ScholarlyArticle", "name": "x"}
    assert_schema_org(article, "ScholarlyArticle")
    with pytest.raises(AssertionError, match="isPartOf takes"):
        assert_schema_org({**article, "isPartOf": {"@type": "Event", "name": "NeurIPS"}}, "ScholarlyArticle")
    with pytest.raises(AssertionError, match="has no property"):
        assert_schema_org({**article, "venue": "NeurIPS"}, "ScholarlyArticle")


@pytest.mark.parametrize(("limit", "expected"), [(2, 2), (0, 6)])
def test_feeds_carry_the_newest_papers_up_to_feed_limit(tmp_path: Path, limit: int, expected: int):
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    settings = root / "paperfolio.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + f"feed_limit: {limit}\n", encoding="utf-8")
    build(Project(root), tmp_path / "site", base_url=BASE, env={}, use_cache=False)
    feed = feedparser.parse((tmp_path / "site" / "feed.xml").read_bytes())
    assert not feed.bozo
    dates = [e.published_parsed[:3] for e in feed.entries]
    assert len(dates) == expected and dates == sorted(dates, reverse=True)
    assert feed.entries[0].title == "Newest Paper Comes First"
    # Every paper stays in the site-wide BibTeX whatever the feed carries.
    bib = (tmp_path / "site" / "papers.bib").read_text(encoding="utf-8")
    assert len([line for line in bib.splitlines() if line.startswith("@")]) == 6


@pytest.mark.parametrize("base", ["https://example.org/a&b/", "/", "/portfolio/"])
@pytest.mark.parametrize("names", [[], ["index.html", "404.html", "papers/x&y/index.html", "feed.xml", "a<b>.html"]])
def test_sitemap_text_is_what_elementtree_writes(base: str, names: list[str]):
    """The sitemap is written as text; these are the bytes ElementTree made for it before."""
    from types import SimpleNamespace

    from paperfolio.metadata import page_url
    from paperfolio.sitemap import SITEMAP, site_path, sitemap_files

    settings = SimpleNamespace(base_url=base)
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for name in sorted(names):
        if name.endswith(".html") and name != "404.html":
            url = ET.SubElement(root, f"{{{SITEMAP}}}url")
            ET.SubElement(url, f"{{{SITEMAP}}}loc").text = page_url(settings, site_path(name))
    expected = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
    assert sitemap_files(settings, dict.fromkeys(names, b""))["sitemap.xml"] == expected


def test_open_graph_title_is_the_page_title_on_every_page(site: Path):
    # Listing pages pass their rendered <title> block (escaped HTML) to the head tags; it must be read
    # back as text, not escaped a second time ("O'Gara" once showed as "O&#39;Gara" in link previews).
    checked = 0
    for path in site.rglob("*.html"):
        page = Page.read(path)
        og = [e.attrs["content"] for e in page.find_all("meta") if e.attrs.get("property") == "og:title"]
        if og:
            title = page.find("title").text
            assert len(og) == 1 and title.startswith(og[0]), path
            checked += 1
    assert checked > 20


# The fast paths of the head tags against what they stand in for.

WORDS = ["<", ">", "&", '"', "'", "&amp;", "&#39;", "&lt;b&gt;", "<b>", "</i>", "<!--", "-->", " ", "  ", "\t", "\n",
         "\u00a0", "\u2003", "é", "—", "中文", "𝔘", "\x00", "]]>", "</script>", "\\", "/", "word"]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=5)), max_size=12).map("".join)


@given(texts)
def test_attribute_escaping_is_html_escape(text: str):
    from paperfolio.metadata import _attribute

    assert _attribute(text) == html.escape(text, quote=True)


@pytest.mark.parametrize("text", ["", "plain", "a&b", 'say "hi"', "it's", "<b>", "x > y", "&amp;"])
def test_attribute_escaping_is_html_escape_on_the_hard_cases(text: str):
    from paperfolio.metadata import _attribute

    assert _attribute(text) == html.escape(text, quote=True)


@given(texts)
def test_markup_reads_back_as_striptags_reads_it(text: str):
    from paperfolio.metadata import _text

    for markup in (Markup(text), escape(text)):  # layouts pass trusted HTML and escaped text alike
        assert _text(markup) == markup.striptags()
    assert _text(text) == text  # a plain string is text already


@pytest.mark.parametrize("text", ["", " a  b\t\nc ", "\u00a0x\u2003y", "a <!-- c --> b", "Q&amp;A", "a < b", "x > y"])
def test_markup_reads_back_as_striptags_reads_it_on_the_hard_cases(text: str):
    from paperfolio.metadata import _text

    assert _text(Markup(text)) == Markup(text).striptags()


def straightforward_json_ld(view, canonical: str) -> str:
    """Return what `json_ld` must write: its object as a dict through `json.dumps`, made safe for a script element."""
    from paperfolio.citations import kind

    paper = view.paper
    same_as = [link.url for link in paper.links if link.kind in ("arxiv", "doi") and link.url]
    data: dict = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "name": view.title_text,
        "headline": view.title_text[:110],
        "author": [straightforward_person(a) for a in paper.authors],
        "datePublished": paper.date.iso,
        "url": canonical,
    }
    if view.abstract_text:
        data["abstract"] = view.abstract_text
    if same_as:
        data["sameAs"] = same_as
    if paper.venue:
        if kind(paper) == "journal":
            data["isPartOf"] = {"@type": "Periodical", "name": paper.venue}
        else:
            data["publication"] = {"@type": "PublicationEvent", "name": paper.venue}
    if paper.tags:
        data["keywords"] = list(paper.tags)
    if paper.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": paper.doi}
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def straightforward_person(author) -> dict:
    person = {"@type": "Person", "name": author.name}
    if author.orcid:
        person["identifier"] = f"https://orcid.org/{author.orcid}"
    if author.url:
        person["url"] = author.url
    return person


LONG_TITLE = "A title long enough for the 110-character headline to be cut short. " * 2


@st.composite
def papers(draw: st.DrawFn):
    """Return a paper whose every JSON-LD field may be missing or full of characters JSON and HTML treat specially."""
    from paperfolio.model import Author, Link, Paper, PaperDate

    people = draw(st.lists(texts.filter(bool), min_size=1, max_size=4))
    links = []
    if draw(st.booleans()):
        links.append(
            Link("arxiv", draw(st.sampled_from(["https://arxiv.org/abs/2401.00001", "https://x.org/<&>"])), "arXiv")
        )
    if draw(st.booleans()):
        links.append(Link("doi", "https://doi.org/10.1000/" + draw(texts), "DOI"))
    return Paper(
        source="content/papers/p.md",
        slug="p",
        title=draw(texts.filter(str.strip) | texts.map(lambda text: LONG_TITLE + text)),
        authors=tuple(
            Author(name, orcid=draw(st.sampled_from([None, "0000-0002-1825-0097"])), url=draw(st.none() | texts))
            for name in people
        ),
        et_al=False,
        date=PaperDate(2024, draw(st.none() | st.integers(1, 12))),
        categories=("cs.CL",),
        abstract=draw(texts),
        venue=draw(st.none() | texts.filter(bool)),
        links=tuple(links),
        tags=tuple(draw(st.lists(texts.filter(bool), max_size=3))),
        pub_type=draw(st.sampled_from([None, "journal", "conference"])),
    )


@settings(max_examples=300, deadline=None)
@given(papers(), st.sampled_from(["https://example.org/papers/p/", "/papers/p/", "https://x.org/a&b<c>/"]))
def test_json_ld_is_what_json_dumps_writes(paper, canonical: str):
    from paperfolio.metadata import json_ld
    from paperfolio.model import Settings
    from paperfolio.urls import Urls
    from paperfolio.views import paper_view

    view = paper_view(paper, Settings(owner_name="Juntao Dai"), Urls("/"))
    assert json_ld(view, canonical) == straightforward_json_ld(view, canonical)


@pytest.mark.parametrize("name", ["", "Ada Lovelace's papers/feed.xml", "Jüntao 戴/papers/x/", "a" * 300])
def test_feed_ids_are_the_uuid_modules_name_based_ids(name: str) -> None:
    """Without a host in the base URL, feed and entry ids are RFC 4122 version-5 UUIDs, written without
    the `uuid` module (start-up time): they are the ones it makes, so ids stay as they were."""
    import uuid

    from paperfolio.feeds import _NAMESPACE, uuid5

    assert uuid5(name) == str(uuid.uuid5(uuid.UUID(_NAMESPACE), name))


def test_the_home_page_describes_the_researcher_as_a_profile_page(tmp_path: Path):
    """schema.org ProfilePage with the researcher as its Person: what search engines read for a person. The
    photo is a full address that names the copied file; `sameAs` holds the profiles that are the same person
    (not the e-mail, not the CV); the bio is its plain text."""
    from urllib.parse import unquote, urlsplit

    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    (root / "assets" / "me 1.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "assets" / "cv.pdf").write_bytes(b"%PDF-1.4\n")
    (root / "paperfolio.yaml").write_text(
        "profile:\n  name: Ada Lovelace\n  role: Analyst\n  affiliation: Analytical Society\n"
        "  photo: me 1.png\n  bio: 'Works on *engines* & <notes>.'\n  links:\n    email: ada@example.org\n"
        "    cv: /assets/cv.pdf\n    github: https://github.com/ada\n    orcid: 0000-0002-1825-0097\n",
        encoding="utf-8",
    )
    build(Project(root), tmp_path / "site", base_url=BASE, env={})
    page = Page.read(tmp_path / "site" / "index.html")
    (script,) = [e for e in page.find_all("script") if e.attrs.get("type") == "application/ld+json"]
    data = json.loads(script.text)
    assert_schema_org(data, "ProfilePage")
    person = data["mainEntity"]
    assert data["url"] == person["url"] == BASE
    assert (person["name"], person["jobTitle"], person["affiliation"]["name"]) == (
        "Ada Lovelace",
        "Analyst",
        "Analytical Society",
    )
    assert person["description"] == "Works on engines & ."  # the sanitiser drops the unknown tag <notes>
    assert person["email"] == "ada@example.org"
    assert person["sameAs"] == ["https://github.com/ada", "https://orcid.org/0000-0002-1825-0097"]
    image = urlsplit(person["image"])
    assert f"{image.scheme}://{image.netloc}/" == "https://example.github.io/"
    assert (tmp_path / "site" / unquote(image.path).removeprefix("/portfolio/")).is_file()
    # The link preview of the home page shows the photo too; other pages have none.
    assert metas_by_property(page, "og:image") == ["https://example.github.io/portfolio/assets/me%201.png"]
    assert metas_by_property(page, "og:image:alt") == ["Photo of Ada Lovelace"]
    assert metas_by_property(Page.read(tmp_path / "site" / "categories" / "index.html"), "og:image") == []


def metas_by_property(page: Page, name: str) -> list[str]:
    return [e.attrs["content"] for e in page.find_all("meta") if e.attrs.get("property") == name]


@pytest.mark.parametrize(
    ("pub_type", "venue_tag"),
    [
        ("thesis", "citation_dissertation_institution"),
        ("report", "citation_technical_report_institution"),
        ("book", "citation_publisher"),
        ("conference", "citation_conference_title"),
        ("journal", "citation_journal_title"),
    ],
)
def test_the_venue_tag_names_what_kind_of_work_it_is(tmp_path: Path, pub_type: str, venue_tag: str):
    """Zotero's Embedded Metadata import takes the item type from these tags: a thesis had none and was
    imported as a journal article without its university; Scholar's guidelines name the first two."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    text = "---\ntitle: A Work\nauthors: [Ada Lovelace]\ndate: 2020\ncategories: [LG]\nvenue: Where It Went\n"
    (root / "content" / "papers" / "work.md").write_text(text + f"pub_type: {pub_type}\n---\nAbstract.\n", "utf-8")
    build(Project(root), tmp_path / "site", base_url=BASE, env={})
    page = Page.read(tmp_path / "site" / "papers" / "work" / "index.html")
    tags = [e.attrs["name"] for e in page.find_all("meta") if e.attrs.get("content") == "Where It Went"]
    assert tags == [venue_tag]


def zotero_creators(values: list[str]) -> list[tuple[str, str]]:
    """Return (last, first) for each `citation_author` value as Zotero's Embedded Metadata import reads them
    (zotero/translators, `processHighwireCreators`, and `Zotero.Utilities.cleanAuthor`): a lone tag is split at
    commas when words with spaces stand on both sides, a value equal to the one before is skipped, an inverted
    name is split at its comma, any other at its last space."""
    creators, last = [], None
    for value in values:
        names = value.split(";")
        if len(values) == 1:
            by_comma = [part.strip() for part in value.split(",")]
            if len(by_comma) > 1 and " " in by_comma[0] and " " in by_comma[1]:
                names = by_comma
        for name in (name.strip() for name in names):
            if name == last:
                continue
            last = name
            if "," in name:
                family, given = name.split(",")[:2]
                creators.append((family.strip(), given.strip()))
            else:
                given, _, family = name.rpartition(" ")
                creators.append((family, given))
    return creators


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        (
            ["Guido van Rossum", "Martin Luther King Jr.", "Jiaming Ji", "Ji, Jiaming"],
            [("van Rossum", "Guido"), ("King", "Martin Luther"), ("Ji", "Jiaming"), ("Ji", "Jiaming")],
        ),
        (["Wei Zhang", "Wei Zhang", "Wei Zhang"], [("Zhang", "Wei")] * 3),
        (["Guido van Rossum"], [("van Rossum", "Guido")]),
        # The only author, with spaces on both sides of the family name's comma: one person, not two.
        (["de Jong, Anna Maria"], [("Jong", "Anna Maria de")]),
    ],
)
def test_zotero_reads_every_author_as_the_exports_split_them(tmp_path: Path, authors, expected):
    """Zotero took `Guido van Rossum`'s family name to be Rossum and `King Jr.`'s to be Jr, dropped the second
    of two co-authors with the same name, and made two people of a lone `de Jong, Anna Maria`."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    text = f"---\ntitle: A Work\nauthors: {json.dumps(authors)}\ndate: 2020\ncategories: [LG]\n---\nAbstract.\n"
    (root / "content" / "papers" / "work.md").write_text(text, "utf-8")
    build(Project(root), tmp_path / "site", base_url=BASE, env={})
    page = Page.read(tmp_path / "site" / "papers" / "work" / "index.html")
    assert zotero_creators(metas(page, "citation_author")) == expected


@pytest.mark.parametrize(
    ("pub_type", "extra", "expected"),
    [
        (
            "journal",
            "{volume: 12, number: '3', pages: 101--120, issn: 1234-5678, series: LNCS}",
            [
                ("citation_journal_title", "Where It Went"),
                ("citation_volume", "12"),
                ("citation_issue", "3"),
                ("citation_firstpage", "101"),
                ("citation_lastpage", "120"),
                ("citation_series_title", "LNCS"),
                ("citation_issn", "1234-5678"),
            ],
        ),
        # A book's publisher is its venue already; its ISBN is what makes Zotero import it as a book.
        (
            "book",
            "{publisher: Other Press, isbn: 978-3-16-148410-0, pages: '300'}",
            [
                ("citation_publisher", "Where It Went"),
                ("citation_firstpage", "300"),
                ("citation_isbn", "978-3-16-148410-0"),
            ],
        ),
        (
            "report",
            "{number: TR-7}",
            [("citation_technical_report_institution", "Where It Went"), ("citation_technical_report_number", "TR-7")],
        ),
    ],
)
def test_highwire_tags_carry_the_details_the_exports_carry(tmp_path: Path, pub_type: str, extra: str, expected):
    """Volume, issue and pages went into the BibTeX, RIS and CSL-JSON but not into the tags, which Scholar's
    guidelines ask of journal and conference papers and Zotero's Embedded Metadata import reads."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    text = "---\ntitle: A Work\nauthors: [Ada Lovelace]\ndate: 2020\ncategories: [LG]\nvenue: Where It Went\n"
    text += f"pub_type: {pub_type}\nextra: {extra}\n---\nAbstract.\n"
    (root / "content" / "papers" / "work.md").write_text(text, "utf-8")
    build(Project(root), tmp_path / "site", base_url=BASE, env={})
    page = Page.read(tmp_path / "site" / "papers" / "work" / "index.html")
    names = ("citation_publication_date", "citation_pdf_url", "citation_abstract", "citation_title", "citation_author")
    tags = [
        (e.attrs["name"], e.attrs["content"]) for e in page.find_all("meta") if "citation_" in e.attrs.get("name", "")
    ]
    assert [tag for tag in tags if tag[0] not in names] == expected


def zotero_publication_title(page: Page) -> str | None:
    """Return the publication title Zotero's Embedded Metadata import gives a page: its RDF import (zotero/translators,
    RDF.js `importItem`) takes the first of PRISM's publicationName, Eprints' publication and book_title, Dublin Core's
    source and Open Graph's `og:site_name`; then the Highwire journal or book title, when there is one, replaces it."""
    tags = {}
    for element in page.find_all("meta"):
        name = element.attrs.get("name") or element.attrs.get("property") or ""
        tags.setdefault(name.lower(), element.attrs.get("content"))
    for name in ("citation_journal_title", "citation_inbook_title"):
        if tags.get(name):
            return tags[name]
    rdf = ("prism.publicationname", "eprints.publication", "eprints.book_title", "dc.source", "dcterms.source")
    return next((tags[name] for name in (*rdf, "og:site_name") if tags.get(name)), None)


@pytest.mark.parametrize("venue", ["NeurIPS 2024", "Notes of a Reading Group"])
def test_zotero_takes_no_site_title_for_a_papers_proceedings(tmp_path: Path, venue: str):
    """Zotero read `og:site_name` as the publication: a conference paper came in with the site's title as its
    proceedings title, and a paper of no known kind as a journal article published in the site. A page that is
    no paper keeps the tag, the website's title Zotero gives a web page."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    text = (
        f"---\ntitle: A Work\nauthors: [Ada Lovelace]\ndate: 2020\ncategories: [LG]\nvenue: {venue}\n---\nAbstract.\n"
    )
    (root / "content" / "papers" / "work.md").write_text(text, "utf-8")
    build(Project(root), tmp_path / "site", base_url=BASE, env={})
    assert zotero_publication_title(Page.read(tmp_path / "site" / "papers" / "work" / "index.html")) is None
    home = Page.read(tmp_path / "site" / "index.html")
    assert zotero_publication_title(home) == metas_by_property(home, "og:site_name")[0] != ""


def test_feed_content_carries_a_display_formula_without_its_tab_stop(make_project, tmp_path: Path):
    """A display formula's span is a Tab stop on the page (so a keyboard can scroll it); the feed carried
    `tabindex="0"` too, which feedparser hands on to a reader's page as a Tab stop nobody asked for."""
    text = "---\ntitle: A Formula\nauthors: [Juntao Dai]\ndate: 2024-05-01\ncategories: [CL]\n---\nText.\n\n$$x^2$$\n"
    root = make_project({"formula.md": text})
    build(Project(root), tmp_path / "site", base_url=BASE, env={}, use_cache=False)
    page = (tmp_path / "site" / "papers" / "formula" / "index.html").read_text(encoding="utf-8")
    assert '<span class="math-display" tabindex="0"><math display="block">' in page
    feed = feedparser.parse((tmp_path / "site" / "feed.xml").read_bytes())
    assert not feed.bozo
    content = feed.entries[0].content[0].value
    assert '<span class="math-display"><math display="block"' in content
    assert "<mi>x</mi><mn>2</mn>" in content and "tabindex" not in content


def test_a_feed_of_no_paper_has_a_date_a_feed_validator_accepts(make_project, tmp_path: Path):
    """A site of drafts only wrote a feed `updated` in 1970, the Unix epoch, which the W3C Feed Validator
    calls an implausible date (it takes none before 1990); the fixed date it has now keeps the bytes the same."""
    draft = "---\ntitle: Not Yet\nauthors: [Juntao Dai]\ndate: 2024-05-01\ncategories: [CL]\ndraft: true\n---\nSoon.\n"
    root = make_project({"draft.md": draft})
    build(Project(root), tmp_path / "site", base_url=BASE, env={}, use_cache=False)
    feed = feedparser.parse((tmp_path / "site" / "feed.xml").read_bytes())
    assert not feed.bozo and feed.entries == []
    assert feed.feed.updated == "2000-01-01T00:00:00Z"
