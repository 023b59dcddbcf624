"""Spread independent work over the machine's cores with forked worker processes.

The work and its data reach the workers by `fork`, not by pickling: `fork_map` parks them in a module
global just before the pool forks, so a worker reads the parent's site data as it was. Only each
chunk's result travels back, pickled: through the pool's pipe, or through a temporary file when it is
big (`SPILL_BYTES`), so a worker never waits for this process to read it. Where `fork` is missing, or
the work is small, or there is one core, everything runs in this process, with the same results in
the same order.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 100  # below this, starting workers costs more than it saves (pages take about 1 ms each)
Task = Callable[[], Any]
_TASKS: Sequence[Task] | None = None


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


def fork_map(func: Callable[[Sequence[T]], R], items: Sequence[T], *, min_items: int | None = None) -> list[R]:
    """Return `[func(chunk) for chunk in chunks(items)]`, computed by forked workers when that pays."""
    return run_tasks(chunk_tasks(func, items, min_items=min_items))


def chunk_tasks(
    func: Callable[[Sequence[T]], R],
    items: Sequence[T],
    *,
    min_items: int | None = None,
    weight: Callable[[T], int] | None = None,
) -> list[Task]:
    """Return tasks that apply `func` to chunks of `items`: one chunk when the work is small.

    With `weight` (an item's cost, about), items are taken heaviest first into chunks of about equal
    weight, so the workers, which take the next task as they finish one, end together.
    """
    workers = worker_count()
    if workers < 2 or len(items) < (MIN_ITEMS if min_items is None else min_items) or not can_fork():
        return [partial(func, items)] if items else []
    if weight is None:
        # Several chunks per worker balance uneven items (a home page listing every paper is one item).
        size = -(-len(items) // (workers * 4))
        return [partial(func, items[i : i + size]) for i in range(0, len(items), size)]
    weighed = sorted(((weight(item), n, item) for n, item in enumerate(items)), key=lambda w: (-w[0], w[1]))
    share = sum(w for w, _n, _item in weighed) / (workers * 4)
    chunks: list[list[T]] = [[]]
    total = 0
    for w, _n, item in weighed:
        if chunks[-1] and total + w > share:
            chunks.append([])
            total = 0
        chunks[-1].append(item)
        total += w
    return [partial(func, chunk) for chunk in chunks]


def run_tasks(tasks: Sequence[Task], *, serial: bool = False) -> list[Any]:
    """Run zero-argument tasks, in forked workers when there are several; return their results in order.

    Workers take the next task as they finish one, so put the longest tasks first. `serial` runs them
    here, for work too small to pay for starting workers.
    """
    return list(iter_tasks(tasks, serial=serial))


def iter_tasks(tasks: Sequence[Task], *, serial: bool = False) -> Iterator[Any]:
    """Yield the results of `run_tasks` in order as they arrive, so a caller that unpacks each one
    (unpickling a chunk of views, say) never holds every chunk's raw result at once."""
    workers = 1 if serial else min(worker_count(), len(tasks))
    if workers < 2 or not can_fork():
        for task in tasks:
            yield task()
        return
    with _forked_pool(workers, tasks) as (pool, spill):
        for sent in pool.imap(partial(_run_and_send, spill), range(len(tasks)), chunksize=1):
            yield _received(sent)


def beside(there: Task, here: Task) -> tuple[Any, Any]:
    """Return `(there(), here())`, running `there` in a forked worker while this process runs `here`.

    For two halves of work between the parallel stages, where one core would otherwise wait: `here`
    makes what must stay in this process (objects too big to pickle back), `there` what travels well.
    With one core, or without `fork`, both run here.
    """
    if worker_count() < 2 or not can_fork():
        return there(), here()
    with _forked_pool(1, [there]) as (pool, spill):
        pending = pool.apply_async(_run_and_send, (spill, 0))
        mine = here()
        return _received(pending.get()), mine


@contextlib.contextmanager
def _forked_pool(workers: int, tasks: Sequence[Task]) -> Iterator[tuple[Any, str | None]]:
    """Fork a pool of workers that can run `tasks` by number (`_run_and_send`), with a folder for big results."""
    import gc
    import multiprocessing
    import tempfile

    _release_free_memory()
    global _TASKS
    _TASKS = tasks
    # Frozen objects are left alone by the collector, in the workers too: a worker's collections then
    # never write into (and so copy) the pages of the objects it inherited, and this process's later
    # collections skip what it has built up so far. `pipeline.build` unfreezes them when it is done.
    gc.freeze()
    try:
        spill: str | None = tempfile.mkdtemp(prefix="paperfolio-results-")
    except OSError:  # no writable temporary folder: every result comes back through the pipe
        spill = None
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_quiet_signals) as pool:
            yield pool, spill
    finally:
        _TASKS = None
        if spill is not None:
            shutil.rmtree(spill, ignore_errors=True)


def _release_free_memory() -> None:
    """Hand memory that was freed (pickled results already read, say) back to the OS before forking.

    A forked worker starts with the parent's resident pages, so this lowers every worker's peak: about
    40 MB per worker at 10,000 papers. glibc only; elsewhere it does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        pass


def _quiet_signals() -> None:
    """Leave Ctrl-C and termination to the parent: it stops the pool, and no worker prints a traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run_task(number: int) -> Any:
    assert _TASKS is not None, "run_tasks sets the tasks before the pool forks"
    return _TASKS[number]()


# A result this big goes back through a file: through the pool's pipe, a worker that sent 6-11 MB (the
# papers or cards of 1,250 papers) waited 40-100 ms for this process to read it, while the pool's one
# reader was still unpickling the other worker's result.
SPILL_BYTES = 256 * 1024


def _run_and_send(spill: str | None, number: int) -> tuple[bool, bytes | str]:
    """Run a task in a worker; return its pickled result, or the name of the file that holds it."""
    data = pickle.dumps(_run_task(number), protocol=pickle.HIGHEST_PROTOCOL)
    if spill is None or len(data) < SPILL_BYTES:
        return False, data
    path = os.path.join(spill, f"{number}.pickle")
    try:
        with open(path, "wb") as file:
            file.write(data)
    except OSError:  # a full disk, say: the pipe still works
        return False, data
    return True, path


def _received(sent: tuple[bool, bytes | str]) -> Any:
    """Return a result as `_run_and_send` sent it, removing its file."""
    in_file, data = sent
    if in_file:
        with open(data, "rb") as file:
            raw = file.read()
        os.unlink(data)
        return pickle.loads(raw)
    return pickle.loads(data)
