"""Turn a .bib file into paper files: `python build.py import-bib refs.bib [--overwrite]`.

bibtexparser (v2) splits the file into blocks with their lines; pylatexenc decodes LaTeX to Unicode. Two
things bibtexparser v2 leaves undone are done here on single field values it has already cut out:
`#` concatenation with `@string` macros, and `crossref` (a child entry inherits booktitle, year, month,
publisher-like fields and the volume's numbers and ISBN, not its URL or DOI; a parent's `title` becomes the
child's `booktitle`).

Decisions: `$…$` math in titles and abstracts is kept (the site renders it); other LaTeX becomes text, but
for the braces a title puts around capitals to protect them from sentence case (`Monte {C}arlo`, `{Hong Kong}`),
which stay where the site's BibTeX export would not protect those capitals by itself (`decode_title`).
The category is `primaryClass` (biblatex: `eprintclass`) when it names a known arXiv category, else an old
arXiv ID's archive, else `default_category`; arXiv's subjects among the keywords (Zotero writes "Computer
Science - Robotics") are categories after it, not tags. A generic
`url` becomes the `pdf` link when it ends in `.pdf`, `code` on GitHub/GitLab, `arxiv` or `doi` on theirs, else
`project`, but for the paper's page at its publisher or proceedings, which is no project page: a `url` of an entry
from DBLP (its key `DBLP:…`, or `biburl`/`bibsource` naming dblp.org; DBLP's `url` is the paper's "electronic
edition" or DBLP's own record), on a publisher's or an index's host (`PUBLISHER_HOSTS`: proceedings.mlr.press,
ACL Anthology, OpenReview, ACM, IEEE, Semantic Scholar…) or holding the entry's DOI is kept as `extra: {url: …}`,
shown nowhere, so nothing is lost and no link is misnamed (`doi` is the paper's lasting address, and arXiv's
its free copy, when the entry gives them).
`volume`, `number`, `pages`, `publisher` and the other fields of `KEPT`, which a paper has no place for, are kept
under `extra:` too (`extra: {volume: '162', pages: 1--20}`), so nothing the entry held is lost;
al-folio's fields name their link (`website` is `project`; `html`, the paper's page, is read as a `url` is),
its `selected` is `featured`, the PDFs
it names by file are under `/assets/pdf/`, and its `preview` picture is the `image` under
`/assets/img/publication_preview/`. The slug is the citation key when the key is a plain word
(`ji2023beavertails`), else it is made from the title (`DBLP:conf/nips/Ji23` would make a poor address).
An entry without `year` (nor biblatex's `date`) is dated by its arXiv ID when it has one (`eprint =
{2405.01234}` is May 2024, the month of its first version), else refused with a hint. A bad entry is reported
with its line and never stops the others; an existing file is never replaced without `overwrite`. An entry
is refused, with its line, for a value over MAX_VALUE characters once macros are expanded, braces nested over
MAX_BRACE_DEPTH deep, or a control character: the first two would exhaust memory or the stack, the third a file
the build refuses.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import unicodedata
from dataclasses import field
from pathlib import Path
from urllib.parse import unquote

import bibtexparser
import yaml
from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts, split_multiple_persons_names
from bibtexparser.model import DuplicateBlockKeyBlock, Entry
from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.macrospec import std_macro

from . import categories, citations, latex
from .errors import Problem
from .loader import CONTROL, UTF16_BOMS  # the characters a paper file may not hold; how UTF-16 starts
from .model import LINK_KINDS
from .record import record
from .schema import CITATION_KEY, DOI, IMAGE_SUFFIXES, arxiv_id_problem, has_top_level_comma
from .urls import mend_address, web_address_problem

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_EDITED = ("book", "collection", "mvbook", "mvcollection")  # entries whose editors stand for their authors
PUB_TYPES = {"article": "journal", "inproceedings": "conference", "conference": "conference",
             "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis", "book": "book",
             "incollection": "chapter", "inbook": "chapter", "techreport": "report", "report": "report",
             "collection": "book"}  # fmt: skip
INHERITED = ("booktitle", "year", "month", "date", "day", "publisher", "journal", "school", "institution", "series")
# … and the volume's own numbers and place: a DBLP paper in LIPIcs or CEUR gets its series' volume from the
# proceedings it cites (`series = {LIPIcs}, volume = {173}`); the volume's URL or DOI is none of the paper's.
INHERITED += ("volume", "number", "edition", "address", "isbn", "issn")
# An archive name is tried only from its first letter: searched from each letter of a long word, it took
# time growing with the square of the word (`journal = {arXiv aaaa…}`, 16,000 letters: 5 s).
_ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}(?:v\d+)?|(?<![a-z-])[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$")
_LATEX_ESCAPE = re.compile(r"\\([_%&#~$])")
# Mendeley Desktop also braces each escaped character of an address (`Discourse{\_}Elson`, `edu/{~}delson`).
_BRACED_ESCAPE = re.compile(r"\{\\?([_%&#~$])\}")
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
# LaTeX2e text commands that pylatexenc 2.x does not know; the exporter writes them.
_TEXT_COMMANDS = {"textbraceleft": "{", "textbraceright": "}", "textless": "<", "textgreater": ">", "textbar": "|"}
_TEXT_COMMANDS["textasciicircum"] = "^"
# biblatex's own text commands, which a biblatex file's titles use (its example bibliography has
# `\mkbibquote{Intention}` and `methodology\hyphen independent`): quotation marks and a hyphen.
_QUOTED = ("mkbibquote", "enquote")
_TEXT_COMMANDS |= {name: "\u201c%s\u201d" for name in _QUOTED} | {"hyphen": "-"}
_CONTEXT = get_default_latex_context_db()
_BODY_CONTEXT = get_default_latex_context_db()  # the same, and emphasis kept as Markdown (`_EMPHASIS`)
for _context in (_CONTEXT, _BODY_CONTEXT):
    _context.add_context_category(
        "text-commands", [MacroTextSpec(n, t) for n, t in _TEXT_COMMANDS.items()], prepend=True
    )
# Logos pylatexenc 2.x drops (`The {\TeX}book` became "The book"); a space written after one is kept, as
# an author means it (LaTeX itself would eat it: `\BibTeX and` printed "BibTeXand").
_LOGOS = {"TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2e", "BibTeX": "BibTeX", "XeTeX": "XeTeX", "LuaTeX": "LuaTeX"}
for _context in (_CONTEXT, _BODY_CONTEXT):
    _context.add_context_category(
        "logos",
        [
            MacroTextSpec(name, simplify_repl=lambda n, macroname: _LOGOS[macroname] + n.macro_post_space)
            for name in _LOGOS
        ],
        prepend=True,
    )
# pylatexenc 2.x turns `\href{url}{text}` into text but its parser does not know that `\href` takes two
# arguments, and the conversion then raised IndexError (a traceback for the whole import): the parser is told.
_WALKER_CONTEXT = latexwalker.get_default_latex_context_db()
_WALKER_CONTEXT.add_context_category("links", [std_macro("href", False, 2)], prepend=True)
# Text commands it parses without their argument, and declarations (`{\em new}`) it does not know: their text
# is kept, their style dropped (the site's own reader, `latex`, knows the same names).
_ONE_ARGUMENT = ("hbox", "textnormal", "textsubscript", "textsuperscript", *_QUOTED)
_WALKER_CONTEXT.add_context_category("text", [std_macro(name, False, 1) for name in _ONE_ARGUMENT], prepend=True)
_DECLARATIONS = sorted({*latex.DECLARATIONS, *latex.PLAIN_DECLARATIONS})
for _context in (_CONTEXT, _BODY_CONTEXT):
    _context.add_context_category("declarations", [MacroTextSpec(name, "") for name in _DECLARATIONS], prepend=True)
# Commands that print nothing: `{\relax Ab}` (a name's sort trick) was imported as "\relax Ab". `\noopsort{key}`,
# the trick BibTeX's own documentation gives (defined in the file's @preamble), prints nothing of its key.
_NOTHING = sorted(name for name, text in latex.SYMBOLS.items() if text == "")
_WALKER_CONTEXT.add_context_category("sort keys", [std_macro("noopsort", False, 1)], prepend=True)
for _context in (_CONTEXT, _BODY_CONTEXT):
    _context.add_context_category("nothing", [MacroTextSpec(n, "") for n in [*_NOTHING, "noopsort"]], prepend=True)


def _emphasis(node, l2tobj, macroname: str) -> str:  # noqa: ANN001 - pylatexenc's node and converter
    """Return `\\emph{x}` and `\\textit{x}` as Markdown's `*x*`, `\\textbf{x}` as `**x**`, in an abstract, which is
    Markdown: an imported abstract lost its emphasis (`\\emph{fails}` became plain "fails")."""
    arguments = node.nodeargd.argnlist if node.nodeargd else None
    inner = "".join(l2tobj._groupnodecontents_to_text(n) for n in arguments or () if n is not None)
    text = inner.strip()  # (a `*` in it stays as written: nested emphasis, `\\emph{\\textbf{x}}`, is `***x***`)
    if not text:
        return inner
    mark = "**" if macroname == "textbf" else "*"
    lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{text}{mark}{trail}"


_EMPHASIS = ("emph", "textit", "textbf")
_BODY_CONTEXT.add_context_category(
    "markdown", [MacroTextSpec(name, simplify_repl=_emphasis) for name in _EMPHASIS], prepend=True
)
# bibtexparser logs each unreadable block with 0-based line numbers; the report says the same with real ones.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
# pylatexenc logs a warning for a macro it cannot fill in (`\url` with no argument) on the user's terminal,
# once per value; what the value became is in the written file, which the build checks again.
logging.getLogger("pylatexenc").addHandler(logging.NullHandler())


class _Decoder(LatexNodes2Text):
    """pylatexenc's conversion, but a macro it has no text for is not dropped with its argument: the parser's
    known ones (`\\texttt{BERT}`, `\\mbox{x}`) give their argument's text, and others (`\\InterMT`,
    `\\method{Name}`) stay as written, so the build shows them and warns, as for a paper file written by hand."""

    def nodelist_to_text(self, nodelist) -> str:  # noqa: ANN001 - pylatexenc's nodes
        for node, after in zip(nodelist, nodelist[1:], strict=False):
            if self._unknown_bare(node) and not node.macro_post_space and after.isNodeType(latexwalker.LatexGroupNode):
                after.keep_as_written = True
        return super().nodelist_to_text(nodelist)

    def _unknown_bare(self, node) -> bool:  # noqa: ANN001
        return (
            node is not None
            and node.isNodeType(latexwalker.LatexMacroNode)
            and self.latex_context.get_macro_spec(node.macroname) is None
            and not (node.nodeargd and node.nodeargd.argnlist)
        )

    def group_node_to_text(self, node) -> str:  # noqa: ANN001
        return node.latex_verbatim() if getattr(node, "keep_as_written", False) else super().group_node_to_text(node)

    def macro_node_to_text(self, node) -> str:  # noqa: ANN001
        spec = self.latex_context.get_macro_spec(node.macroname)
        arguments = node.nodeargd.argnlist if node.nodeargd else None
        if spec is not None:
            repl = spec.simplify_repl
            if isinstance(repl, str) and "%" in repl and len(repl) > 1 and not any(arguments or ()):
                return node.latex_verbatim()  # `\url` with no argument: its text was the format, "<%s>"
            try:
                return super().macro_node_to_text(node)
            except (AttributeError, IndexError, TypeError):  # `\href{x}` without its text: a spec's code fails
                return node.latex_verbatim()
        if arguments:
            return "".join(self._groupnodecontents_to_text(n) for n in arguments if n is not None)
        return "\\" + node.macroname + (" " if node.macro_post_space else "")


_DECODER = _Decoder(latex_context=_CONTEXT, math_mode="verbatim", strict_latex_spaces=True)
_BODY_DECODER = _Decoder(latex_context=_BODY_CONTEXT, math_mode="verbatim", strict_latex_spaces=True)


class CategoryRefused(ValueError):
    """The category given for entries without one is no arXiv category: said of the option, not the file."""


DEFAULTED = "\0defaulted"  # a mark in an entry's front matter while it is made: its category is the default


@record
class ImportReport:
    """What one import did: files written, entries left alone, entries that could not be read."""

    created: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (key, reason)
    failed: list[tuple[str, int, str]] = field(default_factory=list)  # (key or "?", line, reason)
    warnings: list[tuple[str, int, str]] = field(default_factory=list)  # (key, line, what was dropped)
    defaulted: int = 0  # entries given the default category, naming none of their own
    replaced: list[Path] = field(default_factory=list)  # of `created`, those that replaced a file (`--overwrite`)

    @property
    def read_nothing(self) -> bool:
        """Return whether no entry could be read at all: the command should exit with an error."""
        return not self.created and not self.skipped

    def problems(self, shown_path: str) -> list[Problem]:
        """Return failures as errors and dropped values as warnings, located in the .bib file."""
        errors = [
            Problem(shown_path, line, 0, why if key == "?" else f"entry `{key}`: {why}")
            for key, line, why in self.failed
        ]
        warnings = [
            Problem(shown_path, line, 0, f"entry `{key}`: {why}", "warning") for key, line, why in self.warnings
        ]
        return sorted(errors + warnings)


class _Unreadable(Exception):
    """An entry that cannot become a paper file."""


def import_bib(
    bib_path: Path, papers_dir: Path, *, overwrite: bool = False, default_category: str = "cs.LG"
) -> ImportReport:
    """Write one paper file per entry of `bib_path` into `papers_dir` and report what happened."""
    try:
        default_category = categories.resolve(default_category)
    except ValueError as reason:
        raise CategoryRefused(f"--category {default_category!r} {reason}") from None
    report = ImportReport()
    data = bib_path.read_bytes()
    try:
        # UTF-16 with its byte-order mark (as some Windows tools export) is unambiguous: read it as such.
        text = data.decode("utf-16" if data.startswith(UTF16_BOMS) else "utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - data.rfind(b"\n", 0, error.start)
        why = (
            f"file is not valid UTF-8 (byte 0x{data[error.start]:02X} at column {column}): save it as UTF-8 "
            f"(an older tool may have written Latin-1: iconv -f latin1 -t utf-8 {bib_path.name} > utf8.bib)"
        )
        report.failed.append(("?", line, why))
        return report
    library = bibtexparser.parse_string(text, parse_stack=[])
    for block in library.failed_blocks:
        report.failed.append(_failure(block))
    strings: dict[str, str | None] = {}  # None: a macro too long to expand (`resolve_value`)
    for string in library.strings:
        try:
            strings[string.key.lower()] = resolve_value(string.value, strings)
        except _Unreadable as reason:
            strings[string.key.lower()] = None
            report.failed.append((f"@string {string.key}", (string.start_line or 0) + 1, str(reason)))
    entries = {entry.key.lower(): entry for entry in library.entries}
    slugs: dict[str, str] = {}
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        if entry.entry_type.lower() == "proceedings":
            report.skipped.append((entry.key, "a proceedings volume, not a paper (its papers may crossref it)"))
            continue
        try:
            values = _values(entry, entries, strings, report.warnings)
            front, body = paper_fields(entry, values, default_category, report.warnings)
        except _Unreadable as reason:
            report.failed.append((entry.key, line, str(reason)))
            continue
        defaulted = front.pop(DEFAULTED, False)
        slug = make_slug(entry.key, front["title"])
        if slug in slugs:
            report.failed.append((entry.key, line, f"gives the same file name `{slug}.md` as entry `{slugs[slug]}`"))
            continue
        slugs[slug] = entry.key
        path = papers_dir / f"{slug}.md"
        if path.exists():
            if not overwrite:
                report.skipped.append((entry.key, f"{path} exists (use --overwrite to replace it)"))
                continue
            report.replaced.append(path)
        _write_atomically(path, render_file(front, body, f"{bib_path.name}, entry `{entry.key}` (line {line})"))
        report.created.append(path)
        report.defaulted += defaulted
    return report


MAX_VALUE = 100_000  # characters of one field once `@string` macros are expanded
MAX_BRACE_DEPTH = 100  # pylatexenc reads each group recursively: 5,000 nested braces raised RecursionError


def resolve_value(raw: str, strings: dict[str, str | None]) -> str:
    """Return a raw field value with `{…}`/`"…"` delimiters removed, `#` joined and macros expanded.

    A macro that doubles the one before it forty times over (`@string{b = a # a}`, ...) would expand to
    terabytes: past MAX_VALUE characters, the value is refused."""
    pieces, depth, quoted, start = [], 0, False, 0
    for index, ch in enumerate(raw):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            pieces.append(raw[start:index])
            start = index + 1
    pieces.append(raw[start:])
    out = []
    for piece in (p.strip() for p in pieces):
        if len(piece) >= 2 and (piece[0], piece[-1]) in (("{", "}"), ('"', '"')):
            out.append(piece[1:-1])
        else:  # a number, a macro, or BibTeX's predefined month macros
            value = strings.get(piece.lower(), piece)
            if value is None:
                raise _Unreadable(f"@string `{piece}` could not be expanded")
            out.append(value)
    if sum(map(len, out)) > MAX_VALUE:
        raise _Unreadable(f"a value is longer than {MAX_VALUE:,} characters once @string macros are expanded")
    return "".join(out)


_MATH_RE = re.compile(r"((?<!\\)\$\$.+?(?<!\\)\$\$|(?<!\\)\$.+?(?<!\\)\$)", re.DOTALL)


_BARE_ACCENT = re.compile(r"(?<!\\)\\([\^~])\{\}")


def _bare_accent(found: re.Match) -> str:
    """Return `\\^{}` as `\\textasciicircum{}` and `\\~{}` as `\\textasciitilde{}`, the characters they print."""
    return r"\textasciicircum{}" if found.group(1) == "^" else r"\textasciitilde{}"


def decode(latex: str, *, keep_paragraphs: bool = False) -> str:
    """Return LaTeX as Unicode text, keeping `$…$` math; a bare `%` is a percent sign, not a comment."""
    depth = deepest = 0
    for brace in re.finditer(r"(?<!\\)[{}]", latex):
        depth += 1 if brace.group() == "{" else -1
        deepest = max(deepest, depth)
    if deepest > MAX_BRACE_DEPTH:
        raise _Unreadable(f"braces nest more than {MAX_BRACE_DEPTH} deep")
    # A bare `%` or `&` in a .bib value is nearly always the character (`100%`, `holds & more`), which
    # LaTeX would read as a comment and a table's column break; `&` stays as written inside math.
    latex = re.sub(r"(?<!\\)%", r"\\%", latex)
    if "&" in latex:
        parts = _MATH_RE.split(latex)
        latex = "".join(p if i % 2 else re.sub(r"(?<!\\)&", r"\\&", p) for i, p in enumerate(parts))
    if "{}" in latex:  # an accent on nothing is the accent's character: Google Scholar's `1/k\^{} 2`, `\~{}`
        parts = _MATH_RE.split(latex)
        latex = "".join(p if i % 2 else _BARE_ACCENT.sub(_bare_accent, p) for i, p in enumerate(parts))
    try:
        decoder = _BODY_DECODER if keep_paragraphs else _DECODER  # an abstract keeps its emphasis, as Markdown
        text = decoder.latex_to_text(latex, latex_context=_WALKER_CONTEXT).replace("\xa0", " ")
    except Exception as error:  # pylatexenc on text it was not written for: this entry fails, not the import
        raise _Unreadable(f"LaTeX that could not be read ({type(error).__name__}: {error})") from None
    if not keep_paragraphs:
        return " ".join(text.split())
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


# A title's own braces protect its capitals from the sentence case of most BibTeX styles (`Monte {C}arlo`,
# `{P}oincar\'{e}`, `{Hong Kong}`): decoded away, a proper noun came out "monte carlo" in every export. While a
# title is decoded, each such group is marked by these two characters (of Unicode's private use area), and the
# braces are written back where the site's BibTeX export would not protect the capitals by itself.
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKED = re.compile(_OPEN + "([^" + _OPEN + _CLOSE + "]*)" + _CLOSE)


def decode_title(latex: str) -> str:
    """Return a title as `decode` does, keeping the braces of each group that protects capitals BibTeX's
    sentence case would lower: a group the exporter's own rule (`bibtex._protect`: a word with a capital
    after its first letter, `{LLM}`, `{BeaverTails}`) braces anyway, or whose one capital starts the title or
    follows `: ` (which sentence case keeps), reads as plain text."""
    if "{" not in latex or _OPEN in latex or _CLOSE in latex:
        return decode(latex)
    marked = list(latex)
    for start, end in _protecting_groups(latex):
        marked[start], marked[end] = _OPEN, _CLOSE
    text = decode("".join(marked))
    out, position, at_start = [], 0, True  # at_start: what came before is empty or ends with `:`
    for group in _MARKED.finditer(text):
        between = text[position : group.start()]
        if between.strip():
            at_start = between.rstrip().endswith(":")
        inner = group.group(1)
        out += [between, "{" + inner + "}" if _lowered_by_sentence_case(inner, at_start=at_start) else inner]
        at_start = inner.rstrip().endswith(":") if inner.strip() else at_start
        position = group.end()
    out.append(text[position:])
    return "".join(out).replace(_OPEN, "").replace(_CLOSE, "")


def _protecting_groups(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each top-level group that BibTeX reads as case protection: not inside `$…$`, not
    a command's argument (`\\'{e}`, `\\textit{x}`), not a special character (`{\\"O}`), not empty."""
    math = {m.start(): m.end() for m in _MATH_RE.finditer(text)}
    groups, depth, start, index = [], 0, 0, 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if depth == 0 and index in math:
            index = math[index]
            continue
        if char == "{":
            if depth == 0:
                start = index
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                inner = text[start + 1 : index]
                if inner.strip() and not inner.startswith("\\") and not latex.command_before(text, start):
                    groups.append((start, index))
        index += 1
    return groups


def _lowered_by_sentence_case(text: str, *, at_start: bool) -> bool:
    """Return whether a braced text has a capital that a sentence-case style would lower once unbraced."""
    for number, word in enumerate(text.split()):
        letters = [ch for ch in word if ch.isalpha()]
        if not any(ch.isupper() for ch in letters):
            continue
        if any(ch.isupper() for ch in letters[1:]):
            continue  # the exporter braces such a word itself (`LLM`, `BeaverTails`)
        if number == 0 and at_start:
            continue  # sentence case keeps the first letter of a title and the one after `: `
        return True
    return False


def _title(values: dict[str, str]) -> str:
    """Return the title, with biblatex's `subtitle` after it (`Twice-Born, Once Conceived: Meaning Construction
    and Cultural Cognition`): biblatex prints the two as one title, and a paper file has one field for both."""
    title = decode_title(values["title"])
    subtitle = decode_title(values.get("subtitle", ""))
    if not subtitle:
        return title
    return f"{title} {subtitle}" if title.endswith((":", "?", "!", ".")) else f"{title}: {subtitle}"


# Preprint servers other than arXiv, which an entry names as its journal: the venue stays, the paper is a preprint.
_PREPRINT_SERVER = re.compile(
    r"\b(bioRxiv|medRxiv|ChemRxiv|TechRxiv|PsyArXiv|SocArXiv|EarthArXiv|SSRN|Research Square|Preprints\.org)\b",
    re.IGNORECASE,
)


def paper_fields(entry: Entry, values: dict[str, str], default_category: str, warnings: list) -> tuple[dict, str]:
    """Return the front matter and Markdown body for one entry's resolved field values."""
    entry_type = entry.entry_type.lower()

    def warn(message: str) -> None:
        warnings.append((entry.key, (entry.start_line or 0) + 1, message))

    if not values.get("title", "").strip():
        raise _Unreadable("missing `title`")
    people = values.get("author", "")
    if not people.strip() and values.get("editor", "").strip() and entry_type in _EDITED:
        people = values["editor"]  # an edited book's editors are its authors, as BibTeX's styles list them
        warn("no `author`: its editors are listed as its authors")
    if not people.strip():
        raise _Unreadable("missing `author`")
    title = _title(values)
    if not title.strip():  # `{}`, `\relax`: the file's `title` would be refused
        raise _Unreadable("`title` is empty once its LaTeX is read")
    front: dict = {"title": title, "authors": _authors(people)}
    link_warnings: list[str] = []  # reported after the date's and the category's, in the order of the fields
    links, publisher_page = _links(values, link_warnings.append, from_dblp=_from_dblp(entry.key, values))
    front["date"] = _date(values, warn, links.get("arxiv"))  # an arXiv ID dates an entry without a year
    # An old arXiv ID names its archive (`hep-th/9711200`, `math.AG/0601001`): the category when none is given.
    eprint = values.get("eprint", "").strip().removeprefix("arXiv:")
    old_style = eprint.partition("/")[0] if "/" in eprint and _ARXIV_ID.fullmatch(eprint) else None
    keywords = values.get("keywords", "")
    subjects = _arxiv_subjects(keywords)  # Zotero's tags for arXiv's subjects: "Computer Science - Robotics"
    primary = values.get("primaryclass") or values.get("eprintclass") or old_style
    if subjects:  # the given class first when it is a category (biblatex's `eprintclass` may be just `cs`)
        known = _category(primary, "", lambda _message: None) if primary else ""
        front["categories"] = list(dict.fromkeys([*filter(None, [known]), *subjects.values()]))
    else:
        named = "primaryClass" if values.get("primaryclass") else "eprintclass" if values.get("eprintclass") else None
        front["categories"] = [_category(primary, default_category, warn, named or f"the arXiv ID {eprint}'s archive")]
        if not primary or not primary.split():
            front[DEFAULTED] = True  # `import_bib` counts these, and takes the mark out
    for message in link_warnings:
        warn(message)
    # journaltitle: biblatex's journal; howpublished: a `@misc`'s, unless it gives an address instead
    venues = ("booktitle", "journal", "journaltitle", "school", "institution", "howpublished")
    # A field whose LaTeX prints nothing (`{}`, `~`) names no venue: the file's `venue` would be refused.
    named = next((name for name in venues if decode(values.get(name, "")).strip()), None)
    venue = values[named] if named and not (named == "howpublished" and _howpublished_address(values)) else None
    pub_type = PUB_TYPES.get(entry_type)
    if venue and re.search(r"\b(arXiv|CoRR)\b", venue, re.IGNORECASE):
        venue, pub_type = None, "preprint"  # Google Scholar's `journal = {arXiv preprint arXiv:…}`
    if venue:
        front["venue"] = decode(venue)
        if pub_type in ("journal", "chapter") and citations.venue_kind(front["venue"]) == "conference":
            # Google Scholar's NeurIPS: `@article`, journal = {Advances in Neural …}; the NeurIPS proceedings'
            # own export before 2019 and Springer's LNCS: `@incollection`, booktitle = {… 29}, {Proceedings …}
            pub_type = "conference"
        if pub_type == "conference" and re.search(r"\bworkshop\b", front["venue"], re.IGNORECASE):
            pub_type = "workshop"
        if pub_type in (None, "journal", "report") and _PREPRINT_SERVER.search(front["venue"]):
            pub_type = "preprint"  # Zotero's `@article{…, journal = {bioRxiv}}`: a preprint, named by its server
    if "arxiv" in links and (pub_type is None or (pub_type == "journal" and not venue)):
        pub_type = "preprint"  # INSPIRE's and Zotero's preprints are `@article`s naming no journal
    if pub_type:
        front["pub_type"] = pub_type
    # al-folio's badge is `award_name`, and `award` the text it unfolds (or `true`, in some of its forks).
    award_name, award = (decode(values.get(name, "")).strip() for name in ("award_name", "award"))
    if award_name or (award and award.lower() not in ("true", "yes", "1")):
        front["award"] = award_name or award
    if values.get("selected", "").strip().lower() in ("true", "yes", "1"):  # al-folio's papers on its home page
        front["featured"] = True
    preview = values.get("preview", "").strip()  # al-folio's picture, a file in assets/img/publication_preview/
    if preview:
        if _ALFOLIO_FILE_RE.fullmatch(preview) and preview.lower().endswith(IMAGE_SUFFIXES):
            front["image"] = f"/assets/img/publication_preview/{preview}"  # copy the old site's folder over
        else:
            warn(f"preview {preview!r} is not a picture's file name and was left out")
    if links:
        front["links"] = links
    if CITATION_KEY.fullmatch(entry.key):  # kept, so every `\cite{...}` of it still finds the paper
        front["key"] = entry.key
    elif entry.key.strip():
        warn(
            f"key `{entry.key}` is not kept (a key is at most 100 of the letters, digits and `_:./-` every BibTeX "
            "reads): a new one is made; set `key:` to cite it by another"
        )
    extra = {name: _kept(name, values[name]) for name in KEPT if values.get(name, "").strip()}
    if "volume" in extra and _arxiv_volume(values):
        del extra["volume"]  # the arXiv ID, which `links:` holds
    if publisher_page:
        extra["url"] = publisher_page
    if award_name and award and award.lower() not in ("true", "yes", "1"):
        extra["award_text"] = award  # what al-folio unfolds under the badge
    if extra:
        front["extra"] = extra
    if subjects:
        keywords = _SUBJECT_RE.sub("", keywords)  # they became categories
    tags = [decode(t) for t in re.split(r"[,;]", keywords)]
    if any(tags):
        front["tags"] = list(dict.fromkeys(t for t in tags if t))
    return front, decode(values.get("abstract", ""), keep_paragraphs=True)


# Fields a paper has no place for, kept under `extra:` (the schema's free mapping, for the user's own layouts) so
# nothing the .bib held is lost. Numbers and page ranges are kept as written (`1--20`, BibTeX's range), minus
# braces; the others are text, read as the characters their LaTeX makes.
KEPT = ("volume", "number", "pages", "publisher", "series", "address", "edition", "isbn", "issn", "note")
KEPT += ("abbr", "additional_info")  # al-folio's venue badge and line of notes
_AS_WRITTEN = ("volume", "number", "pages", "edition", "isbn", "issn")


def _kept(name: str, value: str) -> str:
    """Return the text `extra:` keeps of a field it holds."""
    return " ".join(value.replace("{", "").replace("}", "").split()) if name in _AS_WRITTEN else decode(value)


def render_file(front: dict, body: str, origin: str) -> str:
    """Return a paper file: `---`, a provenance comment, YAML that round-trips any title, `---`, the abstract."""
    dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=2**16, default_flow_style=False)
    comment = "# Imported from " + " ".join(origin.split()) + "\n"
    return f"---\n{comment}{dumped}---\n" + (body + "\n" if body else "")


def make_slug(key: str, title: str) -> str:
    """Return the file name stem: the key when it is a plain word, else the title's first words."""
    source = key if _PLAIN_KEY.match(key) else " ".join(title.split()[:8])
    ascii_text = unicodedata.normalize("NFKD", source).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80].rstrip("-") or "paper"


def _values(entry: Entry, entries: dict[str, Entry], strings: dict[str, str], warnings: list) -> dict[str, str]:
    """Return the entry's field values, resolved, lowercase-keyed, with crossref'd fields filled in."""
    values = {f.key.lower(): resolve_value(str(f.value), strings) for f in entry.fields}
    for name, value in values.items():
        control = CONTROL.search(value)
        if control:  # the paper file would be refused
            raise _Unreadable(f"`{name}` contains the control character U+{ord(control.group()):04X}")
    parent_key = values.get("crossref", "").strip()
    if parent_key:
        parent = entries.get(parent_key.lower())
        if parent is entry:  # its own title would become its booktitle, a venue the .bib never named
            warnings.append((entry.key, (entry.start_line or 0) + 1, f"crossref `{parent_key}` is the entry itself"))
        elif parent is None:
            warnings.append((entry.key, (entry.start_line or 0) + 1, f"crossref `{parent_key}` is not in the file"))
        else:
            inherited = {f.key.lower(): resolve_value(str(f.value), strings) for f in parent.fields}
            if "title" in inherited and "booktitle" not in inherited:
                inherited["booktitle"] = inherited["title"]
            for name in INHERITED:
                if name in inherited and not values.get(name):
                    values[name] = inherited[name]
    return values


# An accent or a letter written as a macro outside braces (`Pe\~na`, `Nguy\~{\^e}n`, `\c c`, `Gr\o nbech`):
# bibtexparser splits names at every `~` and space outside braces, the accent's too, and "Pe\~na, Juan" became
# "Juan Pe na". `_brace_accents` first puts each in a group of its own (`Pe{\~n}a`), as BibTeX users write them.
_LETTER_ACCENTS = ("u", "v", "H", "c", "k", "r", "d", "b", "t")
_LETTERS = ("o", "O", "l", "L", "ss", "ae", "AE", "oe", "OE", "aa", "AA", "i", "j")
_ACCENT_OR_LETTER = re.compile(r"\\(?:['`^\"~=.]|(" + "|".join(_LETTER_ACCENTS + _LETTERS) + r")(?![A-Za-z]))")
_ACCENTED_LETTER = re.compile(r"[ \t]*(?:\\[ij](?![A-Za-z])|[A-Za-z])")


def _brace_accents(text: str) -> str:
    """Return `text` with each accent macro and its letter (`\\~n`, `\\~{\\^e}`, `\\c c`), and each letter macro
    (`\\o`), outside braces put in braces; the spaces that end a letter macro's name (`Gr\\o nbech`) go, as in
    LaTeX."""
    out, depth, index = [], 0, 0
    while index < len(text):
        char = text[index]
        if char != "\\":
            depth += {"{": 1, "}": -1}.get(char, 0)
            out.append(char)
            index += 1
            continue
        found = _ACCENT_OR_LETTER.match(text, index) if depth == 0 else None
        if found is None:  # an escaped character (`\{`) or another macro: kept as written
            out.append(text[index : index + 2])
            index += 2
            continue
        end = found.end()
        after = end + len(text[end:]) - len(text[end:].lstrip(" \t"))
        if found.group(1) in _LETTERS:
            out.append("{" + text[index:end] + "}")
            end = after if _ACCENTED_LETTER.match(text, end) else end
            end += 2 if text.startswith("{}", end) else 0
        else:
            group = latex.read_group(text, after) if text.startswith("{", after) else None
            letter = _ACCENTED_LETTER.match(text, end)
            end = group[1] if group else letter.end() if letter else end
            out.append("{" + text[index:end] + "}")
        index = end
    return "".join(out)


# The marks al-folio and many CVs put on a name for equal contribution (`Jonas*`, `Wei\textsuperscript{*}`,
# `John$^*$`) and for a corresponding author (`\dag`, `†`): each becomes what the front matter says with a field,
# and leaves the name, which it split from the same person's name elsewhere and hid the owner's.
# (`$^{1*}$`: an affiliation's number with the mark, which goes with it; `\ast` is the mark spelt out.)
_EQUAL_MARK = re.compile(
    r"\\textsuperscript\s*\{\s*(?:\*|\\ast)\s*\}|\$\s*\^\s*(?:\*|\\ast\b|\{[^{}$*]*(?:\*|\\ast)[^{}$]*\})\s*\$|\*"
)
_CORRESPONDING_MARK = re.compile(
    r"\\textsuperscript\s*\{\s*(?:\\dag(?:ger)?|†)\s*\}|\$\s*\^\s*(?:\{\s*)?\\dag(?:ger)?\s*(?:\}\s*)?\$|\\dag(?:ger)?\b|†"
)


# Asterisks that are not `*` but look it, typed into names as the mark (`∗Yadav, Sourabh`, an al-folio papers.bib).
_ASTERISKS = str.maketrans({"\u2217": "*", "\uff0a": "*", "\u204e": "*"})  # ∗ operator, fullwidth ＊, low ⁎


def _authors(raw: str) -> list[str | dict]:
    """Return display names (`Given von Family Jr`) with `others` kept last for an et-al list; a name marked
    for equal contribution or as the corresponding author's (`_EQUAL_MARK`, `_CORRESPONDING_MARK`) is a
    mapping that says so, without the mark."""
    names: list[str | dict] = []
    for person in split_multiple_persons_names(_brace_accents(raw)):
        if person.strip().lower() == "others":
            names.append("others")
            continue
        marks = {}
        person = person.translate(_ASTERISKS)
        if "*" in person or "\\ast" in person:
            person, found = _EQUAL_MARK.subn("", person)
            marks["equal_contribution"] = bool(found)
        if "dag" in person or "†" in person:
            person, found = _CORRESPONDING_MARK.subn("", person)
            marks["corresponding"] = bool(found)
        marks = {key: True for key, value in marks.items() if value}
        try:
            parts = parse_single_name_into_parts(person, strict=False)
        except InvalidNameError as error:
            raise _Unreadable(f"author {person!r} cannot be read: {error}") from None
        name = _display_name(person, parts)
        if name:
            names.append({"name": name, **marks} if marks else name)
    if "others" in names:  # et al.: whoever follows is cut, so someone must come before it
        names = names[: names.index("others") + 1]
    if not [n for n in names if n != "others"]:
        raise _Unreadable("`author` names nobody" + (" before `others`" if names else ""))
    return names


def _display_name(person: str, parts) -> str:  # noqa: ANN001 - bibtexparser's name parts
    """Return a name as displayed (`Given von Family Jr`), with the family braced (`Tito {Dal Canton}`) when the
    entry names it explicitly (`Dal Canton, Tito`, `{European Commission}`) and the exports, which take the last
    word with its particles (`citations.split_name`), would take another: a family of two words was exported
    as `Canton, Tito Dal`."""
    given, family, suffix = (
        " ".join(w for w in map(decode, words) if w) for words in (parts.first, [*parts.von, *parts.last], parts.jr)
    )
    name = " ".join(part for part in (given, family, suffix) if part)
    explicit = has_top_level_comma(person) or (len(parts.last) == 1 and parts.last[0].startswith("{") and " " in family)
    if not explicit or suffix or " " not in family or family.split()[-1] in citations.SUFFIXES:
        return name  # (`Santana Jr., E. G.`: BibTeX's family, but the exports read `Jr.` as what it is)
    if citations.split_name(name).family == family:
        return name
    return f"{given} {{{family}}}" if given else "{" + family + "}"


_YEAR_HINT = "add the year it appeared to the entry (`year = {YYYY}`, or biblatex's `date = {YYYY-MM-DD}`)"


def _date(values: dict[str, str], warn, arxiv: str | None = None) -> int | str | datetime.date:
    """Return `YYYY`, `YYYY-MM` or a date from biblatex `date`, or `year` with `month` and `day`; with neither,
    the month an arXiv ID names (`2405.01234`, `hep-th/9711200`: its first version's), else refuse with a hint."""
    found = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", values.get("date", "").strip())
    year_text = values.get("year", "").strip()
    if "{" in year_text or "\\" in year_text:  # BibTeX's own sort trick: `{\noopsort{1973b}}1973` prints 1973
        year_text = decode(year_text)
    from_arxiv = re.match(r"(?:.*/)?(\d\d)(0[1-9]|1[0-2])", arxiv) if arxiv and not year_text else None
    if found:
        year, month, day = (int(g) if g else None for g in found.groups())
    elif from_arxiv:  # arXiv's IDs begin YYMM since 1991: 91-99 are 1990s
        yy, month = (int(g) for g in from_arxiv.groups())
        return f"{(1900 if yy >= 91 else 2000) + yy:04d}-{month:02d}"
    else:
        if not re.fullmatch(r"\d{4}", year_text):
            why = f"`year` must be a four-digit year, got {year_text!r}" if year_text else "missing `year`"
            raise _Unreadable(f"{why}: {_YEAR_HINT}")
        year, month, day = int(year_text), _month(values.get("month", ""), warn), None
        if month and values.get("day", "").strip().isdigit():
            day = int(values["day"])
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        warn(f"date {year}-{month}-{day} does not exist; only the year is kept")
        return year
    if day:
        return datetime.date(year, month, day)
    return f"{year:04d}-{month:02d}" if month else year


def _month(text: str, warn) -> int | None:
    """Return the month number of `sep`, `September`, `Sept.` or `9`."""
    text = text.strip().rstrip(".").lower()
    if not text:
        return None
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    if text[:3] in MONTHS:
        return MONTHS.index(text[:3]) + 1
    # PMLR writes the days of the conference with the month (`month = {23--29 Jul}`, every ICML paper), and
    # BibTeX's own example a day before a month macro (`"10~" # jan`): one month named among the words is it.
    named = {number for word in re.findall(r"[a-z]+", text) if (number := _month_named(word))}
    if len(named) == 1:
        return named.pop()
    warn(f"month {text!r} is not a month; only the year is kept")
    return None


_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")  # fmt: skip


def _month_named(word: str) -> int | None:
    """Return the month a word names in full or cut short (`jul`, `sept`, `december`), else None."""
    if len(word) < 3:
        return None
    return next((number for number, name in enumerate(_MONTH_NAMES, 1) if name.startswith(word)), None)


# arXiv's subjects as Zotero names them in the tags of an arXiv item: "<group> - <name>" for a category in an
# archive of several ("Computer Science - Computation and Language", "Statistics - Machine Learning"), the name
# alone for an archive that is one ("Quantum Physics", "High Energy Physics - Theory").
_GROUPS = {
    "cs": "Computer Science",
    "math": "Mathematics",
    "stat": "Statistics",
    "physics": "Physics",
    "q-bio": "Quantitative Biology",
    "q-fin": "Quantitative Finance",
    "eess": "Electrical Engineering and Systems Science",
    "econ": "Economics",
    "astro-ph": "Astrophysics",
    "cond-mat": "Condensed Matter",
    "nlin": "Nonlinear Sciences",
}
_SUBJECTS = {
    (f"{_GROUPS[code.partition('.')[0]]} - " if "." in code else "") + re.sub(r" \([^)]*\)$", "", name): code
    for code, name in categories.ARXIV_NAMES.items()
}
# Longest first, and whole keywords only: some names hold commas ("Distributed, Parallel, and Cluster Computing").
_SUBJECT_RE = re.compile(
    r"(?:(?<=^)|(?<=[,;]))\s*("
    + "|".join(re.escape(name) for name in sorted(_SUBJECTS, key=len, reverse=True))
    + r")\s*(?=[,;]|$)"
)


def _arxiv_subjects(keywords: str) -> dict[str, str]:
    """Return the arXiv subjects among an entry's keywords, as written, with their category codes."""
    return {found: _SUBJECTS[found] for found in _SUBJECT_RE.findall(keywords)} if keywords else {}


def _category(primary: str | None, default: str, warn, named: str = "primaryClass") -> str:
    """Return the primary arXiv category from `primaryClass` (`cs.CL`, `CL`) or an old arXiv ID's archive,
    else the default; a warning says which field `named` the class it cannot use."""
    if not primary or not primary.split():
        return default
    try:
        return categories.resolve(primary.split()[0])
    except ValueError as reason:
        warn(f"{named} {primary!r} {reason}; using {default}")
        return default


# Fields naming one kind of link: al-folio's (`html`, `website`, `slides`, `poster`, `video`, `blog`) and the
# usual `pdf` and `code`. A generic `url` (and a `file` field's addresses) is sorted by `_url_kind`.
_LINK_FIELDS = {"pdf": "pdf", "code": "code", "html": "project", "website": "project", "slides": "slides"}
_LINK_FIELDS |= {"poster": "poster", "video": "video", "blog": "blog"}
# al-folio keeps the files its `pdf`, `slides` and `poster` fields name in assets/pdf/.
_ALFOLIO_FILES = ("pdf", "slides", "poster")
_ALFOLIO_FILE_RE = re.compile(r"[\w. -]+\.[A-Za-z0-9]+")


# Hosts of proceedings and publishers, where a `url` is the paper's page there (its abstract and a PDF link),
# not the paper's project page. DBLP's own records (dblp.org) are among them.
PUBLISHER_HOSTS = (
    "dblp.org", "dblp.uni-trier.de", "proceedings.mlr.press", "papers.nips.cc", "proceedings.neurips.cc",
    "aclanthology.org", "openreview.net", "dl.acm.org", "ieeexplore.ieee.org", "link.springer.com",
    "openaccess.thecvf.com", "ojs.aaai.org", "www.ijcai.org", "www.sciencedirect.com", "jmlr.org", "www.jmlr.org",
    "api.semanticscholar.org", "www.semanticscholar.org", "linkinghub.elsevier.com", "portal.acm.org",
    # journals' publishers and the indexes of their papers, whose pages name a paper by their own numbers
    "www.mdpi.com", "www.nature.com", "www.science.org", "www.cell.com", "www.pnas.org", "academic.oup.com",
    "onlinelibrary.wiley.com", "pubs.acs.org", "pubs.rsc.org", "pubs.aip.org", "iopscience.iop.org",
    "journals.aps.org", "journals.plos.org", "www.frontiersin.org", "www.tandfonline.com", "journals.sagepub.com",
    "www.cambridge.org", "www.jstor.org", "papers.ssrn.com", "www.ncbi.nlm.nih.gov", "pubmed.ncbi.nlm.nih.gov",
    "europepmc.org", "inspirehep.net", "ui.adsabs.harvard.edu", "www.researchgate.net", "scholar.google.com",
)  # fmt: skip


def _from_dblp(key: str, values: dict[str, str]) -> bool:
    """Return whether an entry is DBLP's: its key (`DBLP:conf/icml/Smith22`) or its `biburl`/`bibsource`."""
    return key.startswith("DBLP:") or any("dblp.org" in values.get(name, "") for name in ("biburl", "bibsource"))


def _publisher_page(url: str, from_dblp: bool, doi: str = "") -> bool:
    """Return whether a `url` is the paper's page at a publisher or proceedings (or DBLP's record of it): on a
    host of `PUBLISHER_HOSTS`, or an address holding the entry's own DOI (`ascelibrary.org/doi/10.1061/…`, as
    Wiley, ACS, SAGE, Taylor & Francis and Springer name their pages)."""
    host = re.match(r"https?://([^/:?#]+)", url)
    if from_dblp or (host is not None and host.group(1).lower() in PUBLISHER_HOSTS):
        return True
    return bool(doi) and "/" + doi.lower() in unquote(url).lower()


def _arxiv_volume(values: dict[str, str]) -> str | None:
    """Return the arXiv ID an entry gives only as its volume: Semantic Scholar's export (`journal = {ArXiv},
    volume = {abs/2106.11959}`) and DBLP's older CoRR entries, as CoRR numbers its volumes. It becomes the
    `arxiv` link, and is not kept as a volume too, which the site's BibTeX would export beside the eprint."""
    if not re.search(r"\b(arxiv|corr)\b", values.get("journal", ""), re.IGNORECASE):
        return None
    found = _ARXIV_ID.fullmatch(values.get("volume", "").strip().removeprefix("abs/"))
    return found.group(1) if found else None


def _links(values: dict[str, str], warn, *, from_dblp: bool = False) -> tuple[dict, str | None]:
    """Return `links:` from eprint, arxiv, doi, url, pdf, file and al-folio's link fields, in the site's
    link order, and the paper's page at its publisher, which is none of them."""
    links: dict = {}
    publisher_page = None
    prefix = (values.get("archiveprefix") or values.get("eprinttype") or "arxiv").strip().lower()
    eprint = _ARXIV_ID.fullmatch(values.get("eprint", "").strip().removeprefix("arXiv:"))
    journal = values.get("journal", "")
    # Google Scholar's `journal = {arXiv preprint arXiv:…}`, and a `@misc`'s `howpublished` written the same way
    in_journal = next(
        (_ARXIV_ID.search(text) for text in (journal, values.get("howpublished", "")) if "arxiv" in text.lower()),
        None,
    )
    if (eprint and prefix == "arxiv") or in_journal:
        links["arxiv"] = (eprint if eprint and prefix == "arxiv" else in_journal).group(1)
    alfolio_arxiv = _ARXIV_ID.fullmatch(values.get("arxiv", "").strip().removeprefix("arXiv:"))  # al-folio's
    if alfolio_arxiv:
        links.setdefault("arxiv", alfolio_arxiv.group(1))
    in_volume = _arxiv_volume(values)
    if in_volume:
        links.setdefault("arxiv", in_volume)
    doi = _DOI_RESOLVER.sub("", _address(values.get("doi", "")))
    # DBLP and others escape a URL's `_`, `%`, `&`, `#` and `~` for LaTeX (`paper\_files`): the address has none.
    fields = [(name, _address(values.get(name, ""))) for name in ("url", *_LINK_FIELDS)]
    found = [(name, url) for name, value in fields for url in _addresses(value)]
    found += [("url", url) for url in _file_urls(values.get("file", ""))]
    shown = _howpublished_address(values)
    if shown:
        found.append(("url", _address(shown)))
    for name, url in found:
        if name in _ALFOLIO_FILES and _ALFOLIO_FILE_RE.fullmatch(url):
            links.setdefault(_LINK_FIELDS[name], f"/assets/pdf/{url}")  # copy the old site's assets/pdf/ over
            continue
        if not _SAFE_URL.match(url):
            warn(f"{url!r} is not an http(s) URL and was left out")
            continue
        problem = web_address_problem(mend_address(url))
        if problem is not None:  # `check` refuses it: the file would not build
            warn(f"{url!r} is not a well-formed address ({problem}) and was left out")
            continue
        arxiv = re.search(r"arxiv\.org/(?:abs|pdf|html)/" + _ARXIV_ID.pattern, url)  # html: its HTML view
        page = name in ("url", "html")  # al-folio's `html` is the paper's page, as often at its publisher
        if arxiv:
            links.setdefault("arxiv", arxiv.group(1))
        elif page and _url_kind(url) == "project" and _publisher_page(url, from_dblp, doi):
            publisher_page = publisher_page or url
        elif page and _url_kind(url) == "doi":
            named = _DOI_RESOLVER.sub("", url)
            if not DOI.match(unquote(named)):  # `http://doi.acm.org/`, `https://doi.org/10.1/a`: check refuses it
                warn(f"{url!r} is no DOI's address (10.xxxx/…) and was left out")
                continue
            links.setdefault("doi", named if "doi.acm.org/" in url else url)
        else:
            links.setdefault(_url_kind(url) if page else _LINK_FIELDS.get(name) or _url_kind(url), url)
    if re.fullmatch(r"10\.\d{4,9}/\S+", doi):
        links["doi"] = doi
    elif doi:
        warn(f"doi {doi!r} is not a DOI (10.xxxx/…) and was left out")
    problem = arxiv_id_problem(links["arxiv"]) if "arxiv" in links else None
    if problem is not None:  # `2402.0241`, a digit lost: `check` refuses it, and it would cite another paper
        warn(f"arXiv ID {links.pop('arxiv')!r} is no arXiv ID ({problem}) and was left out")
    return {kind: links[kind] for kind in LINK_KINDS if kind in links}, publisher_page


def _addresses(value: str) -> list[str]:
    """Return the addresses of a link field: Mendeley Desktop writes every address of an item into one `url`,
    separated by spaces (`https://pubs.rsc.org/… https://pubs.rsc.org/…`); a field of one address is itself."""
    parts = value.split()
    if len(parts) > 1 and all(_SAFE_URL.match(part) for part in parts):
        return parts
    return [value] if value else []


def _howpublished_address(values: dict[str, str]) -> str | None:
    """Return the address a `@misc`'s `howpublished` gives instead of a venue (`\\url{https://github.com/…}`)."""
    shown = re.fullmatch(r"\s*(?:\\url\s*\{([^{}]+)\}|(https?://\S+))\s*", values.get("howpublished", ""))
    return (shown.group(1) or shown.group(2)).strip() if shown else None


def _address(value: str) -> str:
    """Return a URL or DOI field's address without the LaTeX escapes BibTeX tools write in it (DBLP's
    `paper\\_files`, Mendeley's `{\\_}` and `{~}`): the address has none."""
    return _LATEX_ESCAPE.sub(r"\1", _BRACED_ESCAPE.sub(r"\1", value.strip()))


# A DOI resolver's address, or a DOI's `doi:` prefix: doi.org, and the ACM's own of before 2017, which its
# Digital Library wrote into `url` and `doi` (`http://doi.acm.org/10.1145/1374618.1374652`).
_DOI_RESOLVER = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|https?://doi\.acm\.org/|doi:)", re.IGNORECASE)


def _url_kind(url: str) -> str:
    """Return which link a bare `url` is: a DOI, code, a PDF, or (for want of a better word) the project page."""
    if "doi.org/" in url or _DOI_RESOLVER.match(url):
        return "doi"
    if re.match(r"https?://(www\.)?git(hub|lab)\.com/", url):
        return "code"
    return "pdf" if url.lower().endswith(".pdf") else "project"


def _file_urls(value: str) -> list[str]:
    """Return the web addresses in a JabRef/Zotero `file` field (`Description:URL:Type;…`), not local paths."""
    urls = []
    for item in value.split(";"):
        start = item.find("http")
        if start >= 0:
            urls.append(re.sub(r":(?!//)[A-Za-z+.-]+(/[A-Za-z+.-]+)?$", "", item[start:].strip()))
    return urls


def _failure(block) -> tuple[str, int, str]:
    """Return (key, line, reason) for a block bibtexparser could not read."""
    line = (block.start_line or 0) + 1
    head = (block.raw or "").partition("{")[2].partition(",")[0].strip()
    key = head if head and len(head) < 100 and "\n" not in head else "?"
    if isinstance(block, DuplicateBlockKeyBlock):
        first = (block.previous_block.start_line or 0) + 1
        return block.key, line, f"duplicate key; the entry at line {first} is the one imported"
    error = block.error
    reason = error.abort_reason if isinstance(error, BlockAbortedException) else str(error) or type(error).__name__
    return key, line, "could not be parsed: " + " ".join(reason.split())


def _write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so a crash never leaves half a paper file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, path)
