"""The paper fallback: the kit prints, and tallies entered afterwards reach the summary."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from checkin.after_event.summary import summarize
from checkin.cli import main
from checkin.paper.tallies import PaperWalkup, enter_ticket_tally, enter_walkups
from checkin.people.listing import iter_attendees
from checkin.store import Database
from checkin.ticketing.tickets import TicketError


def test_walkups_from_paper_are_checked_in_and_marked(demo_db: Database) -> None:
    before = summarize(demo_db)
    numbers = enter_walkups(demo_db, [PaperWalkup(2, 3, 0, "64130"), PaperWalkup(1, 0, 1)])
    after = summarize(demo_db)
    assert len(numbers) == 2
    assert after.households_checked_in == before.households_checked_in + 2
    assert after.people_checked_in == before.people_checked_in + 7
    rows = [r for r in iter_attendees(demo_db) if r.number in numbers]
    assert {r.source for r in rows} == {"paper"}
    assert all(r.checked_in_station == "paper" for r in rows)


def test_ticket_tallies_are_counted_apart(demo_db: Database) -> None:
    enter_ticket_tally(demo_db, "Meal", 12)
    enter_ticket_tally(demo_db, "meal", 3)  # the type name as someone typed it
    meal = next(t for t in summarize(demo_db).tickets if t.name == "Meal")
    assert meal.paper_tally == 15 and meal.issued == 0
    with pytest.raises(TicketError):
        enter_ticket_tally(demo_db, "Bicycles", 1)
    with pytest.raises(TicketError):
        enter_ticket_tally(demo_db, "Meal", 0)


def test_paper_kit_lists_everyone_with_codes(
    tmp_path: Path, demo_db: Database, db_path: Path
) -> None:
    if shutil.which("pdftotext") is None:
        pytest.fail("install poppler-utils (bash .ci/system-deps.sh)")
    out = tmp_path / "kit.pdf"
    assert (
        main(["paper-kit", "--db", str(db_path), "--out", str(out), "--passphrase", "secret"]) == 0
    )
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    first = next(iter_attendees(demo_db))
    assert first.display_name in text
    assert first.code[:4] in text
    for heading in ("Walk-ups", "Tickets handed out", "Meal", "Backpack"):
        assert heading in text


def test_paper_entry_command(
    demo_db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "paper-entry",
                "--db",
                str(db_path),
                "--walkup",
                "2,1,0,64132",
                "--tickets",
                "Backpack=4",
            ]
        )
        == 0
    )
    assert "1 households, 4 Backpack" in capsys.readouterr().out
    assert main(["paper-entry", "--db", str(db_path), "--walkup", "two,kids"]) == 1
    assert "ADULTS,KIDS,SENIORS,ZIP" in capsys.readouterr().err
    assert main(["paper-entry", "--db", str(db_path)]) == 1
