"""Related papers: for each paper, the few others that share the most coauthors, tags and categories.

Scores come from an inverted index (key -> papers), never from comparing all pairs. A key shared by
more than `KEY_CAP` papers (a category with thousands of papers, a lab head on every paper) says little
about relatedness and would make the work quadratic, so it is ignored. The cost is then at most
(keys per paper) x KEY_CAP per paper: linear in the number of papers.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence

from .cache import value_digest
from .groups import Coauthor
from .model import Paper

LIMIT = 5
KEY_CAP = 64
# A shared coauthor or tag says more than a shared (broad) arXiv category.
WEIGHTS = {"author": 2, "tag": 2, "category": 1}


def paper_keys(papers: Sequence[Paper], coauthors: Iterable[Coauthor]) -> list[list[tuple[str, str]]]:
    """Return, for each paper in order, its (kind, key) pairs: coauthors, tags and categories."""
    position = {p.slug: i for i, p in enumerate(papers)}
    keys: list[list[tuple[str, str]]] = [[] for _ in papers]
    for person in coauthors:
        for slug in person.papers:
            keys[position[slug]].append(("author", person.slug))
    for i, paper in enumerate(papers):
        keys[i] += [("tag", tag) for tag in dict.fromkeys(paper.tags)]
        keys[i] += [("category", code) for code in dict.fromkeys(paper.categories)]
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


def _rank(
    papers: Sequence[Paper], keys: list[list[tuple[str, str]]], limit: int, key_cap: int
) -> dict[str, tuple[str, ...]]:
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, paper_key_list in enumerate(keys):
        for key in paper_key_list:
            postings[key].append(i)
    result: dict[str, tuple[str, ...]] = {}
    for i, paper in enumerate(papers):
        scores: dict[int, int] = defaultdict(int)
        for key in keys[i]:
            others = postings[key]
            if len(others) > key_cap:
                continue
            weight = WEIGHTS[key[0]]
            for j in others:
                scores[j] += weight
        scores.pop(i, None)
        best = heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1], item[0]))
        result[paper.slug] = tuple(papers[j].slug for j, _ in best)
    return result
