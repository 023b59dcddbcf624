"""`sitemap.xml` listing every HTML page, and `robots.txt` pointing to it.

The sitemap protocol wants absolute URLs; when the base URL names no host (a local build), the
locations are root-relative and `check` warns. The GitHub Pages workflow always passes the real URL.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .metadata import page_url

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def site_path(output_file: str) -> str:
    """Return the site path served by an output file: `papers/x/index.html` -> `papers/x/`."""
    return output_file.removesuffix("index.html")


def sitemap_files(settings, files: dict[str, bytes]) -> dict[str, bytes]:
    """Return sitemap.xml and robots.txt for the rendered HTML files (the 404 page is left out)."""
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for name in sorted(files):
        if not name.endswith(".html") or name == "404.html":
            continue
        ET.SubElement(ET.SubElement(root, f"{{{SITEMAP}}}url"), f"{{{SITEMAP}}}loc").text = page_url(
            settings, site_path(name)
        )
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
    robots = "User-agent: *\nAllow: /\n"
    sitemap_url = page_url(settings, "sitemap.xml")
    if "://" in sitemap_url:  # robots.txt only accepts an absolute sitemap address
        robots += f"Sitemap: {sitemap_url}\n"
    return {"sitemap.xml": body, "robots.txt": robots.encode("utf-8")}
