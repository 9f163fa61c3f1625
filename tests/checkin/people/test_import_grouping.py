"""Issue 25, item 6: which rows are one household (row, order, family, person), guessed from
the file and said, or chosen; an order listed once with Quantity N is N people."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkin.cli import main
from checkin.people.csv_import import ImportRefused, import_csv, parse_prereg_csv
from checkin.store import Database
from tests.helpers.import_samples import SAMPLES, people, total_people

PRETIX = SAMPLES / "pretix-order-positions.csv"
SIGNUPS = SAMPLES / "signupgenius-report.csv"
EVENTBRITE = SAMPLES / "eventbrite-attendees.csv"


def households(db: Database) -> list[tuple[str, str, int, int, int]]:
    return people(db, "first_name", "last_name", "adults", "kids", "seniors")


def test_pretix_positions_of_one_family_are_one_household(db: Database) -> None:
    # The old import made a household of each position: Grace, Tom and Lily were three.
    report = import_csv(db, PRETIX)
    parsed = report.parsed
    assert (parsed.grouping, parsed.grouping_guessed) == ("family", True)
    assert households(db) == [
        ("Grace", "Nguyen", 2, 1, 0),  # Tom and Lily (a Child ticket) joined her
        ("Sam", "Ortiz", 1, 0, 0),
        ("Irene", "Walsh", 1, 0, 0),  # another surname in Sam's order: her own household
        ("Rita", "Solís", 1, 0, 0),
    ]
    assert parsed.joined == (3, 4)
    assert any(note.startswith("households: a row per person") for note in parsed.notes)
    assert "imported 4 of 8 rows" in report.summary()[0]


def test_pretix_grouped_by_order_or_by_row(db: Database, tmp_path: Path) -> None:
    by_order = parse_prereg_csv(PRETIX, group="order")
    assert [(r.first_name, r.household_size) for r in by_order.rows] == [
        ("Grace", 3),
        ("Sam", 2),  # Irene counted in Sam's order
        ("Rita", 1),
    ]
    assert not by_order.grouping_guessed
    by_row = parse_prereg_csv(PRETIX, group="row")
    assert len(by_row.rows) == 6


def test_sign_up_slots_of_one_person_are_one_household(db: Database) -> None:
    # The old import made a household of each slot, with Qty read as adults.
    report = import_csv(db, SIGNUPS)
    assert report.parsed.grouping == "person"
    assert households(db) == [
        ("Ana", "Flores", 2, 1, 0),  # Adults 2, Kids 1; the potluck dish is no one
        ("Joy", "Bell", 1, 0, 0),
        ("Raj", "Mehta", 1, 0, 0),  # only a dish: himself
        ("Lena", "Ortiz", 2, 3, 0),
    ]
    assert total_people(db) == 10


def test_sign_up_slots_read_a_row_each_when_asked() -> None:
    parsed = parse_prereg_csv(SIGNUPS, group="row")
    assert len(parsed.rows) == 7


def test_eventbrite_order_listed_once_with_quantity_is_that_many(db: Database) -> None:
    report = import_csv(db, EVENTBRITE)
    assert report.parsed.grouping == "family"
    assert households(db) == [
        ("Omar", "Haddad", 3, 0, 0),  # order 3001: one row, Quantity 3 (was 1 person)
        ("Keisha", "Brown", 2, 1, 0),  # order 3002: a row each, Tia on a Child ticket
        ("Linh", "Tran", 1, 0, 0),
    ]


def test_one_order_one_address_different_surnames(tmp_path: Path) -> None:
    path = tmp_path / "positions.csv"
    path.write_text(
        "Order code,Attendee name,Address\n"
        "X1,Ana Diaz,12 Elm St 64129\n"
        "X1,Bo Perez,12 Elm St 64129\n"
        "X1,Cy Young,40 Oak St 64130\n",
        encoding="utf-8",
    )
    parsed = parse_prereg_csv(path, group="family")
    assert [(r.first_name, r.household_size) for r in parsed.rows] == [
        ("Ana", 1),
        ("Bo", 1),
        ("Cy", 1),
    ]  # surnames first: Diaz and Perez differ


def test_a_form_is_a_row_per_household(tmp_path: Path) -> None:
    path = tmp_path / "form.csv"
    path.write_text("Name,Adults\nAna Diaz,2\nAna Diaz,2\n", encoding="utf-8")
    assert parse_prereg_csv(path).grouping == "row"


def test_unknown_grouping_is_refused() -> None:
    with pytest.raises(ImportRefused, match="row, order, family, person"):
        parse_prereg_csv(PRETIX, group="street")


def test_cli_group(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new-event", "--db", str(db_path), "--name", "Party"]) == 0
    assert main(["import", "--db", str(db_path), "--dry-run", str(PRETIX)]) == 0
    out, err = capsys.readouterr()
    assert "households: a row per person; rows of one order with the same surname" in err
    assert "guessed: order numbers repeat" in err
    assert "would import 4 of 8 rows" in out
    assert main(["import", "--db", str(db_path), "--group", "order", str(PRETIX)]) == 0
    out, err = capsys.readouterr()
    assert "imported 3 of 8 rows" in out
    assert "guessed" not in err
