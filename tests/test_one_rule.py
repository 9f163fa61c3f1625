"""Each rule written once (issue 22): the scan path and the services give the same answer
because they call the same function."""

from __future__ import annotations

import itertools

import pytest

from checkin.scanning.config import TypeConfig
from checkin.store import AllowanceRule, TicketKind, allowance
from checkin.store.models import Attendee, TicketType
from checkin.ticketing import snapshots

HOUSEHOLDS = list(itertools.product((0, 1, 3), (0, 2), (0, 1)))


@pytest.mark.parametrize("rule", list(AllowanceRule))
@pytest.mark.parametrize("quantity", [1, 2])
def test_scan_path_and_services_count_the_same_allowance(
    rule: AllowanceRule, quantity: int
) -> None:
    kind = TypeConfig(
        id=1, uid="u", name="Meal", kind=TicketKind.RESOURCE, rule=rule, quantity=quantity,
        stock=None, stations=(), partner_text="", issue_at_checkin=True, at_checkin=None,
    )  # fmt: skip
    ticket_type = TicketType(name="Meal", rule=rule, quantity=quantity)
    for adults, kids, seniors in HOUSEHOLDS:
        household = Attendee(adults=adults, kids=kids, seniors=seniors)
        expected = allowance(rule, quantity, adults, kids, seniors)
        assert kind.allowance(adults, kids, seniors) == expected
        assert snapshots.allowance(ticket_type, household) == expected


def test_the_allowance_rule_as_pantries_count_it() -> None:
    assert allowance(AllowanceRule.FIXED, 2, 3, 2, 1) == 2
    assert allowance(AllowanceRule.PER_MEMBER, 2, 3, 2, 1) == 12
    assert allowance(AllowanceRule.PER_MEMBER, 1, 0, 0, 0) == 1  # nobody counted: one
    assert allowance(AllowanceRule.PER_KID, 1, 3, 2, 1) == 2
    assert allowance("per_kid", 1, 3, 0, 1) == 0  # the scan path reads plain strings
