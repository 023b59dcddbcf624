"""Cross-check the default content (content/papers/*.md) against the seed papers.json.

The front matter is parsed here with plain `yaml.safe_load` on purpose: these tests check the data
itself and must not depend on paperfolio's own loader.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PAPERS_DIR = ROOT / "content" / "papers"
# CI clones the repository into a folder that has `shared/` beside it.
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "papers.json"

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CATEGORIES = {
    "CL": "cs.CL",
    "AI": "cs.AI",
    "LG": "cs.LG",
    "CV": "cs.CV",
    "RO": "cs.RO",
    "PM": "q-fin.PM",
}
# Venue texts deliberately shortened in the content (the full text must start with the short one).
SHORTENED_VENUES = {"2310.19852": "ACM Computing Surveys (2025)"}

needs_seed = pytest.mark.skipif(
    not SEED.is_file(),
    reason=f"seed papers.json not found at {SEED} (shared/ must sit beside the repo)",
)


def split(path: Path) -> tuple[dict, str]:
    """Return (front matter, body) of a content file: YAML between the first two `---` lines."""
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines(keepends=True)
    assert lines and lines[0].rstrip("\r\n") == "---", f"{path.name}: must start with ---"
    for end in range(1, len(lines)):
        if lines[end].rstrip("\r\n") == "---":
            break
    else:
        pytest.fail(f"{path.name}: no closing --- line")
    meta = yaml.safe_load("".join(lines[1:end]))
    assert isinstance(meta, dict), f"{path.name}: front matter is not a mapping"
    return meta, "".join(lines[end + 1 :])


def author_names(meta: dict) -> list[str]:
    names = []
    for entry in meta["authors"]:
        name = entry["name"] if isinstance(entry, dict) else entry
        if name != "others":
            names.append(name)
    return names


def content_files() -> list[Path]:
    return sorted(PAPERS_DIR.glob("*.md"))


@functools.cache
def seed_records() -> list[dict]:
    return json.loads(SEED.read_text(encoding="utf-8"))["papers"]


@functools.cache
def by_title() -> dict[str, list[tuple[Path, dict, str]]]:
    found: dict[str, list[tuple[Path, dict, str]]] = {}
    for path in content_files():
        meta, body = split(path)
        found.setdefault(meta["title"], []).append((path, meta, body))
    return found


def record_id(record: dict) -> str:
    return record["enriched"]["arxiv_id"]


def test_slugs_are_unique_and_well_formed():
    slugs = [path.stem for path in content_files()]
    assert slugs, "no content files"
    assert len(slugs) == len(set(slugs))
    bad = [slug for slug in slugs if not SLUG_RE.match(slug)]
    assert not bad, f"bad slugs: {bad}"
    explicit = [split(path)[0].get("slug") for path in content_files()]
    explicit = [slug for slug in explicit if slug is not None]
    assert len(explicit) == len(set(explicit))
    assert all(SLUG_RE.match(slug) for slug in explicit)


@needs_seed
def test_one_file_per_record():
    records = seed_records()
    assert len(content_files()) == len(records) == 37
    found = by_title()
    for record in records:
        assert len(found.get(record["title"], [])) == 1, record["title"]


@needs_seed
@pytest.mark.parametrize("index", range(37))
def test_record_matches_file(index: int):
    record = seed_records()[index]
    enriched = record["enriched"]
    matches = by_title().get(record["title"], [])
    assert len(matches) == 1, record["title"]
    path, meta, body = matches[0]
    links = meta.get("links") or {}

    assert author_names(meta) == enriched["authors"], path.name
    assert str(links.get("arxiv")) == enriched["arxiv_id"], path.name
    assert isinstance(links["arxiv"], str), f"{path.name}: quote the arXiv ID"

    date = meta["date"]
    assert isinstance(date, (str, dt.date))
    assert str(date) == record["date"], path.name

    assert meta["categories"][0] in {record["category"], CATEGORIES[record["category"]]}
    assert meta.get("affiliations", []) == record["affiliations"]

    if enriched.get("code_url"):
        assert links.get("code") == enriched["code_url"], path.name
    elif record["code"]:
        assert links.get("code") is True, f"{path.name}: expected code: true"
    else:
        assert "code" not in links, path.name
    for key, field in (("project", "project_page"), ("data", "data_url")):
        if enriched.get(field):
            assert links.get(key) == enriched[field], path.name
        else:
            assert key not in links, path.name

    venue = enriched.get("venue")
    if venue is None:
        assert "venue" not in meta, path.name
        assert meta.get("pub_type") in (None, "preprint"), path.name
    elif record_id(record) in SHORTENED_VENUES:
        assert meta["venue"] == SHORTENED_VENUES[record_id(record)]
        assert venue.startswith(meta["venue"])
    else:
        assert meta.get("venue") == venue, path.name

    if enriched.get("award"):
        assert meta.get("award") == enriched["award"], path.name
    else:
        assert "award" not in meta, path.name

    # A DOI is only allowed where papers.json gives one (in the venue text).
    if "doi" in links:
        assert venue is not None and str(links["doi"]) in venue, path.name

    assert body.strip("\n") == record["abstract"], f"{path.name}: body differs from the abstract"


def test_featured_papers_are_few():
    featured = [path.stem for path in content_files() if split(path)[0].get("featured")]
    assert len(featured) <= 4, featured
