"""Ways into a list of papers: publication type, venue series, tags and coauthors, as pure functions.

Every function here reads the model only and returns keys (slugs, names), never copies of papers, so
`index` can call them once per build in time linear in the number of (paper, key) pairs.

Venue series rule (`venue_series`): a paper's `venue` text is reduced to the name of the series it
belongs to, so that "NeurIPS 2023 (Datasets and Benchmarks Track)" and "NeurIPS 2024 (Oral)" both
list under "NeurIPS":
  1. parenthesised notes are dropped: "(Oral)", "(Long Papers)", "(PMLR v235)";
  2. in a list of parts ("International Conference on Machine Learning, ICML 2022, 17-23 July 2022, Baltimore,
     Maryland, USA", as DBLP writes venues), the parts after the first to name a year are the meeting's dates and
     place, and dropped;
  3. years (19xx, 20xx), ordinals ("40th"), volume/issue numbers ("25(285)") and stray punctuation are dropped
     (but an abbreviated name keeps its last dot: "Phys. Rev. 47, 777" lists under "Phys. Rev.");
  4. "Findings of X" becomes "X Findings", a series of its own, as the ACL Anthology lists it;
  5. "NIPS" is spelled "NeurIPS" and a leading "Proceedings of (the)" is dropped;
  6. a venue that only says the paper is a preprint (arXiv, CoRR) has no series.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from . import citations
from .model import Paper
from .record import record
from .urls import slugify

# Groups of the publications page, in the order CVs list them.
TYPE_ORDER = ("conference", "journal", "preprint", "other")
TYPE_LABELS = {
    "conference": "Conference papers",
    "journal": "Journal articles",
    "preprint": "Preprints",
    "other": "Other publications",
}
TYPE_SHORT = {"conference": "Conference", "journal": "Journal", "preprint": "Preprint", "other": "Other"}

_NOTES = re.compile(r"\([^()]*\)")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_VOLUME = re.compile(r"\b\d+(st|nd|rd|th)?\b\s*(\(\d+\))?")
_FINDINGS = re.compile(r"^Findings of (the )?", re.IGNORECASE)
_PROCEEDINGS = re.compile(r"^Proceedings of (the )?", re.IGNORECASE)
# A paper with more authors than this is a collaboration's (a detector's, a consortium's): its authors are
# listed on its page as on any other, but it makes no coauthor pages. 2,000 names a paper made 2,000 pages,
# each listing every paper of the collaboration: 40 such papers, a 157 MB site. (The default content's
# largest author list has 88 names.)
COLLABORATION_SIZE = 100
_SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015]+")  # spaces, underscores, hyphens and dashes


@record(frozen=True, slots=True)
class Coauthor:
    """Someone the owner wrote with: the shared papers in site order, and the years they span."""

    name: str  # canonical spelling (after `author_aliases`)
    slug: str  # unique among coauthors, stable when newer papers are added
    papers: tuple[str, ...]  # slugs, newest first
    first_year: int
    last_year: int


def publication_type(paper: Paper) -> str:
    """Return conference, journal, preprint or other: `pub_type` when set, else read from the venue."""
    kind = citations.kind(paper)  # the one derivation, shared with the BibTeX, RIS and CSL exports
    return kind if kind in TYPE_ORDER else "other"


def venue_series(venue: str | None) -> str | None:
    """Return the series a venue text belongs to ("NeurIPS 2024 (Oral)" -> "NeurIPS"), or None."""
    if not venue or citations.is_arxiv_venue(venue):
        return None
    text = venue
    while _NOTES.search(text):
        text = _NOTES.sub(" ", text)
    parts = text.split(",")
    dated = next((i for i, part in enumerate(parts) if _YEAR.search(part)), len(parts))
    text = ",".join(parts[: dated + 1])  # DBLP's dates and place after the year
    text = _VOLUME.sub(" ", _YEAR.sub(" ", text))
    text = " ".join(text.replace(",", " ").split()).strip(" .:;-–")
    last = text.rpartition(" ")[2]
    if ". " in text and re.search(rf"\b{re.escape(last)}\.", venue):  # an abbreviated name keeps its last dot
        text += "."
    text = _PROCEEDINGS.sub("", text)
    if _FINDINGS.match(text):
        text = _FINDINGS.sub("", text) + " Findings"
    text = re.sub(r"\bNIPS\b", "NeurIPS", text)
    return text or None


def group_key(name: str) -> str:
    """Return what the names of one tag (or venue series) share: the text in one case (Unicode's NFKC and
    casefold) with each run of spaces, underscores, hyphens and dashes read as one space. `Safe RL`,
    `safe-rl` and `SAFE_RL` are one tag; `C++` and `C#`, `中文` and `日本語`, `Café` and `Cafe` are two
    each (their pages' addresses, which keep ASCII letters and digits only, are told apart: `page_slugs`)."""
    folded = name.lower() if name.isascii() else unicodedata.normalize("NFKC", name).casefold()
    return _SEPARATORS.sub(" ", folded).strip()


def group_by_tag(papers: Sequence[Paper]) -> dict[str, tuple[str, ...]]:
    """Return tag -> slugs in the papers' order, tags sorted by name; `Safe RL` and `safe-rl` are one tag."""
    return _group_by_key((paper.slug, paper.tags) for paper in papers)


def group_by_venue(papers: Sequence[Paper]) -> dict[str, tuple[str, ...]]:
    """Return venue series -> slugs in the papers' order, series sorted by name; preprints have none."""
    # A site repeats each venue on many papers: each distinct text is reduced once.
    series = {venue: venue_series(venue) for venue in {paper.venue for paper in papers}}
    return _group_by_key((paper.slug, filter(None, [series[paper.venue]])) for paper in papers)


def _group_by_key(pairs: Iterable[tuple[str, Iterable[str]]]) -> dict[str, tuple[str, ...]]:
    """Group paper slugs under names with the same `group_key`, named as first met in site order.

    A paper is listed once under a name however many of its keys share that name's group."""
    names: dict[str, str] = {}  # group key -> the name first met
    name_of: dict[str, str] = {}  # key -> its group's name, so each distinct key is folded once
    groups: dict[str, list[str]] = defaultdict(list)
    for paper_slug, keys in pairs:
        for key in keys:
            name = name_of.get(key)
            if name is None:
                name = name_of[key] = names.setdefault(group_key(key), key)
            group = groups[name]
            if not group or group[-1] != paper_slug:
                group.append(paper_slug)
    return {name: tuple(groups[name]) for name in sorted(groups, key=lambda n: (n.casefold(), n))}


def group_by_type(papers: Sequence[Paper]) -> dict[str, tuple[str, ...]]:
    """Return publication type -> slugs in the papers' order, types in CV order, empty types left out."""
    groups: dict[str, list[str]] = defaultdict(list)
    for paper in papers:
        groups[publication_type(paper)].append(paper.slug)
    return {kind: tuple(groups[kind]) for kind in TYPE_ORDER if groups[kind]}


def canonical_name(name: str, aliases: Mapping[str, str]) -> str:
    """Return the spelling a name is counted under: its alias target, else the name exactly as written."""
    return aliases.get(name, name)


def group_by_coauthor(
    papers: Sequence[Paper], *, aliases: Mapping[str, str] | None = None, owner_names: Iterable[str] = ()
) -> dict[str, Coauthor]:
    """Return coauthor slug -> Coauthor, sorted by name; the owner, under any spelling, is never a coauthor.
    A paper with more than `COLLABORATION_SIZE` authors makes no one a coauthor."""
    aliases = aliases or {}
    owners = frozenset(owner_names)
    shared: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        if len(paper.authors) > COLLABORATION_SIZE:
            continue
        for name in _coauthor_names(paper, aliases, owners):
            shared[name].append(paper)
    slugs = assign_slugs(shared, lambda name: min(p.date.sort_key for p in shared[name]))
    people = []
    for name, found in shared.items():
        years = [p.date.year for p in found]
        people.append(
            Coauthor(
                name=name,
                slug=slugs[name],
                papers=tuple([p.slug for p in found]),
                first_year=min(years),
                last_year=max(years),
            )
        )
    people.sort(key=lambda c: (c.name.casefold(), c.name))
    return {c.slug: c for c in people}


# A group page's folder name: a tag, venue or name of 400 characters made a name past the system's limit
# (255 bytes), and the build stopped. Longer slugs are cut; two names cut alike are told apart as namesakes.
MAX_SLUG = 80


def assign_slugs(names: Iterable[str], age: Callable[[str], Any]) -> dict[str, str]:
    """Return name -> unique slug; names that slugify alike are told apart by `-2`, `-3`… oldest first.

    `age(name)` sorts namesakes (asked only of them): the date of the name's oldest paper. The person (or
    tag) whose first paper is oldest keeps the plain slug, so a newer paper never changes an existing
    page's address (the rule citation keys follow too).
    """
    by_slug: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_slug[slugify(name)[:MAX_SLUG].rstrip("-")].append(name)
    result: dict[str, str] = {}
    taken = set(by_slug)
    for base, names in by_slug.items():
        if len(names) > 1:
            names.sort(key=lambda n: (age(n), n))
        result[names[0]] = base
        number = 2
        for name in names[1:]:
            while f"{base}-{number}" in taken:
                number += 1
            result[name] = f"{base}-{number}"
            taken.add(result[name])
    return result


def page_slugs(grouping: Mapping[str, Sequence[str]], papers: Mapping[str, Paper]) -> dict[str, str]:
    """Return the slug of each tag's (or venue series') page: `C++` -> `c`, and `C#`, newer, -> `c-2`.
    `grouping`: name -> paper slugs, as `group_by_tag` makes it; `papers`: slug -> paper."""
    return assign_slugs(grouping, lambda name: min(papers[slug].date.sort_key for slug in grouping[name]))


def coauthor_lookup(coauthors: Iterable[Coauthor], aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return every written spelling (aliases included) -> coauthor slug, for linking author names."""
    lookup = {c.name: c.slug for c in coauthors}
    for variant, canonical in (aliases or {}).items():
        if canonical in lookup:
            lookup[variant] = lookup[canonical]
    return lookup


def _coauthor_names(paper: Paper, aliases: Mapping[str, str], owners: frozenset[str]) -> list[str]:
    """Return the paper's coauthors' canonical names, each once, in author order."""
    # `canonical_name`, written out: this runs for every author of every paper.
    names = [aliases.get(a.name, a.name) for a in paper.authors if not a.is_owner and a.name not in owners]
    return [name for name in dict.fromkeys(names) if name not in owners]
