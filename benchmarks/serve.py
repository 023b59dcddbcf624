"""Time `serve` after an abstract is edited: from the change being seen to the changed files written.

    python benchmarks/serve.py                    # 1,000 papers, 5 edits
    python benchmarks/serve.py --papers 37 --edits 5

It generates the corpus (as `run.py` does), starts `python build.py serve` on it, waits for the first
build, then edits one paper's abstract several times, a second apart. For each edit it reads the line
serve logs ("changed …: N written (…) in T ms"), whose T runs from the moment the watcher has seen the
change and the file has settled to the moment every changed file is written. The watcher looks every
100 ms and waits 20 ms for a file to settle, so a save reaches the disk output up to 120 ms later than T.
Prints each edit's time and the median. Work folders go to `benchmarks/work/` (git-ignored).
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

REBUILT = re.compile(r"^changed .* written .* in (\d+) ms$")


def free_port() -> int:
    """Return a port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
        if isinstance(pattern, str) and pattern in line:
            return line
        if isinstance(pattern, re.Pattern) and (match := pattern.match(line)):
            return match
    raise SystemExit(f"serve did not print {pattern!r} in {seconds:.0f} s; its output:\n" + "\n".join(seen[-30:]))


def measure(n: int, edits: int, work: Path) -> list[float]:
    """Return serve's rebuild time in milliseconds for each of `edits` abstract edits on an n-paper corpus."""
    project = make_corpus(work / f"serve-corpus-{n}", n)
    env = dict(os.environ, PYTHONPATH=str(REPO))
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
    times = []
    try:
        wait_for(lines, "Serving ", 600, seen)
        for number in range(edits):
            time.sleep(1.0)
            edit_one_abstract(project, number)
            match = wait_for(lines, REBUILT, 300, seen)
            assert isinstance(match, re.Match)
            times.append(float(match.group(1)))
            print(f"edit {number + 1}: {times[-1]:.0f} ms", file=sys.stderr, flush=True)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return times


def main(argv: list[str] | None = None) -> int:
    """Run the measurement and print the times and their median."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=1000, help="corpus size")
    parser.add_argument("--edits", type=int, default=5, help="how many edits to time")
    parser.add_argument("--work", default=str(Path(__file__).resolve().parent / "work"), help="scratch folder")
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    times = measure(args.papers, args.edits, work)
    print(
        f"serve, {args.papers:,} papers, {len(times)} abstract edits: change seen -> files written, "
        f"median {statistics.median(times):.0f} ms (each: {', '.join(f'{t:.0f}' for t in times)} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
