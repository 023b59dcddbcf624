"""Each static checker finds what it is for in a tiny hand-written site, and nothing in a clean one."""

from __future__ import annotations

from pathlib import Path

import pytest

from .checks import (
    Problem,
    find_broken_links,
    find_css_references,
    find_external_resources,
    find_script_remote_calls,
    html_files,
    run_vnu,
    tree_digest,
)
from .handmade import write_site


def page(body: str = "", head: str = "") -> str:
    """Return a small valid HTML document around `body`."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>t</title>\n'
        f"{head}</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


@pytest.fixture
def clean_site(tmp_path: Path) -> Path:
    """A site under /portfolio/ whose every reference resolves and loads nothing from another host."""
    return write_site(
        tmp_path / "site",
        {
            "index.html": page(
                '<a href="#main">skip</a>\n<main id="main">\n'
                '<a href="papers/one/">one</a> <a href="/portfolio/papers/one/#abstract">abstract</a>\n'
                '<a href="https://arxiv.org/abs/2402.02416">arXiv</a> <a href="mailto:a@b.c">mail</a>\n'
                '<img src="img/a.png" srcset="img/a.png 1x, /portfolio/img/b.png 2x" alt="">\n'
                '<a href="https://example.github.io/portfolio/papers/one/">absolute self link</a>\n'
                '<a href="/portfolio/">home</a> <a href="/portfolio">home without slash</a> <a href="#top">top</a>\n'
                "</main>",
                head='<link rel="stylesheet" href="/portfolio/css/site.css">\n'
                '<link rel="canonical" href="https://example.github.io/portfolio/">\n'
                '<link rel="alternate" type="application/rss+xml" href="https://feeds.example.org/x.xml">\n'
                '<script src="/portfolio/js/site.js" defer></script>\n',
            ),
            "papers/one/index.html": page('<h1 id="abstract">Abstract</h1><a href="../../">up</a>'),
            "css/site.css": "@import 'base.css';\nbody { background: url(../img/a.png); }\n/* url(gone.png) */\n",
            "css/base.css": "body { margin: 0; }\n",
            "js/site.js": "fetch('/portfolio/search.json');\n",
            "search.json": "[]",
            "img/a.png": "png",
            "img/b.png": "png",
            "404.html": page('<a href="/portfolio/">home</a><link rel="stylesheet" href="/portfolio/css/site.css">'),
        },
    )


BASE = "https://example.github.io/portfolio/"


def test_clean_site_has_no_broken_links(clean_site: Path) -> None:
    assert find_broken_links(clean_site, BASE) == []


def test_clean_site_loads_nothing_from_another_host(clean_site: Path) -> None:
    assert find_external_resources(clean_site, BASE) == []


BROKEN_REFERENCES = [
    ("dangling link", '<a href="papers/two/">x</a>', "'papers/two/' resolves to papers/two/index.html"),
    ("missing fragment", '<a href="papers/one/#methods">x</a>', "names #methods, which papers/one/index.html"),
    ("missing fragment on the same page", '<a href="#nowhere">x</a>', "names #nowhere"),
    ("missing image", '<img src="img/c.png" alt="">', "<img src> 'img/c.png' resolves to img/c.png"),
    ("missing srcset candidate", '<img src="img/a.png" srcset="img/z.png 2x" alt="">', "'img/z.png'"),
    ("missing script", '<script src="/portfolio/js/gone.js"></script>', "'/portfolio/js/gone.js'"),
    ("link outside the base path", '<a href="/papers/one/">x</a>', "points outside the base path /portfolio/"),
    ("folder without its slash", '<a href="papers/one">x</a>', "points at a folder without its trailing slash"),
    ("absolute URL on the site's host", '<a href="https://example.github.io/portfolio/x/">x</a>', "x/index.html"),
    ("missing og:image", '<meta property="og:image" content="/portfolio/card.png">', "card.png"),
    ("missing style url()", "<p style=\"background: url('img/q.png')\">x</p>", "CSS url() 'img/q.png'"),
]


@pytest.mark.parametrize(("name", "html", "expected"), BROKEN_REFERENCES, ids=[case[0] for case in BROKEN_REFERENCES])
def test_broken_reference_is_reported(clean_site: Path, name: str, html: str, expected: str) -> None:
    write_site(clean_site, {"bad.html": page(f"<main>\n{html}\n</main>")})
    problems = find_broken_links(clean_site, BASE)
    assert len(problems) == 1, problems
    assert problems[0].path == "bad.html"
    assert problems[0].line == 9  # the line of the reference, counted in the whole file
    assert expected in problems[0].message


def test_broken_reference_in_a_stylesheet_is_reported_with_its_line(clean_site: Path) -> None:
    write_site(clean_site, {"css/extra.css": "a { color: red; }\n\n.hero { background: url('../img/hero.jpg'); }\n"})
    assert find_broken_links(clean_site, BASE) == [
        Problem("css/extra.css", 3, "CSS url() '../img/hero.jpg' resolves to img/hero.jpg, which does not exist")
    ]


def test_relative_link_in_404_page_is_reported(clean_site: Path) -> None:
    write_site(clean_site, {"404.html": page('<a href="index.html">home</a>')})
    [problem] = find_broken_links(clean_site, BASE)
    assert problem.path == "404.html"
    assert "is relative: 404.html is served for missing URLs at any depth" in problem.message


def test_root_build_resolves_root_relative_links(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"index.html": page('<a href="/a/">a</a> <a href="/b/">b</a>'), "a/index.html": page()})
    [problem] = find_broken_links(site, "/")
    assert problem.message == "<a href> '/b/' resolves to b/index.html, which does not exist"


EXTERNAL_RESOURCES = [
    ('<script src="https://cdn.jsdelivr.net/npm/katex/dist/katex.min.js"></script>', "<script src>"),
    ('<link rel="stylesheet" href="https://cdn.example.com/a.css">', '<link rel="stylesheet" href>'),
    ('<link rel="preload" as="font" href="//fonts.gstatic.com/f.woff2" crossorigin>', '<link rel="preload" href>'),
    ('<link rel="preconnect" href="https://fonts.googleapis.com">', '<link rel="preconnect" href>'),
    ('<link rel="icon" href="https://example.org/favicon.ico">', '<link rel="icon" href>'),
    ('<img src="https://img.shields.io/badge/x.svg" alt="">', "<img src>"),
    ('<img src="a.png" srcset="https://cdn.example.com/a@2x.png 2x" alt="">', "<img srcset>"),
    ('<iframe src="https://www.youtube.com/embed/x" title="v"></iframe>', "<iframe src>"),
    ('<p style="background: url(https://example.org/bg.png)">x</p>', "CSS url()"),
    ("<style>@import 'https://fonts.googleapis.com/css2?family=Inter';</style>", "CSS @import"),
    ("<script>fetch('https://api.example.org/stats.json')</script>", "script request"),
]


@pytest.mark.parametrize(("html", "what"), EXTERNAL_RESOURCES, ids=[what for _, what in EXTERNAL_RESOURCES])
def test_resource_from_another_host_is_reported(clean_site: Path, html: str, what: str) -> None:
    write_site(clean_site, {"bad.html": page(f"<main>\n{html}\n</main>")})
    [problem] = find_external_resources(clean_site, BASE)
    assert (problem.path, problem.line) == ("bad.html", 9)
    assert problem.message.startswith(f"{what} loads from another host: ")


def test_remote_fetch_in_a_script_file_is_reported(clean_site: Path) -> None:
    write_site(clean_site, {"js/stats.js": "const u = 1;\nfetch(\n  'https://api.example.org/x'\n);\n"})
    assert find_external_resources(clean_site, BASE) == [
        Problem("js/stats.js", 2, "script request loads from another host: https://api.example.org/x")
    ]


def test_remote_font_in_a_stylesheet_is_reported(clean_site: Path) -> None:
    css = "@font-face {\n  font-family: X;\n  src: url('https://fonts.gstatic.com/x.woff2') format('woff2');\n}\n"
    write_site(clean_site, {"css/fonts.css": css})
    [problem] = find_external_resources(clean_site, BASE)
    assert (problem.path, problem.line) == ("css/fonts.css", 3)


def test_css_references_skip_comments_and_keep_lines() -> None:
    refs = find_css_references('/* url(a.png)\n */\nb { background: url( "c.png" ) }', first_line=10)
    assert [(ref.url, ref.line) for ref in refs] == [("c.png", 12)]


def test_script_remote_calls_cover_xhr_and_imports() -> None:
    script = "xhr.open('GET', 'https://a.example/x');\nimport x from 'https://b.example/m.js';\nfetch('/local');"
    assert [ref.url for ref in find_script_remote_calls(script)] == ["https://a.example/x", "https://b.example/m.js"]


def test_tree_digest_sees_a_changed_byte_and_an_extra_file(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.html": "x", "b/c.css": "y"})
    before = tree_digest(tmp_path)
    (tmp_path / "b" / "c.css").write_text("z")
    assert tree_digest(tmp_path) != before
    (tmp_path / "b" / "c.css").write_text("y")
    assert tree_digest(tmp_path) == before
    (tmp_path / "d.tmp").write_text("")
    assert set(tree_digest(tmp_path)) - set(before) == {"d.tmp"}


def test_vnu_reports_invalid_html_with_file_and_line(vnu_command: tuple[str, Path], tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "good.html": page("<p>fine</p>"),
            "bad/index.html": page('<p>one <b>two</p></b>\n<img src="a.png">\n<div><li>x</li></div>'),
        },
    )
    java, jar = vnu_command
    problems = run_vnu(html_files(site), root=site, jar=jar, java=java)
    assert {problem.path for problem in problems} == {"bad/index.html"}
    messages = [(problem.line, problem.message) for problem in problems]
    assert (8, "End tag “p” seen, but there were open elements.") in messages
    assert (9, "An “img” element must have an “alt” attribute, except under certain conditions.") in messages[
        -3:
    ] or any(line == 9 and "alt" in message for line, message in messages)
    assert any(line == 10 and "“li” not allowed as child of element “div”" in message for line, message in messages)
    assert str(problems[0]).startswith("bad/index.html:8:")


def test_vnu_passes_modern_valid_html(vnu_command: tuple[str, Path], tmp_path: Path) -> None:
    head = (
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'\">\n"
        '<meta name="color-scheme" content="light dark">\n'
        '<meta name="theme-color" content="#ffffff" media="(prefers-color-scheme: light)">\n'
    )
    body = '<search><form><input type="search" name="q" aria-label="Search"></form></search>\n'
    body += '<img src="a.png" alt="" fetchpriority="low" width="1" height="1"><math><mi>x</mi></math>'
    site = write_site(tmp_path, {"index.html": page(body, head=head)})
    java, jar = vnu_command
    assert run_vnu(html_files(site), root=site, jar=jar, java=java) == []
