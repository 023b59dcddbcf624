"""The search index: folded fields, display fields, and the pages and files a build adds for finding papers."""

from __future__ import annotations

import json
import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from test_groups import paper

from paperfolio.model import Settings
from paperfolio.search import FOLDED, entry_json, fold, search_entry, search_index
from paperfolio.urls import Urls
from paperfolio.views import paper_view


def test_fold_lowercases_strips_accents_and_splits_words():
    assert fold("Élan, Reinforcement-Learning!") == " elan reinforcement learning"
    assert fold("Straße  Ünal") == " strasse unal"
    assert fold("cs.CL 2024") == " cs cl 2024"
    assert fold("") == ""


def plain_fold(text: str) -> str:
    """Return the folded words as assets/search.js folds a query (`fold`, then `terms`), which `fold` does
    faster: NFKD, every mark dropped (`\\p{M}`), lowercased, ß and final ς mapped, split at non-letters."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch)[0] != "M")
    lower = bare.lower().replace("ß", "ss").replace("ς", "σ")
    return "".join(" " + word for word in re.split(r"[\W_]+", lower) if word)


@given(st.text())
def test_fold_drops_exactly_the_marks(text: str):
    assert fold(text) == plain_fold(text)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_fold_of_ascii_text_matches_the_regular_expression(text: str):
    assert fold(text) == plain_fold(text)


def test_fold_lowercases_what_nfkd_makes_as_the_browser_does():
    """The index casefolded before NFKD, which left the capitals NFKD makes (`𝐋𝐋𝐌` -> `LLM`, `℡` -> `TEL`) and
    mapped letters lowercasing does not (Cherokee to its capitals, `ᾳ` to `αι`): the browser folds a query
    NFKD first, then lowercases, so a query for any of these words found nothing (checked against search.js
    run in Node over every character)."""
    assert fold("𝐋𝐋𝐌 Safety") == " llm safety"
    assert fold("℡ ℠ ℝ") == " tel sm r"
    assert fold("Ꭰ ꭰ") == " ꭰ ꭰ"
    assert fold("ᾳ ΛΌΓΟΣ") == " α λογοσ"
    for text in ("Ⅸ Ünal", "ﬁne Ｆｕｌｌ", "İstanbul", "Straße_Ünal", "Ǆ", "a\u0301b", "日本 Élan"):
        assert fold(text) == plain_fold(text), text


def test_fold_of_every_single_character_matches_the_regular_expression():
    for code in range(0x10000):
        ch = chr(code)
        assert fold(ch) == plain_fold(ch), hex(code)
        assert fold(f"A{ch}b") == plain_fold(f"A{ch}b"), hex(code)


def test_word_characters_need_no_json_escape():
    # `entry_json` quotes folded fields as they are: they hold only word characters and spaces.
    words = " ".join(re.findall(r"\w", "".join(map(chr, range(0x110000)))))
    assert json.dumps(words, ensure_ascii=False) == f'"{words}"'


display_text = st.text() | st.sampled_from(['"quoted"', "back\\slash", "tab\tnew\nline", "\u2028", "ü"])


@given(
    st.fixed_dictionaries(
        {"u": display_text, "t": display_text, "a": display_text, "y": st.integers(-5000, 5000), "v": display_text}
    ),
    st.lists(st.text(), min_size=4, max_size=4),
)
def test_entry_json_is_json_dumps(shown, texts):
    entry = {**shown, **{key: fold(text) for key, text in zip(FOLDED, texts, strict=True)}}
    assert entry_json(entry) == json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()


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
