"""`patterns`: regular expressions compiled by an earlier run are what `re` compiles, and only those."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from paperfolio import patterns

pytestmark = pytest.mark.skipif(patterns._cache() is None, reason="this Python's `re` has no internals we know")

SAMPLES = [
    (r"(?P<year>\d{4})-(\d\d)(?:-(?P<day>\d\d))?", 0),
    (r"[\w·̀-ͯ]+|\$[^$]+\$", re.IGNORECASE),
    (rb"\x00(ab)+[^\x00]*", 0),
    (r"^ (?P<key> [a-z_]+ ) : \s* # a key\n (.*) $", re.VERBOSE | re.MULTILINE),
]


def forget_compiled(monkeypatch) -> None:
    """Empty `re`'s caches for the test: Python 3.12 and later keep a second one, `_cache2`, that
    `re.compile` looks in first (and `patterns` never fills: `_cache` is enough at start-up)."""
    monkeypatch.setattr(re, "_cache", {})
    if hasattr(re, "_cache2"):
        monkeypatch.setattr(re, "_cache2", {})


@pytest.fixture
def empty_cache(monkeypatch):
    """An empty `re` cache for the test (the module-level one is left as it was), on a Python that writes
    bytecode (as `build.py` makes it, whatever PYTHONDONTWRITEBYTECODE says)."""
    forget_compiled(monkeypatch)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


def compile_samples() -> list[re.Pattern]:
    return [re.compile(pattern, flags) for pattern, flags in SAMPLES]


def test_a_stored_pattern_is_found_by_re_compile_and_equals_a_fresh_one(tmp_path: Path, monkeypatch, empty_cache):
    path = str(tmp_path / "patterns.marshal")
    fresh = compile_samples()
    patterns.save({}, path)
    forget_compiled(monkeypatch)
    stored = patterns.load(path)
    assert set(stored) == {(pattern, int(flags)) for pattern, flags in SAMPLES}
    for (pattern, flags), made_fresh in zip(SAMPLES, fresh, strict=True):
        from_file = re._cache[type(pattern), pattern, int(flags)]
        assert re.compile(pattern, flags) is from_file, "re.compile finds the stored pattern"
        assert from_file is not made_fresh
        # Pattern equality compares the text, the flags and the compiled code.
        assert from_file == made_fresh
        assert (from_file.groups, from_file.groupindex) == (made_fresh.groups, made_fresh.groupindex)
    text = "2024-05-17 Élan $x$ \u0301"
    assert [m.groupdict() for m in re.finditer(SAMPLES[0][0], text)] == [{"year": "2024", "day": "17"}]
    assert re.findall(SAMPLES[1][0], text, SAMPLES[1][1]) == [
        m for m in re.compile(SAMPLES[1][0], SAMPLES[1][1]).findall(text)
    ]


def test_a_file_from_another_python_or_damaged_is_ignored(tmp_path: Path, monkeypatch, empty_cache):
    path = tmp_path / "patterns.marshal"
    compile_samples()
    patterns.save({}, str(path))
    good = path.read_bytes()
    for bad in (b"Python 2.7\0" + good[len(patterns._HEAD) :], good[: len(good) // 2], patterns._HEAD + b"junk", b""):
        path.write_bytes(bad)
        forget_compiled(monkeypatch)
        assert patterns.load(str(path)) == {}
        assert re._cache == {}, "nothing is filled from a file it cannot trust"


def test_the_file_is_written_only_when_a_run_compiled_something_new(tmp_path: Path, monkeypatch, empty_cache):
    path = tmp_path / "patterns.marshal"
    compile_samples()
    patterns.save({}, str(path))
    before = path.stat()
    forget_compiled(monkeypatch)
    stored = patterns.load(str(path))
    compile_samples()  # all found in the cache
    patterns.save(stored, str(path))
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    re.compile(r"a new one (\d+)")
    patterns.save(stored, str(path))
    forget_compiled(monkeypatch)
    assert (r"a new one (\d+)", 0) in patterns.load(str(path))


def test_a_full_file_starts_again_and_nothing_is_written_without_bytecode(tmp_path: Path, monkeypatch, empty_cache):
    path = tmp_path / "patterns.marshal"
    monkeypatch.setattr(patterns, "LIMIT", 3)
    compile_samples()
    patterns.save({}, str(path))
    forget_compiled(monkeypatch)
    stored = patterns.load(str(path))
    assert len(stored) == 3
    re.compile("one more")
    re.compile("and another")
    patterns.save(stored, str(path))
    forget_compiled(monkeypatch)
    assert set(patterns.load(str(path))) == {("one more", 0), ("and another", 0)}
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    other = tmp_path / "other.marshal"
    patterns.save({}, str(other))
    assert not other.exists()


def test_a_build_process_finds_the_patterns_the_last_one_compiled(tmp_path: Path):
    """The package fills `re`'s cache at import from its file in `__pycache__/`."""
    script = (
        "import sys; sys.dont_write_bytecode = False\n"
        "import re, paperfolio, paperfolio.pipeline\n"
        "from paperfolio import patterns\n"
        "print(len(patterns._STORED), sum(1 for key in re._cache if (key[1], key[2]) in patterns._STORED))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, capture_output=True)
    out = subprocess.run([sys.executable, "-c", script], check=True, env=env, capture_output=True, text=True).stdout
    stored, filled = map(int, out.split())
    assert stored > 50, "importing the pipeline compiles dozens of patterns, stored by the first process"
    assert filled == stored
