"""Validating front matter into papers: every user-facing message is pinned here."""

from __future__ import annotations

import pytest

from paperfolio.errors import Problem
from paperfolio.loader import parse
from paperfolio.model import PaperDate, Settings
from paperfolio.schema import validate

SETTINGS = Settings(owner_name="Juntao Dai", owner_variants=("Josef Dai", "JunTao Dai"))
GOOD = {
    "title": "'Aligner: Efficient Alignment'",
    "authors": "[Jiaming Ji, Josef Dai]",
    "date": "2024-02-04",
    "categories": "[CL, cs.AI]",
}


GOOD_TEXT = "".join(f"{k}: {v}\n" for k, v in GOOD.items())


def check(extra: str = "", drop: str = "", body: str = "Abstract.", **fields: str):
    values = {**GOOD, **fields}
    values.pop(drop, None)
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in values.items()) + extra + "---\n" + body + "\n"
    raw, problems = parse(text, "content/papers/p.md", "p")
    assert raw is not None, problems
    return validate(raw, SETTINGS)


def errors(**kwargs):
    paper, problems = check(**kwargs)
    assert paper is None
    return [p.format() for p in problems]


def test_valid_paper():
    paper, problems = check(extra="links:\n  arxiv: '2402.02416'\n  code: true\n  doi: 10.1145/3770749\n")
    assert problems == []
    assert paper.slug == "p"
    assert paper.categories == ("cs.CL", "cs.AI")
    assert paper.date == PaperDate(2024, 2, 4)
    assert [a.name for a in paper.authors] == ["Jiaming Ji", "Josef Dai"]
    assert [a.is_owner for a in paper.authors] == [False, True]
    assert paper.link("arxiv").url == "https://arxiv.org/abs/2402.02416"
    assert paper.arxiv_id == "2402.02416"
    assert paper.link("code").url is None and paper.has_code
    assert paper.doi == "10.1145/3770749"
    assert paper.abstract == "Abstract."


@pytest.mark.parametrize("field", ["title", "authors", "date", "categories"])
def test_each_required_field(field):
    assert errors(drop=field) == [f"content/papers/p.md:1:1: error: missing required field `{field}`"]


def test_unknown_field_with_hint():
    assert errors(extra="catgories: [CL]\n") == [
        "content/papers/p.md:6:1: error: unknown field `catgories`\n    hint: did you mean `categories`?"
    ]


def test_misspelt_required_field_is_one_problem():
    """A required field written misspelt is one mistake: its line and the name meant, not also "missing" at 1:1
    (README's example shows these two lines for two mistakes)."""
    assert errors(drop="categories", extra="catgories: [CL]\n") == [
        "content/papers/p.md:5:1: error: unknown field `catgories`\n    hint: did you mean `categories`?"
    ]
    assert errors(drop="date", extra="dtae: 2024-02-04\n") == [
        "content/papers/p.md:5:1: error: unknown field `dtae`\n    hint: did you mean `date`?"
    ]


@pytest.mark.parametrize(
    ("drop", "extra", "hint"),
    [
        ("title", "booktitle: NeurIPS\n", "write where it appeared as `venue:`"),
        ("date", "data: https://example.org/data\n", "write it under `links:` as `data:`"),
    ],
)
def test_missing_required_field_beside_a_moved_in_field_whose_name_is_close(drop, extra, hint):
    """`booktitle` is close to `title` and `data` to `date`, but their hints say where they go instead: the
    missing field is a second mistake, and was not reported, so fixing the one said showed the other only then."""
    assert errors(drop=drop, extra=extra) == [
        f"content/papers/p.md:5:1: error: unknown field `{extra.split(':')[0]}`\n    hint: {hint}",
        f"content/papers/p.md:1:1: error: missing required field `{drop}`",
    ]


def test_missing_required_field_beside_an_unrelated_unknown_one():
    assert errors(drop="date", extra="zzzzzz: 1\n") == [
        "content/papers/p.md:5:1: error: unknown field `zzzzzz`",
        "content/papers/p.md:1:1: error: missing required field `date`",
    ]


def test_authors_as_a_string():
    assert errors(authors="Jiaming Ji") == [
        "content/papers/p.md:3:10: error: `authors` must be a non-empty list of names, got 'Jiaming Ji'\n"
        "    hint: write a list, one item each: `authors: [Jiaming Ji]`"
    ]


@pytest.mark.parametrize(
    ("extra", "hint"),
    [
        ("authors:\n  - name: Ada\n    orcd: 0000-0002-1825-0097\n", "did you mean `orcid`?"),
        ("links:\n  arxv: '2402.02416'\n", "did you mean `arxiv`?"),
        ("pub_type: conferense\n", "did you mean `conference`?"),
        ("links:\n  zzzzzz: x\n", None),
    ],
)
def test_unknown_names_get_the_closest_known_one_as_a_hint(extra: str, hint: str | None) -> None:
    """An author field, a link kind or a publication type written slightly wrong gets the right one
    suggested; a name like no known one gets no hint."""
    paper, problems = check(extra=extra, drop="authors" if extra.startswith("authors") else "")
    assert paper is None and len(problems) == 1, problems
    assert problems[0].hint == hint


def test_categories_as_a_number():
    assert errors(categories="42") == [
        "content/papers/p.md:5:13: error: `categories` must be a non-empty list of arXiv codes such as cs.CL, got 42"
    ]


def test_unknown_category_with_hint():
    assert errors(categories="[cs.CLL]") == [
        "content/papers/p.md:5:14: error: category 'cs.CLL' is not an arXiv category this site knows\n"
        "    hint: did you mean `cs.CL`?"
    ]


def test_bare_codes_map_explicitly():
    paper, _ = check(categories="[PM, RO]")
    assert paper.categories == ("q-fin.PM", "cs.RO")


def test_every_archive_of_arxiv_is_known():
    """A physicist's, an astronomer's or a mathematician's papers build: arXiv's 155 active categories
    (counted per archive on arxiv.org/category_taxonomy), old whole-archive categories, closed archives."""
    from collections import Counter

    from paperfolio.categories import ARXIV_NAMES, display_name

    active = Counter(code.split(".")[0] for code in ARXIV_NAMES if code not in ("astro-ph", "cond-mat", "q-bio"))
    assert active == {
        **{"cs": 40, "math": 32, "physics": 22, "q-bio": 10, "cond-mat": 9, "q-fin": 9, "stat": 6, "astro-ph": 6},
        **{"nlin": 5, "eess": 4, "econ": 3, "gr-qc": 1, "hep-ex": 1, "hep-lat": 1, "hep-ph": 1, "hep-th": 1},
        **{"math-ph": 1, "nucl-ex": 1, "nucl-th": 1, "quant-ph": 1},
    }
    paper, _ = check(categories="[hep-ex, astro-ph.CO, math.AP, cond-mat.mes-hall, physics.optics, nlin.CD]")
    assert paper.categories == ("hep-ex", "astro-ph.CO", "math.AP", "cond-mat.mes-hall", "physics.optics", "nlin.CD")
    assert display_name("hep-ex") == "High Energy Physics - Experiment"
    assert display_name("astro-ph.CO") == "Cosmology and Nongalactic Astrophysics"
    paper, _ = check(categories="[astro-ph, chao-dyn, cmp-lg, mes-hall, HEP-TH]")  # a 1990s paper's
    assert paper.categories == ("astro-ph", "nlin.CD", "cs.CL", "cond-mat.mes-hall", "hep-th")
    # Categories that share arXiv's name say their archive, so no two pages have one title.
    names = [display_name(code) for code in ARXIV_NAMES]
    assert len(set(names)) == len(names)
    assert display_name("math.IT") == "Information Theory (Mathematics)"


@pytest.mark.parametrize(
    ("bare", "full"),
    [("CL", "cs.CL"), ("SP", "eess.SP"), ("AP", "stat.AP"), ("CO", "stat.CO"), ("TH", "stat.TH"), ("AG", "math.AG")],
)
def test_a_bare_code_reads_cs_then_the_common_cross_lists_then_any_archive(bare, full):
    """`SP` meant eess.SP before math.SP was known, and still does; a code only one archive has is found."""
    paper, _ = check(categories=f"[{bare}]")
    assert paper.categories == (full,)


def test_a_bare_code_of_several_archives_asks_for_the_full_code():
    assert errors(categories="[PR]") == [
        "content/papers/p.md:5:14: error: category 'PR' is ambiguous; write one of math.PR, q-fin.PR"
    ]
    assert check(categories="[GT]")[0].categories == ("cs.GT",)  # Computer Science first, before math.GT


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2023-13-45", "`date` is not a real date: '2023-13-45'"),
        ("2023-02-30", "`date` is not a real date: '2023-02-30'"),
        ("2024-00", "`date` is not a real date: '2024-00'"),  # month 0 was read as January, shown December
        ("2024-02-00", "`date` is not a real date: '2024-02-00'"),
        ("May 2023", "`date` must be YYYY-MM-DD, YYYY-MM or YYYY, got 'May 2023'"),
        ("[2023]", "`date` must be YYYY-MM-DD, YYYY-MM or YYYY, got a list"),
        ("0001-01-01", "`date` must have a four-digit year from 1000 on, got '0001-01-01'"),
        ("2023-02-30T10:00:00Z", "`date` is not a real date: '2023-02-30T10:00:00Z'"),
        ("2023-05T10:00", "`date` must be YYYY-MM-DD, YYYY-MM or YYYY, got '2023-05T10:00'"),
    ],
)
def test_impossible_and_malformed_dates(value, message):
    assert errors(date=value) == [f"content/papers/p.md:4:7: error: {message}"]


@pytest.mark.parametrize(
    "value", ["2023-07-09T10:00:00Z", "2023-07-09 10:00:00", "2023-07-09T10:00:00.5+08:00", "'2023-07-09 10:00 +0800'"]
)
def test_a_time_after_the_day_is_left_out_as_hugo_writes_dates(value):
    assert check(date=value)[0].date == PaperDate(2023, 7, 9)


@pytest.mark.parametrize(("value", "expected"), [("2023", PaperDate(2023)), ("2023-07", PaperDate(2023, 7))])
def test_partial_dates(value, expected):
    paper, _ = check(date=value)
    assert paper.date == expected
    assert paper.date.display == ("2023" if expected.month is None else "July 2023")


@pytest.mark.parametrize("slug", ["'../etc'", "a/b", "'..'", "Upper"])
def test_bad_slugs(slug):
    (message,) = errors(extra=f"slug: {slug}\n")
    assert "`slug` must be lowercase letters, digits and single hyphens" in message
    assert message.startswith("content/papers/p.md:6:7: error:")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x.org/a", "vbscript:x"])
def test_link_schemes_other_than_http_and_mailto(url):
    assert errors(extra=f"links:\n  pdf: '{url}'\n") == [
        "content/papers/p.md:7:8: error: `links.pdf` must be an http(s) or mailto URL, or a file of this site"
        f" such as /assets/papers/paper.pdf or /talk.pdf, got '{url}'"
    ]


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.org/abs/2402.02416",
        "https://arxiv.org.evil.com/abs/1",
        "mailto:a@arxiv.org",
        "arxiv 2402.02416",  # these three were told "must be an http(s) or mailto URL", which an ID need not be
        "abs/2402.02416",
        "not an id",
    ],
)
def test_an_arxiv_link_must_be_an_arxiv_id_or_address(url):
    """The link is labelled arXiv, and an arXiv ID read from it goes into BibTeX, RIS and Scholar's metadata."""
    assert errors(extra=f"links:\n  arxiv: '{url}'\n") == [
        "content/papers/p.md:7:10: error: `links.arxiv` must be an arXiv ID such as 2402.02416 "
        f"or an arxiv.org address, got '{url}'"
    ]


@pytest.mark.parametrize(
    ("value", "arxiv_id"),
    [("'2402.02416v2'", "2402.02416v2"), ("https://arxiv.org/abs/2402.02416", "2402.02416"),
     ("https://arxiv.org/pdf/2402.02416", "2402.02416"), ("https://arxiv.org/list/cs.CL/recent", None),
     # as arXiv itself cites a paper, and as import-bib already read it; it was refused as no URL
     ("'arXiv:2402.02416'", "2402.02416"), ("'arxiv: hep-th/9901001v2'", "hep-th/9901001v2")],
)  # fmt: skip
def test_arxiv_ids_and_addresses_are_kept(value, arxiv_id):
    paper, problems = check(extra=f"links:\n  arxiv: {value}\n")
    assert problems == [] and paper.arxiv_id == arxiv_id


SICI = "10.1002/(SICI)1097-4636(199812)43:4<338::AID-JBM2>3.0.CO;2-Q"  # a real shape of old Wiley DOIs


@pytest.mark.parametrize(
    "value",
    [
        SICI,
        f"https://doi.org/{SICI}",
        "https://dx.doi.org/10.1002/(SICI)1097-4636(199812)43:4%3C338::AID-JBM2%3E3.0.CO;2-Q",
    ],
)
def test_a_doi_with_characters_a_url_cannot_hold_is_percent_encoded_in_its_address(value):
    """`<` and `>` in an address are invalid HTML (the Nu Html Checker's "Illegal character in path segment");
    the DOI itself, in the exports and metadata, stays as written."""
    paper, problems = check(extra=f"links:\n  doi: '{value}'\n")
    assert problems == [] and paper.doi == SICI
    assert paper.link("doi").url == "https://doi.org/10.1002/(SICI)1097-4636(199812)43:4%3C338::AID-JBM2%3E3.0.CO;2-Q"


@pytest.mark.parametrize("url", ["https://evil.org/10.1145/3770749", "https://doi.org/not-a-doi", "doi:11.1145/x"])
def test_a_doi_link_must_be_a_doi_or_a_doi_org_address(url):
    assert errors(extra=f"links:\n  doi: '{url}'\n") == [
        "content/papers/p.md:7:8: error: `links.doi` must be a DOI such as 10.1145/3770749 or a doi.org address, "
        f"got '{url}'"
    ]


def test_unknown_link_kind():
    (message,) = errors(extra="links:\n  githb: https://github.com/x\n")
    assert "unknown link `githb`" in message


def test_others_only_last():
    paper, _ = check(authors="[A, B, others]")
    assert paper.et_al and [a.name for a in paper.authors] == ["A", "B"]
    assert errors(authors="[A, others, B]") == ["content/papers/p.md:3:14: error: `others` may only be the last author"]


def test_author_mapping_fields():
    paper, _ = check(
        authors="\n  - name: Ada\n    orcid: 0000-0002-1825-0097\n    equal_contribution: true\n    corresponding: true"
    )
    (ada,) = paper.authors
    assert (ada.orcid, ada.equal_contribution, ada.corresponding) == ("0000-0002-1825-0097", True, True)


def test_wrong_types():
    assert errors(extra="featured: yes please\n") == [
        "content/papers/p.md:6:11: error: `featured` must be true or false, got 'yes please'"
    ]
    assert errors(extra="citations: -3\n") == [
        "content/papers/p.md:6:12: error: `citations` must be a whole number, got -3"
    ]


def test_every_problem_is_reported_not_just_the_first():
    found = errors(date="2023-13-01", categories="7", authors="x")
    assert len(found) == 3


def test_html_in_title_is_kept_as_text():
    paper, _ = check(title="'<script>alert(1)</script> ]]>'")
    assert paper.title == "<script>alert(1)</script> ]]>"


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("'{}'", "'{}'"),
        ("'\\emph{ }'", "'\\\\emph{ }'"),
        ("'\\textbf{}{ }'", "'\\\\textbf{}{ }'"),
        ("'[](/papers/x/)'", "'[](/papers/x/)'"),
        ("'![](/assets/logo.png)'", "'![](/assets/logo.png)'"),
        ('"\\u200b"', "'\\u200b'"),
    ],
)
def test_a_title_that_reads_as_nothing_is_refused(title, shown):
    """The page's <h1>, its <title> and every link to it would be empty (an unnamed link fails WCAG 2.4.4)."""
    assert errors(title=title) == [
        f"content/papers/p.md:2:8: error: `title` has no text once its LaTeX and Markdown are read, got {shown}"
    ]


@pytest.mark.parametrize("title", ["'\\LaTeX'", "'$x$'", "'~'", "'**Bold**'", "'{C}++'", "'\\u00e9'"])
def test_a_title_of_little_text_is_kept(title):
    paper, problems = check(title=title)
    assert problems == [] and paper is not None


@pytest.mark.parametrize(
    ("base_url", "written", "url"),
    [
        ("/", "/assets/papers/aligner.pdf", "/assets/papers/aligner.pdf"),
        ("/portfolio/", "assets/papers/aligner.pdf", "/portfolio/assets/papers/aligner.pdf"),
        ("https://ada.github.io/p/", "/assets/my paper.pdf", "https://ada.github.io/p/assets/my%20paper.pdf"),
        ("/", "/assets/C# & Go?.pdf", "/assets/C%23%20%26%20Go%3F.pdf"),  # a name's `#` is no fragment (vnu)
    ],
)
def test_a_link_may_name_a_file_of_the_site(base_url, written, url):
    """al-folio and academicpages keep papers' PDFs in the repository; `links.pdf` took only web addresses."""
    raw, _ = parse(f"---\n{GOOD_TEXT}links:\n  pdf: '{written}'\n  slides: '{written}'\n---\n", "p.md", "p")
    paper, problems = validate(raw, Settings(base_url=base_url))
    assert problems == []
    assert paper.link("pdf").url == url and paper.link("slides").url == url


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("/assets/../secrets.pdf", "`links.pdf` must name a file under assets/, got '/assets/../secrets.pdf'"),
        ("/../etc/passwd", "`links.pdf` is not a well-formed path of this site: '/../etc/passwd'"),
        ("/%2e%2e/etc", "`links.pdf` is not a well-formed path of this site: '/%2e%2e/etc'"),  # `..` to a browser
        ("/papers/./x/", "`links.pdf` is not a well-formed path of this site: '/papers/./x/'"),
        ('/my"talk.pdf', "`links.pdf` is not a well-formed path of this site: '/my\"talk.pdf'"),
        (
            "papers/aligner.pdf",
            "`links.pdf` must be an http(s) or mailto URL, or a file of this site such as "
            "/assets/papers/paper.pdf or /talk.pdf,"
            " got 'papers/aligner.pdf'"
            "\n    hint: a file of the site is named from the site's root: /papers/aligner.pdf for "
            "static/papers/aligner.pdf",
        ),
    ],
)
def test_a_link_to_a_file_outside_the_site_is_refused(written, message):
    assert errors(extra=f"links:\n  pdf: '{written}'\n") == [f"content/papers/p.md:7:8: error: {message}"]


@pytest.mark.parametrize(
    ("base_url", "written", "url", "site_path"),
    [
        ("/", "/talk.pdf", "/talk.pdf", "talk.pdf"),
        ("/portfolio/", "/slides/my talk.pdf", "/portfolio/slides/my%20talk.pdf", "slides/my%20talk.pdf"),
        ("https://ada.github.io/p/", "/papers/other/#bibtex", "https://ada.github.io/p/papers/other/#bibtex", None),
        ("/", "/assets/a b.pdf", "/assets/a%20b.pdf", "assets/a%20b.pdf"),
        # Written encoded already: encoded once, not again (`%2520` reached no file).
        ("/", "/assets/a%20b.pdf", "/assets/a%20b.pdf", "assets/a%20b.pdf"),
        ("/p/", "/my%20talk.pdf", "/p/my%20talk.pdf", "my%20talk.pdf"),
    ],
)
def test_a_link_may_name_a_file_of_static_or_a_page_of_the_site(base_url, written, url, site_path):
    """`profile.links` named files of static/ (`cv: /cv.pdf`); a paper's links refused `/talk.pdf` as no URL.
    The base path is added, and the site path is kept for the check that the build made it."""
    raw, _ = parse(f"---\n{GOOD_TEXT}links:\n  slides: '{written}'\n---\n", "p.md", "p")
    paper, problems = validate(raw, Settings(base_url=base_url))
    assert problems == []
    assert paper.link("slides").url == url
    assert paper.link("slides").site_path == (site_path or "papers/other/#bibtex")


@pytest.mark.parametrize(
    ("written", "url"),
    [("arxiv.org/abs/2401.01234", "https://arxiv.org/abs/2401.01234"), ("doi.org/10.1145/3770749", None)],
)
def test_an_arxiv_or_doi_address_copied_without_its_scheme_is_read(written, url):
    """`arxiv.org/abs/2401.01234` was refused as "must be an http(s) or mailto URL"."""
    kind = "arxiv" if "arxiv" in written else "doi"
    raw, _ = parse(f"---\n{GOOD_TEXT}links:\n  {kind}: {written}\n---\n", "p.md", "p")
    paper, problems = validate(raw, Settings())
    assert problems == []
    assert paper.link(kind).url == (url or "https://doi.org/10.1145/3770749")


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("github.com/ada/x", "write the address with its scheme: https://github.com/ada/x"),
        ("talk.pdf", "a file of the site is named from the site's root: /talk.pdf for static/talk.pdf"),
        (
            "papers/a b.pdf",
            "a file of the site is named from the site's root: /papers/a b.pdf for static/papers/a b.pdf",
        ),
        ("ftp://x.org/a", None),
    ],
)
def test_a_link_without_a_scheme_gets_the_address_or_path_meant(written, hint):
    raw, _ = parse(f"---\n{GOOD_TEXT}links:\n  code: '{written}'\n---\n", "p.md", "p")
    _paper, problems = validate(raw, Settings())
    assert [p.hint for p in problems] == [hint]


def test_a_file_named_beside_a_bundles_index_gets_where_to_move_it():
    """Hugo Blox names a bundle's PDF from beside its index.md (`url_pdf: paper.pdf`); the hint said /paper.pdf
    for static/paper.pdf, a different file. It now names the file beside the paper and where it goes, as
    `check` names the file itself (`stray_files`)."""
    text = f"---\n{GOOD_TEXT}links:\n  pdf: paper.pdf\n---\n"
    raw, _ = parse(text, "content/papers/my-paper/index.md", "my-paper")
    _paper, problems = validate(raw, Settings())
    assert [p.hint for p in problems] == [
        "files beside a paper are not published: move content/papers/my-paper/paper.pdf to "
        "assets/papers/my-paper/paper.pdf and write /assets/papers/my-paper/paper.pdf"
    ]
    raw, _ = parse(text, "content/papers/my-paper.md", "my-paper")  # no bundle: named from the site's root
    assert [p.hint for p in validate(raw, Settings())[1]] == [
        "a file of the site is named from the site's root: /paper.pdf for static/paper.pdf"
    ]


def test_an_arxiv_link_is_never_a_site_file():
    assert errors(extra="links:\n  arxiv: '/assets/2402.02416.pdf'\n") == [
        "content/papers/p.md:7:10: error: `links.arxiv` must be an arXiv ID such as 2402.02416 or an arxiv.org address,"
        " got '/assets/2402.02416.pdf'"
    ]


def test_an_empty_category_list_is_called_empty():
    assert errors(categories="[]") == [
        "content/papers/p.md:5:13: error: `categories` must be a non-empty list of arXiv codes such as cs.CL, "
        "got an empty list"
    ]


def test_fields_of_other_generators_say_where_paperfolio_keeps_them():
    """A publication moved from Hugo Blox or academicpages gets the way to write each field, not only "unknown"."""
    extra = "publication: In NeurIPS\nabstract: We do things.\nurl_pdf: https://example.org/a.pdf\ndoi: 10.1000/x\n"
    assert errors(extra=extra) == [
        "content/papers/p.md:6:1: error: unknown field `publication`\n    hint: write where it appeared as `venue:`",
        "content/papers/p.md:7:1: error: unknown field `abstract`\n"
        "    hint: the abstract is the text after the closing `---`, in Markdown",
        "content/papers/p.md:8:1: error: unknown field `url_pdf`\n    hint: write it under `links:` as `pdf:`",
        "content/papers/p.md:9:1: error: unknown field `doi`\n    hint: write it under `links:` as `doi:`",
    ]


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("/assets/figures/teaser.png", "figures/teaser.png"),
        ("assets/figures/teaser.PNG", "figures/teaser.PNG"),
        ("'figures/my teaser #1.webp'", "figures/my teaser #1.webp"),  # as the profile's photo, assets/ may go
        ("'/assets/x.svg'", "x.svg"),
    ],
)
def test_a_papers_picture_is_a_file_under_assets(value: str, name: str):
    paper, problems = check(extra=f"image: {value}\nimage_alt: A chart of rewards\n")
    assert problems == [] and (paper.image, paper.image_alt) == (name, "A chart of rewards")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("https://example.org/x.png", "`image` must name a picture under assets/, got 'https://example.org/x.png'"),
        ("//example.org/x.png", "`image` must name a picture under assets/, got '//example.org/x.png'"),
        ("/assets/../paperfolio.yaml", "`image` must name a picture under assets/, got '/assets/../paperfolio.yaml'"),
        ("/assets/.hidden.png", "`image` must name a picture under assets/, got '/assets/.hidden.png'"),
        ("'data:image/png;base64,AAAA'", "`image` must name a picture under assets/, got 'data:image/png;base64,AAAA'"),
        (
            "/assets/paper.pdf",
            "`image` must be a picture (.png, .jpg, .jpeg, .gif, .webp, .avif, .svg), got '/assets/paper.pdf'",
        ),
        ("[a.png]", "`image` must name a picture under assets/, got a list"),
        (
            "{caption: Teaser, focal_point: Smart}",
            "`image` must name a picture under assets/, such as /assets/figures/teaser.png",
        ),
    ],
)
def test_a_picture_that_is_no_file_under_assets_is_refused(value: str, message: str):
    (first, *_rest) = errors(extra=f"image: {value}\n")
    assert first.splitlines()[0] == f"content/papers/p.md:6:8: error: {message}"
    if value.startswith("{"):  # Hugo Blox's image settings
        assert "featured.png" in first


def test_latex_in_plain_text_fields_is_read_as_the_characters_it_makes():
    """Names and venues copied from BibTeX (`G{\\"o}del`, `Erd\\H{o}s`) showed as written on every page and in
    every export, and `G{\\"o}del` was another coauthor than `Gödel`; the title already read its LaTeX."""
    paper, problems = check(
        authors="""['Kurt G{\\"o}del', {name: 'Paul Erd\\H{o}s'}, 'Jos\\''e Garc\\''{\\i}a', J*ne_Doe*,"""
        """ 'Juntao D{a}i', '\\unknownmacro Lee']""",
        extra="""venue: 'Monatshefte f{\\"u}r Mathematik'\naward: 'Pr{\\"a}mie \\& Preis'\n"""
        """affiliations: ['Universit{\\"a}t Wien']\ntags: ['G{\\"o}del numbering', a_b]\n""",
    )
    assert problems == []
    names = [author.name for author in paper.authors]
    assert names == ["Kurt Gödel", "Paul Erdős", "José García", "J*ne_Doe*", "Juntao Dai", "\\unknownmacro Lee"]
    assert [author.is_owner for author in paper.authors] == [False, False, False, False, True, False]
    assert (paper.venue, paper.award) == ("Monatshefte für Mathematik", "Prämie & Preis")
    assert paper.affiliations == ("Universität Wien",)
    assert paper.tags == ("Gödel numbering", "a_b")
    assert paper.title == "Aligner: Efficient Alignment"  # the title keeps its markup for the page to render


@pytest.mark.parametrize(
    ("extra", "hint"),
    [
        (
            "links:\n  - name: OpenReview\n    url: https://openreview.net/forum?id=x\n",
            "Hugo Blox's list of {name, url}: write each address under its kind (project:, pdf:, code:, data:…)",
        ),
        (
            "image:\n  caption: The method\n  focal_point: Center\n",
            "Hugo Blox's `image:` describes the bundle's featured.png: copy that file under assets/ and name it; "
            "its caption is `image_alt:`",
        ),
    ],
)
def test_hugo_blox_links_list_and_image_caption_get_where_they_go(extra, hint):
    """Hugo Blox's `links:` list (an OpenReview link, say) was refused with no word of where it goes."""
    raw, _ = parse(f"---\n{GOOD_TEXT}{extra}---\n", "p.md", "p")
    _paper, problems = validate(raw, Settings())
    assert [p.hint for p in problems] == [hint]


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("https:a.org", "an http(s) address starts `https://` and a host"),
        ("https://a..org/", "its host is not a name of dot-separated labels"),
        ("http://a.org:99999/", "its port is not a number up to 65535"),
        ("http://user@pass:a.org/", "its port is not a number up to 65535"),
        ("http://a.org/%zz", "it holds `%` or `#` where an address may not"),
        ("https://a.org/#a#b", "it holds `%` or `#` where an address may not"),
        ("https://[::1/", "its IPv6 host is not well formed"),
        # the Nu Html Checker's "URL includes credentials"; and it reads as google.com, going to evil.example
        ("https://google.com@evil.example/", "it holds a user name (before `@`), which a page may not link to"),
        ("https://:x@a.org/", "it holds a user name (before `@`), which a page may not link to"),
        # `https://a.org/files/\u202egnp.exe` reads `…/files/exe.png`; and the closer the loader appends was read
        # into the address
        ("https://a.org/files/\u202egnp.exe", "it holds U+202E, an invisible character"),
        ("https://a.org/a\u200bb", "it holds U+200B, an invisible character"),
    ],
)
def test_a_malformed_web_address_is_refused(written, said):
    """Each passed `check` and made every page listing the paper invalid HTML (the Nu Html Checker's "bad value
    for attribute href")."""
    (message,) = errors(extra=f"links:\n  code: '{written}'\n")
    assert message.startswith(f"content/papers/p.md:7:9: error: `links.code` is not a well-formed address: {said}")


@pytest.mark.parametrize(
    ("written", "url"),
    [("https://x.org/a}b", "https://x.org/a%7Db"), ("https://a.org/x|y^z", "https://a.org/x%7Cy%5Ez")],
)
def test_what_an_address_may_not_hold_after_its_host_is_encoded(written, url):
    raw, _ = parse(f"---\n{GOOD_TEXT}links:\n  code: '{written}'\n---\n", "p.md", "p")
    paper, problems = validate(raw, Settings())
    assert problems == [] and paper.link("code").url == url


@pytest.mark.parametrize(
    "alias", ["publication/x", "/a/../b", "/a//b", "/x?y=1", "/x#y", "/a b", "'/<b>'", "/a%00b/", "/a%0Ab"]
)
def test_an_alias_is_a_plain_path_of_the_site(alias):
    (message,) = errors(extra=f"aliases: [{alias}]\n")
    assert "error: an alias must be a path such as /publication/aligner/, got" in message


def test_a_dotted_numeric_host_must_be_an_ipv4_address():
    (message,) = errors(extra="links:\n  code: 'https://999.1.1.1/'\n")
    assert "its host is not an IPv4 address of four numbers up to 255" in message
    assert check(extra="links:\n  code: 'https://10.0.0.1/x'\n")[1] == []


@pytest.mark.parametrize(("written", "arxiv_id"), [("1905.10240", "1905.10240"), ("2402.02416", "2402.02416")])
def test_an_unquoted_arxiv_id_keeps_every_digit_as_written(written, arxiv_id):
    """YAML reads `arxiv: 1905.10240` as the number 1905.1024: the link went to another paper's ID."""
    paper, problems = check(extra=f"links:\n  arxiv: {written}\n")
    assert problems == [] and paper.arxiv_id == arxiv_id
    assert paper.link("arxiv").url == f"https://arxiv.org/abs/{arxiv_id}"


def test_a_text_field_written_as_a_decimal_number_keeps_its_digits():
    paper, problems = check(venue="3.10")
    assert problems == [] and paper.venue == "3.10"


def test_an_unquoted_doi_that_is_only_a_number_is_named_as_written():
    assert errors(extra="links:\n  doi: 10.1140\n") == [
        "content/papers/p.md:7:8: error: `links.doi` must be a DOI such as 10.1145/3770749 or a doi.org address, "
        "got '10.1140'"
    ]


@pytest.mark.parametrize("value", ["arXiv:2402.02416", "'arXiv: 2402.02416'", "arxiv:2402.02416v2"])
def test_an_arxiv_id_written_with_its_prefix_is_read(value):
    """`arXiv:2402.02416` is how papers cite a preprint; it was refused as 'must be an http(s) or mailto URL'."""
    paper, problems = check(extra=f"links:\n  arxiv: {value}\n")
    assert problems == [] and paper.arxiv_id.removesuffix("v2") == "2402.02416"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("'2402.0241'", "'2402.0241' is no arXiv ID: an ID of 2015 or after has 5 digits after the dot"),
        ("'1412.00001'", "'1412.00001' is no arXiv ID: an ID of 2014 or before has 4 digits after the dot"),
        ("'2413.01234'", "'2413.01234' is no arXiv ID: 13 is no month "
                         "(the ID begins with the year's last two digits and the month)"),
        ("'0612.1234'", "'0612.1234' is no arXiv ID: IDs of this form began in April 2007 (0704)"),
        ("https://arxiv.org/abs/2402.0241",
         "'2402.0241' is no arXiv ID: an ID of 2015 or after has 5 digits after the dot"),
    ],
)  # fmt: skip
def test_an_arxiv_id_arxiv_never_gives_is_refused_with_why(value, why):
    """A digit lost or added linked no paper, or another one, and went into Scholar's metadata as it was."""
    assert errors(extra=f"links:\n  arxiv: {value}\n") == [f"content/papers/p.md:7:10: error: `links.arxiv`: {why}"]


@pytest.mark.parametrize("value", ["'2402. 02416'", "'ID 2402.02416'", "2402"])
def test_an_arxiv_link_that_is_no_id_nor_address_says_what_it_takes(value):
    """It said 'must be an http(s) or mailto URL', which an ID is not either."""
    (message,) = errors(extra=f"links:\n  arxiv: {value}\n")
    assert "`links.arxiv` must be an arXiv ID such as 2402.02416 or an arxiv.org address, got" in message


@pytest.mark.parametrize(("value", "arxiv_id"), [("'0704.0001'", "0704.0001"), ("'hep-th/9711200'", "hep-th/9711200")])
def test_arxiv_ids_of_its_first_months_and_old_scheme_are_kept(value, arxiv_id):
    paper, problems = check(extra=f"links:\n  arxiv: {value}\n")
    assert problems == [] and paper.arxiv_id == arxiv_id


@pytest.mark.parametrize("value", ["doi:10.1145/3770749", "'DOI: 10.1145/3770749'"])
def test_a_doi_written_with_its_prefix_is_read(value):
    """`doi:10.1145/3770749` is how papers and publishers print a DOI; it was refused."""
    paper, problems = check(extra=f"links:\n  doi: {value}\n")
    assert problems == [] and paper.doi == "10.1145/3770749"


@pytest.mark.parametrize(
    ("field", "value", "message", "hint"),
    [
        ("tags", "alignment, rlhf", "`tags` is one text holding commas, 'alignment, rlhf'",
         "`tags: [alignment, rlhf]`"),
        ("affiliations", "pku, cmu", "`affiliations` is one text holding commas, 'pku, cmu'",
         "`affiliations: [pku, cmu]`"),
        ("categories", "cs.CL, cs.AI", "`categories` is one text, 'cs.CL, cs.AI'", "`categories: [cs.CL, cs.AI]`"),
        ("categories", "cs.CL cs.AI", "`categories` is one text, 'cs.CL cs.AI'", "`categories: [cs.CL, cs.AI]`"),
        ("authors", "Jiaming Ji and Josef Dai",
         "`authors` must be a non-empty list of names, got 'Jiaming Ji and Josef Dai'",
         "`authors: [Jiaming Ji, Josef Dai]`"),
        ("authors", "Ji, Jiaming and Dai, Josef",
         "`authors` must be a non-empty list of names, got 'Ji, Jiaming and Dai, Josef'",
         "`authors: [Jiaming Ji, Josef Dai]`"),
    ],
)  # fmt: skip
def test_a_list_written_as_one_text_is_refused_with_the_list_meant(field, value, message, hint):
    """`tags: alignment, rlhf` made one tag, `alignment, rlhf`, with a page of its own."""
    (problem,) = errors(**{field: value})
    assert problem.split(": error: ", 1)[1] == f"{message}\n    hint: write a list, one item each: {hint}"


@pytest.mark.parametrize(("field", "value"), [("tags", "alignment"), ("categories", "cs.CL")])
def test_a_list_of_one_written_as_its_one_item_is_read(field, value):
    paper, problems = check(**{field: value})
    assert problems == [] and getattr(paper, field)[0] == value


def test_authors_with_their_list_folded_into_the_key_line_are_told_where_the_list_is():
    (problem,) = errors(authors="Jiaming Ji\n  - Josef Dai")
    assert problem.endswith("hint: put nothing after `authors:` on its line: the `- ` lines under it are the list")


@pytest.mark.parametrize(
    ("kind", "meant"),
    [("github", "code"), ("GitHub", "code"), ("website", "project"), ("paper", "pdf"), ("dataset", "data"),
     ("youtube", "video"), ("talk", "slides")],
)  # fmt: skip
def test_a_link_kind_paperfolio_calls_otherwise_gets_its_name(kind, meant):
    """`github:` under `links:` was 'unknown link `github`' with no hint."""
    assert errors(extra=f"links:\n  {kind}: https://example.org/x\n") == [
        f"content/papers/p.md:7:3: error: unknown link `{kind}`\n    hint: paperfolio calls it `{meant}:`"
    ]


@pytest.mark.parametrize("kind", ["project", "data", "poster", "blog"])
def test_a_link_written_level_with_links_is_told_to_go_under_it(kind):
    """`project:` out-dented to the top level was 'unknown field `project`' with no hint (arxiv: had one)."""
    assert errors(extra=f"links:\n  arxiv: '2402.02416'\n{kind}: https://example.org/x\n") == [
        f"content/papers/p.md:8:1: error: unknown field `{kind}`\n    hint: write it under `links:` as `{kind}:`"
    ]


@pytest.mark.parametrize(
    "orcid", ["0000-0002-1825-0098", "https://orcid.org/0000-0002-1825-0079", "0000-0000-0000-0000"]
)
def test_an_orcid_whose_check_digit_is_wrong_is_refused(orcid):
    """A digit mistyped made a link to another researcher's ORCID record, or to none."""
    bare = orcid.removeprefix("https://orcid.org/")
    assert errors(authors=f"[{{name: Ada, orcid: '{orcid}'}}]") == [
        f"content/papers/p.md:3:30: error: `orcid` {bare} is no ORCID iD: its last character does not check\n"
        "    hint: a digit mistyped or two swapped: copy the iD from the person's orcid.org page"
    ]


@pytest.mark.parametrize(
    "orcid", ["0000-0002-1825-0097", "0000-0002-1694-233X", "https://orcid.org/0000-0001-5109-3700"]
)
def test_an_orcid_whose_check_digit_checks_is_kept(orcid):
    paper, problems = check(authors=f"[{{name: Ada, orcid: '{orcid}'}}]")
    assert problems == [] and paper.authors[0].orcid == orcid.removeprefix("https://orcid.org/")


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (
            "../../assets/figures/teaser.png",
            "name it from the site's root, without `.` or `..`: /assets/figures/teaser.png",
        ),
        ("./teaser.png", "name it from the site's root, without `.` or `..`: /assets/teaser.png"),
        ("https://example.org/x.png", "pages load nothing from other hosts: keep the picture under assets/"),
    ],
)
def test_a_picture_named_from_the_papers_file_is_told_the_sites_path(value: str, hint: str):
    """`../../assets/teaser.png` (as an editor completes a path from the paper's file) was told that pages load
    nothing from other hosts, which it is not."""
    (problem,) = errors(extra=f"image: {value}\n")
    assert problem.splitlines()[1] == f"    hint: {hint}"


@pytest.mark.parametrize("last", ["et al.", "Et al", "'and others'"])
def test_et_al_as_papers_print_it_means_others(last):
    """`- et al.` was read as a coauthor named "et al.", with a page of its own and a place in every export."""
    paper, problems = check(authors=f"[Jiaming Ji, Josef Dai, {last}]")
    assert problems == [] and paper.et_al and [a.name for a in paper.authors] == ["Jiaming Ji", "Josef Dai"]
    assert errors(authors=f"[Jiaming Ji, {last}, Josef Dai]") == [
        f"content/papers/p.md:3:23: error: `{last.strip(chr(39))}` may only be the last author"
    ]


def test_an_author_line_indented_deeper_than_the_one_above_is_refused():
    """`  - Jiaming Ji` then `    - Boyuan Chen` is one name in YAML, 'Jiaming Ji - Boyuan Chen', which made a
    coauthor of that name and left Boyuan Chen out, without a word."""
    assert errors(authors="\n  - Jiaming Ji\n    - Boyuan Chen\n  - Josef Dai") == [
        "content/papers/p.md:4:5: error: author `Jiaming Ji - Boyuan Chen` is two lines read as one name: a `- `"
        " indented deeper continues the line above\n"
        "    hint: line up the `- ` of every author under the first one's"
    ]


@pytest.mark.parametrize(
    ("links", "hint"),
    [
        ("https://arxiv.org/abs/2402.02416", "write each address under its kind, on its own line: "
         "`links: {arxiv: https://arxiv.org/abs/2402.02416}`"),
        ("https://ada.org/aligner", "write each address under its kind, on its own line: "
         "`links: {project: https://ada.org/aligner}`"),
        ("{code: false}", "leave `code:` out when no code is released"),
    ],
)  # fmt: skip
def test_links_written_without_their_kind_or_code_false_get_a_hint(links, hint):
    (problem,) = errors(extra=f"links: {links}\n")
    assert problem.splitlines()[1] == f"    hint: {hint}"


def test_an_address_with_a_space_is_told_how_to_write_one():
    """It said only 'is not a well-formed URL'."""
    assert errors(extra="links:\n  project: https://ada.org/my page\n") == [
        "content/papers/p.md:7:12: error: `links.project` is not a well-formed URL: 'https://ada.org/my page'\n"
        "    hint: an address holds no space: write one as %20 (a browser's address bar shows the address so)"
    ]


@pytest.mark.parametrize("value", ["'[the code](https://github.com/x/y)'", "<https://github.com/x/y>"])
def test_an_address_written_as_markdown_is_told_to_write_it_alone(value):
    (problem,) = errors(extra=f"links:\n  code: {value}\n")
    assert problem.splitlines()[1] == "    hint: write the address alone: https://github.com/x/y"


def test_a_message_quoting_a_file_shows_its_controls_spelled_out_not_acted_on():
    """A hostile value's bidirectional override reached the terminal as is (`\\u202e` made the rest of the line
    read backwards), as would an escape sequence or a carriage return: each is shown as Python writes it."""
    (message,) = errors(date="'2024\u202e-13-01'")
    # (the loader closes an override a value leaves open: the `\\u202c` after it)
    assert message == (
        "content/papers/p.md:4:7: error: `date` must be YYYY-MM-DD, YYYY-MM or YYYY, got '2024\\u202e-13-01\\u202c'"
    )
    shown = Problem("p.md", 1, 1, "x\x1b[2Jy\rz\u2066", hint="a\u200fb").format()
    assert shown == "p.md:1:1: error: x\\u001b[2Jy\\u000dz\\u2066\n    hint: a\\u200fb"


def test_a_tag_indented_deeper_than_the_one_above_is_refused_not_merged():
    """`- alignment` then `    - rlhf` (indented deeper) is one YAML value, `alignment - rlhf`: it became one tag,
    as two authors became one name before (the mistakes audit's leftover)."""
    (message,) = errors(extra="tags:\n  - alignment\n    - rlhf\n")
    assert message == (
        "content/papers/p.md:7:5: error: `tags` entry `alignment - rlhf` is two lines read as one: a `- ` indented"
        " deeper continues the line above\n    hint: line up the `- ` of every entry under the first one's"
    )
    paper, problems = check(extra="tags: [alignment, rlhf]\n")
    assert problems == [] and paper.tags == ("alignment", "rlhf")
