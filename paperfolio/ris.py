"""Write one paper as an RIS record, the tagged format EndNote, Zotero and Mendeley import.

Every line is `XX  - value` on one line (newlines in an abstract become spaces), `TY` first, `ER` last,
lines end with `\\n` (readers accept it; the spec's CR LF only matters to very old EndNote). Types follow
Zotero's RIS export: CONF, JOUR, THES, BOOK, CHAP, RPRT; preprints are RPRT with arXiv as publisher, as
RIS has no preprint type. Authors are `Family, Given` (`others` is never a person). RIS has no place
for equal contribution, corresponding authors or ORCID iDs, so they go in `N1` notes with the award.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from . import citations
from .model import Paper

TYPES = {
    "conference": "CONF",
    "journal": "JOUR",
    "thesis": "THES",
    "book": "BOOK",
    "chapter": "CHAP",
    "report": "RPRT",
    "preprint": "RPRT",
    "misc": "GEN",
}

# Where the venue goes: the university of a thesis, the institution of a report and the publisher of a book
# are its publisher (`PB`), as Zotero's RIS import reads them; `T2` is a series there. Elsewhere `T2` is the
# proceedings, the journal or the book a chapter is in.
VENUE_TAGS = {"thesis": "PB", "report": "PB", "book": "PB"}
# `extra:`'s bibliographic details (`citations.details`) by RIS tag; pages go in SP and EP. A conference paper's
# place is C1: Zotero's RIS import reads CY as a place for every type but that one, and made it a note.
_DETAIL_TAGS = {"volume": "VL", "number": "IS", "publisher": "PB", "series": "T3", "address": "CY"}
_DETAIL_TAGS |= {"edition": "ET", "isbn": "SN", "issn": "SN"}
_CONFERENCE_DETAIL_TAGS = _DETAIL_TAGS | {"address": "C1"}


def to_ris(paper: Paper, abstract: str | None = None) -> str:
    """Return one RIS record for `paper`, from `TY` to `ER`, ending with a newline; `abstract` is
    `citations.plain` of its abstract when already known.

    Every value but the abstract is written on one line with its runs of whitespace made one space
    (`_line`); `plain` has collapsed the (long) abstract's whitespace already. Lines of values that recur
    from paper to paper (authors, venues, keywords) are made once per build, and the lines this
    function writes from numbers and fixed words have nothing to collapse.
    """
    kind = citations.kind(paper)
    lines = [f"TY  - {TYPES[kind]}\n", _line("TI", citations.plain_title(paper.title))]
    lines += [_author_line(citations.cited_name(author)) for author in paper.authors]
    date = citations.published(paper)  # the venue's year, when it names another than `date`'s
    lines.append(f"PY  - {date.year}\n")
    lines.append(f"DA  - {date.year:04d}/{_two(date.month)}/{_two(date.day)}/\n")
    if paper.venue and not (kind == "preprint" and citations.is_arxiv_venue(paper.venue)):
        lines.append(_recurring_line(VENUE_TAGS.get(kind, "T2"), paper.venue))
    found = citations.details(paper)
    for name, tag in (_CONFERENCE_DETAIL_TAGS if kind == "conference" else _DETAIL_TAGS).items():
        if name in found and not (tag == "PB" and VENUE_TAGS.get(kind) == "PB" and paper.venue):
            lines.append(_line(tag, found[name]))
    if "pages" in found:
        first, _, last = found["pages"].partition("--")
        lines.append(_line("SP", first))
        if last:
            lines.append(_line("EP", last))
    if kind == "preprint" and paper.arxiv_id:
        lines.append("PB  - arXiv\n")
        lines.append(_line("M1", f"arXiv:{paper.arxiv_id}"))
    if not paper.abstract.strip():
        abstract = ""
    elif abstract is None:
        abstract = citations.plain(paper.abstract)
    if abstract:
        lines.append(f"AB  - {abstract}\n")
    if paper.doi:
        lines.append(_line("DO", paper.doi))
    url = citations.paper_url(paper)
    if url:
        lines.append(_line("UR", url))
    lines += [_recurring_line("KW", tag) for tag in paper.tags]
    lines += [_line("N1", note) for note in author_notes(paper)]
    lines.append("ER  - \n")  # `ER  - ` keeps its space
    return "".join(lines)


def _line(tag: str, value: str) -> str:
    """Return one tagged line, the value's runs of whitespace (line breaks included) made one space."""
    return f"{tag}  - {' '.join(value.split())}\n"


@lru_cache(maxsize=16384)  # venues and keywords recur from paper to paper
def _recurring_line(tag: str, value: str) -> str:
    return _line(tag, value)


@lru_cache(maxsize=16384)  # coauthors recur from paper to paper
def _author_line(name: str) -> str:
    return _line("AU", _author(name))


@lru_cache(maxsize=16384)  # coauthors recur from paper to paper
def _author(name: str) -> str:
    """Return a name as RIS writes it: `Family, Given` (or `Family, Given, Suffix`)."""
    parts = citations.split_name(name)
    return ", ".join(p for p in (parts.family, parts.given, parts.suffix) if p)


def ris_file(papers: Sequence[Paper]) -> str:
    """Return the records of `papers`, in the order given, separated by blank lines."""
    return "\n".join(to_ris(paper) for paper in papers)


def author_notes(paper: Paper) -> list[str]:
    """Return notes for what RIS has no tag for: the award, equal contribution, correspondence, ORCID iDs."""
    notes = [paper.award] if paper.award else []
    equal = [a.name for a in paper.authors if a.equal_contribution]
    corresponding = [a.name for a in paper.authors if a.corresponding]
    if equal:
        notes.append("Equal contribution: " + ", ".join(equal))
    if corresponding:
        notes.append("Corresponding author: " + ", ".join(corresponding))
    notes.extend(f"ORCID iD of {a.name}: https://orcid.org/{a.orcid}" for a in paper.authors if a.orcid)
    return notes


def _two(number: int | None) -> str:
    """Return a two-digit month or day, or nothing when it is not known (`2023/07//`)."""
    return f"{number:02d}" if number else ""
