"""The loader's fast paths agree with the slow general ones they stand in for.

`read_simple_yaml` reads simple front matter without PyYAML; whenever it answers, the answer must be what
`compose_yaml` (PyYAML) gives, value for value, type for type, line and column for line and column.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperfolio import loader
from paperfolio.loader import Located, compose_yaml, display_path, read_simple_yaml, slugify

REPO = Path(__file__).resolve().parents[1]


def shape(item: Located):
    """Return a located tree as plain data, with each scalar's type, so `1 == True` cannot pass."""
    value = item.value
    if isinstance(value, dict):
        value = {key: shape(sub) for key, sub in value.items()}
    elif isinstance(value, list):
        value = [shape(sub) for sub in value]
    else:
        value = (type(value).__name__, repr(value))
    return value, item.line, item.col, item.key_line, item.key_col


def slow(yaml_text: str):
    """Return PyYAML's reading as `shape`s, or the kind of error it raises."""
    try:
        return {key: shape(value) for key, value in compose_yaml(yaml_text).items()}
    except Exception as error:  # noqa: BLE001 - any error: the fast path must then decline
        return type(error).__name__


def check_agrees(yaml_text: str) -> bool:
    """Assert the fast reading, when there is one, is PyYAML's; return whether there was one."""
    fast = read_simple_yaml(yaml_text)
    if fast is None:
        return False
    assert {key: shape(value) for key, value in fast.items()} == slow(yaml_text), yaml_text
    return True


# Scalars chosen for what YAML makes of them: numbers, booleans, nulls, dates, indicators, comments, colons.
TRICKY = [
    "T", "2024-01-02", "2024-1-2", "2024", "1e3", "1.5", ".5", ".nan", ".inf", "-1", "+1", "0x1F", "0o17", "0b101",
    "017", "1_000", "190:20:30", "1:2", "~", "null", "Null", "NULL", "yes", "No", "on", "OFF", "y", "n", "true",
    "False", "<<", "=", "a: b", "a:b", "a:", "a #b", "a#b", "C#", "http://x.y/z?q=1#f", "it's", "@x", "`x", "%x",
    "!x", "!!str x", "&a x", "*a", "[a", "a]", "{a}", "a, b", "a,b", "-", "- x", "-x", "?x", "? x", "|", ">", "ü",
    "Müller", "😀 x", "\\theta", "$\\alpha$", "a  b", "a ' b", 'a " b', "'", '"', "''", "#", "x\\", "---", "...",
    "x: y: z", "a [b] {c}", "0.", "1_0.5", "12:30", "2001-12-14t21:59:43.10-05:00", "Yes", "NO", "=x", "a\x85b",
    "a\u2028b", "\ufeffa", "a\x1fb", "a\x7f", "a\x9f", "\xa0a", "a\u3000b", "a\U0001f600b", "\U000e0000",
]  # fmt: skip
ODD_KEYS = ["true", "null", "on", "y", "1", "x y", "-a", "?", "k:", "a-b", "title", "title"]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=8)  # controls: in TRICKY


NICE = [
    "Ken Dubois",
    "Jun Müller",
    "cs.CL",
    "AAAI 2017",
    "https://github.com/example/project-111",
    "0000-0002-1825-0097",
]
ODD_KEYS = ["true", "null", "on", "y", "1", "x y", "-a", "?", "k:", "a-b", "title", "title"]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=8)  # controls: in TRICKY


@st.composite
def scalar(draw, *, flow: bool = False) -> str:
    """Return a scalar as written: plain, single-quoted or double-quoted, sometimes with a comment."""
    pick = draw(st.integers(0, 19))  # mostly usual values, so that whole documents are often simple
    text = draw(st.sampled_from(NICE) if pick < 12 else st.sampled_from(TRICKY) if pick < 17 else TEXT)
    style = draw(st.sampled_from(["plain", "plain", "single", "double"]))
    if style == "single":
        text = "'" + text.replace("'", draw(st.sampled_from(["''", "''", "'"]))) + "'"
    elif style == "double":
        text = '"' + text + '"'
    if not flow and draw(st.integers(0, 3)) == 0:
        text += draw(st.sampled_from([" # note", "  #", "#x", " ", "\t# t"]))
    return text


@st.composite
def flow_list(draw) -> str:
    items = draw(st.lists(scalar(flow=True), max_size=4))
    separator = draw(st.sampled_from([", ", ", ", ",", " , "]))
    end = draw(st.sampled_from(["]", "]", " ]", ",]", "] # c"]))
    return "[" + draw(st.sampled_from(["", "", " "])) + separator.join(items) + end


def key(draw) -> str:
    """Return a mapping key: usually a field-like name, sometimes one YAML reads otherwise."""
    if draw(st.integers(0, 19)) == 0:
        return draw(st.sampled_from(ODD_KEYS))
    return draw(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True))


SPACES = st.sampled_from([" "] * 6 + ["  ", "   ", ""])  # after `key:` or `-`; none is a mistake


@st.composite
def block(draw, indent: int, depth: int) -> list[str]:
    """Return the lines of a block mapping at `indent`, with nested lists and mappings."""
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        name = key(draw)
        kind = draw(st.sampled_from(["scalar", "scalar", "flow", "list", "map"] if depth else ["scalar", "flow"]))
        head = " " * indent + name + ":"
        if kind == "scalar":
            lines.append(head + draw(SPACES) + draw(scalar()))
        elif kind == "flow":
            lines.append(head + " " + draw(flow_list()))
        elif kind == "list":
            lines.append(head)
            at = indent + draw(st.sampled_from([0, 0, 2, 1]))
            for _ in range(draw(st.integers(1, 3))):
                dash = " " * at + "-" + draw(SPACES)
                if draw(st.booleans()):
                    lines.append(dash + draw(scalar()))
                else:
                    inner = draw(block(len(dash), depth - 1))
                    lines.append(dash + inner[0].lstrip(" "))
                    lines.extend(inner[1:])
        else:
            lines.append(head)
            lines.extend(draw(block(indent + draw(st.sampled_from([2, 2, 4, 1])), depth - 1)))
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", "# a comment", " " * indent + "# c", "   ", "  more words"])))
    return lines


@st.composite
def front_matter(draw) -> str:
    lines = draw(block(0, 2))
    text = "\n".join(lines) + "\n"
    if draw(st.integers(0, 3)) == 0:  # a small edit anywhere: most such texts are wrong, or not simple
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from([" ", "\n", ":", "-", "'", '"', "#", "[", "\t", "\r"])) + text[at:]
    return text


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(front_matter())
def test_simple_reader_agrees_with_pyyaml(text):
    check_agrees(text)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(" \n-:#'\"[],ab1"), max_size=40))
def test_simple_reader_agrees_with_pyyaml_on_yaml_punctuation(text):
    check_agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        "title: T\nauthors:\n- A\n- B\ndate: 2024-01-02\n",
        "title: 'It''s: here'\nauthors:\n  - A\n  - name: B\n    orcid: 0000-0002-1825-0097\n    corresponding: true\n",
        'title: "A: B"\ncategories: [cs.CL, \'cs.AI\', "cs.LG"]\ntags: []\nfeatured: false\ncitations: 12\n',
        "links:\n  arxiv: '2402.02416'\n  code: true\n  pdf: https://x.org/a.pdf # the preprint\nextra:\n  n: ~\n",
        "# a comment\n\ntitle: T  \nauthors:\n-   A\n-   B\nvenue: ICML 2024\n",
        "title: Müller 😀 ü\nx: [ a , b ]\ny: 1.5\nz: 0x1F\n",
    ],
)
def test_usual_front_matter_is_read_simply_and_the_same(text):
    assert check_agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        "title: A\ntitle: B\n",  # duplicate key: PyYAML's reading, then our message
        "title:\n",  # a null
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "title: a: b\n",  # a mistake
        "title: Foo\n  bar\n",  # a plain scalar over two lines
        "title: 'a\n  b'\n",  # a quoted scalar over two lines
        'title: "\\theta"\n',  # escapes
        "title: [a,\n  b]\n",  # a flow list over two lines
        "true: x\n",  # a key that is not text
        "- a\n",  # not a mapping
        "title: !!str 1\n",  # a tag
        "a:\n- x\n -y\n",  # inconsistent indentation
        "",
    ],
)
def test_unusual_or_wrong_front_matter_is_left_to_pyyaml(text):
    assert read_simple_yaml(text) is None


def test_every_default_paper_is_read_simply_and_the_same():
    for path in sorted((REPO / "content" / "papers").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        yaml_text = text.split("\n---", 1)[0].removeprefix("---\n") + "\n"
        assert check_agrees(yaml_text), path.name


def test_alias_bomb_bound_holds_for_simple_lists(monkeypatch):
    monkeypatch.setattr(loader, "MAX_NODES", 5)
    assert read_simple_yaml("a: [1, 2]\n") is not None
    assert read_simple_yaml("a: [1, 2, 3, 4]\n") is None  # PyYAML's path reports the bound


CONTROL_MIX = st.text(
    st.sampled_from(
        "ab\n\t\r\x00\x1f\x7f\x80\x9fé\u2028\u2029\u202a\u202e\u202f\u2065\u2066\u2069\u206a\ufeff\ufffe\uffff\ud800😀"
    ),
    max_size=12,
)  # controls, and the bidirectional controls (U+202A-202E, U+2066-2069) with their neighbours


@given(CONTROL_MIX)
def test_control_characters_are_found_as_the_regex_finds_them(text):
    (found, bidi), expected = loader._find_control(text), loader.CONTROL.search(text)
    assert (found and found.span()) == (expected and expected.span())
    assert bidi == (loader._BIDI.search(text) is not None)  # found in UTF-8 as in the text


@given(st.lists(st.sampled_from(["---", "...", "--", " ", "\t", "\r", "\n", "x"]), max_size=12).map("".join))
def test_closing_line_is_found_where_the_line_start_pattern_finds_it(text):
    text = "---\n" + text
    line_start = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE).search(text, 4)
    found = loader._CLOSING.search(text, 3)
    assert (found and (found.start() + 1, found.end())) == (line_start and line_start.span())


@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12))
def test_slugify_of_ascii_skips_unicode_normalisation_exactly(text):
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    assert slugify(text) == loader._NOT_SLUG.sub("-", folded.lower()).strip("-")


ROOTS = [Path("/work/site"), Path("/work/si"), Path("/"), Path("."), Path("work")]


@given(
    st.sampled_from(ROOTS),
    st.sampled_from(ROOTS),
    st.lists(st.sampled_from(["a", "b.md", "..", "c d", "ü"]), max_size=3),
)
def test_display_path_is_relative_to_the_root_as_pathlib_says(root, base, parts):
    path = base.joinpath(*parts)
    try:
        expected = path.relative_to(root).as_posix()
    except ValueError:
        expected = path.as_posix()
    assert display_path(path, root) == expected
