"""Write the site atomically: build a complete new tree beside the old one, then swap it in.

A file whose bytes did not change is hard-linked from the previous site instead of rewritten, so it
keeps its modification time; when nothing at all changed, nothing is written. A build killed at any
point leaves either the previous complete site or the new complete one, never a mix.

The tree a swap replaces is kept beside the site as `.<name>.spare` (hard links, so it costs only the
files that changed) and becomes the next build's staging tree: that build fixes only the files that
differ instead of making every folder and link again, which on a 10,000-paper site is 50,000 disk
operations. It is safe whatever state the spare is in: a build claims it by renaming it, replaces a
file only by renaming a complete new one over it, makes every unchanged file the very same inode as
the current site's, and deletes whatever else it holds before the swap.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import field
from pathlib import Path

from .buildstate import FileStat, stat_outputs
from .cache import digest
from .record import record

# A site paperfolio made has `.nojekyll` (GitHub Pages then publishes it as it is) holding `MARK`; one made
# before the mark, these three files. `.nojekyll` alone was taken for ours, but a hand-made GitHub Pages
# `docs/` folder has one too, and `--output docs` deleted the notes in it for good.
MARK = b"Made by paperfolio: GitHub Pages publishes this folder as it is, without Jekyll.\n"
MARKERS = (".nojekyll", "papers.json", "papers.ris")


class OutputRefused(Exception):
    """The output folder is somewhere paperfolio must not write."""


@record(frozen=True, slots=True)
class WriteReport:
    """What a write changed."""

    written: int
    unchanged: int
    removed: int
    paths: tuple[str, ...] = ()  # the files written

    @property
    def touched(self) -> bool:
        """Return whether the output folder changed at all."""
        return bool(self.written or self.removed)


def check_output_dir(out: Path, root: Path) -> None:
    """Refuse an output folder that holds the project, its sources, or files paperfolio did not make."""
    out, root = out.resolve(), root.resolve()
    if out == root or root.is_relative_to(out):
        raise OutputRefused(f"refusing to build into {out}: it contains the project folder")
    for name in ("content", "layouts", "assets", "static", ".git", ".paperfolio-cache"):
        # The next build would read the site as sources: under assets/ it was copied into itself, each
        # build doubling it.
        if out.is_relative_to(root / name):
            raise OutputRefused(f"refusing to build into {out}: it is inside the project's `{name}/`")
    ours = made_by_paperfolio(out)
    for name in ("content", "layouts", ".git"):
        # (A built site has its own `assets/`: a folder we did not make is refused below, saying so.)
        if (out / name).exists() and out != root / "site":
            raise OutputRefused(f"refusing to build into {out}: it contains `{name}/`")
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"refusing to build into {out}: it is a file")
    _check_writable(out)
    if out.is_dir() and not ours and any(out.iterdir()):
        raise OutputRefused(
            f"refusing to replace {out}: it is not empty and was not made by paperfolio (no .nojekyll of "
            "paperfolio's); remove it or choose another --output"
        )


def made_by_paperfolio(out: Path) -> bool:
    """Return whether `out` holds a site paperfolio made: its `.nojekyll` holds `MARK` (whatever else was
    deleted from it by hand), or, made before the mark, it has every one of `MARKERS`."""
    try:
        with open(out / ".nojekyll", "rb") as marker:
            if marker.read(len(MARK)) == MARK:
                return True
    except OSError:
        return False
    return all((out / name).is_file() for name in MARKERS)


def _check_writable(out: Path) -> None:
    """Refuse an output folder that cannot be made: the build makes its tree beside it (a file where a
    folder must be, a system folder such as /proc, no permission), before any work."""
    folder = out.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise OutputRefused(f"refusing to build into {out}: {folder} is a file")
    probe = folder / f".{out.name}.probe-{os.getpid()}"
    try:
        os.mkdir(probe)
        os.rmdir(probe)
    except OSError as error:
        raise OutputRefused(f"cannot build into {out}: cannot make a folder in {folder}: {error.strerror}") from None


def lock_path(out: Path) -> Path:
    """Return the file whose lock a build of `out` holds (beside it, with the spare tree)."""
    return out.parent / f".{out.name}.lock"


@contextlib.contextmanager
def output_lock(out: Path, *, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock for one build: builds of one folder run one after another.

    Two at once (a second terminal, a script, `serve --output` on the same folder) each took the other's staging
    tree for a killed build's leftovers (`recover`) and deleted it; the loser ended in a traceback. The lock
    is `flock` on `.<name>.lock` beside the folder, which the system lets go when the process ends, however
    it ends: a killed build never leaves it held. A build that finds it held calls `waiting` with the
    holder's process id (the lock file holds it) and waits its turn, so its site is built from the
    sources as they are then. Forked workers share the lock and it is released explicitly, so a worker
    still ending keeps nobody waiting. Where `flock` is missing (Windows) or the file system refuses it,
    builds are not serialised.
    """
    try:
        import fcntl
    except ImportError:  # not Unix
        yield
        return
    path = lock_path(out.resolve())  # one lock whatever the spelling (`site`, `./site`, a link to it)
    os.makedirs(path.parent, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        locked = True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting(os.pread(fd, 32, 0).decode("ascii", "replace").strip())
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks (some network mounts): build unlocked
            locked = False
        if locked:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            if locked:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def recover(out: Path) -> None:
    """Finish or undo a swap that a killed build left half done, and remove abandoned staging trees."""
    parent = out.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{out.name}.old-*"))
    if olds and not out.exists():
        os.rename(olds[-1], out)
        olds = olds[:-1]
    for leftover in olds + sorted(parent.glob(f".{out.name}.staging-*")):
        shutil.rmtree(leftover, ignore_errors=True)
    if _FREEING is None or not _FREEING.is_alive():  # links a killed `serve` left (see `_write_in_place`)
        shutil.rmtree(parent / f".{out.name}.freeing", ignore_errors=True)


class Staging:
    """The new site's tree beside `out`, filled one file at a time (by forked workers too) before the swap.

    Each file goes to disk as soon as it is made, so no process holds the whole site's bytes; a file
    whose bytes equal the current site's is hard-linked from it instead, keeping its modification time.
    """

    def __init__(self, out: Path, sizes: dict[str, int] | None = None):
        """`sizes`: the current site's files and sizes, when the caller has just looked at them all."""
        self.out = out.resolve()
        recover(self.out)
        self.old = sizes if sizes is not None else _existing_files(self.out)
        self.path = self.out.parent / f".{self.out.name}.staging-{os.getpid()}"
        shutil.rmtree(self.path, ignore_errors=True)
        self.reused = _claim(spare_path(self.out), self.path)  # the last build's old tree, if there is one
        self._out, self._path = str(self.out), str(self.path)
        self._dirs: set[str] = set()  # folders (site paths) known to exist in the staging tree

    def put(self, name: str, data: bytes) -> bool:
        """Stage one file; return whether its bytes differ from the current site's."""
        # Paths are strings here, not `Path`s: a 10,000-paper build stages 40,000 files.
        try:
            target = self._parent(name)
            if _same(self._out, name, data, self.old.get(name)):
                self.link(name)
                return False
            if self.reused:
                _replace(target, data)
            else:
                write_file(target, data)
        except OSError as error:  # a full disk, say: named by the file it stopped at, as the site will have it
            raise OSError(error.errno, error.strerror, os.path.join(self._out, name)) from None
        return True

    def put_copy(self, name: str, source: Path) -> bool:
        """Stage a copy of a file (a big asset), file to file, never held in memory; return whether its bytes
        differ from the current site's."""
        try:
            target = self._parent(name)
            if _same_file(self._out, name, source, self.old.get(name)):
                self.link(name)
                return False
            if self.reused:  # never into `target`, which may be a hard link to the live site's file (`_replace`)
                temp = _temp(target)
                shutil.copyfile(source, temp)
                _replace_with(temp, target)
            else:
                shutil.copyfile(source, target)
        except OSError as error:
            raise OSError(error.errno, error.strerror, os.path.join(self._out, name)) from None
        return True

    def link(self, name: str) -> None:
        """Stage the current site's file as it is (the same inode, so it keeps its modification time)."""
        source, target = os.path.join(self._out, name), self._parent(name)
        if self.reused:
            try:
                if os.path.samefile(source, target):
                    return
            except OSError:
                pass
            temp = _temp(target)
            _link_or_copy(source, temp)
            _replace_with(temp, target)
        else:
            _link_or_copy(source, target)

    def put_all(self, files: dict[str, bytes] | Iterable[tuple[str, bytes]]) -> dict[str, bool]:
        """Stage these files (a dict, or (name, bytes) pairs made one at a time); return name -> whether it changed."""
        pairs = files.items() if isinstance(files, dict) else files
        return {name: self.put(name, data) for name, data in pairs}

    def prune(self, names: set[str]) -> None:
        """Delete whatever a reused tree holds besides these files (and folders left empty)."""
        if self.reused:
            _prune(str(self.path), "", names)

    def discard(self, error: BaseException | None = None) -> None:
        """Set the staged tree aside (a failed build leaves the current site as it was): kept as the spare,
        unless the build failed on the system's side (`error` an `OSError`: a full disk, say), where a
        half-filled tree would hold on to the space the next build needs, and is deleted."""
        if isinstance(error, OSError):
            shutil.rmtree(self.path, ignore_errors=True)
        else:
            _keep_as_spare(self.path, self.out)

    def _parent(self, name: str) -> str:
        """Make the folder that holds `name` in the staging tree (once); return the file's path."""
        folder = name.rpartition("/")[0]
        if folder not in self._dirs:
            try:
                if folder and folder.rpartition("/")[0] in self._dirs:  # its parent is made: one `mkdir`
                    _make_folder(os.path.join(self._path, folder))
                else:
                    parts = folder.split("/") if folder else []
                    for end in range(len(parts) + 1):  # the tree's top, then each folder down to it
                        if "/".join(parts[:end]) not in self._dirs:
                            _make_folder(os.path.join(self._path, *parts[:end]))
            except (FileExistsError, NotADirectoryError):  # a reused tree has a file where a folder now goes
                for parent in reversed(Path(name).parents):
                    if (self.path / parent).is_file():
                        (self.path / parent).unlink()
                os.makedirs(os.path.join(self._path, folder), exist_ok=True)
            while folder not in self._dirs:  # it and every folder above it now exist
                self._dirs.add(folder)
                folder = folder.rpartition("/")[0]
        return f"{self._path}/{name}"  # names are site paths, with forward slashes


def _make_folder(path: str) -> None:
    """`os.makedirs(path, exist_ok=True)` for a folder whose parent exists: without its look at the
    parent and its path splitting (a 1,000-paper site stages 1,500 folders, most of them one per page).
    A symbolic link where the folder goes (put into the site by hand, and so into the spare tree) is
    replaced by a folder: files written through it landed wherever it pointed."""
    try:
        os.mkdir(path)
    except FileExistsError:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            os.unlink(path)
            os.mkdir(path)
        elif not stat.S_ISDIR(mode):
            raise


def spare_path(out: Path) -> Path:
    """Return where the tree replaced by the last swap is kept for the next build."""
    return out.parent / f".{out.name}.spare"


def _claim(spare: Path, path: Path) -> bool:
    """Take the spare tree as this build's staging tree; return False if there is none (or another took it)."""
    if spare.is_symlink() or not spare.is_dir():
        return False
    try:
        os.rename(spare, path)
    except OSError:
        return False
    return True


def _keep_as_spare(tree: Path, out: Path) -> None:
    """Keep a tree that is no longer the site as the next build's staging tree, or delete it."""
    spare = spare_path(out)
    if not tree.exists():
        return
    if spare.exists():
        shutil.rmtree(tree, ignore_errors=True)
        return
    try:
        os.rename(tree, spare)
    except OSError:
        shutil.rmtree(tree, ignore_errors=True)


def _temp(target: str) -> str:
    folder, _, base = target.rpartition("/")
    return f"{folder}/.{base}.{os.getpid()}.tmp"


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def write_file(path: str, data: bytes) -> None:
    """Write bytes to a file, creating or truncating it: `open(path, "wb")` without the buffered file
    object, 7 instead of 10-19 µs a small page on this machine's tmpfs (40,000 files at 10,000 papers)."""
    fd = os.open(path, _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _replace(target: str, data: bytes) -> None:
    """Put new bytes at `target` by renaming a complete file over it: never by writing into it, since
    in a reused tree it may be a hard link to the live site's file."""
    temp = _temp(target)
    write_file(temp, data)
    _replace_with(temp, target)


def _replace_with(temp: str, target: str) -> None:
    if os.path.isdir(target) and not os.path.islink(target):
        shutil.rmtree(target)
    os.replace(temp, target)


def write_site(
    out: Path,
    files: dict[str, bytes],
    *,
    kept: Iterable[str] = (),
    in_place: bool = False,
    staging: Staging | None = None,
    staged: dict[str, bool] | None = None,
    sizes: dict[str, int] | None = None,
    ledger: Ledger | None = None,
) -> WriteReport:
    """Make `out` hold exactly `files` (site-relative path -> bytes) plus the `kept` files it already has.

    The new tree is staged beside `out` and swapped in, so the change is atomic. `staging` may already
    hold files (`staged`: name -> changed) that workers wrote there. With `in_place`, the few changed
    files are each replaced atomically instead (fast, for `serve`). `sizes`: the current files and their
    sizes, when the caller has just looked at them all; without them, an in-place write takes them from
    the `ledger` (what is known of the files' bytes, so an unchanged file need not be read to be compared).
    """
    if staging is not None:
        return _finish_staging(staging, files, kept, staged or {})
    out = out.resolve()
    recover(out)
    if sizes is None and ledger is not None:  # `serve`: the ledger knows every file it left (stat[0] is the size)
        stats = ledger.stats
        old_names, old_size = stats.keys(), lambda name: stats[name][0] if name in stats else None
    else:
        sizes = sizes if sizes is not None else _existing_files(out)
        old_names, old_size = sizes.keys(), sizes.get
    kept = set(kept)
    known = ledger.same if ledger is not None else lambda name, data: False
    same = lambda name, data: known(name, data) or _same(out, name, data, old_size(name))  # noqa: E731
    changed = [name for name, data in files.items() if not same(name, data)]
    removed = list(old_names - files.keys() - kept)
    if out.exists() and not changed and not removed:
        return WriteReport(0, len(files) + len(kept), 0)
    if in_place and out.is_dir():
        _write_in_place(out, {name: files[name] for name in changed}, removed)
        return WriteReport(len(changed), len(files) + len(kept) - len(changed), len(removed), tuple(sorted(changed)))
    new = Staging(out)
    try:
        return _finish_staging(new, files, kept, {})
    except BaseException as error:
        new.discard(error)
        raise


def _finish_staging(
    staging: Staging, files: dict[str, bytes], kept: Iterable[str], staged: dict[str, bool]
) -> WriteReport:
    """Stage the remaining files, link the kept ones, then swap the tree in unless nothing changed."""
    out, kept = staging.out, set(kept)
    changed = [name for name, is_new in {**staged, **staging.put_all(files)}.items() if is_new]
    for name in sorted(kept):
        staging.link(name)
    names = staged.keys() | files.keys() | kept
    total = len(names)
    removed = [name for name in staging.old if name not in staged and name not in files and name not in kept]
    if out.exists() and not changed and not removed:
        staging.discard()
        return WriteReport(0, total, 0)
    staging.prune(names)
    _swap(staging.path, out)
    return WriteReport(len(changed), total - len(changed), len(removed), tuple(sorted(changed)))


def _write_in_place(out: Path, changed: dict[str, bytes], removed: list[str]) -> None:
    """Replace each changed file atomically (temp file beside it, then rename) and delete removed ones.

    The file each rename replaces is kept by a second link, in `.<out>.freeing` beside the output
    folder, until every new file is in place; a thread then unlinks those links: freeing a replaced
    file's blocks took about 1 ms a megabyte on this machine's disk (a `serve` edit at 1,000 papers
    replaces 13 MB), and nothing waits for it. The output folder never holds an extra file.
    """
    global _FREEING
    if _FREEING is not None:
        _FREEING.join()  # the last build's replaced files are gone before this build's take their names
    keeping = str(out.parent / f".{out.name}.freeing")
    replaced: list[str] = []
    folders: set[str] = set()  # made or known to be there (strings: `Path` cost more than the writes)
    for number, (name, data) in enumerate(sorted(changed.items())):
        target = os.path.join(out, name)
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        temp = _temp(target)
        write_file(temp, data)
        old = os.path.join(keeping, str(number))
        try:
            if keeping not in folders:
                os.makedirs(keeping, exist_ok=True)
                folders.add(keeping)
            os.link(target, old)
            replaced.append(old)
        except OSError:  # no such file yet, or no hard links here: the rename frees it, as it would
            pass
        os.replace(temp, target)
    if replaced:
        _FREEING = threading.Thread(target=_unlink_all, args=(replaced, keeping), name="paperfolio-free")
        _FREEING.start()  # not a daemon: the interpreter waits for it at exit, so nothing is left
    for name in sorted(removed):
        (out / name).unlink(missing_ok=True)
        parent = (out / name).parent
        while parent != out and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


_FREEING: threading.Thread | None = None  # the thread unlinking the files the last in-place write replaced


def _unlink_all(paths: list[str], folder: str) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
    with contextlib.suppress(OSError):
        os.rmdir(folder)


def _prune(folder: str, prefix: str, names: set[str]) -> bool:
    """Delete the files under `folder` whose site path is not in `names`, and folders left empty;
    return whether `folder` is empty now."""
    empty = True
    with os.scandir(folder) as entries:
        for entry in entries:
            name = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if _prune(entry.path, name + "/", names):
                    os.rmdir(entry.path)
                else:
                    empty = False
            elif name in names:
                empty = False
            else:
                os.unlink(entry.path)
    return empty


def _existing_files(out: Path) -> dict[str, int]:
    """Return the files of the current site with their sizes."""
    return {name: stat[0] for name, stat in stat_outputs(out).items()}


# Above this size a file is compared with the one on disk byte for byte instead of by digest: reading 8.5 MB
# from the page cache and comparing takes about 1.7 ms here, hashing it with SHA-256 5-7 ms.
LEDGER_MAX = 64 * 1024


@record
class Ledger:
    """The digest of each file's bytes as a build left it, with the file's (size, mtime, inode) then.

    A file whose stat is still the recorded one still holds the recorded bytes, so comparing new bytes
    with it needs their digest, not a read of the file (`serve` compares thousands of citation files
    after every edit). A file changed by anyone else has another stat and is read as before.
    """

    entries: dict[str, tuple[FileStat, bytes]]  # name -> (stat, digest of the bytes; b"" above `LEDGER_MAX`)
    stats: dict[str, FileStat]  # the output folder's files as they are now
    digests: dict[str, bytes] = field(default_factory=dict)  # name -> digest of the bytes last compared

    def same(self, name: str, data: bytes) -> bool:
        """Return True only when the file is known to hold exactly `data`. A big file is never known: it
        is compared by reading it (`_same`), which costs a third of hashing it or less (`LEDGER_MAX`)."""
        if len(data) > LEDGER_MAX:
            return False
        entry = self.entries.get(name)
        if entry is None or self.stats.get(name) != entry[0]:
            return False
        found = self.digests[name] = digest(data)  # kept for the next build's ledger
        return found == entry[1]

    def entries_after(
        self, files: dict[str, bytes], kept: Iterable[str], stats: dict[str, FileStat]
    ) -> dict[str, tuple[FileStat, bytes]]:
        """Return the next build's ledger: each of these files' stat after the write, with its digest, and
        the entries of the kept files, which were left as they were."""
        entries = {name: self.entries[name] for name in kept if name in self.entries and name in stats}
        entries.update(
            (name, (stats[name], self.digests.get(name) or (digest(data) if len(data) <= LEDGER_MAX else b"")))
            for name, data in files.items()
            if name in stats
        )
        return entries


def _same(out: str | Path, name: str, data: bytes, size: int | None) -> bool:
    """Return whether the old site already has exactly these bytes at this path, whose file has `size`
    bytes (None: no such file); the size first, then the bytes."""
    if size != len(data):
        return False
    try:
        with open(os.path.join(out, name), "rb") as file:
            return file.read() == data
    except OSError:
        return False


def _same_file(out: str | Path, name: str, source: Path, size: int | None) -> bool:
    """Return whether the old site already has exactly the bytes of file `source` at this path (`_same` for a big
    file, compared chunk by chunk without holding it); False when the site's file cannot be read, as `_same` says
    (deleted by hand after the site was listed: the build stages a copy instead of stopping)."""
    import filecmp  # only a site with big files needs it

    try:
        return size == os.path.getsize(source) and filecmp.cmp(source, os.path.join(out, name), shallow=False)
    except OSError:
        return False


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _swap(staging: Path, out: Path) -> None:
    """Put the staging tree in place of `out`: one atomic exchange where the OS has it, else two renames."""
    if out.exists():
        if _exchange(staging, out):
            _keep_as_spare(staging, out)  # it now holds the previous site
            return
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.rename(out, old)
        os.rename(staging, out)  # a kill between these two renames is repaired by `recover`
        _keep_as_spare(old, out)
    else:
        os.rename(staging, out)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux renameat2(RENAME_EXCHANGE); return False where unsupported."""
    if sys.platform != "linux":
        return False
    try:
        import ctypes  # here, not at the top: a first build into an empty folder never swaps (3 ms of start-up)

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0
