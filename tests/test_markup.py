"""Markdown with LaTeX to HTML and plain text: string in, value out."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperfolio import markup
from paperfolio.markup import plain_text, render_block, render_inline

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed"


def html(text: str) -> str:
    """Return the block HTML of `text`."""
    return render_block(text).html


def seed_papers() -> list[dict]:
    """Return the seed papers, or skip when the shared seed is not beside the repository."""
    path = SEED / "papers.json"
    if not path.is_file():
        pytest.skip(f"seed data not found at {path} (CI clones the repo beside a `shared/` folder)")
    return json.loads(path.read_text(encoding="utf-8"))["papers"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"\textit{a}", "<i>a</i>"),
        (r"\textbf{a}", "<b>a</b>"),
        (r"\emph{a}", "<em>a</em>"),
        (r"\textsc{MiraBench}", '<span class="small-caps">MiraBench</span>'),
        (r"\texttt{a_b}", "<code>a_b</code>"),
        (r"\underline{a}", "<u>a</u>"),
        (r"\url{https://a.org/x}", '<a href="https://a.org/x">https://a.org/x</a>'),
        (r"\href{https://a.org}{the \emph{site}}", '<a href="https://a.org">the <em>site</em></a>'),
        (r"76.9\% \& \# \_ \{ \}", "76.9% &amp; # _ { }"),
        ("Fig.~3", "Fig.&nbsp;3"),
        ("about ~10x", "about ~10x"),
        (r"\'e {\"u} \c{c} \^{o}", "é ü ç ô"),
        (r"\textit{outer \textbf{inner {deep}} end}", "<i>outer <b>inner deep</b> end</i>"),
        ("a {server-side} plugin", "a server-side plugin"),
        ("pre--post---end", "pre--post---end"),
    ],
)
def test_text_macros(source, expected):
    assert render_inline(source) == markup.Rendered(expected, ())


def test_unknown_macro_is_kept_as_text_with_a_warning():
    result = render_block(r"We demonstrate the utility of \InterMT through applications.")
    assert result.html == "<p>We demonstrate the utility of InterMT through applications.</p>"
    assert result.warnings == ("unknown LaTeX macro `\\InterMT` kept as text",)


def test_inline_math_becomes_mathml_protected_from_markdown():
    result = html(r"so $a_b * c_d$ holds")
    assert result.startswith('<p>so <math display="inline"><mrow><msub><mi>a</mi><mi>b</mi></msub>')
    assert "<em>" not in result and "xmlns" not in result


def test_bold_math_from_the_seed():
    result = html(r"the $\mathbf{elasticity}$ of models")
    # One upright bold identifier: browsers ignore mathvariant="bold" and drew ten italic letters.
    assert '<mi mathvariant="normal" class="math-bold">elasticity</mi>' in result and "\\" not in result


@pytest.mark.parametrize("source", ["$$x^2$$", r"\[x^2\]"])
def test_display_math_alone_is_a_block_not_in_a_paragraph(source):
    assert html(f"before\n\n{source}\n\nafter") == (
        '<p>before</p>\n<span class="math-display" tabindex="0"><math display="block">'
        "<mrow><msup><mi>x</mi><mn>2</mn></msup></mrow></math></span>\n<p>after</p>"
    )


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("$\\text{<b> & <i>}$", "&lt;b&gt;&nbsp;&amp;&nbsp;&lt;i&gt;"),  # was an empty mtext: the tags were removed
        ("$\\text{AT\\&T: 50\\% of \\$5, \\#1, a\\_b}$", "AT&amp;T:&nbsp;50%&nbsp;of&nbsp;$5,&nbsp;#1,&nbsp;a_b"),
    ],
)
def test_text_in_math_keeps_its_characters(source, text):
    """latex2mathml unescaped its whole output, so `\\text{<b>}` became a tag, and kept `\\%` as written."""
    rendered = render_block(source)
    assert rendered.html == f'<p><math display="inline"><mrow><mtext>{text}</mtext></mrow></math></p>'
    assert rendered.warnings == ()


@pytest.mark.parametrize(
    ("source", "kept", "dropped"),
    [
        ("$a\\mkern3mu b$", ['width="0.167em"'], ["mu"]),  # 18mu = 1em: MathML has no mu
        ("$a\\mspace{-9mu}b$", ['width="-0.5em"'], ["mu"]),
        ("$\\hspace{1cm}x \\rule{1em}{0.4pt}$", ['width="1cm"', 'height="0.4pt"'], []),
        ("$\\hspace{\\fill}x$", [], ["width"]),
        ("$\\rule[1em]{1em}{1em}$", [], ['width="["']),
        (
            "$\\color{red}x \\color{Navy}y \\color{#0a0}z \\color{#00aa00}w$",
            ['"red"', '"Navy"', '"#0a0"', '"#00aa00"'],
            [],
        ),
        ("$\\color{url(https://evil.example/x.png)}x$", [], ["mathcolor", "url("]),
        ("$\\colorbox{url(x)}{y}$", [], ["mathbackground"]),
        ("$\\color{orange}x \\color{rgb(1,2,3)}y \\textcolor{#ff000080}{z}$", [], ["mathcolor"]),
    ],
)
def test_mathml_lengths_and_colours_are_ones_mathml_allows(source, kept, dropped):
    """latex2mathml writes `\\mkern3mu` as `width="3mu"` and `\\color{url(x)}` as `mathcolor="url(x)"`: the Nu Html
    Checker refused the page. A `mu` length becomes ems; another length or colour MathML does not allow is dropped
    (the formula is drawn in the text's colour)."""
    out = html(source)
    assert "<math" in out
    for text in kept:
        assert text in out, out
    for text in dropped:
        assert text not in out, out


@pytest.mark.parametrize(
    "source", ["$\\limits$", "$\\int\\limits$", "$\\frac{a}$", "$\\overset{a}$", "$\\mathop{}\\limits^a$"]
)
def test_a_formula_latex2mathml_leaves_misshapen_is_shown_as_source(source):
    """latex2mathml wrote `<munderover></munderover>` for a `\\limits` with no limits and an `<mfrac>` of one part
    for `\\frac{a}`: the Nu Html Checker refuses an element without the children it needs."""
    rendered = render_block(source)
    assert rendered.html == f'<p><code class="math-source">{source}</code></p>'
    warning = f"cannot convert formula `{source}` to MathML (it needs another part); shown as source"
    assert rendered.warnings == (warning,)


def test_movablelimits_is_left_off_a_row():
    """`\\sideset{}{}{}` gave `<mrow movablelimits="false">`, an attribute the Nu Html Checker refuses there."""
    out = html("$\\sideset{}{}{}$")
    assert "<math" in out and "<mrow movablelimits" not in out


def test_parenthesised_inline_math():
    assert html(r"\(\alpha\)") == '<p><math display="inline"><mrow><mi>α</mi></mrow></math></p>'


def test_multiline_display_math_is_not_read_as_markdown_blocks():
    result = html("$$\na\n# b\n$$")
    assert "<h2>" not in result and '<span class="math-display" tabindex="0"><math display="block">' in result


def test_display_math_in_a_title_is_inline():
    assert 'display="inline"' in render_inline("$$x$$").html


def test_escaped_dollar_is_a_dollar():
    assert html(r"costs \$5 and \$x\$") == "<p>costs $5 and $x$</p>"


@pytest.mark.parametrize("source", ["costs $5", "from $5 to $10", "$5-$10 range", "a $ b $ c"])
def test_lone_dollars_do_not_start_math(source):
    assert "<math" not in html(source)


def test_dollar_in_code_is_not_math():
    assert html("`$x$` and $y$").startswith("<p><code>$x$</code> and <math")


@pytest.mark.parametrize(
    ("source", "reason"),
    [(r"$\frac{a$", "unbalanced braces"), (r"$\foo x$", "unknown macro `\\foo`")],
)
def test_bad_formula_is_shown_as_source_with_a_warning(source, reason):
    result = render_block(f"see {source} here")
    assert result.html == f'<p>see <code class="math-source">{source}</code> here</p>'
    assert result.warnings == (f"cannot convert formula `{source}` to MathML ({reason}); shown as source",)


@pytest.mark.parametrize(
    ("source", "url", "after"),
    [
        ("at https://sites.google.com/view/pku-beavertails.", "https://sites.google.com/view/pku-beavertails", "."),
        ("see https://a.org/x, then", "https://a.org/x", ", then"),
        ("(see https://a.org/x)", "https://a.org/x", ")"),
        ("(https://en.wikipedia.org/wiki/A_(b))", "https://en.wikipedia.org/wiki/A_(b)", ")"),
    ],
)
def test_bare_urls_become_links_without_trailing_punctuation(source, url, after):
    assert f'<a href="{url}">{url}</a>{after}' in html(source)


@pytest.mark.parametrize("tail", ["", " *markdown*"], ids=["without-markdown", "through-markdown"])
@pytest.mark.parametrize(
    ("source", "url", "after"),
    [
        # the loader closes an override left open at the text's end, right after a last address
        ("see https://a.org/last\u202c", "https://a.org/last", "\u202c"),
        ("see https://a.org/files/\u202egnp.exe", "https://a.org/files/", "\u202egnp.exe"),  # reads `exe.png`
        ("see https://a.org/x\u2066y\u2069", "https://a.org/x", "\u2066y\u2069"),
        ("see https://a.org/x\u200bhidden", "https://a.org/x", "\u200bhidden"),  # zero width
    ],
)
def test_a_bare_url_ends_at_an_invisible_control(source, url, after, tail):
    """A bidirectional control or zero-width character is no part of a bare address: taken in, the closer the
    loader appends changed the address of the text's last link (`…/last%E2%80%AC`), and an override inside one
    reordered the address as shown (`…/files/exe.png` for `…/files/\u202egnp.exe`)."""
    assert f'<a href="{url}">{url}</a>{after}' in html(source + tail)


@pytest.mark.parametrize(
    ("source", "shown", "warned"),
    [
        ("[https://google.com](https://evil.example/)", "https://evil.example/", True),
        ("[www.google.com](https://evil.example/)", "https://evil.example/", True),
        ("[google.com/login](https://evil.example/a?b=1&c=2)", "https://evil.example/a?b=1&amp;c=2", True),
        ("[see https://google.com](https://evil.example/)", "https://evil.example/", True),
        ("\\href{https://evil.example/}{https://google.com}", "https://evil.example/", True),
        ("[https://google.com](/papers/x/)", "/papers/x/", True),  # a page of the site is no other host's
        ("[https://apple.com](https://\u0430\u0440\u0440\u04cf\u0435.com/)", "https://xn--80ak6aa92e.com/", True),
        ("https://\u0430\u0440\u0440\u04cf\u0435.com/x", "https://xn--80ak6aa92e.com/x", True),  # reads apple.com
        ("[https://g\u200boogle.com](https://evil.example/)", "https://evil.example/", True),
        # the author's to choose: text naming the link's own host, or no address at all
        ("[https://www.Google.com/x](https://google.com/y)", "https://www.Google.com/x", False),
        ("[arXiv:2402.02416](https://arxiv.org/abs/2402.02416)", "arXiv:2402.02416", False),
        ("[the code](https://evil.example/)", "the code", False),
        ("[paper.pdf](/assets/paper.pdf)", "paper.pdf", False),
        ("[Python 3.11](https://python.org/)", "Python 3.11", False),
        ("[PyTorch 2.1/docs](https://pytorch.org/docs)", "PyTorch 2.1/docs", False),  # no host: no top-level domain
        ("[e.g./i.e.](https://a.org/)", "e.g./i.e.", False),
    ],
)
@pytest.mark.parametrize("tail", ["", " *markdown*"], ids=["without-markdown", "through-markdown"])
def test_link_text_reading_as_another_address_shows_the_links_own(source, shown, warned, tail):
    rendered = render_block(source + tail)
    assert re.search(r'<a href="[^"]*">' + re.escape(shown) + "</a>", rendered.html), rendered.html
    assert any("may read as another address" in w for w in rendered.warnings) == warned, rendered.warnings


@pytest.mark.parametrize("tail", ["", " *markdown*"], ids=["without-markdown", "through-markdown"])
@pytest.mark.parametrize(
    "source", ["https://google.com@evil.example/", "[x](https://google.com@evil.example/)", "\\url{https://a@b.org}"]
)
def test_an_address_with_a_user_name_is_no_link(source, tail):
    """It reads as google.com and goes to evil.example, and the Nu Html Checker refuses an href with one."""
    assert 'href="' not in html(source + tail)


@pytest.mark.parametrize("tail", ["", " *markdown*"], ids=["without-markdown", "through-markdown"])
@pytest.mark.parametrize(
    ("source", "kept"),
    [
        ("a [](https://a.org) b", "a  b"),
        ("a [ ](https://a.org/) b", "a   b"),
        ("a [\u200b\u3164](https://a.org/) b", "a \u200b\u3164 b"),
        ("a \\href{https://a.org}{} b", "a  b"),
        ('a <a href="https://a.org" title="t"></a> b', "a  b"),
        ("a [![](/assets/x.svg)](https://c.org/) b", 'a <img alt="" src="/assets/x.svg"> b'),
    ],
)
def test_a_link_that_shows_no_text_is_left_out(source, kept, tail):
    """A link with nothing to read (no visible character, no picture described by its alt text, no formula) was
    a Tab stop that showed and said nothing: axe's `link-name`, a serious failure of WCAG 2.4.4."""
    rendered = render_block(source + tail)
    assert "<a " not in rendered.html
    assert rendered.html.startswith(f"<p>{kept}")
    assert [w for w in rendered.warnings if "shows no text" in w], rendered.warnings


@pytest.mark.parametrize(
    "source", ["[![a badge](/assets/x.svg)](https://c.org/)", "[$x$](https://a.org/)", "[é](https://a.org/)"]
)
def test_a_link_showing_a_described_picture_or_a_formula_is_kept(source):
    assert "<a href=" in html(source)


@pytest.mark.parametrize("tail", ["", " *markdown*"], ids=["without-markdown", "through-markdown"])
def test_an_address_holding_an_invisible_character_is_no_link(tail):
    """`[the data](https://a.org/files/\u202egnp.exe)` goes to an address that reads as another."""
    rendered = render_block("[the data](https://a.org/files/\u202egnp.exe)" + tail)
    assert "href" not in rendered.html and "the data" in rendered.html
    assert any("U+202E, an invisible character" in w for w in rendered.warnings), rendered.warnings


def test_a_title_keeps_its_link_text():
    """A title's links keep only their text, which is no link: nothing to show instead."""
    assert markup.render_title("[https://google.com](https://evil.example/)").html == "https://google.com"


def test_markdown_link_is_not_linked_twice():
    assert html("[https://a.org](https://a.org)") == '<p><a href="https://a.org">https://a.org</a></p>'


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "x <script>alert(1)</script> y",
        '<img src="x.png" onerror="alert(1)">',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        '<a href="data:text/html,<script>alert(1)</script>">d</a>',
        '<a href="vbscript:msgbox(1)">v</a>',
        r"$\text{</script><script>alert(1)</script>}$",
        r"$\href{javascript:alert(1)}{x}$",
        r"\href{javascript:alert(1)}{x}",
        r"\url{data:text/html,x}",
        "<style>p{}</style><iframe src=https://a.org></iframe><form><input></form>",
        '<img src="data:image/png;base64,AAAA">',
        "]]> <![CDATA[x]]>",
        "<svg onload=alert(1)>",
        '<p style="background:url(javascript:x)" onclick="x">t</p>',
    ],
)
def test_hostile_input_is_neutralised(source):
    for result in (render_block(source).html, render_inline(source).html):
        lowered = result.lower()
        for bad in ("<script", "<style", "<iframe", "<form", "<input", "<svg"):
            assert bad not in lowered
        for url in re.findall(r'(?:href|src)="([^"]*)"', lowered):
            assert not url.startswith(("javascript:", "data:", "vbscript:"))
        assert not re.search(r"<[^>]*\son\w+=", lowered)
        assert "style=" not in lowered and "]]>" not in result


def test_image_keeps_a_relative_source():
    assert html("![a chart](img/chart.png)") == '<p><img alt="a chart" src="img/chart.png"></p>'


@pytest.mark.parametrize(
    "source",
    [
        "![a chart](https://images.example.org/chart.png)",
        '<img src="//images.example.org/chart.png" alt="a chart">',
        '<img src="/\\images.example.org/chart.png" alt="a chart">',
        '<img src="/&#9;/images.example.org/chart.png" alt="a chart">',
        '<img src="data:image/png;base64,AAAA" alt="a chart">',
    ],
)
def test_image_from_another_host_becomes_its_alt_text_with_a_warning(source):
    rendered = render_block(source)
    assert rendered.html == "<p>a chart</p>"
    # (the backslash case also warns about `\\images` read as an unknown LaTeX macro)
    assert [w for w in rendered.warnings if "dropped" in w and "other hosts" in w]


def test_badge_image_inside_a_link_leaves_the_link_with_its_alt_text():
    rendered = render_block("[![build](https://ci.example.org/badge.svg)](https://ci.example.org/run)")
    assert rendered.html == '<p><a href="https://ci.example.org/run">build</a></p>'


def test_local_image_without_alt_text_is_valid_and_warned_about():
    rendered = render_block('<img src="img/chart.png">')
    assert rendered.html == '<p><img src="img/chart.png" alt=""></p>'
    [warning] = rendered.warnings
    assert warning == "image `img/chart.png` has no alt text: write what it shows, ![a chart of…](img/chart.png)"


@pytest.mark.parametrize(
    ("source", "removed_tags", "removed_handlers"),
    [
        ('A clip <video src="/assets/demo.mp4">the demo</video>.', "`<video`", None),
        ('<iframe srcdoc="<script>alert(1)</script>"></iframe><SCRIPT>alert(2)</SCRIPT>', "`<iframe`, `<SCRIPT`", None),
        ('<img src="/assets/a.png" alt="a" onerror="alert(1)"> <b onclick=go()>b</b>', None, "`onerror`, `onclick`"),
        ("<details open ontoggle=alert(1)>more</details>", "`<details`", "`ontoggle`"),
        ("The cost is p <x and y> q.", "`<x`", None),  # read as a tag, its words vanish: say so
    ],
)
def test_html_the_sanitiser_removes_is_warned_about(source, removed_tags, removed_handlers):
    """nh3 removes what it does not allow without a word; the author learns which tags and handlers went."""
    warnings = render_block(source).warnings
    tags = [w for w in warnings if w.startswith("HTML `<")]
    handlers = [w for w in warnings if w.startswith("HTML attribute")]
    if removed_tags:
        assert tags == [f"HTML {removed_tags} removed: the text keeps only simple formatting (docs/front-matter.md)"]
    else:
        assert tags == []
    if removed_handlers:
        assert handlers == [f"HTML attribute {removed_handlers} removed: the pages run no script"]
    else:
        assert handlers == []
    assert "alert" not in render_block(source).html and "<video" not in render_block(source).html


@pytest.mark.parametrize(
    "source",
    [
        'Kept: <b>bold</b>, <i>it</i>, <sup>2</sup>, <a href="https://example.org/">a link</a>, line<br>break.',
        "Code shows tags: `<video>` and `onclick=x`.",
        "```html\n<script>alert(1)</script>\n<video onclick=x></video>\n```",
        "Comparisons a < b and c > d, an address <https://example.org/> and mail <ada@example.org>.",
        "A table:\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n## Method\n\n- one\n- two\n\n> quoted",
    ],
)
def test_markdown_and_allowed_html_are_not_warned_about(source):
    assert not [w for w in render_block(source).warnings if w.startswith("HTML")]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("A {\\em new} method", "<p>A <em>new</em> method</p>"),
        (
            "{\\bf Note:} see {\\sc Bert} and {\\it a {\\bf b} c}",
            ('<p><b>Note:</b> see <span class="small-caps">Bert</span> and <i>a <b>b</b> c</i></p>'),
        ),
        ("{\\small Small} {\\rm roman} \\hbox{box}", "<p>Small roman box</p>"),
        # Outside a group a declaration would reach across Markdown: it is dropped and the text stays Markdown.
        (
            "\\bf Bold *emphasis* and [a link](https://example.org/)",
            ('<p>Bold <em>emphasis</em> and <a href="https://example.org/">a link</a></p>'),
        ),
    ],
)
def test_old_style_declarations_style_their_group_without_warnings(source, expected):
    """`{\\em x}` and `{\\bf x}`, as older BibTeX and arXiv titles write them, printed `em x` with a warning."""
    rendered = render_block(source)
    assert (rendered.html, rendered.warnings) == (expected, ())


def test_headings_shift_so_the_top_level_is_h2():
    assert html("# A\n\n## B") == "<h2>A</h2>\n<h3>B</h3>"
    assert html("### A\n\n#### B") == "<h2>A</h2>\n<h3>B</h3>"
    assert "<h1" not in html("<h1>raw</h1>")


def test_fenced_code_and_tables_are_plain_html_without_highlighting():
    """Fenced blocks are plain code, with no Pygments markup and no class (the sanitiser drops it)."""
    assert html("```python\nx = 1\n```") == "<pre><code>x = 1\n</code></pre>"
    table = html("| a | b |\n|---|---|\n| 1 | 2 |")
    assert table.startswith("<table>") and "<th>a</th>" in table and "<td>2</td>" in table


def test_inline_rendering_has_no_block_wrapper():
    assert render_inline("1. The \\textit{title}").html == "1. The <i>title</i>"


def test_paragraphs_and_markdown_emphasis():
    assert html("*a* and **b**\n\nnext") == "<p><em>a</em> and <strong>b</strong></p>\n<p>next</p>"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"$\mathbf{x}$ and $\alpha$", "x and α"),
        (r"Some \textit{sequence} \emph{modeling}, 76.9\%.", "Some sequence modeling, 76.9%."),
        ("*a*  and **b**\n\n# Head\n\nnext &amp; <b>bold</b>", "a and b Head next & bold"),
        (r"$\frac{a}{b}$", "a/b"),
        # What a feed reader, Zotero and `<title>` showed as TeX: escapes, accents before their letter,
        # operator names glued to letters, fractions, scripts.
        (r"$50\%$ of $\{0,1\}$ and $\#$P", "50% of {0,1} and #P"),
        (r"$\tilde{O}(\sqrt{T})$ and $\hat x$", "Õ(√T) and x̂"),
        (r"$\mathcal{O}(n\log n)$, $\log(x)$", "O(n log n), log(x)"),
        (r"$\frac{a+b}{2}$ is $\tfrac12$", "(a+b)/2 is \\tfrac12"),
        (r"$\ell_1$-Norms, $x^2$, $10^{-3}$, $x_{i}$", "ℓ₁-Norms, x², 10⁻³, x_i"),
        (r"$\mathbb{R}^n$ and $\unknown{x}$", "R^n and \\unknown{x}"),
        (r"\InterMT{} rocks", "InterMT rocks"),
        ("see [the site](https://a.org).", "see the site."),
        ("Fig.~3", "Fig. 3"),
    ],
)
def test_plain_text(source, expected):
    assert plain_text(source) == expected


@pytest.mark.parametrize(
    ("title", "html", "plain"),
    [
        ("a <https://x.org> b", "a &lt;https://x.org&gt; b", "a <https://x.org> b"),
        ("see https://x.org> b", "see https://x.org&gt; b", "see https://x.org> b"),
        ("q https://x.org/?a=1&b=2 r", "q https://x.org/?a=1&amp;b=2 r", "q https://x.org/?a=1&b=2 r"),
    ],
)
def test_an_address_in_a_title_ends_at_an_angle_bracket(title, html, plain):
    """A title's `>` reaches the address scan escaped: `<https://x.org>` showed as `https://x.org&gt;` in the
    heading, `<title>`, Scholar's tags, feeds and exports."""
    from paperfolio.markup import render_title, title_text

    assert render_title(title).html == html and title_text(title) == plain


@pytest.mark.parametrize(
    ("text", "html_out"),
    [
        ("[x](https:a.org)", "<p><a>x</a></p>"),
        ("[x](https://a..org/)", "<p><a>x</a></p>"),
        ("[x][1]\n\n[1]: https://a.org\\x", "<p><a>x</a></p>"),
        ("\\href{https://a..org}{t}", "<p><a>t</a></p>"),
        ("see https://a..org/ now", "<p>see https://a..org/ now</p>"),  # a bare one is left as text
        ("see https://a.org:99999/x", "<p>see https://a.org:99999/x</p>"),
        ("[ok](https://a.org/p?q=1#f)", '<p><a href="https://a.org/p?q=1#f">ok</a></p>'),
    ],
)
def test_a_malformed_link_address_in_the_text_keeps_its_text_not_its_href(text, html_out):
    """`[x](https:a.org)`, `https://a..org/` and a reference link to `https://a.org\\x` gave hrefs the Nu Html
    Checker rejects, on the paper's page and every list showing it."""
    rendered = render_block(text)
    assert rendered.html == html_out
    assert bool(rendered.warnings) == ("<a>" in html_out)


def test_plain_text_never_returns_markup():
    assert plain_text("<script>alert(1)</script><i>x</i> <b>y</b>") == "x y"


def test_same_input_gives_same_output():
    source = r"\InterMT with $x$ and https://a.org"
    assert markup.render.__wrapped__(source, inline=False) == markup.render.__wrapped__(source, inline=False)


def test_fast_paths_match_the_markdown_path_on_seed_texts():
    cheap = 0
    for paper in seed_papers():
        for key, inline in (("abstract", False), ("title", True)):
            text = markup.normalize(paper[key], inline=inline)
            if markup.choose_path(text, inline=inline) == "markdown":
                continue
            cheap += 1
            assert markup.render.__wrapped__(text, inline=inline) == markup.render_full(text, inline=inline)
    assert cheap >= 60  # most seed texts take a cheap path


def test_seed_abstracts_and_titles_have_no_stray_backslash_command():
    for paper in seed_papers():
        for text in (render_block(paper["abstract"]).html, render_inline(paper["title"]).html):
            assert not re.search(r"\\[A-Za-z]", text), text
        assert not re.search(r"\\[A-Za-z]", plain_text(paper["abstract"]))


@pytest.mark.parametrize(
    ("source", "identifier"),
    [
        (r"$\mathrm{KL}$", '<mi mathvariant="normal">KL</mi>'),
        (r"$\mathit{ab}$", '<mi class="math-italic">ab</mi>'),
        (r"$\boldsymbol{\theta}$", '<mi class="math-bold math-italic">θ</mi>'),
        (r"$\mathsf{Ab}$", '<mi mathvariant="normal" class="math-sans">Ab</mi>'),
        (r"$\mathtt{xy}$", '<mi mathvariant="normal" class="math-mono">xy</mi>'),
    ],
)
def test_font_commands_become_one_identifier_in_a_font_browsers_draw(source, identifier):
    assert identifier in html(source)


def test_latex2mathml_is_imported_without_its_version_lookup_and_the_usual_way_when_that_fails(tmp_path) -> None:
    import subprocess
    import sys

    script = (
        "import sys\nfrom paperfolio.mathml import convert_math\n"
        "formula = convert_math('x^2', False, '$x^2$')\n"
        "print(formula.warning, '<msup>' in formula.html, 'importlib.metadata' in sys.modules,\n"
        "      'urllib.request' in sys.modules, 'xml.sax.saxutils' in sys.modules)\n"
        "import xml.sax.saxutils\nprint(hasattr(xml.sax.saxutils, 'XMLGenerator'))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    # No version lookup, no urllib.request, and the real xml.sax.saxutils for whoever imports it after.
    assert run.stdout.split() == ["None", "True", "False", "False", "False", "True"]
    # A release whose converter needs what its `__init__` defines: imported the ordinary way.
    fake = tmp_path / "latex2mathml"
    fake.mkdir()
    (fake / "__init__.py").write_text("NEEDED = '<math><mi>ok</mi></math>'\n")
    converter = "from latex2mathml import NEEDED\n\ndef convert(source, display):\n    return NEEDED\n"
    (fake / "converter.py").write_text(converter)
    (fake / "symbols_parser.py").write_text("def convert_symbol(symbol):\n    return None\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    assert run.stdout.split() == ["None", "False", "False", "False", "False", "True"], run.stderr
    # A release that takes more than `unescape` from xml.sax.saxutils gets the real module.
    (fake / "__init__.py").write_text("")
    converter = "from xml.sax.saxutils import escape\n\ndef convert(source, display):\n    return escape('<math>')\n"
    (fake / "converter.py").write_text(converter)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    assert run.stdout.split() == ["None", "False", "False", "True", "True", "True"], run.stderr


class CountedGroupSteps:
    """Count the regex steps `latex` takes reading braces (what its time grows with), texts seen before not
    counted: `with CountedGroupSteps() as counted: …; counted.steps`."""

    def __enter__(self):
        from paperfolio import latex

        self.latex, self.real, self.steps = latex, latex.GROUP_DELIMITER_RE, 0
        latex._group_ends.cache_clear()
        latex.GROUP_DELIMITER_RE = self
        return self

    def finditer(self, text: str, *args: int):
        for match in self.real.finditer(text, *args):
            self.steps += 1
            yield match

    def __exit__(self, *exc) -> None:
        self.latex.GROUP_DELIMITER_RE = self.real
        self.latex._group_ends.cache_clear()


def test_deeply_nested_and_unclosed_latex_groups_take_linear_time() -> None:
    """5,000 nested `\\textbf{` took 21 s to build; 20,000 unclosed ones as long. Counted in regex steps,
    not seconds: every group's end is found by one pass over each text a macro reads."""
    from paperfolio import latex

    for text in ("\\textbf{" * 5000 + "x" + "}" * 5000, "\\textbf{" * 20000, "{" * 20000 + "x"):
        with CountedGroupSteps() as counted:
            latex.parse_text(text)
        assert counted.steps < 100 * len(text), (text[:20], counted.steps)


def test_a_text_longer_than_is_converted_is_shown_as_written_with_a_warning() -> None:
    """Some inputs take Python-Markdown time growing with the square of their length (40,000 characters of
    `[x](` took 64 s); past `MAX_CONVERTED` a text is escaped, paragraph by paragraph, and a warning says so."""
    limit = markup.MAX_CONVERTED[False]
    first = "Some *emphasis* and <b onclick=x()>tags</b> & $x$."
    long_text = first + "\n\n" + "[x](" * ((limit - len(first)) // 4 + 1) + "\n\n\n  last  "
    assert len(markup.normalize(long_text, inline=False)) > limit
    result = markup.render.__wrapped__(long_text, inline=False)
    expected_first = "Some *emphasis* and &lt;b onclick=x()&gt;tags&lt;/b&gt; &amp; $x$."
    assert result.rendered.html.split("\n")[0] == f"<p>{expected_first}</p>"
    assert result.rendered.html.split("\n")[-1] == "<p>last</p>" and result.rendered.html.count("<p>") == 3
    assert result.plain.startswith(first) and result.plain.endswith("[x]( last")
    (warning,) = result.rendered.warnings
    assert warning.startswith("text starting `Some *emphasis* and <b o` has ") and f"{limit:,} converted" in warning
    at_limit = ("word " * (limit // 5))[: limit - 4] + " *a*"  # exactly the limit: still converted
    assert len(markup.normalize(at_limit, inline=False)) == limit
    assert "<em>a</em>" in markup.render.__wrapped__(at_limit, inline=False).rendered.html
    assert "<em>" not in markup.render.__wrapped__(at_limit + "b", inline=False).rendered.html


def test_a_one_line_text_longer_than_is_converted_is_escaped() -> None:
    limit = markup.MAX_CONVERTED[True]
    title = "<i>T</i> " * (limit // 9 + 1)
    result = markup.render.__wrapped__(title, inline=True)
    assert result.rendered.html == markup.normalize(title, inline=True).replace("<", "&lt;").replace(">", "&gt;")
    assert len(result.rendered.warnings) == 1 and "without Markdown or LaTeX" in result.rendered.warnings[0]
    assert "<i>T</i>" in markup.render.__wrapped__("<i>T</i> " * (limit // 9 - 1), inline=True).rendered.html


@pytest.mark.parametrize(
    ("source", "levels"),
    [
        ("# a\n\n#### b\n\n## c\n\n###### d", [2, 3, 3, 4]),  # shifted to start at h2, then no level skipped
        ("### a\n\n# b", [2, 2]),
        ("x\n\n<h5>raw</h5>\n\n## y\n\n<h6>z</h6>", [2]),  # raw HTML headings are dropped (`InlineRawHtml`)
        ("# a\n\n## b\n\n### c\n\n## d", [2, 3, 4, 3]),  # an outline without gaps is kept
    ],
)
def test_headings_never_skip_a_level(source: str, levels: list[int]) -> None:
    html = render_block(source).html
    assert [int(level) for level in re.findall(r"<h([1-6])>", html)] == levels
    assert [int(level) for level in re.findall(r"</h([1-6])>", html)] == levels


# Pieces of hostile and ordinary text; random sequences of them found every structural problem that
# `test_rendered_html_keeps_the_content_models_the_nu_html_checker_checks` guards against.
PIECES = [
    "<script>alert(1)</script>", "<b>", "</b>", "<i onclick=x()>", "$x$", "$$y$$", "\\(", "\\)", "\\textbf{", "}",
    "{", "\\emph{a}", "[x](http://a.org)", "[x](javascript:a)", "`c`", "```", "*", "_", "**b**", "&amp;", "&",
    "<", ">", '"', "\\", "\u202e", "é", "\n", "\n\n", "# h", "#### h", "> q", "- l", "1. n", "| a | b |\n|---|---|",
    "<h5>r</h5>", "<p>", "</p>", "<ul><li>", "</li>", "<pre>", "</pre>", "<table><tr><td>", "<blockquote>", "<hr>",
    "<br>", "<sup>", "<code>", '<a href="http://x">', "</a>", "<img src=x>", "<details>", "<div>",
    "http://x.org/a_(b)", "<a@b.org>", "<http://x.org>", "%", "#", "^",
    "$\\frac{1}{2}$", "$a<b$", "\\href{http://a.org}{t}", "\\url{http://x}", "word", "Title", "\n***\n", "\n- - -\n",
]  # fmt: skip
BLOCKS = markup.words("p h2 h3 h4 h5 h6 ul ol li blockquote pre table caption thead tbody tfoot tr th td hr")
PHRASING_ONLY = markup.words("a em strong i b u code span sup sub p pre h2 h3 h4 h5 h6")  # hold phrasing only
URL_CHARS_RE = re.compile(r"(?:[A-Za-z0-9\-._~:/?#@!$&'()*+,;=\u0080-\U0010ffff]|%[0-9A-Fa-f]{2})*")


@pytest.mark.parametrize("text", ["<i>x\n***", "<b>x\n\n- - -\n", "<em>a\n___\nb", "<u>x\ny\n---\n"])
def test_formatting_left_open_before_a_thematic_break_does_not_hold_it(text) -> None:
    """`<i>x` then a `***` line came out as `<i><hr></i>`, which the Nu Html Checker rejects."""
    html_out = render_block(text).html
    assert "<hr>" in html_out or "<h" in html_out
    assert not re.search(r"<(i|b|em|u)>\s*<hr>", html_out), html_out


@given(st.lists(st.sampled_from(PIECES), max_size=30), st.booleans(), st.sampled_from(["", " "]))
def test_rendered_html_keeps_the_content_models_the_nu_html_checker_checks(pieces, inline, joiner) -> None:
    """Raw `<b>` left open across paragraphs came out as `<b><p>…</p></b>` and `<ul><b>`; raw block tags
    (`<pre>`, `<ul><li>`) made `<pre><p>` and text right inside `<ul>`; a math span over a code span leaked
    Markdown's STX/ETX placeholders; a bare URL took `}` and a second `#` into its href; a title kept its
    links inside the list pages' link to the paper. Each is invalid HTML."""
    import html.parser

    text = joiner.join(pieces)
    fragment = (markup.render_title(text) if inline else render_block(text)).html
    assert "\x02" not in fragment and "\x03" not in fragment
    stack: list[str] = []
    problems: list[str] = []

    class Checker(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in BLOCKS and any(open_tag in PHRASING_ONLY for open_tag in stack):
                problems.append(f"<{tag}> inside {stack}")
            if tag != "li" and stack and stack[-1] in ("ul", "ol"):
                problems.append(f"<{tag}> right inside <{stack[-1]}>")
            if tag in PHRASING_ONLY and stack and stack[-1] in ("table", "thead", "tbody", "tr"):
                problems.append(f"<{tag}> right inside <{stack[-1]}>")
            if tag == "a" and (inline or "a" in stack):
                problems.append("a link inside a link" if not inline else "a link in a title")
            for name, value in attrs:
                if name == "href" and not URL_CHARS_RE.fullmatch(value or ""):
                    problems.append(f"href {value!r}")
            if tag not in ("br", "hr", "img"):
                stack.append(tag)

        def handle_data(self, data):
            if data.strip() and stack and stack[-1] in ("ul", "ol", "table", "thead", "tbody", "tr"):
                problems.append(f"text {data!r} right inside <{stack[-1]}>")

        def handle_endtag(self, tag):
            assert stack and stack[-1] == tag, (tag, stack)  # sanitised HTML is well-formed
            stack.pop()

    checker = Checker()
    checker.feed(fragment)
    checker.close()
    assert not problems and not stack, (fragment, problems)


@pytest.mark.parametrize(
    ("environment", "columns"),
    [("aligned", 2), ("alignedat}{2", 2), ("gathered", 1), ("gather*", 1), ("multline", 1), ("eqnarray*", 3)],
)
def test_environments_of_rows_become_tables_browsers_lay_out(environment, columns):
    """latex2mathml wrote these as one line, `&` as a letter and `\\\\` as a line break MathML Core ignores."""
    name = environment.partition("}")[0]
    cells = " & ".join(["x"] * columns)
    result = html(f"$$\\begin{{{environment}}} {cells} \\\\ {cells} \\end{{{name}}}$$")
    assert result.count("<mtr>") == 2 and result.count("<mtd") == 2 * columns, result
    assert "&amp;" not in result and "linebreak" not in result and "alignedat" not in result


def test_script_letters_are_written_in_unicodes_script_alphabet():
    """`\\mathscr` came as mathvariant="script", which MathML Core browsers ignore: a plain L for the Lagrangian."""
    result = html(r"$\mathscr{L} + \mathscr{A}x + \mathscr{g}$")
    assert "<mi>ℒ</mi>" in result and "<mi>𝒜</mi>" in result and "<mi>ℊ</mi>" in result
    assert "script" not in result


@pytest.mark.parametrize(
    ("source", "address"),
    [
        ("[pdf](</assets/my file.pdf>)", "/assets/my%20file.pdf"),
        ("[x](<https://example.org/a b?q=1|2>)", "https://example.org/a%20b?q=1%7C2"),
        ("[x](</a%zz|b>)", "/a%25zz%7Cb"),
        ("![fig](</assets/my fig.png>)", "/assets/my%20fig.png"),
        ("[x](https://example.org/a%20b)", "https://example.org/a%20b"),  # already an escape: as written
    ],
)
def test_link_and_image_addresses_hold_only_what_an_address_may(source, address):
    """Markdown allows `</assets/my file.pdf>`; `href` with a space is invalid HTML (the Nu Html Checker)."""
    result = html(f"See {source} here.")
    assert f'="{address}"' in result, result


@pytest.mark.parametrize(
    ("source", "expected", "plain"),
    [
        (
            r"We show \M.",
            "<p>We show &lt;b&gt;x&lt;/b&gt; **y** <i>z</i>.</p>",
            "We show <b>x</b> **y** z.",
        ),  # LaTeX path
        (
            r"We *show* \M{} [it](https://a.org).",
            '<p>We <em>show</em> &lt;b&gt;x&lt;/b&gt; **y** <i>z</i> <a href="https://a.org">it</a>.</p>',
            "We show <b>x</b> **y** z it.",
        ),
    ],
)
def test_a_site_macro_is_its_text_never_markdown_or_html(source: str, expected: str, plain: str):
    """A macro of the site's own (`latex_macros:`) reads as its text with the built-in macros, on both of the
    renderer's paths; `<`, `**` and the like in it stay characters."""
    from paperfolio.model import Settings
    from paperfolio.pipeline import use_macros

    use_macros(Settings(latex_macros=(("M", r"<b>x</b> **y** \textit{z}"),)))
    result = render_block(source)
    assert (result.html, result.warnings) == (expected, ())
    assert plain_text(source) == plain


def test_the_converters_own_marks_are_never_named_as_removed_html():
    """A macro's small caps beside a `<script>` warned of "HTML `<script`, `<paperfolio-group` removed": the
    second is the converter's own wrapper, and the small caps showed."""
    (warning,) = markup.removed_html("<p><paperfolio-group>x</paperfolio-group> <script>y</script></p>")
    assert warning == "HTML `<script` removed: the text keeps only simple formatting (docs/front-matter.md)"


def test_a_text_of_very_many_links_is_shown_as_written_not_converted():
    """Python-Markdown reads the rest of a paragraph again for each link: 2,500 links in 20,000 characters
    took 12 s (a hostile file of legal size). No abstract or section holds 400."""
    many = render_block("[a](/b) " * 401)
    assert many.warnings == (
        "text starting `[a](/b) [a](/b) [a](/b)` has more than 400 links: shown as written, without Markdown or LaTeX",
    )
    assert "<a" not in many.html and "[a](/b)" in many.html
    assert render_block("[a](/b) " * 400).html.count("<a ") == 400


@pytest.mark.parametrize(
    "text",
    ["{_" * 5000 + "}", "{}_" * 5000, "x{_" * 3000 + "}" * 2 + "{_" * 2000 + "}"],
    ids=["open-until-the-end", "closed-at-once", "two-runs"],
)
def test_braces_closed_only_at_the_end_are_read_in_time_growing_with_the_text(text):
    """`{_` 10,000 times then one `}` took 7 s: each `{` left unread made Markdown hand the reader a new string,
    and each was scanned to the end for its `}`. Counted in regex steps, not seconds, with the groups found
    checked against a scan of each text from each brace (`read_group` is the only way braces are read)."""
    from paperfolio import latex

    asked = []
    original_read = latex.read_group

    def read_group(text, start):
        found = original_read(text, start)
        asked.append((text, start, found))
        return found

    latex.read_group = read_group
    try:
        with CountedGroupSteps() as counted:
            markup.render.__wrapped__(text, inline=False)
    finally:
        latex.read_group = original_read
    assert asked and counted.steps <= 20 * len(text), (len(asked), counted.steps)
    for whole, start, found in asked[:: max(1, len(asked) // 200)]:
        assert found == latex._scan_group(whole, start), (whole[start : start + 20], start)


@pytest.mark.parametrize("text", ["{}_" * 5000, "{_" * 8000, "\\textbf{" * 1000 + "x" + "}" * 1000])
def test_many_braces_are_read_in_time_growing_with_the_text(text):
    """`{}_` 5,000 times took 13 s: Markdown hands the LaTeX reader a new string after each change, and each
    group was found by scanning the whole string. Not a timed test: the reader is asked to scan each whole
    string at most once, counted here."""
    from paperfolio import latex

    calls = []
    real = latex._group_ends.__wrapped__
    latex._group_ends.cache_clear()

    def counted(whole):
        calls.append(len(whole))
        return real(whole)

    import functools

    original = latex._group_ends
    latex._group_ends = functools.lru_cache(maxsize=64)(counted)
    try:
        markup.render.__wrapped__(text, inline=False)
    finally:
        latex._group_ends = original
    assert sum(calls) <= 4 * len(text), (len(calls), sum(calls))


@pytest.mark.parametrize("source", ["![](img/chart.png)", "![ ](img/chart.png)", '<img src="img/chart.png" alt="">'])
def test_a_local_image_with_empty_alt_text_is_warned_about_as_one_without(source):
    """Markdown's `![](img/chart.png)` is `alt=""`, which passed unsaid: the warning the docs promise for an
    image without alt text came only for an `<img>` with no `alt` at all."""
    rendered = render_block(source)
    assert list(rendered.warnings) == [
        "image `img/chart.png` has no alt text: write what it shows, ![a chart of…](img/chart.png)"
    ]
    assert "<img" in rendered.html and 'src="img/chart.png"' in rendered.html
