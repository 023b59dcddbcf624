"""BibTeX import: a realistic .bib becomes valid paper files, and exporting them gives the same papers back."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import bibtexparser
import pytest
import yaml
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

from paperfolio import bibtex, citations, csl, ris
from paperfolio.bibimport import decode, import_bib, make_slug, render_file, resolve_value
from paperfolio.model import Settings

FIXTURE = Path(__file__).parent / "fixtures" / "bib" / "portfolio.bib"
CREATED = [
    "ji2023beavertails",
    "gao2024accents",
    "dai2023saferlhf",
    "yang2023baichuan",
    "math2024title",
    "pan2024crossref",
    "wu2024workshop",
    "dai2025thesis",
]


def read_front(path: Path) -> tuple[dict, str]:
    """Return the YAML front matter and body of a written paper file."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    front, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(front), body


def load_paper(path: Path):
    """Return the `Paper` the site's own loader and schema make of a written file."""
    from paperfolio import loader, schema

    raw, problems = loader.parse(path.read_text(encoding="utf-8"), path.name, path.stem)
    assert problems == []
    paper, problems = schema.validate(raw, Settings())
    assert problems == [], [p.format() for p in problems]
    return paper


def import_cleanly(tmp_path: Path, text: str, **options) -> Path:
    """Import `text` as a .bib file, check that every entry imported without a warning, return the folder."""
    bib = tmp_path / "refs.bib"
    bib.write_text(text, encoding="utf-8")
    report = import_bib(bib, tmp_path / "papers", **options)
    assert report.failed == [] and report.warnings == []
    return tmp_path / "papers"


@pytest.fixture
def imported(tmp_path):
    """Import the fixture into an empty papers folder."""
    return import_bib(FIXTURE, tmp_path / "papers"), tmp_path / "papers"


def test_every_readable_entry_becomes_one_file(imported):
    report, papers = imported
    assert [p.stem for p in report.created] == CREATED
    assert sorted(p.name for p in papers.iterdir()) == sorted(f"{s}.md" for s in CREATED)
    assert not report.read_nothing


def test_bad_entries_are_reported_with_their_lines_and_never_stop_the_others(imported):
    report, _ = imported
    assert report.failed == [
        ("broken2022", 96, "could not be parsed: Unexpected block start: `@misc`. "
         "Was still looking for field-value closing `}`"),
        ("ji2023beavertails", 106, "duplicate key; the entry at line 12 is the one imported"),
        ("notitle2021", 101, "missing `title`"),
    ]  # fmt: skip
    assert report.skipped == [("acl2024", "a proceedings volume, not a paper (its papers may crossref it)")]
    messages = [p.format() for p in report.problems("refs.bib")]
    assert messages[0] == (
        "refs.bib:96: error: entry `broken2022`: could not be parsed: Unexpected block start: `@misc`. "
        "Was still looking for field-value closing `}`"
    )
    assert messages[1] == "refs.bib:101: error: entry `notitle2021`: missing `title`"


def test_macros_months_arxiv_keywords_and_abstract(imported):
    _, papers = imported
    front, body = read_front(papers / "ji2023beavertails.md")
    assert front["title"] == "BeaverTails: Towards Improved Safety Alignment of LLM via a Human-Preference Dataset"
    assert front["venue"] == "Advances in Neural Information Processing Systems 36 (Datasets and Benchmarks Track)"
    assert (front["date"], front["categories"], front["pub_type"]) == ("2023-12", ["cs.CL"], "conference")
    assert front["links"] == {"arxiv": "2307.04657", "project": "https://sites.google.com/view/pku-beavertails"}
    assert front["tags"] == ["safety", "alignment", "dataset"]
    assert "harmlessness by 20% over the baseline.\n\nA second paragraph, with $\\mathcal{O}(n)$ math." in body


def test_accents_string_macro_and_doi_url(imported):
    _, papers = imported
    front, _ = read_front(papers / "gao2024accents.md")
    assert front["title"] == "Schödinger's Reward: Étude of RLHF in the Wild"
    assert front["authors"] == [
        "Jörg Müller",
        "Anaïs François",
        "Gabriel {García Márquez}",  # the family the entry names, braced so that every export keeps it whole
        "Jan Łukasiewicz",
        "Antonín Dvořák",
        "Pieter van der Berg",
    ]
    assert front["venue"] == "IEEE Transactions on Pattern Analysis and Machine Intelligence"
    assert (front["date"], front["pub_type"], front["links"]) == (
        "2024-03",
        "journal",
        {"doi": "10.1109/TPAMI.2024.0001"},
    )
    assert front["categories"] == ["cs.LG"]  # no primaryClass: the default


def test_others_short_category_and_google_scholar_arxiv_journal(imported):
    _, papers = imported
    saferlhf, _ = read_front(papers / "dai2023saferlhf.md")
    assert saferlhf["authors"][-1] == "others" and saferlhf["categories"] == ["cs.CL"]
    assert saferlhf["links"] == {"arxiv": "2310.12773"} and saferlhf["date"] == 2023
    baichuan, _ = read_front(papers / "yang2023baichuan.md")
    assert (baichuan["pub_type"], baichuan["links"], "venue" in baichuan) == (
        "preprint",
        {"arxiv": "2309.10305"},
        False,
    )


def test_math_nested_braces_numeric_month_and_pdf(imported):
    _, papers = imported
    front, _ = read_front(papers / "math2024title.md")
    assert (  # `{{Nested}}` protects the word from sentence case: its braces stay (`{A}` after `: ` needs none)
        front["title"]
        == r"Provably Efficient $\epsilon$-Greedy Exploration with $O(\sqrt{T})$ Regret: A {Nested} Analysis"
    )
    assert front["authors"] == ["Boyuan Chen", "John Smith Jr."]
    assert front["date"] == "2024-07"
    assert front["links"] == {"pdf": "https://proceedings.mlr.press/v235/chen24a/chen24a.pdf"}


def test_crossref_workshop_full_date_and_yaml_hostile_title(imported):
    _, papers = imported
    aligner, _ = read_front(papers / "pan2024crossref.md")
    assert aligner["venue"] == "Annual Meeting of the Association for Computational Linguistics (Volume 1: Long Papers)"
    assert aligner["date"] == "2024-08" and aligner["links"] == {"code": "https://github.com/PKU-Alignment/aligner"}
    workshop, _ = read_front(papers / "wu2024workshop.md")
    assert workshop["date"] == datetime.date(2024, 5, 11) and workshop["pub_type"] == "workshop"
    assert workshop["title"] == "Reward Hacking: A Case Study & 100% Reproducible Failures"
    thesis, _ = read_front(papers / "dai2025thesis.md")
    assert thesis["title"] == "@Home: Notes on Alignment: #1 – Theory"
    assert (thesis["pub_type"], thesis["venue"]) == ("thesis", "Peking University")


def display_names(author_field: str) -> list[str]:
    """Return a BibTeX author list as display names, read by bibtexparser's BibTeX name rules."""
    names = []
    for person in split_multiple_persons_names(author_field):
        parts = parse_single_name_into_parts(person)
        names.append(" ".join(decode(w) for w in (*parts.first, *parts.von, *parts.last, *parts.jr)))
    return names


def test_written_files_pass_the_site_schema_and_export_back_the_same_papers(imported):
    report, _ = imported
    papers = [load_paper(path) for path in report.created]
    keys = citations.citation_keys(papers)
    exported = bibtexparser.parse_string(bibtex.bibtex_file(papers, keys))
    assert exported.failed_blocks == []
    entries = {entry.key: entry for entry in exported.entries}
    originals = {entry.key: entry for entry in bibtexparser.parse_file(str(FIXTURE)).entries}
    for paper in papers:
        entry, original = entries[keys[paper.slug]], originals[paper.slug]
        assert keys[paper.slug] == original.key  # kept (`key:`): every \cite of the old key still finds it
        assert decode(entry["title"]) == decode(resolve_value("{" + original["title"] + "}", {}))
        assert display_names(entry["author"]) == display_names(original["author"])
        year = original["year"] if "year" in original else "2024"  # noqa: SIM401 - Entry.get returns a Field
        assert entry["year"] == str(paper.date.year) == year
        item = csl.to_csl(paper, keys[paper.slug])
        assert item["issued"]["date-parts"][0][0] == paper.date.year
        assert len(item["author"]) == len(paper.authors) == ris.to_ris(paper).count("AU  - ")


def test_existing_files_are_kept_unless_overwrite(tmp_path):
    papers = tmp_path / "papers"
    first = import_bib(FIXTURE, papers)
    (papers / "dai2023saferlhf.md").write_text("hand-edited\n", encoding="utf-8")
    again = import_bib(FIXTURE, papers)
    assert again.created == [] and not again.read_nothing
    assert (
        "dai2023saferlhf",
        f"{papers / 'dai2023saferlhf.md'} exists (use --overwrite to replace it)",
    ) in again.skipped
    assert (papers / "dai2023saferlhf.md").read_text(encoding="utf-8") == "hand-edited\n"
    forced = import_bib(FIXTURE, papers, overwrite=True)
    assert forced.created == first.created
    assert (papers / "dai2023saferlhf.md").read_text(encoding="utf-8").startswith("---\n")
    assert not list(papers.glob(".*.tmp"))


def test_import_is_deterministic(tmp_path):
    import_bib(FIXTURE, tmp_path / "one")
    shutil.copy(FIXTURE, tmp_path / "portfolio.bib")
    import_bib(tmp_path / "portfolio.bib", tmp_path / "two")
    for path in (tmp_path / "one").iterdir():
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes()


@pytest.mark.parametrize(
    "text",
    ["", "% only a comment\n@comment{nothing}\n", "@article{x, title = {No end}\n", b"@misc{k, title={\xff}}"],
)
def test_a_file_with_no_readable_entry_reads_nothing(tmp_path, text):
    bib = tmp_path / "refs.bib"
    bib.write_bytes(text if isinstance(text, bytes) else text.encode())
    report = import_bib(bib, tmp_path / "papers")
    assert report.read_nothing and report.created == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_utf16_bib_file_with_its_byte_order_mark_is_read(tmp_path, encoding):
    """Some Windows tools export UTF-16; with its byte-order mark the encoding is certain, so it is read."""
    bib = tmp_path / "refs.bib"
    bom = b"\xfe\xff" if encoding == "utf-16-be" else b""
    bib.write_bytes(bom + "@article{u, title={Über Größe}, author={Müller, Jürgen}, year=2023}\n".encode(encoding))
    report = import_bib(bib, tmp_path / "papers")
    assert report.failed == [] and [p.name for p in report.created] == ["u.md"]
    text = (tmp_path / "papers" / "u.md").read_text("utf-8")
    assert "title: Über Größe\n" in text and "- Jürgen Müller\n" in text


def test_invalid_utf8_is_located(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_bytes(b"@misc{a, title={ok}, author={A B}, year=2020}\n\n@misc{b, title={caf\xe9}}\n")
    report = import_bib(bib, tmp_path / "papers")
    why = (
        "file is not valid UTF-8 (byte 0xE9 at column 20): save it as UTF-8 (an older tool may have written"
        " Latin-1: iconv -f latin1 -t utf-8 refs.bib > utf8.bib)"
    )
    assert report.failed == [("?", 3, why)] and report.read_nothing
    assert [p.format() for p in report.problems("refs.bib")] == [f"refs.bib:3: error: {why}"]


def test_unknown_primary_class_and_bad_values_warn_and_fall_back(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@misc{k1,\n  title = {T},\n  author = {A B},\n  year = 2020,\n  month = {Smarch},\n"
        "  primaryClass = {hep-xx},\n  doi = {not-a-doi},\n  url = {ftp://example.org/x},\n}\n",
        encoding="utf-8",
    )
    report = import_bib(bib, tmp_path / "papers", default_category="CL")
    front, _ = read_front(report.created[0])
    assert front["categories"] == ["cs.CL"] and front["date"] == 2020 and "links" not in front
    assert [why for _, line, why in report.warnings if line == 1] == [
        "month 'smarch' is not a month; only the year is kept",
        "primaryClass 'hep-xx' is not an arXiv category this site knows; using cs.CL",
        "'ftp://example.org/x' is not an http(s) URL and was left out",
        "doi 'not-a-doi' is not a DOI (10.xxxx/…) and was left out",
    ]


def test_resolve_value_joins_concatenations_and_keeps_braces_inside():
    strings = {"conf": "Proceedings of X"}
    assert resolve_value('conf # " 2024" # {, {Vol} 1}', strings) == "Proceedings of X 2024, {Vol} 1"
    assert resolve_value("{a # b}", strings) == "a # b"
    assert resolve_value("2024", strings) == "2024"


def test_yaml_round_trips_titles_that_look_like_yaml():
    for title in ["@at: start", "# hash", "key: value", "- dash", "'quoted'", "yes", "2024-01-01", "a\\b $x$"]:
        text = render_file({"title": title, "date": 2024}, "", "refs.bib, entry `k` (line 1)")
        front, _, _ = text[4:].partition("\n---\n")
        assert yaml.safe_load(front)["title"] == title


def test_slug_comes_from_a_plain_key_else_from_the_title():
    assert make_slug("ji2023beavertails", "Whatever") == "ji2023beavertails"
    assert make_slug("DBLP:conf/nips/JiLDPZ23", "BeaverTails: Towards Safety") == "beavertails-towards-safety"
    assert make_slug("Mueller_2020", "x") == "mueller-2020"
    assert make_slug("Müller:2020", "Über Alles") == "uber-alles"


def test_hostile_entries_are_refused_at_their_lines_and_the_others_imported(tmp_path):
    """Found by trying hostile .bib files: @string macros that double forty times over expanded without
    end (the process was killed for its memory), 5,000 nested braces raised RecursionError in pylatexenc,
    and a NUL in a title was written into a file the build then refused."""
    bomb = '@string{s0 = "xxxxxxxxxx"}\n' + "".join(f"@string{{s{i} = s{i - 1} # s{i - 1}}}\n" for i in range(1, 40))
    bib = tmp_path / "refs.bib"
    bib.write_text(
        bomb
        + "@misc{bomb, title = s39, author = {A B}, year = 2020}\n"
        + "@misc{deep, title = {" + "{" * 5000 + "x" + "}" * 5000 + "}, author = {A B}, year = 2020}\n"
        + "@misc{nul, title = {T\x00}, author = {A B}, year = 2020}\n"
        + "@misc{fine, title = {Fine}, author = {A B}, year = 2020}\n",
        encoding="utf-8",
    )  # fmt: skip
    report = import_bib(bib, tmp_path / "papers")
    assert [p.stem for p in report.created] == ["fine"]
    failed = {key: (line, why) for key, line, why in report.failed}
    assert failed["bomb"] == (41, "@string `s39` could not be expanded")
    assert failed["deep"] == (42, "braces nest more than 100 deep")
    assert failed["nul"] == (43, "`title` contains the control character U+0000")
    first_too_long = min(line for key, line, why in report.failed if why.startswith("a value is longer than"))
    assert 10 * 2 ** (first_too_long - 1) > 100_000 >= 10 * 2 ** (first_too_long - 2)  # s_i holds 10 * 2**i


def test_an_inspire_entry_gets_its_category_from_its_old_arxiv_id(tmp_path):
    """INSPIRE-HEP writes `eprint = "hep-th/9711200"` without `primaryClass` for papers before 2007: the
    archive in the ID is the category (it was cs.LG, the default); a new-style ID without one keeps it."""
    bib = tmp_path / "refs.bib"
    bib.write_text(
        '@article{Maldacena:1997re, author = "Maldacena, Juan Martin", title = "{The Large $N$ limit}",'
        ' eprint = "hep-th/9711200", archivePrefix = "arXiv", year = "1998"}\n'
        '@article{old:math, author = "Doe, Jane", title = "A Sheaf", eprint = "math.AG/0601001", year = "2006"}\n'
        '@article{old:chaos, author = "Doe, Jane", title = "Chaos", eprint = "chao-dyn/9301001", year = "1993"}\n'
        '@article{ATLAS:2012yve, author = "Aad, Georges and others", title = "{Observation of a new particle}",'
        ' eprint = "1207.7214", archivePrefix = "arXiv", primaryClass = "hep-ex", year = "2012"}\n'
        '@article{new:none, author = "Doe, Jane", title = "No Class", eprint = "2101.00001", year = "2021"}\n',
        encoding="utf-8",
    )
    report = import_bib(bib, tmp_path / "papers", default_category="cs.CL")
    found = {path.stem: read_front(path)[0] for path in report.created}
    assert {stem: front["categories"] for stem, front in found.items()} == {
        "the-large-n-limit": ["hep-th"],
        "a-sheaf": ["math.AG"],
        "chaos": ["nlin.CD"],
        "observation-of-a-new-particle": ["hep-ex"],
        "no-class": ["cs.CL"],
    }
    assert found["the-large-n-limit"]["links"]["arxiv"] == "hep-th/9711200"
    assert found["observation-of-a-new-particle"]["authors"] == ["Georges Aad", "others"]  # `others` last: et al.


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("The {\\TeX}book", "The TeXbook"),  # pylatexenc dropped the logos: "The book"
        ("\\BibTeX and \\LaTeX{} tools", "BibTeX and LaTeX tools"),
        ("Fine-tuning \\texttt{BERT} in a \\mbox{GPT-2} world", "Fine-tuning BERT in a GPT-2 world"),  # were dropped
        ("The 5\\textsuperscript{th} {\\em new} {\\sc Method}", "The 5th new Method"),
        ("Safety, helpfulness & honesty: 100% of $a & b$", "Safety, helpfulness & honesty: 100% of $a & b$"),
        ("\\InterMT: a \\method{} for \\unknown{arg}", "\\InterMT: a \\method{} for \\unknown{arg}"),  # kept, so warned
        ("See \\href{https://example.org/}{our site}", "See our site <https://example.org/>"),  # was an IndexError
        ("A bare \\url", "A bare \\url"),  # was "A bare <%s>", pylatexenc's format, and a logged warning
        ("{\\relax Ab}, C.", "Ab, C."),  # a name's sort trick; was "\\relax Ab, C."
        ("{\\noopsort{1973b}}Knuth \\noindent A\\xspace{} B", "Knuth A B"),  # BibTeX's own sort trick: nothing
    ],
)
def test_latex_is_decoded_without_losing_text(latex, text):
    assert decode(latex) == text


def test_a_dblp_entry_keeps_its_escaped_url_and_a_bad_latex_value_fails_alone(tmp_path):
    """DBLP writes `paper\\_files` in `url`; the address was refused as not http(s). A value pylatexenc cannot
    read fails its entry at its line instead of stopping the import with a traceback."""
    papers = import_cleanly(
        tmp_path,
        "@inproceedings{DBLP:conf/nips/Ji23, author = {Jiaming Ji}, title = {Beaver\\_Tails}, year = {2023},\n"
        "  booktitle = {NeurIPS}, doi = {10.5555/3666122.3668\\_x},\n"
        "  url = {http://papers.nips.cc/paper\\_files/paper/2023/hash/4dbb-Abstract-Datasets\\_and\\_Benchmarks.html}}\n"
        "@misc{ok, author = {Doe, Jane}, title = {Fine}, year = 2020}\n",
    )
    front = read_front(papers / "beaver-tails.md")[0]
    assert front["title"] == "Beaver_Tails"
    assert front["links"] == {"doi": "10.5555/3666122.3668_x"}
    assert front["extra"] == {
        "url": "http://papers.nips.cc/paper_files/paper/2023/hash/4dbb-Abstract-Datasets_and_Benchmarks.html"
    }  # the proceedings' page: no project page (`test_a_publisher_page_is_no_project_page`)


def test_latex_pylatexenc_cannot_read_fails_its_entry_only(tmp_path, monkeypatch):
    from paperfolio import bibimport

    def broken(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(bibimport._DECODER, "latex_to_text", broken)
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{a, author = {Doe, Jane}, title = {Odd}, year = 2020}\n", encoding="utf-8")
    report = import_bib(bib, tmp_path / "papers")
    assert report.failed == [("a", 1, "LaTeX that could not be read (IndexError: list index out of range)")]


def test_a_zotero_biblatex_export_gives_venue_and_categories_from_arxiv_subjects(tmp_path):
    """Zotero's biblatex export names the journal `journaltitle`, the arXiv class `eprintclass` (often just the
    archive, `cs`), and arXiv's subjects as keywords ("Computer Science - Computation and Language"): those are
    the categories (they were tags, and the paper got the default category), in the order written."""
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{ji2024aligner, title = {Aligner}, author = {Ji, Jiaming}, date = {2024-02-04},\n"
        "  journaltitle = {Advances in Neural Information Processing Systems}, eprint = {2402.02416},\n"
        "  eprinttype = {arxiv}, eprintclass = {cs},\n"
        "  keywords = {Computer Science - Computation and Language, Computer Science - Distributed, Parallel, and"
        " Cluster Computing, alignment, Statistics - Machine Learning}}\n"
        "@misc{phys, title = {Qubits}, author = {Doe, Jane}, year = 2021, eprint = {2101.00001},\n"
        "  primaryClass = {quant-ph}, keywords = {Mathematical Physics; Mathematics - Mathematical Physics;"
        " Quantum Physics}}\n"
        "@misc{none, title = {Plain}, author = {Doe, Jane}, year = 2021, keywords = {Computer Science - Roboticsx}}\n",
        encoding="utf-8",
    )
    report = import_bib(bib, tmp_path / "papers", default_category="cs.AI")
    assert report.failed == [] and report.warnings == []
    aligner = read_front(tmp_path / "papers" / "ji2024aligner.md")[0]
    assert aligner["venue"] == "Advances in Neural Information Processing Systems"
    assert aligner["categories"] == ["cs.CL", "cs.DC", "stat.ML"]
    assert aligner["tags"] == ["alignment"]
    phys = read_front(tmp_path / "papers" / "phys.md")[0]
    assert phys["categories"] == ["quant-ph", "math-ph", "math.MP"]  # primaryClass first
    assert "tags" not in phys
    plain = read_front(tmp_path / "papers" / "none.md")[0]
    assert plain["categories"] == ["cs.AI"] and plain["tags"] == ["Computer Science - Roboticsx"]


def test_an_al_folio_bibliography_keeps_its_links_award_and_selection(tmp_path):
    """al-folio's papers.bib names links by field (`arxiv`, `html`, `slides`, `poster`…), keeps PDFs in
    assets/pdf/ by file name, and marks home-page papers `selected`: all of it was dropped but `code`."""
    papers = import_cleanly(
        tmp_path,
        "@inproceedings{ji2024aligner, abbr={NeurIPS}, bibtex_show={true},\n"
        "  title={Aligner}, author={Ji, Jiaming}, booktitle={NeurIPS}, year={2024},\n"
        "  arxiv={2402.02416}, html={https://pku-aligner.github.io/}, pdf={aligner.pdf},\n"
        "  code={https://github.com/PKU-Alignment/aligner}, slides={aligner-slides.pdf},\n"
        "  poster={https://example.org/poster.png}, video={https://www.youtube.com/watch?v=x},\n"
        "  blog={https://example.org/blog}, website={https://example.org/other}, selected={true},\n"
        "  award={Oral}, preview={aligner.png}, dimensions={true}}\n",
    )
    front = read_front(papers / "ji2024aligner.md")[0]
    assert front["links"] == {
        "arxiv": "2402.02416",
        "pdf": "/assets/pdf/aligner.pdf",
        "code": "https://github.com/PKU-Alignment/aligner",
        "project": "https://pku-aligner.github.io/",
        "slides": "/assets/pdf/aligner-slides.pdf",
        "video": "https://www.youtube.com/watch?v=x",
        "poster": "https://example.org/poster.png",
        "blog": "https://example.org/blog",
    }
    assert front["award"] == "Oral" and front["featured"] is True
    assert list(front["links"]) == ["arxiv", "pdf", "code", "project", "slides", "video", "poster", "blog"]
    load_paper(papers / "ji2024aligner.md")  # the site's own schema takes the file


def test_an_article_in_a_conference_is_a_conference_paper(tmp_path: Path):
    """Google Scholar exports a NeurIPS paper as `@article` with journal = {Advances in neural information
    processing systems}: it was listed among journal articles and exported as one."""
    papers = import_cleanly(
        tmp_path,
        "@article{ji2024aligner, title = {Aligner}, author = {Ji, Jiaming}, year = {2024},\n"
        "  journal = {Advances in neural information processing systems}, volume = {37}}\n"
        "@article{x2020journal, title = {A Survey}, author = {X, Y}, year = {2020},\n"
        "  journal = {Proceedings of the IEEE}, volume = {108}}\n",
    )
    assert read_front(papers / "ji2024aligner.md")[0]["pub_type"] == "conference"
    assert read_front(papers / "x2020journal.md")[0]["pub_type"] == "journal"


def test_accents_written_without_braces_make_one_letter_in_names_titles_and_venues(tmp_path):
    """bibtexparser split a name at the `~` of `\\~` and at the space of `\\c c`: `Pe\\~na` was "Pe na" and
    `Nguy\\~{\\^e}n, V{\\u{a}}n` "Văn Nguy ên". A bare `~` is still a tie between two words."""
    papers = import_cleanly(
        tmp_path,
        "@misc{accents, title = {Pe\\~na's \\\"Uber \\'Ecole \\u{a} \\v c}, year = 2020,\n"
        "  author = {Pe\\~na, Juan and Nguy\\~{\\^e}n, V{\\u{a}}n and Nguy{\\~{\\^e}}n, V{\\u{a}}n and Juan Pe\\~na\n"
        "    and \\c Cetin, Ay\\c{s}e and Erd\\H os, Paul and Gr\\o nbech, \\L ukasz and Ji\\v{r}\\'i Matou\\v s{}ek\n"
        "    and \\.{Z}\\r{a}\\={o}, X and Wei~Li and Ana Pe\\~{n}a-L\\'opez},\n"
        "  booktitle = {Conf\\'erence \\`a Bogot\\'a, Espa\\~na}}\n",
    )
    front = read_front(papers / "accents.md")[0]
    assert front["authors"] == [
        "Juan Peña", "Văn Nguyễn", "Văn Nguyễn", "Juan Peña", "Ayşe Çetin", "Paul Erdős", "Łukasz Grønbech",
        "Jiří Matoušek", "X Żåō", "Wei Li", "Ana Peña-López",
    ]  # fmt: skip
    assert front["title"] == "Peña's Über École ă č"
    assert front["venue"] == "Conférence à Bogotá, España"


def test_an_entry_without_a_year_is_dated_by_its_date_or_arxiv_id_else_refused_with_a_hint(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@misc{noyear, author = {Doe, Jane}, title = {No year}}\n"
        "@misc{badyear, author = {Doe, Jane}, title = {Bad year}, year = {in press}}\n"
        "@misc{dated, author = {Doe, Jane}, title = {Dated}, date = {2024-05-01}}\n"
        "@misc{eprint, author = {Doe, Jane}, title = {Eprint}, eprint = {2405.01234}, archivePrefix = {arXiv}}\n"
        "@misc{old, author = {Doe, Jane}, title = {Old}, eprint = {hep-th/9711200}}\n"
        "@misc{url, author = {Doe, Jane}, title = {Url}, url = {https://arxiv.org/abs/0704.0001v2}}\n"
        "@misc{notarxiv, author = {Doe, Jane}, title = {Not arXiv}, eprint = {2405.01234}, eprinttype = {hal}}\n",
        encoding="utf-8",
    )
    report = import_bib(bib, tmp_path / "papers")
    hint = "add the year it appeared to the entry (`year = {YYYY}`, or biblatex's `date = {YYYY-MM-DD}`)"
    assert report.failed == [
        ("noyear", 1, f"missing `year`: {hint}"),
        ("badyear", 2, f"`year` must be a four-digit year, got 'in press': {hint}"),
        ("notarxiv", 7, f"missing `year`: {hint}"),
    ]
    dates = {p.stem: read_front(p)[0]["date"] for p in report.created}
    assert dates == {"dated": datetime.date(2024, 5, 1), "eprint": "2024-05", "old": "1997-11", "url": "2007-04"}


def test_a_publisher_page_is_no_project_page(tmp_path):
    """DBLP's `url` (PMLR's page for an ICML paper) was imported as the `project` link. A DBLP entry's `url`, or
    one on a proceedings' or publisher's host, is kept under `extra` unless it is a PDF, DOI, arXiv or code."""
    dblp = (
        "  biburl = {https://dblp.org/rec/conf/icml/Smith22.bib},\n"
        "  bibsource = {dblp computer science bibliography, https://dblp.org}}\n"
    )
    papers = import_cleanly(
        tmp_path,
        "@inproceedings{DBLP:conf/icml/Smith22, author = {Smith, A.}, title = {Page}, year = 2022,\n"
        "  url = {https://proceedings.mlr.press/v162/smith22a.html},\n"
        + dblp
        + "@inproceedings{dblppdf, author = {Smith, A.}, title = {Pdf}, year = 2022,\n"
        "  url = {https://proceedings.mlr.press/v162/smith22a/smith22a.pdf},\n"
        + dblp
        + "@inproceedings{dblpdoi, author = {Smith, A.}, title = {Doi}, year = 2022,\n"
        "  url = {https://doi.org/10.18653/v1/2023.acl-long.1},\n"
        + dblp
        + "@inproceedings{acl, author = {Smith, A.}, title = {Anthology}, year = 2023,\n"
        "  url = {https://aclanthology.org/2023.acl-long.1}, doi = {10.18653/v1/2023.acl-long.1}}\n"
        "@misc{own, author = {Smith, A.}, title = {Own}, year = 2023, url = {https://example.org/own/}}\n",
    )
    fronts = {p.stem: read_front(p)[0] for p in papers.iterdir()}
    page = fronts["page"]
    assert "links" not in page and page["extra"] == {"url": "https://proceedings.mlr.press/v162/smith22a.html"}
    assert fronts["dblppdf"]["links"] == {"pdf": "https://proceedings.mlr.press/v162/smith22a/smith22a.pdf"}
    assert fronts["dblpdoi"]["links"] == {"doi": "https://doi.org/10.18653/v1/2023.acl-long.1"}
    assert fronts["acl"]["links"] == {"doi": "10.18653/v1/2023.acl-long.1"}
    assert fronts["acl"]["extra"] == {"url": "https://aclanthology.org/2023.acl-long.1"}
    assert fronts["own"]["links"] == {"project": "https://example.org/own/"} and "extra" not in fronts["own"]
    for path in papers.iterdir():
        load_paper(path)  # `extra` is the schema's free mapping: every file validates


def test_a_dblp_venue_is_kept_as_written_and_lists_under_its_conference(tmp_path):
    from paperfolio import groups

    papers = import_cleanly(
        tmp_path,
        "@inproceedings{icml, author = {Smith, A.}, title = {T}, year = 2022, booktitle = {International Conference\n"
        "  on Machine Learning, {ICML} 2022, 17-23 July 2022, Baltimore, Maryland, {USA}}}\n",
    )
    venue = read_front(papers / "icml.md")[0]["venue"]
    assert venue == "International Conference on Machine Learning, ICML 2022, 17-23 July 2022, Baltimore, Maryland, USA"
    assert groups.venue_series(venue) == "International Conference on Machine Learning ICML"  # was "… ICML - July …"


def test_volume_pages_number_and_publisher_are_kept_under_extra(tmp_path):
    """They were dropped: a paper has no such fields, but `extra:` is the schema's free mapping."""
    papers = import_cleanly(
        tmp_path,
        "@string{pmlr = {Proceedings of Machine Learning Research}}\n"
        "@inproceedings{kept, author = {Smith, A.}, title = {Kept}, year = 2022, booktitle = {ICML},\n"
        "  series = pmlr, volume = {162}, number = { 3 }, pages = {1--20}, publisher = {{PMLR}},\n"
        '  address = {M{\\"u}nchen}, isbn = {978-1-71-387135-4}, note = {Oral}, url = {https://proceedings.mlr.press/x.html}}\n'
        "@article{none, author = {Smith, A.}, title = {None}, year = 2022, journal = {Nature}}\n",
    )
    front = read_front(papers / "kept.md")[0]
    assert front["extra"] == {
        "volume": "162", "number": "3", "pages": "1--20", "publisher": "PMLR",
        "series": "Proceedings of Machine Learning Research", "address": "München", "isbn": "978-1-71-387135-4",
        "note": "Oral", "url": "https://proceedings.mlr.press/x.html",
    }  # fmt: skip
    assert "volume: '162'" in (papers / "kept.md").read_text(encoding="utf-8")  # text, as written, not a number
    assert "extra" not in read_front(papers / "none.md")[0]
    assert load_paper(papers / "kept.md").extra == front["extra"]


def test_equal_contribution_and_corresponding_marks_become_fields(tmp_path):
    """al-folio marks co-first authors `Jonas*` or `Wei\\textsuperscript{*}`: imported as `Jonas* Müller`, one
    person split in two across papers, and the owner's own marked name not highlighted."""
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@inproceedings{m2023x, title = {X}, year = 2023, booktitle = {ACL 2023},\n"
        '  author = {M{\\"u}ller, Jonas* and Zhang, Wei\\textsuperscript{*} and Doe, John$^*$ and'
        " Roe, Rick\\textsuperscript{\\dag} and B, Al$^\\ast$ and Q, Zoe$^{1*}$ and Plain, Pat and others}}\n",
        "utf-8",
    )
    report = import_bib(bib, tmp_path / "papers")
    front, _ = read_front(report.created[0])
    assert front["authors"] == [
        {"name": "Jonas Müller", "equal_contribution": True},
        {"name": "Wei Zhang", "equal_contribution": True},
        {"name": "John Doe", "equal_contribution": True},
        {"name": "Rick Roe", "corresponding": True},
        {"name": "Al B", "equal_contribution": True},  # `\\ast` is the mark spelt out
        {"name": "Zoe Q", "equal_contribution": True},  # an affiliation's number with it goes too
        "Pat Plain",
        "others",
    ]
    paper = load_paper(report.created[0])
    assert [(a.name, a.equal_contribution, a.corresponding) for a in paper.authors][:4] == [
        ("Jonas Müller", True, False),
        ("Wei Zhang", True, False),
        ("John Doe", True, False),
        ("Rick Roe", False, True),
    ]


def test_al_folio_award_badge_abbr_and_notes_are_kept(tmp_path):
    """al-folio's `award_name` is the badge and `award` the text under it (`true` in some forks): `true` was
    shown as the award and written to BibTeX's note; `abbr` and `additional_info` were dropped unreported."""
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@inproceedings{a2023, title = {A}, author = {Lovelace, Ada}, year = 2023, booktitle = {ACL 2023},\n"
        "  abbr = {ACL}, award = {Chosen among 4,000 papers.}, award_name = {Best Paper},\n"
        "  additional_info = {. Oral}}\n"
        "@inproceedings{b2023, title = {B}, author = {Lovelace, Ada}, year = 2023, booktitle = {ACL 2023},\n"
        "  award = {true}}\n",
        "utf-8",
    )
    report = import_bib(bib, tmp_path / "papers")
    (a, _), (b, _) = (read_front(path) for path in report.created)
    assert a["award"] == "Best Paper"
    assert a["extra"] == {"abbr": "ACL", "additional_info": ". Oral", "award_text": "Chosen among 4,000 papers."}
    assert "award" not in b


def test_a_key_that_cannot_be_kept_is_said(tmp_path):
    """`ünicode2024` or a 115-character key was left out of `key:` without a word: its \\cite broke unseen."""
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{ünicode2024, title = {A}, author = {Lovelace, Ada}, year = 2024}\n", "utf-8")
    report = import_bib(bib, tmp_path / "papers")
    assert "key" not in read_front(report.created[0])[0]
    assert [w[2] for w in report.warnings] == [
        "key `ünicode2024` is not kept (a key is at most 100 of the letters, digits and `_:./-` every BibTeX "
        "reads): a new one is made; set `key:` to cite it by another"
    ]


def test_a_malformed_url_is_left_out_with_a_warning_so_the_file_builds(tmp_path):
    """A .bib url such as `https://a..org/x` was written into `links:`, which `check` now refuses."""
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@misc{a2024, title = {A}, author = {Lovelace, Ada}, year = 2024, url = {https://a..org/x}}\n", "utf-8"
    )
    report = import_bib(bib, tmp_path / "papers")
    assert "links" not in read_front(report.created[0])[0]
    assert [w[2] for w in report.warnings] == [
        "'https://a..org/x' is not a well-formed address (its host is not a name of dot-separated labels) and "
        "was left out"
    ]
    load_paper(report.created[0])


def test_an_imported_abstract_keeps_its_emphasis_as_markdown(tmp_path):
    """`\\emph{fails}` in an abstract became plain "fails"; the abstract is Markdown, so it is `*fails*` (a
    title, which exports read as text, stays plain)."""
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@misc{a2024, title = {An \\emph{Odd} Title}, author = {Lovelace, Ada}, year = 2024,\n"
        "  abstract = {It \\emph{fails} and \\textbf{works}, re\\textit{de}fined.}}\n",
        "utf-8",
    )
    report = import_bib(bib, tmp_path / "papers")
    front, body = read_front(report.created[0])
    assert front["title"] == "An Odd Title"
    assert body.strip() == "It *fails* and **works**, re*de*fined."
    paper = load_paper(report.created[0])
    from paperfolio.markup import render_block

    assert (
        render_block(paper.abstract).html == "<p>It <em>fails</em> and <strong>works</strong>, re<em>de</em>fined.</p>"
    )


def test_an_arxiv_id_that_names_no_paper_is_left_out_with_a_warning(tmp_path):
    """A .bib's `eprint = {2402.0241}` (a digit lost) was written as the paper's arXiv link, which `check` then
    refused: the file the import wrote did not build."""
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{a, title={A}, author={Doe, Jane}, year=2024, eprint={2402.0241}, archivePrefix={arXiv}}\n",
        encoding="utf-8",
    )
    report = import_bib(bib, tmp_path / "papers")
    assert [why for _key, _line, why in report.warnings] == [
        "arXiv ID '2402.0241' is no arXiv ID (an ID of 2015 or after has 5 digits after the dot) and was left out"
    ]
    assert "arxiv" not in (tmp_path / "papers" / "a.md").read_text("utf-8")
