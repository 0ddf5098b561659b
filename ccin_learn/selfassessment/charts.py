"""Charts of a score card, drawn with matplotlib's object API (no global pyplot state).

Every chart has a title, labelled axes and alt text that states the finding.
Nothing is told by colour alone: bars carry their level as text, and
not-applicable or unanswered actions are labelled in words.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from ccin_learn.figures import BRAND, PREVIOUS, TEXT, Chart, short
from ccin_learn.selfassessment.checklist import Checklist
from ccin_learn.selfassessment.scoring import ScoreCard


def actions_chart(card: ScoreCard, checklist: Checklist) -> Chart:
    """One bar per action at its level, in checklist order."""
    actions = list(checklist.actions)
    figure = Figure(figsize=(8, 0.42 * len(actions) + 1.4))
    axes = figure.subplots()
    values = [card.levels[a.id] or 0 for a in actions]
    positions = range(len(actions))[::-1]
    axes.barh(list(positions), values, color=BRAND)
    for y, action, value in zip(positions, actions, values, strict=True):
        label = checklist.level_words(card.levels[action.id], action.id in card.not_applicable)
        axes.text(value + 0.05, y, label, va="center", fontsize=8, color=TEXT)
    axes.set_yticks(list(positions), [short(a.title) for a in actions], fontsize=8)
    axes.set_xlim(0, 4.9)
    axes.set_xticks(range(5), [f"{n} {checklist.level_name(n)}" for n in range(5)], fontsize=7)
    axes.set_xlabel("Level reached")
    title = "Level reached on each checklist action"
    axes.set_title(title, fontsize=11)
    figure.tight_layout()
    return Chart(figure, title, actions_alt(card, checklist))


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
    figure = Figure(figsize=(8, 0.42 * len(principles) + 1.4))
    axes = figure.subplots()
    positions = range(len(principles))[::-1]
    for y, principle in zip(positions, principles, strict=True):
        mean = card.principles[principle.number]
        axes.barh(y, mean or 0, color=BRAND)
        label = "no answered action" if mean is None else f"{mean:.1f}"
        axes.text((mean or 0) + 0.05, y, label, va="center", fontsize=8, color=TEXT)
    axes.set_yticks(
        list(positions), [f"{p.number}. {short(p.name, 40)}" for p in principles], fontsize=8
    )
    axes.set_xlim(0, 4.6)
    axes.set_xlabel("Mean level of the actions that serve the principle (0 to 4)")
    title = "CCIN principles: mean level of their actions"
    axes.set_title(title, fontsize=11)
    figure.tight_layout()
    return Chart(figure, title, principles_alt(card, checklist))


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
    figure = Figure(figsize=(8, 0.5 * len(actions) + 1.6))
    axes = figure.subplots()
    positions = [2 * i for i in range(len(actions))][::-1]
    old = [previous.levels[a.id] or 0 for a in actions]
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
    axes.set_yticks(positions, [short(a.title) for a in actions], fontsize=8)
    axes.set_xlim(0, 4.4)
    axes.set_xlabel("Level reached (0 Not started to 4 Embedded)")
    axes.legend(loc="lower right", fontsize=8)
    title = f"Levels now compared with {previous_label}"
    axes.set_title(title, fontsize=11)
    figure.tight_layout()
    changed = sum(previous.levels[a.id] != current.levels[a.id] for a in actions)
    up = sum((current.levels[a.id] or 0) > (previous.levels[a.id] or 0) for a in actions)
    alt = (
        f"Paired bar chart of each action's level now and in {previous_label}: "
        f"{changed} {'action' if changed == 1 else 'actions'} changed, {up} of them moved up."
    )
    return Chart(figure, title, alt)
