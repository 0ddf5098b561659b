"""Check the book's pages against the course's promises, without building it.

``ccin-learn book check`` reports, page by page: fact ids the registry lacks,
figures written in the prose instead of quoted from the registry, sentences
about what "the sources" lack; and, module by module, whether the claimed
study time matches the pages' reading time plus their activities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ccin_learn.course.catalogue import Catalogue
from ccin_learn.course.facts import FactRegistry
from ccin_learn.course.pages import (
    STUDY_TIME_TOLERANCE,
    PageTime,
    fact_ids,
    page_file,
    page_markdown,
    page_time,
    sources_lack,
    stray_figures,
    study_gap,
)
from ccin_learn.site.toc import chapter_docnames, toc_docnames


@dataclass(frozen=True)
class PageProblems:
    """What is wrong with one page's text."""

    docname: str
    unknown_facts: list[str]
    stray: list[str]
    lacks: list[str]

    def __bool__(self) -> bool:
        return bool(self.unknown_facts or self.stray or self.lacks)

    def lines(self) -> list[str]:
        found = [f"unknown fact id {fact_id!r}" for fact_id in self.unknown_facts]
        found += [f"figure not from the registry: {figure!r}" for figure in self.stray]
        found += [f"says what the sources lack: {phrase!r}" for phrase in self.lacks]
        return [f"{self.docname}: {problem}" for problem in found]


@dataclass(frozen=True)
class ModuleTime:
    """A module's claimed study time beside its pages' times."""

    module_id: str
    claimed_minutes: float
    pages: list[PageTime]

    @property
    def total(self) -> int:
        return sum(page.minutes for page in self.pages)

    @property
    def gap(self) -> float:
        return study_gap(self.claimed_minutes, self.pages)

    @property
    def honest(self) -> bool:
        return abs(self.gap) <= STUDY_TIME_TOLERANCE

    def line(self) -> str:
        reading = sum(page.reading for page in self.pages)
        activities = sum(page.activities for page in self.pages)
        verdict = "ok" if self.honest else "OUTSIDE 15%"
        return (
            f"{self.module_id}: claims {self.claimed_minutes:.0f} min; pages {self.total} min "
            f"(reading {reading} + activities {activities}); {self.gap:+.0%} {verdict}"
        )


@dataclass
class BookCheck:
    """Every page's problems and every module's study time."""

    problems: list[PageProblems] = field(default_factory=list)
    modules: list[ModuleTime] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(module.honest for module in self.modules)


def check_page(root: Path, docname: str, registry: FactRegistry) -> PageProblems:
    markdown = page_markdown(page_file(root, docname))
    known = {fact.id for fact in registry.facts}
    unknown = [fact_id for fact_id in fact_ids(markdown) if fact_id not in known]
    return PageProblems(docname, unknown, stray_figures(markdown), sources_lack(markdown))


def module_times(root: Path, catalogue: Catalogue, registry: FactRegistry) -> list[ModuleTime]:
    """Each catalogue module's claimed time and its pages' times."""
    chapters = chapter_docnames(root)
    return [
        ModuleTime(
            module.id,
            module.hours * 60,
            [page_time(root, docname, registry) for docname in chapters.get(module.page, [])],
        )
        for module in catalogue.modules
    ]


def check_book(root: Path, catalogue: Catalogue, registry: FactRegistry) -> BookCheck:
    problems = [check_page(root, docname, registry) for docname in toc_docnames(root)]
    return BookCheck(
        problems=[page for page in problems if page],
        modules=module_times(root, catalogue, registry),
    )
