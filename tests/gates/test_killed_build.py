"""A build killed at any moment leaves the previous complete site, byte for byte (issue 3).

A copy of the project gets a generated corpus of PAPERS papers so that a build lasts long enough to be killed in
the middle. The whole process group gets SIGKILL, as the out-of-memory killer or a closed laptop would deliver it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .checks import tree_digest
from .project import REPO_ROOT, run_build

pytestmark = pytest.mark.gates

PAPERS = 2000
PROJECT_PARTS = ("build.py", "paperfolio.yaml", "paperfolio", "layouts", "assets")
CATEGORIES = ("cs.CL", "cs.AI", "cs.LG", "cs.CV", "cs.RO", "stat.ML")


def paper_text(number: int) -> str:
    """Return a valid paper file whose fields vary with `number`, so that every index page has entries."""
    year = 2015 + number % 11
    return (
        "---\n"
        f'title: "Generated paper {number}: learning with $O(n^{{{number % 3 + 2}}})$ attention"\n'
        "authors:\n  - Juntao Dai\n"
        f"  - Author Number{number % 97}\n  - others\n"
        f"date: {year}-{1 + number % 12:02d}-{1 + number % 28:02d}\n"
        f"categories: [{CATEGORIES[number % 6]}, {CATEGORIES[(number + 1) % 6]}]\n"
        f"tags: [topic-{number % 40}]\n"
        f'links:\n  arxiv: "{year % 100:02d}{1 + number % 12:02d}.{number:05d}"\n'
        "---\n"
        f"Abstract of generated paper {number}, with *emphasis* and inline math $x_{{{number}}} + y$.\n\n"
        "A second paragraph, so that the abstract renders more than one block.\n"
    )


def copy_project(source: Path, target: Path) -> Path:
    """Copy the parts of a project that a build reads; content is not copied."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif (source / part).is_file():
            shutil.copy2(source / part, target / part)
        else:
            pytest.fail(f"{source / part} does not exist: the killed-build gate needs the engine", pytrace=False)
    return target


@pytest.fixture(scope="module")
def big_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the engine with a generated corpus of PAPERS papers and no other content."""
    project = copy_project(REPO_ROOT, tmp_path_factory.mktemp("big-project") / "project")
    papers = project / "content" / "papers"
    papers.mkdir(parents=True)
    for number in range(PAPERS):
        (papers / f"generated-{number:04d}.md").write_text(paper_text(number), encoding="utf-8")
    return project


def start_build(project: Path, out: Path) -> subprocess.Popen[bytes]:
    """Start a build in its own process group, so that a kill reaches any worker processes too."""
    return subprocess.Popen(
        [sys.executable, "build.py", "--output", str(out)],
        cwd=project,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def kill_after(process: subprocess.Popen[bytes], delay_s: float) -> bool:
    """Kill the build's process group after `delay_s`; return whether the build was still running then."""
    time.sleep(delay_s)
    running = process.poll() is None
    if running:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    return running and process.returncode == -signal.SIGKILL


def describe_difference(expected: dict[str, str], actual: dict[str, str]) -> str:
    """Summarise how two tree digests differ, a few paths of each kind."""
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    changed = sorted(name for name in set(expected) & set(actual) if expected[name] != actual[name])
    parts = [f"{len(missing)} missing {missing[:5]}", f"{len(extra)} extra {extra[:5]}"]
    parts.append(f"{len(changed)} changed {changed[:5]}")
    return ", ".join(parts)


def timed_build(project: Path, out: Path) -> float:
    """Build to completion and return how long it took, in seconds."""
    started = time.perf_counter()
    run_build(project, out)
    return time.perf_counter() - started


def test_killed_rebuild_leaves_the_previous_site(big_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = timed_build(big_project, out)
    before = tree_digest(out)
    again = timed_build(big_project, out)
    assert tree_digest(out) == before, "a second build with no change gave different output"
    print(f"{PAPERS} papers: first build {first:.1f}s, unchanged rebuild {again:.1f}s")
    killed_mid_build = 0
    for fraction in (0.2, 0.5, 0.8):
        killed_mid_build += kill_after(start_build(big_project, out), again * fraction)
        assert out.is_dir(), f"the output folder is gone after a kill at {fraction:.0%} of a build"
        after = tree_digest(out)
        assert after == before, (
            f"kill at {fraction:.0%} of a build changed the site: {describe_difference(before, after)}"
        )
    assert killed_mid_build, "no kill landed while the build was running: the corpus is too small for this machine"


def test_killed_build_with_changes_leaves_old_or_new_site_never_a_mix(big_project: Path, tmp_path: Path) -> None:
    project = copy_project(big_project, tmp_path / "project")
    shutil.copytree(big_project / "content", project / "content")
    out, pristine, new_site = tmp_path / "site", tmp_path / "pristine", tmp_path / "new"
    run_build(project, pristine)
    old = tree_digest(pristine)
    papers = project / "content" / "papers"
    (papers / "generated-0000.md").write_text(paper_text(0).replace("Generated paper 0", "Renamed paper 0"))
    (papers / "generated-0007.md").unlink()
    (papers / "added-paper.md").write_text(paper_text(PAPERS).replace("generated", "added"))
    duration = timed_build(project, new_site)
    new = tree_digest(new_site)
    assert new != old
    killed_mid_build = 0
    for fraction in (0.3, 0.6, 0.85, 0.95):
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(pristine, out, symlinks=True)
        killed_mid_build += kill_after(start_build(project, out), duration * fraction)
        assert out.is_dir(), f"the output folder is gone after a kill at {fraction:.0%} of a build"
        after = tree_digest(out)
        assert after in (old, new), (
            f"kill at {fraction:.0%} of a build left a mix: against the old site {describe_difference(old, after)};"
            f" against the new one {describe_difference(new, after)}"
        )
    assert killed_mid_build, "no kill landed while the build was running: the corpus is too small for this machine"
    run_build(project, out)
    assert tree_digest(out) == new, "a complete build after the kills did not give the new site"
    leftovers = sorted(path.name for path in out.parent.iterdir() if path.name.startswith(f".{out.name}"))
    assert leftovers == [], f"a complete build after the kills left these beside the site: {leftovers}"
