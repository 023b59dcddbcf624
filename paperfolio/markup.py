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

Markdown costs about 1 ms per abstract, so two cheaper paths give the same HTML (a test checks this
on the seed): text with no Markdown, HTML or LaTeX character is wrapped in `<p>` per paragraph
directly; text whose only special characters are LaTeX tokens and URLs skips Markdown's parser.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import NamedTuple

import nh3

from . import latex
from .latex import words
from .mathml import Formula

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
CLEANER = nh3.Cleaner(
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
# Text whose characters outside LaTeX tokens avoid these needs LaTeX but not Markdown: the LaTeX-only path.
MARKDOWN_CHAR_RE = re.compile(r"[\\`*_\[\]<>&#|\x00-\x09\x0b-\x1f\x7f\ue000\ue001]")
# Line starts and ends that Markdown reads as structure (lists, headings, quotes, code, hard breaks).
LINE_EDGE_RE = re.compile(r"[ \t]\n|\n[ \t\d+\-=>]")
LINE_START = frozenset(" \t0123456789+-=>")


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


def render_title(text: str) -> Rendered:
    """Render a title: like `render_inline`, but `<`, `>` and `&` outside math are text, never HTML."""
    return render_inline(escape_outside_math(text))


def title_text(text: str) -> str:
    """Return a title's plain reading, keeping any `<`, `>` and `&` the author wrote as text."""
    return plain_text(escape_outside_math(text))


def escape_outside_math(text: str) -> str:
    """Escape HTML's three special characters except inside `$…$` math, which LaTeX reads as is."""
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
    from .markdown_ext import get_converter

    converter = get_converter()
    if markdown:
        fragment, formulas, warnings = converter.convert(text, inline=inline)
    else:
        fragment, formulas, warnings = converter.convert_latex(text, inline=inline)
    # nh3 keeps an emptied class attribute (`<code class="language-x">` once `language-x` is dropped).
    clean = CLEANER.clean(fragment).replace(' class=""', "")
    if "<img" in clean:
        clean = local_images(clean, warnings)
    warnings = list(dict.fromkeys([*warnings, *(f.warning for f in formulas if f.warning)]))
    return Result(Rendered(insert_formulas(clean, formulas), tuple(warnings)), to_plain(clean, formulas))


def local_images(fragment: str, warnings: list[str]) -> str:
    """Keep only images this site serves itself; append a warning for each image changed."""

    def check(match: re.Match) -> str:
        attributes = dict(ATTRIBUTE_RE.findall(match.group()))
        source, alt = html.unescape(attributes.get("src", "")), attributes.get("alt")
        if not source or is_remote(source):
            what = f"image `{source}`" if source else "image with no allowed address"
            warnings.append(f"{what} dropped, its alt text kept: pages load nothing from other hosts (use assets/)")
            return html.escape(html.unescape(alt or ""), quote=False)
        if alt is None:
            warnings.append(f"image `{source}` has no alt text: write what it shows, ![a chart of…]({source})")
            return match.group()[:-1] + ' alt="">'
        return match.group()

    return IMG_TAG_RE.sub(check, fragment)


def is_remote(url: str) -> bool:
    """Return whether a browser would fetch `url` from another host: it has a scheme, or it starts with
    two slashes once read as the URL standard reads it (tabs and newlines dropped, leading spaces and
    controls dropped, backslashes as slashes)."""
    url = url.translate(URL_IGNORED).lstrip(URL_LEADING).replace("\\", "/")
    return url.startswith("//") or SCHEME_RE.match(url) is not None


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


def insert_formulas(fragment: str, formulas: list[Formula]) -> str:
    """Replace placeholders by MathML; inside a tag (an `alt`), by the formula's plain text."""

    def replace(match: re.Match) -> str:
        if match.group(1) is not None:
            return formulas[int(match.group(1))].html
        return PLACEHOLDER_RE.sub(lambda m: html.escape(formulas[int(m.group(1))].text), match.group())

    def unwrap(match: re.Match) -> str:
        formula = formulas[int(match.group(1))]
        return formula.html if formula.html.startswith('<math display="block"') else match.group()

    return TAG_OR_PLACEHOLDER_RE.sub(replace, DISPLAY_ONLY_RE.sub(unwrap, fragment))


def to_plain(fragment: str, formulas: list[Formula]) -> str:
    """Return sanitised HTML as plain text: tags dropped, entities decoded, formulas read as text."""
    text = ANY_TAG_RE.sub("", BLOCK_TAG_RE.sub(" ", fragment))
    text = html.unescape(text)
    text = PLACEHOLDER_RE.sub(lambda m: formulas[int(m.group(1))].text, text)
    return " ".join(text.split())
