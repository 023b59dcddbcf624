"""Make a deterministic paperfolio project of N papers from the real ones in `content/papers/`.

Paper i is seed paper `i % 37` with its title, date, authors, categories, tags, venue and links varied by a
random generator seeded with i, so the same N always gives the same bytes. The first 37 are the seed papers
as written, so N = 37 is the default site.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
CATEGORIES = ("cs.AI", "cs.CL", "cs.LG", "cs.CV", "cs.RO", "cs.CR", "cs.MA", "stat.ML", "q-fin.PM", "math.OC")
TAGS = ("safety", "alignment", "rlhf", "agents", "benchmark", "dataset", "deception", "robotics", "vision", "theory")
VENUES = ("NeurIPS", "ICML", "ICLR", "ACL", "EMNLP", "AAAI", "CVPR", "TMLR", "JMLR", "arXiv preprint")
WORDS = ("Scalable", "Robust", "Safe", "Efficient", "Provable", "Aligned", "Adaptive", "Sparse", "Causal", "Neural")
FIRST = ("Wei", "Yang", "Lin", "Anna", "Marco", "Sara", "Ken", "Li", "Omar", "Ines", "Jun", "Chen", "Ravi", "Eva")
LAST = ("Zhang", "Wang", "Rossi", "Müller", "Kim", "Silva", "Novak", "Ito", "Khan", "Dubois", "Li", "Chen", "Park")


def split(text: str) -> tuple[dict, str]:
    """Return a paper file's front matter (as plain YAML values) and its body."""
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def seed_papers() -> list[tuple[str, str]]:
    """Return (file stem, text) of every seed paper, sorted by name."""
    return [(p.stem, p.read_text("utf-8")) for p in sorted((REPO / "content" / "papers").glob("*.md"))]


def vary(front: dict, body: str, i: int, owner: str) -> tuple[dict, str]:
    """Return paper i's front matter and body: the seed's, with every listed field varied."""
    rng = random.Random(i)
    front = dict(front)
    front["title"] = f"{rng.choice(WORDS)} {front['title']} ({i})"
    year = rng.randint(2012, 2025)
    front["date"] = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    people = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 12))]
    people.insert(rng.randint(0, len(people)), owner)
    front["authors"] = list(dict.fromkeys(people))
    front["categories"] = rng.sample(CATEGORIES, rng.randint(1, 3))
    front["tags"] = rng.sample(TAGS, rng.randint(0, 4))
    front["venue"] = f"{rng.choice(VENUES)} {year}"
    links = dict(front.get("links") or {})
    month, number = rng.randint(1, 12), rng.randint(10000, 99999)
    # An ID arXiv could give: four digits after the dot until 1412, five from 1501 (`check` refuses others).
    links["arxiv"] = f"{year % 100:02d}{month:02d}.{number if year >= 2015 else number // 10}"
    if rng.random() < 0.5:
        links["code"] = f"https://github.com/example/project-{i}"
    front["links"] = links
    front["featured"] = False
    front.pop("citations", None)
    return front, f"{body.strip()}\n\nVariant {i} of this study.\n"


def make_corpus(target: Path, n: int) -> Path:
    """Write a project of `n` papers at `target` (replacing it) and return it."""
    shutil.rmtree(target, ignore_errors=True)
    papers = target / "content" / "papers"
    papers.mkdir(parents=True)
    for name in ("layouts", "assets"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy2(REPO / "paperfolio.yaml", target / "paperfolio.yaml")
    shutil.copy2(REPO / "build.py", target / "build.py")  # what a fork of the repository runs
    owner = yaml.safe_load((REPO / "paperfolio.yaml").read_text("utf-8"))["owner"]["name"]
    seeds = seed_papers()
    for i in range(n):
        stem, text = seeds[i % len(seeds)]
        if i < len(seeds):
            (papers / f"{stem}.md").write_text(text, "utf-8")
            continue
        front, body = vary(*split(text), i, owner)
        dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
        (papers / f"{stem}-{i}.md").write_text(f"---\n{dumped}---\n{body}", "utf-8")
    return target


def edit_one_abstract(project: Path, round_: int) -> Path:
    """Change the abstract of one paper in the middle of the list; return the file."""
    files = sorted((project / "content" / "papers").glob("*.md"))
    path = files[len(files) // 2]
    text = path.read_text("utf-8").rstrip("\n")
    path.write_text(f"{text}\n\nEdit {round_}.\n", "utf-8")
    return path
