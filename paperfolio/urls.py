"""The only place that knows slugs, URLs and output paths, base path included.

Pages link to each other with root-relative URLs that carry the base path (`/portfolio/papers/x/`),
so the site works at a domain root and under a GitHub project path alike. Absolute URLs, needed by
feeds, the sitemap and canonical links, exist only when the base URL names a host.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote, urlsplit

from .record import record

_URL_SAFE = "/#?=&.-_~"  # kept as they are in a site path, with ASCII letters and digits
_URL_SAFE_RE = re.compile(r"[A-Za-z0-9/#?=&.\-_~]*")
_NON_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=64)
def _base_path(base_url: str) -> str:
    path = urlsplit(base_url).path if "://" in base_url else base_url
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


@lru_cache(maxsize=1 << 16)
def _url(base_url: str, path: str) -> str:
    """`Urls.url`, made once per address: layouts ask for tens of URLs a page, mostly the same ones (a
    category's, the home page's), and `serve` asks again for every coauthor page's after each edit."""
    path = path.lstrip("/")
    # Most are plain ASCII, which `quote` would return unchanged.
    return _base_path(base_url) + (path if _URL_SAFE_RE.fullmatch(path) else quote(path, safe=_URL_SAFE))


@record(frozen=True, slots=True)
class Urls:
    """URL and output-path rules for one base URL."""

    base_url: str  # ends with "/"

    @property
    def base_path(self) -> str:
        """Return the path part of the base URL, e.g. `/portfolio/` (always starts and ends with `/`)."""
        return _base_path(self.base_url)

    @property
    def origin(self) -> str | None:
        """Return `https://host` when the base URL names one."""
        if "://" not in self.base_url:
            return None
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def url(self, path: str) -> str:
        """Return the root-relative URL of a site path such as `papers/x/` or `assets/style.css`."""
        return _url(self.base_url, path)

    def absolute(self, path: str) -> str | None:
        """Return the absolute URL of a site path, or None when the base URL has no host."""
        origin = self.origin
        return origin + self.url(path) if origin else None

    def page_url(self, path: str) -> str:
        """Return the absolute URL of a site path, or its root-relative URL when the base URL has no host."""
        return self.absolute(path) or self.url(path)

    def asset_url(self, name: str) -> str:
        """Return the root-relative URL of a file under `assets/` (`figures/x.png`), its whole name
        percent-encoded: `#` and `?` in a file's name (`me #1?.png`) are characters of it, not a fragment or a
        query."""
        return f"{self.base_path}assets/{quote(name, safe='/')}"

    @staticmethod
    def output_file(path: str) -> str:
        """Return the file that serves a site path: `papers/x/` -> `papers/x/index.html`."""
        return path + "index.html" if path == "" or path.endswith("/") else path


def slugify(text: str) -> str:
    """Return lowercase ASCII words joined by hyphens: `Tianyi Qiu` -> `tianyi-qiu`, `Ünal` -> `unal`."""
    if text.isascii():  # NFKD leaves ASCII as it is, and casefold only lowercases it
        ascii_text = text.lower()
    else:
        folded = unicodedata.normalize("NFKD", text.casefold())
        ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch)).encode("ascii", "ignore").decode()
    return _NON_SLUG.sub("-", ascii_text).strip("-") or "x"


def home() -> str:
    """Return the site path of the home page."""
    return ""


def paper(slug: str) -> str:
    """Return the site path of a paper's page."""
    return f"papers/{slug}/"


def categories_index() -> str:
    """Return the site path of the page listing all categories."""
    return "categories/"


def category(code: str) -> str:
    """Return the site path of one category's page, e.g. `categories/cs.cl/`."""
    return f"categories/{code.lower()}/"


def years_index() -> str:
    """Return the site path of the page listing every year with its paper count."""
    return "years/"


def year(number: int) -> str:
    """Return the site path of one year's page, e.g. `years/2024/`."""
    return f"years/{number}/"


def tags_index() -> str:
    """Return the site path of the page listing every tag."""
    return "tags/"


def tag(slug: str) -> str:
    """Return the site path of one tag's page, e.g. `tags/safe-rl/` (slugs come from `groups.page_slugs`)."""
    return f"tags/{slug}/"


def venues_index() -> str:
    """Return the site path of the page listing every venue series."""
    return "venues/"


def venue(slug: str) -> str:
    """Return the site path of one venue series' page, e.g. `venues/neurips/` (`groups.page_slugs`)."""
    return f"venues/{slug}/"


def coauthors_index() -> str:
    """Return the site path of the page listing every coauthor."""
    return "coauthors/"


def coauthor(slug: str) -> str:
    """Return the site path of one coauthor's page (slugs come from `groups.assign_slugs`)."""
    return f"coauthors/{slug}/"


def publications() -> str:
    """Return the site path of the list grouped by publication type, as a CV lists papers."""
    return "publications/"


def publication_type(kind: str) -> str:
    """Return the URL fragment path of one type's section of the publications page."""
    return f"publications/#{kind}"


def search() -> str:
    """Return the site path of the search page (what the search box submits to without JavaScript)."""
    return "search/"


def search_index() -> str:
    """Return the site path of the search index that search.js fetches on first use."""
    return "search/index.json"


def not_found() -> str:
    """Return the site path of the 404 page, which GitHub Pages serves for unknown URLs."""
    return "404.html"


def asset(name: str) -> str:
    """Return the site path of a static file copied from `assets/`."""
    return f"assets/{name}"


# An http(s) address as the URL standard parses one without a validation error, which is what the Nu Html Checker
# reports on every page holding it: `//` after the scheme, a host of non-empty labels (or an IPv6 literal), a port
# up to 65535, and a path, query and fragment of the characters RFC 3986 allows (any non-ASCII too, which a
# browser encodes), `%` only starting an escape, and one `#`.
_WEB_RE = re.compile(r"(?i)https?://(?P<authority>[^/?#]*)(?P<rest>[/?#].*)?", re.DOTALL)
_LABEL_RE = re.compile(r"[^\W_](?:[\w-]*[^\W_])?", re.UNICODE)  # letters (any script), digits, inner hyphens
_USERINFO_RE = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*")
_REST_RE = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?\u0080-\U0010ffff]|%[0-9A-Fa-f]{2})*")


# Characters that show nothing but can change how the text around them reads: bidirectional controls, zero-width
# characters, the soft hyphen and the byte-order mark.
INVISIBLE = "\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
AUTHORITY_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")  # a scheme, `//` and what names the host
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")  # what no address or path may hold
_MENDABLE_RE = re.compile(r"[{}|^\[\]]")  # what a path may not hold as it is, which encoding mends


def mend_address(url: str) -> str:
    """Return an address with `{}|^[]` after its host percent-encoded, as a browser sends them (`a}b` is
    `a%7Db`); an address without `//` is returned as it is, for `web_address_problem` to say why."""
    head = AUTHORITY_RE.match(url)
    if head is None or not _MENDABLE_RE.search(url, head.end()):
        return url
    start = head.end()
    return url[:start] + _MENDABLE_RE.sub(lambda m: f"%{ord(m.group()):02X}", url[start:])


def web_address_problem(url: str) -> str | None:
    """Return what makes an http(s) address malformed (`https:a.org`, `https://a..org/`, `http://a.org:99999/`,
    `https://a.org/%zz`, `https://a.org/#a#b`) or unfit for a link (`https://user@a.org/`, an address with
    credentials, which the Nu Html Checker refuses), or None when it is neither."""
    found = _WEB_RE.fullmatch(url)
    if found is None:
        return "an http(s) address starts `https://` and a host"
    userinfo, at, host_port = found["authority"].rpartition("@")
    if at and not _USERINFO_RE.fullmatch(userinfo):
        return "what comes before `@` in its host is not a user name"
    if host_port.startswith("["):
        host, bracket, port = host_port[1:].partition("]")
        if not bracket or not re.fullmatch(r"[0-9A-Fa-f:.]+", host) or "::" in host[host.find("::") + 1 :]:
            return "its IPv6 host is not well formed"
        port = port.removeprefix(":") if port.startswith(":") or not port else "!"
    else:
        host, _, port = host_port.partition(":")
        labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
        if not host or not all(_LABEL_RE.fullmatch(label) for label in labels):
            return "its host is not a name of dot-separated labels"
        if all(label.isdigit() for label in labels) and (len(labels) != 4 or any(int(p) > 255 for p in labels)):
            return "its host is not an IPv4 address of four numbers up to 255"
    if port and not (port.isdigit() and port.isascii() and int(port) <= 65535):
        return "its port is not a number up to 65535"
    rest = found["rest"] or ""
    invisible = INVISIBLE_RE.search(rest)
    if invisible:  # `https://a.org/files/\u202egnp.exe` reads `https://a.org/files/exe.png`
        return f"it holds U+{ord(invisible.group()):04X}, an invisible character that can make it read as another"
    path, hash_mark, fragment = rest.partition("#")
    if not _REST_RE.fullmatch(path) or (hash_mark and not _REST_RE.fullmatch(fragment)):
        bad = next((ch for ch in rest if not _REST_RE.fullmatch(ch) and ch not in "%#"), None)
        if bad is not None:
            return f"it holds `{bad}`, which an address may not"
        return "it holds `%` or `#` where an address may not (`%` starts a two-digit escape; one `#` at most)"
    if at:  # well formed, but an href may not hold one, and `https://google.com@evil.example/` reads as google.com
        return "it holds a user name (before `@`), which a page may not link to"
    return None
