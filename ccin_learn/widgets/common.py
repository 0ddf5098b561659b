"""Pieces every tool page shares."""

from __future__ import annotations

from html import escape

from IPython.display import HTML

from ccin_learn.settings import app_url


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
