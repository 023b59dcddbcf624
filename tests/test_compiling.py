"""Compiling the layouts in a process forked before the pipeline is imported (`compiling.EarlyLayouts`)."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import jinja2
import pytest

from paperfolio.cli import main
from paperfolio.compiling import BytecodeCache, EarlyLayouts, compile_all
from paperfolio.templating import make_environment
from tests.test_incremental import make_project, tree

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="EarlyLayouts forks; without fork there is none")


def _gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_early_process_hands_back_what_compiling_here_gives(tmp_path: Path) -> None:
    """Bytecode for every page layout under the keys this process's environment looks up, each one
    the same program as the layout compiled here, and the references compiling here notes; then the
    process is gone (reaped, no zombie)."""
    project = make_project(tmp_path / "project")
    early = EarlyLayouts(project.layouts)
    pid = early.pid
    handed = early.result()
    assert handed is not None and pid is not None and _gone(pid)
    compiled, references = handed
    here_compiled, here_references = compile_all(project.layouts)
    assert compiled.keys() == here_compiled.keys() and len(compiled) > 10
    assert references == here_references
    env = make_environment(project.layouts)
    env.bytecode_cache = BytecodeCache(dict(compiled))
    parses: list[str] = []
    parse = env._parse
    env._parse = lambda source, name, filename: parses.append(name) or parse(source, name, filename)  # type: ignore[method-assign]
    template = env.get_template("404.html")
    assert parses == [], "the layout came from the handed bytecode, not from compiling it here"
    fresh = make_environment(project.layouts).get_template("404.html")
    assert template.root_render_func.__code__.co_code == fresh.root_render_func.__code__.co_code
    assert template.blocks.keys() == fresh.blocks.keys()


def test_a_cold_build_compiles_each_layout_once_and_writes_the_same_site(tmp_path: Path, monkeypatch) -> None:
    """`python build.py --no-cache` on two cores: the layouts come from the early process or, those it had not
    started when this process asked, are compiled here, each once (rendering parses none again), and the
    site is byte for byte the site of a one-core build, which compiles them all itself."""
    project = make_project(tmp_path / "project")
    parses: list[str] = []
    parse = jinja2.Environment._parse

    def counting(self, source, name, filename):
        parses.append(name)  # this process's only: the forked processes count in their own copies
        return parse(self, source, name, filename)

    monkeypatch.setattr(jinja2.Environment, "_parse", counting)
    monkeypatch.setenv("PAPERFOLIO_JOBS", "2")
    assert main(["--root", str(project.root), "--output", str(tmp_path / "two"), "--no-cache"]) == 0
    layouts = [name for name in make_environment(project.layouts).list_templates() if name.endswith(".html")]
    assert len(parses) == len(set(parses)) < len(layouts), "no layout compiled twice; the early process compiled some"
    monkeypatch.setenv("PAPERFOLIO_JOBS", "1")
    assert main(["--root", str(project.root), "--output", str(tmp_path / "one"), "--no-cache"]) == 0
    assert len(parses) > 10
    assert tree(tmp_path / "two") == tree(tmp_path / "one")


def test_a_build_without_the_early_answer_compiles_the_layouts_itself(tmp_path: Path, monkeypatch) -> None:
    """The early process killed before it answers: `result` is None (or, had it not started a layout yet,
    what compiling here gives) and the build compiles the layouts as it would have; a process let go
    without being asked is ended and reaped."""
    project = make_project(tmp_path / "project")
    early = EarlyLayouts(project.layouts)
    assert early.pid is not None
    os.kill(early.pid, signal.SIGKILL)
    assert early.result() in (None, compile_all(project.layouts))
    from paperfolio.pipeline import build

    monkeypatch.setenv("PAPERFOLIO_JOBS", "2")
    killed = EarlyLayouts(project.layouts)
    assert killed.pid is not None
    os.kill(killed.pid, signal.SIGKILL)
    build(project, tmp_path / "site", use_cache=False, early=killed)
    assert killed.pid is None and tree(tmp_path / "site")["index.html"].startswith(b"<!DOCTYPE html>")
    unasked = EarlyLayouts(project.layouts)
    pid = unasked.pid
    unasked.discard()
    assert pid is not None and _gone(pid)


def test_this_process_compiles_the_layouts_the_early_one_has_not_started(tmp_path: Path) -> None:
    """Asked for its answer while the early process is stopped, this process compiles every layout that
    process had not taken, and waits for the rest: all of them come back, as compiling here gives."""
    project = make_project(tmp_path / "project")
    early = EarlyLayouts(project.layouts)
    assert early.pid is not None
    os.kill(early.pid, signal.SIGSTOP)  # holds at most the one layout it took first
    layouts = [name for name in make_environment(project.layouts).list_templates() if name.endswith(".html")]
    parses: list[str] = []
    parse = jinja2.Environment._parse

    def counting(self, source, name, filename):
        parses.append(name)
        if len(parses) == len(layouts) - 1:
            os.kill(early.pid, signal.SIGCONT)  # let it finish what it holds
        return parse(self, source, name, filename)

    jinja2.Environment._parse = counting  # type: ignore[method-assign]
    backstop = threading.Timer(10, os.kill, (early.pid, signal.SIGCONT))  # never hang, whatever went wrong
    backstop.start()
    try:
        handed = early.result()
    finally:
        jinja2.Environment._parse = parse  # type: ignore[method-assign]
        backstop.cancel()
    assert handed == compile_all(project.layouts)
    assert len(layouts) - 1 <= len(parses) <= len(layouts) and len(parses) == len(set(parses))
