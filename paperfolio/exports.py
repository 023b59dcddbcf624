"""Citation files: `papers.bib`, `papers.ris`, `papers.json` (CSL-JSON) for the site, and the same three
per paper beside its page (`papers/<slug>/<key>.bib|.ris|.json`), so one click imports a paper into
BibTeX, EndNote, Zotero or Mendeley."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from . import parallel, urls
from .bibtex import to_bibtex
from .cache import digest, value_digest
from .citations import citation_keys
from .csl import item_json, to_csl
from .model import Paper
from .ris import to_ris


@dataclass(frozen=True, slots=True)
class Citation:
    """One paper's citation in every format, made once per build (or taken from the cache)."""

    key: str
    bibtex: str
    ris: str
    csl: str  # the CSL-JSON item, as `json.dumps(item, indent=2)` with every line indented two more spaces


def make_citations(
    papers: Sequence[Paper],
    memo: dict[bytes, Citation] | None = None,
    *,
    digests: dict[str, bytes] | None = None,
    made: dict[str, Citation] | None = None,
) -> dict[str, Citation]:
    """Return slug -> Citation; with a memo (paper digest -> Citation), unchanged papers are not redone.

    The paper page's BibTeX block and the export files both read these, so each is made once. `digests`
    (slug -> a key standing for the paper) saves digesting each paper again. `made`: citations just made
    (under the same keys) for papers the memo lacks.
    """
    keys = citation_keys(papers)
    known = digests or {}
    digests = {p.slug: _digest(p, keys[p.slug], known.get(p.slug)) for p in papers} if memo is not None else {}
    found: dict[str, Citation] = {}
    todo = []
    for paper in papers:
        known = memo.get(digests[paper.slug]) if memo is not None and digests[paper.slug] else None  # type: ignore[arg-type]
        if known is None and made is not None:
            known = made.get(paper.slug)
        if known is not None:
            found[paper.slug] = known
        else:
            todo.append(paper)
    for part in parallel.fork_map(lambda chunk: [_citation(p, keys[p.slug]) for p in chunk], todo):
        found.update((c.slug, c.citation) for c in part)
    if memo is not None:
        memo.clear()
        memo.update((digests[slug], c) for slug, c in found.items() if digests[slug])
    return {p.slug: found[p.slug] for p in papers}


def _digest(paper: Paper, key: str, paper_key: bytes | None) -> bytes | None:
    if paper_key is None:
        return value_digest((paper, key))
    return digest(b"citation", paper_key, key.encode())


@dataclass(frozen=True, slots=True)
class _Made:
    slug: str
    citation: Citation


def _citation(paper: Paper, key: str) -> _Made:
    return _Made(paper.slug, citation(paper, key))


def citation(paper: Paper, key: str) -> Citation:
    """Return one paper's citation in every format, under its citation key."""
    item = item_json(to_csl(paper, key), "\n  ")  # indented two more spaces, for the list it goes in
    return Citation(key, to_bibtex(paper, key), to_ris(paper), "  " + item)


def csl_list(items: Sequence[str]) -> str:
    """Return what `json.dumps(list, indent=2) + "\\n"` gives for items serialised as in `Citation.csl`."""
    return "[\n" + ",\n".join(items) + "\n]\n" if items else "[]\n"


def cite_paths(slug: str, key: str) -> list[tuple[str, str]]:
    """Return (label, site path) of a paper's three citation files."""
    base = urls.paper(slug) + key
    return [("BibTeX (.bib)", base + ".bib"), ("RIS (.ris)", base + ".ris"), ("CSL-JSON (.json)", base + ".json")]


def export_files(data) -> Iterator[tuple[str, bytes]]:
    """Yield the site-wide and per-paper citation files (a FILE_SOURCE of the pipeline).

    One file at a time, so a 10,000-paper site's 30,000 citation files are never all in memory at once.
    """
    papers = list(data.index.papers)
    cites = data.citations if data.citations is not None else make_citations(papers)
    ordered = [cites[p.slug] for p in papers]
    # The same text `bibtex_file`, `ris_file` and `csl_file` make, from the citations made once, joined
    # as bytes: one big `str` of a 10,000-paper file may take four bytes a character.
    for name, texts in (("papers.bib", [c.bibtex for c in ordered]), ("papers.ris", [c.ris for c in ordered])):
        yield name, b"\n".join(text.encode("utf-8") for text in texts)
    items = [c.csl.encode("utf-8") for c in ordered]
    yield "papers.json", b"[\n" + b",\n".join(items) + b"\n]\n" if items else b"[]\n"
    del items
    for paper, cite in zip(papers, ordered, strict=True):
        (_, bib), (_, ris), (_, csl) = cite_paths(paper.slug, cite.key)
        yield bib, cite.bibtex.encode("utf-8")
        yield ris, cite.ris.encode("utf-8")
        yield csl, csl_list([cite.csl]).encode("utf-8")
