"""Right-to-left sites: the pages' direction follows `language:`, and text that may run the other way from the
page (titles, names, venues, abstracts) takes its own direction, isolated from the text around it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from htmlparse import Page

from paperfolio.direction import text_direction
from paperfolio.pipeline import Project, build

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "right-to-left"
REPO = Path(__file__).resolve().parents[1]


# Languages CLDR writes in a right-to-left script, and left-to-right languages in one (Azerbaijani, Punjabi and
# Kurdish in Arabic script, Fula in Adlam).
RTL_TAGS = "ar he fa ur ps sd ug yi dv ckb ar-EG he-IL fa-AF AR iw az-Arab pa-Arab-PK ku-Arab ff-Adlm ar-Arab"


@pytest.mark.parametrize("language", RTL_TAGS.split())
def test_a_language_written_right_to_left_gives_rtl_pages(language: str) -> None:
    assert text_direction(language) == "rtl"


@pytest.mark.parametrize(
    "language",
    # A script subtag wins over the language (Arabic in Latin letters, Azerbaijani's Latin default); a private-use
    # subtag after `x` is no script; `de-1996` has a four-character variant, not a script.
    ["en", "zh-CN", "zh-Hans-CN", "ja", "de-1996", "ar-Latn", "az", "ku", "pa", "tr", "hi", "en-x-arab", "uz-Cyrl"],
)
def test_a_language_written_left_to_right_gives_ltr_pages(language: str) -> None:
    assert text_direction(language) == "ltr"


def built(tmp_path: Path, language: str) -> Path:
    """Build the right-to-left fixture with this `language:` and return its site folder."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    settings = root / "paperfolio.yaml"
    settings.write_text(settings.read_text("utf-8").replace("language: ar\n", f"language: {language}\n"), "utf-8")
    out = tmp_path / "site"
    build(Project(root), out, env={})
    return out


def test_every_page_of_an_arabic_site_runs_right_to_left(tmp_path: Path) -> None:
    site = built(tmp_path, "ar")
    pages = sorted(site.rglob("*.html"))
    assert site / "publication" / "arabic-title" / "index.html" in pages  # the page an alias leaves
    for path in pages:
        html = Page.read(path).find("html")
        assert (html.attrs.get("lang"), html.attrs.get("dir")) == ("ar", "rtl"), path


def test_an_english_site_leaves_the_direction_to_the_default(tmp_path: Path) -> None:
    site = built(tmp_path, "en")
    for path in sorted(site.rglob("*.html")):
        assert "dir" not in Page.read(path).find("html").attrs, path


def isolated(element) -> bool:
    """Return whether an element takes its own direction from its text, apart from the text around it."""
    return element.tag == "bdi" or element.attrs.get("dir") == "auto"


@pytest.mark.parametrize("language", ["ar", "en"])
def test_text_that_may_run_the_other_way_takes_its_own_direction(tmp_path: Path, language: str) -> None:
    site = built(tmp_path, language)
    home = Page.read(site / "index.html")
    card = next(c for c in home.find_all("li", "paper") if "التعلم" in c.text)
    [title] = [e for e in card.children[0].children if "paper-title" in e.classes]
    assert isolated(title)
    meta = next(e for e in card.children[0].children if "paper-meta" in e.classes)
    assert all(isolated(e) for e in meta.children if "venue" in e.classes or e.tag == "time")
    names = next(e for e in card.children[0].children if "authors" in e.classes)
    assert [e.text for e in names.children if isolated(e)] == ["ليلى حسن", "أحمد خالد", "Ada Lovelace"]
    # Two names of the same direction in a row keep the page's order: the separator carries its direction.
    mark = "\u200f" if language == "ar" else "\u200e"
    assert home.find("p", "affiliations").text == f"جامعة المثال{mark} · {mark}معهد الاختبار"
    paper = Page.read(site / "papers" / "arabic-title" / "index.html")
    assert isolated(paper.find("h1")) and isolated(paper.find("div", "abstract-text"))
    assert paper.find("pre", "bibtex").attrs.get("dir") == "ltr"  # BibTeX is code: left to right on any page
    rows = [th for th in Page.read(site / "coauthors" / "index.html").find_all("th") if th.attrs.get("scope") == "row"]
    assert rows and all(isolated(th.children[0]) for th in rows)
