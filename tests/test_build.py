"""Build the fixture site end to end and read the pages as HTML."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from htmlparse import Page

from paperfolio.pipeline import Project, build

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "basic"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    return root


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
    )


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_pages_exist_for_every_published_paper(project: Path, tmp_path: Path):
    out = tmp_path / "site"
    build(Project(project), out, env={})
    papers = sorted(p.name for p in (out / "papers").iterdir())
    assert papers == [
        "chosen-slug",
        "code-without-url",
        "html-in-title",
        "long-author-list",
        "newest-first",
        "partial-date",
    ]
    for name in ("index.html", "404.html", ".nojekyll", "categories/index.html", "categories/q-fin.pm/index.html"):
        assert (out / name).is_file(), name
    assert not (out / "CNAME").exists()


def test_drafts_only_with_the_flag(project: Path, tmp_path: Path):
    build(Project(project), tmp_path / "with", drafts=True, env={})
    assert (tmp_path / "with" / "papers" / "draft" / "index.html").is_file()


def test_home_lists_newest_first_with_total_order(project: Path, tmp_path: Path):
    out = tmp_path / "site"
    build(Project(project), out, env={})
    page = Page.read(out / "index.html")
    titles = [h.text for h in page.find_all("h3", "paper-title")]
    assert titles[0] == "Newest Paper Comes First"
    assert titles[-1] == "A Paper Known Only By Year"
    assert titles.index("Many Authors Shortened On Lists") < titles.index(
        "<script>alert('title')</script> Breaking ]]> \"quotes\""
    )


def test_links_resolve_under_a_project_base_path(project: Path, tmp_path: Path):
    out = tmp_path / "site"
    build(Project(project), out, base_url="https://example.github.io/portfolio/", env={})
    checked = 0
    for html_file in out.rglob("*.html"):
        for element in Page.read(html_file).elements:
            for attr in ("href", "src"):
                value = element.attrs.get(attr)
                if not value or not value.startswith("/"):
                    continue
                assert value.startswith("/portfolio/"), (html_file, value)
                target = value.removeprefix("/portfolio/").split("?")[0].split("#")[0]
                resolved = out / target
                if target == "" or target.endswith("/"):
                    resolved = resolved / "index.html"
                assert resolved.is_file(), (html_file.relative_to(out), value)
                checked += 1
    assert checked > 50


def test_category_pages_list_exactly_their_papers(project: Path, tmp_path: Path):
    out = tmp_path / "site"
    build(Project(project), out, env={})
    cl = [h.text for h in Page.read(out / "categories/cs.cl/index.html").find_all("h3", "paper-title")]
    assert cl == ["Newest Paper Comes First", "<script>alert('title')</script> Breaking ]]> \"quotes\""]
    ai = [h.text for h in Page.read(out / "categories/cs.ai/index.html").find_all("h3", "paper-title")]
    assert ai == ["Newest Paper Comes First"]
    index = Page.read(out / "categories/index.html").text
    assert "Portfolio Management" in index and "Computation and Language" in index


def test_html_in_content_is_escaped_never_executed(project: Path, tmp_path: Path):
    out = tmp_path / "site"
    build(Project(project), out, env={})
    for html_file in out.rglob("*.html"):
        page = Page.read(html_file)
        scripts = [
            e.attrs.get("src", "") for e in page.find_all("script") if e.attrs.get("type") != "application/ld+json"
        ]
        assert all(src and "/assets/" in src for src in scripts), (html_file, scripts)
        for element in page.elements:
            assert not any(name.startswith("on") for name in element.attrs), (html_file, element.tag, element.attrs)
            assert not (element.attrs.get("href") or "").lower().startswith("javascript:")
        assert not page.find_all("img", None) or all(e.attrs.get("src") != "x" for e in page.find_all("img"))
    page = Page.read(out / "papers/html-in-title/index.html")
    assert page.find("h1").text == "<script>alert('title')</script> Breaking ]]> \"quotes\""
    assert "<img src=x onerror=alert(1)>" in page.find("ol", "author-list").text


def test_owner_is_highlighted_under_every_spelling(project: Path, tmp_path: Path):
    out = tmp_path / "site"
    build(Project(project), out, env={})
    owners = [e.text for e in Page.read(out / "papers/partial-date/index.html").find_all("strong", "owner")]
    assert owners == ["Josef Dai"]


def test_long_author_lists_are_shortened_on_lists_but_complete_on_the_paper_page(project: Path, tmp_path: Path):
    out = tmp_path / "site"
    build(Project(project), out, env={})
    home = Page.read(out / "index.html")
    card = next(li for li in home.find_all("li", "paper") if "Many Authors" in li.text)
    assert "+4 more" in card.text and "Juntao Dai" in card.text and "G Seven" not in card.text
    full = Page.read(out / "papers/long-author-list/index.html").find("ol", "author-list")
    assert [li.text for li in full.children] == [
        "A One",
        "B Two",
        "C Three",
        "D Four",
        "E Five",
        "Juntao Dai",
        "G Seven",
    ]


def test_partial_dates_show_only_what_is_known(project: Path, tmp_path: Path):
    out = tmp_path / "site"
    build(Project(project), out, env={})
    times = {t.attrs["datetime"]: t.text for t in Page.read(out / "index.html").find_all("time")}
    assert times["2021"] == "2021"
    assert times["2024-03"] == "March 2024"
    assert times["2025-06-01"] == "1 June 2025"


def test_code_without_address_is_shown_without_a_link(project: Path, tmp_path: Path):
    out = tmp_path / "site"
    build(Project(project), out, env={})
    page = Page.read(out / "papers/code-without-url/index.html")
    badge = page.find("span", "link-code")
    assert badge.text == "Code available"
    assert not [a for a in page.find_all("a") if "link-code" in a.classes]


def test_custom_domain_writes_cname(project: Path, tmp_path: Path):
    settings = project / "paperfolio.yaml"
    settings.write_text(settings.read_text() + "custom_domain: papers.example.org\n")
    build(Project(project), tmp_path / "site", env={})
    assert (tmp_path / "site" / "CNAME").read_text() == "papers.example.org\n"


def test_two_builds_give_identical_bytes(project: Path, tmp_path: Path):
    build(Project(project), tmp_path / "a", env={})
    build(Project(project), tmp_path / "b", env={})
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_failed_build_leaves_the_previous_site_exactly(project: Path):
    assert run(project).returncode == 0
    before = tree_digest(project / "site")
    (project / "content/papers/broken.md").write_text("---\ntitle: Broken\ndate: 2023-13-45\n---\n")
    result = run(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/papers/broken.md:3:7: error: `date` is not a real date: '2023-13-45'" in result.stderr
    assert "content/papers/broken.md:1:1: error: missing required field `authors`" in result.stderr
    assert (
        result.stderr.strip().endswith("paperfolio: 3 errors; site was not touched.")
        or "was not touched" in result.stderr
    )
    assert tree_digest(project / "site") == before


@pytest.mark.parametrize(
    ("layout", "line", "expression", "message"),
    [
        ("paper.html", 6, "{{ 1 // 0 }}", "ZeroDivisionError: integer division or modulo by zero"),
        ("partials/card.html", 2, "{{ p.title_text + 1 }}", 'TypeError: can only concatenate str (not "int") to str'),
        ("partials/card.html", 2, "{% if %}", "Expected an expression, got 'end of statement block'"),
        # A misspelt field names the closest a view has (it said only "has no attribute 'titel'").
        (
            "paper.html",
            6,
            "{{ paper.titel }}",
            "'paperfolio.views.PaperView object' has no attribute 'titel'; did you mean `title_text` or `title_html`?",
        ),
        ("paper.html", 6, "{{ paper.zzzzzz }}", "'paperfolio.views.PaperView object' has no attribute 'zzzzzz'"),
    ],
)
def test_an_error_in_a_layout_names_the_layout_and_line(project: Path, layout, line, expression, message):
    """A layout's own error that is not Jinja's stopped the build with a traceback, and an error in a partial
    was reported under the partial's bare name (`layouts/card.html`)."""
    assert run(project).returncode == 0
    before = tree_digest(project / "site")
    path = project / "layouts" / layout
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].rstrip("\n") + " " + expression + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    for args in ((), ("--no-cache",)):
        result = run(project, *args)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.splitlines()[0] == f"layouts/{layout}:{line}: error: template error: {message}"
        assert tree_digest(project / "site") == before


def test_a_layout_not_in_utf8_names_its_line(project: Path):
    """Jinja's loader raised UnicodeDecodeError, and the build stopped with a traceback."""
    path = project / "layouts" / "partials" / "card.html"
    path.write_bytes(path.read_bytes() + b"\n<p>caf\xe9</p>\n")
    line = path.read_bytes().count(b"\n")
    for args in ((), ("--no-cache",)):
        result = run(project, *args)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.splitlines()[0] == (
            f"layouts/partials/card.html:{line}: error: template error: is not valid UTF-8 (byte 0xe9);"
            " save the layout as UTF-8"
        )


def test_a_site_with_no_papers_says_so_instead_of_empty_filters(project: Path):
    """A researcher who removes the example papers first saw filter labels with no choices and "Has code 0"."""
    for path in (project / "content" / "papers").glob("*.md"):
        path.unlink()
    result = run(project)
    assert result.returncode == 0, result.stderr
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert '<p class="empty">No publications yet.</p>' in home
    assert 'id="filters"' not in home and "filter-label" not in home and 'id="all-papers"' not in home
    # The index pages said nothing but their introduction (an empty list, a table of headings only, "0 people").
    said = {
        "categories": "No papers yet.",
        "years": "No papers yet.",
        "coauthors": "No coauthors yet.",
        "tags": "No tags yet.",
        "venues": "No venues yet.",
        "publications": "No publications yet.",
    }
    for folder, text in said.items():
        page = Page((project / "site" / folder / "index.html").read_text(encoding="utf-8"))
        assert page.find("p", "empty").text == text, folder
        (main,) = page.find_all("main")
        assert not [e for e in page.elements if e.tag in ("ul", "ol", "table") and _inside(e, main)], folder


def _inside(element, ancestor) -> bool:
    """Return whether a parsed element lies inside another."""
    while element.parent is not None:
        element = element.parent
        if element is ancestor:
            return True
    return False


def test_a_missing_layout_is_named_at_the_line_that_names_it(project: Path):
    (project / "layouts" / "partials" / "macros.html").unlink()
    result = run(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    layout, line = first.split(": error: ")[0].split(":")
    assert first.endswith(": error: layout `partials/macros.html` not found") and int(line) > 0
    assert "partials/macros.html" in (project / layout).read_text(encoding="utf-8").splitlines()[int(line) - 1]


def test_duplicate_slugs_are_reported(project: Path):
    text = (project / "content/papers/newest-first.md").read_text()
    (project / "content/papers/copy.md").write_text(text.replace("---\ntitle", "---\nslug: newest-first\ntitle"))
    result = run(project)
    assert result.returncode == 1
    assert "slug `newest-first` is already used by content/papers/copy.md" in result.stderr


def test_build_prints_a_one_line_summary(project: Path):
    result = run(project)
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.strip().splitlines()
    assert line.startswith("Built ") and " pages " in line and line.endswith(" s.")


def test_output_folder_that_holds_sources_is_refused(project: Path):
    result = run(project, "--output", str(project))
    assert result.returncode == 1
    assert "refusing to build into" in result.stderr
    assert (project / "content/papers/newest-first.md").exists()


@pytest.mark.parametrize("inside", ["assets/site", "content/papers/site", "layouts/site"])
def test_an_output_folder_inside_the_sources_is_refused(project: Path, inside: str):
    """Under assets/ the site was copied into itself by the next build, doubling each time; under content/
    or layouts/ the next build read it as sources."""
    (project / "layouts").mkdir(exist_ok=True)
    before = sorted(p for p in project.rglob("*"))
    result = run(project, "--output", str(project / inside))
    assert result.returncode == 1
    top = inside.split("/")[0]
    assert result.stderr.splitlines() == [
        f"paperfolio: error: refusing to build into {project / inside}: it is inside the project's `{top}/`"
    ]
    assert sorted(p for p in project.rglob("*")) == before


@pytest.mark.parametrize("where", ["file", "proc"])
def test_an_output_folder_that_cannot_be_made_is_refused_in_one_line(project: Path, where: str):
    """A file where a folder must be, or a folder where nothing can be made, gave a traceback from the
    writer after the whole build."""
    if where == "proc" and not Path("/proc/self").is_dir():
        pytest.skip("no /proc: not Linux")
    out = project / "paperfolio.yaml" / "site" if where == "file" else Path("/proc/paperfolio-site")
    result = run(project, "--output", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    if where == "file":
        assert line == f"paperfolio: error: refusing to build into {out}: {project / 'paperfolio.yaml'} is a file"
    else:
        assert line.startswith(f"paperfolio: error: cannot build into {out}: cannot make a folder in /proc: ")


def test_a_project_without_layouts_or_assets_is_told_what_is_missing(project: Path):
    """No layouts/ gave one "layout not found" per layout; no assets/ gave "'dict object' has no attribute
    'style.css'"."""
    shutil.rmtree(project / "layouts")
    result = run(project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "layouts/: error: no such folder",
        "    hint: the pages are made from the project's layouts: copy layouts/ from paperfolio's repository",
    ]
    shutil.copytree(REPO / "layouts", project / "layouts")
    (project / "assets" / "style.css").unlink()
    result = run(project)
    assert result.returncode == 1
    line = result.stderr.splitlines()[0]
    assert line.startswith("layouts/base.html:") and line.endswith(
        ": error: template error: no file assets/style.css, which the layout links; add it, or copy assets/ from "
        "paperfolio"
    )


def test_foreign_folder_is_not_replaced(project: Path, tmp_path: Path):
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")
    result = run(project, "--output", str(foreign))
    assert result.returncode == 1 and "was not made by paperfolio" in result.stderr
    assert (foreign / "thesis.tex").read_text() == "precious"


def test_check_writes_nothing_and_reports(project: Path):
    result = run(project, "check")
    assert result.returncode == 0, result.stderr
    assert not (project / "site").exists()
    assert (
        "content/papers/long-author-list.md:6: warning: affiliation `unknown-lab` has no display name" in result.stderr
    )


def test_new_writes_a_valid_paper(project: Path):
    result = run(project, "new", "A Brand New Idea: Part 2")
    assert result.returncode == 0, result.stderr
    path = project / result.stdout.strip()
    assert path.name == "a-brand-new-idea-part-2.md"
    assert run(project, "check").returncode == 0
    again = run(project, "new", "A Brand New Idea: Part 2")
    assert again.returncode == 1 and "already exists" in again.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("new", "x\x1by"), "new: error: the title contains the control character U+001B"),
        (("new", "T", "--author", ""), "new: error: an author name is empty"),
        (("new", "T", "--author", "others"), "new: error: `authors` needs at least one named author before `others`"),
    ],
)
def test_new_never_writes_a_file_that_check_refuses(project: Path, args: tuple[str, ...], said: str):
    """Each wrote its file and exited 0; the next `check` refused it (the control character with a
    misleading hint about LaTeX in double quotes)."""
    before = sorted(p.name for p in (project / "content" / "papers").iterdir())
    result = run(project, *args)
    assert result.returncode == 1 and result.stderr.splitlines() == [said, "paperfolio: 1 error; nothing was written."]
    assert sorted(p.name for p in (project / "content" / "papers").iterdir()) == before


def test_check_warns_of_the_abstract_new_wrote_and_counts_strict_warnings_once(project: Path):
    """A new paper's placeholder abstract would have been published unseen. `check --strict` said
    "2 error(s), 2 warning(s)" of two problems, each labelled a warning."""
    path = project / run(project, "new", "Unwritten").stdout.strip()
    result = run(project, "check", "--strict")
    assert result.returncode == 1
    placeholder = f"{path.relative_to(project)}:13: warning: the abstract is still the one `python build.py new` wrote"
    assert any(line.startswith(placeholder) for line in result.stderr.splitlines())
    warnings = sum(1 for line in result.stderr.splitlines() if ": warning: " in line)
    summary = result.stderr.splitlines()[-1]
    assert summary == (
        f"paperfolio check: 0 error(s), {warnings} warning(s) (which --strict counts as errors); nothing was written."
    )


def test_two_papers_with_one_citation_key_are_refused_at_the_key(project: Path):
    papers = project / "content" / "papers"
    for name, key in (("one", "lovelace2024"), ("two", "Lovelace2024")):  # one key to BibTeX, whatever the case
        text = f"---\ntitle: 'The monkey: {name}'\nauthors: [Ada Lovelace]\ndate: 2024\ncategories: [cs.LG]\n"
        (papers / f"{name}.md").write_text(text + f"key: {key}\n---\nAbstract.\n", "utf-8")
    result = run(project, "check")
    assert result.returncode == 1
    # At the `key:` line, not the title's, which holds "key:" too.
    said = "content/papers/two.md:6:1: error: key `Lovelace2024` is already used by content/papers/one.md"
    assert said in result.stderr.splitlines()
    (papers / "two.md").write_text(
        (papers / "two.md").read_text("utf-8").replace("\nkey: ", "\nkey: 'bad key'\n#"), "utf-8"
    )
    result = run(project, "check")
    assert "content/papers/two.md:6:6: error: `key` must be a citation key" in result.stderr


def test_new_names_a_title_with_no_ascii_letters_by_the_date(project: Path):
    """`new "中文标题"` gave an empty file name and stopped; now the file is named by the date (SOURCE_DATE_EPOCH
    1765000000 is 2025-12-06), then numbered."""
    names = []
    for title in ("中文标题", "另一篇论文"):
        result = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "--root", str(project), "new", title],
            capture_output=True, text=True, cwd=project,
            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1765000000"},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        names.append(Path(result.stdout.strip()).name)
        assert f"title: {title}" in (project / result.stdout.strip()).read_text("utf-8")
    assert names == ["paper-2025-12-06.md", "paper-2025-12-06-2.md"]
    assert run(project, "check").returncode == 0
    empty = run(project, "new", "   ")
    assert empty.returncode == 1 and "the title is empty" in empty.stderr


@pytest.mark.parametrize("epoch", ["abc", "99999999999999", "1.5"])
def test_new_refuses_a_source_date_epoch_that_is_no_date(project: Path, epoch: str):
    """A date past year 9999 was a traceback, and `abc` was quietly today: the reproducible-builds
    specification asks for an error."""
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(project), "new", "Epoch"],
        capture_output=True, text=True, cwd=project,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": epoch},
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        f"new: error: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, got '{epoch}'"
    )
    assert not (project / "content" / "papers" / "epoch.md").exists()


def test_new_with_a_very_long_title_writes_a_file_the_system_accepts(project: Path):
    """The whole title as a file name passed the system's 255-byte limit (an OSError traceback)."""
    title = "Scaling " * 400
    result = run(project, "new", title)
    assert result.returncode == 0, result.stderr
    path = project / result.stdout.strip()
    assert path.name == ("scaling-" * 10)[:79] + ".md"
    assert run(project, "check").returncode == 0


def test_the_coauthors_page_says_which_papers_a_collaboration_wrote(project: Path, tmp_path: Path):
    names = ", ".join(f"Member {n}" for n in range(150))
    fields = f"title: A Detector Paper\nauthors: [Juntao Dai, {names}]\ndate: 2020-01-01\ncategories: [hep-ex]"
    text = f"---\n{fields}\n---\nX.\n"
    (project / "content" / "papers" / "detector.md").write_text(text, "utf-8")
    out = tmp_path / "site"
    build(Project(project), out, env={})
    page = (out / "coauthors" / "index.html").read_text("utf-8")
    assert "1 paper with more than 100 authors, a collaboration’s, is not counted here" in page
    assert not (out / "coauthors" / "member-7").exists()
    assert "Member 149" in (out / "papers" / "detector" / "index.html").read_text("utf-8")


def test_a_name_typed_decomposed_is_the_same_coauthor(project: Path, tmp_path: Path):
    """One paper with `José García` composed, one with it decomposed: one coauthor page, no spelling warning."""
    import unicodedata

    for number, form in enumerate(("NFC", "NFD")):
        name = unicodedata.normalize(form, "José García")
        text = f"---\ntitle: Paper {number}\nauthors: [Juntao Dai, {name}]\ndate: 2024-01-0{number + 1}\n"
        text += f"categories: [cs.LG]\nlinks: {{arxiv: '2401.0000{number}'}}\n---\nText.\n"
        (project / "content" / "papers" / f"accents-{number}.md").write_text(text, "utf-8")
    out = tmp_path / "site"
    result = run(project, "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (out / "coauthors").iterdir() if p.name.startswith("jose")) == ["jose-garcia"]
    assert "differs only in spelling" not in run(project, "check").stderr


def test_a_second_build_of_the_same_site_waits_for_the_first(project: Path):
    """Two builds of one site at once each took the other's staging tree for a killed build's leftovers and
    deleted it: one ended in a traceback (seen 2 times in 6 on a 1,000-paper site). A build now waits while
    another holds the site's lock, and leaves that build's staging tree alone."""
    import select

    from paperfolio.writer import output_lock

    out = project / "site"
    assert run(project).returncode == 0
    before = tree_digest(out)
    live = project / ".site.staging-4194303"  # the tree of a build still running: not a leftover yet
    (project / "content" / "papers" / "late.md").write_text(
        "---\ntitle: Late Paper\nauthors: [Juntao Dai]\ndate: 2024-02-02\ncategories: [CL]\n---\nLate.\n", "utf-8"
    )
    alias = project.parent / "published"
    alias.symlink_to(out)
    with output_lock(alias):  # the same folder by another path (a link to it): the same lock
        (live / "papers").mkdir(parents=True)
        second = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "--root", str(project)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=project,
            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
        )
        try:
            ready, _, _ = select.select([second.stderr], [], [], 60)
            said = second.stderr.readline() if ready else ""
            assert said.startswith("paperfolio: another build of this site is running (process ")
            assert second.poll() is None
            assert live.is_dir() and tree_digest(out) == before
        except BaseException:
            second.kill()
            raise
    stdout, stderr = second.communicate(timeout=60)
    assert second.returncode == 0, stderr
    assert (out / "papers" / "late" / "index.html").is_file()
    assert not live.exists()  # once the lock is free, an abandoned tree is a leftover


def test_a_full_disk_gets_one_line_and_leaves_the_site_and_no_half_made_tree(project: Path, monkeypatch, capsys):
    """A write the system refuses (here: every write, as on a full disk) ended in a traceback, and the half-made
    tree stayed beside the site as the spare, holding the space the next build needed."""
    import errno

    from paperfolio import writer
    from paperfolio.cli import main

    out = project / "site"
    paper = project / "content" / "papers" / "newest-first.md"
    assert main(["--root", str(project)]) == 0
    paper.write_text(paper.read_text("utf-8") + "\nOnce more.\n", "utf-8")
    assert main(["--root", str(project)]) == 0  # a swap: the replaced tree is now the spare
    assert writer.spare_path(out).is_dir()
    before = tree_digest(out)
    paper.write_text(paper.read_text("utf-8") + "\nAnd again.\n", "utf-8")
    capsys.readouterr()

    def full(path: str, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writer, "write_file", full)
    assert main(["--root", str(project), "--no-cache"]) == 1
    said = capsys.readouterr().err.splitlines()
    assert len(said) == 1 and said[0].startswith("paperfolio: error: "), said
    assert said[0].endswith(f": No space left on device; {out} was not touched."), said
    written = said[0].removeprefix("paperfolio: error: ").partition(": No space")[0]
    assert Path(written).is_relative_to(out), written
    assert tree_digest(out) == before
    assert sorted(path.name for path in project.iterdir() if path.name.startswith(".site.")) == [".site.lock"]


def test_static_files_are_published_at_the_site_root(project: Path):
    """Files a site needs at its root (a search engine's verification page, a CV at /cv.pdf, a Bluesky handle's
    .well-known/atproto-did) had nowhere to go: assets/ publishes under /assets/ only, and site/ is rebuilt."""
    static = project / "static"
    (static / ".well-known").mkdir(parents=True)
    (static / "docs").mkdir()
    (static / "google1234.html").write_text("google-site-verification: google1234.html\n", "utf-8")
    (static / "docs" / "cv.pdf").write_bytes(b"%PDF-1.4 a CV")
    (static / ".well-known" / "atproto-did").write_text("did:plc:abc\n", "utf-8")
    (static / ".DS_Store").write_bytes(b"\0\1")  # hidden files stay out
    (static / "docs" / ".cv.pdf.swp").write_bytes(b"swap")
    settings = project / "paperfolio.yaml"
    linked = settings.read_text("utf-8").replace("profile:\n", "profile:\n  links: {cv: /docs/cv.pdf}\n")
    settings.write_text(linked, "utf-8")
    out = project / "site"
    result = run(project, "--base-url", "https://ada.example.org/portfolio/")
    assert result.returncode == 0, result.stderr
    assert (out / "google1234.html").read_text("utf-8") == "google-site-verification: google1234.html\n"
    assert (out / "docs" / "cv.pdf").read_bytes() == b"%PDF-1.4 a CV"
    assert (out / ".well-known" / "atproto-did").read_text("utf-8") == "did:plc:abc\n"
    assert not (out / ".DS_Store").exists() and not (out / "docs" / ".cv.pdf.swp").exists()
    assert "google1234" not in (out / "sitemap.xml").read_text("utf-8")  # a verification page is no page to index
    home = Page.read(out / "index.html")
    assert "/portfolio/docs/cv.pdf" in [a.attrs.get("href") for a in home.find_all("a")]
    # A second build writes nothing; an edit, a removal each change only their file.
    assert " 0 written" in run(project, "--base-url", "https://ada.example.org/portfolio/").stdout
    (static / "google1234.html").write_text("changed\n", "utf-8")
    (static / "docs" / "cv.pdf").unlink()
    settings.write_text(settings.read_text("utf-8").replace("  links: {cv: /docs/cv.pdf}\n", ""), "utf-8")
    result = run(project, "--base-url", "https://ada.example.org/portfolio/")
    assert result.returncode == 0, result.stderr
    assert (out / "google1234.html").read_text("utf-8") == "changed\n" and not (out / "docs").exists()


def test_a_static_file_the_site_makes_itself_or_a_link_out_of_static_is_refused(project: Path, tmp_path: Path):
    static = project / "static"
    (static / "papers").mkdir(parents=True)
    assert run(project).returncode == 0
    before = tree_digest(project / "site")
    (static / "robots.txt").write_text("User-agent: *\n", "utf-8")
    (static / "papers" / "index.html").write_text("<p>mine</p>", "utf-8")  # not a page the site makes: fine
    (static / "secret.txt").symlink_to(tmp_path / "outside.txt")
    (tmp_path / "outside.txt").write_text("SECRET\n", "utf-8")
    result = run(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    why = "error: is a symbolic link to a file outside static/, which would publish that file; copy the file in"
    summary = f"paperfolio: 1 error; {project}/site was not touched."
    assert result.stderr.splitlines() == [f"static/secret.txt: {why}", summary]
    (static / "secret.txt").unlink()
    result = run(project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "static/robots.txt: error: the site makes robots.txt itself"
    assert tree_digest(project / "site") == before
    (static / "robots.txt").unlink()
    settings = project / "paperfolio.yaml"
    linked = settings.read_text("utf-8").replace("profile:\n", "profile:\n  links: {cv: /cv.pdf}\n")
    settings.write_text(linked, "utf-8")
    result = run(project)
    assert result.returncode == 1
    assert "`profile.links.cv` names no file under static/ (or assets/): '/cv.pdf'" in result.stderr


@pytest.mark.parametrize("folder", ["static", "assets", "content/papers", "content"])
def test_a_folder_that_links_out_of_the_project_is_refused(project: Path, tmp_path: Path, folder: str):
    """A link to a file outside static/ or assets/ was refused, but `static -> /elsewhere` published all of
    /elsewhere, and a linked content/papers built papers from outside the project."""
    assert run(project).returncode == 0
    before = tree_digest(project / "site")
    outside = tmp_path / "outside"
    (project / folder).mkdir(exist_ok=True)  # the project has no static/
    shutil.copytree(project / folder, outside)
    (outside / "secret.txt").write_text("SECRET\n", "utf-8")
    shutil.rmtree(project / folder)
    (project / folder).symlink_to(outside, target_is_directory=True)
    result = run(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    why = f"is a symbolic link to a folder outside the project ({outside}); move or copy the folder in"
    assert result.stderr.splitlines()[0] == f"{folder}/: error: {why}"
    assert tree_digest(project / "site") == before
    (project / folder).unlink()
    inside = project / "kept" / "here"  # a link to a folder inside the project is fine
    shutil.copytree(outside, inside)
    (inside / "secret.txt").unlink()
    (project / folder).symlink_to(inside, target_is_directory=True)
    assert run(project).returncode == 0


def test_aliases_keep_a_papers_old_addresses_leading_to_its_page(project: Path):
    """A site moved from al-folio, academicpages or Hugo Blox lost the addresses Scholar and readers held
    (`/publication/newest/`). Each alias is a page naming the paper's as canonical and moving the browser on
    (no script), out of the sitemap; one naming a page of the site, or another paper's alias, is refused."""
    paper = project / "content" / "papers" / "newest-first.md"
    text = paper.read_text("utf-8")
    paper.write_text(text.replace("\ndate:", "\naliases: [/publication/newest/, /old/newest.html]\ndate:", 1), "utf-8")
    result = run(project, "--base-url", "https://ada.github.io/pf/")
    assert result.returncode == 0, result.stderr
    out = project / "site"
    target = "https://ada.github.io/pf/papers/newest-first/"
    for name in ("publication/newest/index.html", "old/newest.html"):
        page = Page.read(out / name)
        assert [e.attrs["href"] for e in page.find_all("link") if e.attrs.get("rel") == "canonical"] == [target]
        refresh = [m.attrs["content"] for m in page.find_all("meta") if m.attrs.get("http-equiv") == "refresh"]
        assert refresh == [f"0; url={target}"] and page.find("a").attrs["href"] == target
        assert not page.find_all("script")
    assert "publication/newest" not in (out / "sitemap.xml").read_text("utf-8")
    before = tree_digest(out)
    paper.write_text(text.replace("\ndate:", "\naliases: [/papers/partial-date]\ndate:", 1), "utf-8")
    result = run(project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "content/papers/newest-first.md:4: error: alias `/papers/partial-date` is a page the site makes itself"
    )
    assert tree_digest(out) == before


@pytest.mark.parametrize("alias", ["/papers.bib/", "/feed.xml", "/assets/style.css/x/"])
def test_an_alias_through_a_file_of_the_site_is_refused(project: Path, alias: str):
    """`aliases: [/papers.bib/]` made papers.bib a folder holding the alias page: the BibTeX file was gone."""
    paper = project / "content" / "papers" / "newest-first.md"
    text = paper.read_text("utf-8")
    paper.write_text(text.replace("\ndate:", f"\naliases: ['{alias}']\ndate:", 1), "utf-8")
    result = run(project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"content/papers/newest-first.md:4: error: alias `{alias}` is a page the site makes itself"
    )


def test_new_refuses_a_page_another_paper_holds_by_slug_or_alias(project: Path):
    """`new "Gamma"` beside a paper with `slug: gamma`, or an alias /papers/gamma/, wrote a file check refused."""
    paper = project / "content" / "papers" / "newest-first.md"
    text = paper.read_text("utf-8")
    paper.write_text(text.replace("\ndate:", "\nslug: gamma\naliases: [/papers/delta/]\ndate:", 1), "utf-8")
    for title, held in (("Gamma", "the page of content/papers/newest-first.md (its `slug:`)"),
                        ("Delta", "an alias of content/papers/newest-first.md")):  # fmt: skip
        result = run(project, "new", title)
        assert result.returncode == 1
        slug = title.lower()
        assert result.stderr.splitlines()[0] == f"new: error: the page papers/{slug}/ is {held}; choose another title"
        assert not (project / "content" / "papers" / f"{slug}.md").exists()


def test_very_long_names_titles_tags_and_venues_still_build(project: Path):
    """A 400-character tag, venue or author name, or a 360-letter first title word, made a file or folder name
    past the system's 255-byte limit: the build stopped with "File name too long". Slugs are cut at 80
    characters (namesakes cut alike get -2), citation keys' parts at 30 letters, and `slug:` is refused past 200."""
    word = "Verylongword" * 30
    text = (
        f"---\ntitle: '{word} and more'\nauthors: ['{'Zed' * 120} Person', Juntao Dai, '{'Zed' * 120} Other']\n"
        f"date: 2024-01-01\ncategories: [cs.LO]\ntags: ['{'tag' * 120}', '{'tag' * 120}b']\n"
        f"venue: '{'Venue' * 80} 2024'\n---\nAbstract.\n"
    )
    (project / "content" / "papers" / "longs.md").write_text(text, "utf-8")
    result = run(project)
    assert result.returncode == 0, result.stderr
    out = project / "site"
    for folder in ("tags", "coauthors", "venues"):
        names = [p.name for p in (out / folder).iterdir() if p.is_dir()]
        assert names and max(len(name) for name in names) <= 82, (folder, names)
    tags = sorted(p.name for p in (out / "tags").iterdir() if p.name.startswith("tagtag"))
    assert tags == ["tagtag" * 13 + "ta", "tagtag" * 13 + "ta-2"]
    (key,) = [p.stem for p in (out / "papers" / "longs").glob("*.bib")]
    assert key == "person2024" + ("verylongword" * 3)[:30]
    slugged = text.replace("---\ntitle", f"---\nslug: {'a' * 201}\ntitle")
    (project / "content" / "papers" / "longs.md").write_text(slugged, "utf-8")
    result = run(project)
    assert result.returncode == 1 and "`slug` has 201 characters; at most 200" in result.stderr


def test_an_unknown_macro_in_a_name_venue_or_tag_is_warned_of_at_its_line(project: Path):
    """Such a value is kept as written (`schema.read_latex`); it used to be kept without a word, where the same
    macro in a title was warned of."""
    text = (
        "---\ntitle: Macros\nauthors: ['Kurt G{\\\"o}del', '\\myname Lee', Juntao Dai]\ndate: 2024-01-01\n"
        "categories: [cs.LO]\nvenue: 'Proc. \\confname 2024'\ntags: ['\\tagmacro']\n---\nText.\n"
    )
    (project / "content" / "papers" / "macros.md").write_text(text, "utf-8")
    result = run(project, "check")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    said = [line for line in lines if line.startswith("content/papers/macros.md") and "LaTeX" in line]
    assert said == [
        "content/papers/macros.md:3: warning: unknown LaTeX macro `\\myname` kept as text",
        "content/papers/macros.md:6: warning: unknown LaTeX macro `\\confname` kept as text",
        "content/papers/macros.md:7: warning: unknown LaTeX macro `\\tagmacro` kept as text",
    ]


@pytest.mark.parametrize(
    ("renamed", "hint"),
    [
        ("paper", "rename content/paper/ to content/papers/"),
        ("publication", "rename content/publication/ to content/papers/"),  # Hugo Blox's name for it
        (None, "make the folder content/papers/ and put the paper files in it"),
    ],
)
def test_a_papers_folder_renamed_or_gone_stops_the_build(project: Path, renamed, hint):
    """With content/papers/ renamed, the build made a site of no paper and removed every paper's page."""
    assert run(project).returncode == 0
    before = tree_digest(project / "site")
    papers = project / "content" / "papers"
    if renamed:
        papers.rename(project / "content" / renamed)
    else:
        shutil.rmtree(papers)
    for command in ((), ("check",)):
        result = run(project, *command)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.splitlines()[:2] == [
            "content/papers/: error: no such folder: the papers are the `.md` files in it",
            f"    hint: {hint}",
        ]
    assert tree_digest(project / "site") == before


def test_a_papers_folder_holding_no_paper_is_warned_of(project: Path):
    for paper in (project / "content" / "papers").rglob("*.md"):
        paper.unlink()
    result = run(project, "check")
    assert result.returncode == 0
    assert "content/papers/: warning: holds no paper file (`*.md`): the site lists no paper" in result.stderr


def test_a_paper_saved_under_content_but_not_in_its_papers_folder_is_warned_of(project: Path):
    """`content/new-paper.md`, or `content/paper/new.md` beside content/papers/, was left out unsaid."""
    text = (project / "content" / "papers" / "partial-date.md").read_text("utf-8")
    (project / "content" / "new-paper.md").write_text(text, "utf-8")
    (project / "content" / "paper").mkdir()
    (project / "content" / "paper" / "new.md").write_text(text, "utf-8")
    (project / "content" / ".drafts").mkdir()
    (project / "content" / ".drafts" / "later.md").write_text(text, "utf-8")
    for command in ((), ("check",)):
        result = run(project, *command)
        assert result.returncode == 0
        lines = [line for line in result.stderr.splitlines() if "not read" in line or "move it" in line]
        assert lines == [
            "content/new-paper.md: warning: not read: papers are read from content/papers/ only",
            "    hint: move it to content/papers/new-paper.md",
            "content/paper/new.md: warning: not read: papers are read from content/papers/ only",
            "    hint: move it to content/papers/new.md",
        ]


def test_a_layout_named_wrong_gets_the_closest_one_and_a_page_layout_gone_how_to_restore_it(project: Path):
    """`{% include 'partials/crad.html' %}` was only 'not found'; paper.html deleted said 'layout `paper.html`
    not found' of itself."""
    assert run(project).returncode == 0
    before = tree_digest(project / "site")
    paper = project / "layouts" / "paper.html"
    text = paper.read_text(encoding="utf-8")
    paper.write_text(text.replace("{% extends", "{% include 'partials/crad.html' %}{% extends", 1), encoding="utf-8")
    result = run(project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "layouts/paper.html:1: error: layout `partials/crad.html` not found",
        "    hint: did you mean `partials/card.html`?",
    ]
    paper.write_text(text.replace("{% extends", "{% include 'partials/sidebar.html' %}{% extends", 1), "utf-8")
    lines = run(project).stderr.splitlines()  # no layout is close: no hint (it named partials/card.html)
    assert lines[0] == "layouts/paper.html:1: error: layout `partials/sidebar.html` not found"
    assert not lines[1].startswith("    hint:")
    paper.unlink()
    result = run(project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "layouts/paper.html: error: no such layout, which the site's pages are made with",
        "    hint: every site has layouts/paper.html: restore it (`git checkout -- layouts/paper.html`)",
    ]
    assert tree_digest(project / "site") == before


def test_new_refuses_a_title_a_paper_has_already(project: Path):
    """`new` run again for a paper already there (its file named otherwise) wrote a second file, which listed
    the paper twice under two addresses."""
    before = sorted(p.name for p in (project / "content" / "papers").iterdir())
    result = run(project, "new", "a paper  known only by YEAR")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "new: error: content/papers/partial-date.md has this title already: edit that file, or give the new paper"
        " another title"
    )
    assert sorted(p.name for p in (project / "content" / "papers").iterdir()) == before
