"""Find paper files and turn their text into located YAML values, reporting problems by file and line.

`parse(text, path)` is a pure function of text. `read_paper_file` is the thin layer that reads bytes,
decodes strict UTF-8 and refuses what must not be read (symlinks out of `content/`, binary or huge files).

We do not use python-frontmatter here: it returns `{}` for a missing block or a YAML list and strips
leading blank lines, which shifts every line number. PyYAML's composer gives every node a mark, so each
field keeps the line and column it was written on, counted in the whole file.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Problem, close_matches
from .record import record

if TYPE_CHECKING:
    import yaml

# PyYAML is imported only when front matter is outside what `read_simple_yaml` reads (and for the
# rare number that is not a plain decimal): its import takes about 12 ms of every build's start-up,
# on the one core that is busy then (measured 2026-12-05), and the default site never needs it.
_Loader: Any = None  # the PyYAML loader class `compose_yaml` uses (`_yaml_loader`); tests set it

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # how a UTF-16 file starts, little- or big-endian
MAX_FILE_BYTES = 1024 * 1024  # a paper file larger than this is almost surely a mistake
MAX_NODES = 20_000  # guards against YAML alias bombs
# Front matter nests a few levels (`links:` holds a mapping). PyYAML composes recursively, in C with libyaml,
# and crashed the process (a segmentation fault) on 50,000 nested brackets, so deeper YAML is refused first.
MAX_DEPTH = 50
# Suffixes that mean Markdown: a paper file named with one but `.md` is not read, with a warning.
MARKDOWN_SUFFIXES = frozenset((".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn"))
# From the line feed before it: a pattern that starts with a character is searched for far faster than `^`.
_CLOSING = re.compile(r"\n(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_TAG = "tag:yaml.org,2002:"
# Characters XML 1.0 forbids (feeds, sitemap) or HTML calls parse errors: C0 and C1 controls and Unicode's
# noncharacters (U+FDD0-U+FDEF, the last two of every plane); tab, CR and LF are fine.
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_NONCHARACTERS}]")
# Those below U+0080, as bytes: in UTF-8 no other character's encoding holds one.
CONTROL_BYTES = bytes(code for code in range(0x80) if CONTROL.match(chr(code)))


@record(slots=True)  # not frozen: a frozen dataclass takes four times as long to make, and a paper has ~35
class Located:
    """A YAML value with the 1-based line and column where it was written in the file; never changed once made."""

    value: Any  # str | int | float | bool | None | list[Located] | dict[str, Located]
    line: int
    col: int
    key_line: int = 0  # where the key of a mapping value was written, for "unknown field" messages
    key_col: int = 0


@record(frozen=True, slots=True)
class RawPaper:
    """A paper file split into located front-matter fields and its Markdown body."""

    path: str
    fields: dict[str, Located]
    body: str
    slug_from_name: str


class _Fail(Exception):
    def __init__(self, line: int, col: int, message: str, hint: str | None = None):
        super().__init__(message)
        self.line, self.col, self.message, self.hint = line, col, message, hint


def _other_front_matter(first_line: str) -> str | None:
    """Return a hint for front matter other generators read (Hugo and Zola: TOML between `+++` lines; Hugo:
    a JSON object), or None."""
    start = first_line.lstrip("\ufeff \t")
    kind = "TOML (`+++`, Hugo's and Zola's)" if start.startswith("+++") else "JSON" if start.startswith("{") else ""
    return f"{kind} front matter is not read: write the fields as YAML between `---` lines" if kind else None


def _late_fence(text: str) -> str | None:
    """Return the hint for a file whose `---` comes after blank lines or is indented (an editor's new file,
    a paste), or for a Markdown file with no front matter (notes kept beside the papers), or None."""
    if not text.strip():
        return None
    lines = text.split("\n")
    for number, line in enumerate(lines[:20], start=1):
        if line.strip() == "---":
            return f"delete what comes before the `---` on line {number}: the file's first line must be `---`"
        if line.strip():
            break
    if "\n---" not in text and not text.lstrip().startswith("---"):
        return "every .md file here is read as a paper; keep notes elsewhere, or in a hidden file (.notes.md)"
    return None


def parse(text: str, path: str, slug_from_name: str = "") -> tuple[RawPaper | None, list[Problem]]:
    """Split front matter from body and compose the YAML, locating every value in the whole file."""
    text = text.removeprefix("\ufeff")
    if "\r" in text and "\n" not in text:  # classic Mac OS line endings (CR alone): lines as every editor shows
        text = text.replace("\r", "\n")
    control, bidi = _find_control(text)
    if control:
        return None, [control_problem(path, text, control)]
    first_end = text.find("\n")
    first_line = text if first_end < 0 else text[:first_end]
    if first_line.rstrip("\r \t") != "---":
        message = "file is empty; a paper" if not text.strip() else "file"
        message += " must start with a `---` line opening the YAML front matter"
        return None, [Problem(path, 1, 1, message, hint=_other_front_matter(first_line) or _late_fence(text))]
    closing = _CLOSING.search(text, first_end) if first_end >= 0 else None
    if closing is None:
        return None, [Problem(path, 1, 1, "front matter opened with `---` is never closed by a `---` line")]
    yaml_text = text[first_end + 1 : closing.start() + 1]
    body = text[closing.end() :].removeprefix("\n").strip("\r\n")
    doubled = body.startswith("---") and body[:4].rstrip("\r\n \t") == "---"
    fence = _fence_problem(text, closing, path) if doubled or _FIELD_LIKE.match(body) else None
    if fence is not None and fence.severity == "error":
        return None, [fence]
    try:
        fields = read_simple_yaml(yaml_text)
        if fields is None:
            fields = compose_yaml(yaml_text)
    except _Fail as error:
        return None, [Problem(path, error.line, error.col, error.message, hint=error.hint)]
    except Exception as error:
        yaml = sys.modules.get("yaml")  # imported by `compose_yaml`, the only source of YAML errors
        if yaml is None or not isinstance(error, yaml.YAMLError):
            raise
        return None, [_yaml_problem(error, yaml_text, path)]
    if bidi:
        fields = {key: _contain_bidi(item) for key, item in fields.items()}
        body = contain_bidi(body)
    warnings = comment_warnings(yaml_text, path) if " #" in yaml_text else []
    return RawPaper(path, fields, body, slug_from_name), warnings + [fence] if fence else warnings


_FIELD_LIKE = re.compile(r"[a-z_]+:(?: |\r?$)", re.MULTILINE)  # `venue: NeurIPS`, `links:`


def _fence_problem(text: str, closing: re.Match, path: str) -> Problem | None:
    """Return the problem of a `---` line written twice: a stray one among the fields closed the front matter
    early, so the fields after it (up to the real closing line) were the abstract, `venue: NeurIPS 2024 …`
    shown as text and the paper without them; or the closing line doubled, which began the abstract with a
    horizontal rule."""
    line = text.count("\n", 0, closing.start()) + 2  # the closing `---` line, 1-based
    after = text[closing.end() :].removeprefix("\n").split("\n")
    first = next(n for n, rest in enumerate(after) if rest.strip())  # the body is not blank: it was matched
    if after[first].rstrip("\r \t") == "---":
        message = "a second `---` line after the front matter: the abstract would begin with a horizontal rule"
        return Problem(path, line + 1 + first, 1, message, "warning", hint="remove one of the two `---` lines")
    for offset, rest in enumerate(after[first + 1 :], start=first + 2):
        if rest.rstrip("\r \t") == "---":  # fields, then the closing line meant
            field = after[first].split(":", 1)[0]
            message = (
                f"this `---` ends the front matter early: `{field}:` and the lines after it, to the `---` at line"
                f" {line + offset}, would be the abstract"
            )
            hint = "remove this line: one `---` line opens the front matter and one closes it"
            return Problem(path, line, 1, message, hint=hint)
    return None


# A plain value on its key's line (or a list item), then ` #` and a letter or digit: `title: Aligner #1 method`.
_VALUE_THEN_COMMENT = re.compile(r"( *(?:- +)?(?:[A-Za-z_][\w-]*: +)?)([^\s'\"\[{#|>][^#]*?) +#([0-9A-Za-z].*)")
_BLOCK_SCALAR = re.compile(r" *(?:- +)?(?:[A-Za-z_][\w-]*: +)?[|>][-+0-9]* *(?:#.*)?")


def comment_warnings(yaml_text: str, path: str) -> list[Problem]:
    """Warn of a value cut short at ` #`, which YAML reads as the start of a comment: `title: Aligner #1
    method` is the title 'Aligner'. Only a `#` followed at once by a letter or digit is taken for part of the
    value (`#1`, `#MeToo`); `date: 2024 # first version` is a comment as meant."""
    problems = []
    block_indent = None  # inside a `|` or `>` block, where `#` is text
    for number, line in enumerate(yaml_text.split("\n"), start=2):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None and (not line.strip() or indent > block_indent):
            continue
        block_indent = indent if _BLOCK_SCALAR.fullmatch(line) else None
        found = _VALUE_THEN_COMMENT.fullmatch(line)
        if found is None or ": " in found.group(2) or found.group(2).endswith(":"):
            continue
        key = found.group(1).strip()
        cut = "#" + found.group(3)
        written = f"{key} '{(found.group(2) + ' ' + cut).replace(chr(39), chr(39) * 2)}'".lstrip()
        problems.append(
            Problem(
                path,
                number,
                len(found.group(1)) + len(found.group(2)) + 2,
                f"`{cut}` is read as a comment, not as part of the value {found.group(2)!r} before it",
                "warning",
                hint=f"quote the value to keep it whole: {written}",
            )
        )
    return problems


def _yaml_problem(error: Exception, yaml_text: str, path: str) -> Problem:
    """Return the problem to report for an error PyYAML raised reading front matter."""
    import yaml

    if not isinstance(error, yaml.MarkedYAMLError):
        return Problem(path, 2, 1, f"invalid YAML: {error}")
    # An unclosed quote or bracket is noticed far below where it starts; point at the start.
    context = error.context or ""
    scanning = error.context_mark is not None and ("quoted scalar" in context or "flow " in context)
    mark = error.context_mark if scanning else error.problem_mark or error.context_mark
    line = mark.line + 2 if mark else 2
    col = mark.column + 1 if mark else 1
    reason = (error.problem or error.context or "invalid YAML").strip()
    hint = None
    if scanning and "escape" in reason and error.problem_mark:  # `"\cite{x}"`: not a YAML escape
        mark = error.problem_mark  # at the backslash (libyaml) or the character after it (pure Python)
        back = 0 if yaml_text[mark.index : mark.index + 1] == "\\" else 1
        line, col = mark.line + 2, mark.column + 1 - back
        escape = yaml_text[mark.index - back : mark.index - back + 2]
        reason = f"`{escape}` is not an escape in a double-quoted string" if escape[:1] == "\\" else reason
        hint = LATEX_QUOTES_HINT
    elif scanning:
        what = context.split(" a ", 1)[-1]  # "while scanning a quoted scalar" -> "quoted scalar"
        reason = f"the {what} that starts here is not closed ({reason})"
    elif error.problem_mark and yaml_text[error.problem_mark.index : error.problem_mark.index + 1] == "\t":
        hint = "YAML indents with spaces, not tabs"  # PyYAML: "found character that cannot start any token"
    elif "mapping values are not allowed" in reason:  # `title: Aligner: Efficient…`, or a key indented too far
        hint = 'quote a value that holds `: ` (title: "Aligner: Efficient"); line a key up with the keys above it'
    elif "expected <block end>" in reason or "did not find expected key" in reason:  # a key out of line
        hint = "line a key up with the keys above it: YAML reads the indentation"
    if hint is None or hint.startswith(("quote a value", "line a key")):
        hint = _quote_hint(yaml_text, mark, closed=not scanning) or hint
    return Problem(path, line, col, f"invalid YAML: {reason}", hint=hint)


# A line's indent, list dash and key, then its value (`title: [Re] Aligner`, `  - @jdai`).
_KEY_AND_VALUE = re.compile(r"( *(?:- +)?(?:[A-Za-z_][\w-]*: +)?)(\S.*?) *$")
_SYNTAX_STARTS = "[{*&!@`\"'|>%"  # a plain value cannot start with these: YAML reads its own syntax there


def _quote_hint(yaml_text: str, mark: Any, *, closed: bool) -> str | None:
    """Return the hint for a value YAML read as its own syntax from its first character on (`title: [Re]
    Aligner`, `*Aligner* revisited`, `"Aligner" Efficient`, `@jdai`): the value quoted whole, or None. A
    bracket or quote never `closed` (`authors: [A, B`) is a list or text left open, not one to quote."""
    if mark is None:
        return None
    lines = yaml_text.split("\n")
    found = _KEY_AND_VALUE.fullmatch(lines[mark.line]) if mark.line < len(lines) else None
    if found is None or found.group(2)[0] not in _SYNTAX_STARTS or mark.column < len(found.group(1)):
        return None
    if not closed and found.group(2)[0] in "[{\"'":
        return None
    value = found.group(2).partition(" #")[0].rstrip() if found.group(2)[0] not in "\"'" else found.group(2)
    quoted = "'" + value.replace("'", "''") + "'"
    written = f"{found.group(1).strip()} {quoted}".lstrip()
    return f"YAML reads a value that starts with {value[0]} as its own syntax; quote the whole value: {written}"


def _yaml_loader() -> Any:
    """Return the PyYAML loader class: libyaml's, ten times faster, or pure Python's where it is missing."""
    import yaml

    return _Loader or getattr(yaml, "CSafeLoader", yaml.SafeLoader)


EMPTY_FRONT_MATTER = "front matter is empty; `title`, `authors`, `date` and `categories` are required"
NOT_A_MAPPING = "front matter must be a mapping of `key: value` lines"


def compose_yaml(yaml_text: str) -> dict[str, Located]:
    """Compose front matter with PyYAML and locate every value: any YAML, and the message for every mistake."""
    import yaml

    _check_depth(yaml_text, yaml)
    node = yaml.compose(yaml_text, Loader=_yaml_loader())
    if node is None:
        raise _Fail(2, 1, EMPTY_FRONT_MATTER)
    if not isinstance(node, yaml.MappingNode):
        raise _Fail(node.start_mark.line + 2, 1, NOT_A_MAPPING)
    return _to_located(node, [0], yaml_text).value


def _check_depth(yaml_text: str, yaml: Any, loader: Any = None) -> None:
    """Refuse front matter that nests collections more than MAX_DEPTH deep, reading PyYAML's events (its
    parser keeps a stack; its composer recurses). Each level takes one of `[{-?:`, so text with fewer of
    them is passed without parsing."""
    if sum(map(yaml_text.count, "[{-?:")) <= MAX_DEPTH:
        return
    depth = 0
    try:
        for event in yaml.parse(yaml_text, Loader=loader or _yaml_loader()):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise _Fail(mark.line + 2, mark.column + 1, f"values nest more than {MAX_DEPTH} levels deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        # libyaml 0.2.6 (PyYAML 6.0.4's wheels) refuses 1,000 nested `[` or `{` while it scans ahead, before
        # the events above reach a depth past MAX_DEPTH. PyYAML's own parser, which has no such limit and
        # keeps a stack rather than recursing, reads them again: the same refusal, at the same place.
        if loader is None and "maximum nesting depth" in str(error.problem):
            _check_depth(yaml_text, yaml, yaml.SafeLoader)
        raise


_COLLECTION_TAGS = {"mapping": _TAG + "map", "sequence": _TAG + "seq"}


def _to_located(node: yaml.Node, count: list[int], source: str, depth: int = 0) -> Located:
    """Convert a composed node to Located values; timestamps stay strings so dates are checked by us.

    `source` is the YAML text, for reading what a double-quoted string was written as. `depth` guards
    against an alias inside the value it names (`&a [*a]`), which PyYAML composes into a loop."""
    count[0] += 1
    line, col = node.start_mark.line + 2, node.start_mark.column + 1
    if count[0] > MAX_NODES:
        raise _Fail(line, col, f"front matter has more than {MAX_NODES} values")
    if depth > MAX_DEPTH:
        raise _Fail(line, col, f"values nest more than {MAX_DEPTH} levels deep (an alias inside itself?)")
    if node.id != "scalar" and node.tag != _COLLECTION_TAGS[node.id]:  # `!!set`, `!!omap`, `!!python/…`
        raise _Fail(line, col, f"unsupported YAML tag `{node.tag}`")
    if node.id == "mapping":  # the kinds of PyYAML's nodes, without importing it here
        result: dict[str, Located] = {}
        for key_node, value_node in node.value:
            key = _to_located(key_node, count, source, depth + 1)
            if not isinstance(key.value, str):
                kind = {list: "a list", dict: "a mapping"}.get(type(key.value)) or repr(key.value)
                raise _Fail(key.line, key.col, f"keys must be text, got {kind}", hint="write a key such as `title:`")
            if key.value in result:
                raise _Fail(key.line, key.col, f"duplicate key `{key.value}`")
            value = _to_located(value_node, count, source, depth + 1)
            result[key.value] = Located(value.value, value.line, value.col, key.line, key.col)
        return Located(result, line, col)
    if node.id == "sequence":
        return Located([_to_located(item, count, source, depth + 1) for item in node.value], line, col)
    if node.style == '"':
        _check_escapes(node, source)
    return Located(_scalar(node.tag, node.value, line, col), line, col)


# In a double-quoted YAML string a backslash starts an escape: `\theta` is a tab then "heta", `\alpha` a bell.
_ESCAPE = re.compile(r"\\(\\|[A-Za-z]+)")
_HEX_ESCAPE = {"x": 2, "u": 4, "U": 8}
LATEX_QUOTES_HINT = (
    "for LaTeX use single quotes, which keep backslashes as written ('$\\theta$'), or double each backslash"
)


def _check_escapes(node: yaml.ScalarNode, source: str) -> None:
    """Refuse LaTeX written in a double-quoted string, where YAML would silently read `\\theta` as a tab."""
    start = node.start_mark.index
    raw = source[start : node.end_mark.index]
    if "\\" not in raw:
        return
    for match in _ESCAPE.finditer(raw):
        word = match.group(1)
        digits = _HEX_ESCAPE.get(word[0], 0)
        if len(word) < 2 or word == "\\" or (digits and re.fullmatch(r"[0-9A-Fa-f]+", word[1 : 1 + digits])):
            continue
        before = raw[: match.start()]
        line = node.start_mark.line + 2 + before.count("\n")
        col = node.start_mark.column + 1 + len(before) if "\n" not in before else len(before) - before.rfind("\n")
        raise _Fail(
            line,
            col,
            f"`\\{word}` in a double-quoted string is the YAML escape `\\{word[0]}`, not LaTeX",
            hint=LATEX_QUOTES_HINT,
        )


# Reading front matter through PyYAML costs about 2 µs a value even with libyaml, most of it in Python
# callbacks (the resolver, one Node object per value). Nearly all front matter is `key: value` lines,
# `- item` lists, nested `key:` blocks and one-line `[a, b]` lists, so `read_simple_yaml` reads that
# subset itself, with PyYAML's own rules for what a plain scalar means, and hands anything else to
# `compose_yaml`: unusual YAML, and every mistake, so each message stays PyYAML's.
# tests/test_load_equivalence.py checks that both read the same values at the same places.
# Any control character but the line feed (tabs, other line breaks, C0 and C1 controls), and the BOM; with
# none of them, no text value can hold a character `_scalar` refuses.
_NOT_SIMPLE_TEXT = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +|$)")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")  # a plain scalar starting with one of these is not simple
_SINGLE_QUOTED = re.compile(r"'([^']*(?:''[^']*)*)'(?: +#.*)?$")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"(?: +#.*)?$')  # a backslash escape is for PyYAML (and `_check_escapes`)
_FLOW_ITEM = re.compile(
    # A plain item ends at its last non-space character: spaces inside it are taken only before another
    # character, never tried and given back (a lazy `*?` then ` *` took time growing with the square of a
    # run of spaces: `[a` and 64,000 spaces took 30 s).
    r"""( *)(?:'([^']*(?:''[^']*)*)'|"([^"\\]*)"|"""
    r"""([^ ,\[\]{}#:'"&*!|>%@`?-](?:[^ ,\[\]{}#:]| +[^ ,\[\]{}#:])*)) *([,\]])"""
)
_FLOW_END = re.compile(r" *(?: #.*)?$")
_STR, _TIMESTAMP, _BOOL, _NULL, _INT, _FLOAT = (
    _TAG + name for name in ("str", "timestamp", "bool", "null", "int", "float")
)
# What PyYAML's resolver (yaml/resolver.py, PyYAML 6, MIT licence) makes of a plain scalar, in its order:
# (tag, pattern, the characters such a scalar may start with). A copy, so that reading simple front
# matter needs no PyYAML; tests/test_loader.py checks it against PyYAML's own table.
_RESOLVERS = [
    (
        _BOOL,
        re.compile(
            r"""^(?:yes|Yes|YES|no|No|NO
                    |true|True|TRUE|false|False|FALSE
                    |on|On|ON|off|Off|OFF)$""",
            re.X,
        ),
        "yYnNtTfFoO",
    ),
    (
        _FLOAT,
        re.compile(
            r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
                    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
                    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
                    |[-+]?\.(?:inf|Inf|INF)
                    |\.(?:nan|NaN|NAN))$""",
            re.X,
        ),
        "-+0123456789.",
    ),
    (
        _INT,
        re.compile(
            r"""^(?:[-+]?0b[0-1_]+
                    |[-+]?0[0-7_]+
                    |[-+]?(?:0|[1-9][0-9_]*)
                    |[-+]?0x[0-9a-fA-F_]+
                    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$""",
            re.X,
        ),
        "-+0123456789",
    ),
    (_TAG + "merge", re.compile(r"^(?:<<)$"), "<"),
    (
        _NULL,
        re.compile(
            r"""^(?: ~
                    |null|Null|NULL
                    | )$""",
            re.X,
        ),
        ["~", "n", "N", ""],
    ),
    (
        _TIMESTAMP,
        re.compile(
            r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
                    |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
                     (?:[Tt]|[ \t]+)[0-9][0-9]?
                     :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
                     (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
            re.X,
        ),
        "0123456789",
    ),
    (_TAG + "value", re.compile(r"^(?:=)$"), "="),
    (_TAG + "yaml", re.compile(r"^(?:!|&|\*)$"), "!&*"),
]
_IMPLICIT: dict[str, list[tuple[str, re.Pattern]]] = {}  # first character -> [(tag, pattern)]
for _tag, _pattern, _firsts in _RESOLVERS:
    for _first in _firsts:
        _IMPLICIT.setdefault(_first, []).append((_tag, _pattern))
_BOOL_VALUES = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}  # PyYAML's
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")  # an int PyYAML reads as `int(text)` does


class _NotSimple(Exception):
    """The text is outside what `read_simple_yaml` reads: PyYAML must read it."""


def read_simple_yaml(yaml_text: str) -> dict[str, Located] | None:
    """Return the located fields of simple front matter as `compose_yaml` would, or None to leave it to PyYAML."""
    if _NOT_SIMPLE_TEXT.search(yaml_text):
        return None
    lines = []
    for number, line in enumerate(yaml_text.split("\n"), start=2):
        text = line.lstrip(" ")
        if text and text[0] != "#":  # blank and comment lines mean nothing outside multi-line scalars
            lines.append((number, len(line) - len(text), text.rstrip(" ")))
    if not lines:
        return None
    reader = _SimpleReader(lines)
    try:
        fields = reader.mapping(0)
    except (_NotSimple, _Fail):
        return None
    # A line makes at most three values (`- key: value`); PyYAML's path reports too many.
    if reader.at < len(lines) or 3 * len(lines) + reader.flow_items > MAX_NODES:
        return None
    return fields.value


class _SimpleReader:
    """Reads the significant lines (file line, indent, text) of simple front matter, top down.

    Each method reads one value; `key_line` and `key_col` say where its key was, for its `Located`."""

    def __init__(self, lines: list[tuple[int, int, str]]):
        self.lines = lines
        self.at = 0  # the next line to read
        self.flow_items = 0

    def mapping(self, indent: int, key_line: int = 0, key_col: int = 0) -> Located:
        """Read `key: value` lines at this indent, and what is nested under them."""
        lines, result = self.lines, {}
        first_line, _, _ = lines[self.at]
        while self.at < len(lines):
            number, at, text = lines[self.at]
            if at < indent:
                break
            match = _KEY.match(text)
            if at > indent or match is None:
                raise _NotSimple
            key = match.group(1)
            if key in result or (key[0] in _IMPLICIT and _plain_tag(key) != _STR):
                raise _NotSimple  # a duplicate, or a key such as `true`: PyYAML's reading, then our message
            self.at += 1
            end = match.end()
            if end < len(text):
                result[key] = self.value(text[end:], number, at + end, number, at + 1)
            else:
                result[key] = self.block(indent, number, at + 1)
        return Located(result, first_line, indent + 1, key_line, key_col)

    def block(self, indent: int, key_line: int, key_col: int) -> Located:
        """Read what is nested under a `key:` line: a `- item` list or a deeper mapping."""
        if self.at == len(self.lines):
            raise _NotSimple  # nothing: a null, for PyYAML
        _, at, text = self.lines[self.at]
        if at >= indent and text[0] == "-" and (text == "-" or text[1] == " "):
            return self.sequence(at, key_line, key_col)
        if at > indent:
            return self.mapping(at, key_line, key_col)
        raise _NotSimple

    def sequence(self, indent: int, key_line: int, key_col: int) -> Located:
        """Read `- item` lines at this indent; an item may start a mapping (`- name: …`)."""
        lines, items, end = self.lines, [], len(self.lines)
        first_line, _, _ = lines[self.at]
        while self.at < end:
            number, at, text = lines[self.at]
            if at != indent or text[:2] != "- ":
                if at > indent:
                    raise _NotSimple
                break  # a key at the same indent ends a list written level with its key; the caller checks the rest
            rest = text[2:].lstrip(" ")
            col = at + len(text) - len(rest)
            if ":" in rest and _KEY.match(rest):
                lines[self.at] = (number, col, rest)  # read the rest of the line as a mapping's first key
                items.append(self.mapping(col))
            else:
                self.at += 1
                items.append(self.value(rest, number, col))
        return Located(items, first_line, indent + 1, key_line, key_col)

    def value(self, text: str, line: int, col: int, key_line: int = 0, key_col: int = 0) -> Located:
        """Read a one-line value starting at 0-based column `col`: a scalar or a `[a, b]` list."""
        first = text[0]
        if first in _INDICATORS:
            if first == "'":
                match = _SINGLE_QUOTED.match(text)
                if match:
                    return Located(match.group(1).replace("''", "'"), line, col + 1, key_line, key_col)
            elif first == '"':
                match = _DOUBLE_QUOTED.match(text)
                if match:
                    return Located(match.group(1), line, col + 1, key_line, key_col)
            elif first == "[":
                return self.flow(text, line, col, key_line, key_col)
            raise _NotSimple
        if " #" in text:
            text = text[: text.index(" #")].rstrip(" ")
        if ": " in text or text[-1] == ":":
            raise _NotSimple  # `key: a: b` is a mistake PyYAML explains
        value = _scalar(_plain_tag(text), text, line, col + 1) if first in _IMPLICIT else text
        return Located(value, line, col + 1, key_line, key_col)

    def flow(self, text: str, line: int, col: int, key_line: int, key_col: int) -> Located:
        """Read a one-line flow list of scalars, `[cs.CL, 'cs.AI']`."""
        items, position = [], 1
        if text[1:].lstrip(" ")[:1] != "]":
            while True:
                match = _FLOW_ITEM.match(text, position)
                if match is None:
                    raise _NotSimple
                at = col + match.end(1) + 1
                single, double, plain, end = match.group(2, 3, 4, 5)
                if plain is not None:
                    items.append(Located(_scalar(_plain_tag(plain), plain, line, at), line, at))
                else:
                    items.append(Located(single.replace("''", "'") if double is None else double, line, at))
                position = match.end()
                if end == "]":
                    break
        else:
            position = text.index("]") + 1
        if not _FLOW_END.match(text, position):
            raise _NotSimple
        self.flow_items += len(items)
        return Located(items, line, col + 1, key_line, key_col)


def _plain_tag(text: str) -> str:
    """Return the tag PyYAML's resolver gives a plain scalar (`true` is a bool, `2024-01-02` a timestamp)."""
    for tag, pattern in _IMPLICIT.get(text[0], ()):
        if pattern.match(text):
            return tag
    return _STR


def _scalar(tag: str, text: str, line: int, col: int) -> Any:
    """Return the Python value of a scalar with this tag; only the plain YAML core types are accepted."""
    try:
        if tag in (_STR, _TIMESTAMP):
            control = CONTROL.search(text)  # a YAML escape such as "\a" or "\x01" spells one
            if control:
                raise _Fail(line, col, f"text contains the control character {_codepoint(control.group())}")
            return text
        if tag == _BOOL:
            return _BOOL_VALUES[text.lower()]  # what `construct_yaml_bool` does, without a node
        if tag == _NULL:
            return None
        if tag == _INT and _DECIMAL.fullmatch(text):
            return int(text)
        if tag == _FLOAT:
            return WrittenFloat.of(_construct_number(tag, text), text)
        if tag == _INT:  # 0x1f, 0o17, 1_000, 1:30, .inf...: PyYAML's own rules
            return _construct_number(tag, text)
    except ValueError as error:
        if len(text) > 40:  # `citations:` with 5,000 digits printed them all, and Python's advice on its limit
            raise _Fail(line, col, f"a number of {len(text):,} characters is too long to read") from None
        raise _Fail(line, col, f"invalid value {text!r}: {error}") from None
    if tag == _TAG + "merge":
        raise _Fail(line, col, "YAML merge keys (`<<`) are not read: write each key out")
    raise _Fail(line, col, f"unsupported YAML tag `{tag}`")


class WrittenFloat(float):
    """A float that keeps the text it was written as: an unquoted `arxiv: 1905.10240` is the number
    1905.1024, and the arXiv ID or DOI read from it (schema's `_link_url`) must keep its last zero."""

    __slots__ = ("written",)
    written: str

    @classmethod
    def of(cls, number: float, text: str) -> WrittenFloat:
        """Return `number` as a WrittenFloat remembering `text`."""
        made = cls(number)
        made.written = text
        return made

    def __reduce__(self) -> tuple:
        return WrittenFloat.of, (float(self), self.written)


def as_written(value: Any) -> str:
    """Return a scalar as text, a float as it was written (`3.10`, not `3.1`)."""
    return value.written if isinstance(value, WrittenFloat) else str(value)


def _construct_number(tag: str, text: str) -> int | float:
    """Return the number PyYAML makes of a plain scalar it resolved to `tag` (int or float)."""
    import yaml
    from yaml.constructor import ConstructorError, SafeConstructor

    node, constructor = yaml.ScalarNode(tag, text), SafeConstructor()
    try:
        return constructor.construct_yaml_int(node) if tag == _INT else constructor.construct_yaml_float(node)
    except ConstructorError as error:
        raise ValueError(str(error)) from None


# Unicode's explicit bidirectional embeddings, overrides and isolates, and the two characters that end them.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_BIDI_BYTES = re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")  # _BIDI's characters in UTF-8
_PDF, _PDI = "\u202c", "\u2069"


def contain_bidi(text: str) -> str:
    """Return text with every bidirectional embedding, override or isolate it leaves open closed at its end.

    A right-to-left override (U+202E) in an author's name, left open, reversed every name after it on the
    line (the override lasts to the end of the paragraph); closed, it reorders only the text it is in. The
    text is returned unchanged (the same object) when nothing is left open."""
    closers: list[str] = []
    for mark in _BIDI.findall(text):
        if mark in "\u202a\u202b\u202d\u202e":  # embeddings and overrides end at PDF
            closers.append(_PDF)
        elif mark in "\u2066\u2067\u2068":  # isolates end at PDI
            closers.append(_PDI)
        elif mark == _PDF:  # ends the innermost embedding, if that is what is open
            if closers and closers[-1] == _PDF:
                closers.pop()
        elif _PDI in closers:  # ends the innermost isolate and every embedding opened inside it
            while closers.pop() != _PDI:
                pass
    return text + "".join(reversed(closers)) if closers else text


def _contain_bidi(item: Located) -> Located:
    """Return a located value with `contain_bidi` applied to every string in it."""
    value = item.value
    if isinstance(value, str):
        contained = contain_bidi(value)
        if contained is value:
            return item
        new: Any = contained
    elif isinstance(value, list):
        new = [_contain_bidi(element) for element in value]
    elif isinstance(value, dict):
        new = {key: _contain_bidi(element) for key, element in value.items()}
    else:
        return item
    return Located(new, item.line, item.col, item.key_line, item.key_col)


def _find_control(text: str) -> tuple[re.Match | None, bool]:
    """Return `CONTROL.search(text)`, first looking for the control bytes in UTF-8, which is much quicker, and
    whether text holds a bidirectional control (`_BIDI`; in UTF-8 too: a sixth of the time of a search).
    Beyond ASCII, the UTF-8 of every C1 control (C2 80-9F) and noncharacter (EF B7 90-AF, and ?? BF BE or
    ?? BF BF at the end of every plane) holds one of four byte strings: text without them, found in four byte
    searches, is not searched (it took 60 µs a file with a name in another script, hundreds of them a site)."""
    data = text.encode("utf-8", "surrogatepass")
    ascii_only = text.isascii()
    bidi = not ascii_only and _BIDI_BYTES.search(data) is not None
    if len(data.translate(None, CONTROL_BYTES)) == len(data) and (
        ascii_only or not (b"\xc2" in data or b"\xef\xb7" in data or b"\xbf\xbe" in data or b"\xbf\xbf" in data)
    ):
        return None, bidi
    return CONTROL.search(text), bidi


def control_problem(path: str, text: str, found: re.Match) -> Problem:
    """Return the problem of a control character or noncharacter in a file, at its line and column. A C1
    control (U+0080-U+009F) is most often a Windows-1252 character decoded as Latin-1 (U+0093 for “): the
    hint names the character meant."""
    char = found.group()
    line = text.count("\n", 0, found.start()) + 1
    col = found.start() - text.rfind("\n", 0, found.start())
    hint = None
    if "\x80" <= char <= "\x9f":
        try:
            meant = char.encode("latin-1").decode("cp1252")
        except UnicodeDecodeError:
            meant = None
        if meant:
            hint = f"text copied from a Windows document? it is probably {meant} written wrongly; type {meant} instead"
    kind = "noncharacter" if ord(char) > 0x9F else "control character"
    return Problem(path, line, col, f"contains the {kind} {_codepoint(char)}", hint=hint)


def _codepoint(char: str) -> str:
    """Return a character as `U+001B`, for messages."""
    return f"U+{ord(char):04X}"


def scan_paper_files(papers_dir: Path, skipped: list[str] | None = None) -> list[tuple[str, bool]]:
    """Return the path of every `.md` file under the papers folder, in the order their `Path`s sort in, and
    whether it is a symbolic link (the folder listing says so, with no system call per file).

    `skipped` receives, sorted, the files that look like papers but are not read: `A.MD`, `a.markdown`
    (`skipped_paper_problems` warns of each). Only `.md` is read, as Hugo and Zola do, so a README or a draft
    kept in another format beside the papers is not taken for one, but a name that means Markdown is said.

    Strings, not `Path`s: `serve` looks at every paper after each edit, and making 1,000 `Path`s took four
    times as long as listing the folders (py-spy; `Path.rglob` had been a third of `serve`'s reading)."""
    if not papers_dir.is_dir():
        return []
    found: list[tuple[tuple[str, ...], bool]] = []
    others: list[tuple[str, ...]] = []
    _find_md(str(papers_dir), (), found, others)
    base = str(papers_dir)
    if skipped is not None:
        skipped += [os.path.join(base, *parts) for parts in sorted(others)]
    return [(os.path.join(base, *parts), link) for parts, link in sorted(found)]  # in the order Paths compare in


def _find_md(
    folder: str, parts: tuple[str, ...], found: list[tuple[tuple[str, ...], bool]], others: list[tuple[str, ...]]
) -> None:
    """Add what `Path.rglob("*.md")` finds under `folder`, less hidden names and what hidden folders hold (as
    `serve` watches no hidden folder, a paper in one was built but never rebuilt): entries named `*.md` (of any kind;
    reading refuses what is not a regular file), in folders reached without following links. Add to `others`
    the other names with a Markdown suffix (`MARKDOWN_SUFFIXES`, any case)."""
    try:
        with os.scandir(folder) as scanned:
            entries = list(scanned)
    except PermissionError:
        return
    for entry in entries:
        name = entry.name
        paper = name.endswith(".md") and not name.startswith(".")
        if paper:
            try:
                link = entry.is_symlink()
            except OSError:
                link = os.path.islink(entry.path)
            found.append(((*parts, name), link))
        try:
            is_folder = entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if is_folder and not name.startswith("."):  # `.git/`, an editor's `.obsidian/` or `.trash/`: not papers
            _find_md(entry.path, (*parts, name), found, others)
        elif not paper and not name.startswith(".") and os.path.splitext(name)[1].lower() in MARKDOWN_SUFFIXES:
            others.append((*parts, name))


# What other generators, or a slip of the keyboard, name the folder of papers (Hugo Blox: content/publication/).
_PAPERS_FOLDER_NAMES = ("paper", "papers", "publication", "publications", "_publications", "pubs")


def papers_folder_problems(papers_dir: Path, root: Path, *, has_papers: bool) -> list[Problem]:
    """Refuse a project whose papers folder is not there: a build made a site of no paper, removing every
    paper's page, when the folder had been renamed (`content/paper/`, Hugo Blox's `content/publication/`)
    or moved; the hint names a folder under content/ that looks meant. Warn of a folder holding no paper."""
    shown = display_path(papers_dir, root) + "/"
    if has_papers:
        return []
    if os.path.isdir(papers_dir):
        return [Problem(shown, 0, 0, "holds no paper file (`*.md`): the site lists no paper", "warning")]
    content = papers_dir.parent
    try:
        folders = sorted(e.name for e in os.scandir(content) if e.is_dir() and not e.name.startswith("."))
    except OSError:
        folders = []
    meant = [name for name in folders if name.lower() in _PAPERS_FOLDER_NAMES] or close_matches(
        "papers", folders, 1, 0.6
    )
    hint = f"rename {display_path(content / meant[0], root)}/ to {shown}" if meant else None
    message = "no such folder: the papers are the `.md` files in it"
    return [Problem(shown, 0, 0, message, hint=hint or f"make the folder {shown} and put the paper files in it")]


def papers_elsewhere_problems(content_dir: Path, papers_dir: Path, root: Path) -> list[Problem]:
    """Warn of each Markdown file under content/ but outside its papers folder (`content/new-paper.md`, a
    folder `content/paper/` beside `content/papers/`): no paper is read there, and one saved there by
    mistake was left out of the site without a word. Without a papers folder, `papers_folder_problems` says
    which folder to rename, and no file is named."""
    if not os.path.isdir(papers_dir):
        return []
    problems = []
    pending = [str(content_dir)]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as scanned:
                entries = sorted(scanned, key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.path == str(papers_dir):
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            elif os.path.splitext(entry.name)[1].lower() in MARKDOWN_SUFFIXES:
                shown = display_path(Path(entry.path), root)
                target = display_path(papers_dir / entry.name, root)
                message = f"not read: papers are read from {display_path(papers_dir, root)}/ only"
                problems.append(Problem(shown, 0, 0, message, "warning", hint=f"move it to {target}"))
    return sorted(problems)


def skipped_paper_problems(skipped: list[str], root: Path) -> list[Problem]:
    """Warn of each file `scan_paper_files` did not read for its name's suffix."""
    return [
        Problem(
            display_path(Path(name), root),
            0,
            0,
            "not read: a paper's file name ends in `.md`",
            "warning",
            hint=f"rename it to {Path(name).stem}.md",
        )
        for name in skipped
    ]


def read_paper_file(path: Path, root: Path, content_dir: Path) -> tuple[RawPaper | None, list[Problem]]:
    """Read one paper file strictly and parse it; refuse links out of content/, binary and huge files."""
    shown = display_path(path, root)
    mode = _mode(os.lstat, path)  # one system call for the usual file; `Path.is_symlink`, `exists`, `is_file` made 3
    if stat.S_ISLNK(mode):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError) as error:  # a loop: RuntimeError on Python 3.11 and 3.12, ELOOP on 3.13
            looped = isinstance(error, RuntimeError) or getattr(error, "errno", None) == errno.ELOOP
            reason = "a loop of links" if looped else error.strerror
            return None, [Problem(shown, 0, 0, f"is a symbolic link that reaches no file ({reason})")]
        if not target.is_relative_to(content_dir.resolve()):
            return None, [Problem(shown, 0, 0, "is a symbolic link to a file outside content/; copy the file in")]
        mode = _mode(os.stat, path)
    if mode and not stat.S_ISREG(mode):  # reading a FIFO named `x.md` would block the build forever
        return None, [Problem(shown, 0, 0, "is not a regular file")]
    try:
        with open(path, "rb", buffering=0) as file:
            size = os.fstat(file.fileno()).st_size  # a file of gigabytes is refused unread, not read into memory
            data = file.read() if size <= MAX_FILE_BYTES else b""
    except OSError as error:
        return None, [Problem(shown, 0, 0, f"cannot be read: {error.strerror}")]
    size = max(size, len(data))  # (a file that grew after its stat)
    if size > MAX_FILE_BYTES:  # in bytes: "1.0 MiB; at most 1 MiB" told nothing at 1.05 MiB
        found = f"{size:,} bytes; a paper file may be at most 1 MiB ({MAX_FILE_BYTES:,} bytes)"
        return None, [Problem(shown, 0, 0, f"is {found}")]
    if b"\0" in data and not data.startswith(UTF16_BOMS):  # UTF-16 text is full of zero bytes: `decode_utf8` names it
        return None, [_zero_byte_problem(data, shown)]
    text, problem = decode_utf8(data, shown)
    if problem is not None:
        return None, [problem]
    # A Hugo page bundle (`my-paper/index.md`) is named by its folder, as Hugo names it.
    bundle = path.stem == "index" and path.parent.resolve() != (content_dir / "papers").resolve()
    return parse(text, shown, slugify(path.parent.name if bundle else path.stem))


def _zero_byte_problem(data: bytes, shown: str) -> Problem:
    """Return the problem of a file holding a zero byte: UTF-16 without its byte-order mark (every other byte
    zero in English text), a text with one stray zero byte (named at its line and column), or a binary file."""
    at = data.index(b"\0")
    size = min(len(data), 400)
    head = data[: size - size % 2]
    for zeros, text in ((head[1::2], head[0::2]), (head[0::2], head[1::2])):  # little-endian, big-endian
        if len(head) >= 8 and zeros.count(0) >= 0.9 * len(zeros) and all(9 <= b < 127 for b in text if b):
            hint = "save the file as UTF-8 (your editor's encoding setting)"
            return Problem(shown, 1, 1, "is UTF-16 without its byte-order mark, not UTF-8", hint=hint)
    if data.count(b"\0") <= 8 and data.lstrip(b"\xef\xbb\xbf").startswith(b"---"):  # a stray zero byte: say where
        line = data.count(b"\n", 0, at) + 1
        col = len(data[data.rfind(b"\n", 0, at) + 1 : at].decode("utf-8", "replace")) + 1
        return Problem(shown, line, col, "contains a zero byte (U+0000)", hint="delete it: text holds none")
    return Problem(shown, 0, 0, "is a binary file, not Markdown text")


def decode_utf8(data: bytes, shown: str) -> tuple[str, Problem | None]:
    """Return a file's text, or a problem naming the line, column and byte where it is not UTF-8.

    The text is in Unicode's composed form (NFC): macOS file names, some editors and text copied from PDFs
    write `é` as `e` and a combining accent, which looks the same but is another string, so one coauthor got
    two pages and a search for "Café" missed the title.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if data.startswith(UTF16_BOMS):  # as Windows' Notepad saves "Unicode"
            hint = "save the file as UTF-8 (your editor's encoding setting)"
            return "", Problem(shown, 1, 1, "is UTF-16, not UTF-8 (it starts with UTF-16's byte-order mark)", hint=hint)
        line = data.count(b"\n", 0, error.start) + 1
        # A column counts characters, as editors do: what precedes the byte on its line is UTF-8 (`é`, 2 bytes).
        col = len(data[data.rfind(b"\n", 0, error.start) + 1 : error.start].decode("utf-8")) + 1
        message = f"is not valid UTF-8 (byte 0x{data[error.start]:02x})"
        hint = "save the file as UTF-8 (your editor's encoding setting)"
        try:  # Windows-1252, as older Windows editors save: name the character meant
            meant = data[error.start : error.start + 1].decode("cp1252")
            data.decode("cp1252")
        except UnicodeDecodeError:
            meant = None
        if meant and meant.isprintable():
            message = f"is not valid UTF-8 (byte 0x{data[error.start]:02x}, {meant} in Windows-1252)"
            hint = "the file is in Windows-1252, as older Windows editors save: save it as UTF-8"
        return "", Problem(shown, line, col, message, hint=hint)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text, None


def _mode(stat_call: Callable[[Path], os.stat_result], path: Path) -> int:
    """Return a file's `st_mode`, or 0 when there is nothing to stat (reading it then says why)."""
    try:
        return stat_call(path).st_mode
    except OSError:
        return 0


def display_path(path: Path, root: Path) -> str:
    """Return `path` relative to the project root with forward slashes, for messages."""
    text, base = str(path), str(root)
    if text.startswith(base) and text[len(base) : len(base) + 1] == os.sep:  # what `relative_to` finds, cheaply
        return text[len(base) + 1 :].replace(os.sep, "/")
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Return a URL-safe slug: ASCII lowercase letters and digits joined by single hyphens."""
    if not text.isascii():  # ASCII text is its own NFKD form
        import unicodedata

        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", text.lower()).strip("-")
