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
