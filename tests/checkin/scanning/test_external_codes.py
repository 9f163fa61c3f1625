"""Issue 25, item 7: a code a registration tool gave the household (an Eventbrite barcode, a
pretix ticket secret) checks them in at the desk exactly as their own code does, through the
engine and `checkin scan`; search finds it; unknown or other events' codes stay "Not a
check-in code"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkin.after_event import purge
from checkin.cli import main
from checkin.event.events import create_event
from checkin.people import attendees
from checkin.people.csv_import import import_csv
from checkin.results import ScanState, Station
from checkin.scanning import ScanEngine
from checkin.store import Database, open_database
from checkin.undo import undo_last
from tests.helpers.event_files import open_new
from tests.helpers.import_samples import SAMPLES

DESK = Station("Desk 1", volunteer="Ann")
EVENTBRITE = SAMPLES / "eventbrite-attendees.csv"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def events_name(db: Database) -> str:
    from checkin.event.events import load_event

    with db.reading() as session:
        return load_event(session).name


def brown_code(db: Database) -> str:
    return attendees.search(db, "Keisha Brown")[0].code


def test_a_family_member_s_eventbrite_barcode_checks_the_household_in(db: Database) -> None:
    import_csv(db, EVENTBRITE)
    clock = Clock()
    engine = ScanEngine(db, clock=clock)
    # Marcus's barcode: his row joined Keisha's household (one order, one surname).
    first = engine.scan("3002000002", DESK)
    assert first.state is ScanState.CHECKED_IN
    assert first.input == "3002000002"
    assert first.attendee is not None and first.attendee.code == brown_code(db)
    assert first.attendee.display_name == "Keisha Brown"
    # The scanner's second trigger: a repeat, as with the household's own code.
    again = engine.scan("3002000002", DESK)
    assert again.repeat and again.state is ScanState.CHECKED_IN
    # Later, Keisha's own barcode or the household's own code: already checked in.
    clock.now += 60
    assert engine.scan("3002000001", DESK).state is ScanState.ALREADY_CHECKED_IN
    assert engine.scan(brown_code(db), DESK).state is ScanState.ALREADY_CHECKED_IN


def test_undo_of_a_check_in_by_barcode(db: Database) -> None:
    import_csv(db, EVENTBRITE)
    engine = ScanEngine(db, clock=Clock())
    assert engine.scan("3001000001", DESK).state is ScanState.CHECKED_IN
    assert undo_last(db, DESK).done
    assert not attendees.search(db, "Omar")[0].checked_in


@pytest.mark.parametrize("other", ["3009999999", "qk7v3m9x2p4t8r6w", "hello world"])
def test_unknown_codes_are_still_not_check_in_codes(db: Database, other: str) -> None:
    import_csv(db, EVENTBRITE)
    result = ScanEngine(db, clock=Clock()).scan(other, DESK)
    assert result.state is ScanState.NOT_A_CODE


def test_another_event_s_barcode_is_not_a_check_in_code(tmp_path: Path, db: Database) -> None:
    other = open_new(tmp_path / "other.checkin")
    try:
        create_event(other, "Other party")
        import_csv(other, EVENTBRITE)
        import_csv(db, SAMPLES / "pretix-order-positions.csv")
        result = ScanEngine(db, clock=Clock()).scan("3002000002", DESK)
        assert result.state is ScanState.NOT_A_CODE
    finally:
        other.dispose()


def test_pretix_ticket_secret_of_a_joined_position(db: Database) -> None:
    report = import_csv(db, SAMPLES / "pretix-order-positions.csv")
    assert report.parsed.columns["external_ref"] == "Ticket secret"
    # Lily's secret (a Child position in Grace's order).
    result = ScanEngine(db, clock=Clock()).scan("w6t2y8k4q1m9x3v7", DESK)
    assert result.state is ScanState.CHECKED_IN
    assert result.attendee is not None and result.attendee.display_name == "Grace Nguyen"


def test_search_finds_a_barcode(db: Database) -> None:
    import_csv(db, EVENTBRITE)
    assert [hit.first_name for hit in attendees.search(db, "3002000003")] == ["Keisha"]
    assert [hit.first_name for hit in attendees.search(db, "3001000001")] == ["Omar"]


def test_a_reimport_does_not_add_the_joined_rows_again(db: Database) -> None:
    assert import_csv(db, EVENTBRITE).imported == 3
    again = import_csv(db, EVENTBRITE)
    assert again.imported == 0


def test_purge_forgets_the_barcodes(db: Database) -> None:
    import_csv(db, EVENTBRITE)
    name = events_name(db)
    purge.purge_personal_data(db, purge.confirmation_phrase(name))
    assert ScanEngine(db, clock=Clock()).scan("3002000002", DESK).state is ScanState.NOT_A_CODE


def test_checkin_scan_command(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new-event", "--db", str(db_path), "--name", "Party"]) == 0
    assert main(["import", "--db", str(db_path), str(EVENTBRITE)]) == 0
    capsys.readouterr()
    assert main(["scan", "--db", str(db_path), "--station", "Desk 1", "3002000003"]) == 0
    answer = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert answer["state"] == "checked_in"
    assert answer["input"] == "3002000003"
    db = open_database(db_path)
    try:
        assert answer["attendee"] == brown_code(db)
    finally:
        db.dispose()


def test_the_attendee_list_filter_finds_a_barcode(db: Database) -> None:
    from checkin.people.attendee_pages import count_attendees

    import_csv(db, SAMPLES / "pretix-order-positions.csv")
    assert count_attendees(db, "m4x8q2v6k9t1y5w3") == 1  # Irene's ticket secret
    assert count_attendees(db, "nobody-has-this") == 0


def test_the_export_carries_every_barcode_of_a_household(db: Database, tmp_path: Path) -> None:
    # Marcus's and Keisha's barcodes (one household): both in attendees.csv, the first first.
    import csv

    from checkin.after_event.export import export_event

    import_csv(db, EVENTBRITE)
    export_event(db, tmp_path / "out")
    with (tmp_path / "out" / "attendees.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["code"]: row["external_ref"] for row in csv.DictReader(handle)}
    codes = rows[brown_code(db)].split(" ")
    assert codes[0] == "3002000001" and sorted(codes[1:]) == ["3002000002", "3002000003"]
