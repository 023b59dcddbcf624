"""A paper written in another language than the site's (`language: zh`) is marked so wherever its title and
abstract are written (WCAG 3.1.2, language of parts): a screen reader reads a Chinese title on an English page in
its English voice, letter by letter or not at all, unless the element holding it says `lang="zh"`."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from paperfolio.errors import ContentError
from paperfolio.pipeline import Project, build

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "basic"

TITLE = "深度学习的对齐方法研究"
ABSTRACT = "本文研究大语言模型的对齐方法"
CHINESE_PAPER = f"""---
title: {TITLE}
authors: [Juntao Dai, Ada Lovelace]
date: 2024-05-02
categories: [cs.CL]
language: zh
tags: [chinese]
links:
  arxiv: "2405.00002"
---
{ABSTRACT}。
"""
# Where a page may hold the title with no element to carry a `lang`: the head, a script's data;
UNMARKABLE = {"title", "script", "head", "code"}  # and the BibTeX, code in no human language


class _LangOfText(HTMLParser):
    """Collect, for every run of text holding `needle`, the `lang` in force there."""

    def __init__(self, needle: str):
        super().__init__(convert_charrefs=True)
        self.needle, self.stack, self.found = needle, [], []

    def handle_starttag(self, tag, attrs):
        if tag not in {"meta", "link", "img", "br", "hr", "input", "source", "wbr"}:
            lang = dict(attrs).get("lang", self.stack[-1][1] if self.stack else None)
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self.needle in data and not any(tag in UNMARKABLE for tag, _ in self.stack):
            self.found.append((self.stack[-1][0], self.stack[-1][1]))


def langs_of(page: Path, needle: str) -> list[tuple[str, str | None]]:
    reader = _LangOfText(needle)
    reader.feed(page.read_text("utf-8"))
    return reader.found


def make_project(root: Path, paper: str) -> Project:
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    (root / "content" / "papers" / "chinese-paper.md").write_text(paper, "utf-8")
    return Project(root)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("language") / "project"
    out = root.parent / "site"
    build(make_project(root, CHINESE_PAPER), out, env={})
    return out


@pytest.mark.parametrize(
    "page", ["index.html", "papers/chinese-paper/index.html", "tags/chinese/index.html", "years/2024/index.html"]
)
def test_the_title_and_abstract_of_a_paper_in_another_language_are_marked_with_it(site: Path, page: str) -> None:
    found = langs_of(site / page, TITLE) + langs_of(site / page, ABSTRACT)
    assert found, f"{page} does not show the paper"
    unmarked = [tag for tag, lang in found if lang != "zh"]
    assert not unmarked, f"{page}: the title or abstract is in <{'>, <'.join(unmarked)}> without lang=zh: {found}"


def test_the_page_of_another_papers_shows_its_title_marked_as_it_is(site: Path) -> None:
    """The pager and the related list of a neighbour show the title too."""
    pages = [p for p in (site / "papers").glob("*/index.html") if "chinese-paper" not in str(p)]
    found = [(page.parent.name, tag, lang) for page in pages for tag, lang in langs_of(page, TITLE)]
    assert found and all(lang == "zh" for _, _, lang in found), found


def test_a_paper_in_the_sites_language_carries_no_lang_of_its_own(site: Path) -> None:
    assert ' lang="en"' not in (site / "papers" / "chosen-slug" / "index.html").read_text("utf-8").split("<head>")[1]


def test_a_language_that_is_no_language_tag_stops_the_build(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", CHINESE_PAPER.replace("language: zh", "language: Chinese (PRC)"))
    with pytest.raises(ContentError) as caught:
        build(project, tmp_path / "site", env={})
    messages = [problem.format() for problem in caught.value.problems]
    assert any(m.startswith("content/papers/chinese-paper.md:6:11: error: `language`") for m in messages), messages


def test_the_search_index_gives_the_titles_language_for_the_results_lang(site: Path) -> None:
    papers = json.loads((site / "search" / "index.json").read_text("utf-8"))["papers"]
    langs = {p["t"]: p.get("l") for p in papers}
    assert langs.pop(TITLE) == "zh"
    assert langs and set(langs.values()) == {None}, langs
