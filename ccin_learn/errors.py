"""The one exception type that reaches users as a plain one-line message.

Anything a user can cause (bad input, a busy port, a missing build) raises
``KitError``; the CLI and the apps print its message and never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")
# A "not found" message lists the known ids up to this many; past it, a list is noise.
MAX_LISTED = 12


class KitError(Exception):
    """A problem the user can fix; ``str(err)`` is a complete one-line message."""


def lookup(items: Iterable[T], wanted: str, what: str, attribute: str = "id") -> T:
    """The item whose ``attribute`` is ``wanted``, else a KeyError that says what exists.

    Data files are looked up by id all over the kit (modules, facts, tools, legal forms);
    one helper keeps the message the same: what was asked for and, when the list is short
    enough to read, what could have been.
    """
    found = list(items)
    for item in found:
        if getattr(item, attribute) == wanted:
            return item
    known = [str(getattr(item, attribute)) for item in found]
    listed = f" (known: {', '.join(known)})" if len(known) <= MAX_LISTED else ""
    raise KeyError(f"no {what} {wanted!r}{listed}")


def one_line(message: object) -> str:
    """A message on one line: libraries and drivers spread theirs over several (libpq's
    hints), and SQLAlchemy adds a "Background on this error" link no user needs."""
    text = re.sub(r"\(Background on this error at: [^)]*\)", "", str(message))
    return " ".join(text.split())


def shown_url(url: str) -> str:
    """A database URL fit for a message or a log: its password, if any, as ``***``.

    A deployment's URL may carry the database password; it must never reach a screen
    or a log. A URL SQLAlchemy cannot read is masked by pattern.
    """
    from sqlalchemy.engine import make_url  # lazy: only errors about a database need it
    from sqlalchemy.exc import ArgumentError  # lazy: only errors about a database need it

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return hidden(url, url)


def hidden(text: str, url: str | None = None) -> str:
    """``text`` with any URL's password, and ``url``'s password anywhere, as ``***``
    (a driver may quote the URL it was given in its own message)."""
    from sqlalchemy.engine import make_url  # lazy: only errors about a database need it
    from sqlalchemy.exc import ArgumentError  # lazy: only errors about a database need it

    text = re.sub(r"(://[^/:@\s]*:)[^/@\s]*@", r"\1***@", text)
    try:
        password = make_url(url).password if url else None
    except (ArgumentError, ValueError):
        password = None
    return text.replace(str(password), "***") if password else text
