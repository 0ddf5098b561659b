"""The book's pages as _toc.yml lists them: test parameters, read at collection time."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def toc_entries(entries: list[dict]) -> list[str]:
    """The files of TOC entries and, depth first, of their sections."""
    files = []
    for entry in entries:
        if "file" in entry:
            files.append(entry["file"])
        files += toc_entries(entry.get("sections", []))
    return files


def toc_files(root: Path = ROOT) -> list[str]:
    """Every page in _toc.yml (docnames, without suffix), root page first."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += toc_entries(part.get("chapters", []))
    return files
