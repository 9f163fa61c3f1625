"""CSV export: every file and column, BOM, formula neutralisation, atomic private files, and an
anonymous export without personal data."""

from __future__ import annotations

import csv
import os
import re
import stat
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin.after_event.export import (
    EXPORT_COLUMNS,
    FILES,
    LocalTimes,
    columns_for,
    export_event,
    neutralise,
)
from checkin.cli import main
from checkin.results import Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import Database, TicketKind
from checkin.store.models import Attendee
from tests.helpers.after_event import PERSONAL_STRINGS, Built, central_time

ISO_LOCAL = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def test_every_file_and_column(db: Database, event: Built, tmp_path: Path) -> None:
    report = export_event(db, tmp_path / "out")
    assert (
        [f.name for f in report.files]
        == list(FILES)
        == [
            "attendees.csv",
            "checkins.csv",
            "tickets.csv",
            "scans.csv",
            "raffle.csv",
            "summary.csv",
        ]
    )
    rows = {f.name: f.rows for f in report.files}
    assert rows["attendees.csv"] == 6
    assert rows["checkins.csv"] == 5  # four live and F's undone one
    assert rows["tickets.csv"] == 24  # 5 raffle, 13 meal, 6 backpack (void and stock included)
    assert rows["scans.csv"] == 21
    assert rows["raffle.csv"] == 3
    for name in FILES:
        path = tmp_path / "out" / name
        assert header(path) == [c.name for c in EXPORT_COLUMNS[name]]
        assert len(read(path)) == rows[name]


def test_attendee_rows(db: Database, event: Built, tmp_path: Path) -> None:
    export_event(db, tmp_path)
    people = {row["code"]: row for row in read(tmp_path / "attendees.csv")}
    a = people[event.codes["A"]]
    assert a["first_name"] == "Anastasia" and a["last_name"] == "Peñalosa"
    assert (a["adults"], a["kids"], a["seniors"], a["household_size"]) == ("2", "2", "0", "4")
    assert (a["zip"], a["phone"], a["email"]) == (
        "64130",
        "(816) 555-0101",
        "anastasia@example.org",
    )
    assert (a["consent"], a["language"], a["heard_about"], a["notes"]) == (
        "yes",
        "es",
        "Church",
        "Allergic to peanuts",
    )
    assert (a["checked_in"], a["checked_in_at"], a["checked_in_station"]) == (
        "yes",
        "2030-06-14T13:02:10-05:00",
        "Desk",
    )
    assert ISO_LOCAL.match(a["registered_at"])
    b = people[event.codes["B"]]
    assert (b["campaign"], b["external_ref"], b["source"]) == (
        "Flyer: Elm Street",
        "EB-778899",
        "prereg",
    )
    assert people[event.codes["E"]]["checked_in"] == "no"
    assert people[event.codes["E"]]["checked_in_at"] == ""
    assert people[event.codes["F"]]["checked_in"] == "no"  # undone


def test_checkin_ticket_scan_and_raffle_rows(db: Database, event: Built, tmp_path: Path) -> None:
    export_event(db, tmp_path)
    checkins = read(tmp_path / "checkins.csv")
    assert [(c["attendee_number"], c["undone"]) for c in checkins if c["undone"] == "yes"] == [
        ("6", "yes")
    ]
    assert {c["at"] for c in checkins if c["undone"] == "no"} >= {"2030-06-14T13:47:30-05:00"}
    tickets = read(tmp_path / "tickets.csv")
    backpacks = [t for t in tickets if t["type"] == "Backpack"]
    assert sorted(t["bound"] for t in backpacks) == ["no", "no", "no", "yes", "yes", "yes"]
    assert sum(t["state"] == "unassigned" for t in backpacks) == 2
    assert sum(t["state"] == "redeemed" and t["redeemed_station"] == "Food" for t in tickets) == 3
    assert all(ISO_LOCAL.match(t["redeemed_at"]) for t in tickets if t["state"] == "redeemed")
    scans = read(tmp_path / "scans.csv")
    assert [s["state"] for s in scans if s["failed"] == "yes"] == [
        "not_a_code",
        "not_a_code",
        "typo",
        "already_redeemed",
    ]
    assert sum(s["repeat"] == "yes" for s in scans) == 1
    assert any(s["raw"] == "hello" for s in scans)
    raffle = read(tmp_path / "raffle.csv")
    assert [(r["draw"], r["prize"], r["state"], r["redraw_of"]) for r in raffle] == [
        ("1", "Bike", "redrawn", ""),
        ("2", "Bike", "drawn", "1"),
        ("3", "Gift card", "claimed", ""),
    ]
    assert raffle[2]["ticket_serial"] == str(event.winners["Gift card"])
    assert raffle[2]["witness"] == "4471"
    assert all(r["winner_name"] and r["ticket_code"] for r in raffle)  # the full export names


def test_summary_file_in_long_form(db: Database, event: Built, tmp_path: Path) -> None:
    export_event(db, tmp_path)
    rows = {
        (r["section"], r["item"], r["measure"]): r["value"] for r in read(tmp_path / "summary.csv")
    }
    assert rows[("attendance", "", "households_checked_in")] == "4"
    assert rows[("attendance", "", "people_checked_in")] == "11"
    assert rows[("arrivals", "2030-06-14T13:30:00-05:00", "people")] == "4"
    assert rows[("zip_codes", "64130", "households")] == "2"
    assert rows[("heard_about", "Flyer: Elm Street", "households")] == "1"
    assert rows[("tickets", "Meal", "stock_left")] == "9"
    assert rows[("tickets", "Backpack", "bound")] == "3"
    assert rows[("paper_tallies", "Meal", "counted_on_paper")] == "7"
    assert rows[("raffle", "Bike", "redrawn")] == "1"
    assert rows[("failed_scans", "typo", "scans")] == "1"
    assert rows[("scans", "", "repeat")] == "1"


def test_utf8_with_bom_and_crlf(db: Database, event: Built, tmp_path: Path) -> None:
    export_event(db, tmp_path)
    for name in FILES:
        raw = (tmp_path / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        assert raw.count(b"\r\n") >= 1 and b"\n" not in raw.replace(b"\r\n", b"")
    assert "Peñalosa".encode() in (tmp_path / "attendees.csv").read_bytes()


def test_formula_cells_are_neutralised_and_numbers_are_not(
    db: Database, event: Built, tmp_path: Path
) -> None:
    export_event(db, tmp_path)
    d = next(r for r in read(tmp_path / "attendees.csv") if r["code"] == event.codes["D"])
    assert d["first_name"] == '\'=HYPERLINK("http://x")'
    assert d["phone"] == "'+1 816 555 0199"
    assert d["notes"] == "'-2+3 @SUM(A1)"
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(value) == "'" + value
    for value in ("1+1", "Peña", "", "a=b", "'quoted", " a=b", "\x00ok"):
        assert neutralise(value) == value
    # no text cell anywhere starts with a trigger; ISO offsets like -05:00 are inside cells
    for name in FILES:
        for row in read(tmp_path / name):
            for value in row.values():
                assert not value.startswith(("=", "+", "@", "\t", "\r")), (name, value)
                if value.startswith("-"):
                    assert re.fullmatch(r"-\d+", value), (name, value)


@pytest.mark.parametrize(
    "value",
    [
        "\x00=1+1",
        "\x00\x00@SUM(A1)",
        " =1+1",
        "\n=1+1",
        "\u00a0=1+1",
        "\u3000+1",
        "\u200b\ufeff-1",
        "\x1b=1",
        "\uff1d1+1",
        "\uff0b1",
        "\uff0d1",
        "\uff20SUM(A1)",
        " \t \uff1dcmd",
    ],
)
def test_a_formula_behind_blanks_or_in_full_width_is_neutralised(value: str) -> None:
    assert neutralise(value) == "'" + value


def test_hidden_formulas_are_neutralised_in_the_anonymous_export_too(
    db: Database, tmp_path: Path
) -> None:
    from sqlalchemy import update

    from checkin.people import attendees
    from checkin.store.models import Ticket
    from checkin.ticketing.tickets import add_ticket_type, create_stock

    attendees.register(db, first_name="Ana", language="es", adults=1)
    add_ticket_type(db, "Meal", TicketKind.RESOURCE)
    create_stock(db, "Meal", 2)
    db.write(lambda s: s.execute(update(Attendee).values(language="\x00=1+1")))
    # SQLite's text functions stop at a NUL: the tickets file is made by the csv module then
    db.write(lambda s: s.execute(update(Ticket).values(issued_station="\x00\x00=1+1")))
    for anonymous in (False, True):
        export_event(db, tmp_path / str(anonymous), anonymous=anonymous)
        row = read(tmp_path / str(anonymous) / "attendees.csv")[0]
        assert row["language"] == "'\x00=1+1"
        stations = {r["issued_station"] for r in read(tmp_path / str(anonymous) / "tickets.csv")}
        assert stations == {"'\x00\x00=1+1"}


def test_negative_numbers_stay_numbers(db: Database, tmp_path: Path) -> None:
    # A count cannot be negative in the app; write one straight into the file to be sure the
    # export treats numbers as numbers.
    from checkin.people import attendees

    attendees.register(db, first_name="Neg", adults=1)

    def corrupt(session: object) -> None:
        from sqlalchemy import update

        session.execute(update(Attendee).values(kids=-1))  # type: ignore[attr-defined]

    db.write(corrupt)
    export_event(db, tmp_path)
    assert read(tmp_path / "attendees.csv")[0]["kids"] == "-1"


def test_files_are_private_and_written_atomically(
    db: Database, event: Built, tmp_path: Path
) -> None:
    out = tmp_path / "new" / "folder"
    export_event(db, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for name in FILES:
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)  # no temporary files left
    # exporting again replaces every file in one rename each: an open reader keeps the old one
    old = (out / "attendees.csv").open("rb")
    inode = os.fstat(old.fileno()).st_ino
    export_event(db, out)
    assert (out / "attendees.csv").stat().st_ino != inode
    assert old.read().startswith(b"\xef\xbb\xbf")
    old.close()


def test_cancel_leaves_the_folder_as_it_was(db: Database, event: Built, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "attendees.csv").write_text("old", encoding="utf-8")
    seen: list[tuple[int, int]] = []
    report = export_event(
        db,
        out,
        progress=lambda done, total: seen.append((done, total)),
        cancelled=lambda: len(seen) >= 2,
    )
    assert report.cancelled and report.files == ()
    assert sorted(p.name for p in out.iterdir()) == ["attendees.csv"]
    assert (out / "attendees.csv").read_text(encoding="utf-8") == "old"


def test_progress_reaches_the_total(db: Database, event: Built, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    export_event(db, tmp_path, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] > 0
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_anonymous_export_has_no_personal_data(db: Database, event: Built, tmp_path: Path) -> None:
    report = export_event(db, tmp_path, anonymous=True)
    assert report.anonymous
    assert header(tmp_path / "attendees.csv") == [
        "number",
        "adults",
        "kids",
        "seniors",
        "household_size",
        "zip",
        "language",
        "heard_about",
        "campaign",
        "source",
        "registered_at",
        "registered_station",
        "checked_in",
        "checked_in_at",
        "checked_in_station",
        "purged",
    ]
    assert "raw" not in header(tmp_path / "scans.csv")
    assert "winner_name" not in header(tmp_path / "raffle.csv")
    text = "".join((tmp_path / name).read_text(encoding="utf-8-sig") for name in FILES)
    for value in (*PERSONAL_STRINGS, *event.codes.values()):
        assert value not in text, value
    for name in FILES:
        assert header(tmp_path / name) == list(columns_for(name, anonymous=True))


def test_anonymous_export_of_the_demo_has_no_names_or_phones(
    demo_db: Database, tmp_path: Path
) -> None:
    engine = ScanEngine(demo_db, debounce_seconds=0)
    with demo_db.reading() as session:
        people = session.execute(
            select(Attendee.code, Attendee.first_name, Attendee.last_name, Attendee.phone)
        ).all()
    for code, *_ in people[:20]:
        engine.scan(code, Station("Desk"))
    full = export_event(demo_db, tmp_path / "full")
    export_event(demo_db, tmp_path / "anon", anonymous=True)
    full_text = "".join((tmp_path / "full" / n).read_text(encoding="utf-8-sig") for n in FILES)
    anon_text = "".join((tmp_path / "anon" / n).read_text(encoding="utf-8-sig") for n in FILES)
    assert full.rows > 0
    phones = [p for *_, p in people if p]
    assert phones, "the demo gives some people a phone number"
    for _, first, last, phone in people:
        for word in (first, last):
            pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
            assert pattern.search(full_text), word  # the full export does have it
            assert not pattern.search(anon_text), word
        if phone:
            assert phone not in anon_text and phone in full_text


def test_local_times_follow_the_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime

    with central_time(monkeypatch):
        times = LocalTimes()
        # the night the clocks went back in 2030 (3 November, 07:00 UTC)
        assert times("2030-11-03 06:59:59.000000") == "2030-11-03T01:59:59-05:00"
        assert times("2030-11-03 07:00:01.000000") == "2030-11-03T01:00:01-06:00"
        assert times(datetime(2030, 6, 14, 18, 2, 10)) == "2030-06-14T13:02:10-05:00"
        assert times.column(["2030-06-14 18:02:10.000000", None, ""]) == [
            "2030-06-14T13:02:10-05:00",
            "",
            "",
        ]
        assert times(None) == ""


def test_cli_export(
    db: Database, event: Built, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["export", "--db", str(db_path), "--out", str(tmp_path / "cli"), "--anonymous"]) == 0
    )
    out = capsys.readouterr().out
    assert "anonymous" in out and "attendees.csv" in out
    assert "first_name" not in header(tmp_path / "cli" / "attendees.csv")
    (tmp_path / "file").write_text("x")
    args = ["--out", str(tmp_path / "file"), "--passphrase", "secret"]
    assert main(["export", "--db", str(db_path), *args]) == 1
    assert "not a folder" in capsys.readouterr().err


def test_sqlite_made_lines_equal_the_csv_modules(
    db: Database, event: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tickets file is made by SQLite on the fast path: byte for byte what csv writes,
    across a daylight-saving change and with text that needs quoting and neutralising."""
    from datetime import datetime, timedelta

    from sqlalchemy import update

    from checkin.after_event import export
    from checkin.store.models import Ticket

    def awkward(session: Session) -> None:
        ids = list(session.scalars(select(Ticket.id).order_by(Ticket.id)))
        stations = ["=cmd", 'Desk, "north"', "line\nbreak", "-5", "@x", "\tTab", "plain"]
        stations += [" \u00a0\n=1+1", "\u3000+x", "\uff1d1", "\u200b@x", " ok"]
        for n, ticket_id in enumerate(ids):
            session.execute(
                update(Ticket)
                .where(Ticket.id == ticket_id)
                .values(
                    issued_station=stations[n % len(stations)],
                    # the night the clocks went back: 06:00-08:00 UTC on 3 November 2030
                    created_at=datetime(2030, 11, 3, 6, 0) + n * timedelta(minutes=7),
                    # SQLite rounds to milliseconds: this must not become 19:00:00
                    voided_at=datetime(2030, 6, 14, 18, 59, 59, 999_900),
                )
            )

    db.write(awkward)
    with central_time(monkeypatch):
        for anonymous in (False, True):
            fast = export_event(db, tmp_path / f"fast{anonymous}", anonymous=anonymous)
            monkeypatch.setattr(export, "FAST_SQLITE", False)
            slow = export_event(db, tmp_path / f"slow{anonymous}", anonymous=anonymous)
            monkeypatch.setattr(export, "FAST_SQLITE", True)
            assert fast.rows == slow.rows
            for name in FILES:
                assert (tmp_path / f"fast{anonymous}" / name).read_bytes() == (
                    tmp_path / f"slow{anonymous}" / name
                ).read_bytes(), name
    tickets = (tmp_path / "fastFalse" / "tickets.csv").read_text(encoding="utf-8-sig")
    assert "-05:00" in tickets and "-06:00" in tickets
    assert "2030-06-14T13:59:59-05:00" in tickets
    assert "'=cmd" in tickets and '"Desk, ""north"""' in tickets and '"line\nbreak"' in tickets
    assert "'\uff1d1" in tickets and "' \u00a0\n=1+1" in tickets


def test_a_repeated_scan_row_names_the_household_and_ticket(
    demo_db: Database, tmp_path: Path
) -> None:
    """A scanner firing twice: the repeat's row in scans.csv has the household number (and the
    ticket) of the scan it repeats; it had none (found in issue 24)."""
    from checkin.ticketing import tickets

    engine = ScanEngine(demo_db, clock=lambda: 1000.0)  # a fixed clock: the same input repeats
    with demo_db.reading() as session:
        code, number = session.execute(select(Attendee.code, Attendee.number).limit(1)).one()
    first = engine.scan(code, Station("Desk"))
    assert engine.scan(code, Station("Desk")).repeat
    held = next(t for t in first.issued if t.kind == "resource")
    assert tickets.get_ticket(demo_db, held.code) is not None
    food = Station("Food", StationMode.RESOURCE, held.type_name)
    engine.scan(held.code, food)
    assert engine.scan(held.code, food).repeat
    export_event(demo_db, tmp_path)
    scans = read(tmp_path / "scans.csv")
    repeats = [s for s in scans if s["repeat"] == "yes"]
    assert len(repeats) == 2
    assert [s["attendee_number"] for s in repeats] == [str(number), str(number)]
    assert repeats[1]["ticket_type"] == held.type_name
    assert repeats[1]["ticket_serial"] == str(held.serial)
    from checkin.record import audit

    assert audit.verify(demo_db).ok  # the repeat's row, with its household, is sealed as written
