"""Reports to test, and the ways a person reads them: PDFium, python-docx and LibreOffice."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime

import docx
import pypdfium2 as pdfium
import pytest

from ccin_learn.reports.downloads import render
from ccin_learn.reports.model import ReportInput, report_input
from ccin_learn.selfassessment.assessment import EXAMPLES_DIR, Answer, Assessment, load_assessment
from ccin_learn.selfassessment.checklist import default_checklist
from ccin_learn.selfassessment.compare import changes
from ccin_learn.selfassessment.session import Comparison, Session
from ccin_learn.selfassessment.store import Store, Version


@pytest.fixture(autouse=True)
def no_public_book(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports are made as on an officer's machine: the book served on localhost only."""
    monkeypatch.delenv("CCIN_BOOK_URL", raising=False)


@pytest.fixture(scope="session")
def unitary() -> Assessment:
    return load_assessment(EXAMPLES_DIR / "example-unitary.json")


@pytest.fixture(scope="session")
def version_3(unitary: Assessment) -> ReportInput:
    """Saved version 3 of the unitary council (all 15 answered), compared with version 2."""
    older = unitary.with_answer("pm-circular-economy", Answer(level=0))
    baseline = Version(unitary.council.name, 2, datetime(2026, 9, 1, tzinfo=UTC), older)
    comparison = Comparison("Saved version 3", baseline, tuple(changes(older, unitary)))
    return report_input(unitary, comparison)


@pytest.fixture(scope="session")
def version_3_pdf(version_3: ReportInput) -> bytes:
    return render(version_3, "pdf")


@pytest.fixture(scope="session")
def version_3_docx(version_3: ReportInput) -> bytes:
    return render(version_3, "docx")


@pytest.fixture(scope="session")
def pdf_pages():
    """Each page's text of a PDF as PDFium reads it (the library behind Chrome's PDF viewer)."""

    def read(data: bytes) -> list[str]:
        document = pdfium.PdfDocument(data)
        try:
            return [page.get_textpage().get_text_range() for page in document]
        finally:
            document.close()

    return read


@pytest.fixture(scope="session")
def soffice_pdf(tmp_path_factory: pytest.TempPathFactory):
    """Convert a Word file to PDF with LibreOffice, headless, with a private profile."""

    def convert(docx: bytes) -> bytes:
        folder = tmp_path_factory.mktemp("soffice")
        source = folder / "report.docx"
        source.write_bytes(docx)
        profile = (folder / "profile").as_uri()
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(folder), str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        return (folder / "report.pdf").read_bytes()

    return convert


@pytest.fixture(scope="session")
def open_docx():
    """A Word file's bytes opened with python-docx, as Word's structure reads back."""
    return lambda data: docx.Document(io.BytesIO(data))


@pytest.fixture
def full_session(tmp_path, unitary) -> Session:
    """A council with version 1 saved and all 15 actions answered since (version 2 saved)."""
    first = unitary.with_answer("pm-circular-economy", unitary.answer("pm-circular-economy")
                                .model_copy(update={"level": 0}))  # fmt: skip
    store = Store(f"sqlite:///{tmp_path / 'kit.sqlite'}", default_checklist())
    store.save(first, based_on=0)
    store.save(unitary, based_on=1)
    return Session.open(store, unitary.council.name)
