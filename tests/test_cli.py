"""The command line: options mean the same before and after the command's name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from paperfolio.cli import make_parser


@pytest.mark.parametrize("command", ["build", "check", "serve"])
def test_options_before_the_command_are_kept(command: str) -> None:
    args = make_parser().parse_args(["--root", "proj", "--output", "out", "--base-url", "/p/", "--no-cache", command])
    assert (args.root, args.output, args.base_url, args.no_cache) == ("proj", "out", "/p/", True)


@pytest.mark.parametrize("command", ["build", "check", "serve"])
def test_options_after_the_command_are_kept(command: str) -> None:
    args = make_parser().parse_args([command, "--root", "proj", "--output", "out", "--verbose"])
    assert (args.root, args.output, args.verbose) == ("proj", "out", True)


def test_defaults_without_options() -> None:
    args = make_parser().parse_args(["build"])
    assert (args.root, args.output, args.base_url, args.drafts, args.no_cache) == (".", None, None, False, False)


def test_serve_shows_drafts_unless_told_not_to() -> None:
    assert make_parser().parse_args(["serve"]).drafts is True
    assert make_parser().parse_args(["serve", "--no-drafts"]).drafts is False
    assert make_parser().parse_args([]).drafts is False


def test_import_bib_imports_what_it_can_and_exits_1_when_an_entry_failed(tmp_path, capsys) -> None:
    from paperfolio.cli import main

    (tmp_path / "content" / "papers").mkdir(parents=True)
    bib = tmp_path / "refs.bib"
    good = "@article{good2023,\n  title = {Good},\n  author = {Lovelace, Ada},\n  year = {2023}\n}\n"
    bib.write_text(good + "@article{notitle2020,\n  author = {Smith, J.},\n  year = {2020}\n}\n", encoding="utf-8")
    assert main(["import-bib", str(bib), "--root", str(tmp_path)]) == 1
    assert (tmp_path / "content" / "papers" / "good2023.md").is_file()
    assert f"{bib}:6: error: entry `notitle2020`: missing `title`" in capsys.readouterr().err
    bib.write_text(good.replace("good2023", "other2023"), encoding="utf-8")
    assert main(["import-bib", str(bib), "--root", str(tmp_path)]) == 0


def test_import_bib_says_which_papers_got_the_default_category_and_which_it_replaced(tmp_path, capsys) -> None:
    """Every ACL and TACL paper was filed under cs.LG without a word, and `--overwrite` said "created" of the
    files it replaced."""
    from paperfolio.cli import main

    (tmp_path / "content" / "papers").mkdir(parents=True)
    bib = tmp_path / "refs.bib"
    entries = "@article{a2023,\n  title = {A},\n  author = {Lovelace, Ada},\n  year = {2023}\n}\n"
    entries += (
        "@misc{b2023,\n  title = {B},\n  author = {Lovelace, Ada},\n  year = {2023},\n  primaryClass = {cs.CL}\n}\n"
    )
    bib.write_text(entries, encoding="utf-8")
    assert main(["import-bib", str(bib), "--root", str(tmp_path)]) == 0
    said = capsys.readouterr()
    assert said.err.splitlines() == [
        "import-bib: 1 of the papers written name no arXiv category and were given cs.LG; import them again with "
        "--overwrite --category CODE (cs.CL, q-bio.NC…) to choose another, or edit `categories:`"
    ]
    assert main(["import-bib", str(bib), "--root", str(tmp_path), "--overwrite", "--category", "CL"]) == 0
    said = capsys.readouterr()
    assert said.err == "" and said.out.splitlines()[:2] == [
        f"replaced {tmp_path / 'content' / 'papers' / 'a2023.md'}",
        f"replaced {tmp_path / 'content' / 'papers' / 'b2023.md'}",
    ]
    assert "- cs.CL" in (tmp_path / "content" / "papers" / "a2023.md").read_text("utf-8")
    assert main(["import-bib", str(bib), "--root", str(tmp_path), "--overwrite", "--category", "XYZ"]) == 2
    assert capsys.readouterr().err == "paperfolio: error: --category 'XYZ' is not an arXiv category this site knows\n"


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("missing.bib", None, "no such file or directory"),
        ("folder.bib", "folder", "is a directory"),
        ("empty.bib", "", "no BibTeX entry (@article{…}, @inproceedings{…}…) found"),
        (
            "strings.bib",
            '@string{x = "y"}\n@comment{only a comment}\n',
            "no BibTeX entry (@article{…}, @inproceedings{…}…) found",
        ),
    ],
)
def test_import_bib_says_in_one_line_why_it_imported_nothing(tmp_path, capsys, name, content, said) -> None:
    """Exit 1 said nothing for a file without an entry, and a missing file printed Python's `[Errno 2] …`."""
    from paperfolio.cli import main

    (tmp_path / "content" / "papers").mkdir(parents=True)
    bib = tmp_path / name
    if content == "folder":
        bib.mkdir()
    elif content is not None:
        bib.write_text(content, encoding="utf-8")
    assert main(["import-bib", str(bib), "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines() == [f"paperfolio: error: {bib}: {said}"]


def test_the_first_import_of_a_checkout_compiles_the_package_in_a_helper(tmp_path) -> None:
    """`paperfolio._compile_ahead`: importing the package from a copy with nothing compiled writes the
    bytecode of modules it did not import (the helper's, last-imported first), valid for Python to use;
    `_MODULES` names only modules that exist."""
    import importlib.util
    import marshal
    import os
    import shutil
    import subprocess
    import sys
    import time
    import types
    from pathlib import Path

    import paperfolio

    source = Path(paperfolio.__file__).parent
    assert {f"{name}.py" for name in paperfolio._MODULES} <= {path.name for path in source.glob("*.py")}
    copy = tmp_path / "paperfolio"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    code = "import sys; sys.dont_write_bytecode = False; import paperfolio; print(sorted(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "paperfolio.pipeline" not in out.stdout  # the importing process never touched it
    compiled = Path(importlib.util.cache_from_source(str(copy / "pipeline.py")))
    deadline = time.monotonic() + 30
    while not compiled.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert compiled.exists(), "the helper wrote no bytecode for pipeline.py"
    data = compiled.read_bytes()  # what an import would accept: this Python's magic, the source's mtime and size
    stat = (copy / "pipeline.py").stat()
    assert data[:4] == importlib.util.MAGIC_NUMBER and int.from_bytes(data[4:8], "little") == 0
    assert int.from_bytes(data[8:12], "little") == int(stat.st_mtime) & 0xFFFFFFFF
    assert int.from_bytes(data[12:16], "little") == stat.st_size & 0xFFFFFFFF
    assert isinstance(marshal.loads(data[16:]), types.CodeType)


def test_a_folder_that_is_no_project_gets_one_line_naming_the_project_to_use(tmp_path) -> None:
    """Started from the wrong folder, `python build.py` says so once (it said "layout not found" eight
    times), and names the folder `build.py` is in when that one is a project."""
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, str(repo / "build.py"), "check"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        "paperfolio: error: the current folder is not a paperfolio project (it has no paperfolio.yaml, content/ or"
        f" layouts/); run `cd {repo}` first, or pass `--root {repo}`\n"
    )
    assert not (tmp_path / "site").exists()
    (tmp_path / "content").mkdir()  # a project being started: its problems are told as before
    result = subprocess.run(
        [sys.executable, str(repo / "build.py"), "check"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1 and "not a paperfolio project" not in result.stderr


def test_build_py_on_an_older_python_says_which_is_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python 3.10 gets Python-Markdown 3.10, whose output the fast paths are not checked against; pip refuses
    to install there (`requires-python`), and `python build.py` run as it is says why in one line."""
    import runpy
    import sys
    from pathlib import Path

    monkeypatch.setattr(sys, "version_info", (3, 10, 13, "final", 0))
    monkeypatch.setattr(sys, "version", "3.10.13 (main) [GCC]")
    with pytest.raises(SystemExit) as stopped:
        runpy.run_path(str(Path(__file__).resolve().parents[1] / "build.py"), run_name="__main__")
    assert stopped.value.code == "paperfolio: error: Python 3.11 or newer is needed; this is Python 3.10.13"


def test_an_interrupted_build_says_so_in_one_line(tmp_path, monkeypatch, capsys) -> None:
    """Ctrl-C ended a build with exit status 130 and no word of what became of the site."""
    from paperfolio import pipeline
    from paperfolio.cli import main

    (tmp_path / "content" / "papers").mkdir(parents=True)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "build", interrupted)
    assert main(["--root", str(tmp_path), "--no-cache"]) == 130
    said = capsys.readouterr().err.strip().splitlines()
    assert said == [f"paperfolio: interrupted; {tmp_path / 'site'} is whole, never half written."]


def test_a_missing_library_is_named_in_one_line_with_the_command_that_installs_it(tmp_path, monkeypatch, capsys):
    """`python build.py` with a Python that pip did not install the requirements for ended in a traceback
    ("No module named 'jinja2'"); a module of paperfolio's own that is missing is a bug and still raises."""
    import sys

    from paperfolio import cli

    (tmp_path / "content" / "papers").mkdir(parents=True)

    def missing(args):
        raise ModuleNotFoundError("No module named 'jinja2'", name="jinja2")

    monkeypatch.setitem(cli.COMMANDS, "build", missing)
    assert cli.main(["--root", str(tmp_path)]) == 1
    said = capsys.readouterr().err.strip().splitlines()
    python = sys.executable
    assert said == [
        f"paperfolio: error: the library `jinja2` is not installed for this Python ({python}); "
        f"install paperfolio's requirements first: {python} -m pip install -e ."
    ]

    def broken(args):
        raise ModuleNotFoundError("No module named 'paperfolio.nothing'", name="paperfolio.nothing")

    monkeypatch.setitem(cli.COMMANDS, "build", broken)
    with pytest.raises(ModuleNotFoundError):
        cli.main(["--root", str(tmp_path)])


@pytest.mark.parametrize("jobs", ["two", "0", "-1", "1.5", "٣"])
def test_a_worker_count_that_is_no_whole_number_is_refused_before_anything_runs(tmp_path, monkeypatch, capsys, jobs):
    """`PAPERFOLIO_JOBS=two` fell back to every core without a word, so a user limiting the build's
    processes (a shared machine, a small CI runner) never knew the limit was not applied."""
    from paperfolio import cli

    (tmp_path / "content" / "papers").mkdir(parents=True)
    ran = []
    monkeypatch.setitem(cli.COMMANDS, "build", ran.append)
    monkeypatch.setenv("PAPERFOLIO_JOBS", jobs)
    assert cli.main(["--root", str(tmp_path)]) == 2
    assert ran == []
    said = capsys.readouterr().err.strip().splitlines()
    assert said == [
        f"paperfolio: error: PAPERFOLIO_JOBS must be a whole number of worker processes, 1 or more, got {jobs!r}"
    ]
    monkeypatch.setenv("PAPERFOLIO_JOBS", " 3 ")  # spaces around a number, and no value at all, are fine
    assert cli.main(["--root", str(tmp_path)]) is None and len(ran) == 1
    monkeypatch.setenv("PAPERFOLIO_JOBS", "")
    assert cli.main(["--root", str(tmp_path)]) is None and len(ran) == 2


def test_each_commands_help_shows_only_the_options_it_uses(capsys) -> None:
    """`serve --help` said `--output` defaults to ROOT/site (serve builds into a temporary folder) and listed
    `--no-cache`, which it ignores; `new` and `import-bib` listed `--drafts`, `--base-url` and `--output`."""
    from paperfolio.cli import make_parser

    def help_of(command: str) -> str:
        with pytest.raises(SystemExit):
            make_parser().parse_args([command, "--help"])
        return capsys.readouterr().out

    served = help_of("serve")
    assert "build into this folder (default: a temporary one)" in served and "--no-cache" not in served
    for command in ("new", "import-bib"):
        text = help_of(command)
        assert not any(option in text for option in ("--drafts", "--base-url", "--output", "--no-cache")), command
    assert "--no-cache" in help_of("build")
    assert make_parser().parse_args(["new", "T", "--drafts"]).drafts  # still taken, as before a command


def test_readmes_commands_table_names_every_option_each_help_shows(capsys) -> None:
    """README's Commands table gives each command's options: each one `--help` shows is named in its row
    (`--root` and `--verbose`, which every command takes, are in the text under the table)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    table = readme[readme.index("## Commands") : readme.index("The build is atomic")]
    rows = {
        "build": "| `python build.py` |",
        "check": "| `python build.py check` |",
        "new": '| `python build.py new "Title"` |',
        "serve": "| `python build.py serve` |",
        "import-bib": "| `python build.py import-bib refs.bib` |",
    }
    for command, start in rows.items():
        with pytest.raises(SystemExit):
            make_parser().parse_args([command, "--help"])
        shown = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", capsys.readouterr().out)) - {"--help", "--root"}
        row = next(line for line in table.splitlines() if line.startswith(start))
        assert {option for option in shown if f"`{option}" not in row} <= {"--verbose"}, command
    assert "`--root DIR`" in table and "--verbose" in table
