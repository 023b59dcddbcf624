"""Write one paper as a CSL-JSON item, the input of citeproc, Pandoc and Zotero.

Types are CSL 1.0.2's: paper-conference, article-journal, article (what CSL prescribes for preprints),
thesis, book, chapter, report. A one-word name is a `literal` so no processor invents a given name.
CSL names have no place for ORCID iDs or contribution marks and the spec discourages custom keys in
name objects, so they go in the item's `custom` object (CSL 1.0.2: "additional information that does
not have a designated field"), keyed by author position; an `et al.` list sets `custom.et_al`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring  # the C encoder `json.dumps(..., ensure_ascii=False)` uses
from typing import Any

from . import citations
from .model import Paper

TYPES = {
    "conference": "paper-conference",
    "journal": "article-journal",
    "thesis": "thesis",
    "book": "book",
    "chapter": "chapter",
    "report": "report",
    "preprint": "article",
    "misc": "article",
}
# Where the venue goes: the university publishes a thesis, a book has a publisher, the rest are contained.
_VENUE_FIELD = {"thesis": "publisher", "book": "publisher", "report": "publisher"}
# `extra:`'s bibliographic details (`citations.details`) by CSL-JSON variable.
_DETAIL_FIELDS = {"volume": "volume", "number": "issue", "pages": "page", "publisher": "publisher"}
_DETAIL_FIELDS |= {"series": "collection-title", "address": "publisher-place", "edition": "edition"}
_DETAIL_FIELDS |= {"isbn": "ISBN", "issn": "ISSN"}


def to_csl(paper: Paper, key: str, abstract: str | None = None) -> dict:
    """Return the CSL-JSON item for `paper` with `id` set to `key`; `abstract` is `citations.plain` of
    its abstract when already known."""
    kind = citations.kind(paper)
    item: dict = {"id": key, "type": TYPES[kind], "title": citations.plain_title(paper.title)}
    if paper.authors:
        item["author"] = [_name(citations.cited_name(author)) for author in paper.authors]
    date = citations.published(paper)  # the venue's year, when it names another than `date`'s
    item["issued"] = {"date-parts": [[part for part in (date.year, date.month, date.day) if part is not None]]}
    if paper.venue and not (kind == "preprint" and citations.is_arxiv_venue(paper.venue)):
        item[_VENUE_FIELD.get(kind, "container-title")] = paper.venue
    for name, value in citations.details(paper).items():
        field = _DETAIL_FIELDS[name]
        if field not in item:  # a book's publisher is its venue already
            item[field] = value.replace("--", "-") if name == "pages" else value
    if kind == "preprint" and paper.arxiv_id and "publisher" not in item:
        item["publisher"] = "arXiv"
        item["number"] = paper.arxiv_id
    if paper.doi:
        item["DOI"] = paper.doi
    url = citations.paper_url(paper)
    if url:
        item["URL"] = url
    if paper.abstract.strip():
        item["abstract"] = citations.plain(paper.abstract) if abstract is None else abstract
    if paper.tags:
        item["keyword"] = ", ".join(paper.tags)
    if paper.award:
        item["note"] = paper.award
    custom = _custom(paper)
    if custom:
        item["custom"] = custom
    return item


def csl_file(papers: Sequence[Paper], keys: Mapping[str, str]) -> str:
    """Return the site's CSL-JSON file: a list of items in the order given, as stable indented JSON."""
    items = [to_csl(paper, keys[paper.slug]) for paper in papers]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def item_json(value: Any, newline: str = "\n") -> str:
    """Return `json.dumps(value, ensure_ascii=False, indent=2)` with `newline` (a line feed and a margin)
    starting each line; `json` writes indented JSON in pure Python, several times slower than this."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    inner = newline + "  "
    if kind is dict and value:
        parts = []
        for key, sub in value.items():
            if type(key) is not str:
                break  # for `json` below
            parts.append(
                encode_basestring(key) + ": " + (encode_basestring(sub) if type(sub) is str else item_json(sub, inner))
            )
        else:
            return "{" + inner + ("," + inner).join(parts) + newline + "}"
    elif kind is list and value:
        parts = [encode_basestring(sub) if type(sub) is str else _member_json(sub, inner) for sub in value]
        return "[" + inner + ("," + inner).join(parts) + newline + "]"
    elif kind is int:
        return repr(value)
    # Empty lists and mappings, booleans, null, floats, subclasses, keys that are not text: as `json` writes
    # them (JSON text holds no raw line feed).
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline)


def _member_json(value: Any, newline: str) -> str:
    """Return `item_json` of a list member; a mapping of text to text (a name) is written once per build."""
    if type(value) is dict:
        key = (newline, *value.items())
        try:
            return _TEXT_MAPPINGS[key]  # only mappings of text to text are kept, so a hit is one of those
        except KeyError:
            if all(type(text) is str for text in value.values()):
                if len(_TEXT_MAPPINGS) >= 16384:  # coauthors recur from paper to paper; a long `serve` stays bounded
                    _TEXT_MAPPINGS.clear()
                text = _TEXT_MAPPINGS[key] = item_json(value, newline)
                return text
        except TypeError:  # a value that cannot be hashed: not text
            pass
    return item_json(value, newline)


# (newline, *pairs) -> JSON of a mapping of text to text. Looked up before its values are checked: an
# entry's values are all text, and text equals no value of another type (`True == 1`, but never `"1"`).
_TEXT_MAPPINGS: dict[tuple, str] = {}


def _name(name: str) -> dict:
    """Return a CSL name object: family and given, or `literal` for a one-word name."""
    parts = citations.split_name(name)
    if not parts.given:
        return {"literal": parts.family or name.strip()}  # (`European Commission,`: a name all family)
    result = {"family": parts.family, "given": parts.given}
    if parts.suffix:
        result["suffix"] = parts.suffix
    return result


def _custom(paper: Paper) -> dict:
    """Return `custom` data: per-author ORCID iDs and marks, and whether the author list is cut short."""
    authors = []
    for position, author in enumerate(paper.authors, start=1):
        note: dict = {}
        if author.orcid:
            note["orcid"] = author.orcid
        if author.equal_contribution:
            note["equal_contribution"] = True
        if author.corresponding:
            note["corresponding"] = True
        if note:
            authors.append({"position": position, "name": author.name, **note})
    custom: dict = {"authors": authors} if authors else {}
    if paper.et_al:
        custom["et_al"] = True
    return custom
