"""Compiled regular expressions kept between runs, as Python keeps compiled modules in `__pycache__/`.

Python compiles a regular expression the first time a process uses it, in Python code (`re._parser`
and `re._compiler`): a cold build of the default site compiles about 125 of them (paperfolio's own,
Jinja's lexer, Markdown's, latex2mathml's, PyYAML's), 12 ms of its 0.16 s on this project's machine
(2026-12-07), most of it before the first paper is read. `re` keeps what it compiled in a cache,
`re._cache`, keyed by the pattern text, its type and its flags; `re.compile` looks there first.

Importing this module (the package's `__init__` does, before anything else) fills that cache with the
patterns the last run compiled, each made by `_sre.compile`, the C function `re._compiler.compile`
itself ends with, from the compiled form this module stored; at exit it stores the patterns this run
compiled that the file lacked. A stored pattern is only ever found under its own text and flags, so
a pattern that changed is compiled afresh; the file is read only by the Python that wrote it (its
full version string and the regular expression engine's `MAGIC` head the file), and each pattern is
stored only if the Pattern made from its stored form equals (`==` compares text, flags and compiled
code) the one `re` made. It is written as `record` writes its file: unless `sys.dont_write_bytecode`,
replaced whole, and not at all where the folder is read-only. Where `re` lacks any of these internals
(another Python), nothing is filled or stored.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
import re
import sys
from typing import Any

try:  # CPython 3.11 and later
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - not CPython
    _sre = _compiler = _parser = None  # type: ignore[assignment]

_FILE = os.path.join(os.path.dirname(__file__), "__pycache__", f"patterns.{sys.implementation.cache_tag}.marshal")
_HEAD = f"{sys.version}\0{getattr(_sre, 'MAGIC', '')}\0".encode()

LIMIT = 400  # patterns in the file at most

# (pattern, flags) -> what `_sre.compile` takes after the pattern: flags, code, groups, group index, index group
Parts = tuple[int, list[int], int, dict[str, int], tuple[Any, ...]]


def compiled_parts(pattern: str | bytes, flags: int) -> Parts:
    """Return what `re._compiler.compile(pattern, flags)` passes to `_sre.compile` after the pattern."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # its opcodes are an `int` subclass marshal refuses
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[Any] = [None] * parsed.state.groups
    for name, number in groupindex.items():
        indexgroup[number] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _cache() -> dict | None:
    """Return `re`'s cache of compiled patterns, or None where this Python has none we know."""
    cache = getattr(re, "_cache", None)
    return cache if isinstance(cache, dict) and _sre is not None and hasattr(_compiler, "_code") else None


def load(path: str = _FILE) -> dict[tuple[Any, int], Parts]:
    """Fill `re`'s cache with the patterns stored at `path`; return what was stored."""
    cache = _cache()
    if cache is None:
        return {}
    stored = read_marshalled(path, _HEAD)
    try:
        for (pattern, flags), parts in stored.items():
            cache.setdefault((type(pattern), pattern, flags), _sre.compile(pattern, *parts))
    except (ValueError, TypeError, RuntimeError):
        return {}  # unreadable: `re` compiles as it always does
    return stored


def read_marshalled(path: str, head: bytes) -> dict:
    """Return the dict a file of ours in `__pycache__/` holds after `head`, or an empty one if there is no
    such file, it has another head (another Python wrote it) or it is damaged."""
    try:
        with open(path, "rb") as file:
            data = file.read()
        if data.startswith(head):
            stored = marshal.loads(data[len(head) :])
            if isinstance(stored, dict):
                return stored
    except (OSError, EOFError, ValueError, TypeError):
        pass
    return {}


def write_marshalled(path: str, head: bytes, value: dict) -> None:
    """Write `head` and `value` to a file of ours in `__pycache__/` as Python writes a `.pyc`: whole (a
    new file renamed over the old one), and not at all where the folder cannot be made or written."""
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temp, "wb") as file:
            file.write(head + marshal.dumps(value))
        os.replace(temp, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(temp)


def save(stored: dict[tuple[Any, int], Parts], path: str = _FILE) -> None:
    """Add the compiled form of the patterns this run compiled to the file, when there are new ones.

    The file holds at most `LIMIT` patterns, fewer than `re` caches (512), so filling the cache never
    pushes a stored pattern out. A program that makes patterns from its input would fill it; when full,
    it starts again with this run's new patterns.
    """
    cache = _cache()
    if cache is None or sys.dont_write_bytecode:
        return
    new = [
        (pattern, flags)
        for kind, pattern, flags in list(cache)
        if kind in (str, bytes) and not flags & re.DEBUG and (pattern, flags) not in stored
    ]
    if not new:
        return
    keep = dict(stored) if len(stored) + len(new) <= LIMIT else {}
    for pattern, flags in new[: LIMIT - len(keep)]:
        try:
            parts = compiled_parts(pattern, flags)
            if _sre.compile(pattern, *parts) == cache[type(pattern), pattern, flags]:
                keep[(pattern, flags)] = parts  # else not what `re` makes here: never stored
        except Exception:  # noqa: BLE001, S112 - whatever the internals raise, the pattern is just not stored
            continue
    write_marshalled(path, _HEAD, keep)


_STORED = load()
atexit.register(save, _STORED)
