"""Pieces every tool page shares."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from html import escape
from typing import Any

from IPython.display import HTML

from ccin_learn.errors import KitError
from ccin_learn.settings import app_url

COLOURS = {"info": "#1d5d90", "ok": "#1e6b34", "error": "#a4262c"}
PREFIXES = {"info": "", "ok": "Done: ", "error": "Problem: "}


def message_html(text: str, kind: str = "info") -> str:
    """A status line; "Done:" and "Problem:" say in words what the border says in colour."""
    if not text:
        return ""
    return (
        f'<div role="status" style="border-left:4px solid {COLOURS[kind]};padding:.4em .8em;'
        f'margin:.4em 0"><strong>{PREFIXES[kind]}</strong>{escape(text)}</div>'
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
    url = escape(app_url(app), quote=True)
    name = escape(tool_name)
    return HTML(
        f'<p class="ccin-live-tool"><a href="{url}">Open the live tool: {name}</a> '
        "(runs on the kit's own server, started with <code>ccin-learn start</code>)</p>"
    )
