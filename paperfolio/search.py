"""The search index: one JSON file, made at build time, that `assets/search.js` fetches on first use.

Each entry holds what a result shows (title, a short author list, year, venue, URL) and four search
fields, already folded here so the browser only folds the query: lowercase, accents removed, words
separated by single spaces, with a leading space so that `" " + term` finds a word prefix.
The fields are ranked title > authors > venue, categories, tags, type and year > abstract.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import TYPE_CHECKING

from . import categories, groups, urls
from .cache import Fragments
from .views import PaperView

if TYPE_CHECKING:
    from .pipeline import SiteData

AUTHORS_SHOWN = 6  # a result names at most this many authors, then "et al."
_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Return text as search words: `Élan, Reinforcement-Learning` -> ` elan reinforcement learning`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # ASCII text has no combining marks; checking that first skips a per-character loop for most text.
    # Otherwise only its distinct characters are checked, and the marks dropped in one `translate`.
    if decomposed.isascii():
        bare = decomposed
    else:
        bare = decomposed.translate({ord(ch): None for ch in set(decomposed) if unicodedata.combining(ch)})
    words = _NON_WORD.split(bare)
    return "".join(" " + word for word in words if word)


def search_entry(view: PaperView) -> dict[str, object]:
    """Return one paper's entry in the search index."""
    names = [a.name for a in view.authors]
    shown = ", ".join(names[:AUTHORS_SHOWN]) + (" et al." if len(names) > AUTHORS_SHOWN or view.et_al else "")
    meta = [
        view.venue or "",
        *(f"{c.code} {categories.display_name(c.code)}" for c in view.categories),
        *view.tags,
        groups.TYPE_SHORT.get(view.pub_type, ""),
        str(view.year),
    ]
    return {
        "u": view.url,
        "t": view.title_text,
        "a": shown,
        "y": view.year,
        "v": view.venue or "",
        "ft": fold(view.title_text),
        "fa": fold(" ".join(names)),
        "fm": fold(" ".join(meta)),
        "fb": fold(view.abstract_text),
    }


def search_index(views: list[PaperView], fragments: Fragments | None = None) -> bytes:
    """Return the search index of these papers, in site order, as compact UTF-8 JSON.

    The bytes are what `json.dumps({"version": 1, "papers": entries}, ensure_ascii=False,
    separators=(",", ":"))` encodes, made entry by entry so a 10,000-paper index is never also held as
    one big string (a test checks the equality). With `fragments`, the entries of unchanged papers are
    the last build's: folding every abstract again took most of a `serve` rebuild at 1,000 papers.
    """
    fragments = fragments or Fragments()
    entries = [
        fragments.get(
            "search",
            view.slug,
            lambda view=view: json.dumps(search_entry(view), ensure_ascii=False, separators=(",", ":")).encode(),
        )
        for view in views
    ]
    return b'{"version":1,"papers":[' + b",".join(entries) + b"]}"


def search_files(data: SiteData) -> dict[str, bytes]:
    """Return the search index file, for `pipeline.FILE_SOURCES`."""
    return {urls.search_index(): search_index([data.views[p.slug] for p in data.index.papers], data.fragments)}
