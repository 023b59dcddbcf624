"""Metadata for machines on each paper page: Highwire Press tags, schema.org JSON-LD, Open Graph; and the
home page's schema.org ProfilePage, the researcher as a Person.

Highwire tags follow Google Scholar's inclusion guidelines: `citation_title`, one `citation_author`
per author in order, `citation_publication_date` (YYYY/MM/DD, or as much as is known),
`citation_conference_title` or `citation_journal_title` from the venue, volume, issue, pages, series,
publisher, ISBN and ISSN from the details under `extra:` (as the exports carry them), `citation_pdf_url` when a PDF
is known (an explicit `pdf` link, else arXiv's PDF for an arXiv ID: Scholar takes a PDF as the full text only
from the page's own folder, which docs/front-matter.md tells how to use, but Zotero attaches one from anywhere),
identifiers, `citation_abstract`.
Every value is plain text (LaTeX read as text) and attribute-escaped; JSON-LD escapes `<`, `>` and `&`
so no title can close the script element.
"""

from __future__ import annotations

import functools
import html
import json

from markupsafe import Markup

from . import urls
from .citations import cited_name, details, kind, published, split_name
from .model import Paper, Settings
from .record import record
from .urls import Urls
from .views import PaperView

# A string as JSON, exactly as `json.dumps(..., ensure_ascii=False)` writes it (the same C function).
_json_string = json.encoder.encode_basestring


def _attribute(text: str) -> str:
    """Return `html.escape(text)`: most values need no escaping, and testing for that is a third of the cost."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return html.escape(text, quote=True)
    return text


def _meta(name: str, content: str, attribute: str = "name") -> str:
    return f'<meta {attribute}="{name}" content="{_attribute(content)}">'


# Tags every page of a kind carries, made once.
_ARTICLE = _meta("og:type", "article", "property")
_WEBSITE = _meta("og:type", "website", "property")
_SUMMARY_CARD = _meta("twitter:card", "summary")
_LARGE_IMAGE_CARD = _meta("twitter:card", "summary_large_image")


@functools.lru_cache(maxsize=16)
def _site_name(title: str) -> str:
    return _meta("og:site_name", title, "property")


def _text(value: str) -> str:
    """Return plain text: `Markup` (escaped HTML) unescaped with its tags dropped, a `str` as it is."""
    if not isinstance(value, Markup):
        return value
    if "<" in value or "&" in value:
        return value.striptags()
    return " ".join(str.split(value))  # what `striptags` leaves of text with no tag or entity, for a sixth of its cost


def pdf_url(paper: Paper, arxiv_id: str | None) -> str | None:
    """Return the PDF's address: the explicit `pdf` link, else arXiv's PDF for an arXiv paper (`arxiv_id`:
    `paper.arxiv_id`, which the caller has found already)."""
    explicit = paper.link("pdf")
    if explicit and explicit.url:
        return explicit.url
    return f"https://arxiv.org/pdf/{arxiv_id}" if arxiv_id else None


def scholar_date(paper: Paper) -> str:
    """Return the date as Google Scholar asks for it: `2023/9/19`, `2023/9` or `2023`."""
    date = published(paper)  # the venue's year, when it names another than `date`'s
    return "/".join(str(part) for part in (date.year, date.month, date.day) if part is not None)


# The tag that names the venue, by the paper's kind: Scholar's guidelines name the first four (a thesis's
# university, a report's institution), and Zotero's Embedded Metadata import takes its item type from them
# (without one, a thesis was a journal article with no university).
VENUE_TAGS = {
    "journal": "citation_journal_title",
    "conference": "citation_conference_title",
    "thesis": "citation_dissertation_institution",
    "report": "citation_technical_report_institution",
    "book": "citation_publisher",
    "chapter": "citation_inbook_title",
}


# `extra:`'s bibliographic details (`citations.details`) by tag, in the order Scholar's guidelines list them: they
# ask journal and conference papers for volume, issue and pages, and Zotero's import reads these, the series,
# the publisher, the ISSN and the ISBN (which makes a book a book: without one it guessed a journal article).
_DETAIL_TAGS = (
    ("volume", "citation_volume"),
    ("number", "citation_issue"),
    ("pages", ""),  # citation_firstpage and citation_lastpage
    ("series", "citation_series_title"),
    ("publisher", "citation_publisher"),
    ("isbn", "citation_isbn"),
    ("issn", "citation_issn"),
)


def _detail_tags(paper: Paper, entry_type: str, arxiv_id: str | None) -> list[str]:
    """Return the tags of the paper's bibliographic details: a report's number is its report number (an arXiv
    paper's is its arXiv ID, written already), and a book's publisher is its venue when it has one."""
    found = details(paper)
    tags = []
    for name, tag in _DETAIL_TAGS:
        value = found.get(name)
        if not value:
            continue
        if name == "pages":
            first, _, last = value.partition("--")
            tags.append(_meta("citation_firstpage", first))
            if last:
                tags.append(_meta("citation_lastpage", last))
            continue
        if name == "number" and entry_type == "preprint" and arxiv_id:
            continue
        if name == "number" and entry_type == "report":
            tag = "citation_technical_report_number"
        if name == "publisher" and VENUE_TAGS.get(entry_type) == "citation_publisher" and paper.venue:
            continue
        tags.append(_meta(tag, value))
    return tags


def highwire_tags(view: PaperView) -> list[str]:
    """Return the `citation_*` meta tags of one paper, in Google Scholar's order (an author's ORCID tag
    shares the author's item, on a line of its own)."""
    paper = view.paper
    return _highwire(view, kind(paper), paper.arxiv_id, _attribute(view.title_text))


def _highwire(view: PaperView, entry_type: str, arxiv_id: str | None, title: str) -> list[str]:
    """`highwire_tags`, given what the rest of the head reads too: the paper's kind, its arXiv ID and
    its title as an attribute. Tags are written out here, not through `_meta`: a page has about 20."""
    paper = view.paper
    tags = [f'<meta name="citation_title" content="{title}">']
    alone, previous = len(paper.authors) == 1, None
    for author in paper.authors:  # `scholar_name`, written out: a page has a few authors, a site thousands
        written, other, only = _scholar_forms(author.name if author.family is None else cited_name(author))
        previous = only if alone else other if written == previous else written
        tags.append(_author_tags(previous, author.orcid))
    tags.append(f'<meta name="citation_publication_date" content="{scholar_date(paper)}">')
    venue = paper.venue
    if venue:
        venue_tag = VENUE_TAGS.get(entry_type)
        if venue_tag:
            tags.append(f'<meta name="{venue_tag}" content="{_attribute(venue)}">')
    if paper.extra:
        tags += _detail_tags(paper, entry_type, arxiv_id)
    pdf = pdf_url(paper, arxiv_id)
    if pdf:
        tags.append(f'<meta name="citation_pdf_url" content="{_attribute(pdf)}">')
    if arxiv_id:
        arxiv = _attribute(arxiv_id)
        tags.append(f'<meta name="citation_arxiv_id" content="{arxiv}">')
        if entry_type == "preprint":  # Scholar reads an unpublished arXiv paper as a technical report
            tags.append('<meta name="citation_technical_report_institution" content="arXiv">')
            tags.append(f'<meta name="citation_technical_report_number" content="arXiv:{arxiv}">')
    doi = paper.doi
    if doi:
        tags.append(f'<meta name="citation_doi" content="{_attribute(doi)}">')
    tags += [f'<meta name="citation_keywords" content="{_attribute(tag)}">' for tag in paper.tags]
    if view.abstract_text:
        tags.append(f'<meta name="citation_abstract" content="{_attribute(view.abstract_text)}">')
    return tags


def scholar_name(name: str, *, alone: bool = False, after: str | None = None) -> str:
    """Return an author's name as its `citation_author` tag gives it, so that it splits as the exports split it.

    Scholar takes `John Smith` or `Smith, John`. Zotero's Embedded Metadata import reads the last word of
    `Given Family` as the family name (`Guido van Rossum` became Rossum, Guido van; `Martin Luther King Jr.`
    became Jr), and reads the inverted form at its comma. So a name stays as written when its last word is
    its family name, and is written `Family, Given` (`Family, Given, Suffix`) otherwise. Two exceptions:
    - `alone`, the page's only author: Zotero splits a single tag's value at commas into several people
      when words with spaces stand on both sides (`de Jong, Anna Maria` became two authors), so such a
      name is written `Given Family` there: a misplaced particle, not a second person.
    - `after`, the tag before: Zotero drops a tag equal to the one before it (a page repeating its tags),
      so the second of two namesakes in a row (two Wei Zhangs) is written in the other form.
    """
    written, other, only = _scholar_forms(name)
    if alone:
        return only
    return other if written == after else written


@functools.lru_cache(maxsize=16384)  # coauthors recur from paper to paper; `after` varies, so it is not a key
def _scholar_forms(name: str) -> tuple[str, str, str]:
    """Return `scholar_name`'s forms of a name: as written in a tag, the other form (for the second of two
    namesakes), and the form for a page's only author."""
    parts = split_name(name)
    if not parts.given:  # one word (`OpenAI`), or a name all family (`European Commission,`): no reader splits it
        alone = parts.family or name
        return alone, alone, alone
    natural = " ".join(part for part in (parts.given, parts.family, parts.suffix) if part)
    inverted = ", ".join(part for part in (parts.family, parts.given, parts.suffix) if part)
    reads_right = " " not in parts.family and not parts.suffix  # its last word is its family name
    written = (name if name in (natural, inverted) else natural) if reads_right else inverted
    other = natural if written == inverted else inverted
    return written, other, natural if " " in parts.family and " " in parts.given else written


@functools.lru_cache(maxsize=16384)  # coauthors recur from paper to paper
def _author_tags(name: str, orcid: str | None) -> str:
    """Return the `citation_author` tag of one author, and its `citation_author_orcid` tag."""
    tag = _meta("citation_author", name)
    return f"{tag}\n{_meta('citation_author_orcid', f'https://orcid.org/{orcid}')}" if orcid else tag


def json_ld(view: PaperView, canonical: str, image: str | None = None) -> str:
    """Return a schema.org ScholarlyArticle as JSON, safe inside a script element.

    The object is written member by member, as `json.dumps` writes the same dict (compact separators,
    keys in this order): its encoder costs about 9 µs per author object, as much as the rest of the page head.
    `image`: the address of the paper's picture (`picture_url`).
    """
    return _json_ld(view, canonical, kind(view.paper), image)


def _json_ld(view: PaperView, canonical: str, entry_type: str, image: str | None = None) -> str:
    paper = view.paper
    title = view.title_text
    name = _json_string(title)
    parts = [
        '{"@context":"https://schema.org","@type":"ScholarlyArticle","name":',
        name,
        ',"headline":',
        name if len(title) <= 110 else _json_string(title[:110]),
        ',"author":[',
        ",".join([_person(a.name, a.orcid, a.url) for a in paper.authors]),
        '],"datePublished":',
        _json_string(view.date_iso if (date := published(paper)) is paper.date else date.iso),
        ',"url":',
        _json_string(canonical),
    ]
    if view.abstract_text:
        parts += (',"abstract":', _json_string(view.abstract_text))
    same_as = [link.url for link in paper.links if link.kind in ("arxiv", "doi") and link.url]
    if same_as:
        parts += (',"sameAs":', _json_list(same_as))
    if paper.venue:  # a journal is a Periodical the article is part of; a conference or archive publishes it
        if entry_type == "journal":
            parts += (',"isPartOf":{"@type":"Periodical","name":', _json_string(paper.venue), "}")
        else:
            parts += (',"publication":{"@type":"PublicationEvent","name":', _json_string(paper.venue), "}")
    if paper.tags:
        parts += (',"keywords":', _json_list(paper.tags))
    doi = paper.doi
    if doi:
        parts += (',"identifier":{"@type":"PropertyValue","propertyID":"DOI","value":', _json_string(doi), "}")
    if image:
        parts += (',"image":', _json_string(image))
    parts.append("}")
    text = "".join(parts)
    if "&" in text or "<" in text or ">" in text:  # `in` finds nothing far faster than `replace` does
        text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return text


@functools.lru_cache(maxsize=16384)
def _person(name: str, orcid: str | None, url: str | None) -> str:
    person = f'{{"@type":"Person","name":{_json_string(name)}'
    if orcid:
        person += f',"identifier":{_json_string("https://orcid.org/" + orcid)}'
    if url:
        person += f',"url":{_json_string(url)}'
    return person + "}"


def _json_list(items) -> str:
    return "[" + ",".join(map(_json_string, items)) + "]"


def page_url(settings: Settings, path: str) -> str:
    """Return the page's absolute URL, or its root-relative URL when the base URL names no host."""
    return Urls(settings.base_url).page_url(path)


def paper_head(view: PaperView, settings: Settings) -> Markup:
    """Return every machine-readable tag for a paper page's <head>."""
    paper = view.paper
    canonical = page_url(settings, urls.paper(view.slug))
    entry_type = kind(paper)
    title = _attribute(view.title_text)  # in three tags
    tags = [f'<link rel="canonical" href="{_attribute(canonical)}">']
    if "://" in canonical:  # Open Graph wants an absolute URL; a local build has none
        tags.append(f'<meta property="og:url" content="{_attribute(canonical)}">')
    tags += _highwire(view, entry_type, paper.arxiv_id, title)
    image = picture_url(view, settings)
    # No `og:site_name` here (Open Graph makes it optional): Zotero's import reads it as the paper's publication,
    # so a conference paper got the site's title as its proceedings title. Other pages keep it.
    tags += [
        _ARTICLE,
        f'<meta property="og:title" content="{title}">',
        f'<meta property="article:published_time" content="{_attribute(view.date_iso)}">',
        _LARGE_IMAGE_CARD if image and "://" in image else _SUMMARY_CARD,
        f'<meta name="twitter:title" content="{title}">',
    ]
    if image and "://" in image:  # Open Graph and cards want a full address; a local build has none
        tags.append(f'<meta property="og:image" content="{_attribute(image)}">')
        if paper.image_alt:
            tags.append(_meta("og:image:alt", paper.image_alt, "property"))
    abstract = view.abstract_text
    if abstract:
        description = _attribute(abstract[:297] + "…" if len(abstract) > 300 else abstract)
        tags.append(f'<meta property="og:description" content="{description}">')
        tags.append(f'<meta name="twitter:description" content="{description}">')
    tags.append(f'<script type="application/ld+json">{_json_ld(view, canonical, entry_type, image)}</script>')
    return Markup("\n".join(tags) + "\n")


def picture_url(view: PaperView, settings: Settings) -> str | None:
    """Return the address of the paper's picture, full when the base URL names a host."""
    if not view.image_url:
        return None
    origin = Urls(settings.base_url).origin
    return origin + view.image_url if origin else view.image_url


@record(frozen=True, slots=True)
class PaperHead:
    """A paper page's head tags, made when the page is rendered (by a worker) rather than when it is planned.

    Jinja prints it through `__html__`; it digests as its view and settings, which determine it.
    """

    view: PaperView
    settings: Settings

    def __html__(self) -> str:
        return str(paper_head(self.view, self.settings))

    __str__ = __html__


def site_head(settings: Settings, path: str, title: str, description: str) -> Markup:
    """Return the canonical link and Open Graph tags of a page that is not a paper.

    Layouts pass their rendered `title` and `description` blocks, which are escaped HTML (`Markup`):
    they are read back as text here, so each is escaped once in the attribute.
    """
    title, description = _text(title), _text(description)
    canonical = page_url(settings, path)
    tags = [
        f'<link rel="canonical" href="{_attribute(canonical)}">',
        _WEBSITE,
        _meta("og:title", title, "property"),
        _site_name(settings.title),
        _SUMMARY_CARD,
    ]
    if "://" in canonical:
        tags.append(_meta("og:url", canonical, "property"))
        if path == urls.home() and settings.photo:  # the home page's link preview shows the researcher
            site_urls = Urls(settings.base_url)
            tags.append(_meta("og:image", f"{site_urls.origin}{site_urls.asset_url(settings.photo)}", "property"))
            alt = f"Photo of {settings.name}" if settings.name else "Profile photo"  # the title is no person's name
            tags.append(_meta("og:image:alt", alt, "property"))
    if description:
        tags.append(_meta("og:description", description, "property"))
    return Markup("\n".join(tags) + "\n")


# Profile links that stand for the researcher (schema.org `sameAs`: pages that identify them); a CV does not.
_IDENTITY_LINKS = frozenset(
    ("scholar", "github", "orcid", "homepage", "twitter", "bluesky", "mastodon", "linkedin", "semantic_scholar", "dblp")
)


def profile_json_ld(settings: Settings, photo_url: str | None, bio_text: str) -> str:
    """Return the home page's schema.org ProfilePage, whose main entity is the researcher, as JSON safe inside a
    script element; or "" when the profile names nobody. Search engines read it for a person's knowledge
    panel: name, role, affiliation, photo, the bio, and the profiles elsewhere that are the same person."""
    if not settings.name:
        return ""
    site_urls = Urls(settings.base_url)
    home = site_urls.page_url(urls.home())
    person: dict = {"@type": "Person", "name": settings.name, "url": home}
    if settings.role:
        person["jobTitle"] = settings.role
    if settings.affiliation:
        person["affiliation"] = {"@type": "Organization", "name": settings.affiliation}
    if bio_text:
        person["description"] = bio_text
    if photo_url:
        person["image"] = (site_urls.origin or "") + photo_url
    email = next((link.url for link in settings.profile_links if link.kind == "email"), None)
    if email and email.startswith("mailto:"):
        person["email"] = email.removeprefix("mailto:")
    same_as = [link.url for link in settings.profile_links if link.kind in _IDENTITY_LINKS and "://" in link.url]
    if same_as:
        person["sameAs"] = same_as
    page = {"@context": "https://schema.org", "@type": "ProfilePage", "url": home, "mainEntity": person}
    text = json.dumps(page, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
