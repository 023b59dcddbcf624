"""Digests and the cache folder: equal digests only for equal inputs, and a damaged cache is just a miss."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from markupsafe import Markup

from paperfolio import buildstate
from paperfolio.cache import Store, code_digest, digest, value_digest
from paperfolio.parallel import chunk_tasks, fork_map, run_tasks


def test_digest_is_sha256_of_length_prefixed_parts() -> None:
    """The stream the memo's keys were made from: each part's length (8 bytes, little-endian), then the part.
    Caches written before the parts were joined in one call stay valid only if this holds."""
    import hashlib

    expected = hashlib.sha256(b"\x02" + b"\0" * 7 + b"ab" + b"\0" * 8 + b"\x01" + b"\0" * 7 + b"c").hexdigest()
    assert digest(b"ab", b"", b"c").hex() == expected
    assert digest(b"ab", b"c") != digest(b"a", b"bc") != digest(b"abc")
    big = bytes(range(256)) * 4096  # 1 MiB, joined like the rest
    stream = b"\0\0\x10" + b"\0" * 5 + big + b"\x02" + b"\0" * 7 + b"xy"
    assert digest(big, memoryview(b"xy")) == hashlib.sha256(stream).digest()


def test_value_digest_tells_markup_from_text_and_order_matters() -> None:
    assert value_digest("<b>") != value_digest(Markup("<b>"))
    assert value_digest({"a": 1, "b": 2}) != value_digest({"b": 2, "a": 1})
    assert value_digest([1, 2]) == value_digest([1, 2])


def test_known_objects_stand_for_their_digest() -> None:
    shared = {"big": "x" * 1000}
    known = {id(shared): b"id-1"}
    assert value_digest([shared], known) != value_digest([shared], {id(shared): b"id-2"})


def test_an_unpicklable_value_has_no_digest() -> None:
    assert value_digest({"f": lambda: 1}) is None


def test_store_round_trip_and_damaged_files_are_misses(tmp_path: Path) -> None:
    store = Store(tmp_path / ".paperfolio-cache")
    store.save("x", {"a": 1})
    assert store.load("x") == {"a": 1}
    (tmp_path / ".paperfolio-cache" / "x.pickle").write_bytes(b"garbage")
    assert store.load("x") is None
    assert store.load("missing") is None
    assert (tmp_path / ".paperfolio-cache" / ".gitignore").read_text() == "*\n"


def test_code_digest_is_stable_within_a_process() -> None:
    assert code_digest() == code_digest()


def test_input_digest_changes_with_any_input(tmp_path: Path) -> None:
    (tmp_path / "content" / "papers").mkdir(parents=True)
    paper = tmp_path / "content" / "papers" / "a.md"
    paper.write_text("one")
    first = buildstate.input_digest(tmp_path, base_url=None, drafts=False, env={})
    assert first == buildstate.input_digest(tmp_path, base_url=None, drafts=False, env={"HOME": "/x"})
    assert first != buildstate.input_digest(tmp_path, base_url="/x/", drafts=False, env={})
    assert first != buildstate.input_digest(tmp_path, base_url=None, drafts=True, env={})
    assert first != buildstate.input_digest(tmp_path, base_url=None, drafts=False, env={"PAPERFOLIO_X": "1"})
    paper.write_text("two")
    assert first != buildstate.input_digest(tmp_path, base_url=None, drafts=False, env={})


def test_fork_map_gives_the_serial_result_in_order() -> None:
    items = list(range(1000))
    chunks = fork_map(lambda part: [i * i for i in part], items, min_items=10)
    assert [x for chunk in chunks for x in chunk] == [i * i for i in items]
    assert len(chunk_tasks(sum, items, min_items=10_000)) == 1
    assert run_tasks([lambda: 1, lambda: 2, lambda: 3]) == [1, 2, 3]


@pytest.mark.parametrize("count", [16, 37, 100, 1000, 10_000])
def test_chunks_cover_every_item_once_in_order_and_get_smaller_towards_the_end(count: int, monkeypatch) -> None:
    monkeypatch.setenv("PAPERFOLIO_JOBS", "2")
    items = list(range(count))
    sizes = [len(task.args[0]) for task in chunk_tasks(list, items, min_items=16)]
    assert [x for task in chunk_tasks(list, items, min_items=16) for x in task()] == items
    assert sizes == sorted(sizes, reverse=True)
    largest = -(-count // 8)  # a quarter of each worker's share, as before the chunks got smaller
    assert max(sizes) == largest
    assert min(sizes[:-1]) == min(largest, max(4, count // 64)), "down to a thirty-second of a share, or four items"
    if count >= 100:
        assert sizes[-2] < sizes[0], "the last chunks are smaller than the first"


def test_worker_results_come_back_whole_small_ones_through_the_pipe_big_ones_through_a_file(
    tmp_path: Path, monkeypatch
) -> None:
    import os
    import tempfile

    from paperfolio import parallel

    monkeypatch.setenv("PAPERFOLIO_JOBS", "2")
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # where the files of big results go
    tempfile.tempdir = None  # read TMPDIR again
    sent = []
    real = parallel._received
    monkeypatch.setattr(parallel, "_received", lambda raw: sent.append(raw[0]) or real(raw))
    big = "é" * (parallel.SPILL_BYTES + 1)  # a str that is not Latin-1 pickles as UTF-8: larger still
    tasks = [lambda: (os.getpid(), "small"), lambda: (os.getpid(), big), lambda: (os.getpid(), [big, 3])]
    results = list(in_workers(tasks))  # read twice below
    assert [value for _pid, value in results] == ["small", big, [big, 3]]
    assert all(pid != os.getpid() for pid, _value in results), "made in workers"
    assert sent == [False, True, True]
    assert list(tmp_path.iterdir()) == [], "the result files and their folder are removed"
    tempfile.tempdir = None


def in_workers(tasks, workers: int = 2):
    """Run tasks in forked workers only (`run_tasks` would run some of them in this process)."""
    from paperfolio import parallel

    with parallel._Workers(workers, tasks) as pool:
        yield from pool.results()


def test_this_process_takes_tasks_too_and_the_results_keep_their_order(monkeypatch) -> None:
    import os
    import time

    from paperfolio import parallel

    monkeypatch.setenv("PAPERFOLIO_JOBS", "2")
    forks = []
    real = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real())

    def task(n: int) -> tuple[int, int]:
        time.sleep(0.005)
        return n, os.getpid()

    results = parallel.run_tasks([lambda n=n: task(n) for n in range(60)])
    assert [n for n, _pid in results] == list(range(60))
    pids = {pid for _n, pid in results}
    assert os.getpid() in pids and len(pids) == 2, "this process and one worker shared the tasks"
    assert len(forks) == 1, "two cores: one worker is forked, this process is the other"

    def fails() -> None:
        raise ValueError("here or there")

    with pytest.raises(ValueError, match="here or there"):  # from whichever process ran the first task
        parallel.run_tasks([fails] * 6)


def test_weighted_chunks_take_the_heaviest_items_first_in_chunks_of_about_equal_weight(monkeypatch) -> None:
    monkeypatch.setenv("PAPERFOLIO_JOBS", "2")
    items = [1] * 400 + [500, 3, 200]  # a home page, a few big lists, many small pages
    chunks = [task.args[0] for task in chunk_tasks(list, items, min_items=10, weight=lambda w: w)]
    assert sorted(x for chunk in chunks for x in chunk) == sorted(items)
    assert chunks[0] == [500] and chunks[1] == [200]  # each heavier than a share of the total (138)
    assert all(sum(chunk) <= 138 for chunk in chunks[2:]) and len(chunks) <= 9


def test_a_page_of_sections_weighs_as_many_as_the_papers_it_lists() -> None:
    from types import SimpleNamespace

    from paperfolio.browse import publications_page
    from paperfolio.incremental import PAGE_WEIGHT, _weight
    from paperfolio.render import Page

    types = {"conference": ("a", "b", "c"), "journal": ("d",), "preprint": tuple("efghij")}
    publications = publications_page(SimpleNamespace(types=types))  # type: ignore[arg-type]
    # the page, one per section, one per paper: as heavy as a list page of the same ten papers
    assert _weight(publications) == PAGE_WEIGHT + 3 + 10
    tag_page = Page("/tags/x/", "group.html", {"slugs": tuple("abcdefghij"), "back": ("/", "Home")})
    assert _weight(tag_page) == PAGE_WEIGHT + 10 + 2


def test_memo_is_saved_in_shards_and_only_changed_shards_are_rewritten(tmp_path, monkeypatch):
    from paperfolio import incremental
    from paperfolio.cache import Store
    from paperfolio.incremental import SHARDED, SHARDS, Memo, load_memo, save_memo

    monkeypatch.setattr(incremental, "shard_count", lambda papers: SHARDS)  # as for a large site
    store = Store(tmp_path)
    memo = Memo()
    memo.citations = {bytes([n]) * 32: f"citation {n}" for n in range(40)}
    memo.cards = {f"paper-{n}": (bytes([n]) * 32, f"<li>{n}</li>") for n in range(40)}
    save_memo(store, "memo-x", memo, {})
    files = {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("memo-x*.pickle")}
    assert len(files) == 1 + len(SHARDED) * SHARDS
    loaded, shards = load_memo(store, "memo-x")
    assert loaded.citations == memo.citations and loaded.cards == memo.cards
    # An edit adds one entry and drops another (keys are digests of the values' inputs): only their
    # shards, and the small head, are written again.
    loaded.citations = {**loaded.citations, bytes([7]) * 31 + b"\1": "new"}
    del loaded.citations[bytes([8]) * 32]
    import os

    for path in tmp_path.glob("memo-x*.pickle"):
        os.utime(path, ns=(0, 0))
    save_memo(store, "memo-x", loaded, shards)
    rewritten = sorted(p.name for p in tmp_path.glob("memo-x*.pickle") if p.stat().st_mtime_ns != 0)
    assert rewritten == sorted(
        {"memo-x.pickle", f"memo-x-citations-{7 % SHARDS:02x}.pickle", f"memo-x-citations-{8 % SHARDS:02x}.pickle"}
    )
    again, _ = load_memo(store, "memo-x")
    assert again.citations[bytes([7]) * 31 + b"\1"] == "new" and bytes([8]) * 32 not in again.citations
    assert again.cards == memo.cards


def test_a_small_sites_memo_keeps_each_part_in_one_file_and_a_shrinking_one_drops_its_shards(tmp_path):
    from paperfolio.cache import Store
    from paperfolio.incremental import SHARDED, SHARDS, Memo, load_memo, save_memo, shard_count

    assert (shard_count(37), shard_count(1000), shard_count(10_000)) == (1, 3, SHARDS)
    store = Store(tmp_path)
    memo = Memo()
    memo.papers = {bytes([n % 256, n // 256]) * 16: ("paper", []) for n in range(8000)}
    save_memo(store, "memo-x", memo, {})
    assert len(list(tmp_path.glob("memo-x-papers-*.pickle"))) == SHARDS
    loaded, shards = load_memo(store, "memo-x")
    assert loaded.papers == memo.papers
    loaded.papers = dict(list(loaded.papers.items())[:37])  # most papers were deleted
    save_memo(store, "memo-x", loaded, shards)
    assert len(list(tmp_path.glob("memo-x*.pickle"))) == 1 + len(SHARDED)
    again, _ = load_memo(store, "memo-x")
    assert again.papers == loaded.papers


def test_without_a_writable_temporary_folder_results_come_back_through_the_pipe(monkeypatch) -> None:
    import tempfile

    from paperfolio import parallel

    monkeypatch.setenv("PAPERFOLIO_JOBS", "2")

    def refuse(*_args, **_kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    big = "x" * (parallel.SPILL_BYTES * 2)
    assert list(in_workers([lambda: big, lambda: 1])) == [big, 1]


def test_background_tasks_run_in_a_worker_and_this_process_takes_the_ones_left() -> None:
    import os
    import time

    import pytest

    from paperfolio import parallel

    def slow(n: int) -> tuple[int, int]:
        time.sleep(0.01)
        return n, os.getpid()

    work = parallel.Background([partial(slow, n) for n in range(4)], helping=True)
    time.sleep(0.3)  # the worker has done them all by now
    assert work.results() == [(n, work.pid) for n in range(4)] and work.pid != os.getpid()
    work.close()
    work = parallel.Background([partial(slow, n) for n in range(40)], helping=True)
    try:
        found = work.results()  # at once: this process takes the next task whenever no result is waiting
    finally:
        work.close()
    assert [n for n, _pid in found] == list(range(40))
    here = sum(pid == os.getpid() for _n, pid in found)
    assert 0 < here < 40, "both processes ran some of the tasks"

    def fails() -> None:
        raise ValueError("in the worker")

    work = parallel.Background([fails], helping=True)
    time.sleep(0.2)
    with pytest.raises(ValueError, match="in the worker"):
        work.results()
    work.close()


def test_a_worker_that_dies_is_reported_not_waited_for(monkeypatch) -> None:
    import os
    import signal

    import pytest

    monkeypatch.setenv("PAPERFOLIO_JOBS", "2")

    def dies() -> None:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would

    with pytest.raises(RuntimeError, match="worker process ended"):
        list(in_workers([dies, lambda: 1, lambda: 2]))
    assert run_tasks([lambda: 1, lambda: 2]) == [1, 2], "the next pool works"


def test_workers_stop_when_the_caller_stops_early_or_a_task_fails(monkeypatch) -> None:
    import os
    import time

    import pytest

    from paperfolio import parallel

    monkeypatch.setenv("PAPERFOLIO_JOBS", "2")
    pids = []
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    results = in_workers([lambda: 0, *[lambda: time.sleep(30)] * 4])
    assert next(results) == 0
    results.close()  # the caller needs no more: the sleeping workers are stopped, not waited for

    class Unpicklable(Exception):
        def __reduce__(self):
            raise TypeError("no")

    def fails() -> None:
        raise Unpicklable("a lock inside")

    with pytest.raises(RuntimeError, match="Unpicklable: a lock inside"):
        list(in_workers([fails, lambda: time.sleep(30)]))
    monkeypatch.undo()
    parallel._reap(wait=True)
    assert len(pids) == 4
    for pid in pids:  # every worker has ended and been reaped: none is left running or a zombie
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_many_tasks_and_output_printed_before_the_fork_is_not_printed_twice(capfd, monkeypatch) -> None:
    import sys

    monkeypatch.setenv("PAPERFOLIO_JOBS", "2")
    print("before", end="")  # still in this process's buffer when it forks
    results = run_tasks([lambda n=n: n for n in range(20_000)])  # more task numbers than a pipe holds by default
    sys.stdout.flush()
    assert results == list(range(20_000))
    assert capfd.readouterr().out == "before"


def test_the_collector_is_paused_while_a_pickle_is_read_and_restored_as_it_was() -> None:
    import gc

    from paperfolio.cache import collector_paused

    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            with collector_paused():
                assert not gc.isenabled()
            assert gc.isenabled() is enabled
            with pytest.raises(ValueError), collector_paused():
                raise ValueError("a damaged pickle")
            assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_a_cache_file_the_disk_had_no_room_for_leaves_nothing_behind(tmp_path: Path, monkeypatch) -> None:
    """A save that fails half-way (a full disk) left its half-written temporary file, holding the space."""
    import errno
    import pickle

    def half(value, file, protocol=None) -> None:
        file.write(b"x" * 4096)
        raise OSError(errno.ENOSPC, "No space left on device")

    store = Store(tmp_path / "cache")
    monkeypatch.setattr(pickle, "dump", half)
    store.save("memo", {"a": 1})  # the cache only saves time: no error
    monkeypatch.undo()
    assert sorted(path.name for path in (tmp_path / "cache").iterdir()) == [".gitignore"]
    assert store.load("memo") is None
