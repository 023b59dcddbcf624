"""What templates see: plain, precomputed views of the model (HTML fragments already made safe).

Each paper's view is made once and shared by every page that lists it, so a paper's title, authors
and abstract are rendered once per build however many lists it appears in.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markupsafe import Markup

from . import categories, groups, urls
from .loader import contain_bidi
from .markup import plain_text, render_block, render_title, title_text
from .model import Author, Link, Paper, Settings
from .record import record
from .urls import Urls


@record(frozen=True, slots=True)
class CategoryView:
    """A category as a badge and a link."""

    code: str
    short: str
    name: str
    url: str


@record(frozen=True, slots=True)
class AuthorView:
    """An author as shown in a list: the owner is marked, `*` and `†` marks are spelled out."""

    name: str
    is_owner: bool
    url: str | None
    orcid: str | None
    equal_contribution: bool
    corresponding: bool
    page: str | None = None  # the coauthor page listing the papers shared with the owner
    family: str | None = None  # the family name the paper braced (`Tito {Dal Canton}`), else None


@record(frozen=True, slots=True)
class PaperView:
    """One paper, ready for any template."""

    paper: Paper
    slug: str
    url: str
    title_html: Markup
    title_text: str
    abstract_html: Markup  # the body up to its first heading
    abstract_text: str
    body_html: Markup  # the body's own sections, from its first heading on (paper page only)
    authors: tuple[AuthorView, ...]
    authors_hidden: int  # how many a shortened list leaves out ("et al." on list pages)
    et_al: bool
    date_iso: str
    date_display: str
    year: int
    primary: CategoryView
    categories: tuple[CategoryView, ...]
    affiliations: tuple[str, ...]
    venue: str | None
    award: str | None
    links: tuple[Link, ...]
    tags: tuple[str, ...]
    warnings: tuple[str, ...]
    pub_type: str = "other"  # conference, journal, preprint or other (`groups.publication_type`)
    site_paths: tuple[str, ...] = ()  # relative link and image addresses in its text (checked after the build)
    image_url: str | None = None  # the paper's picture (`image:`), root-relative (`Urls.asset_url`)
    lang: str | None = None  # its `language:` where that is not the site's: the `lang` of its title and abstract

    @property
    def authors_shown(self) -> tuple[AuthorView | None, ...]:
        """Return the authors a shortened list shows, None marking a gap; the owner is never cut."""
        if not self.authors_hidden:
            return self.authors
        keep = len(self.authors) - self.authors_hidden
        owner = next((a for a in self.authors[keep:] if a.is_owner), None)
        if owner is None:
            return self.authors[:keep]
        return (*self.authors[: keep - 1], None, owner)


@lru_cache(maxsize=4096)
def category_view(code: str, site_urls: Urls) -> CategoryView:
    """Return the view of one category (made once: views are frozen, so papers can share them)."""
    return CategoryView(
        code, categories.short_code(code), categories.display_name(code), site_urls.url(urls.category(code))
    )


@record(frozen=True, slots=True)
class PaperText:
    """A paper's title and body rendered once: safe HTML, plain text, warnings and the addresses to check.

    It reads only the paper and the base path, so it is made where the paper is read (in a worker,
    with the other papers of its chunk) and travels as plain strings, cheaper to send than a view."""

    title_html: str
    title_text: str
    abstract_html: str
    abstract_text: str
    body_html: str
    warnings: tuple[str, ...]
    site_paths: tuple[str, ...]


def plain_field_warnings(paper: Paper) -> tuple[str, ...]:
    """Warn of LaTeX left as written in a name, venue, award, affiliation, tag or `image_alt` (`schema.read_latex`
    keeps a value with a macro it does not know as written), as for a title: `\\myname` showed unexplained."""
    fields = [author.name for author in paper.authors]
    fields += [paper.venue or "", paper.award or "", paper.image_alt or "", *paper.tags, *paper.affiliations]
    found = [warning for text in fields if "\\" in text for warning in render_title(text).warnings]
    return tuple(dict.fromkeys(found))


def paper_text(paper: Paper, site_urls: Urls) -> PaperText:
    """Return the rendered title, abstract and further sections of one paper."""
    title = render_title(paper.title)
    abstract_source, body_source = split_sections(paper.abstract)
    abstract = render_block(abstract_source)
    body = render_block(body_source) if body_source else None
    return PaperText(
        title_html=rebase(title.html, site_urls),
        title_text=title_text(paper.title),
        abstract_html=rebase(abstract.html, site_urls),
        abstract_text=plain_text(abstract_source),
        body_html=rebase(body.html, site_urls) if body else "",
        warnings=title.warnings + abstract.warnings + (body.warnings if body else ()) + plain_field_warnings(paper),
        site_paths=tuple(
            dict.fromkeys([*site_paths(title.html + abstract.html + (body.html if body else "")), *site_files(paper)])
        ),
    )


def paper_view(
    paper: Paper,
    settings: Settings,
    site_urls: Urls,
    *,
    coauthor_slugs: dict[str, str] | None = None,
    text: PaperText | None = None,
) -> PaperView:
    """Return the view of one paper; `coauthor_slugs` links author names, `text` is its rendered text
    when already made (else it is rendered now)."""
    text = text or paper_text(paper, site_urls)
    cats = tuple(category_view(code, site_urls) for code in paper.categories)
    limit = settings.authors_shown
    hidden = len(paper.authors) - limit if limit and len(paper.authors) > limit + 1 else 0
    return PaperView(
        paper=paper,
        slug=paper.slug,
        url=site_urls.url(urls.paper(paper.slug)),
        title_html=Markup(text.title_html),
        title_text=text.title_text,
        abstract_html=Markup(text.abstract_html),
        abstract_text=text.abstract_text,
        body_html=Markup(text.body_html),
        authors=_author_views(paper.authors, site_urls, coauthor_slugs or {}),
        authors_hidden=hidden,
        et_al=paper.et_al,
        date_iso=paper.date.iso,
        date_display=paper.date.display,
        year=paper.date.year,
        primary=cats[0],
        categories=cats,
        affiliations=tuple(settings.affiliation_names.get(code, code) for code in paper.affiliations),
        venue=paper.venue,
        award=paper.award,
        links=paper.links,
        tags=paper.tags,
        warnings=text.warnings,
        pub_type=groups.publication_type(paper),
        site_paths=text.site_paths,
        image_url=site_urls.asset_url(paper.image) if paper.image else None,
        lang=paper.language if paper.language and paper.language.lower() != settings.language.lower() else None,
    )


# A link or image address in sanitised HTML with no scheme that is not `//host`, `#fragment` or `?query`.
# (Inside an `a` or `img` tag: nh3 quotes every attribute value, and leaves `"` unescaped in text.)
SITE_PATH_RE = re.compile(
    r'(<(?:a|img)\s(?:[^>"]|"[^"]*")*?(?<=\s)(?:href|src)=")'  # up to the opening quote of the address
    r'(?![a-zA-Z][a-zA-Z0-9+.-]*:|//|#|\?)([^"]*)"'  # an address with no scheme, host, fragment or query first
)


def rebase(fragment: str, site_urls: Urls) -> str:
    """Read every relative link and image address in a paper's text as a site path.

    A paper's text appears on its own page and on every list that shows it, each at another depth, so
    `assets/fig.png` and `/assets/fig.png` both mean the site's `assets/fig.png`, under the base path:
    `/portfolio/assets/fig.png` for a GitHub project page.
    """
    if 'href="' not in fragment and 'src="' not in fragment:
        return fragment
    base = site_urls.base_path
    return SITE_PATH_RE.sub(lambda m: f'{m.group(1)}{base}{m.group(2).lstrip("/")}"', fragment)


def site_files(paper: Paper) -> list[str]:
    """Return the files and pages of the site's own that a paper's links name (`links.pdf: /assets/x.pdf`,
    `slides: /talk.pdf`), as site paths (percent-encoded, as in the text's links), for the same check as the
    text's relative links."""
    return [link.site_path for link in paper.links if link.site_path is not None]


def site_paths(fragment: str) -> list[str]:
    """Return the relative link and image addresses in sanitised HTML as written (what `rebase` prefixes)."""
    if 'href="' not in fragment and 'src="' not in fragment:
        return []
    return [html.unescape(match.group(2)) for match in SITE_PATH_RE.finditer(fragment)]


def split_sections(body: str) -> tuple[str, str]:
    """Split a paper body into its abstract and the sections that start at its first Markdown heading. A
    bidirectional control the abstract leaves open is closed at its end (`loader.contain_bidi`), as the whole
    body's were: the closing marks came after the sections, and the abstract alone (feeds, descriptions,
    cards) left a right-to-left override open."""
    if "#" not in body:
        return body, ""  # no heading, and most bodies have no `#` at all
    position = 0
    for line in body.splitlines(keepends=True):
        if line.startswith("#"):
            return contain_bidi(body[:position].rstrip()), body[position:]
        position += len(line)
    return body, ""


def _author_views(authors: tuple[Author, ...], site_urls: Urls, slugs: dict[str, str]) -> tuple[AuthorView, ...]:
    """Return the views of a paper's authors; `slugs` names the coauthors that have a page."""
    base = site_urls.base_url
    return tuple(
        _author_view(
            a.name,
            a.is_owner,
            a.url,
            a.orcid,
            a.equal_contribution,
            a.corresponding,
            None if a.is_owner else slugs.get(a.name),
            base,
            a.family,
        )
        for a in authors
    )


# Coauthors recur across papers, so each author's view is made once (views are frozen: sharing is safe).
# The key is plain strings and flags, which hash and compare in C; an `Author` key costs more than the view.
@lru_cache(maxsize=65536)
def _author_view(
    name: str,
    is_owner: bool,
    url: str | None,
    orcid: str | None,
    equal: bool,
    corresponding: bool,
    slug: str | None,
    base_url: str,
    family: str | None,
) -> AuthorView:
    """Return the view of one author, linked to their coauthor page when they have one."""
    page = Urls(base_url).url(urls.coauthor(slug)) if slug else None
    return AuthorView(name, is_owner, url, orcid, equal, corresponding, page, family)


def initials(name: str) -> str:
    """Return up to two initials for the profile placeholder when there is no photo."""
    parts = [p for p in name.replace("-", " ").split() if p[:1].isalpha()]
    return "".join(p[0].upper() for p in (parts[:1] + parts[-1:] if len(parts) > 1 else parts)) or "?"
