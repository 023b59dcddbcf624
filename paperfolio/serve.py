"""`python build.py serve`: build, serve the site under its base path, rebuild what changed, reload the browser.

A watcher looks at `content/`, `layouts/`, `assets/`, `static/` and `paperfolio.yaml` when Linux reports a change
there (`watch`; elsewhere it polls ten times a second), and once every two seconds all the same. A change
runs an incremental build in this process (the memo of the last build stays in memory), writes only the
files whose bytes changed, then tells the browsers to reload through livereload's web socket.

A mistake never stops the server: a content or template error is printed and shown in the browser as a
page naming the file and line, while the last good site stays on disk; the next save that fixes it brings
the site back. Pages get `<script src="/livereload.js">` from the same origin, which the pages' CSP
(`script-src 'self'`) allows; livereload's own inline snippet, which that CSP blocks, is not injected.
"""

from __future__ import annotations

import errno
import html
import ipaddress
import mimetypes
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Collection
from dataclasses import field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from .errors import ContentError, Problem
from .incremental import Memo
from .pipeline import Project, build
from .record import record
from .settings import SETTINGS_FILE, load_settings
from .urls import Urls
from .watch import FolderEvents, open_events
from .writer import OutputRefused

SWAPPED = (".css", ".jpg", ".jpeg", ".png", ".gif")  # what livereload.js swaps in place instead of reloading


def reload_path(changed: list[str]) -> str:
    """Return the changed file to tell the browsers of. livereload.js swaps a stylesheet or picture in place
    when that is the file it is told of, without reloading the page, so one of the others is named when there
    is one: a paper saved with a stylesheet (a `git pull`, "save all") showed its old text."""
    return next((path for path in changed if not path.lower().endswith(SWAPPED)), changed[0])


POLL_MS = 100  # how often the watcher looks for changes where the system cannot report them (`watch`)
SAFETY_POLL_MS = 2000  # how often it looks all the same where the system reports them
SETTLE_S = 0.02  # a change is built once the files stop changing for this long (editors save in steps)
TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml", ".json": "application/json"}


@record
class Session:
    """One serve session: what to build, where, the memo of the last build and its problems, if any."""

    project: Project
    out: Path
    base_url: str | None
    drafts: bool
    memo: Memo = field(default_factory=Memo)
    problems: list[Problem] | None = None  # the last build's errors; None when the site is good
    crash: str | None = None  # the traceback of a bug in paperfolio, shown like a problem
    refused: bool = False  # `crash` is the system's refusal (a full disk), in one line, not a bug
    built: bool = False  # a build succeeded: the output folder is this server's, and a refusal is shown, not fatal
    warnings: tuple[Problem, ...] = ()  # the last good build's warnings
    base_path: str = "/"
    base_source: tuple | None = None  # what `base_path` was read from (`_base_path`)
    former_bases: list[str] = field(default_factory=list)  # base paths served earlier this session, newest first
    snapshot: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    links: set[str] = field(default_factory=set)  # the watched links to files (`watched`)
    log: Any = print

    def rebuild(self, changed: list[str] | None = None) -> bool:
        """Build incrementally and report; return whether the served site or its error page changed."""
        started = time.perf_counter()
        had_error = self.problems is not None or self.crash is not None
        # What changed since the last build is known only when the last build read every file it could.
        root = str(self.project.root)
        paths = [os.path.join(root, name) for name in changed] if changed is not None and not had_error else None
        try:
            self.base_path = self._base_path()
            result = build(
                self.project,
                self.out,
                base_url=self.base_url,
                drafts=self.drafts,
                use_cache=False,
                memo=self.memo,
                in_place=True,
                changed=paths,
            )
        except ContentError as error:
            self.problems, self.crash = error.problems, None
            for problem in error.problems:
                self.log(problem.format(), file=sys.stderr)
            errors = sum(1 for p in error.problems if p.severity == "error")
            self.log(f"paperfolio: {errors} error(s); the browser shows them, the last good site is kept.")
            return True
        except OutputRefused as error:
            # At the first build it is the folder given that is refused (it holds sources, say): nothing to serve.
            # Later the folder is the one this server built, and what refuses it is passing (a full disk, met
            # when a folder is made beside it; its .nojekyll deleted): shown as a refused write is.
            if not self.built:
                raise SystemExit(f"paperfolio: error: {error}") from None
            self.problems, self.crash, self.refused = None, str(error), True
            self.log(f"paperfolio: error: {self.crash}; the browser shows it.", file=sys.stderr)
            return True
        except OSError as error:  # the system refused a read or write (a full disk): its words, not a traceback
            where = f"{error.filename}: " if error.filename else ""
            self.problems, self.crash, self.refused = None, f"{where}{error.strerror or error}", True
            self.log(f"paperfolio: error: {self.crash}; the browser shows it.", file=sys.stderr)
            return True
        except Exception:  # noqa: BLE001 - a bug must not stop the server; show it and keep serving
            self.problems, self.crash, self.refused = None, traceback.format_exc(), False
            self.log(self.crash, file=sys.stderr)
            return True
        self.problems, self.crash, self.refused, self.built = None, None, False, True
        report = result.report
        seconds = time.perf_counter() - started
        # Each warning is printed when it first appears, not again at every save; the summary counts them.
        shown_before = set(self.warnings)
        for problem in sorted(result.warnings):
            if problem not in shown_before:
                self.log(problem.format(), file=sys.stderr)
        self.warnings = tuple(result.warnings)
        count = len(self.warnings)
        warned = f"; {count} warning{'s' if count != 1 else ''}" if count else ""
        names = list(report.paths)
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        what = f"changed {', '.join(changed[:3])}{' …' if len(changed) > 3 else ''}: " if changed else ""
        self.log(
            f"{what}{report.written} written ({shown or 'nothing'}), {report.removed} removed, "
            f"{report.unchanged} unchanged in {seconds * 1000:.0f} ms{warned}"
        )
        return bool(report.touched or had_error)

    def start(self) -> None:
        """Make the first build, then rebuild once more in silence with nothing changed.

        The first build leaves no paper known to be settled (`paperpages.PaperWork.settled_files`: its page and
        files as the last build left them), so the first edit used to check the record of every file again
        (4,587 at 1,000 papers, against 615 for each edit after it) and took about 30 ms more than the next.
        The second build does that check now, at start-up, where it delays no edit. It assumes nothing changed
        since the first build; a change meanwhile is in the watcher's snapshot, taken before the first build,
        and is rebuilt at the first look. After a failed first build there is nothing to settle."""
        self.rebuild()
        if self.problems is None and self.crash is None:
            log, self.log = self.log, _silent
            try:
                self.rebuild([])
            finally:
                self.log = log

    def _base_path(self) -> str:
        """Return the path the site is served under, reading the settings again only when what decides it
        changed: the settings file's bytes, `--base-url` or `PAPERFOLIO_BASE_URL`. (Parsing the settings
        took 5-8 ms of each edit's rebuild after the server sat idle for a second, 0.2 ms in a loop.)"""
        try:
            data = (self.project.root / SETTINGS_FILE).read_bytes()
        except OSError:
            data = None
        source = (data, self.base_url, os.environ.get("PAPERFOLIO_BASE_URL"))
        if source != self.base_source:
            settings, _problems = load_settings(self.project.root, base_url=self.base_url, env=dict(os.environ))
            base_path = Urls(settings.base_url).base_path
            if self.base_source is not None and base_path != self.base_path:
                # The open pages reload at their old address: it is sent on (`make_app`), and said here.
                old = self.base_path
                self.former_bases = [old, *(b for b in self.former_bases if b not in (old, base_path))]
                self.log(f"paperfolio: the site is now served under {base_path}; addresses under {old} are sent there")
            self.base_path, self.base_source = base_path, source
        return self.base_path

    def watched(self) -> dict[str, tuple[int, int, int, int]]:
        """Return (mtime_ns, size, ctime_ns, inode) of every watched file: a write changes the ctime even
        when a tool sets the mtime back, and a file renamed over another changes the inode. Hidden folders
        are left out (version control, editors' backups); a paper in one is read all the same, and the build
        then looks at every paper rather than trust this account (`Memo.scanned`). A link to a file counts
        as the file it points to; the links met are kept in `links`."""
        result: dict[str, tuple[int, int, int, int]] = {}
        links: set[str] = set()
        for folder in self.project.folders:
            _look_under(str(folder), result, links)
        settings = str(self.project.root / SETTINGS_FILE)
        _look_at(settings, result)
        if os.path.islink(settings):
            links.add(settings)
        self.links = links
        return result

    def changes(self, paths: Collection[str] | None = None) -> list[str]:
        """Return the watched files added, changed or removed since the last look, once they settle.

        `paths` (the files and folders the system reported, `watch`) limits the look to them, what is under
        them and every link to a file: the system reports a change to the file a link points to, not to the
        link. Every other file is taken to be as it was."""
        if paths is None:
            look, scope = self.watched, self.snapshot
        else:
            paths = sorted(set(paths) | self.links)
            look = partial(self._look_only, paths)
            folders = tuple(os.path.join(path, "") for path in paths)
            named = set(paths)
            scope = {p: v for p, v in self.snapshot.items() if p in named or p.startswith(folders)}
        now = look()
        if now == scope:
            return []
        for _ in range(25):
            time.sleep(SETTLE_S)
            again = look()
            if again == now:
                break
            now = again
        if paths is None:
            self.snapshot = now
        else:
            for name in scope:
                del self.snapshot[name]
            self.snapshot.update(now)
        root = str(self.project.root) + os.sep
        names = {p for p in now.keys() | scope.keys() if now.get(p) != scope.get(p)}
        return sorted(p.removeprefix(root) for p in names)

    def _look_only(self, paths: list[str]) -> dict[str, tuple[int, int, int, int]]:
        """Return what `watched` would say of these paths and what is under them: a folder (not a link to
        one, not hidden) is walked, anything else looked at as a file. Every link named or met is a link
        still there, so the links met replace `links`."""
        trees = [os.path.join(str(f), "") for f in self.project.folders]
        found: dict[str, tuple[int, int, int, int]] = {}
        links: set[str] = set()
        for path in paths:
            below = next((path[len(tree) :].split(os.sep) for tree in trees if path.startswith(tree)), [])
            if any(part.startswith(".") for part in below[:-1]):
                continue  # in a hidden folder
            if os.path.islink(path):
                if not os.path.isdir(path):  # a link to a folder is not gone into, nor counted as a file
                    _look_at(path, found)
                    links.add(path)
            elif os.path.isdir(path):
                if not (below and below[-1].startswith(".")):
                    _look_under(path, found, links)
            else:
                _look_at(path, found)
        self.links = links
        return found


def _look_at(path: str, into: dict[str, tuple[int, int, int, int]]) -> None:
    """Add a file's stat (through a link, as `os.walk` lists links to files among files); for a link that
    reaches nothing, its own, so that the build is asked and says so (it was never seen: the last good site
    stayed while `python build.py` refused the link); nothing for a file not there."""
    try:
        st = os.stat(path)
    except OSError:
        try:
            st = os.lstat(path)
        except OSError:
            return
    into[path] = (st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino)


def _look_under(folder: str, into: dict[str, tuple[int, int, int, int]], links: set[str]) -> None:
    """Add the stat of every file under `folder` that is not in a hidden folder, as `os.walk` finds them:
    links to folders are not gone into, links to files count as files (and are added to `links`)."""
    try:
        with os.scandir(folder) as scanned:
            entries = list(scanned)
    except OSError:
        return
    for entry in entries:
        try:
            real_folder = entry.is_dir(follow_symlinks=False)
            link = not real_folder and entry.is_symlink()
            if link and entry.is_dir():
                continue  # a link to a folder
        except OSError:
            continue
        if real_folder:
            if not entry.name.startswith("."):
                _look_under(entry.path, into, links)
            continue
        if link:
            links.add(entry.path)
        _look_at(entry.path, into)


def serve(
    project: Project,
    out: Path | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    base_url: str | None = None,
    drafts: bool = True,
) -> int:
    """Build, serve on http://HOST:PORT/ under the base path, and rebuild on every change until Ctrl-C."""
    busy = _bind_problem(host, port)
    if busy:  # say so now, not after a build and a "Serving" line
        print(f"paperfolio: error: cannot serve on {host}:{port}: {busy[0]}; try {busy[1]}", file=sys.stderr)
        return 1
    if not _is_loopback(host):
        print(
            f"paperfolio: warning: serving on {host}, which other machines can reach; drafts included", file=sys.stderr
        )
    temporary = None
    if out is None:  # never mix drafts and local URLs into the site/ that gets deployed
        temporary = Path(tempfile.mkdtemp(prefix="paperfolio-serve-"))
        out = temporary / "site"
    session = Session(project, out.resolve(), base_url, drafts)
    # The system reports changes from now on, so one made before the server's loop starts is not missed.
    events = open_events(list(project.folders), [project.root / SETTINGS_FILE])
    session.snapshot = session.watched()
    session.start()
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        _run_server(session, events, host, port, open_browser)
    except KeyboardInterrupt:
        pass
    except OSError as error:
        print(f"paperfolio: error: cannot serve on {host}:{port}: {error.strerror}; try --port", file=sys.stderr)
        return 1
    finally:
        if events is not None:
            events.close()
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    print("paperfolio: server stopped.")
    return 0


def _silent(*_args: Any, **_kwargs: Any) -> None:
    """A log that prints nothing (`Session.start`)."""


def _bind_problem(host: str, port: int) -> tuple[str, str] | None:
    """Return why a server could not listen on host:port (bound as Tornado binds) and the option to change,
    or None if it can."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as error:  # a name that is no address of this machine's
        return error.strerror or str(error), "--host"
    try:
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as error:
        option = {errno.EADDRINUSE: "--port", errno.EACCES: "--port", errno.EADDRNOTAVAIL: "--host"}
        return error.strerror or str(error), option.get(error.errno, "--host or --port")
    return None


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _run_server(session: Session, events: FolderEvents | None, host: str, port: int, open_browser: bool) -> None:
    """Run livereload's server with our app, our watcher and no inline script."""
    import logging

    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado import ioloop

    class SiteWatcher(Watcher):
        """Look for changes where the system reports them (`watch`), or every `POLL_MS` where it cannot, and
        rebuild in the server's loop; a reload follows every rebuild that changed something."""

        reported: set[str] | None = set()  # paths reported since the last look; empty or None: look at all

        def start(self, callback: Any) -> bool:
            if events is None:
                ioloop.PeriodicCallback(callback, POLL_MS).start()
                return True
            loop = ioloop.IOLoop.current()
            # A look at every file now and then all the same: a change the events cannot report (a network
            # file system) is seen within seconds, and a folder that could not be watched hands over to polling.
            safety = ioloop.PeriodicCallback(callback, SAFETY_POLL_MS)

            def on_events(_fd: int, _what: int) -> None:
                found = events.drain()
                if found is None or self.reported is None:
                    self.reported = None
                else:
                    self.reported |= found
                if found is None or found:
                    callback()
                if not events.complete:
                    loop.remove_handler(events.fd)
                    events.close()
                    safety.stop()
                    self.reported = None
                    ioloop.PeriodicCallback(callback, POLL_MS).start()

            loop.add_handler(events.fd, on_events, ioloop.IOLoop.READ)
            safety.start()
            # livereload queues a reload of open pages for the first look (a restarted server's); that look
            # is now, not at the first event, which would otherwise be left to the next look at everything.
            loop.add_callback(callback)
            return True

        def examine(self) -> tuple[str | None, Any]:
            if self._changes:
                return self._changes.pop()
            paths, self.reported = self.reported, set()
            changed = session.changes(paths or None)
            if not changed or not session.rebuild(changed):
                return None, None
            self.filepath = reload_path(changed)
            return self.filepath, None

    class SiteServer(Server):
        def get_web_handlers(self, script: bytes) -> list:
            return super().get_web_handlers(b"")  # pages load /livereload.js themselves (CSP forbids inline)

        def _setup_logging(self) -> None:
            logging.getLogger("tornado.access").setLevel(logging.ERROR)

    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # livereload ignores changes within 3 s of a reload by default
    # livereload takes the socket from a page of any origin, which then hears the name of every file saved.
    LiveReloadHandler.check_origin = lambda _handler, origin: _is_our_name(origin, host)
    server = SiteServer(app=make_app(session, port, host=host), watcher=SiteWatcher())
    server.watch(str(session.project.root))  # a task, so livereload does not watch the working folder
    print(f"Serving {session.out} at http://{host}:{port}{session.base_path} (Ctrl-C to stop)", flush=True)
    server.serve(
        port=port,
        host=host,
        root=str(session.out),
        debug=False,
        restart_delay=0,
        open_url_delay=0.5 if open_browser else None,
    )


def make_app(session: Session, port: int, *, host: str = "127.0.0.1") -> Any:
    """Return the WSGI app that serves the output folder under the base path, or the error page."""
    script = f'<script src="/livereload.js?port={port}"></script>'.encode()

    def app(environ: dict, start_response: Any) -> list[bytes]:
        if not _is_our_name(environ.get("HTTP_HOST"), host):
            return _respond(start_response, "403 Forbidden", ".txt", b"Not a name of this server.\n")
        body = answer(environ, start_response)
        # A HEAD request gets the status and headers without the body, which Tornado refuses to send (it
        # closed the connection unanswered). livereload's container then counts the body it is handed, so
        # the Content-Length it sends is 0, not the page's length.
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else body

    def answer(environ: dict, start_response: Any) -> list[bytes]:
        # WSGI gives the path's bytes as Latin-1 characters: `assets/café.png` arrives as `cafÃ©`. The
        # bytes are taken back and read as UTF-8, each byte that is not kept as the file system keeps it.
        path = environ.get("PATH_INFO", "/").encode("latin-1", "replace").decode("utf-8", "surrogateescape")
        base = unquote(session.base_path)  # `/my%20site/` is asked for as `/my site/`, decoded as `path` is
        query = environ.get("QUERY_STRING", "")  # kept by a redirect (`/search?q=x` to `/search/?q=x`)
        if (session.problems is not None or session.crash is not None) and not _looks_like_asset(path):
            return _respond(start_response, "500 Internal Server Error", ".html", _error_page(session, script))
        if not path.startswith(base):
            if path in ("/", base.rstrip("/")):
                return _redirect(start_response, base, query)
            return _moved(session, path, base, query, start_response, script)
        rest = path[len(base) :]
        if rest.startswith("/"):  # `//host/…`: no page; joined, an absolute path, and `Location: //host/` leaves
            return _not_found(session, start_response, script)
        try:
            target = (session.out / rest).resolve()
            if not target.is_relative_to(session.out):
                return _not_found(session, start_response, script)
            if target.is_dir():
                if not path.endswith("/"):
                    return _redirect(start_response, path + "/", query)
                target = target / "index.html"
            body = target.read_bytes()
        except (OSError, ValueError):  # no such file, a folder, a name too long, a NUL byte, a file being replaced
            return _moved(session, path, base, query, start_response, script)
        return _respond(start_response, "200 OK", target.suffix, _inject(body, target.suffix, script))

    return app


def _is_our_name(authority: str | None, host: str) -> bool:
    """Return whether a request's `Host` (or a page's origin) names this server: an address, `localhost`, or
    the name `--host` gave. Any other name is a page's own domain pointed at this machine (DNS rebinding),
    which would read every page served, drafts included, as its own origin; no `Host` (HTTP/1.0) is fine."""
    if authority is None:
        return True
    name = authority.rpartition("://")[2]
    name = name[1:].partition("]")[0] if name.startswith("[") else name.partition(":")[0]
    name = name.lower()
    if name in ("localhost", host.lower()):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _looks_like_asset(path: str) -> bool:
    return not (path.endswith("/") or path.endswith(".html") or "." not in path.rsplit("/", 1)[-1])


def _inject(body: bytes, suffix: str, script: bytes) -> bytes:
    if suffix != ".html":
        return body
    return body.replace(b"</head>", script + b"</head>", 1)


def _respond(start_response: Any, status: str, suffix: str, body: bytes) -> list[bytes]:
    kind = TYPES.get(suffix) or mimetypes.guess_type("x" + suffix)[0] or "application/octet-stream"
    start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")])
    return [body]


def _redirect(start_response: Any, location: str, query: str = "") -> list[bytes]:
    # Percent-encoded: a header holds ASCII only, and never a line break of the request's making. The query
    # comes as the browser sent it, already encoded: only what a URL cannot hold is encoded.
    quoted = quote(location, safe="/", errors="surrogateescape")
    if query:
        quoted += "?" + quote(query, safe="!$%&'()*+,/:;=?@", errors="surrogateescape")
    start_response("302 Found", [("Location", quoted), ("Content-Length", "0")])
    return [b""]


def _moved(session: Session, path: str, base: str, query: str, start_response: Any, script: bytes) -> list[bytes]:
    """Redirect a path under a base path the site had earlier in this session to the same file under the
    current one, or answer 404: after `base_url` changed, the browser reloads the page at its old address."""
    for former in map(unquote, session.former_bases):
        rest = path[len(former) :]
        if former == base or not path.startswith(former) or rest.startswith("/"):
            continue
        try:
            target = (session.out / rest).resolve()
            found = target.is_relative_to(session.out) and target.exists()
        except (OSError, ValueError):
            found = False
        if found:
            return _redirect(start_response, base + rest, query)
    return _not_found(session, start_response, script)


def _not_found(session: Session, start_response: Any, script: bytes) -> list[bytes]:
    page = session.out / "404.html"
    body = page.read_bytes() if page.is_file() else b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>"
    return _respond(start_response, "404 Not Found", ".html", _inject(body, ".html", script))


def _error_page(session: Session, script: bytes) -> bytes:
    """Return the page shown instead of the site while the last build failed."""
    if session.problems is not None:
        items = "".join(
            f"<li><code>{html.escape(p.format())}</code></li>" for p in session.problems if p.severity == "error"
        )
        heading = "The site could not be built"
        detail = f"<ol>{items}</ol><p>Fix the file and save it: this page reloads by itself.</p>"
    elif session.refused:
        heading = "The site could not be written"
        detail = (
            f"<pre>{html.escape(session.crash or '')}</pre><p>The system refused it. Once the cause is gone "
            "(free some space, say), save any file: the site is built again and this page reloads by itself.</p>"
        )
    else:
        heading = "paperfolio crashed while building"
        detail = f"<pre>{html.escape(session.crash or '')}</pre><p>This is a bug in paperfolio; please report it.</p>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Build error — paperfolio</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "code,pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.95rem}"
        "li{margin:.5rem 0}h1{color:#b00020}</style>"
        f"{script.decode()}</head><body><main><h1>{heading}</h1>{detail}</main></body></html>\n"
    ).encode()
