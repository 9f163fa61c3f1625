"""A correction made at a station (the person window, `checkin person --set`) comes back at the
merge: a tester changed a household's size on a station copy and the organiser's file kept the
old one, so its people and ticket figures were wrong after the merge."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from checkin.people.edits import edit_person
from checkin.results import Station
from checkin.stations.merge import merge_station
from checkin.stations.station_copy import make_station_copy
from checkin.store import Database, open_database
from checkin.store.models import Attendee, PersonEdit
from tests.checkin.stations.test_merge import _organiser_file

DESK_2 = Station("desk-2")


def _person(db: Database, code: str) -> Attendee:
    with db.reading() as session:
        person = session.scalar(select(Attendee).where(Attendee.code == code))
        assert person is not None
        session.expunge(person)
        return person


def _edits(db: Database) -> int:
    with db.reading() as session:
        return len(session.scalars(select(PersonEdit)).all())


def test_a_size_corrected_at_a_station_is_taken_at_the_merge(tmp_path: Path) -> None:
    setup = _organiser_file(tmp_path / "main.checkin")
    copy = tmp_path / "desk-2.checkin"
    make_station_copy(setup.main, copy, "desk-2")
    station = open_database(copy)
    first, second = setup.people[0], setup.people[1]
    edit_person(station, first, DESK_2, kids=3)  # 1 kid: 3 came
    edit_person(station, first, DESK_2, kids=4, zip_code="64130")  # and then one more
    edit_person(station, second, DESK_2, first_name="Peter")
    station.dispose()

    report = merge_station(setup.main, copy)

    person = _person(setup.main, first)
    assert (person.adults, person.kids, person.zip_code) == (1, 4, "64130")
    assert _person(setup.main, second).first_name == "Peter"
    assert report.details_edited == 2  # households
    assert report.conflicts == ()
    assert _edits(setup.main) == 3  # the station's edits, for the person's history
    again = merge_station(setup.main, copy)
    assert again.already_merged or again.details_edited == 0


def test_a_field_changed_in_both_files_keeps_the_organisers_and_says_so(tmp_path: Path) -> None:
    setup = _organiser_file(tmp_path / "main.checkin")
    copy = tmp_path / "desk-2.checkin"
    make_station_copy(setup.main, copy, "desk-2")
    code = setup.people[2]
    station = open_database(copy)
    edit_person(station, code, DESK_2, kids=2, first_name="Ana")
    station.dispose()
    edit_person(setup.main, code, Station("organiser"), kids=5)  # the organiser changed it too

    report = merge_station(setup.main, copy)

    person = _person(setup.main, code)
    assert person.kids == 5  # the organiser's file wins where both changed it
    assert person.first_name == "Ana"  # what only the station changed is taken
    assert [c.kind for c in report.conflicts] == ["edited_twice"]
    assert "kids" in report.conflicts[0].detail and "2" in report.conflicts[0].detail


def test_the_merged_corrections_verify(tmp_path: Path) -> None:
    """The figures the corrections change are sealed: `verify` stays OK after the merge."""
    from checkin.record.audit import verify

    setup = _organiser_file(tmp_path / "main.checkin")
    copy = tmp_path / "desk-2.checkin"
    make_station_copy(setup.main, copy, "desk-2")
    station = open_database(copy)
    edit_person(station, setup.people[0], DESK_2, kids=3, adults=2)
    edit_person(station, setup.people[3], DESK_2, seniors=1)
    station.dispose()
    edit_person(setup.main, setup.people[3], Station("organiser"), seniors=2)

    merge_station(setup.main, copy)

    report = verify(setup.main)
    assert report.ok, report
