"""Validate located front matter into `Paper` objects, collecting every problem with its line.

The schema is closed: an unknown key is an error (with a `hint:` naming the closest known key), and
`extra:` is the one free mapping for a user's own layouts.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote

from . import categories
from .errors import Problem, closest, did_you_mean
from .loader import Located, RawPaper, as_written
from .model import LINK_KINDS, Author, Link, Paper, PaperDate, Settings
from .urls import CONTROL_RE, Urls, mend_address, web_address_problem
from .visible import has_visible_text

FIELDS = (
    "title",
    "authors",
    "date",
    "categories",
    "affiliations",
    "venue",
    "award",
    "links",
    "tags",
    "featured",
    "citations",
    "draft",
    "slug",
    "pub_type",
    "extra",
    "image",
    "image_alt",
    "key",
    "aliases",
    "language",
)
_KNOWN = frozenset(FIELDS)
# Fields of other generators' paper files (Hugo Blox's publications, academicpages, Jekyll, BibTeX names), with
# where paperfolio keeps the same thing: a file moved from one gets the way to write it, not only "unknown".
_BODY = "the abstract is the text after the closing `---`, in Markdown"
_VENUE = "write where it appeared as `venue:`"
_AS_LINK = {"doi": "doi", "arxiv": "arxiv", "eprint": "arxiv", "pdf": "pdf", "url_pdf": "pdf", "paperurl": "pdf"}
_AS_LINK |= {"code": "code", "url_code": "code", "slides": "slides", "url_slides": "slides", "video": "video"}
_AS_LINK |= {"url_video": "video", "url_poster": "poster", "url_project": "project", "url_dataset": "data"}
_AS_LINK |= {"url": "project", "slidesurl": "slides", "url_source": "code", "url_preprint": "pdf"}
_AS_LINK |= {kind: kind for kind in LINK_KINDS}  # `project:` written level with `links:`, not under it
# What a link is often called that paperfolio names otherwise, for the hint of an unknown link kind.
LINK_SYNONYMS = {"github": "code", "gitlab": "code", "repo": "code", "repository": "code", "source": "code"}
LINK_SYNONYMS |= {"website": "project", "homepage": "project", "page": "project", "html": "project", "url": "project"}
LINK_SYNONYMS |= {"paper": "pdf", "preprint": "pdf", "dataset": "data", "datasets": "data", "huggingface": "data"}
LINK_SYNONYMS |= {"talk": "slides", "presentation": "slides", "youtube": "video", "recording": "video"}
LINK_SYNONYMS |= {"openreview": "project", "acl": "project", "eprint": "arxiv", "pdf_url": "pdf"}
_NOT_NEEDED = "leave it out: paperfolio does not need it"
ELSEWHERE = {
    "abstract": _BODY,
    "summary": _BODY,
    "excerpt": _BODY,
    "publication": _VENUE,
    "publication_short": _VENUE,
    "journal": _VENUE,
    "booktitle": _VENUE,
    "conference": _VENUE,
    "author": "write `authors:` as a list, one name a line or `[A, B]`",
    "year": "write `date:` as YYYY, YYYY-MM or YYYY-MM-DD",
    "keywords": "write them as `tags:`",
    "publication_types": "write `pub_type:` (conference, journal, workshop, preprint, thesis, book, chapter, report)",
    "type": "write `pub_type:` (conference, journal, workshop, preprint, thesis, book, chapter, report)",
    "permalink": "the page's address comes from the file name, or from `slug:`",
    # academicpages keeps the authors only in `citation:`: copy them out before leaving it out.
    "citation": "paperfolio writes each paper's BibTeX, RIS and CSL-JSON from its front matter: copy its authors "
    "into `authors:`, then leave it out",
    "bibtex": "paperfolio writes each paper's BibTeX, RIS and CSL-JSON from its front matter; leave it out",
    "bibtexurl": "paperfolio writes each paper's BibTeX (`papers/<slug>/<key>.bib`); leave it out",
    "author_notes": "mark an author as a mapping: `- {name: Ada Lovelace, equal_contribution: true}` "
    "(or `corresponding: true`)",
    "category": "`categories:` are arXiv codes (cs.LG); a kind of work (conferences, manuscripts) is `pub_type:`",
    "collection": _NOT_NEEDED,
    "publishDate": "the paper's date is `date:`; a date to publish it on is not needed: leave it out",
    "projects": "write them as `tags:`",
    "lastmod": _NOT_NEEDED,
    **{name: f"write it under `links:` as `{kind}:`" for name, kind in _AS_LINK.items()},
}
REQUIRED = ("title", "authors", "date", "categories")
PUB_TYPES = ("conference", "journal", "workshop", "preprint", "thesis", "book", "chapter", "report")
LINK_LABELS = {
    "arxiv": "arXiv",
    "pdf": "PDF",
    "code": "Code",
    "project": "Project",
    "data": "Data",
    "doi": "DOI",
    "slides": "Slides",
    "video": "Video",
    "poster": "Poster",
    "blog": "Blog",
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FILE_NAME = re.compile(
    r"[\w. /-]+\.(?:pdf|pptx?|key|odp|mp4|webm|mov|zip|tar|gz|html?|png|jpe?g|gif|svg|webp|txt|md)", re.I
)
BARE_HOST = re.compile(r"(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63}(?:[/?#]|$)")  # a host name, then a path or nothing
BARE_ID_HOST = re.compile(r"(?:www\.|export\.)?(?:arxiv\.org|(?:dx\.)?doi\.org)/", re.IGNORECASE)
ARXIV_MUST = "`links.arxiv` must be an arXiv ID such as 2402.02416 or an arxiv.org address"
ARXIV_PREFIX = re.compile(r"^arxiv:\s*", re.IGNORECASE)
ARXIV_HOST = re.compile(r"https?://(?:[a-z0-9-]+\.)?arxiv\.org(?:[/?#]|$)", re.IGNORECASE)
ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")
ARXIV_PAGE = re.compile(r"https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(\d{4}\.\d+(?:v\d+)?)(?:\.pdf)?/?$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
DOI_PREFIX = re.compile(r"^doi: ?(?=10\.)", re.IGNORECASE)
DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$", re.IGNORECASE)
DOI_SAFE = "/!$&'()*+,;=:@-._~"  # what a URL path may hold as it is (RFC 3986); `quote` encodes the rest
ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
ORCID_HINT = "a digit mistyped or two swapped: copy the iD from the person's orcid.org page"


def orcid_checks(orcid: str) -> bool:
    """Return whether an iD's last character is the check digit of the others (ISO 7064 MOD 11-2, as ORCID
    computes it), so that a digit mistyped links no other researcher's record."""
    total = 0
    for digit in orcid[:-1].replace("-", ""):
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return orcid[-1] == ("X" if check == 10 else str(check))


# YYYY, YYYY-MM or YYYY-MM-DD; a time after a full date, as Hugo and Jekyll write dates (2024-05-01T10:00:00Z,
# 2024-05-01 10:00:00 +0800), is accepted and left out: a paper's date is a day.
DATE = re.compile(
    r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?(?:Z|[+-]\d{2}(?::?\d{2})?))?)?)?)?$"
)
_UNSAFE_URL_CHARS = re.compile(r"[\s\x00-\x1f\x7f<>\"'`\\]")


def arxiv_id_problem(text: str) -> str | None:
    """Say what makes an ID of arXiv's present scheme (YYMM.NNNNN, from April 2007) no ID arXiv gives, or
    return None: its month, or its number's digits (four until December 2014, five since January 2015)."""
    if "/" in text:  # the old scheme, hep-th/9711200: its archive and number were checked by ARXIV_ID
        return None
    year, month, digits = int(text[:2]), int(text[2:4]), len(text.partition(".")[2].partition("v")[0])
    if not 1 <= month <= 12:
        return f"{text[2:4]} is no month (the ID begins with the year's last two digits and the month)"
    if (year, month) < (7, 4):
        return "IDs of this form began in April 2007 (0704)"
    needed = 4 if year < 15 else 5
    if digits != needed:
        return f"an ID of {'2014 or before' if needed == 4 else '2015 or after'} has {needed} digits after the dot"
    return None


class _Checker:
    """Collects problems for one file while fields are read."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def error(self, at: Located | None, message: str, hint: str | None = None) -> None:
        line, col = (at.line, at.col) if at else (2, 1)
        self.problems.append(Problem(self.path, line, col, message, hint=hint))

    def key_error(self, at: Located, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.path, at.key_line or at.line, at.key_col or at.col, message, hint=hint))


def validate(raw: RawPaper, settings: Settings) -> tuple[Paper | None, list[Problem]]:
    """Return the `Paper` for valid front matter, or None and every problem found."""
    check = _Checker(raw.path)
    fields = raw.fields
    # The fields misspelt keys stand for: `catgories` is one mistake, not also a missing field. Only a field the
    # hint names: `booktitle` is close to `title` but goes to `venue:`, so a missing title is a second mistake.
    meant = set()
    for key, value in fields.items():
        if key not in _KNOWN:
            hint = ELSEWHERE.get(key) or did_you_mean(key, FIELDS)
            near = closest(key, FIELDS)
            if near and hint and (f"`{near}`" in hint or f"`{near}:" in hint):
                meant.add(near)
            check.key_error(value, f"unknown field `{key}`", hint=hint)
    for key in REQUIRED:
        if key not in fields and key not in meant:
            hint = (
                "academicpages keeps them in `citation:`: copy them into `authors:`"
                if (key == "authors" and "citation" in fields)
                else None
            )
            check.problems.append(Problem(raw.path, 1, 1, f"missing required field `{key}`", hint=hint))

    def read(key: str, convert: Callable[[Located, _Checker], Any], default: Any = None) -> Any:
        item = fields.get(key)
        if item is None:
            return default
        return convert(item, check)

    title = read("title", _TITLE)
    authors, et_al = read("authors", lambda v, c: _authors(v, c, settings), ((), False))
    date = read("date", _date)
    cats = read("categories", _categories, ())
    slug = read("slug", _slug) or raw.slug_from_name
    if not slug:
        check.problems.append(Problem(raw.path, 1, 1, "file name gives an empty slug; set `slug:`"))
    paper_kwargs = dict(
        affiliations=read("affiliations", _AFFILIATIONS, ()),
        venue=read("venue", _VENUE),
        award=read("award", _AWARD),
        links=read("links", lambda v, c: _links(v, c, settings), ()),
        tags=read("tags", _TAGS, ()),
        featured=read("featured", _FEATURED, False),
        citations=read("citations", _citations),
        draft=read("draft", _DRAFT, False),
        pub_type=read("pub_type", _pub_type),
        extra=read("extra", _extra, {}),
        image=read("image", _image),
        image_alt=read("image_alt", _IMAGE_ALT),
        key=read("key", _key),
        aliases=read("aliases", _aliases, ()),
        language=read("language", _language),
    )
    if check.problems:
        return None, check.problems
    paper = Paper(
        source=raw.path,
        slug=slug,
        title=title,
        authors=authors,
        et_al=et_al,
        date=date,
        categories=cats,
        abstract=raw.body,
        **paper_kwargs,
    )
    return paper, []


def _text_required(key: str, *, latex: bool = False) -> Callable[[Located, _Checker], str | None]:
    """Return the converter of a text field; with `latex`, a plain-text one whose LaTeX is read (`read_latex`)."""

    def convert(item: Located, check: _Checker) -> str | None:
        if not isinstance(item.value, str) or not item.value.strip():
            check.error(item, f"`{key}` must be non-empty text, got {_show(item.value)}")
            return None
        text = " ".join(item.value.split())
        if not latex:
            return text
        read = read_latex(text)
        if not has_visible_text(read):
            check.error(item, f"`{key}` has no visible text, got {_show(item.value)}")
            return None
        return read

    return convert


def read_latex(text: str) -> str:
    """Return a plain-text field (a name, a venue, a tag) as the characters its LaTeX makes.

    Names and venues copied from BibTeX are written `G{\\"o}del`, `Erd\\H{o}s`, `{IEEE}`: they showed so on
    every page, in Google Scholar's tags and in the exports, and `G{\\"o}del` was another coauthor than
    `Gödel`. They are read as a title is (`markup.title_text`). Only text with a backslash or a brace is
    read, so `*` and `_` in any other name stay as written; text with a macro nobody knows stays as written.
    """
    if "\\" not in text and "{" not in text:
        return text
    from .markup import escape_outside_math, render  # only here, as in `_title`: most names need no reading

    read = render(escape_outside_math(text), inline=True)  # what `render_title` and `title_text` both read
    if read.rendered.warnings:  # a macro it does not know, say: as written, for the reader to see
        return text
    return read.plain if read.plain.strip() else text


def _text_optional(key: str, *, latex: bool = False) -> Callable[[Located, _Checker], str | None]:
    required = _text_required(key, latex=latex)

    def convert(item: Located, check: _Checker) -> str | None:
        if item.value is None:
            return None
        if isinstance(item.value, (int, float)) and not isinstance(item.value, bool):
            return as_written(item.value)
        return required(item, check)

    return convert


def _text_list(key: str, *, latex: bool = False) -> Callable[[Located, _Checker], tuple[str, ...]]:
    required = _text_required(key, latex=latex)

    def convert(item: Located, check: _Checker) -> tuple[str, ...]:
        if isinstance(item.value, str) and "," in item.value:  # `tags: alignment, rlhf` is one text, one tag
            check.error(
                item, f"`{key}` is one text holding commas, {_show(item.value)}", hint=_list_hint(key, item.value)
            )
            return ()
        values = [item] if isinstance(item.value, str) else item.value
        if not isinstance(values, list):
            check.error(item, f"`{key}` must be a list of text, got {_show(item.value)}")
            return ()
        result = []
        for entry in values:
            if isinstance(entry.value, str) and " - " in entry.value and entry is not item:
                # `- a` then `    - b`, indented deeper: YAML reads the second line on as the first's (as authors)
                message = f"`{key}` entry `{entry.value}` is two lines read as one: a `- ` indented deeper continues"
                hint = "line up the `- ` of every entry under the first one's"
                check.error(entry, message + " the line above", hint=hint)
                continue
            text = required(entry, check)
            if text and text not in result:
                result.append(text)
        return tuple(result)

    return convert


def _boolean(key: str) -> Callable[[Located, _Checker], bool]:
    def convert(item: Located, check: _Checker) -> bool:
        if not isinstance(item.value, bool):
            check.error(item, f"`{key}` must be true or false, got {_show(item.value)}")
            return False
        return item.value

    return convert


def _title(item: Located, check: _Checker) -> str | None:
    """Read the title, refusing one with no visible text once its LaTeX and Markdown are read (`{}`,
    `\\emph{ }`, `[](x)`, a zero-width space): the page's heading and every link to it would be empty. The
    reading is the one the paper's view makes next, from the same cache."""
    title = _TITLE_TEXT(item, check)
    if title is not None and (not title.isascii() or _MARKUP_CHAR_RE.search(title)):
        from .markup import title_text  # an ASCII title without markup reads as written: it has text

        plain = title_text(title)
        if not plain.strip() or not has_visible_text(plain):
            check.error(item, f"`title` has no text once its LaTeX and Markdown are read, got {_show(item.value)}")
            return None
    return title


_TITLE_TEXT = _text_required("title")
_MARKUP_CHAR_RE = re.compile(r"[\\{}\[\]$!<>&*_`~^#|]")  # what LaTeX, Markdown or HTML may read as no text
# Each field's converter, made once rather than for every paper.
# Every text field but the title and the abstract is plain text, with its LaTeX read.
_TITLE, _AUTHOR_NAME = _title, _text_required("authors.name", latex=True)
_VENUE, _AWARD = _text_optional("venue", latex=True), _text_optional("award", latex=True)
_IMAGE_ALT = _text_optional("image_alt", latex=True)
_AFFILIATIONS, _TAGS = _text_list("affiliations", latex=True), _text_list("tags", latex=True)
_FEATURED, _DRAFT = _boolean("featured"), _boolean("draft")
_EQUAL, _CORRESPONDING = _boolean("equal_contribution"), _boolean("corresponding")


# A last author entry meaning "and others": paperfolio's `others`, and "et al." as papers print it, which was
# read as a coauthor named "et al." with a page of its own.
ET_AL = frozenset(("others", "et al.", "et al", "et. al.", "and others"))


def _authors(item: Located, check: _Checker, settings: Settings) -> tuple[tuple[Author, ...], bool]:
    """Read the ordered author list; a last entry `others` (or `et al.`) means et al."""
    if not isinstance(item.value, list) or not item.value:
        text = item.value if isinstance(item.value, str) else ""
        if " and " in text and text.count(",") == text.count(" and ") + 1:  # BibTeX's `Ji, Jiaming and Dai, Juntao`
            text = ", ".join(" ".join(reversed(name.split(",", 1))).strip() for name in text.split(" and "))
        hint = _list_hint("authors", text) if text.strip() else None
        check.error(item, f"`authors` must be a non-empty list of names, got {_show(item.value)}", hint=hint)
        return (), False
    entries = list(item.value)
    et_al = isinstance(entries[-1].value, str) and " ".join(entries[-1].value.split()).lower() in ET_AL
    if et_al:
        entries.pop()
    if not entries:
        check.error(item, "`authors` needs at least one named author before `others`")
    owners = settings.owner_names
    authors = []
    for entry in entries:
        author = _author(entry, check, owners)
        if author is not None:
            authors.append(author)
    return tuple(authors), et_al


@lru_cache(maxsize=4096)  # coauthors recur from paper to paper, and an Author cannot change
def named_author(written: str, owners: frozenset[str]) -> Author:
    name = read_latex(written)
    return Author(name, is_owner=name in owners, family=braced_family(written, name))


def braced_family(written: str, name: str) -> str | None:
    """Return the family name a written name braces at its end, as BibTeX names keep theirs (`Tito {Dal Canton}`,
    `Luis {Vázques de Parga}`, `{European Commission}`), when the name as read ends with it; else None, and the
    exports take the last word with its particles (`Guido van Rossum`). A group inside a word (`Jos{\\'e}`) or
    a special character (`{\\"O}`) is no family name, and neither is the end of a name written with its
    family first (`Smith, {John Paul}`: the family is before the comma, and the braces hold given names)."""
    written = written.rstrip()
    if not written.endswith("}"):
        return None
    depth, start = 0, len(written) - 1
    while start >= 0:
        depth += {"}": 1, "{": -1}.get(written[start], 0)
        if depth == 0:
            break
        start -= 1
    inner = written[start + 1 : -1]
    if (
        start < 0
        or has_top_level_comma(written[:start])
        or inner.startswith("\\")
        or (start > 0 and not written[start - 1].isspace())
        or not inner.strip()
    ):
        return None
    family = read_latex(inner).strip()
    return family if family and name.endswith(family) else None


def has_top_level_comma(text: str) -> bool:
    """Return whether a written name has a comma outside braces, as `Family, Given` does (`{Smith, Jones}` not):
    in a paper's `authors:` and in a .bib's `author` (import-bib) alike."""
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            return True
    return False


def _author(entry: Located, check: _Checker, owners: frozenset[str]) -> Author | None:
    value = entry.value
    if isinstance(value, str):
        name = " ".join(value.split())
        if not name:
            check.error(entry, "an author name is empty")
            return None
        if not has_visible_text(name):
            check.error(entry, f"an author name has no visible text, got {_show(value)}")
            return None
        if name.lower() in ET_AL:
            check.error(entry, f"`{name}` may only be the last author")
            return None
        if " - " in name:  # `- A` then `    - B`, indented deeper: YAML reads the second line on as the first's
            message = f"author `{name}` is two lines read as one name: a `- ` indented deeper continues the line above"
            check.error(entry, message, hint="line up the `- ` of every author under the first one's")
            return None
        return named_author(name, owners)
    if not isinstance(value, dict):
        check.error(entry, f"an author must be a name or a mapping with `name`, got {_show(value)}")
        return None
    known = ("name", "orcid", "url", "equal_contribution", "corresponding")
    for key, sub in value.items():
        if key not in known:
            check.key_error(sub, f"unknown author field `{key}`", hint=did_you_mean(key, known))
    name_item = value.get("name")
    if name_item is None:
        check.error(entry, "an author mapping needs `name`")
        return None
    name = _AUTHOR_NAME(name_item, check)
    orcid = value.get("orcid")
    orcid_text = None
    if orcid is not None:
        orcid_text = str(orcid.value).removeprefix("https://orcid.org/")
        if not ORCID.match(orcid_text):
            check.error(orcid, f"`orcid` must look like 0000-0002-1825-0097, got {_show(orcid.value)}")
        elif not orcid_checks(orcid_text):
            check.error(orcid, f"`orcid` {orcid_text} is no ORCID iD: its last character does not check", ORCID_HINT)
    url = _url(value["url"], check, "url") if "url" in value else None
    equal = _EQUAL(value["equal_contribution"], check) if "equal_contribution" in value else False
    corresponding = _CORRESPONDING(value["corresponding"], check) if "corresponding" in value else False
    if name is None:
        return None
    family = braced_family(str(name_item.value), name)
    return Author(name, orcid_text, url, equal, corresponding, name in owners, family)


def _date(item: Located, check: _Checker) -> PaperDate | None:
    value = item.value
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    date = _read_date(text.strip())
    if isinstance(date, str):
        check.error(item, date + _show(value))
        return None
    return date


@lru_cache(maxsize=4096)  # papers share dates, and the answer depends on the text alone
def _read_date(text: str) -> PaperDate | str:
    """Return the date `text` names, or the start of the message saying what is wrong with it."""
    match = DATE.match(text)
    if not match:
        return "`date` must be YYYY-MM-DD, YYYY-MM or YYYY, got "
    year, month, day = (int(g) if g else None for g in match.groups())
    if year < 1000:  # a four-digit year: BibTeX, RIS and feeds all assume one
        return "`date` must have a four-digit year from 1000 on, got "
    try:
        datetime.date(year, 1 if month is None else month, 1 if day is None else day)  # `2024-00` is no month
    except ValueError:
        return "`date` is not a real date: "
    return PaperDate(year, month, day)


def _list_hint(key: str, text: str, *, spaces: bool = False) -> str:
    """Return the hint for a list written as one text: the list meant, as YAML writes it. A text holding
    ` - ` is `key: a` with the `- b` lines under it folded into it."""
    if " - " in text:
        return f"put nothing after `{key}:` on its line: the `- ` lines under it are the list"
    names = [part.strip() for part in re.split(r",|;|\s+and\s+|\s+&\s+" + (r"|\s" if spaces else ""), text)]
    return f"write a list, one item each: `{key}: [{', '.join(name for name in names if name)}]`"


def _categories(item: Located, check: _Checker) -> tuple[str, ...]:
    if isinstance(item.value, str) and re.search(r"[,;\s]", item.value.strip()):  # `categories: cs.CL, cs.AI`
        check.error(
            item,
            f"`categories` is one text, {_show(item.value)}",
            hint=_list_hint("categories", item.value, spaces=True),
        )
        return ()
    values = [item] if isinstance(item.value, str) else item.value
    if not isinstance(values, list) or not values:
        check.error(
            item, f"`categories` must be a non-empty list of arXiv codes such as cs.CL, got {_show(item.value)}"
        )
        return ()
    result: list[str] = []
    for entry in values:
        if not isinstance(entry.value, str):
            check.error(entry, f"a category must be an arXiv code such as cs.CL, got {_show(entry.value)}")
            continue
        try:
            code = categories.resolve(entry.value)
        except ValueError as reason:
            close = categories.suggest(entry.value)
            check.error(
                entry, f"category {_show(entry.value)} {reason}", hint=f"did you mean `{close}`?" if close else None
            )
            continue
        if code not in result:
            result.append(code)
    return tuple(result)


def _slug(item: Located, check: _Checker) -> str | None:
    if not isinstance(item.value, str) or not SLUG.match(item.value):
        check.error(
            item,
            f"`slug` must be lowercase letters, digits and single hyphens, got {_show(item.value)}",
            hint="a slug names one folder under papers/; it cannot contain `/`, `.` or spaces",
        )
        return None
    if len(item.value) > MAX_SLUG:  # a folder name past the system's limit (255 bytes) stopped the build
        check.error(item, f"`slug` has {len(item.value)} characters; at most {MAX_SLUG}")
        return None
    return item.value


# The abstract `python build.py new` writes; `check` warns while it is still there, so it is never published unseen.
PLACEHOLDER = "The abstract, in Markdown. Inline math such as $x^2$ renders as MathML."
MAX_SLUG = 200  # a folder name is at most 255 bytes on Linux, macOS and Windows alike


def _links(item: Located, check: _Checker, settings: Settings) -> tuple[Link, ...]:
    if not isinstance(item.value, dict):
        hint = None
        if isinstance(item.value, list) and any(isinstance(e.value, dict) and "url" in e.value for e in item.value):
            hint = "Hugo Blox's list of {name, url}: write each address under its kind (project:, pdf:, code:, data:…)"
        if isinstance(item.value, str) and item.value.strip():  # `links: https://…`: one address, no kind
            address = item.value.strip()
            kind = "arxiv" if "arxiv.org" in address else "doi" if "doi.org" in address else "project"
            hint = f"write each address under its kind, on its own line: `links: {{{kind}: {address}}}`"
        message = f"`links` must be a mapping such as `arxiv: 2402.02416`, got {_show(item.value)}"
        check.error(item, message, hint)
        return ()
    for kind, value in item.value.items():
        if kind not in LINK_KINDS:
            meant = LINK_SYNONYMS.get(kind.lower())
            hint = f"paperfolio calls it `{meant}:`" if meant else did_you_mean(kind, LINK_KINDS)
            check.key_error(value, f"unknown link `{kind}`", hint=hint)
    result = []
    for kind in LINK_KINDS:  # a fixed order, whatever the order in the file
        value = item.value.get(kind)
        if value is None or value.value is None:
            continue
        url = _link_url(kind, value, check, settings)
        if isinstance(url, tuple):  # a file or page of the site's own
            result.append(Link(kind, url[0], LINK_LABELS[kind], url[1]))
        elif url is not False:
            result.append(Link(kind, url, LINK_LABELS[kind]))
    return tuple(result)


def _link_url(kind: str, item: Located, check: _Checker, settings: Settings) -> str | tuple[str, str] | None | bool:
    """Return the absolute URL for a link value, None for `code: true`, False when invalid. A file of the
    site's own (`/assets/papers/x.pdf` or `assets/…`, or `/talk.pdf` for static/talk.pdf) or one of its pages
    (`/papers/other/`) is linked at the site's address, absolute when the base URL names a host, and returned
    with its site path: `pipeline.broken_site_paths` warns when the build made no such file."""
    value = item.value
    if kind == "code" and value is True:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and kind in ("arxiv", "doi"):
        # `arxiv: 2402.02416` reads as a float in YAML; quoting is easy to forget. The text as written, so
        # that `1905.10240` keeps its last zero (the float is 1905.1024, another paper's ID).
        value = as_written(value)
    if not isinstance(value, str):
        hint = "leave `code:` out when no code is released" if kind == "code" and value is False else None
        check.error(item, f"`links.{kind}` must be a URL, got {_show(value)}", hint)
        return False
    text = value.strip()
    if BARE_ID_HOST.match(text):  # `arxiv.org/abs/2401.01234`, as copied from the address bar without https://
        text = "https://" + text
    if kind == "arxiv":
        written, text = text, ARXIV_PREFIX.sub("", text)  # `arXiv:2402.02416`, as arXiv cites (and import-bib reads)
        if ARXIV_ID.match(text):
            problem = arxiv_id_problem(text)
            if problem:
                check.error(item, f"`links.arxiv`: {_show(text)} is no arXiv ID: {problem}")
                return False
            return f"https://arxiv.org/abs/{text}"
        if not re.match(r"https?://", text, re.IGNORECASE):  # no address either: say what an ID looks like
            check.error(item, f"{ARXIV_MUST}, got {_show(written)}")
            return False
    if kind == "doi":  # the DOI in it goes into BibTeX, RIS, CSL-JSON and Scholar's metadata
        text = DOI_PREFIX.sub("", text, count=1)  # `doi:10.1145/…`, the DOI's own URI form
        found = DOI_URL.match(text)
        doi = unquote(found.group(1)) if found is not None else text
        if not DOI.match(doi):
            check.error(
                item, f"`links.doi` must be a DOI such as 10.1145/3770749 or a doi.org address, got {_show(text)}"
            )
            return False
        # Old DOIs hold `<`, `>` and `;` (10.1002/(SICI)...<...>...): the address has them percent-encoded.
        return "https://doi.org/" + quote(doi, safe=DOI_SAFE)
    if kind != "arxiv" and text.removeprefix("/").startswith("assets/"):
        path = unquote(text.removeprefix("/"))  # `my%20paper.pdf` is the file `my paper.pdf`, encoded once
        if ".." in path.split("/"):
            check.error(item, f"`links.{kind}` must name a file under assets/, got {_show(text)}")
            return False
        site_urls = Urls(settings.base_url)
        url = site_urls.asset_url(path.removeprefix("assets/"))
        return (site_urls.origin or "") + url, url.removeprefix(site_urls.base_path)
    if kind != "arxiv" and text.startswith("/") and not text.startswith("//"):
        # A file of static/ (`/talk.pdf`) or a page of the site (`/papers/other/#cite-heading`), written from the
        # site's root as `profile.links` name them; the base path is added, as for every address of the site.
        # A space in a file's name is percent-encoded, as under assets/; no other space or quote is.
        path, hash_mark, fragment = text[1:].partition("#")
        path = unquote(path)  # `my%20talk.pdf` is the file `my talk.pdf`, encoded once; `%2e%2e` is `..`
        parts = path.partition("?")[0].split("/")
        if _UNSAFE_URL_CHARS.search(text.replace(" ", "")) or any(part in (".", "..") for part in parts):
            check.error(item, f"`links.{kind}` is not a well-formed path of this site: {_show(text)}")
            return False
        site_urls = Urls(settings.base_url)
        url = site_urls.url(path + hash_mark + fragment)  # percent-encoded but for `#` and `?`
        return (site_urls.origin or "") + url, url.removeprefix(site_urls.base_path)
    url = _url(item, check, f"links.{kind}", text, site_files=kind != "arxiv")
    in_address = ARXIV_PAGE.match(url) if url is not None and kind == "arxiv" else None
    if in_address and ARXIV_ID.match(in_address.group(1)) and (problem := arxiv_id_problem(in_address.group(1))):
        check.error(item, f"`links.arxiv`: {_show(in_address.group(1))} is no arXiv ID: {problem}")
        return False
    if url is not None and kind == "arxiv" and not ARXIV_HOST.match(url):
        # The link is labelled arXiv, and its ID goes into the exports and the metadata Google Scholar reads.
        check.error(item, f"{ARXIV_MUST}, got {_show(text)}")
        return False
    return url if url is not None else False


def _url(item: Located, check: _Checker, key: str, text: str | None = None, *, site_files: bool = False) -> str | None:
    """Return an http(s) or mailto URL unchanged, or report it (`site_files`: where a file under assets/
    would do too, the message says so)."""
    text = text if text is not None else item.value
    if not isinstance(text, str):
        check.error(item, f"`{key}` must be a URL, got {_show(text)}")
        return None
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme not in ("http", "https", "mailto"):
        files = ", or a file of this site such as /assets/papers/paper.pdf or /talk.pdf" if site_files else ""
        # `github.com/x`, copied without its scheme: say the address meant; `talk.pdf`: say how files are named.
        hint = None
        if not scheme and site_files and FILE_NAME.fullmatch(text):
            hint = f"a file of the site is named from the site's root: /{text} for static/{text}"
            folder, _, name = check.path.rpartition("/")
            if name == "index.md" and folder:  # a Hugo bundle's file, named from beside its index.md
                target = f"assets/papers/{folder.rpartition('/')[2]}/{text}"
                hint = f"files beside a paper are not published: move {folder}/{text} to {target} and write /{target}"
        elif not scheme and BARE_HOST.match(text):
            hint = f"write the address with its scheme: https://{text}"
        elif wrapped := re.fullmatch(r"\[[^\]]*\]\((\S+)\)|<(\S+)>", text.strip()):  # Markdown's `[x](…)`, `<…>`
            hint = f"write the address alone: {wrapped[1] or wrapped[2]}"
        check.error(item, f"`{key}` must be an http(s) or mailto URL{files}, got {_show(text)}", hint)
        return None
    if _UNSAFE_URL_CHARS.search(text) or (scheme != "mailto" and not text.split("://", 1)[-1].split("/")[0]):
        hint = None
        if re.search(r"\s", text.strip()):  # `…/my page`, or two addresses on one line
            hint = "an address holds no space: write one as %20 (a browser's address bar shows the address so)"
        check.error(item, f"`{key}` is not a well-formed URL: {_show(text)}", hint)
        return None
    if scheme != "mailto":
        # `}`, `|`, `^` after the host are encoded, as a browser would send them; what no encoding mends (`https:a.org`,
        # `a..org`, a port past 65535, `%zz`, a second `#`) made every page listing the paper invalid HTML.
        written, text = text, mend_address(text)
        problem = web_address_problem(text)
        if problem is not None:
            check.error(item, f"`{key}` is not a well-formed address: {problem}: {_show(written)}")
            return None
    return text


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg")  # what every browser shows


def _image(item: Located, check: _Checker) -> str | None:
    """Return the path under assets/ of the paper's picture (`/assets/figures/aligner.png`; `assets/` may be
    left out, as for the profile's photo); whether the file is there is checked once assets/ is looked at
    (`pipeline.missing_images`)."""
    value = item.value
    if isinstance(value, dict):  # Hugo Blox's `image: {caption: …, focal_point: …}` describes featured.png
        hint = "Hugo Blox's `image:` describes the bundle's featured.png: copy that file under assets/ and name it" + (
            "; its caption is `image_alt:`" if "caption" in value else ""
        )
        check.error(item, "`image` must name a picture under assets/, such as /assets/figures/teaser.png", hint)
        return None
    if not isinstance(value, str) or not value.strip():
        check.error(item, f"`image` must name a picture under assets/, got {_show(value)}")
        return None
    text = value.strip()
    name = text.removeprefix("/").removeprefix("assets/")
    if ":" in text.split("/")[0] or any(part in ("", ".", "..") or part[0] == "." for part in name.split("/")):
        hint = "pages load nothing from other hosts: keep the picture under assets/"
        if ":" not in text.split("/")[0] and not text.startswith("//") and {".", ".."} & set(name.split("/")):
            # `../../assets/teaser.png`, relative to the paper's file: the path is the site's, from assets/
            tail = name.split("/assets/", 1)[-1] if "/assets/" in name else name.rpartition("/")[2]
            hint = f"name it from the site's root, without `.` or `..`: /assets/{tail}"
        check.error(item, f"`image` must name a picture under assets/, got {_show(text)}", hint)
        return None
    if not name.lower().endswith(IMAGE_SUFFIXES):
        check.error(item, f"`image` must be a picture ({', '.join(IMAGE_SUFFIXES)}), got {_show(text)}")
        return None
    return name


CITATION_KEY = re.compile(r"[A-Za-z0-9_:./\-]{1,100}")  # what BibTeX, biber and every .bib reader take (DBLP's `/`)


def _key(item: Located, check: _Checker) -> str | None:
    """Return the citation key as written (`key: ji2024aligner`), for a paper whose old key is cited."""
    value = item.value
    if not isinstance(value, str) or not CITATION_KEY.fullmatch(value.strip()):
        message = f"`key` must be a citation key of letters, digits and `_:./-` (at most 100), got {_show(value)}"
        check.error(item, message, hint="the key a .bib file gives the entry, such as ji2024aligner")
        return None
    return value.strip()


LANGUAGE_RE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")  # a language (ISO 639), then subtags


def _language(item: Located, check: _Checker) -> str | None:
    """Return the language the title and abstract are written in (`language: zh`), a BCP 47 tag as the site's is."""
    value = item.value
    if not isinstance(value, str) or not LANGUAGE_RE.fullmatch(value.strip()):
        meant = value.strip().replace("_", "-") if isinstance(value, str) else ""
        hint = f"write `language: {meant}`" if "_" in str(value) and LANGUAGE_RE.fullmatch(meant) else None
        check.error(item, f"`language` must be a BCP 47 tag such as zh or pt-BR, got {_show(value)}", hint=hint)
        return None
    return value.strip()


ALIAS = re.compile(r"/(?:[A-Za-z0-9._~!$&'()*+,;=:@%\-]+/?)*")  # a path of this site, from its root


def _aliases(item: Located, check: _Checker) -> tuple[str, ...]:
    """Return the paper's old addresses in this site (`aliases: [/publication/aligner/]`), each a path from
    the site's root without `.` or `..` segments, a query or a fragment."""
    values = [item] if isinstance(item.value, str) else item.value
    if not isinstance(values, list):
        check.error(item, f"`aliases` must be a list of paths such as /publication/aligner/, got {_show(item.value)}")
        return ()
    found = []
    for entry in values:
        text = entry.value.strip() if isinstance(entry.value, str) else None
        parts = unquote(text).split("/") if text else []
        bad = not text or not ALIAS.fullmatch(text) or "//" in text or any(p in (".", "..") for p in parts)
        if bad or CONTROL_RE.search(unquote(text)):  # `%00` was a NUL in a folder's name: a traceback
            hint = "a path of this site from its root, such as /publication/aligner/ (a page moved from another site)"
            check.error(entry, f"an alias must be a path such as /publication/aligner/, got {_show(entry.value)}", hint)
            continue
        if text not in found:
            found.append(text)
    return tuple(found)


def _citations(item: Located, check: _Checker) -> int | None:
    value = item.value
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        check.error(item, f"`citations` must be a whole number, got {_show(value)}")
        return None
    return value


def _pub_type(item: Located, check: _Checker) -> str | None:
    if item.value not in PUB_TYPES:
        check.error(
            item,
            f"`pub_type` must be one of {', '.join(PUB_TYPES)}, got {_show(item.value)}",
            hint=did_you_mean(str(item.value), PUB_TYPES),
        )
        return None
    return item.value


def _extra(item: Located, check: _Checker) -> dict:
    if not isinstance(item.value, dict):
        check.error(item, f"`extra` must be a mapping, got {_show(item.value)}")
        return {}
    return unlocate(item)


def unlocate(item: Located) -> Any:
    """Return the plain Python value of a located tree."""
    if isinstance(item.value, dict):
        return {k: unlocate(v) for k, v in item.value.items()}
    if isinstance(item.value, list):
        return [unlocate(v) for v in item.value]
    return item.value


def _show(value: Any) -> str:
    """Quote a bad value for a message, shortened; lists and mappings are named by their type."""
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
