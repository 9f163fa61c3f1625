"""Shared-server mode: the same services and migrations on PostgreSQL, exactly-once across
station processes (on PostgreSQL and on one SQLite file), and an unreachable server.

Needs CHECKIN_TEST_PG_URL (`eval "$(bash .ci/start-postgres.sh)"`): without it these tests fail
in CI and skip on a developer's machine (tests/helpers/pg_support.require_pg_url).
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text

from checkin.after_event.summary import summarize
from checkin.cli import main
from checkin.event import events
from checkin.people import attendees
from checkin.record.audit import verify
from checkin.results import NotSavedParams, ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import Database, TicketKind, head_revision, open_database
from checkin.store.models import AuditEntry, CheckIn, Ticket
from checkin.ticketing import tickets
from tests.helpers.outcomes import params_of
from tests.helpers.pg_support import fresh_database, require_pg_url
from tests.helpers.race_workers import scan_all

pytestmark = pytest.mark.postgres

STATIONS = 4


@pytest.fixture(params=["postgres", "sqlite"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "shared.checkin")
        return
    with fresh_database(require_pg_url()) as url:
        yield url


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_database(require_pg_url()) as url:
        yield url


def _event(location: str, people: int) -> tuple[Database, list[str], list[str]]:
    """An event with ``people`` households, each holding one Meal ticket."""
    db = open_database(location, create=True)
    events.create_event(db, "Race Party")
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE)
    people_codes, meal_codes = [], []
    for n in range(people):
        person = attendees.register(db, Station("setup"), first_name=f"P{n}")
        people_codes.append(person.code)
        meal_codes += [t.code for t in tickets.issue_tickets(db, person.code, "Meal").tickets]
    return db, people_codes, meal_codes


def _race(
    location: str, mode: str, ticket_type: str | None, codes: list[str]
) -> dict[str, list[object]]:
    """Every station scans every code at the same moment; what each screen showed."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(STATIONS)
    queue = context.Queue()
    processes = [
        context.Process(
            target=scan_all,
            args=(location, f"station-{k}", mode, ticket_type, codes, barrier, queue),
        )
        for k in range(STATIONS)
    ]
    for process in processes:
        process.start()
    try:
        shown = dict(queue.get(timeout=120) for _ in processes)
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    assert all(p.exitcode == 0 for p in processes)
    return shown


@pytest.mark.slow
def test_redeeming_from_several_processes_succeeds_exactly_once(location: str) -> None:
    db, _, meals = _event(location, 12)
    shown = _race(location, "resource", "Meal", meals)
    for index in range(len(meals)):
        answers = Counter(states[index] for states in shown.values())
        assert answers == {"redeemed": 1, "already_redeemed": STATIONS - 1}
    with db.reading() as session:
        assert session.scalar(select(func.count()).where(Ticket.state == "redeemed")) == 12
        redemptions = session.scalars(
            select(AuditEntry.subject).where(AuditEntry.action == "ticket_redeemed")
        ).all()
    assert len(redemptions) == len(set(redemptions)) == 12
    assert summarize(db).tickets[0].redeemed == 12
    assert verify(db).ok  # concurrent appenders kept the audit chain whole
    db.dispose()


@pytest.mark.slow
def test_checking_in_from_several_processes_succeeds_exactly_once(location: str) -> None:
    db, people, _ = _event(location, 10)
    shown = _race(location, "desk", None, people)
    for index in range(len(people)):
        answers = Counter(states[index] for states in shown.values())
        assert answers == {"checked_in": 1, "already_checked_in": STATIONS - 1}
    with db.reading() as session:
        live = session.scalar(select(func.count()).where(CheckIn.undone_at.is_(None)))
    assert live == 10
    assert summarize(db).households_checked_in == 10
    assert verify(db).ok
    db.dispose()


def test_same_schema_and_migrations_on_postgres(pg_url: str) -> None:
    db = open_database(pg_url, create=True)
    events.create_event(db, "Server Party")
    db.dispose()
    db = open_database(pg_url)  # reopening an existing server database
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head_revision()
    assert events.get_event(db).name == "Server Party"
    db.dispose()


def test_search_compares_in_code_point_order_whatever_the_server_locale(pg_url: str) -> None:
    db = open_database(pg_url, create=True)
    events.create_event(db, "Locale Party")
    for first, last in (("Jo", "Brooks"), ("Jobe", "Smith"), ("Joanna", "Bell")):
        attendees.register(db, first_name=first, last_name=last)
    # Like a server set up with an en_US locale: spaces and punctuation ignored when sorting.
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "CREATE COLLATION loose (provider = icu, locale = 'und-u-ka-shifted', "
                "deterministic = false)"
            )
        )
        for column in ("first_key", "last_key", "full_key"):
            connection.execute(
                text(f'ALTER TABLE attendees ALTER COLUMN {column} TYPE text COLLATE "loose"')
            )
    names = {hit.display_name for hit in attendees.search(db, "jo b")}
    assert names == {"Jo Brooks", "Joanna Bell"}  # not "Jobe Smith"
    assert {hit.display_name for hit in attendees.search(db, "jo")} == {
        "Jo Brooks",
        "Jobe Smith",
        "Joanna Bell",
    }
    db.dispose()


class FlakyLink:
    """A TCP relay between the app and the server that the test can cut and restore."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        self.port = listener.getsockname()[1]
        listener.listen()
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        """The router dies: no new connections, and the open ones are cut."""
        with self._lock:
            if self._listener is not None:
                with contextlib.suppress(OSError):
                    self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
                self._listener.close()
                self._listener = None
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            with self._lock:
                self._sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):  # the test cut the line: the copying just ends
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


def test_unreachable_server_says_not_saved_and_a_rescan_counts(pg_url: str) -> None:
    from sqlalchemy.engine import make_url

    setup, people, meals = _event(pg_url, 2)
    setup.dispose()
    real = make_url(pg_url)
    link = FlakyLink(real.port or 5432)
    link.up()
    via_link = real.set(host="127.0.0.1", port=link.port).render_as_string(hide_password=False)
    db = open_database(via_link)
    engine = ScanEngine(db, debounce_seconds=0)
    desk = Station("desk-1")
    meal_station = Station("meal-1", StationMode.RESOURCE, "Meal")
    assert engine.scan(people[0], desk).state is ScanState.CHECKED_IN

    link.down()
    lost = engine.scan(people[1], desk)
    assert lost.state is ScanState.NOT_SAVED
    assert "NOT saved" in lost.message
    assert params_of(lost, NotSavedParams).failure == "unreachable", lost.params
    assert engine.scan(meals[0], meal_station).state is ScanState.NOT_SAVED

    link.up()  # the server is back: the volunteer scans again
    assert engine.scan(people[1], desk).state is ScanState.CHECKED_IN
    assert engine.scan(meals[0], meal_station).state is ScanState.REDEEMED
    db.dispose()
    link.down()


def test_closed_port_is_refused_with_a_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    require_pg_url()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://nobody:x@127.0.0.1:{port}/nothing"
    assert main(["stats", "--db-url", url]) != 0
    err = capsys.readouterr().err
    assert err.startswith("checkin: ")
    assert "Traceback" not in err


def test_cli_works_with_db_url(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    # main() disposes of what each command opened, so the database can be dropped after.
    assert main(["new-event", "--db-url", pg_url, "--name", "CLI Party"]) == 0
    assert main(["register", "--db-url", pg_url, "--first", "Ana", "--station", "desk-2"]) == 0
    code = capsys.readouterr().out.strip().splitlines()[-1]
    assert main(["scan", "--db-url", pg_url, "--station", "desk-2", code]) == 0
    assert json.loads(capsys.readouterr().out)["state"] == "checked_in"
    assert main(["stats", "--db-url", pg_url, "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["households_checked_in"] == 1


def test_ping_says_at_once_whether_the_server_answers(pg_url: str) -> None:
    import time

    from checkin.store import create_db_engine
    from checkin.store.connection import ping

    db = open_database(pg_url, create=True)
    assert ping(db).ok
    with db.engine.connect() as connection:  # the ping's time limit stayed in its transaction
        assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "0"
    db.dispose()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gone = Database(create_db_engine(f"postgresql+psycopg://x:y@127.0.0.1:{port}/party"))
    start = time.monotonic()
    answer = ping(gone)
    assert not answer.ok and answer.message
    assert time.monotonic() - start < 5
    gone.dispose()
