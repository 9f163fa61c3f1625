"""`checkin person CODE` shows a household; `--set` edits it through the audit chain, `verify`
replays the edit and notices a later change made with sqlite3, and Undo reverts it."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest

from checkin import undo
from checkin.cli import main
from checkin.event import events
from checkin.people import attendees
from checkin.results import ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import AllowanceRule, TicketKind, cipher, open_database
from checkin.ticketing import tickets
from tests.helpers.event_files import open_new

OK = ("--passphrase", "secret")


@pytest.fixture
def event(tmp_path: Path) -> tuple[str, str]:
    path = tmp_path / "event.checkin"
    db = open_new(path)
    events.create_event(db, "Test Party", passphrase="secret")
    tickets.add_ticket_type(
        db,
        "Meal",
        TicketKind.RESOURCE,
        rule=AllowanceRule.PER_MEMBER,
        quantity=1,
        issue_at_checkin=True,
    )
    code = attendees.register(db, first_name="Rosa", last_name="Ruis", adults=2, kids=1).code
    assert ScanEngine(db).scan(code, Station("Desk 1", StationMode.DESK)).state is (
        ScanState.CHECKED_IN
    )
    db.dispose()
    return str(path), code


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(args))
    return code, capsys.readouterr().out


def test_person_prints_fields_tickets_and_history(
    event: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, code = event
    status, out = _run(capsys, "person", "--db", path, code, *OK)
    assert status == 0
    assert "Rosa Ruis" in out and "2 adults, 1 kids, 0 seniors" in out
    assert "Meal" in out and "issued" in out
    assert "Desk 1: checked in" in out and "registered" in out


def test_set_edits_says_what_is_due_and_verify_replays_it(
    event: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, code = event
    status, out = _run(
        capsys,
        "person", "--db", path, code, *OK, "--station", "Office",
        "--set", "kids=2", "--set", "last=Ruiz", "--set", "attention=uses a wheelchair",
    )  # fmt: skip
    assert status == 0, out
    assert "Meal tickets due: 3 → 4" in out
    assert "attention:    yes: uses a wheelchair" in out
    assert "Office: edited: attention_note, kids, last_name, needs_attention" in out
    status, out = _run(capsys, "verify", "--db", path)
    assert status == 0 and out.startswith("OK"), out
    # Tampering afterwards: the household's size changed outside the app is named.
    with closing(cipher.connect(path)) as raw, raw:
        raw.execute("UPDATE attendees SET kids = 5")
    status, out = _run(capsys, "verify", "--db", path)
    assert status == 1 and "PROBLEMS FOUND" in out and "kids" in out


def test_the_edit_entry_itself_cannot_be_rewritten(
    event: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, code = event
    assert main(["person", "--db", path, code, *OK, "--set", "attention=wheelchair"]) == 0
    with closing(cipher.connect(path)) as raw, raw:
        raw.execute(
            "UPDATE audit SET detail = replace(detail, 'attention_note', 'notes') "
            "WHERE action = 'attendee_updated'"
        )
    status, out = _run(capsys, "verify", "--db", path)
    assert status == 1 and "content was changed" in out


def test_undo_reverts_a_command_line_edit(
    event: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, code = event
    assert main(["person", "--db", path, code, *OK, "--station", "Office", "--set", "kids=4"]) == 0
    status, out = _run(capsys, "person", "--db", path, code, *OK, "--station", "Office", "--undo")
    assert status == 0 and "Undone: edit of Rosa Ruis (kids)" in out
    db = open_database(path)
    try:
        person = attendees.get_attendee(db, code)
        assert person is not None and person.kids == 1
        assert undo.last_action(db, "Office") is None  # nothing left to undo there
    finally:
        db.dispose()
    status, out = _run(capsys, "verify", "--db", path)
    assert status == 0, out


def test_a_bad_field_is_one_line_and_changes_nothing(
    event: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, code = event
    capsys.readouterr()
    assert main(["person", "--db", path, code, *OK, "--set", "kids=lots"]) != 0
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "kids" in err


def test_a_phone_without_consent_is_refused_with_the_reason(
    event: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """It printed "Nothing changed" and exited 0 (a tester): the phone was dropped in silence."""
    path, code = event
    capsys.readouterr()
    assert main(["person", "--db", path, code, *OK, "--set", "phone=816-555-0101"]) != 0
    err = capsys.readouterr().err
    assert "consent" in err and "phone" in err
    assert (
        main(
            [
                "person",
                "--db",
                path,
                code,
                *OK,
                "--set",
                "phone=816-555-0101",
                "--set",
                "consent=yes",
            ]
        )
        == 0
    )
    assert "phone" in capsys.readouterr().out
