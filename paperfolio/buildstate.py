"""Know, without loading the engine, that nothing changed since the last build into an output folder.

A build records a digest of all its inputs (every file under `content/`, `layouts/`, `assets/`, `static/`, the
settings file, the options, the environment variables paperfolio reads, and paperfolio's own code) and
the size, time and inode of every file it left in the output folder. When the next build finds the same
digest and the same files, the output is already what it would write: it writes nothing, and it is
checked before the template and Markdown libraries are even imported. This module imports only the
standard library and `cache`, `errors`.
"""

from __future__ import annotations

import os
from pathlib import Path

from .cache import CACHE_DIR, FileEntry, Store, code_digest, digest, files_digest
from .errors import Problem
from .record import record

FileStat = tuple[int, int, int]  # size, mtime in ns, inode
SETTINGS_FILE = "paperfolio.yaml"
INPUT_FOLDERS = ("content", "layouts", "assets", "static")
READ_VARIABLES = ("SOURCE_DATE_EPOCH", "TZ")  # besides every PAPERFOLIO_* variable


@record(frozen=True, slots=True)
class Summary:
    """What the last build made, to report again when nothing changed."""

    pages: int
    files: int
    warnings: list[Problem]


def state_name(out: Path, kind: str) -> str:
    """Return the cache entry name for one output folder."""
    return f"{kind}-" + digest(str(out.resolve()).encode()).hex()[:16]


@record(frozen=True, slots=True)
class LastBuild:
    """What a finished build into an output folder leaves for the next one to compare with."""

    inputs: bytes  # `input_digest`
    summary: Summary
    stats: dict[str, FileStat]  # every file it left in the output folder
    files: dict[str, FileEntry]  # what it knew of each input file, for the next build to trust


def input_digest(
    root: Path,
    *,
    base_url: str | None,
    drafts: bool,
    env: dict,
    file_digests: dict[str, bytes] | None = None,
    trusted: dict[str, FileEntry] | None = None,
    seen: dict[str, FileEntry] | None = None,
) -> bytes:
    """Return a digest of every input of a build: files, options and the environment variables read.

    `file_digests` receives each file's path and the digest of its bytes, for the build to reuse. With
    `trusted` (the last build's `files`), a file whose size, times and inode are as then is not read
    again (`cache.trusted_digest`); `seen` receives what this digest knows of each file.
    """
    paths = [root / SETTINGS_FILE] if (root / SETTINGS_FILE).is_file() else []
    for name in INPUT_FOLDERS:
        folder = root / name
        if folder.is_dir():
            # Everything but folders: a broken link or a named pipe named like a paper is an error the
            # build must report, not a file to leave out of what says whether anything changed.
            paths += sorted(p for p in folder.rglob("*") if not p.is_dir())
    variables = sorted(f"{k}={v}" for k, v in env.items() if k.startswith("PAPERFOLIO_") or k in READ_VARIABLES)
    options = f"base_url={base_url!r} drafts={drafts!r} {' '.join(variables)}".encode()
    return digest(code_digest(), options, files_digest(paths, root, file_digests, trusted=trusted, seen=seen))


def last_build(root: Path, out: Path) -> LastBuild | None:
    """Return what the last build into `out` recorded, if anything."""
    saved = Store(root / CACHE_DIR).load(state_name(out, "last"))
    return saved if isinstance(saved, LastBuild) else None


def unchanged_build(root: Path, out: Path, inputs: bytes, last: LastBuild | None = None) -> Summary | None:
    """Return the last build's summary when its inputs equal `inputs` and its output is as it left it."""
    last = last or last_build(root, out)
    if last is None or last.inputs != inputs or stat_outputs(out) != last.stats:
        return None
    return last.summary


def record_build(root: Path, out: Path, last: LastBuild) -> None:
    """Remember a finished build for `unchanged_build`."""
    Store(root / CACHE_DIR).save(state_name(out, "last"), last)


def stat_outputs(out: Path) -> dict[str, FileStat]:
    """Return (size, mtime_ns, inode) of every file in the output folder."""
    result: dict[str, FileStat] = {}
    if out.is_dir():
        _walk_stats(str(out), "", result)
    return result


def _walk_stats(folder: str, prefix: str, result: dict[str, FileStat]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _walk_stats(entry.path, prefix + entry.name + "/", result)
            elif not entry.is_dir():  # like os.walk: a link to a folder is neither walked nor a file
                st = entry.stat()
                result[prefix + entry.name] = (st.st_size, st.st_mtime_ns, st.st_ino)


def stat_files(out: Path, names: set[str], known: dict[str, FileStat], written: set[str]) -> dict[str, FileStat]:
    """Return what `stat_outputs(out)` gives for a folder holding `names`, looking only at files not in `known`
    or in `written`."""
    trusted = names & (known.keys() - written)  # set operations: `serve` calls this with 4,500 names per edit
    result: dict[str, FileStat] = dict(zip(trusted, map(known.__getitem__, trusted), strict=True))
    for name in names - trusted:
        try:
            st = os.stat(os.path.join(out, name))
        except OSError:
            continue
        result[name] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return result
