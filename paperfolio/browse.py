"""Pages that list papers another way: by year, tag, venue series, coauthor and publication type.

Every list reuses the cards rendered once per build (`cards[slug]` in layouts), so a paper's HTML is
made once however many of these pages list it. Registered in `pipeline.PAGE_SOURCES`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import charts, groups, metrics, urls
from .filters import browse_links
from .index import SiteIndex
from .record import record
from .render import Page
from .urls import Urls

if TYPE_CHECKING:
    from .pipeline import SiteData


@record(frozen=True, slots=True)
class GroupLink:
    """One entry of an index page: a name, its page, how many papers, and the years they span."""

    name: str
    url: str
    count: int
    first_year: int | None = None
    last_year: int | None = None


def browse_pages(data: SiteData) -> list[Page]:
    """Return the year, tag, venue, coauthor and publication-type pages.

    They read the index's groupings (years, tags, venues, coauthors, types), the papers' citations per
    year and the site's addresses, never a view or an abstract. When the groupings are the very objects
    the last build's pages were made from and the rest is equal (`serve` after an abstract edit keeps the
    index's groupings; `data.kept` holds what the last build left), the last pages are returned again,
    the same objects: `incremental.Digests` keeps the digest of a context with no view in it by its page,
    so 500 coauthor pages are neither made nor digested again (a fifth of a 1,000-paper edit).
    """
    index, site_urls = data.index, data.site.urls
    cited = metrics.citations_per_year(index.papers)
    groupings = (index.years, index.tags, index.venues, index.coauthors, index.types)
    last = data.kept.get("browse")
    if last is not None:
        (last_groupings, last_urls, last_cited), pages = last
        same = all(now is then for now, then in zip(groupings, last_groupings, strict=True))
        if same and last_urls == site_urls and last_cited == cited:
            return list(pages)
    pages = [
        *year_pages(index, site_urls, cited),
        *tag_pages(index, site_urls),
        *venue_pages(index, site_urls),
        *coauthor_pages(index, site_urls),
        publications_page(index),
    ]
    data.kept["browse"] = ((groupings, site_urls, cited), pages)
    return list(pages)


def year_pages(index: SiteIndex, site_urls: Urls, cited: list[tuple[int, int]] | None = None) -> list[Page]:
    """Return the index of years (with a chart of papers per year) and one page per year; `cited`: the
    papers' citations per year (`metrics.citations_per_year`), when already made."""
    per_year = metrics.papers_per_year(index.years)
    cited = metrics.citations_per_year(index.papers) if cited is None else cited
    entries = [GroupLink(str(y), site_urls.url(urls.year(y)), len(slugs)) for y, slugs in index.years.items()]
    pages = [
        Page(
            urls.years_index(),
            "years.html",
            {
                "entries": entries,
                "per_year": per_year,
                "cited": cited,
                "chart": charts.bar_chart(per_year, title="Papers per year", chart_id="papers-per-year"),
                "cited_chart": charts.bar_chart(
                    cited, title="Citations of the papers published each year", chart_id="citations-per-year"
                ),
                "page_path": urls.years_index(),
            },
        )
    ]
    for year, slugs in index.years.items():
        pages.append(
            _group_page(urls.year(year), f"Papers from {year}", slugs, ("All years", urls.years_index()), str(year))
        )
    return pages


def tag_pages(index: SiteIndex, site_urls: Urls) -> list[Page]:
    """Return the index of tags and one page per tag."""
    path = {tag: urls.tag(slug) for tag, slug in groups.page_slugs(index.tags, index.by_slug).items()}
    entries = [GroupLink(t, site_urls.url(path[t]), len(s)) for t, s in _by_count(index.tags)]
    pages = [
        _index_page(urls.tags_index(), "Tags", "Papers by topic tag; a paper counts under each of its tags.", entries)
    ]
    for tag, slugs in index.tags.items():
        pages.append(_group_page(path[tag], f"Tagged “{tag}”", slugs, ("All tags", urls.tags_index()), tag))
    return pages


def venue_pages(index: SiteIndex, site_urls: Urls) -> list[Page]:
    """Return the index of venue series and one page per series."""
    path = {series: urls.venue(slug) for series, slug in groups.page_slugs(index.venues, index.by_slug).items()}
    entries = [GroupLink(v, site_urls.url(path[v]), len(s)) for v, s in _by_count(index.venues)]
    intro = (
        "Papers by venue series, all years together (NeurIPS 2023 and NeurIPS 2024 are both NeurIPS);"
        " preprints are not listed."
    )
    pages = [_index_page(urls.venues_index(), "Venues", intro, entries)]
    for series, slugs in index.venues.items():
        pages.append(_group_page(path[series], series, slugs, ("All venues", urls.venues_index()), series))
    return pages


def coauthor_pages(index: SiteIndex, site_urls: Urls) -> list[Page]:
    """Return the index of coauthors (most shared papers first) and one page per coauthor."""
    people = sorted(index.coauthors.values(), key=lambda c: (-len(c.papers), c.name.casefold(), c.name))
    entries = [
        GroupLink(c.name, site_urls.url(urls.coauthor(c.slug)), len(c.papers), c.first_year, c.last_year)
        for c in people
    ]
    # Collaboration papers make no one a coauthor (`groups.COLLABORATION_SIZE`); the index says how many there are.
    collaborations = sum(1 for paper in index.papers if len(paper.authors) > groups.COLLABORATION_SIZE)
    context = {"entries": entries, "collaborations": collaborations, "collaboration_size": groups.COLLABORATION_SIZE}
    pages = [Page(urls.coauthors_index(), "coauthors.html", {**context, "page_path": urls.coauthors_index()})]
    for person in index.coauthors.values():
        years = (
            str(person.first_year)
            if person.first_year == person.last_year
            else f"{person.first_year}–{person.last_year}"
        )
        pages.append(
            _group_page(
                urls.coauthor(person.slug),
                person.name,
                person.papers,
                ("All coauthors", urls.coauthors_index()),
                person.name,
                intro=f"Papers written together with {person.name} ({years}).",
            )
        )
    return pages


def publications_page(index: SiteIndex) -> Page:
    """Return the list of every paper grouped by publication type, in the order CVs use."""
    sections = [(kind, groups.TYPE_LABELS[kind], slugs) for kind, slugs in index.types.items()]
    return Page(urls.publications(), "publications.html", {"sections": sections, "page_path": urls.publications()})


def search_page(data: SiteData) -> list[Page]:
    """Return the search page: what the search box leads to, and where results show with `?q=`."""
    lists = browse_links(data.site.urls)
    return [Page(urls.search(), "search.html", {"lists": lists, "page_path": urls.search()})]


def _group_page(
    path: str, heading: str, slugs: tuple[str, ...], back: tuple[str, str], short: str, *, intro: str = ""
) -> Page:
    return Page(
        path,
        "group.html",
        {"heading": heading, "short": short, "intro": intro, "slugs": slugs, "back": back, "page_path": path},
    )


def _index_page(path: str, heading: str, intro: str, entries: list[GroupLink]) -> Page:
    return Page(path, "group-index.html", {"heading": heading, "intro": intro, "entries": entries, "page_path": path})


def _by_count(mapping: dict[str, tuple[str, ...]]) -> list[tuple[str, tuple[str, ...]]]:
    """Return (name, slugs) most papers first, then by name: the order index pages use."""
    return sorted(mapping.items(), key=lambda item: (-len(item[1]), item[0].casefold(), item[0]))
