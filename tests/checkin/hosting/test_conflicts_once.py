"""Conflicts once, under the stations that made them, and one check-in per scan: a joined
station's copy is remade from the server, so it also holds what other stations did, and a write
the station gave up on (checkin/hosting/failover.py's deadline) may still have reached the
server before the station redid it on its copy. Event files stand in for the server here: the
merge is the same."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import func, select

from checkin.event import events
from checkin.hosting.local_copy import refresh_copy
from checkin.people import attendees
from checkin.results import ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.stations.merge import merge_station
from checkin.store import AllowanceRule, AttendeeSource, Database, TicketKind, open_database
from checkin.store.models import Attendee, CheckIn
from checkin.ticketing import tickets
from tests.helpers.event_files import open_new

MEAL = "Meal"


def _server(path: Path) -> tuple[Database, list[str], list[str]]:
    db = open_new(path)
    events.create_event(db, "Block Party", location="Sycamore Park")
    tickets.add_ticket_type(db, MEAL, TicketKind.RESOURCE, rule=AllowanceRule.PER_MEMBER)
    people, meals = [], []
    for n in range(4):
        person = attendees.register(
            db, Station("import"), source=AttendeeSource.PREREG, first_name=f"P{n}"
        )
        people.append(person.code)
        meals.append(tickets.issue_tickets(db, person.code, MEAL).tickets[0].code)
    return db, people, meals


def _meal(name: str) -> Station:
    return Station(name, StationMode.RESOURCE, MEAL)


def test_a_conflict_is_listed_under_the_station_that_made_it_only(tmp_path: Path) -> None:
    server, people, meals = _server(tmp_path / "server.checkin")
    copy_a, copy_c = tmp_path / "a.checkin", tmp_path / "c.checkin"
    refresh_copy(server, copy_a, "A")
    refresh_copy(server, copy_c, "C")
    a = open_database(copy_a)
    # A, offline, hands out P0's meal; a moment later B, online, does too.
    assert ScanEngine(a).scan(meals[0], _meal("A")).state is ScanState.REDEEMED
    a.dispose()
    time.sleep(0.01)
    assert ScanEngine(server).scan(meals[0], _meal("B")).state is ScanState.REDEEMED
    refresh_copy(server, copy_c, "C")  # C, online and idle, knows B's redemption
    c = open_database(copy_c)
    # A comes back: its redemption was the first, B's the second: listed once, under A.
    report_a = merge_station(server, copy_a, by="A")
    assert [c.kind for c in report_a.conflicts] == ["redeemed_twice"]
    # C goes offline, checks someone in, comes back: it never touched that ticket.
    assert ScanEngine(c).scan(people[1], Station("C")).state is ScanState.CHECKED_IN
    c.dispose()
    report_c = merge_station(server, copy_c, by="C")
    assert report_c.checkins == 1
    assert report_c.conflicts == ()  # was: "redeemed at A and again at B", under C
    # And A's copy, merged again before it was remade (a second offline spell): not again.
    a = open_database(copy_a)
    assert ScanEngine(a).scan(people[2], Station("A")).state is ScanState.CHECKED_IN
    a.dispose()
    assert merge_station(server, copy_a, by="A").conflicts == ()
    server.dispose()


def test_a_scan_that_reached_the_server_late_is_not_a_second_check_in(tmp_path: Path) -> None:
    server, people, meals = _server(tmp_path / "server.checkin")
    copy = tmp_path / "desk.checkin"
    refresh_copy(server, copy, "desk")
    local = open_database(copy)
    # The desk's write reached the server after the desk had given up on it and done the same
    # scan on its copy, which did not know: one scan, a check-in on each side.
    assert ScanEngine(server).scan(people[0], Station("desk")).state is ScanState.CHECKED_IN
    assert ScanEngine(local).scan(people[0], Station("desk")).state is ScanState.CHECKED_IN
    assert ScanEngine(server).scan(meals[1], _meal("desk")).state is ScanState.REDEEMED
    assert ScanEngine(local).scan(meals[1], _meal("desk")).state is ScanState.REDEEMED
    local.dispose()
    report = merge_station(server, copy, by="desk")
    assert report.conflicts == ()
    with server.reading() as session:
        checkins = session.scalar(
            select(func.count())
            .select_from(CheckIn)
            .join(Attendee, CheckIn.attendee_id == Attendee.id)
            .where(Attendee.code == people[0])
        )
    assert checkins == 1  # was a live and an undone check-in of the same person
    server.dispose()
