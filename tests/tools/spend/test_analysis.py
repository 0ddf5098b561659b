"""The analysis's rules that a form relies on: what counts as local, and a file worth analysing."""

from __future__ import annotations

import pytest

from ccin_learn.errors import KitError
from ccin_learn.tools.spend.analysis import LocalDefinition, local_definition, net_spend
from ccin_learn.tools.spend.reading import read_payments


@pytest.mark.parametrize(
    ("by_flag", "districts", "column", "expected"),
    [
        (False, "", None, None),
        (False, "   ", "Local", None),  # districts chosen but not yet typed
        (True, "PR1", None, None),  # a column chosen but not yet picked
        (True, "PR1", "", None),
        (False, " pr1, PR2 ", None, LocalDefinition(districts=frozenset({"PR1", "PR2"}))),
        (True, "PR1", "Local", LocalDefinition(flag_column="Local")),
    ],
)
def test_local_definition_is_none_until_the_chosen_way_is_given(
    by_flag, districts, column, expected
):
    assert local_definition(by_flag, districts, column) == expected


def test_local_definition_refuses_what_is_not_a_district():
    with pytest.raises(KitError, match="'PRESTON' is not a postcode district"):
        local_definition(False, "PR1, Preston", None)


def test_net_spend_nets_off_credit_notes_and_refuses_a_file_with_nothing_to_share():
    assert net_spend(read_payments(b"Supplier,Amount\nA,100\nB,-40.5\n")) == 59.5
    with pytest.raises(KitError, match="add up to £0 or less"):
        net_spend(read_payments(b"Supplier,Amount\nA,100\nA,-100\n"))
    with pytest.raises(KitError, match="no payments that could be read"):
        net_spend(read_payments(b"Supplier,Amount\nA,TBC\n"))
