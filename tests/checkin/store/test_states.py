"""The states, kinds and rules the tables store (checkin/store/states.py): read back as enum
members, stored as the same plain words as before, and a word no enum knows still readable."""

from __future__ import annotations

from sqlalchemy import select, text

from checkin.record import audit
from checkin.store import (
    AllowanceRule,
    AttendeeSource,
    Database,
    DrawState,
    StationMode,
    TicketKind,
    TicketState,
    WinLimit,
)
from checkin.store.models import Attendee, Event, Station, Ticket, TicketType
from checkin.ticketing import tickets


def test_rows_read_back_as_enum_members(demo_db: Database) -> None:
    tickets.create_stock(demo_db, "Raffle", 2)
    demo_db.write(lambda session: session.add(Station(name="Meal tent", mode=StationMode.RESOURCE)))
    with demo_db.reading() as session:
        ticket = session.scalars(select(Ticket)).first()
        assert ticket is not None and ticket.state is TicketState.UNASSIGNED
        raffle = session.scalar(select(TicketType).where(TicketType.name == "Raffle"))
        assert raffle is not None and raffle.kind is TicketKind.RAFFLE
        meal = session.scalar(select(TicketType).where(TicketType.name == "Meal"))
        assert meal is not None and meal.rule is AllowanceRule.PER_MEMBER
        person = session.scalars(select(Attendee)).first()
        assert person is not None and person.source is AttendeeSource.PREREG
        event = session.scalars(select(Event)).one()
        assert event.raffle_one_win_per is WinLimit.HOUSEHOLD
        station = session.scalar(select(Station).where(Station.name == "Meal tent"))
        assert station is not None and station.mode is StationMode.RESOURCE


def test_the_words_stored_are_the_plain_ones(demo_db: Database) -> None:
    """The files written before the enums and after hold the same: a plain word, no enum name."""
    tickets.create_stock(demo_db, "Raffle", 1)
    with demo_db.engine.connect() as connection:
        states = set(connection.execute(text("SELECT state FROM tickets")).scalars())
        kinds = set(connection.execute(text("SELECT kind FROM ticket_types")).scalars())
        rules = set(connection.execute(text("SELECT rule FROM ticket_types")).scalars())
    assert states == {"unassigned"}
    assert kinds == {"raffle", "resource"}
    assert rules == {"fixed", "per_member", "per_kid"}
    assert all(type(word) is str for word in states | kinds | rules)


def test_a_word_no_enum_knows_reads_back_as_it_is_and_verify_names_it(db: Database) -> None:
    """A row edited outside the app: reading it must not fail, so `checkin verify` can say
    what is wrong with it."""
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE)
    tickets.create_stock(db, "Raffle", 1)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE tickets SET state = 'stolen'"))
    with db.reading() as session:
        ticket = session.scalars(select(Ticket)).one()
        assert ticket.state == "stolen" and not isinstance(ticket.state, TicketState)
    report = audit.verify(db)
    assert not report.ok
    assert any(
        "state is 'stolen', the record says 'unassigned'" in str(d) for d in report.differences
    )


def test_members_equal_their_words_as_keys_and_in_sets() -> None:
    """What the scan path relies on: it reads plain strings and compares them with members."""
    assert TicketState.VOID == "void" and hash(TicketState.VOID) == hash("void")  # type: ignore[comparison-overlap]
    assert {DrawState.DRAWN: 1}.get("drawn") == 1  # type: ignore[call-overload]
    assert f"{TicketState.ISSUED}" == "issued" and str(TicketState.ISSUED) == "issued"
