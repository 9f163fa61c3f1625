"""Names (issue 14): suffixes, a single Name column, grapheme-safe cuts, search by any part."""

from __future__ import annotations

import unicodedata

import pytest

from checkin.people import attendees
from checkin.people.names import cut_graphemes, grapheme_starts, split_full_name
from checkin.store import Database


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("Darnell Williams Jr.", ("Darnell Jr.", "Williams")),
        ("Darnell Williams, Jr.", ("Darnell Jr.", "Williams")),
        ("Robert King Sr", ("Robert Sr", "King")),
        ("Henry Ford II", ("Henry II", "Ford")),
        ("Louis Martin III", ("Louis III", "Martin")),
        ("John Paul Jones IV", ("John Paul IV", "Jones")),
        ("Ana Sofía Hernández", ("Ana Sofía", "Hernández")),
        ("Williams, Keisha", ("Keisha", "Williams")),
        ("García López, María José", ("María José", "García López")),
        ("Cher", ("Cher", "")),
        ("  Mei   Scott ", ("Mei", "Scott")),
    ],
)
def test_split_full_name(full: str, expected: tuple[str, str]) -> None:
    assert split_full_name(full) == expected


def test_cut_never_splits_a_grapheme() -> None:
    decomposed = "e\u0301\u0323" * 60  # 60 letters, each with two combining marks
    assert cut_graphemes(decomposed, 100) == decomposed  # 180 code points, 60 graphemes
    cut = cut_graphemes(decomposed, 50)
    assert cut == "e\u0301\u0323" * 50
    family = "👨\u200d👩\u200d👧" * 3
    assert len(grapheme_starts(family)) == 3
    assert cut_graphemes(family, 2) == "👨\u200d👩\u200d👧" * 2
    flags = "🇲🇽🇺🇸🇻🇳"
    assert cut_graphemes(flags, 2) == "🇲🇽🇺🇸"
    assert cut_graphemes("👍🏽" * 4, 3) == "👍🏽" * 3


def test_long_name_with_marks_stored_whole_and_found(db: Database) -> None:
    # NFD: 123 code points but 95 letters. It used to be cut at 100 code points, through a
    # letter's marks, and the full name found nobody.
    first = unicodedata.normalize(
        "NFD",
        "Nguyễn Thị Thu Hương Ánh Dương Quỳnh Như Phượng Diễm Ngọc Hằng Lệ Thủy Bảo "
        "Khánh Huyền Tường Vy",
    )
    assert len(first) > 100 > len(grapheme_starts(first))
    long_last = unicodedata.normalize("NFD", "Trần" * 30)  # 120 letters: cut at 100
    info = attendees.register(db, first_name=first, last_name=long_last)
    stored = attendees.get_attendee(db, info.code)
    assert stored is not None
    assert stored.first_name == unicodedata.normalize("NFC", first)
    assert len(grapheme_starts(stored.last_name)) == 100
    assert [hit.code for hit in attendees.search(db, first)] == [info.code]
    assert [hit.code for hit in attendees.search(db, "Hương Ánh")] == [info.code]


def test_search_by_any_part_of_a_name(db: Database) -> None:
    info = attendees.register(db, first_name="Ana Sofía", last_name="García López")
    for query in ("Sofía", "sofia", "lopez", "Garcia Lopez", "Ana"):
        assert [hit.code for hit in attendees.search(db, query)] == [info.code], query
    assert attendees.search(db, "ofia") == []
