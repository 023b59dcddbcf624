"""Digests that say when an input changed, and the `.paperfolio-cache/` folder that keeps them between runs.

A digest is a SHA-256 of exact bytes, never of names or times, so two equal digests mean equal inputs.
Values are digested through `pickle`: equal pickles unpickle to equal values, so equal digests mean
equal values (two equal values may pickle differently, which only costs a cache miss, never a stale
result). Everything cached is also keyed by `code_digest()`: a new paperfolio or library version
starts from nothing. The folder is always safe to delete.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import os
import pickle
import struct
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from stat import S_ISREG
from typing import Any

CACHE_DIR = ".paperfolio-cache"
PACKAGE = Path(__file__).resolve().parent
LIBRARIES = ("jinja2", "markupsafe", "markdown", "yaml", "nh3", "latex2mathml", "pylatexenc")
_code_digest: bytes | None = None


def digest(*parts: bytes) -> bytes:
    """Return the SHA-256 of the parts, each length-prefixed (8 bytes, little-endian) so no two sequences
    collide.

    The parts are joined and hashed in one call: most are a few 32-byte digests (a page's inputs), and
    feeding them to the hash one `update` at a time took 4.3 µs for ten of them against 2.5 µs joined
    (this machine, 2026-12-06); `serve` makes about 7,600 digests after each edit of a 1,000-paper site.
    Joining copies a big part once more, a fraction of what hashing it costs.
    """
    data: list[bytes] = []
    for part in parts:
        data += (_LENGTH(len(part)), part)
    return _sha256(b"".join(data)).digest()


_LENGTH = struct.Struct("<Q").pack
_sha256 = hashlib.sha256


def code_digest() -> bytes:
    """Return a digest of paperfolio's own source and the versions of the libraries that shape output."""
    global _code_digest
    if _code_digest is None:
        parts = [sys.version.encode()]
        for path in sorted(PACKAGE.rglob("*.py")):
            parts += [path.relative_to(PACKAGE).as_posix().encode(), path.read_bytes()]
        parts += [name.encode() for name in _library_versions()]
        _code_digest = digest(*parts)
    return _code_digest


def _library_versions() -> list[str]:
    """Return the installed distributions of `LIBRARIES` as `name-version` folder names.

    Reading the folder names is much cheaper than `importlib.metadata`, which would double the start-up
    time of a build that finds nothing to do.
    """
    wanted = {"pyyaml" if name == "yaml" else name for name in LIBRARIES}
    found = []
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")) and name.split("-", 1)[0].lower() in wanted:
                found.append(name)
    return sorted(found)


def value_digest(
    value: Any, known: dict[int, bytes] | None = None, kinds: tuple[type, ...] = (), stood: list | None = None
) -> bytes | None:
    """Return a digest of a value, with objects in `known` (by id) standing for their own digests.

    `kinds`: the types of the objects in `known`. With them, only objects of those types are looked up
    (through the pickler's dispatch table), not every string and number in the value, which makes a
    page context's digest about twice as fast; `stood` (a list) gets one item for each object that
    stood for its digest. Return None for a value that cannot be pickled: a page with such a context is
    always rendered.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5) if kinds or not known else _KnownPickler(buffer, known)
    if known and kinds:

        def by_digest(obj: Any) -> Any:
            found = known.get(id(obj))
            if found is None:
                return obj.__reduce_ex__(5)
            if stood is not None:
                stood.append(found)
            return (_stands_for, (found,))

        pickler.dispatch_table = dict.fromkeys(kinds, by_digest)  # type: ignore[assignment]
    try:
        pickler.dump(value)
    except Exception:  # noqa: BLE001 - any unpicklable value just opts its page out of reuse
        return None
    return hashlib.sha256(buffer.getbuffer()).digest()


class _KnownPickler(pickle.Pickler):
    """A pickler writing an object in `known` (by id) as its digest: a method, since Python 3.13 no longer
    lets an instance's `persistent_id` be set."""

    def __init__(self, file: io.BytesIO, known: dict[int, bytes]) -> None:
        super().__init__(file, protocol=5)
        self.known = known

    def persistent_id(self, obj: Any) -> bytes | None:
        return self.known.get(id(obj))


def _stands_for(found: bytes) -> bytes:
    """What an object known by its digest is pickled as, in `value_digest` (never unpickled)."""
    return found


RACY_NS = 2_000_000_000  # a file changed this soon before it was read may change again with the same stat
FileEntry = tuple[tuple[int, int, int, int], bytes, int]  # (size, mtime, ctime, inode), digest of bytes, when read


def trusted_digest(path: str, last: dict[str, FileEntry], seen: dict[str, FileEntry]) -> bytes | None:
    """Return the digest of a file's bytes: the one read last time when its size, times and inode are the
    same and it had not changed for `RACY_NS` before that read (so a same-stat change is impossible, as
    in git's racy-file rule), else read it now. Record what was used in `seen`; None if unreadable."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not S_ISREG(st.st_mode):
        return None  # a named pipe would block the read; the loader refuses what is not a regular file
    stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)  # no tool can set the ctime back
    entry = last.get(path)
    if entry is not None and entry[0] == stat and entry[2] - max(stat[1], stat[2]) > RACY_NS:
        seen[path] = entry
        return entry[1]
    try:
        with open(path, "rb") as file:
            content = file_digest(file, st.st_size)
    except OSError:
        return None
    seen[path] = (stat, content, time.time_ns())
    return content


CHUNK_BYTES = 1 << 20  # a file bigger than this is hashed a chunk at a time, not read whole into memory


def file_digest(file: io.BufferedReader, size: int) -> bytes:
    """Return `digest(file's bytes)` of an open file that had `size` bytes: a big one a chunk at a time (a
    video of gigabytes under assets/, a paper file far past its limit, was held whole). A file that changed
    size meanwhile (a video still being written) is hashed again, in chunks too, at the size it was read at:
    the length goes first in the digest, so it must be known before the bytes."""
    if size <= CHUNK_BYTES:
        data = file.read(size + 1)  # not `read()`: a file being written may have grown past any size since
        if len(data) <= size:
            return digest(data)
        file.seek(0)  # it grew: hashed in chunks below, at the size it is read at
        del data
    for _ in range(3):
        hashed = _sha256(_LENGTH(size))
        total = 0
        while chunk := file.read(CHUNK_BYTES):
            hashed.update(chunk)
            total += len(chunk)
        if total == size:
            break
        file.seek(0)
        size = total
    # Still changing after three reads: the digest of no one state of the file, which the caller's record of
    # its stat (taken before) never lets a later build trust.
    return hashed.digest()


def files_digest(
    paths: list[Path],
    root: Path,
    each: dict[str, bytes] | None = None,
    *,
    trusted: dict[str, FileEntry] | None = None,
    seen: dict[str, FileEntry] | None = None,
) -> bytes:
    """Return a digest of these files' names (relative to `root`) and bytes; `each` receives every
    readable file's path and the `digest` of its bytes.

    With `trusted` (what an earlier call put in `seen`), a file whose stat is unchanged is not read
    again (see `trusted_digest`); `seen` receives what this call knows of each file.
    """
    last, seen = trusted or {}, seen if seen is not None else {}
    parts = []
    for path in paths:
        parts.append(path.relative_to(root).as_posix().encode())
        content = trusted_digest(str(path), last, seen)
        parts.append(content if content is not None else b"\0unreadable")
        if each is not None and content is not None:
            each[str(path)] = content
    return digest(*parts)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a pickle is read, then restore it as it was.

    Unpickling only creates objects, and every few hundred of them the collector walks the objects
    of the generation they join, finding nothing: at 10,000 papers that made reading back the papers
    a worker loaded three times slower (31 against 10 µs a paper, measured 2026-12-05).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Store:
    """Pickled values in `.paperfolio-cache/`, each tagged with the code digest it was made by."""

    def __init__(self, folder: Path):
        self.folder = folder

    def load(self, name: str) -> Any:
        """Return the value stored under `name`, or None when missing, unreadable or made by other code."""
        try:
            with open(self.folder / f"{name}.pickle", "rb") as file, collector_paused():
                tag, value = pickle.load(file)
        except Exception:  # noqa: BLE001 - a damaged or foreign cache file is a miss, never an error
            return None
        return value if tag == code_digest() else None

    def save(self, name: str, value: Any) -> None:
        """Store `value` under `name` atomically (a half-written cache file is never read)."""
        temp = self.folder / f".{name}.{os.getpid()}.tmp"
        try:
            self.folder.mkdir(exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n") if not (self.folder / ".gitignore").exists() else None
            with open(temp, "wb") as file:
                pickle.dump((code_digest(), value), file, protocol=5)
            os.replace(temp, self.folder / f"{name}.pickle")
        except OSError:  # the cache only saves time; a read-only project, or a full disk, still builds
            with contextlib.suppress(OSError):
                temp.unlink()  # a half-written file on a full disk would hold the space

    def delete(self, name: str) -> None:
        """Forget the value stored under `name`, if there is one."""
        (self.folder / f"{name}.pickle").unlink(missing_ok=True)


class Fragments:
    """Pieces of extra files made from one paper's view alone (its search entry, its feed entry),
    remembered from the last build under the view's key, which stands for everything a view reads.

    `made` holds what this build used, by kind, so the memo keeps one site's pieces and no more. A
    worker process that made pieces hands its `made` back with its files (see `incremental`).
    """

    def __init__(self, keys: dict[str, bytes] | None = None, last: dict[str, dict[bytes, Any]] | None = None):
        self.keys = keys or {}  # slug -> view key; empty without a memo, and nothing is remembered
        self.last = last or {}  # kind -> view key -> piece, from the last build
        self.made: dict[str, dict[bytes, Any]] = {}

    def get(self, kind: str, slug: str, make: Any) -> Any:
        """Return the remembered piece of this kind for this paper's view, or `make()`."""
        key = self.keys.get(slug)
        if key is None:
            return make()
        piece = self.last.get(kind, {}).get(key)
        if piece is None:
            piece = make()
        self.made.setdefault(kind, {})[key] = piece
        return piece

    def merge(self, made: dict[str, dict[bytes, Any]]) -> None:
        """Take in the pieces another process made for this build."""
        for kind, pieces in made.items():
            if pieces is not self.made.get(kind):
                self.made.setdefault(kind, {}).update(pieces)
