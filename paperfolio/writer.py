"""Write the site atomically: build a complete new tree beside the old one, then swap it in.

A file whose bytes did not change is hard-linked from the previous site instead of rewritten, so it
keeps its modification time; when nothing at all changed, nothing is written. A build killed at any
point leaves either the previous complete site or the new complete one, never a mix.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

MARKER = ".nojekyll"  # every paperfolio site has it; a folder without it is not ours to replace


class OutputRefused(Exception):
    """The output folder is somewhere paperfolio must not write."""


@dataclass(frozen=True, slots=True)
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
    ours = (out / MARKER).exists()
    for name in ("content", "layouts", "assets", ".git"):
        # A built site has its own `assets/`, so that name alone only refuses a folder we did not make.
        if name == "assets" and ours:
            continue
        if (out / name).exists() and out != root / "site":
            raise OutputRefused(f"refusing to build into {out}: it contains `{name}/`")
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"refusing to build into {out}: it is a file")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputRefused(
            f"refusing to replace {out}: it is not empty and was not made by paperfolio (no {MARKER}); "
            "remove it or choose another --output"
        )


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


class Staging:
    """The new site's tree beside `out`, filled one file at a time (by forked workers too) before the swap.

    Each file goes to disk as soon as it is made, so no process holds the whole site's bytes; a file
    whose bytes equal the current site's is hard-linked from it instead, keeping its modification time.
    """

    def __init__(self, out: Path):
        self.out = out.resolve()
        recover(self.out)
        self.old = _existing_files(self.out)
        self.path = self.out.parent / f".{self.out.name}.staging-{os.getpid()}"
        shutil.rmtree(self.path, ignore_errors=True)
        self._dirs: set[Path] = set()

    def put(self, name: str, data: bytes) -> bool:
        """Stage one file; return whether its bytes differ from the current site's."""
        target = self.path / name
        if target.parent not in self._dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(target.parent)
        if _same(self.out, name, data, self.old):
            _link_or_copy(self.out / name, target)
            return False
        target.write_bytes(data)
        return True

    def put_all(self, files: dict[str, bytes]) -> dict[str, bool]:
        """Stage these files; return name -> whether it changed."""
        return {name: self.put(name, data) for name, data in files.items()}

    def discard(self) -> None:
        """Remove the staged tree (a failed build leaves the current site as it was)."""
        shutil.rmtree(self.path, ignore_errors=True)


def write_site(
    out: Path,
    files: dict[str, bytes],
    *,
    kept: Iterable[str] = (),
    in_place: bool = False,
    staging: Staging | None = None,
    staged: dict[str, bool] | None = None,
) -> WriteReport:
    """Make `out` hold exactly `files` (site-relative path -> bytes) plus the `kept` files it already has.

    The new tree is staged beside `out` and swapped in, so the change is atomic. `staging` may already
    hold files (`staged`: name -> changed) that workers wrote there. With `in_place`, the few changed
    files are each replaced atomically instead (fast, for `serve`).
    """
    if staging is not None:
        return _finish_staging(staging, files, kept, staged or {})
    out = out.resolve()
    recover(out)
    old = _existing_files(out)
    kept = set(kept)
    changed = [name for name, data in files.items() if not _same(out, name, data, old)]
    removed = [name for name in old if name not in files and name not in kept]
    if out.exists() and not changed and not removed:
        return WriteReport(0, len(files) + len(kept), 0)
    if in_place and out.is_dir():
        _write_in_place(out, {name: files[name] for name in changed}, removed)
        return WriteReport(len(changed), len(files) + len(kept) - len(changed), len(removed), tuple(sorted(changed)))
    staging = out.parent / f".{out.name}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    changed_set = set(changed)
    made_dirs: set[Path] = set()
    for name in sorted(files.keys() | kept):
        target = staging / name
        if target.parent not in made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(target.parent)
        if name in changed_set:
            target.write_bytes(files[name])
        else:
            _link_or_copy(out / name, target)
    _swap(staging, out)
    return WriteReport(len(changed), len(files) + len(kept) - len(changed), len(removed), tuple(sorted(changed)))


def _finish_staging(
    staging: Staging, files: dict[str, bytes], kept: Iterable[str], staged: dict[str, bool]
) -> WriteReport:
    """Stage the remaining files, link the kept ones, then swap the tree in unless nothing changed."""
    out, kept = staging.out, set(kept)
    changed = [name for name, is_new in {**staged, **staging.put_all(files)}.items() if is_new]
    for name in sorted(kept):
        target = staging.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(out / name, target)
    total = len(staged.keys() | files.keys() | kept)
    removed = [name for name in staging.old if name not in staged and name not in files and name not in kept]
    if out.exists() and not changed and not removed:
        staging.discard()
        return WriteReport(0, total, 0)
    _swap(staging.path, out)
    return WriteReport(len(changed), total - len(changed), len(removed), tuple(sorted(changed)))


def _write_in_place(out: Path, changed: dict[str, bytes], removed: list[str]) -> None:
    """Replace each changed file atomically (temp file beside it, then rename) and delete removed ones."""
    for name, data in sorted(changed.items()):
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.parent / f".{target.name}.{os.getpid()}.tmp"
        temp.write_bytes(data)
        os.replace(temp, target)
    for name in sorted(removed):
        (out / name).unlink(missing_ok=True)
        parent = (out / name).parent
        while parent != out and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def _existing_files(out: Path) -> dict[str, int]:
    """Return the files of the current site with their sizes."""
    result: dict[str, int] = {}
    if not out.is_dir():
        return result
    for dirpath, _dirs, names in os.walk(out):
        base = Path(dirpath)
        for name in names:
            path = base / name
            result[path.relative_to(out).as_posix()] = path.stat().st_size
    return result


def _same(out: Path, name: str, data: bytes, old: dict[str, int]) -> bool:
    """Return whether the old site already has exactly these bytes at this path (size first, then bytes)."""
    if old.get(name) != len(data):
        return False
    try:
        return (out / name).read_bytes() == data
    except OSError:
        return False


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _swap(staging: Path, out: Path) -> None:
    """Put the staging tree in place of `out`: one atomic exchange where the OS has it, else two renames."""
    if out.exists():
        if _exchange(staging, out):
            shutil.rmtree(staging, ignore_errors=True)  # it now holds the previous site
            return
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.rename(out, old)
        os.rename(staging, out)  # a kill between these two renames is repaired by `recover`
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(staging, out)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux renameat2(RENAME_EXCHANGE); return False where unsupported."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0
