"""Whether a text shows a reader anything: a name, tag or title, or a link's text, of invisible characters alone
made links and headings with nothing to see or hear."""

from __future__ import annotations

import re

# What prints as nothing though Python calls it printable: the Hangul fillers, the blank braille pattern, and the
# variation selectors and other marks Unicode says to ignore when they cannot be shown.
_BLANK_RE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2800\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]"
)


def has_visible_text(text: str) -> bool:
    """Return whether text shows a character: zero-width spaces, bidirectional controls, Hangul fillers and
    whitespace alone show none."""
    if text.isascii():
        return not text.isspace() and text != ""
    return any(c.isprintable() and not c.isspace() for c in _BLANK_RE.sub("", text))
