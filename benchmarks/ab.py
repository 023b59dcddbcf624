"""Compare the cold build of two revisions of paperfolio on one corpus, alternating them, and print the paired ratio.

    python benchmarks/ab.py OLD NEW                  # 1,000 papers, 10 rounds
    python benchmarks/ab.py HEAD~3 HEAD --rounds 20 --papers 37 --work /dev/shm/ab

OLD and NEW are anything `git archive` takes (a commit, a branch, `HEAD~3`); each is unpacked beside a copy of
the corpus's content (`corpus.make_corpus`, the same papers `run.py` times), so the two differ in their code,
layouts and assets only. Each round runs both cold builds (`--no-cache`, output folder removed), the order
switching every round, so each pair sees the same minute of a machine whose speed drifts by a quarter within
minutes; the ratio printed is the median over the rounds of NEW's time divided by OLD's in the same round
(`run.paired_ratio`), which a slow minute does not move as it moves either median. The figures in the README
and docs/performance.md called "paired" were measured so. The outputs of the last round are compared too: a
change meant for speed alone must leave them byte for byte the same, and the script says whether they are.
Each build removes the last output just before it starts, so on a disk's file system (ext4 hands out inodes
slowly right after many were freed: README, "Speed, measured") the times spread wider; the README's paired
figures were measured in memory (`--work /dev/shm/ab`).
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import REPO, make_corpus  # noqa: E402
from run import paired_ratio  # noqa: E402

SOURCES = ("paperfolio", "layouts", "assets", "build.py")  # what a revision brings; the content is the corpus's


def unpack(revision: str, corpus: Path, target: Path) -> Path:
    """Write `revision`'s code, layouts and assets at `target`, with the corpus's content and settings."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, *SOURCES], capture_output=True, check=False)
    if archive.returncode:
        raise SystemExit(f"ab.py: git archive {revision}: {archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    shutil.copytree(corpus / "content", target / "content")
    shutil.copy2(corpus / "paperfolio.yaml", target / "paperfolio.yaml")
    return target


def cold_build(project: Path, out: Path) -> float:
    """Build `project` into an empty `out` without the cache; return the wall time in seconds."""
    shutil.rmtree(out, ignore_errors=True)
    time.sleep(0.3)  # the removal's work done before the clock starts
    started = time.perf_counter()
    command = [sys.executable, "build.py", "--no-cache", "--output", str(out)]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"ab.py: the build of {project.name} failed:\n{result.stdout}{result.stderr}")
    return seconds


def same_tree(a: Path, b: Path) -> bool:
    """Return whether two folders hold the same files with the same bytes."""
    compared = filecmp.dircmp(a, b)
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, compared.common_files, shallow=False)
    return not mismatch and not errors and all(same_tree(a / sub, b / sub) for sub in compared.common_dirs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", help="the revision to compare against (git archive's tree-ish)")
    parser.add_argument("new", help="the revision measured")
    parser.add_argument("--rounds", type=int, default=10, help="pairs of builds (default 10)")
    parser.add_argument("--papers", type=int, default=1000, help="papers in the corpus (default 1,000)")
    parser.add_argument("--work", default=str(Path(__file__).resolve().parent / "work"), help="work folder")
    args = parser.parse_args(argv)
    work = Path(args.work)
    corpus = make_corpus(work / f"ab-corpus-{args.papers}", args.papers)
    projects = {name: unpack(rev, corpus, work / f"ab-{name}") for name, rev in (("old", args.old), ("new", args.new))}
    times: dict[str, list[float]] = {"old": [], "new": []}
    for round_ in range(args.rounds):
        for name in ("old", "new") if round_ % 2 == 0 else ("new", "old"):
            times[name].append(cold_build(projects[name], work / f"ab-out-{name}"))
    same = same_tree(work / "ab-out-old", work / "ab-out-new")
    old, new = (statistics.median(times[name]) * 1000 for name in ("old", "new"))
    print(
        f"{args.papers:,} papers, {args.rounds} rounds: {args.old} median {old:.1f} ms, "
        f"{args.new} median {new:.1f} ms, "
        f"paired {args.new}/{args.old} {paired_ratio(times['new'], times['old']):.3f}; "
        f"outputs {'byte for byte the same' if same else 'differ'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
