"""`python build.py serve` in a subprocess on a free port: edits show up, errors show in the browser, the server lives.

The browser test checks in headless Chromium that the page reloads by itself after an edit, with the pages'
CSP (`script-src 'self'`) intact; it skips where Chromium or Playwright is missing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_incremental import make_project

REPO = Path(__file__).resolve().parents[1]
EDIT_DEADLINE_S = 2.0  # an edit is served within this long
START_TIMEOUT_S = 90.0  # the first build of a loaded CI machine can be slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    """Return the status and text of a GET; an HTTP error status is returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(url: str, predicate, timeout: float) -> tuple[float, int, str]:
    """Poll `url` until `predicate(status, text)`; return the seconds it took and the last answer."""
    started = time.monotonic()
    status, text = 0, ""
    while time.monotonic() - started < timeout:
        with contextlib.suppress(OSError):
            status, text = fetch(url)
            if predicate(status, text):
                return time.monotonic() - started, status, text
        time.sleep(0.05)
    raise AssertionError(f"{url} did not reach the expected state in {timeout} s; last status {status}:\n{text[:2000]}")


def _as_from_a_terminal() -> None:
    """Give the server Ctrl-C as a terminal's foreground process has it. A shell that is not interactive
    starts a background command (`pytest &`) with SIGINT ignored, its children inherit that, and Python
    installs its Ctrl-C handler only over the default: the server would ignore the test's SIGINT."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.contextmanager
def serving(project: Path, out: Path, *args: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run `serve` on a free port; yield the server's origin and the process."""
    port = free_port()
    command = [sys.executable, "build.py", "serve", "--root", str(project), "--output", str(out), "--port", str(port)]
    process = subprocess.Popen(
        [*command, *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=_as_from_a_terminal,  # noqa: PLW1509 - no threads of ours run at this point
    )
    # The output is read as it comes (`process.output`, its lines), so the server never waits on a full pipe.
    process.output = []  # type: ignore[attr-defined]
    reader = threading.Thread(target=lambda: process.output.extend(process.stdout), daemon=True)  # type: ignore[attr-defined]
    reader.start()
    process.reader = reader  # type: ignore[attr-defined]
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_serve_shows_edits_errors_and_recovers(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project").root
    out = tmp_path / "site"
    paper = project / "content" / "papers" / "aligner.md"
    good = paper.read_text("utf-8")
    with serving(project, out, "--base-url", "https://example.github.io/repo/") as (origin, process):
        page = f"{origin}/repo/papers/aligner/"
        _, status, text = wait_for(page, lambda s, t: s == 200, START_TIMEOUT_S)
        assert '<script src="/livereload.js?port=' in text
        assert fetch(f"{origin}/livereload.js")[0] == 200
        assert fetch(f"{origin}/repo/no-such-page/")[0] == 404
        unrelated = {p: p.stat().st_mtime_ns for p in out.rglob("*.html") if "omnisafe" in str(p)}
        assert unrelated

        paper.write_text(good.rstrip("\n") + "\n\nA sentence added while serving.\n", "utf-8")
        took, _, _ = wait_for(page, lambda s, t: "A sentence added while serving." in t, 30)
        assert took < EDIT_DEADLINE_S, f"the edit took {took:.2f} s to be served"
        assert {p: p.stat().st_mtime_ns for p in unrelated} == unrelated

        paper.write_text(good.replace("title:", "title: [unclosed", 1), "utf-8")
        _, status, text = wait_for(page, lambda s, t: s == 500, 30)
        assert "content/papers/aligner.md:" in text and "error" in text

        paper.write_text(good, "utf-8")
        _, status, text = wait_for(page, lambda s, t: s == 200, 30)
        assert "A sentence added while serving." not in text
        assert process.poll() is None, "the server stopped"

        process.send_signal(signal.SIGINT)
        try:
            status = process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            shown = "".join(process.output[-60:])
            raise AssertionError(f"the server did not stop on Ctrl-C in 10 s; its output ends:\n{shown}") from None
        process.reader.join(timeout=10)
        assert status == 0
        assert "server stopped" in "".join(process.output)


def test_serve_shows_drafts_with_a_marker(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project").root
    paper = project / "content" / "papers" / "aligner.md"
    paper.write_text(paper.read_text("utf-8").replace("---\n", "---\ndraft: true\n", 1), "utf-8")
    with serving(project, tmp_path / "site") as (origin, _process):
        _, _, text = wait_for(f"{origin}/papers/aligner/", lambda s, t: s == 200, START_TIMEOUT_S)
        assert "draft" in text.lower()


def test_the_browser_reloads_by_itself_after_an_edit(tmp_path: Path) -> None:
    pytest.importorskip("playwright")
    from tests.gates.browser import CHROMIUM, CHROMIUM_ARGS

    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    project = make_project(tmp_path / "project").root
    paper = project / "content" / "papers" / "aligner.md"
    with serving(project, tmp_path / "site") as (origin, _process):
        wait_for(f"{origin}/papers/aligner/", lambda s, t: s == 200, START_TIMEOUT_S)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page()
            violations: list[str] = []
            page.on("console", lambda message: violations.append(message.text) if "Security" in message.text else None)
            page.goto(f"{origin}/papers/aligner/")
            page.wait_for_function("() => window.LiveReload !== undefined", timeout=30_000)
            time.sleep(0.5)  # the web socket handshake
            paper.write_text(paper.read_text("utf-8").rstrip("\n") + "\n\nReloaded by itself.\n", "utf-8")
            page.wait_for_function("() => document.body.innerText.includes('Reloaded by itself.')", timeout=30_000)
            browser.close()
        assert not violations, violations


def test_a_busy_port_is_refused_before_building(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project").root
    out = tmp_path / "site"
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        command = [sys.executable, "build.py", "serve", "--root", str(project), "--output", str(out)]
        result = subprocess.run(
            [*command, "--port", str(port)], cwd=REPO, capture_output=True, text=True, timeout=START_TIMEOUT_S
        )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"paperfolio: error: cannot serve on 127.0.0.1:{port}: Address already in use; try --port"
    ]
    assert "Serving" not in result.stdout and not out.exists()


def test_the_served_base_path_follows_the_settings_file_and_its_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paperfolio.pipeline import Project
    from paperfolio.serve import Session

    monkeypatch.delenv("PAPERFOLIO_BASE_URL", raising=False)
    project = make_project(tmp_path / "project")
    settings = project.root / "paperfolio.yaml"
    session = Session(Project(project.root), tmp_path / "site", None, True, log=lambda *a, **k: None)
    session.rebuild()
    assert session.base_path == "/"
    settings.write_text(settings.read_text("utf-8").replace("base_url: /", "base_url: /lab/"), "utf-8")
    session.rebuild(["paperfolio.yaml"])
    assert session.base_path == "/lab/"
    monkeypatch.setenv("PAPERFOLIO_BASE_URL", "https://example.org/papers/")
    session.rebuild([])
    assert session.base_path == "/papers/"
    monkeypatch.delenv("PAPERFOLIO_BASE_URL")
    session.rebuild([])
    assert session.base_path == "/lab/"


@pytest.mark.parametrize("start", [True, False])
def test_the_first_edit_after_start_checks_no_more_than_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: bool
) -> None:
    """The first build leaves no paper known to be settled, so the first edit checked every file's record again
    (4,587 at 1,000 papers, against 615 for each edit after it, about 30 ms). `Session.start` settles them at
    start-up; a session started with only its first build (`start=False`) shows what the check is for."""
    from paperfolio import incremental
    from paperfolio.pipeline import Project
    from paperfolio.serve import Session

    every = sorted(path.name for path in (REPO / "content" / "papers").glob("*.md"))
    project = make_project(tmp_path / "project", names=every)
    session = Session(Project(project.root), tmp_path / "site", None, True, log=lambda *a, **k: None)
    session.start() if start else session.rebuild()
    checked = []
    kept_record = incremental.RenderRun.kept_record
    monkeypatch.setattr(
        incremental.RenderRun, "kept_record", lambda run, *args: checked.append(args[0]) or kept_record(run, *args)
    )
    counts = []
    paper = project.papers / "aligner.md"
    for n in range(2):
        paper.write_text(paper.read_text("utf-8") + f"\nEdit {n}.\n", "utf-8")
        checked.clear()
        session.rebuild(["content/papers/aligner.md"])
        assert session.problems is None and session.crash is None
        counts.append(len(checked))
    if start:
        assert counts[0] == counts[1]
    else:
        assert counts[0] > counts[1]


def test_the_server_answers_any_path_without_an_error(tmp_path: Path) -> None:
    """Paths a browser or a probe may send: a file named in UTF-8, a folder without its slash, a NUL byte, a
    name longer than the system allows, a way out of the site, a line break meant for the headers."""
    from paperfolio.pipeline import Project
    from paperfolio.serve import Session, make_app

    out = tmp_path / "site"
    (out / "papers" / "a").mkdir(parents=True)
    (out / "assets").mkdir()
    (out / "papers" / "a" / "index.html").write_text("<head></head>paper a", "utf-8")
    (out / "404.html").write_text("<head></head>not here", "utf-8")
    (out / "assets" / "café.png").write_bytes(b"PNG")
    (out / "papers" / "a\r\nSet-Cookie: x=1").mkdir()
    (tmp_path / "secret.txt").write_text("secret", "utf-8")
    app = make_app(Session(Project(tmp_path), out.resolve(), None, False), 8000)

    def get(path: str) -> tuple[str, dict[str, str], bytes]:
        answer: dict = {}
        # As a WSGI server hands the path on: its bytes, percent-decoded, as Latin-1 characters.
        body = b"".join(app({"PATH_INFO": path}, lambda status, headers: answer.update(s=status, h=dict(headers))))
        return answer["s"], answer["h"], body

    assert get("/papers/a/")[0] == "200 OK" and get("/papers/a/")[2].endswith(b"paper a")
    assert get("/papers/a")[:2] == ("302 Found", {"Location": "/papers/a/", "Content-Length": "0"})
    assert get("/assets/café.png".encode().decode("latin-1"))[::2] == ("200 OK", b"PNG")
    status, headers, _body = get("/papers/a\r\nSet-Cookie: x=1")
    assert status == "302 Found" and headers["Location"] == "/papers/a%0D%0ASet-Cookie%3A%20x%3D1/"
    for path in ("/\x00", "/" + "a" * 5000, "/papers/" + "b/" * 3000, "/../secret.txt", "/papers/../../secret.txt"):
        status, _headers, body = get(path)
        assert status == "404 Not Found" and b"not here" in body, path


@pytest.mark.parametrize("port", ["70000", "0", "-1", "80a"])
def test_a_port_outside_1_to_65535_is_refused_by_the_option(port: str, capsys) -> None:
    """The system read 70000 as 4464 and the server said it served on 70000."""
    from paperfolio.cli import make_parser

    with pytest.raises(SystemExit) as exit_:
        make_parser().parse_args(["serve", "--port", port])
    assert exit_.value.code == 2
    assert f"argument --port: a port is a whole number from 1 to 65535, got '{port}'" in capsys.readouterr().err


@pytest.mark.parametrize(("host", "option"), [("999.1.1.1", "--host"), ("192.0.2.1", "--host")])
def test_an_address_this_machine_cannot_listen_on_names_the_host_option(tmp_path: Path, host: str, option: str) -> None:
    """An address that is no name, or not this machine's (192.0.2.1 is documentation's), is refused before
    building, without first warning that other machines can reach it."""
    project = make_project(tmp_path / "project").root
    command = [sys.executable, "build.py", "serve", "--root", str(project), "--output", str(tmp_path / "site")]
    result = subprocess.run([*command, "--host", host], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"paperfolio: error: cannot serve on {host}:8000: ") and line.endswith(f"; try {option}")


def test_a_write_the_system_refuses_is_shown_in_one_line_not_as_a_bug(tmp_path: Path, monkeypatch) -> None:
    """A full disk while serving was shown as a traceback headed "paperfolio crashed", "a bug in paperfolio"."""
    import errno

    from paperfolio import writer
    from paperfolio.pipeline import Project
    from paperfolio.serve import Session, _error_page

    project = make_project(tmp_path / "project", names=["aligner.md", "beavertails.md"])
    said: list[str] = []
    session = Session(Project(project.root), tmp_path / "site", None, True, log=lambda *a, **k: said.append(a[0]))
    session.start()
    paper = project.papers / "aligner.md"

    def full(path: str, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", path)

    monkeypatch.setattr(writer, "write_file", full)
    paper.write_text(paper.read_text("utf-8") + "\nAn edit.\n", "utf-8")
    assert session.rebuild(["content/papers/aligner.md"])
    assert session.refused and session.crash.endswith(": No space left on device")
    assert "\n" not in session.crash and said[-1].startswith("paperfolio: error: ")
    page = _error_page(session, b"").decode()
    assert "The site could not be written" in page and "No space left on device" in page and "bug" not in page
    monkeypatch.undo()
    assert session.rebuild(["content/papers/aligner.md"])
    assert session.crash is None and not session.refused
    assert "An edit." in (tmp_path / "site" / "papers" / "aligner" / "index.html").read_text("utf-8")


def test_a_build_swapped_in_beside_the_server_does_not_leave_a_mix(tmp_path: Path) -> None:
    """`python build.py` (no drafts) while `serve` ran (drafts) swapped its own tree into the served folder; the
    server trusted what it had written before and, at the next edit, left the draft's pages missing and ten
    list pages stale: neither build's site."""
    from paperfolio.pipeline import Project, build
    from paperfolio.serve import Session
    from tests.test_incremental import tree

    project = make_project(tmp_path / "project", names=["aligner.md", "beavertails.md", "safemcp.md"])
    draft = "---\ntitle: A Draft\nauthors: [Juntao Dai, New Person]\ndate: 2026-11-01\ncategories: [cs.LG]\n"
    (project.papers / "zz-draft.md").write_text(draft + "tags: [draft-only]\ndraft: true\n---\nDraft.\n", "utf-8")
    out = tmp_path / "site"
    session = Session(Project(project.root), out, None, True, log=lambda *a, **k: None)
    session.start()
    assert (out / "papers" / "zz-draft" / "index.html").is_file()
    build(Project(project.root), out, use_cache=False)  # another build, without drafts, swaps its tree in
    assert not (out / "papers" / "zz-draft").exists()
    paper = project.papers / "aligner.md"
    paper.write_text(paper.read_text("utf-8") + "\nAn edit.\n", "utf-8")
    session.rebuild(["content/papers/aligner.md"])
    assert session.problems is None and session.crash is None
    build(Project(project.root), tmp_path / "full", drafts=True, use_cache=False)
    assert tree(out) == tree(tmp_path / "full")


def test_serve_watches_static_and_publishes_its_edits(tmp_path: Path) -> None:
    from paperfolio.pipeline import Project
    from paperfolio.serve import Session

    project = make_project(tmp_path / "project", names=["aligner.md"])
    (project.root / "static").mkdir()
    page = project.root / "static" / "google1234.html"
    page.write_text("first\n", "utf-8")
    session = Session(Project(project.root), tmp_path / "site", None, True, log=lambda *a, **k: None)
    session.snapshot = session.watched()
    session.start()
    assert (tmp_path / "site" / "google1234.html").read_text("utf-8") == "first\n"
    page.write_text("second, longer\n", "utf-8")
    assert session.changes() == ["static/google1234.html"]  # the watcher sees static/
    assert session.rebuild(["static/google1234.html"])
    assert (tmp_path / "site" / "google1234.html").read_text("utf-8") == "second, longer\n"


def test_names_read_with_the_sites_macros_follow_an_edit_of_the_macros(tmp_path: Path) -> None:
    """A name written with the site's own macro (`\\lab Lee`) is read with it; once read, a name was kept per
    process whatever the macros became, so `serve` showed the old reading after `latex_macros` changed."""
    from paperfolio.pipeline import Project, build
    from paperfolio.serve import Session
    from tests.test_incremental import tree

    project = make_project(tmp_path / "project", names=["aligner.md"])
    paper = "---\ntitle: Macro Names\nauthors: ['\\lab Lee', Juntao Dai]\ndate: 2024-01-01\ncategories: [cs.LG]\n"
    (project.papers / "macro-names.md").write_text(paper + "venue: '\\lab Workshop'\n---\nText.\n", "utf-8")
    settings = project.root / "paperfolio.yaml"
    text = settings.read_text("utf-8")
    settings.write_text(text.replace("latex_macros:\n", "latex_macros:\n  lab: Ann\n", 1), "utf-8")
    session = Session(Project(project.root), tmp_path / "site", None, True, log=lambda *a, **k: None)
    session.start()
    assert (tmp_path / "site" / "coauthors" / "ann-lee").is_dir()
    settings.write_text(text.replace("latex_macros:\n", "latex_macros:\n  lab: Bea\n", 1), "utf-8")
    session.rebuild(["paperfolio.yaml"])
    assert session.problems is None and session.crash is None
    build(Project(project.root), tmp_path / "full", drafts=True, use_cache=False)
    assert tree(tmp_path / "site") == tree(tmp_path / "full")
    assert (tmp_path / "full" / "coauthors" / "bea-lee").is_dir()


def test_the_browser_is_told_of_a_page_change_before_a_stylesheet_or_picture() -> None:
    """The first changed file was named: `assets/style.css` sorts before `content/…`, and livereload.js then
    only swapped the stylesheet, leaving the page with its old text."""
    from paperfolio.serve import reload_path

    assert reload_path(["assets/style.css", "assets/x.PNG", "content/papers/a.md"]) == "content/papers/a.md"
    assert reload_path(["assets/style.css", "assets/x.png"]) == "assets/style.css"  # swapped in place: enough
    assert reload_path(["layouts/base.html"]) == "layouts/base.html"


def test_a_base_path_written_percent_encoded_is_served(tmp_path: Path) -> None:
    """`base_url: /my%20site/` (a space, as settings take it) built a site the server answered 404 for
    throughout: the server hands on the path decoded, `/my site/`, and it was compared with the encoded one."""
    from paperfolio.pipeline import Project
    from paperfolio.serve import Session, make_app

    (tmp_path / "paperfolio.yaml").write_text("base_url: /my%20site/\n", "utf-8")
    out = tmp_path / "site"
    (out / "papers" / "a").mkdir(parents=True)
    (out / "index.html").write_text("<head></head>home", "utf-8")
    (out / "papers" / "a" / "index.html").write_text("<head></head>paper a", "utf-8")
    (out / "404.html").write_text("<head></head>not here", "utf-8")
    session = Session(Project(tmp_path), out.resolve(), None, False)
    assert session._base_path() == "/my%20site/"
    app = make_app(session, 8000)

    def get(path: str) -> tuple[str, dict[str, str], bytes]:
        answer: dict = {}
        body = b"".join(app({"PATH_INFO": path}, lambda status, headers: answer.update(s=status, h=dict(headers))))
        return answer["s"], answer["h"], body

    assert get("/")[:2] == ("302 Found", {"Location": "/my%20site/", "Content-Length": "0"})
    assert get("/my site")[:2] == ("302 Found", {"Location": "/my%20site/", "Content-Length": "0"})
    status, _headers, body = get("/my site/")
    assert status == "200 OK" and body.endswith(b"home")
    assert get("/my site/papers/a/")[2].endswith(b"paper a")
    assert get("/my%20site/")[0] == "404 Not Found"  # a path the browser meant as `/my%2520site/`


def test_a_paper_link_that_reaches_nothing_is_seen_and_shown_as_the_build_says(tmp_path: Path) -> None:
    """A link among the papers whose file was moved away was never seen by `serve` (its stat failed, so it was
    no file to watch): the last good site stayed served while `python build.py` refused the link."""
    from paperfolio.pipeline import Project
    from paperfolio.serve import Session

    project = make_project(tmp_path / "project", names=["aligner.md", "beavertails.md"])
    session = Session(Project(project.root), tmp_path / "site", None, True, log=lambda *a, **k: None)
    session.start()
    session.changes()  # the first look, as the server's loop takes it
    gone = project.papers / "gone.md"
    gone.symlink_to(tmp_path / "moved-away.md")
    changed = session.changes()
    assert changed == ["content/papers/gone.md"]
    session.rebuild(changed)
    assert [p.format() for p in session.problems] == [
        "content/papers/gone.md: error: is a symbolic link that reaches no file (No such file or directory)"
    ]
    gone.unlink()
    session.rebuild(session.changes())
    assert session.problems is None


def test_a_head_request_is_answered_with_the_status_and_no_body(tmp_path: Path) -> None:
    """A HEAD request (a link checker's, `curl -I`) made the server write the page's bytes where Tornado allows
    none: it logged a traceback and closed the connection without an answer."""
    import http.client

    project = make_project(tmp_path / "project", names=["aligner.md"]).root
    with serving(project, tmp_path / "site") as (origin, process):
        wait_for(f"{origin}/papers/aligner/", lambda s, t: s == 200, START_TIMEOUT_S)
        port = int(origin.rsplit(":", 1)[1])
        for path, status in (("/papers/aligner/", 200), ("/papers/aligner", 302), ("/no-such-page/", 404)):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("HEAD", path)
            response = connection.getresponse()
            assert (response.status, response.read()) == (status, b""), path
            connection.close()
        assert fetch(f"{origin}/papers/aligner/")[0] == 200
        assert process.poll() is None
    assert "Uncaught exception" not in "".join(process.output)


def test_a_path_starting_with_two_slashes_is_no_page_and_never_a_redirect_off_the_site(tmp_path: Path) -> None:
    """`//host/…` was joined to the output folder as an absolute path: `//<site folder>/papers` served the site's
    folders under a second address, and its redirect to add the slash, `Location: //evil.example/…/`, sent
    the browser to another host (an open redirect: `//evil.example%2f..%2f..<site folder>/papers`)."""
    from paperfolio.pipeline import Project
    from paperfolio.serve import Session, make_app

    out = (tmp_path / "site").resolve()
    (out / "papers" / "a").mkdir(parents=True)
    (out / "papers" / "a" / "index.html").write_text("<head></head>paper a", "utf-8")
    (out / "404.html").write_text("<head></head>not here", "utf-8")
    for base in ("/", "/lab/"):
        (tmp_path / "paperfolio.yaml").write_text(f"base_url: {base}\n", "utf-8")
        session = Session(Project(tmp_path), out, None, False)
        assert session._base_path() == base
        app = make_app(session, 8000)
        assert ask(app, f"{base}papers/a")[0] == "302 Found"  # a folder without its slash, as before
        for path in (f"/{out}/papers", f"/{out}/papers/a/", f"//evil.example/../..{out}/papers", "//evil.example"):
            status, headers = ask(app, base + path[1:])  # `/lab//evil.example` under `/lab/`
            assert status == "404 Not Found" and "Location" not in headers, (base, path)


def ask(app, path: str) -> tuple[str, dict[str, str]]:
    """Return the status and headers the app answers a GET of `path` with."""
    answer: dict = {}
    b"".join(app({"PATH_INFO": path}, lambda status, headers: answer.update(s=status, h=dict(headers))))
    return answer["s"], answer["h"]


def test_the_error_page_fits_a_phone_whatever_the_file_is_named(tmp_path: Path) -> None:
    """A file named without hyphens or spaces (`dai2024_safe_rlhf_safe_reinforcement_learning.md`, as a
    reference manager names one) made the error page scroll sideways at 375 px: a line breaks only at spaces."""
    pytest.importorskip("playwright")
    from tests.gates.browser import CHROMIUM, CHROMIUM_ARGS

    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    from paperfolio.errors import Problem
    from paperfolio.pipeline import Project
    from paperfolio.serve import Session, _error_page

    session = Session(Project(tmp_path), tmp_path / "site", None, False)
    name = "content/papers/dai2024_safe_rlhf_safe_reinforcement_learning_from_human_feedback.md"
    session.problems = [Problem(name, 13, 7, "`date` is not a real date: '2023-13-45'")]
    crashed = Session(Project(tmp_path), tmp_path / "site", None, False, crash=f"OSError: {'x' * 120}: {name}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 375, "height": 800})
        for shown in (session, crashed):
            page.set_content(_error_page(shown, b"").decode())
            assert name in page.inner_text("main")
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
        browser.close()


def test_a_page_is_refused_to_a_name_that_is_not_this_machines(tmp_path: Path) -> None:
    """The server answered whatever name a request was addressed to: a web page the researcher visits can point
    its own name at 127.0.0.1 (DNS rebinding) and read, as its own origin, every page served, drafts included,
    and a page of any origin could listen on the reload socket for the names of the files being edited. Only
    an address, `localhost` and the name `--host` gave reach the site; the socket takes only those origins."""
    from paperfolio.pipeline import Project
    from paperfolio.serve import Session, make_app

    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("<head></head>home", "utf-8")
    session = Session(Project(tmp_path), out.resolve(), None, False)
    app = make_app(session, 8000, host="mybox.local")

    def status(host: str | None) -> str:
        answer: dict = {}
        environ = {"PATH_INFO": "/"} | ({"HTTP_HOST": host} if host is not None else {})
        b"".join(app(environ, lambda status, headers: answer.update(s=status)))
        return answer["s"]

    ours = ("127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000", "192.168.1.20:8000", "mybox.local:8000")
    for host in ours:
        assert status(host) == "200 OK", host
    assert status(None) == "200 OK"  # HTTP/1.0 names no host
    for host in ("attacker.example:8000", "attacker.example", "127.0.0.1.attacker.example:8000", "localhost.evil:8000"):
        assert status(host) == "403 Forbidden", host

    project = make_project(tmp_path / "project", names=["aligner.md"]).root
    with serving(project, tmp_path / "served") as (origin, _process):
        wait_for(f"{origin}/papers/aligner/", lambda s, t: s == 200, START_TIMEOUT_S)
        request = urllib.request.Request(f"{origin}/papers/aligner/", headers={"Host": "attacker.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 403
        port = int(origin.rsplit(":", 1)[1])
        for page_origin, expected in (("https://attacker.example", 403), (origin, 101)):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall(
                    b"GET /livereload HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + f"Origin: {page_origin}\r\n\r\n".encode()
                )
                assert sock.recv(100).split(b" ")[1] == str(expected).encode(), page_origin


def test_a_page_asked_for_under_the_base_path_the_site_had_before_is_sent_where_it_is_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After `base_url` changed in paperfolio.yaml, the browser reloaded the page it showed at its old address
    and got "Not found": the terminal never said where the site went. The server remembers the base paths of
    this session and sends a page asked for under one to its address under the new one."""
    from paperfolio.pipeline import Project
    from paperfolio.serve import Session, make_app

    monkeypatch.delenv("PAPERFOLIO_BASE_URL", raising=False)
    project = make_project(tmp_path / "project", names=["aligner.md"])
    settings = project.root / "paperfolio.yaml"
    text = settings.read_text("utf-8")
    said: list[str] = []
    session = Session(Project(project.root), tmp_path / "site", None, True, log=lambda *a, **k: said.append(a[0]))
    session.start()
    app = make_app(session, 8000)
    assert ask(app, "/papers/aligner/")[0] == "200 OK"
    assert ask(app, "/lab/papers/aligner/")[0] == "404 Not Found"  # no base path the site had

    settings.write_text(text.replace("base_url: /", "base_url: /my%20lab/"), "utf-8")
    session.rebuild(["paperfolio.yaml"])
    assert said[-2] == "paperfolio: the site is now served under /my%20lab/; addresses under / are sent there"
    assert ask(app, "/papers/aligner/")[1] == {"Location": "/my%20lab/papers/aligner/", "Content-Length": "0"}
    assert ask(app, "/papers/aligner")[1]["Location"] == "/my%20lab/papers/aligner"  # then gets its slash
    assert ask(app, "/my lab/papers/aligner/")[0] == "200 OK"
    assert ask(app, "/no-such-page/")[0] == "404 Not Found"

    settings.write_text(text, "utf-8")  # and back to the root: the address under /my%20lab/ moves too
    session.rebuild(["paperfolio.yaml"])
    assert ask(app, "/my lab/papers/aligner/")[1]["Location"] == "/papers/aligner/"
    assert ask(app, "/papers/aligner/")[0] == "200 OK"


def test_a_full_disk_met_before_writing_is_shown_and_the_server_goes_on(tmp_path: Path, monkeypatch) -> None:
    """Each build first checks that a folder can be made beside the output (`writer._check_writable`); on a
    full disk that check refused first, and `serve` stopped ("cannot build into …: No space left on device")
    instead of showing it in the browser and building again once space was freed, as a refused write does."""
    import errno

    from paperfolio.pipeline import Project
    from paperfolio.serve import Session, _error_page

    project = make_project(tmp_path / "project", names=["aligner.md"])
    said: list[str] = []
    session = Session(Project(project.root), tmp_path / "site", None, True, log=lambda *a, **k: said.append(a[0]))
    session.start()
    make_folder = os.mkdir

    def full(path, *args, **kwargs):
        if ".probe-" in str(path):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return make_folder(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", full)
    paper = project.papers / "aligner.md"
    paper.write_text(paper.read_text("utf-8") + "\nAn edit.\n", "utf-8")
    assert session.rebuild(["content/papers/aligner.md"])
    assert session.refused and session.crash.endswith(": No space left on device")
    assert said[-1].startswith("paperfolio: error: cannot build into ")
    assert "The site could not be written" in _error_page(session, b"").decode()
    monkeypatch.undo()
    assert session.rebuild(["content/papers/aligner.md"])
    assert session.crash is None and not session.refused
    assert "An edit." in (tmp_path / "site" / "papers" / "aligner" / "index.html").read_text("utf-8")


def test_a_redirect_keeps_the_query(tmp_path: Path) -> None:
    """`/search?q=safety` was sent to `/search/` without its query, so the search page showed no search; a web
    server adding a folder's slash (GitHub Pages, nginx, `python -m http.server`) keeps it."""
    from paperfolio.pipeline import Project
    from paperfolio.serve import Session, make_app

    out = tmp_path / "site"
    (out / "search").mkdir(parents=True)
    (out / "search" / "index.html").write_text("<head></head>search", "utf-8")
    (tmp_path / "paperfolio.yaml").write_text("base_url: /lab/\n", "utf-8")
    session = Session(Project(tmp_path), out.resolve(), None, False)
    session._base_path()
    app = make_app(session, 8000)

    def location(path: str, query: str) -> str:
        answer: dict = {}
        environ = {"PATH_INFO": path, "QUERY_STRING": query}
        b"".join(app(environ, lambda status, headers: answer.update(h=dict(headers))))
        return answer["h"]["Location"]

    assert location("/lab/search", "q=safety+rl&x=%C3%A9") == "/lab/search/?q=safety+rl&x=%C3%A9"
    assert location("/lab", "q=a") == "/lab/?q=a"
    assert location("/lab/search", "") == "/lab/search/"
    assert location("/lab/search", "q=a b\r\nSet-Cookie: x") == "/lab/search/?q=a%20b%0D%0ASet-Cookie:%20x"
