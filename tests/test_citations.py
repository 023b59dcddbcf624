"""Citation export: every entry is read back by a real parser with the same title, authors and year."""

from __future__ import annotations

import json
import re

import bibtexparser
import pytest
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from hypothesis import given, settings
from hypothesis import strategies as st

from paperfolio import bibtex, citations, csl, latex, ris
from paperfolio.bibimport import decode
from paperfolio.model import Author, Link, Paper, PaperDate

HOSTILE_TITLES = [
    "<script>alert(1)</script> Attacks on LLM Agents",
    "Unbalanced } brace and { another",
    "A 100% & #1 result_with ^carets~ and $5 prices",
    "CDATA ]]> ends and back\\slash \\ alone",
    "Quotes \"double\" and 'single' and `ticks`",
    "Dashes -- and --- ligatures ``quoted''",
    "@Home: a title: with colons # and hashes",
    "Ünïcödé Naïve Café Łódź 北京 Title",
]


def make_paper(slug: str = "beavertails", **changes) -> Paper:
    """Return a conference paper, with any field replaced."""
    fields = dict(
        source=f"content/papers/{slug}.md",
        slug=slug,
        title="BeaverTails: Towards Improved Safety Alignment of LLM via a Human-Preference Dataset",
        authors=(Author("Jiaming Ji", equal_contribution=True), Author("Mickel Liu", equal_contribution=True)),
        et_al=False,
        date=PaperDate(2023, 7, 10),
        categories=("cs.CL",),
        abstract="We introduce **BeaverTails**.\n\nIt has $n^2$ pairs.",
        venue="NeurIPS 2023 (Datasets and Benchmarks Track)",
        links=(Link("arxiv", "https://arxiv.org/abs/2307.04657", "arXiv"),),
    )
    fields.update(changes)
    return Paper(**fields)


def read_bibtex(text: str) -> list:
    """Parse BibTeX with bibtexparser and fail on any block it could not read."""
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    return library.entries


def names_of(entry) -> list[str]:
    """Return the entry's authors as display names, read by bibtexparser's BibTeX name rules."""
    names = []
    for person in split_multiple_persons_names(entry["author"]):
        parts = parse_single_name_into_parts(person)
        names.append(" ".join(decode(w) for w in (*parts.first, *parts.von, *parts.last, *parts.jr)))
    return names


def bibtex_balanced(value: str) -> bool:
    """Return whether BibTeX itself, which counts escaped braces too, sees balanced braces."""
    depth = 0
    for ch in value:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


# Keys


def test_key_is_family_year_and_first_significant_title_word():
    paper = make_paper(title="Towards the Baichuan 2 Models", authors=(Author("Aiyuan Yang"),), date=PaperDate(2023))
    assert citations.citation_keys([paper]) == {"beavertails": "yang2023baichuan"}


def test_key_folds_accents_and_uses_the_title_without_real_authors():
    accented = make_paper("a", authors=(Author("Jörg Łukasiewicz-Müller"),), title="Étude")
    nobody = make_paper("b", authors=(), et_al=True, title="On the Safety")
    assert citations.citation_keys([accented, nobody]) == {"a": "lukasiewiczmuller2023etude", "b": "safety2023"}


def test_a_first_author_named_in_a_script_without_ascii_letters_gets_a_key_of_ascii_words():
    """An author named in Arabic (or Chinese, Cyrillic…) made `anon2024…`, and two such papers of a year told
    apart by a letter: the key now comes from the name's letters where it has some, else the title, else
    the slug, always ASCII, and no transliteration is made up."""
    date = PaperDate(2024, 3)
    arabic = make_paper("deep", authors=(Author("محمد علي"),), title="Deep Alignment of Language Models", date=date)
    russian = make_paper("safe", authors=(Author("Иван Петров"), Author("Ada Lovelace")), title="Safe RLHF", date=date)
    written_twice = make_paper("twice", authors=(Author("Wei Zhang (张伟)"),), title="Reward Models", date=date)
    no_ascii_at_all = make_paper("alignment-study", authors=(Author("张伟"),), title="对齐方法", date=date)
    keys = citations.citation_keys([arabic, russian, written_twice, no_ascii_at_all])
    assert keys == {
        "deep": "deepalignment2024",
        "safe": "saferlhf2024",
        "twice": "zhang2024reward",
        "alignment-study": "alignmentstudy2024",
    }
    assert all(key.isascii() and key.isalnum() for key in keys.values())


def test_colliding_keys_get_letters_oldest_first_whatever_the_input_order():
    old = make_paper("old", date=PaperDate(2023, 1))
    new = make_paper("new", date=PaperDate(2023, 9))
    newest = make_paper("newest", date=PaperDate(2023, 12))
    expected = {"old": "ji2023beavertails", "new": "ji2023beavertailsa", "newest": "ji2023beavertailsb"}
    assert citations.citation_keys([newest, old, new]) == expected
    assert citations.citation_keys([old, new, newest]) == expected


def test_suffixed_key_never_takes_another_papers_base_key():
    first = make_paper("p1", title="Deep Nets", date=PaperDate(2020, 1))
    second = make_paper("p2", title="Deep Nets", date=PaperDate(2020, 2))
    third = make_paper("p3", title="Deepa Nets", date=PaperDate(2020, 3))
    keys = citations.citation_keys([first, second, third])
    assert keys["p3"] == "ji2020deepa"
    assert len(set(keys.values())) == 3


def test_split_name_keeps_particles_suffixes_and_written_commas():
    assert citations.split_name("Guido van Rossum") == citations.NameParts("van Rossum", "Guido")
    assert citations.split_name("Martin Luther King Jr.") == citations.NameParts("King", "Martin Luther", "Jr.")
    assert citations.split_name("Ji, Jiaming") == citations.NameParts("Ji", "Jiaming")
    assert citations.split_name("Aristotle") == citations.NameParts("Aristotle")


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Smith, Jr., John", ("Smith", "John", "Jr.")),  # BibTeX's `von Last, Jr, First`
        ("van der Berg, III, Jan", ("van der Berg", "Jan", "III")),
        ("Martin Luther King, Jr.", ("King", "Martin Luther", "Jr.")),  # the comma is the suffix's
        ("King, Jr", ("King", "", "Jr")),
        ("Smith, John, Sr.", ("Smith", "John", "Sr.")),  # RIS's `Last, First, Suffix`
        ("Ng, Andrew, Y.", ("Ng", "Andrew, Y.", "")),  # no suffix: all after the first comma is given
    ],
)
def test_split_name_reads_a_suffix_set_off_by_commas(name, parts):
    """`Smith, Jr., John` went to RIS as `AU  - Smith, Jr., John` (Zotero: given name "Jr.", John lost) and to
    CSL-JSON with given "Jr., John"; `Martin Luther King, Jr.` had the family name "Martin Luther King"."""
    assert citations.split_name(name) == citations.NameParts(*parts)
    from paperfolio import ris

    family, given, suffix = parts
    if given and "," not in given:
        assert ris._author(name) == ", ".join(p for p in (family, given, suffix) if p)


@pytest.mark.parametrize(
    ("pub_type", "venue", "kind"),
    [
        (None, "NeurIPS 2023", "conference"),
        (None, "Findings of EMNLP 2024", "conference"),
        (None, "Transactions of the ACL", "journal"),
        (None, "ACM Computing Surveys", "journal"),
        (None, "arXiv preprint", "preprint"),
        (None, None, "preprint"),
        ("workshop", "Anything", "conference"),
        ("journal", "NeurIPS", "journal"),
        # NeurIPS's own name, as its proceedings and Google Scholar write it (it was no kind: "misc"), and
        # Scholar's lower-case conference names.
        (None, "Advances in Neural Information Processing Systems", "conference"),
        (None, "International conference on machine learning", "conference"),
        # A conference whose name holds a one-word journal's (they were journals).
        (None, "IEEE Symposium on Foundations of Computer Science", "conference"),
        (None, "Annual Conference of the Cognitive Science Society", "conference"),
        (None, "Nature Machine Intelligence", "journal"),
        (None, "Proceedings of the National Academy of Sciences", "journal"),
        # The IEEE's journal (it was a conference) beside the IEEE's conference proceedings.
        (None, "Proceedings of the IEEE", "journal"),
        (None, "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition", "conference"),
    ],
)
def test_kind_follows_pub_type_then_venue(pub_type, venue, kind):
    assert citations.kind(make_paper(pub_type=pub_type, venue=venue)) == kind


# BibTeX


def test_conference_entry_is_inproceedings_with_booktitle_month_macro_and_protected_acronyms():
    text = bibtex.to_bibtex(make_paper(), "ji2023beavertails")
    assert text.startswith("@inproceedings{ji2023beavertails,\n") and text.endswith("}\n")
    # The colon outside the braces: BibTeX's sentence case keeps the capital after `: ` only there.
    assert "  title = {{BeaverTails}: Towards Improved Safety Alignment of {LLM} via" in text
    assert "  month = jul,\n" in text
    (entry,) = read_bibtex(text)
    assert entry["booktitle"] == "NeurIPS 2023 (Datasets and Benchmarks Track)"
    assert entry["year"] == "2023" and entry["url"] == "https://arxiv.org/abs/2307.04657"
    assert entry["author+an"] == "1=equal; 2=equal"
    # The arXiv version of a published paper, which biblatex links: it was left out but for preprints.
    assert (entry["eprint"], entry["archivePrefix"], entry["primaryClass"]) == ("2307.04657", "arXiv", "cs.CL")


def test_preprint_entry_follows_arxivs_own_export():
    paper = make_paper(venue=None, pub_type="preprint", date=PaperDate(2023))
    (entry,) = read_bibtex(bibtex.to_bibtex(paper, "ji2023beavertails"))
    assert entry.entry_type == "misc"
    assert (entry["eprint"], entry["archivePrefix"], entry["primaryClass"]) == ("2307.04657", "arXiv", "cs.CL")
    assert "month" not in entry


def test_journal_entry_carries_doi_note_orcid_and_et_al():
    paper = make_paper(
        venue="IEEE Transactions on Pattern Analysis and Machine Intelligence",
        authors=(Author("Guido van Rossum", orcid="0000-0002-1825-0097", corresponding=True),),
        et_al=True,
        award="Best Paper Award",
        links=(Link("doi", "https://doi.org/10.1109/TPAMI.2024.1", "DOI"),),
    )
    (entry,) = read_bibtex(bibtex.to_bibtex(paper, "vanrossum2023"))
    assert entry.entry_type == "article" and entry["journal"].startswith("IEEE Transactions")
    assert entry["author"] == "van Rossum, Guido and others"
    assert entry["doi"] == "10.1109/TPAMI.2024.1" and entry["note"] == "Best Paper Award"
    assert entry["author+an"] == "1=corresponding" and entry["author+an:orcid"] == '1="0000-0002-1825-0097"'
    assert "url" not in entry


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_titles_read_back_unchanged_and_brace_balanced(title):
    paper = make_paper(title=title, authors=(Author("Ana {Brace} O'Neil"), Author("Smith and Wesson")))
    text = bibtex.to_bibtex(paper, "key")
    (entry,) = read_bibtex(text)
    assert decode(entry["title"]) == citations.plain_title(title)
    assert names_of(entry) == ["Ana {Brace} O'Neil", "Smith and Wesson"]
    assert entry["year"] == "2023"
    assert all(bibtex_balanced(value) for value in (entry["title"], entry["author"]))
    assert "%" not in text.replace(r"\%", "")


def test_math_in_titles_is_kept_and_braced():
    title = r"Provably Efficient $\epsilon$-Greedy with $O(\sqrt{T})$ Regret"
    (entry,) = read_bibtex(bibtex.to_bibtex(make_paper(title=title), "k"))
    assert r"{$\epsilon$}" in entry["title"] and r"{$O(\sqrt{T})$}" in entry["title"]
    assert decode(entry["title"]) == title


@pytest.mark.parametrize(
    ("title", "sentence_case"),
    [
        # BibTeX's own sentence case (`change.case$ "t"`, as pybtex implements it) keeps the capital after `: `
        # only when the colon is outside every brace: `{SafeMCP:} Proactive` came out "proactive".
        ("SafeMCP: Proactive Power Control", "{SafeMCP}: Proactive power control"),
        ("Safe RLHF-V: Safe Reinforcement Learning", "Safe {RLHF-V}: Safe reinforcement learning"),
        # Groups the author braced stay braced: BibTeX's way to keep a proper noun's capitals.
        ("A {Bayesian} View of {Markov} Chains in {Hong Kong}", "A {Bayesian} view of {Markov} chains in {Hong Kong}"),
        (r"\textit{Deep} Nets", "Deep nets"),  # a command's argument is no group of the author's
        # An accent's argument after its one-sign name (`\"`, `\'`) looked like a group after a quote mark: the
        # title was written `Poincar\textbackslash{}'{e}`, a backslash and a quote in every citation.
        (r"Poincar\'{e} Maps", "Poincaré maps"),
        (r"A {G\"{o}del} Numbering", "A {Gödel} numbering"),
        # The page reads `$5 and $` as text (Pandoc's rule); the entry wrote `{$5 and $}10`, math in LaTeX.
        ("Cost $5 and $10 Revisited", r"Cost \$5 and \$10 revisited"),
        (r"Provably $\epsilon$-Greedy: A Study", r"Provably {$\epsilon$}-greedy: A study"),
    ],
)
def test_titles_keep_their_capitals_through_bibtex_sentence_case(title, sentence_case):
    from pybtex.bibtex.utils import change_case

    (entry,) = read_bibtex(bibtex.to_bibtex(make_paper(title=title), "k"))
    assert change_case(entry["title"], "t") == sentence_case
    assert decode(entry["title"]) == (title if "$\\" in title else citations.plain_title(title))


@pytest.mark.parametrize(
    ("venue", "pub_type", "year", "month"),
    [
        ("ACL 2025 (Long Papers)", None, "2025", None),  # posted on arXiv in June 2024, published at ACL 2025
        ("Journal of Machine Learning Research 25(285), 2024", None, "2024", None),
        ("NeurIPS 2023 (Datasets and Benchmarks Track)", None, "2023", "jul"),  # the year of `date`: as it was
        ("Workshop 2024, extended 2025", None, "2023", "jul"),  # two years: which is meant is not known
        ("ACL 2025", "preprint", "2023", "jul"),  # a preprint is dated by its posting
    ],
)
def test_exports_give_the_year_the_venue_names(venue, pub_type, year, month):
    """`booktitle = {ACL 2025}, year = 2024` (the arXiv date) in 17 of the 37 seed entries; RIS, CSL-JSON and
    Scholar's tags said 2024 too. `date` stays the paper's first appearance, which orders the lists."""
    import rispy

    paper = make_paper(venue=venue, pub_type=pub_type)  # dated 2023-07-10
    (entry,) = read_bibtex(bibtex.to_bibtex(paper, "k"))
    assert entry["year"] == year
    assert (entry["month"] if "month" in entry.fields_dict else None) == month
    (record,) = rispy.loads(ris.to_ris(paper))
    assert record["year"] == year
    assert csl.to_csl(paper, "k")["issued"]["date-parts"][0][0] == int(year)


def test_bibliographic_details_kept_under_extra_reach_every_export():
    """import-bib keeps volume, number, pages and publisher under `extra:`, but papers.bib, RIS, CSL-JSON and
    the page's Cite block left them out: every imported journal article lost its volume and pages."""
    import rispy

    extra = {"volume": 25, "number": "285", "pages": "1 – 48", "publisher": "JMLR & Co", "issn": "1532-4435"}
    paper = make_paper(venue="Journal of Machine Learning Research", extra={**extra, "series": ["not", "text"]})
    (entry,) = read_bibtex(bibtex.to_bibtex(paper, "k"))
    assert (entry["volume"], entry["number"], entry["pages"]) == ("25", "285", "1--48")
    assert (entry["publisher"], entry["issn"]) == (r"JMLR \& Co", "1532-4435") and "series" not in entry.fields_dict
    (record,) = rispy.loads(ris.to_ris(paper))
    assert (record["volume"], record["number"], record["start_page"], record["end_page"]) == ("25", "285", "1", "48")
    assert record["publisher"] == "JMLR & Co" and record["issn"] == "1532-4435"
    item = csl.to_csl(paper, "k")
    assert (item["volume"], item["issue"], item["page"], item["publisher"]) == ("25", "285", "1-48", "JMLR & Co")
    book = make_paper(venue="MIT Press", pub_type="book", extra={"publisher": "Other", "edition": "2"})
    (entry,) = read_bibtex(bibtex.to_bibtex(book, "k"))
    assert entry["publisher"] == "MIT Press" and entry["edition"] == "2"  # the venue is a book's publisher


def test_a_detail_written_as_a_decimal_keeps_its_digits_in_the_exports(tmp_path):
    """`extra: {volume: 1.10}` unquoted is a float in YAML: it was left out of every export without a word, and
    read as a number would have been `1.1`. Read through the loader, as a paper file gives it."""
    from paperfolio.loader import parse
    from paperfolio.model import Settings
    from paperfolio.schema import validate

    text = (
        "---\ntitle: T\nauthors: [Ada Lovelace]\ndate: 2024\ncategories: [cs.LG]\nvenue: J. Tests\n"
        "pub_type: journal\nextra: {volume: 1.10, number: 2}\n---\nA.\n"
    )
    raw, _ = parse(text, "content/papers/t.md", "t")
    paper, problems = validate(raw, Settings())
    assert problems == []
    (entry,) = read_bibtex(bibtex.to_bibtex(paper, "k"))
    assert (entry["volume"], entry["number"]) == ("1.10", "2")


def test_a_title_of_deeply_nested_braces_is_written_not_recursed_into():
    """990 nested braces (a 1,981-character title, under the length limit) ended the build in RecursionError."""
    title = "{" * 990 + "x" + "}" * 990
    (entry,) = read_bibtex(bibtex.to_bibtex(make_paper(title=title), "k"))
    assert bibtex_balanced(entry["title"])


def test_unsafe_math_falls_back_to_plain_text():
    (entry,) = read_bibtex(bibtex.to_bibtex(make_paper(title="Odd $a%b$ math"), "k"))
    assert bibtex_balanced(entry["title"]) and "$a" not in entry["title"]


def test_a_key_the_front_matter_sets_is_the_papers_key_and_made_keys_step_around_it():
    """import-bib made new keys (audit2022journal became audit2022convergence), breaking every \\cite of the
    old ones; `key:` keeps a paper's, and a made key that would equal it gets a letter."""
    own = make_paper("own", key="ji2023beavertails")
    made = make_paper("made", date=PaperDate(2023, 8))  # would be ji2023beavertails too
    keys = citations.citation_keys([made, own])
    assert keys == {"own": "ji2023beavertails", "made": "ji2023beavertailsa"}


def test_bibtex_file_is_deterministic_and_rejects_unsafe_keys():
    papers = [make_paper("a"), make_paper("b", date=PaperDate(2024))]
    keys = citations.citation_keys(papers)
    assert bibtex.bibtex_file(papers, keys) == bibtex.bibtex_file(papers, dict(keys))
    assert len(read_bibtex(bibtex.bibtex_file(papers, keys))) == 2
    with pytest.raises(ValueError, match="citation key"):
        bibtex.to_bibtex(papers[0], "bad key,")


# RIS


def parse_ris(text: str) -> list[list[tuple[str, str]]]:
    """Return RIS records as (tag, value) lists, asserting the line shape, TY first and ER last."""
    records, current = [], []
    for line in text.split("\n"):
        if not line and not current:
            continue
        assert len(line) >= 6 and line[:2].isalnum() and line[2:6] == "  - ", line
        current.append((line[:2], line[6:]))
        if line[:2] == "ER":
            records.append(current)
            current = []
    assert current == []
    for record in records:
        assert record[0][0] == "TY" and record[-1] == ("ER", "")
    return records


def test_ris_record_has_one_author_per_line_and_no_others():
    paper = make_paper(et_al=True, tags=("safety",), award="Oral")
    (record,) = parse_ris(ris.to_ris(paper))
    assert record[:2] == [("TY", "CONF"), ("TI", citations.plain_title(paper.title))]
    assert [v for t, v in record if t == "AU"] == ["Ji, Jiaming", "Liu, Mickel"]
    assert ("PY", "2023") in record and ("DA", "2023/07/10/") in record
    assert ("AB", citations.plain(paper.abstract)) in record and "\n" not in citations.plain(paper.abstract)
    assert ("N1", "Equal contribution: Jiaming Ji, Mickel Liu") in record and ("KW", "safety") in record


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_ris_survives_hostile_titles_and_multiline_abstracts(title):
    paper = make_paper(title=title, abstract="Line one\nline two\r\n\nthird", pub_type="preprint", venue=None)
    (record,) = parse_ris(ris.to_ris(paper))
    assert record[0] == ("TY", "RPRT") and ("TI", citations.plain_title(title)) in record
    assert ("DA", "2023/07/10/") in record and ("PB", "arXiv") in record


def test_ris_writes_every_value_but_the_abstract_on_one_line_with_single_spaces():
    """Names, venues and keywords (whose lines are made once per build) and the rest are written as the
    value's words joined by one space: tabs, line breaks and no-break spaces do not reach the record."""
    messy = "  Ada\u00a0\t Lovelace \n"
    paper = make_paper(
        authors=(Author(messy), Author("Mickel   Liu")),
        venue="Neur\tIPS\n 2023 \u2003(Oral)",
        tags=("safe \t rl", "a\u00a0b"),
        links=(
            Link("arxiv", "https://arxiv.org/abs/2307.04657", "arXiv"),
            Link("doi", "https://doi.org/10.1/x y", "DOI"),
        ),
        award="Best\n paper",
    )
    for _ in range(2):  # the second time from the lines made once
        (record,) = parse_ris(ris.to_ris(paper))
        values = dict((tag, []) for tag, _value in record)
        for tag, value in record:
            values[tag].append(value)
        assert values["AU"] == ["Lovelace, Ada", "Liu, Mickel"]
        assert values["T2"] == ["Neur IPS 2023 (Oral)"]
        assert values["KW"] == ["safe rl", "a b"]
        assert values["DO"] == ["10.1/x y"]
        assert "Best paper" in values["N1"]
        for tag, value in record:
            if tag != "AB":
                assert value == " ".join(value.split()), (tag, value)


@pytest.mark.parametrize(
    ("pub_type", "field"),
    [("thesis", "publisher"), ("report", "publisher"), ("book", "publisher"), ("conference", "secondary_title")],
)
def test_ris_puts_a_universitys_or_publishers_name_where_importers_read_it(pub_type, field):
    """Zotero's RIS import reads T2 of a thesis, report or book as a series: the university, institution
    or publisher went there."""
    import rispy

    (entry,) = rispy.loads(ris.to_ris(make_paper(pub_type=pub_type, venue="Where It Went")))
    assert entry[field] == "Where It Went"
    assert [key for key, value in entry.items() if value == "Where It Went"] == [field]


def test_ris_dates_leave_unknown_parts_empty():
    (record,) = parse_ris(ris.to_ris(make_paper(date=PaperDate(2021, 3), venue="NeurIPS 2021")))
    assert ("DA", "2021/03//") in record


# CSL-JSON


def test_csl_item_has_required_keys_and_custom_author_marks():
    paper = make_paper(authors=(Author("Jiaming Ji", orcid="0000-0002-1825-0097"), Author("OpenAI")), et_al=True)
    item = json.loads(json.dumps(csl.to_csl(paper, "ji2023beavertails")))
    assert {"id", "type", "title", "author", "issued"} <= item.keys()
    assert item["type"] == "paper-conference" and item["title"] == citations.plain_title(paper.title)
    assert item["author"] == [{"family": "Ji", "given": "Jiaming"}, {"literal": "OpenAI"}]
    assert item["issued"] == {"date-parts": [[2023, 7, 10]]}
    assert item["container-title"] == paper.venue and item["URL"] == "https://arxiv.org/abs/2307.04657"
    assert item["custom"] == {
        "authors": [{"position": 1, "name": "Jiaming Ji", "orcid": "0000-0002-1825-0097"}],
        "et_al": True,
    }


def test_csl_preprint_is_article_from_arxiv_and_file_is_stable_json():
    papers = [make_paper("a", venue=None, pub_type="preprint", date=PaperDate(2022)), make_paper("b")]
    keys = citations.citation_keys(papers)
    text = csl.csl_file(papers, keys)
    assert text == csl.csl_file(papers, keys) and text.endswith("]\n")
    first, second = json.loads(text)
    assert (first["type"], first["publisher"], first["number"]) == ("article", "arXiv", "2307.04657")
    assert first["issued"] == {"date-parts": [[2022]]} and second["id"] == keys["b"]


def test_csl_export_of_a_paper_is_json_dumps_with_two_spaces_indent():
    from paperfolio import exports

    paper = make_paper("zoe", title='Ünal’s “Élan” — 日本 \\ "q"', date=PaperDate(2020))
    key = citations.citation_keys([paper])[paper.slug]
    expected = json.dumps([csl.to_csl(paper, key)], ensure_ascii=False, indent=2) + "\n"
    assert exports.csl_list([exports.citation(paper, key).csl]) == expected.encode("utf-8")


@pytest.mark.parametrize("text", ["back\\slash", "<tag> | pipe", "a}b{c", "{pair}", "~^_%&#$", "\\{"])
def test_escaped_text_decodes_to_itself(text):
    escaped = bibtex.escape_text(text)
    assert bibtex_balanced(escaped)
    (entry,) = read_bibtex("@misc{k,\n  note = {" + escaped + "},\n}\n")
    assert decode(entry["note"]) == text


def test_site_wide_export_files_are_the_citation_files_of_every_paper():
    from types import SimpleNamespace

    from paperfolio import exports

    papers = [make_paper(), make_paper("zoe", title="Ünal’s “Élan” — 日本", date=PaperDate(2020)), make_paper("x")]
    keys = citations.citation_keys(papers)
    data = SimpleNamespace(index=SimpleNamespace(papers=papers), citations=None)
    cites = exports.make_citations(papers)
    files = dict(exports.site_export_files(data))
    for p in papers:
        files.update(exports.citation_files(p.slug, cites[p.slug]))
    assert files["papers.bib"] == bibtex.bibtex_file(papers, keys).encode("utf-8")
    assert files["papers.ris"] == ris.ris_file(papers).encode("utf-8")
    assert files["papers.json"] == csl.csl_file(papers, keys).encode("utf-8")
    assert json.loads(files["papers.json"]) == [
        json.loads(files[f"papers/{p.slug}/{keys[p.slug]}.json"])[0] for p in papers
    ]


def test_item_json_tells_equal_values_of_other_types_apart_in_remembered_names():
    """A list member that is a mapping of text to text is written once per build and looked up by its
    pairs: a mapping whose values equal those of one written before (`1 == True == 1.0`) but are not
    text is written as itself."""
    for newline in ("\n", "\n  "):
        value = [{"a": "1"}, {"a": 1}, {"a": True}, {"a": 1.0}, {"a": "1"}, {"b": "x", "c": "y"}, {"c": "y", "b": "x"}]
        expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline)
        for _ in range(2):
            assert csl.item_json(value, newline) == expected


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.sampled_from(["\n", "\n  ", "\n    "]))
def test_item_json_writes_what_json_dumps_writes_with_indent(value, newline):
    expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline)
    assert csl.item_json(value, newline) == expected


def test_collapse_is_split_and_join():
    for text in ["", " ", "a", "a b", " a", "a ", "a  b", "a\tb", "a\nb", "é  x", "a\u3000b", "a\x1cb", "a\x85b"]:
        assert citations.collapse(text) == " ".join(text.split()), repr(text)


@given(st.text())
def test_collapse_agrees_with_split_and_join_on_any_text(text):
    assert citations.collapse(text) == " ".join(text.split())


def test_a_file_of_the_site_is_a_citation_url_only_at_a_full_address() -> None:
    """`links.pdf: /assets/x.pdf` on a site with no host in its base URL is `/assets/x.pdf`: in someone else's
    bibliography that address means nothing, so the exports leave `url` out (or take the next link)."""
    local = Link("pdf", "/assets/papers/x.pdf", "PDF")
    project = Link("project", "https://example.org/x", "Project")
    assert citations.paper_url(make_paper(links=(local,))) is None
    assert citations.paper_url(make_paper(links=(local, project))) == "https://example.org/x"
    full = Link("pdf", "https://ada.github.io/p/assets/papers/x.pdf", "PDF")
    assert citations.paper_url(make_paper(links=(full,))) == "https://ada.github.io/p/assets/papers/x.pdf"
    assert "url = " not in bibtex.to_bibtex(make_paper(links=(local,)), "key")


def test_a_kept_dblp_key_names_its_citation_files_without_a_folder_or_colon():
    """DBLP's keys (`DBLP:conf/nips/Ji23`) hold `/`, which would make folders of the file name, and `:`, which
    Windows refuses in a name; the key itself stays as written in the entries."""
    from paperfolio.exports import cite_paths

    assert [path for _label, path in cite_paths("aligner", "DBLP:conf/nips/Ji23")] == [
        "papers/aligner/DBLP-conf-nips-Ji23.bib",
        "papers/aligner/DBLP-conf-nips-Ji23.ris",
        "papers/aligner/DBLP-conf-nips-Ji23.json",
    ]
    assert bibtex.to_bibtex(make_paper(), "DBLP:conf/nips/Ji23").startswith("@inproceedings{DBLP:conf/nips/Ji23,\n")


def test_the_rewritten_title_scans_read_as_before():
    """`_title_word` and `latex.command_before` replaced regex searches whose time grew with the square of a long
    word (`a` and 32,000 dots: 2.5 s) or title (`{ ` 64,000 times: 0.3 s, 70 s at 1 MiB); they read the same."""
    assert bibtex.escape_title("SafeMCP: A Study?!") == "{SafeMCP}: A Study?!"
    assert bibtex.escape_title("...") == "..."
    assert bibtex.escape_title("U.S.A.: A History") == "{U.S.A}.: A History"
    assert (
        bibtex.escape_title(r"The \textit {Big} {LLM} and \\{Odd}") == "The Big {{LLM}} and \\textbackslash{}\\{Odd\\}"
    )
    assert latex.command_before(r"x \emph  {", 9) and not latex.command_before("x emph {", 7)
    assert not latex.command_before("{", 0) and not latex.command_before(r"\\ {", 3)


def test_made_keys_of_many_namesakes_step_on_from_the_last_letter_given():
    """Each of 8,000 papers sharing a base key tried every letter from `a` again (quadratic: 11 s)."""
    papers = [make_paper(f"p{i}", title=f"Word{i} study", date=PaperDate(2024)) for i in range(30)]
    keys = citations.citation_keys(papers)
    assert sorted(keys.values()) == sorted(
        ["ji2024word", *(f"ji2024word{citations._letters(n)}" for n in range(1, 30))]
    )


@pytest.mark.parametrize(("pub_type", "tag"), [("conference", "C1"), ("journal", "CY"), ("book", "CY")])
def test_ris_puts_a_conference_papers_place_where_zotero_reads_it(pub_type, tag):
    """Zotero's RIS import reads a place from CY for every type but a conference paper, whose place is C1
    (zotero/translators RIS.js: CY `__exclude: ["conferencePaper"] // should be exported as C1`): a conference
    paper's `address` became a note."""
    record = ris.to_ris(make_paper(pub_type=pub_type, extra={"address": "Vienna, Austria"}))
    places = [line for line in record.splitlines() if line.endswith("- Vienna, Austria")]
    assert places == [f"{tag}  - Vienna, Austria"]


def test_a_family_name_in_braces_is_the_family_name_every_export_gives():
    """`Tito {Dal Canton}` (INSPIRE's `Dal Canton, Tito`), `Luis {Vázques de Parga}` and `{European Commission}`
    braced their family names as BibTeX keeps them, but the exports took the last word: `Canton, Tito Dal`,
    `de Parga, Luis Vázques`, `Commission, European`. The page shows the names without braces, as before."""
    from paperfolio import loader, metadata, schema
    from paperfolio.model import Settings

    text = (
        "---\ntitle: T\nauthors:\n- Tito {Dal Canton}\n"
        "- name: Luis {V{\\'a}zques de Parga}\n  orcid: 0000-0002-1825-0097\n"
        "- '{European Commission}'\n- Guido van Rossum\n- Jos{\\'e} Lacarra\ndate: 2020\ncategories: [cs.LG]\n---\n"
    )
    raw, problems = loader.parse(text, "x.md", "x")
    paper, problems = schema.validate(raw, Settings())
    assert problems == []
    names = ["Tito Dal Canton", "Luis Vázques de Parga", "European Commission", "Guido van Rossum", "José Lacarra"]
    assert [author.name for author in paper.authors] == names
    (entry,) = read_bibtex(bibtex.to_bibtex(paper, "k"))
    families = [" ".join(parse_single_name_into_parts(n).last) for n in split_multiple_persons_names(entry["author"])]
    assert families == ["Dal Canton", "{Vázques de Parga}", "{European Commission}", "Rossum", "Lacarra"]
    assert [line for line in ris.to_ris(paper).splitlines() if line.startswith("AU")] == [
        "AU  - Dal Canton, Tito",
        "AU  - Vázques de Parga, Luis",
        "AU  - European Commission",
        "AU  - van Rossum, Guido",
        "AU  - Lacarra, José",
    ]
    assert csl.to_csl(paper, "k")["author"][:3] == [
        {"family": "Dal Canton", "given": "Tito"},
        {"family": "Vázques de Parga", "given": "Luis"},
        {"literal": "European Commission"},
    ]
    written = [metadata.scholar_name(citations.cited_name(author)) for author in paper.authors]
    assert written == ["Dal Canton, Tito", "Vázques de Parga, Luis", "European Commission", "van Rossum, Guido",
                       "José Lacarra"]  # fmt: skip


def test_a_name_written_family_first_with_braced_given_names_keeps_its_family():
    """`Smith, {John Paul}` braces its given names, not its family (BibTeX's `Family, Given` form): the braced
    group at its end was taken for the family, and every export wrote `John Paul, Smith,`."""
    from paperfolio import loader, metadata, schema
    from paperfolio.model import Settings

    text = "---\ntitle: T\nauthors:\n- Smith, {John Paul}\n- Lee, Ann\ndate: 2020\ncategories: [cs.LG]\n---\n"
    raw, _ = loader.parse(text, "x.md", "x")
    paper, problems = schema.validate(raw, Settings())
    assert problems == []
    assert [line for line in ris.to_ris(paper).splitlines() if line.startswith("AU")] == [
        "AU  - Smith, John Paul",
        "AU  - Lee, Ann",
    ]
    assert bibtex.format_authors(paper) == "Smith, John Paul and Lee, Ann"
    assert csl.to_csl(paper, "k")["author"][0] == {"family": "Smith", "given": "John Paul"}
    assert metadata.scholar_name(citations.cited_name(paper.authors[0])) == "Smith, John Paul"


@pytest.mark.parametrize(
    "math",
    [
        r"$\input{/etc/passwd}$",  # reads a file of whoever compiles the citation into their document
        r"$\immediate\write18{touch pwned}$",  # runs a program where shell escape is on
        r"$\text{\openout1=main.tex}$",  # latex2mathml copies \text verbatim, so the page drew it
        r"$\csname input\endcsname{x}$",
        r"$^^5cinput{x}$",  # TeX reads ^^5c as a backslash
        r"$\def\alpha{\input{x}}\alpha$",
    ],
)
def test_a_title_formula_with_commands_beyond_math_is_exported_as_text(math):
    """A title's `$…$` goes into the BibTeX as written, for LaTeX to draw when the paper is cited: one with a
    command that reads or writes a file, runs a program or defines a command ran it in the citing document.
    Only symbols, functions, fonts and structures are kept as math; anything else is escaped text."""
    exported = bibtex.escape_title(f"A {math} B")
    assert "$" not in exported and "^^" not in exported
    assert not re.search(r"\\(?!text[a-z]*\{\}|[{}$&%#_])[A-Za-z]", exported.replace("\\textbackslash{}", "")), exported


@pytest.mark.parametrize(
    "math", [r"$\alpha \leq \frac{1}{2}$", r"$\mathcal{O}(n \log n)$", r"$\text{KL}(p \| q)$", r"$\sqrt[3]{x^2}$"]
)
def test_a_title_formula_of_math_alone_is_kept(math):
    assert bibtex.escape_title(f"A {math} B") == f"A {{{math}}} B"
