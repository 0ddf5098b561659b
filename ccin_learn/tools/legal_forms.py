"""The legal form chooser: rank legal forms for a coop or community business.

Officers are often asked "which legal form should this group use?". The chooser
turns six plain questions into a ranked list of the forms and models in
``data/legal_forms.yaml``, and says why each fits or not, quoting the form's own
sourced facts. It gives general information, not legal advice: the reasons say
what the course's sources say, and where they say nothing, the chooser says so
rather than guessing.

How the ranking works:

- each answer gives each form a verdict: fits well (2 points), could fit (1),
  poor fit (0) or does not fit (the form is set aside, with the reason);
- where the course's sources say nothing about a form on that point, the
  verdict is "not covered" (0 points): the chooser never guesses;
- "Not sure", and answers that say nothing about a form, give no verdict;
- forms are ranked by points; forms with equal points share a rank (1, 2, 2, 4),
  are listed in the data file's order, and the tie is explained.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from ccin_learn.datafile import DATA_DIR, DataModel, load_yaml_model
from ccin_learn.errors import KitError

FORMS_FILE = DATA_DIR / "legal_forms.yaml"

NOT_COVERED = "This course's sources do not cover this for this form: ask an adviser."


# --- The data file -------------------------------------------------------------------


SourceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]


class Source(DataModel):
    """A published source the facts cite: its title is the link text people see."""

    id: SourceId
    title: str = Field(min_length=5)
    url: str

    @field_validator("url")
    @classmethod
    def _web_address(cls, url: str) -> str:
        if not url.startswith(("http://", "https://")) or " " in url:
            raise ValueError(f"{url!r} must be a web address (http:// or https://)")
        return url


class Fact(DataModel):
    """One row of the comparison for one form: what the sources say, and which sources."""

    text: str = Field(min_length=5)
    sources: tuple[SourceId, ...] = Field(min_length=1, strict=False)
    uncertain: bool = False

    @model_validator(mode="after")
    def _dated_if_uncertain(self) -> Fact:
        if self.uncertain and "as of" not in self.text.lower():
            raise ValueError("an uncertain fact must say 'as of' and the year")
        return self


MemberKind = Literal["users", "workers", "several", "community", "trust"]
ControlCode = Literal[
    "one-member-one-vote-required", "one-member-one-vote", "classes-on-board", "members-control"
]
ProfitsCode = Literal[
    "community", "by-transaction", "capped-dividends", "dividends", "employee-bonuses"
]
AssetLockCode = Literal["statutory", "by-purpose", "none"]
CapitalCode = Literal["withdrawable-shares", "shares", "no-share-capital"]
PurposeCode = Literal["members", "community", "employees"]


class MembersFact(Fact):
    codes: tuple[MemberKind, ...] = Field(min_length=1, strict=False)


class ControlFact(Fact):
    code: ControlCode


class ProfitsFact(Fact):
    code: ProfitsCode


class AssetLockFact(Fact):
    code: AssetLockCode


class CapitalFact(Fact):
    code: CapitalCode


class PurposeFact(Fact):
    code: PurposeCode


class LegalForm(DataModel):
    """A legal form (or a model that still needs one) and its sourced facts."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str = Field(min_length=3)
    kind: Literal["form", "model"]
    page: str = Field(pattern=r"^modules/legal-structures/[a-z0-9-]+$")
    what_it_is: Fact
    law_and_regulator: Fact
    members: MembersFact | None = None
    control: ControlFact | None = None
    profits: ProfitsFact | None = None
    asset_lock: AssetLockFact | None = None
    capital: CapitalFact | None = None
    purpose: PurposeFact | None = None
    setting_up: Fact | None = None


class LegalForms(DataModel):
    """The sources, and all forms in the order the comparison table shows them."""

    schema_version: int = Field(ge=1, le=1)  # not Literal[1], which takes true as 1
    sources: tuple[Source, ...] = Field(min_length=1, strict=False)
    forms: tuple[LegalForm, ...] = Field(min_length=2, strict=False)

    @model_validator(mode="after")
    def _consistent(self) -> LegalForms:
        for what, ids in (
            ("form", [form.id for form in self.forms]),
            ("source", [source.id for source in self.sources]),
        ):
            if len(set(ids)) != len(ids):
                raise ValueError(f"{what} ids must be unique")
        known = {source.id for source in self.sources}
        for form in self.forms:
            for attr, _heading in ROWS:
                fact = getattr(form, attr)
                for source_id in fact.sources if fact else ():
                    if source_id not in known:
                        raise ValueError(
                            f"{form.id}.{attr} cites {source_id!r}, which is not in sources"
                        )
        return self

    def source(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(f"no source {source_id!r}")

    def sources_of(self, fact: Fact) -> tuple[Source, ...]:
        return tuple(self.source(source_id) for source_id in fact.sources)

    def cited(self) -> tuple[Source, ...]:
        """The sources that some fact cites, in the order of the sources list."""
        used = {
            source_id
            for form in self.forms
            for attr, _heading in ROWS
            for source_id in getattr(getattr(form, attr), "sources", ())
        }
        return tuple(source for source in self.sources if source.id in used)

    def get(self, form_id: str) -> LegalForm:
        for form in self.forms:
            if form.id == form_id:
                return form
        raise KeyError(f"no legal form {form_id!r}")


def load_forms(path: Path = FORMS_FILE) -> LegalForms:
    """Load and check the forms file; DataFileError names the bad field."""
    return load_yaml_model(path, LegalForms)


@cache
def default_forms() -> LegalForms:
    """The forms shipped with the kit, loaded once per process."""
    return load_forms()


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


def comparison_rows(forms: Sequence[LegalForm]) -> list[tuple[str, list[Fact | None]]]:
    """The table's rows for these forms: each row heading with one fact (or None) per form."""
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
    UNKNOWN = ("Not covered by the sources", 0)
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


Rule = Callable[[LegalForm, str], "tuple[Fit, Fact | None] | None"]


def _profits(form: LegalForm, option: str) -> tuple[Fit, Fact | None] | None:
    if option == "investors" and form.capital and form.capital.code == "no-share-capital":
        return Fit.NO, form.capital
    if form.profits is None:
        return Fit.UNKNOWN, None
    table: dict[str, dict[str, Fit]] = {
        "none": {
            "community": Fit.GOOD,
            "by-transaction": Fit.OK,
            "capped-dividends": Fit.OK,
            "dividends": Fit.POOR,
            "employee-bonuses": Fit.OK,
        },
        "members-trade": {
            "community": Fit.NO,
            "by-transaction": Fit.GOOD,
            "capped-dividends": Fit.POOR,
            "dividends": Fit.POOR,
            "employee-bonuses": Fit.POOR,
        },
        "investors": {
            "community": Fit.NO,
            "by-transaction": Fit.NO,
            "capped-dividends": Fit.OK,
            "dividends": Fit.GOOD,
            "employee-bonuses": Fit.POOR,
        },
    }
    return table[option][form.profits.code], form.profits


def _asset_lock(form: LegalForm, option: str) -> tuple[Fit, Fact | None] | None:
    lock = form.asset_lock
    code = lock.code if lock else None
    if option == "statutory":
        if code == "statutory":
            return Fit.GOOD, lock
        if code == "by-purpose":
            return Fit.OK, lock
        if code == "none" and lock is not None:
            return (Fit.POOR if lock.uncertain else Fit.NO), lock
        return Fit.UNKNOWN, None
    if code == "statutory":
        return Fit.NO, lock
    if code == "by-purpose":
        return Fit.POOR, lock
    return None


def _control(form: LegalForm, option: str) -> tuple[Fit, Fact | None] | None:
    control = form.control
    code = control.code if control else None
    if option == "yes":
        if control is None:
            return Fit.UNKNOWN, None
        if code in ("one-member-one-vote-required", "one-member-one-vote"):
            return Fit.GOOD, control
        return Fit.OK, control
    if code == "one-member-one-vote-required":
        return Fit.NO, control
    if code == "one-member-one-vote":
        return Fit.POOR, control
    return None


def _capital(form: LegalForm, option: str) -> tuple[Fit, Fact | None] | None:
    if option == "no":
        return None
    capital = form.capital
    if capital is None:
        return Fit.UNKNOWN, None
    fits = {"withdrawable-shares": Fit.GOOD, "shares": Fit.POOR, "no-share-capital": Fit.NO}
    return fits[capital.code], capital


def _purpose(form: LegalForm, option: str) -> tuple[Fit, Fact | None] | None:
    purpose = form.purpose
    if purpose is None:
        return Fit.UNKNOWN, None
    table: dict[str, dict[str, Fit]] = {
        "community": {"community": Fit.GOOD, "members": Fit.POOR, "employees": Fit.POOR},
        "members": {"community": Fit.NO, "members": Fit.GOOD, "employees": Fit.OK},
    }
    return table[option][purpose.code], purpose


EOT_BUYS_A_COMPANY = Fact(
    text="An Employee Ownership Trust buys a controlling interest in a company like this.",
    sources=("finance-act-2014-eot",),
)


def _members(form: LegalForm, option: str) -> tuple[Fit, Fact | None] | None:
    members = form.members
    if members is None:
        if option == "trust" and form.capital and form.capital.code == "shares":
            return Fit.OK, EOT_BUYS_A_COMPANY
        return Fit.UNKNOWN, None
    if option in members.codes:
        return Fit.GOOD, members
    if members.codes == ("trust",):
        return Fit.NO, members
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
        if fact is None:
            verdicts.append(Verdict(question, fit, NOT_COVERED))
        else:
            verdicts.append(
                Verdict(question, fit, fact.text, data.sources_of(fact), fact.uncertain)
            )
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
