"""The widgets' HTML, from Jinja2 templates that escape every value.

Widgets put together no markup themselves: they hand plain values (user text,
figures in words, the kit's colours) to a template under ``templates/``, and
autoescaping keeps a council's name or evidence plain text.
"""

from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, StrictUndefined


@functools.cache
def environment() -> Environment:
    """The widget templates, loaded once on first use."""
    return Environment(
        loader=PackageLoader("ccin_learn.widgets", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )


def render(name: str, **values: object) -> str:
    """The template ``name`` (e.g. ``"message.html.j2"``) filled in with ``values``."""
    return environment().get_template(name).render(**values)
