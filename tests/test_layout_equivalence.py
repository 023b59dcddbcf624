"""The layouts rewritten for speed render every page exactly as their straightforward versions did.

`fixtures/reference-layouts/` keeps those versions of the layouts that changed (a macro call per author
name, `selectattr | list`, `self.title()` passed to `site_meta`, categories mapped from their views);
every page, card and compact card of generated sites must come out byte for byte the same through both.
When the look changes on purpose, change the reference with it.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperfolio import browse
from paperfolio.index import build_index
from paperfolio.model import Author, Link, Paper, PaperDate, Settings
from paperfolio.pipeline import SiteData
from paperfolio.render import (
    COMPACT_CARD,
    Cards,
    asset_urls,
    make_environment,
    make_site_view,
    make_views,
    plan_pages,
    prepare_environment,
    render_batch,
)
from paperfolio.schema import LINK_LABELS
from paperfolio.urls import Urls

REPO = Path(__file__).resolve().parents[1]
LAYOUTS = REPO / "layouts"
REFERENCE = Path(__file__).resolve().parent / "fixtures" / "reference-layouts"
OWNER = "Juntao Dai"
NAMES = [OWNER, "Ada Lovelace", "Émile \"Q\" O'Brien", "Zoë & Co", "Li <b>Wei</b>", "Chen Li", "Ravi Rossi", "Lin Li",
         "Jun Müller", "Tom   Spacey", "A. N. Other", "Bo Zhang", "Sam Ng", "Kim Park", "Ola Nordmann"]  # fmt: skip
TEXTS = ["Plain words", "Q&A <i>models</i> \"quoted\"", "It's <script>alert(1)</script>", "Ünïcode — dash · dot",
         "Safe $\\alpha$-RL with \\textit{style}", "a <!-- c --> b", "Long " * 70]  # fmt: skip
ABSTRACTS = ["", "Short abstract.", "With $x^2$, *emphasis* & [a link](papers/x/).",
             "An abstract.\n\n## Method\n\nThe body, on the paper page only."]  # fmt: skip


@st.composite
def authors(draw: st.DrawFn) -> tuple[Author, ...]:
    """Return an author list in which any author may carry marks, an ORCID iD or a web site."""
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=14, unique=True))
    return tuple(
        Author(
            name,
            orcid=draw(st.sampled_from([None, "0000-0002-1825-0097"])),
            url=draw(st.sampled_from([None, "https://example.org/a?b=1&c=2"])),
            equal_contribution=draw(st.booleans()),
            corresponding=draw(st.booleans()),
            is_owner=name == OWNER,
        )
        for name in names
    )


@st.composite
def papers(draw: st.DrawFn, slug: str) -> Paper:
    """Return a paper drawing on every field the layouts show."""
    links = []
    for kind in draw(st.lists(st.sampled_from(sorted(LINK_LABELS)), unique=True, max_size=4)):
        url = None if kind == "code" and draw(st.booleans()) else f"https://example.org/{kind}?a=1&b=2"
        links.append(Link(kind, url, LINK_LABELS[kind]))
    month = draw(st.none() | st.integers(1, 12))
    day = None if month is None else draw(st.none() | st.integers(1, 28))
    codes = draw(st.lists(st.sampled_from(["cs.CL", "cs.AI", "cs.LG", "stat.ML"]), min_size=1, max_size=3, unique=True))
    return Paper(
        source=f"content/papers/{slug}.md",
        slug=slug,
        title=draw(st.sampled_from(TEXTS)) + f" {slug}",
        authors=draw(authors()),
        et_al=draw(st.booleans()),
        date=PaperDate(draw(st.integers(2018, 2025)), month, day),
        categories=tuple(codes),
        abstract=draw(st.sampled_from(ABSTRACTS)),
        affiliations=tuple(draw(st.lists(st.sampled_from(["pku", "cmu", "elsewhere"]), unique=True, max_size=2))),
        venue=draw(st.sampled_from([None, "NeurIPS 2024 (Oral)", 'Journal of "AI" & Safety', "arXiv"])),
        award=draw(st.sampled_from([None, 'Oral & "Spotlight"'])),
        links=tuple(links),
        tags=tuple(draw(st.lists(st.sampled_from(["safe rl", "RLHF & co", 'x"y']), unique=True, max_size=2))),
        featured=draw(st.booleans()),
        citations=draw(st.none() | st.integers(0, 300)),
        draft=draw(st.booleans()),
        pub_type=draw(st.sampled_from([None, "conference", "journal", "preprint"])),
    )


@st.composite
def sites(draw: st.DrawFn) -> tuple[Settings, list[Paper]]:
    """Return settings and a handful of papers."""
    count = draw(st.integers(1, 6))
    site_settings = Settings(
        title=draw(st.sampled_from(["Publications", 'Rich & "Site" <x>'])),
        base_url=draw(st.sampled_from(["/", "/portfolio/", "https://example.org/sub/"])),
        description=draw(st.sampled_from(["", "Desc & 'quotes'"])),
        owner_name=OWNER,
        affiliation_names={"pku": "Peking University", "cmu": "CMU & co"},
        authors_shown=draw(st.sampled_from([0, 2, 3, 8])),
        footer=draw(st.sampled_from(["", "Made by *me* & [you](https://example.org)."])),
    )
    return site_settings, [draw(papers(f"paper-{i}")) for i in range(count)]


@functools.cache
def environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    """Return an environment reading these layouts, compiled once for every site of the module."""
    env = make_environment(LAYOUTS)
    env.loader = loader
    return env


def render_site(
    site_settings: Settings, paper_list: list[Paper], *layouts: jinja2.BaseLoader
) -> list[dict[str, bytes]]:
    """Return every page, card and compact card of a site rendered through each of these layouts."""
    index = build_index(paper_list, owner_names=site_settings.owner_names)
    views = make_views(index, site_settings)
    site = make_site_view(site_settings, index, asset_urls(REPO / "assets", Urls(site_settings.base_url)))
    data = SiteData(site_settings, index, views, site)
    pages = plan_pages(index, views, site) + browse.browse_pages(data) + browse.search_page(data)
    renders = []
    for loader in layouts:
        env = environment(loader)
        cards, compact = Cards(env, views), Cards(env, views, template=COMPACT_CARD)
        prepare_environment(env, site, cards, compact)
        out, _reads, problems = render_batch(env, pages, LAYOUTS)
        assert problems == []
        out.update({f"card:{slug}": cards[slug].encode() for slug in views})
        out.update({f"compact:{slug}": compact[slug].encode() for slug in views})
        renders.append(out)
    return renders


SHIPPED = jinja2.FileSystemLoader(str(LAYOUTS))
STRAIGHTFORWARD = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(REFERENCE)), SHIPPED])


def assert_same_pages(site_settings: Settings, paper_list: list[Paper]) -> None:
    expected, actual = render_site(site_settings, paper_list, STRAIGHTFORWARD, SHIPPED)
    assert actual.keys() == expected.keys()
    for name in expected:
        assert actual[name] == expected[name], name


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sites())
def test_generated_sites_render_as_the_straightforward_layouts_do(site: tuple[Settings, list[Paper]]) -> None:
    assert_same_pages(*site)


def test_hard_author_lists_render_as_the_straightforward_layouts_do() -> None:
    """A cut list that keeps the owner after a gap, marks, web sites with and without a coauthor page, et al."""
    people = tuple(Author(f"Person {i}", equal_contribution=i == 1, corresponding=i == 2) for i in range(12))
    cut = Paper(
        source="content/papers/cut.md", slug="cut", title="Cut", authors=(*people, Author(OWNER, is_owner=True)),
        et_al=True, date=PaperDate(2024, 5, 1), categories=("cs.CL",), abstract="An abstract.",
    )  # fmt: skip
    linked = Paper(
        source="content/papers/linked.md", slug="linked", title="Linked", et_al=False, date=PaperDate(2023),
        authors=(Author(OWNER, url="https://owner.example", is_owner=True), Author("Person 1", url="https://p1.example",
                 orcid="0000-0002-1825-0097"), Author("Solo Author", url="https://solo.example")),
        categories=("cs.AI", "cs.CL"), abstract="",
    )  # fmt: skip
    for shown in (0, 3, 11, 12, 13):
        assert_same_pages(Settings(owner_name=OWNER, authors_shown=shown), [cut, linked])


@pytest.mark.parametrize("marks", [(False, False), (True, False), (False, True), (True, True)])
def test_anyattr_answers_as_selectattr_list_does(marks: tuple[bool, bool]) -> None:
    env = make_environment(LAYOUTS)
    people = [Author("A", equal_contribution=marks[0]), Author("B", corresponding=marks[1]), Author("C")]
    straightforward = env.from_string(
        '{{ "yes" if people | selectattr("equal_contribution") | list or people | selectattr("corresponding") | list }}'
    )
    fast = env.from_string('{{ "yes" if people | anyattr("equal_contribution", "corresponding") }}')
    assert fast.render(people=people) == straightforward.render(people=people) == ("yes" if any(marks) else "")
    assert fast.render(people=[]) == ""


def test_templates_see_globals_set_after_they_were_loaded() -> None:
    """Layouts are compiled before `prepare_environment` gives them `site`, `url` and the cards."""
    env = make_environment(LAYOUTS)
    env.loader = jinja2.DictLoader({"page.html": "{{ late }}", "import.html": '{% from "m.html" import f %}{{ f() }}',
                                    "m.html": "{% macro f() %}{{ late }}{% endmacro %}"})  # fmt: skip
    page, importing = env.get_template("page.html"), env.get_template("import.html")
    env.globals["late"] = "set later"
    assert page.render() == importing.render() == "set later"


def test_a_template_with_globals_of_its_own_keeps_them_to_itself() -> None:
    env = make_environment(LAYOUTS)
    env.loader = jinja2.DictLoader({"own.html": "{{ mine }}", "other.html": "{{ mine | default('none') }}"})
    assert env.get_template("own.html", globals={"mine": "mine"}).render() == "mine"
    assert "mine" not in env.globals
    assert env.get_template("other.html").render() == "none"
    with pytest.raises(AttributeError):  # Jinja would add them to a cached template's globals: refused, not leaked
        env.get_template("other.html", globals={"mine": "leak"})
