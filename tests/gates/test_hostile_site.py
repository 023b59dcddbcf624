"""A site built from hostile content is as valid as the default one: the Nu Html Checker finds no error, and
nothing loads from another host. The papers are the accepted hostile files of `tests/hostile/` and one more
written here: bidirectional controls and separators, Jinja syntax, a DOI holding `<` and `>` (an href the
checker refused until it was percent-encoded), MathML with markup inside `\\text`, raw HTML the sanitiser must
take apart, headings that skip levels (an error until `markup.ordered_headings` renumbered them), link
addresses with spaces and other characters an address may not hold (until `markup.encode_addresses`), and
links to files under assets/ whose names hold `#`, `?`, quotes and tags (kept as a fragment until quoted), and
MathML lengths and colours latex2mathml writes as MathML may not hold them (`3mu`, `url(x)`, `orange`), until
`mathml.valid_attributes` mended or dropped them, and the elements it leaves without a part they need
(`\\int\\limits`, `\\frac{a}`), until `mathml.misshapen` had them shown as source."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .checks import find_external_resources, format_problems, html_files, run_vnu
from .project import REPO_ROOT, fixture_project, run_build

pytestmark = pytest.mark.gates

ACCEPTED = ("script-in-title-and-author.md", "latex-specials-in-title.md", "images-from-other-hosts.md")
SETTINGS = """title: Hostile Lab
owner:
  name: Juntao Dai
profile:
  bio: "<b onclick=x()>bold</b> & [link](javascript:alert(1)) $x<y$"
footer: "<i>footer</i> <script>alert(1)</script>"
"""
ODD = (
    "---\n"
    'title: "\u202eevil\u2066 \u2028 line \u200b zero-width $x<y$ & $\\\\frac{a}{b}$"\n'
    'authors: [Juntao Dai, "A\u202eB <i>C</i>"]\n'
    "date: 2024-01-01\n"
    "categories: [cs.CL]\n"
    'venue: "{{ 7*7 }} {% raw %}"\n'
    'tags: ["\u202etag", "a/b", "..", "#x?y"]\n'
    "links:\n  doi: '10.1002/(SICI)1097-4636(199812)43:4<338::AID-JBM2>3.0.CO;2-Q'\n"
    "  pdf: '/assets/#### h \\\" onclick=\\\"x()\\\" <b>?.pdf'\n  slides: 'assets/a b&c#d?e=f.pdf'\n"
    'aliases: [/publication/odd/, "/old/o\'dd&x=1.html"]\n'
    "---\n"
    "Separators \u2029 here, a soft\u00adhyphen, \U0001f469\u200d\U0001f52c and "
    "$\\text{</math><script>alert(1)</script>}$ and $\\href{javascript:alert(1)}{x}$.\n\n"
    "# Results\n\n#### Skipped two levels\n\n<h5>raw heading</h5>\n\n"
    "$$\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}$$\n\n"
    "Lengths and colours MathML may not hold as latex2mathml writes them: $a\\mkern3mu b\\mspace{-1.5mu}c$ "
    "$\\hspace{\\fill}d$ $\\rule[1em]{1em}{1em}$ $\\llap{e}$ $\\color{url(x)}f$ $\\colorbox{url(x)}{g}$ "
    "$\\color{orange}h$ $\\color{rgb(1,2,3)}i$ $\\textcolor{#ff000080}{j}$, and formulas it leaves misshapen: "
    "$\\int\\limits$ $\\frac{a}$ $\\sideset{}{}{}$.\n\n"
    "| a | b |\n|---|---|\n| <td onclick=1>1 | 2 |\n\n"
    "```html\n<script>alert(1)</script>\n```\n\n"
    "<details open ontoggle=alert(1)><summary>x</summary></details> <h1>raw h1</h1>\n\n"
    "Addresses Markdown allows and an href may not hold: [a file](</assets/my file.pdf>), "
    "[a query](<https://example.org/a b?q=1|2^3>), [a percent](</a%zz`{}>) and ![a figure](</assets/a b.png>).\n"
)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-site") / "project"
    papers = fixture_project(root)
    (root / "paperfolio.yaml").write_text(SETTINGS, encoding="utf-8")
    for name in ACCEPTED:
        shutil.copyfile(REPO_ROOT / "tests" / "hostile" / name, papers / name)
    (papers / "odd-characters.md").write_text(ODD, encoding="utf-8")
    out = root.parent / "site"
    run_build(root, out)
    assert (out / "papers" / "odd-characters" / "index.html").is_file()
    return out


def test_hostile_content_makes_valid_html(hostile_site: Path, vnu_command: tuple[str, Path]) -> None:
    java, jar = vnu_command
    assert (hostile_site / "old" / "o'dd&x=1.html").is_file()  # an alias page (`aliases:`) is checked too
    problems = run_vnu(html_files(hostile_site), root=hostile_site, jar=jar, java=java, warnings=True)
    assert not problems, "the Nu Html Checker found errors\n" + format_problems(problems)


def test_hostile_content_loads_nothing_from_another_host(hostile_site: Path) -> None:
    # (Links are not checked: a hostile paper points an image at a missing file on purpose, which the build warns of.)
    problems = find_external_resources(hostile_site)
    assert not problems, format_problems(problems)
