"""docs/layouts.md stays true: its tables name what layouts really receive, and leave nothing out.

The default site is rendered once, in this process, with every layout's `render` watched: the context each
layout gets is what the pipeline passes it, and the view objects are the ones it builds. A table that names
something the code does not pass fails, and so does a context variable, a global, a filter or a public field
of a view that no table names (so a field added later without documentation fails here).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2.defaults
import pytest

from paperfolio.pipeline import Project, load, render_site
from paperfolio.templating import LayoutTemplate

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "layouts.md"

# Objects the contexts hold that have no table of their own, and where the doc describes them instead.
UNTABLED = {
    "PaperHead": "paper.html's `meta`, written whole",
    "Author": "Paper's `authors` row: the fields of AuthorView but `page`",
}

_ROW = re.compile(r"^\|\s*`([^`]+)`")  # a table row's first cell, a name in backticks
_HEADING = re.compile(r"^###\s+`([^`]+)`")


def doc_tables() -> dict[str, dict[str, list[str]]]:
    """Return each `##` section's `###` headings (their first backticked name), each with the first cells of
    its table rows as written (`url(path)`, `cards.lines(papers)`); the `##` sections' own tables under ""."""
    sections: dict[str, dict[str, list[str]]] = {}
    section = heading = ""
    for line in DOC.read_text("utf-8").splitlines():
        if line.startswith("## "):
            section, heading = line[3:].split(":")[0].strip(), ""
            sections[section] = {}
        elif (found := _HEADING.match(line)) is not None:
            heading = found.group(1)
            sections[section][heading] = []
        elif (found := _ROW.match(line)) is not None and section:
            sections[section].setdefault(heading, []).append(found.group(1))
    return sections


def name_of(cell: str) -> str:
    """Return the name a row documents: `link(kind)` -> `link`, `cards.lines(papers)` -> `cards`."""
    return re.match(r"\w+", cell).group(0)  # type: ignore[union-attr]


def public(cls: type) -> set[str]:
    """Return what a layout can read of a class's instances: its fields, properties and methods."""
    return {name for name in dir(cls) if not name.startswith("_")}


@pytest.fixture(scope="module")
def rendered() -> tuple[dict[str, list[dict[str, Any]]], jinja2.Environment]:
    """Render the default site; return every context each layout was rendered with, and the environment."""
    contexts: dict[str, list[dict[str, Any]]] = {}
    envs: list[jinja2.Environment] = []
    render = LayoutTemplate.render

    def watched(self: LayoutTemplate, *args: Any, **kwargs: Any) -> str:
        contexts.setdefault(self.name, []).append(dict(*args, **kwargs))
        envs.append(self.environment)
        return render(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAPERFOLIO_JOBS", "1")  # every page and card rendered here, where `render` is watched
        patch.setattr(LayoutTemplate, "render", watched)
        project = Project(REPO)
        render_site(project, load(project, env={}))
    assert envs and all(env is envs[0] for env in envs)
    return contexts, envs[0]


@pytest.fixture(scope="module")
def views(rendered) -> dict[str, Any]:
    """Return one instance of each of paperfolio's classes reachable from the contexts and `site`, by name."""
    contexts, env = rendered
    found: dict[str, Any] = {}
    seen: set[int] = set()
    todo = [value for kind in contexts.values() for context in kind for value in context.values()]
    todo.append(env.globals["site"])
    while todo:
        value = todo.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, (list, tuple)):
            todo.extend(value)
        elif isinstance(value, dict):
            todo.extend(value.values())
        elif dataclasses.is_dataclass(value) and type(value).__module__.startswith("paperfolio."):
            name = type(value).__name__
            found.setdefault(name, value)
            if name not in UNTABLED:
                todo.extend(getattr(value, field.name) for field in dataclasses.fields(value))
    return found


def test_every_layout_file_has_a_section() -> None:
    files = {path.relative_to(REPO / "layouts").as_posix() for path in (REPO / "layouts").rglob("*.html")}
    assert set(doc_tables()["Layouts"]) == files


def test_each_layout_table_lists_exactly_the_variables_its_pages_get(rendered) -> None:
    contexts, _env = rendered
    tables = {layout: rows for layout, rows in doc_tables()["Layouts"].items() if rows}
    assert set(tables) == set(contexts), "a layout the build renders has no table, or a table's layout is not rendered"
    for layout, kind in contexts.items():
        passed = set().union(*kind)
        documented = [name_of(cell) for cell in tables[layout]]
        assert len(documented) == len(set(documented)), f"{layout}: a variable is listed twice"
        assert set(documented) - passed == set(), f"{layout}: the doc lists variables its pages do not get"
        assert passed - set(documented) == set(), f"{layout}: its pages get variables the doc does not list"


def test_the_globals_and_filters_are_the_ones_layouts_have(rendered) -> None:
    _contexts, env = rendered
    tables = doc_tables()
    rows = tables["Globals"][""]
    ours = set(env.globals) - set(jinja2.defaults.DEFAULT_NAMESPACE)
    assert {name_of(cell) for cell in rows} == ours
    for cell in rows:  # `cards.lines(papers)`: the global has that attribute
        value = env.globals[name_of(cell)]
        for attribute in re.findall(r"\.(\w+)", re.sub(r"\(.*?\)", "", cell)):
            assert hasattr(value, attribute), f"Globals: `{cell}` names no attribute of `{name_of(cell)}`"
            value = getattr(value, attribute)
    filters = {name_of(cell) for cell in tables["Filters"][""]}
    assert filters == set(env.filters) - set(jinja2.defaults.DEFAULT_FILTERS)
    assert set(env.tests) - set(jinja2.defaults.DEFAULT_TESTS) == set()  # else they want a table too


def test_each_view_table_lists_exactly_the_public_fields_of_the_real_objects(views) -> None:
    tables = doc_tables()["Views"]
    assert set(tables) - set(views) == set(), "a view table names a class no layout can reach"
    untabled = set(views) - set(tables)
    assert untabled == set(UNTABLED), "an object layouts can reach has no table in docs/layouts.md"
    for cls_name, rows in tables.items():
        documented = [name_of(cell) for cell in rows]
        obj = views[cls_name]
        assert len(documented) == len(set(documented)), f"{cls_name}: a field is listed twice"
        wrong = [name for name in documented if name.startswith("_") or not hasattr(obj, name)]
        assert wrong == [], f"{cls_name}: the doc lists fields that {cls_name} does not have"
        missing = sorted(public(type(obj)) - set(documented))
        assert missing == [], f"{cls_name}: fields that docs/layouts.md does not list"


def test_the_paper_authors_are_author_views_but_page(views) -> None:
    """The `Paper` table describes its `Author`s by `AuthorView`'s table: keep that true."""
    assert public(type(views["Author"])) == public(type(views["AuthorView"])) - {"page"}


def test_the_worked_example_builds_and_fails_as_written(tmp_path: Path) -> None:
    """Follow the worked example on a copy of the default project: its tags line, then `p.tag`, whose error
    the doc quotes (in "Strict names" too) with the line it lands on."""
    doc = DOC.read_text("utf-8")
    snippet = re.search(r"after the affiliations, add the paper's tags:\n\n```jinja\n(.*?)```", doc, re.S).group(1)
    for name in ("content", "layouts", "assets", "paperfolio.yaml"):
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
        copy(REPO / name, tmp_path / name)
    card = tmp_path / "layouts" / "partials" / "card.html"
    affiliations = '    <p class="affiliations">'
    text = card.read_text("utf-8")
    end = text.index("{% endif %}\n", text.index(affiliations)) + len("{% endif %}\n")
    card.write_text(text[:end] + snippet.replace("p.tags %}", "p.tag %}") + text[end:], "utf-8")
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 1
    flat = " ".join(doc.split())  # the doc's lines wrap anywhere
    quoted = re.search(r"build with ``(layouts/partials/card\.html:\d+): … (has no attribute 'tag'; .*?\?)``", flat)
    assert quoted, "the worked example quotes no error"
    where, message = quoted.groups()
    assert f"{where}: error: template error: 'paperfolio.views.PaperView object' {message}\n" in result.stderr
    assert f"``{where}: error: template error: 'paperfolio.views.PaperView object' {message}``" in flat


def test_the_readme_names_every_layout_file() -> None:
    """README's "Change the look" lists the layouts a page is made from: every file in `layouts/`."""
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme[readme.index("## Change the look") : readme.index("## How it is built")]
    files = {path.relative_to(REPO / "layouts").as_posix() for path in (REPO / "layouts").rglob("*.html")}
    named = {name for name in files if f"`{name.removeprefix('partials/')}`" in section}
    assert files - named == set()
