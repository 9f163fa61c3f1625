"""`checkin verify` replays the record: every writer's rows are sealed in the audit chain, and
an edit made outside the app with sqlite3 is named (table, row, field, what the record says)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select

from checkin import undo
from checkin.after_event.purge import confirmation_phrase, purge_personal_data
from checkin.cli import main
from checkin.demo import populate
from checkin.event.campaigns import create_campaign
from checkin.event.events import create_event
from checkin.paper.tallies import enter_ticket_tally
from checkin.people import attendees
from checkin.people.csv_import import import_csv
from checkin.raffle import add_prize, draw, redraw
from checkin.raffle.prizes import RaffleRules, set_rules
from checkin.record import audit
from checkin.record.exempt import reason
from checkin.results import ScanState, Station, StationMode, TicketInfo
from checkin.scanning import ScanEngine
from checkin.stations.merge import merge_station
from checkin.stations.station_copy import make_station_copy
from checkin.store import Database, WinLimit, cipher, open_database, sqlite_file
from checkin.store.models import Attendee, Base
from checkin.ticketing import tickets
from tests.helpers.event_files import open_new
from tests.helpers.project_paths import PREREG_DATA

DESK = Station("Desk 1", StationMode.DESK, volunteer="Ana")
MEAL = Station("Meal tent", StationMode.RESOURCE, "Meal", volunteer="Luis")
PRIZES = Station("Prize table", StationMode.PRIZE)


def _workload(path: Path) -> dict[str, str]:
    """An event file that went through every kind of writer; the codes the edits aim at."""
    db = open_new(path)
    try:
        create_event(db, "Block Party", location="Sycamore Park", passphrase="secret")
        populate(db, attendees=12)
        import_csv(db, PREREG_DATA / "prereg-eventbrite.csv")
        engine = ScanEngine(db)
        engine._debounce = 0  # the same code twice in a row is a second scan here
        with db.reading() as session:
            people = list(session.scalars(select(Attendee.code).order_by(Attendee.id).limit(6)))
        create_campaign(db, "Oak Street flyers")
        walkup = attendees.register(
            db, DESK, first_name="Zebediah", adults=2, kids=1, zip_code="60601"
        ).code
        for code in [*people[:4], walkup]:
            assert engine.scan(code, DESK).state is ScanState.CHECKED_IN
        meal = next(
            t.code for t in _held(db, people[0]) if t.type_name == "Meal" and t.state == "issued"
        )
        assert engine.scan(meal, MEAL).state is ScanState.REDEEMED
        stock = tickets.create_stock(db, "Raffle", 2)
        bound = engine.scan(stock[0].code, DESK, current_attendee=people[1])
        assert bound.state is ScanState.TICKET_BOUND
        engine.scan("https://example.org/not-a-code", DESK)  # refused, still logged
        tickets.issue_tickets(db, people[2], "Backpack", count=1, station=DESK)  # the ORM path
        assert engine.scan(people[3], DESK).state is ScanState.ALREADY_CHECKED_IN
        assert undo.undo_last(db, DESK).done  # the tickets just issued
        enter_ticket_tally(db, "Raffle", 3, note="sheet 1")
        set_rules(db, RaffleRules(one_win_per=WinLimit.PERSON, redraw_after_minutes=5))
        add_prize(db, "Bike", quantity=1)
        add_prize(db, "Zoo pass", quantity=1)
        first = draw(db, "Bike")
        assert first.record is not None and first.record.ticket is not None
        again = redraw(db, first.record.uid, after_minutes=0)
        assert again.record is not None and again.record.ticket is not None
        assert engine.scan(again.record.ticket, PRIZES).state is ScanState.PRIZE_CLAIMED
        station_path = path.with_name("desk-2.checkin")
        make_station_copy(db, station_path, "desk-2")
        station = open_database(station_path)
        try:
            ScanEngine(station).scan(people[4], Station("desk-2", StationMode.DESK))
        finally:
            station.dispose()
        merge_station(db, station_path)
        report = audit.verify(db)
        assert report.ok, report.problems
        return {"meal": meal, "person": people[0], "other": people[5], "walkup": walkup}
    finally:
        db.dispose()


def _held(db: Database, code: str) -> tuple[TicketInfo, ...]:
    card = attendees.get_attendee(db, code)
    assert card is not None
    return card.tickets


@pytest.fixture(scope="module")
def workload(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("record") / "party.checkin"
    return path, _workload(path)


@pytest.fixture
def event_file(workload: tuple[Path, dict[str, str]], tmp_path: Path) -> Path:
    """A fresh copy of the worked file for one edit."""
    source, _ = workload
    copy = tmp_path / "party.checkin"
    sqlite_file.copy_file(source, copy)
    return copy


def _edit(path: Path, *statements: str, **params: str) -> None:
    with closing(cipher.connect(path)) as connection:
        for statement in statements:
            changed = connection.execute(statement, params).rowcount
            assert changed != 0, statement  # the edit really changed something
        connection.commit()


def _verify(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["verify", "--db", str(path)])
    return code, capsys.readouterr().out


def test_the_worked_file_verifies(event_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _verify(event_file, capsys)
    assert code == 0, out
    assert out.splitlines()[0].startswith("OK: ")


EDITS = {
    "redemption set back": (
        [
            "UPDATE tickets SET state = 'issued', redeemed_at = NULL, redeemed_station = ''"
            " WHERE code = :meal"
        ],
        "tickets row {meal}: state is 'issued', the record says 'redeemed'",
    ),
    "check-in time changed": (
        [
            "UPDATE checkins SET at = '2026-01-01 09:00:00.000000'"
            " WHERE id = (SELECT min(id) FROM checkins)"
        ],
        "at is '2026-01-01T09:00:00.000000'",
    ),
    "check-in station changed": (
        ["UPDATE checkins SET station = 'Desk 9' WHERE id = (SELECT min(id) FROM checkins)"],
        "station is 'Desk 9', the record says 'Desk 1'",
    ),
    "check-in deleted": (
        ["DELETE FROM checkins WHERE id = (SELECT min(id) FROM checkins)"],
        "removed outside the app (the record has it)",
    ),
    "ticket moved to another person": (
        [
            "UPDATE tickets SET attendee_id = (SELECT id FROM attendees WHERE code = :other)"
            " WHERE code = :meal"
        ],
        "tickets row {meal}: attendee is",
    ),
    "household size changed": (
        ["UPDATE attendees SET adults = adults + 4 WHERE code = :walkup"],
        "attendees row {walkup}: adults is 6, the record says 2",
    ),
    "scan row deleted": (
        ["DELETE FROM scans WHERE id = (SELECT max(id) FROM scans)"],
        "removed outside the app",
    ),
    "scan row edited": (
        ["UPDATE scans SET state = 'checked_in' WHERE state = 'not_a_code'"],
        "state is 'checked_in', the record says 'not_a_code'",
    ),
    "winner changed": (
        [
            "UPDATE draws SET attendee_id = (SELECT id FROM attendees WHERE code = :other)"
            " WHERE state = 'claimed'"
        ],
        "draws row",
    ),
    "forged ticket inserted": (
        [
            "INSERT INTO tickets (uid, code, serial, type_id, attendee_id, state, created_at,"
            " issued_station, redeemed_station, from_paper) SELECT 'f0rged', 'TFORGED', 999,"
            " type_id, attendee_id, 'issued', created_at, '', '', 0 FROM tickets WHERE code = :meal"
        ],
        "tickets row TFORGED: not in the record",
    ),
    # Found by the attack round of issue 23: each of these passed `verify` before.
    "paper tally inserted": (
        [
            "INSERT INTO paper_tallies (uid, entered_at, ticket_type_id, count, station, note)"
            " SELECT 't4lly', entered_at, ticket_type_id, 500, station, '' FROM paper_tallies"
        ],
        "paper_tallies row t4lly: not in the record",
    ),
    "ZIP changed": (
        ["UPDATE attendees SET zip_code = '99999' WHERE code = :walkup"],
        "attendees row {walkup}: zip_code is '99999', the record says '60601'",
    ),
    "heard-about changed": (
        ["UPDATE attendees SET heard_about = 'Radio' WHERE code = :walkup"],
        "attendees row {walkup}: heard_about is 'Radio', the record says ''",
    ),
    "guest number changed": (
        ["UPDATE attendees SET number = number + 1000 WHERE code = :walkup"],
        "attendees row {walkup}: number is",
    ),
    "ticket created_at changed": (
        ["UPDATE tickets SET created_at = '2020-01-01 00:00:00.000000' WHERE code = :meal"],
        "tickets row {meal}: created_at is '2020-01-01T00:00:00.000000'",
    ),
    "merged_files row inserted": (
        [
            "INSERT INTO merged_files (source_uid, source_name, merged_at, summary)"
            " VALUES ('f4ke', 'x.checkin', '2026-01-01 00:00:00.000000', '{}')"
        ],
        "merged_files row f4ke: not in the record",
    ),
    "merged_files row deleted": (
        ["DELETE FROM merged_files"],
        "removed outside the app",
    ),
    "event key replaced": (
        ["UPDATE events SET secret_key = randomblob(32)"],
        "secret_key is",
    ),
    "event tag changed": (
        ["UPDATE events SET tag = 'ZZZ'"],
        "tag is 'ZZZ'",
    ),
    "raffle rule changed": (
        ["UPDATE events SET raffle_one_win_per = 'none'"],
        "raffle_one_win_per is 'none', the record says 'person'",
    ),
    "ticket type renamed": (
        ["UPDATE ticket_types SET name = 'Backpack 2' WHERE name = 'Meal'"],
        "ticket_types row Backpack 2: name is 'Backpack 2', the record says 'Meal'",
    ),
    "ticket type kind changed": (
        ["UPDATE ticket_types SET kind = 'resource' WHERE name = 'Raffle'"],
        "ticket_types row Raffle: kind is 'resource', the record says 'raffle'",
    ),
    "prize changed": (
        ["UPDATE prizes SET name = 'Car' WHERE name = 'Zoo pass'"],
        "prizes row Car: name is 'Car', the record says 'Zoo pass'",
    ),
    "last audit entry deleted": (
        ["DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)"],
        "not in the record",
    ),
    "last ten audit entries deleted": (
        ["DELETE FROM audit WHERE id > (SELECT max(id) - 10 FROM audit)"],
        "not in the record",
    ),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_an_edit_outside_the_app_is_named(
    kind: str,
    event_file: Path,
    workload: tuple[Path, dict[str, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, names = workload
    statements, expected = EDITS[kind]
    _edit(event_file, *statements, **names)
    code, out = _verify(event_file, capsys)
    assert code == 1, out
    assert expected.format(**names) in out, out
    assert "PROBLEMS FOUND" in out


def _sealed_columns() -> list[tuple[str, str]]:
    """Every column of the schema that is not exempt (checkin/record/exempt.py)."""
    return [
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if reason(table.name, column.name) is None
    ]


def _change(connection: sqlite3.Connection, table: str, column: str) -> None:
    """Change one column of the table's first row with plain SQL, whatever its type."""
    info = {r[1]: r for r in connection.execute(f"PRAGMA table_info({table})")}
    kind = str(info[column][2]).upper()
    where = f"rowid = (SELECT min(rowid) FROM {table})"
    keys = {r[3]: r[2] for r in connection.execute(f"PRAGMA foreign_key_list({table})")}
    if column in keys:
        # another row of the table it points at (one that breaks no unique index)
        target = keys[column]
        current = connection.execute(f"SELECT {column} FROM {table} WHERE {where}").fetchone()
        for (other,) in connection.execute(f"SELECT id FROM {target} ORDER BY id DESC"):
            if other == current[0]:
                continue
            try:
                connection.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", (other,))
            except cipher.driver.IntegrityError:
                continue
            return
        raise AssertionError(f"{table}.{column}: no other row to point at")
    if kind.startswith("BOOL"):
        change = f"1 - coalesce({column}, 0)"
    elif kind.startswith("INT"):
        change = f"coalesce({column}, 0) + 7"
    elif kind.startswith("DATETIME"):
        change = "'2020-02-02 02:02:02.000000'"
    elif kind.startswith("DATE"):
        change = "'2020-02-02'"
    elif kind.startswith("BLOB") or kind.startswith("VARBINARY"):
        change = "randomblob(32)"
    else:
        change = f"coalesce({column}, '') || 'Z'"
    connection.execute(f"UPDATE {table} SET {column} = {change} WHERE {where}")


@pytest.mark.parametrize(("table", "column"), _sealed_columns())
def test_every_sealed_column_edited_is_named(
    table: str, column: str, event_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Derived from the schema: an edit to any column not exempt is named by `verify`."""
    with closing(cipher.connect(event_file)) as connection:
        count = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert count, f"the worked file has no {table} row to edit"
        _change(connection, table, column)
        connection.commit()
    code, out = _verify(event_file, capsys)
    assert code == 1, f"{table}.{column} edited and `verify` said OK:\n{out}"
    assert f"{table} row" in out, out


def test_an_audit_entry_edited_breaks_the_chain(
    event_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(event_file, "UPDATE audit SET station = 'nobody' WHERE id = 5")
    code, out = _verify(event_file, capsys)
    assert code == 1 and "audit entry 5" in out and "content was changed" in out


def test_a_purge_keeps_the_record_whole(
    event_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The record holds codes and household sizes, never names: a purge chains on and the
    file still verifies; its personal data is gone from the record too."""
    db = open_database(event_file)
    try:
        phrase = confirmation_phrase("Block Party")
        assert purge_personal_data(db, phrase).done
    finally:
        db.dispose()
    code, out = _verify(event_file, capsys)
    assert code == 0, out
    with closing(cipher.connect(event_file)) as connection:
        details = " ".join(r[0] for r in connection.execute("SELECT detail FROM audit"))
    assert "Zebediah" not in details  # the walk-up's first name was never in the record
