"""The book's pages as ``_toc.yml`` lists them, and which pages make up each chapter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

TOC_FILE = "_toc.yml"


def entry_docnames(entries: list[dict[str, Any]]) -> list[str]:
    """The files of TOC entries and, depth first, of their sections."""
    docnames: list[str] = []
    for entry in entries:
        if "file" in entry:
            docnames.append(str(entry["file"]))
        docnames += entry_docnames(entry.get("sections", []))
    return docnames


def read_toc(root: Path) -> dict[str, Any]:
    toc: dict[str, Any] = yaml.safe_load((root / TOC_FILE).read_text(encoding="utf-8"))
    return toc


def toc_docnames(root: Path) -> list[str]:
    """Every page the book builds, root page first."""
    toc = read_toc(root)
    docnames = [str(toc["root"])]
    for part in toc.get("parts", []):
        docnames += entry_docnames(part.get("chapters", []))
    return docnames


def chapter_docnames(root: Path) -> dict[str, list[str]]:
    """Each chapter's pages, by the chapter's own page: itself, then its sections."""
    chapters: dict[str, list[str]] = {}
    for part in read_toc(root).get("parts", []):
        for chapter in part.get("chapters", []):
            if "file" in chapter:
                chapters[str(chapter["file"])] = entry_docnames([chapter])
    return chapters
