"""Citation files: `papers.bib`, `papers.ris`, `papers.json` (CSL-JSON) for the site, and the same three
per paper beside its page (`papers/<slug>/<key>.bib|.ris|.json`), so one click imports a paper into
BibTeX, EndNote, Zotero or Mendeley."""

from __future__ import annotations

import json

from . import urls
from .bibtex import bibtex_file, to_bibtex
from .citations import citation_keys
from .csl import csl_file, to_csl
from .ris import ris_file, to_ris


def cite_paths(slug: str, key: str) -> list[tuple[str, str]]:
    """Return (label, site path) of a paper's three citation files."""
    base = urls.paper(slug) + key
    return [("BibTeX (.bib)", base + ".bib"), ("RIS (.ris)", base + ".ris"), ("CSL-JSON (.json)", base + ".json")]


def export_files(data) -> dict[str, bytes]:
    """Return the site-wide and per-paper citation files (a FILE_SOURCE of the pipeline)."""
    papers = list(data.index.papers)
    keys = citation_keys(papers)
    files = {
        "papers.bib": bibtex_file(papers, keys).encode("utf-8"),
        "papers.ris": ris_file(papers).encode("utf-8"),
        "papers.json": csl_file(papers, keys).encode("utf-8"),
    }
    for paper in papers:
        key = keys[paper.slug]
        (_, bib), (_, ris), (_, csl) = cite_paths(paper.slug, key)
        files[bib] = to_bibtex(paper, key).encode("utf-8")
        files[ris] = to_ris(paper).encode("utf-8")
        item = json.dumps([to_csl(paper, key)], ensure_ascii=False, indent=2)
        files[csl] = (item + "\n").encode("utf-8")
    return files
