"""paperfolio.yaml: values that would break the site or write something odd are refused at their line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from paperfolio.settings import load_settings


def settings_of(tmp_path: Path, text: str, **options):
    (tmp_path / "paperfolio.yaml").write_text(text, encoding="utf-8")
    return load_settings(tmp_path, env={}, **options)


@pytest.mark.parametrize(
    "value", ["/", "/my-papers/", "my-papers", "https://ada.github.io/my-papers/", "http://localhost:8000/"]
)
def test_base_urls_a_site_can_live_at(tmp_path: Path, value: str) -> None:
    settings, problems = settings_of(tmp_path, f"base_url: {value}\n")
    assert problems == [] and settings.base_url.endswith("/")


@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", "ftp://files.example.org/", "https://", "https://a:b@host.org/", "/a b/", '/x"y/']
)
def test_base_urls_that_are_not_addresses_are_refused_at_their_line(tmp_path: Path, value: str) -> None:
    settings, problems = settings_of(tmp_path, f"title: T\nbase_url: '{value}'\n")
    assert [(p.path, p.line) for p in problems] == [("paperfolio.yaml", 2)]
    assert "`base_url` must be" in problems[0].message and settings.base_url == "/"


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        # Each was taken as a path and built a site whose every link was wrong once deployed.
        (
            "ada.github.io/my-papers",
            "a name without https:// is a path, /ada.github.io/my-papers/; the address is "
            "https://ada.github.io/my-papers/",
        ),
        ("//ada.github.io/p/", "an address starts with its scheme: https://ada.github.io/p/"),
        ("localhost:8000", "an address starts with its scheme: http://localhost:8000/"),
        ("https://ada.org/../p/", "write the path without `.` or `..` segments"),
        ("/a/./b/", "write the path without `.` or `..` segments"),
        ("https://ada.org:99999/", "a port is a whole number from 1 to 65535"),
        # These two were given only the general hint, an example address, which does not say what is wrong.
        ("/文献/", "an address holds a space or a letter beyond ASCII percent-encoded: /%E6%96%87%E7%8C%AE/"),
        (
            "https://bücher.example/my papers/",
            "an address holds a space or a letter beyond ASCII percent-encoded: https://xn--bcher-kva.example/my%20papers/",
        ),
        # Copied from the address bar, it made every address of the site /index.html/…, broken once deployed.
        (
            "https://ada.github.io/index.html",
            "the address of the site's folder, without its page: https://ada.github.io/",
        ),
        ("/papers/index.htm", "the address of the site's folder, without its page: /papers/"),
    ],
)
def test_base_urls_that_would_build_a_broken_site_say_why(tmp_path: Path, value: str, hint: str) -> None:
    settings, problems = settings_of(tmp_path, f"title: T\nbase_url: '{value}'\n")
    assert [(p.path, p.line, p.hint) for p in problems] == [("paperfolio.yaml", 2, hint)]
    assert problems[0].message.endswith(f"got {value!r}")  # as written: a host in another script was shown as xn--
    assert settings.base_url == "/"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),  # IDNA's ASCII form (RFC 3492's example)
        ("https://ada.org:8080/v1.2/", "https://ada.org:8080/v1.2/"),
        ("v1.2", "/v1.2/"),
    ],
)
def test_base_urls_read_as_addresses(tmp_path: Path, value: str, expected: str) -> None:
    settings, problems = settings_of(tmp_path, f"base_url: '{value}'\n")
    assert problems == [] and settings.base_url == expected


def test_a_custom_domain_in_another_script_is_written_in_ascii(tmp_path: Path) -> None:
    settings, problems = settings_of(tmp_path, "custom_domain: bücher.example\n")
    assert problems == [] and settings.custom_domain == "xn--bcher-kva.example"


def test_a_bad_base_url_option_is_reported_as_the_option(tmp_path: Path) -> None:
    _settings, problems = settings_of(tmp_path, "title: T\n", base_url="javascript:alert(1)")
    assert [p.format().splitlines()[0] for p in problems] == [
        "--base-url: error: `base_url` must be `/`, a path such as /my-papers/, or an http(s) URL, "
        "got 'javascript:alert(1)'"
    ]


def test_photo_must_be_a_file_under_assets(tmp_path: Path) -> None:
    (tmp_path / "assets" / "images").mkdir(parents=True)
    (tmp_path / "assets" / "images" / "me.jpg").write_bytes(b"jpeg")
    (tmp_path / "secret.txt").write_text("x")
    for value, expected in (("images/me.jpg", "images/me.jpg"), ("assets/images/me.jpg", "images/me.jpg")):
        settings, problems = settings_of(tmp_path, f"profile:\n  photo: {value}\n")
        assert problems == [] and settings.photo == expected
    for value in ("../secret.txt", "images", "https://example.org/me.jpg"):
        settings, problems = settings_of(tmp_path, f"profile:\n  photo: {value}\n")
        assert settings.photo is None and [(p.line, p.message.split(",")[0]) for p in problems] == [
            (2, "`profile.photo` must be a file under assets/")
        ], value


@pytest.mark.parametrize("name", ["cv.pdf", "me.heic", "me.tiff", "bio.md"])
def test_photo_must_be_a_picture_a_browser_shows(tmp_path: Path, name: str) -> None:
    # A PDF (or a phone's HEIC) was accepted and shown as a broken <img> on the home page and as its og:image.
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / name).write_bytes(b"not a picture")
    settings, problems = settings_of(tmp_path, f"title: T\nprofile:\n  photo: {name}\n")
    assert settings.photo is None
    assert [(p.path, p.line, p.message) for p in problems] == [
        (
            "paperfolio.yaml",
            3,
            f"`profile.photo` must be a picture (.png, .jpg, .jpeg, .gif, .webp, .avif, .svg), got {name!r}",
        )
    ]


@pytest.mark.parametrize(
    "value", ["https://papers.example.org", "papers.example.org/x", "evil.com/<script>", "a b.org"]
)
def test_custom_domain_must_be_a_host_name(tmp_path: Path, value: str) -> None:
    settings, problems = settings_of(tmp_path, f"custom_domain: '{value}'\n")
    assert settings.custom_domain is None and len(problems) == 1 and "host name" in problems[0].message


@pytest.mark.parametrize("value", ["en", "zh-CN", "zh-Hans-CN", "de-1996", "EN-us"])
def test_language_tags_are_kept(tmp_path: Path, value: str) -> None:
    settings, problems = settings_of(tmp_path, f"language: {value}\n")
    assert problems == [] and settings.language == value


@pytest.mark.parametrize(
    "value", ['en" onload="alert(1)', "English", "e", "en_US", "en-", "zh--CN", "en-toolongsubtag"]
)
def test_a_language_that_is_not_a_bcp_47_tag_is_refused_at_its_line(tmp_path: Path, value: str) -> None:
    """The value becomes every page's `lang` attribute, which the Nu Html Checker reads as a BCP 47 tag."""
    settings, problems = settings_of(tmp_path, f"title: T\nlanguage: '{value}'\n")
    assert [(p.line, p.message) for p in problems] == [
        (2, f"`language` must be a BCP 47 tag such as en or zh-CN, got {value!r}")
    ]
    assert settings.language == "en"


def test_custom_domain_host_name_is_kept(tmp_path: Path) -> None:
    settings, problems = settings_of(tmp_path, "custom_domain: Papers.Example.org\n")
    assert problems == [] and settings.custom_domain == "papers.example.org"


def test_footer_is_inline_markdown_made_safe(tmp_path: Path) -> None:
    from paperfolio.index import build_index
    from paperfolio.render import make_site_view

    settings, problems = settings_of(
        tmp_path, "base_url: /p/\nfooter: '© Ada · [source](code/) · <script>alert(1)</script> *thanks*'\n"
    )
    assert problems == []
    footer = make_site_view(settings, build_index([]), {}).footer_html
    assert footer == '© Ada · <a href="/p/code/">source</a> ·  <em>thanks</em>'


def test_an_unknown_setting_gets_the_closest_known_one_as_a_hint(tmp_path: Path) -> None:
    _settings, problems = settings_of(tmp_path, "title: T\ntitel: T\n")
    assert [(p.line, p.message, p.hint) for p in problems] == [(2, "unknown setting `titel`", "did you mean `title`?")]


def test_a_settings_file_not_in_utf8_names_its_line_column_and_byte(tmp_path: Path) -> None:
    """It was "cannot be read: 'utf-8' codec can't decode byte 0xe9 in position 15", with no line."""
    (tmp_path / "paperfolio.yaml").write_bytes(b"title: T\nlanguage: en\ndescription: caf\xe9\n")
    _settings, problems = load_settings(tmp_path, env={})
    assert [p.format() for p in problems] == [
        "paperfolio.yaml:3:17: error: is not valid UTF-8 (byte 0xe9, é in Windows-1252)\n"
        "    hint: the file is in Windows-1252, as older Windows editors save: save it as UTF-8"
    ]


def test_a_tab_indenting_settings_is_named_with_its_hint(tmp_path: Path) -> None:
    """The hint was dropped when the problem was moved to the settings file's own line numbers."""
    _settings, problems = settings_of(tmp_path, "title: T\nowner:\n\tname: Ada\n")
    assert [p.format() for p in problems] == [
        "paperfolio.yaml:3:1: error: invalid YAML: found character that cannot start any token\n"
        "    hint: YAML indents with spaces, not tabs"
    ]


def test_an_unknown_macro_in_a_macro_is_said_once(tmp_path: Path) -> None:
    """A macro using an unknown one four times got four identical errors."""
    _settings, problems = settings_of(tmp_path, "latex_macros:\n  foo: '\\bar \\bar \\bar \\bar \\baz'\n")
    assert [p.format() for p in problems] == [
        "paperfolio.yaml:2:8: error: `latex_macros.foo`: unknown LaTeX macro `\\bar`",
        "paperfolio.yaml:2:8: error: `latex_macros.foo`: unknown LaTeX macro `\\baz`",
    ]


def test_a_settings_file_that_links_to_itself_is_said_not_skipped(tmp_path: Path) -> None:
    """A loop of links was taken for no settings file: the site was built with none of them."""
    (tmp_path / "paperfolio.yaml").symlink_to("paperfolio.yaml")
    _settings, problems = load_settings(tmp_path, env={})
    assert [p.format() for p in problems] == [
        "paperfolio.yaml: error: cannot be read: Too many levels of symbolic links"
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "# title: My papers\n# base_url: /x/\n", "---\n"])
def test_a_settings_file_of_only_comments_is_no_settings(tmp_path: Path, text: str) -> None:
    """Every key is optional, yet a file of comments was refused with a paper's message ("front matter is
    empty; `title`, `authors`, `date` and `categories` are required")."""
    settings, problems = settings_of(tmp_path, text)
    assert problems == [] and settings.title == "Publications"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "- title\n",
            "paperfolio.yaml:1:1: error: the settings must be a mapping of `key: value` lines, such as "
            "`title: Publications`",
        ),
        (
            "title: Foo: Bar\n",
            "paperfolio.yaml:1:11: error: invalid YAML: mapping values are not allowed in this context\n"
            '    hint: quote a value that holds `: ` (title: "Aligner: Efficient"); '
            "line a key up with the keys above it",
        ),
        (
            "profile:\n    name: A\n  role: B\n",
            "paperfolio.yaml:3:3: error: invalid YAML: did not find expected key\n"
            "    hint: line a key up with the keys above it: YAML reads the indentation",
        ),
    ],
)
def test_settings_that_are_no_mapping_or_misindented_say_what_to_do(tmp_path: Path, text: str, said: str) -> None:
    """PyYAML's words alone ("mapping values are not allowed in this context") did not say to quote a
    title holding `: ` or to line keys up; a list was refused as a paper's front matter."""
    _settings, problems = settings_of(tmp_path, text)
    assert [p.format() for p in problems] == [said]


def test_a_profile_link_may_name_a_file_kept_under_assets(tmp_path: Path) -> None:
    """al-folio keeps the CV as assets/pdf/cv.pdf; the link is the file's address under the base path."""
    (tmp_path / "assets" / "pdf").mkdir(parents=True)
    (tmp_path / "assets" / "pdf" / "my cv.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "assets" / "pdf" / "cv#2?.pdf").write_bytes(b"%PDF-1.4\n")
    text = "profile:\n  links:\n    cv: /assets/pdf/my cv.pdf\n    homepage: 'assets/pdf/cv#2?.pdf'\n"
    settings, problems = settings_of(tmp_path, text, base_url="https://ada.github.io/portfolio/")
    assert problems == []
    assert [(link.kind, link.url) for link in settings.profile_links] == [
        ("cv", "/portfolio/assets/pdf/my%20cv.pdf"),
        ("homepage", "/portfolio/assets/pdf/cv%232%3F.pdf"),
    ]


@pytest.mark.parametrize("value", ["/assets/cv.pdf", "assets/../paperfolio.yaml", "/assets/.hidden.pdf"])
def test_a_profile_link_to_no_file_under_assets_is_refused_at_its_line(tmp_path: Path, value: str) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / ".hidden.pdf").write_bytes(b"%PDF-1.4\n")
    settings, problems = settings_of(tmp_path, f"profile:\n  links:\n    cv: '{value}'\n")
    assert [p.format().splitlines()[0] for p in problems] == [
        f"paperfolio.yaml:3:9: error: `profile.links.cv` names no file under assets/: '{value}'"
    ]
    assert settings.profile_links == ()


def test_an_email_is_never_read_as_a_file(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "me.txt").write_text("x")
    _settings, problems = settings_of(tmp_path, "profile:\n  links:\n    email: assets/me.txt\n")
    assert [p.message for p in problems] == [
        "`profile.links.email` must be an http(s) or mailto URL, got 'assets/me.txt'"
    ]


def test_site_macros_are_read_sorted_with_or_without_their_backslash(tmp_path: Path) -> None:
    text = "latex_macros:\n  method: '\\textsc{Aligner}'\n  \\InterMT: InterMT\n  year: 2024\n"
    settings, problems = settings_of(tmp_path, text)
    assert problems == []
    assert settings.latex_macros == (("InterMT", "InterMT"), ("method", "\\textsc{Aligner}"), ("year", "2024"))


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("\\emph: x", "3:3: error: `latex_macros`: `\\emph` is built in and cannot be replaced"),
        ("'bad name': y", "3:3: error: `latex_macros`: 'bad name' is not a macro name (letters only, as \\InterMT)"),
        (
            "R: '$\\mathbb{R}$'",
            "3:6: error: `latex_macros.R` holds math: a macro is read in text, never inside a formula",
        ),
        ("m: '\\foo'", "3:6: error: `latex_macros.m`: unknown LaTeX macro `\\foo`"),
        ("m: '\\ok'", "3:6: error: `latex_macros.m`: unknown LaTeX macro `\\ok`"),  # one macro may not use another
        ("n: [1]", "3:6: error: `latex_macros.n` must be text"),
        # The backslash doubled, as in double quotes, but in single quotes: each page showed a stray `\` before the
        # text, and a venue using it warned of `\Aligner` at no line.
        (
            "method: '\\\\textsc{Aligner}'",
            "3:11: error: `latex_macros.method` holds `\\\\`, a line break: a macro takes one backslash, "
            "'\\textsc{Aligner}'",
        ),
        ("n: '" + "x" * 101 + "'", "3:6: error: `latex_macros.n` must be one line of at most 100 characters"),
    ],
)
def test_a_site_macro_that_cannot_be_read_is_refused_at_its_line(tmp_path: Path, entry: str, message: str) -> None:
    settings, problems = settings_of(tmp_path, f"title: T\nlatex_macros:\n  {entry}\n  ok: fine\n")
    assert [p.format().splitlines()[0] for p in problems] == [f"paperfolio.yaml:{message}"]
    assert settings.latex_macros == (("ok", "fine"),)


def test_site_macros_must_be_a_mapping(tmp_path: Path) -> None:
    _settings, problems = settings_of(tmp_path, "latex_macros: [InterMT]\n")
    assert [p.line for p in problems] == [1] and "must map a macro's name to its text" in problems[0].message


def test_aliases_that_cannot_mean_what_they_say_are_refused_at_their_line(tmp_path: Path) -> None:
    """An alias is applied once: two names mapped to each other swapped their coauthor pages, a chain was not
    followed, and the owner's spelling mapped here made a coauthor's page vanish."""
    text = (
        "owner:\n  name: Juntao Dai\n  variants: [Josef Dai]\nauthor_aliases:\n"
        "  Jiaming Ji: Boyuan Chen\n  Boyuan Chen: Jiaming Ji\n  J. Smith: John Smith\n  John Smith: John A. Smith\n"
        "  Yaodong Yang: Juntao Dai\n  Josef Dai: J. Dai\n  Same Name: Same Name\n  Ada L.: Ada Lovelace\n"
    )
    _settings, problems = settings_of(tmp_path, text)
    assert [p.format() for p in problems] == [
        "paperfolio.yaml:5:3: error: `author_aliases`: `Boyuan Chen` is mapped on to `Jiaming Ji`, and aliases are "
        "not followed\n    hint: map both spellings to the one name",
        "paperfolio.yaml:6:3: error: `author_aliases`: `Jiaming Ji` is mapped on to `Boyuan Chen`, and aliases are "
        "not followed\n    hint: map both spellings to the one name",
        "paperfolio.yaml:7:3: error: `author_aliases`: `John Smith` is mapped on to `John A. Smith`, and aliases are "
        "not followed\n    hint: map `J. Smith` to `John A. Smith`",
        "paperfolio.yaml:9:3: error: `author_aliases`: `Yaodong Yang: Juntao Dai` names the owner\n"
        "    hint: the owner's other spellings go under `owner.variants`",
        "paperfolio.yaml:10:3: error: `author_aliases`: `Josef Dai: J. Dai` names the owner\n"
        "    hint: the owner's other spellings go under `owner.variants`",
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        # The messages named neither the setting nor the value, and -1 was "not a whole number".
        ("feed_limit: -1", "`feed_limit` must be a whole number, 0 or more, got -1"),
        ("featured_max: 2.5", "`featured_max` must be a whole number, 0 or more, got 2.5"),
        ("authors_shown: yes", "`authors_shown` must be a whole number, 0 or more, got True"),
        ("description: [a, b]", "`description` must be text, got a list"),
        ("custom_domain: {a: b}", "`custom_domain` must be text, got a mapping"),
        ("language: [en]", "`language` must be text, got a list"),
    ],
)
def test_a_setting_of_the_wrong_kind_is_named_with_its_value(tmp_path: Path, entry: str, message: str) -> None:
    _settings, problems = settings_of(tmp_path, f"title: T\n{entry}\n")
    assert [(p.line, p.message) for p in problems] == [(2, message)]


def test_an_empty_title_is_the_default_one(tmp_path: Path) -> None:
    """`title: ''` gave the feeds an empty <title>, which feed readers show as an untitled feed."""
    settings, problems = settings_of(tmp_path, "title: ''\n")
    assert problems == [] and settings.title == "Publications"


@pytest.mark.parametrize("value", ["'0000'", "0000-0002-1825", "orcid 0000-0002-1825-0097"])
def test_a_profile_orcid_that_is_no_orcid_id_is_refused_at_its_line(tmp_path: Path, value: str) -> None:
    """`orcid: '0000'` linked the profile to https://orcid.org/0000, a page of no one."""
    _settings, problems = settings_of(tmp_path, f"title: T\nprofile:\n  links:\n    orcid: {value}\n")
    assert [p.line for p in problems] == [4]
    assert problems[0].message.startswith("`profile.links.orcid` must be an ORCID iD such as 0000-0002-1825-0097")


def test_a_profile_orcid_id_or_address_is_linked(tmp_path: Path) -> None:
    settings, problems = settings_of(tmp_path, "title: T\nprofile:\n  links:\n    orcid: 0000-0002-1825-0097\n")
    assert problems == [] and [link.url for link in settings.profile_links] == ["https://orcid.org/0000-0002-1825-0097"]


def test_a_profile_name_of_the_wrong_kind_is_reported_once(tmp_path: Path) -> None:
    """Each of `owner.name` and `profile.name` stands for the other when missing, and both were read twice:
    a bad one was reported twice, at the same place."""
    _settings, problems = settings_of(tmp_path, "title: T\nprofile:\n  name: [a]\n")
    assert [p.format() for p in problems] == ["paperfolio.yaml:3:9: error: `profile.name` must be text, got a list"]


def test_a_base_path_with_percent_encoded_dots_is_refused(tmp_path: Path) -> None:
    """`/%2e%2e/` passed the `..` check, and browsers resolve it as `..`: every link pointed elsewhere."""
    settings, problems = settings_of(tmp_path, "base_url: /%2e%2e/\n")
    assert settings.base_url == "/" and [p.hint for p in problems] == ["write the path without `.` or `..` segments"]


def test_a_misspelt_profile_key_or_link_kind_names_the_one_meant(tmp_path: Path) -> None:
    """`googlescholar:` was linked as "Googlescholar" without a word, and `afiliation:` under `profile` got
    no hint though a misspelt top-level key does. Another kind (`facebook:`) is linked as it always was."""
    text = (
        "profile:\n  afiliation: PKU\n  links:\n    googlescholar: https://scholar.google.com/x\n"
        "    facebook: https://facebook.com/x\n"
    )
    settings, problems = settings_of(tmp_path, text)
    assert [p.format() for p in problems] == [
        "paperfolio.yaml:2:3: error: unknown profile setting `afiliation`\n    hint: did you mean `affiliation`?",
        "paperfolio.yaml:4:5: warning: `profile.links.googlescholar` is no kind paperfolio knows; it is shown as "
        "“Googlescholar”\n    hint: did you mean `scholar`?",
    ]


@pytest.mark.parametrize(
    ("text", "base_url", "warned"),
    [
        ("custom_domain: papers.example.org\n", "https://papers.example.org/", False),
        ("custom_domain: papers.example.org\nbase_url: /sub/\n", "https://papers.example.org/sub/", False),
        (
            "custom_domain: papers.example.org\nbase_url: https://PAPERS.example.org/\n",
            "https://PAPERS.example.org/",
            False,
        ),
        ("custom_domain: papers.example.org\nbase_url: https://ada.github.io/p/\n", "https://ada.github.io/p/", True),
    ],
)
def test_a_custom_domain_is_the_host_of_a_base_url_naming_none(tmp_path: Path, text: str, base_url: str, warned: bool):
    """`custom_domain` with the default `base_url: /` made a sitemap of root-relative locations (invalid),
    relative canonical and feed links, and a robots.txt without its Sitemap line, without a word."""
    settings, problems = settings_of(tmp_path, text)
    assert settings.base_url == base_url
    assert [p.severity for p in problems] == (["warning"] if warned else [])
    if warned:
        assert (
            problems[0]
            .format()
            .startswith(
                "paperfolio.yaml:1:16: warning: `custom_domain` is papers.example.org, but the base URL names "
                "ada.github.io: absolute links will point there"
            )
        )


def test_a_profile_link_that_is_no_text_says_so_plainly(tmp_path: Path) -> None:
    """`github: [1]` printed the parser's own objects: "got '[Located(value=1, line=6, ...)]'"."""
    _settings, problems = settings_of(tmp_path, "profile:\n  links:\n    github: [1]\n")
    assert [p.format() for p in problems] == [
        "paperfolio.yaml:3:13: error: `profile.links.github` must be a web address or a file of the site, got a list"
    ]


@pytest.mark.parametrize("value", ["/%zz/", "https://ada.example/%zz/"])
def test_a_base_url_with_a_stray_percent_is_refused(tmp_path: Path, value: str) -> None:
    """`base_url: /%zz/` put an invalid address in every href of every page."""
    settings, problems = settings_of(tmp_path, f"base_url: {value}\n")
    assert settings.base_url == "/"
    assert [p.hint for p in problems] == ["a `%` in an address starts a two-digit escape, such as %20 for a space"]


def test_a_metric_written_as_a_decimal_number_keeps_its_digits(tmp_path: Path) -> None:
    """YAML reads `value: 4.50` as the number 4.5: the profile showed a figure other than the one written."""
    text = "profile:\n  metrics:\n    - label: Impact factor\n      value: 4.50\n      source: JCR\n      as_of: 2026\n"
    settings, problems = settings_of(tmp_path, text)
    assert problems == [] and [m.value for m in settings.metrics] == ["4.50"]


@pytest.mark.parametrize("name", ["paperfolio.yml", "Paperfolio.yaml", "paperfolio.yaml.txt"])
def test_a_settings_file_under_another_name_is_refused(tmp_path: Path, name: str) -> None:
    """`paperfolio.yml` was not read, and the site was built with no title, profile or base URL, unsaid."""
    (tmp_path / name).write_text("title: Ada's papers\n", encoding="utf-8")
    _settings, problems = load_settings(tmp_path, env={})
    assert [p.format() for p in problems] == [
        f"{name}: error: not read: the settings file is paperfolio.yaml\n    hint: rename it to paperfolio.yaml"
    ]


def test_a_settings_file_under_another_name_beside_the_settings_is_warned_of(tmp_path: Path) -> None:
    (tmp_path / "paperfolio.yml").write_text("title: Old\n", encoding="utf-8")
    settings, problems = settings_of(tmp_path, "title: New\n")
    assert settings.title == "New"
    assert [p.format() for p in problems] == [
        "paperfolio.yml: warning: not read: the settings file is paperfolio.yaml\n"
        "    hint: move what it holds into paperfolio.yaml"
    ]


def test_a_settings_file_read_only_where_names_ignore_case_is_warned_of(tmp_path: Path) -> None:
    """On macOS `Paperfolio.yaml` is read as paperfolio.yaml; GitHub's Linux builders would not read it. (A
    hard link stands here for a system that ignores case: two names, one file.)"""
    (tmp_path / "Paperfolio.yaml").write_text("title: Ada's papers\n", encoding="utf-8")
    (tmp_path / "paperfolio.yaml").hardlink_to(tmp_path / "Paperfolio.yaml")
    settings, problems = load_settings(tmp_path, env={})
    assert settings.title == "Ada's papers"
    assert [p.format() for p in problems] == [
        "Paperfolio.yaml: warning: is read as paperfolio.yaml only where names ignore case: not on GitHub's"
        " Linux builders\n    hint: rename it to paperfolio.yaml"
    ]


def test_a_setting_cut_short_at_a_hash_is_warned_of_at_its_line(tmp_path: Path) -> None:
    settings, problems = settings_of(tmp_path, "title: T\ndescription: Papers of lab #5\n")
    assert settings.description == "Papers of lab"
    assert [p.format() for p in problems] == [
        "paperfolio.yaml:2:28: warning: `#5` is read as a comment, not as part of the value 'Papers of lab' before"
        " it\n    hint: quote the value to keep it whole: description: 'Papers of lab #5'"
    ]


@pytest.mark.parametrize("text", ["---\ntitle: Ada\n", "# Ada's site\n---\ntitle: Ada\n...\n", "---\r\ntitle: Ada\r\n"])
def test_a_settings_file_with_yaml_document_markers_is_read(tmp_path: Path, text: str) -> None:
    """A first line `---` (yamllint's document start) closed the front matter the settings are read as: every
    setting was left out, the site built with the default title and no profile, without a word."""
    settings, problems = settings_of(tmp_path, text)
    assert problems == [] and settings.title == "Ada"


def test_a_second_yaml_document_in_the_settings_is_refused_at_its_line(tmp_path: Path) -> None:
    _settings, problems = settings_of(tmp_path, "title: Ada\n---\nlanguage: fr\n")
    assert [p.format() for p in problems] == [
        "paperfolio.yaml:2:1: error: a second YAML document starts here: the settings are one mapping of"
        " `key: value` lines\n    hint: remove this line"
    ]


def test_a_profile_orcid_whose_check_digit_is_wrong_is_refused(tmp_path: Path) -> None:
    _settings, problems = settings_of(tmp_path, "profile:\n  links:\n    orcid: 0000-0002-1825-0098\n")
    assert [p.format() for p in problems] == [
        "paperfolio.yaml:3:12: error: `profile.links.orcid` 0000-0002-1825-0098 is no ORCID iD: its last character"
        " does not check\n    hint: a digit mistyped or two swapped: copy the iD from the person's orcid.org page"
    ]


@pytest.mark.parametrize("value", ["images/missing.jpg", "/assets/images/missing.jpg", "/etc/passwd"])
def test_a_photo_that_is_not_there_is_named_as_the_file_missing(tmp_path: Path, value: str) -> None:
    """A photo not yet copied in was told it 'must be a file under assets/', which it was written as."""
    (tmp_path / "assets" / "images").mkdir(parents=True)
    settings, problems = settings_of(tmp_path, f"profile:\n  photo: {value}\n")
    wanted = value.removeprefix("/").removeprefix("assets/")
    assert settings.photo is None and [p.format() for p in problems] == [
        f"paperfolio.yaml:2:10: error: `profile.photo`: no file assets/{wanted}\n"
        f"    hint: put the photo at assets/{wanted}, or leave `photo:` empty for initials"
    ]


@pytest.mark.parametrize(
    ("kind", "value", "address"),
    [
        ("github", "calico-1226", "https://github.com/calico-1226"),
        ("twitter", "'@jdai'", "https://x.com/jdai"),
        ("bluesky", "'@jdai.bsky.social'", "https://bsky.app/profile/jdai.bsky.social"),
        ("mastodon", "'@jdai@sigmoid.social'", "https://sigmoid.social/@jdai"),
        ("linkedin", "juntao-dai", "https://www.linkedin.com/in/juntao-dai"),
    ],
)
def test_a_profile_link_written_as_a_handle_gets_its_address_in_the_hint(
    tmp_path: Path, kind: str, value: str, address: str
) -> None:
    """`github: calico-1226` said only 'must be an http(s) or mailto URL'."""
    _settings, problems = settings_of(tmp_path, f"profile:\n  links:\n    {kind}: {value}\n")
    (problem,) = problems
    assert problem.line == 3 and problem.message.startswith(f"`profile.links.{kind}` must be a web address, got")
    assert problem.hint == f"the address of that profile: {address}"


def test_a_language_written_as_a_locale_gets_the_tag_in_its_hint(tmp_path: Path) -> None:
    """`zh_CN`, as Linux and Python name locales, was refused without the tag meant."""
    _settings, problems = settings_of(tmp_path, "language: zh_CN\n")
    assert [p.hint for p in problems] == ["write `language: zh-CN`"]


@pytest.mark.parametrize("value", ["'\u200b'", "'\u3164'", "'\u2800 \u200b'"])
def test_a_setting_that_shows_no_character_is_refused_at_its_line(tmp_path: Path, value: str) -> None:
    """A site title or profile name of zero-width spaces or Hangul fillers built a page with an empty heading
    and title, as a paper's title of them is refused (the hostile audit)."""
    _settings, problems = settings_of(tmp_path, f"title: {value}\nprofile:\n  name: Ada\n")
    assert [(p.line, p.col) for p in problems] == [(1, 8)]
    assert problems[0].message.startswith("`title` shows no character, got '")


@pytest.mark.parametrize("key", ["affiliations", "author_aliases"])
@pytest.mark.parametrize(("value", "shown"), [("'\u200b'", "'\\u200b'"), ("'\u3164'", "'\u3164'"), ("''", "''")])
def test_a_display_name_that_shows_no_character_is_refused_at_its_line(
    tmp_path: Path, key: str, value: str, shown: str
) -> None:
    """An affiliation's display name of a zero-width space showed an empty affiliations line, and a coauthor
    aliased to one got a link and a page heading of nothing (at `coauthors/x/`): refused as `title` is."""
    settings, problems = settings_of(tmp_path, f"title: T\n{key}:\n  Ada Lovelace: A. Lovelace\n  pku: {value}\n")
    assert [p.format() for p in problems] == [
        f"paperfolio.yaml:4:8: error: `{key}`: `pku` maps to text that shows no character, got {shown}"
    ]
    assert getattr(settings, "affiliation_names" if key == "affiliations" else key) == {"Ada Lovelace": "A. Lovelace"}


def test_every_setting_is_in_the_settings_file_and_the_readme(tmp_path: Path) -> None:
    """paperfolio.yaml is "commented key by key" and README's table lists every key: each key the settings read
    is in both (the file may keep it as a commented example), with the default the code uses when it is a
    number (`[8]` in the file, `` `8` `` in the table), read from an empty settings file."""
    from paperfolio.settings import TOP_KEYS

    repo = Path(__file__).resolve().parents[1]
    settings_file = (repo / "paperfolio.yaml").read_text("utf-8")
    readme = (repo / "README.md").read_text("utf-8")
    table = readme[readme.index("## Settings and profile") : readme.index("## Commands")]
    defaults, problems = settings_of(tmp_path, "")
    assert problems == []
    for key in TOP_KEYS:
        assert re.search(rf"^(# )?{key}:", settings_file, re.M), f"paperfolio.yaml names no `{key}`"
        row = re.search(rf"^\| `{key}[`.][^\n]*", table, re.M)
        assert row, f"README's settings table has no row for `{key}`"
        default = getattr(defaults, key, None)
        if isinstance(default, int):
            comment = re.search(rf"((?:^#[^\n]*\n)+)(# )?{key}:", settings_file, re.M).group(1)
            assert f"[{default}]" in comment, f"paperfolio.yaml's comment on `{key}` gives another default"
            assert row.group(0).split("|")[2].strip().startswith(f"`{default}`"), f"README's `{key}` default"
