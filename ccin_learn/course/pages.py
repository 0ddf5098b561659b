"""What a learner reads on a page: its prose, reading time, activities and stray figures.

The book's Sphinx extension shows each page's reading time from these
functions, and the tests hold the course to two promises with the same
functions: a module's claimed study time is what its pages take to read plus
the activities they set, and every figure, percentage or statute section in
the prose comes from the fact registry (``{fact}`` and ``{fact-value}``),
unless it sits in a passage marked as a worked example.

The reading is line-based MyST: fenced blocks (backticks or colons) are
classified by their directive, so code, tool cells and quizzes are not read
as prose while notes, tables and activities are.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ccin_learn.course.facts import Fact, FactRegistry
from ccin_learn.errors import KitError

WORDS_PER_MINUTE = 200

FACT_ROLE = re.compile(r"\{fact(?P<value>-value)?\}`(?P<id>[^`]+)`")
FENCE = re.compile(r"^\s*(?P<marks>`{3,}|:{3,})\s*(?:\{(?P<name>[\w-]+)\})?(?P<rest>.*)$")
OPTION_LINE = re.compile(r"^\s*:[\w-]+:")
HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<title>.*)$")
LINK = re.compile(r"!?\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]*)[^)]*\)")
URL = re.compile(r"<?https?://\S+>?")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
MINUTES = re.compile(r"^\s*:minutes:\s*(?P<minutes>\d+)\s*$")
WORD = re.compile(r"\S*\w\S*")

# Directives whose body a learner does not read as prose: code and tools.
CODE_DIRECTIVES = frozenset(
    {"code-cell", "code", "code-block", "quiz", "raw", "math", "fact-table", "toctree"}
)
EXAMPLE_DIRECTIVE = "worked-example"
ACTIVITY_DIRECTIVE = "activity"
SOURCES_HEADINGS = frozenset({"sources", "sources and further reading", "further reading"})

# A pound amount, a percentage, or a section of an Act: each must come from the registry.
STRAY_FIGURE = re.compile(
    r"£\s?\d[\d,.]*(?:\s?(?:m|bn|k|million|billion)\b)?"
    r"|\b\d+(?:\.\d+)?\s?(?:%|per\s?cent\b|percent\b)"
    r"|\bss?\.\s?\d+[A-Z]?\b"
    r"|\b[Ss]ections?\s+\d+[A-Z]?\b"
)


@dataclass(frozen=True)
class Line:
    """One line of a page with what kind of passage it sits in."""

    text: str
    code: bool
    example: bool
    sources: bool


def page_markdown(path: Path) -> str:
    """A page's MyST text: a Markdown file as written, a notebook's Markdown cells joined."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".ipynb":
        return text
    cells = json.loads(text).get("cells", [])
    return "\n\n".join(
        "".join(cell.get("source", "")) for cell in cells if cell.get("cell_type") == "markdown"
    )


def strip_front_matter(markdown: str) -> str:
    if markdown.startswith("---\n"):
        end = markdown.find("\n---", 4)
        if end != -1:
            return markdown[end + 4 :]
    return markdown


def classify(markdown: str) -> Iterator[Line]:
    """Every line of the page, marked as code, worked example and/or sources section."""
    stack: list[tuple[str, str | None]] = []
    in_sources = False
    for raw in COMMENT.sub("", strip_front_matter(markdown)).splitlines():
        fence = FENCE.match(raw)
        if fence and stack and closes(fence, stack[-1]):
            stack.pop()
            continue
        if fence and not (stack and is_code(stack)):
            name = fence["name"] or ("code" if fence["rest"].strip() else None)
            if fence["marks"].startswith(":") and fence["name"] is None:
                name = None
            stack.append((fence["marks"], name))
            yield line_in(fence["rest"], stack, in_sources)
            continue
        heading = HEADING.match(raw) if not stack else None
        if heading and len(heading["level"]) <= 2:
            in_sources = heading["title"].strip().lower() in SOURCES_HEADINGS
        option = bool(stack) and bool(OPTION_LINE.match(raw))
        yield line_in("" if option else raw, stack, in_sources)


def line_in(text: str, stack: list[tuple[str, str | None]], in_sources: bool) -> Line:
    """A line of text inside the open blocks of ``stack`` (a directive's title included)."""
    return Line(
        text=text,
        code=is_code(stack),
        example=any(name == EXAMPLE_DIRECTIVE for _, name in stack),
        sources=in_sources,
    )


def closes(fence: re.Match[str], opened: tuple[str, str | None]) -> bool:
    marks = fence["marks"]
    return (
        marks[0] == opened[0][0]
        and len(marks) >= len(opened[0])
        and not fence["name"]
        and not fence["rest"].strip()
    )


def is_code(stack: list[tuple[str, str | None]]) -> bool:
    return any(name in CODE_DIRECTIVES for _, name in stack)


def expand_facts(text: str, registry: FactRegistry) -> str:
    """The text as the reader sees it: each fact role replaced by its words."""

    def words(match: re.Match[str]) -> str:
        try:
            fact = registry.get(match["id"].strip())
        except KeyError:
            return ""
        return (fact.value or "") if match["value"] else fact.statement

    return FACT_ROLE.sub(words, text)


def readable(text: str) -> str:
    """A line's words without Markdown link targets or bare addresses."""
    return URL.sub(" ", LINK.sub(lambda match: match["text"], text))


FACT_TABLE = re.compile(r"^\s*[`:]{3,}\s*\{fact-table\}", re.MULTILINE)


def word_count(markdown: str, registry: FactRegistry) -> int:
    """The words a learner reads on the page, facts included, code and tools left out.

    The "Facts and figures" page's ``{fact-table}`` counts as every fact it lists.
    """
    lines = (line.text for line in classify(markdown) if not line.code)
    words = len(WORD.findall(readable(expand_facts("\n".join(lines), registry))))
    if FACT_TABLE.search(markdown):
        words += sum(len(WORD.findall(fact_text(fact))) for fact in registry.facts)
    return words


def fact_text(fact: Fact) -> str:
    """What the "Facts and figures" table shows of a fact."""
    sources = " ".join(f"{source.title} {source.publisher}" for source in fact.sources)
    return f"{fact.statement} {' '.join(fact.nations)} {sources}"


def reading_minutes(markdown: str, registry: FactRegistry) -> int:
    """Minutes to read the page at 200 words a minute, rounded up, at least one."""
    return max(1, math.ceil(word_count(markdown, registry) / WORDS_PER_MINUTE))


def activity_minutes(markdown: str) -> int:
    """The stated minutes of every ``{activity}`` on the page."""
    total = 0
    inside = False
    for raw in strip_front_matter(markdown).splitlines():
        fence = FENCE.match(raw)
        if fence and fence["name"] == ACTIVITY_DIRECTIVE:
            inside = True
            continue
        minutes = MINUTES.match(raw)
        if inside and minutes:
            total += int(minutes["minutes"])
            inside = False
        elif inside and raw.strip() and not OPTION_LINE.match(raw):
            inside = False
    return total


def stray_figures(markdown: str) -> list[str]:
    """Pound amounts, percentages and Act sections written in the prose, not from the registry.

    Worked examples, code, the Sources section, link addresses and fact roles
    are left out: a worked example's figures are illustrative, and a fact
    role's figures come from the registry.
    """
    found: list[str] = []
    for line in classify(markdown):
        if line.code or line.example or line.sources:
            continue
        text = readable(FACT_ROLE.sub(" ", line.text))
        found += [match.group(0).strip() for match in STRAY_FIGURE.finditer(text)]
    return found


def fact_ids(markdown: str) -> list[str]:
    """The ids of the facts a page quotes, in order, as written."""
    return [match["id"].strip() for match in FACT_ROLE.finditer(markdown)]


# Sentences that tell the reader what the course's sources lack, instead of finding out.
SOURCES_LACK = re.compile(
    r"\bsources? (?:do|does|did) not\b|\bsources don't\b|course's sources\b"
    r"|\bsources (?:say|show|include|name|set|give) (?:no|nothing)\b",
    re.IGNORECASE,
)

# A module's claimed study time may differ from its pages' time by this fraction.
STUDY_TIME_TOLERANCE = 0.15


def sources_lack(markdown: str) -> list[str]:
    """Sentences of the form "the sources do not say", which the course must not print."""
    return [match.group(0) for match in SOURCES_LACK.finditer(strip_front_matter(markdown))]


@dataclass(frozen=True)
class PageTime:
    """A page's reading time and its activities' stated time, in minutes."""

    docname: str
    reading: int
    activities: int

    @property
    def minutes(self) -> int:
        return self.reading + self.activities


def page_file(root: Path, docname: str) -> Path:
    """The source of a TOC entry: its Markdown file, else its notebook."""
    for suffix in (".md", ".ipynb"):
        path = root / f"{docname}{suffix}"
        if path.exists():
            return path
    raise KitError(f"the table of contents lists {docname}, but there is no {docname}.md or .ipynb")


def page_time(root: Path, docname: str, registry: FactRegistry) -> PageTime:
    markdown = page_markdown(page_file(root, docname))
    return PageTime(docname, reading_minutes(markdown, registry), activity_minutes(markdown))


def study_gap(claimed_minutes: float, pages: list[PageTime]) -> float:
    """How far the pages' total is from the claimed study time, as a fraction of the claim."""
    total = sum(page.minutes for page in pages)
    return (total - claimed_minutes) / claimed_minutes
