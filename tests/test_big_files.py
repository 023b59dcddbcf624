"""Big files are never held whole in memory: a researcher's PDFs and videos under assets/ or static/ are copied
file to file, and a paper file far past its limit is refused unread. Memory is measured with `tracemalloc`,
which counts every Python object, so a file read into one `bytes` shows in the peak."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from paperfolio.errors import ContentError
from paperfolio.pipeline import Project, build
from tests.conftest import paper_text

MIB = 1024 * 1024


@pytest.fixture(autouse=True)
def one_process(monkeypatch: pytest.MonkeyPatch):
    """Everything in this process, where `tracemalloc` sees it."""
    monkeypatch.setenv("PAPERFOLIO_JOBS", "1")


def peak_mib(action) -> float:
    """Return the peak of memory Python allocated while `action` ran, in MiB, above what was held before."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        action()
        return (tracemalloc.get_traced_memory()[1] - before) / MIB
    finally:
        tracemalloc.stop()


def big_file(path: Path, size: int, fill: bytes = b"%PDF") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as file:
        file.write(fill)
        file.truncate(size)  # sparse: the disk holds almost nothing


@pytest.mark.parametrize("use_cache", [False, True], ids=["no-cache", "cached"])
def test_a_big_asset_is_copied_without_being_read_into_memory(make_project, use_cache: bool):
    """200 MB of PDFs under assets/ made a cold build's peak 240-290 MB; each was read whole to be hashed,
    and again to be written, and held until the site was written."""
    root = make_project({"a.md": paper_text()})
    big_file(root / "assets" / "papers" / "talk.mp4", 48 * MIB)
    big_file(root / "static" / "data.bin", 40 * MIB, fill=b"DATA")
    out = root / "site"
    peak = peak_mib(lambda: build(Project(root), out, use_cache=use_cache))
    assert peak < 20, f"the build held {peak:.0f} MiB: a big file was read whole"
    published = out / "assets" / "papers" / "talk.mp4"
    assert published.stat().st_size == 48 * MIB and published.read_bytes()[:4] == b"%PDF"
    assert (out / "data.bin").read_bytes()[:4] == b"DATA"
    assert not os.path.samefile(published, root / "assets" / "papers" / "talk.mp4"), "a copy, not the source itself"


def test_a_big_asset_changed_in_place_is_published_again_and_an_unchanged_one_is_kept(make_project):
    root = make_project({"a.md": paper_text()})
    source = root / "assets" / "video.mp4"
    big_file(source, 3 * MIB, fill=b"one")
    out = root / "site"
    build(Project(root), out, use_cache=False)
    first = (out / "assets" / "video.mp4").stat().st_ino
    result = build(Project(root), out, use_cache=False)
    assert result.report.written == 0 and (out / "assets" / "video.mp4").stat().st_ino == first
    with open(source, "r+b") as file:  # the same size, other bytes
        file.write(b"two")
    result = build(Project(root), out, use_cache=False)
    assert result.report.written == 1
    assert (out / "assets" / "video.mp4").read_bytes()[:3] == b"two"


@pytest.mark.parametrize("use_cache", [False, True], ids=["no-cache", "cached"])
def test_a_paper_file_of_gigabytes_is_refused_unread(make_project, use_cache: bool):
    """A video renamed `.md` (or a sparse file) was read whole, twice with the cache: a 4 GiB one took 61 s
    and 8.4 GB of memory before the build said it was too big."""
    root = make_project({"a.md": paper_text()})
    big_file(root / "content" / "papers" / "video.md", 64 * MIB, fill=b"---\n")
    (root / "site").mkdir()

    def attempt() -> None:
        with pytest.raises(ContentError) as raised:
            build(Project(root), root / "site", use_cache=use_cache)
        assert [p.message for p in raised.value.problems] == [
            "is 67,108,864 bytes; a paper file may be at most 1 MiB (1,048,576 bytes)"
        ]

    peak = peak_mib(attempt)
    assert peak < 20, f"the build held {peak:.0f} MiB: the paper file was read whole"


def test_a_big_file_that_grows_while_it_is_hashed_is_not_read_whole(tmp_path: Path) -> None:
    """A video being written under assets/ while a build hashes it is bigger than its stat said when read: the
    chunked digest then read the whole file into memory to hash it again. It hashes it again in chunks."""
    from paperfolio.cache import digest, file_digest

    path = tmp_path / "export.mp4"
    big_file(path, 48 * MIB, fill=b"\x00\x00\x00\x18ftyp")
    for stat_size in (40 * MIB, 1000):  # the size a stat gave, before the rest came
        with open(path, "rb") as file:
            peak = peak_mib(lambda: file_digest(file, stat_size))  # noqa: B023 - called at once
        assert peak < 10, f"hashing held {peak:.0f} MiB: the grown file was read whole"
        with open(path, "rb") as file:
            assert file_digest(file, stat_size) == digest(path.read_bytes()), "the digest of the bytes read"
