"""Atom feeds: `feed.xml` with the newest papers, and `categories/<code>/feed.xml` per category.

A feed carries the `feed_limit` newest papers (50 unless the settings say otherwise; 0 for all), as
jekyll-feed, Zola's `feed_limit` and Pelican's `FEED_MAX_ITEMS` do: feed readers poll the whole
document, and a lab site of thousands of papers would otherwise serve megabytes on every poll. Every
paper stays in `papers.bib`, `papers.ris` and `papers.json`.

Built with ElementTree, so every title and name is escaped by the XML serialiser; each paper's entry
is serialised once and shared by the site feed and its categories' feeds. Entry ids are the
papers' absolute URLs when the base URL names a host, else stable `urn:uuid:` ids derived from the
slug; `updated` is the paper's date (there is no build timestamp, so output is reproducible).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import partial

from . import categories, urls
from .metadata import page_url
from .model import PaperDate
from .views import PaperView

ATOM = "http://www.w3.org/2005/Atom"
_NAMESPACE = "5b0c4f64-52a4-4d8f-9a5e-4c1c7a3e2f10"


def rfc3339(date: PaperDate) -> str:
    """Return the date as an RFC 3339 timestamp at midnight UTC (unknown month or day read as 1)."""
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}T00:00:00Z"


def feed_id(settings, path: str) -> str:
    """Return a permanent id for a feed or entry."""
    absolute = page_url(settings, path)
    if "://" in absolute:
        return absolute
    import uuid  # only for sites without a host in the base URL; it imports `platform` (start-up time)

    return f"urn:uuid:{uuid.uuid5(uuid.UUID(_NAMESPACE), settings.title + '/' + path)}"


def atom_feed(settings, title: str, path: str, page_path: str, views: list[PaperView], entries=None) -> bytes:
    """Return an Atom document listing these papers, newest first.

    `entries` (slug -> serialised entry) lets several feeds share each paper's entry, made once.
    """
    head = ET.Element("head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "id").text = feed_id(settings, path)
    ET.SubElement(head, "link", rel="self", type="application/atom+xml", href=page_url(settings, path))
    ET.SubElement(head, "link", rel="alternate", type="text/html", href=page_url(settings, page_path))
    newest = views[0].paper.date if views else PaperDate(1970, 1, 1)
    ET.SubElement(head, "updated").text = rfc3339(newest)
    author = ET.SubElement(head, "author")
    ET.SubElement(author, "name").text = settings.name or settings.title
    ET.SubElement(head, "generator").text = "paperfolio"
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="{ATOM}">']
    parts += (ET.tostring(child, encoding="unicode") for child in head)
    for view in views:
        entry = entries.get(view.slug) if entries is not None else None
        parts.append(entry if entry is not None else entry_xml(settings, view))
    parts.append("</feed>\n")
    return "".join(parts).encode("utf-8")


def entry_xml(settings, view: PaperView) -> str:
    """Return one paper's Atom entry, serialised (ElementTree escapes every value)."""
    paper = view.paper
    path = urls.paper(paper.slug)
    entry = ET.Element("entry")
    ET.SubElement(entry, "title").text = view.title_text
    ET.SubElement(entry, "id").text = feed_id(settings, path)
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=page_url(settings, path))
    stamp = rfc3339(paper.date)
    ET.SubElement(entry, "published").text = stamp
    ET.SubElement(entry, "updated").text = stamp
    for author in paper.authors:
        ET.SubElement(ET.SubElement(entry, "author"), "name").text = author.name
    if not paper.authors:
        ET.SubElement(ET.SubElement(entry, "author"), "name").text = "Unknown"
    for code in paper.categories:
        ET.SubElement(entry, "category", term=code, label=categories.display_name(code))
    for tag in paper.tags:
        ET.SubElement(entry, "category", term=tag)
    if view.abstract_text:
        ET.SubElement(entry, "summary", type="text").text = view.abstract_text
        ET.SubElement(entry, "content", type="html").text = str(view.abstract_html)
    return ET.tostring(entry, encoding="unicode")


def feed_path(code: str | None = None) -> str:
    """Return the site path of the site feed, or of one category's feed."""
    return "feed.xml" if code is None else urls.category(code) + "feed.xml"


def feed_files(data) -> dict[str, bytes]:
    """Return the site feed and one feed per category (a FILE_SOURCE of the pipeline)."""
    settings, index, views = data.settings, data.index, data.views
    limit = settings.feed_limit or None
    lists = {None: [p.slug for p in index.papers][:limit]}  # the index keeps papers newest first
    lists.update((code, slugs[:limit]) for code, slugs in index.categories.items())
    entries: dict[str, str] = {}  # each paper's entry is made once, for every feed it is in
    files = {}
    for code, slugs in lists.items():
        for slug in slugs:
            if slug not in entries:
                # An entry reads only the settings and the view: the last build's is reused (`serve`
                # rebuilds every feed after each edit).
                entries[slug] = data.fragments.get("feed", slug, partial(entry_xml, settings, views[slug]))
        if code is None:
            title, page = settings.title, urls.home()
        else:
            title, page = f"{settings.title}: {categories.display_name(code)} ({code})", urls.category(code)
        files[feed_path(code)] = atom_feed(settings, title, feed_path(code), page, [views[s] for s in slugs], entries)
    return files
