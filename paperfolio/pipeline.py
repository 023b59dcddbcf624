"""The build, read top to bottom: load, validate, index, render, write.

Everything is read and checked before anything is written; a problem anywhere stops the build with
`ContentError` and leaves the output folder as it was.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import urls
from .errors import ContentError, Problem, errors_only
from .index import SiteIndex, build_index
from .loader import find_paper_files, read_paper_file
from .model import Paper, Settings
from .render import Page, SiteView, asset_urls, make_environment, make_site_view, make_views, plan_pages, render_pages
from .schema import validate
from .settings import load_settings
from .views import PaperView
from .writer import WriteReport, check_output_dir, write_site


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Loaded:
    """A project's valid settings and papers, with warnings."""

    settings: Settings
    papers: list[Paper]
    warnings: list[Problem]


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did, for the one-line summary."""

    pages: int
    files: int
    report: WriteReport
    seconds: float
    warnings: list[Problem]


@dataclass(frozen=True, slots=True)
class SiteData:
    """Everything an extra output (feeds, exports, search index…) may read."""

    settings: Settings
    index: SiteIndex
    views: dict[str, PaperView]
    site: SiteView


# Extra outputs join the build here: each takes SiteData and returns pages to render or finished files.
PageSource = Callable[[SiteData], list[Page]]
FileSource = Callable[[SiteData], dict[str, bytes]]
PAGE_SOURCES: list[PageSource] = []
FILE_SOURCES: list[FileSource] = []


def load(project: Project, *, base_url: str | None = None, drafts: bool = False, env: dict | None = None) -> Loaded:
    """Read and validate settings and every paper; raise ContentError listing every problem."""
    env = dict(os.environ) if env is None else env
    settings, problems = load_settings(project.root, base_url=base_url, env=env)
    papers: list[Paper] = []
    for path in find_paper_files(project.papers):
        raw, found = read_paper_file(path, project.root, project.content)
        problems += found
        if raw is None:
            continue
        paper, found = validate(raw, settings)
        problems += found
        if paper is not None and (drafts or not paper.draft):
            papers.append(paper)
    problems += find_duplicate_slugs(papers)
    if errors_only(problems):
        raise ContentError(problems)
    return Loaded(settings, papers, problems)


def find_duplicate_slugs(papers: list[Paper]) -> list[Problem]:
    """Return one problem per paper whose slug another paper already uses."""
    first: dict[str, Paper] = {}
    problems = []
    for paper in sorted(papers, key=lambda p: p.source):
        if paper.slug in first:
            other = first[paper.slug].source
            problems.append(Problem(paper.source, 1, 1, f"slug `{paper.slug}` is already used by {other}"))
        else:
            first[paper.slug] = paper
    return problems


def render_site(project: Project, loaded: Loaded) -> tuple[dict[str, bytes], int, list[Problem]]:
    """Render every page and extra file of the site in memory; return files, page count, warnings."""
    settings = loaded.settings
    index = build_index(loaded.papers)
    views = make_views(index, settings)
    site = make_site_view(settings, index, asset_urls(project.assets, urls.Urls(settings.base_url)))
    data = SiteData(settings, index, views, site)
    pages = plan_pages(index, views, site)
    for source in PAGE_SOURCES:
        pages += source(data)
    files = render_pages(make_environment(project.layouts), pages, site, project.layouts, views)
    for file_source in FILE_SOURCES:
        files.update(file_source(data))
    files.update(read_assets(project.assets))
    files[".nojekyll"] = b""
    if settings.custom_domain:
        files["CNAME"] = settings.custom_domain.encode("utf-8") + b"\n"
    warnings = [
        Problem(view.paper.source, 0, 0, text, severity="warning") for view in views.values() for text in view.warnings
    ]
    return files, len(pages), warnings


def read_assets(assets: Path) -> dict[str, bytes]:
    """Return every file under `assets/` keyed by its output path."""
    files = {}
    if assets.is_dir():
        for path in sorted(assets.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files[urls.asset(path.relative_to(assets).as_posix())] = path.read_bytes()
    return files


def build(
    project: Project,
    out: Path,
    *,
    base_url: str | None = None,
    drafts: bool = False,
    env: dict | None = None,
) -> BuildResult:
    """Build the site into `out`; on any problem raise before touching `out`."""
    started = time.perf_counter()
    check_output_dir(out, project.root)
    loaded = load(project, base_url=base_url, drafts=drafts, env=env)
    files, page_count, warnings = render_site(project, loaded)
    report = write_site(out, files)
    return BuildResult(page_count, len(files), report, time.perf_counter() - started, loaded.warnings + warnings)
