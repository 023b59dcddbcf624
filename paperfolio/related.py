"""Related papers: for each paper, the few others that share the most coauthors, tags and categories.

Scores come from an inverted index (key -> papers), never from comparing all pairs. A key shared by
more than `KEY_CAP` papers (a category with thousands of papers, a lab head on every paper) says little
about relatedness and would make the work quadratic, so it is ignored. The cost is then at most
(keys per paper) x KEY_CAP per paper: linear in the number of papers.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import chain

from .cache import value_digest
from .groups import Coauthor
from .model import Paper

LIMIT = 5
KEY_CAP = 64
# A shared coauthor or tag says more than a shared (broad) arXiv category. Weights are whole numbers:
# a key's papers are counted once per point of weight.
WEIGHTS = {"author": 2, "tag": 2, "category": 1}


def paper_keys(papers: Sequence[Paper], coauthors: Iterable[Coauthor]) -> list[list[tuple[str, str]]]:
    """Return, for each paper in order, its (kind, key) pairs: coauthors, tags and categories."""
    position = {p.slug: i for i, p in enumerate(papers)}
    keys: list[list[tuple[str, str]]] = [[] for _ in papers]
    for person in coauthors:
        key = ("author", person.slug)
        for slug in person.papers:
            keys[position[slug]].append(key)
    for paper_keys, paper in zip(keys, papers, strict=True):
        paper_keys += [("tag", tag) for tag in dict.fromkeys(paper.tags)]
        paper_keys += [("category", code) for code in dict.fromkeys(paper.categories)]
    return keys


def related_papers(
    papers: Sequence[Paper],
    coauthors: Iterable[Coauthor],
    *,
    limit: int = LIMIT,
    key_cap: int = KEY_CAP,
    memo: dict[bytes, dict[str, tuple[str, ...]]] | None = None,
) -> dict[str, tuple[str, ...]]:
    """Return slug -> up to `limit` related slugs, best first; ties go to the paper earlier in site order.

    The result reads only the papers' order and keys (no title or abstract), so `memo` (keys digest ->
    result, holding the last one) answers again when an edit left every key as it was.
    """
    keys = paper_keys(papers, coauthors)
    if memo is None:
        return _rank(papers, keys, limit, key_cap)
    digest = value_digest(([p.slug for p in papers], keys, limit, key_cap))
    if digest is not None and digest in memo:
        return memo[digest]
    result = _rank(papers, keys, limit, key_cap)
    memo.clear()
    if digest is not None:
        memo[digest] = result
    return result


class Ranker:
    """Ranks the related papers of a site part by part, as `related_papers` ranks them all: processes that
    each rank some parts make the whole (`pipeline.render_outputs`). The inverted index is made on the
    first part a process ranks, once in that process (made before a fork, it would be made where it
    is not needed: 36 ms at 10,000 papers)."""

    def __init__(self, papers: Sequence[Paper], coauthors: Iterable[Coauthor]):
        self.papers, self.coauthors = papers, list(coauthors)
        self._prepared: tuple[list[list[tuple[str, str]]], dict, list[str]] | None = None

    def rank(self, positions: range) -> dict[str, tuple[str, ...]]:
        """Return slug -> related slugs of the papers at these positions."""
        if self._prepared is None:
            keys = paper_keys(self.papers, self.coauthors)
            self._prepared = (keys, _usable(keys, KEY_CAP), [paper.slug for paper in self.papers])
        return _ranked(*self._prepared, LIMIT, positions)


def _rank(
    papers: Sequence[Paper], keys: list[list[tuple[str, str]]], limit: int, key_cap: int, positions: range | None = None
) -> dict[str, tuple[str, ...]]:
    """Return slug -> up to `limit` related slugs for the papers at `positions` (all), by score, ties in site
    order (`tests/test_related.py` checks this against the plain loop over every key's papers that it
    replaced)."""
    slugs = [paper.slug for paper in papers]
    return _ranked(keys, _usable(keys, key_cap), slugs, limit, range(len(slugs)) if positions is None else positions)


def _usable(keys: list[list[tuple[str, str]]], key_cap: int) -> dict[tuple[str, str], tuple[int, list[int]]]:
    """Return key -> (its weight, the positions of its papers) for the keys of at most `key_cap` papers."""
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, paper_key_list in enumerate(keys):
        for key in paper_key_list:
            postings[key].append(i)
    return {key: (WEIGHTS[key[0]], others) for key, others in postings.items() if len(others) <= key_cap}


def _ranked(
    keys: list[list[tuple[str, str]]],
    usable: dict[tuple[str, str], tuple[int, list[int]]],
    slugs: list[str],
    limit: int,
    positions: range,
) -> dict[str, tuple[str, ...]]:
    result: dict[str, tuple[str, ...]] = {}
    for i in positions:
        slug = slugs[i]
        scores = Counter(_weighted_positions([usable[key] for key in keys[i] if key in usable]))
        scores.pop(i, None)
        result[slug] = tuple([slugs[j] for j in _best(scores, limit)])
    return result


def _weighted_positions(found: list[tuple[int, list[int]]]) -> Iterable[int]:
    """Return the positions in these (weight, positions) lists, each as often as its score says.

    Counting them (`Counter`, in C) adds up the scores. When every list has the same weight, counting
    each list once ranks alike, and is half the work: the usual case, as broad categories are capped.
    """
    if len({weight for weight, _ in found}) > 1:
        return chain.from_iterable([positions * weight for weight, positions in found])
    return chain.from_iterable([positions for _, positions in found])


def _best(scores: dict[int, int], limit: int) -> list[int]:
    """Return the `limit` best positions, highest score first, ties to the lower position."""
    score = scores.__getitem__
    ranked = sorted(scores, key=score, reverse=True)
    if len(ranked) > limit:  # keep only the positions that score at least as much as the last place
        last = score(ranked[limit - 1])
        ranked = ranked[: bisect_right(ranked, -last, key=lambda j: -score(j))]
    # Sorted by position, then stably by score: ties go to the paper earlier in site order.
    return sorted(sorted(ranked), key=score, reverse=True)[:limit]
