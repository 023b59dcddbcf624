"""The command line: `python build.py [build|check|new|serve|import-bib] …`.

Content problems print as `file:line:col: error: message` lines and a summary, with exit status 1 and
no traceback (`--verbose` shows one). A bug in paperfolio itself still shows its traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import sys
from pathlib import Path

from .errors import ContentError, Problem
from .writer import OutputRefused

DESCRIPTION = """Build a researcher's publication site from content/papers/*.md into site/.

commands:
  (none)                 build the site (same as `build`)
  check                  validate all content and settings; write nothing
  new "Title"            write a new, valid paper file and print its path
  serve                  build, serve on http://127.0.0.1:8000/ and rebuild on every change
  import-bib refs.bib    turn BibTeX entries into paper files

environment:
  PAPERFOLIO_BASE_URL    base URL when --base-url is not given
  SOURCE_DATE_EPOCH      the date `new` writes; built pages never carry a build timestamp
  PAPERFOLIO_JOBS        worker processes for rendering (default: all cores)
"""


def _common(
    parser: argparse.ArgumentParser, *, top: bool = False, unused: tuple[str, ...] = (), output: str | None = None
) -> None:
    """Add the options every command takes, before or after the command's name.

    Only the top-level parser holds defaults: a subcommand's parser that had its own would overwrite
    what was given before the command (`--root X serve`) with them.
    """

    def default(value: object) -> object:
        return value if top else argparse.SUPPRESS

    def shown(name: str, text: str) -> str:
        """A command that does nothing with an option still takes it, but its help leaves it out."""
        return argparse.SUPPRESS if name in unused else text

    parser.add_argument("--root", default=default("."), help="project folder (default: the current folder)")
    parser.add_argument(
        "--output", "-o", default=default(None), help=shown("output", output or "output folder (default: ROOT/site)")
    )
    parser.add_argument(
        "--base-url", default=default(None), help=shown("base-url", "e.g. https://user.github.io/my-portfolio/")
    )
    parser.add_argument(
        "--drafts", action="store_true", default=default(False), help=shown("drafts", "include `draft: true` papers")
    )
    parser.add_argument("--verbose", action="store_true", default=default(False), help="show tracebacks for errors")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        default=default(False),
        help=shown("no-cache", "ignore .paperfolio-cache/ and render every page (a cold build)"),
    )


def _port(text: str) -> int:
    """Read `--port`: a TCP port a server can listen on (the system took 70000 as 4464)."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a whole number from 1 to 65535, got {text!r}")
    return int(text)


def make_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every command and option documented."""
    parser = argparse.ArgumentParser(
        prog="python build.py", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="command")
    _common(sub.add_parser("build", help="build the site (the default)"))
    check = sub.add_parser("check", help="validate content; write nothing")
    _common(check, unused=("output", "no-cache"))
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format for problems")
    new = sub.add_parser("new", help="write a new paper file")
    _common(new, unused=("output", "base-url", "drafts", "no-cache"))
    new.add_argument("title", help="the paper's title")
    new.add_argument("--category", default="cs.LG", help="primary arXiv category (default: cs.LG)")
    new.add_argument("--author", action="append", default=[], help="an author (repeatable); default: the owner")
    serve = sub.add_parser("serve", help="serve with live reload")
    _common(serve, unused=("no-cache", "drafts"), output="build into this folder (default: a temporary one)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1; others are warned of)"
    )
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on, 1-65535 (default: 8000)")
    serve.add_argument("--open", action="store_true", help="open a browser")
    serve.add_argument("--no-drafts", dest="drafts", action="store_false", help="hide drafts (shown by default)")
    serve.set_defaults(drafts=True)
    bib = sub.add_parser("import-bib", help="turn BibTeX entries into paper files")
    _common(bib, unused=("output", "base-url", "drafts", "no-cache"))
    bib.add_argument("bibfile", help="the .bib file")
    bib.add_argument("--overwrite", action="store_true", help="replace existing paper files")
    bib.add_argument("--category", help="category for entries without primaryClass (default: cs.LG)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit status."""
    args = make_parser().parse_args(argv)
    command = args.command or "build"
    refused = _not_a_project(Path(args.root)) or _bad_environment()
    if refused:
        print(f"paperfolio: error: {refused}", file=sys.stderr)
        return 2
    try:
        return COMMANDS[command](args)
    except ContentError as error:
        print_problems(error.problems)
        errors = sum(1 for p in error.problems if p.severity == "error")
        touched = (
            "nothing was written" if command in ("check", "new", "import-bib") else f"{_out(args)} was not touched"
        )
        print(f"paperfolio: {errors} error{'s' if errors != 1 else ''}; {touched}.", file=sys.stderr)
        if args.verbose:
            import traceback  # only here: importing it costs every build 3-4 ms of start-up

            traceback.print_exc()
        return 1
    except OutputRefused as error:
        print(f"paperfolio: error: {error}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as error:
        if (error.name or "paperfolio").partition(".")[0] == "paperfolio":
            raise
        # A library paperfolio needs is missing: `pip install` was skipped, or ran for another Python.
        python = sys.executable or "python"
        print(
            f"paperfolio: error: the library `{error.name}` is not installed for this Python ({python}); "
            f"install paperfolio's requirements first: {python} -m pip install -e .",
            file=sys.stderr,
        )
        return 1
    except OSError as error:
        # The system refused (a full disk, a read-only folder, no permission): its words, not a traceback.
        # A build fails before its swap, the one step that changes the site, and deletes its half-made tree.
        where = f"{_shown(error.filename)}: " if error.filename else ""
        touched = f"; {_out(args)} was not touched" if command == "build" else ""
        print(f"paperfolio: error: {where}{error.strerror or error}{touched}.", file=sys.stderr)
        if args.verbose:
            import traceback

            traceback.print_exc()
        return 1
    except KeyboardInterrupt:  # Ctrl-C: said in one line, as an error is (the site is swapped whole or not at all)
        if command == "build":
            print(f"\npaperfolio: interrupted; {_out(args)} is whole, never half written.", file=sys.stderr)
        return 130


PROJECT_MARKS = ("paperfolio.yaml", "content", "layouts")  # a project folder has at least one


def _bad_environment() -> str | None:
    """Return why `PAPERFOLIO_JOBS` cannot be used, None when it is unset, empty or a whole number from 1.
    A typo (`PAPERFOLIO_JOBS=two`) once fell back to every core without a word."""
    jobs = os.environ.get("PAPERFOLIO_JOBS", "").strip()
    if not jobs or (jobs.isdigit() and jobs.isascii() and int(jobs) > 0):
        return None
    return f"PAPERFOLIO_JOBS must be a whole number of worker processes, 1 or more, got {jobs!r}"


def _not_a_project(root: Path) -> str | None:
    """Return why `root` is no project folder (none of `PROJECT_MARKS` in it), naming the project
    `build.py` was started from when that is another folder; None when it is one. Without this, a build
    started from the wrong folder answered with one error per layout not found."""
    if any((root / mark).exists() for mark in PROJECT_MARKS):
        return None
    where = "the current folder" if root == Path(".") else str(root)
    message = f"{where} is not a paperfolio project (it has no paperfolio.yaml, content/ or layouts/)"
    script = Path(sys.argv[0]).resolve().parent if sys.argv and sys.argv[0].endswith("build.py") else None
    if script is not None and script != root.resolve() and (script / "paperfolio.yaml").is_file():
        return f"{message}; run `cd {script}` first, or pass `--root {script}`"
    return f"{message}; run the command in your project's folder, or pass `--root` with it"


def exit_now(status: int) -> None:
    """End the process with `status` once its output is flushed, its threads and exit hooks have run,
    without freeing every object one by one: the interpreter's own teardown of a 10,000-paper build's
    heap took 0.2 s more (measured 2026-12-03), and frees nothing the OS does not free at once.

    Every file is closed where it is written (`writer`), so nothing is left in a buffer but stdout's.
    """
    import atexit
    import os
    import threading

    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(status)  # under cProfile or coverage, which write their results at a normal exit

    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()  # e.g. `writer`'s thread that frees replaced files
    atexit._run_exitfuncs()  # multiprocessing's, the standard library's: what a normal exit runs
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (`| head`): as a normal exit, the status still counts
        pass
    os._exit(status)


def print_problems(problems: list[Problem]) -> None:
    """Print problems, sorted, one per line (hints indented below)."""
    for problem in sorted(problems):
        print(problem.format(), file=sys.stderr)


def _project(args: argparse.Namespace):
    from .pipeline import Project

    return Project(Path(args.root).resolve())


def _out(args: argparse.Namespace) -> Path:
    return Path(args.output) if args.output else Path(args.root) / "site"


def _shown(path: str | bytes) -> str:
    """Return a path as an error shows it: from the current folder when it is under it."""
    text = os.fsdecode(path)
    with contextlib.suppress(ValueError):
        return os.path.relpath(text) if Path(text).resolve().is_relative_to(Path.cwd()) else text
    return text


def cmd_build(args: argparse.Namespace) -> int:
    """Build the site and print a one-line summary."""
    import time

    started = time.perf_counter()
    file_digests: dict[str, bytes] = {}
    input_files: dict = {}
    summary, inputs = _unchanged(args, file_digests, input_files) if not args.no_cache else (None, None)
    if summary is not None:
        # Nothing changed: answer before importing the template and Markdown libraries.
        print_problems(summary.warnings)
        state = f"0 written, {summary.files} unchanged, 0 removed"
        seconds = time.perf_counter() - started
        print(f"Built {summary.pages} pages ({summary.files} files: {state}) into {_out(args)} in {seconds:.2f} s.")
        return 0
    # A build makes millions of short-lived objects and almost no cycles: the collector's youngest
    # generation is looked at every 200,000 new objects rather than every 700 (mypy's setting for the same
    # reason). A cold 1,000-paper build: 1.5-1.7% less time (paired, 20 runs), the same peak at 10,000.
    gc.set_threshold(200_000, 30, 30)
    early = _early_layouts(args)
    from .pipeline import build

    progress = _progress if sys.stderr.isatty() else None
    try:
        result = build(
            _project(args),
            _out(args),
            base_url=args.base_url,
            drafts=args.drafts,
            use_cache=not args.no_cache,
            progress=progress,
            inputs=inputs,
            file_digests=file_digests,
            input_files=input_files,
            early=early,
        )
    finally:
        if early is not None:
            early.discard()
    if progress:
        print("\r\033[K", end="", file=sys.stderr, flush=True)
    print_problems(result.warnings)
    report = result.report
    state = f"{report.written} written, {report.unchanged} unchanged, {report.removed} removed"
    print(f"Built {result.pages} pages ({result.files} files: {state}) into {_out(args)} in {result.seconds:.2f} s.")
    return 0


def _early_layouts(args: argparse.Namespace):
    """Start compiling the layouts in another process before importing the pipeline, for a build that
    will compile them (no cache to hold them) on a machine with a second core (`compiling.EarlyLayouts`)."""
    from . import parallel
    from .cache import CACHE_DIR

    cold = args.no_cache or not (Path(args.root) / CACHE_DIR).is_dir()
    if not cold or parallel.worker_count() < 2 or not parallel.can_fork():
        return None
    from .compiling import EarlyLayouts

    # `Project(root).layouts`, without importing the pipeline: the same folder, so the same bytecode cache keys.
    return EarlyLayouts(Path(args.root).resolve() / "layouts")


def _unchanged(args: argparse.Namespace, file_digests: dict[str, bytes], input_files: dict):
    """Return the last build's summary if no input changed since (see `buildstate`), else None; and the
    digest of the inputs, with each file's in `file_digests` and what is known of it in `input_files`,
    so the build does not read them all again. Files the last build read and that kept their size,
    times and inode are not read again here either."""
    import os

    from . import buildstate
    from .writer import check_output_dir

    root, out = Path(args.root).resolve(), _out(args)
    check_output_dir(out, root)
    environ = dict(os.environ)
    last = buildstate.last_build(root, out)
    inputs = buildstate.input_digest(
        root,
        base_url=args.base_url,
        drafts=args.drafts,
        env=environ,
        file_digests=file_digests,
        trusted=last.files if last else None,
        seen=input_files,
    )
    return buildstate.unchanged_build(root, out, inputs, last), inputs


def _progress(text: str) -> None:
    """Show what a long build is doing on one terminal line."""
    print(f"\r\033[K{text}", end="", file=sys.stderr, flush=True)


def cmd_check(args: argparse.Namespace) -> int:
    """Validate everything, print problems, write nothing."""
    from .checks import check_project

    problems = check_project(_project(args), base_url=args.base_url, drafts=args.drafts)
    errors = [p for p in problems if p.severity == "error" or args.strict]
    if args.format == "json":
        print(json.dumps([p.as_dict() for p in sorted(problems)], indent=2))
    else:
        print_problems(problems)
        found = sum(1 for p in problems if p.severity == "error")
        warnings = len(problems) - found
        # Each problem counted once, as it is labelled: `--strict` fails on warnings, it does not relabel them.
        strict = " (which --strict counts as errors)" if args.strict and warnings else ""
        print(
            f"paperfolio check: {found} error(s), {warnings} warning(s){strict}; nothing was written.", file=sys.stderr
        )
    return 1 if errors else 0


def cmd_new(args: argparse.Namespace) -> int:
    """Write a new paper file and print its path."""
    from .scaffold import new_paper

    path = new_paper(_project(args), args.title, category=args.category, authors=args.author)
    print(path)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Build, serve and rebuild on change."""
    from .serve import serve

    return serve(
        _project(args),
        Path(args.output) if args.output else None,
        host=args.host,
        port=args.port,
        open_browser=args.open,
        base_url=args.base_url,
        drafts=args.drafts,
    )


def cmd_import_bib(args: argparse.Namespace) -> int:
    """Import BibTeX entries as paper files."""
    from .bibimport import CategoryRefused, import_bib

    project = _project(args)
    try:
        report = import_bib(
            Path(args.bibfile), project.papers, overwrite=args.overwrite, default_category=args.category or "cs.LG"
        )
    except OSError as error:  # "no such file", "is a directory": the system's words, without its errno
        print(f"paperfolio: error: {args.bibfile}: {(error.strerror or str(error)).lower()}", file=sys.stderr)
        return 1
    except CategoryRefused as error:
        print(f"paperfolio: error: {error}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"paperfolio: error: {args.bibfile}: {error}", file=sys.stderr)
        return 1
    print_problems(report.problems(args.bibfile))
    if report.read_nothing and not report.failed:
        print(
            f"paperfolio: error: {args.bibfile}: no BibTeX entry (@article{{…}}, @inproceedings{{…}}…) found",
            file=sys.stderr,
        )
    for path in report.created:
        print(f"{'replaced' if path in report.replaced else 'created'} {path}")
    for key, reason in report.skipped:
        print(f"skipped {key}: {reason}")
    if report.defaulted and args.category is None:  # every ACL paper filed under cs.LG without a word
        print(
            f"import-bib: {report.defaulted} of the papers written name no arXiv category and were given "
            "cs.LG; import them again with --overwrite --category CODE (cs.CL, q-bio.NC…) to choose "
            "another, or edit `categories:`",
            file=sys.stderr,
        )
    print(f"import-bib: {len(report.created)} created, {len(report.skipped)} skipped, {len(report.failed)} failed.")
    # A partly readable file still imports what it can, but a failed entry is an error: exit 1 says so to scripts.
    return 1 if report.failed or report.read_nothing else 0


COMMANDS = {
    "build": cmd_build,
    "check": cmd_check,
    "new": cmd_new,
    "serve": cmd_serve,
    "import-bib": cmd_import_bib,
}
