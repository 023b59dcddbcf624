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
from json.encoder import encode_basestring
from typing import TYPE_CHECKING

from . import categories, groups, urls
from .cache import Fragments
from .views import PaperView

if TYPE_CHECKING:
    from .pipeline import SiteData

AUTHORS_SHOWN = 6  # a result names at most this many authors, then "et al."
_NON_WORD = re.compile(r"[\W_]+")
_ASCII = frozenset(map(chr, range(128)))
# For ASCII text, a byte table turns every character but a letter or digit into a space (what `[\W_]`
# matches in ASCII); `split` then finds the words. That is several times faster than the regular
# expression, and most paper text is ASCII. The first table also lowercases, which is all the fold
# does to ASCII; the second is for text already lowercased.
_ASCII_BREAKS = bytes(code if chr(code).isalnum() else 32 for code in range(256))
_ASCII_LOWER_BREAKS = _ASCII_BREAKS.lower()
FOLDED = ("ft", "fa", "fm", "fb")  # the entry's folded fields


def fold(text: str) -> str:
    """Return text as search words: `Élan, Reinforcement-Learning` -> ` elan reinforcement learning`."""
    if text.isascii():  # NFKD leaves ASCII as it is, and marks and ß and ς are not in it
        return _ascii_words(text, _ASCII_LOWER_BREAKS)
    decomposed = unicodedata.normalize("NFKD", text)
    # Only the few distinct non-ASCII characters can be marks. Each is dropped by `replace`: `translate` with a
    # dictionary looks up every character of the text, and took most of the time. Every mark, as the browser's
    # fold (`\p{M}` in assets/search.js) drops them: only those with a combining class were, which dropped the
    # dakuten of データ from the index but not from a query, so the word was never found.
    for ch in set(decomposed) - _ASCII:
        if unicodedata.category(ch)[0] == "M":
            decomposed = decomposed.replace(ch, "")
    # Lowercased after NFKD, and ß and final ς mapped, exactly as the browser folds a query. Casefolding before
    # NFKD left the capitals NFKD makes (`𝐋𝐋𝐌` -> `LLM`, `℡` -> `TEL`), and casefold maps a few letters where
    # lowercasing does not (Cherokee to its capitals, `ᾳ` to `αι`): the index held words no query folds to.
    decomposed = decomposed.lower()
    if "ß" in decomposed or "ς" in decomposed:
        decomposed = decomposed.replace("ß", "ss").replace("ς", "σ")
    if decomposed.isascii():
        return _ascii_words(decomposed, _ASCII_BREAKS)
    words = [word for word in _NON_WORD.split(decomposed) if word]
    return " " + " ".join(words) if words else ""


def _ascii_words(text: str, table: bytes) -> str:
    """Return the words of ASCII text through this byte table, each after a space."""
    words = text.encode("ascii").translate(table).split()
    return (b" " + b" ".join(words)).decode("ascii") if words else ""


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
    entry: dict[str, object] = {"u": view.url, "t": view.title_text}
    if view.lang:  # the title's language where it is not the site's, for the result's `lang` (search.js)
        entry["l"] = view.lang
    entry |= {
        "a": shown,
        "y": view.year,
        "v": view.venue or "",
        "ft": fold(view.title_text),
        "fa": fold(" ".join(names)),
        "fm": fold(" ".join(meta)),
        "fb": fold(view.abstract_text),
    }
    return entry


def search_index(views: list[PaperView], fragments: Fragments | None = None) -> bytes:
    """Return the search index of these papers, in site order, as compact UTF-8 JSON.

    The bytes are what `json.dumps({"version": 1, "papers": entries}, ensure_ascii=False,
    separators=(",", ":"))` encodes, made entry by entry so a 10,000-paper index is never also held as
    one big string (a test checks the equality). With `fragments`, the entries of unchanged papers are
    the last build's: folding every abstract again took most of a `serve` rebuild at 1,000 papers.
    """
    fragments = fragments or Fragments()
    entries = [fragments.get("search", view.slug, lambda view=view: entry_json(search_entry(view))) for view in views]
    return b'{"version":1,"papers":[' + b",".join(entries) + b"]}"


def entry_json(entry: dict[str, object]) -> bytes:
    """Return `json.dumps(entry, ensure_ascii=False, separators=(",", ":"))` as UTF-8 (a test checks it).

    `json.dumps` scans every character for escapes; the folded fields hold only word characters and
    spaces, which JSON never escapes, so they are quoted as they are. That is most of the bytes.
    """
    parts = []
    for key, value in entry.items():
        if key in FOLDED:
            text = f'"{value}"'
        elif isinstance(value, str):
            text = encode_basestring(value)
        elif type(value) is int:
            text = repr(value)
        else:
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        parts.append(f"{encode_basestring(key)}:{text}")
    return ("{" + ",".join(parts) + "}").encode()


def search_files(data: SiteData) -> dict[str, bytes]:
    """Return the search index file, for `pipeline.FILE_SOURCES`."""
    return {urls.search_index(): search_index([data.views[p.slug] for p in data.index.papers], data.fragments)}
