"""What each kind of scan costs the database: statements on SQLite, round trips and
statements on PostgreSQL. A change that adds a statement or a round trip to a scan fails here
(an executemany counts once)."""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from checkin.event import events
from checkin.people import attendees
from checkin.results import ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import AllowanceRule, Database, TicketKind, open_database
from checkin.ticketing import tickets
from tests.helpers.event_files import open_new
from tests.helpers.net_proxy import Proxy, proxied
from tests.helpers.pg_support import fresh_database, require_pg_url

DESK = Station("Desk 1", volunteer="Ana")
MEAL = Station("Meal tent", StationMode.RESOURCE, "Meal")


def _party(db: Database) -> None:
    events.create_event(db, "Count Party")
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, issue_at_checkin=True)
    tickets.add_ticket_type(
        db, "Meal", TicketKind.RESOURCE, rule=AllowanceRule.PER_MEMBER, issue_at_checkin=True
    )
    tickets.add_ticket_type(db, "Backpack", TicketKind.RESOURCE, stock=10)


_LITERALS = re.compile(r"'[^']*'|\b\d+(\.\d+)?\b")


def _collapsed(statements: list[str]) -> list[str]:
    """One entry per statement, an executemany's runs of the same statement counted once."""
    out: list[str] = []
    for sql in statements:
        if not out or out[-1] != sql:
            out.append(sql)
    return out


class _Traced:
    """Every statement SQLite runs on the event's connections."""

    def __init__(self, db: Database) -> None:
        self.statements: list[str] = []
        event.listen(db.engine.pool, "connect", self._connected)
        db.dispose()  # new connections, traced from the start

    def _connected(self, driver: Any, _record: Any) -> None:
        driver.set_trace_callback(self.statements.append)

    def during(self, work: Any) -> list[str]:
        self.statements.clear()
        work()
        # An executemany's runs differ only in their values.
        return _collapsed([_LITERALS.sub("?", s) for s in self.statements])


@pytest.fixture
def sqlite_party(tmp_path: Path) -> Iterator[Database]:
    db = open_new(tmp_path / "count.checkin")
    _party(db)
    yield db
    db.dispose()


def test_sqlite_statements_per_scan_kind(sqlite_party: Database) -> None:
    db = sqlite_party
    engine = ScanEngine(db)
    people = [attendees.register(db, DESK, first_name=f"P{n}", adults=3).code for n in range(3)]
    engine.scan(people[0], DESK)  # the engine's first scan loads the event's settings
    backpack = tickets.create_stock(db, "Backpack", 1)[0].code
    ScanEngine(db).check_in(people[2], DESK)
    traced = _Traced(db)
    checkin: list[Any] = []
    statements = traced.during(lambda: checkin.append(engine.scan(people[1], DESK)))
    assert checkin[0].state is ScanState.CHECKED_IN and len(checkin[0].issued) == 4
    # BEGIN IMMEDIATE, person, their tickets, serials, check-in, serials, tickets, audit,
    # scan log, COMMIT
    assert len(statements) == 10, "\n".join(traced.statements)
    meal = checkin[0].issued[1].code
    assert len(traced.during(lambda: engine.scan(meal, MEAL))) == 7  # read x2, update, 2 logs
    bound = traced.during(lambda: engine.scan(backpack, DESK, current_attendee=people[1]))
    assert len(bound) == 10, bound  # ticket, holder's, person, theirs, stock, bind, logs
    # A refusal and a repeat: begin, the chain's head, the entry sealing the log row, the
    # log row, commit (deleting a scan's row shows in `checkin verify`). A refusal first looks
    # for the text among the codes imported from registration tools (issue 25): one read more.
    assert len(traced.during(lambda: engine.scan("https://example.org", DESK))) == 6
    assert len(traced.during(lambda: engine.scan(people[1], DESK))) == 5  # a repeat: its log
    already = traced.during(lambda: engine.scan(people[2], DESK))
    assert len(already) == 7  # begin, person, tickets, serials, audit, log, commit


def _messages(trace: list[tuple[int, bytes]]) -> tuple[list[str], int]:
    """The statements a client sent (one per Parse or Bind; an executemany's binds of one
    statement counted once) and the round trips they took."""
    statements: list[str] = []
    queries: dict[bytes, str] = {}  # prepared statement name -> its query ("": the unnamed one)
    trips: dict[int, bytes] = {}
    for number, chunk in trace:  # a message may span chunks, never trips
        trips[number] = trips.get(number, b"") + chunk
    for data in trips.values():
        i = 0
        while i + 5 <= len(data):
            kind = chr(data[i])
            length = struct.unpack("!I", data[i + 1 : i + 5])[0]
            body = data[i + 5 : i + 1 + length]
            if kind == "P":
                name, prepared = body.split(b"\0")[:2]
                queries[name] = prepared.decode("utf-8", "replace")
            if kind == "B":  # one execution: of a statement prepared now or in an earlier scan
                name = body.split(b"\0")[1]
                query = queries.get(name, name.decode()) + "#"
                if not statements or statements[-1] != query:
                    statements.append(query)
            i += 1 + length
    return [s.rstrip("#") for s in statements], len(trips)


@pytest.fixture
def pg_party() -> Iterator[tuple[str, Proxy]]:
    with fresh_database(require_pg_url()) as url:
        db = open_database(url, create=True)
        _party(db)
        db.dispose()
        port = make_url(url).port
        assert port is not None
        with proxied(port) as proxy:
            yield proxy.url(url), proxy


@pytest.mark.postgres
def test_postgres_round_trips_per_scan_kind(pg_party: tuple[str, Proxy]) -> None:
    url, proxy = pg_party
    db = open_database(url)
    try:
        engine = ScanEngine(db)
        people = [attendees.register(db, DESK, first_name=f"P{n}", adults=3).code for n in range(3)]
        engine.scan(people[0], DESK)  # connects, loads the event's settings
        backpack = tickets.create_stock(db, "Backpack", 1)[0].code
        ScanEngine(db).check_in(people[2], DESK)

        def costs(work: Any) -> tuple[int, int]:
            proxy.trace = []
            proxy.round_trips = 0
            work()
            statements, trips = _messages(proxy.trace)
            assert trips == proxy.round_trips
            return len(statements), trips

        answers: list[Any] = []
        # BEGIN, lock, person, tickets, serials | check-in, serials, tickets, audit, log, COMMIT
        assert costs(lambda: answers.append(engine.scan(people[1], DESK))) == (11, 2)
        assert answers[0].state is ScanState.CHECKED_IN and len(answers[0].issued) == 4
        meal = answers[0].issued[1].code
        assert costs(lambda: answers.append(engine.scan(meal, MEAL))) == (8, 3)
        assert answers[-1].state is ScanState.REDEEMED
        bound = costs(
            lambda: answers.append(engine.scan(backpack, DESK, current_attendee=people[1]))
        )
        assert answers[2].state is ScanState.TICKET_BOUND
        assert bound == (11, 4)  # + the stock count and the conditional update's answer
        # BEGIN, lock, the imported registration tools' codes (issue 25) | head | audit, log,
        # COMMIT
        assert costs(lambda: engine.scan("https://example.org", DESK)) == (7, 3)
        assert costs(lambda: engine.scan(people[2], DESK)) == (8, 2)  # already checked in
        assert costs(lambda: engine.scan(people[2], DESK)) == (6, 2)  # a repeat: its log
    finally:
        db.dispose()
