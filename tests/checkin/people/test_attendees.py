"""Registering people with as little data as possible, and finding them again."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from checkin.people import attendees
from checkin.people.attendees import InvalidAttendee
from checkin.results import ScanState, Station
from checkin.scanning import ScanEngine
from checkin.store import Database
from checkin.store.models import Attendee, AuditEntry

DESK = Station("Desk 1", volunteer="Ann")


def test_walk_up_with_nothing_but_household_size(db: Database) -> None:
    first = attendees.register(db, DESK, adults=2, kids=1)
    second = attendees.register(db)
    assert (first.adults, first.kids, first.seniors, first.household_size) == (2, 1, 0, 3)
    assert first.first_name == first.last_name == ""
    assert first.display_name == f"Guest #{first.number}"
    assert second.number == first.number + 1
    assert second.household_size == 1  # one adult unless told otherwise
    assert first.source == "walkup"
    assert first.code != second.code and first.code.startswith("A")
    assert attendees.get_attendee(db, first.code) == first


@pytest.mark.parametrize(
    "fields",
    [
        {"adults": 0, "kids": 0, "seniors": 0},
        {"adults": -1},
        {"kids": 31},
        {"adults": "two"},
        {"zip_code": "<script>"},
        {"phone": "816", "email": "not-an-address", "consent": True},
        {"favourite_colour": "blue"},
    ],
)
def test_bad_registration_is_refused_with_a_reason(db: Database, fields: dict[str, Any]) -> None:
    with pytest.raises(InvalidAttendee) as caught:
        attendees.register(db, DESK, **fields)
    assert str(caught.value)
    assert attendees.search(db, "#1") == []


def test_no_consent_no_contact_details_stored(db: Database) -> None:
    info = attendees.register(
        db, DESK, first_name="Ana", phone="(816) 555-0142", email="ana@example.org"
    )
    assert (info.phone, info.email, info.consent) == ("", "", False)
    with db.reading() as session:
        row = session.scalars(select(Attendee)).one()
        assert (row.phone, row.email, row.phone_key) == ("", "", "")
    assert attendees.search(db, "0142") == []


def test_consent_keeps_contact_details(db: Database) -> None:
    info = attendees.register(
        db, DESK, phone="(816) 555-0142", email=" ana@example.org ", consent=True
    )
    assert (info.phone, info.email, info.consent) == ("(816) 555-0142", "ana@example.org", True)


def test_withdrawn_consent_drops_contact_details(db: Database) -> None:
    info = attendees.register(db, DESK, phone="816 555 0142", consent=True)
    updated = attendees.update_attendee(db, info.code, DESK, consent=False)
    assert (updated.phone, updated.email) == ("", "")
    assert attendees.search(db, "0142") == []


def test_names_are_tidied(db: Database) -> None:
    info = attendees.register(db, DESK, first_name="  María \t José ", last_name="Peña")
    assert info.first_name == "María José" and info.display_name == "María José Peña"


def test_update_records_which_fields_changed_not_their_values(db: Database) -> None:
    info = attendees.register(db, DESK, first_name="Ana")
    attendees.update_attendee(db, info.code, DESK, last_name="Secret-Surname", kids=2)
    with db.reading() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "attendee_updated")
        ).one()
        assert "Secret" not in entry.detail
        assert "kids" in entry.detail and "last_name" in entry.detail
    with pytest.raises(InvalidAttendee):
        attendees.update_attendee(db, "A000-0000-0000-0000-0000", DESK, kids=1)


@pytest.fixture
def people(db: Database) -> dict[str, str]:
    rows = {
        "pena": {"first_name": "José", "last_name": "Peña"},
        "garcia": {"first_name": "María", "last_name": "García López"},
        "obrien": {"first_name": "Seán", "last_name": "O'Brien"},
        "johnson": {"first_name": "Marcus", "last_name": "Johnson", "phone": "(816) 555-0142"},
        "jo": {"first_name": "Jo", "last_name": "Martin", "phone": "+1 913 555 7788"},
        "only_first": {"first_name": "Zoë"},
        "guest": {},
    }
    made = {}
    for key, fields in rows.items():
        consent = "phone" in fields
        made[key] = attendees.register(db, DESK, consent=consent, **fields).code  # type: ignore[arg-type]
    return made


def found(db: Database, query: str) -> set[str]:
    return {hit.code for hit in attendees.search(db, query)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pena", {"pena"}),
        ("PEÑA", {"pena"}),
        ("Pe", {"pena"}),
        ("jose", {"pena"}),
        ("josé peña", {"pena"}),
        ("pena jose", {"pena"}),  # surname first
        ("j p", {"pena"}),
        ("garcia", {"garcia"}),
        ("lopez", {"garcia"}),  # any part of a name (issue 14), not only its start
        ("ope", set()),  # but the start of a word: not letters inside one
        ("maria garcia lo", {"garcia"}),
        ("garcia lopez", {"garcia"}),  # a two-word surname
        ("lopez garcia", set()),
        ("maria garcia lopez", {"garcia"}),
        ("o'brien", {"obrien"}),
        ("obrien", {"obrien"}),
        ("O’Brien", {"obrien"}),  # typographic apostrophe
        ("SEAN", {"obrien"}),
        ("zoe", {"only_first"}),
        ("mar", {"garcia", "johnson", "jo"}),  # María, Marcus, Martin
        ("xyz", set()),
        ("  ", set()),
    ],
)
def test_name_search(db: Database, people: dict[str, str], query: str, expected: set[str]) -> None:
    assert found(db, query) == {people[key] for key in expected}


def test_search_by_phone_last_digits(db: Database, people: dict[str, str]) -> None:
    assert found(db, "0142") == {people["johnson"]}
    assert found(db, "555-0142") == {people["johnson"]}
    assert found(db, "(816) 555-0142") == {people["johnson"]}
    assert found(db, "7788") == {people["jo"]}
    assert found(db, "9999") == set()


def test_search_by_code(db: Database, people: dict[str, str]) -> None:
    code = people["guest"]
    assert found(db, code) == {code}
    human = "-".join(code[i : i + 4] for i in range(0, 20, 4))
    assert found(db, human.lower()) == {code}
    assert code in found(db, human[:9])  # a prefix, as typed so far


def test_search_by_number(db: Database, people: dict[str, str]) -> None:
    guest = attendees.get_attendee(db, people["guest"])
    assert guest is not None
    hits = attendees.search(db, f"#{guest.number}")
    assert [h.code for h in hits] == [guest.code]
    assert hits[0].display_name == f"Guest #{guest.number}"
    assert attendees.search(db, "#99999") == []


def test_search_hits_say_who_is_checked_in(db: Database, people: dict[str, str]) -> None:
    assert ScanEngine(db).check_in(people["pena"], DESK).state is ScanState.CHECKED_IN
    (hit,) = attendees.search(db, "peña")
    assert hit.checked_in and hit.household_size == 1
    (other,) = attendees.search(db, "zoe")
    assert not other.checked_in


def test_search_limit_and_order(db: Database) -> None:
    for n in range(60):
        attendees.register(db, DESK, first_name="Sam", last_name=f"Lee {n:02d}")
    hits = attendees.search(db, "sam")
    assert len(hits) == attendees.SEARCH_LIMIT
    assert [h.last_name for h in hits] == sorted(h.last_name for h in hits)
    assert len(attendees.search(db, "sam", limit=5)) == 5


def test_search_non_latin_names(db: Database) -> None:
    made = {
        attendees.register(db, DESK, first_name="Владимир", last_name="Петров").code: "cyrillic",
        attendees.register(db, DESK, first_name="محمد", last_name="علي").code: "arabic",
        attendees.register(db, DESK, first_name="Nguyễn", last_name="Thị Minh").code: "vietnamese",
    }
    by_kind = {kind: code for code, kind in made.items()}
    assert found(db, "петров") == {by_kind["cyrillic"]}
    assert found(db, "ВЛАД") == {by_kind["cyrillic"]}
    assert found(db, "محمد") == {by_kind["arabic"]}
    assert found(db, "nguyen") == {by_kind["vietnamese"]}


def test_fold() -> None:
    assert attendees.fold("  Peña  García ") == "pena garcia"
    assert attendees.fold("O'Brien-Smith") == "obrien smith"
    assert attendees.fold("ÅSTRÖM") == "astrom"
    assert attendees.fold("Straße") == "strasse"
