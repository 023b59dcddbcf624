"""Property: any paper file ends in a built page or in content problems, never in another exception.

Generated files mix well-formed front matter with random YAML-ish text, random field types and text full of the
characters HTML, JSON, XML, YAML, LaTeX and BibTeX treat specially. The fast property runs the loader, the schema,
the paper's view and every per-paper export; the slow one renders a whole one-paper site.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import bibtexparser
import pytest
import yaml
from htmlparse import Page
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperfolio.bibtex import to_bibtex
from paperfolio.citations import citation_keys
from paperfolio.csl import to_csl
from paperfolio.errors import ContentError, Problem
from paperfolio.loader import parse
from paperfolio.metadata import paper_head
from paperfolio.model import Settings
from paperfolio.pipeline import Project, load, render_site
from paperfolio.ris import to_ris
from paperfolio.schema import validate
from paperfolio.urls import Urls
from paperfolio.views import paper_view

REPO = Path(__file__).resolve().parents[1]
PATH = "content/papers/generated.md"
SETTINGS = Settings(title="Property Lab", owner_name="Juntao Dai")

NASTY = [
    "<", ">", "&", "$", "\\", "{", "}", "%", "#", "_", "^", "~", "`", "*", "|", "'", '"', ":", "-", "@", ",",
    "]]>", "</script>", "<script>alert(1)</script>", "<!--", "-->", "<![CDATA[", "&amp;", "&#0;", "\x00", "\x1b",
    "\n", "\r\n", "\t", " ", "---", "...", "$$", "$x^2$", "\\textit{", "\\emph{x}", "\\\\", "\\$", "\\{", "\\}",
    "é", "中文", "\u202e", "\ufeff", "\u00a0", "\ue000", "\ue001", "𝔘", "and", "others", "{ACM}", "--", "``",
    "[x](javascript:alert(1))", "<a href=\"data:text/html,x\">d</a>", "<img src=x onerror=alert(1)>",
    "https://example.org/a?b=c&d", "# Heading", "> quote", "1. item", "| a | b |",
]  # fmt: skip
YAMLISH = ["- ", ": ", "[", "]", "{", "}", ", ", "&a ", "*a", "!!str ", "!!python/object:os.system ", "? ", "|",
           ">", "'", '"', "\n", "\n  ", "\t", "%YAML 1.1", "#", "title", "authors", "date", "categories", "slug",
           "links", "2023-13-45", "2024-02-29", "~", "null", "true", "0x1F", ".inf", "<<: *a"]  # fmt: skip

nasty_text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=4)), max_size=8).map("".join)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), nasty_text, st.dates().map(str))
any_value = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.one_of(nasty_text, st.sampled_from(["name", "url"])),
                                                        children, max_size=3)
    ),
    max_leaves=8,
)  # fmt: skip
author = st.one_of(
    nasty_text,
    st.fixed_dictionaries(
        {"name": nasty_text},
        optional={
            "url": st.one_of(nasty_text, st.just("https://example.org/~a")),
            "orcid": st.one_of(nasty_text, st.just("0000-0002-1825-0097")),
            "equal_contribution": any_value,
            "corresponding": st.booleans(),
        },
    ),
)
date = st.one_of(
    st.dates().map(str),
    st.sampled_from(["2023-13-45", "2023-02-30", "2024-02-29", "2024", "2024-07", "0999", "99999-01-01"]),
    st.integers(),
)
category = st.sampled_from(["CL", "cs.CL", "cs.AI", "LG", "PM", "q-fin.PM", "stat.ML", "cs.FAKE", "xx", ""])
link_kind = st.sampled_from(["arxiv", "doi", "pdf", "code", "project", "data", "slides", "video", "blog", "bogus"])
link_value = st.one_of(
    nasty_text,
    st.booleans(),
    st.sampled_from(["2402.02416", "10.1145/3770749", "https://example.org/x", "mailto:a@b.c", "javascript:x()"]),
)
fields = st.fixed_dictionaries(
    {},
    optional={
        "title": st.one_of(nasty_text, nasty_text, any_value),
        "authors": st.one_of(st.lists(author, max_size=4), st.lists(author, max_size=3).map(lambda a: [*a, "others"]),
                             any_value),
        "date": st.one_of(date, any_value),
        "categories": st.one_of(st.lists(category, max_size=3), category, any_value),
        "venue": st.one_of(nasty_text, any_value),
        "award": nasty_text,
        "tags": st.one_of(st.lists(nasty_text, max_size=3), any_value),
        "links": st.one_of(st.dictionaries(link_kind, link_value, max_size=4), any_value),
        "slug": st.one_of(st.sampled_from(["ok-slug", "../x", "a/b", "", "UPPER"]), nasty_text),
        "featured": any_value,
        "citations": any_value,
        "draft": st.just(False),
        "pub_type": st.one_of(st.sampled_from(["conference", "journal", "preprint", "thesis", "poster"]), any_value),
        "extra": any_value,
        "catgories": any_value,
    },
)  # fmt: skip


# Mostly valid papers whose free text is nasty, so the renderer and every export see hostile text.
named = nasty_text.map(lambda text: "N " + text)
valid_fields = st.fixed_dictionaries(
    {
        "title": named,
        "authors": st.lists(st.one_of(named, st.fixed_dictionaries({"name": named}, optional={"url": link_value})),
                            min_size=1, max_size=4),
        "date": st.one_of(st.dates(min_value=datetime.date(1000, 1, 1)).map(str), st.sampled_from(["2024", "2023-07"])),
        "categories": st.lists(st.sampled_from(["CL", "cs.AI", "LG", "PM", "stat.ML"]), min_size=1, max_size=3),
    },
    optional={
        "venue": named,
        "award": named,
        "tags": st.lists(named, max_size=3),
        "affiliations": st.lists(named, max_size=2),
        "links": st.dictionaries(st.sampled_from(["arxiv", "doi", "pdf", "code"]),
                                 st.sampled_from(["2402.02416", "10.1145/3770749", "https://example.org/x?a=1&b=2"]),
                                 max_size=3),
        "pub_type": st.sampled_from(["conference", "journal", "preprint", "thesis", "book", "report"]),
        "extra": st.dictionaries(nasty_text, nasty_text, max_size=2),
    },
)  # fmt: skip


def front_matter(data: dict) -> str:
    """Return `data` as YAML text, as an editor would write it."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000) if data else ""


def variant(fm: str, body: str, how: str) -> str:
    """Return a paper file written with a byte-order mark, Windows line ends, or unclosed front matter."""
    text = f"---\n{fm}---\n{body}"
    if how == "bom":
        return "\ufeff" + text
    if how == "crlf":
        return text.replace("\n", "\r\n")
    return f"---\n{fm}\n{body}"  # no closing line


paper_file = st.one_of(
    st.tuples(valid_fields.map(front_matter), nasty_text).map(lambda p: f"---\n{p[0]}---\n{p[1]}\n"),
    st.tuples(valid_fields.map(front_matter), nasty_text).map(lambda p: f"---\n{p[0]}---\n{p[1]}\n"),
    st.tuples(fields.map(front_matter), nasty_text).map(lambda p: f"---\n{p[0]}---\n{p[1]}\n"),
    st.tuples(st.lists(st.sampled_from(YAMLISH) | nasty_text, max_size=12).map("".join), nasty_text).map(
        lambda p: f"---\n{p[0]}\n---\n{p[1]}"
    ),
    st.builds(variant, fields.map(front_matter), nasty_text, st.sampled_from(["bom", "crlf", "unclosed"])),
    nasty_text,
)


def check_problems(problems: list[Problem], text: str) -> None:
    """Problems name the file and a line that exists in it (0 when no line applies)."""
    assert problems
    lines = text.count("\n") + 2
    for problem in problems:
        assert isinstance(problem, Problem) and problem.path == PATH
        assert 0 <= problem.line <= lines and problem.col >= 0, problem
        assert problem.format().startswith(PATH)


def brace_balanced(text: str) -> bool:
    """Return whether every brace closes, counting escaped ones too, as BibTeX does."""
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


def load_one(text: str):
    """Parse and validate one file's text; return the paper or None, checking the problems."""
    raw, problems = parse(text, PATH, "generated")
    if raw is None:
        check_problems(problems, text)
        return None
    paper, problems = validate(raw, SETTINGS)
    if paper is None:
        check_problems(problems, text)
    else:
        assert problems == []
    return paper


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(paper_file)
def test_any_file_is_a_paper_with_safe_exports_or_located_problems(text: str):
    paper = load_one(text)
    if paper is None:
        return
    view = paper_view(paper, SETTINGS, Urls("/"))
    key = citation_keys([paper])[paper.slug]
    bib = to_bibtex(paper, key)
    assert brace_balanced(bib), bib
    library = bibtexparser.parse_string(bib)
    assert len(library.entries) == 1 and not library.failed_blocks, bib
    ris = to_ris(paper)
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - ?.*", line) for line in ris.splitlines() if line), ris
    json.loads(json.dumps(to_csl(paper, key)))
    head = str(paper_head(view, SETTINGS))
    (ld,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, flags=re.S)
    assert "</script" not in ld.lower() and "<!--" not in ld
    assert json.loads(ld)["name"] == view.title_text
    for fragment in (view.title_html, view.abstract_html, view.body_html):
        page = Page(str(fragment))
        assert not page.find_all("script") and not page.find_all("style"), fragment
        assert not any(name.startswith("on") for e in page.elements for name in e.attrs), fragment


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("property") / "project"
    (root / "content" / "papers").mkdir(parents=True)
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    (root / "paperfolio.yaml").write_text("title: Property Lab\nowner:\n  name: Juntao Dai\n", encoding="utf-8")
    return Project(root)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=paper_file)
def test_any_file_builds_a_site_or_stops_with_content_errors(project: Project, text: str):
    (project.papers / "generated.md").write_bytes(text.encode("utf-8"))
    try:
        loaded = load(project, env={})
    except ContentError as error:
        check_problems(error.problems, text)
        return
    files, pages, _warnings = render_site(project, loaded)
    (paper,) = loaded.papers
    page = Page(files[f"papers/{paper.slug}/index.html"].decode("utf-8"))
    assert page.find("h1").text
    for name in ("feed.xml", "sitemap.xml"):
        ElementTree.fromstring(files[name])  # XML 1.0 forbids control characters: they must never get this far
    scripts = [e for e in page.find_all("script") if e.attrs.get("type") != "application/ld+json"]
    assert all((e.attrs.get("src") or "").startswith("/assets/") for e in scripts)


@settings(max_examples=500, deadline=None)
@given(
    path=st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("/#?=&.-_~% "), max_size=30),
    base=st.sampled_from(["/", "/portfolio/", "https://example.org/", "https://example.org/a b/"]),
)
def test_site_urls_are_percent_encoded_as_urllib_quote_does(path: str, base: str):
    """`Urls.url` skips `quote` for plain ASCII paths; whatever the path, the URL is what `quote` makes."""
    from urllib.parse import quote

    from paperfolio.urls import Urls

    urls = Urls(base)
    assert urls.url(path) == urls.base_path + quote(path.lstrip("/"), safe="/#?=&.-_~")
