"""Whether a text shows a reader anything: a name, tag or title, or a link's text, of invisible characters alone
made links and headings with nothing to see or hear."""

from __future__ import annotations

import re
import unicodedata

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


# Cyrillic and Greek letters drawn as a Latin one is (a short list from Unicode's confusables.txt, not all of it):
# `Juntao Dаi` with a Cyrillic `а` looks like the owner's name but is another person to the build.
_LATIN_LOOK = str.maketrans(
    "АВЕЅІЈКМНОРСТХԚԜаеѕіјорсхуһԁԛԝӀӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧο",
    "ABESIJKMHOPCTXQWaesijopcxyhdqwIlABEZHIKMNOPTYXo",
)


def skeleton(text: str) -> str:
    """Return how a text looks, for finding two texts that look alike but are different characters: Unicode's
    compatibility form (NFKC: `Ｊ` is `J`, a no-break space a space), invisible characters left out, Cyrillic
    and Greek letters drawn like Latin ones read as those, runs of spaces as one."""
    if text.isascii():
        return text
    return " ".join("".join(map(_look, text)).split())


def _look(character: str) -> str:
    """Return how one character looks (`skeleton`): nothing for one that shows nothing."""
    if character.isascii():
        return character
    if unicodedata.category(character) == "Cf" or _BLANK_RE.match(character):
        return ""
    return unicodedata.normalize("NFKC", character).translate(_LATIN_LOOK)


def look_alike_characters(text: str, other: str) -> list[str]:
    """Return, for a text whose `skeleton` is another's, each character of it the other lacks that looks like
    something else (`U+0430 CYRILLIC SMALL LETTER A, which reads as 'a'`): terminal-safe, none printed as is."""
    found = []
    for character in dict.fromkeys(text):
        look = _look(character)
        if look != character and character not in other:
            name = unicodedata.name(character, "")
            shown = f"U+{ord(character):04X} {name}".rstrip()
            found.append(f"{shown}, which reads as {look!r}" if look else f"{shown}, which shows nothing")
    return found
