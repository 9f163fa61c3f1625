"""The scan engine: every state, the scanner double-trigger, garbage input, failed writes, and
the scan log."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from checkin import codes
from checkin.event.campaigns import create_campaign
from checkin.event.events import create_event
from checkin.people import attendees
from checkin.results import (
    CheckInParams,
    FlyerParams,
    NotSavedParams,
    PrizeParams,
    ScanResult,
    ScanState,
    Station,
    StationMode,
    TicketParams,
    Tone,
)
from checkin.scanning import ScanEngine
from checkin.store import (
    AllowanceRule,
    Database,
    TicketKind,
    cipher,
    create_db_engine,
    open_database,
)
from checkin.store.models import AuditEntry, CheckIn, Draw, Event, Prize, ScanLog, Ticket, utcnow
from checkin.ticketing import tickets
from tests.helpers.event_files import open_new
from tests.helpers.outcomes import params_of
from tests.helpers.project_paths import PREREG_DATA

DESK = Station("Desk 1", volunteer="Ann")
DESK_2 = Station("Desk 2", volunteer="Bo")
MEAL = Station("Meal tent", StationMode.RESOURCE, "Meal", volunteer="Cy")
BACKPACKS = Station("Backpacks", StationMode.RESOURCE, "Backpack")
PARTNER = Station("Partner table", StationMode.RESOURCE, "Referral")
OTHER_RESOURCE = Station("Side table", StationMode.RESOURCE, "Referral")
PRIZES = Station("Prize table", StationMode.PRIZE)


class FakeClock:
    """Monotonic seconds the test moves forward by hand (for the double-trigger window)."""

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
    )
    tickets.add_ticket_type(
        db, "Backpack", TicketKind.RESOURCE, rule=AllowanceRule.PER_KID, quantity=1, stock=3
    )
    tickets.add_ticket_type(db, "Referral", TicketKind.RESOURCE, stations=("Partner table",))
    return db


@pytest.fixture
def engine(event_db: Database, clock: FakeClock) -> ScanEngine:
    return ScanEngine(event_db, clock=clock)


def person(db: Database, first: str = "Rosa", *, adults: int = 1, kids: int = 0) -> str:
    return attendees.register(db, DESK, first_name=first, adults=adults, kids=kids).code


def secrets_of(db: Database) -> tuple[str, bytes]:
    with db.reading() as session:
        row = session.scalars(select(Event)).one()
        return row.tag, row.secret_key


def scan_count(db: Database) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count(ScanLog.id))) or 0


def audit_count(db: Database) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count(AuditEntry.id))) or 0


def ticket_state(db: Database, code: str) -> str:
    info = tickets.get_ticket(db, code)
    assert info is not None
    return info.state


def codes_of(db: Database, result: ScanResult, type_name: str) -> list[str]:
    """The tickets the scanned person holds: from their card, read after the scan (a scan's
    result carries a brief card only)."""
    assert result.attendee is not None
    card = attendees.get_attendee(db, result.attendee.code)
    assert card is not None
    return [t.code for t in card.tickets if t.type_name == type_name]


# --- desk: check-in ------------------------------------------------------------------------------


def test_checked_in_issues_the_default_tickets(engine: ScanEngine, event_db: Database) -> None:
    code = person(event_db, adults=2, kids=1)
    result = engine.scan(code, DESK)
    assert result.state is ScanState.CHECKED_IN
    assert result.tone is Tone.SUCCESS and result.ok
    assert result.attendee is not None and result.attendee.code == code
    assert result.attendee.checked_in_station == "Desk 1"
    assert len(codes_of(event_db, result, "Raffle")) == 1
    assert len(codes_of(event_db, result, "Meal")) == 3  # one per household member
    assert codes_of(event_db, result, "Backpack") == []  # not issued at check-in
    assert params_of(result, CheckInParams).tickets == 4
    assert "Rosa" in result.message
    assert result.as_json() == {  # what the command line prints: no name (issue 23)
        "input": code,
        "state": "checked_in",
        "message": result.message.replace("Rosa", f"Guest #{result.attendee.number}"),
        "attendee": code,
        "ticket": None,
    }


def test_checked_in_by_the_typed_human_form(engine: ScanEngine, event_db: Database) -> None:
    code = person(event_db)
    typed = codes.format_human(code).lower().replace("0", "o")
    assert engine.scan(typed + "\r\n", DESK).state is ScanState.CHECKED_IN


def test_already_checked_in_says_when_and_where(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    code = person(event_db)
    engine.scan(code, DESK)
    clock.advance()
    again = engine.scan(code, DESK_2)
    assert again.state is ScanState.ALREADY_CHECKED_IN
    assert again.tone is Tone.WARNING
    assert params_of(again, CheckInParams).where == "Desk 1"
    assert params_of(again, CheckInParams).when  # "14:03", local time
    assert params_of(again, CheckInParams).when in again.message and "Desk 1" in again.message
    assert not again.repeat
    with event_db.reading() as session:
        assert session.scalar(select(func.count(CheckIn.id))) == 1
    assert again.attendee is not None
    assert len(codes_of(event_db, again, "Meal") + codes_of(event_db, again, "Raffle")) == 2


# --- pre-printed stock ---------------------------------------------------------------------------


def test_unassigned_with_nobody_on_screen(engine: ScanEngine, event_db: Database) -> None:
    stock = tickets.create_stock(event_db, "Backpack", 1)[0]
    result = engine.scan(stock.code, DESK)
    assert result.state is ScanState.UNASSIGNED
    assert result.ticket is not None and result.ticket.state == "unassigned"
    assert ticket_state(event_db, stock.code) == "unassigned"


def test_unassigned_ticket_at_a_resource_station(engine: ScanEngine, event_db: Database) -> None:
    """With the person on screen a pre-printed ticket becomes theirs and is handed over (it
    used to answer "scan or pick the person first" with the person right there)."""
    stock = tickets.create_stock(event_db, "Backpack", 2)
    nobody = engine.scan(stock[1].code, BACKPACKS)
    assert nobody.state is ScanState.UNASSIGNED
    assert ticket_state(event_db, stock[1].code) == "unassigned"
    kid = person(event_db, kids=1)
    result = engine.scan(stock[0].code, BACKPACKS, current_attendee=kid)
    assert result.state is ScanState.REDEEMED
    assert result.attendee is not None and result.attendee.code == kid
    assert ticket_state(event_db, stock[0].code) == "redeemed"
    meal = tickets.create_stock(event_db, "Meal", 1)[0]  # not what this station gives out
    wrong = engine.scan(meal.code, BACKPACKS, current_attendee=kid)
    assert wrong.state is ScanState.NOT_VALID_HERE
    assert ticket_state(event_db, meal.code) == "unassigned"


def test_ticket_bound_to_the_person_on_screen(engine: ScanEngine, event_db: Database) -> None:
    stock = tickets.create_stock(event_db, "Backpack", 2)
    kid = person(event_db, kids=2)
    result = engine.scan(stock[0].code, DESK, current_attendee=kid)
    assert result.state is ScanState.TICKET_BOUND
    assert result.attendee is not None and result.attendee.code == kid
    info = tickets.get_ticket(event_db, stock[0].code)
    assert info is not None and info.state == "issued" and info.attendee_code == kid
    # the person on screen may be given as typed by hand, too
    typed = codes.format_human(kid).lower()
    assert engine.scan(stock[1].code, DESK, current_attendee=typed).state is ScanState.TICKET_BOUND


def test_limit_reached_when_binding_beyond_the_allowance(
    engine: ScanEngine, event_db: Database
) -> None:
    stock = tickets.create_stock(event_db, "Backpack", 2)
    kid = person(event_db, kids=1)
    assert engine.scan(stock[0].code, DESK, current_attendee=kid).state is ScanState.TICKET_BOUND
    result = engine.scan(stock[1].code, DESK, current_attendee=kid)
    assert result.state is ScanState.LIMIT_REACHED
    assert result.tone is Tone.WARNING
    assert ticket_state(event_db, stock[1].code) == "unassigned"


def test_part_of_the_allowance_at_check_in_leaves_the_rest_for_stock(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    tickets.add_ticket_type(
        event_db, "Games", TicketKind.RAFFLE, quantity=3, issue_at_checkin=True, at_checkin=1
    )
    code = person(event_db)
    result = engine.scan(code, DESK)
    assert len(codes_of(event_db, result, "Games")) == 1  # one of the three at the door
    stock = tickets.create_stock(event_db, "Games", 3)
    for ticket in stock[:2]:
        bound = engine.scan(ticket.code, DESK, current_attendee=code)
        assert bound.state is ScanState.TICKET_BOUND
    refused = engine.scan(stock[2].code, DESK, current_attendee=code)
    assert refused.state is ScanState.LIMIT_REACHED
    assert "at check-in" not in refused.message  # the setting to change is the Quantity
    assert params_of(refused, TicketParams).at_checkin is False
    # Someone given a stock ticket before checking in holds their share of the door's already.
    clock.advance()
    early = person(event_db, "Lena")
    won = tickets.create_stock(event_db, "Games", 1)[0]
    assert engine.scan(won.code, DESK, current_attendee=early).state is ScanState.TICKET_BOUND
    assert codes_of(event_db, engine.scan(early, DESK), "Games") == [won.code]


def test_out_of_stock_when_binding(engine: ScanEngine, event_db: Database) -> None:
    # Backpack stock is 3: three handed out, the fourth pre-printed ticket cannot be.
    stock = tickets.create_stock(event_db, "Backpack", 4)
    family = person(event_db, kids=4)
    for ticket in stock[:3]:
        state = engine.scan(ticket.code, DESK, current_attendee=family).state
        assert state is ScanState.TICKET_BOUND
    result = engine.scan(stock[3].code, DESK, current_attendee=family)
    assert result.state is ScanState.OUT_OF_STOCK
    assert ticket_state(event_db, stock[3].code) == "unassigned"


def test_rescanning_the_same_stock_for_someone_else_is_not_a_second_binding(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    stock = tickets.create_stock(event_db, "Backpack", 1)[0]
    first, second = person(event_db, kids=1), person(event_db, "Lu", kids=1)
    assert engine.scan(stock.code, DESK, current_attendee=first).state is ScanState.TICKET_BOUND
    clock.advance()
    result = engine.scan(stock.code, DESK, current_attendee=second)
    assert result.state is ScanState.NOT_VALID_HERE  # an issued ticket at the desk
    info = tickets.get_ticket(event_db, stock.code)
    assert info is not None and info.attendee_code == first


# --- resource stations ---------------------------------------------------------------------------


def test_redeemed_then_already_redeemed(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    checked = engine.scan(person(event_db), DESK)
    meal = codes_of(event_db, checked, "Meal")[0]
    result = engine.scan(meal, MEAL)
    assert result.state is ScanState.REDEEMED
    assert result.ticket is not None and result.ticket.code == meal
    assert result.ticket.state == "redeemed"
    assert result.ticket.redeemed_station == "Meal tent"
    assert ticket_state(event_db, meal) == "redeemed"
    clock.advance()
    again = engine.scan(meal, Station("Meal tent 2", StationMode.RESOURCE, "Meal"))
    assert again.state is ScanState.ALREADY_REDEEMED
    assert params_of(again, TicketParams).where == "Meal tent"
    when = params_of(again, TicketParams).when
    assert when and when in again.message
    assert "Meal tent" in again.message


def test_persons_own_code_redeems_one_ticket_at_a_time(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    code = person(event_db, adults=2)
    engine.scan(code, DESK)
    for _ in range(2):
        clock.advance()
        assert engine.scan(code, MEAL).state is ScanState.REDEEMED
    clock.advance()
    result = engine.scan(code, MEAL)
    assert result.state is ScanState.ALREADY_REDEEMED
    assert params_of(result, TicketParams).where == "Meal tent"


def test_persons_own_code_without_a_ticket_of_that_type(
    engine: ScanEngine, event_db: Database
) -> None:
    code = person(event_db)
    engine.scan(code, DESK)
    result = engine.scan(code, BACKPACKS)
    assert result.state is ScanState.NOT_VALID_HERE
    assert params_of(result, TicketParams).type == "Backpack"


def test_persons_own_code_respects_the_types_station_list(
    engine: ScanEngine, event_db: Database
) -> None:
    code = person(event_db)
    tickets.issue_tickets(event_db, code, "Referral")
    result = engine.scan(code, OTHER_RESOURCE)
    assert result.state is ScanState.NOT_VALID_HERE
    assert engine.scan(code, PARTNER).state is ScanState.REDEEMED


def test_not_valid_here_ticket_at_the_desk(engine: ScanEngine, event_db: Database) -> None:
    meal = codes_of(event_db, engine.scan(person(event_db), DESK), "Meal")[0]
    result = engine.scan(meal, DESK_2)
    assert result.state is ScanState.NOT_VALID_HERE
    assert result.tone is Tone.ERROR
    assert ticket_state(event_db, meal) == "issued"


def test_not_valid_here_wrong_type(engine: ScanEngine, event_db: Database) -> None:
    checked = engine.scan(person(event_db), DESK)
    meal = codes_of(event_db, checked, "Meal")[0]
    raffle_ticket = codes_of(event_db, checked, "Raffle")[0]
    wrong = engine.scan(meal, BACKPACKS)
    assert wrong.state is ScanState.NOT_VALID_HERE
    assert params_of(wrong, TicketParams).station_type == "Backpack"
    assert engine.scan(raffle_ticket, MEAL).state is ScanState.NOT_VALID_HERE
    assert ticket_state(event_db, meal) == "issued"
    assert ticket_state(event_db, raffle_ticket) == "issued"


def test_not_valid_here_station_not_in_the_types_list(
    engine: ScanEngine, event_db: Database
) -> None:
    code = person(event_db)
    referral = tickets.issue_tickets(event_db, code, "Referral").tickets[0].code
    assert engine.scan(referral, OTHER_RESOURCE).state is ScanState.NOT_VALID_HERE
    assert ticket_state(event_db, referral) == "issued"
    generic = Station("Partner table", StationMode.RESOURCE)  # no type chosen: any allowed one
    assert engine.scan(referral, generic).state is ScanState.REDEEMED


def test_attendee_code_at_a_prize_table_is_not_valid_here(
    engine: ScanEngine, event_db: Database
) -> None:
    assert engine.scan(person(event_db), PRIZES).state is ScanState.NOT_VALID_HERE


def test_void_ticket(engine: ScanEngine, event_db: Database) -> None:
    meal = codes_of(event_db, engine.scan(person(event_db), DESK), "Meal")[0]
    tickets.void_ticket(event_db, meal, reason="lost")
    for station in (MEAL, DESK, PRIZES):
        result = engine.scan(meal, station)
        assert result.state is ScanState.VOID
        assert result.tone is Tone.ERROR
    assert ticket_state(event_db, meal) == "void"


# --- codes that are not (or not quite) ours -----------------------------------------------------


def test_unknown_genuine_codes(engine: ScanEngine, event_db: Database) -> None:
    """A ticket or flyer code this file lacks is unknown anywhere, and so is a person's code
    away from the desk; at the desk a person's code is a walk-up of another station's copy
    (issue 24: "Registered at another station",
    tests/checkin/stations/test_registered_elsewhere.py)."""
    tag, key = secrets_of(event_db)
    for kind in (codes.CodeKind.TICKET, codes.CodeKind.FLYER):
        made = codes.make_code(kind, tag, key)
        result = engine.scan(made.value, DESK)
        assert result.state is ScanState.UNKNOWN, kind
        assert result.attendee is None and result.ticket is None
    person_code = codes.make_code(codes.CodeKind.ATTENDEE, tag, key).value
    away = engine.scan(person_code, MEAL)
    assert away.state is ScanState.UNKNOWN and away.attendee is None
    at_desk = engine.scan(person_code, DESK)
    assert at_desk.state is ScanState.CHECKED_IN and params_of(at_desk, CheckInParams).elsewhere


def test_wrong_event(engine: ScanEngine, event_db: Database, tmp_path: Path) -> None:
    other = open_new(tmp_path / "other.checkin")
    create_event(other, "Another party")
    foreign = attendees.register(other, DESK).code
    other.dispose()
    result = engine.scan(foreign, DESK)
    assert result.state is ScanState.WRONG_EVENT
    assert "different event" in result.message


def test_forged(engine: ScanEngine, event_db: Database) -> None:
    tag, _ = secrets_of(event_db)
    body = "T" + tag + "ABCDEFGH" + "0123456"
    result = engine.scan(body + codes.check_symbol(body), MEAL)
    assert result.state is ScanState.FORGED


def test_typo(engine: ScanEngine, event_db: Database) -> None:
    code = person(event_db)
    typed = code[:10] + ("X" if code[10] != "X" else "Y") + code[11:]
    result = engine.scan(typed, DESK)
    assert result.state is ScanState.TYPO
    assert attendees.get_attendee(event_db, code).checked_in_at is None  # type: ignore[union-attr]


def garbage_lines() -> list[str]:
    """One input a line; `\\n` is written as two characters and stands for a newline."""
    text = (PREREG_DATA / "scanner-garbage.txt").read_text(encoding="utf-8")
    return [line.replace("\\n", "\n") for line in text.split("\n")[:-1]]


def test_the_garbage_file_is_read_as_intended() -> None:
    lines = garbage_lines()
    assert len(lines) >= 15
    assert any(len(line) >= 10_000 for line in lines)
    assert any("\n" in line for line in lines)
    assert "" in lines


def test_not_a_code_for_every_line_of_scanner_garbage(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    lines = garbage_lines()
    before = scan_count(event_db)
    for line in lines:
        clock.advance()
        result = engine.scan(line, DESK)
        assert result.state is ScanState.NOT_A_CODE, line[:40]
        assert result.tone is Tone.ERROR
        assert result.message
        assert len(result.input) <= 200 and result.input.isprintable()
    assert scan_count(event_db) == before + len(lines)
    with event_db.reading() as session:
        assert session.scalar(select(func.count(CheckIn.id))) == 0


@pytest.mark.parametrize(
    "raw", ["\x00" * 20, "\u202etekcit", "T" * 21, "💥" * 5, "SELECT * FROM tickets", "\udcff"]
)
def test_more_garbage_is_not_a_code(engine: ScanEngine, raw: str) -> None:
    result = engine.scan(raw, MEAL)
    assert result.state is ScanState.NOT_A_CODE


# --- flyers --------------------------------------------------------------------------------------


def test_flyer_with_nobody_on_screen(engine: ScanEngine, event_db: Database) -> None:
    flyer = create_campaign(event_db, "Elm Street")
    result = engine.scan(flyer.code, DESK)
    assert result.state is ScanState.FLYER
    assert params_of(result, FlyerParams).campaign == "Elm Street"
    assert result.tone is Tone.WARNING


def test_campaign_recorded_for_the_person_on_screen(engine: ScanEngine, event_db: Database) -> None:
    flyer = create_campaign(event_db, "Elm Street")
    code = person(event_db)
    result = engine.scan(codes.format_human(flyer.code), DESK, current_attendee=code)
    assert result.state is ScanState.CAMPAIGN_RECORDED
    info = attendees.get_attendee(event_db, code)
    assert info is not None and info.heard_about == "Flyer: Elm Street"


# --- prize table ---------------------------------------------------------------------------------


def draw_for(db: Database, ticket_code: str, state: str = "drawn") -> None:
    def work(session: object) -> None:
        from sqlalchemy.orm import Session

        assert isinstance(session, Session)
        ticket = session.scalars(select(Ticket).where(Ticket.code == ticket_code)).one()
        prize = Prize(name="Kids' bicycle", quantity=1, sponsor="Bike Co-op")
        session.add(prize)
        session.flush()
        session.add(
            Draw(
                prize_id=prize.id,
                pool_size=10,
                pool_hash="0" * 64,
                seed_commitment="1" * 64,
                ticket_id=ticket.id,
                attendee_id=ticket.attendee_id,
                state=state,
                redrawn_at=utcnow() if state == "redrawn" else None,
            )
        )

    db.write(work)


def test_prize_claimed_then_already_claimed(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    raffle_ticket = codes_of(event_db, engine.scan(person(event_db), DESK), "Raffle")[0]
    draw_for(event_db, raffle_ticket)
    result = engine.scan(raffle_ticket, PRIZES)
    assert result.state is ScanState.PRIZE_CLAIMED
    assert params_of(result, PrizeParams).prize == "Kids' bicycle"
    assert result.attendee is not None
    clock.advance()
    again = engine.scan(raffle_ticket, PRIZES)
    assert again.state is ScanState.ALREADY_CLAIMED
    assert params_of(again, PrizeParams).where == "Prize table"
    with event_db.reading() as session:
        assert session.scalars(select(Draw.state)).one() == "claimed"


def test_not_a_winner(engine: ScanEngine, event_db: Database) -> None:
    checked = engine.scan(person(event_db), DESK)
    result = engine.scan(codes_of(event_db, checked, "Raffle")[0], PRIZES)
    assert result.state is ScanState.NOT_A_WINNER
    assert result.tone is Tone.WARNING
    meal = engine.scan(codes_of(event_db, checked, "Meal")[0], PRIZES)
    assert meal.state is ScanState.NOT_A_WINNER
    assert params_of(meal, PrizeParams).type == "Meal"


def test_not_a_winner_after_a_redraw_says_so(engine: ScanEngine, event_db: Database) -> None:
    raffle_ticket = codes_of(event_db, engine.scan(person(event_db), DESK), "Raffle")[0]
    draw_for(event_db, raffle_ticket, state="redrawn")
    result = engine.scan(raffle_ticket, PRIZES)
    assert result.state is ScanState.NOT_A_WINNER
    assert params_of(result, PrizeParams).prize == "Kids' bicycle"
    assert "drawn again" in result.message


# --- the scanner double-trigger -------------------------------------------------------------------


def test_double_trigger_same_answer_no_second_effect(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    code = person(event_db)
    first = engine.scan(code, DESK)
    audits, scans = audit_count(event_db), scan_count(event_db)
    clock.advance(1.5)
    second = engine.scan(code, DESK)
    assert second.state is ScanState.CHECKED_IN
    assert second.repeat and not first.repeat
    assert dataclasses.replace(second, repeat=False) == first
    # No second effect: one more entry, the one sealing the repeat's log row.
    assert audit_count(event_db) == audits + 1
    with event_db.reading() as session:
        newest = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert newest is not None and newest.action == "scan"
    assert scan_count(event_db) == scans + 1  # but logged, marked as a repeat
    with event_db.reading() as session:
        last = session.scalars(select(ScanLog).order_by(ScanLog.id.desc())).first()
        assert last is not None and last.repeat and last.state == "checked_in"
    clock.advance(1.0)  # 2.5 s after the first scan: a real second scan
    third = engine.scan(code, DESK)
    assert third.state is ScanState.ALREADY_CHECKED_IN and not third.repeat


def test_double_trigger_after_the_card_changed_to_the_person_scanned(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    """The desk sends the person on screen with each scan; the first scan puts the arriving
    person there, so the scanner's second trigger comes with them on screen: still a repeat
    (seen by a tester: amber "already checked in" instead of blue)."""
    earlier, arriving = person(event_db), person(event_db)
    engine.scan(earlier, DESK)
    clock.advance(5)
    first = engine.scan(arriving, DESK, current_attendee=earlier)
    assert first.state is ScanState.CHECKED_IN and not first.repeat
    clock.advance(0.4)
    second = engine.scan(arriving, DESK, current_attendee=arriving)
    assert second.state is ScanState.CHECKED_IN and second.repeat
    meal = codes_of(event_db, first, "Meal")[0]
    assert engine.scan(meal, MEAL).state is ScanState.REDEEMED  # nobody on screen at the line
    clock.advance(0.3)
    again = engine.scan(meal, MEAL, current_attendee=arriving)  # now the holder's card shows
    assert again.state is ScanState.REDEEMED and again.repeat


def test_double_trigger_of_a_redemption(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    meal = codes_of(event_db, engine.scan(person(event_db), DESK), "Meal")[0]
    assert engine.scan(meal, MEAL).state is ScanState.REDEEMED
    clock.advance(0.3)
    repeat = engine.scan(meal.lower() + "\n", MEAL)  # same code, as typed
    assert repeat.state is ScanState.REDEEMED and repeat.repeat
    clock.advance(3)
    assert engine.scan(meal, MEAL).state is ScanState.ALREADY_REDEEMED


def test_different_text_is_not_a_double_trigger_and_is_echoed_exactly(
    engine: ScanEngine, event_db: Database
) -> None:
    first = engine.scan("null", DESK)
    second = engine.scan("NULL", DESK)  # another input within the window, not a repeat
    assert (first.input, second.input) == ("null", "NULL")
    assert not second.repeat


def test_a_repeated_code_echoes_what_was_sent_this_time(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    code = person(event_db)
    engine.scan(code, DESK)
    clock.advance(0.3)
    typed = codes.format_human(code).lower()
    repeat = engine.scan(typed, DESK)  # the same code, canonically: a repeat
    assert repeat.repeat and repeat.state is ScanState.CHECKED_IN
    assert repeat.input == typed


def test_same_code_at_another_station_is_not_a_double_trigger(
    engine: ScanEngine, event_db: Database
) -> None:
    code = person(event_db)
    assert engine.scan(code, DESK).state is ScanState.CHECKED_IN
    other = engine.scan(code, DESK_2)
    assert other.state is ScanState.ALREADY_CHECKED_IN and not other.repeat


def test_same_ticket_with_another_person_on_screen_is_not_a_double_trigger(
    engine: ScanEngine, event_db: Database
) -> None:
    stock = tickets.create_stock(event_db, "Backpack", 1)[0]
    kid = person(event_db, kids=1)
    assert engine.scan(stock.code, DESK).state is ScanState.UNASSIGNED
    # The volunteer picks the person and scans the same ticket again at once.
    result = engine.scan(stock.code, DESK, current_attendee=kid)
    assert result.state is ScanState.TICKET_BOUND and not result.repeat


def test_rejections_are_debounced_too(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    first = engine.scan("https://example.org", DESK)
    clock.advance(0.5)
    second = engine.scan("https://example.org", DESK)
    assert second.state is first.state is ScanState.NOT_A_CODE
    assert second.repeat


# --- the scan log --------------------------------------------------------------------------------


def test_every_scan_is_logged_with_station_and_volunteer(
    engine: ScanEngine, event_db: Database, clock: FakeClock
) -> None:
    code = person(event_db)
    inputs = [
        (code, DESK),
        (code, DESK),  # double-trigger
        ("garbage\x1b[2J", DESK),
        ("", DESK),
        (code, MEAL),
        ("T000-0000-0000-0000-0000", MEAL),
    ]
    results = []
    for raw, station in inputs:
        results.append(engine.scan(raw, station))
        clock.advance(0.5)
    with event_db.reading() as session:
        rows = session.scalars(select(ScanLog).order_by(ScanLog.id)).all()
        assert [r.state for r in rows] == [r.state.value for r in results]
        assert [r.station for r in rows] == [s.name for _, s in inputs]
        assert [r.volunteer for r in rows] == [s.volunteer for _, s in inputs]
        assert [r.repeat for r in rows] == [False, True, False, False, False, False]
        assert rows[2].raw == "garbage\\x1b[2J"
        attendee_id = rows[0].attendee_id
        assert attendee_id is not None and rows[4].attendee_id == attendee_id


def test_long_input_is_logged_truncated(engine: ScanEngine, event_db: Database) -> None:
    engine.scan("x" * 10_000, DESK)
    with event_db.reading() as session:
        row = session.scalars(select(ScanLog)).one()
        assert len(row.raw) <= 200


# --- failed writes: the screen must never claim what the file does not hold ----------------------


@pytest.fixture
def file_event(tmp_path: Path) -> tuple[Path, str, str]:
    """An event file with one registered person and one meal ticket; returns path and codes."""
    path = tmp_path / "event.checkin"
    db = open_new(path)
    create_event(db, "Party")
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE)
    code = person(db)
    meal = tickets.issue_tickets(db, code, "Meal").tickets[0].code
    db.dispose()
    return path, code, meal


def test_not_saved_on_a_read_only_file(file_event: tuple[Path, str, str]) -> None:
    path, code, meal = file_event
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    read_only = Database(create_db_engine(url, cipher.key_for(path)))
    engine = ScanEngine(read_only)
    for raw, station in ((code, DESK), (meal, MEAL), ("junk", DESK)):
        result = engine.scan(raw, station)
        assert result.state is ScanState.NOT_SAVED, raw
        assert result.tone is Tone.ERROR
        assert result.message == (
            "NOT saved: the event file is read-only: copy it somewhere you can write."
        )
        assert params_of(result, NotSavedParams).failure == "read_only"
    read_only.dispose()
    db = open_database(path)
    info = attendees.get_attendee(db, code)
    assert info is not None and info.checked_in_at is None
    assert ticket_state(db, meal) == "issued"
    assert scan_count(db) == 0
    db.dispose()


def test_not_saved_when_the_disk_is_full(file_event: tuple[Path, str, str]) -> None:
    path, _, _ = file_event
    db = open_database(path)
    people = [person(db, f"P{n}") for n in range(60)]

    @event.listens_for(db.engine, "connect")
    def _full_disk(dbapi_connection: object, _record: object) -> None:
        # The file may not grow by a single page: SQLite answers "database or disk is full".
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        page_count = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {page_count}")
        cursor.close()

    db.engine.dispose()  # new connections get the limit
    engine = ScanEngine(db)
    results = [engine.scan(code, DESK) for code in people]
    answers = {result.input: result.state for result in results}
    assert ScanState.NOT_SAVED in answers.values()
    assert {
        params_of(r, NotSavedParams).failure for r in results if r.state is ScanState.NOT_SAVED
    } == {"disk_full"}
    assert set(answers.values()) <= {ScanState.NOT_SAVED, ScanState.CHECKED_IN}
    db.dispose()
    reopened = open_database(path)
    for code, state in answers.items():
        info = attendees.get_attendee(reopened, code)
        assert info is not None
        assert (info.checked_in_at is not None) == (state is ScanState.CHECKED_IN), code
    reopened.dispose()


def test_a_failing_write_becomes_not_saved_never_an_exception(
    engine: ScanEngine, event_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = person(event_db)

    def broken(_work: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(event_db, "write", broken)
    monkeypatch.setattr(event_db, "scan_write", broken)
    result = engine.scan(code, DESK)
    assert result.state is ScanState.NOT_SAVED
    assert params_of(result, NotSavedParams).error
    monkeypatch.undo()
    # the failed scan is not remembered as a double-trigger: scanning again works
    assert engine.scan(code, DESK).state is ScanState.CHECKED_IN
