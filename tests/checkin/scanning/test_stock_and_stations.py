"""Issue 20, problems 8 and 9 at the engine: a household gets what is left of a stock and the
answer says so; a resource station tells what is left, takes one scan per family member,
says when the allowance was used up, and hands an entitled household a ticket it never got."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import select

from checkin.after_event.summary import summarize
from checkin.people import attendees
from checkin.record.audit import verify
from checkin.results import (
    CheckInParams,
    ScanState,
    ShortStock,
    Station,
    StationMode,
    TicketParams,
    Tone,
)
from checkin.scanning import ScanEngine
from checkin.store import AllowanceRule, Database, TicketKind
from checkin.store.models import Ticket, TicketType
from checkin.ticketing import tickets
from tests.helpers.outcomes import params_of

DESK = Station("Desk 1", volunteer="Ann")
MEAL = Station("Meal tent", StationMode.RESOURCE, "Meal", volunteer="Cy")
BACKPACKS = Station("Backpacks", StationMode.RESOURCE, "Backpack")
GAMES = Station("Games", StationMode.RESOURCE, "Game prize")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float = 5.0) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def event_db(db: Database) -> Database:
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, quantity=1, issue_at_checkin=True)
    tickets.add_ticket_type(
        db,
        "Meal",
        TicketKind.RESOURCE,
        rule=AllowanceRule.PER_MEMBER,
        quantity=1,
        issue_at_checkin=True,
        stock=5,
    )
    tickets.add_ticket_type(
        db, "Backpack", TicketKind.RESOURCE, rule=AllowanceRule.PER_KID, quantity=1, stock=2
    )
    # One at check-in, two more from the pre-printed stack (won at the games).
    tickets.add_ticket_type(
        db, "Game prize", TicketKind.RESOURCE, quantity=3, issue_at_checkin=True, at_checkin=1
    )
    return db


@pytest.fixture
def engine(event_db: Database, clock: FakeClock) -> ScanEngine:
    return ScanEngine(event_db, clock=clock)


def household(db: Database, first: str = "Rosa", *, adults: int = 4, kids: int = 0) -> str:
    return attendees.register(db, DESK, first_name=first, adults=adults, kids=kids).code


def record_ok(db: Database) -> bool:
    return verify(db).ok


# --- problem 8: stock running out at check-in ----------------------------------------------------


def test_a_household_gets_what_is_left_and_the_answer_says_so(
    engine: ScanEngine, event_db: Database
) -> None:
    first = engine.scan(household(event_db, "Ana"), DESK)  # 4 of the 5 meals
    assert first.tone is Tone.SUCCESS and params_of(first, CheckInParams).short == ()
    second = engine.scan(household(event_db, "Bo"), DESK)
    # Before: the household got no meal at all under a plain green answer.
    assert second.state is ScanState.CHECKED_IN and second.ok
    assert second.tone is Tone.WARNING
    assert [t.type_name for t in second.issued].count("Meal") == 1
    assert params_of(second, CheckInParams).short == (ShortStock("Meal", 1, 4),)
    assert "Only 1 Meal left: hand over 1 of 4; Meal is now out" in second.message
    third = engine.scan(household(event_db, "Cy"), DESK)
    assert params_of(third, CheckInParams).short == (ShortStock("Meal", 0, 4),)
    assert "Meal is out: none of 4 to hand over" in third.message
    assert [t.type_name for t in third.issued] == ["Raffle", "Game prize"]
    assert record_ok(event_db)


def test_the_summary_says_when_a_stock_ran_out(engine: ScanEngine, event_db: Database) -> None:
    engine.scan(household(event_db, "Ana"), DESK)
    meal = next(t for t in summarize(event_db).tickets if t.name == "Meal")
    assert meal.stock_left == 1 and meal.ran_out_at == ""
    engine.scan(household(event_db, "Bo"), DESK)
    meal = next(t for t in summarize(event_db).tickets if t.name == "Meal")
    with event_db.reading() as session:
        last = session.scalar(
            select(Ticket.issued_at)
            .join(TicketType)
            .where(TicketType.name == "Meal")
            .order_by(Ticket.issued_at.desc(), Ticket.id.desc())
        )
    assert last is not None
    assert meal.stock_left == 0
    local = last.replace(tzinfo=UTC).astimezone().isoformat(timespec="seconds")
    assert meal.ran_out_at == local  # the moment the fifth meal went out


# --- problem 9: resource stations -----------------------------------------------------------------


def test_a_redemption_says_what_is_left(engine: ScanEngine, event_db: Database) -> None:
    code = household(event_db, adults=4)
    engine.scan(code, DESK)
    result = engine.scan(code, MEAL)
    assert result.state is ScanState.REDEEMED
    assert (params_of(result, TicketParams).left, params_of(result, TicketParams).allowed) == (3, 4)
    assert result.attendee is not None
    meal = next(d for d in result.attendee.dues if d.type_name == "Meal")
    assert (meal.used, meal.left) == (1, 3)


def test_a_quick_second_scan_of_a_persons_code_is_the_next_meal(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    code = household(event_db, adults=4)
    engine.scan(code, DESK)
    clock.advance()
    assert params_of(engine.scan(code, MEAL), TicketParams).left == 3
    clock.advance(1.0)  # the next family member, a second later: before, "Same scan again"
    second = engine.scan(code, MEAL, current_attendee=code)
    assert second.state is ScanState.REDEEMED and not second.repeat
    assert params_of(second, TicketParams).left == 2
    clock.advance(0.2)  # the scanner firing twice: its second burst right behind the first
    double = engine.scan(code, MEAL, current_attendee=code)
    assert double.repeat and params_of(double, TicketParams).left == 2
    assert attendees_used(event_db, code) == 2


def test_a_tickets_code_keeps_the_whole_double_trigger_window(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    checked = engine.scan(household(event_db, adults=2), DESK)
    meal = next(t.code for t in checked.issued if t.type_name == "Meal")
    assert engine.scan(meal, MEAL).state is ScanState.REDEEMED
    clock.advance(1.5)
    assert engine.scan(meal, MEAL).repeat


def attendees_used(db: Database, code: str) -> int:
    card = attendees.get_attendee(db, code)
    assert card is not None
    return sum(1 for t in card.tickets if t.type_name == "Meal" and t.state == "redeemed")


def test_all_used_names_no_ticket_number(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    code = household(event_db, adults=2)
    engine.scan(code, DESK)
    for _ in range(2):
        clock.advance()
        engine.scan(code, MEAL)
    clock.advance()
    result = engine.scan(code, MEAL)
    assert result.state is ScanState.ALREADY_REDEEMED
    assert (
        params_of(result, TicketParams).why == "all_used"
        and params_of(result, TicketParams).used == 2
    )
    assert result.message.startswith("All 2 Meal used (last at ")
    assert "No." not in result.message and result.ticket is None


def test_an_entitled_household_gets_its_backpack_at_the_station(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    code = household(event_db, adults=1, kids=2)
    engine.scan(code, DESK)
    clock.advance()
    result = engine.scan(code, BACKPACKS)
    # Before: red "No Backpack ticket" for a family entitled to two.
    assert result.state is ScanState.REDEEMED
    assert (params_of(result, TicketParams).left, params_of(result, TicketParams).allowed) == (1, 2)
    assert result.ticket is not None and result.ticket.state == "redeemed"
    held = tickets.get_ticket(event_db, result.ticket.code)
    assert held is not None and held.state == "redeemed" and held.attendee_code == code
    clock.advance()
    assert params_of(engine.scan(code, BACKPACKS), TicketParams).left == 0
    clock.advance()
    used = engine.scan(code, BACKPACKS)
    assert (
        used.state is ScanState.ALREADY_REDEEMED and params_of(used, TicketParams).why == "all_used"
    )
    assert record_ok(event_db)


def test_an_entitled_household_beyond_the_stock_hears_it_is_out(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    big = household(event_db, "Ana", adults=1, kids=2)
    other = household(event_db, "Bo", adults=1, kids=1)
    for code in (big, other):
        engine.scan(code, DESK)
    for _ in range(2):
        clock.advance()
        assert engine.scan(big, BACKPACKS).state is ScanState.REDEEMED
    clock.advance()
    out = engine.scan(other, BACKPACKS)
    assert out.state is ScanState.OUT_OF_STOCK and params_of(out, TicketParams).type == "Backpack"


def test_stock_kept_for_the_stack_says_to_scan_one(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    code = household(event_db, adults=1)
    engine.scan(code, DESK)
    clock.advance()
    assert engine.scan(code, GAMES).state is ScanState.REDEEMED  # the one from check-in
    clock.advance()
    result = engine.scan(code, GAMES)
    assert result.state is ScanState.ENTITLED and result.tone is Tone.WARNING
    assert (
        params_of(result, TicketParams).why == "stack" and params_of(result, TicketParams).left == 2
    )
    assert result.message == "Entitled: scan a Game prize ticket from the stack"


def test_not_checked_in_is_sent_to_the_desk(engine: ScanEngine, event_db: Database) -> None:
    code = household(event_db, adults=1, kids=1)
    result = engine.scan(code, BACKPACKS)
    assert result.state is ScanState.ENTITLED and params_of(result, TicketParams).why == "desk"
    assert tickets.list_ticket_types(event_db)[2].stock_left == 2  # nothing issued


def test_a_household_without_kids_gets_no_backpack(engine: ScanEngine, event_db: Database) -> None:
    code = household(event_db, adults=2)
    engine.scan(code, DESK)
    result = engine.scan(code, BACKPACKS)
    assert (
        result.state is ScanState.NOT_VALID_HERE
        and params_of(result, TicketParams).why == "not_entitled"
    )
