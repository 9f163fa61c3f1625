"""Undo the last action of a station: every undoable action, recorded and never deleted."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from checkin import undo
from checkin.changes import Changes, Kind, of_undone
from checkin.event.campaigns import create_campaign
from checkin.people import attendees
from checkin.record.audit import verify
from checkin.results import ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import AllowanceRule, Database, TicketKind
from checkin.store.models import AuditEntry, CheckIn
from checkin.ticketing import tickets

DESK = Station("Desk 1", volunteer="Ann")
DESK_2 = Station("Desk 2", volunteer="Bo")
MEAL = Station("Meal tent", StationMode.RESOURCE, "Meal")


@pytest.fixture
def event_db(db: Database) -> Database:
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, issue_at_checkin=True)
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE, issue_at_checkin=True)
    tickets.add_ticket_type(db, "Backpack", TicketKind.RESOURCE, rule=AllowanceRule.PER_KID)
    return db


@pytest.fixture
def engine(event_db: Database) -> ScanEngine:
    return ScanEngine(event_db, debounce_seconds=0)


def person(db: Database, kids: int = 0) -> str:
    return attendees.register(db, DESK, first_name="Rosa", kids=kids).code


def state_of(db: Database, code: str) -> str:
    info = tickets.get_ticket(db, code)
    assert info is not None
    return info.state


def count(db: Database, model: type[AuditEntry] | type[CheckIn]) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count(model.id))) or 0


def test_nothing_to_undo(event_db: Database) -> None:
    assert undo.last_action(event_db, "Desk 1") is None
    result = undo.undo_last(event_db, DESK)
    assert not result.done and "Nothing" in result.message


def test_undo_check_in_voids_its_unused_tickets(engine: ScanEngine, event_db: Database) -> None:
    code = person(event_db)
    checked = engine.scan(code, DESK)
    assert checked.attendee is not None
    issued = [t.code for t in checked.issued]
    preview = undo.last_action(event_db, "Desk 1")
    assert preview is not None and preview.action == "checked_in"
    assert "Rosa" in preview.description
    result = undo.undo_last(event_db, DESK, expected=preview.audit_id)
    assert result.done and "Rosa" in result.message
    info = attendees.get_attendee(event_db, code)
    assert info is not None and info.checked_in_at is None
    assert [state_of(event_db, c) for c in issued] == ["void", "void"]
    assert count(event_db, CheckIn) == 1  # recorded as undone, not deleted
    # the person can be checked in again afterwards
    assert engine.scan(code, DESK).state is ScanState.CHECKED_IN


def test_undo_check_in_keeps_a_meal_already_eaten(engine: ScanEngine, event_db: Database) -> None:
    checked = engine.scan(person(event_db), DESK)
    assert checked.attendee is not None
    meal = next(t.code for t in checked.issued if t.type_name == "Meal")
    assert engine.scan(meal, MEAL).state is ScanState.REDEEMED
    assert undo.undo_last(event_db, DESK).done
    assert state_of(event_db, meal) == "redeemed"


def test_undo_redemption(engine: ScanEngine, event_db: Database) -> None:
    checked = engine.scan(person(event_db), DESK)
    assert checked.attendee is not None
    meal = next(t.code for t in checked.issued if t.type_name == "Meal")
    engine.scan(meal, MEAL)
    preview = undo.last_action(event_db, "Meal tent")
    assert preview is not None and preview.action == "ticket_redeemed"
    assert "Meal ticket No. 1" in preview.description
    assert undo.undo_last(event_db, MEAL).done
    assert state_of(event_db, meal) == "issued"
    assert engine.scan(meal, MEAL).state is ScanState.REDEEMED  # usable again


def test_undo_of_a_redemption_whose_ticket_was_cancelled_meanwhile_says_so(
    engine: ScanEngine, event_db: Database
) -> None:
    checked = engine.scan(person(event_db), DESK)
    meal = next(t.code for t in checked.issued if t.type_name == "Meal")
    assert engine.scan(meal, MEAL).state is ScanState.REDEEMED
    tickets.void_ticket(event_db, meal, reason="duplicate")
    result = undo.undo_last(event_db, MEAL)
    assert not result.done
    assert "Meal ticket No. 1" in result.message and "now void" in result.message
    assert state_of(event_db, meal) == "void"  # stays cancelled
    # nothing was recorded as undone: the redemption is still the station's last action
    preview = undo.last_action(event_db, "Meal tent")
    assert preview is not None and preview.action == "ticket_redeemed"


def test_undo_binding_of_pre_printed_stock(engine: ScanEngine, event_db: Database) -> None:
    stock = tickets.create_stock(event_db, "Backpack", 1)[0]
    kid = person(event_db, kids=1)
    assert engine.scan(stock.code, DESK, current_attendee=kid).state is ScanState.TICKET_BOUND
    preview = undo.last_action(event_db, "Desk 1")
    assert preview is not None and preview.action == "ticket_bound"
    assert undo.undo_last(event_db, DESK).done
    info = tickets.get_ticket(event_db, stock.code)
    assert info is not None and info.state == "unassigned" and info.attendee_code is None


def test_undo_tickets_issued(event_db: Database) -> None:
    kid = person(event_db, kids=2)
    issued = tickets.issue_tickets(event_db, kid, "Backpack", station=DESK)
    preview = undo.last_action(event_db, "Desk 1")
    assert preview is not None and preview.action == "tickets_issued"
    assert preview.description == "2 Backpack tickets issued"
    assert undo.undo_last(event_db, DESK).done
    assert {state_of(event_db, t.code) for t in issued.tickets} == {"void"}
    assert len(tickets.issue_tickets(event_db, kid, "Backpack", station=DESK).tickets) == 2


def test_undo_campaign_recorded(engine: ScanEngine, event_db: Database) -> None:
    flyer = create_campaign(event_db, "Elm Street")
    code = person(event_db)
    scanned = engine.scan(flyer.code, DESK, current_attendee=code)
    assert scanned.state is ScanState.CAMPAIGN_RECORDED
    preview = undo.last_action(event_db, "Desk 1")
    assert preview is not None and preview.action == "campaign_recorded"
    assert undo.undo_last(event_db, DESK).done
    info = attendees.get_attendee(event_db, code)
    assert info is not None and info.heard_about == ""


def test_undo_is_per_station_and_steps_back(engine: ScanEngine, event_db: Database) -> None:
    first, second, other = person(event_db), person(event_db), person(event_db)
    engine.scan(first, DESK)
    engine.scan(second, DESK)
    engine.scan(other, DESK_2)
    assert undo.undo_last(event_db, DESK).done  # the second person, not Desk 2's
    assert attendees.get_attendee(event_db, second).checked_in_at is None  # type: ignore[union-attr]
    assert attendees.get_attendee(event_db, other).checked_in_at is not None  # type: ignore[union-attr]
    assert undo.undo_last(event_db, DESK).done  # then the first
    assert attendees.get_attendee(event_db, first).checked_in_at is None  # type: ignore[union-attr]
    assert not undo.undo_last(event_db, DESK).done


def test_expected_id_guard(engine: ScanEngine, event_db: Database) -> None:
    first, second = person(event_db), person(event_db)
    engine.scan(first, DESK)
    preview = undo.last_action(event_db, "Desk 1")
    assert preview is not None
    engine.scan(second, DESK)  # something happens between the question and the answer
    refused = undo.undo_last(event_db, DESK, expected=preview.audit_id)
    assert not refused.done and "meanwhile" in refused.message
    assert attendees.get_attendee(event_db, first).checked_in_at is not None  # type: ignore[union-attr]
    assert attendees.get_attendee(event_db, second).checked_in_at is not None  # type: ignore[union-attr]


def test_undo_is_recorded_in_the_chained_audit_log(engine: ScanEngine, event_db: Database) -> None:
    engine.scan(person(event_db), DESK)
    before = count(event_db, AuditEntry)
    preview = undo.last_action(event_db, "Desk 1")
    assert preview is not None
    undo.undo_last(event_db, DESK)
    assert count(event_db, AuditEntry) == before + 1
    with event_db.reading() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        assert (entry.action, entry.undoes, entry.station, entry.volunteer) == (
            "undo",
            preview.audit_id,
            "Desk 1",
            "Ann",
        )
        undone = session.get(AuditEntry, preview.audit_id)
        assert undone is not None and undone.action == "checked_in"  # still there
    assert verify(event_db).ok


def test_actions_that_cannot_be_undone_are_skipped(event_db: Database) -> None:
    attendees.register(event_db, DESK)  # registration is not an undoable action
    assert undo.last_action(event_db, "Desk 1") is None


def test_an_undo_says_what_it_changed(engine: ScanEngine, event_db: Database) -> None:
    """Views refresh on what changed (checkin/changes.py): the desk's Undo said "everything"."""
    checked = engine.scan(person(event_db), DESK)
    assert checked.attendee is not None
    meal = next(t.code for t in checked.issued if t.type_name == "Meal")
    engine.scan(meal, MEAL)
    redemption = undo.undo_last(event_db, MEAL)
    assert redemption.done and redemption.changes == Changes.of(Kind.TICKETS)
    check_in = undo.undo_last(event_db, DESK)
    assert check_in.done and check_in.changes == Changes.of(Kind.CHECKINS, Kind.TICKETS)
    refused = undo.undo_last(event_db, DESK)
    assert not refused.done and not refused.changes.kinds  # nothing changed, nothing told
    assert of_undone("an action added later") == Changes.everything()  # never too little
