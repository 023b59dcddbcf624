"""The Jinja environment the layouts render in: its `anyattr` filter and how templates see globals."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from paperfolio.model import Author
from paperfolio.render import make_environment

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
