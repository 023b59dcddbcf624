"""Incremental builds give the same bytes as a build from nothing, after any sequence of edits.

A seeded random sequence edits abstracts, titles, dates, authors, categories, tags, venues, types,
awards and slugs, makes a paper a draft or gives it another's title, authors and date (so the citation
keys collide), adds, deletes and renames papers, and edits a layout, an asset and the settings. After
each edit three builds run: one that keeps its memory in this process (as `serve` does), one that keeps
it in `.paperfolio-cache/` (as `python build.py` does), and one from nothing; their output folders must
be equal file for file. (Without the tag, venue and type edits, a `serve` that reused its site index
after a paper's tags changed passed these tests.)
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
from pathlib import Path

import pytest

from paperfolio.errors import ContentError
from paperfolio.incremental import Memo
from paperfolio.pipeline import Project, build

REPO = Path(__file__).resolve().parents[1]
SEED_PAPERS = ["beavertails.md", "aligner.md", "omnisafe.md", "ai-alignment-survey.md", "intermt.md", "agentdog.md"]


def make_project(root: Path, names: list[str] = SEED_PAPERS) -> Project:
    """Copy the default site's settings, layouts, assets and a few papers into `root`."""
    (root / "content" / "papers").mkdir(parents=True)
    for name in ("layouts", "assets"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "paperfolio.yaml", root / "paperfolio.yaml")
    for name in names:
        shutil.copy2(REPO / "content" / "papers" / name, root / "content" / "papers" / name)
    return Project(root)


def tree(folder: Path) -> dict[str, bytes]:
    """Return every file under `folder` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def papers(project: Project) -> list[Path]:
    return sorted(project.papers.glob("*.md"))


def set_field(path: Path, key: str, value: str) -> None:
    text = path.read_text("utf-8")
    text, count = re.subn(rf"(?m)^{key}:.*$", f"{key}: {value}", text, count=1)
    if not count:
        text = text.replace("---\n", f"---\n{key}: {value}\n", 1)
    path.write_text(text, "utf-8")


def edit(project: Project, rng: random.Random, step: int) -> str:
    """Make one random edit to the project and return what it was."""
    files = papers(project)
    kind = rng.choice(
        ["abstract", "title", "date", "authors", "categories", "add", "delete", "rename", "layout", "settings", "asset"]
        + ["tags", "venue", "pub_type", "award", "slug", "draft", "same-key", "macros", "image"]
    )
    target = rng.choice(files)
    if kind == "abstract":
        text = target.read_text("utf-8").rstrip("\n") + f"\n\nEdit {step} with $x^{step}$ and \\Site{{}}.\n"
        target.write_text(text, "utf-8")
    elif kind == "title":
        set_field(target, "title", f'"A retitled paper {step}"')
    elif kind == "date":
        set_field(target, "date", f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
    elif kind == "authors":
        set_field(target, "authors", f"[Juntao Dai, Ada Lovelace {step}, Yaodong Yang]")
    elif kind == "categories":
        set_field(target, "categories", rng.choice(["[cs.LG]", "[cs.CL, cs.AI]", "[stat.ML]", "[cs.RO, cs.LG]"]))
    elif kind == "add":
        shutil.copy2(target, project.papers / f"new-paper-{step}.md")
        set_field(project.papers / f"new-paper-{step}.md", "title", f'"New paper {step}"')
    elif kind == "delete" and len(files) > 2:
        target.unlink()
    elif kind == "rename":
        target.rename(target.with_name(f"renamed-{step}.md"))
    elif kind == "layout":
        layouts = ["partials/card.html", "partials/compact.html", "paper.html", "base.html"]
        layout = project.layouts / rng.choice(layouts)
        layout.write_text(layout.read_text("utf-8") + f"{{# edit {step} #}}<!-- {step} -->\n", "utf-8")
    elif kind == "settings":
        settings = project.root / "paperfolio.yaml"
        settings.write_text(re.sub(r"(?m)^title: .*$", f"title: Publications {step}", settings.read_text()), "utf-8")
    elif kind == "macros":  # the site's own macros: every text that uses one reads otherwise
        settings = project.root / "paperfolio.yaml"
        text = re.sub(r"(?ms)^latex_macros:\n(  .*?\n)*", "", settings.read_text("utf-8"))
        macros = rng.choice(["", f"  Site: Site {step}\n", f"  Site: \\textbf{{Site {step}}}\n  Other: x\n"])
        settings.write_text(text + (f"latex_macros:\n{macros}" if macros else ""), "utf-8")
    elif kind == "image":  # a picture on the paper's page and card, and in its head
        set_field(target, "image", rng.choice(["/assets/favicon.svg", "favicon.svg", "assets/favicon.svg"]))
        set_field(target, "image_alt", rng.choice(['"A logo"', f'"Logo {step}"']))
    elif kind == "asset":
        asset = project.assets / "style.css"
        asset.write_text(asset.read_text("utf-8") + f"\n/* {step} */\n", "utf-8")
    elif kind == "tags":  # the tag pages, and which of them exist
        set_field(target, "tags", rng.choice(["[]", "[alignment]", f"[alignment, tag-{step}]", f"[tag-{step}]"]))
    elif kind == "venue":
        set_field(target, "venue", rng.choice(['"NeurIPS 2024"', f'"Venue {step}"', '"arXiv preprint"']))
    elif kind == "pub_type":
        set_field(target, "pub_type", rng.choice(["conference", "journal", "preprint", "thesis"]))
    elif kind == "award":
        set_field(target, "award", rng.choice(['"Best Paper Award"', f'"Award {step}"']))
    elif kind == "slug":
        set_field(target, "slug", f"custom-slug-{step}")
    elif kind == "draft":  # the builds here show drafts, as `serve` does; a draft is marked as one
        set_field(target, "draft", rng.choice(["true", "false"]))
    elif kind == "same-key":  # another paper's title, authors and date: the two citation keys collide
        other = rng.choice(files).read_text("utf-8")
        for key in ("title", "authors", "date"):
            found = re.search(rf"(?m)^{key}:(.*)$", other)
            if found:
                set_field(target, key, found.group(1).strip())
    return f"{kind} {target.name}"


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_builds_equal_full_builds_after_random_edits(tmp_path: Path, seed: int) -> None:
    project = make_project(tmp_path / "project")
    memo = Memo()
    rng = random.Random(seed)
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    for step in range(10):
        what = edit(project, rng, step) if step else "nothing"
        build(project, tmp_path / "served", env=env, use_cache=False, memo=memo, in_place=True, drafts=True)
        build(project, tmp_path / "cached", env=env, drafts=True)
        shutil.rmtree(tmp_path / "full", ignore_errors=True)
        build(project, tmp_path / "full", env=env, use_cache=False, drafts=True)
        full = tree(tmp_path / "full")
        for name in ("served", "cached"):
            other = tree(tmp_path / name)
            assert other.keys() == full.keys(), f"step {step} ({what}): {name} has other files"
            differing = [path for path in full if other[path] != full[path]]
            assert not differing, f"step {step} ({what}): {name} differs in {differing[:5]}"


def test_an_edit_to_one_paper_leaves_unrelated_pages_untouched(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    out = tmp_path / "site"
    memo = Memo()
    build(project, out, use_cache=False, memo=memo, in_place=True)
    before = {p: p.stat() for p in out.rglob("*.html")}
    target = project.papers / "aligner.md"
    target.write_text(target.read_text("utf-8").rstrip("\n") + "\n\nA new closing sentence.\n", "utf-8")
    result = build(project, out, use_cache=False, memo=memo, in_place=True)
    assert "papers/aligner/index.html" in result.report.paths
    assert "A new closing sentence." in (out / "papers" / "aligner" / "index.html").read_text("utf-8")
    untouched = [p for p, st in before.items() if p.stat().st_mtime_ns == st.st_mtime_ns]
    assert len(untouched) > len(before) / 2
    assert out / "papers" / "omnisafe" / "index.html" in untouched


def test_a_second_build_with_no_change_writes_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    out = tmp_path / "site"
    first = build(project, out)
    second = build(project, out)
    assert first.report.written > 0
    assert (second.report.written, second.report.removed) == (0, 0)
    assert second.files == first.files


def test_a_changed_output_file_is_rendered_again(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    out = tmp_path / "site"
    build(project, out)
    page = out / "papers" / "aligner" / "index.html"
    good = page.read_bytes()
    page.write_bytes(b"tampered")
    build(project, out)
    assert page.read_bytes() == good


def test_cached_and_uncached_builds_give_identical_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from paperfolio import pipeline

    monkeypatch.setattr(pipeline, "SIDE_BY_SIDE", 2)  # uncached: related papers and keys made beside the views
    project = make_project(tmp_path / "project")
    build(project, tmp_path / "a", use_cache=False)
    build(project, tmp_path / "b")
    target = project.papers / "beavertails.md"
    target.write_text(target.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    build(project, tmp_path / "b")
    build(project, tmp_path / "c", use_cache=False)
    assert tree(tmp_path / "b") == tree(tmp_path / "c")
    assert tree(tmp_path / "a") != tree(tmp_path / "c")


def test_parallel_and_serial_builds_give_identical_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from paperfolio import parallel

    project = make_project(tmp_path / "project")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)  # use the worker pool even for this small site
    monkeypatch.setenv("PAPERFOLIO_JOBS", "2")
    build(project, tmp_path / "parallel", use_cache=False)
    monkeypatch.setenv("PAPERFOLIO_JOBS", "1")
    build(project, tmp_path / "serial", use_cache=False)
    assert tree(tmp_path / "parallel") == tree(tmp_path / "serial")


def test_a_cold_build_compiles_each_layout_once_while_papers_are_read(tmp_path: Path, monkeypatch) -> None:
    """With two cores, compiling the layouts is one task among those that read the papers: whichever
    process takes it compiles each layout once, and no process compiles one again to render."""
    import collections
    import os

    import jinja2

    project = make_project(tmp_path / "project")
    log = tmp_path / "compiled.log"
    compile_source = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        with open(log, "a", encoding="utf-8") as file:  # appended to by every process, workers too
            file.write(f"{os.getpid()} {name}\n")
        return compile_source(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    layouts = sorted(p.relative_to(project.layouts).as_posix() for p in project.layouts.rglob("*.html"))
    for jobs in ("2", "1"):
        log.write_text("")
        monkeypatch.setenv("PAPERFOLIO_JOBS", jobs)
        build(project, tmp_path / jobs, use_cache=False)
        names = collections.Counter(line.split(" ", 1)[1] for line in log.read_text().splitlines())
        assert sorted(names) == layouts and set(names.values()) == {1}, jobs
    assert tree(tmp_path / "2") == tree(tmp_path / "1")


def test_the_compiling_worker_notes_which_layouts_each_layout_uses(tmp_path: Path, monkeypatch) -> None:
    """A first build with a cache learns each layout's references from the task that compiled it, so
    no layout is parsed twice (whichever process took that task); what the task noted is what parsing
    the file gives, also for a layout saved with CRLF line ends, and a layout changed since is parsed
    again."""
    import jinja2

    from paperfolio.compiling import compile_layouts
    from paperfolio.incremental import layout_references
    from paperfolio.templating import make_environment

    project = make_project(tmp_path / "project")
    paper = project.layouts / "paper.html"
    paper.write_bytes(paper.read_bytes().replace(b"\n", b"\r\n"))
    env = make_environment(project.layouts)
    _compiled, noted = compile_layouts(env, project.layouts)
    names = [name for name in env.list_templates() if name.endswith(".html")]
    parsed: dict = {}
    for name in names:
        layout_references(make_environment(project.layouts), project.layouts, name, parsed)
    assert noted == parsed and len(noted) == len(names)
    assert ("base.html", "partials/macros.html") in noted.values()  # what paper.html extends and imports

    parses: list[str] = []
    parse = jinja2.Environment._parse

    def counting(self, source, name, filename):
        parses.append(name)  # this process's only: a forked worker's list is its own copy
        return parse(self, source, name, filename)

    monkeypatch.setattr(jinja2.Environment, "_parse", counting)
    monkeypatch.setenv("PAPERFOLIO_JOBS", "2")
    build(project, tmp_path / "site")
    assert len(parses) == len(set(parses)), "no layout is parsed again to find what it references"
    base = project.layouts / "base.html"
    base.write_text(base.read_text("utf-8") + "{% include 'partials/card.html' ignore missing %}\n", "utf-8")
    found = layout_references(make_environment(project.layouts), project.layouts, "base.html", dict(noted))
    assert found == ("partials/card.html",), "the edited layout is parsed again, not taken from the note"


def test_layout_tasks_compile_one_layout_each_and_together_what_compiling_all_does(tmp_path: Path) -> None:
    """The cold build spreads compiling over its workers one layout a task: each task hands back only
    the layout it compiled (a worker that ran several tasks does not send the earlier ones again), and
    together they give the bytecode and references of compiling every layout at once."""
    from paperfolio.compiling import BytecodeCache, compile_layouts, layout_tasks
    from paperfolio.templating import make_environment

    project = make_project(tmp_path / "project")

    def environment():
        env = make_environment(project.layouts)
        env.bytecode_cache = BytecodeCache({})
        return env

    whole, whole_references = compile_layouts(environment(), project.layouts)
    env = environment()  # one environment for every task, as in one worker
    tasks = layout_tasks(env, project.layouts)
    results = [task() for task in tasks]
    names = [name for name in env.list_templates() if name.endswith(".html")]
    assert len(tasks) == len(names) > 1
    assert all(len(compiled) == 1 for compiled, _references in results)
    assert {key: data for compiled, _ in results for key, data in compiled.items()} == whole
    assert {key: refs for _, references in results for key, refs in references.items()} == whole_references
    sizes = [(project.layouts / name).stat().st_size for name in names]
    assert tasks[0].args[2] == [names[sizes.index(max(sizes))]], "the longest layout is compiled first"
    assert all(
        not references
        for _, references in [task() for task in layout_tasks(environment(), project.layouts, references=False)]
    )


def test_search_and_feed_entries_of_unchanged_papers_are_remembered(tmp_path: Path, monkeypatch) -> None:
    """After an edit, only the edited paper's search entry and feed entry are made again, in a build
    that keeps its memory in `.paperfolio-cache/` and in one that keeps it in this process."""
    from paperfolio import feeds, search

    made: list[str] = []
    entry, entry_xml = search.search_entry, feeds.entry_xml
    monkeypatch.setattr(search, "search_entry", lambda view: made.append(view.slug) or entry(view))
    monkeypatch.setattr(feeds, "entry_xml", lambda settings, view: made.append(view.slug) or entry_xml(settings, view))
    monkeypatch.setenv("PAPERFOLIO_JOBS", "1")  # counted here, not in a worker
    project = make_project(tmp_path / "project")
    memo = Memo()
    for out, options in (("cached", {}), ("served", {"use_cache": False, "memo": memo, "in_place": True})):
        build(project, tmp_path / out, **options)
        assert sorted(made) == sorted(2 * [p.stem for p in papers(project)])  # one entry of each kind
        made.clear()
        target = project.papers / "aligner.md"
        original = target.read_text("utf-8")
        target.write_text(original + f"\nAn edit for the {out} build.\n", "utf-8")
        build(project, tmp_path / out, **options)
        assert made == ["aligner", "aligner"], out
        made.clear()
        target.write_text(original, "utf-8")
    # The cached build's memory holds every paper's entries, for the next `python build.py` process.
    from paperfolio import buildstate
    from paperfolio.cache import CACHE_DIR, Store
    from paperfolio.incremental import load_memo

    stored, _ = load_memo(Store(project.root / CACHE_DIR), buildstate.state_name(tmp_path / "cached", "memo"))
    assert len(stored.search) == len(stored.feeds) == len(papers(project))


def test_a_file_changed_after_the_input_digest_is_built_by_the_next_build(tmp_path: Path) -> None:
    """The CLI digests every input before building and hands each file's digest to the build, so the
    build need not read the files again. A file saved in between is built by the next build."""
    import os

    from paperfolio import buildstate

    project = make_project(tmp_path / "project")
    build(project, tmp_path / "site")
    target = project.papers / "aligner.md"
    files: dict[str, bytes] = {}
    environ = dict(os.environ)
    inputs = buildstate.input_digest(project.root, base_url=None, drafts=False, env=environ, file_digests=files)
    assert files[str(target)]  # the paper files are among the digested inputs
    target.write_text(target.read_text("utf-8") + "\nSaved while the build started.\n", "utf-8")
    build(project, tmp_path / "site", inputs=inputs, file_digests=files)
    build(project, tmp_path / "site")
    build(project, tmp_path / "full", use_cache=False)
    assert "Saved while the build started." in (tmp_path / "site" / "papers" / "aligner" / "index.html").read_text()
    assert tree(tmp_path / "site") == tree(tmp_path / "full")


def test_an_abstract_edit_renders_no_page_that_lists_only_compact_cards(tmp_path: Path, monkeypatch) -> None:
    """Coauthor pages list papers as compact cards (no abstract): an abstract edit leaves those cards'
    HTML as it was, so the pages are kept, while pages with full cards are rendered again."""
    from paperfolio import incremental, paperpages

    rendered: list[str] = []
    render_batch = incremental.render_batch

    def counting(env, pages, layouts, sink=None):
        pages = list(pages)
        rendered.extend(page.path for page in pages)
        return render_batch(env, pages, layouts, sink)

    monkeypatch.setattr(incremental, "render_batch", counting)  # list pages
    monkeypatch.setattr(paperpages, "render_batch", counting)  # paper pages
    project = make_project(tmp_path / "project")
    memo = Memo()
    build(project, tmp_path / "site", use_cache=False, memo=memo, in_place=True)
    rendered.clear()
    target = project.papers / "aligner.md"
    target.write_text(target.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    build(project, tmp_path / "site", use_cache=False, memo=memo, in_place=True)
    assert "papers/aligner/" in rendered and "" in rendered  # its page, and the home page's full card
    assert not [path for path in rendered if path.startswith("coauthors/")], rendered
    build(project, tmp_path / "full", use_cache=False)
    assert tree(tmp_path / "site") == tree(tmp_path / "full")
    # A change to the compact card's layout changes those cards, and the pages are rendered again.
    rendered.clear()
    layout = project.layouts / "partials" / "compact.html"
    layout.write_text(layout.read_text("utf-8").replace("<li", "<li data-edited", 1), "utf-8")
    build(project, tmp_path / "site", use_cache=False, memo=memo, in_place=True)
    assert [path for path in rendered if path.startswith("coauthors/")]
    shutil.rmtree(tmp_path / "full")
    build(project, tmp_path / "full", use_cache=False)
    assert tree(tmp_path / "site") == tree(tmp_path / "full")


def test_serve_reuses_the_index_only_while_no_paper_changed_more_than_its_abstract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paperfolio import pipeline

    project = make_project(tmp_path / "project")
    memo = Memo()
    built, keyed = [], []
    real_build_index, real_keys = pipeline.build_index, pipeline.citation_keys
    monkeypatch.setattr(pipeline, "build_index", lambda *a, **k: built.append(1) or real_build_index(*a, **k))
    monkeypatch.setattr(pipeline, "citation_keys", lambda *a, **k: keyed.append(1) or real_keys(*a, **k))
    target = papers(project)[0]
    steps = [
        ("first build", lambda: None, 1),
        ("abstract", lambda: target.write_text(target.read_text("utf-8") + "\nMore abstract.\n", "utf-8"), 0),
        ("venue", lambda: set_field(target, "venue", '"A New Venue 2026"'), 1),
        ("abstract again", lambda: target.write_text(target.read_text("utf-8") + "\nAnd more.\n", "utf-8"), 0),
        ("date", lambda: set_field(target, "date", "2019-03-04"), 1),
    ]
    for what, change, expected in steps:
        change()
        built.clear()
        keyed.clear()
        build(project, tmp_path / "served", use_cache=False, memo=memo, in_place=True)
        assert len(built) == expected, what
        assert len(keyed) == expected, what  # the citation keys come with the index
        shutil.rmtree(tmp_path / "full", ignore_errors=True)
        build(project, tmp_path / "full", use_cache=False)
        assert tree(tmp_path / "served") == tree(tmp_path / "full"), what


def test_serve_answers_unchanged_papers_from_their_last_check_and_checks_changed_ones(tmp_path: Path) -> None:
    """After an abstract edit, a paper whose page reads nothing that changed keeps the very record of its
    last check (`paperpages.Settled`); the edited paper and one whose citation key changed are checked
    again, and the site stays equal to a full build's. (Twelve papers: with six, every paper lists
    every other as related, so an abstract edit changes every paper page.)"""
    names = sorted(path.name for path in (REPO / "content" / "papers").glob("*.md"))[:12]
    project = make_project(tmp_path / "project", names)
    memo = Memo()

    def serve_build() -> None:
        build(project, tmp_path / "served", use_cache=False, memo=memo, in_place=True)
        shutil.rmtree(tmp_path / "full", ignore_errors=True)
        build(project, tmp_path / "full", use_cache=False)
        assert tree(tmp_path / "served") == tree(tmp_path / "full")

    aligner = project.papers / "aligner.md"
    serve_build()
    assert memo.settled == {}  # a first build makes every paper: nothing was found settled
    aligner.write_text(aligner.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    serve_build()
    checked = dict(memo.settled)
    assert checked and "aligner" not in checked
    aligner.write_text(aligner.read_text("utf-8") + "\nAnd another.\n", "utf-8")
    serve_build()
    assert memo.settled.keys() == checked.keys()
    assert all(memo.settled[slug] is found for slug, found in checked.items())  # answered from the last check
    # A new title gives a settled paper another citation key, so other file names: it is made again.
    slug = sorted(checked)[0]
    set_field(project.papers / f"{slug}.md", "title", '"Zebra crossings for safe agents"')
    serve_build()
    assert slug not in memo.settled
    assert "Zebra crossings" in (tmp_path / "served" / "papers" / slug / "index.html").read_text("utf-8")
    serve_build()  # nothing changed: its new files are found settled by a full check
    assert memo.settled[slug].key != checked[slug].key


def test_serve_finds_again_the_digests_whose_parts_did_not_change(tmp_path: Path) -> None:
    """`Memo.digest_of`: after an abstract edit, the view keys of the other papers are the very digests
    the last build made (found by their parts, not hashed again); the edited paper's is new."""
    project = make_project(tmp_path / "project")
    memo = Memo()

    def view_keys() -> dict[str, bytes]:
        build(project, tmp_path / "served", use_cache=False, memo=memo, in_place=True)
        return {view.paper.slug: key for key, view in memo.views.items()}

    aligner = project.papers / "aligner.md"
    first = view_keys()
    aligner.write_text(aligner.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    second = view_keys()
    assert second.keys() == first.keys() and second["aligner"] != first["aligner"]
    assert all(second[slug] is first[slug] for slug in first if slug != "aligner")
    assert memo.new_digests == {} and len(memo.digests) >= 4 * len(first)  # file, view, paper, citation
    shutil.rmtree(tmp_path / "full", ignore_errors=True)
    build(project, tmp_path / "full", use_cache=False)
    assert tree(tmp_path / "served") == tree(tmp_path / "full")


def test_serve_keeps_the_browse_pages_while_the_index_groupings_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an abstract edit `browse_pages` gives the last build's page objects again and their context
    digests are taken, not made; a new tag makes new pages. Every step equals a full build."""
    from paperfolio import cache, incremental

    project = make_project(tmp_path / "project")
    memo = Memo()
    digested: list[object] = []
    real = cache.value_digest
    monkeypatch.setattr(incremental, "value_digest", lambda v, *a, **k: digested.append(v) or real(v, *a, **k))

    def serve_build() -> list:
        digested.clear()
        build(project, tmp_path / "served", use_cache=False, memo=memo, in_place=True)
        shutil.rmtree(tmp_path / "full", ignore_errors=True)
        build(project, tmp_path / "full", use_cache=False)
        assert tree(tmp_path / "served") == tree(tmp_path / "full")
        return memo.sources["browse"][1]

    aligner = project.papers / "aligner.md"
    first = serve_build()
    aligner.write_text(aligner.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    second = serve_build()
    assert len(second) == len(first) and all(a is b for a, b in zip(first, second, strict=True))
    coauthor_pages = [page for page in second if page.path.startswith("coauthors/") and page.path != "coauthors/"]
    assert coauthor_pages and not [page for page in coauthor_pages if page.context in digested]
    assert all(memo.contexts[id(page)][0] is page for page in coauthor_pages)
    set_field(aligner, "tags", "[a-brand-new-tag]")
    third = serve_build()
    assert third[0] is not second[0] and any(page.path == "tags/a-brand-new-tag/" for page in third)


@pytest.mark.parametrize("seed", [3, 4, 6])
def test_serve_told_what_changed_equals_full_builds_after_random_edits(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve` passes the paths its watcher saw change to the build (`load` then looks only at those):
    after every random edit, additions, deletions and renames included, the site equals a full build's
    (or, after an edit that breaks a file, both refuse it)."""
    from paperfolio import pipeline
    from paperfolio.serve import Session

    monkeypatch.setattr(pipeline, "RACY_NS", -1)  # else every file, just written, is looked at anyway
    project = make_project(tmp_path / "project")
    session = Session(project, tmp_path / "served", None, True, log=lambda *a, **k: None)
    session.snapshot = session.watched()
    session.rebuild()
    rng = random.Random(seed)
    for step in range(1, 12):
        what = edit(project, rng, step)
        changed = session.changes()
        session.rebuild(changed)
        assert session.crash is None, (what, session.crash)
        shutil.rmtree(tmp_path / "full", ignore_errors=True)
        if session.problems is not None:  # an edit that breaks a file: the full build refuses it too
            with pytest.raises(ContentError):
                build(project, tmp_path / "full", use_cache=False, drafts=True)
            continue
        build(project, tmp_path / "full", use_cache=False, drafts=True)
        full, served = tree(tmp_path / "full"), tree(tmp_path / "served")
        assert served.keys() == full.keys(), f"step {step} ({what}): other files"
        assert not [path for path in full if served[path] != full[path]], f"step {step} ({what})"


def test_serve_looks_only_at_the_paper_files_its_watcher_saw_change(tmp_path: Path, monkeypatch) -> None:
    """After an abstract edit the papers folder is not listed again and only the edited file is looked
    at; a new paper file makes the build list the folder again."""
    from paperfolio import pipeline
    from paperfolio.serve import Session

    monkeypatch.setattr(pipeline, "RACY_NS", -1)  # files just written would be looked at anyway
    looked: list[str] = []
    listed: list[object] = []
    real_trusted, real_scan = pipeline.trusted_digest, pipeline.scan_paper_files
    monkeypatch.setattr(pipeline, "trusted_digest", lambda name, *a: looked.append(name) or real_trusted(name, *a))
    monkeypatch.setattr(
        pipeline, "scan_paper_files", lambda folder, *rest: listed.append(folder) or real_scan(folder, *rest)
    )
    project = make_project(tmp_path / "project")
    session = Session(project, tmp_path / "served", None, True, log=lambda *a, **k: None)
    session.snapshot = session.watched()
    session.rebuild()
    assert len(looked) == len(SEED_PAPERS) and len(listed) == 1
    aligner = project.papers / "aligner.md"
    aligner.write_text(aligner.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    looked.clear()
    session.rebuild(session.changes())
    assert looked == [str(aligner)] and len(listed) == 1
    assert "One more sentence." in (tmp_path / "served" / "papers" / "aligner" / "index.html").read_text("utf-8")
    shutil.copy2(aligner, project.papers / "aligner-copy.md")
    set_field(project.papers / "aligner-copy.md", "title", '"A copy"')
    looked.clear()
    session.rebuild(session.changes())
    assert len(listed) == 2 and len(looked) == len(SEED_PAPERS) + 1


def test_serve_prints_each_warning_once_and_keeps_the_files_not_read(tmp_path: Path) -> None:
    """A warning is printed by the build where it appears, counted by the next ones; `A.MD` is warned of
    by a rebuild that reuses the papers folder's listing too."""
    from paperfolio.serve import Session

    project = make_project(tmp_path / "project", ["aligner.md", "omnisafe.md"])
    extra = "title: Extra\nauthors: [Juntao Dai]\ndate: 2024-01-02\ncategories: [cs.LG]\nlinks: {arxiv: '2401.00001'}"
    (project.papers / "Extra.MD").write_text(f"---\n{extra}\n---\nText.\n", "utf-8")
    logged: list[str] = []
    session = Session(project, tmp_path / "served", None, True, log=lambda *a, **k: logged.append(" ".join(a)))
    session.snapshot = session.watched()
    session.rebuild()
    warning = "content/papers/Extra.MD: warning: not read: a paper's file name ends in `.md`"
    assert [line.splitlines()[0] for line in logged if "warning:" in line] == [warning]
    assert logged[-1].endswith("; 1 warning")
    aligner = project.papers / "aligner.md"
    aligner.write_text(aligner.read_text("utf-8") + "\nA \\Foo macro.\n", "utf-8")
    line = len(aligner.read_text("utf-8").splitlines())
    logged.clear()
    session.rebuild(session.changes())
    assert [p.format().splitlines()[0] for p in session.warnings][0] == warning
    assert [line for line in logged if "warning:" in line] == [
        f"content/papers/aligner.md:{line}: warning: unknown LaTeX macro `\\Foo` kept as text\n"
        "    hint: if it is the authors' own, define it once in paperfolio.yaml: `latex_macros: {Foo: Foo}`"
    ]
    assert logged[-1].endswith("; 2 warnings")
    (project.papers / "Extra.MD").rename(project.papers / "extra.md")
    logged.clear()
    session.rebuild(session.changes())
    assert not any("not read" in p.message for p in session.warnings) and logged[-1].endswith("; 1 warning"), logged


def test_a_paper_in_a_hidden_folder_is_neither_built_nor_served(tmp_path: Path) -> None:
    """The watcher skips hidden folders and the listing read them: a paper made in one was built by
    `python build.py` but never by `serve` (a 404 until a restart), and an edit there never showed. A hidden
    folder (`.git/`, an editor's `.obsidian/` or `.trash/`) holds no papers, as Hugo ignores them."""
    from paperfolio.serve import Session

    project = make_project(tmp_path / "project")
    hidden = project.papers / ".drafts" / "hidden-paper.md"
    hidden.parent.mkdir()
    shutil.copy2(project.papers / "aligner.md", hidden)
    hidden.write_text(hidden.read_text("utf-8").replace("title:", "slug: hidden-paper\ntitle:", 1), "utf-8")
    build(project, tmp_path / "built", use_cache=False)
    assert not (tmp_path / "built" / "papers" / "hidden-paper").exists()
    session = Session(project, tmp_path / "served", None, True, log=lambda *a, **k: None)
    session.snapshot = session.watched()
    session.rebuild()
    assert session.memo.scanned is not None  # the watcher's account is trusted
    aligner = project.papers / "aligner.md"
    aligner.write_text(aligner.read_text("utf-8") + "\nSaid in the open.\n", "utf-8")
    session.rebuild(session.changes())
    assert not (tmp_path / "served" / "papers" / "hidden-paper").exists()


def test_a_paper_file_changed_with_the_same_size_in_the_same_instant_is_read_again(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    memo = Memo()
    target = papers(project)[0]
    text = target.read_text("utf-8")
    title = re.search(r"(?m)^title: (.*)$", text).group(1)
    build(project, tmp_path / "served", use_cache=False, memo=memo, in_place=True)
    target.write_text(text.replace(title, title.replace(title[1], "Q", 1), 1), "utf-8")
    first = target.stat()
    build(project, tmp_path / "served", use_cache=False, memo=memo, in_place=True)
    target.write_text(text.replace(title, title.replace(title[1], "Z", 1), 1), "utf-8")  # same size
    os.utime(target, ns=(first.st_atime_ns, first.st_mtime_ns))  # and the same modification time
    build(project, tmp_path / "served", use_cache=False, memo=memo, in_place=True)
    shutil.rmtree(tmp_path / "full", ignore_errors=True)
    build(project, tmp_path / "full", use_cache=False)
    assert tree(tmp_path / "served") == tree(tmp_path / "full")


def test_a_build_reads_again_only_the_input_files_whose_stat_changed(tmp_path: Path, monkeypatch) -> None:
    """The last build's record of each input file (size, times, inode, digest) spares reading it again:
    a build with nothing changed opens no paper file, and an edited one is read and built."""
    import builtins

    from paperfolio import cache

    monkeypatch.setattr(cache, "RACY_NS", -(10**18))  # as if every file had settled long before it was read
    project = make_project(tmp_path / "project")
    out = tmp_path / "site"
    build(project, out)
    opened: list[str] = []
    real_open = builtins.open

    def spying(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spying)
    assert build(project, out).report.written == 0
    assert not [name for name in opened if name.endswith(".md")], opened
    target = project.papers / "aligner.md"
    target.write_text(target.read_text("utf-8") + "\nRead again.\n", "utf-8")
    opened.clear()
    build(project, out)
    assert {name for name in opened if name.endswith(".md")} == {str(target)}
    assert "Read again." in (out / "papers" / "aligner" / "index.html").read_text("utf-8")


def test_serve_writes_exactly_the_files_whose_bytes_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files above the ledger's size limit are compared by reading them; small or big, a file is
    written after an edit only when its bytes differ, and every file that differs is written."""
    from paperfolio import writer

    monkeypatch.setattr(writer, "LEDGER_MAX", 2000)  # most pages of the test site are now "big"
    project = make_project(tmp_path / "project")
    out = tmp_path / "site"
    memo = Memo()
    build(project, out, use_cache=False, memo=memo, in_place=True)
    target = project.papers / "aligner.md"
    for sentence in ("A first added sentence.", "A second one."):
        before = tree(out)
        target.write_text(target.read_text("utf-8").rstrip("\n") + f"\n\n{sentence}\n", "utf-8")
        result = build(project, out, use_cache=False, memo=memo, in_place=True)
        after = tree(out)
        differing = {name for name in after if before.get(name) != after[name]}
        assert "index.html" in differing and any(len(after[name]) > 2000 for name in differing)
        assert set(result.report.paths) == differing


def test_serve_hashes_again_only_the_card_lists_that_hold_a_changed_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an abstract edit only the lists holding that paper's full card are hashed again; every
    other list keeps the digest the last build made (`CardMemory`), and the site equals a full build."""
    from paperfolio import incremental

    hashed: list[tuple[frozenset, frozenset]] = []
    real = incremental.CardDigests._digest
    monkeypatch.setattr(
        incremental.CardDigests, "_digest", lambda self, a, b: hashed.append((a, b)) or real(self, a, b)
    )
    project = make_project(tmp_path / "project")
    memo = Memo()
    build(project, tmp_path / "site", use_cache=False, memo=memo, in_place=True)
    assert len(hashed) > 20
    hashed.clear()
    target = project.papers / "aligner.md"
    target.write_text(target.read_text("utf-8").rstrip("\n") + "\n\nOne more sentence.\n", "utf-8")
    build(project, tmp_path / "site", use_cache=False, memo=memo, in_place=True)
    assert hashed, "the lists that show the edited card are hashed again"
    assert all("aligner" in cards or "*" in cards for cards, _compact in hashed), hashed
    build(project, tmp_path / "full", use_cache=False)
    assert tree(tmp_path / "site") == tree(tmp_path / "full")


def test_serve_keeps_its_layout_environment_only_while_every_layout_is_unchanged(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    out = tmp_path / "site"
    memo = Memo()
    build(project, out, use_cache=False, memo=memo, in_place=True)
    first = memo.environment[1]
    target = project.papers / "aligner.md"
    target.write_text(target.read_text("utf-8").rstrip("\n") + "\n\nOne more sentence.\n", "utf-8")
    build(project, out, use_cache=False, memo=memo, in_place=True)
    assert memo.environment[1] is first, "an edit to a paper reuses the loaded layouts"
    partial_layout = project.layouts / "partials" / "card.html"
    partial_layout.write_text(partial_layout.read_text("utf-8").replace("<article>", "<article data-new>"), "utf-8")
    build(project, out, use_cache=False, memo=memo, in_place=True)
    assert memo.environment[1] is not first
    assert "<article data-new>" in (out / "index.html").read_text("utf-8")
    build(project, tmp_path / "full", use_cache=False)
    assert tree(out) == tree(tmp_path / "full")


def test_unchanged_assets_are_neither_read_nor_hashed_again(tmp_path: Path, monkeypatch) -> None:
    """A site with 200 MB of PDFs under `assets/` read and hashed them all for every `serve` edit (0.4 s).
    An asset whose size, times and inode are as the last build found them, and whose output file is the
    one it left, is kept unread; a changed one, even of the same size and modification time, is read."""
    from paperfolio import pipeline, render

    monkeypatch.setattr(pipeline, "RACY_NS", -(10**18))  # as if every file had settled long before it was read
    monkeypatch.setattr(render, "RACY_NS", -(10**18))
    project = make_project(tmp_path / "project")
    pdf = project.assets / "pdfs" / "paper.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4 first" + bytes(1000))
    memo = Memo()
    build(project, tmp_path / "served", use_cache=False, memo=memo, in_place=True)
    build(project, tmp_path / "cached")
    read: list[str] = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path.name) or real_read(path))
    real_hash = hashlib.file_digest  # how an asset is hashed: in chunks, never read whole
    monkeypatch.setattr(
        hashlib, "file_digest", lambda file, name: read.append(Path(file.name).name) or real_hash(file, name)
    )
    aligner = project.papers / "aligner.md"
    aligner.write_text(aligner.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    build(project, tmp_path / "served", use_cache=False, memo=memo, in_place=True)
    build(project, tmp_path / "cached")
    assert not [name for name in read if name in ("paper.pdf", "style.css")], read
    before = pdf.stat()
    pdf.write_bytes(b"%PDF-1.4 other" + bytes(1000))  # the same size and, set back, the same modification time
    os.utime(pdf, ns=(before.st_atime_ns, before.st_mtime_ns))
    build(project, tmp_path / "served", use_cache=False, memo=memo, in_place=True)
    build(project, tmp_path / "cached")
    assert read.count("paper.pdf") == 4  # read and hashed again by each build
    build(project, tmp_path / "full", use_cache=False)
    full = tree(tmp_path / "full")
    assert full["assets/pdfs/paper.pdf"].startswith(b"%PDF-1.4 other")
    assert tree(tmp_path / "served") == full and tree(tmp_path / "cached") == full


def test_a_changed_site_macro_reads_every_text_again_in_serve_and_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    """The default content's `\\InterMT`, defined, redefined and dropped in paperfolio.yaml: `serve`, a cached
    build and a build from nothing agree after each change, and the page shows the macro of the moment."""
    from paperfolio import pipeline
    from paperfolio.serve import Session

    monkeypatch.setattr(pipeline, "RACY_NS", -1)
    project = make_project(tmp_path / "project")
    settings = project.root / "paperfolio.yaml"
    original = re.sub(r"(?ms)^latex_macros:\n(  .*?\n)*", "", settings.read_text("utf-8"))  # the default's
    assert "\nlatex_macros:" not in original
    session = Session(project, tmp_path / "served", None, True, log=lambda *a, **k: None)
    session.snapshot = session.watched()
    session.rebuild()
    build(project, tmp_path / "cached", drafts=True)
    for macros, shown in [
        ("  InterMT: \\textsc{InterMT}\n", '<span class="small-caps">InterMT</span> through'),
        ("  InterMT: Inter-MT\n", "utility of Inter-MT through"),
        ("", "utility of InterMT through"),
    ]:
        settings.write_text(original + (f"latex_macros:\n{macros}" if macros else ""), "utf-8")
        session.rebuild(session.changes())
        assert session.crash is None and session.problems is None
        build(project, tmp_path / "cached", drafts=True)
        shutil.rmtree(tmp_path / "full", ignore_errors=True)
        result = build(project, tmp_path / "full", use_cache=False, drafts=True)
        full = tree(tmp_path / "full")
        assert shown in full["papers/intermt/index.html"].decode()
        assert [w.message for w in result.warnings if "InterMT" in w.message] == (
            [] if macros else ["unknown LaTeX macro `\\InterMT` kept as text"]
        )
        for name in ("served", "cached"):
            other = tree(tmp_path / name)
            assert other == full, f"{macros!r}: {name} differs in {[p for p in full if other.get(p) != full[p]][:5]}"
