"""Markdown with LaTeX to safe HTML, and to plain text, for abstracts, paper bodies and titles.

One pass, in this order:

1. Markdown (`markdown_ext`: one reused `markdown.Markdown` per thread, with `tables` and
   `fenced_code`) parses the text. Code is left alone; all other text is read for LaTeX (`latex`):
   math, text macros, accents, groups, ties. Bare http(s) URLs become links.
2. Each formula becomes a private-use placeholder, not HTML, so neither Markdown nor the sanitiser
   can touch it.
3. `nh3` sanitises the whole fragment with an explicit allow-list: user HTML, Markdown output and the
   macros' elements alike. Links and images keep only http, https, mailto and relative URLs. An image
   must then also be local: one with an absolute address (`https://…`, `//host/…`) or none left is
   replaced by its alt text, with a warning, because the published pages load nothing from other
   hosts; a local image without alt text gets `alt=""` and a warning asking for one.
4. Placeholders are replaced by MathML (`mathml`) that latex2mathml made and nh3 sanitised once per
   formula with a MathML-only allow-list (latex2mathml copies `\\text{…}` verbatim, so its output is
   not trusted). Keeping MathML out of step 3 means a user cannot write raw MathML, and the big
   fragment is sanitised without the MathML tag set.

Display math alone in a paragraph is emitted without the `<p>` (valid either way; `<math>` is
phrasing content, but a lone display formula is a block). Body headings are shifted so the top
level used becomes `<h2>`: the page owns the `<h1>`.

Markdown costs about 1 ms per abstract, so two cheaper paths give the same HTML (property tests check
this): text with no Markdown, HTML or LaTeX character is wrapped in `<p>` per paragraph directly; text
whose only special characters are LaTeX tokens and URLs skips Markdown's parser and is written
straight to HTML by `LatexWriter`, which also skips nh3 because it escapes every character itself.
"""

from __future__ import annotations

import html
import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING, NamedTuple

from . import latex
from .latex import words
from .linktext import disclose
from .mathml import Formula, convert_math
from .urls import AUTHORITY_RE, CONTROL_RE, INVISIBLE, web_address_problem

if TYPE_CHECKING:
    import nh3

# Python-Markdown (and what it imports) costs ~40 ms of start-up, so `markdown_ext` is imported only when
# some text needs it: an incremental build whose changed papers are plain text never loads it.
OPEN, CLOSE = "\ue000", "\ue001"  # private-use characters around a formula's number
PARAGRAPH_BREAK_RE = re.compile(r"\n{2,}")

TAGS = words(
    "p a em strong i b u code pre blockquote ul ol li h2 h3 h4 h5 h6 br hr sup sub span table caption "
    "thead tbody tfoot tr th td img"
)
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "th": {"style", "colspan", "rowspan"},
    "td": {"style", "colspan", "rowspan"},
}
CLASSES = {"span": {"small-caps"}, "code": {"math-source"}}


@cache
def cleaner() -> nh3.Cleaner:
    """Return the sanitiser for whole fragments, made at first use: `LatexWriter` text never needs nh3."""
    import nh3

    return nh3.Cleaner(
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        allowed_classes={tag: set(names) for tag, names in CLASSES.items()},
        url_schemes={"http", "https", "mailto"},
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
    )


PLACEHOLDER_RE = re.compile(f"{OPEN}(\\d+){CLOSE}")
TAG_OR_PLACEHOLDER_RE = re.compile(f"<[^>]*>|{OPEN}(\\d+){CLOSE}")
DISPLAY_ONLY_RE = re.compile(f"<p>{OPEN}(\\d+){CLOSE}</p>")
BLOCK_TAG_RE = re.compile(
    r"</?(?:p|br|hr|li|ul|ol|h[2-6]|blockquote|pre|table|caption|t[rhd]|thead|tbody|tfoot)\b[^>]*>"
)
ANY_TAG_RE = re.compile(r"<[^>]*>")
# nh3 writes every attribute value in double quotes, with `"` escaped, so `>` can only end the tag outside quotes.
IMG_TAG_RE = re.compile(r'<img\b(?:[^>"]|"[^"]*")*>')
ATTRIBUTE_RE = re.compile(r'\s([a-z-]+)="([^"]*)"')
SCHEME_RE = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)
URL_IGNORED = dict.fromkeys(map(ord, "\t\n\r"))  # the URL standard drops these anywhere in a URL
URL_LEADING = "".join(map(chr, range(33)))  # and these (C0 controls, space) at its start
# Text without these characters needs no conversion at all: the fast path.
PLAIN_BREAKER_RE = re.compile(r"[\\`*_\[\]<>&#{}~|$\x00-\x09\x0b-\x1f\x7f\xa0\ue000\ue001]")
ASCII_CONTROLS = "".join(map(chr, [*range(0x0A), *range(0x0B, 0x20), 0x7F]))  # all but the newline
ASCII_PLAIN_BREAKERS = ("\\`*_[]<>&#{}~|$" + ASCII_CONTROLS).encode()  # the ASCII ones of PLAIN_BREAKER_RE
OTHER_ASCII_SPACES = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f"  # what `str.split` splits at besides spaces and newlines
# Text whose characters outside LaTeX tokens avoid these needs LaTeX but not Markdown: the LaTeX-only path.
# `&`, `<` and `>` are text to Markdown too, escaped as `LatexWriter` escapes them (a character reference
# goes to nh3 either way), except a `<` that can open a tag, comment or autolink: one before a letter,
# `/`, `!` or `?` (or ending the text), or any `<` in text with an `@` (an e-mail autolink, `<a1@b.org>`).
# So "Chinese & US" and "(<30B parameters)" skip Markdown's parser.
MARKDOWN_CHARS = "\\`*_[]#|" + ASCII_CONTROLS + OPEN + CLOSE
MARKDOWN_TAG_OPEN = "<(?![^A-Za-z/!?])"
# LaTeX tokens and, outside them, Markdown characters, in one scan (`has_markdown_outside_latex`). Each
# character is an alternative of its own, without a group: `re` skips ahead only when every alternative
# starts with a literal, and a match with no named group (`lastgroup` None) is a Markdown character.
TOKEN_OR_MARKDOWN_RE = re.compile(
    "|".join([latex.TOKEN_RE.pattern, *map(re.escape, MARKDOWN_CHARS), MARKDOWN_TAG_OPEN]), re.DOTALL
)
# Line starts and ends that Markdown reads as structure (lists, headings, quotes, code, hard breaks):
# `[ \t]\n|\n[ \t\d+\-=>]`, written to start with `\n` so that `re` skips ahead to each newline.
LINE_EDGE_RE = re.compile(r"\n(?:[ \t\d+\-=>]|(?<=[ \t]\n))")
LINE_START = frozenset(" \t0123456789+-=>")
# A bare http(s) URL in text; trailing punctuation is trimmed off by `trim_url`. It ends before a character a
# URL cannot hold (`{`, `}`, `|`, `\\`, `^`, a backtick, brackets, a `%` not starting an escape) and at a
# second `#`, so `{https://github.com/x}` links the address alone and every href is valid.
# A title's `<`, `>` and `"` reach this scan escaped (`escape_outside_math`), so an address ends at `&gt;` too:
# `<https://x.org>` in a title showed as `https://x.org&gt;`.
# It ends at an invisible character too (a bidirectional control, a zero-width one): taken in, the closer
# `loader.contain_bidi` appends to a text ending with an address changed that address, and an override inside
# one reordered the address as shown (`https://a.org/\u202egnp.exe` read `https://a.org/exe.png`).
_URL_CHAR = r"(?:(?!&(?:gt|lt|quot);)[^\s<>\"'\x02\x03\ue000\ue001{}|\\^`\[\]#%" + INVISIBLE + r"]|%[0-9A-Fa-f]{2})"
URL_RE = re.compile(r"h(?<![<\"'=/\w]h)ttps?://" + _URL_CHAR + "+(?:#" + _URL_CHAR + "*)?")
URL_TRAILING = ".,;:!?'\"*_"
MULTILINE_MATH_RE = re.compile(r"\$\$.+?\$\$|\\\[.+?\\\]", re.DOTALL)
BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
# What Markdown's serializer leaves unescaped after `&`, and nh3 then decodes: only nh3 knows those bytes.
CHARACTER_REFERENCE_RE = re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);", re.IGNORECASE)
# An http(s) address whose host nh3 is sure to accept: letters, digits and hyphens, no IDNA label,
# a last label that cannot be read as an IPv4 number, a port below 10000.
WEB_ADDRESS_RE = re.compile(
    r"https?://(?:(?!xn--)[a-z0-9-]+\.)*(?!xn--)[a-z][a-z0-9-]*(?::[0-9]{1,4})?(?:[/?#]|$)", re.IGNORECASE
)


class Rendered(NamedTuple):
    """Rendered HTML and the problems found while rendering."""

    html: str  # safe HTML fragment
    warnings: tuple[str, ...]  # e.g. "unknown LaTeX macro `\\InterMT` kept as text"


class Result(NamedTuple):
    """A cached rendering: the public result plus its plain-text reading."""

    rendered: Rendered
    plain: str


DISPLAY_OPEN = '<span class="math-display" tabindex="0">'  # `feeds` finds it to drop the Tab stop


def display_block(formula: str) -> str:
    """Return a display formula that stands alone as a paragraph, in a span that scrolls it and takes the focus.

    One wider than the screen scrolls sideways (style.css); the span's `tabindex` lets a keyboard scroll it too
    (WCAG 2.1.1: Chrome and Firefox focus a scroller by themselves, Safari does not, and `<math>` may not carry
    `tabindex`). It is a Tab stop whether or not it scrolls, as the BibTeX block is. A display formula within a
    paragraph's text scrolls itself as before: a focusable span may not be inside a link, where that text may be.
    """
    return f"{DISPLAY_OPEN}{formula}</span>"


def render_block(text: str) -> Rendered:
    """Render a Markdown body to block HTML (`<p>…`), for abstracts and paper bodies."""
    return disclosed(render(text, inline=False).rendered)


def render_inline(text: str) -> Rendered:
    """Render a short text (a footer) to inline HTML, without a `<p>` wrapper."""
    return disclosed(render(text, inline=True).rendered)


def disclosed(rendered: Rendered) -> Rendered:
    """Return rendered HTML whose links whose text reads as another address show their own (`linktext`)."""
    if "<a " not in rendered.html:
        return rendered
    fragment, warnings = disclose(rendered.html)
    return Rendered(fragment, rendered.warnings + warnings) if warnings else rendered


def render_title(text: str) -> Rendered:
    """Render a title: like `render_inline`, but `<`, `>` and `&` outside math are text, never HTML, and a
    link (`[x](…)`, `\\href`, a bare URL) keeps only its text: list pages wrap the title in a link to the
    paper's page, and a link inside a link is invalid HTML."""
    rendered = render(escape_outside_math(text), inline=True).rendered  # link text is no link here: kept
    if "<a" not in rendered.html:
        return rendered
    return Rendered(LINK_TAG_RE.sub("", rendered.html), rendered.warnings)


LINK_TAG_RE = re.compile(r"</?a\b[^>]*>")  # in sanitised HTML, where `>` in an attribute is written `&gt;`


def title_text(text: str) -> str:
    """Return a title's plain reading, keeping any `<`, `>` and `&` the author wrote as text."""
    return plain_text(escape_outside_math(text))


def escape_outside_math(text: str) -> str:
    """Escape HTML's three special characters except inside `$…$` math, which LaTeX reads as is."""
    if "$" not in text:
        return html.escape(text, quote=False)
    parts = MATH_SEGMENT_RE.split(text)
    return "".join(part if index % 2 else html.escape(part, quote=False) for index, part in enumerate(parts))


def plain_text(text: str) -> str:
    """Return the plain reading of Markdown text, for `<title>`, meta tags, feeds, BibTeX and search."""
    return render(text, inline="\n" not in text.strip()).plain


MATH_SEGMENT_RE = re.compile(r"(?<!\\)(\$[^$]+\$)")


@lru_cache(maxsize=16384)
def render(text: str, *, inline: bool) -> Result:
    """Render text once to HTML, warnings and plain text; the fast path skips Markdown."""
    text = normalize(text, inline=inline)
    path = choose_path(text, inline=inline)
    if path == "plain":
        return render_plain_paragraphs(text, inline=inline)
    if len(text) > MAX_CONVERTED[inline]:
        return render_unconverted(text, inline=inline)
    if path == "markdown" and text.count("](") > MAX_LINKS:
        # Python-Markdown 3.11 finds the end of each link by reading the rest of the paragraph again: 2,500
        # links in 20,000 characters took 12 s (its issue 1619). No abstract or section holds this many.
        return render_unconverted(text, inline=inline, why=f"more than {MAX_LINKS} links")
    if path in ("latex", "urls"):
        written = LatexWriter(inline=inline, tokens=path == "latex").render(text)
        if written is not None:
            return written
    return render_full(text, inline=inline, markdown=path == "markdown")


# The longest text converted: some inputs take Python-Markdown, the standard library's HTML parser (without
# the fix for CPython issue gh-135462, as in 3.11.7) and LaTeX's `\(`…`\)` time growing with the square of
# their length (40,000 characters of `[x](` took 64 s, of `<http://a` 37 s; at 20,000 characters the worst
# found, `{_` 10,000 times then one `}`, takes about 7 s, and 2,500 links 12 s, hence `MAX_LINKS`). arXiv caps
# an abstract at 1,920 characters; a longer text is shown as written.
MAX_CONVERTED = {False: 20_000, True: 2_000}  # a body (per section) / a title or other one-line text
MAX_LINKS = 400  # Markdown links (`[text](address)`) in one text, past which it is shown as written


def render_unconverted(text: str, *, inline: bool, why: str | None = None) -> Result:
    """Render text too long (or, `why`, too full of links) to convert as escaped paragraphs (or one escaped
    line), with a warning."""
    start = text[:24].partition("\n")[0].strip()
    what = f"text starting `{start}`" if start and "`" not in start else "a text"  # quoted: located by its line
    reason = why or f"{len(text):,} characters, more than the {MAX_CONVERTED[inline]:,} converted"
    warning = f"{what} has {reason}: shown as written, without Markdown or LaTeX"
    if inline:
        return Result(Rendered(html.escape(text, quote=False), (warning,)), text)
    parts = [part.strip() for part in split_paragraphs(text)]
    block = "\n".join(f"<p>{html.escape(part, quote=False)}</p>" for part in parts if part)
    return Result(Rendered(block, (warning,)), collapse_whitespace(text))


def choose_path(text: str, *, inline: bool) -> str:
    """Return the cheapest path that renders this text exactly: `plain` (no conversion), `urls` (bare
    URLs to link, nothing else), `latex` (LaTeX and URLs, no Markdown) or `markdown`."""
    if not inline and (text[:1] in LINE_START or ("\n" in text and LINE_EDGE_RE.search(text))):
        return "markdown"
    if not has_plain_breaker(text):
        return "urls" if "://" in text else "plain"
    if not has_markdown_outside_latex(text):
        return "latex"
    return "markdown"


def has_plain_breaker(text: str) -> bool:
    """Return whether text has a character of `PLAIN_BREAKER_RE`: Markdown, HTML or LaTeX syntax.

    A regex scan costs about 5 ns a character. ASCII text is answered in a tenth of that by deleting
    those characters from its bytes (`bytes.translate`): the length changes if there was one.
    """
    if text.isascii():
        return len(text.encode().translate(None, ASCII_PLAIN_BREAKERS)) != len(text)
    return PLAIN_BREAKER_RE.search(text) is not None


def has_markdown_outside_latex(text: str) -> bool:
    """Return whether one of MARKDOWN_CHARS or a MARKDOWN_TAG_OPEN is left once `latex.TOKEN_RE.sub(" ",
    text)` takes out the LaTeX tokens, or text with an `@` has a `<`, or text has a backtick anywhere. One scan
    instead of two: at each position the combined pattern tries a token first, so it finds the tokens `sub`
    finds."""
    if "<" in text and "@" in text:
        return True
    if "`" in text:  # a code span outranks LaTeX, inside its tokens too: Markdown reads `$`0`$` as `$<code>0</code>$`
        return True
    return any(match.lastgroup is None for match in TOKEN_OR_MARKDOWN_RE.finditer(text))


def collapse_whitespace(text: str) -> str:
    """Return `" ".join(text.split())`, the words of text with single spaces between them.

    In most text, once paragraph breaks and newlines are spaces, the only whitespace left is single
    spaces between words; that is checked without `str.split`, which makes an object of every word.
    """
    flat = text.replace("\n\n", " ").replace("\n", " ").strip(" ")
    if "  " in flat or not flat.isascii():
        return " ".join(text.split())
    if any(char in flat for char in OTHER_ASCII_SPACES):
        return " ".join(text.split())
    return flat


def render_full(text: str, *, inline: bool, markdown: bool = True) -> Result:
    """Render normalised text, through Markdown or only its LaTeX, then sanitise it."""
    from .markdown_ext import get_converter

    converter = get_converter()
    if markdown:
        fragment, formulas, warnings = converter.convert(text, inline=inline)
    else:
        fragment, formulas, warnings = converter.convert_latex(text, inline=inline)
    # nh3 keeps an emptied class attribute (`<code class="language-x">` once `language-x` is dropped); only
    # `code` and `span` may have a class, and a class is all they may have. Text that reads ` class=""` stays.
    clean = cleaner().clean(fragment)
    if ' class=""' in clean:
        clean = clean.replace('<code class="">', "<code>").replace('<span class="">', "<span>")
    if "<" in text:  # raw HTML: what the sanitiser removed, and formatting left open across blocks
        warnings = [*warnings, *removed_html(fragment)]
        clean = unnest_blocks(clean)
    if "<h" in clean:
        clean = ordered_headings(clean)
    if "<img" in clean:
        clean = local_images(clean, warnings)  # first: it reads each address as a browser would
    if 'href="' in clean or 'src="' in clean:
        clean = encode_addresses(clean, warnings)
    warnings = list(dict.fromkeys([*warnings, *(f.warning for f in formulas if f.warning)]))
    return Result(Rendered(insert_formulas(clean, formulas), tuple(warnings)), to_plain(clean, formulas))


# A start tag as the sanitiser reads one (in Markdown's output, where code and text `<` are escaped), and an
# event handler attribute in it.
START_TAG_RE = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)((?:[\s/](?:\"[^\"]*\"|'[^']*'|[^<>\"'])*)?)>")
HANDLER_RE = re.compile(r"[\s/\"'](on[A-Za-z]+)\s*=")


def removed_html(fragment: str) -> list[str]:
    """Return a warning naming the HTML tags the sanitiser removes from a fragment, and one naming its event
    handler attributes: the text they held vanishes unsaid otherwise (`<video>`, or `a <b c> d` read as a tag).
    Each quotes what is written first, so the warning's line is where the first one is."""
    tags: dict[str, str] = {}
    handlers: dict[str, str] = {}
    for match in START_TAG_RE.finditer(fragment):
        name, attributes = match.groups()
        if name.lower() not in TAGS and not name.startswith("paperfolio-"):  # not the converter's own marks
            tags.setdefault(name.lower(), name)
        if "=" in attributes:
            for handler in HANDLER_RE.findall(attributes):
                handlers.setdefault(handler.lower(), handler)
    warnings = []
    if tags:
        names = ", ".join(f"`<{name}`" for name in tags.values())
        warnings.append(f"HTML {names} removed: the text keeps only simple formatting (docs/front-matter.md)")
    if handlers:
        names = ", ".join(f"`{name}`" for name in handlers.values())
        warnings.append(f"HTML attribute {names} removed: the pages run no script")
    return warnings


TAG_RE = re.compile(r"<(/?)([a-z][a-z0-9]*)\b[^>]*>")
PHRASING = words("a em strong i b u code span sup sub")  # the allowed tags (`TAGS`) a block may not be inside
VOID = words("br hr img")
ONLY_BLOCKS = words("ul ol table caption thead tbody tfoot tr")


def unnest_blocks(fragment: str) -> str:
    """Drop the tags of formatting elements that hold a block, or sit right inside a list or table: raw
    `<b>` left open in one paragraph is carried into the next by the HTML parser behind the sanitiser
    (`<b><p>…</p></b>`, `<ul><b><li>`), content models the Nu Html Checker rejects. Their text stays;
    sanitised HTML stays well-formed without them."""
    drop: set[int] = set()  # start offsets of the tags to drop
    stack: list[tuple[str, int, bool]] = []  # open elements: name, start tag's offset, dropped
    for match in TAG_RE.finditer(fragment):
        closing, name = match.group(1), match.group(2)
        if name in VOID:
            if name == "hr":  # a block too: `<i>x` before a `***` line made `<i><hr></i>`
                stack = [(open_name, offset, dropped or open_name in PHRASING) for open_name, offset, dropped in stack]
            continue
        if closing:
            while stack:  # nh3 writes well-formed HTML: this closes the element opened last
                open_name, offset, dropped = stack.pop()
                if dropped:
                    drop.update((offset, match.start()))
                if open_name == name:
                    break
            continue
        if name not in PHRASING:
            for i, (open_name, offset, _dropped) in enumerate(stack):
                if open_name in PHRASING:
                    stack[i] = (open_name, offset, True)
        # A list or table holds only its items or rows: `<ul><b><li>` drops the `<b>` (and a `<b>` inside it).
        parent = next((open_name for open_name, _offset, dropped in reversed(stack) if not dropped), None)
        stack.append((name, match.start(), name in PHRASING and parent in ONLY_BLOCKS))
    if not drop:
        return fragment
    return TAG_RE.sub(lambda m: "" if m.start() in drop else m.group(), fragment)


HEADING_TAG_RE = re.compile(r"<(/?)h([1-6])>")  # as nh3 writes them: headings may have no attribute


def ordered_headings(fragment: str) -> str:
    """Renumber the headings of sanitised HTML so none skips a level after the one before it (the page's
    `<h1>` comes first): `## a` then `#### b` would leave the outline a gap, which the Nu Html Checker
    reports as an error and screen readers as a missing level. (Raw HTML headings never get here:
    `markdown_ext.InlineRawHtml` drops them.)"""
    opened: list[int] = []
    previous = 1

    def renumber(match: re.Match) -> str:
        nonlocal previous
        if match.group(1):  # a closing tag closes the heading opened last (nh3 writes well-formed HTML)
            return f"</h{opened.pop() if opened else match.group(2)}>"
        level = min(int(match.group(2)), previous + 1)
        opened.append(level)
        previous = level
        return f"<h{level}>"

    return HEADING_TAG_RE.sub(renumber, fragment)


class NeedsSanitiser(Exception):
    """Raised by `LatexWriter` for text whose bytes only nh3 decides."""


class LatexWriter:
    """Write text with LaTeX and bare URLs but no Markdown as HTML and plain text, without nh3.

    The result is `render_full(text, inline=inline, markdown=False)`, which builds an ElementTree,
    serialises it and sanitises it (a property test checks this). The elements are a fixed few,
    properly nested, so only the escaping of text and addresses could differ; the writer escapes
    as nh3 does and gives up, returning None, on what only nh3 decides: a character reference, a
    NUL, a link inside a link, an address nh3 might reject.
    """

    def __init__(self, *, inline: bool, tokens: bool = True) -> None:
        self.inline = inline
        self.tokens = tokens  # False: the text has no LaTeX token (no `\\`, `$`, `{` or `~`), only URLs
        self.html: list[str] = []
        self.plain: list[str] = []
        self.pending: list[str] = []  # text not yet escaped: ElementTree joins neighbouring text first
        self.warnings: list[str] = []
        self.formula_warnings: list[str] = []
        self.in_link = False

    def render(self, text: str) -> Result | None:
        """Return the rendering of normalised text, or None when only the sanitiser can make it."""
        try:
            if self.inline:
                fragment = "".join(self.paragraph(text))
            else:
                if "$$" in text or "\\[" in text:
                    text = MULTILINE_MATH_RE.sub(join_lines, text)
                fragment = "\n".join(self.block(part) for part in markdown_paragraphs(text))
        except NeedsSanitiser:
            return None
        warnings = tuple(dict.fromkeys([*self.warnings, *self.formula_warnings]))
        return Result(Rendered(fragment, warnings), collapse_whitespace("".join(self.plain)))

    def block(self, part: str) -> str:
        """Return a paragraph in `<p>`, or a display formula alone in it as a block of its own."""
        pieces = self.paragraph(part)
        self.plain.append(" ")
        # Text is escaped and tags are `<i>`, `<a href…`, so a lone piece like this is a formula.
        if len(pieces) == 1 and pieces[0].startswith('<math display="block"'):
            return display_block(pieces[0])
        return f"<p>{''.join(pieces)}</p>"

    def paragraph(self, part: str) -> list[str]:
        """Return a paragraph's HTML pieces, reading tokens as `Converter.convert_latex` does."""
        self.html = []
        position = 0
        for match in latex.TOKEN_RE.finditer(part) if self.tokens else ():
            if match.start() < position:
                continue  # inside the arguments of the previous macro
            self.linked_text(part[position : match.start()])
            parsed = latex.parse_token(part, match)
            self.warnings.extend(parsed.warnings)
            self.nodes(parsed.nodes)
            position = parsed.end
        self.linked_text(part[position:])
        self.flush()
        return self.html

    def linked_text(self, text: str) -> None:
        """Add text, with bare URLs as links."""
        if "://" not in text:
            self.pending.append(text)
            return
        position = 0
        for match in URL_RE.finditer(text):
            url = trim_url(match.group())
            if not is_linkable(url):
                continue  # left as text, as Markdown's bare-URL processor leaves it
            self.pending.append(text[position : match.start()])
            self.link(url, (url,))
            position = match.start() + len(url)
        self.pending.append(text[position:])

    def nodes(self, nodes: tuple) -> None:
        """Add LaTeX nodes: text, styled text, links and formulas."""
        for node in nodes:
            if isinstance(node, str):
                self.pending.append(node)
            elif isinstance(node, latex.Styled):
                self.tag(f'<{node.tag} class="{node.css_class}">' if node.css_class else f"<{node.tag}>")
                self.nodes(node.children)
                self.tag(f"</{node.tag}>")
            elif isinstance(node, latex.Link):
                self.link(node.url, node.children)
            else:
                self.formula(node)

    def link(self, url: str, children: tuple) -> None:
        """Add a link, if nh3 would keep its address as it is."""
        if self.in_link or not is_kept_address(url) or not is_linkable(url):
            raise NeedsSanitiser
        self.tag(f'<a href="{escape_text(encode_address(url))}">')
        self.in_link = True
        self.nodes(children)
        self.in_link = False
        self.tag("</a>")

    def formula(self, math: latex.Math) -> None:
        """Add a formula's MathML (or source), and its plain reading."""
        formula = convert_math(math.source, math.display and not self.inline, math.written)
        self.tag(formula.html)
        self.plain.append(formula.text)
        if formula.warning:
            self.formula_warnings.append(formula.warning)

    def tag(self, markup: str) -> None:
        """Add markup after the text before it."""
        self.flush()
        self.html.append(markup)

    def flush(self) -> None:
        """Escape and add the text waiting since the last tag."""
        text = "".join(self.pending)
        self.pending.clear()
        if text:
            self.html.append(escape_text(text))
            self.plain.append(text)


def escape_text(text: str) -> str:
    """Escape text (or an address) as nh3 writes it, or raise NeedsSanitiser for what nh3 would change."""
    if ("&" in text and CHARACTER_REFERENCE_RE.search(text)) or "\x00" in text:
        raise NeedsSanitiser
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\xa0", "&nbsp;")


# What a link or image address may not hold as it is (the Nu Html Checker's "illegal character"): whitespace,
# `"<>\`{}|\\^`, and `%` not starting an escape; `[` and `]` only after the host (an IPv6 host has them).
_ADDRESS_BAD_RE = re.compile(r'[\s"<>`{}|\\^]|%(?![0-9A-Fa-f]{2})')
_PATH_BAD_RE = re.compile(r'[\s"<>`{}|\\^\[\]]|%(?![0-9A-Fa-f]{2})')
ADDRESS_TAG_RE = re.compile(r'<(?:a|img)\s(?:[^>"]|"[^"]*")*>')
ADDRESS_VALUE_RE = re.compile(r'(\s(?:href|src)=")([^"]*)"')


def _percent(match: re.Match) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def encode_address(url: str) -> str:
    """Return an address with what it may not hold percent-encoded: `</assets/my file.pdf>`, which Markdown
    allows, gave `href="/assets/my file.pdf"`, invalid HTML. An address that needs nothing is returned as it is."""
    head = AUTHORITY_RE.match(url)
    start = head.end() if head else 0
    if not _ADDRESS_BAD_RE.search(url, 0, start) and not _PATH_BAD_RE.search(url, start):
        return url
    return _ADDRESS_BAD_RE.sub(_percent, url[:start]) + _PATH_BAD_RE.sub(_percent, url[start:])


def encode_addresses(fragment: str, warnings: list[str] | None = None) -> str:
    """Percent-encode what the link and image addresses of sanitised HTML may not hold (`encode_address`). A
    web address no encoding mends (`https:a.org`, `https://a..org/`, a port past 65535) loses its `href`,
    keeping its text (as nh3 leaves a link whose address it drops), and is warned of."""

    def value(match: re.Match) -> str:
        written = html.unescape(match.group(2))
        encoded = encode_address(written)
        if not is_linkable(encoded):
            if warnings is not None:
                warnings.append(
                    f"link address `{written}` is not well formed ({web_address_problem(encoded)}): kept as text"
                )
            return ""
        return match.group() if encoded == written else f'{match.group(1)}{encoded.replace("&", "&amp;")}"'

    return ADDRESS_TAG_RE.sub(lambda tag: ADDRESS_VALUE_RE.sub(value, tag.group()), fragment)


@lru_cache(maxsize=4096)
def is_linkable(url: str) -> bool:
    """Return whether an address may be a link's as it is: anything but a malformed http(s) address."""
    return url[:4].lower() != "http" or web_address_problem(url) is None


def is_kept_address(url: str) -> bool:
    """Return whether nh3 keeps a link address: an http(s) one with a plain host, mailto, or relative."""
    if CONTROL_RE.search(url):
        return False
    if url[:4].lower() == "http":
        return WEB_ADDRESS_RE.match(url) is not None
    return not url[:9].lower().startswith("mailto://")


def local_images(fragment: str, warnings: list[str]) -> str:
    """Keep only images this site serves itself; append a warning for each image changed."""

    def check(match: re.Match) -> str:
        attributes = dict(ATTRIBUTE_RE.findall(match.group()))
        source, alt = html.unescape(attributes.get("src", "")), attributes.get("alt")
        if not source or is_remote(source):
            what = f"image `{source}`" if source else "image with no allowed address"
            warnings.append(f"{what} dropped, its alt text kept: pages load nothing from other hosts (use assets/)")
            return html.escape(html.unescape(alt or ""), quote=False)
        if alt is None or not html.unescape(alt).strip():  # Markdown's `![](x)` is `alt=""`, as unsaid
            warnings.append(f"image `{source}` has no alt text: write what it shows, ![a chart of…]({source})")
            return match.group()[:-1] + ' alt="">' if alt is None else match.group()
        return match.group()

    return IMG_TAG_RE.sub(check, fragment)


def is_remote(url: str) -> bool:
    """Return whether a browser would fetch `url` from another host: it has a scheme, or it starts with
    two slashes once read as the URL standard reads it (tabs and newlines dropped, leading spaces and
    controls dropped, backslashes as slashes)."""
    url = url.translate(URL_IGNORED).lstrip(URL_LEADING).replace("\\", "/")
    return url.startswith("//") or SCHEME_RE.match(url) is not None


def normalize(text: str, *, inline: bool) -> str:
    """Normalise line ends, drop placeholder characters (ours, and the STX and ETX that Markdown drops from
    its input), and collapse whitespace in inline text. Inline text loses byte order marks (U+FEFF) that
    start it: the HTML parser behind the sanitiser drops one there, so only without them do the cheap
    paths give the sanitiser's bytes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace(OPEN, "").replace(CLOSE, "")
    if "\x02" in text or "\x03" in text:  # (the loader refuses them in files; other callers may not)
        text = text.replace("\x02", "").replace("\x03", "")
    if inline:
        text = collapse_whitespace(text)
        while text[:1] == "\ufeff":
            text = text[1:].lstrip()
        return text
    return text.strip()


def render_plain_paragraphs(text: str, *, inline: bool) -> Result:
    """Wrap text that needs no conversion: the fast path."""
    if inline or not text:  # Markdown makes nothing of empty text, not an empty paragraph
        return Result(Rendered(text, ()), text)
    block = "\n".join(f"<p>{part}</p>" for part in markdown_paragraphs(text))
    return Result(Rendered(block, ()), collapse_whitespace(text))


def split_paragraphs(text: str) -> list[str]:
    """Split text at blank lines, as `PARAGRAPH_BREAK_RE` does; `str.split` is faster when it can do it."""
    return PARAGRAPH_BREAK_RE.split(text) if "\n\n\n" in text else text.split("\n\n")


def markdown_paragraphs(text: str) -> list[str]:
    """Return the paragraphs Markdown makes of normalised text without block syntax: split at blank
    lines, each without leading whitespace (a no-break space, say: `str.lstrip`), none of only whitespace.

    ASCII whitespace cannot start a paragraph here: a space or tab after a line break is block syntax
    (`LINE_EDGE_RE`), and other ASCII controls take Markdown's path."""
    parts = split_paragraphs(text)
    if text.isascii():
        return parts
    return [part.lstrip() for part in parts if not part.isspace()]


def trim_url(url: str) -> str:
    """Drop trailing punctuation, and a `)` that closes a parenthesis opened before the URL."""
    while url:
        if url[-1] in URL_TRAILING or (url[-1] == ")" and url.count(")") > url.count("(")):
            url = url[:-1]
        else:
            break
    return url


def join_lines(match: re.Match) -> str:
    """Return a display formula on one line, unless it spans a blank line (then it is not one)."""
    if BLANK_LINE_RE.search(match.group()):
        return match.group()
    return match.group().replace("\n", " ")


def insert_formulas(fragment: str, formulas: list[Formula]) -> str:
    """Replace placeholders by MathML; inside a tag (an `alt`), by the formula's plain text."""
    if not formulas:
        return fragment  # placeholders are made only for formulas

    def replace(match: re.Match) -> str:
        if match.group(1) is not None:
            return formulas[int(match.group(1))].html
        return PLACEHOLDER_RE.sub(lambda m: html.escape(formulas[int(m.group(1))].text), match.group())

    def unwrap(match: re.Match) -> str:
        formula = formulas[int(match.group(1))]
        return display_block(formula.html) if formula.html.startswith('<math display="block"') else match.group()

    return TAG_OR_PLACEHOLDER_RE.sub(replace, DISPLAY_ONLY_RE.sub(unwrap, fragment))


def to_plain(fragment: str, formulas: list[Formula]) -> str:
    """Return sanitised HTML as plain text: tags dropped, entities decoded, formulas read as text."""
    text = ANY_TAG_RE.sub("", BLOCK_TAG_RE.sub(" ", fragment))
    text = html.unescape(text)
    if formulas:
        text = PLACEHOLDER_RE.sub(lambda m: formulas[int(m.group(1))].text, text)
    return collapse_whitespace(text)
