"""Shared test helpers: write small projects into tmp_path and build them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The property tests draw the same examples on every run ("deterministic", the default), so the README's
# `pytest` and CI pass or fail alike on every machine: a fresh clone's first run once drew an example no run
# before had (`$`0`$`, then fixed), which would have failed a run by chance. `HYPOTHESIS_PROFILE=explore
# pytest` draws new examples each run, to look for more (and keeps what fails in .hypothesis/).
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


def paper_text(
    title: str = "A Paper",
    authors: str = "[Ada Lovelace, Juntao Dai]",
    date: str = "2024-05-01",
    categories: str = "[CL]",
    extra: str = "",
    body: str = "An abstract.",
) -> str:
    """Return the text of a valid paper file with fields replaceable one by one."""
    return f"---\ntitle: {title}\nauthors: {authors}\ndate: {date}\ncategories: {categories}\n{extra}---\n{body}\n"


@pytest.fixture
def make_project(tmp_path: Path):
    """Return a function that copies the repository's layouts and assets into a fresh project with given papers."""

    def make(papers: dict[str, str | bytes], settings: str | None = None) -> Path:
        root = tmp_path / "project"
        (root / "content" / "papers").mkdir(parents=True)
        shutil.copytree(REPO / "layouts", root / "layouts")
        shutil.copytree(REPO / "assets", root / "assets")
        (root / "paperfolio.yaml").write_text(
            settings
            if settings is not None
            else "title: Test Site\nowner:\n  name: Juntao Dai\n  variants: [Josef Dai]\n",
            encoding="utf-8",
        )
        for name, text in papers.items():
            path = root / "content" / "papers" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return root

    return make


@pytest.fixture(autouse=True)
def no_site_macros():
    """Each test reads text without any site's own LaTeX macros unless it builds a site that defines some:
    the macros of the last build stay set in the process (see `pipeline.use_macros`)."""
    from paperfolio.model import Settings
    from paperfolio.pipeline import use_macros

    use_macros(Settings())
    yield
