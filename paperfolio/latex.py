"""LaTeX inside paper text: text macros, accents, groups and math, parsed into a small node tree.

`markup` turns the nodes into HTML elements; this module knows LaTeX, not HTML or Markdown.

Math delimiters, in the order they are tried at each position:

- `\\$` is a literal dollar sign, never a delimiter.
- `$$…$$` and `\\[…\\]` are display math; `\\(…\\)` is inline math.
- `$…$` is inline math only when the opening `$` is not followed by whitespace, the closing `$` is not
  preceded by whitespace and not followed by a digit (Pandoc's rule). So "costs $5", "$5 and $10" and
  "$5-$10" stay text, while "$x$" and "$\\mathbf{x}$." are math. Inline math never contains an
  unescaped `$`.

Text outside math: a balanced `{…}` group is a LaTeX group, so its braces disappear (`{server-side}`,
`{\\"u}`); write `\\{` for a literal brace. A `~` between two non-space characters is a no-break space
(`Fig.~3`); a `~` after a space or `/` stays a tilde (`~10x`, `example.org/~me`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

# One regex finds every LaTeX token in running text; alternatives are tried left to right at each position.
TOKEN_RE = re.compile(
    # Every alternative starts with a literal character, so `re` can skip ahead to the next candidate.
    r"\\(?P<escape>[%&#_{}$])"
    r"|\$\$(?P<display>.+?)\$\$"
    r"|\\\[(?P<bracket>.+?)\\\]"
    r"|\\\((?P<paren>.+?)\\\)"
    r"|\$(?![\s$])(?P<inline>(?:\\.|[^\\$])+?)(?<!\s)\$(?!\d)"
    r"|\\(?P<accent>['`^\"~=.])\s*(?:\{\s*(?P<braced>\\[ij]|[A-Za-z])\s*\}|(?P<bare>\\[ij](?![A-Za-z])|[A-Za-z]))"
    r"|\\(?P<command>[A-Za-z]+)"
    r"|\\(?P<space>[, ])"
    r"|\{(?P<group>)"
    r"|~(?<=[^\s/]~)(?=\S)(?P<tie>)",
    re.DOTALL,
)


def words(text: str) -> frozenset[str]:
    """Return the set of the space-separated words in `text`, for readable allow-lists."""
    return frozenset(text.split())


STYLES = {
    "textit": ("i", None),
    "textsl": ("i", None),
    "textbf": ("b", None),
    "emph": ("em", None),
    "textsc": ("span", "small-caps"),
    "texttt": ("code", None),
    "underline": ("u", None),
    "textsuperscript": ("sup", None),
    "textsubscript": ("sub", None),
}
PLAIN_ARGUMENT = frozenset({"textrm", "textup", "textnormal", "textsf", "textmd", "mbox", "hbox", "text"})
# Declarations, which style the rest of their group (`{\em new}`, `{\bf Note:} text`, as older BibTeX
# files write them); outside a group, and those that only change the font family, shape back to upright or
# size, are dropped and the text kept as it is.
DECLARATIONS = {
    "em": ("em", None),
    "it": ("i", None),
    "itshape": ("i", None),
    "sl": ("i", None),
    "slshape": ("i", None),
    "bf": ("b", None),
    "bfseries": ("b", None),
    "sc": ("span", "small-caps"),
    "scshape": ("span", "small-caps"),
    "tt": ("code", None),
    "ttfamily": ("code", None),
}
PLAIN_DECLARATIONS = words(
    "rm sf normalfont upshape mdseries rmfamily sffamily tiny scriptsize footnotesize small normalsize large "
    "Large LARGE huge Huge protect ignorespaces nobreak null"
)
SYMBOLS = {
    "ldots": "…",
    "dots": "…",
    "textendash": "–",
    "textemdash": "—",
    "textbackslash": "\\",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textunderscore": "_",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textbullet": "•",
    "textdegree": "°",
    "copyright": "©",
    "textregistered": "®",
    "texttrademark": "™",
    "S": "§",
    "P": "¶",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "quad": "\u2003",
    "qquad": "\u2003\u2003",
    "newline": "\n",
    "par": "\n",
    "noindent": "",
    "xspace": "",
    "relax": "",
}
# Accents written with a symbol (`\'e`) or a letter (`\c{c}`), as Unicode combining marks.
ACCENTS = dict(
    zip(
        "'`^\"~=.uvHckrdb",
        "\u0301\u0300\u0302\u0308\u0303\u0304\u0307\u0306\u030c\u030b\u0327\u0328\u030a\u0323\u0331",
        strict=True,
    )
)
LETTER_ACCENTS = frozenset("uvHckrdb")
SIGN_ACCENTS = "'`^\"~=."  # the accents named by one sign, the only one-sign commands that take a group
URL_ESCAPE_RE = re.compile(r"\\([%&#_{}$~])")
SAFE_URL_RE = re.compile(r"(?:https?://|mailto:)[^\s<>\"]+|[^\s<>\":]*(?:[/?#][^\s<>\"]*)?", re.IGNORECASE)
MAX_DEPTH = 32
SPACES_RE = re.compile(r"[ \t\n]*")
# What `read_group` counts: braces, and a backslash with the character it escapes (so `\\{` is no brace).
# Three literal alternatives, so `re` skips straight to the next one: twice as fast as a Python loop
# over every character.
GROUP_DELIMITER_RE = re.compile(r"\\.|\{|\}", re.DOTALL)


# The node types are named tuples, not frozen dataclasses: each dataclass cost 1 ms of every start-up.
# Nodes are told apart by `isinstance`, never compared, so tuple equality across types does no harm.
class Styled(NamedTuple):
    """Text in a font or style: `tag` is the HTML element, `css_class` an optional class."""

    tag: str
    css_class: str | None
    children: tuple


class Link(NamedTuple):
    """A link from `\\url` or `\\href`."""

    url: str
    children: tuple


class Math(NamedTuple):
    """A formula: `source` without delimiters, `written` with them."""

    source: str
    display: bool
    written: str


class Parsed(NamedTuple):
    """What one token turned into: nodes, where parsing stopped, and warnings."""

    nodes: tuple
    end: int
    warnings: tuple[str, ...] = ()


def parse_text(text: str, *, depth: int = 0) -> tuple[tuple, tuple[str, ...]]:
    """Parse running text into nodes (str, Styled, Link, Math) and warnings."""
    nodes: list = []
    warnings: list[str] = []
    position = 0
    while True:
        match = TOKEN_RE.search(text, position)
        if match is None:
            break
        nodes.append(text[position : match.start()])
        parsed = parse_token(text, match, depth=depth)
        nodes.extend(parsed.nodes)
        warnings.extend(parsed.warnings)
        position = parsed.end
    nodes.append(text[position:])
    return merge_strings(nodes), tuple(warnings)


def parse_token(text: str, match: re.Match, *, depth: int = 0) -> Parsed:
    """Turn one TOKEN_RE match into nodes, reading macro arguments past the match as needed."""
    kind = match.lastgroup
    if kind == "escape":
        return Parsed((match.group()[1],), match.end())
    if kind in ("display", "bracket", "paren", "inline"):
        display = kind in ("display", "bracket")
        return Parsed((Math(match.group(kind), display, match.group()),), match.end())
    if kind in ("braced", "bare"):
        return Parsed((accent(match.group("accent"), match.group(kind)),), match.end())
    if kind == "space":
        return Parsed(("\u2009" if match.group(kind) == "," else " ",), match.end())
    if kind == "tie":
        return Parsed(("\xa0",), match.end())
    if kind == "group":
        return parse_group(text, match.start(), depth=depth)
    return parse_command(text, match.group("command"), match.end(), depth=depth)


def parse_group(text: str, start: int, *, depth: int) -> Parsed:
    """Parse a `{…}` group at `start`; an unbalanced brace stays a literal brace."""
    found = read_group(text, start)
    if found is None or depth >= MAX_DEPTH:
        return Parsed(("{",), start + 1)
    content, end = found
    nodes, warnings = parse_text(content, depth=depth + 1)
    return Parsed(nodes, end, warnings)


def parse_command(text: str, name: str, end: int, *, depth: int) -> Parsed:
    """Parse a control word `\\name` whose name ends at `end`, with its arguments."""
    if name in SYMBOLS:
        return Parsed((SYMBOLS[name],), skip_empty_group(text, end))
    if name in DECLARATIONS or name in PLAIN_DECLARATIONS:
        start = SPACES_RE.match(text, end).end()  # the spaces after a control word are its end
        if name in PLAIN_DECLARATIONS or depth == 0 or start == len(text):
            return Parsed((), start)  # outside a group its reach would cross Markdown: the text stays plain
        nodes, warnings = parse_text(text[start:], depth=depth + 1) if depth < MAX_DEPTH else ((text[start:],), ())
        return Parsed((Styled(*DECLARATIONS[name], nodes),), len(text), warnings)
    if name in LETTER_ACCENTS:
        argument = read_argument(text, end)
        if argument is not None and len(argument[0].strip()) == 1:
            return Parsed((accent(name, argument[0].strip()),), argument[1])
    if name in STYLES or name in PLAIN_ARGUMENT or name == "url":
        argument = read_argument(text, end)
        if argument is None or depth >= MAX_DEPTH:
            return Parsed((), end, (f"LaTeX macro `\\{name}` has no {{…}} argument; ignored",))
        content, after = argument
        if name == "url":
            return make_link(content, None, after, depth=depth)
        nodes, warnings = parse_text(content, depth=depth + 1)
        if name in PLAIN_ARGUMENT:
            return Parsed(nodes, after, warnings)
        tag, css_class = STYLES[name]
        return Parsed((Styled(tag, css_class, nodes),), after, warnings)
    if name == "href":
        target = read_argument(text, end)
        label = read_argument(text, target[1]) if target is not None else None
        if target is None or label is None or depth >= MAX_DEPTH:
            return Parsed((), end, ("LaTeX macro `\\href` needs {url}{text}; ignored",))
        return make_link(target[0], label[0], label[1], depth=depth)
    macro = _MACROS.get(name)
    if macro is not None:
        return Parsed(macro[0], skip_empty_group(text, end), macro[1])
    return Parsed((name,), end, (f"unknown LaTeX macro `\\{name}` kept as text",))


# The site's own text macros (`latex_macros:` in paperfolio.yaml): name -> (nodes, warnings), each parsed
# once with the built-in macros only, so none can expand another or itself. Set by `use_macros`.
_MACROS: dict[str, tuple[tuple, tuple[str, ...]]] = {}
_MACROS_SET: tuple[tuple[str, str], ...] = ()


def use_macros(macros: tuple[tuple[str, str], ...]) -> bool:
    """Make `macros` (name, replacement) the site's own macros; return whether they changed, when every text
    read with the others must be read again (`pipeline.use_macros` clears what caches it)."""
    global _MACROS, _MACROS_SET
    if macros == _MACROS_SET:
        return False
    _MACROS, _MACROS_SET = {name: parse_builtin(text) for name, text in macros}, macros
    return True


def parse_builtin(text: str) -> tuple[tuple, tuple[str, ...]]:
    """Parse text as `parse_text` does, knowing only the built-in macros (a site's own macro's replacement)."""
    global _MACROS
    kept, _MACROS = _MACROS, {}
    try:
        return parse_text(text)
    finally:
        _MACROS = kept


def is_builtin(name: str) -> bool:
    """Return whether `\\name` is a macro this module reads itself (a site's own macro may not replace it)."""
    return (
        name in SYMBOLS
        or name in DECLARATIONS
        or name in PLAIN_DECLARATIONS
        or name in LETTER_ACCENTS
        or name in STYLES
        or name in PLAIN_ARGUMENT
        or name in ("url", "href")
    )


def make_link(target: str, label: str | None, end: int, *, depth: int) -> Parsed:
    """Make a Link node, or plain text with a warning when the URL is not http(s), mailto or relative."""
    url = URL_ESCAPE_RE.sub(r"\1", target.strip())
    if label is None:
        nodes, warnings = (url,), ()
    else:
        nodes, warnings = parse_text(label, depth=depth + 1)
    if not is_safe_url(url):
        return Parsed(nodes, end, (*warnings, f"link to `{url}` dropped: only http, https, mailto and relative"))
    return Parsed((Link(url, nodes),), end, warnings)


def is_safe_url(url: str) -> bool:
    """Return whether a URL is http(s), mailto or relative, the only kinds a page may link to."""
    return SAFE_URL_RE.fullmatch(url) is not None


def read_group(text: str, start: int) -> tuple[str, int] | None:
    """Return the content of the balanced group opening at `text[start]` and the index after it.

    Where each group of a text closes is found in one pass (`_group_ends`) once a text is asked about a
    second time in a row: scanning from each brace to its partner took time that grew with the square of
    the nesting (5,000 nested `\\textbf{` took 21 s). A text asked about once (Markdown hands its inline
    patterns a new string after each change, and `{}_` 5,000 times took 13 s scanning each whole) is
    scanned from the brace only, which finds the same group, or looked up in the one pass over a text it
    ends (`_read_once`)."""
    if text is not _LAST_ASKED[0]:
        _LAST_ASKED[0] = text
        return _read_once(text, start)
    opens, ends = _group_ends(text)
    end = ends.get(start)
    if end is not None:
        return text[start + 1 : end - 1], end
    if start in opens:
        return None  # never closed
    return _scan_group(text, start)  # a brace `_group_ends` counts as escaped (a backslash before it)


_LAST_ASKED: list[str | None] = [None]  # the text `read_group` was last asked about
_LAST_REST: list[str] = [""]  # the text from a brace on that `_read_once` last could not look up


def _read_once(text: str, start: int) -> tuple[str, int] | None:
    """`read_group` for a text asked about once.

    Markdown changes a text before the token it is reading, never after it, so the text from a brace on is
    most often the end of a text read before. Where a group's `}` comes only far on, scanning to it for each
    new text took time growing with the square of the text (`{_` 10,000 times then one `}`: 7 s); where the
    text from `start` ends the one last kept, where that text's groups close is worked out once
    (`_group_ends`) and looked up. A group closes where the text after its brace says, whatever comes before,
    so the answer is the scan's."""
    if text.find("}", start) < 0:
        return None  # nothing can close it (found at the system's speed, not by stepping through the braces)
    rest = text[start:]
    kept = _LAST_REST[0]
    offset = len(kept) - len(rest)
    if offset >= 0 and kept.endswith(rest):
        opens, ends = _group_ends(kept)
        end = ends.get(offset)
        if end is not None:
            return text[start + 1 : start + end - offset - 1], start + end - offset
        if offset in opens:
            return None  # never closed
        # not a brace where the kept text's one pass began (a `\` before it): scanned as any other
    else:
        _LAST_REST[0] = rest
    return _scan_group(text, start)


def _scan_group(text: str, start: int) -> tuple[str, int] | None:
    """`read_group`, by scanning from the brace at `start` to the one that closes it."""
    if text.find("}", start) < 0:
        return None  # nothing can close it (found at the system's speed, not by stepping through the braces)
    depth = 0
    for match in GROUP_DELIMITER_RE.finditer(text, start):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1 : match.start()], match.end()
    return None


@functools.lru_cache(maxsize=2 * MAX_DEPTH)
def _group_ends(text: str) -> tuple[frozenset[int], dict[int, int]]:
    """Return the index of every `{` in text that is not escaped, and for those closed, the index after
    the `}` that closes each (the one that brings the count back to where it was, as `read_group` counts).
    Kept for the texts last asked about: a group's text and every text it is inside (MAX_DEPTH deep)."""
    opens: list[int] = []
    ends: dict[int, int] = {}
    stack: list[int] = []
    for match in GROUP_DELIMITER_RE.finditer(text):
        char = match.group()
        if char == "{":
            opens.append(match.start())
            stack.append(match.start())
        elif char == "}" and stack:
            ends[stack.pop()] = match.end()
    return frozenset(opens), ends


def read_argument(text: str, end: int) -> tuple[str, int] | None:
    """Return a macro's argument after `end`: a braced group or, as LaTeX allows, one character."""
    index = end
    while index < len(text) and text[index] in " \t":
        index += 1
    if index >= len(text):
        return None
    if text[index] == "{":
        return read_group(text, index)
    if text[index] in "}\\\n$":
        return None
    return text[index], index + 1


def command_before(text: str, start: int) -> bool:
    """Return whether the text before `start` ends with a command taking the group there: a name of letters
    (`\\textit {`, `\\c{c}`) or an accent's one sign (`G\\"{o}del`, whose `"` looks like a quote mark), but not
    another one-sign command (`Tom \\& {J}erry`, `\\\\{N}`: the group is the author's own). It looks back from
    `start` (a search from the text's start for each `{` took time growing with the square of a title)."""
    end = start
    while end and text[end - 1].isspace():
        end -= 1
    letters = end
    while letters and text[letters - 1].isalpha() and text[letters - 1].isascii():
        letters -= 1
    if letters == end:
        return end >= 2 and text[end - 2] == "\\" and text[end - 1] in SIGN_ACCENTS
    return letters > 0 and text[letters - 1] == "\\"


def skip_empty_group(text: str, end: int) -> int:
    """Return the index after a `{}` that directly follows a symbol macro, as in `\\LaTeX{}`."""
    return end + 2 if text.startswith("{}", end) else end


def accent(mark: str, letter: str) -> str:
    """Return `letter` with the accent `mark` as one composed Unicode character where one exists."""
    base = {"\\i": "i", "\\j": "j"}.get(letter, letter)
    return unicodedata.normalize("NFC", base + ACCENTS[mark])


def merge_strings(nodes: list) -> tuple:
    """Join adjacent strings and drop empty ones."""
    merged: list = []
    for node in nodes:
        if isinstance(node, str):
            if not node:
                continue
            if merged and isinstance(merged[-1], str):
                merged[-1] += node
                continue
        merged.append(node)
    return tuple(merged)
