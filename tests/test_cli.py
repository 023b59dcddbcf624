"""The command line: options mean the same before and after the command's name."""

from __future__ import annotations

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
