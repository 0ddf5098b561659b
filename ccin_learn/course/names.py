"""A course page's name in words, from its path in the book.

Reports printed for a cabinet paper, and the self-assessment app's links, name
the course page ("Community Wealth Building \u203a Community bank") rather than
show a file path, so a reader knows where to look in the book.
"""

from __future__ import annotations

import functools

from ccin_learn.course.catalogue import default_catalogue

PATH_SEPARATOR = " \u203a "  # a single right-pointing angle quotation mark, as in breadcrumbs


def page_name(docname: str) -> str:
    """E.g. "Community Wealth Building > Anchor institutions" (with a \u203a) for a page's path."""
    folder, _, slug = docname.rpartition("/")
    module = module_titles().get(folder, "")
    words = " ".join(word_case(w) for w in slug.split("-"))
    words = words[:1].upper() + words[1:]
    words = words if slug != "index" else ""
    return PATH_SEPARATOR.join(part for part in (module, words) if part) or docname


def word_case(word: str) -> str:
    """Acronyms in a page's file name (no vowels, e.g. "clts") in capitals."""
    if len(word) > 2 and not set(word) & set("aeiouy"):
        return word[:-1].upper() + word[-1] if word.endswith("s") else word.upper()
    return word


@functools.cache
def module_titles() -> dict[str, str]:
    """Each module's folder in the book, e.g. ``modules/finance``, with its title."""
    return {m.page.rpartition("/")[0]: m.title for m in default_catalogue().modules}
