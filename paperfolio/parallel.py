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
import struct
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any, TypeVar

from .cache import collector_paused

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 100  # below this, starting workers costs more than it saves (pages take about 1 ms each)
Task = Callable[[], Any]
_TASKS: Sequence[Task] | None = None


def worker_count() -> int:
    """Return how many workers to use: the cores this process may run on, or `PAPERFOLIO_JOBS`."""
    wanted = os.environ.get("PAPERFOLIO_JOBS", "").strip()  # `cli.main` refuses any other value
    if wanted.isdigit() and wanted.isascii() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Return whether worker processes can inherit this one's memory (`multiprocessing` says the same:
    its fork method exists wherever `os.fork` does)."""
    return hasattr(os, "fork")


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
        # Several chunks per worker balance uneven items, and they get smaller towards the end (down to a
        # thirty-second of a worker's share, or four items), so the workers, which take the next chunk as they
        # finish one, end together: a worker slowed by another process (the one compiling layouts) takes fewer.
        largest, n = -(-len(items) // (workers * 4)), len(items)
        smallest = min(largest, max(4, n // (workers * 32)))
        chunks, start = [], 0
        while start < n:
            size = min(largest, max(smallest, (n - start) // (workers * 2)))
            chunks.append(partial(func, items[start : start + size]))
            start += size
        return chunks
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
    with _Workers(workers - 1, tasks, helping=True) as pool:
        yield from pool.results()


class Background:
    """Tasks running in one forked worker while this process goes on, for as long as it likes: `results`
    waits for them (and raises what one raised, or a `RuntimeError` if the worker died); with `helping`,
    this process runs the tasks the worker has not started by then itself. `close` stops the worker if
    it still runs and reaps it."""

    def __init__(self, tasks: Sequence[Task], *, helping: bool = False):
        self._pool: _Workers | None = _Workers(1, tasks, helping=helping)

    @property
    def pid(self) -> int | None:
        """The worker's process id, until it is closed."""
        return next(iter(self._pool.pids.values()), None) if self._pool is not None else None

    def results(self) -> list[Any]:
        """Wait for the tasks' results and return them, in the order of the tasks."""
        if self._pool is None:
            raise RuntimeError("the background tasks were closed")
        return list(self._pool.results())

    def close(self) -> None:
        """Stop the worker if it still runs, and wait for it to end."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None


# What a worker sends back for each task: a header (task number, kind, payload length), then the payload.
_HEADER = struct.Struct("<IBQ")
_PICKLED, _IN_FILE, _FAILED = 0, 1, 2  # the payload: the pickled result, the name of its file, the exception
_LOCAL, _LOCAL_FAILED = 3, 4  # never sent: a result, or an exception, of a task this process ran
PIPE_BYTES = 1 << 20  # each worker's result pipe, where the system allows: results below SPILL_BYTES never wait


class _Workers:
    """Forked workers that run `tasks` by number, each taking the next number as it finishes a task.

    Written on `os.fork` and pipes rather than `multiprocessing.Pool`, whose import, three helper
    threads and shutdown cost 8-15 ms per pool (measured 2026-12-04; a build forks up to four), against
    about 1 ms per fork here. The numbers wait in one pipe that every worker reads four bytes at a time
    (a pipe read is atomic); each worker writes its results to a pipe of its own, which this process
    reads as they come and hands on in order. A worker that dies (killed, out of memory) closes its
    pipe, and the tasks it held are reported, not waited for.

    With `helping` (`run_tasks`), this process takes numbers from the same pipe whenever no result is
    waiting to be read, so one core's share of the work is done here, with no fork, no copied pages
    and no pickling: a pool for two cores forks one worker.
    """

    def __init__(self, workers: int, tasks: Sequence[Task], *, helping: bool = False):
        import fcntl  # Unix only, as `fork` is
        import gc
        import tempfile

        _release_free_memory()
        global _TASKS
        _TASKS = self.tasks = tasks  # the workers run them from the global; this process, from its own pool's
        self.count = len(tasks)
        self.pids: dict[int, int] = {}  # read end of a worker's result pipe -> its process id
        self.todo: int | None = None  # with `helping`, the numbers' pipe, from which this process takes tasks too
        # Frozen objects are left alone by the collector, in the workers too: a worker's collections then
        # never write into (and so copy) the pages of the objects it inherited, and this process's later
        # collections skip what it has built up so far. `pipeline.build` unfreezes them when it is done.
        gc.freeze()
        try:
            self.spill: str | None = tempfile.mkdtemp(prefix="paperfolio-results-")
        except OSError:  # no writable temporary folder: every result comes back through the pipe
            self.spill = None
        numbers = b"".join(n.to_bytes(4, "little") for n in range(self.count))
        todo_read, todo_write = os.pipe()
        try:
            if len(numbers) > 65536:  # more than a pipe holds by default: every number must fit before any fork
                fcntl.fcntl(todo_write, fcntl.F_SETPIPE_SZ, len(numbers))  # Linux; `chunk_tasks` makes dozens
            os.write(todo_write, numbers)
        finally:
            os.close(todo_write)
        sys.stdout.flush()  # else a worker would inherit, and could print, what this process has not yet
        sys.stderr.flush()
        try:
            for _ in range(workers):
                read, write = os.pipe()
                with contextlib.suppress(OSError, AttributeError):  # a smaller pipe (or not Linux) works, only slower
                    fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
                pid = os.fork()
                if pid == 0:  # the worker: it never returns from here
                    _work(todo_read, write, self.spill, [read, *self.pids])
                os.close(write)
                self.pids[read] = pid
        except BaseException:
            os.close(todo_read)
            self.close()
            raise
        if helping:
            self.todo = todo_read
        else:
            os.close(todo_read)

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_exc: object) -> None:
        self.close(finished=kind is None)

    def results(self) -> Iterator[Any]:
        """Yield each task's result in the order of the tasks; raise what a task raised."""
        import select

        arrived: dict[int, tuple[int, Any]] = {}
        buffers = {fd: bytearray() for fd in self.pids}
        poller = select.poll()
        for fd in self.pids:
            poller.register(fd, select.POLLIN)
        for number in range(self.count):
            while number not in arrived:
                if self.todo is not None and not poller.poll(0):
                    # Nothing to read yet: this process runs the next task itself. Its result needs no
                    # pickling, and one fewer worker means one fewer copy of the pages they write to.
                    raw = os.read(self.todo, 4)
                    if raw:
                        mine = int.from_bytes(raw, "little")
                        try:
                            arrived[mine] = (_LOCAL, self.tasks[mine]())
                        except Exception as error:  # noqa: BLE001 - raised in its turn, as a worker's would be
                            arrived[mine] = (_LOCAL_FAILED, error)
                        continue
                    os.close(self.todo)  # every task is taken
                    self.todo = None
                if not buffers:
                    raise RuntimeError(
                        "a worker process ended before it finished its tasks (killed, or out of memory?)"
                    )
                for fd, _event in poller.poll():
                    chunk = os.read(fd, PIPE_BYTES)
                    if not chunk:  # the worker is gone
                        poller.unregister(fd)
                        del buffers[fd]
                        continue
                    buffer = buffers[fd]
                    buffer += chunk
                    while len(buffer) >= _HEADER.size:
                        done, kind, size = _HEADER.unpack_from(buffer)
                        if len(buffer) < _HEADER.size + size:
                            break
                        arrived[done] = (kind, bytes(buffer[_HEADER.size : _HEADER.size + size]))
                        del buffer[: _HEADER.size + size]
            kind, payload = arrived.pop(number)
            if kind == _LOCAL:
                yield payload
                continue
            if kind == _LOCAL_FAILED:
                raise payload
            if kind == _FAILED:
                raise pickle.loads(payload)
            yield _received((kind == _IN_FILE, payload.decode() if kind == _IN_FILE else payload))

    def close(self, *, finished: bool = False) -> None:
        """Let the workers go: once every result came back (`finished`) they are ending by themselves and
        are not waited for (a big worker takes milliseconds to end); else they are stopped, and waited for."""
        import signal

        global _TASKS
        if self.todo is not None:
            os.close(self.todo)
            self.todo = None
        _reap(wait=False)
        for fd, pid in self.pids.items():
            with contextlib.suppress(OSError):
                os.close(fd)  # a worker still writing gets EPIPE and ends
            if finished:
                _UNREAPED.append(pid)
                continue
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self.pids = {}
        _TASKS = None
        if self.spill is not None:
            shutil.rmtree(self.spill, ignore_errors=True)
            self.spill = None


_UNREAPED: list[int] = []  # workers that were ending when their pool closed: reaped by the next one


def _reap(*, wait: bool) -> None:
    """Collect the exit status of ended workers, so none stays a zombie in a long `serve`."""
    for pid in list(_UNREAPED):
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, 0 if wait else os.WNOHANG) == (0, 0):
                continue
        _UNREAPED.remove(pid)


def _work(todo: int, out: int, spill: str | None, inherited: list[int]) -> None:
    """Run tasks in a worker until none is left, sending each result back; then end the process."""
    status = 1
    try:
        for fd in inherited:  # the read ends of the result pipes, this worker's and the earlier workers'
            os.close(fd)
        _quiet_signals()
        while raw := os.read(todo, 4):
            number = int.from_bytes(raw, "little")
            try:
                in_file, data = _run_and_send(spill, number)
                kind, payload = (_IN_FILE, data.encode()) if in_file else (_PICKLED, data)  # type: ignore[union-attr]
            except BaseException as error:  # noqa: BLE001 - it is raised again in the parent
                kind, payload = _FAILED, _pickled_error(error)
            message = memoryview(_HEADER.pack(number, kind, len(payload)) + payload)
            while message:
                message = message[os.write(out, message) :]
        status = 0
    finally:
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(status)  # no exit hooks and no teardown of the parent's objects: they are the parent's


def _pickled_error(error: BaseException) -> bytes:
    """Return an exception pickled, or, when it cannot be (or cannot be read back), a RuntimeError naming it."""
    try:
        data = pickle.dumps(error, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)
        return data
    except Exception:  # noqa: BLE001 - any failure to pickle
        return pickle.dumps(RuntimeError(f"{type(error).__name__}: {error}"))


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
    in_file, raw = sent
    if in_file:
        path = raw
        with open(path, "rb") as file:
            raw = file.read()
        os.unlink(path)
    with collector_paused():
        return pickle.loads(raw)
