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

from paperfolio.writer import lock_path, spare_path

from .checks import tree_digest
from .project import REPO_ROOT, run_build

pytestmark = pytest.mark.gates

PAPERS = 1000  # about 5 s to build on 2 cores: long enough to kill in the middle, short enough for CI
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


@pytest.fixture(scope="module")
def first_build(big_project: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], float]:
    """Build the big project once; return (output folder, its digest, seconds the build took)."""
    out = tmp_path_factory.mktemp("big-site") / "site"
    seconds = timed_build(big_project, out)
    print(f"{PAPERS} papers: first build {seconds:.1f}s, {len(tree_digest(out))} files")
    return out, tree_digest(out), seconds


def test_killed_rebuild_leaves_the_previous_site(
    big_project: Path, first_build: tuple[Path, dict[str, str], float]
) -> None:
    out, before, _ = first_build
    again = timed_build(big_project, out)
    assert tree_digest(out) == before, "a second build with no change gave different output"
    killed_mid_build = 0
    for fraction in (0.2, 0.5, 0.8):
        killed_mid_build += kill_after(start_build(big_project, out), again * fraction)
        assert out.is_dir(), f"the output folder is gone after a kill at {fraction:.0%} of a build"
        after = tree_digest(out)
        assert after == before, (
            f"kill at {fraction:.0%} of a build changed the site: {describe_difference(before, after)}"
        )
    assert killed_mid_build, "no kill landed while the build was running: the corpus is too small for this machine"


def test_killed_build_with_changes_leaves_old_or_new_site_never_a_mix(
    big_project: Path, first_build: tuple[Path, dict[str, str], float]
) -> None:
    out, old, _ = first_build
    papers = big_project / "content" / "papers"
    versions = {"old": old}

    def use(version: str) -> None:
        """Put the content of `version` in place: "new" renames one paper, removes one and adds one."""
        renamed, removed, added = papers / "generated-0000.md", papers / "generated-0007.md", papers / "added-paper.md"
        if version == "new":
            renamed.write_text(paper_text(0).replace("Generated paper 0", "Renamed paper 0"), encoding="utf-8")
            removed.unlink(missing_ok=True)
            added.write_text(paper_text(PAPERS).replace("Generated", "Added"), encoding="utf-8")
        else:
            renamed.write_text(paper_text(0), encoding="utf-8")
            removed.write_text(paper_text(7), encoding="utf-8")
            added.unlink(missing_ok=True)

    try:
        use("new")
        seconds = {"new": timed_build(big_project, out)}
        versions["new"] = tree_digest(out)
        assert versions["new"] != old
        use("old")
        seconds["old"] = timed_build(big_project, out)
        after = tree_digest(out)
        assert after == old, f"rebuilding the old content did not give the old site: {describe_difference(old, after)}"
        print(f"incremental builds: to new {seconds['new']:.1f}s, back to old {seconds['old']:.1f}s")
        # Each kill interrupts a build towards the other version; what is left must be one version exactly.
        current, killed_mid_build = "old", 0
        for fraction in (0.4, 0.7, 0.95):
            target = "new" if current == "old" else "old"
            use(target)
            killed_mid_build += kill_after(start_build(big_project, out), seconds[target] * fraction)
            assert out.is_dir(), f"the output folder is gone after a kill at {fraction:.0%} of a build"
            after = tree_digest(out)
            current = next((name for name, digest in versions.items() if digest == after), "")
            assert current, (
                f"kill at {fraction:.0%} of a build towards the {target} site left a mix: against the old site"
                f" {describe_difference(old, after)}; against the new one {describe_difference(versions['new'], after)}"
            )
        assert killed_mid_build, "no kill landed while the build was running: the corpus is too small for this machine"
        # Complete builds after the kills give each version exactly and end with the old one, as the fixture began.
        for target in ["new", "old"] if current == "old" else ["old"]:
            use(target)
            run_build(big_project, out)
            after = tree_digest(out)
            assert after == versions[target], f"a build after the kills: {describe_difference(versions[target], after)}"
    finally:
        use("old")
    # The tree the last swap replaced is kept on purpose (the next build's staging tree), as is the lock
    # file builds take turns on (`writer.output_lock`); nothing else may stay.
    kept = (out, spare_path(out), lock_path(out))
    leftovers = sorted(path.name for path in out.parent.iterdir() if path not in kept)
    assert leftovers == [], f"a complete build after the kills left these beside the site: {leftovers}"
