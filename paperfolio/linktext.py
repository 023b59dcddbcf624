"""Link text that reads as a web address shows the address the link goes to.

Markdown lets a link's text say anything, so `[https://google.com](https://evil.example/)` shows one address
and goes to another, and a host in another script (`https://аррӏе.com/`, in Cyrillic letters) reads as a
familiar Latin one. A link whose text names a web address (after `http://` or `https://`, or `www.` or a dotted
host followed by `/`) shows the address it goes to instead, its host in ASCII (`xn--…`, as browsers show such a
host), when the host named is not the link's own (`www.` aside) or is not ASCII; a warning says so. Other link
text is the author's to choose (`[the code](…)`, `[arXiv:2402.02416](…)`), and so is text naming the link's own
host. (An address with a user name, `https://google.com@evil.example/`, is no link at all: `urls`.)

A link that shows no text at all (`[](https://a.org)`, a zero-width space, a picture without alt text) is a Tab
stop that shows and says nothing (axe's `link-name`, WCAG 2.4.4): it is left out, its content kept, with a warning.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from .urls import INVISIBLE
from .visible import has_visible_text

# A link as the sanitiser writes it: `href` first, then any `title`.
LINK_RE = re.compile(r'<a href="([^"]*)"(?: [a-z]+="[^"]*")*>((?:(?!</a>).)*)</a>', re.DOTALL)
DESCRIBED_IMAGE_RE = re.compile(r'<img\b[^>]*\salt="[^"]')  # a picture with alt text: the link's text
TAG_RE = re.compile(r"<[^>]*>")
INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
_HOST = r"[^\s/?#@:\[\]]+"
# A host a text names: after a scheme (and any user name), or a `www.` one, or a dotted one ending in a label of
# letters (a top-level domain: not `PyTorch 2.1/docs` or `e.g./i.e.`) before a `/`.
NAMED_HOST_RE = re.compile(
    rf"(?i)(?<![\w.@-])(?:https?://(?:[^\s/?#@]*@)?(\[[^\]\s]*\]|{_HOST})|(www\.{_HOST})|((?:[\w-]+\.)+[a-z]{{2,}})/)"
)
TRAILING = ".,;:!?)'\""


def fold(host: str) -> str:
    """Return a host as the link goes to it: lowercase, ASCII (IDNA), without `www.` or a final dot."""
    host = host.rstrip(TRAILING).rstrip(".").lower().removeprefix("www.")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # not a name IDNA can write (an empty or too long label): compared as written
        return host


def named_hosts(text: str) -> list[str]:
    """Return the hosts a link's visible text names, as written."""
    return [next(filter(None, found.groups())) for found in NAMED_HOST_RE.finditer(text)]


def shown_address(address: str) -> str:
    """Return an address as the link text shows it: an http(s) host in ASCII."""
    parts = urlsplit(address)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return address
    host = fold(parts.hostname) if not parts.hostname.startswith("www.") else "www." + fold(parts.hostname)
    host = f"[{host}]" if ":" in host else host
    netloc = host + (f":{parts.port}" if parts.port is not None else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def misleads(text: str, address: str) -> bool:
    """Return whether a link's visible text names a web address that is not where the link goes."""
    hosts = named_hosts(INVISIBLE_RE.sub("", text))
    if not hosts:
        return False
    parts = urlsplit(address)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return True  # a page of the site, or an e-mail address: no host a text can name
    own = fold(parts.hostname)
    return any(not host.isascii() or fold(host) != own for host in hosts)


@lru_cache(maxsize=4096)
def disclose(fragment: str) -> tuple[str, tuple[str, ...]]:
    """Return sanitised HTML with each misleading link's text replaced by its address, each link showing no text
    left out, and a warning for each."""
    warnings: list[str] = []

    def replace(link: re.Match) -> str:
        address = html.unescape(link.group(1))
        text = html.unescape(TAG_RE.sub("", link.group(2)))
        if not has_visible_text(text) and "<math" not in link.group(2) and not DESCRIBED_IMAGE_RE.search(link.group(2)):
            warnings.append(f"link to `{address}` shows no text: left out; write its text, [the code]({address})")
            return link.group(2)
        if not misleads(text, address):
            return link.group()
        shown = shown_address(address)
        warnings.append(
            f"link text `{' '.join(text.split())}` may read as another address than the link's own: it shows `{shown}`"
        )
        escaped = shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<a href="{link.group(1)}">{escaped}</a>'

    return LINK_RE.sub(replace, fragment), tuple(warnings)
