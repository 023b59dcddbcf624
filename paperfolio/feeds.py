"""Atom feeds: `feed.xml` with every paper, and `categories/<code>/feed.xml` per category.

Built with ElementTree, so every title and name is escaped by the XML serialiser. Entry ids are the
papers' absolute URLs when the base URL names a host, else stable `urn:uuid:` ids derived from the
slug; `updated` is the paper's date (there is no build timestamp, so output is reproducible).
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from . import categories, urls
from .metadata import page_url
from .model import PaperDate
from .views import PaperView

ATOM = "http://www.w3.org/2005/Atom"
_NAMESPACE = uuid.UUID("5b0c4f64-52a4-4d8f-9a5e-4c1c7a3e2f10")


def rfc3339(date: PaperDate) -> str:
    """Return the date as an RFC 3339 timestamp at midnight UTC (unknown month or day read as 1)."""
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}T00:00:00Z"


def feed_id(settings, path: str) -> str:
    """Return a permanent id for a feed or entry."""
    absolute = page_url(settings, path)
    if "://" in absolute:
        return absolute
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, settings.title + '/' + path)}"


def atom_feed(settings, title: str, path: str, page_path: str, views: list[PaperView]) -> bytes:
    """Return an Atom document listing these papers, newest first."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id(settings, path)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=page_url(settings, path))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=page_url(settings, page_path))
    newest = views[0].paper.date if views else PaperDate(1970, 1, 1)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = rfc3339(newest)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = settings.name or settings.title
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "paperfolio"
    for view in views:
        feed.append(_entry(settings, view))
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False) + b"\n"
    )


def _entry(settings, view: PaperView) -> ET.Element:
    paper = view.paper
    path = urls.paper(paper.slug)
    entry = ET.Element(f"{{{ATOM}}}entry")
    ET.SubElement(entry, f"{{{ATOM}}}title").text = view.title_text
    ET.SubElement(entry, f"{{{ATOM}}}id").text = feed_id(settings, path)
    ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=page_url(settings, path))
    stamp = rfc3339(paper.date)
    ET.SubElement(entry, f"{{{ATOM}}}published").text = stamp
    ET.SubElement(entry, f"{{{ATOM}}}updated").text = stamp
    for author in paper.authors:
        ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = author.name
    if not paper.authors:
        ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "Unknown"
    for code in paper.categories:
        ET.SubElement(entry, f"{{{ATOM}}}category", term=code, label=categories.display_name(code))
    for tag in paper.tags:
        ET.SubElement(entry, f"{{{ATOM}}}category", term=tag)
    if view.abstract_text:
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = view.abstract_text
        ET.SubElement(entry, f"{{{ATOM}}}content", type="html").text = str(view.abstract_html)
    return entry


def feed_path(code: str | None = None) -> str:
    """Return the site path of the site feed, or of one category's feed."""
    return "feed.xml" if code is None else urls.category(code) + "feed.xml"


def feed_files(data) -> dict[str, bytes]:
    """Return the site feed and one feed per category (a FILE_SOURCE of the pipeline)."""
    settings, index, views = data.settings, data.index, data.views
    ordered = [views[p.slug] for p in index.papers]
    files = {feed_path(): atom_feed(settings, settings.title, feed_path(), urls.home(), ordered)}
    for code, slugs in index.categories.items():
        title = f"{settings.title}: {categories.display_name(code)} ({code})"
        files[feed_path(code)] = atom_feed(
            settings, title, feed_path(code), urls.category(code), [views[s] for s in slugs]
        )
    return files
