"""A genuine code of this event that this laptop does not know (issue 24, item 7): a walk-up
registered on station copy A, its code scanned on station copy B, then both merged into the
organiser's file: one household, one check-in, tickets not doubled, the report lists it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from checkin.cli import main
from checkin.event import events
from checkin.people import attendees
from checkin.record.audit import verify
from checkin.results import CheckInParams, ScanState, Station, Tone
from checkin.scanning import ScanEngine
from checkin.stations.merge import merge_station
from checkin.stations.station_copy import make_station_copy
from checkin.store import AllowanceRule, AttendeeSource, Database, TicketKind, open_database
from checkin.store.models import Attendee, CheckIn, Ticket
from checkin.ticketing import tickets
from checkin.undo import undo_last
from tests.helpers.event_files import open_new
from tests.helpers.outcomes import params_of

DESK_A = Station("Front table")
DESK_B = Station("Side gate")


@pytest.fixture
def event(tmp_path: Path) -> Iterator[tuple[Database, Database, Database]]:
    """The organiser's file and two station copies, A and B."""
    main_db = open_new(tmp_path / "main.checkin")
    events.create_event(main_db, "Block Party", location="Sycamore Park")
    tickets.add_ticket_type(main_db, "Raffle", TicketKind.RAFFLE, issue_at_checkin=True)
    tickets.add_ticket_type(
        main_db, "Meal", TicketKind.RESOURCE, rule=AllowanceRule.PER_MEMBER, issue_at_checkin=True
    )
    tickets.add_ticket_type(
        main_db, "Backpack", TicketKind.RESOURCE, rule=AllowanceRule.PER_KID, issue_at_checkin=True
    )
    attendees.register(main_db, Station("import"), source=AttendeeSource.PREREG, first_name="Pat")
    copies = []
    for name in ("A", "B"):
        path = tmp_path / f"{name}.checkin"
        make_station_copy(main_db, path, f"Station {name}")
        copies.append(open_database(path))
    yield main_db, copies[0], copies[1]
    for db in (main_db, *copies):
        db.dispose()


def held(db: Database, code: str) -> dict[str, int]:
    """The household's tickets still good (issued or redeemed), by type name."""
    with db.reading() as session:
        person = session.scalar(select(Attendee).where(Attendee.code == code))
        assert person is not None
        rows = session.scalars(
            select(Ticket).where(
                Ticket.attendee_id == person.id, Ticket.state.in_(("issued", "redeemed"))
            )
        ).all()
        counts: dict[str, int] = {}
        for ticket in rows:
            counts[ticket.type.name] = counts.get(ticket.type.name, 0) + 1
        return counts


def households(db: Database, code: str) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).where(Attendee.code == code)) or 0)


def live_checkins(db: Database, code: str) -> int:
    with db.reading() as session:
        return int(
            session.scalar(
                select(func.count(CheckIn.id))
                .join(Attendee, Attendee.id == CheckIn.attendee_id)
                .where(Attendee.code == code, CheckIn.undone_at.is_(None))
            )
            or 0
        )


def test_station_b_checks_in_a_walkup_of_station_a(
    event: tuple[Database, Database, Database],
) -> None:
    _, a, b = event
    walkup = attendees.register(a, DESK_A, first_name="Rosa", adults=2, kids=1)
    result = ScanEngine(b).scan(walkup.code, DESK_B)
    # Refused as if foreign before ("This person is not in this event file").
    assert result.state is ScanState.CHECKED_IN
    assert result.message.startswith("Registered at another station: checked in here")
    assert result.tone is Tone.WARNING and params_of(result, CheckInParams).elsewhere
    # One adult's defaults: the household's size is not known on this laptop.
    assert held(b, walkup.code) == {"Raffle": 1, "Meal": 1}
    assert verify(b).ok  # the stand-in household and its check-in are in the record
    again = ScanEngine(b).scan(walkup.code, Station("Side gate 2"))
    assert again.state is ScanState.ALREADY_CHECKED_IN
    assert undo_last(b, DESK_B).done  # Undo takes the check-in back, as any check-in
    assert live_checkins(b, walkup.code) == 0 and held(b, walkup.code) == {}
    assert verify(b).ok


def test_a_foreign_or_forged_code_is_still_refused(
    event: tuple[Database, Database, Database], tmp_path: Path
) -> None:
    _, _, b = event
    other = open_new(tmp_path / "other.checkin")
    events.create_event(other, "Another Party")
    stranger = attendees.register(other, DESK_A)
    other.dispose()
    assert ScanEngine(b).scan(stranger.code, DESK_B).state is ScanState.WRONG_EVENT
    genuine = attendees.register(b, DESK_B).code
    forged = genuine[:-2] + ("0" if genuine[-2] != "0" else "1") + genuine[-1]
    assert ScanEngine(b).scan(forged, DESK_B).state in (ScanState.TYPO, ScanState.FORGED)


@pytest.mark.parametrize("order", ["A then B", "B then A"])
def test_merge_makes_one_household_one_checkin_no_double_tickets(
    event: tuple[Database, Database, Database], order: str
) -> None:
    main_db, a, b = event
    walkup = attendees.register(a, DESK_A, first_name="Rosa", adults=2, kids=1)
    assert ScanEngine(a).scan(walkup.code, DESK_A).state is ScanState.CHECKED_IN
    assert held(a, walkup.code) == {"Raffle": 1, "Meal": 3, "Backpack": 1}
    assert params_of(ScanEngine(b).scan(walkup.code, DESK_B), CheckInParams).elsewhere
    files = [a.path, b.path] if order == "A then B" else [b.path, a.path]
    reports = [merge_station(main_db, path) for path in files if path is not None]
    assert households(main_db, walkup.code) == 1
    assert live_checkins(main_db, walkup.code) == 1
    assert held(main_db, walkup.code) == {"Raffle": 1, "Meal": 3, "Backpack": 1}
    with main_db.reading() as session:
        person = session.scalar(select(Attendee).where(Attendee.code == walkup.code))
        assert person is not None
        assert (person.first_name, person.adults, person.kids) == ("Rosa", 2, 1)
        assert person.source == "walkup" and person.number == walkup.number
    listed = [line for r in reports for line in r.registered_elsewhere]
    assert listed and f"Person No. {walkup.number}" in listed[-1]
    assert "Rosa" not in " ".join(listed)  # the report may be shared: numbers, not names
    assert any("registered at another station" in line for r in reports for line in r.lines())
    assert verify(main_db).ok


def test_walkup_registered_at_a_checked_in_only_at_b(
    event: tuple[Database, Database, Database],
) -> None:
    main_db, a, b = event
    walkup = attendees.register(a, DESK_A, first_name="Rosa", adults=2, kids=1)
    ScanEngine(b).scan(walkup.code, DESK_B)
    merge_station(main_db, str(b.path))
    assert households(main_db, walkup.code) == 1
    report = merge_station(main_db, str(a.path))
    assert households(main_db, walkup.code) == 1 and live_checkins(main_db, walkup.code) == 1
    assert held(main_db, walkup.code) == {"Raffle": 1, "Meal": 1}  # what B handed over
    assert "checked in at Side gate" in report.registered_elsewhere[0]
    assert verify(main_db).ok


def test_the_scan_command_checks_it_in_too(
    event: tuple[Database, Database, Database], capsys: pytest.CaptureFixture[str]
) -> None:
    main_db, a, b = event
    walkup = attendees.register(a, DESK_A, adults=1)
    assert b.path is not None
    b.dispose()
    assert main(["scan", "--db", str(b.path), "--station", "Side gate", walkup.code]) == 0
    answer = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert answer["state"] == "checked_in"
    assert answer["message"].startswith("Registered at another station: checked in here")
    merge_station(main_db, str(a.path))
    merge_station(main_db, str(b.path))
    assert households(main_db, walkup.code) == 1 and live_checkins(main_db, walkup.code) == 1


def test_a_household_added_to_the_organisers_file_after_the_copies(
    event: tuple[Database, Database, Database],
) -> None:
    main_db, _, b = event
    late = attendees.register(
        main_db, Station("Office"), source=AttendeeSource.PREREG, first_name="Lee"
    )
    assert params_of(ScanEngine(b).scan(late.code, DESK_B), CheckInParams).elsewhere
    report = merge_station(main_db, str(b.path))
    assert households(main_db, late.code) == 1 and live_checkins(main_db, late.code) == 1
    assert "registered at Office" in report.registered_elsewhere[0]
    assert verify(main_db).ok


def test_merging_the_station_again_lists_it_once(
    event: tuple[Database, Database, Database],
) -> None:
    main_db, a, b = event
    walkup = attendees.register(a, DESK_A, adults=2)
    ScanEngine(b).scan(walkup.code, DESK_B)
    merge_station(main_db, str(a.path))
    first = merge_station(main_db, str(b.path))
    assert len(first.registered_elsewhere) == 1
    ScanEngine(b).scan("not a code", DESK_B)  # B worked on: its file changed
    again = merge_station(main_db, str(b.path))
    assert not again.already_merged and again.registered_elsewhere == ()
    assert households(main_db, walkup.code) == 1 and live_checkins(main_db, walkup.code) == 1
