"""Formulas to MathML for pages, and to a readable plain form for text outputs.

latex2mathml does the conversion. Its output is not trusted: it copies `\\text{…}` verbatim and turns
`\\href` into an `href` attribute, so every formula is sanitised with a MathML-only allow-list (once:
results are cached). Unbalanced braces, a macro latex2mathml does not know (it would print `\\foo`) or a
converter error give the escaped source in `<code class="math-source">` and a warning instead.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from html import escape
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

from .latex import read_group, words

if TYPE_CHECKING:
    import nh3

MATH_FONTS = (
    "mathbf|mathrm|mathit|mathsf|mathtt|mathcal|mathbb|mathfrak|mathscr|boldsymbol|bm|text|textbf|textit"
    "|textrm|operatorname|mbox"
)
MATH_FONT_RE = re.compile(rf"\\(?:{MATH_FONTS})\s*\{{([^{{}}]*)\}}")
MATH_COMMAND_RE = re.compile(r"\\([A-Za-z]+)")
MATH_SPACE_RE = re.compile(r"\\[,;:!> ]|~")
UNKNOWN_IN_MATHML_RE = re.compile(r">(\\[A-Za-z]+)<")
MATHML_TAGS = words(
    "math mrow mi mn mo ms mtext mspace msub msup msubsup mfrac msqrt mroot mover munder munderover "
    "mtable mtr mtd mstyle mpadded mphantom menclose merror mmultiscripts mprescripts none semantics "
    "annotation"
)
MATHML_ATTRIBUTES = words(
    "display mathvariant mathsize mathcolor mathbackground stretchy fence separator form lspace rspace "
    "accent accentunder movablelimits largeop symmetric minsize maxsize width height depth voffset "
    "linethickness columnalign columnlines columnspacing rowalign rowlines rowspacing displaystyle "
    "scriptlevel notation linebreak"
)


@cache
def mathml_cleaner() -> nh3.Cleaner:
    """Return the MathML sanitiser, made at first use (as latex2mathml is: many sites have no formula)."""
    import nh3

    return nh3.Cleaner(
        tags=set(MATHML_TAGS),
        attributes={tag: set(MATHML_ATTRIBUTES) for tag in MATHML_TAGS},
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )


# Lengths and colours as the Nu Html Checker allows them in MathML: a length of `mspace` is a number with a CSS unit
# (or none), no length is in `mu`, and a colour is one of HTML's sixteen names or `#rgb`/`#rrggbb`. latex2mathml
# writes `\\mkern3mu` as `width="3mu"`, `\\hspace{\\fill}` as `width="\\fill"` and `\\color{url(x)}` as
# `mathcolor="url(x)"`. (`mpadded` may also say `+1em` or `-1width`.)
TAG_ATTRIBUTES_RE = re.compile(r"<(m[a-z]+)( [^>]*)>")
ATTRIBUTE_VALUE_RE = re.compile(r' (width|height|depth|lspace|rspace|voffset|mathcolor|mathbackground)="([^"]*)"')
LENGTH_RE = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:em|ex|px|in|cm|mm|pt|pc|%)?")
MU_RE = re.compile(r"([-+]?(?:\d+\.?\d*|\.\d+))mu")
COLOR_RE = re.compile(
    r"(?i)#[0-9a-f]{3}|#[0-9a-f]{6}|aqua|black|blue|fuchsia|gray|green|lime|maroon|navy|olive|purple|red|silver|teal|"
    r"white|yellow"
)


# How many children each element with a fixed number must have; latex2mathml wrote `<munderover></munderover>`
# for `\\int\\limits` and an `mfrac` of one part for `\\frac{a}`, which the Nu Html Checker refuses.
CHILDREN = {"mfrac": 2, "mroot": 2, "msub": 2, "msup": 2, "munder": 2, "mover": 2, "msubsup": 3, "munderover": 3}
TAG_RE = re.compile(r"<(/?)([a-z]+)[^>]*?(/?)>")


def misshapen(mathml: str) -> bool:
    """Return whether sanitised MathML (well formed, as nh3 writes it) has an element without its number of
    children."""
    if not any(f"<{name}" in mathml for name in CHILDREN):
        return False
    counts: list[int] = [0]
    names: list[str] = []
    for closing, name, empty in TAG_RE.findall(mathml):
        if closing:
            if CHILDREN.get(names.pop(), counts[-1]) != counts.pop():
                return True
        else:
            counts[-1] += 1
            if not empty:
                names.append(name)
                counts.append(0)
    return False


def valid_attributes(tag: re.Match) -> str:
    """Return a MathML start tag with its lengths and colours as MathML allows them: a `mu` length in ems (18mu
    is 1em), and no attribute for any other value it does not allow (the formula is then drawn in the text's
    colour, without the space)."""
    element = tag.group(1)

    def valid(match: re.Match) -> str:
        name, value = match.groups()
        if name.startswith("math"):
            return match.group() if COLOR_RE.fullmatch(value) else ""
        mu = MU_RE.fullmatch(value)
        if mu is not None:
            ems = f"{float(mu.group(1)) / 18:.3f}".rstrip("0").rstrip(".")
            return f' {name}="{"+" if value.startswith("+") else ""}{ems}em"'
        return match.group() if element != "mspace" or LENGTH_RE.fullmatch(value) else ""

    attributes = ATTRIBUTE_VALUE_RE.sub(valid, tag.group(2))
    if element == "mrow" and " movablelimits=" in attributes:  # an attribute of operators, not of rows
        attributes = MOVABLELIMITS_RE.sub("", attributes)
    return f"<{element}{attributes}>"


MOVABLELIMITS_RE = re.compile(r' movablelimits="[^"]*"')


class Formula(NamedTuple):  # a named tuple: a frozen dataclass costs 1 ms of start-up
    """A converted formula: sanitised MathML (or escaped source), its plain reading, and a warning."""

    html: str
    text: str
    warning: str | None


# Environments of rows that latex2mathml writes as one line, its `&` as a letter and each `\\` as a
# `linebreak` that MathML Core browsers ignore: each is written as one it lays out as a table.
_ROWS = re.compile(r"\\(begin|end)\{(aligned|alignedat|gathered|gather\*?|multline\*?|eqnarray\*?)\}")
_ALIGN = ("\\begin{align*}", "\\end{align*}")
_RCL = ("\\begin{array}{rcl}", "\\end{array}")
_CENTRED = ("\\begin{array}{c}", "\\end{array}")  # gathered, gather, multline: one formula a row
_AS_TABLE = {"aligned": _ALIGN, "alignedat": _ALIGN, "eqnarray": _RCL, "eqnarray*": _RCL}
_AT_COLUMNS = re.compile(r"\s*\{\d+\}")  # alignedat's number of columns, which align* does without


def _as_tables(source: str) -> str:
    """Return `source` with `aligned`, `gathered`, `multline` and `eqnarray` as `align*` or `array`."""
    parts: list[str] = []
    end = 0
    for found in _ROWS.finditer(source):
        edge, name = found.groups()
        begin, finish = _AS_TABLE.get(name, _CENTRED)
        parts += [source[end : found.start()], begin if edge == "begin" else finish]
        end = found.end()
        if edge == "begin" and name == "alignedat" and (columns := _AT_COLUMNS.match(source, end)):
            end = columns.end()
    return "".join(parts) + source[end:]


@lru_cache(maxsize=4096)
def convert_math(source: str, display: bool, written: str) -> Formula:
    """Convert a formula to sanitised MathML, or to its escaped source with a warning."""
    text = math_to_text(source)
    problem = None
    if read_group("{" + source + "}", 0) != (source, len(source) + 2):
        problem = "unbalanced braces"
    else:
        try:
            table = _as_tables(source) if "\\begin{" in source else source
            mathml = _converter().convert(table, display="block" if display else "inline")
        except Exception as error:  # latex2mathml raises many unrelated types for bad input
            problem = type(error).__name__
        else:
            unknown = UNKNOWN_IN_MATHML_RE.search(mathml)
            if unknown:
                problem = f"unknown macro `{unknown.group(1)}`"
            else:
                clean = mathml_cleaner().clean(mathml)
                if misshapen(clean):
                    problem = "it needs another part"
    if problem is not None:
        warning = f"cannot convert formula `{written}` to MathML ({problem}); shown as source"
        return Formula(f'<code class="math-source">{escape(written, quote=False)}</code>', text, warning)
    if any(mark in clean for mark in ("<mspace", 'mu"', "mathcolor", "mathbackground", "<mrow movablelimits")):
        clean = TAG_ATTRIBUTES_RE.sub(valid_attributes, clean)
    if "\\" in clean and "<mtext" in clean:
        clean = MTEXT_RE.sub(_text_escapes, clean)
    if 'mi mathvariant="' in clean:
        clean = MI_RUN_RE.sub(merge_identifiers, clean)
    return Formula(clean, text, None)


# latex2mathml keeps LaTeX's escapes in `\text{50\% of \$5}` as written: the text shows `%`, `$`, `&`, `#`, `_`.
MTEXT_RE = re.compile(r"(<mtext[^>]*>)([^<]*)(</mtext>)")
TEXT_ESCAPE_RE = re.compile(r"\\([%$#_]|&amp;)")


def _text_escapes(match: re.Match) -> str:
    return match.group(1) + TEXT_ESCAPE_RE.sub(r"\1", match.group(2)) + match.group(3)


# latex2mathml writes `\mathbf{loss}` as one `<mi mathvariant="bold">` per letter. MathML Core browsers
# (Chrome, Firefox) ignore every mathvariant but `normal`, so that showed as spaced italic letters.
# A run of such letters becomes one identifier, its font given by classes in style.css.
MI_RUN_RE = re.compile(r'<mi mathvariant="([a-z-]+)">([^<]*)</mi>(?:<mi mathvariant="\1">[^<]*</mi>)*')
MI_TEXT_RE = re.compile(r"<mi[^>]*>([^<]*)</mi>")
VARIANT_CLASSES = {
    "bold": ("normal", "math-bold"),
    "bold-italic": (None, "math-bold math-italic"),
    "italic": (None, "math-italic"),
    "sans-serif": ("normal", "math-sans"),
    "monospace": ("normal", "math-mono"),
}


# `\mathscr` comes as mathvariant="script", which MathML Core browsers ignore (they drew a plain L for
# `\mathscr{L}`); its letters are written as Unicode's script alphabet, as latex2mathml writes `\mathcal`.
# Unicode left holes in that alphabet for letters it already had (ℬ, ℯ…): those come from Letterlike Symbols.
_SCRIPT_HOLES = dict(zip("BEFHILMRego", "ℬℰℱℋℐℒℳℛℯℊℴ", strict=True))
SCRIPT = str.maketrans(
    {chr(65 + n): chr(0x1D49C + n) for n in range(26)}
    | {chr(97 + n): chr(0x1D4B6 + n) for n in range(26)}
    | _SCRIPT_HOLES
)


def merge_identifiers(match: re.Match) -> str:
    """Return a run of same-font `<mi>` letters as one `<mi>` that MathML Core browsers draw in that font."""
    variant, letters = match.group(1), "".join(MI_TEXT_RE.findall(match.group()))
    if variant == "script":
        return f"<mi>{letters.translate(SCRIPT)}</mi>"
    if variant not in VARIANT_CLASSES:
        return match.group() if variant != "normal" else f'<mi mathvariant="normal">{letters}</mi>'
    upright, classes = VARIANT_CLASSES[variant]
    attributes = f' mathvariant="{upright}"' if upright else ""
    return f'<mi{attributes} class="{classes}">{letters}</mi>'


# What a formula's plain reading (titles in `<title>`, feeds, RIS, Scholar's tags) writes for LaTeX that has
# a plain form: escaped characters as themselves, an accent after its letter (`\tilde{O}` -> Õ), operator
# names as words (`n\log n` -> n log n), `\frac{1}{2}` as 1/2, and digits raised or lowered (`\ell_1` -> ℓ₁).
MATH_ESCAPE_RE = re.compile(r"\\([%#$&_{}])")
MATH_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303", "widetilde": "\u0303", "bar": "\u0304",
                "overline": "\u0305", "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308", "check": "\u030c",
                "breve": "\u0306", "acute": "\u0301", "grave": "\u0300"}  # fmt: skip
MATH_ACCENT_RE = re.compile(rf"\\({'|'.join(MATH_ACCENTS)})(?![A-Za-z])\s*(?:\{{([^{{}}\\])\}}|([A-Za-z0-9]))")
MATH_OPERATOR_RE = re.compile(
    r"\\(log|ln|lg|exp|sin|cos|tan|sinh|cosh|tanh|max|min|sup|inf|lim|liminf|limsup|arg|argmax|argmin|det|dim"
    r"|ker|deg|gcd|Pr|mod|bmod)(?![A-Za-z])"
)
MATH_FRAC_RE = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
MATH_SCRIPT_RE = re.compile(r"([\^_])(?:\{([0-9+\-=()]+)\}|([0-9]))")
SUPERSCRIPTS = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
SUBSCRIPTS = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_ESCAPED = "\ue010\ue011\ue012\ue013\ue014\ue015\ue016"  # stand-ins for `%#$&_{}` while braces are dropped


def math_to_text(source: str) -> str:
    """Return a readable plain form of a formula: fonts dropped, symbols in Unicode where known."""
    text = source
    previous = None
    while previous != text:
        previous = text
        text = MATH_FONT_RE.sub(r"\1", text)
    text = MATH_SPACE_RE.sub(" ", text)
    if "\\" in text:
        text = MATH_ESCAPE_RE.sub(lambda m: _ESCAPED["%#$&_{}".index(m.group(1))], text)
        text = MATH_ACCENT_RE.sub(lambda m: (m.group(2) or m.group(3)) + MATH_ACCENTS[m.group(1)], text)
        text = MATH_OPERATOR_RE.sub(_operator, text)
        text = MATH_FRAC_RE.sub(_fraction, text)
        text = MATH_COMMAND_RE.sub(replace_symbol, text)
    if "^" in text or "_" in text:
        text = MATH_SCRIPT_RE.sub(_script, text)
    if "\\" not in text:
        text = text.replace("{", "").replace("}", "")
    if any(mark in text for mark in _ESCAPED):
        text = text.translate({ord(mark): char for mark, char in zip(_ESCAPED, "%#$&_{}", strict=True)})
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _operator(match: re.Match) -> str:
    """Return an operator name as a word set off from letters and digits (`n\\log n` -> `n log n`, but
    `\\log(x)` -> `log(x)`); spaces are collapsed later."""
    after = match.string[match.end() : match.end() + 1]
    return f" {match.group(1)}" + (" " if after.isalnum() or after == "\\" else "")


def _fraction(match: re.Match) -> str:
    """Return `\\frac{a}{b}` as `a/b`, each part in parentheses unless it is one number or letter run."""
    parts = [part.strip() for part in match.groups()]
    return "/".join(part if part.isalnum() else f"({part})" for part in parts)


def _script(match: re.Match) -> str:
    """Return `^2`, `_{10}` as Unicode's raised or lowered digits."""
    digits = match.group(2) or match.group(3)
    return digits.translate(SUPERSCRIPTS if match.group(1) == "^" else SUBSCRIPTS)


def replace_symbol(match: re.Match) -> str:
    """Return the Unicode character for a math symbol command, or the command unchanged."""
    _converter()
    from latex2mathml.symbols_parser import convert_symbol

    code = convert_symbol(match.group())
    if code is None:
        return match.group()
    try:
        return chr(int(code, 16))
    except ValueError:
        return match.group()


# Besides symbols and functions, the commands a title's formula may pass to LaTeX in the BibTeX export (`bibtex`):
# fonts, structures, accents, sizes and spaces, which draw and do nothing else.
PLAIN_MATH_COMMANDS = frozenset(
    words(
        "frac dfrac tfrac cfrac binom dbinom tbinom sqrt left right middle big Big bigg Bigg bigl bigr Bigl Bigr "
        "biggl biggr Biggl Biggr mathbf mathrm mathit mathsf mathtt mathcal mathbb mathfrak mathscr boldsymbol bm "
        "text textbf textit textrm textsf texttt operatorname mbox hat widehat bar overline underline tilde "
        "widetilde vec dot ddot dddot acute grave breve check mathring overbrace underbrace overset underset "
        "stackrel limits nolimits quad qquad displaystyle textstyle scriptstyle scriptscriptstyle not max min sup "
        "inf lim liminf limsup arg det gcd Pr mod bmod pmod"
    )
)


@lru_cache(maxsize=4096)
def is_plain_math(source: str) -> bool:
    """Return whether a formula uses only symbols, functions, fonts and structures: no TeX command that reads or
    writes a file, runs a program or defines a command (`\\input`, `\\write18`, `\\def`), which would run in
    whatever document cites the paper, and no `^^`, TeX's way to write any character (`^^5c` is a backslash)."""
    if "^^" in source:
        return False
    names = MATH_COMMAND_RE.findall(source)
    if not names:
        return True
    _converter()
    from latex2mathml.commands import FUNCTIONS
    from latex2mathml.symbols_parser import convert_symbol

    return all(
        name in PLAIN_MATH_COMMANDS or f"\\{name}" in FUNCTIONS or convert_symbol(f"\\{name}") is not None
        for name in names
    )


@lru_cache(maxsize=1)
def _converter() -> ModuleType:
    """Return latex2mathml's converter, writing `<`, `>` and `&` of a formula's text as escapes.

    latex2mathml serialises its tree and then unescapes the whole string, so the text of `\\text{<b>}`
    came out as a `<b>` tag, which the sanitiser then removed with the text. Unescaping `&amp;` alone
    keeps the entities latex2mathml writes as text (`&#x0003C;`, `&nbsp;`), and `<` and `>` as text."""
    module = _import_converter()
    module.unescape = unescape_ampersands
    return module


def unescape_ampersands(data: str, entities: dict[str, str] | None = None) -> str:
    """`xml.sax.saxutils.unescape` for latex2mathml's output, but leaving `&lt;` and `&gt;` escaped."""
    return data.replace("&amp;", "&")


def _import_converter() -> ModuleType:
    """Import `latex2mathml.converter`, at first use: ~65 ms that sites without math never spend.

    Two parts of that time are skipped. The package's `__init__` only sets `__version__` through
    `importlib.metadata`, and nothing reads it here (`cache` finds the version from the folder name), so
    the package module is made from its spec without running it. And the converter's one import from
    `xml.sax.saxutils` is served by a stand-in (`_light_saxutils`). Should a later release need either (its
    import fails), it is imported the ordinary way.
    """
    if "latex2mathml" not in sys.modules:
        spec = importlib.util.find_spec("latex2mathml")
        if spec is not None and spec.loader is not None and spec.submodule_search_locations is not None:
            try:
                with _light_saxutils():
                    sys.modules["latex2mathml"] = importlib.util.module_from_spec(spec)
                    return importlib.import_module("latex2mathml.converter")
            except ImportError:
                for name in [name for name in sys.modules if name.partition(".")[0] == "latex2mathml"]:
                    del sys.modules[name]
    return importlib.import_module("latex2mathml.converter")


@contextmanager
def _light_saxutils() -> Iterator[None]:
    """While latex2mathml is imported, let `xml.sax.saxutils` be a module holding only `unescape`.

    The converter imports that one function from it, and importing the real module imports
    `urllib.request`, and with it `http.client`, `ssl` and `email`: 30-60 ms (measured 2026-12-05) in
    every worker that meets the first formula. The stand-in leaves `sys.modules` afterwards, so any
    other import of `xml.sax.saxutils` gets the real module; where the real one is loaded already, it is used.
    """
    name = "xml.sax.saxutils"
    if name in sys.modules:
        yield
        return
    stand_in = ModuleType(name)
    stand_in.unescape = unescape_ampersands  # type: ignore[attr-defined]  # what `_converter` sets it to anyway
    sys.modules[name] = stand_in
    try:
        yield
    finally:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
