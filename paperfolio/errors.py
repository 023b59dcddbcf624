"""Problems found in a user's files, and the one way they are printed.

A `Problem` names a file (relative to the project root), a 1-based line and column counted in the
whole file, and a message in the shape compilers use, so editors can jump to it:

    content/papers/beavertails.md:3:7: error: `date` must be YYYY-MM-DD, YYYY-MM or YYYY, got '2023-13-45'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .record import quick_pickle


@quick_pickle
@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One error or warning about one place in one file."""

    path: str
    line: int = 0
    col: int = 0
    message: str = ""
    severity: str = "error"  # "error" | "warning"
    hint: str | None = None

    def format(self) -> str:
        """Return `path:line:col: severity: message`, plus an indented hint line when there is one."""
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return _TERMINAL_UNSAFE.sub(_spelled, text)

    def as_dict(self) -> dict:
        """Return the problem as plain data for `check --format json`."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


# What a message quoting a file may carry into a terminal and should not: control characters (an escape sequence
# recolours or clears the screen, a carriage return overwrites the line) and the bidirectional controls that
# reorder what follows (a hostile title's `U+202E` made the rest of the line read backwards). Shown as `\u202e`.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _spelled(found: re.Match) -> str:
    """Return a character as Python writes it in a string: `\\u202e`."""
    return f"\\u{ord(found.group()):04x}"


class ContentError(Exception):
    """The user's content, settings or layouts have problems; the build stops without a traceback."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def errors_only(problems: list[Problem]) -> list[Problem]:
    """Return the problems that stop a build."""
    return [p for p in problems if p.severity == "error"]


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """Return the hint `did you mean `x`?` naming the known name closest to `word`, or None."""
    found = closest(word, choices)
    return f"did you mean `{found}`?" if found else None


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """Return the choice closest to `word` (`difflib`'s ratio at least `cutoff`), or None."""
    close = close_matches(word, choices, 1, cutoff)
    return close[0] if close else None


def close_matches(word: str, choices: Iterable[str], n: int, cutoff: float) -> list[str]:
    """Return up to `n` choices closest to `word`, closest first (`difflib.get_close_matches`).

    `difflib` is imported here, on the way to a problem, rather than by every build at start-up."""
    import difflib

    return difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)


def line_of(path: Path, text: str) -> int:
    """Return the first line of a file that contains `text`, or 0: where a problem about a value is."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    return next((number for number, line in enumerate(lines, 1) if text in line), 0)
