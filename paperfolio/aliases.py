"""Pages that send a visitor from a paper's old address to its page here (`aliases:` in its front matter, as
Hugo names them): a site moved from al-folio, academicpages or Hugo Blox keeps the addresses Google Scholar,
other sites and readers' bookmarks hold (`/publication/aligner/`).

Each is a small page of its own, not a server redirect (GitHub Pages has none): it names the paper's page as
canonical, asks search engines not to index it, moves the browser on at once (`<meta http-equiv="refresh">`,
no script) and links the page for a browser that does not. They are left out of the sitemap.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from urllib.parse import unquote

from .citations import plain_title
from .direction import text_direction
from .errors import Problem
from .model import Paper
from .urls import Urls


def alias_file(alias: str) -> str:
    """Return the output file of an alias: `/publication/x/` and `/publication/x` serve
    `publication/x/index.html`, `/old/x.html` is that file."""
    path = unquote(alias).strip("/")
    if not path:
        return "index.html"
    return path if path.lower().endswith((".html", ".htm")) else f"{path}/index.html"


def alias_files(papers: Iterable[Paper], site_urls: Urls, language: str) -> dict[str, bytes]:
    """Return each alias page by its output file, in the order of the papers and their aliases."""
    files = {}
    for paper in papers:
        if not paper.aliases:
            continue
        target = site_urls.page_url(f"papers/{paper.slug}/")
        for alias in paper.aliases:
            files[alias_file(alias)] = _page(target, plain_title(paper.title), language).encode("utf-8")
    return files


def alias_clashes(papers: Iterable[Paper], names: set[str]) -> list[Problem]:
    """Return an error for each alias that names a file the site makes itself, or another paper's alias."""
    problems = []
    seen: dict[str, str] = {}
    for paper in papers:
        for alias in paper.aliases:
            name = alias_file(alias)
            folders = ["/".join(name.split("/")[:end]) for end in range(1, name.count("/") + 1)]
            if name in names or any(folder in names for folder in folders):  # `/papers.bib/` ran through a file
                problems.append(Problem(paper.source, 0, 0, f"alias `{alias}` is a page the site makes itself"))
            elif name in seen:
                problems.append(Problem(paper.source, 0, 0, f"alias `{alias}` is also an alias of {seen[name]}"))
            else:
                seen[name] = paper.source
    return problems


def _page(target: str, title: str, language: str) -> str:
    """Return the page that moves the browser on to `target`."""
    address, shown = html.escape(target), html.escape(" ".join(title.split()))
    direction = ' dir="rtl"' if text_direction(language) == "rtl" else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(language)}"{direction}>\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # Drawn in the visitor's scheme, as the site is: in a dark one the page was white for a moment.
        '<meta name="color-scheme" content="light dark">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; base-uri 'none'\">\n"
        f'<meta name="robots" content="noindex">\n<link rel="canonical" href="{address}">\n'
        f'<meta http-equiv="refresh" content="0; url={address}">\n<title>Moved: {shown}</title>\n</head>\n'
        f'<body>\n<p>This page has moved to <a href="{address}" dir="auto">{shown}</a>.</p>\n</body>\n</html>\n'
    )
