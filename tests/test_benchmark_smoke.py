"""The benchmark script runs end to end on a small corpus (no timing is asserted, no Hugo needed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
