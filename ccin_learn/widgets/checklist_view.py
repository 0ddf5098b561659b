"""The checklist as Markdown for the book's self-assessment page, straight from the data file."""

from __future__ import annotations

from ccin_learn.selfassessment.checklist import Checklist


def page_link(docname: str) -> str:
    """A link named after the page (its file name), e.g. "Progressive procurement".

    MyST's ``{doc}`` role finds the page whether it is Markdown or a notebook; the
    target in angle brackets is the page's path from the book's root (Markdown, not HTML).
    """
    parts = docname.split("/")
    name = parts[1] if parts[-1] == "index" else parts[-1]
    title = name.replace("-", " ").capitalize()
    target = f"/{docname}"
    return f"{{doc}}`{title} <{target}>`"


def checklist_markdown(checklist: Checklist) -> str:
    """One table per theme: each action, the principles it serves, and where to learn more."""
    parts = []
    for theme in checklist.themes:
        rows = [
            f"| {action.title} | "
            f"{', '.join(str(n) for n in action.principles)} | "
            f"{', '.join(page_link(p) for p in action.course_pages)} |"
            for action in checklist.actions_in(theme.id)
        ]
        parts.append(
            f"### {theme.title}\n\n| Action | CCIN principles | Course pages |\n"
            "| --- | --- | --- |\n" + "\n".join(rows)
        )
    return "\n\n".join(parts)


def levels_markdown(checklist: Checklist) -> str:
    return "\n".join(f"- **{lvl.level} {lvl.name}**: {lvl.meaning}" for lvl in checklist.levels)
