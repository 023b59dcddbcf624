"""Hostile content, through the real command line.

Every file in `tests/hostile/` is named for what it exercises. A rejected file stops the build with exit status 1,
one pinned message naming the file (and the line, where there is one), no traceback, and the `site/` of the last
good build byte for byte as it was. An accepted file carrying `<script>`, quotes and `]]>` builds, and its text comes
out escaped, and reads back exactly, in every output format: HTML, JSON-LD, the search index, Atom feeds, the
sitemap, BibTeX, RIS and CSL-JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import bibtexparser
import feedparser
import pytest
from htmlparse import Page

REPO = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).resolve().parent / "hostile"
GOOD = Path(__file__).resolve().parent / "fixtures" / "basic" / "content" / "papers"
GOOD_PAPERS = ("newest-first.md", "partial-date.md")
SETTINGS = "title: Hostile Lab\nowner:\n  name: Juntao Dai\n"

# file(s) put into content/papers/ -> the exact problem lines printed (paths relative to the project root)
REJECTED: dict[tuple[str, ...], list[str]] = {
    ("malformed-yaml.md",): [
        "content/papers/malformed-yaml.md:2:8: error: invalid YAML: the quoted scalar that starts here is not closed "
        "(found unexpected end of stream)",
    ],
    ("unclosed-front-matter.md",): [
        "content/papers/unclosed-front-matter.md:1:1: error: "
        "front matter opened with `---` is never closed by a `---` line",
    ],
    ("missing-title.md",): ["content/papers/missing-title.md:1:1: error: missing required field `title`"],
    ("missing-authors.md",): ["content/papers/missing-authors.md:1:1: error: missing required field `authors`"],
    ("missing-date.md",): ["content/papers/missing-date.md:1:1: error: missing required field `date`"],
    ("missing-categories.md",): [
        "content/papers/missing-categories.md:1:1: error: missing required field `categories`"
    ],
    ("authors-as-string.md",): [
        "content/papers/authors-as-string.md:3:10: error: "
        "`authors` must be a non-empty list of names, got 'Ada Lovelace and Juntao Dai'",
        "    hint: write a list, one item each: `authors: [Ada Lovelace, Juntao Dai]`",
    ],
    ("categories-as-number.md",): [
        "content/papers/categories-as-number.md:5:13: error: "
        "`categories` must be a non-empty list of arXiv codes such as cs.CL, got 42"
    ],
    ("impossible-month.md",): [
        "content/papers/impossible-month.md:4:7: error: `date` is not a real date: '2023-13-45'"
    ],
    ("impossible-day.md",): ["content/papers/impossible-day.md:4:7: error: `date` is not a real date: '2023-02-30'"],
    # PyYAML's composer recursed in C through these 50,000 brackets and crashed the build (a segmentation fault).
    ("deeply-nested-yaml.md",): [
        "content/papers/deeply-nested-yaml.md:6:57: error: values nest more than 50 levels deep"
    ],
    ("alias-inside-itself.md",): [
        "content/papers/alias-inside-itself.md:6:7: error: values nest more than 50 levels deep "
        "(an alias inside itself?)"
    ],
    ("duplicate-slug-first.md", "duplicate-slug-second.md"): [
        "content/papers/duplicate-slug-second.md:6:1: error: "  # at its `slug:` line (it said 1:1)
        "slug `twin` is already used by content/papers/duplicate-slug-first.md"
    ],
    ("slug-with-dots.md",): [
        "content/papers/slug-with-dots.md:6:7: error: "
        "`slug` must be lowercase letters, digits and single hyphens, got '../../escaped'",
        "    hint: a slug names one folder under papers/; it cannot contain `/`, `.` or spaces",
    ],
    ("slug-with-slash.md",): [
        "content/papers/slug-with-slash.md:6:7: error: "
        "`slug` must be lowercase letters, digits and single hyphens, got 'nested/folder'",
        "    hint: a slug names one folder under papers/; it cannot contain `/`, `.` or spaces",
    ],
    ("empty-file.md",): [
        "content/papers/empty-file.md:1:1: error: file is empty;"
        " a paper must start with a `---` line opening the YAML front matter"
    ],
    ("binary-file.md",): ["content/papers/binary-file.md: error: is a binary file, not Markdown text"],
    ("invalid-utf8.md",): [
        "content/papers/invalid-utf8.md:2:34: error: is not valid UTF-8 (byte 0xe9, é in Windows-1252)",
        "    hint: the file is in Windows-1252, as older Windows editors save: save it as UTF-8",
    ],
    ("javascript-link.md",): [
        "content/papers/javascript-link.md:7:8: error: "
        "`links.pdf` must be an http(s) or mailto URL, or a file of this site such as "
        "/assets/papers/paper.pdf or /talk.pdf,"
        " got 'javascript:alert(document.cookie)'"
    ],
    ("data-link.md",): [
        "content/papers/data-link.md:7:12: error: `links.project` must be an http(s) or mailto URL, or a file "
        "of this site such as /assets/papers/paper.pdf or /talk.pdf, "
        "got 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='"
    ],
    ("javascript-author-url.md",): [
        "content/papers/javascript-author-url.md:5:10: error: "
        "`url` must be an http(s) or mailto URL, got 'JavaScript:alert(1)'"
    ],
    ("url-breaking-out-of-attribute.md",): [
        "content/papers/url-breaking-out-of-attribute.md:7:12: error: "
        """`links.project` is not a well-formed URL: 'https://example.org/?q="><script>alert(1)</script>'"""
    ],
    ("url-with-a-user-name.md",): [
        "content/papers/url-with-a-user-name.md:7:12: error: `links.project` is not a well-formed address: "
        "it holds a user name (before `@`), which a page may not link to: 'https://google.com@evil.example/'",
    ],
    ("control-character-in-body.md",): [
        "content/papers/control-character-in-body.md:7:9: error: contains the control character U+001B"
    ],
    ("latex-in-double-quoted-title.md",): [
        "content/papers/latex-in-double-quoted-title.md:2:19: error: "
        "`\\theta` in a double-quoted string is the YAML escape `\\t`, not LaTeX",
        "    hint: for LaTeX use single quotes, which keep backslashes as written ('$\\theta$'), "
        "or double each backslash",
    ],
    ("latex-unknown-escape-in-title.md",): [
        "content/papers/latex-unknown-escape-in-title.md:2:12: error: "
        "invalid YAML: `\\c` is not an escape in a double-quoted string",
        "    hint: for LaTeX use single quotes, which keep backslashes as written ('$\\theta$'), "
        "or double each backslash",
    ],
    ("control-character-escape-in-title.md",): [
        "content/papers/control-character-escape-in-title.md:2:8: error: text contains the control character U+0007"
    ],
    # A zero-width space, Hangul fillers (U+3164) and the blank braille pattern (U+2800) print as nothing: a
    # name, a tag or a title of nothing else made links and headings with no visible text.
    ("author-name-that-shows-nothing.md",): [
        "content/papers/author-name-that-shows-nothing.md:3:23: error: "
        "an author name has no visible text, got '\\u200b'"
    ],
    ("tag-that-shows-nothing.md",): [
        "content/papers/tag-that-shows-nothing.md:6:16: error: `tags` has no visible text, got '\u3164\u3164'"
    ],
    ("title-that-shows-nothing.md",): [
        "content/papers/title-that-shows-nothing.md:2:8: error: "
        "`title` has no text once its LaTeX and Markdown are read, got '\u2800'"
    ],
}
# The byte-identical check runs on every rejected case; these are the ones the brief names as representative.
assert {("malformed-yaml.md",), ("invalid-utf8.md",), ("impossible-month.md",)} <= REJECTED.keys()

ACCEPTED = (
    "script-in-title-and-author.md",
    "latex-specials-in-title.md",
    "images-from-other-hosts.md",
    "text-too-long-to-convert.md",
    "bidi-control-around-bare-addresses.md",
    "link-text-naming-another-address.md",
    "links-that-show-no-text.md",
    "latex-commands-in-title-math.md",
)
TITLE = "<script>alert('t')</script> </script><!-- ]]> \"double\" 'single' & AT&amp;T"
AUTHOR = "</script><script>alert('a')</script> O'Brien \"Q\" ]]> &"
SLUG = "script-in-title-and-author"


def run(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python build.py --root ROOT ARGS…` as a user would."""
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
        timeout=timeout,
    )


def tree_state(folder: Path) -> dict[str, tuple[str, int]]:
    """Return every file under `folder` with its SHA-256 and modification time."""
    return {
        p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make_project(root: Path, extra: tuple[str, ...] = ()) -> Path:
    """Write a small project: the repository's layouts and assets, two good papers, and `extra` hostile files."""
    papers = root / "content" / "papers"
    papers.mkdir(parents=True)
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    (root / "paperfolio.yaml").write_text(SETTINGS, encoding="utf-8")
    for name in GOOD_PAPERS:
        shutil.copyfile(GOOD / name, papers / name)
    for name in extra:
        shutil.copyfile(HOSTILE / name, papers / name)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a project of good papers that was built once, successfully."""
    root = make_project(tmp_path_factory.mktemp("hostile") / "project")
    result = run(root)
    assert result.returncode == 0, result.stderr
    assert (root / "site" / "papers" / "newest-first" / "index.html").is_file()
    return root


def assert_refused(root: Path, result: subprocess.CompletedProcess, problems: list[str], before: dict) -> None:
    """Check exit status 1, exactly these problem lines and the summary, no traceback, and the site untouched."""
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.splitlines() == [*problems, f"paperfolio: 1 error; {root}/site was not touched."]
    assert tree_state(root / "site") == before


def test_corpus_names_every_case():
    """Each hostile file is used by a test here, so the corpus cannot rot."""
    used = {name for names in REJECTED for name in names} | set(ACCEPTED)
    assert used == {p.name for p in HOSTILE.iterdir()}


@pytest.mark.parametrize("names", list(REJECTED), ids=lambda names: names[0].removesuffix(".md"))
def test_rejected_file_stops_the_build_and_leaves_the_site(built: Path, names: tuple[str, ...]):
    papers = built / "content" / "papers"
    before = tree_state(built / "site")
    try:
        for name in names:
            shutil.copyfile(HOSTILE / name, papers / name)
        result = run(built)
    finally:
        for name in names:
            (papers / name).unlink(missing_ok=True)
    assert_refused(built, result, REJECTED[names], before)


def test_check_reports_the_same_problems_and_writes_nothing(built: Path):
    papers = built / "content" / "papers"
    before = tree_state(built / "site")
    names = [name for case in REJECTED for name in case]
    try:
        for name in names:
            shutil.copyfile(HOSTILE / name, papers / name)
        result = run(built, "check")
    finally:
        for name in names:
            (papers / name).unlink(missing_ok=True)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1
    expected = sorted(line for lines in REJECTED.values() for line in lines if not line.startswith(" "))
    printed = [line for line in result.stderr.splitlines() if line.startswith("content/")]
    assert sorted(printed) == expected
    assert tree_state(built / "site") == before


def test_symlink_out_of_content_is_refused(built: Path, tmp_path: Path):
    outside = tmp_path / "outside.md"
    shutil.copyfile(GOOD / "newest-first.md", outside)
    outside.write_text(outside.read_text(encoding="utf-8").replace("Newest", "Smuggled"), encoding="utf-8")
    link = built / "content" / "papers" / "symlink-outside-content.md"
    before = tree_state(built / "site")
    link.symlink_to(outside)
    try:
        result = run(built)
    finally:
        link.unlink()
    problem = (
        "content/papers/symlink-outside-content.md: error: is a symbolic link to a file outside content/; "
        "copy the file in"
    )
    assert_refused(built, result, [problem], before)


def test_five_megabyte_abstract_is_refused(built: Path):
    text = "---\ntitle: Huge\nauthors: [Ada Lovelace]\ndate: 2024-05-01\ncategories: [CL]\n---\n"
    huge = built / "content" / "papers" / "huge-abstract.md"
    huge.write_text(text + "An abstract that never ends. " * (5 * 1024 * 1024 // 29), encoding="utf-8")
    size = huge.stat().st_size
    before = tree_state(built / "site")
    try:
        result = run(built)
    finally:
        huge.unlink()
    limit = "a paper file may be at most 1 MiB (1,048,576 bytes)"
    problem = f"content/papers/huge-abstract.md: error: is {size:,} bytes; {limit}"
    assert_refused(built, result, [problem], before)


@pytest.mark.parametrize("options", [("--no-cache",), ()], ids=["no-cache", "cached"])
def test_special_file_named_like_a_paper_is_refused_without_hanging(built: Path, options: tuple[str, ...]):
    """With the cache too: the cached build's check for changes once left a named pipe out (and then read it,
    and hung) and let a broken link pass unreported."""
    fifo = built / "content" / "papers" / "named-pipe.md"
    before = tree_state(built / "site")
    os.mkfifo(fifo)
    try:
        result = run(built, *options, timeout=30)  # reading a FIFO with no writer would block forever
    finally:
        fifo.unlink()
    assert_refused(built, result, ["content/papers/named-pipe.md: error: is not a regular file"], before)


@pytest.mark.parametrize("options", [("--no-cache",), ()], ids=["no-cache", "cached"])
def test_broken_link_named_like_a_paper_is_refused(built: Path, options: tuple[str, ...]):
    link = built / "content" / "papers" / "broken-link.md"
    before = tree_state(built / "site")
    link.symlink_to(built / "nowhere" / "paper.md")
    try:
        result = run(built, *options)
    finally:
        link.unlink()
    problem = (
        "content/papers/broken-link.md: error: is a symbolic link that reaches no file (No such file or directory)"
    )
    assert_refused(built, result, [problem], before)


@pytest.mark.parametrize("options", [("--no-cache",), ()], ids=["no-cache", "cached"])
def test_a_link_out_of_assets_is_refused_not_published(built: Path, options: tuple[str, ...], tmp_path: Path):
    """Every file under assets/ is copied into the site: a link to /proc/self/environ published the build's
    environment, one to .git/config the token CI keeps there. A link to another file under assets/ is fine."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-TOKEN\n", "utf-8")
    before = tree_state(built / "site")
    links = [built / "assets" / "leak.txt", built / "assets" / "papers" / "environ"]
    links[0].symlink_to(secret)
    links[1].parent.mkdir(exist_ok=True)
    links[1].symlink_to("/proc/self/environ")
    try:
        result = run(built, *options)
    finally:
        for link in links:
            link.unlink()
    why = "error: is a symbolic link to a file outside assets/, which would publish that file; copy the file in"
    assert result.returncode == 1 and "Traceback" not in result.stderr
    summary = f"paperfolio: 2 errors; {built}/site was not touched."
    assert result.stderr.splitlines() == [f"assets/leak.txt: {why}", f"assets/papers/environ: {why}", summary]
    assert tree_state(built / "site") == before
    (built / "assets" / "style-again.css").symlink_to("style.css")  # inside assets/: copied as the file
    try:
        result = run(built, *options)
        assert result.returncode == 0, result.stderr
        copied = (built / "site" / "assets" / "style-again.css").read_bytes()
        assert copied == (built / "assets" / "style.css").read_bytes()
    finally:
        (built / "assets" / "style-again.css").unlink()
        assert run(built).returncode == 0


# --- accepted hostile text: escaped everywhere, read back exactly ---------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the site built from the good papers plus the accepted hostile files."""
    root = make_project(tmp_path_factory.mktemp("accepted") / "project", ACCEPTED)
    result = run(root)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 0, result.stderr
    return root / "site"


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_script_or_handler_gets_into_any_page(site: Path):
    for path in html_pages(site):
        page = Page.read(path)
        for element in page.elements:
            where = (path.relative_to(site).as_posix(), element.tag, element.attrs)
            assert not [name for name in element.attrs if name.lower().startswith("on")], where
            for name in ("href", "src", "action", "formaction"):
                value = (element.attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), where
            if element.tag == "script":
                if element.attrs.get("type") == "application/ld+json":
                    assert "src" not in element.attrs, where
                else:
                    assert (element.attrs.get("src") or "").startswith("/assets/"), where
                    assert not element.text, where
        assert not page.find_all("iframe") and not page.find_all("object") and not page.find_all("embed"), path


def test_no_page_loads_an_image_from_another_host(site: Path):
    page = Page.read(site / "papers" / "images-from-other-hosts" / "index.html")
    assert "pixel one" in page.text and "pixel three" in page.text  # the alt text stays, as text
    assert [a.attrs["href"] for a in page.find_all("a") if a.text == "badge"] == ["https://ci.example.org/"]
    for path in html_pages(site):
        for image in Page.read(path).find_all("img"):
            source = (image.attrs.get("src") or "").replace("\\", "/")
            assert source and not source.startswith("//") and ":" not in source, (path, image.attrs)


def test_a_text_too_long_to_convert_is_shown_as_written(site: Path):
    """Past `markup.MAX_CONVERTED` characters a text is not converted (some inputs take Markdown time that grows
    with the square of their length): its paragraphs show as written, tags and all, as text."""
    page = Page.read(site / "papers" / "text-too-long-to-convert" / "index.html")
    paragraphs = [p.text for p in page.find_all("p")]
    assert "<img src=x onerror=alert(1)> is shown as text." in paragraphs
    assert "[x](<a [x](<a" in "\n".join(paragraphs)
    assert any(p.startswith("Python-Markdown reads `[x](`") for p in paragraphs)  # no <code>: not converted
    assert not page.find_all("img")


def test_a_bidirectional_control_is_no_part_of_a_bare_address(site: Path):
    """An override inside a bare address reordered the address as shown, and the closer the loader appends to
    the text (`loader.contain_bidi`) was read into its last address, sending the link elsewhere."""
    page = Page.read(site / "papers" / "bidi-control-around-bare-addresses" / "index.html")
    links = [(a.attrs["href"], a.text) for a in page.find_all("a") if "example.org" in a.attrs.get("href", "")]
    assert links == [("https://example.org/files/",) * 2, ("https://example.org/last",) * 2]


def test_a_link_whose_text_reads_as_another_address_shows_its_own(site: Path):
    """Markdown lets a link's text say anything; text that reads as a web address is shown as the address the
    link goes to when it names another host or a host outside ASCII (linktext). An address with a user name before
    its host (`https://google.com@evil.example/`, which goes to evil.example) is no link at all."""
    page = Page.read(site / "papers" / "link-text-naming-another-address" / "index.html")
    links = [(a.attrs["href"], a.text) for a in page.find_all("a") if a.attrs.get("href", "").startswith("https")]
    assert links == [
        ("https://evil.example/login", "https://evil.example/login"),
        ("https://evil.example/login", "https://evil.example/login"),
        ("https://аррӏе.com/", "https://xn--80ak6aa92e.com/"),
        ("https://www.github.com/PKU-Alignment", "github.com/PKU-Alignment"),
        ("https://github.com/PKU-Alignment", "the code"),
    ]


def test_a_link_that_shows_no_text_is_left_out(site: Path):
    """axe's `link-name` (serious): a link with nothing to read is a Tab stop that shows and says nothing."""
    page = Page.read(site / "papers" / "links-that-show-no-text" / "index.html")
    assert not [a.attrs for a in page.find_all("a") if "example.org" in a.attrs.get("href", "")]
    assert [i.attrs["src"] for i in page.find_all("img")] == ["/assets/favicon.svg"]


def test_a_title_formula_reaches_the_bibtex_as_math_only_when_it_only_draws(site: Path):
    """`$\\input{/etc/passwd}$` in a title went into papers.bib as written, and ran in the document citing it."""
    (path,) = (site / "papers" / "latex-commands-in-title-math").glob("*.bib")
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    (title,) = [str(entry.fields_dict["title"].value) for entry in library.entries]
    assert "{$\\alpha \\leq \\frac{1}{2}$}" in title
    assert "\\input" not in title and "\\immediate" not in title and "\\write" not in title, title


def test_title_and_author_read_back_exactly_in_html(site: Path):
    page = Page.read(site / "papers" / SLUG / "index.html")
    assert page.find("h1").text == TITLE
    assert page.find("title").text.startswith(TITLE)
    metas: dict[str, list[str]] = {}
    for meta in page.find_all("meta"):
        metas.setdefault(meta.attrs.get("name") or meta.attrs.get("property") or "", []).append(
            meta.attrs.get("content")
        )
    assert metas["citation_title"] == [TITLE]
    assert metas["citation_author"] == [AUTHOR, "Juntao Dai"]
    assert metas["og:title"] == [TITLE]
    assert AUTHOR in [a.text for a in page.find_all("a", "coauthor")]
    home = Page.read(site / "index.html")
    assert TITLE in [h.text for h in home.find_all("h3", "paper-title")]


def json_ld_blocks(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, flags=re.S)


def test_json_ld_is_one_closed_block_that_reads_back_exactly(site: Path):
    for path in html_pages(site):
        for raw in json_ld_blocks(path):
            assert "</script" not in raw.lower() and "<!--" not in raw, path
            json.loads(raw)
    (raw,) = json_ld_blocks(site / "papers" / SLUG / "index.html")
    data = json.loads(raw)
    assert data["name"] == TITLE
    assert [a["name"] for a in data["author"]] == [AUTHOR, "Juntao Dai"]


def test_search_index_reads_back_exactly(site: Path):
    index = json.loads((site / "search" / "index.json").read_text(encoding="utf-8"))
    entry = next(e for e in index["papers"] if e["u"].endswith(f"/papers/{SLUG}/"))
    assert entry["t"] == TITLE
    assert entry["a"] == f"{AUTHOR}, Juntao Dai"


@pytest.mark.parametrize("feed", ["feed.xml", "categories/cs.cl/feed.xml"])
def test_atom_feeds_read_back_exactly(site: Path, feed: str):
    raw = (site / feed).read_bytes()
    ElementTree.fromstring(raw)
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    entry = next(e for e in parsed.entries if e.link.endswith(f"/papers/{SLUG}/"))
    assert entry.title == TITLE
    assert [a.name for a in entry.authors] == [AUTHOR, "Juntao Dai"]


def test_sitemap_parses_and_lists_the_paper(site: Path):
    tree = ElementTree.parse(site / "sitemap.xml")
    locations = [e.text for e in tree.iter() if e.tag.endswith("loc")]
    assert any(loc.endswith(f"/papers/{SLUG}/") for loc in locations)


def brace_depths(text: str) -> list[int]:
    """Return the running brace depth after each character; BibTeX counts every brace, escaped or not."""
    depth, depths = 0, []
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        depths.append(depth)
    return depths


def test_bibtex_parses_with_one_balanced_entry_per_paper(site: Path):
    text = (site / "papers.bib").read_text(encoding="utf-8")
    depths = brace_depths(text)
    assert min(depths) >= 0 and depths[-1] == 0
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert len(library.entries) == len(GOOD_PAPERS) + len(ACCEPTED)
    for entry in library.entries:
        for field in entry.fields:
            value = str(field.value)
            assert min(brace_depths(value), default=0) >= 0 and sum((c == "{") - (c == "}") for c in value) == 0
    for path in (site / "papers").glob("*/*.bib"):
        assert len(bibtexparser.parse_string(path.read_text(encoding="utf-8")).entries) == 1, path


def read_ris(text: str) -> list[dict[str, list[str]]]:
    """Parse RIS strictly: every line is `TG  - value`, records open with TY and close with ER."""
    records, current = [], None
    for line in text.splitlines():
        if not line:
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - ?(.*)", line)
        assert match, f"not an RIS line: {line!r}"
        tag, value = match.groups()
        if tag == "TY":
            assert current is None, "TY inside a record"
            current = {}
        assert current is not None, f"{tag} outside a record"
        if tag == "ER":
            records.append(current)
            current = None
        else:
            current.setdefault(tag, []).append(value)
    assert current is None, "a record is not closed by ER"
    return records


def test_ris_and_csl_json_read_back_exactly(site: Path):
    records = read_ris((site / "papers.ris").read_text(encoding="utf-8"))
    assert len(records) == len(GOOD_PAPERS) + len(ACCEPTED)
    assert [TITLE] in [r["TI"] for r in records]
    items = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    assert len(items) == len(GOOD_PAPERS) + len(ACCEPTED)
    item = next(i for i in items if i["title"] == TITLE)
    assert item["author"][1] == {"family": "Dai", "given": "Juntao"}
    for path in (site / "papers").glob("*/*.ris"):
        assert len(read_ris(path.read_text(encoding="utf-8"))) == 1, path
    for path in (site / "papers").glob("*/*.json"):
        assert len(json.loads(path.read_text(encoding="utf-8"))) == 1, path


def test_reference_managers_libraries_read_the_exports(site: Path):
    """rispy (RIS) and citeproc-py (CSL-JSON, rendered in a bundled style) read every paper back."""
    import rispy
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    entries = rispy.loads((site / "papers.ris").read_text(encoding="utf-8"))
    assert TITLE in [e["title"] for e in entries]
    assert all(e["authors"] and e["year"] for e in entries)
    items = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(items)
    assert any(TITLE in entry for entry in rendered), rendered
