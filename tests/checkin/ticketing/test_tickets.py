"""Ticket types and their household rules, stock, issuing at check-in, pre-printed stock, void."""

from __future__ import annotations

import pytest

from checkin.people import attendees
from checkin.results import CheckInParams, ScanState, ShortStock, Station
from checkin.scanning import ScanEngine
from checkin.store import AllowanceRule, Database, TicketKind
from checkin.ticketing import tickets
from checkin.ticketing.tickets import TicketError
from tests.helpers.outcomes import params_of

DESK = Station("Desk 1", volunteer="Ann")


def household(db: Database, *, adults: int = 1, kids: int = 0, seniors: int = 0) -> str:
    return attendees.register(db, DESK, adults=adults, kids=kids, seniors=seniors).code


def test_add_and_list_ticket_types(db: Database) -> None:
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, quantity=2, issue_at_checkin=True)
    tickets.add_ticket_type(
        db,
        "Referral",
        TicketKind.RESOURCE,
        stock=10,
        stations=(" Partner table ", ""),
        partner_text="Second Chance KC",
    )
    listed = tickets.list_ticket_types(db)
    assert [t.name for t in listed] == ["Raffle", "Referral"]
    raffle, referral = listed
    assert raffle.kind == "raffle" and raffle.quantity == 2 and raffle.issue_at_checkin
    assert raffle.stock is None and raffle.stock_left is None
    assert referral.stations == ("Partner table",)
    assert referral.partner_text == "Second Chance KC"
    assert referral.stock_left == 10


@pytest.mark.parametrize(
    ("name", "kind", "rule", "quantity", "stock"),
    [
        ("", "raffle", "fixed", 1, None),
        ("X", "coupon", "fixed", 1, None),
        ("X", "raffle", "per_dog", 1, None),
        ("X", "raffle", "fixed", -1, None),
        ("X", "resource", "fixed", 1, -5),
    ],
)
def test_bad_ticket_types_are_refused(
    db: Database, name: str, kind: str, rule: str, quantity: int, stock: int | None
) -> None:
    with pytest.raises(TicketError):
        # words no enum may know, as a file or the command line could bring them
        tickets.add_ticket_type(db, name, kind, rule=rule, quantity=quantity, stock=stock)  # type: ignore[arg-type]
    assert tickets.list_ticket_types(db) == []


def test_duplicate_type_name_is_refused(db: Database) -> None:
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE)
    with pytest.raises(TicketError, match="already"):
        tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE)


def test_fixed_rule(db: Database) -> None:
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, quantity=2)
    code = household(db, adults=4, kids=3)
    result = tickets.issue_tickets(db, code, "Raffle")
    assert result.ok and len(result.tickets) == 2
    assert {t.attendee_code for t in result.tickets} == {code}
    assert {t.state for t in result.tickets} == {"issued"}
    assert [t.serial for t in result.tickets] == [1, 2]
    again = tickets.issue_tickets(db, code, "Raffle")
    assert not again.ok and again.refusal is ScanState.LIMIT_REACHED


@pytest.mark.parametrize(
    ("adults", "kids", "seniors", "expected"), [(1, 0, 0, 2), (2, 3, 1, 12), (0, 1, 0, 2)]
)
def test_per_member_rule(db: Database, adults: int, kids: int, seniors: int, expected: int) -> None:
    tickets.add_ticket_type(
        db, "Meal", TicketKind.RESOURCE, rule=AllowanceRule.PER_MEMBER, quantity=2
    )
    code = household(db, adults=adults, kids=kids, seniors=seniors)
    assert len(tickets.issue_tickets(db, code, "Meal").tickets) == expected


def test_per_kid_rule(db: Database) -> None:
    tickets.add_ticket_type(db, "Backpack", TicketKind.RESOURCE, rule=AllowanceRule.PER_KID)
    family = household(db, adults=2, kids=3)
    assert len(tickets.issue_tickets(db, family, "Backpack").tickets) == 3
    no_kids = household(db, adults=2)
    result = tickets.issue_tickets(db, no_kids, "Backpack")
    assert not result.ok and result.refusal is ScanState.LIMIT_REACHED


def test_issue_a_count_within_the_allowance(db: Database) -> None:
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE, rule=AllowanceRule.PER_MEMBER)
    code = household(db, adults=2, kids=2)
    assert len(tickets.issue_tickets(db, code, "meal", count=1).tickets) == 1  # any case
    too_many = tickets.issue_tickets(db, code, "Meal", count=4)
    assert not too_many.ok and too_many.refusal is ScanState.LIMIT_REACHED
    assert "only 3 more" in too_many.message
    assert len(tickets.issue_tickets(db, code, "Meal").tickets) == 3
    info = attendees.get_attendee(db, code)
    assert info is not None
    (due,) = info.dues
    assert (due.allowed, due.held, due.due) == (4, 4, 0)


def test_stock_is_never_exceeded(db: Database) -> None:
    tickets.add_ticket_type(
        db, "Backpack", TicketKind.RESOURCE, rule=AllowanceRule.PER_KID, stock=5
    )
    first = household(db, kids=4)
    assert len(tickets.issue_tickets(db, first, "Backpack").tickets) == 4
    second = household(db, kids=2)
    result = tickets.issue_tickets(db, second, "Backpack")
    assert not result.ok and result.refusal is ScanState.OUT_OF_STOCK
    assert "only 1 left" in result.message
    assert len(tickets.issue_tickets(db, second, "Backpack", count=1).tickets) == 1
    (backpack,) = tickets.list_ticket_types(db)
    assert backpack.held == 5 and backpack.stock_left == 0


def test_voided_tickets_return_to_stock_and_allowance(db: Database) -> None:
    tickets.add_ticket_type(db, "Backpack", TicketKind.RESOURCE, stock=1)
    code = household(db)
    issued = tickets.issue_tickets(db, code, "Backpack").tickets[0]
    assert tickets.issue_tickets(db, household(db), "Backpack").refusal is ScanState.OUT_OF_STOCK
    voided = tickets.void_ticket(db, issued.code, station=DESK, reason="torn")
    assert voided.state == "void"
    assert tickets.void_ticket(db, issued.code).state == "void"  # twice is harmless
    assert tickets.list_ticket_types(db)[0].stock_left == 1
    assert tickets.issue_tickets(db, code, "Backpack").ok


def test_issue_at_checkin(db: Database) -> None:
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, issue_at_checkin=True)
    tickets.add_ticket_type(
        db, "Meal", TicketKind.RESOURCE, rule=AllowanceRule.PER_MEMBER, issue_at_checkin=True
    )
    tickets.add_ticket_type(db, "Backpack", TicketKind.RESOURCE, rule=AllowanceRule.PER_KID)
    code = household(db, adults=2, kids=1)
    result = ScanEngine(db).check_in(code, DESK)
    assert result.state is ScanState.CHECKED_IN
    assert result.attendee is not None
    held = sorted(t.type_name for t in result.issued)
    assert held == ["Meal", "Meal", "Meal", "Raffle"]
    assert all(t.state == "issued" for t in result.issued)


def test_checkin_gives_what_is_left_when_stock_runs_short(db: Database) -> None:
    tickets.add_ticket_type(
        db,
        "Meal",
        TicketKind.RESOURCE,
        rule=AllowanceRule.PER_MEMBER,
        stock=2,
        issue_at_checkin=True,
    )
    big = household(db, adults=3)
    result = ScanEngine(db).check_in(big, DESK)
    assert result.state is ScanState.CHECKED_IN  # the person is in, with the two meals left
    assert result.attendee is not None and len(result.issued) == 2
    assert params_of(result, CheckInParams).short == (ShortStock("Meal", 2, 3),)
    small = household(db, adults=2)
    other = ScanEngine(db).check_in(small, DESK)
    assert other.attendee is not None and other.issued == ()


def test_issue_errors(db: Database) -> None:
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE)
    with pytest.raises(TicketError, match="No attendee"):
        tickets.issue_tickets(db, "A000-0000-0000-0000-0000", "Meal")
    with pytest.raises(TicketError, match="No ticket type"):
        tickets.issue_tickets(db, household(db), "Lobster")


def test_create_stock(db: Database) -> None:
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE)
    code = household(db)
    tickets.issue_tickets(db, code, "Raffle")
    stock = tickets.create_stock(db, "Raffle", 5, station=DESK)
    assert len(stock) == 5 == len({t.code for t in stock})
    assert [t.serial for t in stock] == [2, 3, 4, 5, 6]  # serials continue
    assert all(t.state == "unassigned" and t.attendee_code is None for t in stock)
    raffle = tickets.list_ticket_types(db)[0]
    assert raffle.unassigned == 5 and raffle.held == 1
    for count in (0, -1, 10_001):
        with pytest.raises(TicketError):
            tickets.create_stock(db, "Raffle", count)
    with pytest.raises(TicketError):
        tickets.create_stock(db, "Lobster", 1)


def test_unassigned_stock_does_not_count_against_stock(db: Database) -> None:
    tickets.add_ticket_type(db, "Backpack", TicketKind.RESOURCE, stock=2)
    tickets.create_stock(db, "Backpack", 10)
    assert len(tickets.issue_tickets(db, household(db), "Backpack", count=1).tickets) == 1
    assert tickets.list_ticket_types(db)[0].stock_left == 1


def test_void_unknown_ticket(db: Database) -> None:
    with pytest.raises(TicketError):
        tickets.void_ticket(db, "T000-0000-0000-0000-0000")
    assert tickets.get_ticket(db, "T000-0000-0000-0000-0000") is None


def test_get_ticket_accepts_the_typed_form(db: Database) -> None:
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE)
    issued = tickets.issue_tickets(db, household(db), "Meal").tickets[0]
    typed = "-".join(issued.code[i : i + 4] for i in range(0, 20, 4)).lower()
    found = tickets.get_ticket(db, typed)
    assert found is not None and found.code == issued.code
