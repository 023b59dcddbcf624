"""The search index: folded fields, display fields, and the pages and files a build adds for finding papers."""

from __future__ import annotations

import json
import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from test_groups import paper

from paperfolio.model import Settings
from paperfolio.search import fold, search_entry, search_index
from paperfolio.urls import Urls
from paperfolio.views import paper_view


def test_fold_lowercases_strips_accents_and_splits_words():
    assert fold("Élan, Reinforcement-Learning!") == " elan reinforcement learning"
    assert fold("Straße  Ünal") == " strasse unal"
    assert fold("cs.CL 2024") == " cs cl 2024"
    assert fold("") == ""


@given(st.text())
def test_fold_drops_exactly_the_combining_marks(text: str):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    assert fold(text) == "".join(" " + word for word in re.split(r"[\W_]+", bare) if word)


def test_entry_has_display_and_ranked_search_fields():
    view = paper_view(
        paper("safe-rl", venue="NeurIPS 2024 (Oral)", tags=("safe-rl",), authors=("José Núñez", "Owner")),
        Settings(),
        Urls("/repo/"),
        coauthor_slugs={"José Núñez": "jose-nunez"},
    )
    entry = search_entry(view)
    assert entry["u"] == "/repo/papers/safe-rl/" and entry["t"] == "Safe-Rl" and entry["y"] == 2024
    assert entry["a"] == "José Núñez, Owner" and entry["v"] == "NeurIPS 2024 (Oral)"
    assert entry["ft"] == " safe rl"
    assert entry["fa"] == " jose nunez owner"
    assert entry["fm"] == " neurips 2024 oral cs cl computation and language safe rl conference 2024"


def test_authors_shown_are_cut_after_six():
    view = paper_view(paper("p", authors=tuple(f"A{i}" for i in range(8))), Settings(), Urls("/"))
    assert search_entry(view)["a"] == "A0, A1, A2, A3, A4, A5 et al."


def test_index_is_utf8_json_in_the_given_order():
    views = [paper_view(paper(s), Settings(), Urls("/")) for s in ("b", "a")]
    data = json.loads(search_index(views).decode("utf-8"))
    assert data["version"] == 1 and [p["u"] for p in data["papers"]] == ["/papers/b/", "/papers/a/"]


def test_index_bytes_are_json_dumps_of_the_whole_index():
    papers = [paper("élan", authors=("Zoë Ünal", "Owner"), venue="ICML “24”"), paper("b"), paper("c", tags=("日本",))]
    views = [paper_view(p, Settings(), Urls("/")) for p in papers]
    whole = {"version": 1, "papers": [search_entry(v) for v in views]}
    expected = json.dumps(whole, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert search_index(views) == expected
    assert search_index([]) == json.dumps({"version": 1, "papers": []}, separators=(",", ":")).encode()
