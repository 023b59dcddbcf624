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


def search_index(views: list[PaperView], keys: dict[str, bytes] | None = None) -> bytes:
    """Return the search index of these papers, in site order, as compact UTF-8 JSON.

    The bytes are what `json.dumps({"version": 1, "papers": entries}, ensure_ascii=False,
    separators=(",", ":"))` encodes, made entry by entry so a 10,000-paper index is never also held as
    one big string (a test checks the equality). `keys` (slug -> view key) lets this process reuse the
    entries of views it made an entry for in its last build: folding every abstract again took most of
    a `serve` rebuild's time at 1,000 papers.
    """
    global _last_entries
    keys = keys or {}
    made: dict[bytes, bytes] = {}
    entries = []
    for view in views:
        key = keys.get(view.slug)
        entry = _last_entries.get(key) if key else None
        if entry is None:
            entry = json.dumps(search_entry(view), ensure_ascii=False, separators=(",", ":")).encode()
        if key:
            made[key] = entry
        entries.append(entry)
    _last_entries = made  # only this build's: it never holds more than one site's entries
    return b'{"version":1,"papers":[' + b",".join(entries) + b"]}"


_last_entries: dict[bytes, bytes] = {}  # view key -> search entry, from this process's last build


def search_files(data: SiteData) -> dict[str, bytes]:
    """Return the search index file, for `pipeline.FILE_SOURCES`."""
    return {urls.search_index(): search_index([data.views[p.slug] for p in data.index.papers], data.view_keys)}
