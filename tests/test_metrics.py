"""Profile metrics computed from papers' citation counts, and the inline SVG chart."""

from __future__ import annotations

import re

import pytest

from paperfolio import charts, metrics
from paperfolio.model import Author, Metric, Paper, PaperDate, Settings


def paper(slug, citations=None, year=2024):
    return Paper(
        source=f"{slug}.md",
        slug=slug,
        title=slug,
        authors=(Author("Owner", is_owner=True),),
        et_al=False,
        date=PaperDate(year),
        categories=("cs.CL",),
        abstract="",
        citations=citations,
    )


@pytest.mark.parametrize(
    ("counts", "h", "i10"),
    [([], 0, 0), ([0, 0], 0, 0), ([10, 8, 5, 4, 3], 4, 1), ([25, 8, 5, 3, 3], 3, 1), ([100] * 3, 3, 3), ([1], 1, 0)],
)
def test_h_and_i10_index(counts, h, i10):
    assert metrics.h_index(counts) == h
    assert metrics.i10_index(counts) == i10


CONFIGURED = Settings(
    metrics=(
        Metric("h-index", "49", "Scholar", as_of="2026"),
        Metric("Citations", "3,145", "Scholar"),
        Metric("Novelty", "46%"),
    )
)


def test_configured_metrics_are_shown_when_no_paper_has_citations():
    assert metrics.profile_metrics([paper("a")], CONFIGURED) == CONFIGURED.metrics


def test_computed_metrics_replace_configured_ones_and_say_so():
    papers = [paper("a", 1200), paper("b", 12), paper("c", 3), paper("d")]
    shown = metrics.profile_metrics(papers, CONFIGURED)
    assert [(m.label, m.value) for m in shown] == [
        ("Citations", "1,215"),
        ("h-index", "3"),
        ("i10-index", "2"),
        ("Novelty", "46%"),
    ]
    assert shown[0].source == "computed from 3 papers' citation counts"


def test_counts_per_year_fill_gaps_oldest_first():
    assert metrics.papers_per_year({2024: ("a", "b"), 2021: ("c",)}) == [(2021, 1), (2022, 0), (2023, 0), (2024, 2)]
    assert metrics.citations_per_year([paper("a", 5, 2022), paper("b", 7, 2024), paper("c", None, 2024)]) == [
        (2022, 5),
        (2023, 0),
        (2024, 7),
    ]
    assert metrics.citations_per_year([paper("a")]) == []


def test_chart_is_labelled_svg_coloured_by_classes_without_inline_style():
    svg = str(charts.bar_chart([(2023, 2), (2024, 5)], title="Papers per year", chart_id="ppy"))
    assert svg.startswith('<svg class="chart" id="ppy"') and 'role="img"' in svg
    assert '<title id="ppy-title">Papers per year</title>' in svg and 'aria-labelledby="ppy-title"' in svg
    assert svg.count('class="chart-bar"') == 2 and ">5</text>" in svg and ">2024</text>" in svg
    assert "style=" not in svg and "fill=" not in svg
    assert str(charts.bar_chart([], title="x", chart_id="y")) == ""


def test_chart_labels_years_evenly_from_the_newest():
    """Year labels are one step apart, the newest among them: 16 years labelled 2000, 2002 … 2014 and 2015."""
    for n in range(1, 61):
        svg = str(charts.bar_chart([(2000 + i, 1) for i in range(n)], title="t", chart_id="c"))
        labels = re.findall(r'<text class="chart-text chart-year" x="([0-9.]+)"[^>]*>([0-9]+)</text>', svg)
        assert labels[-1][1] == str(2000 + n - 1)
        gaps = {round(float(b[0]) - float(a[0]), 1) for a, b in zip(labels, labels[1:], strict=False)}
        assert not gaps or (max(gaps) - min(gaps) <= 0.2 and min(gaps) >= 77.9), (n, gaps)  # 624 units, 8 labels
