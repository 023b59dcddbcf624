"""The Jinja environment the layouts render in: its `anyattr` filter and how templates see globals."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup, escape

from paperfolio.model import Author
from paperfolio.pipeline import Project, load, render_site
from paperfolio.render import LayoutTemplate, make_environment

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
ESCAPED += [0, 3.5, None, True, ["<a>"]]


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
    assert template.render(x="<&>") == "<&lt;&amp;&gt;>"


def test_the_default_site_is_the_same_escaped_by_markupsafe(monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project(Path(__file__).resolve().parents[1])
    loaded = load(project, env={})
    quick = render_site(project, loaded)[0]
    monkeypatch.setattr(LayoutTemplate, "escape", staticmethod(escape))
    assert render_site(project, loaded)[0] == quick
