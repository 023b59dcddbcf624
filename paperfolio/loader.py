"""Find paper files and turn their text into located YAML values, reporting problems by file and line.

`parse(text, path)` is a pure function of text. `read_paper_file` is the thin layer that reads bytes,
decodes strict UTF-8 and refuses what must not be read (symlinks out of `content/`, binary or huge files).

We do not use python-frontmatter here: it returns `{}` for a missing block or a YAML list and strips
leading blank lines, which shifts every line number. PyYAML's composer gives every node a mark, so each
field keeps the line and column it was written on, counted in the whole file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from .errors import Problem

try:  # libyaml is ten times faster; fall back to pure Python where it is missing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 1024 * 1024  # a paper file larger than this is almost surely a mistake
MAX_NODES = 20_000  # guards against YAML alias bombs
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_SCALARS = SafeConstructor()
_TAG = "tag:yaml.org,2002:"
# Characters XML 1.0 forbids (feeds, sitemap) and HTML calls parse errors; tab, CR and LF are fine.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Located:
    """A YAML value with the 1-based line and column where it was written in the file."""

    value: Any  # str | int | float | bool | None | list[Located] | dict[str, Located]
    line: int
    col: int
    key_line: int = 0  # where the key of a mapping value was written, for "unknown field" messages
    key_col: int = 0


@dataclass(frozen=True, slots=True)
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


def parse(text: str, path: str, slug_from_name: str = "") -> tuple[RawPaper | None, list[Problem]]:
    """Split front matter from body and compose the YAML, locating every value in the whole file."""
    text = text.removeprefix("\ufeff")
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        col = control.start() - text.rfind("\n", 0, control.start())
        return None, [Problem(path, line, col, f"contains the control character {_codepoint(control.group())}")]
    first_end = text.find("\n")
    first_line = text if first_end < 0 else text[:first_end]
    if first_line.rstrip("\r \t") != "---":
        message = "file is empty; a paper" if not text.strip() else "file"
        return None, [Problem(path, 1, 1, message + " must start with a `---` line opening the YAML front matter")]
    closing = _CLOSING.search(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        return None, [Problem(path, 1, 1, "front matter opened with `---` is never closed by a `---` line")]
    yaml_text = text[first_end + 1 : closing.start()]
    body = text[closing.end() :].removeprefix("\n").strip("\r\n")
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
        if node is None:
            raise _Fail(2, 1, "front matter is empty; `title`, `authors`, `date` and `categories` are required")
        if not isinstance(node, yaml.MappingNode):
            raise _Fail(node.start_mark.line + 2, 1, "front matter must be a mapping of `key: value` lines")
        fields = _to_located(node, [0], yaml_text)
    except yaml.MarkedYAMLError as error:
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
        return None, [Problem(path, line, col, f"invalid YAML: {reason}", hint=hint)]
    except yaml.YAMLError as error:
        return None, [Problem(path, 2, 1, f"invalid YAML: {error}")]
    except _Fail as error:
        return None, [Problem(path, error.line, error.col, error.message, hint=error.hint)]
    return RawPaper(path, fields.value, body, slug_from_name), []


def _to_located(node: yaml.Node, count: list[int], source: str) -> Located:
    """Convert a composed node to Located values; timestamps stay strings so dates are checked by us.

    `source` is the YAML text, for reading what a double-quoted string was written as."""
    count[0] += 1
    line, col = node.start_mark.line + 2, node.start_mark.column + 1
    if count[0] > MAX_NODES:
        raise _Fail(line, col, f"front matter has more than {MAX_NODES} values")
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Located] = {}
        for key_node, value_node in node.value:
            key = _to_located(key_node, count, source)
            if not isinstance(key.value, str):
                raise _Fail(key.line, key.col, f"keys must be text, got {key.value!r}")
            if key.value in result:
                raise _Fail(key.line, key.col, f"duplicate key `{key.value}`")
            value = _to_located(value_node, count, source)
            result[key.value] = Located(value.value, value.line, value.col, key.line, key.col)
        return Located(result, line, col)
    if isinstance(node, yaml.SequenceNode):
        return Located([_to_located(item, count, source) for item in node.value], line, col)
    if node.style == '"':
        _check_escapes(node, source)
    return Located(_scalar(node, line, col), line, col)


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


def _scalar(node: yaml.ScalarNode, line: int, col: int) -> Any:
    """Return a scalar's Python value; only the plain YAML core types are accepted."""
    tag = node.tag
    try:
        if tag == _TAG + "str" or tag == _TAG + "timestamp":
            control = _CONTROL.search(node.value)  # a YAML escape such as "\a" or "\x01" spells one
            if control:
                raise _Fail(line, col, f"text contains the control character {_codepoint(control.group())}")
            return node.value
        if tag == _TAG + "int":
            return _SCALARS.construct_yaml_int(node)
        if tag == _TAG + "bool":
            return _SCALARS.construct_yaml_bool(node)
        if tag == _TAG + "float":
            return _SCALARS.construct_yaml_float(node)
        if tag == _TAG + "null":
            return None
    except (ConstructorError, ValueError) as error:
        raise _Fail(line, col, f"invalid value {node.value!r}: {error}") from None
    raise _Fail(line, col, f"unsupported YAML tag `{tag}`")


def _codepoint(char: str) -> str:
    """Return a character as `U+001B`, for messages."""
    return f"U+{ord(char):04X}"


def find_paper_files(papers_dir: Path) -> list[Path]:
    """Return every `.md` file under the papers folder, in a stable order."""
    if not papers_dir.is_dir():
        return []
    found: list[tuple[str, ...]] = []
    _find_md(str(papers_dir), (), found)
    # In the order Paths compare in (by parts); `Path.rglob` was a third of `serve`'s reading of 1,000 papers.
    return [papers_dir.joinpath(*parts) for parts in sorted(found)]


def _find_md(folder: str, parts: tuple[str, ...], found: list[tuple[str, ...]]) -> None:
    """Add what `Path.rglob("*.md")` finds under `folder`, less hidden names: entries named `*.md` (of any kind;
    reading refuses what is not a regular file), in folders reached without following links."""
    try:
        with os.scandir(folder) as scanned:
            entries = list(scanned)
    except PermissionError:
        return
    for entry in entries:
        if entry.name.endswith(".md") and not entry.name.startswith("."):
            found.append((*parts, entry.name))
        try:
            is_folder = entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if is_folder:
            _find_md(entry.path, (*parts, entry.name), found)


def read_paper_file(path: Path, root: Path, content_dir: Path) -> tuple[RawPaper | None, list[Problem]]:
    """Read one paper file strictly and parse it; refuse links out of content/, binary and huge files."""
    shown = display_path(path, root)
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(content_dir.resolve()):
            return None, [Problem(shown, 0, 0, "is a symbolic link to a file outside content/; copy the file in")]
    if path.exists() and not path.is_file():  # reading a FIFO named `x.md` would block the build forever
        return None, [Problem(shown, 0, 0, "is not a regular file")]
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(shown, 0, 0, f"cannot be read: {error.strerror}")]
    if len(data) > MAX_FILE_BYTES:
        size = len(data) / (1024 * 1024)
        return None, [Problem(shown, 0, 0, f"is {size:.1f} MiB; a paper file may be at most 1 MiB")]
    if b"\0" in data:
        return None, [Problem(shown, 0, 0, "is a binary file, not Markdown text")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [Problem(shown, line, col, f"is not valid UTF-8 (byte 0x{data[error.start]:02x})")]
    return parse(text, shown, slugify(path.stem))


def display_path(path: Path, root: Path) -> str:
    """Return `path` relative to the project root with forward slashes, for messages."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Return a URL-safe slug: ASCII lowercase letters and digits joined by single hyphens."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
