"""Atom feeds: `feed.xml` with the newest papers, and `categories/<code>/feed.xml` per category.

A feed carries the `feed_limit` newest papers (50 unless the settings say otherwise; 0 for all), as
jekyll-feed, Zola's `feed_limit` and Pelican's `FEED_MAX_ITEMS` do: feed readers poll the whole
document, and a lab site of thousands of papers would otherwise serve megabytes on every poll. Every
paper stays in `papers.bib`, `papers.ris` and `papers.json`.

Written as text, escaped exactly as ElementTree escapes it (a test compares the two): ElementTree's
serialiser took about 0.1 ms an entry. Each paper's entry is made once and shared by the site feed
and its categories' feeds. Entry ids are the papers' absolute URLs when the base URL names a host,
else stable `urn:uuid:` ids derived from the slug; `updated` is the paper's date (there is no build
timestamp, so output is reproducible).

A feed of no paper (a new site, or one of drafts only) is `updated` at `EMPTY_UPDATED`, 2000-01-01: a
fixed date, as the bytes must be the same for the same input. It was the Unix epoch, 1970, which the W3C
Feed Validator calls implausible (it calls so any date before 1990). Neither the build's time nor a file's
modification time (which `git clone` sets to the clone's) would give the same bytes twice, and
SOURCE_DATE_EPOCH stays the date `python build.py new` writes: no built file carries a build date.

An entry's content is the paper's HTML without what only the page's keyboard use needs: a display
formula's span is a Tab stop on the page (`markup.display_block`), but in a feed reader's page it would be
one the reader did not ask for (feedparser passes `tabindex` through), so the feed's span has none.
"""

from __future__ import annotations

import hashlib
from functools import partial

from . import categories, urls
from .markup import DISPLAY_OPEN
from .metadata import page_url, picture_url
from .model import Author, PaperDate
from .views import PaperView

ATOM = "http://www.w3.org/2005/Atom"
_NAMESPACE = "5b0c4f64-52a4-4d8f-9a5e-4c1c7a3e2f10"
EMPTY_UPDATED = PaperDate(2000, 1, 1)  # a feed of no paper's `updated` (see above)


def rfc3339(date: PaperDate) -> str:
    """Return the date as an RFC 3339 timestamp at midnight UTC (unknown month or day read as 1)."""
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}T00:00:00Z"


def feed_id(settings, path: str) -> str:
    """Return a permanent id for a feed or entry."""
    absolute = page_url(settings, path)
    if "://" in absolute:
        return absolute
    return f"urn:uuid:{uuid5(settings.title + '/' + path)}"


_NAMESPACE_BYTES = bytes.fromhex(_NAMESPACE.replace("-", ""))


def uuid5(name: str) -> str:
    """Return `str(uuid.uuid5(uuid.UUID(_NAMESPACE), name))`: RFC 4122's name-based id (SHA-1, version 5).

    Written out because importing `uuid`, which imports `platform`, cost every build of a site without a
    host in its base URL (the default site) 3.6 ms; a test compares the two."""
    data = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name.encode("utf-8")).digest()[:16])
    data[6] = (data[6] & 0x0F) | 0x50  # version 5
    data[8] = (data[8] & 0x3F) | 0x80  # the RFC 4122 variant
    text = data.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def atom_feed(settings, title: str, path: str, page_path: str, views: list[PaperView], entries=None) -> bytes:
    """Return an Atom document listing these papers, newest first.

    `entries` (slug -> entry, serialised and encoded) lets several feeds share each paper's entry,
    made and encoded once: encoding abstracts to UTF-8 was a fifth of the feeds' time.
    """
    newest = views[0].paper.date if views else EMPTY_UPDATED
    parts = [
        f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="{ATOM}">',
        element("title", title),
        element("id", feed_id(settings, path)),
        element("link", rel="self", type="application/atom+xml", href=page_url(settings, path)),
        element("link", rel="alternate", type="text/html", href=page_url(settings, page_path)),
        element("updated", rfc3339(newest)),
        "<author>" + element("name", settings.name or settings.title) + "</author>",
        element("generator", "paperfolio"),
    ]
    body = ["".join(parts).encode("utf-8")]
    for view in views:
        entry = entries.get(view.slug) if entries is not None else None
        body.append(entry if entry is not None else entry_xml(settings, view).encode("utf-8"))
    body.append(b"</feed>\n")
    return b"".join(body)


# The media type of each picture suffix `schema.IMAGE_SUFFIXES` allows.
IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif"}
IMAGE_TYPES |= {"webp": "image/webp", "avif": "image/avif", "svg": "image/svg+xml"}


def entry_xml(settings, view: PaperView) -> str:
    """Return one paper's Atom entry, serialised (every value escaped)."""
    paper = view.paper
    path = urls.paper(paper.slug)
    stamp = rfc3339(paper.date)
    parts = [
        "<entry>",
        element("title", view.title_text),
        element("id", feed_id(settings, path)),
        element("link", rel="alternate", type="text/html", href=page_url(settings, path)),
    ]
    picture = picture_url(view, settings)
    if picture:  # the paper's picture, which feed readers show beside the entry
        kind = IMAGE_TYPES[picture.rpartition(".")[2].lower()]
        parts.append(element("link", rel="enclosure", type=kind, href=picture))
    parts += [
        element("published", stamp),
        element("updated", stamp),
    ]
    parts += ["<author>" + element("name", a.name) + "</author>" for a in paper.authors or [Author("Unknown")]]
    parts += [element("category", term=code, label=categories.display_name(code)) for code in paper.categories]
    parts += [element("category", term=tag) for tag in paper.tags]
    if view.abstract_text:
        parts.append(element("summary", view.abstract_text, type="text"))
        parts.append(element("content", feed_html(str(view.abstract_html)), type="html"))
    parts.append("</entry>")
    return "".join(parts)


def feed_html(html: str) -> str:
    """Return a paper's HTML as a feed entry carries it: its display formulas are no Tab stops."""
    return html.replace(DISPLAY_OPEN, _DISPLAY_OPEN_IN_FEEDS) if "tabindex" in html else html


_DISPLAY_OPEN_IN_FEEDS = DISPLAY_OPEN.replace(' tabindex="0"', "")


def element(tag: str, text: str | None = None, **attributes: str) -> str:
    """Return an XML element with this text, written as `ET.tostring` writes it (empty: `<tag />`)."""
    start = tag
    for name, value in attributes.items():
        start += f' {name}="{_escape_attribute(value)}"'
    return f"<{start}>{escape_text(text)}</{tag}>" if text else f"<{start} />"


def escape_text(text: str) -> str:
    """Escape element text as ElementTree does."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(text: str) -> str:
    """Escape an attribute value as ElementTree does (line ends and tabs as character references)."""
    text = escape_text(text).replace('"', "&quot;")
    return text.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;")


def feed_path(code: str | None = None) -> str:
    """Return the site path of the site feed, or of one category's feed."""
    return "feed.xml" if code is None else urls.category(code) + "feed.xml"


def feed_files(data) -> dict[str, bytes]:
    """Return the site feed and one feed per category (a FILE_SOURCE of the pipeline)."""
    settings, index, views = data.settings, data.index, data.views
    limit = settings.feed_limit or None
    lists = {None: [p.slug for p in index.papers[:limit]]}  # the index keeps papers newest first
    lists.update((code, slugs[:limit]) for code, slugs in index.categories.items())
    entries: dict[str, bytes] = {}  # each paper's entry is made once, for every feed it is in
    files = {}
    for code, slugs in lists.items():
        for slug in slugs:
            if slug not in entries:
                # An entry reads only the settings and the view: the last build's is reused (`serve`
                # rebuilds every feed after each edit).
                entries[slug] = data.fragments.get("feed", slug, partial(entry_xml, settings, views[slug])).encode()
        if code is None:
            title, page = settings.title, urls.home()
        else:
            title, page = f"{settings.title}: {categories.display_name(code)} ({code})", urls.category(code)
        files[feed_path(code)] = atom_feed(settings, title, feed_path(code), page, [views[s] for s in slugs], entries)
    return files
