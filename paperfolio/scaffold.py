"""`python build.py new "Title"`: write a valid paper file with today's date and the owner as author."""

from __future__ import annotations

import datetime
import os
from dataclasses import replace
from pathlib import Path

import yaml

from . import categories
from .errors import ContentError, Problem
from .loader import CONTROL, parse, slugify
from .schema import PLACEHOLDER, validate
from .settings import load_settings


def new_paper(project, title: str, *, category: str = "cs.LG", authors: list[str] | None = None) -> Path:
    """Write `content/papers/<slug>.md` for a new paper and return its path; never overwrite."""
    settings, problems = load_settings(project.root, env={})
    if problems:
        raise ContentError(problems)
    if not " ".join(title.split()):
        raise ContentError([Problem("new", 0, 0, "the title is empty")])
    slug = slugify(title)[:80].rstrip("-")  # the file name; a whole long title would pass the system's limit
    if not slug:  # a title in a script with no ASCII letters (中文标题): named by the date, first free number
        stem = f"paper-{_today().isoformat()}"
        slug, number = stem, 1
        while (project.papers / f"{slug}.md").exists():
            number += 1
            slug = f"{stem}-{number}"
    try:
        code = categories.resolve(category)
    except ValueError as reason:
        raise ContentError([Problem("new", 0, 0, f"category {category!r} {reason}")]) from None
    names = authors or [settings.owner_name or "Your Name"]
    for what, value in [("the title", title), *(("an author's name", name) for name in names)]:
        control = CONTROL.search(value)  # else written as a YAML escape (`\e`), and refused as one
        if control:
            message = f"{what} contains the control character U+{ord(control.group()):04X}"
            raise ContentError([Problem("new", 0, 0, message)])
    front = {
        "title": " ".join(title.split()),
        "authors": names,
        "date": _today().isoformat(),
        "categories": [code],
        "links": {"arxiv": None, "pdf": None, "code": None},
    }
    text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    text = text.replace("date: '", "date: ").replace("'\ncategories", "\ncategories")
    text += "---\n" + PLACEHOLDER + "\n"
    path = project.papers / f"{slug}.md"
    # The file is checked as a build would read it, so `new` never writes one that `check` refuses (a title
    # holding a control character, an empty author, `others` alone); the problems are `new`'s own.
    raw, problems = parse(text, "new", slug)
    paper, found = validate(raw, settings) if raw is not None else (None, [])
    problems += found
    if problems:
        raise ContentError([replace(problem, line=0, col=0) for problem in problems])
    taken = _taken(project, slug, " ".join(title.split()).casefold())
    if taken:  # another paper's `slug:` or `aliases:` holds the page this one would have, or its title
        raise ContentError([Problem("new", 0, 0, taken)])
    project.papers.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        shown = path.relative_to(project.root).as_posix()
        raise ContentError([Problem(shown, 0, 0, "already exists; choose another title or edit that file")]) from None
    return path.relative_to(project.root) if path.is_relative_to(project.root) else path


def _taken(project, slug: str, title: str) -> str | None:
    """Say what already holds the page a new paper `slug` would have (another paper's `slug:`, or one of its
    `aliases:`), or which paper has its title (casefolded): `new` run again for a paper already there made a
    second file of it, listed twice; else None. Files that cannot be read are the build's to report."""
    from .aliases import alias_file
    from .loader import read_paper_file, scan_paper_files

    page = alias_file(f"/papers/{slug}/")
    for name, _link in scan_paper_files(project.papers):
        raw, problems = read_paper_file(Path(name), project.root, project.content)
        if raw is None or problems:
            continue
        fields = raw.fields
        shown = Path(name).relative_to(project.root).as_posix()
        written = fields["title"].value if "title" in fields else None
        if raw.slug_from_name != slug and isinstance(written, str) and " ".join(written.split()).casefold() == title:
            return f"{shown} has this title already: edit that file, or give the new paper another title"
        if raw.slug_from_name != slug and fields.get("slug") is not None and fields["slug"].value == slug:
            return f"the page papers/{slug}/ is the page of {shown} (its `slug:`); choose another title"
        aliases = fields.get("aliases")
        values = aliases.value if aliases is not None else []
        for item in values if isinstance(values, list) else [aliases]:
            if isinstance(item.value, str) and alias_file(item.value.strip()) == page:
                return f"the page papers/{slug}/ is an alias of {shown}; choose another title"
    return None


def _today() -> datetime.date:
    """Return today's date, or SOURCE_DATE_EPOCH's when set, so tests and builds can be reproduced. A value
    that is no date is an error, as the reproducible-builds specification asks, never quietly today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return datetime.date.today()
    try:
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    except (ValueError, OverflowError, OSError):
        message = f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, got {epoch!r}"
        raise ContentError([Problem("new", 0, 0, message)]) from None
