"""The data every later stage reads: frozen dataclasses, no behaviour beyond simple derived values.

Nothing here knows about files, URLs or templates. The loader and schema build these objects;
`index`, `render` and the exporters only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote

from .direction import text_direction
from .record import quick_pickle, record

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# The order in which link badges are shown and exported.
LINK_KINDS = ("arxiv", "pdf", "code", "project", "data", "doi", "slides", "video", "poster", "blog")


@quick_pickle
@dataclass(frozen=True, slots=True, order=True)
class PaperDate:
    """A publication date of which only the year, or year and month, may be known."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        """Return `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: exactly as much as is known."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    @property
    def display(self) -> str:
        """Return `19 September 2023`, `September 2023` or `2023` (no locale dependence)."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return f"{self.day} {MONTHS[self.month - 1]} {self.year}"

    @property
    def short(self) -> str:
        """Return `Sep 2023` or `2023` for compact lists."""
        if self.month is None:
            return str(self.year)
        return f"{MONTHS[self.month - 1][:3]} {self.year}"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Return a key where an unknown month or day sorts before known ones of the same year."""
        return (self.year, self.month or 0, self.day or 0)


@record(frozen=True, slots=True)
class Author:
    """One person in a paper's ordered author list."""

    name: str
    orcid: str | None = None
    url: str | None = None
    equal_contribution: bool = False
    corresponding: bool = False
    is_owner: bool = False
    family: str | None = None  # the family name the paper braced (`Tito {Dal Canton}`), else the exports' guess


@record(frozen=True, slots=True)
class Link:
    """One outbound link of a paper; `url` is None for code known to exist without a known address. A link
    to a file or page of the site's own keeps its site path (`assets/x.pdf`, `talk.pdf`) in `site_path`, for
    the check that the build made it."""

    kind: str
    url: str | None
    label: str
    site_path: str | None = None


@record(frozen=True, slots=True)
class Paper:
    """One paper, validated; `abstract` is the Markdown body as written."""

    source: str  # path relative to the project root, for messages
    slug: str
    title: str
    authors: tuple[Author, ...]
    et_al: bool  # the author list ended with `others`
    date: PaperDate
    categories: tuple[str, ...]  # full arXiv codes, primary first: ("cs.CL", "cs.AI")
    abstract: str
    affiliations: tuple[str, ...] = ()  # short codes as written; display names come from Settings
    venue: str | None = None
    award: str | None = None
    links: tuple[Link, ...] = ()
    tags: tuple[str, ...] = ()
    featured: bool = False
    citations: int | None = None
    draft: bool = False
    pub_type: str | None = None  # "conference" | "journal" | "preprint" | … when set in front matter
    extra: dict = field(default_factory=dict, hash=False, compare=False)
    image: str | None = None  # a picture for the paper (a teaser figure): its path under assets/
    image_alt: str | None = None  # what the picture shows, for those who cannot see it
    key: str | None = None  # the citation key as written (`key:`), kept from an old .bib; else one is made
    aliases: tuple[str, ...] = ()  # old addresses of the paper in this site (`/publication/x/`): `aliases`
    language: str | None = None  # the language of its title and abstract (`language: zh`) when set

    @property
    def primary_category(self) -> str:
        """Return the first category, which arXiv calls the primary one."""
        return self.categories[0]

    def link(self, kind: str) -> Link | None:
        """Return the link of this kind, if the paper has one."""
        for item in self.links:
            if item.kind == kind:
                return item
        return None

    @property
    def arxiv_id(self) -> str | None:
        """Return the arXiv identifier when the arXiv link names one."""
        item = self.link("arxiv")
        if item is None or item.url is None:
            return None
        for prefix in ("https://arxiv.org/abs/", "http://arxiv.org/abs/", "https://arxiv.org/pdf/"):
            if item.url.startswith(prefix):
                return item.url[len(prefix) :].removesuffix(".pdf")
        return None

    @property
    def doi(self) -> str | None:
        """Return the bare DOI (`10.…`) when the paper has a DOI link."""
        item = self.link("doi")
        if item is None or item.url is None:
            return None
        # The address has `<`, `>`, `"` and the like percent-encoded (`schema.DOI_SAFE`).
        return unquote(item.url.split("doi.org/", 1)[-1])

    @property
    def has_code(self) -> bool:
        """Return whether code is released, with or without a known address."""
        return self.link("code") is not None

    @property
    def sort_key(self) -> tuple:
        """Return the total order key: newest first, then title, then slug."""
        year, month, day = self.date.sort_key
        return (-year, -month, -day, self.title.casefold(), self.slug)


@record(frozen=True, slots=True)
class Metric:
    """A profile figure with where it came from and when, e.g. an h-index from an aggregator."""

    label: str
    value: str
    source: str | None = None
    source_url: str | None = None
    as_of: str | None = None


@record(frozen=True, slots=True)
class ProfileLink:
    """A link in the profile header: e-mail, Google Scholar, GitHub, ORCID, homepage…"""

    kind: str
    url: str
    label: str


@record(frozen=True, slots=True)
class Settings:
    """Site settings and the researcher's profile, from `paperfolio.yaml`, with defaults."""

    title: str = "Publications"
    base_url: str = "/"  # absolute URL (https://host/path/) or a path; always ends with "/"
    language: str = "en"
    description: str = ""
    owner_name: str = ""
    owner_variants: tuple[str, ...] = ()
    name: str = ""
    photo: str | None = None  # path under assets/
    role: str = ""
    affiliation: str = ""
    bio: str = ""
    profile_links: tuple[ProfileLink, ...] = ()
    metrics: tuple[Metric, ...] = ()
    affiliation_names: dict = field(default_factory=dict, hash=False, compare=False)
    author_aliases: dict = field(default_factory=dict, hash=False, compare=False)
    authors_shown: int = 8  # lists longer than this are shortened to "et al." on list pages
    featured_max: int = 6
    feed_limit: int = 50  # entries per Atom feed, newest first; 0 for every paper
    custom_domain: str | None = None
    footer: str = ""
    latex_macros: tuple[tuple[str, str], ...] = ()  # the site's own text macros: (name without `\\`, replacement)

    @property
    def owner_names(self) -> frozenset[str]:
        """Return every spelling under which the owner appears, for highlighting."""
        names = {self.owner_name, *self.owner_variants}
        names.discard("")
        return frozenset(names)

    @property
    def direction(self) -> str:
        """Return the pages' direction, `rtl` or `ltr`, from their language (`paperfolio.direction`)."""
        return text_direction(self.language)
