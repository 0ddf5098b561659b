"""The legal form chooser: rank legal forms for a coop or community business.

Officers are often asked "which legal form should this group use?". The chooser
turns six plain questions into a ranked list of the forms and models in
``data/legal_forms.yaml``, and says why each fits or not, quoting the form's own
sourced facts. It gives general information, not legal advice.

How the ranking works:

- each answer gives each form a verdict: fits well (2 points), could fit (1),
  poor fit (0) or does not fit (the form is set aside, with the reason);
- every form has a sourced fact for every row of the table (the data file is
  refused otherwise), so every verdict rests on a fact and none is a guess;
- "Not sure", and answers that say nothing about a form, give no verdict;
- forms are ranked by points; forms with equal points share a rank (1, 2, 2, 4),
  are listed in the data file's order, and the tie is explained.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from ccin_learn.errors import KitError, lookup

# --- The forms and their facts -------------------------------------------------------
#
# Plain frozen dataclasses, so the chooser runs where pydantic does not (the reader's
# browser). The data file is checked by ``ccin_learn.tools.legal_forms_schema``, which
# builds these with ``from_data``; the page builds them from the same validated data.

# "any": the form does not fix who its members are; its articles or rules do.
MemberKind = Literal["users", "workers", "several", "community", "trust", "any"]
ControlCode = Literal[
    "one-member-one-vote-required",
    "one-member-one-vote",
    "one-vote-by-default",  # the law's default, which the articles can change
    "classes-on-board",
    "members-control",
    "by-articles",
    "votes-per-share",
    "trust-controls",
]
ProfitsCode = Literal[
    "community",
    "by-transaction",
    "capped-dividends",
    "dividends",
    "employee-bonuses",
    "reinvested",  # no shareholders to pay; surpluses kept for its aims
    "by-form",  # a model: depends on the legal form its rules are written for
]
# "optional": a model that can adopt the statutory lock by choosing a form that has it.
AssetLockCode = Literal["statutory", "by-purpose", "optional", "none"]
CapitalCode = Literal["withdrawable-shares", "shares", "no-share-capital"]
PurposeCode = Literal["members", "community", "employees", "members-or-community", "shareholders"]
FormKind = Literal["form", "model"]


@dataclass(frozen=True, kw_only=True)
class Source:
    """A published source the facts cite: its title is the link text people see."""

    id: str
    title: str
    url: str


@dataclass(frozen=True, kw_only=True)
class Fact:
    """One row of the comparison for one form: what the sources say, and which sources."""

    text: str
    sources: tuple[str, ...]
    uncertain: bool = False


@dataclass(frozen=True, kw_only=True)
class MembersFact(Fact):
    codes: tuple[MemberKind, ...]


@dataclass(frozen=True, kw_only=True)
class ControlFact(Fact):
    code: ControlCode


@dataclass(frozen=True, kw_only=True)
class ProfitsFact(Fact):
    code: ProfitsCode


@dataclass(frozen=True, kw_only=True)
class AssetLockFact(Fact):
    code: AssetLockCode


@dataclass(frozen=True, kw_only=True)
class CapitalFact(Fact):
    code: CapitalCode


@dataclass(frozen=True, kw_only=True)
class PurposeFact(Fact):
    code: PurposeCode


@dataclass(frozen=True, kw_only=True)
class LegalForm:
    """A legal form (or a model that still needs one) and a sourced fact for every row."""

    id: str
    name: str
    kind: FormKind
    page: str
    what_it_is: Fact
    law_and_regulator: Fact
    members: MembersFact
    control: ControlFact
    profits: ProfitsFact
    asset_lock: AssetLockFact
    capital: CapitalFact
    purpose: PurposeFact
    setting_up: Fact


@dataclass(frozen=True, kw_only=True)
class LegalForms:
    """The sources, and all forms in the order the comparison table shows them."""

    schema_version: int
    sources: tuple[Source, ...]
    forms: tuple[LegalForm, ...]

    def source(self, source_id: str) -> Source:
        return lookup(self.sources, source_id, "source")

    def sources_of(self, fact: Fact) -> tuple[Source, ...]:
        return tuple(self.source(source_id) for source_id in fact.sources)

    def cited(self) -> tuple[Source, ...]:
        """The sources that some fact cites, in the order of the sources list."""
        used = {
            source_id
            for form in self.forms
            for attr, _heading in ROWS
            for source_id in getattr(form, attr).sources
        }
        return tuple(source for source in self.sources if source.id in used)

    def get(self, form_id: str) -> LegalForm:
        return lookup(self.forms, form_id, "legal form")


# The kind of fact in each row that has a code; the other rows hold a plain Fact.
CODED_ROWS: dict[str, type[Fact]] = {
    "members": MembersFact,
    "control": ControlFact,
    "profits": ProfitsFact,
    "asset_lock": AssetLockFact,
    "capital": CapitalFact,
    "purpose": PurposeFact,
}


def fact_from_data(kind: type[Fact], data: Mapping[str, Any]) -> Fact:
    values = dict(data)
    values["sources"] = tuple(values["sources"])
    if "codes" in values:
        values["codes"] = tuple(values["codes"])
    return kind(**values)


def form_from_data(data: Mapping[str, Any]) -> LegalForm:
    facts: dict[str, Any] = {
        attr: fact_from_data(CODED_ROWS.get(attr, Fact), data[attr]) for attr, _heading in ROWS
    }
    return LegalForm(
        id=data["id"], name=data["name"], kind=data["kind"], page=data["page"], **facts
    )


def from_data(data: Mapping[str, Any]) -> LegalForms:
    """The forms from validated data as plain JSON values (lists for tuples): what
    ``legal_forms_schema`` checked, or the page's copy of it (``pagedata.load``)."""
    return LegalForms(
        schema_version=data["schema_version"],
        sources=tuple(Source(**source) for source in data["sources"]),
        forms=tuple(form_from_data(form) for form in data["forms"]),
    )


# The comparison table's rows: (attribute of LegalForm, row heading).
ROWS: tuple[tuple[str, str], ...] = (
    ("what_it_is", "What it is"),
    ("law_and_regulator", "Law and regulator"),
    ("members", "Who the members are"),
    ("control", "How members control it"),
    ("profits", "What happens to profits"),
    ("asset_lock", "Asset lock"),
    ("capital", "Raising money from members or investors"),
    ("purpose", "Who it serves"),
    ("setting_up", "Setting up"),
)


def comparison_rows(forms: Sequence[LegalForm]) -> list[tuple[str, list[Fact]]]:
    """The table's rows for these forms: each row heading with one fact per form."""
    return [(heading, [getattr(form, attr) for form in forms]) for attr, heading in ROWS]


# --- The questions -------------------------------------------------------------------

UNSURE = "unsure"


@dataclass(frozen=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True)
class Question:
    """A question the user answers; ``topic`` names it in the reasons ("on profits")."""

    id: str
    prompt: str
    topic: str
    options: tuple[Option, ...]


NOT_SURE = Option(UNSURE, "Not sure, or it does not matter")

QUESTIONS: tuple[Question, ...] = (
    Question(
        "profits",
        "Should it be able to pay out its profits?",
        "profits",
        (
            NOT_SURE,
            Option("none", "No: keep them in the organisation or use them for the community"),
            Option("members-trade", "Yes: share them among members by how much they use it"),
            Option("investors", "Yes: pay dividends to people who invest in it"),
        ),
    ),
    Question(
        "asset-lock",
        "Does it need an asset lock, so its assets can never go to members?",
        "the asset lock",
        (
            NOT_SURE,
            Option("statutory", "Yes: a lock set by law, for example to take on a council asset"),
            Option("no", "No: members may need a share of the assets one day"),
        ),
    ),
    Question(
        "control",
        "Should every member have one vote, whatever they put in?",
        "member control",
        (
            NOT_SURE,
            Option("yes", "Yes: one member, one vote"),
            Option("no", "No: votes can follow the money put in, or be set another way"),
        ),
    ),
    Question(
        "capital",
        "Will it raise money by selling withdrawable shares to members or the community?",
        "raising share capital",
        (
            NOT_SURE,
            Option("yes", "Yes: for example a community share offer"),
            Option("no", "No: grants, loans or trading will pay for it"),
        ),
    ),
    Question(
        "purpose",
        "Are its aims charitable, or for the wider community rather than its members?",
        "who it serves",
        (
            NOT_SURE,
            Option("community", "Yes: it is for the wider community or a charitable purpose"),
            Option("members", "No: it is to meet its members' own needs"),
        ),
    ),
    Question(
        "members",
        "Who will the members be?",
        "who the members are",
        (
            NOT_SURE,
            Option("users", "People who use its services or buy from it"),
            Option("workers", "The people who work in it"),
            Option("several", "Several groups, such as workers, users and supporters"),
            Option("community", "People who live or work in the area"),
            Option("trust", "No members: a trust owns it on behalf of the employees"),
        ),
    ),
)

QUESTIONS_BY_ID = {question.id: question for question in QUESTIONS}


# --- Verdicts ------------------------------------------------------------------------


class Fit(Enum):
    """How well a form fits one answer. ``points`` is None for "does not fit"."""

    GOOD = ("Fits well", 2)
    OK = ("Could fit", 1)
    POOR = ("Poor fit", 0)
    NO = ("Does not fit", None)

    def __init__(self, label: str, points: int | None) -> None:
        self.label = label
        self.points = points


@dataclass(frozen=True)
class Verdict:
    """One answer's verdict on one form, with the sourced reason."""

    question: Question
    fit: Fit
    reason: str
    sources: tuple[Source, ...] = ()
    uncertain: bool = False


Rule = Callable[[LegalForm, str], "tuple[Fit, Fact] | None"]

# How each profits code fits each answer to the profits question.
PROFITS_FIT: dict[str, dict[str, Fit]] = {
    "none": {
        "community": Fit.GOOD,
        "by-transaction": Fit.OK,
        "capped-dividends": Fit.OK,
        "dividends": Fit.POOR,
        "employee-bonuses": Fit.OK,
        "reinvested": Fit.GOOD,
        "by-form": Fit.OK,
    },
    "members-trade": {
        "community": Fit.NO,
        "by-transaction": Fit.GOOD,
        "capped-dividends": Fit.POOR,
        "dividends": Fit.POOR,
        "employee-bonuses": Fit.POOR,
        "reinvested": Fit.POOR,
        "by-form": Fit.OK,
    },
    "investors": {
        "community": Fit.NO,
        "by-transaction": Fit.NO,
        "capped-dividends": Fit.OK,
        "dividends": Fit.GOOD,
        "employee-bonuses": Fit.POOR,
        "reinvested": Fit.POOR,
        "by-form": Fit.POOR,
    },
}


def _profits(form: LegalForm, option: str) -> tuple[Fit, Fact]:
    """Dividends to investors need shares, so a form without share capital is set aside."""
    if option == "investors" and form.capital.code == "no-share-capital":
        return Fit.NO, form.capital
    return PROFITS_FIT[option][form.profits.code], form.profits


# How each asset lock code fits "Yes: a lock set by law" and "No".
LOCK_FIT: dict[str, dict[str, Fit | None]] = {
    "statutory": {"statutory": Fit.GOOD, "by-purpose": Fit.OK, "optional": Fit.OK, "none": Fit.NO},
    "no": {"statutory": Fit.NO, "by-purpose": Fit.POOR, "optional": None, "none": None},
}


def _asset_lock(form: LegalForm, option: str) -> tuple[Fit, Fact] | None:
    """An uncertain "none" only counts against a form: the data may yet be wrong."""
    lock = form.asset_lock
    fit = LOCK_FIT[option][lock.code]
    if fit is Fit.NO and lock.code == "none" and lock.uncertain:
        fit = Fit.POOR
    return None if fit is None else (fit, lock)


# How each control code fits "Yes: one member, one vote" and "No".
CONTROL_FIT: dict[str, dict[str, Fit | None]] = {
    "yes": {
        "one-member-one-vote-required": Fit.GOOD,
        "one-member-one-vote": Fit.GOOD,
        "one-vote-by-default": Fit.GOOD,
        "classes-on-board": Fit.OK,
        "members-control": Fit.OK,
        "by-articles": Fit.OK,
        "votes-per-share": Fit.POOR,
        "trust-controls": Fit.POOR,
    },
    "no": {"one-member-one-vote-required": Fit.NO, "one-member-one-vote": Fit.POOR},
}


def _control(form: LegalForm, option: str) -> tuple[Fit, Fact] | None:
    """Answering "No" only counts against forms whose rules insist on one vote each."""
    fit = CONTROL_FIT[option].get(form.control.code)
    return None if fit is None else (fit, form.control)


def _capital(form: LegalForm, option: str) -> tuple[Fit, Fact] | None:
    """Only withdrawable shares answer "Yes"; "No" says nothing about any form."""
    if option == "no":
        return None
    fits = {"withdrawable-shares": Fit.GOOD, "shares": Fit.POOR, "no-share-capital": Fit.NO}
    return fits[form.capital.code], form.capital


PURPOSE_FIT: dict[str, dict[str, Fit]] = {
    "community": {
        "community": Fit.GOOD,
        "members": Fit.POOR,
        "employees": Fit.POOR,
        "members-or-community": Fit.OK,
        "shareholders": Fit.POOR,
    },
    "members": {
        "community": Fit.NO,
        "members": Fit.GOOD,
        "employees": Fit.OK,
        "members-or-community": Fit.OK,
        "shareholders": Fit.OK,
    },
}


def _purpose(form: LegalForm, option: str) -> tuple[Fit, Fact]:
    """A form that must serve the community cannot be set up for its members alone."""
    return PURPOSE_FIT[option][form.purpose.code], form.purpose


def _members(form: LegalForm, option: str) -> tuple[Fit, Fact]:
    """A form whose articles choose its members could fit anyone, except a trust
    with no shares to hold (an EOT needs a controlling interest in shares)."""
    members = form.members
    if option in members.codes:
        return Fit.GOOD, members
    if members.codes == ("trust",):
        return Fit.NO, members
    if "any" in members.codes:
        no_shares = option == "trust" and form.capital.code == "no-share-capital"
        return (Fit.NO if no_shares else Fit.OK), members
    return Fit.POOR, members


RULES: dict[str, Rule] = {
    "profits": _profits,
    "asset-lock": _asset_lock,
    "control": _control,
    "capital": _capital,
    "purpose": _purpose,
    "members": _members,
}


def check_answers(answers: Mapping[str, str]) -> dict[str, str]:
    """The answers that say something (not "Not sure"); unknown ids raise KitError."""
    given: dict[str, str] = {}
    for question_id, option_id in answers.items():
        question = QUESTIONS_BY_ID.get(question_id)
        if question is None:
            raise KitError(f"unknown question {question_id!r}")
        if option_id not in {option.id for option in question.options}:
            raise KitError(f"unknown answer {option_id!r} to question {question_id!r}")
        if option_id != UNSURE:
            given[question_id] = option_id
    return given


def verdicts_for(
    data: LegalForms, form: LegalForm, answers: Mapping[str, str]
) -> tuple[Verdict, ...]:
    """Each answered question's verdict on the form, in question order."""
    given = check_answers(answers)
    verdicts = []
    for question in QUESTIONS:
        if question.id not in given:
            continue
        result = RULES[question.id](form, given[question.id])
        if result is None:
            continue
        fit, fact = result
        verdicts.append(Verdict(question, fit, fact.text, data.sources_of(fact), fact.uncertain))
    return tuple(verdicts)


# --- Ranking -------------------------------------------------------------------------


@dataclass(frozen=True)
class FormResult:
    """A form's verdicts and points; ``rank`` is None if it does not fit."""

    form: LegalForm
    verdicts: tuple[Verdict, ...]
    points: int
    rank: int | None = None

    @property
    def fits(self) -> bool:
        return all(v.fit is not Fit.NO for v in self.verdicts)

    @property
    def conflicts(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.fit is Fit.NO)


@dataclass(frozen=True)
class Tie:
    """Forms that share a rank, and what to do about it."""

    rank: int
    names: tuple[str, ...]
    points: int

    @property
    def explanation(self) -> str:
        return (
            f"{join_names(self.names)} share {ordinal(self.rank)} place with "
            f"{points_text(self.points)} each: your answers do not separate them. "
            "Compare them in the table on the points your answers left open, and ask an adviser."
        )


@dataclass(frozen=True)
class Ranking:
    """The forms that fit, best first; those that do not; and any ties."""

    ranked: tuple[FormResult, ...]
    set_aside: tuple[FormResult, ...]
    ties: tuple[Tie, ...]
    answered: int


def score(data: LegalForms, form: LegalForm, answers: Mapping[str, str]) -> FormResult:
    verdicts = verdicts_for(data, form, answers)
    points = sum(v.fit.points or 0 for v in verdicts)
    return FormResult(form, verdicts, points)


def rank_forms(data: LegalForms, answers: Mapping[str, str]) -> Ranking:
    """Rank the forms for these answers: points high to low, equal points share a rank."""
    results = [score(data, form, answers) for form in data.forms]
    fitting = sorted((r for r in results if r.fits), key=lambda r: -r.points)  # stable
    ranked: list[FormResult] = []
    for position, result in enumerate(fitting, start=1):
        same_as_previous = ranked and ranked[-1].points == result.points
        rank = ranked[-1].rank if same_as_previous else position
        ranked.append(FormResult(result.form, result.verdicts, result.points, rank))
    return Ranking(
        ranked=tuple(ranked),
        set_aside=tuple(r for r in results if not r.fits),
        ties=find_ties(ranked) if any(r.verdicts for r in results) else (),
        answered=len(check_answers(answers)),
    )


def find_ties(ranked: Sequence[FormResult]) -> tuple[Tie, ...]:
    groups: dict[int, list[FormResult]] = {}
    for result in ranked:
        groups.setdefault(result.rank or 0, []).append(result)
    return tuple(
        Tie(rank, tuple(r.form.name for r in group), group[0].points)
        for rank, group in groups.items()
        if len(group) > 1
    )


# --- Wording -------------------------------------------------------------------------


SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= number % 100 <= 20 else SUFFIXES.get(number % 10, "th")
    return f"{number}{suffix}"


def join_names(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def points_text(points: int) -> str:
    return "1 point" if points == 1 else f"{points} points"


def summary_line(forms: LegalForms) -> str:
    """One sentence on what the chooser covers, for the book page."""
    kinds = [form.kind for form in forms.forms]
    return (
        f"The chooser compares {kinds.count('form')} legal forms and "
        f"{kinds.count('model')} models on {len(QUESTIONS)} questions."
    )
