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
