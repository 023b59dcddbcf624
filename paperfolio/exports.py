"""Citation files: `papers.bib`, `papers.ris`, `papers.json` (CSL-JSON) for the site, and the same three
per paper beside its page (`papers/<slug>/<key>.bib|.ris|.json`), so one click imports a paper into
BibTeX, EndNote, Zotero or Mendeley."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from . import urls
from .bibtex import to_bibtex
from .cache import digest, value_digest
from .citations import citation_keys
from .csl import item_json, to_csl
from .model import Paper
from .record import record
from .ris import to_ris


@record(frozen=True, slots=True)  # 1,250 of them come back from each worker's chunk of the paper stage
class Citation:
    """One paper's citation in every format, made once per build (or taken from the cache), as the UTF-8
    bytes the files hold: each goes into the paper's own file and the site-wide one as it is, and `serve`
    joins 3,000 of them into the site-wide files after every edit of a 1,000-paper site (encoding them
    each time made 4.4 MB of new bytes)."""

    key: str
    bibtex: bytes
    ris: bytes
    csl: bytes  # the CSL-JSON item, as `json.dumps(item, indent=2)` with every line indented two more spaces


def make_citations(papers: Sequence[Paper]) -> dict[str, Citation]:
    """Return slug -> Citation of every paper, under the citation keys these papers get together."""
    keys = citation_keys(papers)
    return {p.slug: citation(p, keys[p.slug]) for p in papers}


def remembered_citations(
    papers: Sequence[Paper],
    keys: dict[str, str],
    memo: dict[bytes, Citation] | None,
    paper_keys: dict[str, bytes] | None = None,
    digest_of: Callable[..., bytes] = digest,
) -> tuple[dict[str, Citation], dict[str, bytes]]:
    """Return the citations a memo (citation digest -> Citation) holds for these papers under these keys,
    and each paper's citation digest. `paper_keys` (slug -> a key standing for the paper) saves digesting
    each paper again; `digest_of` makes the digests (`Memo.digest_of` in `serve`). Without a memo,
    nothing is remembered."""
    if memo is None:
        return {}, {}
    known = paper_keys or {}
    digests = {p.slug: _digest(p, keys[p.slug], known.get(p.slug), digest_of) for p in papers}
    found = {slug: memo[key] for slug, key in digests.items() if key is not None and key in memo}
    return found, {slug: key for slug, key in digests.items() if key is not None}


def _digest(paper: Paper, key: str, paper_key: bytes | None, digest_of: Callable[..., bytes]) -> bytes | None:
    if paper_key is None:
        return value_digest((paper, key))
    return digest_of(b"citation", paper_key, key.encode())


def citation(paper: Paper, key: str, abstract: str | None = None) -> Citation:
    """Return one paper's citation in every format, under its citation key. `abstract`: its abstract as
    plain text (`citations.plain`), when already known."""
    item = item_json(to_csl(paper, key, abstract), "\n  ")  # indented two more spaces, for the list it goes in
    return Citation(key, to_bibtex(paper, key).encode(), to_ris(paper, abstract).encode(), f"  {item}".encode())


def csl_list(items: Sequence[bytes]) -> bytes:
    """Return what `json.dumps(list, indent=2) + "\\n"` gives (UTF-8) for items serialised as in `Citation.csl`."""
    return b"[\n" + b",\n".join(items) + b"\n]\n" if items else b"[]\n"


_FILE_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def cite_paths(slug: str, key: str) -> list[tuple[str, str]]:
    """Return (label, site path) of a paper's three citation files, named by the key: a kept key's `:` and
    `/` (DBLP's `DBLP:conf/nips/Ji23`) become `-`, as no file name on every system may hold them."""
    base = urls.paper(slug) + (key if key.isalnum() else _FILE_UNSAFE.sub("-", key))
    return [("BibTeX (.bib)", base + ".bib"), ("RIS (.ris)", base + ".ris"), ("CSL-JSON (.json)", base + ".json")]


def citation_files(slug: str, cite: Citation) -> list[tuple[str, bytes]]:
    """Return one paper's three citation files, (site path, bytes), beside its page."""
    (_, bib), (_, ris), (_, csl) = cite_paths(slug, cite.key)
    return [(bib, cite.bibtex), (ris, cite.ris), (csl, csl_list([cite.csl]))]


def site_export_files(data) -> Iterator[tuple[str, bytes]]:
    """Yield `papers.bib`, `papers.ris` and `papers.json` with every paper (a FILE_SOURCE of the pipeline).

    Made from the citations the paper stage made, in site order; each paper's own three files are
    written by the paper stage (`citation_files`).
    """
    papers = list(data.index.papers)
    cites = data.citations if data.citations is not None else make_citations(papers)
    ordered = [cites[p.slug] for p in papers]
    # The same text `bibtex_file`, `ris_file` and `csl_file` make, from the citations made once, joined
    # as bytes: one big `str` of a 10,000-paper file may take four bytes a character.
    yield "papers.bib", b"\n".join([c.bibtex for c in ordered])
    yield "papers.ris", b"\n".join([c.ris for c in ordered])
    yield "papers.json", csl_list([c.csl for c in ordered])
