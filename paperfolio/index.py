"""Group papers by category, year, tag and coauthor: keys, not copies (lists of slugs in site order).

Every grouping is a pure function of the sorted paper list, computed once, in time linear in the
number of (paper, key) pairs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import field

from . import groups, related
from .groups import Coauthor
from .model import Paper
from .record import record


@record(frozen=True, slots=True)
class SiteIndex:
    """Papers in site order plus every grouping the pages need."""

    papers: tuple[Paper, ...]  # newest first, total order
    by_slug: dict[str, Paper] = field(hash=False, compare=False)
    categories: dict[str, tuple[str, ...]] = field(hash=False, compare=False)  # code -> slugs
    years: dict[int, tuple[str, ...]] = field(hash=False, compare=False)  # year -> slugs, newest year first
    positions: dict[str, int] = field(hash=False, compare=False)  # slug -> place in `papers`
    tags: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)  # tag -> slugs
    venues: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)  # series -> slugs
    types: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)  # type -> slugs
    coauthors: dict[str, Coauthor] = field(default_factory=dict, hash=False, compare=False)  # coauthor slug -> …
    coauthor_slugs: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # written name -> slug
    related: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)  # slug -> slugs

    def neighbours(self, slug: str) -> tuple[Paper | None, Paper | None]:
        """Return the (newer, older) papers beside this one in site order."""
        position = self.positions[slug]
        newer = self.papers[position - 1] if position > 0 else None
        older = self.papers[position + 1] if position + 1 < len(self.papers) else None
        return newer, older


def sort_papers(papers: list[Paper]) -> tuple[Paper, ...]:
    """Return papers newest first, then by title, then slug, so the order is total."""
    return tuple(sorted(papers, key=lambda p: p.sort_key))


def build_index(
    papers: list[Paper],
    *,
    aliases: dict[str, str] | None = None,
    owner_names: frozenset[str] = frozenset(),
    related_memo: dict | None = None,
    with_related: bool = True,
) -> SiteIndex:
    """Return the site index of these papers; `aliases` merge coauthor spellings (variant -> canonical).

    `related_memo` lets an incremental build reuse the last related-papers result (see `related`).
    Without `with_related` the index has no related papers yet (`related.Ranker` makes them)."""
    ordered = sort_papers(papers)
    categories: dict[str, list[str]] = defaultdict(list)
    years: dict[int, list[str]] = defaultdict(list)
    for paper in ordered:
        for code in paper.categories:
            categories[code].append(paper.slug)
        years[paper.date.year].append(paper.slug)
    coauthors = groups.group_by_coauthor(ordered, aliases=aliases, owner_names=owner_names)
    return SiteIndex(
        papers=ordered,
        by_slug={p.slug: p for p in ordered},
        categories={code: tuple(categories[code]) for code in sorted(categories)},
        years={year: tuple(years[year]) for year in sorted(years, reverse=True)},
        positions={p.slug: i for i, p in enumerate(ordered)},
        tags=groups.group_by_tag(ordered),
        venues=groups.group_by_venue(ordered),
        types=groups.group_by_type(ordered),
        coauthors=coauthors,
        coauthor_slugs=groups.coauthor_lookup(coauthors.values(), aliases),
        related=related.related_papers(ordered, coauthors.values(), memo=related_memo) if with_related else {},
    )
