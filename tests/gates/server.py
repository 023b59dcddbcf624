"""A static file server for the browser gates that behaves like GitHub Pages on the points that matter.

It serves a built site under a base path (`/portfolio/` maps to the output folder), redirects a folder without its
trailing slash, and answers any missing URL with `404.html` and status 404 — so a 404 page that uses relative links
breaks here as it would when deployed.
"""

from __future__ import annotations

import contextlib
import mimetypes
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".txt": "text/plain; charset=utf-8",
    ".bib": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
}


@contextlib.contextmanager
def serve_site(site_dir: Path, base_path: str = "/") -> Iterator[str]:
    """Serve `site_dir` at `base_path` on a free 127.0.0.1 port; yield the site's base URL."""
    root = site_dir.resolve()

    class Handler(_SiteHandler):
        site_root = root
        prefix = base_path

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, name="gates-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base_path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _SiteHandler(BaseHTTPRequestHandler):
    site_root: Path
    prefix: str

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(with_body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Stay quiet: the browser tests report failed requests themselves."""

    def _answer(self, *, with_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if path + "/" == self.prefix:
            return self._redirect(path + "/")
        target = None
        if path.startswith(self.prefix):
            candidate = (self.site_root / path[len(self.prefix) :]).resolve()
            if candidate.is_relative_to(self.site_root):
                target = candidate
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                return self._redirect(path + "/")
            target = target / "index.html"
        if target is not None and target.is_file():
            return self._send(200, target, with_body=with_body)
        not_found = self.site_root / "404.html"
        if not_found.is_file():
            return self._send(404, not_found, with_body=with_body)
        self.send_error(404)

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, path: Path, *, with_body: bool) -> None:
        body = path.read_bytes()
        kind = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if with_body:
            self.wfile.write(body)
