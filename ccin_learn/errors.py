"""The one exception type that reaches users as a plain one-line message.

Anything a user can cause (bad input, a busy port, a missing build) raises
``KitError``; the CLI and the apps print its message and never a traceback.
"""

from __future__ import annotations

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
