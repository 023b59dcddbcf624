"""`sitemap.xml` listing every HTML page, and `robots.txt` pointing to it.

The sitemap protocol wants absolute URLs; when the base URL names no host (a local build), the
locations are root-relative and `check` warns. The GitHub Pages workflow always passes the real URL.
`robots.txt` is written only for a site at a host's root: crawlers read `/robots.txt` and nothing under
a path, so a project page's (`/portfolio/robots.txt`) was never read; there the sitemap is announced by
submitting it to the search engines (README).
"""

from __future__ import annotations

from functools import lru_cache

from .feeds import escape_text
from .urls import Urls

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def site_path(output_file: str) -> str:
    """Return the site path served by an output file: `papers/x/index.html` -> `papers/x/`."""
    return output_file.removesuffix("index.html")


def sitemap_files(settings, files: dict[str, bytes]) -> dict[str, bytes]:
    """Return sitemap.xml and robots.txt for the rendered HTML files (the 404 page is left out).

    Written as text (the same bytes ElementTree wrote, which a test checks): `serve` makes it again
    after every edit, and ElementTree took 10 ms for the default site's 400 pages. The files depend on
    the base URL and the set of pages only, so the last ones made are kept for an edit that changes
    neither (2 ms of each `serve` edit at 1,000 papers).
    """
    pages = frozenset(name for name in files if name.endswith(".html") and name != "404.html")
    return dict(_sitemap_files(settings.base_url, pages))


@lru_cache(maxsize=1)
def _sitemap_files(base_url: str, pages: frozenset[str]) -> dict[str, bytes]:
    site_urls = Urls(base_url)
    origin = site_urls.origin or ""
    locations = [
        f"<url><loc>{escape_text(origin + site_urls.url(site_path(name)))}</loc></url>" for name in sorted(pages)
    ]
    urlset = f'<urlset xmlns="{SITEMAP}">{"".join(locations)}</urlset>'
    if not locations:
        urlset = f'<urlset xmlns="{SITEMAP}" />'  # as ElementTree writes an empty element
    body = f'<?xml version="1.0" encoding="utf-8"?>\n{urlset}\n'.encode()
    if site_urls.base_path != "/":
        return {"sitemap.xml": body}
    robots = "User-agent: *\nAllow: /\n"
    sitemap_url = site_urls.page_url("sitemap.xml")
    if "://" in sitemap_url:  # robots.txt only accepts an absolute sitemap address
        robots += f"Sitemap: {sitemap_url}\n"
    return {"sitemap.xml": body, "robots.txt": robots.encode("utf-8")}
