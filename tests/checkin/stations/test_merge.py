"""Offline stations: station copies, and merging them back into the organiser's file."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from checkin.after_event.summary import Summary, summarize
from checkin.cli import main
from checkin.demo import create_demo
from checkin.event import events
from checkin.people import attendees
from checkin.people.listing import AttendeeRow
from checkin.raffle.draw import draw, raffle_log, verify_draw
from checkin.raffle.prizes import add_prize
from checkin.record.audit import verify
from checkin.results import ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.stations.merge import merge_files, merge_station
from checkin.stations.merge_report import MergeReport
from checkin.stations.station_copy import STATION_BLOCK, MergeRefused, make_station_copy
from checkin.store import (
    AllowanceRule,
    AttendeeSource,
    Database,
    TicketKind,
    online_copy,
    open_database,
)
from checkin.store.models import Attendee, AuditEntry, ScanLog, Ticket
from checkin.ticketing import tickets
from tests.helpers.event_files import copy_event_file, open_new

DESK_1 = Station("desk-1")
DESK_2 = Station("desk-2")
MEAL_2 = Station("desk-2", StationMode.RESOURCE, "Meal")
MEAL_1 = Station("meal-1", StationMode.RESOURCE, "Meal")


@dataclass
class Setup:
    main: Database
    people: list[str]  # attendee codes, pre-registered
    meals: list[str]  # each person's first Meal ticket
    stock: list[str]  # pre-printed Backpack tickets


def _organiser_file(path: Path) -> Setup:
    db = open_new(path)
    events.create_event(db, "Block Party", location="Sycamore Park")
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, issue_at_checkin=True)
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE, rule=AllowanceRule.PER_MEMBER)
    tickets.add_ticket_type(
        db, "Backpack", TicketKind.RESOURCE, rule=AllowanceRule.PER_KID, stock=20
    )
    people, meals = [], []
    for n in range(12):
        person = attendees.register(
            db,
            Station("import"),
            source=AttendeeSource.PREREG,
            first_name=f"P{n}",
            adults=1,
            kids=1,
        )
        people.append(person.code)
        meals.append(tickets.issue_tickets(db, person.code, "Meal").tickets[0].code)
    stock = [t.code for t in tickets.create_stock(db, "Backpack", 5)]
    return Setup(db, people, meals, stock)


def _station_a(db: Database, s: Setup) -> None:
    engine = ScanEngine(db)
    for code in s.people[0:6]:
        assert engine.scan(code, DESK_1).state is ScanState.CHECKED_IN
    walkup = attendees.register(db, DESK_1, kids=2)
    engine.scan(walkup.code, DESK_1)
    bound = engine.scan(s.stock[0], DESK_1, current_attendee=s.people[1])
    assert bound.state is ScanState.TICKET_BOUND


def _station_b(db: Database, s: Setup) -> None:
    engine = ScanEngine(db)
    for code in s.people[4:9]:  # 4 and 5 were also checked in at desk-1
        engine.scan(code, DESK_2)
    walkup = attendees.register(db, DESK_2, adults=2)
    engine.scan(walkup.code, DESK_2)
    engine.scan(s.stock[1], DESK_2, current_attendee=s.people[7])
    for index in (6, 7, 2):  # person 2's meal is also redeemed at meal-1
        engine.scan(s.meals[index], MEAL_2)


def _station_c(db: Database, s: Setup) -> None:
    engine = ScanEngine(db)
    for index in (0, 1, 2, 3):
        engine.scan(s.meals[index], MEAL_1)
    attendees.register(db, MEAL_1, seniors=1)
    engine.scan("hello", MEAL_1)  # a rejected scan is merged too


STATION_WORK: dict[str, Callable[[Database, Setup], None]] = {
    "desk-1": _station_a,
    "desk-2": _station_b,
    "meal-1": _station_c,
}


def _figures(summary: Summary) -> dict[str, object]:
    """What must come out the same whether stations shared one file or merged later."""
    return {
        "registered": summary.registered,
        "households": summary.households_checked_in,
        "people": summary.people_checked_in,
        "adults": summary.adults,
        "kids": summary.kids,
        "seniors": summary.seniors,
        "walkups": summary.walkups,
        "scans": summary.scans,
        "tickets": [(t.name, t.issued, t.redeemed, t.unassigned, t.bound) for t in summary.tickets],
        "zips": summary.zip_codes,
        "prizes": summary.prizes,
    }


Merged = tuple[Setup, Database, list[Path], list[MergeReport]]


@pytest.fixture(scope="module")
def _merged_once(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Setup, list[MergeReport]]:
    """The three stations' day, worked and merged once per module; each test gets copies."""
    folder = tmp_path_factory.mktemp("merged")
    setup = _organiser_file(folder / "main.checkin")
    # The same day in one shared file, for comparison.
    online_copy(setup.main.engine, folder / "single.checkin")
    single = open_database(folder / "single.checkin")
    for name, work in STATION_WORK.items():
        path = folder / f"{name}.checkin"
        make_station_copy(setup.main, path, name)
        station = open_database(path)
        work(station, setup)
        station.dispose()
        work(single, setup)
    reports = merge_files(setup.main, [folder / f"{name}.checkin" for name in STATION_WORK])
    single.dispose()
    setup.main.dispose()
    return folder, setup, reports


@pytest.fixture
def merged(tmp_path: Path, _merged_once: tuple[Path, Setup, list[MergeReport]]) -> Iterator[Merged]:
    folder, built, reports = _merged_once
    for name in ("main", "single", *STATION_WORK):
        copy_event_file(folder / f"{name}.checkin", tmp_path / f"{name}.checkin")
    setup = Setup(open_database(tmp_path / "main.checkin"), built.people, built.meals, built.stock)
    single = open_database(tmp_path / "single.checkin")
    yield setup, single, [tmp_path / f"{name}.checkin" for name in STATION_WORK], reports
    single.dispose()
    setup.main.dispose()


def test_three_stations_merge_into_the_counts_of_one_shared_file(merged: Merged) -> None:
    setup, single, _, reports = merged
    assert _figures(summarize(setup.main)) == _figures(summarize(single))
    figures = summarize(setup.main)
    assert figures.households_checked_in == 11  # persons 0-8 and two walk-ups
    assert figures.walkups == 3
    meal = next(t for t in figures.tickets if t.name == "Meal")
    assert meal.redeemed == 6  # persons 0, 1, 2, 3, 6, 7: person 2's meal once
    raffle = next(t for t in figures.tickets if t.name == "Raffle")
    assert raffle.void == 2  # the second check-ins of persons 4 and 5 handed out raffle tickets
    assert [r.walkups for r in reports] == [1, 1, 1]
    assert verify(setup.main).ok


def test_conflicts_are_listed(merged: Merged) -> None:
    _, _, _, reports = merged
    kinds = [(c.kind, c.subject) for r in reports for c in r.conflicts]
    assert sorted(kinds) == sorted(
        [
            ("checked_in_twice", "Person No. 5"),
            ("checked_in_twice", "Person No. 6"),
            ("redeemed_twice", "Meal ticket No. 5"),
        ]
    )
    redeemed = next(c for r in reports for c in r.conflicts if c.kind == "redeemed_twice")
    assert "desk-2" in redeemed.detail and "meal-1" in redeemed.detail
    assert any("CONFLICT Person No. 5" in line for r in reports for line in r.lines())


def test_both_scans_of_a_twice_redeemed_ticket_are_kept(merged: Merged) -> None:
    setup, _, _, _ = merged
    summary = summarize(setup.main)
    # meal-1 and desk-2 both answered "redeemed" for person 2's meal: both scans are there.
    assert summary.scans_by_state["redeemed"] == 7
    with setup.main.reading() as session:
        ticket = session.scalar(select(Ticket).where(Ticket.code == setup.meals[2]))
        assert ticket is not None and ticket.state == "redeemed"


def test_merging_twice_changes_nothing(merged: Merged) -> None:
    setup, _, paths, _ = merged
    before = summarize(setup.main)
    again = merge_files(setup.main, paths)
    assert all(r.already_merged and not r.changed for r in again)
    assert summarize(setup.main) == before


def test_a_station_that_kept_working_merges_only_what_is_new(merged: Merged) -> None:
    setup, _, paths, _ = merged
    station = open_database(paths[0])
    later = attendees.register(station, DESK_1, first_name="Late")
    station.dispose()
    report = merge_station(setup.main, paths[0])
    assert (report.walkups, report.checkins, report.scans, report.conflicts) == (1, 0, 0, ())
    assert attendees.get_attendee(setup.main, later.code) is not None
    assert verify(setup.main).ok


def test_station_numbers_and_serials_do_not_collide(merged: Merged) -> None:
    setup, _, _, _ = merged
    walkup = attendees.register(setup.main, Station("desk"))  # after the merge
    assert walkup.number == 13  # the organiser's own range continues
    listed = {a.number for a in _all_people(setup.main)}
    assert {STATION_BLOCK + 1, 2 * STATION_BLOCK + 1, 3 * STATION_BLOCK + 1} <= listed
    with setup.main.reading() as session:
        per_type = session.execute(
            select(Ticket.type_id, Ticket.serial, func.count()).group_by(
                Ticket.type_id, Ticket.serial
            )
        ).all()
    assert all(n == 1 for *_, n in per_type)


def _all_people(db: Database) -> list[AttendeeRow]:
    from checkin.people.listing import iter_attendees

    return list(iter_attendees(db))


def test_merged_log_entries_name_the_station_hashes(merged: Merged) -> None:
    setup, _, paths, _ = merged
    station = open_database(paths[2])
    with station.reading() as session:
        original = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "ticket_redeemed")
        ).first()
        assert original is not None
        uid, station_hash = original.uid, original.hash
    station.dispose()
    with setup.main.reading() as session:
        copy = session.scalar(select(AuditEntry).where(AuditEntry.uid == uid))
        assert copy is not None
        assert json.loads(copy.detail)["merged_from"]["hash"] == station_hash
        merges = session.scalar(select(func.count()).where(AuditEntry.action == "station_merged"))
    assert merges == 3


def test_a_file_from_another_event_is_refused(tmp_path: Path, merged: Merged) -> None:
    setup, _, _, _ = merged
    other = create_demo(tmp_path / "other.checkin", attendees=3)
    other.dispose()
    before = summarize(setup.main)
    with pytest.raises(MergeRefused, match="different event"):
        merge_station(setup.main, tmp_path / "other.checkin")
    # Same name, made separately: said so, not "'Block Party', not to 'Block Party'".
    twin = open_new(tmp_path / "twin.checkin")
    events.create_event(twin, "Block Party")
    twin.dispose()
    with pytest.raises(MergeRefused, match="another event of the same name"):
        merge_station(setup.main, tmp_path / "twin.checkin")
    with pytest.raises(MergeRefused, match="is a folder"):
        merge_station(setup.main, tmp_path)
    notes = tmp_path / "notes.txt"
    notes.write_text("not an event", encoding="utf-8")
    with pytest.raises(MergeRefused) as refused:
        merge_station(setup.main, notes)
    assert str(refused.value).count("notes.txt") == 1
    assert summarize(setup.main) == before


def test_claims_and_draws_made_at_stations_come_back(tmp_path: Path) -> None:
    setup = _organiser_file(tmp_path / "main.checkin")
    engine = ScanEngine(setup.main)
    for code in setup.people[:6]:
        engine.scan(code, DESK_1)
    add_prize(setup.main, "Bike", quantity=1)
    add_prize(setup.main, "Zoo pass", quantity=1)
    winner = draw(setup.main, "Bike")
    assert winner.record is not None and winner.record.ticket is not None
    prize_path = tmp_path / "prize.checkin"
    make_station_copy(setup.main, prize_path, "prize table")
    station = open_database(prize_path)
    claimed = ScanEngine(station).scan(
        winner.record.ticket, Station("prize table", StationMode.PRIZE)
    )
    assert claimed.state is ScanState.PRIZE_CLAIMED
    assert draw(station, "Zoo pass").ok
    station.dispose()
    report = merge_station(setup.main, prize_path)
    assert report.draws == 1 and not report.conflicts
    log = raffle_log(setup.main, with_pools=True)
    assert [(r.prize, r.state, r.claimed_station) for r in log] == [
        ("Bike", "claimed", "prize table"),
        ("Zoo pass", "drawn", ""),
    ]
    assert all(verify_draw(r) for r in log)  # recomputable from the merged log
    assert verify(setup.main).ok
    setup.main.dispose()


def test_station_copy_refuses_bad_requests(tmp_path: Path, merged: Merged) -> None:
    setup, _, paths, _ = merged
    with pytest.raises(MergeRefused, match="already exists"):
        make_station_copy(setup.main, paths[0], "desk-9")
    station = open_database(paths[0])
    with pytest.raises(MergeRefused, match="station copy"):
        make_station_copy(station, tmp_path / "x.checkin", "desk-9")
    station.dispose()
    with pytest.raises(MergeRefused, match="itself"):
        merge_station(setup.main, setup.main.path or "")


def test_cli_station_copy_and_merge(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    setup = _organiser_file(tmp_path / "main.checkin")
    setup.main.dispose()
    main_path, copy = tmp_path / "main.checkin", tmp_path / "desk-1.checkin"
    assert (
        main(["station-copy", "--db", str(main_path), "--out", str(copy), "--station", "desk-1"])
        == 0
    )
    assert f"Guest numbers {STATION_BLOCK + 1}" in capsys.readouterr().out
    assert main(["scan", "--db", str(copy), "--station", "desk-1", setup.people[0]]) == 0
    capsys.readouterr()
    assert main(["merge", "--db", str(main_path), str(copy)]) == 0
    out = capsys.readouterr().out
    assert "1 check-ins" in out and "0 conflicts" in out
    assert main(["merge", "--db", str(main_path), str(copy)]) == 0
    assert "already merged" in capsys.readouterr().out
    assert main(["stations", "--db", str(main_path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    desk = next(r for r in rows if r["station"] == "desk-1")
    assert desk["checkins"] == 1
    other = create_demo(tmp_path / "other.checkin", attendees=2)
    other.dispose()
    assert main(["merge", "--db", str(main_path), str(tmp_path / "other.checkin")]) == 1
    assert "different event" in capsys.readouterr().err


def test_a_station_merged_after_the_purge_brings_no_personal_data_back(tmp_path: Path) -> None:
    """A laptop handed in late: its copy still holds the names the organiser has removed."""
    from checkin.after_event.purge import confirmation_phrase, purge_personal_data

    setup = _organiser_file(tmp_path / "main.checkin")
    late = tmp_path / "late.checkin"
    make_station_copy(setup.main, late, "desk-late")
    station = open_database(late)
    engine = ScanEngine(station)
    engine.scan(setup.people[0], DESK_1)
    walkup = attendees.register(
        station, DESK_1, first_name="Rosa", phone="816 555 0101", consent=True, adults=2
    )
    engine.scan(walkup.code, DESK_1)
    engine.scan("BEGIN:VCARD FN:Rosa Diaz TEL:8165550101", DESK_1)
    station.dispose()
    before = summarize(setup.main)
    assert purge_personal_data(setup.main, confirmation_phrase("Block Party")).done

    report = merge_station(setup.main, late)
    assert report.checkins == 2 and report.walkups == 1
    assert any("were not kept" in warning for warning in report.warnings)
    with setup.main.reading() as session:
        people = session.scalars(select(Attendee)).all()
        assert len(people) == 13
        assert all(
            (p.first_name, p.last_name, p.phone, p.email, p.notes, p.consent, p.purged)
            == ("", "", "", "", "", False, True)
            for p in people
        )
        raw = session.scalars(select(ScanLog.raw)).all()
        assert not any("VCARD" in text for text in raw)
    after = summarize(setup.main)
    assert after.households_checked_in == before.households_checked_in + 2
    assert after.walkups == before.walkups + 1
    assert verify(setup.main).ok
    setup.main.dispose()


# --- the order of merging does not matter ---------------------------------------------------


def _station_d(db: Database, s: Setup) -> None:
    """A third desk: more of the same people twice, a ticket bound twice, one cancelled twice."""
    engine = ScanEngine(db)
    for code in (s.people[5], s.people[8], s.people[10]):
        engine.scan(code, DESK_3)
    engine.scan(s.stock[1], DESK_3, current_attendee=s.people[10])  # desk-2 gave it to No. 8
    engine.scan(s.meals[7], MEAL_3)  # desk-2 redeemed it too
    tickets.void_ticket(db, s.meals[11], station=DESK_3)


def _station_e(db: Database, s: Setup) -> None:
    engine = ScanEngine(db)
    for code in (s.people[4], s.people[11]):
        engine.scan(code, DESK_1)
    engine.scan(s.meals[2], MEAL_1)
    tickets.void_ticket(db, s.meals[11], station=DESK_1)


DESK_3 = Station("desk-3")
MEAL_3 = Station("desk-3", StationMode.RESOURCE, "Meal")


def _outcome(db: Database) -> dict[str, Any]:
    """Who is checked in where and when, and every ticket's state, holder and times."""
    from checkin.store.models import CheckIn

    with db.reading() as session:
        people = dict(session.execute(select(Attendee.id, Attendee.uid)).all())
        checkins = sorted(
            (c.uid, people[c.attendee_id], c.station, c.at, c.undone_at)
            for c in session.scalars(select(CheckIn))
        )
        held = sorted(
            (
                t.uid, t.state, people.get(t.attendee_id or 0), t.issued_at, t.issued_station,
                t.redeemed_at, t.redeemed_station, t.voided_at,
            )
            for t in session.scalars(select(Ticket))
        )  # fmt: skip
    return {"checkins": checkins, "tickets": held, "figures": _figures(summarize(db))}


@pytest.mark.slow  # every order of three stations: six merges of three files each
def test_any_order_of_merging_gives_the_same_result(tmp_path: Path) -> None:
    import itertools

    setup = _organiser_file(tmp_path / "main.checkin")
    setup.main.dispose()
    work = {"desk-2": _station_b, "desk-3": _station_d, "desk-1": _station_e}
    paths = []
    for name, task in work.items():
        path = tmp_path / f"{name}.checkin"
        organiser = open_database(tmp_path / "main.checkin")
        make_station_copy(organiser, path, name)
        organiser.dispose()
        station = open_database(path)
        task(station, setup)
        station.dispose()
        paths.append(path)
    outcomes = {}
    conflicts = {}
    for order in itertools.permutations(range(3)):
        copy = tmp_path / f"main-{''.join(map(str, order))}.checkin"
        copy_event_file(tmp_path / "main.checkin", copy)  # with its key file
        db = open_database(copy)
        reports = merge_files(db, [paths[i] for i in order])
        outcomes[order] = _outcome(db)
        conflicts[order] = sorted(c.kind for r in reports for c in r.conflicts)
        db.dispose()
    first = outcomes[(0, 1, 2)]
    assert len(first["checkins"]) > 10 and any(c[4] is not None for c in first["checkins"])
    for order, outcome in outcomes.items():
        assert outcome == first, order
    assert conflicts[(0, 1, 2)] == sorted(
        ["checked_in_twice"] * 3 + ["bound_twice", "redeemed_twice", "redeemed_twice"]
    )
    assert len(set(map(tuple, conflicts.values()))) == 1
