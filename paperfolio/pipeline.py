"""The build, read top to bottom: load, validate, index, render, write.

Everything is read and checked before anything is written; a problem anywhere stops the build with
`ContentError` and leaves the output folder as it was.
"""

from __future__ import annotations

import gc
import os
import re
import sys
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import field, replace
from functools import partial
from itertools import islice
from operator import itemgetter
from pathlib import Path
from stat import S_ISREG
from typing import Any
from urllib.parse import unquote

import jinja2

from . import browse, buildstate, citations, exports, feeds, latex, markup, parallel, related, search, sitemap, urls
from .aliases import alias_clashes, alias_files
from .cache import (
    CACHE_DIR,
    RACY_NS,
    FileEntry,
    Fragments,
    Store,
    digest,
    file_digest,
    trusted_digest,
    value_digest,
)
from .citations import citation_keys
from .compiling import BytecodeCache, EarlyLayouts, layout_tasks
from .errors import ContentError, Problem, errors_only, line_of
from .incremental import (
    Memo,
    load_memo,
    remember_cards,
    render_changed,
    save_memo,
    start_render,
)
from .index import SiteIndex, build_index
from .loader import (
    papers_elsewhere_problems,
    papers_folder_problems,
    read_paper_file,
    scan_paper_files,
    skipped_paper_problems,
)
from .markup import render_block, render_inline
from .model import Paper, Settings
from .paperpages import make_paper_outputs
from .record import record
from .render import AssetEntry, Page, SiteView, asset_urls, look_at_assets, make_site_view, make_views, plan_pages
from .schema import named_author, validate
from .settings import SETTINGS_FILE, load_settings
from .templating import make_environment
from .views import PaperText, PaperView, paper_text, site_paths
from .writer import MARK, Ledger, Staging, WriteReport, check_output_dir, output_lock, write_site


@record(frozen=True, slots=True)
class Project:
    """Where a project's inputs live."""

    root: Path

    @property
    def papers(self) -> Path:
        return self.root / "content" / "papers"

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def layouts(self) -> Path:
        return self.root / "layouts"

    @property
    def assets(self) -> Path:
        return self.root / "assets"

    @property
    def static(self) -> Path:
        return self.root / "static"

    @property
    def folders(self) -> tuple[Path, ...]:
        """The folders a build reads (besides the settings file), which `serve` watches."""
        return self.content, self.layouts, self.assets, self.static


@record(frozen=True, slots=True)
class Loaded:
    """A project's valid settings and papers, with warnings."""

    settings: Settings
    papers: list[Paper]
    warnings: list[Problem]
    digests: dict[str, bytes] = field(default_factory=dict)  # slug -> key of its file and the settings (with a memo)
    texts: dict[str, PaperText] = field(default_factory=dict)  # slug -> its rendered title and body


@record(frozen=True, slots=True)
class BuildResult:
    """What a build did, for the one-line summary."""

    pages: int
    files: int
    report: WriteReport
    seconds: float
    warnings: list[Problem]


@record(frozen=True, slots=True)
class SiteData:
    """Everything an extra output (feeds, exports, search index…) may read."""

    settings: Settings
    index: SiteIndex
    views: dict[str, PaperView]
    site: SiteView
    citations: dict[str, exports.Citation] | None = None  # by slug, each paper's made once per build
    fragments: Fragments = field(default_factory=Fragments)  # pieces made from one view, remembered
    kept: dict[str, Any] = field(default_factory=dict)  # what a source keeps for the next build (`serve`), by name


# From this many papers a cold build ranks most related papers in a worker while it makes the views.
SIDE_BY_SIDE = 1000

# Extra outputs join the build here: each takes SiteData and returns pages to render or finished files.
PageSource = Callable[[SiteData], list[Page]]
# A file source returns or yields (name, bytes) pairs; yielding keeps only one file in memory at a time.
FileSource = Callable[[SiteData], dict[str, bytes] | Iterable[tuple[str, bytes]]]
PAGE_SOURCES: list[PageSource] = []
FILE_SOURCES: list[FileSource] = []
PAGE_SOURCES += [browse.browse_pages, browse.search_page]  # years, tags, venues, coauthors, types; search/
FILE_SOURCES += [search.search_files]  # search/index.json
FILE_SOURCES += [feeds.feed_files]  # feed.xml, categories/<code>/feed.xml
FILE_SOURCES += [exports.site_export_files]  # papers.bib/.ris/.json (each paper's own: `paperpages`)


def folders_outside(project: Project) -> list[Problem]:
    """Return an error for each folder a build reads that is a symbolic link out of the project: the files
    of `assets/` and `static/` are published as they are, and a link to a single file outside was refused,
    but a link standing for the whole folder published whatever it pointed to."""
    root = os.path.realpath(project.root)
    problems = []
    for folder in (project.content, project.papers, project.layouts, project.assets, project.static):
        target = os.path.realpath(folder)
        if os.path.commonpath((root, target)) != root:
            shown = folder.relative_to(project.root).as_posix() + "/"
            message = f"is a symbolic link to a folder outside the project ({target}); move or copy the folder in"
            problems.append(Problem(shown, 0, 0, message))
    return problems


def load(
    project: Project,
    *,
    base_url: str | None = None,
    drafts: bool = False,
    env: dict | None = None,
    memo: Memo | None = None,
    file_digests: dict[str, bytes] | None = None,
    warm: jinja2.Environment | None = None,
    early: EarlyLayouts | None = None,
    changed: Collection[str] | None = None,
) -> Loaded:
    """Read and validate settings and every paper, and render each paper's text; raise ContentError
    listing every problem.

    With a memo, a file whose bytes (and the settings) are as last time is not parsed again.
    `file_digests` (path -> digest of its bytes, from `buildstate.input_digest`) saves reading every
    file again to find it in the memo; a file parsed now is remembered only under a key of fresh bytes.
    With `warm` (an environment with a `BytecodeCache`) and papers to read on several cores, the same
    processes compile the layouts, one a task after the reading (`layout_tasks`), and this process gets
    their bytecode; or, with `early`, the process that compiled them while this one was importing hands
    them over once the papers are read.

    `changed` (`serve`): the paths whose stat changed since the last build, by the watcher that saw every
    file's size, times and inode. When each changed paper file was a paper file of the last build and is
    still there, the papers folder is not listed again and a paper file not in `changed` keeps the last
    build's key without being looked at, unless it was read so soon after it was written that a second
    change could share its times (`cache.RACY_NS`): then it is looked at as always.
    """
    file_digests = file_digests or {}
    # `serve` makes no input digest; it trusts a file whose stat is as when it last read it (`trusted_digest`).
    seen: dict[str, FileEntry] | None = None if file_digests or memo is None else {}
    env = dict(os.environ) if env is None else env
    settings, problems = load_settings(project.root, base_url=base_url, env=env)
    problems += folders_outside(project)
    use_macros(settings)
    settings_key = value_digest(settings) or b"" if memo is not None else b""
    last = memo.scanned if memo is not None and seen is not None and settings_key else None
    same = None if changed is None or last is None or last[0] != settings_key else _unchanged(project, changed, last)
    skipped: list[str] = []  # files with another Markdown suffix, each warned of
    if same is not None:
        scanned, skipped = last[1], last[3]  # type: ignore[index]
    else:
        scanned = scan_paper_files(project.papers, skipped)
    problems += skipped_paper_problems(skipped, project.root)
    problems += papers_folder_problems(project.papers, project.root, has_papers=bool(scanned))
    problems += papers_elsewhere_problems(project.content, project.papers, project.root)
    names = [name for name, _link in scanned]
    results: list[Any] = [None] * len(names)  # (paper, problems, text) of each file, in order
    keys: list[bytes | None] = [None] * len(names)
    for n, (name, link) in enumerate(scanned):
        entry = memo.inputs.get(name) if same is not None and name in same else None  # type: ignore[union-attr]
        if entry is not None and entry[2] - max(entry[0][1], entry[0][2]) > RACY_NS:  # not racy: as `trusted_digest`
            seen[name] = entry  # type: ignore[index]
            keys[n] = key = same[name]  # type: ignore[index]
            results[n] = memo.papers.get(key)  # type: ignore[union-attr]
            continue
        known = file_digests.get(name)
        if seen is not None and memo is not None:
            known = trusted_digest(name, memo.inputs, seen)
            link = link if same is None else None  # a changed file may have become a link, or stopped being one
        if memo is not None and settings_key and (key := _file_key(name, settings_key, known, link, memo)) is not None:
            keys[n] = key
            results[n] = memo.papers.get(key)
    todo = [n for n, result in enumerate(results) if result is None]
    site_urls = urls.Urls(settings.base_url)
    todo_paths = [Path(names[n]) for n in todo]
    tasks = parallel.chunk_tasks(
        lambda part: [read_paper(path, project, settings, site_urls) for path in part], todo_paths
    )
    warming = warm is not None and bool(tasks) and parallel.can_fork() and early is None
    # Only a build with a memo digests layouts, so only it needs to know what each one references.
    compiling = layout_tasks(warm, project.layouts, references=memo is not None) if warming else []  # type: ignore[arg-type]
    outcomes = parallel.iter_tasks([*tasks, *compiling])
    for n, result in zip(todo, [result for chunk in islice(outcomes, len(tasks)) for result in chunk], strict=True):
        results[n] = result
    made = list(outcomes)  # what `compiling` made, in the workers or here
    if early is not None and warm is not None and (handed := early.result()) is not None:
        made.append(handed)  # asked for once the papers are read: it had the imports and the reading to compile
    for compiled, references in made:
        warm.bytecode_cache.store.update(compiled)  # type: ignore[union-attr]
        if memo is not None:
            memo.references.update(references)
    if memo is not None:
        for n in todo:  # a file that changed while it was being read is not remembered
            if keys[n] is not None and _file_key(names[n], settings_key) != keys[n]:
                keys[n] = None
        memo.papers = {key: results[n] for n, key in enumerate(keys) if key is not None}
        if seen is not None:
            memo.inputs = seen
            # The listing skips hidden folders, which the watcher does not look in either.
            memo.scanned = (settings_key, scanned, dict(zip(names, keys, strict=True)), skipped)
    papers: list[Paper] = []
    digests: dict[str, bytes] = {}
    texts: dict[str, PaperText] = {}
    for (paper, found, text), key in zip(results, keys, strict=True):
        problems += found
        if paper is not None and (drafts or not paper.draft):
            papers.append(paper)
            texts[paper.slug] = text
            if key is not None:  # the paper is a function of its file and the settings, so this key stands for it
                digests[paper.slug] = key
    problems += find_duplicate_slugs(papers, project.root)
    if errors_only(problems):
        raise ContentError(problems)
    return Loaded(settings, papers, problems, digests, texts)


def use_macros(settings: Settings) -> None:
    """Read text with the site's own LaTeX macros from here on; when they changed (`serve`, after an edit of
    paperfolio.yaml), forget every text read with the others. (Papers read with them are keyed by the
    settings, so the memo never hands one back.)"""
    if latex.use_macros(settings.latex_macros):
        for cached in (markup.render, citations.plain_title, citations.plain, named_author):
            cached.cache_clear()


def _unchanged(
    project: Project, changed: Collection[str], last: tuple[bytes, list, dict[str, bytes | None]]
) -> dict[str, bytes] | None:
    """Return the last build's key of each paper file not in `changed`, or None when the papers folder must
    be listed again: a changed path under it that was no paper file of the last build (added, a folder, any
    other file) or is gone."""
    folder = os.path.join(project.papers, "")
    keys = last[2]
    for path in changed:
        if path.startswith(folder) and (path not in keys or not os.path.isfile(path)):
            return None
    changed = set(changed)
    return {name: key for name, key in keys.items() if key is not None and name not in changed}


def _file_key(
    name: str, settings_key: bytes, known: bytes | None = None, link: bool | None = None, memo: Memo | None = None
) -> bytes | None:
    """Return a key for what reading this file gives: its bytes, name, link target, and the settings.

    `known`: the digest of the file's bytes, when they were just read (see `load`); `link`: whether the
    file is a symbolic link, when the folder's listing said; `memo`: where the last build's keys are."""
    try:
        if known is None:
            st = os.stat(name)
            if not S_ISREG(st.st_mode):
                return None  # a named pipe would block the read; loading refuses it
            with open(name, "rb") as file:
                known = file_digest(file, st.st_size)
        if link is None:
            link = os.path.islink(name)
        target = os.path.realpath(name) if link else ""
    except OSError:
        return None
    return (memo.digest_of if memo is not None else digest)(settings_key, name.encode(), target.encode(), known)


def read_paper(
    path: Path, project: Project, settings: Settings, site_urls: urls.Urls
) -> tuple[Paper | None, list[Problem], PaperText | None]:
    """Read, parse and validate one paper file, and render its text (where it is read, so in parallel)."""
    raw, problems = read_paper_file(path, project.root, project.content)
    if raw is None:
        return None, problems, None
    paper, found = validate(raw, settings)
    return paper, problems + found, paper_text(paper, site_urls) if paper is not None else None


def find_duplicate_slugs(papers: list[Paper], root: Path | None = None) -> list[Problem]:
    """Return one problem per paper whose slug, or citation key (`key:`), another paper already uses."""
    first: dict[tuple[str, str], Paper] = {}
    problems = []
    for paper in sorted(papers, key=lambda p: p.source):
        # A citation key is one whatever its case, as BibTeX reads it (`Foo` and `foo` are one entry).
        for what, value in (("slug", paper.slug), ("key", paper.key and paper.key.lower())):
            if value is None:
                continue
            if (what, value) in first:
                other = first[what, value].source
                line = key_line(root / paper.source, what) if root is not None else 1  # 0 for a file's name
                shown = paper.slug if what == "slug" else paper.key
                problems.append(Problem(paper.source, line or 1, 1, f"{what} `{shown}` is already used by {other}"))
            else:
                first[what, value] = paper
    return problems


def key_line(path: Path, field: str = "key") -> int:
    """Return the line of a paper file that sets `key:` (a title holding "monkey: a study" is not it), or
    another top-level field, or 0."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    return next((number for number, line in enumerate(lines, 1) if line.startswith(f"{field}:")), 0)


@record(frozen=True, slots=True)
class Outputs:
    """A site rendered in memory: new bytes by output file, plus the files an earlier build made that stay."""

    files: dict[str, bytes]
    kept: set[str]
    page_count: int
    warnings: list[Problem]
    staged: dict[str, bool] = field(default_factory=dict)  # already written to the staging tree: name -> changed
    assets: dict[str, tuple[Path, AssetEntry, bool]] = field(default_factory=dict)  # `render.look_at_assets`
    static: dict[str, tuple[Path, AssetEntry, bool]] = field(default_factory=dict)  # the same for `static/`


def render_site(project: Project, loaded: Loaded) -> tuple[dict[str, bytes], int, list[Problem]]:
    """Render every page and extra file of the site in memory; return files, page count, warnings."""
    outputs = render_outputs(project, loaded)
    return outputs.files, outputs.page_count, outputs.warnings


def render_outputs(
    project: Project,
    loaded: Loaded,
    memo: Memo | None = None,
    existing: dict | None = None,
    *,
    env: jinja2.Environment | None = None,
    staging: Staging | None = None,
) -> Outputs:
    """Render the site; with a memo, pages whose inputs did not change keep their file.

    Two stages, each spread over the cores: the paper stage makes each paper's page, citation files
    and cards (`paperpages`), then the list pages and site-wide files are made from the cards. With
    `staging`, both write into it as they go instead of keeping files in memory.
    """
    settings = loaded.settings
    if env is None:
        env = make_environment(project.layouts)
        env.bytecode_cache = BytecodeCache(memo.bytecode if memo is not None else {})
    if memo is None and len(loaded.papers) >= SIDE_BY_SIDE and parallel.can_fork() and parallel.worker_count() > 1:
        # A cold build: another process makes the citation keys and ranks the related papers, part by part,
        # while this one makes the views; then this one ranks the parts still left. At 1,000 papers the two
        # end together; at 10,000 the views take longest and the other process ranks every part.
        index = build_index(
            loaded.papers, aliases=settings.author_aliases, owner_names=settings.owner_names, with_related=False
        )
        ranker = related.Ranker(index.papers, index.coauthors.values())
        tasks = [partial(citation_keys, index.papers), *parallel.chunk_tasks(ranker.rank, range(len(index.papers)))]
        work = parallel.Background(tasks, helping=True)
        try:
            views, view_digests = remembered_views(index, settings, loaded.texts, None)
            keys, *parts = work.results()
        finally:
            work.close()
        index = replace(index, related={slug: found for part in parts for slug, found in part.items()})
    else:
        index, keys = remembered_index(loaded.papers, settings, memo)
        views, view_digests = remembered_views(index, settings, loaded.texts, memo, digests=loaded.digests)
    assets = look_at_assets(project.assets, memo.assets if memo is not None else {})
    missing = missing_images(project, index.papers, assets)
    if missing:
        raise ContentError(missing)
    site = make_site_view(settings, index, asset_urls(assets, urls.Urls(settings.base_url)))
    run = start_render(env, site, project.layouts, views, memo, existing or {}, staging, view_digests)
    remembered = memo.citations if memo is not None else None
    made = make_paper_outputs(run, index, keys, remembered, loaded.digests)
    if made.problems:
        raise ContentError(sorted(set(made.problems)))
    last = {"search": memo.search, "feed": memo.feeds} if memo is not None else None
    fragments = Fragments(view_digests, last)
    data = SiteData(settings, index, views, site, made.citations, fragments, memo.sources if memo is not None else {})
    pages = plan_pages(index, views, site)
    for source in PAGE_SOURCES:
        pages += source(data)
    # Extra files are made alongside the pages, each source in one task, on another core when there is one.
    sources = [partial(source, data) for source in FILE_SOURCES]
    outcome = render_changed(run, pages, sources, fragments)
    if outcome.problems:
        raise ContentError(sorted(set(outcome.problems)))
    remember_cards(run)
    if memo is not None:
        memo.pages = {**made.records, **outcome.records}
        memo.search, memo.feeds = fragments.made.get("search", {}), fragments.made.get("feed", {})
    files, kept, staged = {**made.files, **outcome.files}, made.kept | outcome.kept, {**made.staged, **outcome.staged}
    for extra in outcome.extra:
        files.update(extra)
    # The sitemap reads only the names of the pages, so kept pages join it without their bytes.
    files.update(sitemap.sitemap_files(settings, {**dict.fromkeys(kept, b""), **staged, **files}))
    for name, (path, entry, same) in assets.items():
        if not path.name.startswith("."):  # hidden files get a URL but are not copied
            output = urls.asset(name)
            # An asset as the last build found it, whose output file is the one that build left, is kept unread.
            if same and entry[3] is not None and existing.get(output) == entry[3]:
                kept.add(output)
            else:
                _publish(output, path, entry[0][0], files, staged, staging)
    files[".nojekyll"] = MARK  # marks the folder as a site paperfolio made (`writer.made_by_paperfolio`)
    if settings.custom_domain:
        files["CNAME"] = settings.custom_domain.encode("utf-8") + b"\n"
    static = published_static(look_at_assets(project.static, memo.static if memo is not None else {}))
    clashes = sorted(static.keys() & (files.keys() | kept | staged.keys())) if static else []
    if clashes:
        hint = "give it another name: the site's own files are made from the papers, the settings and layouts/"
        raise ContentError(
            [Problem(f"static/{name}", 0, 0, f"the site makes {name} itself", hint=hint) for name in clashes]
        )
    for name, (path, entry, same) in static.items():
        if same and entry[3] is not None and existing.get(name) == entry[3]:  # as for an asset, above
            kept.add(name)
        else:
            _publish(name, path, entry[0][0], files, staged, staging)
    if any(paper.aliases for paper in index.papers):  # made last, so the sitemap leaves them out
        moved = alias_clashes(index.papers, files.keys() | kept | staged.keys() | static.keys())
        if moved:
            raise ContentError([replace(p, line=line_of(project.root / p.path, "aliases")) for p in moved])
        files.update(alias_files(index.papers, urls.Urls(settings.base_url), settings.language))
    warnings = [
        Problem(
            view.paper.source,
            _line_quoted(project, view.paper.source, text),
            0,
            text,
            severity="warning",
            hint=_macro_hint(text),
        )
        for view in views.values()
        for text in view.warnings
    ]
    names = files.keys() | kept | staged.keys()
    warnings += broken_site_paths(project, views, names)
    warnings += settings_text_warnings(project, settings, names)
    return Outputs(files, kept, len(pages) + len(index.papers), warnings, staged, assets, static)


COPY_BYTES = 1 << 20  # an asset or static file bigger than this is copied file to file, not read


def _publish(name: str, path: Path, size: int, files: dict, staged: dict, staging: Staging | None) -> None:
    """Put a file of assets/ or static/ in the site as `name`: its bytes in `files`, or, when it is big and the
    site is staged, a copy in the staging tree (`staged`), so the build never holds it: 200 MB of PDFs under
    assets/ made a cold build's peak 240-290 MB instead of 30."""
    if staging is not None and size > COPY_BYTES:
        staged[name] = staging.put_copy(name, path)
    else:
        files[name] = path.read_bytes()


def published_static(found: dict[str, Any]) -> dict[str, Any]:
    """Return the files of `static/` that go to the site: all but hidden ones (`.DS_Store`, `.gitkeep`, an
    editor's `.swp`), except under a top-level `.well-known/`, where the web keeps files for other services
    (`security.txt`, a Bluesky handle's `atproto-did`)."""
    return {
        name: item
        for name, item in found.items()
        if not any(part.startswith(".") for part in name.removeprefix(".well-known/").split("/"))
    }


def broken_site_paths(project: Project, views: dict[str, PaperView], names: set[str]) -> list[Problem]:
    """Warn about a relative link or image in a paper's text that reaches no file of the built site."""
    problems = []
    for view in views.values():
        for address in view.site_paths:
            if not _reaches(address, names):
                message = f"`{address}` points to no page or file of this site"
                hint = "a relative address is a path in the site, the same on every page; put figures under assets/"
                source = project.root / view.paper.source
                line = line_of(source, address) or line_of(source, unquote(address))  # as written: `my paper.pdf`
                problems.append(Problem(view.paper.source, line, 0, message, severity="warning", hint=hint))
    return problems


def missing_images(project: Project, papers: Iterable[Paper], assets: Collection[str]) -> list[Problem]:
    """Return an error for each paper whose `image:` names no file under assets/: its pages would show a
    broken picture."""
    problems = []
    folded: dict[str, str] | None = None
    for paper in papers:
        if paper.image and paper.image not in assets:
            source = project.root / paper.source
            line = line_of(source, "image:")
            if folded is None:
                folded = {name.casefold(): name for name in sorted(assets, reverse=True)}
            other = folded.get(paper.image.casefold())
            beside = source.parent / paper.image
            if other is not None:  # `Teaser.PNG` for `teaser.png`: one file where names ignore case, not on the web
                hint = f"the file is assets/{other}: write `image: /assets/{other}` (a web address's case counts)"
            elif beside.is_file():  # a Hugo bundle's featured.png, named from beside its index.md: `check` names
                # it among the files not read (`checks.stray_files`), to be moved to the same place
                folder = paper.source.rpartition("/")[0]
                inside = source.parent.relative_to(project.papers).as_posix() if folder else "."
                target = "/".join(part for part in ("assets/papers", inside, paper.image) if part != ".")
                hint = (
                    f"files beside a paper are not published: move {folder}/{paper.image} to {target} "
                    f"and write `image: /{target}`"
                )
            else:
                hint = f"put the picture at assets/{paper.image} (from the old site's assets/, if it came from one)"
            problems.append(Problem(paper.source, line, 0, f"`image`: no file assets/{paper.image}", hint=hint))
    return problems


def settings_text_warnings(project: Project, settings: Settings, names: set[str]) -> list[Problem]:
    """Warn about the profile's `bio` and the `footer` as about a paper's text: HTML the sanitiser removes,
    an unknown macro, an image from another host, a relative address that reaches no file of the site. Each
    is placed at the line, from the setting's own on, that holds what it quotes (else at the setting's)."""
    problems = []
    lines: list[str] | None = None
    for key, text, inline in (("bio", settings.bio, False), ("footer", settings.footer, True)):
        if not text:
            continue
        rendered = render_inline(text) if inline else render_block(text)
        messages = list(rendered.warnings)
        messages += [
            f"`{address}` points to no page or file of this site"
            for address in site_paths(rendered.html)
            if not _reaches(address, names)
        ]
        if not messages:
            continue
        if lines is None:
            lines = (project.root / SETTINGS_FILE).read_text("utf-8").splitlines()
        setting = re.compile(rf"\s*{key}\s*:")
        start = next((n for n, line in enumerate(lines, 1) if setting.match(line)), 0)
        for message in messages:
            quoted = message.partition("`")[2].partition("`")[0]
            found = (n for n, line in enumerate(lines[start - 1 :], start) if quoted and quoted in line)
            line = next(found, start) if start else 0
            problems.append(Problem(SETTINGS_FILE, line, 0, f"`{key}`: {message}", severity="warning"))
    return problems


def _reaches(address: str, names: set[str]) -> bool:
    """Return whether a site path (`assets/cv.pdf`, `/papers/x/#a`) names a file or page of the built site."""
    target = unquote(address.lstrip("/").partition("#")[0].partition("?")[0])
    return not target or bool({target, urls.Urls.output_file(target), f"{target}/index.html"} & names)


def _macro_hint(message: str) -> str | None:
    """Return how to define the macro an "unknown LaTeX macro" warning names, or None for other warnings."""
    if not message.startswith("unknown LaTeX macro `\\"):
        return None
    name = message.partition("`\\")[2].partition("`")[0]
    return f"if it is the authors' own, define it once in {SETTINGS_FILE}: `latex_macros: {{{name}: {name}}}`"


def _line_quoted(project: Project, source: str, message: str) -> int:
    """Return the line of a paper file holding what a warning quotes in backticks (a macro, an address), or 0."""
    quoted = message.partition("`")[2].partition("`")[0]
    return line_of(project.root / source, quoted) if quoted else 0


def remembered_index(papers: list[Paper], settings: Settings, memo: Memo | None) -> tuple[SiteIndex, dict[str, str]]:
    """Return the site index and the papers' citation keys, reusing the last ones (`serve` keeps them in
    memory) when no paper changed anything but its abstract: `build_index` and `citation_keys` read
    every field of a paper except the abstract."""
    options = (settings.author_aliases, settings.owner_names)
    last = memo.index if memo is not None else None
    if last is not None and last[1] == options and _same_but_abstracts(papers, last[0].by_slug):
        by_slug = {paper.slug: paper for paper in papers}
        ordered = tuple(by_slug[paper.slug] for paper in last[0].papers)
        index = replace(last[0], papers=ordered, by_slug={paper.slug: paper for paper in ordered})
        keys = last[2]
    else:
        related_memo = memo.related if memo is not None else None
        index = build_index(papers, aliases=options[0], owner_names=options[1], related_memo=related_memo)
        keys = citation_keys(index.papers)
    if memo is not None and memo.inputs:  # only `serve` fills `inputs`: a stored memo never holds an index
        memo.index = (index, options, keys)
    return index, keys


def _same_but_abstracts(papers: list[Paper], last: dict[str, Paper]) -> bool:
    if len(papers) != len(last):
        return False
    for paper in papers:
        old = last.get(paper.slug)
        if old is None:
            return False
        if old is not paper and replace(old, abstract="") != replace(paper, abstract=""):
            return False
    return True


def remembered_views(
    index: SiteIndex,
    settings: Settings,
    texts: dict[str, PaperText],
    memo: Memo | None,
    *,
    digests: dict[str, bytes] | None = None,
) -> tuple[dict[str, PaperView], dict[str, bytes]]:
    """Return every paper's view, and a digest of each view's inputs (slug -> digest, with a memo).

    A view reads its paper, its rendered text (a function of the paper and the settings), the settings,
    and the coauthor pages its authors link to, so those are its key; `digests` (slug -> a key standing
    for the paper, from `load`) saves digesting each paper again. `serve` keeps the views of the last
    build in memory and reuses those whose key is unchanged; a stored memo holds none (making a view
    from its text costs less than reading one back).
    """
    if memo is None:
        return make_views(index, settings, texts), {}
    settings_key = value_digest(settings) or os.urandom(32)
    digests = digests or {}
    keys: dict[str, bytes] = {}
    found: dict[str, PaperView] = {}
    todo: list[Paper] = []
    for paper in index.papers:
        links = "\0".join(index.coauthor_slugs.get(author.name) or "" for author in paper.authors).encode()
        paper_key = digests.get(paper.slug) or value_digest(paper)
        view = None
        if paper_key is not None:
            keys[paper.slug] = key = memo.digest_of(b"view", settings_key, paper_key, links)
            view = memo.views.get(key)
        if view is not None:
            found[paper.slug] = view if view.paper is paper else replace(view, paper=paper)  # the index's own Paper
        else:
            todo.append(paper)
    if todo:
        found.update(make_views(replace(index, papers=tuple(todo)), settings, texts))
    memo.views = {keys[slug]: view for slug, view in found.items() if slug in keys}
    return {paper.slug: found[paper.slug] for paper in index.papers}, keys


def layout_environment(project: Project, memo: Memo | None = None) -> jinja2.Environment:
    """Return a new layout environment, or with a memo (`serve`) the last build's while every layout
    file holds the same bytes: its templates are loaded, so an edit does not load 15 layouts again."""
    if memo is None:
        return make_environment(project.layouts)
    sources: dict[str, bytes] = {}
    for folder, dirs, names in os.walk(project.layouts):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            try:
                with open(path, "rb") as file:
                    sources[path] = file.read()
            except OSError:
                sources[path] = b""  # unreadable now: another environment, which will report it
    if memo.environment is not None and memo.environment[0] == sources:
        return memo.environment[1]
    env = make_environment(project.layouts)
    memo.environment = (sources, env)
    return env


def _folder_id(out: Path) -> tuple[int, int] | None:
    """Return the output folder's identity (device, inode), which a swap changes; None if it is missing."""
    try:
        found = os.stat(out)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _waiting(holder: str) -> None:
    """Say why a build waits for the output folder's lock (`writer.output_lock`)."""
    who = f" (process {holder})" if holder.isdigit() else ""
    print(f"paperfolio: another build of this site is running{who}; waiting for it to finish…", file=sys.stderr)


def build(
    project: Project,
    out: Path,
    *,
    base_url: str | None = None,
    drafts: bool = False,
    env: dict | None = None,
    use_cache: bool = True,
    memo: Memo | None = None,
    in_place: bool = False,
    progress: Callable[[str], None] | None = None,
    inputs: bytes | None = None,
    file_digests: dict[str, bytes] | None = None,
    input_files: dict[str, FileEntry] | None = None,
    early: EarlyLayouts | None = None,
    changed: Collection[str] | None = None,
) -> BuildResult:
    """Build the site into `out`; on any problem raise before touching `out`.

    With `use_cache`, what the last build into `out` made is remembered in `.paperfolio-cache/`: a build
    whose inputs are all unchanged writes nothing, and otherwise only pages whose inputs changed are
    rendered. `memo` keeps that memory in this process instead (`serve`). Either way the output is
    byte for byte the output of a build from nothing. `inputs` is the digest of the inputs when the
    caller has already made it and found that they changed (`buildstate.input_digest`), with the
    digest of each file it read (`file_digests`) and what it knew of each (`input_files`), for the next
    build to trust.
    `changed` (`serve`): the paths the watcher saw change since the last build (`load`).
    """
    started = time.perf_counter()
    check_output_dir(out, project.root)
    with output_lock(out, waiting=_waiting):
        env = dict(os.environ) if env is None else env
        store = Store(project.root / CACHE_DIR) if use_cache and memo is None else None
        known = inputs is not None
        shards: dict[str, frozenset] = {}  # what each stored shard of the memo held (see `load_memo`)
        file_digests = file_digests if file_digests is not None else {}
        input_files = input_files if input_files is not None else {}
        last = None
        if store is not None and inputs is None:
            last = buildstate.last_build(project.root, out)
            inputs = buildstate.input_digest(
                project.root,
                base_url=base_url,
                drafts=drafts,
                env=env,
                file_digests=file_digests,
                trusted=last.files if last else None,
                seen=input_files,
            )
        if store is not None and inputs is not None:
            summary = None if known else buildstate.unchanged_build(project.root, out, inputs, last)
            if summary is not None:
                report = WriteReport(0, summary.files, 0)
                seconds = time.perf_counter() - started
                return BuildResult(summary.pages, summary.files, report, seconds, summary.warnings)
            memo, shards = load_memo(store, buildstate.state_name(out, "memo"))
        if progress:
            progress("paperfolio: reading papers…")
        layouts = layout_environment(project, memo if in_place else None)
        if layouts.bytecode_cache is None:
            layouts.bytecode_cache = BytecodeCache(memo.bytecode if memo is not None else {})
        # With nothing compiled yet, the processes that read the papers compile the layouts too, one a task.
        warm = layouts if not (memo is not None and memo.bytecode) and parallel.worker_count() > 1 else None
        if early is not None and warm is None:
            early.discard()  # the memo holds the compiled layouts, or there is one core: they are compiled here
            early = None
        loaded = load(
            project,
            base_url=base_url,
            drafts=drafts,
            env=env,
            memo=memo,
            file_digests=file_digests,
            warm=warm,
            early=early,
            changed=changed,
        )
        folder = _folder_id(out)
        if in_place and memo is not None and memo.folder != folder:
            # Another build swapped its own tree in (`python build.py` beside `serve`, perhaps without drafts):
            # what the memo knows of the files there is not what is there. They are looked at, and every
            # paper's files checked again, so `serve` goes on to give a full build's bytes, not a mix.
            memo.written, memo.settled = {}, {}
        if in_place and memo is not None and memo.written and folder is not None:
            # `serve` writes its output folder itself and records every file it leaves there (the ledger),
            # so it need not look at 4,000 files after each edit to know them.
            existing = dict(zip(memo.written, map(itemgetter(0), memo.written.values()), strict=True))
        else:
            existing = buildstate.stat_outputs(out) if memo is not None else {}
        if progress:
            progress(f"paperfolio: rendering the pages of {len(loaded.papers)} papers…")
        # Pages go straight to a staging tree beside `out` as they are made; `serve` changes files in place.
        ledger = Ledger(memo.written, existing) if in_place and memo is not None else None
        sizes = {name: stat[0] for name, stat in existing.items()} if existing and ledger is None else None
        staging = None if in_place else Staging(out, sizes)
        try:
            outputs = render_outputs(project, loaded, memo, existing, env=layouts, staging=staging)
            if progress:
                progress(f"paperfolio: writing {len(outputs.files) + len(outputs.staged)} files…")
            report = write_site(
                out,
                outputs.files,
                kept=outputs.kept,
                in_place=in_place,
                staging=staging,
                staged=outputs.staged,
                sizes=sizes,
                ledger=ledger,
            )
        except BaseException as error:
            if staging is not None:
                staging.discard(error)
            raise
        finally:
            gc.unfreeze()  # what the workers' forks froze (`parallel`) stays collectable in `serve`'s process
        files = len(outputs.files) + len(outputs.kept) + len(outputs.staged)
        warnings = loaded.warnings + outputs.warnings
        if memo is not None:
            memo.end_build()
            # Files not written are the very files that were there (hard links in a swapped tree): only
            # the written ones need a new look, not the whole folder.
            names = outputs.files.keys() | outputs.kept | outputs.staged.keys()
            stats = buildstate.stat_files(out, names, existing, set(report.paths))
            for name, record in memo.pages.items():
                if record.stat != stats.get(name):
                    memo.pages[name] = replace(record, stat=stats.get(name))
            if ledger is not None:
                memo.written = ledger.entries_after(outputs.files, outputs.kept, stats)
                memo.folder = _folder_id(out)
            # Each asset's entry with its output file's stat now, for the next build to keep it unread.
            looked = outputs.assets.items()
            memo.assets = {name: (*entry[:3], stats.get(urls.asset(name))) for name, (_, entry, _) in looked}
            memo.static = {name: (*entry[:3], stats.get(name)) for name, (_, entry, _) in outputs.static.items()}
            if store is not None:
                save_memo(store, buildstate.state_name(out, "memo"), memo, shards)
                summary = buildstate.Summary(outputs.page_count, files, warnings)
                buildstate.record_build(project.root, out, buildstate.LastBuild(inputs, summary, stats, input_files))
        return BuildResult(outputs.page_count, files, report, time.perf_counter() - started, warnings)
