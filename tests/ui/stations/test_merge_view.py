"""The Merge screen: station copies before the event, merging with conflicts after."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from checkin.after_event.summary import summarize
from checkin.event import events
from checkin.people import attendees
from checkin.results import ScanState, Station
from checkin.scanning import ScanEngine
from checkin.stations.station_copy import make_station_copy
from checkin.store import AttendeeSource, Database, open_database
from tests.helpers.desk_helpers import answer_lock
from tests.helpers.event_files import open_new
from ui.core.context import EventContext
from ui.stations.merge_view import MergeView

pytestmark = pytest.mark.gui


@pytest.fixture
def people(db: Database) -> list[str]:
    return [
        attendees.register(db, source=AttendeeSource.PREREG, first_name=f"P{n}").code
        for n in range(4)
    ]


def _station(main: Database, path: Path, name: str, codes: list[str]) -> Path:
    make_station_copy(main, path, name)
    station = open_database(path)
    engine = ScanEngine(station)
    for code in codes:
        assert engine.scan(code, Station(name)).state is ScanState.CHECKED_IN
    station.dispose()
    return path


def _view(qtbot: QtBot, context: EventContext) -> MergeView:
    view = MergeView(context)
    qtbot.addWidget(view)
    view.show()
    return view


def test_merging_lists_what_came_in_and_the_conflicts(
    qtbot: QtBot, db: Database, people: list[str], tmp_path: Path
) -> None:
    a = _station(db, tmp_path / "a.checkin", "desk-1", people[:3])
    b = _station(db, tmp_path / "b.checkin", "desk-2", people[2:])
    context = EventContext(db, Station("organiser"))
    assert context.unlock("secret")
    view = _view(qtbot, context)
    view.add_files([a, b, a])  # the same file twice is listed once
    assert view.files.count() == 2
    with qtbot.waitSignal(context.changed, timeout=20_000):
        view.merge_button.click()
    text = view.output.toPlainText()
    assert "desk-1: 0 walk-ups, 3 check-ins" in text
    assert "CONFLICT Person No. 3" in text  # checked in at both desks
    assert view.status.text() == "2 files merged, 1 conflicts, 0 refused"
    assert summarize(db).households_checked_in == 4
    with qtbot.waitSignal(context.changed, timeout=20_000):
        view.merge_button.click()
    assert view.output.toPlainText().count("already merged, nothing to do") == 2
    assert summarize(db).households_checked_in == 4


def test_merging_needs_the_organiser(
    qtbot: QtBot,
    db: Database,
    people: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a = _station(db, tmp_path / "a.checkin", "desk-1", people[:2])
    context = EventContext(db, Station("desk-1"))
    view = _view(qtbot, context)
    view.add_files([a])
    answer_lock(monkeypatch, "nope")
    view.merge_button.click()
    assert view.status.text() == "Still locked: nothing was merged."
    assert summarize(db).households_checked_in == 0


def test_a_foreign_file_is_refused_and_the_others_still_merge(
    qtbot: QtBot, db: Database, people: list[str], tmp_path: Path
) -> None:
    a = _station(db, tmp_path / "a.checkin", "desk-1", people[:1])
    other = open_new(tmp_path / "other.checkin")
    events.create_event(other, "Another Party")
    other.dispose()
    context = EventContext(db, Station("organiser"))
    context.unlock("secret")
    view = _view(qtbot, context)
    view.add_files([tmp_path / "other.checkin", a])
    with qtbot.waitSignal(context.changed, timeout=20_000):
        view.start_merge()
    assert "other.checkin: NOT merged" in view.output.toPlainText()
    assert "different event" in view.output.toPlainText()
    assert view.status.text() == "1 files merged, 0 conflicts, 1 refused"
    assert summarize(db).households_checked_in == 1


def test_a_station_copy_from_the_screen(
    qtbot: QtBot, db: Database, people: list[str], tmp_path: Path
) -> None:
    context = EventContext(db, Station("organiser"))
    context.unlock("secret")
    view = _view(qtbot, context)
    view.make_copy("meal", tmp_path / "meal.checkin")
    assert "Station copy for meal saved" in view.status.text()
    copy = open_database(tmp_path / "meal.checkin")
    assert summarize(copy).registered == 4
    walkup = attendees.register(copy, Station("meal"))
    assert walkup.number == 100_001
    copy.dispose()


def test_corrections_made_at_a_station_are_counted_on_screen(
    qtbot: QtBot, db: Database, people: list[str], tmp_path: Path
) -> None:
    from checkin.people.edits import edit_person

    copy = _station(db, tmp_path / "a.checkin", "desk-1", people[:1])
    station = open_database(copy)
    edit_person(station, people[0], Station("desk-1"), kids=2)
    edit_person(station, people[1], Station("desk-1"), first_name="Rosa")
    station.dispose()
    context = EventContext(db, Station("organiser"))
    assert context.unlock("secret")
    view = _view(qtbot, context)
    view.add_files([copy])
    with qtbot.waitSignal(context.changed, timeout=20_000):
        view.merge_button.click()
    assert "2 households corrected at the station" in view.output.toPlainText()
    assert attendees.get_attendee(db, people[0]).kids == 2  # type: ignore[union-attr]
