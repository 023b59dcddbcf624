"""Time `serve` after an abstract is edited: from the change being seen to the changed files written.

    python benchmarks/serve.py                    # 1,000 papers, 5 edits
    python benchmarks/serve.py --papers 37 --edits 5

It generates the corpus (as `run.py` does), starts `python build.py serve` on it, waits for the first
build, then edits one paper's abstract several times, a second apart. For each edit it reads the line
serve logs ("changed …: N written (…) in T ms"), whose T runs from the moment the watcher has seen the
change and the file has settled to the moment every changed file is written. It also times each edit
from the file's save to that line's arrival, which adds how long the watcher took to see the change and
the 20 ms it waits for the file to settle (the watcher wakes on Linux's report of the change, `watch`;
where there is none it looks every 100 ms), and the server's CPU time while it sat idle before the edits.
Prints each edit's times and the medians. Work folders go to `benchmarks/work/` (git-ignored); `--code`
runs another checkout's `paperfolio` (to compare two versions on the same machine, alternately).
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import REPO, edit_one_abstract, make_corpus  # noqa: E402

from paperfolio.cache import RACY_NS  # noqa: E402

REBUILT = re.compile(r"^changed .* written .* in (\d+) ms(?:; \d+ warnings?)?$")


def free_port() -> int:
    """Return a port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


FAILED = re.compile(r"(?:.*: )?error: |paperfolio: \d+ errors?")  # what serve prints of a build it refused


def wait_for(lines: queue.Queue, pattern: re.Pattern | str, seconds: float, seen: list[str]) -> re.Match | str:
    """Return the first line (or its match) that matches `pattern`, reading the server's output."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if FAILED.match(line):  # a build refused the corpus: nothing will be rebuilt, so say so now
            break
        if isinstance(pattern, str) and pattern in line:
            return line
        if isinstance(pattern, re.Pattern) and (match := pattern.match(line)):
            return match
    why = "refused a build" if seen and FAILED.match(seen[-1]) else f"did not print {pattern!r} in {seconds:.0f} s"
    raise SystemExit(f"serve {why}; its output:\n" + "\n".join(seen[-30:]))


def cpu_seconds(pid: int) -> float:
    """Return a process's user and system CPU time so far (Linux `/proc`), or 0.0 where there is none."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            fields = file.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(n: int, edits: int, work: Path, code: Path = REPO) -> tuple[list[float], list[float], float]:
    """Return, for each of `edits` abstract edits on an n-paper corpus, serve's rebuild time and the time
    from the save to the rebuild's line, in milliseconds; and the share of a core serve used while idle."""
    project = make_corpus(work / f"serve-corpus-{n}", n)
    # A researcher's files were written long before `serve` reads them. Files read within `RACY_NS` (2 s) of
    # being written are read again at the next build, as git does with racy files (a change in the same
    # tick could leave the stat as it was), so a corpus written just now would make the first edit re-read
    # all of them: it waits that long first, and the edits measure the work an edit makes.
    time.sleep(RACY_NS / 1e9 + 0.1)
    env = dict(os.environ, PYTHONPATH=str(code))
    command = [sys.executable, "build.py", "serve", "--port", str(free_port()), "--output", str(work / f"serve-{n}")]
    server = subprocess.Popen(
        command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    seen: list[str] = []
    times, saved = [], []
    try:
        wait_for(lines, "Serving ", 600, seen)
        time.sleep(1.0)
        before = cpu_seconds(server.pid)
        time.sleep(5.0)
        idle = (cpu_seconds(server.pid) - before) / 5.0
        for number in range(edits):
            time.sleep(1.0)
            edit_one_abstract(project, number)
            start = time.perf_counter()
            match = wait_for(lines, REBUILT, 300, seen)
            saved.append((time.perf_counter() - start) * 1000)
            assert isinstance(match, re.Match)
            times.append(float(match.group(1)))
            print(
                f"edit {number + 1}: {times[-1]:.0f} ms, {saved[-1]:.0f} ms from the save", file=sys.stderr, flush=True
            )
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return times, saved, idle


def main(argv: list[str] | None = None) -> int:
    """Run the measurement and print the times and their median."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=1000, help="corpus size")
    parser.add_argument("--edits", type=int, default=5, help="how many edits to time")
    parser.add_argument("--work", default=str(Path(__file__).resolve().parent / "work"), help="scratch folder")
    parser.add_argument("--code", default=str(REPO), help="the checkout whose paperfolio to run (default: this one)")
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    times, saved, idle = measure(args.papers, args.edits, work, Path(args.code))
    print(
        f"serve, {args.papers:,} papers, {len(times)} abstract edits: change seen -> files written, "
        f"median {statistics.median(times):.0f} ms (each: {', '.join(f'{t:.0f}' for t in times)} ms); "
        f"from the save, median {statistics.median(saved):.0f} ms; idle, {100 * idle:.1f}% of a core"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
