"""Spread independent work over the machine's cores with forked worker processes.

The work and its data reach the workers by `fork`, not by pickling: `fork_map` parks them in a module
global just before the pool forks, so a worker reads the parent's site data as it was. Only each
chunk's result travels back, pickled. Where `fork` is missing, or the work is small, or there is one
core, everything runs in this process, with the same results in the same order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 400  # below this, starting workers costs more than it saves
_WORK: tuple[Callable[[Sequence[Any]], Any], list[Sequence[Any]]] | None = None


def worker_count() -> int:
    """Return how many workers to use: the cores this process may run on, or `PAPERFOLIO_JOBS`."""
    wanted = os.environ.get("PAPERFOLIO_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Return whether worker processes can inherit this one's memory."""
    if not hasattr(os, "fork"):
        return False
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def fork_map(func: Callable[[Sequence[T]], R], items: Sequence[T], *, min_items: int = MIN_ITEMS) -> list[R]:
    """Return `[func(chunk) for chunk in chunks(items)]`, computed by forked workers when that pays."""
    workers = min(worker_count(), max(1, len(items) // max(1, min_items // 4)))
    if workers < 2 or len(items) < min_items or not can_fork():
        return [func(items)] if items else []
    import multiprocessing

    # Several chunks per worker balance uneven pages (a home page listing every paper is one item).
    count = workers * 4
    size = -(-len(items) // count)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    global _WORK
    _WORK = (func, chunks)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_run_chunk, range(len(chunks)), chunksize=1)
    finally:
        _WORK = None


def _run_chunk(number: int) -> Any:
    assert _WORK is not None, "fork_map's work is set before the pool forks"
    func, chunks = _WORK
    return func(chunks[number])
