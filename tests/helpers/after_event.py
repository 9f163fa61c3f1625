"""A small event played through from start to finish, with every figure known in advance.

Shared by the summary, export, report and purge tests. Check-in times are set to known moments
(UTC 18:02 ... 18:47 on 14 June 2030); the tests run with TZ=America/Chicago (UTC-5 then).
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from checkin import raffle, undo
from checkin.event import campaigns
from checkin.people import attendees
from checkin.results import ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import AllowanceRule, AttendeeSource, Database, TicketKind
from checkin.store.models import Attendee, CheckIn, PaperTally, Ticket, TicketType
from checkin.ticketing import tickets

DESK = Station("Desk")
FOOD = Station("Food", StationMode.RESOURCE, "Meal")
BACKPACKS = Station("Backpacks", StationMode.RESOURCE, "Backpack")
PRIZES = Station("Prize table", StationMode.PRIZE)

# (key, fields, source, UTC check-in time or None)
PEOPLE: list[tuple[str, dict[str, Any], str, datetime | None]] = [
    (
        "A",
        {
            "first_name": "Anastasia",
            "last_name": "Peñalosa",
            "adults": 2,
            "kids": 2,
            "zip_code": "64130",
            "phone": "(816) 555-0101",
            "email": "anastasia@example.org",
            "consent": True,
            "heard_about": "Church",
            "notes": "Allergic to peanuts",
            "language": "es",
        },
        "prereg",
        datetime(2030, 6, 14, 18, 2, 10),
    ),
    (
        "B",
        {
            "first_name": "Bartholomew",
            "last_name": "Quillfeather",
            "adults": 1,
            "seniors": 1,
            "zip_code": "64130",
            "external_ref": "EB-778899",
        },
        "prereg",
        datetime(2030, 6, 14, 18, 14, 59),
    ),
    (
        "C",
        {"adults": 1, "kids": 3, "zip_code": "64132", "heard_about": "Facebook"},
        "walkup",
        datetime(2030, 6, 14, 18, 40, 0),
    ),
    (
        "D",
        {
            "first_name": '=HYPERLINK("http://x")',
            "last_name": "Zyxwvutson",
            "adults": 1,
            "zip_code": "64127",
            "phone": "+1 816 555 0199",
            "consent": True,
            "notes": "-2+3 @SUM(A1)",
        },
        "walkup",
        datetime(2030, 6, 14, 18, 47, 30),
    ),
    (
        "E",
        {"first_name": "Evangeline", "last_name": "Marchbanks", "adults": 2, "zip_code": "64128"},
        "prereg",
        None,
    ),
    (
        "F",
        {"first_name": "Fitzgerald", "last_name": "Undergrove", "adults": 2, "zip_code": "64129"},
        "prereg",
        None,  # checked in, then the check-in is undone
    ),
]
PERSONAL_STRINGS = (
    "Anastasia",
    "Peñalosa",
    "(816) 555-0101",
    "anastasia@example.org",
    "Allergic to peanuts",
    "Bartholomew",
    "Quillfeather",
    "EB-778899",
    "HYPERLINK",
    "Zyxwvutson",
    "+1 816 555 0199",
    "@SUM(A1)",
    "Evangeline",
    "Marchbanks",
    "Fitzgerald",
    "Undergrove",
    "Witnessed by Jolene",
)


@dataclass
class Built:
    codes: dict[str, str]  # household key -> attendee code
    tickets: dict[str, list[str]] = field(default_factory=dict)  # "A:Meal" -> codes
    winners: dict[str, int] = field(default_factory=dict)  # prize -> serial of the standing draw


def seeded(seed: int) -> Callable[[], str]:
    rng = random.Random(seed)
    return lambda: rng.randbytes(32).hex()


def build_event(db: Database) -> Built:
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, issue_at_checkin=True)
    tickets.add_ticket_type(
        db,
        "Meal",
        TicketKind.RESOURCE,
        rule=AllowanceRule.PER_MEMBER,
        stock=20,
        issue_at_checkin=True,
    )
    tickets.add_ticket_type(
        db, "Backpack", TicketKind.RESOURCE, rule=AllowanceRule.PER_KID, stock=10
    )
    stock = [t.code for t in tickets.create_stock(db, "Backpack", 5)]
    flyer = campaigns.create_campaign(db, "Elm Street")
    raffle.add_prize(db, "Bike", sponsor="Bike Co-op")
    raffle.add_prize(db, "Gift card", quantity=2)
    built = Built(
        {
            key: attendees.register(db, source=AttendeeSource(source), **fields).code
            for key, fields, source, _ in PEOPLE
        }
    )
    now = [1000.0]
    desk = ScanEngine(db, clock=lambda: now[0])  # a fixed clock: the same input is a repeat
    fresh = ScanEngine(db, debounce_seconds=0)

    def scan(engine: ScanEngine, raw: str, station: Station, **kw: str) -> ScanState:
        return engine.scan(raw, station, **kw).state

    assert scan(desk, built.codes["A"], DESK) is ScanState.CHECKED_IN
    assert desk.scan(built.codes["A"], DESK).repeat  # the scanner fired twice
    for key in "BCDF":
        assert scan(desk, built.codes[key], DESK) is ScanState.CHECKED_IN
    assert undo.undo_last(db, DESK).done  # F's check-in (and its tickets) taken back
    assert scan(fresh, built.codes["A"], DESK) is ScanState.ALREADY_CHECKED_IN
    assert scan(fresh, "hello", DESK) is ScanState.NOT_A_CODE
    assert scan(fresh, "BEGIN:VCARD Witnessed by Jolene", DESK) is ScanState.NOT_A_CODE
    typo = built.codes["A"][:-1] + ("0" if built.codes["A"][-1] != "0" else "1")
    assert scan(fresh, typo, DESK) is ScanState.TYPO
    assert scan(fresh, flyer.code, DESK, current_attendee=built.codes["B"]) is (
        ScanState.CAMPAIGN_RECORDED
    )
    for ticket, key in zip(stock, "AAC", strict=False):
        assert scan(fresh, ticket, DESK, current_attendee=built.codes[key]) is (
            ScanState.TICKET_BOUND
        )
    assert tickets.issue_tickets(db, built.codes["C"], "Backpack", count=1).ok
    with db.reading() as session:
        for key, code in built.codes.items():
            for type_name in ("Raffle", "Meal", "Backpack"):
                built.tickets[f"{key}:{type_name}"] = list(
                    session.scalars(
                        select(Ticket.code)
                        .join(TicketType)
                        .join(Attendee)
                        .where(
                            Attendee.code == code,
                            TicketType.name == type_name,
                            Ticket.state != "void",
                        )
                        .order_by(Ticket.serial)
                    )
                )
    for ticket in built.tickets["A:Meal"][:3]:
        assert scan(fresh, ticket, FOOD) is ScanState.REDEEMED
    for ticket in built.tickets["A:Backpack"]:
        assert scan(fresh, ticket, BACKPACKS) is ScanState.REDEEMED
    assert scan(fresh, built.tickets["A:Backpack"][0], BACKPACKS) is ScanState.ALREADY_REDEEMED

    bike = raffle.draw(db, "Bike", seed_source=seeded(1))
    assert bike.ok
    again = raffle.redraw(db, "Bike", after_minutes=0, seed_source=seeded(2))
    assert again.ok and again.record is not None and again.record.serial is not None
    built.winners["Bike"] = again.record.serial
    card = raffle.draw(db, "Gift card", "4471", seed_source=seeded(3))
    assert card.ok and card.record is not None and card.record.ticket is not None
    assert card.record.serial is not None
    built.winners["Gift card"] = card.record.serial
    assert scan(fresh, card.record.ticket, PRIZES) is ScanState.PRIZE_CLAIMED

    def finish(session: Session) -> None:
        for key, _, _, at in PEOPLE:
            if at is not None:
                session.execute(
                    update(CheckIn)
                    .where(
                        CheckIn.attendee_id
                        == select(Attendee.id)
                        .where(Attendee.code == built.codes[key])
                        .scalar_subquery(),
                        CheckIn.undone_at.is_(None),
                    )
                    .values(at=at)
                )
        meal = session.scalar(select(TicketType.id).where(TicketType.name == "Meal"))
        session.add_all(
            [
                PaperTally(ticket_type_id=meal, count=4, station="Food"),
                PaperTally(ticket_type_id=meal, count=3, station="Food"),
                PaperTally(ticket_type_id=None, count=5, station="Desk"),
            ]
        )

    db.write(finish)
    return built


@contextlib.contextmanager
def central_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is US Central for the block (CDT, UTC-5, in June)."""
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    try:
        yield
    finally:
        monkeypatch.undo()
        time.tzset()
