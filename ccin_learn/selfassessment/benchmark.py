"""Where a council stands among councils of its type: an anonymised benchmark.

The rules, which the tests hold the kit to:

- **Who takes part.** A council takes part once its lead opts in (recorded, with
  who and when); opting in means both that its latest *agreed* version counts and
  that it sees the benchmark. A council that has not opted in neither counts nor
  sees. Only agreed versions count: a draft or an unagreed save is not the
  council's answer.
- **Groups.** Councils are compared with councils of the same type (unitary,
  county, district...), by the type in their latest agreed version.
- **Figures.** The overall score (once the score card headlines one), each
  theme's score and each action's level. A council counts towards a figure only
  where it has a value (an action it answered and that applies to it).
- **Threshold.** A figure is shown only when at least ``MIN_COUNCILS`` (5) councils
  count towards it, the viewing council included; below that it is withheld, and
  the view says "fewer than 5" rather than how many.
- **Nothing identifying.** A figure shows its number of councils, lower quartile,
  median and upper quartile (``statistics.quantiles`` with the inclusive method,
  which interpolates between councils' values), the viewing council's own value
  and its band in words. Never a minimum, a maximum, a list of values or another
  council's name; the view built for a council holds nothing else, so no other
  council's answers, evidence or notes can reach its screen or its reports.
- **Bands.** The council's mid-rank percentile among the group (councils below it,
  plus half of those level with it, over the group's size): 75% and over is the
  top quarter, 25% and under the bottom quarter, and in between it is at, above or
  below the median. Ties therefore land in the middle, not all in the top quarter.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ccin_learn.errors import KitError
from ccin_learn.selfassessment.access import AccessError, Role
from ccin_learn.selfassessment.assessment import parse_assessment
from ccin_learn.selfassessment.checklist import Checklist
from ccin_learn.selfassessment.scoring import ScoreCard, score
from ccin_learn.selfassessment.store import Store
from ccin_learn.selfassessment.tables import (
    AgreementRow,
    BenchmarkMemberRow,
    VersionRow,
    find_council,
    now,
)

MIN_COUNCILS = 5
WITHHELD = f"fewer than {MIN_COUNCILS} councils"
PERCENT, LEVEL = "percent", "level"


@dataclass(frozen=True)
class FigureSpec:
    """One figure every council of a type is compared on."""

    key: str  # "overall", "theme:cwb", "action:cwb-anchor-procurement"
    label: str
    kind: str  # PERCENT or LEVEL


@dataclass(frozen=True)
class Quartiles:
    councils: int
    lower: float
    median: float
    upper: float


@dataclass(frozen=True)
class Figure:
    """One figure as a council sees it: the group's quartiles and its own place."""

    spec: FigureSpec
    group: Quartiles | None  # None: withheld, fewer than MIN_COUNCILS
    own: float | None
    band: str  # words, or "" when withheld or the council has no value here

    @property
    def shown(self) -> bool:
        return self.group is not None


@dataclass(frozen=True)
class BenchmarkView:
    """What one council may see of the benchmark: aggregates and its own values only.

    Plain values: it travels to the report process with the report's request.
    """

    council: str
    type_name: str
    taking_part: bool
    own_version: int | None  # the council's latest agreed version, if any
    figures: tuple[Figure, ...]

    @property
    def any_shown(self) -> bool:
        return any(f.shown for f in self.figures)

    @property
    def shown(self) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if f.shown)

    @property
    def not_shown_words(self) -> str:
        """Why nothing is shown yet, in the app and the reports alike."""
        if self.own_version is None:
            return (
                f"Not shown yet: {self.council} takes part, and its figures count once its "
                "lead agrees a version."
            )
        return (
            f"Not shown yet: the benchmark needs agreed versions from at least {MIN_COUNCILS} "
            "councils of this type that take part."
        )


@dataclass(frozen=True)
class DistributionRow:
    """One line of the network administrator's export: a type's figure, anonymised."""

    type_name: str
    figure: FigureSpec
    group: Quartiles | None


# ---- the rules, on plain numbers ---------------------------------------------------------


def quartiles(values: Sequence[float]) -> Quartiles | None:
    """The group's quartiles, or None when fewer than MIN_COUNCILS councils count."""
    if len(values) < MIN_COUNCILS:
        return None
    lower, median, upper = statistics.quantiles(values, n=4, method="inclusive")
    return Quartiles(len(values), lower, median, upper)


def band(own: float, values: Sequence[float], group: Quartiles) -> str:
    """Where ``own`` stands in ``values`` in words, by its mid-rank percentile."""
    below = sum(1 for v in values if v < own)
    level = sum(1 for v in values if v == own)
    rank = (below + level / 2) / len(values)
    if rank >= 0.75:
        return "in the top quarter"
    if rank <= 0.25:
        return "in the bottom quarter"
    if own == group.median:
        return "at the median"
    side = "above" if own > group.median else "below"
    return f"in the middle half, {side} the median"


def figure_specs(checklist: Checklist) -> list[FigureSpec]:
    """Overall, then each theme, then each action in checklist order."""
    specs = [FigureSpec("overall", "Overall score", PERCENT)]
    specs += [FigureSpec(f"theme:{t.id}", t.title, PERCENT) for t in checklist.themes]
    specs += [FigureSpec(f"action:{a.id}", a.title, LEVEL) for a in checklist.actions]
    return specs


def values_of(card: ScoreCard) -> dict[str, float]:
    """A council's value for each figure it counts towards."""
    found: dict[str, float] = {}
    if card.headline_ready and card.overall is not None:
        found["overall"] = card.overall
    for theme in card.themes:
        if theme.percent is not None:
            found[f"theme:{theme.theme_id}"] = theme.percent
    for action_id, level in card.levels.items():
        if level is not None and action_id not in card.not_applicable:
            found[f"action:{action_id}"] = level
    return found


def figure(spec: FigureSpec, values: Sequence[float], own: float | None) -> Figure:
    group = quartiles(values)
    words = "" if group is None or own is None else band(own, values, group)
    return Figure(spec, group, own, words)


def group_values(cards: Iterable[ScoreCard]) -> dict[str, list[float]]:
    """Each figure's values across a group of councils (no names kept)."""
    found: dict[str, list[float]] = defaultdict(list)
    for card in cards:
        for key, value in values_of(card).items():
            found[key].append(value)
    return found


# ---- the councils that take part ---------------------------------------------------------


@dataclass(frozen=True)
class Contribution:
    """A taking-part council's latest agreed answer (never leaves this module)."""

    council_id: int
    council_type: str
    version: int
    card: ScoreCard


def contributions(session: Session, checklist: Checklist) -> list[Contribution]:
    """Every taking-part council's latest agreed version, scored."""
    latest = (
        select(AgreementRow.council_id, func.max(AgreementRow.version).label("version"))
        .join(BenchmarkMemberRow, BenchmarkMemberRow.council_id == AgreementRow.council_id)
        .group_by(AgreementRow.council_id)
        .subquery()
    )
    rows = session.execute(
        select(VersionRow).join(
            latest,
            (VersionRow.council_id == latest.c.council_id)
            & (VersionRow.version == latest.c.version),
        )
    ).scalars()
    found = []
    for row in rows:
        label = f"agreed version {row.version} of council {row.council_id}"
        assessment = parse_assessment(row.document.encode(), label, checklist)
        card = score(assessment, checklist)
        found.append(Contribution(row.council_id, assessment.council.type, row.version, card))
    return found


def taking_part(store: Store, council: str) -> bool:
    """True when the council has opted in to the benchmark."""
    store.officer.require(council, Role.VIEWER)
    with store.sessions() as session:
        row = find_council(session, council)
        return row is not None and session.get(BenchmarkMemberRow, row.id) is not None


def set_taking_part(store: Store, council: str, take_part: bool) -> None:
    """Opt the council in or out; only its lead (or a network administrator) may."""
    store.officer.require(council, Role.LEAD)
    with store.transaction() as session:
        row = find_council(session, council)
        if row is None:
            raise KitError(f"save {council}'s assessment once before joining the benchmark")
        member = session.get(BenchmarkMemberRow, row.id)
        if take_part and member is None:
            session.add(
                BenchmarkMemberRow(council_id=row.id, opted_in_by=store.person, opted_in_at=now())
            )
        elif not take_part and member is not None:
            session.delete(member)


def benchmark_for(store: Store, council: str) -> BenchmarkView:
    """What ``council``'s members see: its type's quartiles and its own place in them."""
    store.officer.require(council, Role.VIEWER)
    checklist = store.checklist
    with store.sessions() as session:
        row = find_council(session, council)
        member = row is not None and session.get(BenchmarkMemberRow, row.id) is not None
        found = contributions(session, checklist) if member else []
    own = next((c for c in found if row is not None and c.council_id == row.id), None)
    type_id = own.council_type if own else None
    type_name = checklist.council_type(type_id).name if type_id else ""
    if own is None:
        return BenchmarkView(council, type_name, member, None, ())
    group = group_values(c.card for c in found if c.council_type == own.council_type)
    mine = values_of(own.card)
    figures = tuple(
        figure(spec, group.get(spec.key, []), mine.get(spec.key))
        for spec in figure_specs(checklist)
    )
    return BenchmarkView(council, type_name, True, own.version, figures)


def network_distributions(store: Store, council_type: str | None = None) -> list[DistributionRow]:
    """Every type's figures, anonymised, for the network's administrators."""
    if not store.officer.network_admin:
        raise AccessError("only the network's administrators can export the benchmark")
    checklist = store.checklist
    known = [t.id for t in checklist.council_types]
    if council_type is not None and council_type not in known:
        raise KitError(f"no council type {council_type!r}: choose one of {', '.join(known)}")
    with store.sessions() as session:
        found = contributions(session, checklist)
    rows = []
    for type_ in checklist.council_types:
        if council_type is not None and type_.id != council_type:
            continue
        group = group_values(c.card for c in found if c.council_type == type_.id)
        for spec in figure_specs(checklist):
            rows.append(DistributionRow(type_.name, spec, quartiles(group.get(spec.key, []))))
    return rows


def number(value: float, kind: str) -> str:
    """A figure's value as people read it: ``62%`` or ``2.5`` (a level, 0 to 4)."""
    places = Decimal(1) if kind == PERCENT else Decimal("0.1")
    shown = str(Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP))
    return f"{shown}%" if kind == PERCENT else shown.removesuffix(".0")
