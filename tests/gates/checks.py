"""Static checks over a built site: each takes an output folder and returns the problems it finds.

Every checker returns a sorted list of `Problem`s (empty when the site is clean) instead of asserting, so that a
test can report every problem at once and the checkers' own tests can feed them broken sites. Nothing here knows
about paperfolio itself: any folder of HTML and CSS can be checked.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import posixpath
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

GATES_DIR = Path(__file__).resolve().parent
VNU_JAR_IN_NODE_MODULES = GATES_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# A made-up origin to resolve root-relative URLs against when the site has no absolute base URL.
_LOCAL_ORIGIN = "http://site.invalid"

# `<link rel>` values that make the browser fetch or connect to `href`; other rels (canonical, alternate, me…) only
# name an address.
_FETCHING_RELS = frozenset(
    {
        "stylesheet",
        "icon",
        "shortcut",
        "apple-touch-icon",
        "apple-touch-icon-precomposed",
        "mask-icon",
        "manifest",
        "preload",
        "modulepreload",
        "prefetch",
        "prerender",
        "preconnect",
        "dns-prefetch",
    }
)
# Rels that name an origin to connect to, not a file.
_CONNECT_RELS = frozenset({"preconnect", "dns-prefetch"})

# Attributes whose URL the browser loads as part of the page, by tag.
_RESOURCE_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
}
# Attributes whose URL is a place to go to, not something loaded with the page.
_NAVIGATION_ATTRS = {"a": ("href",), "area": ("href",), "form": ("action",)}
# Social-card metadata whose address must exist when it points into the site.
_META_URL_PROPERTIES = frozenset({"og:url", "og:image", "twitter:image", "twitter:url"})

_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
# Script calls that reach another host when given an absolute address.
_JS_REMOTE_CALL = re.compile(
    r"""\b(?:fetch|import|importScripts|EventSource|WebSocket|sendBeacon|open)\s*\(\s*"""
    r"""(?:['"][A-Z]+['"]\s*,\s*)?['"`]((?:https?:|wss?:)?//[^'"`\s]+)""",
    re.IGNORECASE,
)
_JS_STATIC_IMPORT = re.compile(r"""\b(?:import|export)\b[^'";]*?\bfrom\s*['"]((?:https?:)?//[^'"]+)['"]""")
_META_REFRESH_URL = re.compile(r"""url\s*=\s*['"]?([^'"]+)""", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong at a place in the site: `path` is relative to the checked folder, `line` is 1-based."""

    path: str
    line: int
    message: str
    column: int | None = field(default=None, compare=False)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" + (f":{self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Reference:
    """One URL written in a page or stylesheet, with what kind of use the browser makes of it."""

    url: str
    line: int
    what: str  # how it was written, for messages: "<script src>", "CSS url()"…
    kind: str  # "resource" (loaded with the page), "connect" (an origin), "navigation" or "meta"


@dataclass
class Page:
    """What the checks need to know about one HTML file."""

    ids: set[str] = field(default_factory=set)
    references: list[Reference] = field(default_factory=list)
    base_href: str | None = None


def format_problems(problems: list[Problem]) -> str:
    """Return the problems one per line, with a count, for an assertion message."""
    lines = [str(problem) for problem in problems]
    return f"{len(problems)} problem(s):\n" + "\n".join(lines)


def html_files(site_dir: Path) -> list[Path]:
    """Return every HTML file under `site_dir`, sorted."""
    return sorted(path for path in site_dir.rglob("*.html") if path.is_file())


def parse_page(text: str) -> Page:
    """Collect ids, the base URL and every URL reference of an HTML document."""
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    return parser.page


def read_page(path: Path) -> Page:
    """Parse the HTML file at `path`, once per version of the file (both link checks read every page)."""
    stat = path.stat()
    return _read_page_cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4096)
def _read_page_cached(path: str, _mtime_ns: int, _size: int) -> Page:
    return parse_page(_read_text(Path(path)))


def find_css_references(css: str, *, first_line: int = 1) -> list[Reference]:
    """Return the url() and @import references of a stylesheet; lines count from `first_line`."""
    # Blank comments out but keep their newlines so that line numbers stay right.
    css = _CSS_COMMENT.sub(lambda match: "\n" * match.group(0).count("\n"), css)
    references = []
    for pattern, what in ((_CSS_URL, "CSS url()"), (_CSS_IMPORT, "CSS @import")):
        for match in pattern.finditer(css):
            url = next(group for group in match.groups() if group is not None).strip()
            if url:
                line = first_line + css.count("\n", 0, match.start())
                references.append(Reference(url, line, what, "resource"))
    return references


def find_script_remote_calls(script: str, *, first_line: int = 1) -> list[Reference]:
    """Return absolute addresses passed to fetch(), import(), XMLHttpRequest.open() and the like in a script."""
    references = []
    for pattern in (_JS_REMOTE_CALL, _JS_STATIC_IMPORT):
        for match in pattern.finditer(script):
            line = first_line + script.count("\n", 0, match.start())
            references.append(Reference(match.group(1), line, "script request", "resource"))
    return references


def find_broken_links(site_dir: Path, base_url: str = "/") -> list[Problem]:
    """Report internal references that resolve to no file in `site_dir`, or to a missing `#fragment`.

    `base_url` is where the site is served: a path (`/portfolio/`) or a full URL; a reference must stay under its
    path. Absolute URLs on the base URL's host count as internal.
    """
    site = _SiteLayout(site_dir, base_url)
    pages = {site.relative(path): read_page(path) for path in html_files(site_dir)}
    problems = []
    for rel, page in pages.items():
        page_url = site.base + rel
        if page.base_href is not None:
            page_url = urljoin(page_url, page.base_href)
        for ref in page.references:
            if ref.kind == "connect":
                continue
            if rel == "404.html" and _is_path_relative(ref.url):
                problems.append(
                    Problem(
                        rel,
                        ref.line,
                        f"{ref.what} {ref.url!r} is relative: 404.html is served for missing URLs at any depth,"
                        " so it must use root-relative or absolute URLs",
                    )
                )
                continue
            problem = site.check_target(urljoin(page_url, ref.url), pages, ref.kind == "meta")
            if problem:
                problems.append(Problem(rel, ref.line, f"{ref.what} {ref.url!r} {problem}"))
    for path in sorted(site_dir.rglob("*.css")):
        css_url = site.url_of(path)
        for ref in find_css_references(_read_text(path)):
            problem = site.check_target(urljoin(css_url, ref.url), pages, False)
            if problem:
                problems.append(Problem(site.relative(path), ref.line, f"{ref.what} {ref.url!r} {problem}"))
    return sorted(problems)


def find_external_resources(site_dir: Path, base_url: str = "/") -> list[Problem]:
    """Report scripts, stylesheets, fonts, images, frames and fetches that a page would load from another host."""
    site = _SiteLayout(site_dir, base_url)
    found: list[tuple[Path, Reference, str]] = []
    for path in html_files(site_dir):
        page = read_page(path)
        page_url = site.url_of(path)
        if page.base_href is not None:
            page_url = urljoin(page_url, page.base_href)
        found += [(path, ref, page_url) for ref in page.references]
    for path in sorted(site_dir.rglob("*.css")):
        found += [(path, ref, site.url_of(path)) for ref in find_css_references(_read_text(path))]
    for path in sorted(site_dir.rglob("*.js")) + sorted(site_dir.rglob("*.mjs")):
        found += [(path, ref, site.url_of(path)) for ref in find_script_remote_calls(_read_text(path))]
    problems = []
    for path, ref, document_url in found:
        if ref.kind not in ("resource", "connect"):
            continue
        target = urlsplit(urljoin(document_url, ref.url))
        if target.scheme in ("http", "https", "ws", "wss") and target.netloc != site.netloc:
            problems.append(Problem(site.relative(path), ref.line, f"{ref.what} loads from another host: {ref.url}"))
    return sorted(problems)


def find_vnu_jar() -> Path | None:
    """Return the Nu Html Checker jar: $PAPERFOLIO_VNU_JAR, else the one `npm ci` put in tests/gates."""
    configured = os.environ.get("PAPERFOLIO_VNU_JAR")
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    return VNU_JAR_IN_NODE_MODULES if VNU_JAR_IN_NODE_MODULES.is_file() else None


# vnu checks a page against its Content-Security-Policy with two false alarms: a `file:` page has no origin, so
# every resource of the site's own (`'self'`) reads as blocked (served over http, as a visitor sees it, none
# is), and a JSON-LD data block reads as an inline script, though CSP governs only scripts that run.
CSP_FALSE_ALARMS = ("Resource violates Content Security Policy", "Inline script violates Content Security Policy")


def run_vnu(
    files: list[Path], *, root: Path, jar: Path, java: str | None = None, warnings: bool = False
) -> list[Problem]:
    """Check `files` with the Nu Html Checker in one JVM and return its errors (and, with `warnings`, its
    warnings but `CSP_FALSE_ALARMS`); paths are shown relative to `root`."""
    java = java or shutil.which("java")
    if java is None:
        raise RuntimeError("java was not found on PATH")
    if not files:
        return []
    # C1-only JIT and the serial collector: vnu's run is short, and full JIT warm-up doubled its CPU time here.
    command = [java, "-Xss16m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(jar)]
    command += [*([] if warnings else ["--errors-only"]), "--no-langdetect", "--exit-zero-always"]
    command += ["--stdout", "--format", "json", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    try:
        messages = json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError) as error:
        raise RuntimeError(
            f"vnu printed no JSON report (exit {result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        ) from error
    root = root.resolve()
    problems = []
    for message in messages:
        warned = warnings and message.get("subType") == "warning"
        if message.get("type") not in ("error", "non-document-error") and not warned:
            continue
        if warned and message.get("message", "").startswith(CSP_FALSE_ALARMS):
            continue
        path = Path(unquote(urlsplit(message.get("url", "")).path)).resolve()
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        line = message.get("firstLine", message.get("lastLine", 0))  # vnu omits firstLine when it equals lastLine
        column = message.get("firstColumn")
        problems.append(Problem(shown, line, message.get("message", "").strip(), column))
    return sorted(problems)


def tree_digest(folder: Path) -> dict[str, str]:
    """Return {relative path: sha256} for every file under `folder`, to compare two builds byte for byte."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() or path.is_symlink()
    }


class _SiteLayout:
    """Maps files of a built site to the URLs they are served at, and URLs back to files."""

    def __init__(self, site_dir: Path, base_url: str) -> None:
        self.root = site_dir.resolve()
        parts = urlsplit(base_url)
        origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else _LOCAL_ORIGIN
        self.netloc = urlsplit(origin).netloc
        self.base_path = "/" + parts.path.strip("/") + "/" if parts.path.strip("/") else "/"
        self.base = origin + self.base_path
        # Listed once: asking the file system about thousands of references one by one took most of the time.
        self.files: set[str] = set()
        self.dirs: set[str] = set()
        for folder, dirs, names in os.walk(self.root):
            rel = Path(folder).relative_to(self.root).as_posix()
            prefix = "" if rel == "." else rel + "/"
            self.dirs.update(prefix + name for name in dirs)
            self.files.update(prefix + name for name in names)

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def url_of(self, path: Path) -> str:
        return self.base + self.relative(path)

    def check_target(self, url: str, pages: dict[str, Page], from_meta: bool) -> str | None:
        """Return why `url` does not resolve inside the site, or None when it does or is not internal."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != self.netloc:
            return None
        path = unquote(parts.path)
        if path + "/" == self.base_path:
            path += "/"
        if not path.startswith(self.base_path):
            return f"points outside the base path {self.base_path}"
        rel = posixpath.normpath("./" + path[len(self.base_path) :])
        if rel == ".." or rel.startswith("../"):
            return "points outside the site"
        rel = "" if rel == "." else rel
        if path.endswith("/"):
            rel = f"{rel}/index.html" if rel else "index.html"
        elif rel in self.dirs:
            if f"{rel}/index.html" in self.files:
                return "points at a folder without its trailing slash (a redirect on some hosts, a 404 on others)"
            return "points at a folder with no index.html"
        if rel not in self.files:
            return f"resolves to {rel}, which does not exist"
        fragment = unquote(parts.fragment)
        if fragment and not from_meta and rel.endswith(".html") and not self._has_anchor(rel, fragment, pages):
            return f"names #{fragment}, which {rel} does not define"
        return None

    def _has_anchor(self, rel: str, fragment: str, pages: dict[str, Page]) -> bool:
        if fragment.startswith(":~:") or fragment.lower() == "top":  # text fragments and #top need no element
            return True
        page = pages.get(rel) or read_page(self.root / rel)
        return fragment in page.ids


def _is_path_relative(url: str) -> bool:
    """Tell whether `url` depends on the folder of the page it is written in."""
    url = url.strip()
    if not url or url.startswith(("/", "#", "?")):
        return False
    return not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url)


def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


class _PageParser(HTMLParser):
    """Collects ids, `<base href>` and URL references with their line numbers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in = None  # "style" or "script" while inside one with inline text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._visit(tag, dict((name, value or "") for name, value in attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._visit(tag, dict((name, value or "") for name, value in attrs))
        self._in = None

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._in = None

    def handle_data(self, data: str) -> None:
        line = self.getpos()[0]
        if self._in == "style":
            self.page.references += find_css_references(data, first_line=line)
        elif self._in == "script":
            self.page.references += find_script_remote_calls(data, first_line=line)

    def _visit(self, tag: str, attrs: dict[str, str]) -> None:
        line = self.getpos()[0]
        add = self.page.references.append
        if attrs.get("id"):
            self.page.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.page.ids.add(attrs["name"])
        if tag == "base" and "href" in attrs and self.page.base_href is None:
            self.page.base_href = attrs["href"]
        if "style" in attrs:
            self.page.references += find_css_references(attrs["style"], first_line=line)
        if tag == "style":
            self._in = "style"
        if tag == "script" and "src" not in attrs:
            self._in = "script"
        if tag == "link" and attrs.get("href"):
            rels = set(attrs.get("rel", "").lower().split())
            kind = "connect" if rels & _CONNECT_RELS else "resource" if rels & _FETCHING_RELS else "navigation"
            add(Reference(attrs["href"], line, f'<link rel="{attrs.get("rel", "")}" href>', kind))
        if tag == "link" and attrs.get("imagesrcset"):
            for url in _srcset_urls(attrs["imagesrcset"]):
                add(Reference(url, line, "<link imagesrcset>", "resource"))
        for attr in _RESOURCE_ATTRS.get(tag, ()):
            if not attrs.get(attr):
                continue
            urls = _srcset_urls(attrs[attr]) if attr == "srcset" else [attrs[attr]]
            for url in urls:
                add(Reference(url, line, f"<{tag} {attr}>", "resource"))
        for attr in _NAVIGATION_ATTRS.get(tag, ()):
            if attrs.get(attr):
                add(Reference(attrs[attr], line, f"<{tag} {attr}>", "navigation"))
        if tag == "a" and attrs.get("ping"):
            for url in attrs["ping"].split():
                add(Reference(url, line, "<a ping>", "resource"))
        if tag == "meta":
            name = (attrs.get("property") or attrs.get("name") or "").lower()
            if name in _META_URL_PROPERTIES and attrs.get("content"):
                add(Reference(attrs["content"], line, f'<meta property="{name}">', "meta"))
            if attrs.get("http-equiv", "").lower() == "refresh":
                match = _META_REFRESH_URL.search(attrs.get("content", ""))
                if match:
                    add(Reference(match.group(1).strip(), line, "<meta http-equiv=refresh>", "navigation"))


def _srcset_urls(srcset: str) -> list[str]:
    """Return the URLs of a srcset's candidates (each is a URL, then an optional width or density)."""
    return [candidate.split()[0] for candidate in srcset.split(",") if candidate.strip()]
