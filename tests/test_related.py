"""Related papers: shared coauthors, tags and categories, via an inverted index with a cap on common keys."""

from __future__ import annotations

from paperfolio import groups
from paperfolio.model import Author, Paper, PaperDate
from paperfolio.related import related_papers


def paper(slug, *, authors=(), tags=(), cats=("cs.CL",), year=2024):
    return Paper(
        source=f"{slug}.md",
        slug=slug,
        title=slug,
        authors=(Author("Owner", is_owner=True), *(Author(a) for a in authors)),
        et_al=False,
        date=PaperDate(year),
        categories=cats,
        abstract="",
        tags=tuple(tags),
    )


def related(papers, **options):
    return related_papers(papers, groups.group_by_coauthor(papers).values(), **options)


def test_more_shared_keys_rank_first_and_ties_keep_site_order():
    papers = [
        paper("a", authors=("X", "Y"), tags=("rl",)),
        paper("b", authors=("X",), cats=("cs.LG",)),
        paper("c", authors=("X", "Y"), tags=("rl",)),
        paper("d", cats=("cs.CL",)),
        paper("e", cats=("cs.CL",)),
    ]
    assert related(papers)["a"] == ("c", "b", "d", "e")


def test_a_paper_sharing_nothing_has_no_related_papers_and_never_itself():
    papers = [paper("a", cats=("cs.CL",)), paper("b", cats=("cs.RO",))]
    assert related(papers) == {"a": (), "b": ()}


def test_at_most_limit_papers():
    papers = [paper(f"p{i}", tags=("t",)) for i in range(9)]
    assert len(related(papers, limit=5)["p0"]) == 5


def test_keys_shared_by_more_than_the_cap_are_ignored():
    papers = [paper(f"p{i}", cats=("cs.CL",)) for i in range(5)] + [paper("q", tags=("x",)), paper("r", tags=("x",))]
    result = related(papers, key_cap=4)
    assert result["p0"] == ()  # cs.CL has 7 papers, more than the cap
    assert result["q"] == ("r",)


def test_work_grows_linearly_to_ten_thousand_papers(monkeypatch):
    """Ranking adds up at most (keys of a paper) x KEY_CAP x (largest weight) positions per paper, because a
    key on more papers than the cap is ignored (the owner and both categories, on thousands of papers
    here): the work is bounded by a constant times the number of papers, at any size. It is counted, not
    timed. Without the cap, ten thousand papers would add up more than a hundred million positions."""
    from paperfolio import related as module

    counted = []
    weighted = module._weighted_positions

    def counting(found):
        positions = list(weighted(found))
        counted.append(len(positions))
        return positions

    monkeypatch.setattr(module, "_weighted_positions", counting)

    def work(n: int) -> int:
        papers = [
            paper(f"p{i}", authors=(f"A{i % 700}", f"B{i % 53}"), tags=(f"t{i % 40}",), cats=("cs.CL", f"cs.{i % 9}"))
            for i in range(n)
        ]
        counted.clear()
        result = related_papers(papers, groups.group_by_coauthor(papers).values())
        assert len(result) == n and all(0 < len(v) <= 5 for v in result.values())
        return sum(counted)

    keys_per_paper = 6  # the owner, two coauthors, a tag, two categories
    for n in (1_000, 10_000):
        assert work(n) <= n * keys_per_paper * module.KEY_CAP * max(module.WEIGHTS.values())
