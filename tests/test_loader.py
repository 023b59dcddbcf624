"""Splitting front matter and locating YAML values: string in, value out."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperfolio.loader import parse, read_paper_file, slugify


def messages(problems):
    return [p.format() for p in problems]


def test_parse_locates_each_field_in_the_whole_file():
    raw, problems = parse("---\ntitle: T\nauthors:\n  - A\ndate: 2024-01-02\n---\nBody\n", "p.md", "p")
    assert problems == []
    assert raw.fields["title"].value == "T"
    assert (raw.fields["title"].line, raw.fields["title"].col) == (2, 8)
    assert raw.fields["authors"].value[0].line == 4
    assert raw.fields["date"].value == "2024-01-02"  # timestamps stay text: the schema checks dates
    assert raw.body == "Body"


def test_byte_order_mark_is_accepted():
    raw, problems = parse("\ufeff---\ntitle: T\n---\nx", "p.md")
    assert problems == [] and raw.fields["title"].value == "T"


def test_missing_opening_line():
    _, problems = parse("title: T\n---\n", "content/papers/p.md")
    assert messages(problems) == [
        "content/papers/p.md:1:1: error: file must start with a `---` line opening the YAML front matter"
    ]


def test_empty_file():
    _, problems = parse("", "p.md")
    assert messages(problems) == [
        "p.md:1:1: error: file is empty; a paper must start with a `---` line opening the YAML front matter"
    ]


def test_unclosed_front_matter():
    _, problems = parse("---\ntitle: T\nauthors: [A]\n", "p.md")
    assert messages(problems) == ["p.md:1:1: error: front matter opened with `---` is never closed by a `---` line"]


def test_malformed_yaml_points_at_the_file_line():
    _, problems = parse("---\ntitle: T\nauthors: [A, B\ndate: 2024\n---\n", "p.md")
    assert len(problems) == 1
    assert problems[0].format() == (
        "p.md:3:10: error: invalid YAML: the flow sequence that starts here is not closed "
        "(did not find expected ',' or ']')"
    )


def test_duplicate_key_is_an_error_not_last_wins():
    _, problems = parse("---\ntitle: A\ntitle: B\n---\n", "p.md")
    assert messages(problems) == ["p.md:3:1: error: duplicate key `title`"]


def test_front_matter_must_be_a_mapping():
    _, problems = parse("---\n- a\n- b\n---\n", "p.md")
    assert messages(problems) == ["p.md:2:1: error: front matter must be a mapping of `key: value` lines"]


def test_empty_front_matter():
    _, problems = parse("---\n---\nbody", "p.md")
    assert "front matter is empty" in problems[0].message


def test_python_tags_are_refused():
    _, problems = parse("---\ntitle: !!python/object:os.system x\n---\n", "p.md")
    assert problems and "unsupported YAML tag" in problems[0].message


@pytest.mark.parametrize(
    ("yaml", "where", "tag"),
    [
        (
            'authors: !!python/object/apply:os.system ["touch pwned"]',
            "2:10",
            "tag:yaml.org,2002:python/object/apply:os.system",
        ),
        ("authors: !!set {Ada Lovelace: null}", "2:10", "tag:yaml.org,2002:set"),
        ("authors: !!omap [Ada: 1]", "2:10", "tag:yaml.org,2002:omap"),
        ("links: !custom {arxiv: '2401.00001'}", "2:8", "!custom"),
    ],
)
def test_tags_on_lists_and_mappings_are_refused(yaml, where, tag):
    """A tag on a collection was dropped unsaid and the list or mapping read as a plain one."""
    _, problems = parse(f"---\n{yaml}\n---\n", "p.md")
    assert messages(problems) == [f"p.md:{where}: error: unsupported YAML tag `{tag}`"]


def test_the_core_collection_tags_are_read():
    raw, problems = parse("---\nauthors: !!seq [Ada Lovelace]\nlinks: !!map {arxiv: '2401.00001'}\n---\n", "p.md")
    assert problems == []
    assert [a.value for a in raw.fields["authors"].value] == ["Ada Lovelace"]
    assert raw.fields["links"].value["arxiv"].value == "2401.00001"


def test_merge_keys_are_refused_in_words():
    _, problems = parse("---\nbase: &b {title: T}\n<<: *b\n---\n", "p.md")
    assert messages(problems) == ["p.md:3:1: error: YAML merge keys (`<<`) are not read: write each key out"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('+++\ntitle = "T"\ndate = 2024-05-01\n+++\nBody\n', "TOML (`+++`, Hugo's and Zola's)"),
        ('{"title": "T", "date": "2024-05-01"}\nBody\n', "JSON"),
        ('\ufeff{\n  "title": "T"\n}\nBody\n', "JSON"),
    ],
)
def test_front_matter_of_other_generators_is_named_in_the_hint(text, kind):
    _, problems = parse(text, "p.md")
    assert messages(problems) == [
        "p.md:1:1: error: file must start with a `---` line opening the YAML front matter\n"
        f"    hint: {kind} front matter is not read: write the fields as YAML between `---` lines"
    ]


def test_alias_bomb_is_bounded():
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for n in range(1, 8):
        bomb += f"b{n}: &b{n} [*{'a' if n == 1 else 'b' + str(n - 1)}, *{'a' if n == 1 else 'b' + str(n - 1)}]\n" * 1
    bomb += "c: [" + ", ".join(["*b7"] * 50) + "]\n---\n"
    _, problems = parse(bomb, "p.md")
    assert problems and "more than" in problems[0].message


def test_invalid_utf8_names_line_and_byte(tmp_path: Path):
    papers = tmp_path / "content" / "papers"
    papers.mkdir(parents=True)
    path = papers / "bad.md"
    path.write_bytes(b"---\ntitle: caf\xe9\n---\n")
    _, problems = read_paper_file(path, tmp_path, tmp_path / "content")
    assert messages(problems) == [
        "content/papers/bad.md:2:11: error: is not valid UTF-8 (byte 0xe9, é in Windows-1252)\n"
        "    hint: the file is in Windows-1252, as older Windows editors save: save it as UTF-8"
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_utf16_file_is_named_as_utf16_not_binary(tmp_path: Path, encoding: str):
    """Windows' Notepad saves "Unicode" as UTF-16: its zero bytes made it "a binary file"."""
    path = tmp_path / "content" / "papers" / "u.md"
    path.parent.mkdir(parents=True)
    bom = b"\xfe\xff" if encoding == "utf-16-be" else b""  # Python writes the mark only for "utf-16"
    path.write_bytes(bom + "---\ntitle: Über\n---\n".encode(encoding))
    _, problems = read_paper_file(path, tmp_path, tmp_path / "content")
    assert messages(problems) == [
        "content/papers/u.md:1:1: error: is UTF-16, not UTF-8 (it starts with UTF-16's byte-order mark)\n"
        "    hint: save the file as UTF-8 (your editor's encoding setting)"
    ]


def test_binary_file(tmp_path: Path):
    path = tmp_path / "content" / "papers" / "bin.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    _, problems = read_paper_file(path, tmp_path, tmp_path / "content")
    assert messages(problems) == ["content/papers/bin.md: error: is a binary file, not Markdown text"]


def test_huge_file_is_refused(tmp_path: Path):
    path = tmp_path / "content" / "papers" / "huge.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\ntitle: T\n---\n" + "a" * (5 * 1024 * 1024), encoding="utf-8")
    _, problems = read_paper_file(path, tmp_path, tmp_path / "content")
    size = len("---\ntitle: T\n---\n") + 5 * 1024 * 1024  # 5,242,895 bytes
    assert messages(problems) == [
        f"content/papers/huge.md: error: is {size:,} bytes; a paper file may be at most 1 MiB (1,048,576 bytes)"
    ]


def test_a_file_just_over_the_limit_says_by_how_much(tmp_path: Path):
    """1.05 MiB was 'is 1.0 MiB; a paper file may be at most 1 MiB', which told the writer nothing."""
    path = tmp_path / "content" / "papers" / "long.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"---\ntitle: T\n---\n" + b"a" * (1024 * 1024 + 52_000 - 17))
    _, problems = read_paper_file(path, tmp_path, tmp_path / "content")
    assert messages(problems) == [
        "content/papers/long.md: error: is 1,100,576 bytes; a paper file may be at most 1 MiB (1,048,576 bytes)"
    ]


def test_a_huge_file_is_refused_without_being_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A paper file of gigabytes (a video renamed .md, a sparse file) was read whole into memory first."""
    path = tmp_path / "content" / "papers" / "sparse.md"
    path.parent.mkdir(parents=True)
    with open(path, "wb") as file:
        file.truncate(4 * 1024**3)  # 4 GiB, sparse: nothing on the disk
    _, problems = read_paper_file(path, tmp_path, tmp_path / "content")
    assert messages(problems) == [
        "content/papers/sparse.md: error: is 4,294,967,296 bytes; a paper file may be at most 1 MiB (1,048,576 bytes)"
    ]


def test_symlink_out_of_content_is_refused(tmp_path: Path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: T\n---\n", encoding="utf-8")
    path = tmp_path / "content" / "papers" / "link.md"
    path.parent.mkdir(parents=True)
    path.symlink_to(secret)
    _, problems = read_paper_file(path, tmp_path, tmp_path / "content")
    assert "symbolic link to a file outside content/" in problems[0].message


@pytest.mark.parametrize(
    ("target", "reason"), [("loop.md", "a loop of links"), ("gone.md", "No such file or directory")]
)
def test_a_paper_link_that_reaches_no_file_is_one_line(tmp_path: Path, target: str, reason: str):
    """`ln -s loop.md loop.md` among the papers ended `build` and `check` in a 49-line traceback."""
    path = tmp_path / "content" / "papers" / "loop.md"
    path.parent.mkdir(parents=True)
    path.symlink_to(target)
    _, problems = read_paper_file(path, tmp_path, tmp_path / "content")
    assert messages(problems) == [f"content/papers/loop.md: error: is a symbolic link that reaches no file ({reason})"]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "---\ntitle: Say \x93hi\x94\n---\n",
            "p.md:2:12: error: contains the control character U+0093\n"
            "    hint: text copied from a Windows document? it is probably “ written wrongly; type “ instead",
        ),
        ("---\ntitle: T\n---\nBody \x8131m", "p.md:4:6: error: contains the control character U+0081"),  # no cp1252
        ("---\ntitle: T\n---\nBody \ufdd0", "p.md:4:6: error: contains the noncharacter U+FDD0"),
        ("---\ntitle: T\n---\nA\n\U0010ffff", "p.md:5:1: error: contains the noncharacter U+10FFFF"),
        ('---\ntitle: "a\\x85b"\n---\n', "p.md:2:8: error: text contains the control character U+0085"),
    ],
)
def test_c1_controls_and_noncharacters_are_refused_at_their_place(text: str, said: str):
    """HTML calls them parse errors (the Nu checker refuses the page) and XML 1.0 discourages them; they
    reached every page, feed and export. A C1 control is most often a Windows-1252 quote read as Latin-1."""
    _, problems = parse(text, "p.md")
    assert [p.format() for p in problems] == [said]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("---\n? [a, b]\n: c\n---\n", "p.md:2:3: error: keys must be text, got a list"),  # printed Located(...)
        ("---\n1: x\n---\n", "p.md:2:1: error: keys must be text, got 1"),
        (
            "---\ncitations: " + "9" * 5000 + "\n---\n",
            "p.md:2:12: error: a number of 5,000 characters is too long to read",
        ),
    ],
)
def test_odd_keys_and_huge_numbers_get_one_short_line(text: str, said: str):
    """A list as a key printed the parser's own objects; 5,000 digits were printed back with Python's advice
    on `sys.set_int_max_str_digits()`, a 5,252-character line."""
    _, problems = parse(text, "p.md")
    assert [p.format().splitlines()[0] for p in problems] == [said]


def test_a_file_with_classic_mac_line_endings_is_read_line_by_line():
    """CR alone ended no line: the file was "must start with a `---` line"."""
    raw, problems = parse("---\rtitle: T\rdate: 2024\r---\rAbstract.\r\rMore.\r", "p.md")
    assert problems == [] and raw.fields["title"].value == "T" and raw.fields["date"].line == 3
    assert raw.body == "Abstract.\n\nMore."
    assert parse("---\rtitle: [\r---\r", "p.md")[1] == parse("---\ntitle: [\n---\n", "p.md")[1]


@pytest.mark.parametrize(
    ("flow", "items"), [("[a   b  , c ]", ["a   b", "c"]), ("[a" + " " * 5000 + "x]", ["a" + " " * 5000 + "x"])]
)
def test_a_one_line_list_keeps_inner_spaces_and_drops_outer_ones(flow, items):
    """The plain item's lazy match then ` *` took time growing with the square of a run of spaces (`[a`, 64,000
    spaces and `x]`: 30 s); the item is now spaces only between characters, read as PyYAML reads it."""
    raw, problems = parse(f"---\ntags: {flow}\n---\n", "p.md")
    assert problems == [] and [item.value for item in raw.fields["tags"].value] == items


def test_slugify():
    assert slugify("Aligner: Efficient Alignment!") == "aligner-efficient-alignment"
    assert slugify("Über café") == "uber-cafe"
    assert slugify("../../etc") == "etc"


@pytest.mark.parametrize("loader", ["libyaml", "pure Python"])
def test_unknown_escape_is_located_at_its_backslash_with_either_yaml_loader(loader, monkeypatch):
    import yaml

    from paperfolio import loader as module

    if loader == "pure Python":
        monkeypatch.setattr(module, "_Loader", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml")
    raw, problems = parse('---\ntitle: "A \\cite{x}"\n---\n', "p.md")
    assert raw is None
    assert [(p.line, p.col, p.message) for p in problems] == [
        (2, 11, "invalid YAML: `\\c` is not an escape in a double-quoted string")
    ]


@pytest.mark.parametrize("loader", ["libyaml", "pure Python"])
def test_front_matter_nested_past_the_limit_is_refused_where_it_passes_it(loader, monkeypatch):
    """Nesting up to MAX_DEPTH values deep (the front matter's mapping is the first) is read; one more level
    is refused at the bracket that opens it, before PyYAML's recursive composer sees it (in C, 50,000
    brackets crashed the process)."""
    import yaml

    from paperfolio import loader as module

    if loader == "pure Python":
        monkeypatch.setattr(module, "_Loader", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml")
    levels = module.MAX_DEPTH - 1  # inside the front matter's own mapping
    raw, problems = parse(f"---\nvenue: {'[' * levels}x{']' * levels}\n---\n", "p.md")
    assert problems == [] and raw is not None
    value = raw.fields["venue"]
    for _ in range(levels):
        value = value.value[0]
    assert value.value == "x"
    raw, problems = parse(f"---\nvenue: {'[' * (levels + 1)}x{']' * (levels + 1)}\n---\n", "p.md")
    assert raw is None
    assert [(p.line, p.col, p.message) for p in problems] == [
        (2, 8 + levels, f"values nest more than {module.MAX_DEPTH} levels deep")
    ]
    raw, problems = parse(f"---\nvenue: {'[' * 50_000}{']' * 50_000}\n---\n", "p.md")
    assert raw is None and problems[0].message.startswith("values nest more than")


@pytest.mark.parametrize(
    ("title", "accepted"),
    [
        ('"$\\\\theta$ doubled"', True),
        ('"\\x41\\u00e9\\U0001F600 hex escapes"', True),
        ('"a \\"quoted\\" word"', True),
        ("'$\\theta$ single quotes'", True),
        ("$\\theta$ plain", True),
        ('"$\\alpha$ is a bell"', False),
        ('"$\\Lambda$ is a line separator"', False),
        ('"$\\uaaaa$ is not LaTeX but reads as U+AAAA"', True),
    ],
)
def test_latex_in_double_quotes_is_refused_not_misread(title, accepted):
    raw, problems = parse(f"---\ntitle: {title}\n---\n", "p.md")
    if accepted:
        assert raw is not None and problems == [], problems
        assert "\\" not in raw.fields["title"].value or "theta" in raw.fields["title"].value
    else:
        assert raw is None and "double-quoted string is the YAML escape" in problems[0].message


def test_paper_files_are_found_as_rglob_finds_them(tmp_path: Path) -> None:
    import os

    from paperfolio.loader import scan_paper_files

    for name in ("a.md", "b.md", ".hidden.md", "sub/x.md", "sub-a/y.md", "sub/deeper/z.md", ".dot/w.md", "A.MD"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "folder.md").mkdir()
    os.symlink(tmp_path / "sub", tmp_path / "linked-folder")  # rglob does not follow links to folders
    os.symlink(tmp_path / "a.md", tmp_path / "link.md")
    # Hidden names are left out, and what hidden folders hold (`serve` watches none: a paper in one was never rebuilt).
    expected = sorted(p for p in tmp_path.rglob("*.md") if not any(part.startswith(".") for part in p.parts))
    skipped: list[str] = []
    scanned = scan_paper_files(tmp_path, skipped)
    assert skipped == [str(tmp_path / "A.MD")]
    assert [Path(name) for name, _link in scanned] == expected
    assert tmp_path / "sub-a" / "y.md" in expected and tmp_path / "linked-folder" / "x.md" not in expected
    assert [name for name, _link in scanned] == [str(path) for path in expected]
    assert [link for _name, link in scanned] == [path.is_symlink() for path in expected]
    assert (str(tmp_path / "link.md"), True) in scanned


def test_the_resolver_table_is_pyyamls_own() -> None:
    """`read_simple_yaml` reads plain scalars with a copy of PyYAML's resolver table (so a build need not
    import PyYAML): the copy must be PyYAML's, entry for entry and in the same order."""
    import yaml
    from yaml.constructor import SafeConstructor

    from paperfolio import loader

    def table(resolvers):
        return {first: [(tag, p.pattern, p.flags) for tag, p in pairs] for first, pairs in resolvers.items()}

    assert table(loader._IMPLICIT) == table(yaml.SafeLoader.yaml_implicit_resolvers)
    if hasattr(yaml, "CSafeLoader"):
        assert table(loader._IMPLICIT) == table(yaml.CSafeLoader.yaml_implicit_resolvers)
    assert SafeConstructor.bool_values == loader._BOOL_VALUES


def test_building_the_default_site_never_imports_pyyaml(tmp_path: Path) -> None:
    """Its front matter and settings are all simple YAML, so the ~12 ms of PyYAML's import is saved; a
    file that is not simple still gets PyYAML's reading and messages."""
    import os
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    script = (
        "import sys\n"
        "from paperfolio import cli\n"
        f"assert cli.main(['--root', {str(repo)!r}, '--output', {str(tmp_path / 'site')!r}, '--no-cache']) == 0\n"
        "print('yaml' in sys.modules)\n"
    )
    env = dict(os.environ, PAPERFOLIO_JOBS="1")  # every paper is read in this process
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"
    raw, problems = parse("---\ntitle: &a T\nalias: *a\nn: 0x1F\n---\n", "p.md")  # anchors: PyYAML reads it
    assert problems == [] and raw is not None
    assert (raw.fields["alias"].value, raw.fields["n"].value) == ("T", 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A\u202eB", "A\u202eB\u202c"),  # a right-to-left override left open is closed where the value ends
        ("A\u202eB\u202cC", "A\u202eB\u202cC"),  # closed already: the same text
        ("\u2067x\u202ey", "\u2067x\u202ey\u202c\u2069"),  # innermost first
        ("\u2067x\u202ey\u2069z", "\u2067x\u202ey\u2069z"),  # a PDI also ends the embeddings opened inside it
        ("\u202c\u2069 stray ends", "\u202c\u2069 stray ends"),
        ("plain", "plain"),
    ],
)
def test_bidirectional_controls_left_open_are_closed(text, expected):
    from paperfolio.loader import contain_bidi

    assert contain_bidi(text) == expected


def test_an_override_in_one_field_does_not_reach_past_it():
    """An author's right-to-left override, left open, reversed every name after it on the page's line."""
    raw, problems = parse(
        '---\ntitle: "T \u202eevil"\nauthors: ["A\u202eB", C]\nvenue: V\n---\nAbstract \u202eflipped.\n', "p.md"
    )
    assert problems == []
    assert raw.fields["title"].value == "T \u202eevil\u202c"
    assert [a.value for a in raw.fields["authors"].value] == ["A\u202eB\u202c", "C"]
    assert (raw.fields["authors"].value[0].line, raw.fields["authors"].value[0].col) == (3, 11)
    assert raw.body == "Abstract \u202eflipped.\u202c"


def test_a_hugo_page_bundle_is_named_by_its_folder(tmp_path: Path):
    """Hugo keeps a publication as `content/publication/my-paper/index.md`; moved over, every such paper
    was named `index` (and all but one refused as the same slug)."""
    papers = tmp_path / "content" / "papers"
    (papers / "my-paper").mkdir(parents=True)
    text = "---\ntitle: T\n---\nBody\n"
    (papers / "my-paper" / "index.md").write_text(text, encoding="utf-8")
    (papers / "index.md").write_text(text, encoding="utf-8")
    bundled, _ = read_paper_file(papers / "my-paper" / "index.md", tmp_path, tmp_path / "content")
    top, _ = read_paper_file(papers / "index.md", tmp_path, tmp_path / "content")
    assert (bundled.slug_from_name, top.slug_from_name) == ("my-paper", "index")


def test_text_is_read_in_unicode_composed_form(tmp_path: Path):
    """`é` written as `e` and a combining accent (macOS, some editors, text copied from a PDF) is the same
    text as `é`: the file is read in NFC, so names, tags and titles compare equal however they were typed."""
    import unicodedata

    path = tmp_path / "content" / "papers" / "p.md"
    path.parent.mkdir(parents=True)
    decomposed = unicodedata.normalize("NFD", "---\ntitle: Café\nauthors: [José García]\n---\nRésumé.\n")
    assert "e\u0301" in decomposed
    path.write_bytes(decomposed.encode("utf-8"))
    raw, problems = read_paper_file(path, tmp_path, tmp_path / "content")
    assert problems == []
    assert raw.fields["title"].value == "Caf\u00e9" and raw.fields["authors"].value[0].value == "Jos\u00e9 Garc\u00eda"
    assert raw.body.strip() == "R\u00e9sum\u00e9."


@pytest.mark.parametrize(
    ("line", "where", "start", "quoted"),
    [
        ("title: [Re] Aligner revisited", "2:13", "[", "title: '[Re] Aligner revisited'"),
        ("title: *Aligner* revisited", "2:16", "*", "title: '*Aligner* revisited'"),
        ("title: @Aligner revisited", "2:8", "@", "title: '@Aligner revisited'"),
        ("title: `Aligner` revisited", "2:8", "`", "title: '`Aligner` revisited'"),
        ('title: "Aligner" Efficient Alignment', "2:18", '"', "title: '\"Aligner\" Efficient Alignment'"),
        ("title: 'Aligner' it's", "2:18", "'", "title: '''Aligner'' it''s'"),
        ("title: %Aligner", "2:8", "%", "title: '%Aligner'"),
        ("authors:\n  - @jdai", "3:5", "@", "- '@jdai'"),
    ],
)
def test_a_value_starting_with_yaml_syntax_gets_the_value_quoted_in_its_hint(line, where, start, quoted):
    """The hint said to line a key up with the keys above it, or nothing: the fix is to quote the value."""
    _raw, problems = parse(f"---\n{line}\ndate: 2024\n---\n", "p.md")
    (problem,) = problems
    assert problem.format().startswith(f"p.md:{where}: error: invalid YAML: ")
    assert (
        problem.hint
        == f"YAML reads a value that starts with {start} as its own syntax; quote the whole value: {quoted}"
    )


def test_a_value_cut_short_at_a_hash_is_warned_of_with_the_value_quoted():
    """`title: Aligner #1 ranked method` is the title 'Aligner': YAML reads ` #` on as a comment, and the
    paper was published with its title cut short, not a word said."""
    raw, problems = parse("---\ntitle: Aligner #1 ranked method\nauthors:\n  - Ada #MeToo\n---\n", "p.md")
    assert raw is not None and raw.fields["title"].value == "Aligner"
    assert [p.format() for p in problems] == [
        "p.md:2:16: warning: `#1 ranked method` is read as a comment, not as part of the value 'Aligner' before it\n"
        "    hint: quote the value to keep it whole: title: 'Aligner #1 ranked method'",
        "p.md:4:9: warning: `#MeToo` is read as a comment, not as part of the value 'Ada' before it\n"
        "    hint: quote the value to keep it whole: - 'Ada #MeToo'",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "date: 2024 # first version",
        "title: 'Aligner #1'",
        'title: "Aligner #1"',
        "title: Aligner#1",
        "# title: Aligner #1",
        "tags: [a, b] #x",
        "title: >-\n  Aligner #1\n  method",
    ],
)
def test_a_comment_meant_as_one_or_a_hash_inside_a_value_is_not_warned_of(text):
    raw, problems = parse(f"---\nslug: s\n{text}\n---\n", "p.md")
    assert raw is not None and problems == []


def test_a_stray_fence_among_the_fields_is_refused_at_its_line():
    """A `---` left among the fields closed the front matter there: `venue:`, `links:` and the rest after it
    were the abstract (shown as text), and the paper was built without them, exit status 0."""
    text = "---\ntitle: T\ndate: 2024\n---\nvenue: NeurIPS 2024\nlinks:\n  arxiv: '2402.02416'\n---\nAbstract.\n"
    raw, problems = parse(text, "p.md")
    assert raw is None
    assert [p.format() for p in problems] == [
        "p.md:4:1: error: this `---` ends the front matter early: `venue:` and the lines after it, to the `---` at"
        " line 8, would be the abstract\n"
        "    hint: remove this line: one `---` line opens the front matter and one closes it"
    ]


def test_a_doubled_closing_fence_is_warned_of():
    raw, problems = parse("---\ntitle: T\n---\n\n---\nAbstract.\n", "p.md")
    assert raw is not None
    assert [p.format() for p in problems] == [
        "p.md:5:1: warning: a second `---` line after the front matter: the abstract would begin with a horizontal"
        " rule\n    hint: remove one of the two `---` lines"
    ]


@pytest.mark.parametrize("body", ["Background: we study alignment.\n\nMore.", "note: one line\n", "---x\n"])
def test_an_abstract_that_starts_like_a_field_or_a_rule_is_read_as_written(body):
    raw, problems = parse(f"---\ntitle: T\n---\n{body}", "p.md")
    assert raw is not None and problems == [] and raw.body == body.strip("\n")


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("\n\n---\ntitle: T\n---\n", "delete what comes before the `---` on line 3: the file's first line must be"
         " `---`"),
        ("  ---\ntitle: T\n---\n", "delete what comes before the `---` on line 1: the file's first line must be"
         " `---`"),
        ("# My papers\n\nOne file a paper.\n", "every .md file here is read as a paper; keep notes elsewhere, or in a"
         " hidden file (.notes.md)"),
    ],
)  # fmt: skip
def test_a_file_not_starting_with_its_fence_is_told_what_to_do(text, hint):
    """A blank line left before `---` (an editor's new file), or a README kept among the papers, was told only
    that the file must start with a `---` line."""
    _, problems = parse(text, "p.md")
    assert [p.format() for p in problems] == [
        f"p.md:1:1: error: file must start with a `---` line opening the YAML front matter\n    hint: {hint}"
    ]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_utf16_file_without_its_mark_is_named_as_utf16(tmp_path: Path, encoding: str):
    """UTF-16 written without a byte-order mark (some Windows tools) was 'a binary file'."""
    path = tmp_path / "content" / "papers" / "u.md"
    path.parent.mkdir(parents=True)
    path.write_bytes("---\ntitle: Aligner\nauthors: [Ada]\n---\nText.\n".encode(encoding))
    _, problems = read_paper_file(path, tmp_path, tmp_path / "content")
    assert messages(problems) == [
        "content/papers/u.md:1:1: error: is UTF-16 without its byte-order mark, not UTF-8\n"
        "    hint: save the file as UTF-8 (your editor's encoding setting)"
    ]


def test_a_stray_zero_byte_in_a_paper_is_named_at_its_line_and_column(tmp_path: Path):
    """One zero byte (a paste, a bad save) made the whole paper 'a binary file', with no line."""
    path = tmp_path / "content" / "papers" / "z.md"
    path.parent.mkdir(parents=True)
    path.write_bytes("---\ntitle: Über\n---\nNota\0bly.\n".encode())
    _, problems = read_paper_file(path, tmp_path, tmp_path / "content")
    assert messages(problems) == [
        "content/papers/z.md:4:5: error: contains a zero byte (U+0000)\n    hint: delete it: text holds none"
    ]


def test_invalid_utf8_after_accents_is_placed_at_its_character_column(tmp_path: Path):
    """The column counted bytes: after `Café ` (é is two bytes in UTF-8) it was one past the character."""
    path = tmp_path / "content" / "papers" / "bad.md"
    path.parent.mkdir(parents=True)
    path.write_bytes("---\ntitle: Café ".encode() + b"\xff\n---\n")
    _, problems = read_paper_file(path, tmp_path, tmp_path / "content")
    assert messages(problems) == [
        "content/papers/bad.md:2:13: error: is not valid UTF-8 (byte 0xff, ÿ in Windows-1252)\n"
        "    hint: the file is in Windows-1252, as older Windows editors save: save it as UTF-8"
    ]


def test_bytes_that_are_no_windows_1252_text_keep_the_plain_hint(tmp_path: Path):
    path = tmp_path / "content" / "papers" / "bad.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"---\ntitle: \x81\x8d\n---\n")  # undefined in Windows-1252
    _, problems = read_paper_file(path, tmp_path, tmp_path / "content")
    assert messages(problems) == [
        "content/papers/bad.md:2:8: error: is not valid UTF-8 (byte 0x81)\n"
        "    hint: save the file as UTF-8 (your editor's encoding setting)"
    ]
