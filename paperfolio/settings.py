"""Read `paperfolio.yaml`, the one place for site settings and the researcher's profile.

Every key is optional and has a default (see `Settings` in model.py and the commented
`paperfolio.yaml` of the default site). Problems name the file and line like content problems do.
The base URL is chosen, first found wins: `--base-url`, `PAPERFOLIO_BASE_URL`, `base_url:`, `/`.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from .errors import Problem, did_you_mean
from .loader import EMPTY_FRONT_MATTER, NOT_A_MAPPING, Located, as_written, decode_utf8, parse
from .model import Metric, ProfileLink, Settings
from .schema import (  # one URL rule, picture rule and way to quote for content and settings
    IMAGE_SUFFIXES,
    LANGUAGE_RE,
    ORCID,
    ORCID_HINT,
    _show,
    _url,
    orcid_checks,
    unlocate,
)
from .urls import Urls
from .visible import has_visible_text

SETTINGS_FILE = "paperfolio.yaml"
TOP_KEYS = (
    "title",
    "base_url",
    "language",
    "description",
    "owner",
    "profile",
    "affiliations",
    "author_aliases",
    "authors_shown",
    "featured_max",
    "feed_limit",
    "custom_domain",
    "footer",
    "latex_macros",
)
PROFILE_KEYS = ("name", "photo", "role", "affiliation", "bio", "links", "metrics")
PROFILE_LINK_LABELS = {
    "email": "E-mail",
    "scholar": "Google Scholar",
    "github": "GitHub",
    "orcid": "ORCID",
    "homepage": "Homepage",
    "twitter": "X (Twitter)",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "linkedin": "LinkedIn",
    "semantic_scholar": "Semantic Scholar",
    "dblp": "DBLP",
    "cv": "CV",
}


class _Problems(list):
    def add(self, path: str, at: Located | None, message: str, hint: str | None = None, severity="error") -> None:
        line, col = (at.line - 1, at.col) if at else (0, 0)
        self.append(Problem(path, line, col, message, severity, hint))

    def add_at_key(self, at: Located, message: str, hint: str | None = None, severity: str = "error") -> None:
        """Report a problem of a mapping's key (`latex_macros`, `author_aliases`) where the key is written."""
        at = Located(None, at.key_line or at.line, at.key_col or at.col)
        self.add(SETTINGS_FILE, at, message, hint, severity)


def _settings_message(message: str) -> str:
    """Return a message of the front-matter parser as said of the settings file."""
    if message == NOT_A_MAPPING:
        return "the settings must be a mapping of `key: value` lines, such as `title: Publications`"
    return message


_SETTINGS_NAMES = ("paperfolio.yaml", "paperfolio.yml", "paperfolio.yaml.txt", "paperfolio.yml.txt")


def _settings_misnamed(root: Path, *, present: bool) -> list[Problem]:
    """Refuse a settings file under another name (`paperfolio.yml`, `Paperfolio.yaml`, an editor's
    `paperfolio.yaml.txt`) when paperfolio.yaml is not there: the site was built with no title, profile or
    base URL, without a word; beside paperfolio.yaml, such a file is warned of."""
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return []
    problems = []
    for name in names:
        if name == SETTINGS_FILE or name.lower() not in _SETTINGS_NAMES:
            continue
        if present and _same_file(root / name, root / SETTINGS_FILE):  # a system that ignores case: macOS's
            message = f"is read as {SETTINGS_FILE} only where names ignore case: not on GitHub's Linux builders"
            problems.append(Problem(name, 0, 0, message, "warning", hint=f"rename it to {SETTINGS_FILE}"))
            continue
        message = f"not read: the settings file is {SETTINGS_FILE}"
        hint = f"move what it holds into {SETTINGS_FILE}" if present else f"rename it to {SETTINGS_FILE}"
        problems.append(Problem(name, 0, 0, message, "warning" if present else "error", hint=hint))
    return problems


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _without_document_markers(text: str) -> tuple[str, Problem | None]:
    """Return the settings text with YAML's document markers blanked (a `---` before the first key, as yamllint
    asks for, and a `...` after the last), or the problem of one elsewhere: a second document. The text is
    read as front matter between `---` lines, where such a first line closed it at once, and every setting
    was left out without a word."""
    lines = text.split("\n")
    marks = [n for n, line in enumerate(lines) if line.rstrip("\r \t") in ("---", "...")]
    if not marks:
        return text, None
    significant = [n for n, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    for n in marks:
        first = lines[n].startswith("---") and all(m >= n for m in significant)
        last = lines[n].startswith("...") and all(m <= n for m in significant)
        if not (first or last):
            message = "a second YAML document starts here: the settings are one mapping of `key: value` lines"
            return text, Problem(SETTINGS_FILE, n + 1, 1, message, hint="remove this line")
        lines[n] = ""
    return "\n".join(lines), None


def load_settings(
    root: Path, *, base_url: str | None = None, env: dict | None = None
) -> tuple[Settings, list[Problem]]:
    """Return the settings of the project at `root`, with every problem found in the settings file."""
    path = root / SETTINGS_FILE
    values: dict[str, Located] = {}
    problems = _Problems()
    if path.exists() or path.is_symlink():  # a link to nothing, or a loop, is said, never taken for no file
        try:
            data = path.read_bytes()
        except OSError as error:
            return Settings(), [Problem(SETTINGS_FILE, 0, 0, f"cannot be read: {error.strerror}")]
        text, problem = decode_utf8(data, SETTINGS_FILE)
        if problem is not None:
            return Settings(), [problem]
        text, marker = _without_document_markers(text)
        if marker is not None:
            return Settings(), [marker]
        # The settings file is plain YAML; wrap it as front matter so it shares the located parser.
        raw, parse_problems = parse("---\n" + text + "\n---\n", SETTINGS_FILE)
        parse_problems = [
            replace(p, line=max(p.line - 1, 1), message=_settings_message(p.message)) for p in parse_problems
        ]
        if parse_problems and parse_problems[0].message == EMPTY_FRONT_MATTER:
            raw, parse_problems = None, []  # only comments, or nothing: every key is optional
        elif raw is None:
            return Settings(), parse_problems
        problems += parse_problems  # warnings: a value cut short at ` #`
        values = raw.fields if raw else {}
    problems += _settings_misnamed(root, present=path.exists())
    for key, item in values.items():
        if key not in TOP_KEYS:
            problems.add_at_key(item, f"unknown setting `{key}`", did_you_mean(key, TOP_KEYS))

    def text(item: Located | None, default: str = "", *, key: str) -> str:
        if item is None or item.value is None:
            return default
        if not isinstance(item.value, (str, int, float)) or isinstance(item.value, bool):
            problems.add(SETTINGS_FILE, item, f"`{key}` must be text, got {_show(item.value)}")
            return default
        written = as_written(item.value).strip()
        if written and not has_visible_text(written):  # zero-width spaces, fillers: a title or name showing nothing
            problems.add(SETTINGS_FILE, item, f"`{key}` shows no character, got {_show(item.value)}")
            return default
        return written

    def mapping(item: Located | None, name: str) -> dict[str, Located]:
        if item is None or item.value is None:
            return {}
        if not isinstance(item.value, dict):
            problems.add(SETTINGS_FILE, item, f"`{name}` must be a mapping")
            return {}
        return item.value

    owner = mapping(values.get("owner"), "owner")
    profile = mapping(values.get("profile"), "profile")
    for key, item in profile.items():
        if key not in PROFILE_KEYS:
            problems.add_at_key(item, f"unknown profile setting `{key}`", did_you_mean(key, PROFILE_KEYS))
    variants = owner.get("variants")
    variant_list = unlocate(variants) if variants is not None else []
    if not isinstance(variant_list, list) or not all(isinstance(v, str) for v in variant_list):
        problems.add(SETTINGS_FILE, variants, "`owner.variants` must be a list of names")
        variant_list = []
    # Each name is read once, so a bad one is reported once; either stands for the other when missing.
    owner_name, profile_name = text(owner.get("name"), key="owner.name"), text(profile.get("name"), key="profile.name")
    chosen_base = _base_url(base_url, (env or {}).get("PAPERFOLIO_BASE_URL"), values.get("base_url"), problems, text)
    domain = _domain(values.get("custom_domain"), problems, text)
    if domain:
        chosen_base = _on_domain(chosen_base, domain, values.get("custom_domain"), problems)
    settings = Settings(
        title=text(values.get("title"), "Publications", key="title") or "Publications",
        base_url=normalise_base_url(chosen_base),
        language=_language(values.get("language"), problems, text),
        description=text(values.get("description"), key="description"),
        owner_name=owner_name or profile_name,
        owner_variants=tuple(v.strip() for v in variant_list),
        name=profile_name or owner_name,
        photo=_photo(root, profile.get("photo"), problems, text),
        role=text(profile.get("role"), key="profile.role"),
        affiliation=text(profile.get("affiliation"), key="profile.affiliation"),
        bio=text(profile.get("bio"), key="profile.bio"),
        profile_links=_profile_links(
            root, normalise_base_url(chosen_base), mapping(profile.get("links"), "profile.links"), problems
        ),
        metrics=_metrics(profile.get("metrics"), problems, text),
        affiliation_names=_string_map(values.get("affiliations"), "affiliations", problems),
        author_aliases=_string_map(values.get("author_aliases"), "author_aliases", problems),
        authors_shown=_count(values.get("authors_shown"), 8, problems, "authors_shown"),
        featured_max=_count(values.get("featured_max"), 6, problems, "featured_max"),
        feed_limit=_count(values.get("feed_limit"), 50, problems, "feed_limit"),
        custom_domain=domain,
        footer=text(values.get("footer"), key="footer"),
        latex_macros=_latex_macros(values.get("latex_macros"), problems),
    )
    _check_aliases(values.get("author_aliases"), settings, problems)
    return settings, list(problems)


_HOST = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
_PATH = r"[A-Za-z0-9._~!$&'()*+,;=:@%/-]*"
_SITE_URL_RE = re.compile(rf"https?://(?:{_HOST}|localhost|[0-9.]+)(?::[0-9]{{1,5}})?(?:/{_PATH})?", re.IGNORECASE)
_SITE_PATH_RE = re.compile(rf"/?{_PATH}")
_DOMAIN_RE = re.compile(_HOST)


def _on_domain(base: str, domain: str, item: Located | None, problems: _Problems) -> str:
    """Return the base URL of a site served at `custom_domain`: a base URL naming no host gets the domain
    (its sitemap, feeds and canonical links were root-relative, and the sitemap so invalid); one naming
    another host is kept, with a warning, since the pages would link there."""
    if "://" not in base:
        return f"https://{domain}/{base.lstrip('/')}"
    host = base.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0].lower()
    if host != domain.lower():
        message = f"`custom_domain` is {domain}, but the base URL names {host}: absolute links will point there"
        hint = f"set `base_url: https://{domain}/`, or leave it out"
        problems.add(SETTINGS_FILE, item, message, hint, "warning")
    return base


def _base_url(option: str | None, variable: str | None, item: Located | None, problems: _Problems, text: Any) -> str:
    """Return the base URL from the option, the environment or the settings file, or report where it is wrong."""
    where, value = "--base-url", option
    if not value and variable:
        where, value = "PAPERFOLIO_BASE_URL", variable
    if not value:
        where, value = SETTINGS_FILE, text(item, "/", key="base_url")
    value = value.strip() or "/"
    address, hint = _site_address(value)
    if hint is not None:  # the value as written, not with its host in IDNA's ASCII
        message = f"`base_url` must be `/`, a path such as /my-papers/, or an http(s) URL, got {value!r}"
        if where == SETTINGS_FILE:
            problems.add(SETTINGS_FILE, item, message, hint)
        else:
            problems.append(Problem(where, 0, 0, message, hint=hint))
        return "/"
    return address


def _site_address(value: str) -> tuple[str, str | None]:
    """Return the base URL as the site will use it, and None; or the value and a hint when it is refused.

    Refused besides what is no address: a name without a scheme that reads as a host (`ada.github.io/p`
    would have been the path /ada.github.io/p/, broken once deployed), a scheme-relative `//host/`, a path
    with `.` or `..` segments (a browser resolves them, so every link would point elsewhere) and a port past
    65535. A host in another script is written as IDNA's ASCII (`_ascii_host`).
    """
    hint = "the address the site is served from, such as https://ada.github.io/my-papers/"
    if value.startswith("//"):
        return value, f"an address starts with its scheme: https:{value}"
    scheme = re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value)  # else a path, which may hold `:` later
    if scheme is None and not value.startswith("/") and re.fullmatch(_HOST, value.split("/")[0]):
        return (
            value,
            f"a name without https:// is a path, /{value.strip('/')}/; the address is https://{value.rstrip('/')}/",
        )
    if scheme is not None and re.fullmatch(rf"(?:{_HOST}|localhost):[0-9]+(?:/.*)?", value, re.IGNORECASE):
        return value, f"an address starts with its scheme: http://{value.rstrip('/')}/"
    if scheme is not None and (host := re.match(r"(https?://)([^/:]+)(.*)", value, re.IGNORECASE)):
        value = host[1] + _ascii_host(host[2]) + host[3]
    if not (_SITE_URL_RE if scheme else _SITE_PATH_RE).fullmatch(value):
        # `/文献/` or `/my papers/`: the address a browser sends is the same, percent-encoded; say so.
        encoded = re.sub(r"[^\x21-\x7e]", lambda found: quote(found.group()), value)
        if encoded != value and (_SITE_URL_RE if scheme else _SITE_PATH_RE).fullmatch(encoded):
            return value, f"an address holds a space or a letter beyond ASCII percent-encoded: {encoded}"
        return value, hint
    path = value.split("://", 1)[1].partition("/")[2] if scheme else value
    if any(unquote(segment) in (".", "..") for segment in path.split("/")):  # `%2e%2e` is `..` to a browser
        return value, "write the path without `.` or `..` segments"
    if re.search(r"%(?![0-9A-Fa-f]{2})", path):  # `/%zz/` made every address on every page invalid
        return value, "a `%` in an address starts a two-digit escape, such as %20 for a space"
    if scheme and (port := re.match(r"https?://[^/:]+:([0-9]+)", value)) and not 1 <= int(port[1]) <= 65535:
        return value, "a port is a whole number from 1 to 65535"
    if page := re.search(r"/[^/]+\.(?:html?|php)$", value, re.IGNORECASE):  # copied from the address bar
        # `https://ada.github.io/index.html` made every address /index.html/…: a page is no folder of the site.
        return value, f"the address of the site's folder, without its page: {value[: page.start() + 1]}"
    return value, None


def _ascii_host(name: str) -> str:
    """Return a host name in another script as IDNA's ASCII (`bücher.example` -> `xn--bcher-kva.example`), and
    any other as it is (what IDNA cannot encode is left for the host pattern to refuse)."""
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return name


def _asset_file(root: Path, value: str, folder: str = "assets") -> str | None:
    """Return the path under assets/ of a file named as `x.jpg`, `assets/x.jpg` or `/assets/x.jpg`, or None
    when no such file is there to be copied (hidden files are not); with `folder="static"`, the site path of
    a file under static/ named as `/cv.pdf`."""
    name = value.removeprefix("/").removeprefix("assets/") if folder == "assets" else value.removeprefix("/")
    assets = (root / folder).resolve()
    path = (assets / name).resolve()
    if not path.is_relative_to(assets) or not path.is_file() or any(part.startswith(".") for part in Path(name).parts):
        return None
    return Path(os.path.normpath(name)).as_posix()  # as `render.asset_urls` names it


def _photo(root: Path, item: Located | None, problems: _Problems, text: Any) -> str | None:
    """Return the photo's path under assets/ (a leading `assets/` is allowed), or report it."""
    value = text(item, key="profile.photo")
    if not value:
        return None
    name = _asset_file(root, value)
    if name is None:
        wanted = value.removeprefix("/").removeprefix("assets/")
        inside = ".." not in wanted.split("/") and ":" not in wanted and not wanted.startswith("/")
        if inside and not (root / "assets" / wanted).is_dir():  # a path under assets/ with no file there
            problems.add(
                SETTINGS_FILE,
                item,
                f"`profile.photo`: no file assets/{wanted}",
                f"put the photo at assets/{wanted}, or leave `photo:` empty for initials",
            )
            return None
        problems.add(
            SETTINGS_FILE,
            item,
            f"`profile.photo` must be a file under assets/, got {value!r}",
            "a path such as images/me.jpg for assets/images/me.jpg, or leave it empty for initials",
        )
        return None
    if not name.lower().endswith(IMAGE_SUFFIXES):  # a PDF or a phone's HEIC was an <img> no browser shows
        message = f"`profile.photo` must be a picture ({', '.join(IMAGE_SUFFIXES)}), got {value!r}"
        problems.add(SETTINGS_FILE, item, message)
        return None
    return name


def _language(item: Located | None, problems: _Problems, text: Any) -> str:
    """Return the pages' language (their `lang` attribute), or report one that is not a BCP 47 tag."""
    value = text(item, "en", key="language") or "en"
    if not LANGUAGE_RE.fullmatch(value):
        # `zh_CN`, as locales are named on Linux and in Python: a web page's language joins its parts with `-`.
        meant = value.replace("_", "-")
        hint = f"write `language: {meant}`" if "_" in value and LANGUAGE_RE.fullmatch(meant) else None
        problems.add(SETTINGS_FILE, item, f"`language` must be a BCP 47 tag such as en or zh-CN, got {value!r}", hint)
        return "en"
    return value


def _domain(item: Located | None, problems: _Problems, text: Any) -> str | None:
    """Return the custom domain (a host name, written to site/CNAME), or report it."""
    value = text(item, key="custom_domain")
    if not value:
        return None
    value = _ascii_host(value)
    if not _DOMAIN_RE.fullmatch(value):
        problems.add(
            SETTINGS_FILE,
            item,
            f"`custom_domain` must be a host name such as papers.example.org, got {value!r}",
            "only the name: no https://, no path",
        )
        return None
    return value.lower()


def normalise_base_url(url: str) -> str:
    """Return the base URL with exactly one trailing slash; a bare path gets a leading slash."""
    url = url.strip() or "/"
    if "://" not in url and not url.startswith("/"):
        url = "/" + url
    return url.rstrip("/") + "/"


# Where a profile named by its handle alone lives (`github: calico-1226`), for the hint; a handle is not
# made into an address, as a guess would publish a link to whoever holds the handle there.
_HANDLE_ADDRESSES = {
    "github": "https://github.com/{}",
    "twitter": "https://x.com/{}",
    "linkedin": "https://www.linkedin.com/in/{}",
    "bluesky": "https://bsky.app/profile/{}",
}


def _handle_address(kind: str, value: str) -> str | None:
    """Return the address a profile link written as a handle means (`@jdai` on Mastodon is `@jdai@host`),
    or None when the value is no handle."""
    if kind == "mastodon" and (found := re.fullmatch(r"@?([\w.-]+)@([\w-]+(?:\.[\w-]+)+)", value)):
        return f"https://{found[2]}/@{found[1]}"
    handle = value.removeprefix("@")
    if kind in _HANDLE_ADDRESSES and re.fullmatch(r"[\w.-]+", handle) and ("." not in handle or kind == "bluesky"):
        return _HANDLE_ADDRESSES[kind].format(handle)
    return None


def _profile_links(
    root: Path, base_url: str, items: dict[str, Located], problems: _Problems
) -> tuple[ProfileLink, ...]:
    """Return the profile's links; a link but `email` may name a file kept under assets/ (`cv: /assets/cv.pdf`,
    as al-folio keeps a CV), linked under the base path, and a missing one is an error as a missing photo is."""
    result = []
    for kind, item in items.items():
        if item.value in (None, ""):
            continue
        if isinstance(item.value, (list, dict, bool)):  # `github: [1]` printed the parser's own objects
            message = f"`profile.links.{kind}` must be a web address or a file of the site, got {_show(item.value)}"
            problems.add(SETTINGS_FILE, item, message)
            continue
        label = PROFILE_LINK_LABELS.get(kind, kind.replace("_", " ").title())
        close = did_you_mean(kind, PROFILE_LINK_LABELS) if kind not in PROFILE_LINK_LABELS else None
        if close:  # any kind may be linked (`facebook:`), but `googlescholar:` is a known one misspelt
            message = f"`profile.links.{kind}` is no kind paperfolio knows; it is shown as “{label}”"
            problems.add_at_key(item, message, close, "warning")
        value = str(item.value).strip()
        if kind != "email" and value.removeprefix("/").startswith("assets/"):
            name = _asset_file(root, value)
            if name is None:
                problems.add(SETTINGS_FILE, item, f"`profile.links.{kind}` names no file under assets/: {value!r}")
            else:
                result.append(ProfileLink(kind, Urls(base_url).asset_url(name), label))
            continue
        if kind != "email" and value.startswith("/") and not value.startswith("//"):  # a file of static/: `/cv.pdf`
            name = _asset_file(root, value, "static")
            if name is None:
                message = f"`profile.links.{kind}` names no file under static/ (or assets/): {value!r}"
                problems.add(SETTINGS_FILE, item, message)
            else:
                result.append(ProfileLink(kind, Urls(base_url).url(name), label))
            continue
        if kind == "email" and "@" in value and ":" not in value:
            value = "mailto:" + value
        if (meant := _handle_address(kind, value)) is not None:  # `github: calico-1226`, `twitter: '@jdai'`
            message = f"`profile.links.{kind}` must be a web address, got {value!r}"
            problems.add(SETTINGS_FILE, item, message, f"the address of that profile: {meant}")
            continue
        if kind == "orcid" and ":" not in value:
            if not ORCID.match(value):  # `0000` made https://orcid.org/0000, a page of no one
                message = f"`profile.links.orcid` must be an ORCID iD such as 0000-0002-1825-0097, got {value!r}"
                problems.add(SETTINGS_FILE, item, message)
                continue
            if not orcid_checks(value):
                message = f"`profile.links.orcid` {value} is no ORCID iD: its last character does not check"
                problems.add(SETTINGS_FILE, item, message, ORCID_HINT)
                continue
            value = "https://orcid.org/" + value
        check = _SettingsCheck(problems)
        url = _url(item, check, f"profile.links.{kind}", value)
        if url:
            result.append(ProfileLink(kind, url, label))
    return tuple(result)


class _SettingsCheck:
    """Adapter so the content URL rule reports into the settings problem list."""

    def __init__(self, problems: _Problems):
        self.problems = problems

    def error(self, at: Located | None, message: str, hint: str | None = None) -> None:
        self.problems.add(SETTINGS_FILE, at, message, hint)


def _metrics(item: Located | None, problems: _Problems, text: Any) -> tuple[Metric, ...]:
    if item is None or item.value is None:
        return ()
    if not isinstance(item.value, list):
        problems.add(SETTINGS_FILE, item, "`profile.metrics` must be a list of {label, value, source, as_of}")
        return ()
    result = []
    for entry in item.value:
        if not isinstance(entry.value, dict) or "label" not in entry.value or "value" not in entry.value:
            problems.add(SETTINGS_FILE, entry, "a metric needs `label` and `value`")
            continue
        fields = entry.value
        source_url = None
        if fields.get("source_url") is not None:
            source_url = _url(fields["source_url"], _SettingsCheck(problems), "source_url")
        result.append(
            Metric(
                label=text(fields["label"], key="label"),
                value=text(fields["value"], key="value"),
                source=text(fields.get("source"), key="source") or None,
                source_url=source_url,
                as_of=text(fields.get("as_of"), key="as_of") or None,
            )
        )
    return tuple(result)


def _string_map(item: Located | None, name: str, problems: _Problems) -> dict[str, str]:
    """Return a mapping of text to text that pages show (affiliations' names, coauthors'), each value visible."""
    if item is None or item.value is None:
        return {}
    plain = unlocate(item)
    if not isinstance(plain, dict) or not all(isinstance(v, str) for v in plain.values()):
        problems.add(SETTINGS_FILE, item, f"`{name}` must map text to text")
        return {}
    result = {}
    for (key, value), at in zip(plain.items(), item.value.values(), strict=True):
        if not has_visible_text(value):  # an affiliation line, or a coauthor's link and page title, of nothing
            problems.add(SETTINGS_FILE, at, f"`{name}`: `{key}` maps to text that shows no character, got {value!r}")
            continue
        result[str(key)] = value
    return result


MAX_MACRO_CHARS = 100  # the text of a macro: each use of `\x` may grow 50-fold, as `$x$` grows into MathML
_MACRO_NAME_RE = re.compile(r"\\?([A-Za-z]+)")


def _latex_macros(item: Located | None, problems: _Problems) -> tuple[tuple[str, str], ...]:
    """Return the site's own text macros, `InterMT: InterMT` or `method: "\\textsc{Aligner}"`, sorted by name.

    A replacement is LaTeX text read with the built-in macros only (no arguments; one macro cannot use
    another), so a macro the reader does not know, in it, is an error here rather than a warning per paper.
    """
    if item is None or item.value is None:
        return ()
    if not isinstance(item.value, dict):
        problems.add(
            SETTINGS_FILE, item, "`latex_macros` must map a macro's name to its text, such as `InterMT: InterMT`"
        )
        return ()
    from .latex import is_builtin, parse_builtin

    result = {}
    for key, value in item.value.items():
        found = _MACRO_NAME_RE.fullmatch(key)
        if found is None:
            problems.add_at_key(value, f"`latex_macros`: {key!r} is not a macro name (letters only, as \\InterMT)")
            continue
        name = found.group(1)
        if is_builtin(name):
            problems.add_at_key(value, f"`latex_macros`: `\\{name}` is built in and cannot be replaced")
            continue
        if isinstance(value.value, bool) or not isinstance(value.value, (str, int, float)):
            problems.add(SETTINGS_FILE, value, f"`latex_macros.{name}` must be text")
            continue
        text = as_written(value.value)
        if len(text) > MAX_MACRO_CHARS or "\n" in text:
            problems.add(
                SETTINGS_FILE, value, f"`latex_macros.{name}` must be one line of at most {MAX_MACRO_CHARS} characters"
            )
            continue
        if "$" in text:
            message = f"`latex_macros.{name}` holds math: a macro is read in text, never inside a formula"
            problems.add(SETTINGS_FILE, value, message)
            continue
        if "\\\\" in text:  # `'\\textsc{A}'`: the backslash doubled, as double quotes want, in single quotes
            fixed = text.replace("\\\\", "\\")
            message = f"`latex_macros.{name}` holds `\\\\`, a line break: a macro takes one backslash, '{fixed}'"
            problems.add(SETTINGS_FILE, value, message)
            continue
        _nodes, warnings = parse_builtin(text)
        for warning in dict.fromkeys(warnings):  # a macro used four times is one mistake, said once
            problems.add(SETTINGS_FILE, value, f"`latex_macros.{name}`: {warning.replace(' kept as text', '')}")
        if not warnings:
            result[name] = text
    return tuple(sorted(result.items()))


def _check_aliases(item: Located | None, settings: Settings, problems: _Problems) -> None:
    """Refuse aliases that cannot mean what they say: one is applied once, so a name mapped on to another
    mapped name (a chain, or two names mapped to each other, which swapped their coauthor pages) is not
    followed; and the owner's spellings belong under `owner.variants` (mapped here, a coauthor's page vanished
    into the owner's, who has none)."""
    aliases = settings.author_aliases
    if not aliases or item is None or not isinstance(item.value, dict):
        return
    owner = settings.owner_names
    for variant, canonical in aliases.items():
        at = item.value[variant]
        if variant in owner or canonical in owner:
            message = f"`author_aliases`: `{variant}: {canonical}` names the owner"
            problems.add_at_key(at, message, "the owner's other spellings go under `owner.variants`")
        elif canonical in aliases and canonical != variant:  # mapping a name to itself does nothing
            final = aliases[canonical]
            message = f"`author_aliases`: `{canonical}` is mapped on to `{final}`, and aliases are not followed"
            hint = f"map `{variant}` to `{final}`" if final != variant else "map both spellings to the one name"
            problems.add_at_key(at, message, hint)


def _count(item: Located | None, default: int, problems: _Problems, key: str) -> int:
    if item is None:
        return default
    if isinstance(item.value, bool) or not isinstance(item.value, int) or item.value < 0:
        problems.add(SETTINGS_FILE, item, f"`{key}` must be a whole number, 0 or more, got {_show(item.value)}")
        return default
    return item.value
