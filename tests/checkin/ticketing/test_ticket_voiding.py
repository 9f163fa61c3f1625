"""Voiding lost, stolen or damaged tickets with replacements, and whole stock sheets (issue 24):
the scan says why, `verify` replays it, Undo puts it back, and `checkin void` does it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkin import undo
from checkin.cli import main
from checkin.people import attendees
from checkin.record import audit
from checkin.results import ScanState, Station, StationMode, TicketParams
from checkin.scanning import ScanEngine
from checkin.store import AllowanceRule, Database, TicketKind, cipher
from checkin.ticketing import tickets
from checkin.ticketing.ticket_voiding import sheets, void_sheet, void_tickets
from checkin.ticketing.tickets import TicketError
from tests.helpers.outcomes import params_of

DESK = Station("Desk 1", volunteer="Ann")
FOOD = Station("Food", StationMode.RESOURCE, "Meal")


@pytest.fixture
def party(db: Database) -> Database:
    tickets.add_ticket_type(
        db, "Meal", TicketKind.RESOURCE, rule=AllowanceRule.PER_MEMBER, issue_at_checkin=True
    )
    tickets.add_ticket_type(
        db, "Raffle", TicketKind.RAFFLE, quantity=3, issue_at_checkin=True, at_checkin=1
    )
    return db


def _checked_in(db: Database, adults: int = 2) -> tuple[str, list[str]]:
    code = attendees.register(db, DESK, first_name="Rosa", adults=adults).code
    result = ScanEngine(db, debounce_seconds=0).scan(code, DESK)
    assert result.state is ScanState.CHECKED_IN
    return code, [t.code for t in result.issued if t.type_name == "Meal"]


def test_a_lost_ticket_is_voided_replaced_and_scans_red_with_why_and_when(party: Database) -> None:
    person, meals = _checked_in(party)
    result = void_tickets(party, [meals[0]], "lost", replace=True, station=DESK)
    assert [t.code for t in result.voided] == [meals[0]]
    (new,) = result.replacements
    assert new.type_name == "Meal" and new.state == "issued" and new.attendee_code == person
    engine = ScanEngine(party, debounce_seconds=0)
    scanned = engine.scan(meals[0], FOOD)
    assert scanned.state is ScanState.VOID and scanned.tone.value == "error"
    assert (
        params_of(scanned, TicketParams).reason == "lost" and params_of(scanned, TicketParams).when
    )
    assert scanned.message.startswith("Voided ticket (lost, ")
    assert engine.scan(new.code, FOOD).state is ScanState.REDEEMED  # the replacement works
    held = attendees.get_attendee(party, person)
    assert held is not None
    assert sorted(t.state for t in held.tickets if t.type_name == "Meal") == [
        "issued",
        "redeemed",
        "void",
    ]
    report = audit.verify(party)
    assert report.ok, report.problems


def test_a_used_ticket_is_not_voided_and_unknown_codes_void_nothing(party: Database) -> None:
    _, meals = _checked_in(party)
    ScanEngine(party, debounce_seconds=0).scan(meals[0], FOOD)
    result = void_tickets(party, meals, "stolen", replace=True)
    assert [t.code for t in result.used] == [meals[0]]
    assert [t.code for t in result.voided] == [meals[1]] and len(result.replacements) == 1
    nothing = void_tickets(party, [meals[1], "T000-0000-0000-0000-0000"], "lost")
    assert nothing.unknown and not nothing.voided
    with pytest.raises(TicketError):
        void_tickets(party, [meals[1]], "forgot")  # not one of the reasons


def test_undo_puts_the_tickets_back_and_voids_the_replacements(party: Database) -> None:
    _, meals = _checked_in(party)
    result = void_tickets(party, meals, "damaged", replace=True, station=DESK)
    preview = undo.last_action(party, DESK.name)
    assert preview is not None and preview.action == "tickets_voided"
    assert preview.params["replacements"] == 2
    assert undo.undo_last(party, DESK, expected=preview.audit_id).done
    for code in meals:
        ticket = tickets.get_ticket(party, code)
        assert ticket is not None and ticket.state == "issued"
    for made in result.replacements:
        ticket = tickets.get_ticket(party, made.code)
        assert ticket is not None and ticket.state == "void"
    assert ScanEngine(party, debounce_seconds=0).scan(meals[0], FOOD).state is ScanState.REDEEMED
    assert audit.verify(party).ok


def test_undo_is_refused_once_a_replacement_was_used(party: Database) -> None:
    _, meals = _checked_in(party, adults=1)
    result = void_tickets(party, meals, "lost", replace=True, station=DESK)
    ScanEngine(party, debounce_seconds=0).scan(result.replacements[0].code, FOOD)
    outcome = undo.undo_last(party, DESK)  # the redemption was at Food: the void is Desk 1's
    assert not outcome.done and outcome.reason == "ticket_changed"
    ticket = tickets.get_ticket(party, meals[0])
    assert ticket is not None and ticket.state == "void"


def test_a_stock_sheet_is_voided_by_its_number_and_its_given_tickets_stay(
    party: Database,
) -> None:
    made = tickets.create_stock(party, "Raffle", 7, per_sheet=3)
    assert [t.sheet for t in made] == [1, 1, 1, 2, 2, 2, 3]
    person, _ = _checked_in(party)
    engine = ScanEngine(party, debounce_seconds=0)
    given = engine.scan(made[3].code, DESK, current_attendee=person)
    assert given.state is ScanState.TICKET_BOUND
    result = void_sheet(party, 2, "stolen", station=DESK)
    assert [t.code for t in result.voided] == [made[4].code, made[5].code]
    assert [t.code for t in result.used] == [made[3].code]  # given out before it went missing
    scanned = engine.scan(made[4].code, DESK, current_attendee=person)
    assert scanned.state is ScanState.VOID and params_of(scanned, TicketParams).reason == "stolen"
    assert engine.scan(made[0].code, DESK).state is ScanState.UNASSIGNED  # sheet 1 untouched
    assert [(n, left) for n, _, _, _, left in sheets(party)] == [(1, 3), (2, 0), (3, 1)]
    assert audit.verify(party).ok
    again = void_sheet(party, 2, "lost")  # twice: nothing more, and it says so
    assert (
        not again.voided
        and len(again.already) == 2
        and "void already: Raffle No. 5, Raffle No. 6" in again.message
    )
    assert undo.undo_last(party, DESK).done
    ticket = tickets.get_ticket(party, made[4].code)
    assert ticket is not None and ticket.state == "unassigned"
    with pytest.raises(TicketError):
        void_sheet(party, 9, "lost")


def test_verify_names_a_void_taken_back_outside_the_app(party: Database) -> None:
    from contextlib import closing

    _, meals = _checked_in(party)
    void_tickets(party, [meals[0]], "lost")
    if not party.is_sqlite or party.path is None:
        pytest.skip("edits the file with sqlite3")
    with closing(cipher.connect(party.path)) as raw:
        raw.execute(
            "UPDATE tickets SET state = 'issued', void_reason = '' WHERE code = ?", meals[:1]
        )
        raw.commit()
    fields = {d.field for d in audit.verify(party).differences}
    assert {"state", "void_reason"} <= fields


def test_cli_void_with_replacement_printed_and_a_sheet(
    db_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(db_path)
    assert (
        main(["new-event", "--db", path, "--name", "Block Party", "--passphrase", "long secret"])
        == 0
    )
    from checkin.store import open_database

    db = open_database(path)
    tickets.add_ticket_type(
        db, "Meal", TicketKind.RESOURCE, rule=AllowanceRule.PER_MEMBER, issue_at_checkin=True
    )
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, quantity=3)
    _, meals = _checked_in(db)
    db.dispose()
    capsys.readouterr()
    # locked: the organiser's passphrase is needed
    assert main(["void", "--db", path, meals[0], "--reason", "lost"]) == 2
    out = tmp_path / "new.pdf"
    code = main(
        [
            *("void", "--db", path, meals[0], "--reason", "lost", "--replace"),
            *("--out", str(out), "--passphrase", "long secret"),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "1 voided (Meal No. 1)" in printed and "new Meal No. 3" in printed
    assert out.read_bytes().startswith(b"%PDF")
    stock_pdf = tmp_path / "stock.pdf"
    assert main(["void", "--db", path, "--sheets", "--passphrase", "long secret"]) == 0
    assert "No pre-printed stock sheets" in capsys.readouterr().out  # not silence
    assert (
        main(["stock", "--db", path, "--type", "Raffle", "--count", "35", "--out", str(stock_pdf)])
        == 0
    )
    assert "sheets 1-2" in capsys.readouterr().out  # 30 a page on letter-30
    assert main(["void", "--db", path, "--sheets", "--passphrase", "long secret"]) == 0
    assert "sheet    2  Raffle  Nos. 31-35  5 not given out" in capsys.readouterr().out
    assert (
        main(
            [
                "void",
                "--db",
                path,
                "--sheet",
                "2",
                "--reason",
                "stolen",
                "--passphrase",
                "long secret",
            ]
        )
        == 0
    )
    assert "sheet 2: 5 voided" in capsys.readouterr().out
    assert (
        main(
            [
                "scan",
                "--db",
                path,
                "--station",
                "Food",
                "--mode",
                "resource",
                "--redeem",
                "Meal",
                meals[0],
            ]
        )
        == 0
    )
    answer = json.loads(capsys.readouterr().out.splitlines()[0])
    assert answer["state"] == "void" and answer["message"].startswith("Voided ticket (lost, ")
    assert main(["verify", "--db", path]) == 0


def test_a_void_made_at_a_station_keeps_its_reason_through_the_merge(
    party: Database, tmp_path: Path
) -> None:
    from checkin.stations.merge import merge_station
    from checkin.stations.station_copy import make_station_copy
    from checkin.store import open_database

    if party.path is None:
        pytest.skip("station copies are files")
    _, meals = _checked_in(party)
    copy = tmp_path / "desk2.checkin"
    make_station_copy(party, copy, "Desk 2")
    station = open_database(copy)
    try:
        void_tickets(station, [meals[0]], "stolen", station=Station("Desk 2"))
    finally:
        station.dispose()
    merge_station(party, copy)
    scanned = ScanEngine(party, debounce_seconds=0).scan(meals[0], FOOD)
    assert scanned.state is ScanState.VOID and params_of(scanned, TicketParams).reason == "stolen"
    assert audit.verify(party).ok


def test_each_stock_page_says_its_sheet_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.pdfgen.canvas import Canvas

    from checkin.paper.ticket_pdf import Face, sheet_label, write_pdf

    drawn: list[str] = []
    original = Canvas.drawCentredString

    def draw(canvas: Canvas, x: float, y: float, text: str, *args: object) -> None:
        drawn.append(text)
        original(canvas, x, y, text, *args)

    monkeypatch.setattr(Canvas, "drawCentredString", draw)
    faces = [
        Face(f"T{n:019d}", "Party", title="Raffle", serial=n, sheet=1 + (n - 1) // 30)
        for n in range(1, 36)
    ]
    assert sheet_label(faces[30:]) == "Sheet 2 · Raffle Nos. 31-35"
    assert write_pdf(faces, tmp_path / "stock.pdf", "letter-30") == 2
    assert drawn == ["Sheet 1 · Raffle Nos. 1-30", "Sheet 2 · Raffle Nos. 31-35"]
    drawn.clear()
    write_pdf([Face("T" + "0" * 19, "Party", title="Raffle", serial=1)], tmp_path / "x.pdf")
    assert drawn == []  # a ticket printed on demand has no sheet
