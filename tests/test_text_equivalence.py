"""The cheap ways of rendering paper text give what the general ones give: property tests and hard cases.

Each fast path stands in for a slower general one (a regex scan, `str.split`, ElementTree with Markdown's
serializer and nh3, Python-Markdown's own patterns) and is compared with it on generated text full of
what LaTeX, Markdown, HTML and URLs treat specially.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from paperfolio import latex, markup
from paperfolio.markdown_ext import SKIPPABLE_PATTERNS, Converter, SkipWithout

PIECES = [
    "\\textit{", "\\emph{x}", "}", "{", "$x$", "$a<b$", "$$y$$", "$$\ny\n$$", "\\[z\\]", "\\(w\\)", "\\%", "\\&",
    "\\_", "~", "Fig.~3", "https://a.org/x", "https://a.org/?a=1&b=2", "(https://en.wikipedia.org/wiki/A_(b)).",
    "http://x.org,", "\\url{https://b.org}", "\\href{https://c.org}{c \\textbf{d}}", "\\href{", "}{", "\\'e",
    "\\c{c}", "\\LaTeX{}", "\\foo", "\\textsc{Ab}", "\\texttt{a_b}", " ", "  ", "\n", "\n\n", "\n\n\n", "\t", "a",
    "word", ".", ",", "(", ")", "'", '"', "-", "\\ldots", "\\,", "\xa0", "é", "\u2009", "\\textless", "\\textgreater",
    "&", "<", ">", "&amp;", "amp;", "&#58;", "#", "\\url{javascript&#58;x}", "\\url{a.pdf}", "\\href{/x:y}{z}",
    "\x01", "\x00", "\x0c", "\x1f", "\\", "$", "5", "1. ", "# ", "*", "_", "`", "|", "\\url{", "https://", "http://",
    "xn--", ".1", ":99", ":8080", "mailto:", "//", "[", "]", "?", "@", "class", '=""', ' class=""', "\\url{}",
    "\\$", "$\\frac{a$", "$\\foo x$", "$$\\frac{a}{b}$$", "\\textbf{", "\\textsuperscript{2}", "\\url{http://[x}",
    "\\href{mailto://a|b}{m}", "\\href{https://a.org}{\\url{https://b.org}}", "HTTPS://A.ORG", "https://a.1/x",
]  # fmt: skip
text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=14).map("".join)
SETTINGS = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(text, st.booleans())
@example(r"R\&D and Q\&A at https://a.org/x.", False)
@example(r"\textit{a &amp; b} \url{https://a.org}", False)  # a character reference: nh3 decides
@example(r"\href{https://a.org}{\url{https://b.org}}", True)  # a link inside a link: nh3 decides
@example(r"\url{https://a.1/x} and \url{https://xn--zz.org}", False)  # hosts nh3 rejects
@example(r'\textit{x} class="" y', False)  # text, not an emptied attribute: it stays
@example("before\n\n$$x^2$$\n\nafter", False)  # a display formula alone is no paragraph
@example(r"Fig.~3 of \textsc{Ab}, 76.9\% \textless{} 80", True)
def test_the_latex_writer_writes_what_the_sanitised_element_tree_gives(source, inline):
    normal = markup.normalize(source, inline=inline)
    path = markup.choose_path(normal, inline=inline)
    if path not in ("latex", "urls"):
        return
    written = markup.LatexWriter(inline=inline, tokens=path == "latex").render(normal)
    if written is not None:
        assert written == markup.render_full(normal, inline=inline, markdown=False)


def test_the_latex_writer_leaves_to_nh3_what_only_nh3_decides():
    for source in [r"\textit{&amp;}", r"\href{https://a.org}{\url{https://b.org}}", r"\url{https://a.1}", "a\x00\\%"]:
        assert markup.LatexWriter(inline=False).render(source) is None


@SETTINGS
@given(text)
def test_the_cheap_paths_are_chosen_as_the_regexes_choose_them(source):
    assert markup.has_plain_breaker(source) == (markup.PLAIN_BREAKER_RE.search(source) is not None)
    markdown_char = re.compile(rf"[{re.escape(markup.MARKDOWN_CHARS)}]|<(?=[A-Za-z/!?]|\Z)")
    outside = markdown_char.search(latex.TOKEN_RE.sub(" ", source)) is not None
    expected = outside or ("<" in source and "@" in source) or "`" in source  # a code span outranks LaTeX
    assert markup.has_markdown_outside_latex(source) == expected


@SETTINGS
@given(text)
@example(" a\n\nb ")
@example("a\n\n\nb")
@example("a \nb\t c\u3000d")
def test_whitespace_is_collapsed_as_str_split_does(source):
    assert markup.collapse_whitespace(source) == " ".join(source.split())
    assert markup.split_paragraphs(source) == markup.PARAGRAPH_BREAK_RE.split(source)


def read_group_one_character_at_a_time(text: str, start: int) -> tuple[str, int] | None:
    """Return what `latex.read_group` returns, walking every character (its former code)."""
    depth, index = 0, start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1 : index], index + 1
        index += 1
    return None


@SETTINGS
@given(st.text(alphabet="{}\\ab\n", max_size=20), st.integers(0, 20))
@example("{a\\}b}", 0)
@example("{a\\", 0)
def test_groups_are_read_as_one_character_at_a_time(source, start):
    assert latex.read_group(source, start) == read_group_one_character_at_a_time(source, start)


# The patterns `SkipWithout` wraps, as Markdown 3 writes them: a new Markdown that changes one must be
# checked again, since the character each is said to need comes from reading these.
WRAPPED_PATTERNS = {
    ("inlinePatterns", "backtick"): r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)",
    ("inlinePatterns", "reference"): r"(?<!\!)\[",
    ("inlinePatterns", "link"): r"(?<!\!)\[",
    ("inlinePatterns", "short_reference"): r"(?<!\!)\[",
    ("blockprocessors", "hashheader"): r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)",
    ("blockprocessors", "quote"): r"(^|\n)[ ]{0,3}>[ ]?(.*)",
    ("blockprocessors", "reference"): r"^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?"
    r"""((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$""",
}


def wrapped_patterns(converter: Converter) -> list[tuple[tuple[str, str], SkipWithout]]:
    """Return each skippable pattern of a converter's Markdown with its registry and name."""
    md = converter.md
    registries = {"inlinePatterns": md.inlinePatterns, "blockprocessors": md.parser.blockprocessors}
    registries["preprocessors"] = md.preprocessors
    return [
        ((kind, name), getattr(registries[kind][name], attribute)) for kind, name, attribute, _ in SKIPPABLE_PATTERNS
    ]


def test_the_skipped_patterns_are_the_ones_read():
    for key, wrapped in wrapped_patterns(Converter()):
        assert isinstance(wrapped, SkipWithout)
        if key in WRAPPED_PATTERNS:
            assert wrapped.pattern.pattern == WRAPPED_PATTERNS[key]
        else:
            assert key == ("preprocessors", "fenced_code_block")
            assert wrapped.pattern.pattern.lstrip().startswith("(?P<fence>^(?:~{3,}|`{3,}))")


markdown_text = st.lists(
    st.one_of(
        st.sampled_from(["`", "``", "\\`", "\\\\`", "[", "]", "![", "](x)", "]: x", "#", "##", "> ", ">"]),
        st.sampled_from(["```", "~~~", "```\n", "\n```"]),
        st.sampled_from(["\n", "\n\n", " ", "a", "b c", "\\", "!", "-", "*", "1. ", "    ", "|", "<b>", "$x$"]),
    ),
    max_size=16,
).map("".join)


@SETTINGS
@given(markdown_text)
def test_a_skipped_pattern_finds_what_the_pattern_finds(skipping, source):
    for _, wrapped in wrapped_patterns(skipping):
        for start in (0, len(source) // 2):
            assert [m.span() for m in wrapped.finditer(source, start)] == [
                m.span() for m in wrapped.pattern.finditer(source, start)
            ]
            found, expected = wrapped.search(source, start), wrapped.pattern.search(source, start)
            assert (found and found.span()) == (expected and expected.span())
            found, expected = wrapped.match(source, start), wrapped.pattern.match(source, start)
            assert (found and found.span()) == (expected and expected.span())


@pytest.fixture(scope="module")
def skipping() -> Converter:
    """Return a converter as paperfolio makes it."""
    return Converter()


@pytest.fixture(scope="module")
def unskipped() -> Converter:
    """Return a converter whose Markdown patterns are Markdown's own, unwrapped."""
    converter = Converter()
    md = converter.md
    registries = {"inlinePatterns": md.inlinePatterns, "blockprocessors": md.parser.blockprocessors}
    registries["preprocessors"] = md.preprocessors
    for kind, name, attribute, _ in SKIPPABLE_PATTERNS:
        processor = registries[kind][name]
        setattr(processor, attribute, getattr(processor, attribute).pattern)
    return converter


@SETTINGS
@given(st.one_of(markdown_text, text), st.booleans())
def test_markdown_with_skipped_patterns_converts_as_markdown_does(skipping, unskipped, source, inline):
    normal = markup.normalize(source, inline=inline)
    assert skipping.convert(normal, inline=inline) == unskipped.convert(normal, inline=inline)


@SETTINGS
@given(text, st.booleans())
@example("Chinese & US markets", False)  # `&` before a space starts no character reference
@example("smaller models (<30B parameters) and larger ones (>32B)", False)  # `<` before a digit starts no tag
@example("a <3@b.org> c", False)  # ... unless it opens an e-mail autolink: Markdown then
@example("R&D &amp; Q&A", True)
@example("x < y\n\n> quoted", False)  # a line starting with `>` is a quote
@example("a <!-- b --> c <", False)
@example("a\xa0\n\n\xa0b \\textit{c}", False)  # Markdown drops whitespace that starts a paragraph
@example("a\n\n\u2009y", False)
@example("", False)  # Markdown makes no empty paragraph
@example("\\href{\\emph{x}\\emph{x}}{", False)  # an ignored macro's arguments, with no wrapper around them
@example("\ufeff", True)  # the sanitiser's HTML parser drops a byte order mark that starts the fragment
@example("\ufeff \ufeffa", True)
@example("$\x03$", False)  # Markdown drops STX and ETX (its placeholders' marks) from what it reads
@example("$`0`$", False)  # a code span outranks math: `$<code>0</code>$` (found by a fresh clone's first run)
@example("\\texttt{`x`} b", True)
def test_every_cheap_path_gives_what_markdown_gives(source, inline):
    normal = markup.normalize(source, inline=inline)
    if markup.choose_path(normal, inline=inline) != "markdown":
        assert markup.render.__wrapped__(normal, inline=inline) == markup.render_full(normal, inline=inline)
