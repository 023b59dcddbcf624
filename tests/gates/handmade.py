"""Helpers to write the small hand-made sites that prove each gate can fail."""

from __future__ import annotations

from pathlib import Path


def write_site(root: Path, files: dict[str, str]) -> Path:
    """Write `files` ({relative path: text}) under `root` and return it."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
