"""Turn the index into pages: one Jinja environment, one explicit context per page kind.

`plan_pages` decides which pages exist (Pelican's generators' job); `render_page` renders one.
Template mistakes become `Problem`s naming the layout file and line, never a traceback.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import categories, metrics, urls
from .cache import RACY_NS
from .errors import ContentError, Problem, closest, line_of
from .exports import Citation, cite_paths
from .filters import home_filters
from .index import SiteIndex
from .markup import plain_text, render_block, render_inline
from .metadata import PaperHead, profile_json_ld, site_head
from .model import Paper, Settings
from .record import record
from .templating import innermost_layout_frame
from .urls import Urls
from .views import PaperText, PaperView, category_view, initials, paper_view, rebase

PAPER = "paper.html"  # a paper's own page
CARD = "partials/card.html"  # the full entry: home, category and publications pages
COMPACT_CARD = "partials/compact.html"  # title, authors, venue, year: year, tag, venue and coauthor pages


@record(frozen=True, slots=True)
class Page:
    """One output page: where it goes, which layout renders it, and the context that layout reads."""

    path: str  # site path, e.g. `papers/x/` or `404.html`
    template: str
    context: dict[str, Any] = field(hash=False, compare=False)


@record(slots=True)
class SiteView:
    """What every layout may read as `site`."""

    settings: Settings
    urls: Urls
    title: str
    name: str
    initials: str
    paper_count: int
    assets: dict[str, str]  # asset name -> URL with a content hash, so browsers never keep a stale copy
    nav: tuple[tuple[str, str], ...]
    search_url: str = ""  # the search page, which the search box submits to
    search_index_url: str = ""  # the JSON index search.js fetches on first use
    footer_html: Markup = Markup("")  # the `footer` setting, inline Markdown made safe
    # `&lrm;` or `&rlm;`, the page's direction as a mark. Around a separator in a list of names it keeps the list
    # in the page's order: two Arabic affiliations in a row on an English page were drawn as one right-to-left
    # run, the second first. (Each name in its own <bdi> does it too, but starts a new text run, which moved the
    # glyphs after it by a fraction of a pixel on every English page.)
    direction_mark: Markup = Markup("&lrm;")


# An asset as a build found it: its file's (size, mtime, ctime, inode), when that was looked at, the first hex
# digits of its SHA-256 (the `?v=` of its URL), and its output file's (size, mtime, inode) after the build.
AssetEntry = tuple[tuple[int, int, int, int], int, str, "tuple[int, int, int] | None"]


def look_at_assets(assets_dir: Path, known: Mapping[str, AssetEntry]) -> dict[str, tuple[Path, AssetEntry, bool]]:
    """Return each file under `assets/` (or `static/`) by its name there: its path, its entry, and whether it is as the
    last build found it (`known`, the memo's). A file whose stat is as recorded, and was not changed for
    `RACY_NS` before it was looked at (git's rule for racy files), keeps its entry and is not read; others
    are hashed now. With 200 MB of PDFs under `assets/`, hashing them all again took 0.2 s of every edit.
    Raise `ContentError` for a link to a file outside the folder (`OUTSIDE`)."""
    found = {}
    outside = []
    if assets_dir.is_dir():
        inside = assets_dir.resolve()
        for path in sorted(assets_dir.rglob("*")):
            if path.is_file():
                name = path.relative_to(assets_dir).as_posix()
                if path.is_symlink() and not path.resolve().is_relative_to(inside):
                    outside.append(f"{assets_dir.name}/{name}")
                    continue
                st = path.stat()
                stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
                entry = known.get(name)
                same = entry is not None and entry[0] == stat and entry[1] - max(stat[1], stat[2]) > RACY_NS
                if not same:
                    with open(path, "rb") as file:  # in chunks: a file of gigabytes is never held whole
                        digits = hashlib.file_digest(file, "sha256").hexdigest()[:10]
                    entry = (stat, time.time_ns(), digits, None)
                found[name] = (path, entry, same)
    if outside:
        message = OUTSIDE.format(folder=assets_dir.name)
        raise ContentError([Problem(name, 0, 0, message) for name in outside])
    return found


# Every file under assets/ (and static/) is published: a link to a file elsewhere would publish that file, which
# may be anything the build can read (`/proc/self/environ`, the build's environment, or `.git/config`, where CI
# keeps its token). Refused like a link out of content/; a link to another file in the folder is copied.
OUTSIDE = "is a symbolic link to a file outside {folder}/, which would publish that file; copy the file in"


class AssetUrls(dict):
    """Each asset's URL by its name under assets/, as layouts ask for them (`site.assets['style.css']`)."""

    def __missing__(self, name: str) -> str:
        # Not a KeyError, which Jinja would turn into "'dict object' has no attribute 'style.css'".
        raise jinja2.UndefinedError(
            f"no file assets/{name}, which the layout links; add it, or copy assets/ from paperfolio"
        )


def asset_urls(assets: Mapping[str, tuple[Path, AssetEntry, bool]], site_urls: Urls) -> AssetUrls:
    """Return each asset's URL (`Urls.asset_url`) with `?v=` and the first hex digits of its content hash
    (`look_at_assets`)."""
    return AssetUrls({name: f"{site_urls.asset_url(name)}?v={entry[2]}" for name, (_p, entry, _s) in assets.items()})


def make_site_view(settings: Settings, index: SiteIndex, assets: dict[str, str]) -> SiteView:
    """Return the `site` object every layout reads."""
    site_urls = Urls(settings.base_url)
    nav = (
        ("Publications", site_urls.url(urls.home())),
        ("Categories", site_urls.url(urls.categories_index())),
        ("Years", site_urls.url(urls.years_index())),
        ("Coauthors", site_urls.url(urls.coauthors_index())),
    )
    return SiteView(
        settings=settings,
        urls=site_urls,
        title=settings.title,
        name=settings.name or settings.title,
        initials=initials(settings.name or settings.title),
        paper_count=len(index.papers),
        assets=assets,
        nav=nav,
        search_url=site_urls.url(urls.search()),
        search_index_url=site_urls.url(urls.search_index()),
        footer_html=Markup(rebase(render_inline(settings.footer).html, site_urls)) if settings.footer else Markup(""),
        direction_mark=Markup("&rlm;" if settings.direction == "rtl" else "&lrm;"),
    )


def make_views(
    index: SiteIndex, settings: Settings, texts: Mapping[str, PaperText] | None = None
) -> dict[str, PaperView]:
    """Return every paper's view, by slug; `texts` holds papers' rendered text when already made."""
    site_urls = Urls(settings.base_url)
    texts = texts or {}
    links = index.coauthor_slugs
    return {
        p.slug: paper_view(p, settings, site_urls, coauthor_slugs=links, text=texts.get(p.slug)) for p in index.papers
    }


def plan_pages(index: SiteIndex, views: dict[str, PaperView], site: SiteView) -> list[Page]:
    """Return every page of the site but the papers' own (the paper stage makes those), in a stable order."""
    ordered = [views[p.slug] for p in index.papers]
    home = {
        "papers": ordered,
        "featured": [v for v in ordered if v.paper.featured][: site.settings.featured_max],
        "bio_html": Markup(rebase(render_block(site.settings.bio).html, site.urls)) if site.settings.bio else "",
        "profile_ld": Markup(
            profile_json_ld(
                site.settings,
                site.assets.get(site.settings.photo) if site.settings.photo else None,
                plain_text(site.settings.bio) if site.settings.bio else "",
            )
        ),
        "metrics": metrics.profile_metrics(index.papers, site.settings),
        "filters": home_filters(index, site.urls),
        "page_path": urls.home(),
    }
    pages = [Page(urls.home(), "home.html", home)]
    cat_list = [
        (category_view(code, site.urls), len(slugs))
        for code, slugs in sorted(index.categories.items(), key=lambda item: (-len(item[1]), item[0]))
    ]
    pages.append(
        Page(urls.categories_index(), "categories.html", {"categories": cat_list, "page_path": urls.categories_index()})
    )
    for code, slugs in index.categories.items():
        pages.append(
            Page(
                urls.category(code),
                "category.html",
                {
                    "category": category_view(code, site.urls),
                    "description": categories.display_name(code),
                    "papers": [views[s] for s in slugs],
                    "page_path": urls.category(code),
                },
            )
        )
    pages.append(Page(urls.not_found(), "404.html", {"page_path": urls.not_found()}))
    return pages


def paper_page(index: SiteIndex, views: dict[str, PaperView], site: SiteView, cite: Citation, paper: Paper) -> Page:
    """Return one paper's page, with its neighbours, related papers and citation."""
    newer, older = index.neighbours(paper.slug)
    view = views[paper.slug]
    return Page(
        urls.paper(paper.slug),
        PAPER,
        {
            "paper": view,
            "newer": views[newer.slug] if newer else None,
            "older": views[older.slug] if older else None,
            "related": [views[s] for s in index.related.get(paper.slug, ())],
            "meta": PaperHead(view, site.settings),
            "bibtex": cite.bibtex.decode("utf-8"),
            "cite_files": [(label, site.urls.url(path)) for label, path in cite_paths(paper.slug, cite.key)],
            "page_path": urls.paper(paper.slug),
        },
    )


class Cards(Mapping):
    """Each paper's list entry (`partials/card.html`), rendered on first use and then reused by every list page.

    A card is kept as its UTF-8 bytes: a 10,000-paper site holds 20,000 cards, and a `str` with one
    character past Latin-1 takes two or four bytes a character. It records which cards a page reads
    (`reads`), so an incremental build knows that a list page naming papers only by slug still
    depends on those papers.

    While `render_batch` renders a page, `lines()` writes a placeholder and keeps the cards' bytes
    (`splices`); the page's bytes are then joined around them (`splice`). A home page listing 10,000
    cards is 30 MB: made as one string it would be joined, copied into `Markup`, joined again by Jinja
    and encoded, with two bytes a character once any card has a typographic quote.
    """

    def __init__(
        self,
        env: jinja2.Environment,
        views: dict[str, PaperView],
        rendered: dict[str, bytes] | None = None,
        *,
        template: str = CARD,
    ):
        self.env, self.views, self.template = env, views, template
        self.rendered: dict[str, bytes] = dict(rendered or {})
        self.reads: set[str] | None = None  # the slugs read since `reads` was last set to a set
        self.splices: list[bytes] | None = None  # the cards of each `lines()` call, written as placeholders
        self._template: jinja2.Template | None = None

    def html(self, slug: str) -> bytes:
        """Return a paper's card as UTF-8 bytes, rendering it on first use (not counted as a read)."""
        html = self.rendered.get(slug)
        if html is None:
            if self._template is None:
                self._template = self.env.get_template(self.template)
            html = self.rendered[slug] = self._template.render(p=self.views[slug]).encode("utf-8")
        return html

    def __getitem__(self, slug: str) -> Markup:
        if self.reads is not None:
            self.reads.add(slug)
        return Markup(self.html(slug).decode("utf-8"))

    def __iter__(self) -> Iterator[str]:
        if self.reads is not None:
            self.reads.add("*")  # a page that walks every card depends on every paper
        return iter(self.views)

    def __len__(self) -> int:
        return len(self.views)

    def __contains__(self, slug: object) -> bool:
        if self.reads is not None and isinstance(slug, str):
            self.reads.add(slug)
        return slug in self.views

    def lines(self, papers: Iterable[str | PaperView]) -> Markup:
        """Return the cards of these papers (slugs or views), one a line: in a layout,
        `{{ cards.lines(papers) }}` writes what a `{% for %}` loop over `cards[p.slug]` writes, in one call
        instead of one lookup and one escape per card (a 10,000-paper site lists 80,000 cards)."""
        slugs = [p if isinstance(p, str) else p.slug for p in papers]
        if self.reads is not None:
            self.reads.update(slugs)
        try:  # after the paper stage every card is made: one dictionary look-up each
            cards = b"\n".join([self.rendered[slug] for slug in slugs])
        except KeyError:
            cards = b"\n".join([self.html(slug) for slug in slugs])
        if self.splices is None:
            return Markup(cards.decode("utf-8"))
        self.splices.append(cards)
        return Markup(f"{_SPLICE}{len(self.splices) - 1}\x00")


# A placeholder of `Cards.lines` is `_SPLICE` and a number, ended by a NUL. Its token is new in every process,
# so no text of a paper, a setting or a layout can spell one; it never reaches a page either way, so the
# output stays the same bytes. (Found with `str.split`: a regular expression of a new text in every process
# would be compiled in every process, and `patterns` would keep each.)
_SPLICE_TOKEN = "paperfolio-cards-" + os.urandom(8).hex()
_SPLICE = f"\x00{_SPLICE_TOKEN}-"


def splice(html: str, splices: list[bytes]) -> bytes:
    """Return a page's bytes: its HTML with each placeholder of `Cards.lines` replaced by those cards."""
    if not splices:  # no placeholder was written (a paper page): nothing to look for
        return html.encode("utf-8")
    pieces = html.split(_SPLICE)
    out = [pieces[0].encode("utf-8")]
    for piece in pieces[1:]:
        number, _, text = piece.partition("\x00")
        out.append(splices[int(number)])
        out.append(text.encode("utf-8"))
    return b"".join(out)


def prepare_environment(
    env: jinja2.Environment, site: SiteView, cards: Mapping[str, Markup], compact: Mapping[str, Markup] | None = None
) -> None:
    """Give every layout its globals: `site`, `url`, `cards`, `compact_cards`, `site_meta`."""
    env.globals.update(site=site, url=site.urls.url, page_path="")
    env.globals["site_meta"] = lambda path, title, description: site_head(site.settings, path, title, description)
    env.globals["cards"] = cards
    if compact is None and isinstance(cards, Cards):
        compact = Cards(env, cards.views, template=COMPACT_CARD)
    env.globals["compact_cards"] = compact if compact is not None else {}


def render_batch(
    env: jinja2.Environment, pages: Iterable[Page], layouts: Path, sink: Callable[[str, bytes], Any] | None = None
) -> tuple[dict[str, Any], dict[str, frozenset[str]], list[Problem]]:
    """Render pages to bytes by output file, with the cards of each kind each read; collect template errors
    as problems.

    With a `sink`, each page's bytes go to it as soon as they are made, and what it returns stands in
    for them in the result.
    """
    out: dict[str, Any] = {}
    reads: dict[str, tuple[frozenset[str], frozenset[str]]] = {}  # name -> (cards read, compact cards read)
    problems: list[Problem] = []
    cards, compact = env.globals.get("cards"), env.globals.get("compact_cards")
    kinds = [kind for kind in (cards, compact) if isinstance(kind, Cards)]
    templates: dict[str, jinja2.Template] = {}
    try:
        for page in pages:
            name = Urls.output_file(page.path)
            splices: list[bytes] = []
            for kind in kinds:
                kind.reads, kind.splices = set(), splices
            try:
                template = templates.get(page.template) or templates.setdefault(
                    page.template, env.get_template(page.template)
                )
                data = splice(template.render(page.context), splices)
            except jinja2.TemplateError as error:
                problems.append(template_problem(error, layouts, page.template))
                if len(problems) > 20:
                    break
                continue
            out[name] = data if sink is None else sink(name, data)
            if isinstance(cards, Cards):
                compact_reads = compact.reads if isinstance(compact, Cards) else None
                reads[name] = (frozenset(cards.reads or ()), frozenset(compact_reads or ()))
    finally:
        for kind in kinds:
            kind.reads = kind.splices = None
    return out, reads, problems


def template_problem(error: jinja2.TemplateError, layouts: Path, template: str) -> Problem:
    """Return a problem naming the layout file and line where Jinja failed."""
    if isinstance(error, jinja2.TemplateNotFound):
        if not layouts.is_dir():  # one problem for the folder, not one per layout
            hint = "the pages are made from the project's layouts: copy layouts/ from paperfolio's repository"
            return Problem("layouts/", 0, 0, "no such folder", hint=hint)
        if error.name == template:  # the page's own layout, deleted or renamed
            hint = f"every site has layouts/{template}: restore it (`git checkout -- layouts/{template}`)"
            return Problem(
                f"layouts/{template}", 0, 0, "no such layout, which the site's pages are made with", hint=hint
            )
        line = line_of(layouts / template, str(error.name))  # its `{% extends %}`, `{% include %}` or `{% from %}`
        # Names compared in their own folder, without `.html`: with `partials/` and `.html` shared, `sidebar`
        # came out close to `card`.
        wanted = Path(str(error.name))
        folder = layouts / wanted.parent
        known = {} if ".." in wanted.parts or wanted.is_absolute() else {p.stem: p for p in folder.glob("*.html")}
        close = closest(wanted.stem, known)
        hint = f"did you mean `{known[close].relative_to(layouts).as_posix()}`?" if close else None
        return Problem(f"layouts/{template}", line, 0, f"layout `{error.name}` not found", hint=hint)
    name, line = getattr(error, "name", None) or getattr(error, "filename", None), getattr(error, "lineno", 0)
    if not line:
        name, line = innermost_layout_frame(sys.exc_info()[2] or error.__traceback__) or (template, 0)
    if name and Path(name).is_absolute():  # Jinja's file name for a layout: its place under layouts/
        path = Path(name)
        name = path.relative_to(layouts).as_posix() if path.is_relative_to(layouts) else path.name
    shown = f"layouts/{name or template}"
    return Problem(shown, line or 0, 0, f"template error: {error.message or error}")


def _unique(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems))
