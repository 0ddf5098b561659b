"""A file an officer can download, apart from the code that makes it.

The app's kernel holds these, whether it made them itself or got them from the
report process (``ccin_learn.reports.service``); keeping the class here means
that holding one never imports matplotlib, fpdf2 or python-docx.
"""

from __future__ import annotations

from dataclasses import dataclass

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Download:
    """One file to offer: what it is for, its name, its type and its bytes."""

    label: str
    filename: str
    mime: str
    data: bytes
