"""Charts of a score card, drawn with matplotlib's object API (no global pyplot state).

Every chart has a title, labelled axes and alt text that states the finding.
Nothing is told by colour alone: bars carry their level as text, a level of 0
has a marker where its bar would be, and not-applicable or unanswered actions
are labelled in words. Long labels wrap onto two lines rather than run off the
figure.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from ccin_learn.figures import BRAND, PREVIOUS, TEXT, Chart, wrapped
from ccin_learn.selfassessment.benchmark import PERCENT, BenchmarkView, number
from ccin_learn.selfassessment.benchmark import Figure as BenchmarkFigure
from ccin_learn.selfassessment.checklist import Checklist
from ccin_learn.selfassessment.scoring import ScoreCard, principle_note


def actions_chart(card: ScoreCard, checklist: Checklist) -> Chart:
    """One bar per action at its level, in checklist order."""
    actions = list(checklist.actions)
    figure = Figure(figsize=(8, 0.5 * len(actions) + 1.4))
    axes = figure.subplots()
    values = [card.levels[a.id] or 0 for a in actions]
    positions = range(len(actions))[::-1]
    axes.barh(list(positions), values, color=BRAND)
    for y, action, value in zip(positions, actions, values, strict=True):
        label = checklist.level_words(card.levels[action.id], action.id in card.not_applicable)
        axes.text(value + label_gap(value), y, label, va="center", fontsize=8, color=TEXT)
    mark_zeros(axes, positions, [card.levels[a.id] for a in actions])
    labels = [wrapped(a.title) for a in actions]
    axes.set_yticks(list(positions), labels, fontsize=8)
    fit_margins(figure, labels)
    axes.set_xlim(0, 4.9)
    axes.set_xticks(range(5), [f"{n} {checklist.level_name(n)}" for n in range(5)], fontsize=7)
    axes.set_xlabel("Level reached")
    title = "Level reached on each checklist action"
    figure.suptitle(title, fontsize=11)  # centred on the figure: a long title fits
    return Chart(figure, title, actions_alt(card, checklist), fitted=True)


def actions_alt(card: ScoreCard, checklist: Checklist) -> str:
    answered = [(lvl, a.title) for a in checklist.actions if (lvl := card.levels[a.id]) is not None]
    if not answered:
        return "No action has a level yet."
    high, low = max(answered), min(answered)
    return (
        f"Bar chart of the level reached on each of the {card.total} checklist actions "
        f"({card.completeness}). Highest: {high[1]} at level {high[0]}. "
        f"Lowest: {low[1]} at level {low[0]}."
    )


def principles_chart(card: ScoreCard, checklist: Checklist) -> Chart:
    """Mean level for each CCIN principle, from the actions that serve it."""
    principles = list(checklist.principles)
    figure = Figure(figsize=(8, 0.5 * len(principles) + 1.4))
    axes = figure.subplots()
    positions = range(len(principles))[::-1]
    means = [card.principles[p.number] for p in principles]
    axes.barh(list(positions), [mean or 0 for mean in means], color=BRAND)
    for y, principle, mean in zip(positions, principles, means, strict=True):
        label = principle_note(card, checklist, principle.number) if mean is None else f"{mean:.1f}"
        axes.text((mean or 0) + label_gap(mean), y, label, va="center", fontsize=8, color=TEXT)
    mark_zeros(axes, positions, means)
    labels = [wrapped(f"{p.number}. {p.name}", 34) for p in principles]
    axes.set_yticks(list(positions), labels, fontsize=8)
    fit_margins(figure, labels)
    axes.set_xlim(0, 4.9)
    axes.set_xticks(range(5))
    axes.set_xlabel("Mean level of the actions that serve the principle (0 to 4)")
    title = "CCIN principles: mean level of their actions"
    figure.suptitle(title, fontsize=11)  # centred on the figure: a long title fits
    return Chart(figure, title, principles_alt(card, checklist), fitted=True)


def fit_margins(figure: Figure, labels: Sequence[str], fontsize: float = 8) -> None:
    """Margins that fit the longest label, measured with the font rather than by drawing.

    A layout engine would draw the whole figure once more to measure it, which
    is a sixth of the time "Prepare downloads" takes.
    """
    font = FontProperties(size=fontsize)
    widest = max(
        text_to_path.get_text_width_height_descent(line, font, ismath=False)[0]
        for label in labels
        for line in label.split("\n")
    )  # in points
    width, height = figure.get_size_inches()
    figure.subplots_adjust(
        left=(widest / 72 + 0.35) / width, right=0.98, bottom=0.62 / height, top=1 - 0.45 / height
    )


def label_gap(value: float | None) -> float:
    """Room between a bar's end and its label: more at 0, to clear the marker."""
    return 0.18 if value == 0 else 0.08


def mark_zeros(
    axes: Axes,
    positions: Sequence[float],
    values: Sequence[int | None] | Sequence[float | None],
    colour: str = BRAND,
) -> None:
    """A diamond where a bar of length 0 would be, so a 0 is seen, not mistaken for a gap."""
    zeros = [y for y, value in zip(positions, values, strict=True) if value == 0]
    if zeros:
        axes.scatter([0] * len(zeros), zeros, marker="D", s=28, color=colour, zorder=3,
                     clip_on=False)  # fmt: skip


def principles_alt(card: ScoreCard, checklist: Checklist) -> str:
    scored = [
        (m, p.name) for p in checklist.principles if (m := card.principles[p.number]) is not None
    ]
    if not scored:
        return "No principle has an answered action yet."
    high, low = max(scored), min(scored)
    return (
        f"Bar chart of the mean level for each of CCIN's 10 principles. Strongest: "
        f"{high[1]} ({high[0]:.1f}). Weakest: {low[1]} ({low[0]:.1f})."
    )


def comparison_chart(
    current: ScoreCard, previous: ScoreCard, checklist: Checklist, previous_label: str
) -> Chart:
    """Each action's level now and in the previous version, side by side."""
    actions = list(checklist.actions)
    figure = Figure(figsize=(8, 0.55 * len(actions) + 1.6))
    axes = figure.subplots()
    positions = [2 * i for i in range(len(actions))][::-1]
    old_levels = [previous.levels[a.id] for a in actions]
    old = [level or 0 for level in old_levels]
    new = [current.levels[a.id] or 0 for a in actions]
    axes.barh(
        [p + 0.4 for p in positions],
        old,
        height=0.8,
        color=PREVIOUS,
        hatch="//",
        label=previous_label,
    )
    axes.barh([p - 0.4 for p in positions], new, height=0.8, color=BRAND, label="Now")
    mark_zeros(axes, [p + 0.4 for p in positions], old_levels, PREVIOUS)
    mark_zeros(axes, [p - 0.4 for p in positions], [current.levels[a.id] for a in actions])
    axes.scatter([], [], marker="D", s=28, color=BRAND, label="Level 0 (no bar)")
    labels = [wrapped(a.title) for a in actions]
    axes.set_yticks(positions, labels, fontsize=8)
    fit_margins(figure, labels)
    axes.set_xlim(0, 4.4)
    axes.set_xticks(range(5))
    axes.set_xlabel("Level reached (0 Not started to 4 Embedded)")
    axes.legend(loc="lower right", fontsize=8)
    title = f"Levels now compared with {previous_label}"
    figure.suptitle(title, fontsize=11)  # centred on the figure: a long title fits
    changed = sum(previous.levels[a.id] != current.levels[a.id] for a in actions)
    up = sum((current.levels[a.id] or 0) > (previous.levels[a.id] or 0) for a in actions)
    alt = (
        f"Paired bar chart of each action's level now and in {previous_label}: "
        f"{changed} {'action' if changed == 1 else 'actions'} changed, {up} of them moved up."
    )
    return Chart(figure, title, alt, fitted=True)


def benchmark_chart(view: BenchmarkView, kind: str) -> Chart | None:
    """The shown figures of one kind (scores or action levels) as boxes from the lower to
    the upper quartile, a line at the median and a diamond at the council's own value;
    None when no figure of that kind can be shown. No minimum or maximum is drawn."""
    figures = [f for f in view.shown if f.spec.kind == kind and f.group is not None]
    if not figures:
        return None
    chart = Figure(figsize=(8, 0.55 * len(figures) + 1.5))
    axes = chart.subplots()
    positions = range(len(figures))[::-1]
    for y, item in zip(positions, figures, strict=True):
        group = item.group
        assert group is not None
        axes.barh(y, group.upper - group.lower, left=group.lower, height=0.5, color=PREVIOUS)
        axes.plot([group.median] * 2, [y - 0.25, y + 0.25], color=TEXT, linewidth=2)
        if item.own is not None:
            axes.scatter([item.own], [y], marker="D", s=40, color=BRAND, zorder=3)
    axes.scatter([], [], marker="D", s=40, color=BRAND, label=view.council)
    axes.barh([], [], color=PREVIOUS, label="Middle half of councils (quartiles)")
    axes.plot([], [], color=TEXT, linewidth=2, label="Median")
    labels = [wrapped(f.spec.label) for f in figures]
    axes.set_yticks(list(positions), labels, fontsize=8)
    fit_margins(chart, labels)
    top = 100 if kind == PERCENT else 4
    axes.set_xlim(0, top * 1.02)
    axes.set_xlabel("Score (%)" if kind == PERCENT else "Level reached (0 to 4)")
    axes.legend(loc="lower right", fontsize=7)
    what = "scores" if kind == PERCENT else "action levels"
    title = f"Benchmark: {what} among councils of the same type"
    chart.suptitle(title, fontsize=11)
    return Chart(chart, title, benchmark_alt(view, figures), fitted=True)


def benchmark_alt(view: BenchmarkView, figures: Sequence[BenchmarkFigure]) -> str:
    """Each figure's median and the council's band, in words."""
    parts = [
        f"{f.spec.label}: median {number(f.group.median, f.spec.kind)}"
        + (f", {view.council} {f.band}" if f.band else "")
        for f in figures
        if f.group is not None
    ]
    return (
        f"Box chart of the middle half of {view.type_name.lower()}s taking part, with the "
        f"median and {view.council}'s own value. " + "; ".join(parts) + "."
    )
