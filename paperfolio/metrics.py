"""Profile figures computed from the papers: total citations, h-index, i10-index, and counts per year.

When any paper carries `citations`, these figures are computed and replace the configured ones of the
same name; otherwise the configured figures are shown as they are, with their source. Either way the
page says which it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from .model import Metric, Paper, Settings

# Configured metrics whose label folds to one of these are replaced by the computed figure.
COMPUTED = ("citations", "hindex", "i10index")


def h_index(citations: Iterable[int]) -> int:
    """Return the largest h such that h papers have at least h citations each."""
    ranked = sorted(citations, reverse=True)
    return sum(1 for rank, count in enumerate(ranked, start=1) if count >= rank)


def i10_index(citations: Iterable[int]) -> int:
    """Return how many papers have at least 10 citations."""
    return sum(1 for count in citations if count >= 10)


def profile_metrics(papers: Sequence[Paper], settings: Settings) -> tuple[Metric, ...]:
    """Return the profile figures: computed from `citations` when papers have them, else as configured."""
    counted = [p.citations for p in papers if p.citations is not None]
    if not counted:
        return settings.metrics
    source = f"computed from {len(counted)} paper{'s' if len(counted) != 1 else ''}' citation counts"
    computed = (
        Metric("Citations", f"{sum(counted):,}", source),
        Metric("h-index", str(h_index(counted)), source),
        Metric("i10-index", str(i10_index(counted)), source),
    )
    kept = tuple(m for m in settings.metrics if _fold_label(m.label) not in COMPUTED)
    return computed + kept


def papers_per_year(years: Mapping[int, Sequence[str]]) -> list[tuple[int, int]]:
    """Return (year, paper count) oldest first, every year from the first to the last (gaps as 0)."""
    if not years:
        return []
    return [(year, len(years.get(year, ()))) for year in range(min(years), max(years) + 1)]


def citations_per_year(papers: Sequence[Paper]) -> list[tuple[int, int]]:
    """Return (publication year, citations of that year's papers) oldest first, or [] when none are known."""
    totals: dict[int, int] = {}
    for paper in papers:
        if paper.citations is not None:
            totals[paper.date.year] = totals.get(paper.date.year, 0) + paper.citations
    if not totals:
        return []
    first, last = min(p.date.year for p in papers), max(p.date.year for p in papers)
    return [(year, totals.get(year, 0)) for year in range(first, last + 1)]


def _fold_label(label: str) -> str:
    return re.sub(r"[^a-z0-9]", "", label.casefold())
