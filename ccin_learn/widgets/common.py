"""Pieces every tool page shares."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from IPython.display import HTML

from ccin_learn.errors import KitError
from ccin_learn.palette import BRAND, ERROR, OK
from ccin_learn.settings import app_url
from ccin_learn.widgets.templates import render

COLOURS = {"info": BRAND, "ok": OK, "error": ERROR}
PREFIXES = {"info": "", "ok": "Done: ", "error": "Problem: "}


def message_html(text: str, kind: str = "info", live: bool = True) -> str:
    """A status line; "Done:" and "Problem:" say in words what the border says in colour.

    ``live`` makes the line itself a status region; a message shown inside a region
    that is already live (the self-assessment app's) must not, or it is heard twice.
    """
    if not text:
        return ""
    return render(
        "message.html.j2", text=text, colour=COLOURS[kind], prefix=PREFIXES[kind], live=live
    )


Handler = Callable[..., Any]


def guarded(unexpected: str, log: logging.Logger) -> Callable[[Handler], Handler]:
    """Wrap a widget's handler so users see a KitError's message, or ``unexpected``.

    The traceback of anything unexpected goes to ``log`` (the server's log), never to
    the page. The widget must have ``say(text, kind)``.
    """

    def decorate(method: Handler) -> Handler:
        @functools.wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except KitError as err:
                self.say(str(err), "error")
            except Exception:
                log.exception("handler %s failed", method.__name__)
                self.say(unexpected, "error")
            return None

        return wrapper

    return decorate


def live_tool_link(app: str, tool_name: str) -> HTML:
    """The "Open the live tool" link shown under a tool in the static book.

    The static book shows a tool with its saved state only; the live version
    runs on the kit's Voila server (``ccin-learn start``).
    """
    return HTML(render("live_tool_link.html.j2", url=app_url(app), tool=tool_name))
