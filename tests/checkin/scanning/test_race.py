"""Several processes (station laptops sharing one SQLite file) scanning the same codes at the
same moment: every ticket is redeemed exactly once, every person checked in exactly once."""

from __future__ import annotations

import multiprocessing
import random
from collections import Counter
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin.event.events import create_event, get_event, load_event
from checkin.people.attendees import insert_attendee
from checkin.record.audit import verify
from checkin.results import Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import AttendeeSource, TicketKind, open_database
from checkin.store.models import AuditEntry, CheckIn, ScanLog, Ticket, TicketType
from checkin.ticketing import tickets
from checkin.ticketing.tickets import issue_in_session
from tests.helpers.event_files import open_new

pytestmark = pytest.mark.slow

PROCESSES = 4
TICKETS = 50
PEOPLE = 30


Phase = tuple[str, str, str | None, list[str]]  # station name, mode, ticket type, codes


def station_worker(
    phases: list[Phase], path: str, seed: int, barrier: Barrier, results: Any
) -> None:
    """One station laptop: opens the file itself; before each phase it waits for the others,
    then scans every code of the phase once, in its own order."""
    db = open_database(path)
    engine = ScanEngine(db)
    get_event(db)  # connected before the start, so the race is in the scans
    rng = random.Random(seed)  # test data only
    answers: list[tuple[str, str, str]] = []
    for name, mode, ticket_type, codes in phases:
        where = Station(name, StationMode(mode), ticket_type)
        order = list(codes)
        rng.shuffle(order)
        barrier.wait(timeout=60)
        answers += [(name, code, engine.scan(code, where).state.value) for code in order]
    db.dispose()
    results.put(answers)


@pytest.fixture(scope="module")
def raced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], list[str], list[Any]]:
    """One file, four station processes: first all check in the same people at their desks,
    then all redeem the same meal tickets at their meal tables."""
    path = tmp_path_factory.mktemp("race") / "shared.checkin"
    db = open_new(path)
    create_event(db, "Race")
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, issue_at_checkin=True)
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE)

    def setup(session: Session) -> tuple[list[str], list[str]]:
        event = load_event(session)
        meal = session.scalars(select(TicketType).where(TicketType.name == "Meal")).one()
        people, meals = [], []
        for n in range(PEOPLE + TICKETS):
            person = insert_attendee(
                session, event, source=AttendeeSource.PREREG, first_name=f"P{n}"
            )
            if n < PEOPLE:
                people.append(person.code)
            else:
                issued = issue_in_session(session, person, meal, 1, Station("setup"))
                meals.append(issued.tickets[0].code)
        return people, meals

    people, meals = db.write(setup)
    db.dispose()

    context = multiprocessing.get_context("spawn")  # as on Windows and macOS
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    workers = []
    for n in range(PROCESSES):
        phases: list[Phase] = [
            (f"Desk {n}", "desk", None, people),
            (f"Meal {n}", "resource", "Meal", meals),
        ]
        workers.append(
            context.Process(target=station_worker, args=(phases, str(path), n, barrier, results))
        )
    for worker in workers:
        worker.start()
    collected = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    return path, people, meals, collected


def tally(collected: list[Any], codes: list[str]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {code: Counter() for code in codes}
    for answers in collected:
        for _, code, state in answers:
            if code in counts:
                counts[code][state] += 1
    return counts


def test_each_ticket_is_redeemed_exactly_once(
    raced: tuple[Path, list[str], list[str], list[Any]],
) -> None:
    path, _, meals, collected = raced
    for code, states in tally(collected, meals).items():
        assert states == Counter({"redeemed": 1, "already_redeemed": PROCESSES - 1}), code
    db = open_database(path)
    with db.reading() as session:
        redeemed = dict(
            session.execute(
                select(Ticket.redeemed_station, func.count())
                .where(Ticket.state == "redeemed")
                .group_by(Ticket.redeemed_station)
            ).all()
        )
        audits = session.scalar(select(func.count()).where(AuditEntry.action == "ticket_redeemed"))
    db.dispose()
    assert sum(redeemed.values()) == TICKETS == audits
    winners = Counter(name for answers in collected for name, _, s in answers if s == "redeemed")
    assert dict(winners) == redeemed  # what each screen said is what the file holds


def test_each_person_is_checked_in_exactly_once(
    raced: tuple[Path, list[str], list[str], list[Any]],
) -> None:
    path, people, _, collected = raced
    for code, states in tally(collected, people).items():
        assert states == Counter({"checked_in": 1, "already_checked_in": PROCESSES - 1}), code
    db = open_database(path)
    with db.reading() as session:
        assert session.scalar(select(func.count(CheckIn.id))) == PEOPLE
        # the raffle ticket every household gets at check-in was handed out once, not 4 times
        raffle = select(func.count(Ticket.id)).join(TicketType).where(TicketType.kind == "raffle")
        assert session.scalar(raffle) == PEOPLE
    db.dispose()


def test_every_scan_is_logged_and_the_chain_holds(
    raced: tuple[Path, list[str], list[str], list[Any]],
) -> None:
    path, people, meals, _ = raced
    db = open_database(path)
    with db.reading() as session:
        scans = session.scalar(select(func.count(ScanLog.id)))
    assert scans == PROCESSES * (len(people) + len(meals))
    assert verify(db).ok  # concurrent appenders did not fork the audit chain
    db.dispose()
