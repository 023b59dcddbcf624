"""`python build.py check`: load, validate and render everything in memory, write nothing.

Besides errors it reports the warnings a careful author wants (see `content_warnings`).
"""

from __future__ import annotations

from .errors import ContentError, Problem
from .pipeline import Project, load, render_site


def check_project(project: Project, *, base_url: str | None = None, drafts: bool = True) -> list[Problem]:
    """Return every problem and warning in the project; nothing is written."""
    try:
        loaded = load(project, base_url=base_url, drafts=True)
    except ContentError as error:
        return error.problems
    try:
        _files, _pages, warnings = render_site(project, loaded)
    except ContentError as error:
        return loaded.warnings + error.problems
    return sorted(loaded.warnings + warnings + content_warnings(loaded.papers, loaded.settings))


def content_warnings(papers, settings) -> list[Problem]:
    """Return warnings about content that builds but is probably not what the author meant."""
    problems = []
    for paper in papers:
        if not paper.links:
            problems.append(Problem(paper.source, 0, 0, "paper has no links (arXiv, PDF, DOI…)", severity="warning"))
        for code in paper.affiliations:
            if code not in settings.affiliation_names:
                problems.append(
                    Problem(
                        paper.source,
                        0,
                        0,
                        f"affiliation `{code}` has no display name in paperfolio.yaml `affiliations:`",
                        severity="warning",
                    )
                )
    featured = [p for p in papers if p.featured]
    if len(featured) > settings.featured_max:
        problems.append(
            Problem(
                "paperfolio.yaml",
                0,
                0,
                f"{len(featured)} papers are featured; `featured_max` is {settings.featured_max}",
                severity="warning",
            )
        )
    return problems
