"""The report's charts: every label inside the figure, a 0 visible, no false "no answered"."""

from __future__ import annotations

import pytest
from matplotlib.collections import PathCollection
from matplotlib.text import Text

from ccin_learn.reports.model import report_charts, report_input
from ccin_learn.selfassessment.assessment import Answer, NotApplicable


def texts_outside(figure) -> list[str]:
    figure.draw_without_rendering()
    box = figure.bbox
    outside = []
    for text in figure.findobj(Text):
        if text.get_visible() and text.get_text():
            extent = text.get_window_extent()
            inside = box.x0 <= extent.x0 and extent.x1 <= box.x1
            if not (inside and box.y0 <= extent.y0 and extent.y1 <= box.y1):
                outside.append(text.get_text())
    return outside


def test_every_label_lies_inside_its_chart(version_3):
    charts = report_charts(version_3)
    assert len(charts) == 3
    for chart in charts:
        assert texts_outside(chart.figure) == [], chart.title
    labels = [t.get_text() for t in charts[0].figure.axes[0].get_yticklabels()]
    assert "Support the creation of a regional\nmutual/community bank by investing" in labels


def principle_labels(report) -> list[str]:
    axes = report_charts(report)[1].figure.axes[0]
    return [t.get_text() for t in axes.texts]


def test_a_principle_at_0_has_a_label_and_a_marker(unitary):
    report = report_input(unitary)
    assert report.card.principles[9] == 0.0
    assert principle_labels(report)[8] == "0.0"
    markers = [c for c in report_charts(report)[1].figure.axes[0].collections
               if isinstance(c, PathCollection)]  # fmt: skip
    assert any(tuple(offset) == (0, 1) for c in markers for offset in c.get_offsets())


def test_principle_10_says_no_action_serves_it_even_when_all_are_answered(version_3):
    assert version_3.card.complete
    labels = principle_labels(version_3)
    assert labels[9] == "no checklist action serves this principle"
    assert "no answered action" not in " ".join(labels)


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (Answer(not_applicable=NotApplicable(reason="No schools in a district")),
         "its actions are not applicable"),
        (Answer(), "no answered action yet"),
    ],
)  # fmt: skip
def test_a_principle_without_a_score_says_why(unitary, answer, said):
    # Principle 9 (Learning) is served by one action only.
    serving = [a for a in report_input(unitary).checklist.actions if 9 in a.principles]
    assert len(serving) == 1
    report = report_input(unitary.with_answer(serving[0].id, answer))
    assert principle_labels(report)[8] == said
