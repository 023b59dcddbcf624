"""What the three citation formats share: citation keys, the kind of publication, name parts, plain text.

`bibtex`, `ris` and `csl` each turn one `Paper` into one entry; this module decides the things they must
agree on, so a paper is a `conference` paper with family name `Ji` in all three.

Citation keys are `<family><year><word>` (`ji2023beavertails`): the last word of the first author's
family name and the first significant title word, both ASCII-folded to lowercase letters. Keys that
collide get `a`, `b`, … appended in chronological order (oldest first, then title, then slug), so that
adding a newer paper never changes the key of one already cited.

Keys stay ASCII, as BibTeX wants them, and a name no letter of which folds to ASCII (Arabic, Chinese,
Cyrillic, Greek…: no transliteration is made up, nor a romanised name, which a paper file does not give)
makes its key another way, each taken only when the one before gives nothing: the last word of the
name that has ASCII letters (`Wei Zhang (张伟)` -> `zhang`); then the first two significant title
words, then the year (`محمد علي`, "Deep Alignment of Language Models", 2024 -> `deepalignment2024`);
then the slug, which is ASCII, then the year (`alignment2024`). They were all `anon<year><word>`, which
told nothing and, beside another such paper of the year, differed only by a letter. A paper's own `key:`
is kept whatever its authors.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from .model import Author, Paper, PaperDate
from .record import record

# Words that never start a key (`towards`, not `Towards Safe RLHF` -> `towardssafe`).
STOP_WORDS = frozenset(
    ("a", "an", "the", "on", "of", "towards", "toward", "to", "in", "for", "and", "with", "from", "by", "at",
     "as", "via", "is", "are", "do", "does", "can", "how", "what", "why", "when", "where", "which", "who",
     "we", "our", "your", "into", "over", "under", "through", "beyond", "about", "not", "no")
)  # fmt: skip
# Lowercase family-name particles that stay with the family name (`Guido van Rossum` -> `van Rossum`).
PARTICLES = frozenset(
    ("van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du", "la", "le", "ten", "ter",
     "zu", "bin", "al", "el")
)  # fmt: skip
SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})
# Letters NFKD does not decompose into ASCII.
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l",
                       "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "Þ": "TH", "ı": "i"})  # fmt: skip

# What a venue's words say it is, strongest first. A journal's own words (Journal, Transactions, Letters…) win
# over any conference word ("Transactions of the ACL", "Proceedings of the National Academy"); then a
# conference's (Conference, Symposium, Workshop, in any case: Google Scholar writes "International conference
# on machine learning"); then the one-word journal names, which are also words of conference names ("Symposium
# on Foundations of Computer Science", "Annual Conference of the Cognitive Science Society"); then the
# conferences known by name and "Proceedings".
_JOURNAL = re.compile(
    r"\b(Journal|Transactions|Surveys|Letters|Magazine|National Academy|Reviews?|Annals|Acta|Bulletin|Quarterly|"
    r"JMLR|TMLR|TPAMI|TACL|IJCV|JHEP|JCAP|Physical Review|Proceedings of the Royal Society)\b"
    r"|\bProceedings of the IEEE(?=\s*(?:$|[,(0-9]))"  # the journal, not "Proceedings of the IEEE/CVF Conference"
    # Journal abbreviations as physics, astronomy and mathematics cite them: "Phys. Rev. Lett.", "J. Chem.
    # Phys.", "Mon. Not. R. Astron. Soc.", "Proc. Natl. Acad. Sci.", "IEEE Trans. Inf. Theory".
    r"|\b(J|Phys|Rev|Lett|Ann|Commun|Astron|Astrophys|Grav|Natl|Trans|Mon\. Not)\.(?=[ ,]|$)"
)
_CONFERENCE_WORDS = re.compile(
    r"\b(Conference|Symposium|Workshop|Findings of|Neural Information Processing Systems)\b", re.IGNORECASE
)
# Journals known by one word, in the sciences, biology, medicine, economics, statistics and control.
_JOURNAL_NAMES = re.compile(
    r"\b(Nature|Science|PNAS|Cell|Neuron|eLife|PLOS|PLoS|Bioinformatics|Genetics|Lancet|BMJ|JAMA|Econometrica|"
    r"Biometrika|Automatica)\b"
)
_CONFERENCE = re.compile(
    r"\b(NeurIPS|NIPS|ICML|ICLR|ACL|EMNLP|NAACL|EACL|AACL|COLING|CoNLL|AAAI|IJCAI|CVPR|ICCV|ECCV|WACV|KDD|"
    r"WWW|SIGIR|WSDM|CIKM|AISTATS|UAI|COLT|CoRL|RSS|ICRA|IROS|CHI|UIST|ICASSP|Interspeech|MICCAI|USENIX|"
    r"Proceedings|Track)\b"
)
_PREPRINT = re.compile(r"\b(arXiv|CoRR|preprint)\b", re.IGNORECASE)
_KINDS = {"conference": "conference", "workshop": "conference", "journal": "journal", "preprint": "preprint"}
_KINDS |= {kind: kind for kind in ("thesis", "book", "chapter", "report")}


@record(frozen=True, slots=True)
class NameParts:
    """A person's name split the way BibTeX reads `Family, Suffix, Given`."""

    family: str  # with lowercase particles: `van Rossum`
    given: str = ""
    suffix: str = ""


def cited_name(author: Author) -> str:
    """Return the name the exports split: as displayed, or `Family, Given` when the paper braced the family
    (`Tito {Dal Canton}` is `Dal Canton, Tito`, which `split_name` reads as BibTeX does), `Family,` for a name
    that is all family (`{European Commission}`: no given name, and not `Commission, European`)."""
    family = author.family
    if not family or split_name(author.name).family == family:  # the exports' own guess: the name as it is
        return author.name
    given = author.name[: len(author.name) - len(family)].strip()
    return f"{family}, {given}" if given else f"{family},"


@lru_cache(maxsize=16384)  # each name is split for BibTeX, RIS and CSL, and coauthors recur across papers
def split_name(name: str) -> NameParts:
    """Split a display name: `Family, Given` as written (and BibTeX's `Family, Jr., Given`, RIS's
    `Family, Given, Jr.`), else the last word (with particles) is the family. A comma before a suffix alone
    (`Martin Luther King, Jr.`) is the suffix's, not the family's: that name's family is King."""
    if "," in name:
        family, _, given = name.partition(",")
        given = " ".join(given.split())
        if given in SUFFIXES:
            parts = split_name(family)
            return NameParts(parts.family, parts.given, given)
        first, comma, second = (part.strip() for part in given.partition(","))
        if comma and "," not in second:
            if first in SUFFIXES:  # BibTeX's `Family, Jr., Given`
                return NameParts(" ".join(family.split()), second, first)
            if second in SUFFIXES:  # RIS's `Family, Given, Jr.`
                return NameParts(" ".join(family.split()), first, second)
        return NameParts(" ".join(family.split()), given)
    words = name.split()
    suffix = ""
    if len(words) > 2 and words[-1] in SUFFIXES:
        suffix = words.pop()
    if len(words) <= 1:
        return NameParts(" ".join(words), "", suffix)
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    return NameParts(" ".join(words[start:]), " ".join(words[:start]), suffix)


# Bibliographic details a paper file keeps under `extra:` (as import-bib writes them), which the exports carry.
DETAILS = ("volume", "number", "pages", "publisher", "series", "address", "edition", "isbn", "issn")
_PAGE_RANGE = re.compile(r"\s*([^\s\-–—]+)\s*(?:-{1,3}|–|—)\s*([^\s\-–—]+)\s*")


def details(paper: Paper) -> dict[str, str]:
    """Return the paper's `DETAILS` from `extra:`, as one-line text (a number is its digits as written; other values
    are left out), pages as `first--last` when they are a range. A key in another case (`Volume`) is not read."""
    extra = paper.extra
    if not extra:
        return {}
    found = {}
    for name in DETAILS:
        value = extra.get(name)
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            continue
        # `volume: 1.10` unquoted is a float: its text as written (`loader.WrittenFloat`), not `1.1`
        text = " ".join(getattr(value, "written", str(value)).split())
        if text:
            found[name] = text
    pages = found.get("pages")
    if pages and (span := _PAGE_RANGE.fullmatch(pages)):
        found["pages"] = f"{span[1]}--{span[2]}"
    return found


_VENUE_YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")


def published(paper: Paper) -> PaperDate:
    """Return the date the exports and the metadata for machines give as the paper's publication: `date` (its
    first appearance, on arXiv most often, which orders the lists), or the year its venue names when that is
    another (`ACL 2025` for a paper first posted in 2024): a citation of the ACL paper says 2025, and an
    entry reading `booktitle = {ACL 2025}, year = 2024` looked wrong. A venue naming no year, or several,
    and a preprint keep `date`."""
    date = paper.date
    year = venue_year(paper.venue) if paper.venue else None
    if year is None or year == date.year or kind(paper) == "preprint":
        return date
    return PaperDate(year)


@lru_cache(maxsize=4096)  # a site repeats its venues
def venue_year(venue: str) -> int | None:
    """Return the one year a venue names (`NeurIPS 2024 (Oral)` -> 2024), or None for none or several."""
    years = set(_VENUE_YEAR.findall(venue))
    return int(years.pop()) if len(years) == 1 else None


def kind(paper: Paper) -> str:
    """Return conference, journal, preprint, thesis, book, chapter, report or misc for this paper."""
    if paper.pub_type in _KINDS:
        return _KINDS[paper.pub_type]
    venue = paper.venue or ""
    return venue_kind(venue) or ("preprint" if paper.arxiv_id or not venue else "misc")


@lru_cache(maxsize=4096)  # a site repeats its venues, and each paper's kind is read by six exports and heads
def venue_kind(venue: str) -> str | None:
    """Return preprint, journal or conference as the venue's words say, or None."""
    if _PREPRINT.search(venue):
        return "preprint"
    if _JOURNAL.search(venue):
        return "journal"
    if _CONFERENCE_WORDS.search(venue):
        return "conference"
    if _JOURNAL_NAMES.search(venue):
        return "journal"
    if _CONFERENCE.search(venue):
        return "conference"
    return None


def is_arxiv_venue(venue: str) -> bool:
    """Return whether a venue only says the paper is on arXiv (`arXiv preprint`, `CoRR`)."""
    return bool(_PREPRINT.search(venue))


@lru_cache(maxsize=16384)  # the key, BibTeX, RIS and CSL each read every title
def plain_title(text: str) -> str:
    """Return a title as plain text; `<` or `&` in a title are the author's text, never markup."""
    from .markup import title_text

    return " ".join(title_text(text).split())


@lru_cache(maxsize=64)  # RIS and CSL each read the abstract of the paper being cited, one after the other
def plain(text: str) -> str:
    """Return a title or abstract as plain text, with whitespace collapsed to single spaces."""
    from .markup import plain_text  # imported here: markup pulls in the Markdown stack, exports need only this

    return collapse(plain_text(text))


_ASCII_SPACES = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"  # what `str.split()` splits ASCII text at, but for " "


def collapse(text: str) -> str:
    """Return `" ".join(text.split())`; ASCII text with nothing to collapse (most abstracts) is returned as it is,
    found by a few quick searches rather than by splitting it into words and joining them again."""
    if (
        text.isascii()
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
        and not any(space in text for space in _ASCII_SPACES)
    ):
        return text
    return " ".join(text.split())


def paper_url(paper: Paper) -> str | None:
    """Return the address a citation should point at: the arXiv abstract page, else the PDF or project page.
    A file of the site's own counts only at a full address: `/assets/x.pdf` (no host in the base URL) would
    mean nothing in someone else's bibliography."""
    for link_kind in ("arxiv", "pdf", "project"):
        link = paper.link(link_kind)
        if link is not None and link.url and not link.url.startswith("/"):
            return f"https://arxiv.org/abs/{paper.arxiv_id}" if link_kind == "arxiv" and paper.arxiv_id else link.url
    return None


def fold(text: str) -> str:
    """Return `text` reduced to lowercase ASCII letters: `Müller` -> `muller`, `Łukasz` -> `lukasz`."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in decomposed.lower() if "a" <= ch <= "z")


def base_key(paper: Paper) -> str:
    """Return the key before de-duplication: first author's family name, year, first significant title word."""
    return _base_key(paper.authors[0].name if paper.authors else "", paper.date.year, paper.title, paper.slug)


@lru_cache(maxsize=32768)  # every build (and every `serve` rebuild) keys every paper again
def _base_key(first_author: str, year: int, title: str, slug: str) -> str:
    family = fold(split_name(first_author).family.split()[-1]) if first_author else ""
    if not family and first_author:  # `Wei Zhang (张伟)`: the name's last word that has ASCII letters
        family = next((folded for word in reversed(first_author.split()) if (folded := fold(word))), "")
    words = (folded for token in re.split(r"[\s\-–—/:]+", plain_title(title)) if (folded := fold(token)))
    words = (word for word in words if word not in STOP_WORDS)
    word = next(words, "")
    # Each part cut at 30 letters: a 400-letter title word made a `.bib` file name past the system's limit.
    if family:
        return f"{family[:30]}{year}{word[:30]}"
    if word:  # no name in letters to make one of: two title words, then the year
        return f"{word[:30]}{next(words, '')[:30]}{year}"
    return f"{slug.replace('-', '')[:60]}{year}"  # nor a title: the file's name, ASCII letters and digits


def citation_keys(papers: Sequence[Paper]) -> dict[str, str]:
    """Return slug -> citation key, unique across `papers` and independent of their order. A paper's own
    `key:` is its key (two papers never share one: `pipeline.find_duplicate_keys`); a made key that would
    be one of those gets a letter, as two made keys that meet do."""
    bases = {paper.slug: base_key(paper) for paper in papers if not paper.key}
    keys = {paper.slug: paper.key for paper in papers if paper.key}
    taken = set(bases.values())
    # BibTeX reads keys without regard to case: a made `ji2024aligner` beside a kept `Ji2024Aligner` is one key.
    seen: set[str] = {key.lower() for key in keys.values()}
    tried: dict[str, int] = {}  # base -> the last letter number tried: 8,000 namesakes each started from `a`
    for paper in sorted(papers, key=lambda p: (p.date.sort_key, p.title.casefold(), p.slug)):
        if paper.key:
            continue
        base = bases[paper.slug]
        key, n = base, tried.get(base, 0)
        if n:
            key = base + _letters(n)
        while key.lower() in seen or (key != base and key in taken):
            n += 1
            key = base + _letters(n)
        tried[base] = n
        seen.add(key)
        keys[paper.slug] = key
    return keys


def _letters(n: int) -> str:
    """Return a, b, …, z, aa, ab, … for n = 1, 2, …"""
    text = ""
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("a") + rest) + text
    return text
