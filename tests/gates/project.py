"""The project under test: where it is, how to build it, and how a gate says its tool is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "https://example.github.io/portfolio/"
BUILD_TIMEOUT_S = 300


@dataclass(frozen=True)
class BuiltSite:
    """One build of the default site and where it is meant to be served."""

    name: str  # "root" or "portfolio", used in test ids and messages
    dir: Path
    base_url: str  # "/" at the domain root, else the full --base-url
    base_path: str  # the URL path the site lives under: "/" or "/portfolio/"


def require(reason: str | None) -> None:
    """Skip (or fail under PAPERFOLIO_REQUIRE_GATES=1) when `reason` says a gate's tool is missing."""
    if reason is None:
        return
    if os.environ.get("PAPERFOLIO_REQUIRE_GATES") == "1":
        pytest.fail(f"PAPERFOLIO_REQUIRE_GATES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def fixture_project(root: Path, fixture: str = "basic") -> Path:
    """Copy `tests/fixtures/<fixture>` to `root` with the engine's layouts, assets and `build.py`, as a fork of the
    repository holds them; return its papers folder, for a gate to add its own papers to."""
    shutil.copytree(REPO_ROOT / "tests" / "fixtures" / fixture, root)
    for name in ("layouts", "assets"):
        shutil.copytree(REPO_ROOT / name, root / name, dirs_exist_ok=True)
    shutil.copyfile(REPO_ROOT / "build.py", root / "build.py")
    return root / "content" / "papers"


def run_build(project: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python build.py --output OUT ARGS…` in `project` and fail the test, with its output, if it fails."""
    if not (project / "build.py").is_file():
        pytest.fail(f"{project / 'build.py'} does not exist: the gates need the engine to build a site", pytrace=False)
    command = [sys.executable, "build.py", "--output", str(out), *args]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, check=False)
    if result.returncode != 0:
        pytest.fail(
            f"`{' '.join(command[1:])}` exited {result.returncode} in {project}\n"
            f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}",
            pytrace=False,
        )
    return result
