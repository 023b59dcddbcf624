"""`python build.py check`: load, validate and render everything in memory, write nothing.

Besides errors it reports the warnings a careful author wants (see `content_warnings`).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import unicodedata
from pathlib import Path

from . import citations
from .errors import ContentError, Problem, line_of
from .loader import MARKDOWN_SUFFIXES, display_path, parse
from .pipeline import Project, key_line, load, render_site
from .schema import IMAGE_SUFFIXES, PLACEHOLDER
from .visible import look_alike_characters, skeleton


def check_project(project: Project, *, base_url: str | None = None, drafts: bool = True) -> list[Problem]:
    """Return every problem and warning in the project; nothing is written."""
    try:
        loaded = load(project, base_url=base_url, drafts=True)
    except ContentError as error:
        return error.problems
    try:
        _files, _pages, warnings = render_site(project, loaded)
    except ContentError as error:
        return loaded.warnings + error.problems
    extra = spelling_warnings(loaded.papers, loaded.settings, root=project.root) + stray_files(project)
    problems = content_warnings(loaded.papers, loaded.settings, root=project.root)
    return sorted(loaded.warnings + warnings + problems + extra)


def stray_files(project: Project) -> list[Problem]:
    """Warn of files among the papers that are no paper: read by nothing and copied nowhere. Hugo bundles
    keep a paper's PDF and `featured.png` beside its `index.md`; here those belong under assets/."""
    problems = []
    for path in sorted(project.papers.rglob("*")):
        relative = path.relative_to(project.papers)
        suffix = path.suffix.lower()
        if suffix in MARKDOWN_SUFFIXES or any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue  # papers, and other Markdown names (the build warns of those), hidden files
        target = f"assets/papers/{relative.as_posix()}"
        message = "not part of the site: only the .md paper files here are read"
        inner = Path(path.stem).suffix.lower()  # `aligner.md.txt`: a paper saved with the editor's suffix
        if suffix == ".txt" and inner in MARKDOWN_SUFFIXES:
            hint = f"if it is a paper, rename it to {Path(path.stem).stem}.md (an editor added .txt)"
        elif path.name.endswith("~") or suffix in (".bak", ".orig", ".swp", ".tmp"):  # an editor's backup
            message = "not part of the site: an editor's backup or temporary file"
            hint = "delete it, or have the editor keep backups elsewhere"
        elif suffix in IMAGE_SUFFIXES:
            hint = f"to show it as the paper's picture, move it to {target} and write `image: /{target}`"
        else:
            hint = f"a file the site links belongs under assets/: move it to {target} and link `/{target}`"
        problems.append(Problem(display_path(path, project.root), 0, 0, message, severity="warning", hint=hint))
    return problems


# `Jonas* Müller`, `*Ann Star`, `Wei Zhang†`, `Al B$^\ast$`
_MARKED_NAME = re.compile(r"^\s*[*†‡]|[*†‡]\s*$|\*\s+\S|\$\^|\\textsuperscript")
_MARKS = re.compile(r"\$\^\{?[^$]*\}?\$|\\textsuperscript\s*\{[^}]*\}|[*†‡]")  # what a mark is written as
_VENUE_MARKUP = re.compile(r"^\s*In\s+[*_]|\*{1,2}\S.*?\*|<[a-z]|\[[^\]]+\]\(")  # Hugo Blox: `In *NeurIPS 2024*`
_LAST_FIRST = re.compile(r"([^,]*[^\W\d_][^,]*),\s*([^,]*[^\W\d_][^,]*)")
_SUFFIX = re.compile(r"(?:Jr|Sr)\.?|I{2,3}|IV|V", re.IGNORECASE)  # `Martin Luther King, Jr.` is first name first
# What a name copied from a paper's first page carries besides the name: affiliation numbers, an address.
_NAME_EXTRAS = re.compile(r"(?<=[^\W\d_])\s*\d+(?:\s*,\s*\d+)*\s*$|\s*[(<]?[\w.+-]+@[\w-]+(?:\.[\w-]+)+[)>]?")
_TEMPLATE_TEXT = (
    ("{{%", "a Hugo shortcode (`{{% … %}}`), shown as written: write its text in Markdown"),
    ("{{<", "a Hugo shortcode (`{{< … >}}`), shown as written: write its text in Markdown"),
    ("Recommended citation:", "academicpages' citation line: the paper's page has its own Cite block; delete it"),
    ("Download paper here", "academicpages' download line: write the PDF as `links: {pdf: …}` and delete it"),
)


def _moved_in_warnings(paper, root: Path) -> list[Problem]:
    """Warn of what a paper file moved from another generator still holds in its own way: a name marked as
    co-first (`Jonas*`), a venue in Markdown (`In *NeurIPS 2024*`), a template's text in the abstract."""
    problems = []
    source = root / paper.source
    for author in paper.authors:
        if _MARKED_NAME.search(author.name):
            bare = " ".join(_MARKS.sub("", author.name).split())
            message = f"author `{author.name}` carries a mark in the name, which splits the person in two"
            hint = f"write `- {{name: {bare}, equal_contribution: true}}` (or `corresponding: true`)"
            problems.append(Problem(paper.source, line_of(source, author.name), 0, message, "warning", hint))
        elif _NAME_EXTRAS.search(author.name):  # `Boyuan Chen1`, `Boyuan Chen (chen@pku.edu.cn)`, as first pages print
            bare = " ".join(_NAME_EXTRAS.sub("", author.name).split())
            message = f"author `{author.name}` carries an affiliation number or an address in the name"
            hint = f"write the name alone, `{bare}`; affiliations go in `affiliations:`"
            problems.append(Problem(paper.source, line_of(source, author.name), 0, message, "warning", hint))
        elif (turned := _LAST_FIRST.fullmatch(author.name)) and not _SUFFIX.fullmatch(turned[2]):
            # `Chen, Boyuan`, as BibTeX and reference lists write names: a coauthor apart from `Boyuan Chen`
            message = f"author `{author.name}` is written last name first; pages show a name as it is written"
            hint = f"write `{turned[2]} {turned[1]}`, first name first, as the other names are"
            problems.append(Problem(paper.source, line_of(source, author.name), 0, message, "warning", hint))
    for name in citations.DETAILS:  # a list or mapping under `extra:` was left out of the citations unsaid
        value = paper.extra.get(name) if paper.extra else None
        if isinstance(value, (list, dict, bool)):
            message = f"`extra.{name}` is not text or a number, so the citations leave it out"
            problems.append(Problem(paper.source, line_of(source, f"{name}:"), 0, message, "warning"))
    if paper.venue and _VENUE_MARKUP.search(paper.venue):
        message = f"`venue` holds markup, shown as written: {paper.venue!r}"
        hint = "write the venue's name alone, such as `venue: NeurIPS 2024`"
        problems.append(Problem(paper.source, line_of(source, "venue:"), 0, message, "warning", hint))
    if paper.award and _VENUE_MARKUP.search(paper.award):  # `**Best Paper**`: the page shows the stars
        message = f"`award` holds markup, shown as written: {paper.award!r}"
        hint = "write the award alone, such as `award: Best Paper Award`"
        problems.append(Problem(paper.source, line_of(source, "award:"), 0, message, "warning", hint))
    for marker, why in _TEMPLATE_TEXT:
        if marker in paper.abstract:
            problems.append(Problem(paper.source, line_of(source, marker), 0, f"the text holds {why}", "warning"))
    return problems


def _taken_key_warnings(papers, root: Path) -> list[Problem]:
    """Warn of a `key:` that is the key made for another paper: that paper's key gets a letter, and a
    `\\cite` of it that was right before finds the other paper now."""
    kept = [paper for paper in papers if paper.key]
    if not kept:
        return []
    made = {citations.base_key(paper): paper for paper in papers if not paper.key}
    keys = citations.citation_keys(papers)
    problems = []
    for paper in kept:
        other = made.get(paper.key.lower())
        if other is not None:
            message = (
                f"key `{paper.key}` is the key made for {other.source}, which becomes `{keys[other.slug]}`: "
                "a \\cite of the old key now finds this paper"
            )
            hint = "give this paper another key, or leave `key:` out to have one made for it"
            problems.append(Problem(paper.source, key_line(root / paper.source), 0, message, "warning", hint))
    return problems


def _copy_warnings(papers, root: Path) -> list[Problem]:
    """Warn of a paper whose arXiv ID or DOI another paper file has: a copy of the file (`aligner copy.md`,
    `aligner (1).md`, a draft kept beside the paper) lists the paper twice under two addresses, each with its
    own citation key. A conference paper and its journal version may share an arXiv ID: so a warning, said
    once for each pair, at the later file. (Titles are not compared: two papers may share one.)"""
    first: dict[tuple[str, str], object] = {}
    problems = []
    for paper in sorted(papers, key=lambda p: p.source):
        arxiv = paper.arxiv_id and re.sub(r"v\d+$", "", paper.arxiv_id)
        said = False
        for what, value, field in (("arXiv ID", arxiv, "arxiv:"), ("DOI", paper.doi and paper.doi.lower(), "doi:")):
            if not value:
                continue
            other = first.setdefault((what, value), paper)
            if other is not paper and not said:
                said = True  # one warning a pair: the first thing they share
                message = f"shares its {what} with {other.source}: the site lists the paper twice"
                hint = "delete the copy, or keep the two versions of the paper in one file"
                line = line_of(root / paper.source, field)
                problems.append(Problem(paper.source, line, 0, message, severity="warning", hint=hint))
    return problems


def this_year() -> int:
    """Return this year, or SOURCE_DATE_EPOCH's when it is set (and a date), so a check can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        with contextlib.suppress(OverflowError, OSError, ValueError):
            return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).year
    return datetime.date.today().year


def content_warnings(papers, settings, *, root: Path) -> list[Problem]:
    """Return warnings about content that builds but is probably not what the author meant."""
    problems = _taken_key_warnings(papers, root) + _copy_warnings(papers, root)
    if settings.owner_name and papers and not any(author.is_owner for paper in papers for author in paper.authors):
        # A fork whose paperfolio.yaml still names the researcher it came with: nothing is highlighted as yours.
        line = line_of(root / "paperfolio.yaml", f"name: {settings.owner_name}")  # `owner.name`'s, read first
        message = f"the owner, {settings.owner_name}, is an author of none of the {len(papers)} papers"
        hint = (
            "set `owner.name` and `profile.name` (and `owner.variants` for other spellings) to your name as the "
            "papers write it"
        )
        problems.append(Problem("paperfolio.yaml", line, 0, message, severity="warning", hint=hint))
    for paper in papers:
        if paper.abstract.strip() == PLACEHOLDER:
            line = line_of(root / paper.source, PLACEHOLDER)
            message = "the abstract is still the one `python build.py new` wrote: write the paper's own"
            problems.append(Problem(paper.source, line, 0, message, severity="warning"))
        problems += _moved_in_warnings(paper, root)
        problems += _named_twice_warnings(paper, settings, root)
        if paper.date.year > this_year() + 1:  # 2204 or 2042 for 2024: first on every list, as the newest
            message = f"`date` {paper.date.iso} is years from now: a year mistyped?"
            hint = "a paper's date is when it first appeared (on arXiv, most often)"
            problems.append(Problem(paper.source, line_of(root / paper.source, "date:"), 0, message, "warning", hint))
        if not paper.links:  # at `links:` when it is there but empty, else at the front matter's first line
            line = line_of(root / paper.source, "links:") or 1
            problems.append(Problem(paper.source, line, 0, "paper has no links (arXiv, PDF, DOI…)", severity="warning"))
        if any(author.name.casefold() == "admin" for author in paper.authors):  # Hugo Blox's name for its owner
            line = line_of(root / paper.source, "admin")
            message = "author `admin` is Hugo Blox's name for the site's owner: write the owner's name"
            hint = f"paperfolio.yaml names the owner {settings.owner_name}" if settings.owner_name else None
            problems.append(Problem(paper.source, line, 0, message, severity="warning", hint=hint))
        if paper.image:
            problems += _picture_warnings(paper, root)
        elif paper.image_alt:
            line = line_of(root / paper.source, "image_alt:")
            message = "`image_alt` describes a picture, but `image:` names none"
            problems.append(Problem(paper.source, line, 0, message, severity="warning"))
        for code in paper.affiliations:
            if code not in settings.affiliation_names:
                problems.append(
                    Problem(
                        paper.source,
                        line_of(root / paper.source, code),
                        0,
                        f"affiliation `{code}` has no display name in paperfolio.yaml `affiliations:`",
                        severity="warning",
                    )
                )
    featured = [p for p in papers if p.featured]
    if len(featured) > settings.featured_max:
        problems.append(
            Problem(
                "paperfolio.yaml",
                line_of(root / "paperfolio.yaml", "featured_max"),
                0,
                f"{len(featured)} papers are featured; `featured_max` is {settings.featured_max}",
                severity="warning",
            )
        )
    return problems


def _named_twice_warnings(paper, settings, root: Path) -> list[Problem]:
    """Warn of a person named twice among a paper's authors, as written or once `author_aliases` or the owner's
    spellings make two names one: the page, the card, BibTeX and Scholar's tags would list them twice."""
    problems = []
    first: dict[str, str] = {}
    lines = _author_lines(root / paper.source)
    for index, author in enumerate(paper.authors):
        person = (settings.author_aliases or {}).get(author.name, author.name)
        person = settings.owner_name if person in settings.owner_names else person
        if person not in first:
            first[person] = author.name
            continue
        earlier = first[person]
        if earlier == author.name:
            message = f"`{author.name}` is named twice among the authors"
        else:
            message = f"`{author.name}` and `{earlier}` are one person, named twice among the authors"
        line = lines[index] if len(lines) == len(paper.authors) else line_of(root / paper.source, author.name)
        problems.append(Problem(paper.source, line, 0, message, severity="warning"))
    return problems


def _author_lines(path: Path) -> list[int]:
    """Return the line of each author a paper file names, `others` left out (as `Paper.authors` leaves it): the
    second naming of a person is not where the name first occurs, nor found as read (`Tito {Dal Canton}`)."""
    try:
        raw, _problems = parse(path.read_text("utf-8"), path.name)
    except (OSError, UnicodeDecodeError):
        return []
    authors = raw.fields.get("authors") if raw is not None else None
    if authors is None or not isinstance(authors.value, list):
        return []
    others = [isinstance(item.value, str) and item.value.strip().lower() == "others" for item in authors.value]
    return [item.line for item, et_al in zip(authors.value, others, strict=True) if not et_al]


PICTURE_BYTES = 500 * 1024  # a list page loads each picture whole, however small it shows it


def _picture_warnings(paper, root: Path) -> list[Problem]:
    """Warn of a paper's picture without a description, or so large that lists showing it load slowly."""
    problems = []
    line = line_of(root / paper.source, "image:")
    if not paper.image_alt:  # decoration to a screen reader, which a figure seldom is
        message = "picture has no `image_alt`: describe what it shows for those who cannot see it"
        problems.append(Problem(paper.source, line, 0, message, severity="warning"))
    try:
        size = (root / "assets" / paper.image).stat().st_size
    except OSError:
        return problems  # a missing picture is an error of the build's
    if size > PICTURE_BYTES:
        message = f"picture is {size / 1024 / 1024:.1f} MB: every list showing the paper loads it whole"
        hint = "save it smaller (a teaser under 500 KB: fewer pixels, JPEG or WebP for photographs)"
        problems.append(Problem(paper.source, line, 0, message, severity="warning", hint=hint))
    return problems


def name_key(name: str) -> str:
    """Return a name folded for comparison: no accents, case, spaces, dots or hyphens.

    Only the accents on Latin letters are dropped (`José` is `Jose`); letters of other scripts stay, with their
    marks (a Devanagari vowel sign is a letter's sound, not an accent). Folding the whole name to ASCII left
    nothing of `张伟`, `Иван Петров` or `राम`, so every such name had the same empty key and was called a
    misspelling of every other."""
    kept: list[str] = []
    for ch in unicodedata.normalize("NFKD", name).casefold():
        if unicodedata.category(ch).startswith("M"):
            if not kept or not kept[-1].isascii():
                kept.append(ch)
        elif ch.isalnum():
            kept.append(ch)
    return "".join(kept)


def spelling_warnings(papers, settings, *, root: Path | None = None) -> list[Problem]:
    """Warn about author names that differ from another only in spelling, accents or case (likely one person),
    and about names that look like another, or like the owner's, but are other characters (`visible.skeleton`):
    each gets a coauthor page of its own. They are never merged unsaid: a name is the author's to write."""
    aliases = settings.author_aliases or {}
    owners = {skeleton(owner): owner for owner in sorted(settings.owner_names)}
    spellings: dict[str, dict[str, list]] = {}
    problems = []
    for paper in papers:
        for author in paper.authors:
            name = aliases.get(author.name, author.name)
            if name in settings.owner_names:
                continue
            look = skeleton(name)
            if look in owners:  # an ASCII name is its own skeleton: only another's can be the owner's
                problems.append(_look_alike_warning(paper, name, owners[look], None, root))
                continue
            spellings.setdefault(name_key(look), {}).setdefault(name, []).append(paper)
    for names in spellings.values():
        if len(names) < 2:
            continue
        # The name to write is one of plain letters (not a Cyrillic `а` among Latin ones), then the most used.
        common = max(names, key=lambda n: (skeleton(n) == n, len(names[n]), n))
        for name, found in sorted(names.items()):
            if name == common:
                continue
            for paper in found:
                if skeleton(name) == skeleton(common):
                    problems.append(_look_alike_warning(paper, name, common, len(names[common]), root))
                    continue
                problems.append(
                    Problem(
                        paper.source,
                        line_of(root / paper.source, name),
                        0,
                        f"author `{name}` differs only in spelling from `{common}` ({_papers(len(names[common]))})",
                        severity="warning",
                        hint=f"write `{common}`, or map `{name}: {common}` under `author_aliases:` in paperfolio.yaml",
                    )
                )
    return problems


def _look_alike_warning(paper, name: str, other: str, count: int | None, root: Path) -> Problem:
    """Warn of an author's name that looks like another name, or the owner's (`count` None), but is other
    characters, naming them by code point (the terminal shows neither a lookalike nor an invisible one apart)."""
    found = look_alike_characters(name, other)
    hint = f"retype it as `{other}`: as written, it is another coauthor with a page of its own"
    if count is None:
        hint = f"retype it as `{other}`: as written, it is a coauthor with a page of its own, not you"
    if not found:  # the other name, the owner's as paperfolio.yaml writes it, holds the odd characters
        found = [f"`{other}` has {character}" for character in look_alike_characters(other, name)]
        hint = f"retype `{other}` in paperfolio.yaml" if count is None else hint
    whose = f"the owner's name `{other}`" if count is None else f"`{other}` ({_papers(count)})"
    message = f"author `{name}` looks like {whose} but is other characters: {'; '.join(found)}"
    return Problem(paper.source, line_of(root / paper.source, name), 0, message, severity="warning", hint=hint)


def _papers(count: int) -> str:
    return f"{count} paper" if count == 1 else f"{count} papers"
