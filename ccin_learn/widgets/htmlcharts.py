"""Bar charts as accessible HTML, fast enough to redraw on every click.

The live score panel redraws after each change; matplotlib would take
hundreds of milliseconds, an HTML table of bars takes microseconds. Each row
states its value in words, so nothing depends on colour or on seeing the bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

STYLE = """<style>
.ccin-bars{border-collapse:collapse;width:100%;font-size:.9em}
.ccin-bars caption{text-align:left;font-weight:bold;padding:.3em 0}
.ccin-bars th{font-weight:normal;text-align:left;padding:.15em .5em .15em 0;width:45%}
.ccin-bars td{padding:.15em 0}
.ccin-bar{display:inline-block;height:.9em;background:#1d5d90;vertical-align:middle}
.ccin-bar.before{background:repeating-linear-gradient(45deg,#6b6b6b 0 3px,#fff 3px 6px);
 border:1px solid #6b6b6b}
.ccin-bars .value{margin-left:.4em;color:#1a1a1a}
</style>"""


@dataclass(frozen=True)
class BarRow:
    label: str
    value: float | None
    text: str
    before: float | None = None
    before_text: str = ""


def bar(value: float | None, maximum: float, css: str = "ccin-bar") -> str:
    width = 0 if value is None else max(0.0, min(1.0, value / maximum)) * 70
    return f'<span class="{css}" style="width:{width:.1f}%" aria-hidden="true"></span>'


def bar_table(caption: str, rows: Sequence[BarRow], maximum: float = 4) -> str:
    """A captioned table with one bar per row; paired bars when ``before`` is given."""
    body = []
    for row in rows:
        cell = f'{bar(row.value, maximum)}<span class="value">{escape(row.text)}</span>'
        if row.before_text:
            cell = (
                f"{bar(row.before, maximum, 'ccin-bar before')}"
                f'<span class="value">before: {escape(row.before_text)}</span><br>{cell}'
            )
        body.append(f'<tr><th scope="row">{escape(row.label)}</th><td>{cell}</td></tr>')
    return (
        f'{STYLE}<table class="ccin-bars"><caption>{escape(caption)}</caption>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
