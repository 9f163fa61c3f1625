"""Each rule written once (issue 22): the scan path and the services give the same answer
because they call the same function."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import datetime

import pytest

from checkin.after_event.export import LocalTimes
from checkin.people import attendees
from checkin.results import ScanState, Station, TicketInfo
from checkin.scanning import ScanEngine
from checkin.scanning.config import TypeConfig
from checkin.store import AllowanceRule, Database, TicketKind, allowance
from checkin.store.models import Attendee, TicketType
from checkin.ticketing import snapshots, tickets
from checkin.timefmt import iso_local, offset_text

DESK = Station("Desk 1", volunteer="Ann")
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


def test_the_scan_path_and_the_services_build_the_same_card(db: Database) -> None:
    """A household checked in at the desk, then handed a pre-printed stock ticket (on a sheet)
    by scanning it: the card the scan answers with is the card the services read back."""
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, quantity=1, issue_at_checkin=True)
    tickets.add_ticket_type(
        db,
        "Meal",
        TicketKind.RESOURCE,
        rule=AllowanceRule.PER_MEMBER,
        quantity=1,
        issue_at_checkin=True,
    )
    tickets.add_ticket_type(
        db, "Backpack", TicketKind.RESOURCE, rule=AllowanceRule.PER_KID, quantity=1
    )
    stock = tickets.create_stock(db, "Backpack", 2, per_sheet=10)
    code = attendees.register(db, DESK, first_name="Rosa", adults=2, kids=1).code
    engine = ScanEngine(db)
    checked_in = engine.scan(code, DESK)
    assert checked_in.state == ScanState.CHECKED_IN
    bound = engine.scan(stock[0].code, DESK, current_attendee=code)
    assert bound.state == ScanState.TICKET_BOUND
    assert bound.attendee is not None
    served = attendees.get_attendee(db, code)
    assert served is not None
    # (the scan lists the ticket it bound last, the services in the order they were made)
    assert sorted(bound.attendee.tickets, key=by_code) == sorted(served.tickets, key=by_code)
    assert [t.sheet for t in bound.attendee.tickets] == [None, None, None, None, 1]
    assert dataclasses.replace(bound.attendee, tickets=()) == dataclasses.replace(
        served, tickets=()
    )
    assert bound.ticket == tickets.get_ticket(db, stock[0].code)


def by_code(ticket: TicketInfo) -> str:
    return ticket.code


def test_the_export_writes_local_time_as_timefmt_does() -> None:
    """The export's cached conversion (both writers take the offset from timefmt) gives what
    timefmt.iso_local gives, in winter and summer."""
    times = LocalTimes()
    for moment in (datetime(2030, 1, 14, 18, 2, 10), datetime(2030, 6, 14, 18, 2, 10, 999999)):
        assert times(moment) == iso_local(moment)
        assert times(moment.isoformat(sep=" ")) == iso_local(moment)
    assert offset_text(-300) == "-05:00"
    assert offset_text(330) == "+05:30"
    assert offset_text(0) == "+00:00"
