"""`check` warns about author names spelled two ways and about links to pages of this site that do not exist."""

from __future__ import annotations

from pathlib import Path

from paperfolio.checks import check_project, name_key
from paperfolio.pipeline import Project
from tests.test_incremental import make_project


def write_paper(project: Project, name: str, authors: str, body: str) -> None:
    text = f"---\ntitle: Paper {name}\nauthors: [{authors}]\ndate: 2024-01-02\ncategories: [cs.LG]\n"
    text += "links:\n  arxiv: '2401.00001'\n---\n" + body + "\n"
    (project.papers / f"{name}.md").write_text(text, "utf-8")


def test_name_key_ignores_accents_case_and_punctuation() -> None:
    assert name_key("José García-López") == name_key("jose garcia lopez")
    assert name_key("J. Smith") != name_key("John Smith")


def test_near_duplicate_author_names_are_warned_with_a_hint(tmp_path: Path) -> None:
    project = make_project(tmp_path, ["aligner.md"])
    write_paper(project, "one", "Juntao Dai, José García", "First.")
    write_paper(project, "two", "Juntao Dai, José García", "Second.")
    write_paper(project, "three", "Juntao Dai, Jose Garcia", "Third.")
    problems = [p for p in check_project(project) if "differs only in spelling" in p.message]
    assert [p.format().splitlines()[0] for p in problems] == [
        "content/papers/three.md:3: warning: author `Jose Garcia` differs only in spelling from `José García` "
        "(2 papers)"
    ]
    assert "author_aliases" in problems[0].hint


def test_dead_internal_links_are_warned_and_live_ones_are_not(tmp_path: Path) -> None:
    project = make_project(tmp_path, ["aligner.md"])
    body = "See [the aligner](/papers/aligner/), [nothing](/papers/no-such-paper/) and [out](https://example.org/x)."
    write_paper(project, "linker", "Juntao Dai", body)
    problems = [p for p in check_project(project) if "points to no page" in p.message]
    assert [p.format().splitlines()[0] for p in problems] == [
        "content/papers/linker.md:9: warning: `/papers/no-such-paper/` points to no page or file of this site"
    ]


def test_rendering_warnings_name_the_line_of_what_they_quote(tmp_path: Path) -> None:
    project = make_project(tmp_path, ["aligner.md"])
    write_paper(
        project, "macros", "Juntao Dai", "First line.\n\nA \\Foo macro and ![a chart](https://img.example.org/c.png)."
    )
    found = [p.format().splitlines()[0] for p in check_project(project) if p.path == "content/papers/macros.md"]
    assert sorted(found) == [
        "content/papers/macros.md:11: warning: image `https://img.example.org/c.png` dropped, its alt text kept: "
        "pages load nothing from other hosts (use assets/)",
        "content/papers/macros.md:11: warning: unknown LaTeX macro `\\Foo` kept as text",
    ]
    hints = [p.hint for p in check_project(project) if p.path == "content/papers/macros.md"]
    assert sorted(hints, key=str) == [
        None,
        "if it is the authors' own, define it once in paperfolio.yaml: `latex_macros: {Foo: Foo}`",
    ]


def test_removed_html_is_warned_at_the_line_of_the_first_tag(tmp_path: Path) -> None:
    project = make_project(tmp_path, ["aligner.md"])
    body = "First line.\n\nSecond paragraph.\n\nA demo: <video src=/assets/d.mp4>\n"
    body += "more <img src=/assets/x.png onload=go()>"
    write_paper(project, "media", "Juntao Dai", body)
    found = [p.format().splitlines()[0] for p in check_project(project) if p.path == "content/papers/media.md"]
    assert (
        "content/papers/media.md:13: warning: HTML `<video` removed: the text keeps only simple formatting "
        "(docs/front-matter.md)" in found
    )
    assert "content/papers/media.md:14: warning: HTML attribute `onload` removed: the pages run no script" in found


def test_files_with_another_markdown_suffix_are_warned_of_not_read(tmp_path: Path) -> None:
    """Only `.md` files are papers; `A.MD` or `a.markdown` would otherwise vanish from the site unsaid."""
    project = make_project(tmp_path, ["aligner.md"])
    (project.papers / "sub").mkdir()
    (project.papers / "folder.markdown").mkdir()
    for name in ("Extra.MD", "notes.markdown", "sub/old.Mdown", ".hidden.MD", "readme.txt", "folder.markdown/a.txt"):
        (project.papers / name).write_text("---\ntitle: x\n---\n", "utf-8")
    lines = [p.format().splitlines() for p in check_project(project) if "not read" in p.message]
    assert lines == [
        [
            "content/papers/Extra.MD: warning: not read: a paper's file name ends in `.md`",
            "    hint: rename it to Extra.md",
        ],
        [
            "content/papers/notes.markdown: warning: not read: a paper's file name ends in `.md`",
            "    hint: rename it to notes.md",
        ],
        [
            "content/papers/sub/old.Mdown: warning: not read: a paper's file name ends in `.md`",
            "    hint: rename it to old.md",
        ],
    ]


def test_a_link_to_a_missing_file_of_the_site_is_warned_at_its_line(tmp_path: Path) -> None:
    project = make_project(tmp_path, ["aligner.md"])
    (project.root / "assets" / "papers").mkdir()
    (project.root / "assets" / "papers" / "here.pdf").write_bytes(b"%PDF-1.4\n")
    text = "---\ntitle: Files\nauthors: [Juntao Dai]\ndate: 2024-01-02\ncategories: [cs.LG]\nlinks:\n"
    text += "  pdf: /assets/papers/here.pdf\n  slides: assets/papers/gone.pdf\n  poster: /assets/my poster.pdf\n"
    text += "  video: /talk.mp4\n  blog: /gone.html\n  data: /papers/aligner/#bibtex\n  project: /papers/none/\n"
    text += "---\nAbstract.\n"
    (project.papers / "files.md").write_text(text, "utf-8")
    (project.root / "static").mkdir()
    (project.root / "static" / "talk.mp4").write_bytes(b"video")
    found = [p.format().splitlines()[0] for p in check_project(project) if p.path == "content/papers/files.md"]
    missing = "points to no page or file of this site"
    assert found == [
        f"content/papers/files.md:8: warning: `assets/papers/gone.pdf` {missing}",
        f"content/papers/files.md:9: warning: `assets/my%20poster.pdf` {missing}",
        f"content/papers/files.md:11: warning: `gone.html` {missing}",
        f"content/papers/files.md:13: warning: `papers/none/` {missing}",
    ]


def test_hugo_blox_admin_author_is_warned_of(tmp_path: Path) -> None:
    """A paper moved from Hugo Blox lists its owner as `admin`, which the site would show as a coauthor."""
    project = make_project(tmp_path, ["aligner.md"])
    write_paper(project, "blox", "admin, Robert Ford", "Abstract.")
    found = [p.format() for p in check_project(project) if p.path == "content/papers/blox.md"]
    assert found == [
        "content/papers/blox.md:3: warning: author `admin` is Hugo Blox's name for the site's owner: write the"
        " owner's name\n    hint: paperfolio.yaml names the owner Juntao Dai"
    ]


def test_a_paper_without_links_is_warned_of_at_a_line(tmp_path: Path) -> None:
    project = make_project(tmp_path, ["aligner.md"])
    head = "---\ntitle: T\nauthors: [Juntao Dai]\ndate: 2024-01-02\ncategories: [cs.LG]\n"
    (project.papers / "bare.md").write_text(head + "---\nAbstract.\n", "utf-8")
    (project.papers / "nulls.md").write_text(head + "links:\n  arxiv: null\n---\nAbstract.\n", "utf-8")
    mine = ("content/papers/bare.md", "content/papers/nulls.md")
    found = sorted(p.format() for p in check_project(project) if p.path in mine)
    assert found == [
        "content/papers/bare.md:1: warning: paper has no links (arXiv, PDF, DOI…)",
        "content/papers/nulls.md:6: warning: paper has no links (arXiv, PDF, DOI…)",
    ]


def test_more_featured_papers_than_featured_max_is_warned_at_the_setting(tmp_path: Path) -> None:
    project = make_project(tmp_path, ["aligner.md", "beavertails.md"])
    settings = project.root / "paperfolio.yaml"
    text = settings.read_text(encoding="utf-8")
    line = text[: text.index("featured_max:")].count("\n") + 1
    settings.write_text(text.replace("featured_max: 6", "featured_max: 1"), encoding="utf-8")
    found = [p.format() for p in check_project(project) if p.path == "paperfolio.yaml"]
    assert found == [f"paperfolio.yaml:{line}: warning: 2 papers are featured; `featured_max` is 1"]


def test_the_bio_and_footer_are_warned_of_as_a_papers_text_is(tmp_path: Path) -> None:
    """The profile's bio and the footer go through the same renderer as an abstract; what it removes or
    cannot find is warned of at the settings line that holds it (it was dropped without a word)."""
    project = make_project(tmp_path, ["aligner.md"])
    settings = project.root / "paperfolio.yaml"
    text = settings.read_text(encoding="utf-8")
    bio = "  bio: 'See [my CV](/assets/cv.pdf) and [Aligner](papers/aligner/) <video src=v.mp4></video>'\n"
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("bio:", "footer:")))
    # A comment above quoting the same macro is not where the warning points.
    text = text.replace("profile:\n", "profile:\n" + bio) + "\n# a note on \\Foo\nfooter: 'Made with \\Foo'\n"
    settings.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    bio_line = lines.index(bio.rstrip("\n")) + 1
    footer_line = len(lines)
    found = sorted(p.format() for p in check_project(project) if p.path == "paperfolio.yaml")
    assert found == sorted(
        [
            f"paperfolio.yaml:{bio_line}: warning: `bio`: `/assets/cv.pdf` points to no page or file of this site",
            f"paperfolio.yaml:{bio_line}: warning: `bio`: HTML `<video` removed: the text keeps only simple "
            "formatting (docs/front-matter.md)",
            f"paperfolio.yaml:{footer_line}: warning: `footer`: unknown LaTeX macro `\\Foo` kept as text",
        ]
    )


def test_a_bio_link_to_a_site_file_is_under_the_base_path(tmp_path: Path) -> None:
    """A root-relative address in the bio is a site path, as in a paper's text: under a project page's base
    path it must carry it (it linked https://user.github.io/assets/… instead of …/portfolio/assets/…)."""
    from paperfolio.pipeline import build

    project = make_project(tmp_path / "p", ["aligner.md"])
    (project.root / "assets" / "cv.pdf").write_bytes(b"%PDF-1.4\n")
    settings = project.root / "paperfolio.yaml"
    text = "\n".join(line for line in settings.read_text("utf-8").splitlines() if not line.lstrip().startswith("bio:"))
    settings.write_text(text.replace("profile:\n", "profile:\n  bio: '[CV](/assets/cv.pdf)'\n"), "utf-8")
    build(project, tmp_path / "site", base_url="/portfolio/", env={}, use_cache=False)
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert '<a href="/portfolio/assets/cv.pdf">CV</a>' in home
    assert not [p for p in check_project(project) if p.path == "paperfolio.yaml"]


def test_a_photo_named_with_hash_and_question_mark_is_linked_by_its_whole_name(tmp_path: Path) -> None:
    """`#` and `?` in an asset's name are characters of the name: the photo was asked for as `me ` with a
    fragment, so the browser showed a broken image."""
    from urllib.parse import unquote, urlsplit

    from htmlparse import Page

    from paperfolio.pipeline import build

    project = make_project(tmp_path / "p", ["aligner.md"])
    (project.root / "assets" / "me #1?.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    settings = project.root / "paperfolio.yaml"
    settings.write_text(settings.read_text("utf-8").replace("photo: null", "photo: 'me #1?.png'"), "utf-8")
    build(project, tmp_path / "site", base_url="/portfolio/", env={}, use_cache=False)
    (img,) = [e for e in Page.read(tmp_path / "site" / "index.html").find_all("img") if "avatar" in e.attrs["class"]]
    path = unquote(urlsplit(img.attrs["src"]).path)
    assert path == "/portfolio/assets/me #1?.png"
    assert (tmp_path / "site" / path.removeprefix("/portfolio/")).is_file()


def test_a_picture_without_a_description_is_warned_of(tmp_path: Path) -> None:
    project = make_project(tmp_path, ["aligner.md", "beavertails.md"])
    for name, extra in (
        ("aligner.md", "image: /assets/favicon.svg\n"),
        ("beavertails.md", "image: favicon.svg\nimage_alt: A logo\n"),
    ):
        path = project.papers / name
        path.write_text(path.read_text("utf-8").replace("---\n", "---\n" + extra, 1), "utf-8")
    found = [p.format() for p in check_project(project) if "picture" in p.message]
    assert found == [
        "content/papers/aligner.md:2: warning: picture has no `image_alt`: describe what it shows for those who "
        "cannot see it"
    ]
    path = project.papers / "beavertails.md"
    path.write_text(path.read_text("utf-8").replace("image: favicon.svg\n", ""), "utf-8")
    found = [p.format() for p in check_project(project) if "names none" in p.message]
    assert found == [
        "content/papers/beavertails.md:2: warning: `image_alt` describes a picture, but `image:` names none"
    ]
    path.write_text(path.read_text("utf-8").replace("---\n", "---\nimage: favicon.svg\n", 1), "utf-8")
    (project.assets / "favicon.svg").write_bytes(b"<svg/>" + b" " * (3 * 1024 * 1024))
    found = [p.format() for p in check_project(project) if "MB" in p.message]
    assert found == [
        f"content/papers/{name}:2: warning: picture is 3.0 MB: every list showing the paper loads it whole\n"
        "    hint: save it smaller (a teaser under 500 KB: fewer pixels, JPEG or WebP for photographs)"
        for name in ("aligner.md", "beavertails.md")
    ]


def test_files_among_the_papers_that_are_no_paper_are_warned_of(tmp_path: Path) -> None:
    """A Hugo page bundle's `featured.png` and PDF beside its `index.md` were dropped without a word."""
    project = make_project(tmp_path, ["aligner.md"])
    bundle = project.papers / "my-paper"
    bundle.mkdir()
    write_paper(project, "my-paper/index", "Juntao Dai", "Text.")
    (bundle / "featured.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (bundle / "paper.pdf").write_bytes(b"%PDF-1.4\n")
    (project.papers / ".DS_Store").write_bytes(b"\0")  # hidden: nobody's to move
    (project.papers / "Notes.markdown").write_text("notes", "utf-8")  # warned of by the build as not read
    found = [p.format() for p in check_project(project) if "not part of the site" in p.message]
    assert found == [
        "content/papers/my-paper/featured.png: warning: not part of the site: only the .md paper files here are "
        "read\n    hint: to show it as the paper's picture, move it to assets/papers/my-paper/featured.png and "
        "write `image: /assets/papers/my-paper/featured.png`",
        "content/papers/my-paper/paper.pdf: warning: not part of the site: only the .md paper files here are read\n"
        "    hint: a file the site links belongs under assets/: move it to assets/papers/my-paper/paper.pdf and link "
        "`/assets/papers/my-paper/paper.pdf`",
    ]


def test_an_owner_on_none_of_the_papers_is_warned_of(tmp_path: Path) -> None:
    """A fork whose paperfolio.yaml still names the researcher it came with highlighted no author as the
    owner, without a word."""
    project = make_project(tmp_path, ["aligner.md"])
    settings = "title: Ada Lovelace's papers\nowner:\n  name: Ada Lovelace\nprofile:\n  name: Ada Lovelace\n"
    (project.root / "paperfolio.yaml").write_text(settings, "utf-8")
    found = [p.format() for p in check_project(project) if p.path == "paperfolio.yaml"]
    assert found == [
        "paperfolio.yaml:3: warning: the owner, Ada Lovelace, is an author of none of the 1 papers\n"
        "    hint: set `owner.name` and `profile.name` (and `owner.variants` for other spellings) to your name as "
        "the papers write it"
    ]
    (project.root / "paperfolio.yaml").write_text("title: T\nprofile:\n  name: Juntao Dai\n", "utf-8")
    assert [p for p in check_project(project) if p.path == "paperfolio.yaml"] == []


def test_what_a_moved_in_paper_still_holds_its_own_way_is_warned_of(tmp_path: Path) -> None:
    """A Hugo Blox or academicpages file, its fields renamed as `check` says, still showed `In *NeurIPS*`
    as the venue, a co-first `Jonas*` as a person of its own, a shortcode and a citation line as text."""
    project = make_project(tmp_path, ["aligner.md"])
    text = (
        "---\ntitle: Moved\nauthors: ['Jonas* Müller', Juntao Dai]\ndate: 2024-01-02\ncategories: [cs.LG]\n"
        "venue: In *Advances in Neural Information Processing Systems*\nlinks:\n  arxiv: '2401.00001'\n---\n"
        "Abstract.\n\n{{% callout note %}}\nNew!\n{{% /callout %}}\n\nRecommended citation: Müller, J. (2024).\n"
    )
    (project.papers / "moved.md").write_text(text, "utf-8")
    found = [p.format() for p in check_project(project) if p.path == "content/papers/moved.md"]
    assert found == [
        "content/papers/moved.md:3: warning: author `Jonas* Müller` carries a mark in the name, which splits the "
        "person in two\n    hint: write `- {name: Jonas Müller, equal_contribution: true}` (or `corresponding: true`)",
        "content/papers/moved.md:6: warning: `venue` holds markup, shown as written: "
        "'In *Advances in Neural Information Processing Systems*'\n"
        "    hint: write the venue's name alone, such as `venue: NeurIPS 2024`",
        "content/papers/moved.md:12: warning: the text holds a Hugo shortcode (`{{% … %}}`), shown as written: "
        "write its text in Markdown",
        "content/papers/moved.md:16: warning: the text holds academicpages' citation line: the paper's page has "
        "its own Cite block; delete it",
    ]


def test_a_moved_in_file_without_authors_is_told_where_academicpages_kept_them(tmp_path: Path) -> None:
    project = make_project(tmp_path, ["aligner.md"])
    text = "---\ntitle: T\ndate: 2024\ncategories: [cs.LG]\ncitation: 'Ada, L. (2024). T.'\n---\nA.\n"
    (project.papers / "ap.md").write_text(text, "utf-8")
    found = [p.format() for p in check_project(project) if p.path == "content/papers/ap.md"]
    hint = "academicpages keeps them in `citation:`: copy them into `authors:`"
    assert f"content/papers/ap.md:1:1: error: missing required field `authors`\n    hint: {hint}" in found


def test_a_kept_key_that_takes_the_key_made_for_another_paper_is_warned_of(tmp_path: Path) -> None:
    """A newer paper given `key: ji2023aligner` turned an older paper's made key into `ji2023alignera` without
    a word, so every \\cite of the older one found the newer."""
    project = make_project(tmp_path, ["aligner.md"])
    old = "---\ntitle: Aligner\nauthors: [Jiaming Ji]\ndate: 2023-01-01\ncategories: [cs.LG]\n"
    (project.papers / "old.md").write_text(old + "links: {arxiv: '2301.00001'}\n---\nA.\n", "utf-8")
    new = "---\ntitle: 'The monkey: B'\nauthors: [Ada Lovelace]\ndate: 2024\ncategories: [cs.LG]\n"
    (project.papers / "new.md").write_text(new + "links: {arxiv: '2401.00001'}\nkey: Ji2023Aligner\n---\nB.\n", "utf-8")
    found = [p.format() for p in check_project(project) if p.path == "content/papers/new.md"]
    assert found == [
        "content/papers/new.md:7: warning: key `Ji2023Aligner` is the key made for content/papers/old.md, which "
        "becomes `ji2023alignera`: a \\cite of the old key now finds this paper\n"
        "    hint: give this paper another key, or leave `key:` out to have one made for it"
    ]


def test_bibliographic_details_that_are_no_text_are_warned_of(tmp_path: Path) -> None:
    """`extra: {series: [LNCS, vol 2]}` was left out of papers.bib, RIS and CSL-JSON without a word."""
    project = make_project(tmp_path, ["aligner.md"])
    text = "---\ntitle: T\nauthors: [Juntao Dai]\ndate: 2024\ncategories: [cs.LG]\nlinks: {arxiv: '2401.00001'}\n"
    (project.papers / "x.md").write_text(text + "extra:\n  series: [LNCS, vol 2]\n  volume: 3\n---\nA.\n", "utf-8")
    found = [p.format() for p in check_project(project) if p.path == "content/papers/x.md"]
    assert found == [
        "content/papers/x.md:8: warning: `extra.series` is not text or a number, so the citations leave it out"
    ]


def test_a_person_named_twice_among_a_papers_authors_is_warned(tmp_path: Path) -> None:
    """`[Ann Lee, Bo Chen, Ann Lee]`, or two spellings `author_aliases` makes one person, listed the person twice on
    the paper's page and its card, and twice in its BibTeX and in the `citation_author` tags Scholar reads."""
    project = make_project(tmp_path, ["aligner.md"])
    settings = project.root / "paperfolio.yaml"
    settings.write_text(settings.read_text("utf-8") + "author_aliases:\n  'Lee, Ann': Ann Lee\n", "utf-8")
    write_paper(project, "twice", "Ann Lee, Bo Chen, Ann Lee", "Abstract.")
    write_paper(project, "aliased", "Ann Lee, Bo Chen, 'Lee, Ann'", "Abstract.")
    write_paper(project, "owner", "Juntao Dai, Josef Dai", "Abstract.")  # two of the owner's spellings
    write_paper(project, "once", "Ann Lee, Bo Chen", "Abstract.")
    problems = [p.format().splitlines()[0] for p in check_project(project) if "named twice" in p.message]
    assert problems == [
        "content/papers/aliased.md:3: warning: `Lee, Ann` and `Ann Lee` are one person, named twice among the authors",
        "content/papers/owner.md:3: warning: `Josef Dai` and `Juntao Dai` are one person, named twice among the "
        "authors",
        "content/papers/twice.md:3: warning: `Ann Lee` is named twice among the authors",
    ]


def test_a_person_named_twice_is_warned_of_at_the_second_naming(tmp_path: Path) -> None:
    """The warning looked for the name's first occurrence in the file: `Ann Lee` named on lines 4 and 6 was
    warned of at line 4, the naming to keep, and `Tito {Dal Canton}` (read as Tito Dal Canton, which the file
    never holds) at no line at all. Each is the line of the second naming."""
    project = make_project(tmp_path, ["aligner.md"])
    text = (
        "---\ntitle: T\nauthors:\n- Ann Lee\n- Tito {Dal Canton}\n- Ann Lee\n- name: Tito {Dal Canton}\n- others\n"
        "date: 2024\ncategories: [cs.LG]\nlinks: {arxiv: '2401.00001'}\n---\nA.\n"
    )
    (project.papers / "x.md").write_text(text, "utf-8")
    problems = [p.format() for p in check_project(project) if "named twice" in p.message]
    assert problems == [
        "content/papers/x.md:6: warning: `Ann Lee` is named twice among the authors",
        "content/papers/x.md:7: warning: `Tito Dal Canton` is named twice among the authors",
    ]


def test_a_copy_of_a_paper_file_is_warned_of_once_at_the_later_file(tmp_path: Path) -> None:
    """`aligner copy.md` (Finder's copy) or `aligner (1).md` listed the paper twice, under two addresses and two
    citation keys, without a word."""
    project = make_project(tmp_path, ["aligner.md"])
    text = (project.papers / "aligner.md").read_text("utf-8")
    (project.papers / "zz copy.md").write_text(text, "utf-8")
    other = text.replace("2402.02416", "2402.09999").replace("Aligner:", "Aligner revisited:")
    (project.papers / "other.md").write_text(other, "utf-8")
    lines = [p.format().splitlines() for p in check_project(project) if "lists the paper twice" in p.message]
    assert lines == [
        [
            "content/papers/zz copy.md:18: warning: shares its arXiv ID with content/papers/aligner.md: the site lists"
            " the paper twice",
            "    hint: delete the copy, or keep the two versions of the paper in one file",
        ]
    ]


def test_a_date_years_from_now_is_warned_of(tmp_path: Path, monkeypatch) -> None:
    """`date: 2204-02-04` for 2024 put the paper first on every list, as the newest, without a word."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765152000")  # 2025-12-08
    project = make_project(tmp_path, ["aligner.md"])
    paper = project.papers / "aligner.md"
    paper.write_text(paper.read_text("utf-8").replace("date: 2024-02-04", "date: 2204-02-04"), "utf-8")
    (project.papers / "next.md").write_text(
        "---\ntitle: Next\nauthors: [Juntao Dai]\ndate: 2026-09\ncategories: [cs.LG]\n---\nSoon.\n", "utf-8"
    )
    lines = [p.format().splitlines() for p in check_project(project) if "years from now" in p.message]
    assert lines == [
        [
            "content/papers/aligner.md:13: warning: `date` 2204-02-04 is years from now: a year mistyped?",
            "    hint: a paper's date is when it first appeared (on arXiv, most often)",
        ]
    ]


def test_a_name_copied_with_its_affiliation_number_or_address_is_warned_of(tmp_path: Path) -> None:
    """`Boyuan Chen1` or `Boyuan Chen (chen@pku.edu.cn)`, as a paper's first page has them, made a coauthor of
    its own, unsaid; so did a venue written as a Markdown link or an award in bold, shown with the marks."""
    project = make_project(tmp_path, ["aligner.md"])
    text = (
        "---\ntitle: Copied\nauthors: [Juntao Dai, Boyuan Chen1, 'Ada Lovelace 2,3', 'Ji Wang (ji@pku.edu.cn)',"
        " John Smith III]\ndate: 2024-01-02\ncategories: [cs.LG]\nvenue: '[NeurIPS 2024](https://neurips.cc)'\n"
        "award: '**Best Paper**'\nlinks:\n  arxiv: '2401.00001'\n---\nAbstract.\n"
    )
    (project.papers / "copied.md").write_text(text, "utf-8")
    found = [p.format() for p in check_project(project) if p.path == "content/papers/copied.md"]  # sorted
    hint = "    hint: write the name alone, `{}`; affiliations go in `affiliations:`"
    assert found == [
        "content/papers/copied.md:3: warning: author `Ada Lovelace 2,3` carries an affiliation number or an"
        " address in the name\n" + hint.format("Ada Lovelace"),
        "content/papers/copied.md:3: warning: author `Boyuan Chen1` carries an affiliation number or an address in"
        " the name\n" + hint.format("Boyuan Chen"),
        "content/papers/copied.md:3: warning: author `Ji Wang (ji@pku.edu.cn)` carries an affiliation number or an"
        " address in the name\n" + hint.format("Ji Wang"),
        "content/papers/copied.md:6: warning: `venue` holds markup, shown as written: "
        "'[NeurIPS 2024](https://neurips.cc)'\n    hint: write the venue's name alone, such as `venue: NeurIPS 2024`",
        "content/papers/copied.md:7: warning: `award` holds markup, shown as written: '**Best Paper**'\n"
        "    hint: write the award alone, such as `award: Best Paper Award`",
    ]


def test_a_paper_saved_with_txt_and_an_editors_backup_get_their_own_hint(tmp_path: Path) -> None:
    """`aligner.md.txt` (TextEdit's suffix) and `aligner.md~` (an editor's backup) were told to move to
    assets/papers/ and be linked from the site."""
    project = make_project(tmp_path, ["aligner.md"])
    text = (project.papers / "aligner.md").read_text("utf-8")
    (project.papers / "new.md.txt").write_text(text, "utf-8")
    (project.papers / "aligner.md~").write_text(text, "utf-8")
    found = [p.format().splitlines() for p in check_project(project) if "not part of the site" in p.message]
    assert found == [
        [
            "content/papers/aligner.md~: warning: not part of the site: an editor's backup or temporary file",
            "    hint: delete it, or have the editor keep backups elsewhere",
        ],
        [
            "content/papers/new.md.txt: warning: not part of the site: only the .md paper files here are read",
            "    hint: if it is a paper, rename it to new.md (an editor added .txt)",
        ],
    ]


def test_a_name_written_last_name_first_is_warned_of(tmp_path: Path) -> None:
    """`Chen, Boyuan`, as a reference list writes it, was shown so and made a coauthor apart from `Boyuan Chen`."""
    project = make_project(tmp_path, ["aligner.md"])
    write_paper(project, "one", "Juntao Dai, 'Chen, Boyuan', 'Martin Luther King, Jr.'", "First.")
    found = [p.format().splitlines() for p in check_project(project) if "last name first" in p.message]
    assert found == [
        [
            "content/papers/one.md:3: warning: author `Chen, Boyuan` is written last name first; pages show a name"
            " as it is written",
            "    hint: write `Boyuan Chen`, first name first, as the other names are",
        ]
    ]


def test_a_name_that_looks_like_the_owners_but_is_other_characters_is_warned_of(tmp_path: Path) -> None:
    """`Juntao Dаi` with a Cyrillic `а`, or with an invisible character inside, reads as the owner's name but
    made a coauthor page of its own, without a word: the warning names the characters by code point."""
    project = make_project(tmp_path, ["aligner.md"])
    write_paper(project, "cyrillic", "Juntao D\u0430i, Ada Lovelace", "First.")
    write_paper(project, "fullwidth", "\uff2auntao Dai, Ada Lovelace", "Second.")
    write_paper(project, "hidden", "Jun\u200btao Dai, Ada Lovelace", "Third.")
    found = [p.format() for p in check_project(project) if "looks like" in p.message]
    assert found == [
        "content/papers/cyrillic.md:3: warning: author `Juntao D\u0430i` looks like the owner's name `Juntao Dai` "
        "but is other characters: U+0430 CYRILLIC SMALL LETTER A, which reads as 'a'\n"
        "    hint: retype it as `Juntao Dai`: as written, it is a coauthor with a page of its own, not you",
        "content/papers/fullwidth.md:3: warning: author `\uff2auntao Dai` looks like the owner's name `Juntao Dai` "
        "but is other characters: U+FF2A FULLWIDTH LATIN CAPITAL LETTER J, which reads as 'J'\n"
        "    hint: retype it as `Juntao Dai`: as written, it is a coauthor with a page of its own, not you",
        "content/papers/hidden.md:3: warning: author `Jun\u200btao Dai` looks like the owner's name `Juntao Dai` "
        "but is other characters: U+200B ZERO WIDTH SPACE, which shows nothing\n"
        "    hint: retype it as `Juntao Dai`: as written, it is a coauthor with a page of its own, not you",
    ]
    # Each is warned of as the owner's lookalike only, not also as a spelling of another lookalike.
    assert [p for p in check_project(project) if "differs only in spelling" in p.message] == []


def test_a_coauthors_name_of_lookalike_characters_is_warned_of(tmp_path: Path) -> None:
    """`Аda Lovelace` with a Cyrillic `А` is another coauthor page than `Ada Lovelace`'s; the warning asks for
    the name of plain letters even where the lookalike is the more used."""
    project = make_project(tmp_path, ["aligner.md"])
    write_paper(project, "one", "Juntao Dai, \u0410da Lovelace", "First.")
    write_paper(project, "two", "Juntao Dai, \u0410da Lovelace", "Second.")
    write_paper(project, "three", "Juntao Dai, Ada Lovelace", "Third.")
    found = [p.format() for p in check_project(project) if "Lovelace" in p.message]
    assert found == [
        "content/papers/one.md:3: warning: author `\u0410da Lovelace` looks like `Ada Lovelace` (1 paper) but is "
        "other characters: U+0410 CYRILLIC CAPITAL LETTER A, which reads as 'A'\n"
        "    hint: retype it as `Ada Lovelace`: as written, it is another coauthor with a page of its own",
        "content/papers/two.md:3: warning: author `\u0410da Lovelace` looks like `Ada Lovelace` (1 paper) but is "
        "other characters: U+0410 CYRILLIC CAPITAL LETTER A, which reads as 'A'\n"
        "    hint: retype it as `Ada Lovelace`: as written, it is another coauthor with a page of its own",
    ]


def test_names_in_other_scripts_are_not_spellings_of_each_other(tmp_path: Path) -> None:
    """Folding a name to ASCII left nothing of `张伟` or `Иван Петров`: every name written in Chinese, Arabic,
    Cyrillic, Devanagari… had the same empty key, and `check` called each a misspelling of another."""
    project = make_project(tmp_path, ["aligner.md"])
    write_paper(project, "one", "Juntao Dai, 张伟, Иван Петров, محمد علي, राम", "First.")
    write_paper(project, "two", "Juntao Dai, 李娜, Олег Смирнов, أحمد حسن, रमा", "Second.")
    write_paper(project, "three", "Juntao Dai, 王芳, Анна Иванова, Алла Иванова", "Third.")
    assert [p.format() for p in check_project(project) if "spelling" in p.message] == []
    assert name_key("张伟") != name_key("李娜") and name_key("राम") != name_key("रमा")


def test_names_in_other_scripts_that_differ_only_in_case_or_spacing_are_warned_of(tmp_path: Path) -> None:
    project = make_project(tmp_path, ["aligner.md"])
    write_paper(project, "one", "Juntao Dai, Иван Петров", "First.")
    write_paper(project, "two", "Juntao Dai, Иван Петров", "Second.")
    write_paper(project, "three", "Juntao Dai, иван петров", "Third.")
    problems = [p for p in check_project(project) if "differs only in spelling" in p.message]
    assert [p.format().splitlines()[0] for p in problems] == [
        "content/papers/three.md:3: warning: author `иван петров` differs only in spelling from `Иван Петров` "
        "(2 papers)"
    ]
