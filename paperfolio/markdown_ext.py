"""The Markdown side of `markup`: one reusable Markdown instance per thread, with LaTeX, bare URLs and headings.

The LaTeX processor runs right after code spans (priority 185), so code is never read as LaTeX, and
before Markdown's escapes and emphasis, so `_` and `*` inside math stay math. Bare URLs are linked late
(priority 85), after Markdown links and raw HTML have been taken out of the text. Formulas become
private-use placeholders that `markup` replaces after sanitising.
"""

from __future__ import annotations

import re
import sys
import threading
import xml.etree.ElementTree as etree

import markdown
from markdown import serializers
from markdown.extensions import Extension
from markdown.extensions.tables import TableExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from . import latex
from .markup import CLOSE, MULTILINE_MATH_RE, OPEN, URL_RE, is_linkable, join_lines, markdown_paragraphs, trim_url
from .mathml import Formula, convert_math


def _fenced_code_extension() -> Extension:
    """Return Python-Markdown's fenced-code extension, imported without Pygments.

    `fenced_code` imports `codehilite`, which imports Pygments (and through it `importlib.metadata`,
    about 35 ms) in case highlighting is wanted. paperfolio never registers `codehilite`, so fenced
    blocks are plain `<pre><code>` either way; hiding Pygments for that one import only keeps it off
    the build's start-up path. Setting a `sys.modules` entry to None makes that
    import raise ImportError, which `codehilite` handles by turning highlighting off.
    """
    hidden = "pygments" not in sys.modules
    if hidden:
        sys.modules["pygments"] = None  # type: ignore[assignment]
    try:
        from markdown.extensions.fenced_code import FencedCodeExtension
    finally:
        if hidden:
            del sys.modules["pygments"]
    return FencedCodeExtension()


class Converter:
    """A reusable Markdown instance with the LaTeX, URL and heading extensions."""

    def __init__(self) -> None:
        self.formulas: list[Formula] = []
        self.warnings: list[str] = []
        self.inline = False
        # Extension objects, not names: a name makes Markdown scan every installed package's entry points.
        self.md = markdown.Markdown(extensions=[TableExtension(), _fenced_code_extension(), PaperfolioExtension(self)])

    def convert(self, text: str, *, inline: bool) -> tuple[str, list[Formula], list[str]]:
        """Return HTML with formula placeholders, the formulas, and the warnings."""
        self.formulas, self.warnings, self.inline = [], [], inline
        self.md.reset()
        fragment = self.convert_inline(text) if inline else self.md.convert(text)
        return fragment, self.formulas, self.warnings

    def convert_latex(self, text: str, *, inline: bool) -> tuple[str, list[Formula], list[str]]:
        """Do what `convert` does for text with LaTeX and URLs but no Markdown syntax, without Markdown."""
        self.formulas, self.warnings, self.inline = [], [], inline
        parts = [text] if inline else markdown_paragraphs(MULTILINE_MATH_RE.sub(join_lines, text))
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
            if not is_linkable(url):
                continue  # left as text
            append_text(parent, text[position : match.start()])
            etree.SubElement(parent, "a", href=url).text = url
            position = match.start() + len(url)
        append_text(parent, text[position:])

    def convert_inline(self, text: str) -> str:
        """Run only Markdown's inline stage, so a title like `1. Intro` never becomes a list."""
        root = etree.Element("div")
        etree.SubElement(root, "span").text = text
        for processor in self.md.treeprocessors:
            new = processor.run(root)  # a new root, or None (as Markdown reads it; an element's truth is its length)
            if new is not None:
                root = new
        output = self.md.serializer(root)
        for processor in self.md.postprocessors:
            output = processor.run(output)
        return output.strip().removeprefix("<div><span>").removesuffix("</span></div>")

    def add_formula(self, math: latex.Math) -> str:
        """Convert a formula and return its placeholder."""
        display = math.display and not self.inline
        self.formulas.append(convert_math(math.source, display, math.written))
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
        if "\x02" in data[match.start() : parsed.end]:
            # A code span or raw HTML that Markdown has already set aside (its placeholder, between STX and ETX)
            # lies inside: `\(` … `x` … `\)` is not a formula. The text stays, the placeholder comes back later.
            return None, None, None
        self.converter.warnings.extend(parsed.warnings)
        nodes = parsed.nodes
        if all(isinstance(node, str) for node in nodes):
            return AtomicString("".join(nodes)), match.start(), parsed.end
        if len(nodes) == 1 and isinstance(nodes[0], latex.Math):
            return self.converter.add_formula(nodes[0]), match.start(), parsed.end
        # Several nodes (a macro ignored with its arguments, say) need one element to come back in: one that
        # nh3 drops, keeping what it holds, so the page gets the nodes alone, as `LatexWriter` writes them.
        wrapper = etree.Element("paperfolio-group")
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
        if not is_linkable(url):  # `https://a..org/`: left as text
            return None, None, None
        link = etree.Element("a", href=url)
        link.text = AtomicString(url)
        return link, match.start(), match.start() + len(url)


class JoinDisplayMath(Preprocessor):
    """Put each multi-line `$$…$$` or `\\[…\\]` on one line so its lines cannot become Markdown blocks."""

    def run(self, lines: list[str]) -> list[str]:
        """Return the lines with line breaks inside display math turned into spaces."""
        text = "\n".join(lines)
        if "\n" not in text or ("$$" not in text and "\\[" not in text):
            return lines
        return MULTILINE_MATH_RE.sub(join_lines, text).split("\n")


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


class InlineRawHtml(Postprocessor):
    """Drop the block-level tags of raw HTML the text holds (`<p>`, `<pre>`, `<ul>`, `<li>`, `<table>`, …),
    before Markdown puts it back: left unclosed or misnested, they made trees no HTML parser can serialise
    validly (`<pre><p>`, text right inside `<ul>`). Paragraphs, lists, quotes, code blocks, tables and
    headings are written in Markdown; raw HTML keeps inline tags. Fenced code, which Markdown also sets
    aside as HTML, is left alone: it is one `<pre><code>` of escaped text."""

    def run(self, text: str) -> str:
        blocks = self.md.htmlStash.rawHtmlBlocks
        for index, raw in enumerate(blocks):
            if isinstance(raw, str) and BLOCK_TAG_RE.search(raw) and not FENCED_CODE_RE.fullmatch(raw):
                blocks[index] = BLOCK_TAG_RE.sub("", raw)
        return text


BLOCK_TAG_RE = re.compile(
    r"</?(?:p|pre|blockquote|ul|ol|li|dl|dt|dd|h[1-6]|hr|table|caption|thead|tbody|tfoot|tr|th|td)(?=[\s/>])[^>]*>",
    re.IGNORECASE,
)
FENCED_CODE_RE = re.compile(r"<pre(?: [^>]*)?><code(?: [^>]*)?>[^<]*</code></pre>")


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
        md.postprocessors.register(InlineRawHtml(md), "inline_raw_html", 35)  # before "raw_html" (30)
        skip_impossible_searches(md)


# Some of Markdown's patterns start with a look-behind or a line start, so `re` tries them at every
# position of every block: about 400 µs for an abstract with no backtick, bracket, `#` or `>`. Every
# match of each pattern here contains (or, for code spans, looks ahead to) one of the strings given.
SKIPPABLE_PATTERNS = (
    ("inlinePatterns", "backtick", "compiled_re", ("`",)),
    ("inlinePatterns", "reference", "compiled_re", ("[",)),
    ("inlinePatterns", "link", "compiled_re", ("[",)),
    ("inlinePatterns", "short_reference", "compiled_re", ("[",)),
    ("blockprocessors", "hashheader", "RE", ("#",)),
    ("blockprocessors", "quote", "RE", (">",)),
    ("blockprocessors", "reference", "RE", ("[",)),
    ("preprocessors", "fenced_code_block", "FENCED_BLOCK_RE", ("```", "~~~")),
)


def skip_impossible_searches(md: markdown.Markdown) -> None:
    """Make the patterns in SKIPPABLE_PATTERNS answer at once for text that lacks what they need."""
    registries = {
        "inlinePatterns": md.inlinePatterns,
        "blockprocessors": md.parser.blockprocessors,
        "preprocessors": md.preprocessors,
    }
    for registry, name, attribute, needed in SKIPPABLE_PATTERNS:
        processor = registries[registry][name]
        setattr(processor, attribute, SkipWithout(getattr(processor, attribute), needed))


class SkipWithout:
    """A compiled pattern that finds nothing, at once, in text without any of the strings every match needs."""

    def __init__(self, pattern: re.Pattern, needed: tuple[str, ...]) -> None:
        self.pattern = pattern
        self.needed = needed

    def possible(self, text: str) -> bool:
        """Return whether the text holds one of the needed strings."""
        return any(part in text for part in self.needed)

    def search(self, text: str, *positions: int) -> re.Match | None:
        """Return `pattern.search`, or None when no match is possible."""
        return self.pattern.search(text, *positions) if self.possible(text) else None

    def match(self, text: str, *positions: int) -> re.Match | None:
        """Return `pattern.match`, or None when no match is possible."""
        return self.pattern.match(text, *positions) if self.possible(text) else None

    def finditer(self, text: str, *positions: int):
        """Return `pattern.finditer`, or no matches when none is possible."""
        return self.pattern.finditer(text, *positions) if self.possible(text) else iter(())

    def __getattr__(self, name: str):
        """Answer everything else (`pattern`, `sub`, …) as the compiled pattern does."""
        return getattr(self.pattern, name)


_local = threading.local()


def get_converter() -> Converter:
    """Return this thread's converter, creating it on first use."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = Converter()
    return converter
