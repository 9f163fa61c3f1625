"""Putting a household right (issue 24, item 1): an edit is an audit entry that `verify`
replays and Undo reverts; a size change moves what is due and never takes back a ticket."""

from __future__ import annotations

from contextlib import closing

import pytest
from sqlalchemy import func, select

from checkin import undo
from checkin.after_event.purge import confirmation_phrase, purge_personal_data
from checkin.people import attendees
from checkin.people.edits import edit_person, parse_assignments
from checkin.people.person_record import load_person
from checkin.record import audit
from checkin.results import ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import AllowanceRule, Database, TicketKind, cipher
from checkin.store.models import Attendee, PersonEdit
from checkin.ticketing import tickets

DESK = Station("Desk 1", StationMode.DESK, volunteer="Ana")


def _meal_family(db: Database) -> str:
    tickets.add_ticket_type(
        db,
        "Meal",
        TicketKind.RESOURCE,
        rule=AllowanceRule.PER_MEMBER,
        quantity=1,
        issue_at_checkin=True,
    )
    code = attendees.register(db, first_name="Rosa", last_name="Ruis", adults=2, kids=1).code
    assert ScanEngine(db).scan(code, DESK).state is ScanState.CHECKED_IN
    return code


def test_a_new_baby_moves_the_meals_due_and_says_so(db: Database) -> None:
    code = _meal_family(db)
    result = edit_person(db, code, DESK, kids=2)
    assert result.changed == ("kids",)
    assert [d.text() for d in result.dues] == ["Meal tickets due: 3 → 4 (1 still to hand over)"]
    meal = next(d for d in result.person.dues if d.type_name == "Meal")
    assert (meal.allowed, meal.held, meal.due) == (4, 3, 1)


def test_a_smaller_household_keeps_the_tickets_handed_over(db: Database) -> None:
    code = _meal_family(db)
    result = edit_person(db, code, DESK, adults=1, kids=0)
    assert [d.text() for d in result.dues] == [
        "Meal tickets due: 3 → 1 (3 already handed over stay with the household)"
    ]
    held = [t for t in result.person.tickets if t.type_name == "Meal"]
    assert [t.state for t in held] == ["issued"] * 3  # nothing voided, nothing taken back


def test_an_edit_is_replayed_by_verify_and_a_later_sqlite_edit_is_named(db: Database) -> None:
    code = _meal_family(db)
    edit_person(db, code, DESK, kids=3, zip_code="64130")
    assert audit.verify(db).ok
    if db.path is None:
        pytest.skip("edits the file with sqlite3")
    with closing(cipher.connect(db.path)) as raw, raw:
        raw.execute("UPDATE attendees SET kids = 1 WHERE code = ?", (code,))
    report = audit.verify(db)
    assert not report.ok
    assert any("kids" in problem for problem in report.problems), report.problems


def test_undo_puts_every_field_back_and_verify_still_agrees(db: Database) -> None:
    code = _meal_family(db)
    edit_person(
        db, code, DESK, last_name="Ruiz", kids=2, attention_note="uses a wheelchair", notes="x"
    )
    preview = undo.last_action(db, DESK.name)
    assert preview is not None and preview.action == "attendee_updated"
    assert "Ruiz" in preview.description
    assert undo.undo_last(db, DESK, expected=preview.audit_id).done
    person = attendees.get_attendee(db, code)
    assert person is not None
    assert (person.last_name, person.kids, person.notes) == ("Ruis", 1, "")
    assert (person.needs_attention, person.attention_note) == (False, "")
    assert attendees.search(db, "ruis")[0].code == code  # the search keys are back too
    assert audit.verify(db).ok
    with db.reading() as session:  # the replaced values do not outlive their undo
        assert list(session.scalars(select(PersonEdit.before))) == ["{}"]


def test_the_record_names_the_fields_not_their_values(db: Database) -> None:
    code = _meal_family(db)
    edit_person(db, code, DESK, last_name="Zebediah-Secret", attention_note="wheelchair")
    with db.reading() as session:
        from checkin.store.models import AuditEntry

        details = " ".join(session.scalars(select(AuditEntry.detail)))
    assert "Zebediah" not in details and "wheelchair" not in details
    assert "last_name" in details


def test_history_lists_registered_checked_in_edited_and_undone(db: Database) -> None:
    code = _meal_family(db)
    edit_person(db, code, DESK, kids=2)
    undo.undo_last(db, DESK)
    record = load_person(db, code)
    assert record is not None
    words = [h.what.split(":")[0] for h in record.history]
    assert words == ["registered", "checked in", "edited", "undone"]
    assert record.history[2].undone and record.history[2].station == "Desk 1"
    assert record.history[1].volunteer == "Ana"


def test_attention_text_raises_the_flag_and_clearing_it_lowers_it(db: Database) -> None:
    code = attendees.register(db, adults=1).code
    person = edit_person(db, code, DESK, **parse_assignments(["attention=uses a wheelchair"]))
    assert (person.person.needs_attention, person.person.attention_note) == (
        True,
        "uses a wheelchair",
    )
    person = edit_person(db, code, DESK, **parse_assignments(["needs_attention=no"]))
    assert (person.person.needs_attention, person.person.attention_note) == (False, "")


def test_bad_assignments_are_refused_in_one_line() -> None:
    with pytest.raises(attendees.InvalidAttendee, match="field=value"):
        parse_assignments(["colour=blue"])
    with pytest.raises(attendees.InvalidAttendee, match="yes or no"):
        parse_assignments(["consent=perhaps"])


def test_a_purge_deletes_the_values_edits_replaced(db: Database) -> None:
    code = _meal_family(db)
    edit_person(db, code, DESK, last_name="Ruiz", attention_note="wheelchair")
    assert purge_personal_data(db, confirmation_phrase("Test Party")).done
    with db.reading() as session:
        assert session.scalar(select(func.count(PersonEdit.id))) == 0
        assert session.scalar(select(Attendee.attention_note).where(Attendee.code == code)) == ""
