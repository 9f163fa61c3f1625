"""Issue 25, item 3: household sizes written in words (English and Spanish) with the split
kept, the header words that name a size, and a size smaller than the kids beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkin.people.csv_import import import_csv, parse_prereg_csv
from checkin.people.import_headers import guess_field
from checkin.people.size_words import Size, read_size
from checkin.store import Database
from tests.helpers.import_samples import SAMPLES, people, total_people


@pytest.mark.parametrize(
    ("written", "size"),
    [
        ("2 adults 3 kids", Size(5, 2, 3)),
        ("2 adults, 3 kids", Size(5, 2, 3)),
        ("4 (2 adults, 2 kids)", Size(4, 2, 2)),
        ("5 (2 adultos, 3 niños)", Size(5, 2, 3)),
        ("two adults and three children", Size(5, 2, 3)),
        ("dos adultos y tres niños", Size(5, 2, 3)),
        ("1 adulto mayor y 2 niños", Size(3, None, 2, 1)),
        ("1 adult, 1 senior", Size(2, 1, None, 1)),
        ("me + 2 kids", Size(3, 1, 2)),
        ("3 (1 baby)", Size(3, None, 1)),
        ("2 (1 bebé)", Size(2, None, 1)),
        ("2+2", Size(4)),
        ("2 & 1", Size(3)),
        ("just me", Size(1, 1)),
        ("Just Me!", Size(1, 1)),
        ("solo yo", Size(1, 1)),
        ("Sólo yo", Size(1, 1)),
        ("5 people", Size(5)),
        ("3 personas", Size(3)),
        ("3 of us", Size(3)),
        ("cuatro", Size(4)),
        ("ninguno", Size(0)),
        ("n/a", Size(None)),
        ("N/A", Size(None)),
        ("4", Size(4)),
    ],
)
def test_sizes_in_words(written: str, size: Size) -> None:
    assert read_size(written) == size


@pytest.mark.parametrize("written", ["5 dogs", "me and my wife", "5 6", "lots"])
def test_words_not_understood_are_not_guessed(written: str) -> None:
    assert read_size(written) is None


@pytest.mark.parametrize(
    "title",
    [
        "how many",
        "How many?",
        "How many coming",
        "#",
        "people",
        "People",
        "personas",
        "Cuántos",
        "¿Cuántos vienen?",
        "# of people",
        "Number of people",
    ],
)
def test_header_words_for_a_size(title: str) -> None:
    assert guess_field(title)[0] == "household_size"


@pytest.mark.parametrize(("title", "field"), [("Order #", "order_ref"), ("How many kids", "kids")])
def test_header_words_that_are_not_the_size(title: str, field: str) -> None:
    assert guess_field(title)[0] == field


def test_typed_paper_sign_in_sheet(db: Database) -> None:
    # "how many" was not recognised and every size in words was read as 1 or rejected.
    report = import_csv(db, SAMPLES / "paper-signin.ods")
    assert report.parsed.columns["household_size"] == "how many"
    assert report.parsed.problems == ()
    assert people(db, "first_name", "adults", "kids") == [
        ("Ana", 2, 3),  # 2 adults 3 kids
        ("Bilal", 2, 2),  # 4 (2 adults, 2 kids)
        ("Joy", 1, 0),  # just me
        ("Carmen", 4, 0),  # 2+2
        ("Dev", 2, 1),  # 3 (1 baby)
        ("Hana", 1, 0),  # n/a: not given, one adult as with a blank
        ("Omar", 3, 0),
        ("Tess", 2, 3),  # two adults and three children
    ]
    assert total_people(db) == 26


def test_spanish_sheet_size_smaller_than_kids_is_the_adults(db: Database) -> None:
    report = import_csv(db, SAMPLES / "google-sheet-es.csv")
    assert people(db, "first_name", "adults", "kids") == [
        ("Lucía", 2, 3),  # "Personas en el hogar" 2 with "Niños" 3: 2 adults (was 0)
        ("Pedro", 2, 3),  # 5 (2 adultos, 3 niños)
        ("Rocío", 1, 0),  # solo yo
        ("Andrés", 2, 2),  # cuatro, 2 niños
        ("Elena", 1, 1),  # n/a with 1 niño
    ]
    assert dict(report.parsed.repairs)[
        "household size smaller than the kids and seniors beside it: read as the adults"
    ] == (2,)


def test_a_row_number_column_headed_hash_is_not_a_size(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("#,Name\n1,Ana Diaz\n2,Bo Li\n3,Cy Young\n", encoding="utf-8")
    parsed = parse_prereg_csv(path)
    assert "household_size" not in parsed.columns
    assert [r.adults for r in parsed.rows] == [1, 1, 1]
    assert any("numbers the rows" in note for note in parsed.file_notes)


def test_a_hash_column_of_sizes_is_read(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Name,#\nAna Diaz,3\nBo Li,1\nCy Young,2 adults 2 kids\n", encoding="utf-8")
    parsed = parse_prereg_csv(path)
    assert [(r.adults, r.kids) for r in parsed.rows] == [(3, 0), (1, 0), (2, 2)]


def test_n_a_in_a_kids_column_is_not_a_rejection(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Name,Adults,Kids\nAna Diaz,2,n/a\n", encoding="utf-8")
    parsed = parse_prereg_csv(path)
    assert parsed.problems == ()
    assert [(r.adults, r.kids) for r in parsed.rows] == [(2, 0)]
