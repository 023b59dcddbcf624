"""Write one paper as a BibTeX entry that BibTeX, biber and bibtexparser all read back unchanged (bibtexparser's
optional LaTeX decoding, by pylatexenc, reads `\\textless{}`, `\\textgreater{}` and `\\textbar{}` as nothing:
they are LaTeX's own text commands for `<`, `>` and `|`, which print as other glyphs when written bare).

Decisions, each for a reason:
- Text stays UTF-8 (no `{\\"u}`): biber and LaTeX since 2018 read UTF-8, and an accent macro cannot spell
  CJK names anyway. Only LaTeX's special characters are escaped, as text commands where a backslash escape
  is not enough (`\\textbackslash{}`, `\\textless{}`: `<` prints as `¡` in the OT1 font).
- Braces: BibTeX counts every brace, escaped or not, so a matched `{…}` pair in a title becomes `\\{…\\}`
  and a lone one `\\textbraceleft{}`/`\\textbraceright{}`; a field value is always brace-balanced.
- Titles keep well-formed `$…$` math (in braces, so styles do not lowercase it); words with a capital after
  their first letter (`LLM`, `BeaverTails`, `GPT-4`) are braced so sentence-case styles keep them, and so
  are groups the author braced (`{Hong Kong}`), as BibTeX's own way to keep a proper noun's capitals.
- Names are written `Family, Given` (`van Rossum, Guido`), so BibTeX splits them as `citations.split_name`
  did; a word `and` inside a name is braced so it does not split the list. `et al.` is ` and others`.
- Equal contribution and corresponding authors go in biblatex's data annotation `author+an`
  (`1=equal; 3=corresponding`), ORCID iDs in `author+an:orcid`: fields plain BibTeX ignores.
- The award goes in `note`. Preprints follow arXiv's own export: `@misc` with `eprint`, `archivePrefix`
  and `primaryClass`; a published paper with an arXiv ID carries them too. The abstract is left out: these
  entries are for citing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from . import citations, latex
from .mathml import is_plain_math
from .model import Paper

MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# kind -> (entry type, field that holds the venue)
ENTRY_TYPES = {
    "conference": ("inproceedings", "booktitle"),
    "journal": ("article", "journal"),
    "thesis": ("phdthesis", "school"),
    "book": ("book", "publisher"),
    "chapter": ("incollection", "booktitle"),
    "report": ("techreport", "institution"),
    "preprint": ("misc", "howpublished"),
    "misc": ("misc", "howpublished"),
}
_ESCAPES = {
    "\\": r"\textbackslash{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
# Character pairs TeX fonts turn into one glyph (`--` -> en dash, ``` `` ``` -> a quote mark); split by `{}`.
_LIGATURES = frozenset({"--", "``", "''", "!`", "?`", ",,"})
# Text without these needs no escaping at all (most names and words): `escape_text` returns it as it is.
_NEEDS_ESCAPE = re.compile(r"[{}\\%&$#_^~<>|]|--|``|''|!`|\?`|,,")
_KEY = re.compile(r"^[A-Za-z0-9_:./\-]+$")


def to_bibtex(paper: Paper, key: str) -> str:
    """Return one BibTeX entry for `paper` under `key`, ending with a newline."""
    if not _KEY.match(key):
        raise ValueError(f"citation key {key!r} must be letters, digits and `_:./-`")
    kind = citations.kind(paper)
    entry_type, venue_field = ENTRY_TYPES[kind]
    fields: list[tuple[str, str]] = [("title", "{" + escape_title(paper.title) + "}")]
    if paper.authors or paper.et_al:
        fields.append(("author", "{" + format_authors(paper) + "}"))
        fields.extend(_annotations(paper))
    venue = paper.venue if paper.venue and not (kind == "preprint" and citations.is_arxiv_venue(paper.venue)) else None
    if venue:
        fields.append((venue_field, "{" + escape_text(venue) + "}"))
    date = citations.published(paper)  # the venue's year, when it names another than `date`'s
    fields.append(("year", str(date.year)))
    if date.month:
        fields.append(("month", MONTH_MACROS[date.month - 1]))
    for name, value in citations.details(paper).items():  # `extra: {volume: …, pages: …}`, as import-bib keeps them
        if name == venue_field and venue:
            continue  # a book's publisher is its venue already
        # A page range's `--` is BibTeX's en dash, not two characters to keep apart.
        text = "--".join(map(escape_text, value.split("--"))) if name == "pages" else escape_text(value)
        fields.append((name, "{" + text + "}"))
    if paper.arxiv_id:  # a published paper's arXiv version too: biblatex links it (plain BibTeX ignores it)
        fields.append(("eprint", "{" + _verbatim(paper.arxiv_id) + "}"))
        fields.append(("archivePrefix", "{arXiv}"))
        fields.append(("primaryClass", "{" + _verbatim(paper.primary_category) + "}"))
    if paper.doi:
        fields.append(("doi", "{" + _verbatim(paper.doi) + "}"))
    url = citations.paper_url(paper)
    if url:
        fields.append(("url", "{" + _verbatim(url) + "}"))
    if paper.award:
        fields.append(("note", "{" + escape_text(paper.award) + "}"))
    body = "".join(f"  {name} = {value},\n" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}}}\n"


def bibtex_file(papers: Sequence[Paper], keys: Mapping[str, str]) -> str:
    """Return the entries of `papers`, in the order given, separated by blank lines."""
    return "\n".join(to_bibtex(paper, keys[paper.slug]) for paper in papers)


def escape_text(text: str) -> str:
    """Return plain text with LaTeX's special characters escaped and every brace balanced."""
    if not _NEEDS_ESCAPE.search(text):
        return text
    partners = _brace_partners(text)
    out: list[str] = []
    previous = ""
    for index, ch in enumerate(text):
        if previous + ch in _LIGATURES:
            out.append("{}")
        if ch in "{}":
            if index in partners:
                out.append("\\" + ch)
            else:
                out.append(r"\textbraceleft{}" if ch == "{" else r"\textbraceright{}")
        else:
            out.append(_ESCAPES.get(ch, ch))
        previous = ch
    return "".join(out)


def escape_title(title: str) -> str:
    """Return a title as BibTeX: plain text escaped, capitals protected, well-formed `$…$` math kept.

    Math is what the page reads as math (`latex.TOKEN_RE`, Pandoc's rule), so `Cost $5 and $10` stays text
    with its dollars, as the page shows it. A group the author braced (`A {Bayesian} View of {Hong Kong}`)
    stays braced: the author's way, as in BibTeX itself, to keep a proper noun's capitals."""
    if "$" not in title:
        return " ".join(_title_text(title).split())
    parts: list[str] = []
    position = 0
    for match in latex.TOKEN_RE.finditer(title):
        if match.lastgroup != "inline":
            continue
        parts.append(_title_text(title[position : match.start()]))
        math = match.group()
        parts.append("{" + math + "}" if _safe_math(math) else _title_text(math))
        position = match.end()
    parts.append(_title_text(title[position:]))
    return " ".join("".join(parts).split())


def format_authors(paper: Paper) -> str:
    """Return the `author` value: `Family, Given and …`, ending `and others` for an et-al list."""
    names = [_format_name(citations.cited_name(author)) for author in paper.authors]
    if paper.et_al:
        names.append("others")
    return " and ".join(names)


def _title_text(text: str, depth: int = 0) -> str:
    """Return a text stretch of a title as plain, escaped, case-protected BibTeX, keeping its outer spaces
    and the braces of a group the author braced to protect it (nested `MAX_GROUPS` deep; deeper groups are
    read as plain text: 990 nested braces had this recurse past Python's limit)."""
    if not text.strip():
        return " " if text else ""
    if "{" in text and depth < MAX_GROUPS:
        for brace in _BRACE.finditer(text):
            start = brace.start()
            if text[start + 1 : start + 2] == "\\" or latex.command_before(text, start):
                continue  # an argument (`\\textit{x}`) or a special character (`{\\"O}`): read as the page reads it
            group = latex.read_group(text, start)
            if group is None or not group[0].strip():
                continue
            inner, end = group
            before, rest = _title_text(text[:start], depth + 1), _title_text(text[end:], depth + 1)
            return before + "{" + _title_text(inner, depth + 1).strip() + "}" + rest
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() else ""
    words = [_title_word(word) for word in citations.plain_title(text).split(" ")]
    return lead + " ".join(words) + trail


MAX_GROUPS = 50  # braced groups of the author's own kept in one title, nested or side by side
# A `{` that opens a group of the author's own: at the start of the text or after a space or an opening mark.
_BRACE = re.compile(r"(?:^|(?<=[\s(\[/\-\"'`]))\{")
_SENTENCE_MARKS = ":;,.!?"  # after a word


@lru_cache(maxsize=16384)  # titles share most of their words
def _title_word(word: str) -> str:
    """Return one word of a title, escaped and case-protected. Sentence marks after it stay outside its
    braces: BibTeX's sentence case keeps the capital after `: ` only when the colon is outside every brace
    (`{SafeMCP}: Proactive`, not `{SafeMCP:} proactive`)."""
    core = word.rstrip(_SENTENCE_MARKS)  # (a regex search for them at the end took time growing with its square)
    if not core or core == word:
        return _protect(escape_text(word), word)
    return _protect(escape_text(core), core) + word[len(core) :]


def _protect(escaped: str, word: str) -> str:
    """Brace a word whose capitals a sentence-case style must not lowercase (`LLM`, `BeaverTails`)."""
    letters = [ch for ch in word if ch.isalpha()]
    if not any(ch.isupper() for ch in letters[1:]):
        return escaped
    # A group starting with a backslash is a BibTeX "special character"; the inner pair avoids that reading.
    return "{{" + escaped + "}}" if escaped.startswith("\\") else "{" + escaped + "}"


def _safe_math(math: str) -> bool:
    """Return whether `$…$` can be passed to LaTeX as written: balanced braces, no comment, one line, and only
    what draws math (`mathml.is_plain_math`): `$\\input{/etc/passwd}$` ran in the document citing the paper."""
    depth = 0
    for ch in math:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0 and "%" not in math.replace(r"\%", "") and "\n" not in math and is_plain_math(math[1:-1])


def _brace_partners(text: str) -> set[int]:
    """Return the positions of braces that pair up, in order, like parentheses."""
    open_at: list[int] = []
    paired: set[int] = set()
    for index, ch in enumerate(text):
        if ch == "{":
            open_at.append(index)
        elif ch == "}" and open_at:
            paired.update((open_at.pop(), index))
    return paired


@lru_cache(maxsize=16384)  # coauthors recur from paper to paper
def _format_name(name: str) -> str:
    """Return one name as `Family, Given` (or `Family, Suffix, Given`), escaped, with a word `and` braced."""

    def part(text: str) -> str:
        words = [("{" + w + "}" if w.casefold() == "and" else escape_text(w)) for w in text.split()]
        return " ".join(words)

    parts = citations.split_name(name)
    family = part(parts.family)
    if not parts.given and not parts.suffix:
        return "{" + family + "}" if " " in parts.family else family
    words = parts.family.split()
    if words[0][:1].isupper() and any(word[:1].islower() for word in words[1:]):
        family = "{" + family + "}"  # `Vázques de Parga`: BibTeX would read `Vázques de` as a von part
    pieces = [family, part(parts.suffix)] if parts.suffix else [family]
    return ", ".join([*pieces, part(parts.given)])


def _annotations(paper: Paper) -> list[tuple[str, str]]:
    """Return biblatex `author+an` fields for equal contribution, corresponding authors and ORCID iDs."""
    marks, orcids = [], []
    for number, author in enumerate(paper.authors, start=1):
        flags = [
            flag for flag, on in (("equal", author.equal_contribution), ("corresponding", author.corresponding)) if on
        ]
        if flags:
            marks.append(f"{number}={','.join(flags)}")
        if author.orcid:
            orcids.append(f'{number}="{_verbatim(author.orcid)}"')
    fields = []
    if marks:
        fields.append(("author+an", "{" + "; ".join(marks) + "}"))
    if orcids:
        fields.append(("author+an:orcid", "{" + "; ".join(orcids) + "}"))
    return fields


def _verbatim(text: str) -> str:
    """Return a URL, DOI or identifier safe inside braces; biblatex reads these fields verbatim."""
    return text.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")
