"""The home page's filter controls: category, year, publication type and "has code".

Without JavaScript each option is a plain link to the page that lists the same papers (a category,
a year, a section of the publications page); `assets/filters.js` turns them into toggles that hide
cards by their `data-*` attributes and keep the choice in the query string.
"""

from __future__ import annotations

from . import groups, urls
from .index import SiteIndex
from .record import record
from .urls import Urls
from .views import category_view


@record(frozen=True, slots=True)
class FilterOption:
    """One choice of a filter: the value cards carry, its label, its page and its paper count."""

    value: str
    label: str
    url: str
    count: int
    title: str = ""


@record(frozen=True, slots=True)
class Filters:
    """Every filter of the home page."""

    categories: tuple[FilterOption, ...]
    years: tuple[FilterOption, ...]
    types: tuple[FilterOption, ...]
    with_code: int
    lists: tuple[tuple[str, str], ...] = ()  # (label, URL) of every list page


def browse_links(site_urls: Urls) -> tuple[tuple[str, str], ...]:
    """Return (label, URL) of every page that lists papers, for the home and search pages."""
    return tuple(
        (label, site_urls.url(path))
        for label, path in (
            ("All publications", urls.home()),
            ("By type", urls.publications()),
            ("By year", urls.years_index()),
            ("By category", urls.categories_index()),
            ("By venue", urls.venues_index()),
            ("By tag", urls.tags_index()),
            ("Coauthors", urls.coauthors_index()),
        )
    )


def home_filters(index: SiteIndex, site_urls: Urls) -> Filters:
    """Return the home page's filter options, most used categories first, newest years first."""
    ranked = sorted(index.categories.items(), key=lambda item: (-len(item[1]), item[0]))
    views = [(category_view(code, site_urls), len(slugs)) for code, slugs in ranked]
    cats = tuple(FilterOption(c.code, c.short, c.url, count, c.name) for c, count in views)
    years = tuple(FilterOption(str(y), str(y), site_urls.url(urls.year(y)), len(s)) for y, s in index.years.items())
    types = tuple(
        FilterOption(kind, groups.TYPE_SHORT[kind], site_urls.url(urls.publication_type(kind)), len(slugs))
        for kind, slugs in index.types.items()
    )
    with_code = sum(1 for p in index.papers if p.has_code)
    return Filters(cats, years, types, with_code, browse_links(site_urls))
