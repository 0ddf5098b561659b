"""Local Multiplier 3 (LM3): how much of an organisation's income stays local over three rounds.

The New Economics Foundation's method (*The Money Trail*, 2002) follows money
through three rounds of spending:

- round 1 (R1): the income that enters the organisation;
- round 2 (R2): the part of R1 it spends locally, on suppliers and on staff;
- round 3 (R3): the part of R2 that those local suppliers and staff re-spend locally.

The score is (R1 + R2 + R3) / R1, so it always lies between 1 (nothing spent
locally) and 3 (everything spent and re-spent locally). The calculator
assumes all of R1 is spent on suppliers or staff; the split says how much goes
to each, because suppliers and staff usually spend locally at different rates.
Inputs are checked here, so the widget and any other caller get the same
one-line messages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ccin_learn.errors import KitError

PERCENT_LABELS = {
    "supplier_share": "share of round 1 spent on suppliers",
    "supplier_local": "local share of supplier spending",
    "staff_local": "local share of staff spending",
    "supplier_respend": "local re-spend of suppliers",
    "staff_respend": "local re-spend of staff",
}


@dataclass(frozen=True)
class LM3Inputs:
    """What an organisation knows, or estimates, about where its money goes.

    All the shares are percentages from 0 to 100.
    """

    income: float
    supplier_share: float
    supplier_local: float
    staff_local: float
    supplier_respend: float
    staff_respend: float

    @property
    def staff_share(self) -> float:
        """The share of round 1 spent on staff: whatever is not spent on suppliers."""
        return 100.0 - self.supplier_share


@dataclass(frozen=True)
class LM3Result:
    """The three rounds in pounds, and the score."""

    round1: float
    round2: float
    round3: float

    @property
    def score(self) -> float:
        """LM3 = (R1 + R2 + R3) / R1: between 1 and 3."""
        return (self.round1 + self.round2 + self.round3) / self.round1

    @property
    def total(self) -> float:
        """All the money counted across the three rounds."""
        return self.round1 + self.round2 + self.round3


def check_inputs(inputs: LM3Inputs) -> None:
    """Refuse figures the method cannot use, with a message a user can act on."""
    if not math.isfinite(inputs.income) or inputs.income <= 0:
        raise KitError(f"round 1 income must be more than £0, got {format_number(inputs.income)}")
    for field, label in PERCENT_LABELS.items():
        value = getattr(inputs, field)
        if not math.isfinite(value) or not 0 <= value <= 100:
            raise KitError(f"{label} must be between 0 and 100%, got {format_number(value)}")


def format_number(value: float) -> str:
    """A number as typed, without a trailing .0, for error messages."""
    return f"{value:g}" if math.isfinite(value) else str(value)


def calculate(inputs: LM3Inputs) -> LM3Result:
    """Work out R2, R3 and the score from the inputs; KitError if an input is out of range."""
    check_inputs(inputs)
    local_suppliers = inputs.income * inputs.supplier_share / 100 * inputs.supplier_local / 100
    local_staff = inputs.income * inputs.staff_share / 100 * inputs.staff_local / 100
    respent = (
        local_suppliers * inputs.supplier_respend / 100 + local_staff * inputs.staff_respend / 100
    )
    return LM3Result(inputs.income, local_suppliers + local_staff, respent)


def score_text(result: LM3Result) -> str:
    """The score to two decimal places, as NEF's method reports it: 1.84."""
    return f"{result.score:.2f}"


def meaning(result: LM3Result) -> str:
    """One sentence that says what the score means in pounds."""
    return (
        f"Each £1 of income was worth £{result.score:.2f} to the local economy "
        "over three rounds of spending, counting the first £1."
    )
