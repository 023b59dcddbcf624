"""The Jinja environment the layouts render in: its `anyattr` filter and how templates see globals."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup, escape

from paperfolio.model import Author
from paperfolio.pipeline import Project, load, render_site
from paperfolio.templating import LayoutTemplate, make_environment

LAYOUTS = Path(__file__).resolve().parents[1] / "layouts"


@pytest.mark.parametrize("marks", [(False, False), (True, False), (False, True), (True, True)])
def test_anyattr_answers_as_selectattr_list_does(marks: tuple[bool, bool]) -> None:
    env = make_environment(LAYOUTS)
    people = [Author("A", equal_contribution=marks[0]), Author("B", corresponding=marks[1]), Author("C")]
    straightforward = env.from_string(
        '{{ "yes" if people | selectattr("equal_contribution") | list or people | selectattr("corresponding") | list }}'
    )
    fast = env.from_string('{{ "yes" if people | anyattr("equal_contribution", "corresponding") }}')
    assert fast.render(people=people) == straightforward.render(people=people) == ("yes" if any(marks) else "")
    assert fast.render(people=[]) == ""


def test_templates_see_globals_set_after_they_were_loaded() -> None:
    """Layouts are compiled before `prepare_environment` gives them `site`, `url` and the cards."""
    env = make_environment(LAYOUTS)
    env.loader = jinja2.DictLoader({"page.html": "{{ late }}", "import.html": '{% from "m.html" import f %}{{ f() }}',
                                    "m.html": "{% macro f() %}{{ late }}{% endmacro %}"})  # fmt: skip
    page, importing = env.get_template("page.html"), env.get_template("import.html")
    env.globals["late"] = "set later"
    assert page.render() == importing.render() == "set later"


def test_a_template_with_globals_of_its_own_keeps_them_to_itself() -> None:
    env = make_environment(LAYOUTS)
    env.loader = jinja2.DictLoader({"own.html": "{{ mine }}", "other.html": "{{ mine | default('none') }}"})
    assert env.get_template("own.html", globals={"mine": "mine"}).render() == "mine"
    assert "mine" not in env.globals
    assert env.get_template("other.html").render() == "none"
    with pytest.raises(AttributeError):  # Jinja would add them to a cached template's globals: refused, not leaked
        env.get_template("other.html", globals={"mine": "leak"})


class _Html:
    def __html__(self) -> str:
        return "<i>trusted</i>"


class _Loud(Markup):
    def __html__(self) -> str:
        return "<b>LOUD</b>"


ESCAPED = ["", "plain", "<script>alert('x')</script> & \"q\"", "é — <>", Markup("<b>x</b>"), _Loud("quiet"), _Html()]
ESCAPED += [0, 3.5, None, True, ["<a>"], jinja2.Undefined(hint="false, no else"), jinja2.ChainableUndefined()]


def test_a_strict_undefined_still_fails_where_markupsafe_would() -> None:
    """Only Jinja's plain `Undefined` is written as "" without `escape`: a strict one raises as it did."""
    with pytest.raises(jinja2.UndefinedError):
        escape(jinja2.StrictUndefined(name="nope"))
    with pytest.raises(jinja2.UndefinedError):
        LayoutTemplate.escape(jinja2.StrictUndefined(name="nope"))
    env = make_environment(LAYOUTS)
    env.loader = jinja2.DictLoader({"s.html": '{{ n }} paper{{ "s" if n != 1 }}', "x.html": "{{ nope }}"})
    assert [env.get_template("s.html").render(n=n) for n in (1, 2)] == ["1 paper", "2 papers"]
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("x.html").render()


@pytest.mark.parametrize("value", ESCAPED)
def test_layouts_escape_what_they_write_as_markupsafe_does(value: object) -> None:
    quick = LayoutTemplate.escape(value)
    assert type(quick) is Markup
    assert quick == escape(value)


def test_layouts_use_the_quick_escape() -> None:
    """Every `{{ … }}` in a layout, a macro or a block goes through `LayoutTemplate.escape` (when MarkupSafe has
    its compiled speedups, a function other than `markupsafe.escape`)."""
    pytest.importorskip("markupsafe._speedups")
    assert LayoutTemplate.escape is not escape
    env = make_environment(LAYOUTS)
    env.loader = jinja2.DictLoader({"base.html": "{% block b %}{% endblock %}",
                                    "page.html": '{% extends "base.html" %}{% block b %}{{ m(x) }}{% endblock %}'
                                                 '{% macro m(v) %}<{{ v }}>{% endmacro %}'})  # fmt: skip
    template = env.get_template("page.html")
    assert template.root_render_func.__globals__["escape"] is LayoutTemplate.escape
    assert template.root_render_func.__globals__["_pf_escape_str"] is LayoutTemplate.escape_str
    assert template.render(x="<&>") == "<&lt;&amp;&gt;>"


def test_the_default_site_is_the_same_escaped_by_markupsafe(monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project(Path(__file__).resolve().parents[1])
    loaded = load(project, env={})
    quick = render_site(project, loaded)[0]
    monkeypatch.setattr(LayoutTemplate, "escape", staticmethod(escape))
    monkeypatch.setattr(LayoutTemplate, "escape_str", staticmethod(lambda text: str(escape(text))))
    assert render_site(project, loaded)[0] == quick


class _Text(str):
    """A `str` subclass without `__html__`: not the `str` the inline escape takes."""


_WRITTEN = {
    "output": "{{ v }}|{{ v }}{{ v }}",
    "set block": "{% set s %}<{{ v }}>{% endset %}{{ s }}|{{ s | length }}",
    "macro": "{% macro m(a) %}[{{ a }}]{% endmacro %}{{ m(v) }}|{{ m(v) | length }}",
    "loop": "{% for w in [v, v] %}{{ loop.index }}{{ w }}{% endfor %}",
    "filter block": "{% filter upper %}{{ v }}{% endfilter %}",
    "concat": "{{ v ~ '&' }}|{{ 'a' if v else 'b' }}",
    "autoescape blocks": "{% autoescape false %}{{ v }}{% endautoescape %}"
    "|{% autoescape flag %}{{ v }}{% endautoescape %}|{{ v }}",
}


@pytest.mark.parametrize("value", [*ESCAPED, _Text("<t>&"), Markup("&amp; <b>")])
@pytest.mark.parametrize("source", _WRITTEN)
def test_layouts_write_every_kind_of_value_as_jinja_does(source: str, value: object) -> None:
    """`{{ value }}` escapes a `str` in line and writes a `Markup` as it is (`_output_child_pre`): the same
    text as stock Jinja in output runs, `{% set %}` blocks, macros, loops and filter blocks, and the same
    errors (a strict undefined raises in both)."""
    ours = make_environment(LAYOUTS)
    stock = make_environment(LAYOUTS)
    stock.code_generator_class, stock.context_class = jinja2.compiler.CodeGenerator, jinja2.runtime.Context
    stock.template_class = jinja2.Template

    def render(env: jinja2.Environment) -> str:
        try:
            return env.from_string(_WRITTEN[source]).render(v=value, flag=False)
        except Exception as error:  # noqa: BLE001 - the same error either way is what is compared
            return f"{type(error).__name__}: {error}"

    assert "_pf_escape_str(_pf_v)" in ours.compile(_WRITTEN[source], raw=True), "the inline escape is in the code"
    assert render(ours) == render(stock)


class _Item:
    """An object with a property, an attribute that is None, and an item that is no attribute."""

    count = 0

    def __init__(self, **fields: object) -> None:
        self.__dict__.update(fields)

    @property
    def loud(self) -> str:
        _Item.count += 1  # read once per `{{ x.loud }}`, as Jinja reads it
        return self.name.upper()  # type: ignore[attr-defined]

    def __getitem__(self, key: str) -> str:
        if key == "by_item":
            return "item by_item"
        raise KeyError(key)


_SOURCES = {
    "attributes": "{{ x.name }} {{ x.loud }} {{ x.none }} {{ x.other }} {{ x.by_item }} {{ d.key }}"
    " {{ d.items is callable }} {{ x.kids[1].name }}",
    "chains": "{{ d.inner.deeper }} {{ d[x.name].name }} {{ (x.kids | first).name }} {{ x.kids.0.name }}",
    "missing": "{{ 'yes' if x.absent is defined else 'no' }} {{ x.absent | default('fallback') }}",
    "loops": "{% for k in x.kids if k.name != 'b' %}{{ loop.index }}{{ k.name }}{% endfor %}",
    "macros": '{% macro m(a, b=2, c="c") %}{{ a }}{{ b }}{{ c }}{% endmacro %}'
    "{{ m(1) }} {{ m(1, 3) }} {{ m(1, c=4) }} {{ m(a=5) }} {{ m(1, 2, 3) }} {{ m(x.name, c=x.loud) }}",
    "special macros": "{% macro v() %}{{ varargs | join }}{{ kwargs.k }}{% endmacro %}{{ v(1, 2, k=3) }}"
    "{% macro w(a) %}[{{ caller(a) }}]{% endmacro %}{% call(y) w(7) %}{{ y }}!{% endcall %}",
    "imports": '{% from "lib.html" import shout %}{{ shout(x.name) }} {{ shout(word=x.loud) }}',
    "lib.html": '{% macro shout(word="none") %}<{{ word }}>{% endmacro %}',
    "undefined attribute": "{{ x.absent }}",
    "unknown keyword": '{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, b=2) }}',
    "too many": "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}",
    "output runs": "{% set s %}a{{ x.name }}b{% endset %}{{ s }}|{% filter upper %}x{{ x.name }}y{% endfilter %}"
    "|{% for k in x.kids %}<{{ k.name }}>{{ loop.index }}{% endfor %}|{{ x.none }}{{ x.other }}{{ 1 + 2 }}",
    "extends": '{% extends "frame.html" %}ignored {{ x.name }}{% block b %}[{{ super() }}{{ x.loud }}]{% endblock %}',
    "frame.html": "<{% block b %}d{{ x.name }}{% endblock %}>{{ x.other }}",
    "failing run": "before {{ x.name }} {{ x.absent.deeper }} after",
}  # fmt: skip
_LIBRARIES = {"lib.html", "frame.html"}  # imported or extended by the others


def _render(env: jinja2.Environment, name: str) -> str:
    kids = [_Item(name="a"), _Item(name="b"), _Item(name="c")]
    x = _Item(name="ada", none=None, other="<o>", kids=kids)
    try:
        return env.get_template(name).render(x=x, d={"key": "v", "inner": {"deeper": "deep"}, "ada": kids[2]})
    except Exception as error:  # noqa: BLE001 - the same error either way is what is compared
        return f"{type(error).__name__}: {error}"


@pytest.mark.parametrize("name", [name for name in _SOURCES if name not in _LIBRARIES])
def test_layouts_read_attributes_and_call_macros_as_jinja_does(name: str) -> None:
    """The layout environment's shortcuts (`getattr` first, plain macro calls) give what stock Jinja gives:
    the item when there is no attribute, one read of a property, undefined values, loop filters, macro
    defaults, keywords, `varargs`, `kwargs`, `caller`, imported macros, and the same errors."""
    from paperfolio.templating import LayoutCodeGenerator, LayoutContext, QuickMacro

    ours = make_environment(LAYOUTS)
    stock = make_environment(LAYOUTS)
    stock.code_generator_class, stock.context_class = jinja2.compiler.CodeGenerator, jinja2.runtime.Context
    stock.template_class = jinja2.Template
    for env in (ours, stock):
        env.loader = jinja2.DictLoader(_SOURCES)
    assert ours.code_generator_class is LayoutCodeGenerator and ours.context_class is LayoutContext
    template = ours.get_template(name)
    if "x." in _SOURCES[name]:
        assert "getattr((_pf_o := " in ours.compile(_SOURCES[name], raw=True), "the shortcut is in the code"
    _Item.count = 0
    expected = _render(stock, name)
    reads = _Item.count
    _Item.count = 0
    assert _render(ours, name) == expected
    assert _Item.count == reads
    if "macro" in _SOURCES[name] or "import" in _SOURCES[name]:
        assert template.root_render_func.__globals__["Macro"] is QuickMacro
        assert ours.get_template("lib.html").module.shout._plain, "a plain macro takes the short path"
    if name in ("undefined attribute", "failing run"):
        assert expected.startswith("UndefinedError")
    if name in ("output runs", "extends", "failing run"):
        assert "yield concat((" in ours.compile(_SOURCES[name], raw=True), "a run of output is one yield"


def test_the_default_site_is_the_same_with_jinjas_own_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page of the default site has the bytes it has when Jinja generates and runs its own code:
    `environment.getattr` for every attribute, `Macro` and `Context.call` for every macro, a `yield` for
    every piece of output."""
    from paperfolio.templating import LayoutCodeGenerator, LayoutContext

    project = Project(Path(__file__).resolve().parents[1])
    loaded = load(project, env={})
    quick = render_site(project, loaded)[0]
    monkeypatch.setattr(LayoutCodeGenerator, "visit_Getattr", jinja2.compiler.CodeGenerator.visit_Getattr)
    monkeypatch.setattr(LayoutCodeGenerator, "visit_Output", jinja2.compiler.CodeGenerator.visit_Output)
    monkeypatch.setattr(LayoutContext, "call", jinja2.runtime.Context.call)
    monkeypatch.setattr(LayoutTemplate, "macro", jinja2.runtime.Macro)
    stock = render_site(project, loaded)[0]
    assert stock.keys() == quick.keys()
    assert [name for name in quick if quick[name] != stock[name]] == []


def test_a_layout_mistake_names_the_layout_file_and_line(tmp_path: Path) -> None:
    """An attribute or a name no page has stops the build with the layout's file and line, whichever
    process rendered the page."""
    from paperfolio.errors import ContentError
    from paperfolio.pipeline import build

    root, repo = tmp_path / "project", Path(__file__).resolve().parents[1]
    for folder in ("content", "layouts", "assets"):
        shutil.copytree(repo / folder, root / folder)
    shutil.copy(repo / "paperfolio.yaml", root / "paperfolio.yaml")
    paper = root / "layouts" / "paper.html"
    lines = paper.read_text("utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, 1) if "<h1" in line)
    lines[number - 1] = lines[number - 1].replace("paper.title_html", "paper.title_hmtl")
    paper.write_text("".join(lines), "utf-8")
    with pytest.raises(ContentError) as raised:
        build(Project(root), tmp_path / "site", use_cache=False)
    problems = {(p.path, p.line) for p in raised.value.problems}
    assert ("layouts/paper.html", number) in problems, raised.value.problems
    assert all("title_hmtl" in p.message for p in raised.value.problems)
    assert not (tmp_path / "site").exists()


def test_layouts_call_functions_as_jinja_does() -> None:
    """The short path for plain functions and methods in `LayoutContext.call` gives what `Context.call` gives,
    and leaves functions that take the context, the evaluation context or the environment to it: in a
    loop and out of one, with keywords, and a `StopIteration` turned into an undefined value."""
    from jinja2 import pass_context, pass_environment, pass_eval_context

    class Shouter:
        def shout(self, text: str, end: str = "!") -> str:
            return text.upper() + end

        @pass_context
        def who(self, context, text: str) -> str:  # noqa: ANN001
            return f"{text}@{context.get('page')}"

    class CallableWithContext:
        @pass_context
        def __call__(self, context, text: str) -> str:  # noqa: ANN001
            return f"{text}#{context.get('page')}"

    def stops() -> str:
        raise StopIteration

    functions = {
        "plain": lambda text, n=1: text * n,
        "method": Shouter().shout,
        "context_method": Shouter().who,
        "context": pass_context(lambda context, text: f"{text}:{context.get('page')}:{context.get('item')}"),
        "environment": pass_environment(lambda env, text: f"{text}/{env.autoescape}"),
        "eval_context": pass_eval_context(lambda eval_ctx, text: f"{text}|{eval_ctx.autoescape}"),
        "callable": CallableWithContext(),
        "builtin": len,
        "stops": stops,
    }
    source = (
        "{{ plain('a') }} {{ plain('b', n=3) }} {{ method('hi') }} {{ method('hi', end='?') }}"
        " {{ context_method('c') }} {{ context('x') }} {{ environment('e') }} {{ eval_context('v') }}"
        " {{ callable('k') }} {{ builtin('abc') }}"
        "{% for item in ['i1', 'i2'] %} [{{ context('in') }} {{ plain(item) }} {{ method(item) }}]{% endfor %}"
        "{% set item = 'set' %} {{ context('after') }} {{ stops() is defined }}"
    )
    ours = make_environment(LAYOUTS)
    stock = make_environment(LAYOUTS)
    stock.code_generator_class, stock.context_class = jinja2.compiler.CodeGenerator, jinja2.runtime.Context
    stock.template_class = jinja2.Template
    for env in (ours, stock):
        env.undefined = jinja2.Undefined  # `stops() is defined` is tested, not printed
        env.globals.update(functions)
    expected = stock.from_string(source).render(page="p")
    assert ours.from_string(source).render(page="p") == expected
    assert "[in:p:None i1 I1!]" in expected and "after:p:set" in expected and expected.endswith("False")
