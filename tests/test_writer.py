"""The writer: atomic output, unchanged files kept (same inode and time), nothing written when nothing changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paperfolio import writer
from paperfolio.writer import OutputRefused, check_output_dir, write_site


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_unchanged_files_keep_their_inode_and_time(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {".nojekyll": b"", "a/index.html": b"A", "b.html": b"B"})
    before = (out / "a" / "index.html").stat()
    report = write_site(out, {".nojekyll": b"", "a/index.html": b"A", "b.html": b"B2"})
    after = (out / "a" / "index.html").stat()
    assert (report.written, report.unchanged, report.removed) == (1, 2, 0)
    assert report.paths == ("b.html",)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_nothing_changed_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "site"
    files = {".nojekyll": b"", "index.html": b"x"}
    write_site(out, files)
    report = write_site(out, files)
    assert not report.touched


def test_kept_files_stay_and_others_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {".nojekyll": b"", "keep.html": b"K", "old/gone.html": b"G"})
    report = write_site(out, {".nojekyll": b"", "new.html": b"N"}, kept=["keep.html"])
    assert (out / "keep.html").read_bytes() == b"K"
    assert (out / "new.html").read_bytes() == b"N"
    assert not (out / "old").exists()
    assert report.removed == 1


@pytest.mark.parametrize("in_place", [False, True])
def test_in_place_and_swapped_writes_give_the_same_tree(tmp_path: Path, in_place: bool) -> None:
    out = tmp_path / "site"
    write_site(out, {".nojekyll": b"", "a/x.html": b"1", "a/b/y.html": b"2"})
    write_site(out, {".nojekyll": b"", "a/x.html": b"3", "c/z.html": b"4"}, in_place=in_place)
    found = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert found == {".nojekyll": b"", "a/x.html": b"3", "c/z.html": b"4"}
    assert not (out / "a" / "b").exists()
    left = sorted(p.name for p in tmp_path.glob(".site.*"))
    assert left in ([], [".site.spare"]), f"no staging tree is left behind: {left}"


def test_a_ledger_entry_spares_reading_a_file_whose_stat_is_unchanged(tmp_path: Path) -> None:
    """serve compares thousands of files after each edit: a file whose (size, mtime, inode) is the one
    recorded with its bytes' digest is compared by digest; a file someone else touched is read."""
    import hashlib

    from paperfolio.buildstate import stat_outputs

    out = tmp_path / "site"
    write_site(out, {".nojekyll": b"", "a.html": b"AAAA", "b.html": b"BBBB"})
    stats = stat_outputs(out)
    entries = {name: (stats[name], hashlib.sha256(data).digest()) for name, data in [("a.html", b"AAAA")]}
    # The ledger's word is taken for a.html: the same bytes are not written again, without a read.
    ledger = writer.Ledger(entries, stats, {})
    report = write_site(out, {".nojekyll": b"", "a.html": b"AAAA", "b.html": b"BBBB"}, in_place=True, ledger=ledger)
    assert not report.touched and "a.html" in ledger.digests
    # New bytes differ from the recorded digest, so the file is written.
    report = write_site(out, {".nojekyll": b"", "a.html": b"CCCC", "b.html": b"BBBB"}, in_place=True, ledger=ledger)
    assert report.paths == ("a.html",) and (out / "a.html").read_bytes() == b"CCCC"
    # An entry whose stat no longer matches is ignored: the file is read and compared as before.
    (out / "b.html").write_bytes(b"XXXX")
    stale = {"b.html": (stats["b.html"], hashlib.sha256(b"BBBB").digest())}
    report = write_site(
        out,
        {".nojekyll": b"", "a.html": b"CCCC", "b.html": b"BBBB"},
        in_place=True,
        ledger=writer.Ledger(stale, stat_outputs(out), {}),
    )
    assert report.paths == ("b.html",) and (out / "b.html").read_bytes() == b"BBBB"


def test_a_built_site_can_be_rebuilt_anywhere(tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    write_site(out, {".nojekyll": b"", "papers.json": b"[]", "papers.ris": b"", "assets/style.css": b"x"})
    check_output_dir(out, tmp_path / "project")  # its own assets/ does not make it a project


def test_a_github_pages_folder_made_by_hand_is_not_taken_for_a_built_site(tmp_path: Path) -> None:
    """`.nojekyll` alone marked a folder as ours, but a hand-made `docs/` for GitHub Pages has one too:
    `--output docs` replaced it, and the notes in it were gone for good."""
    out = tmp_path / "docs"
    out.mkdir()
    (out / ".nojekyll").write_bytes(b"")
    (out / "notes.md").write_text("keep me")
    with pytest.raises(OutputRefused, match=r"was not made by paperfolio \(no .nojekyll of paperfolio's\)"):
        check_output_dir(out, tmp_path / "project")


def test_a_built_site_with_a_file_deleted_by_hand_is_still_ours(tmp_path: Path) -> None:
    """`rm site/papers.json` while `serve --output` ran, then an edit: the server stopped, and every build
    after refused the folder ("it contains `assets/`") until it was deleted by hand. The mark is `.nojekyll`'s."""
    out = tmp_path / "elsewhere"
    write_site(out, {".nojekyll": writer.MARK, "papers.json": b"[]", "assets/style.css": b"x"})
    (out / "papers.json").unlink()
    check_output_dir(out, tmp_path / "project")
    (out / ".nojekyll").write_bytes(b"")  # an empty one is not the mark: a hand-made docs/ has one too
    with pytest.raises(OutputRefused, match="was not made by paperfolio"):
        check_output_dir(out, tmp_path / "project")


def test_a_link_put_into_the_site_by_hand_is_never_written_through(tmp_path: Path) -> None:
    """A folder of the site replaced by a symbolic link went, with the site, into the spare tree, and the
    build after next wrote that page's files wherever the link pointed."""
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    write_site(out, {".nojekyll": b"", "papers/x/index.html": b"1", "papers/y/index.html": b"1"})
    for name in ("x", "y"):
        shutil.rmtree(out / "papers" / name)
        (out / "papers" / name).symlink_to(elsewhere, target_is_directory=True)
    (out / "top").symlink_to(elsewhere, target_is_directory=True)  # a folder at the top, made by `makedirs`
    for version in (b"2", b"3", b"4"):
        files = {".nojekyll": b"", "papers/x/index.html": version, "papers/y/index.html": version}
        write_site(out, {**files, "top/a.html": version})
        assert list(elsewhere.iterdir()) == []
        assert not (out / "papers" / "x").is_symlink() and (out / "papers/x/index.html").read_bytes() == version
        assert not (out / "top").is_symlink() and (out / "top/a.html").read_bytes() == version


def test_a_folder_we_did_not_make_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    (out / "assets").mkdir(parents=True)
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(OutputRefused):
        check_output_dir(out, tmp_path / "project")


def test_swap_is_one_atomic_exchange_on_linux(tmp_path):
    import sys

    from paperfolio.writer import _exchange

    old, new = tmp_path / "site", tmp_path / "staging"
    old.mkdir()
    new.mkdir()
    (old / "index.html").write_text("old")
    (new / "index.html").write_text("new")
    swapped = _exchange(new, old)
    assert swapped == sys.platform.startswith("linux")
    if swapped:
        assert (old / "index.html").read_text() == "new" and (new / "index.html").read_text() == "old"


def test_the_replaced_tree_is_reused_and_fixed_whatever_it_holds(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = {".nojekyll": b"", "a/index.html": b"A1", "b/index.html": b"B1", "c.html": b"C1", "d/e.html": b"E1"}
    write_site(out, first)
    write_site(out, {**first, "a/index.html": b"A2"})
    spare = tmp_path / ".site.spare"
    assert tree(spare) == first, "the tree a swap replaced is kept, as it was"
    # Damage the spare every way a killed build or a curious user could.
    (spare / "extra.html").write_bytes(b"junk")
    (spare / ".c.html.123.tmp").write_bytes(b"half")
    (spare / "b" / "index.html").unlink()
    (spare / "d" / "e.html").unlink()
    (spare / "d" / "e.html").mkdir()  # a folder where a file goes
    (spare / "c.html").unlink()
    (spare / "c.html").write_bytes(b"C1")  # same bytes, another inode
    live = tree(out)
    wanted = {".nojekyll": b"", "a/index.html": b"A3", "b/index.html": b"B1", "c.html": b"C2", "d/e.html": b"E1"}
    unchanged = (out / "b" / "index.html").stat()
    report = write_site(out, wanted)
    assert tree(out) == wanted
    assert report.written == 2 and set(report.paths) == {"a/index.html", "c.html"}
    kept = (out / "b" / "index.html").stat()
    assert (kept.st_ino, kept.st_mtime_ns) == (unchanged.st_ino, unchanged.st_mtime_ns)
    assert tree(tmp_path / ".site.spare") == live, "the replaced site becomes the next spare"


def test_staging_into_a_reused_tree_never_touches_the_live_site(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "site"
    files = {".nojekyll": b"", "a/index.html": b"A", "b.html": b"B"}
    write_site(out, files)
    write_site(out, {**files, "b.html": b"B2"})  # the spare now shares a/index.html's inode with the site
    before = tree(out)

    def killed(staging: Path, target: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(writer, "_swap", killed)
    with pytest.raises(KeyboardInterrupt):
        write_site(out, {".nojekyll": b"", "a/index.html": b"NEW", "b.html": b"B3"})
    assert tree(out) == before, "bytes written into the reused tree reached the live site"
    monkeypatch.undo()
    write_site(out, {".nojekyll": b"", "a/index.html": b"NEW", "b.html": b"B3"})
    assert tree(out) == {".nojekyll": b"", "a/index.html": b"NEW", "b.html": b"B3"}


def test_an_in_place_write_frees_the_replaced_files_after_writing_and_leaves_none(tmp_path: Path) -> None:
    """serve's in-place write keeps each replaced file by a second link (beside the output folder) until
    the new one is in place, and a thread unlinks those links afterwards: the folder ends with exactly
    the site's files."""
    out = tmp_path / "site"
    write_site(out, {".nojekyll": b"", "a.html": b"A" * 5000, "d/b.html": b"B"})
    inode = (out / "a.html").stat().st_ino
    report = write_site(out, {".nojekyll": b"", "a.html": b"C" * 5000, "d/b.html": b"D"}, in_place=True)
    assert set(report.paths) == {"a.html", "d/b.html"}
    assert writer._FREEING is not None, "the replaced files are freed by a thread"
    writer._FREEING.join()
    assert (out / "a.html").read_bytes() == b"C" * 5000 and (out / "a.html").stat().st_ino != inode
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        ".nojekyll",
        "a.html",
        "d/b.html",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "the links kept meanwhile are gone too"


def test_a_file_in_the_reused_tree_where_a_folder_now_goes_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = {"d/e.html": b"E1", "d/f": b"a file", "d/g/h/i": b"a deep file"}
    write_site(out, first)
    write_site(out, {**first, "d/e.html": b"E2"})  # the first tree is now the spare the next build stages into
    spare = tmp_path / ".site.spare"
    assert tree(spare) == first
    # `d/` is made before `d/f/` and `d/g/h/` are asked for: each goes through the one-`mkdir` path.
    wanted = {"d/e.html": b"E3", "d/f/index.html": b"F", "d/g/h/i/index.html": b"I"}
    write_site(out, wanted)
    assert tree(out) == wanted


def test_what_a_build_keeps_beside_any_output_folder_is_git_ignored(tmp_path: Path) -> None:
    """`--output docs` (GitHub Pages from a folder) left `.docs.spare/`, a copy of the whole site, and `.docs.lock`
    untracked in the repository, one `git add .` away from being committed; only `.site.*` was ignored."""
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    repo = Path(__file__).resolve().parents[1]
    subprocess.run([git, "init", "-q", str(tmp_path)], check=True)
    shutil.copy(repo / ".gitignore", tmp_path / ".gitignore")
    for folder in ("docs", "public"):
        for name in (f".{folder}.spare/index.html", f".{folder}.staging-123/a.html", f".{folder}.old-9/b.html"):
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text("x", "utf-8")
        (tmp_path / f".{folder}.lock").write_text("123\n", "utf-8")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "pages.yml").write_text("on: push\n", "utf-8")  # still tracked
    status = subprocess.run([git, "status", "--porcelain", "-uall"], cwd=tmp_path, capture_output=True, text=True)
    assert sorted(status.stdout.split()[1::2]) == [".github/workflows/pages.yml", ".gitignore"]


@pytest.mark.parametrize("big", [False, True], ids=["bytes", "copied"])
def test_a_file_the_site_lost_after_it_was_listed_is_staged_anew(tmp_path: Path, big: bool) -> None:
    """The current site's files are listed once, before the build stages any: one deleted by hand meanwhile (or
    unreadable) is simply not the same. A small file was staged anew so (`_same`), but a big one, copied file to
    file, stopped the build with `site/assets/talk.mp4: No such file or directory`."""
    out = tmp_path / "site"
    source = tmp_path / "talk.mp4"
    source.write_bytes(b"x" * 100)
    write_site(out, {"index.html": b"<p>", "assets/talk.mp4": source.read_bytes()})
    staging = writer.Staging(out)  # lists the site: talk.mp4, 100 bytes
    (out / "assets" / "talk.mp4").unlink()
    changed = staging.put_copy("assets/talk.mp4", source) if big else staging.put("assets/talk.mp4", b"x" * 100)
    assert changed
    report = writer.write_site(out, {"index.html": b"<p>"}, staging=staging, staged={"assets/talk.mp4": changed})
    assert report.written == 1 and (out / "assets" / "talk.mp4").read_bytes() == b"x" * 100
