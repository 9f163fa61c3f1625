"""Control characters never get in (names, notes, stations, volunteers) and never reach a
terminal raw."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkin.clean_text import clean_text, for_terminal
from checkin.cli import main
from checkin.people import attendees
from checkin.results import Station
from checkin.stations.setup import save_station
from checkin.store import Database, open_database
from checkin.store.models import Attendee


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\x1b[31mRosa\x07", "[31mRosa"),
        ("  Ana\u00a0María\t", "Ana María"),
        ("Jo\x00\x08e", "Joe"),
        ("line\nbreak", "line break"),
        ("\u202eevil", "evil"),
        ("Peña", "Peña"),
    ],
)
def test_clean_text_drops_control_characters(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_notes_keep_their_lines_but_not_control_characters() -> None:
    assert clean_text("needs a ramp\r\n\x1b]0;x\x07 call back ", multiline=True) == (
        "needs a ramp\n]0;x call back"
    )


def test_registration_drops_control_characters(db: Database) -> None:
    info = attendees.register(
        db, first_name="\x1b[2JRosa", last_name="Ruiz\x07", notes="a\x00b", language="\x1bes"
    )
    with db.reading() as session:
        row = session.query(Attendee).filter_by(code=info.code).one()
        assert (row.first_name, row.last_name, row.notes, row.language) == (
            "[2JRosa",
            "Ruiz",
            "ab",
            "es",
        )


def test_station_names_drop_control_characters(db: Database) -> None:
    assert save_station(db, Station(" \x1bMeal\u00a0tent\n")).name == "Meal tent"


def test_terminal_output_escapes_control_characters() -> None:
    assert for_terminal("\x1b[31mred\x07\n") == "\\u001b[31mred\\u0007\n"
    text = json.dumps({"name": "a\x7fb\x9b"}, ensure_ascii=False)
    assert json.loads(for_terminal(text)) == {"name": "a\x7fb\x9b"}


def test_list_never_prints_raw_control_characters(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    attendees.register(db, first_name="Rosa", adults=1)
    # A file edited outside the app (or made by an older version) may hold them anyway.
    db.write(lambda s: s.query(Attendee).update({"first_name": "\x1b]0;owned\x07\x1b[2J"}))
    db.dispose()
    for extra in ([], ["--json"]):
        assert main(["list", "--db", str(db_path), "--passphrase", "secret", *extra]) == 0
        out = capsys.readouterr().out
        assert "owned" in out
        assert not any(ch in out for ch in "\x1b\x07\x9b")
    assert main(["list", "--db", str(db_path), "--passphrase", "secret", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["first_name"] == "\x1b]0;owned\x07\x1b[2J"  # JSON still gives back the stored text


def test_cli_scan_station_and_volunteer_drop_control_characters(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db.dispose()
    args = ["scan", "--db", str(db_path), "--station", "\x1bDesk\x07 1", "--volunteer", "A\x00n"]
    assert main([*args, "nothing"]) == 0
    capsys.readouterr()
    reopened = open_database(db_path)
    try:
        from checkin.store.models import ScanLog

        with reopened.reading() as session:
            row = session.query(ScanLog).one()
            assert (row.station, row.volunteer) == ("Desk 1", "An")
    finally:
        reopened.dispose()


def test_imported_names_drop_control_characters(db: Database, tmp_path: Path) -> None:
    from checkin.people.csv_import import import_csv

    source = tmp_path / "people.csv"
    source.write_text("First name,Last name,Zip code\n\x1b[31mRosa\x07,Ru\x1biz\x7f,64136\n")
    assert import_csv(db, source).imported == 1
    with db.reading() as session:
        row = session.query(Attendee).one()
        assert row.first_name == "[31mRosa"
        assert row.last_name.replace(" ", "") == "Ruiz" and row.last_name.isprintable()
