"""The network's parts of a council's reports, read as people read the files: who rated
and where they differed, the benchmark (and nothing of any other council), the action
plan with what was done since, and the evidence list; and the plan's own files."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from ccin_learn.reports.downloads import downloads, render, saved_report
from ccin_learn.reports.model import ReportInput
from ccin_learn.reports.plan_files import render_plan
from ccin_learn.selfassessment.assessment import Answer, Assessment
from ccin_learn.selfassessment.benchmark import set_taking_part
from ccin_learn.selfassessment.checklist import default_checklist
from ccin_learn.selfassessment.evidence import attach_file, attach_link
from ccin_learn.selfassessment.plan import add_step, change_step, plan_view
from ccin_learn.selfassessment.respondents import agree, share_rating
from ccin_learn.selfassessment.store import Store

MINE = "Anyshire Unitary Council"
OTHERS = ["Brackton Unitary", "Cawley Unitary", "Dunmere Unitary", "Eastwold Unitary"]
STEP = "Take a social value policy to cabinet"
FORMULA_STEP = '=HYPERLINK("http://evil.example","click")'
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CHARTER = "cwb-inclusive-economy-charter"


def agreed(url: str, assessment: Assessment, raters: dict[str, int]) -> None:
    """Saved, rated by each officer at their level on the charter action, and agreed."""
    admin = Store(url, default_checklist(), person="admin")
    council = assessment.council.name
    based_on = admin.latest_version_number(council) or admin.save(assessment, 0).version
    for person, level in raters.items():
        rating = assessment.with_answer(CHARTER, Answer(level=level))
        share_rating(Store(url, default_checklist(), person=person), rating)
    agree(admin, assessment, based_on)
    set_taking_part(admin, council, True)


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory, unitary: Assessment) -> Store:
    """Five unitary councils taking part; the first rated by three officers, with a plan
    (one step done since version 2) and evidence."""
    url = f"sqlite:///{tmp_path_factory.mktemp('network') / 'kit.sqlite'}"
    for number, name in enumerate(OTHERS):
        council = unitary.council.model_copy(update={"name": name})
        other = unitary.model_copy(update={"council": council, "assessor": f"Secret {number}"})
        agreed(url, other, {"admin": number % 5})
    mine = unitary.model_copy(update={"council": unitary.council.model_copy(update={"name": MINE})})
    store = Store(url, default_checklist(), person="lee")
    store.save(mine, 0)
    done = add_step(store, MINE, {"action_id": CHARTER, "what": "Draft the charter",
                                  "owner": "Policy team", "status": "in progress"})  # fmt: skip
    add_step(store, MINE, {"action_id": CHARTER, "what": STEP, "owner": "Head of Procurement",
                           "due": date(2027, 3, 31)})  # fmt: skip
    add_step(store, MINE, {"action_id": CHARTER, "what": FORMULA_STEP, "owner": "Someone"})
    store.save(mine, 1)
    change_step(store, MINE, done.id, done.revision, {"action_id": CHARTER,
                "what": "Draft the charter", "owner": "Policy team", "status": "done"})  # fmt: skip
    attach_file(store, MINE, CHARTER, "cabinet-minutes.pdf", PDF)
    attach_link(store, MINE, CHARTER, "https://example.org/charter", "Published charter")
    agreed(url, mine, {"ann": 1, "ben": 2, "cat": 4})
    return store


@pytest.fixture(scope="module")
def report(network: Store) -> ReportInput:
    return saved_report(network, MINE)


def test_every_format_says_who_rated_where_they_differed_and_who_agreed(
    report: ReportInput, pdf_pages: Callable[[bytes], list[str]]
) -> None:
    text = " ".join(" ".join(pdf_pages(render(report, "pdf"))).split())
    html = render(report, "html").decode()
    for words in (
        "Officers who rated",
        "3: ann, ben, cat",
        "Agreed by",
        "Where officers differed by two levels or more",
        "3 officers rated; they differed by two levels or more on 1 action.",
    ):
        assert words in text and words in html


def test_the_benchmark_shows_quartiles_and_no_other_council(
    report: ReportInput, pdf_pages: Callable[[bytes], list[str]], open_docx: Callable
) -> None:
    text = " ".join(" ".join(pdf_pages(render(report, "pdf"))).split())
    words = "\n".join(p.text for p in open_docx(render(report, "docx")).paragraphs)
    html = render(report, "html").decode()
    assert "Benchmark among councils of the same type" in text
    assert "Lower quartile" in text and "Median" in text
    assert any(c.title.startswith("Benchmark: scores") for c in report.charts)
    for other in (*OTHERS, "Secret 0", "Secret 3"):
        assert other not in text and other not in words and other not in html


def test_the_plan_and_what_was_done_since_are_in_the_reports(
    report: ReportInput, pdf_pages: Callable[[bytes], list[str]], open_docx: Callable
) -> None:
    text = " ".join(" ".join(pdf_pages(render(report, "pdf"))).split())
    assert "Action plan" in text and STEP in text and "Head of Procurement" in text
    assert "Done since version 2" in text and "Draft the charter (" in text
    document = open_docx(render(report, "docx"))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert STEP in cells and "31 Mar 2027" in cells


def test_the_evidence_is_listed_under_its_action_with_its_checksum(
    report: ReportInput, pdf_pages: Callable[[bytes], list[str]]
) -> None:
    text = " ".join(" ".join(pdf_pages(render(report, "pdf"))).split())
    sha = report.extras.evidence[0].sha256
    assert sha is not None
    assert "cabinet-minutes.pdf (PDF, 1 KB), added by lee" in text
    assert f"SHA-256 {sha[:12]}" in text and "Published charter" in text


def test_the_plan_downloads_as_word_pdf_and_csv_ready_for_a_cabinet_paper(
    report: ReportInput, network: Store, open_docx: Callable, pdf_pages: Callable,
    tmp_path: Path,
) -> None:  # fmt: skip
    files = {d.label: d for d in downloads(report)}
    word = open_docx(files["action plan (Word)"].data)
    assert word.paragraphs[0].text == f"Action plan: {MINE}"
    [table] = word.tables
    assert [c.text for c in table.rows[0].cells][:3] == ["Step", "Checklist action", "Owner"]
    assert STEP in [row.cells[0].text for row in table.rows]
    pdf_text = " ".join(pdf_pages(files["action plan (PDF)"].data))
    assert STEP in " ".join(pdf_text.split())
    rows = list(csv.DictReader(io.StringIO(files["action plan (CSV)"].data.decode("utf-8-sig"))))
    steps = {row["step"] for row in rows}
    assert STEP in steps and FORMULA_STEP not in steps
    assert "'" + FORMULA_STEP in steps, "a formula is neutralised"
    view = plan_view(network, MINE)
    assert render_plan(view, network.checklist, "csv", date(2026, 12, 5)).startswith(
        b"\xef\xbb\xbf"
    )
