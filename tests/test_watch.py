"""`serve` learns of changes from the system (inotify, `paperfolio.watch`) and then looks only at what it was
told of: these tests check that what it is told, looked at, gives the same account of the files as looking
at every one of them (`Session.watched`), after any sequence of file operations."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import random
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperfolio import watch
from paperfolio.pipeline import Project
from paperfolio.serve import Session
from paperfolio.settings import SETTINGS_FILE

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")


def make_root(root: Path) -> Project:
    for folder in ("content/papers", "layouts", "assets/css"):
        (root / folder).mkdir(parents=True)
    (root / "content" / "papers" / "a.md").write_text("---\ntitle: A\n---\n", "utf-8")
    (root / "layouts" / "base.html").write_text("<p>{{ x }}</p>", "utf-8")
    (root / "assets" / "css" / "site.css").write_text("p{}", "utf-8")
    (root / SETTINGS_FILE).write_text("title: T\n", "utf-8")
    return Project(root)


@contextlib.contextmanager
def watching(project: Project) -> Iterator[watch.FolderEvents]:
    """Watch the project as `serve` does, and stop watching afterwards."""
    events = watch.open_events([project.content, project.layouts, project.assets], [project.root / SETTINGS_FILE])
    assert events is not None and events.complete
    try:
        yield events
    finally:
        events.close()


def test_writes_in_watched_folders_are_reported_and_others_are_not(tmp_path: Path) -> None:
    project = make_root(tmp_path)
    with watching(project) as events:
        assert events.drain() == set()
        paper = project.papers / "a.md"
        paper.write_text("---\ntitle: B\n---\n", "utf-8")
        (project.layouts / "base.html").write_text("<p></p>", "utf-8")
        assert events.drain() == {str(paper), str(project.layouts / "base.html")}
        (tmp_path / "site").mkdir()
        (tmp_path / "site" / "index.html").write_text("out", "utf-8")
        (tmp_path / "notes.txt").write_text("not the site's", "utf-8")
        assert events.drain() == set()  # the output folder and other files beside the settings are not watched
        (tmp_path / SETTINGS_FILE).write_text("title: U\n", "utf-8")
        assert events.drain() == {str(tmp_path / SETTINGS_FILE)}


def test_folders_made_later_are_watched_and_hidden_ones_are_not(tmp_path: Path) -> None:
    project = make_root(tmp_path)
    with watching(project) as events:
        new = project.papers / "2024" / "spring"
        new.mkdir(parents=True)
        (new / "b.md").write_text("b", "utf-8")
        assert events.drain() == {str(project.papers / "2024")}  # the folder; what is in it is looked at
        (new / "c.md").write_text("c", "utf-8")
        assert events.drain() == {str(new / "c.md")}  # the new folders are watched from now on
        hidden = project.papers / ".git"
        hidden.mkdir()
        (hidden / "index").write_text("x", "utf-8")
        assert events.drain() == set()
        (project.papers / ".a.md.swp").write_text("x", "utf-8")  # hidden files are reported, as they are polled
        assert events.drain() == {str(project.papers / ".a.md.swp")}


def test_a_watched_folder_removed_and_made_again_is_watched_again(tmp_path: Path) -> None:
    project = make_root(tmp_path)
    with watching(project) as events:
        shutil.rmtree(project.layouts)
        assert str(project.layouts) in events.drain()
        project.layouts.mkdir()
        assert events.drain() == {str(project.layouts)}
        (project.layouts / "page.html").write_text("x", "utf-8")
        assert events.drain() == {str(project.layouts / "page.html")}


def test_a_watched_folder_that_is_a_link_is_followed(tmp_path: Path) -> None:
    """`content/` kept in another repository and linked in is watched where it is, as `os.walk` walks it."""
    project = make_root(tmp_path / "site-repo")
    elsewhere = tmp_path / "papers-repo"
    shutil.move(project.content, elsewhere)
    project.content.symlink_to(elsewhere, target_is_directory=True)
    with watching(project) as events:
        (elsewhere / "papers" / "a.md").write_text("changed", "utf-8")
        assert events.drain() == {str(project.papers / "a.md")}


def test_lost_events_mean_look_at_everything(tmp_path: Path) -> None:
    project = make_root(tmp_path)
    with watching(project) as events:
        assert events._event(-1, watch.IN_Q_OVERFLOW, "") is None


def test_no_events_off_linux_or_past_the_watch_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_root(tmp_path)
    trees, files = [project.content, project.layouts, project.assets], [project.root / SETTINGS_FILE]

    class Full:
        """A C library whose watches are used up (`fs.inotify.max_user_watches`)."""

        def inotify_add_watch(self, fd: int, path: bytes, mask: int) -> int:
            ctypes.set_errno(errno.ENOSPC)
            return -1

    fd = os.open(os.devnull, os.O_RDONLY)
    assert not watch.FolderEvents(Full(), fd, trees, files).complete  # type: ignore[arg-type]
    os.close(fd)
    monkeypatch.setattr(watch.sys, "platform", "darwin")
    assert watch.open_events(trees, files) is None


def operate(root: Path, rng: random.Random, step: int) -> str:
    """Do one random file operation under `root` and return what it was."""
    trees = [root / "content", root / "layouts", root / "assets"]
    files = sorted(p for tree in trees if tree.is_dir() for p in tree.rglob("*") if p.is_file())
    folders = sorted(p for tree in trees if tree.is_dir() for p in tree.rglob("*") if p.is_dir())
    what = rng.choice(
        ["write", "append", "new", "new-folder", "delete", "rename", "replace", "move-folder", "remove-folder",
         "hidden-folder", "settings", "outside", "link", "touch"]
    )  # fmt: skip
    if what in ("write", "append", "delete", "rename", "replace", "touch") and not files:
        what = "new"
    if what in ("move-folder", "remove-folder") and not folders:
        what = "new-folder"
    if what == "write":
        target = rng.choice(files)
        target.write_bytes(bytes(len(target.read_bytes())))  # same size
    elif what == "append":
        with rng.choice(files).open("a") as file:
            file.write(f"step {step}\n")
    elif what == "new":
        folder = rng.choice(trees + folders)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"new-{step}.md").write_text(f"new {step}", "utf-8")
    elif what == "new-folder":
        folder = rng.choice(trees + folders) / f"folder-{step}" / "inner"
        folder.mkdir(parents=True)
        (folder / "inside.md").write_text("inside", "utf-8")
        (folder.parent / "beside.md").write_text("beside", "utf-8")
    elif what == "delete":
        rng.choice(files).unlink()
    elif what == "rename":
        target = rng.choice(files)
        target.rename(rng.choice([target.parent, *folders]) / f"renamed-{step}.md")
    elif what == "replace":  # an editor's atomic save: a new file renamed over the old one
        target = rng.choice(files)
        temporary = target.parent / f".{target.name}.tmp"
        temporary.write_text(f"saved {step}", "utf-8")
        os.replace(temporary, target)
    elif what == "move-folder":
        folder = rng.choice(folders)
        destination = rng.choice([root / "content", root / "assets", root / "elsewhere"]) / f"moved-{step}"
        destination.parent.mkdir(exist_ok=True)
        if not destination.is_relative_to(folder):
            folder.rename(destination)
    elif what == "remove-folder":
        shutil.rmtree(rng.choice(folders))
    elif what == "hidden-folder":
        folder = rng.choice(trees) / ".hidden" / f"in-{step}"
        folder.mkdir(parents=True)
        (folder / "ignored.md").write_text("ignored", "utf-8")
    elif what == "settings":
        (root / SETTINGS_FILE).write_text(f"title: step {step}\n", "utf-8")
    elif what == "outside":
        (root / "site").mkdir(exist_ok=True)
        (root / "site" / f"page-{step}.html").write_text("out", "utf-8")
    elif what == "link":
        (rng.choice(trees) / f"link-{step}.md").symlink_to(rng.choice(files) if files else root / "nowhere")
    elif what == "touch":
        os.utime(rng.choice(files), ns=(step, step))
    return what


@pytest.mark.parametrize("seed", range(4))
def test_looking_only_at_what_was_reported_keeps_the_same_account_as_looking_at_everything(
    tmp_path: Path, seed: int
) -> None:
    project = make_root(tmp_path)
    session = Session(project, tmp_path / "site", None, True, log=lambda *a, **k: None)
    session.snapshot = before = session.watched()
    rng = random.Random(seed)
    with watching(project) as events:
        for step in range(40):
            what = operate(tmp_path, rng, step)
            reported = events.drain()
            assert reported is not None and events.complete
            now = session.watched()
            expected = sorted(
                os.path.relpath(p, tmp_path) for p in now.keys() | before.keys() if now.get(p) != before.get(p)
            )
            assert session.changes(reported) == expected, f"step {step} ({what})"
            assert session.snapshot == now, f"step {step} ({what})"
            before = now
