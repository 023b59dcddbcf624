"""The site index's fast paths agree with the plain definitions they replaced, on generated papers.

Each `plain_*` function below is the slow, obvious way to compute the same thing (the related-papers
ranking is the pair-by-pair loop `related._rank` used before). Small pools of names, tags, categories
and venues make collisions, ties and capped keys common.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import defaultdict
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from paperfolio import categories, feeds, groups, related, urls
from paperfolio.index import build_index, sort_papers
from paperfolio.metadata import page_url
from paperfolio.model import Author, Paper, PaperDate, Settings

NAMES = ["Ann Lee", "Bo Chen", "Li Wei", "Li-Wei", "LI WEI", "Zoë Ünal", "A. Lee", "Owner", "J. Owner"]
TAGS = ["rl", "RL", "Safe RL", "safe-rl", "SAFE_RL", "nlp", "Straße", "strasse", "日本", "中文", "C++", "C#", "c"]
CATEGORIES = ["cs.CL", "cs.LG", "cs.AI", "stat.ML"]
VENUES = [None, "", "NeurIPS 2024 (Oral)", "NIPS 2017", "ICML 2023", "Findings of EMNLP 2025", "arXiv", "Nature"]
ALIASES = {"A. Lee": "Ann Lee", "J. Owner": "Owner"}
OWNERS = frozenset({"Owner"})


@st.composite
def papers(draw, max_size: int = 14) -> list[Paper]:
    """Draw a list of papers with unique slugs from small pools of every key."""
    count = draw(st.integers(0, max_size))
    made = []
    for i in range(count):
        names = draw(st.lists(st.sampled_from(NAMES), max_size=5))
        made.append(
            Paper(
                source=f"p{i}.md",
                slug=f"p{i}",
                title=draw(st.sampled_from(["A", "b", "B", "c"])),
                authors=tuple(Author(name, is_owner=name == "Owner") for name in names),
                et_al=False,
                date=PaperDate(draw(st.integers(2019, 2024)), draw(st.one_of(st.none(), st.integers(1, 12)))),
                categories=tuple(draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3))),
                abstract="",
                venue=draw(st.sampled_from(VENUES)),
                tags=tuple(draw(st.lists(st.sampled_from(TAGS), max_size=3))),
            )
        )
    return made


def plain_rank(papers, keys, limit, key_cap):
    """Return the related papers as `related._rank` did: weights added pair by pair, then sorted."""
    postings = defaultdict(list)
    for i, paper_keys in enumerate(keys):
        for key in paper_keys:
            postings[key].append(i)
    result = {}
    for i, paper in enumerate(papers):
        scores = defaultdict(int)
        for key in keys[i]:
            if len(postings[key]) <= key_cap:
                for j in postings[key]:
                    scores[j] += related.WEIGHTS[key[0]]
        scores.pop(i, None)
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        result[paper.slug] = tuple(papers[j].slug for j, _ in best)
    return result


def plain_slugify(text: str) -> str:
    """Return the slug as `urls.slugify` made it before its ASCII shortcut."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "x"


def plain_words(text: str) -> tuple[str, ...]:
    """Return a name's words in one case: what the names of one tag share (`Safe RL`, `safe-rl`)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return tuple(word for word in re.split(r"[\s_\u2010-\u2015-]+", folded) if word)


def plain_group(papers, keys_of) -> dict[str, tuple[str, ...]]:
    """Return name -> slugs of the papers with a key of that name's words; a name is its first spelling met."""
    names: dict[tuple[str, ...], str] = {}
    for paper in papers:
        for key in keys_of(paper):
            names.setdefault(plain_words(key), key)
    grouped = {
        name: tuple(p.slug for p in papers if any(plain_words(key) == words for key in keys_of(p)))
        for words, name in names.items()
    }
    return {name: grouped[name] for name in sorted(grouped, key=lambda n: (n.casefold(), n))}


@given(papers(), st.integers(1, 6), st.integers(1, 8))
def test_related_papers_rank_as_the_pair_by_pair_loop(found, limit, key_cap):
    ordered = sort_papers(found)
    coauthors = groups.group_by_coauthor(ordered, aliases=ALIASES, owner_names=OWNERS).values()
    keys = related.paper_keys(ordered, coauthors)
    expected = plain_rank(ordered, keys, limit, key_cap)
    assert related.related_papers(ordered, coauthors, limit=limit, key_cap=key_cap) == expected


@given(papers(), st.data())
def test_two_parts_ranked_apart_make_the_whole(found, data):
    ordered = sort_papers(found)
    coauthors = list(groups.group_by_coauthor(ordered, aliases=ALIASES, owner_names=OWNERS).values())
    split = data.draw(st.integers(0, len(ordered)))
    ranker = related.Ranker(ordered, coauthors)
    first = ranker.rank(range(split))
    rest = related.Ranker(ordered, coauthors).rank(range(split, len(ordered)))  # as in another process
    assert ranker.rank(range(split, len(ordered))) == rest, "a second part ranked with the index made for the first"
    assert list(first) == [p.slug for p in ordered[:split]] and list(rest) == [p.slug for p in ordered[split:]]
    assert {**first, **rest} == related.related_papers(ordered, coauthors)


@given(
    st.lists(st.lists(st.tuples(st.sampled_from(sorted(related.WEIGHTS)), st.sampled_from("abc")), max_size=6)),
    st.integers(1, 6),
    st.integers(1, 10),
)
def test_rank_agrees_on_any_keys_with_mixed_weights_and_repeats(keys, limit, key_cap):
    slugs = [type("P", (), {"slug": f"p{i}"})() for i in range(len(keys))]
    assert related._rank(slugs, keys, limit, key_cap) == plain_rank(slugs, keys, limit, key_cap)


def test_rank_breaks_ties_by_site_order_past_the_last_place():
    # Seven papers tie with paper 0 at one shared tag; a later one shares two keys and comes first.
    keys = [[("tag", "t"), ("author", "x")]] + [[("tag", "t")]] * 6 + [[("tag", "t"), ("author", "x")]]
    slugs = [type("P", (), {"slug": f"p{i}"})() for i in range(len(keys))]
    assert related._rank(slugs, keys, 3, 64)["p0"] == ("p7", "p1", "p2")
    assert related._rank(slugs, keys, 3, 64) == plain_rank(slugs, keys, 3, 64)


@given(papers())
def test_tag_and_venue_groups_match_their_definitions(found):
    ordered = sort_papers(found)
    assert groups.group_by_tag(ordered) == plain_group(ordered, lambda p: p.tags)
    series = plain_group(ordered, lambda p: filter(None, [groups.venue_series(p.venue)]))
    assert groups.group_by_venue(ordered) == series


@given(papers())
def test_coauthors_list_every_shared_paper_and_its_years(found):
    ordered = sort_papers(found)
    coauthors = groups.group_by_coauthor(ordered, aliases=ALIASES, owner_names=OWNERS)
    expected = {}
    for paper in ordered:
        names = [ALIASES.get(a.name, a.name) for a in paper.authors if not a.is_owner and a.name not in OWNERS]
        for name in dict.fromkeys(names):
            if name not in OWNERS:
                expected.setdefault(name, []).append(paper)
    got = {c.name: (c.papers, c.first_year, c.last_year) for c in coauthors.values()}
    years = {name: [p.date.year for p in shared] for name, shared in expected.items()}
    assert got == {n: (tuple(p.slug for p in s), min(years[n]), max(years[n])) for n, s in expected.items()}
    assert len({c.slug for c in coauthors.values()}) == len(coauthors)


@given(papers(max_size=8))
def test_build_index_is_the_same_for_any_input_order(found):
    forward = build_index(found, aliases=ALIASES, owner_names=OWNERS)
    backward = build_index(found[::-1], aliases=ALIASES, owner_names=OWNERS)
    for name in ("papers", "categories", "years", "tags", "venues", "types", "coauthors", "related"):
        assert getattr(forward, name) == getattr(backward, name)


@given(st.text())
def test_slugify_matches_its_definition(text):
    assert urls.slugify(text) == plain_slugify(text)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_slugify_matches_its_definition_on_ascii(text):
    assert urls.slugify(text) == plain_slugify(text)


def test_slugify_hard_cases():
    for text in ("", "---", "Safe RL", "safe_rl", "℠ Tag", "Ünal", "李雷", "ǅemal", "ﬁne", "A\u0301"):
        assert urls.slugify(text) == plain_slugify(text), text


def et_entry_xml(settings, view) -> str:
    """Return a paper's Atom entry as `feeds.entry_xml` made it with ElementTree."""
    paper = view.paper
    path = urls.paper(paper.slug)
    entry = ET.Element("entry")
    ET.SubElement(entry, "title").text = view.title_text
    ET.SubElement(entry, "id").text = feeds.feed_id(settings, path)
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=page_url(settings, path))
    if view.image_url:
        origin = urls.Urls(settings.base_url).origin or ""
        kind = feeds.IMAGE_TYPES[view.image_url.rpartition(".")[2].lower()]
        ET.SubElement(entry, "link", rel="enclosure", type=kind, href=origin + view.image_url)
    stamp = feeds.rfc3339(paper.date)
    ET.SubElement(entry, "published").text = stamp
    ET.SubElement(entry, "updated").text = stamp
    for author in paper.authors or [Author("Unknown")]:
        ET.SubElement(ET.SubElement(entry, "author"), "name").text = author.name
    for code in paper.categories:
        ET.SubElement(entry, "category", term=code, label=categories.display_name(code))
    for tag in paper.tags:
        ET.SubElement(entry, "category", term=tag)
    if view.abstract_text:
        ET.SubElement(entry, "summary", type="text").text = view.abstract_text
        ET.SubElement(entry, "content", type="html").text = str(view.abstract_html)
    return ET.tostring(entry, encoding="unicode")


hostile = st.text() | st.sampled_from(["", "a & b", "<i>x</i>", "\"q\" 's'", "tab\tcr\rlf\n", "]]>", "&amp;"])


@given(hostile, st.sampled_from(["t", "link"]), st.dictionaries(st.sampled_from(["rel", "href", "term"]), hostile))
def test_element_is_written_as_elementtree_writes_it(text, tag, attributes):
    made = ET.Element(tag, attributes)
    made.text = text
    assert feeds.element(tag, text, **attributes) == ET.tostring(made, encoding="unicode")


@given(
    papers(max_size=3),
    st.lists(st.tuples(hostile, hostile, hostile), min_size=3, max_size=3),
    st.sampled_from(["/", "/sub/", "https://example.org/sub/"]),
    hostile,
    st.lists(st.sampled_from([None, "/sub/assets/a%20b.png", "/assets/x&y.SVG", "/assets/f.jpeg"]), min_size=3),
)
def test_feed_entries_and_heads_match_elementtree(found, texts, base_url, title, images):
    settings = Settings(title=title or "Publications", base_url=base_url, name=title)
    views = [
        SimpleNamespace(paper=p, slug=p.slug, title_text=t, abstract_text=a, abstract_html=h, image_url=i)
        for p, (t, a, h), i in zip(found, texts, images, strict=False)
    ]
    for view in views:
        assert feeds.entry_xml(settings, view) == et_entry_xml(settings, view)
    assert feeds.atom_feed(settings, title, "feed.xml", "", views) == et_atom_feed(settings, title, views)


def et_atom_feed(settings, title, views) -> bytes:
    """Return the site feed as `feeds.atom_feed` made it with ElementTree."""
    head = ET.Element("head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "id").text = feeds.feed_id(settings, "feed.xml")
    ET.SubElement(head, "link", rel="self", type="application/atom+xml", href=page_url(settings, "feed.xml"))
    ET.SubElement(head, "link", rel="alternate", type="text/html", href=page_url(settings, ""))
    newest = views[0].paper.date if views else feeds.EMPTY_UPDATED
    ET.SubElement(head, "updated").text = feeds.rfc3339(newest)
    ET.SubElement(ET.SubElement(head, "author"), "name").text = settings.name or settings.title
    ET.SubElement(head, "generator").text = "paperfolio"
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="{feeds.ATOM}">']
    parts += (ET.tostring(child, encoding="unicode") for child in head)
    parts += [et_entry_xml(settings, view) for view in views]
    return ("".join(parts) + "</feed>\n").encode()
