"""Markdown with LaTeX to safe HTML, and to plain text, for abstracts, paper bodies and titles.

One pass, in this order:

1. Markdown (one reused `markdown.Markdown` per thread, with `tables` and `fenced_code`) parses the
   text. Code spans and code blocks are left alone; in all other text one inline processor, run just
   after code spans, reads LaTeX (see `paperfolio.latex`): math, text macros, accents, groups, ties.
   Bare http(s) URLs become links after Markdown's own links and raw HTML have been read.
2. Each formula becomes a private-use placeholder, not HTML, so neither Markdown nor the sanitiser
   can touch it.
3. `nh3` sanitises the whole fragment with an explicit allow-list: user HTML, Markdown output and the
   macros' elements alike. Links and images keep only http, https, mailto and relative URLs.
4. Placeholders are replaced by MathML that latex2mathml made and nh3 sanitised once per formula
   with a MathML-only allow-list (latex2mathml copies `\\text{…}` verbatim, so its output is not
   trusted). Keeping MathML out of step 3 means a user cannot write raw MathML, and the big
   fragment is sanitised without the MathML tag set.

Display math alone in a paragraph is emitted without the `<p>` (valid either way; `<math>` is
phrasing content, but a lone display formula is a block). Body headings are shifted so the top
level used becomes `<h2>`: the page owns the `<h1>`.

Text with no Markdown, HTML or LaTeX character at all takes a fast path: paragraphs are wrapped in
`<p>` directly, which gives the same HTML as the full pass (a test checks this on the seed).
"""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as etree
from functools import lru_cache
from typing import NamedTuple

import markdown
import nh3
from markdown import serializers
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from . import latex

TAGS = frozenset(
    {
        "p",
        "a",
        "em",
        "strong",
        "i",
        "b",
        "u",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "br",
        "hr",
        "sup",
        "sub",
        "span",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "img",
    }
)
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "th": {"style", "colspan", "rowspan"},
    "td": {"style", "colspan", "rowspan"},
}
CLASSES = {"span": {"small-caps"}, "code": {"math-source"}}
CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    allowed_classes={tag: set(names) for tag, names in CLASSES.items()},
    url_schemes={"http", "https", "mailto"},
    filter_style_properties={"text-align"},
    link_rel=None,
    strip_comments=True,
)

OPEN, CLOSE = "\ue000", "\ue001"  # private-use characters around a formula's number
PLACEHOLDER_RE = re.compile(f"{OPEN}(\\d+){CLOSE}")
TAG_OR_PLACEHOLDER_RE = re.compile(f"<[^>]*>|{OPEN}(\\d+){CLOSE}")
DISPLAY_ONLY_RE = re.compile(f"<p>{OPEN}(\\d+){CLOSE}</p>")
URL_RE = re.compile(r"h(?<![<\"'=/\w]h)ttps?://[^\s<>\"'\x02\x03\ue000\ue001]+")
URL_TRAILING = ".,;:!?'\"*_"
MULTILINE_MATH_RE = re.compile(r"\$\$.+?\$\$|\\\[.+?\\\]", re.DOTALL)
BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
BLOCK_TAG_RE = re.compile(
    r"</?(?:p|br|hr|li|ul|ol|h[2-6]|blockquote|pre|table|caption|t[rhd]|thead|tbody|tfoot)\b[^>]*>"
)
ANY_TAG_RE = re.compile(r"<[^>]*>")
# Text without these characters needs no conversion at all: the fast path.
PLAIN_BREAKER_RE = re.compile(r"[\\`*_\[\]<>&#{}~|$\x00-\x09\x0b-\x1f\x7f\xa0\ue000\ue001]")
# Text whose characters outside LaTeX tokens avoid these needs LaTeX but not Markdown: the LaTeX-only path.
MARKDOWN_CHAR_RE = re.compile(r"[\\`*_\[\]<>&#|\x00-\x09\x0b-\x1f\x7f\ue000\ue001]")
# Line starts and ends that Markdown reads as structure (lists, headings, quotes, code, hard breaks).
LINE_EDGE_RE = re.compile(r"[ \t]\n|\n[ \t\d+\-=>]")
LINE_START = frozenset(" \t0123456789+-=>")
PARAGRAPH_BREAK_RE = re.compile(r"\n{2,}")


class Rendered(NamedTuple):
    """Rendered HTML and the problems found while rendering."""

    html: str  # safe HTML fragment
    warnings: tuple[str, ...]  # e.g. "unknown LaTeX macro `\\InterMT` kept as text"


class Result(NamedTuple):
    """A cached rendering: the public result plus its plain-text reading."""

    rendered: Rendered
    plain: str


def render_block(text: str) -> Rendered:
    """Render a Markdown body to block HTML (`<p>…`), for abstracts and paper bodies."""
    return render(text, inline=False).rendered


def render_inline(text: str) -> Rendered:
    """Render a title or short text to inline HTML, without a `<p>` wrapper."""
    return render(text, inline=True).rendered


def plain_text(text: str) -> str:
    """Return the plain reading of Markdown text, for `<title>`, meta tags, feeds, BibTeX and search."""
    return render(text, inline="\n" not in text.strip()).plain


@lru_cache(maxsize=16384)
def render(text: str, *, inline: bool) -> Result:
    """Render text once to HTML, warnings and plain text; the fast path skips Markdown."""
    text = normalize(text, inline=inline)
    path = choose_path(text, inline=inline)
    if path == "plain":
        return render_plain_paragraphs(text, inline=inline)
    return render_full(text, inline=inline, markdown=path == "markdown")


def choose_path(text: str, *, inline: bool) -> str:
    """Return `plain`, `latex` or `markdown`: the cheapest path that renders this text exactly."""
    if not inline and (text[:1] in LINE_START or ("\n" in text and LINE_EDGE_RE.search(text))):
        return "markdown"
    if not PLAIN_BREAKER_RE.search(text) and "://" not in text:
        return "plain"
    if not MARKDOWN_CHAR_RE.search(latex.TOKEN_RE.sub(" ", text)):
        return "latex"
    return "markdown"


def render_full(text: str, *, inline: bool, markdown: bool = True) -> Result:
    """Render normalised text, through Markdown or only its LaTeX, then sanitise it."""
    converter = get_converter()
    if markdown:
        fragment, formulas, warnings = converter.convert(text, inline=inline)
    else:
        fragment, formulas, warnings = converter.convert_latex(text, inline=inline)
    clean = CLEANER.clean(fragment)
    warnings = list(dict.fromkeys([*warnings, *(f.warning for f in formulas if f.warning)]))
    return Result(Rendered(insert_formulas(clean, formulas), tuple(warnings)), to_plain(clean, formulas))


def normalize(text: str, *, inline: bool) -> str:
    """Normalise line ends, drop placeholder characters, and collapse whitespace in inline text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace(OPEN, "").replace(CLOSE, "")
    if inline:
        return " ".join(text.split())
    return text.strip()


def render_plain_paragraphs(text: str, *, inline: bool) -> Result:
    """Wrap text that needs no conversion: the fast path."""
    if inline:
        return Result(Rendered(text, ()), text)
    paragraphs = PARAGRAPH_BREAK_RE.split(text)
    block = "\n".join(f"<p>{part}</p>" for part in paragraphs)
    return Result(Rendered(block, ()), " ".join(text.split()))


def insert_formulas(fragment: str, formulas: list[latex.Formula]) -> str:
    """Replace placeholders by MathML; inside a tag (an `alt`), by the formula's plain text."""

    def replace(match: re.Match) -> str:
        if match.group(1) is not None:
            return formulas[int(match.group(1))].html
        return PLACEHOLDER_RE.sub(lambda m: html.escape(formulas[int(m.group(1))].text), match.group())

    def unwrap(match: re.Match) -> str:
        formula = formulas[int(match.group(1))]
        return formula.html if formula.html.startswith('<math display="block"') else match.group()

    return TAG_OR_PLACEHOLDER_RE.sub(replace, DISPLAY_ONLY_RE.sub(unwrap, fragment))


def to_plain(fragment: str, formulas: list[latex.Formula]) -> str:
    """Return sanitised HTML as plain text: tags dropped, entities decoded, formulas read as text."""
    text = ANY_TAG_RE.sub("", BLOCK_TAG_RE.sub(" ", fragment))
    text = html.unescape(text)
    text = PLACEHOLDER_RE.sub(lambda m: formulas[int(m.group(1))].text, text)
    return " ".join(text.split())


class Converter:
    """A reusable Markdown instance with the LaTeX, URL and heading extensions."""

    def __init__(self) -> None:
        self.formulas: list[latex.Formula] = []
        self.warnings: list[str] = []
        self.inline = False
        self.md = markdown.Markdown(extensions=["tables", "fenced_code", PaperfolioExtension(self)])

    def convert(self, text: str, *, inline: bool) -> tuple[str, list[latex.Formula], list[str]]:
        """Return HTML with formula placeholders, the formulas, and the warnings."""
        self.formulas, self.warnings, self.inline = [], [], inline
        self.md.reset()
        fragment = self.convert_inline(text) if inline else self.md.convert(text)
        return fragment, self.formulas, self.warnings

    def convert_latex(self, text: str, *, inline: bool) -> tuple[str, list[latex.Formula], list[str]]:
        """Do what `convert` does for text with LaTeX and URLs but no Markdown syntax, without Markdown."""
        self.formulas, self.warnings, self.inline = [], [], inline
        parts = [text] if inline else PARAGRAPH_BREAK_RE.split(MULTILINE_MATH_RE.sub(join_lines, text))
        html_parts = []
        for part in parts:
            element = etree.Element("p")
            position = 0
            for match in latex.TOKEN_RE.finditer(part):
                if match.start() < position:
                    continue  # inside the arguments of the previous macro
                self.append_linked(element, part[position : match.start()])
                parsed = latex.parse_token(part, match)
                self.warnings.extend(parsed.warnings)
                self.build(element, parsed.nodes)
                position = parsed.end
            self.append_linked(element, part[position:])
            html_parts.append(serializers.to_html_string(element))
        fragment = "\n".join(html_parts)
        if inline:
            fragment = fragment.removeprefix("<p>").removesuffix("</p>")
        return fragment, self.formulas, self.warnings

    def append_linked(self, parent: etree.Element, text: str) -> None:
        """Append text, with bare URLs as links, as the bare-URL processor would."""
        position = 0
        for match in URL_RE.finditer(text):
            if match.start() < position:
                continue
            url = trim_url(match.group())
            append_text(parent, text[position : match.start()])
            etree.SubElement(parent, "a", href=url).text = url
            position = match.start() + len(url)
        append_text(parent, text[position:])

    def convert_inline(self, text: str) -> str:
        """Run only Markdown's inline stage, so a title like `1. Intro` never becomes a list."""
        root = etree.Element("div")
        etree.SubElement(root, "span").text = text
        for processor in self.md.treeprocessors:
            root = processor.run(root) or root
        output = self.md.serializer(root)
        for processor in self.md.postprocessors:
            output = processor.run(output)
        return output.strip().removeprefix("<div><span>").removesuffix("</span></div>")

    def add_formula(self, math: latex.Math) -> str:
        """Convert a formula and return its placeholder."""
        display = math.display and not self.inline
        self.formulas.append(latex.convert_math(math.source, display, math.written))
        return f"{OPEN}{len(self.formulas) - 1}{CLOSE}"

    def build(self, parent: etree.Element, nodes: tuple) -> None:
        """Append LaTeX nodes to an element as text and child elements."""
        for node in nodes:
            if isinstance(node, latex.Styled):
                child = etree.SubElement(parent, node.tag)
                if node.css_class:
                    child.set("class", node.css_class)
                self.build(child, node.children)
            elif isinstance(node, latex.Link):
                child = etree.SubElement(parent, "a", href=node.url)
                self.build(child, node.children)
            else:
                append_text(parent, node if isinstance(node, str) else self.add_formula(node))


def append_text(parent: etree.Element, text: str) -> None:
    """Append text after an element's last child, as ElementTree stores it."""
    if len(parent):
        parent[-1].tail = AtomicString((parent[-1].tail or "") + text)
    else:
        parent.text = AtomicString((parent.text or "") + text)


class LatexProcessor(InlineProcessor):
    """Read one LaTeX token (math, macro, accent, group, tie) from Markdown inline text."""

    def __init__(self, converter: Converter) -> None:
        super().__init__(latex.TOKEN_RE.pattern)
        self.compiled_re = latex.TOKEN_RE
        self.converter = converter

    def handleMatch(self, match: re.Match, data: str):  # noqa: N802 - Markdown's name
        """Return an element or string for the token and the span it covers."""
        parsed = latex.parse_token(data, match)
        self.converter.warnings.extend(parsed.warnings)
        nodes = parsed.nodes
        if all(isinstance(node, str) for node in nodes):
            return AtomicString("".join(nodes)), match.start(), parsed.end
        if len(nodes) == 1 and isinstance(nodes[0], latex.Math):
            return self.converter.add_formula(nodes[0]), match.start(), parsed.end
        wrapper = etree.Element("span")
        self.converter.build(wrapper, nodes)
        if len(nodes) == 1 and not wrapper.text and len(wrapper) == 1 and not wrapper[0].tail:
            wrapper = wrapper[0]
        return wrapper, match.start(), parsed.end


class UrlProcessor(InlineProcessor):
    """Link a bare http(s) URL; trailing punctuation and unbalanced `)` stay outside the link."""

    ANCESTOR_EXCLUDES = ("a",)

    def __init__(self) -> None:
        super().__init__(URL_RE.pattern)
        self.compiled_re = URL_RE

    def handleMatch(self, match: re.Match, data: str):  # noqa: N802 - Markdown's name
        """Return the link element and the span of the URL without trailing punctuation."""
        url = trim_url(match.group())
        link = etree.Element("a", href=url)
        link.text = AtomicString(url)
        return link, match.start(), match.start() + len(url)


def trim_url(url: str) -> str:
    """Drop trailing punctuation, and a `)` that closes a parenthesis opened before the URL."""
    while url:
        if url[-1] in URL_TRAILING or (url[-1] == ")" and url.count(")") > url.count("(")):
            url = url[:-1]
        else:
            break
    return url


class JoinDisplayMath(Preprocessor):
    """Put each multi-line `$$…$$` or `\\[…\\]` on one line so its lines cannot become Markdown blocks."""

    def run(self, lines: list[str]) -> list[str]:
        """Return the lines with line breaks inside display math turned into spaces."""
        text = "\n".join(lines)
        if "\n" not in text or ("$$" not in text and "\\[" not in text):
            return lines
        return MULTILINE_MATH_RE.sub(join_lines, text).split("\n")


def join_lines(match: re.Match) -> str:
    """Return a display formula on one line, unless it spans a blank line (then it is not one)."""
    if BLANK_LINE_RE.search(match.group()):
        return match.group()
    return match.group().replace("\n", " ")


class ShiftHeadings(Treeprocessor):
    """Shift headings so the top level used becomes `<h2>`; levels past 6 stay `<h6>`."""

    def run(self, root: etree.Element) -> None:
        """Retag the headings in place."""
        headings = [element for element in root.iter() if element.tag in HEADINGS]
        if not headings:
            return
        shift = 2 - min(HEADINGS[element.tag] for element in headings)
        for element in headings:
            element.tag = f"h{min(HEADINGS[element.tag] + shift, 6)}"


HEADINGS = {f"h{level}": level for level in range(1, 7)}


class PaperfolioExtension(Extension):
    """Register the LaTeX, URL, display-math and heading processors."""

    def __init__(self, converter: Converter) -> None:
        super().__init__()
        self.converter = converter

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's name
        """Add the processors at priorities that put them after code spans and raw HTML."""
        md.preprocessors.register(JoinDisplayMath(md), "join_display_math", 15)
        md.inlinePatterns.register(LatexProcessor(self.converter), "latex", 185)
        md.inlinePatterns.register(UrlProcessor(), "bare_url", 85)
        md.treeprocessors.register(ShiftHeadings(md), "shift_headings", 5)


_local = threading.local()


def get_converter() -> Converter:
    """Return this thread's converter, creating it on first use."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = Converter()
    return converter
