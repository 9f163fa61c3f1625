"""The core's benchmark: scans through the service layer against raw sqlite3, search, import.

    /work/venv/bin/python bench/bench_core.py [--attendees 50000] [--tickets 200000]
                                                    [--scans 400] [--searches 400]

builds an event with 50,000 households and 200,000 issued tickets (bulk inserts), then prints:

- scan-to-committed-result p50/p95 through ``ScanEngine.scan`` for each everyday kind: a desk
  check-in that hands out the default tickets (1 Raffle, 1 Meal per member: the headline), a
  redemption at a resource station, and a pre-printed stock ticket bound to the person on
  screen; and the same work done with plain SQL statements on the same file, keyed as the app
  keys it (``--plain``: on a plain copy, to measure the cipher's cost) (verify the
  code's signature; read the person or ticket with what the answer shows (the card, their
  tickets) and the audit head; check the rules; reserve serials and insert tickets, or the
  conditional UPDATE; hash-chained audit row, scan-log row, COMMIT; WAL, ``synchronous=FULL``,
  ``BEGIN IMMEDIATE``; word the answer), and the ratio: what the service layer itself costs;
- with ``--pg-url`` (or CHECKIN_TEST_PG_URL): the same scans on PostgreSQL, directly and through
  a TCP proxy the script starts on loopback adding 10 ms round-trip time, with the round trips
  each scan took;
- name/phone/number search p50/p95 (``attendees.search`` with realistic prefixes);
- import of a 10,000-row CSV (``checkin.people.csv_import.import_csv``);
- the query plans of the search and scan statements (indexes, not table scans);
- peak RSS.

Ends with a Markdown table for the README. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.helpers: proxy, server

from checkin import codes, demo
from checkin.event import events
from checkin.event.events import load_event
from checkin.people import attendees
from checkin.people.attendees import fold, insert_many
from checkin.results import ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.scanning import statements as q
from checkin.store import Database, cipher, open_database
from checkin.store.database import WAL_CHECKPOINT_PAGES, WAL_SIZE_LIMIT
from checkin.store.models import Attendee, Ticket, TicketType, utcnow
from checkin.ticketing import tickets

# The demo's names, and more from other backgrounds for a wider spread of search keys.
FIRST = [*demo.FIRST, "Olga", "Dmitri", "Mei", "Omar", "Aisha", "Kwame", "Priya", "Sean"]
LAST = [*demo.LAST, "Kowalski", "Novak", "Petrov", "Chen", "Wang", "Singh", "Patel", "Kim"]
TYPES = (("Meal", 2), ("Raffle", 1), ("Backpack", 1))  # tickets per household: 4
# Households holding tickets already (redeemed in the benchmark); the rest arrive for check-in.
HOLDERS = 0.8


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timings(label: str, samples: list[float]) -> tuple[float, float]:
    p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
    print(f"  {label:<46} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   (n={len(samples)})")
    return p50, p95


def measure(items: Iterable[Any], work: Callable[[Any], object]) -> list[float]:
    samples = []
    for item in items:
        start = time.perf_counter()
        work(item)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


# --- building the event ---------------------------------------------------------------------


def build(db: Database, households: int, ticket_count: int, rng: random.Random) -> None:
    """The demo's rules: 1 Raffle and 1 Meal per member at check-in; Backpacks (2 a household)
    from pre-printed stock."""
    tickets.add_ticket_type(db, "Meal", "resource", rule="per_member", issue_at_checkin=True)
    tickets.add_ticket_type(db, "Raffle", "raffle", issue_at_checkin=True)
    tickets.add_ticket_type(db, "Backpack", "resource", quantity=2)

    def work(session: Session) -> None:
        event = load_event(session)
        rows = []
        for n in range(households):
            consent = rng.random() < 0.5
            rows.append(
                {
                    "first_name": rng.choice(FIRST),
                    "last_name": f"{rng.choice(LAST)}",
                    "adults": rng.randint(1, 3),
                    "kids": rng.randint(0, 4),
                    "zip_code": rng.choice(("64130", "64131", "64132", "64127")),
                    "phone": f"(816) 555-{n % 10000:04d}" if consent else "",
                    "consent": consent,
                }
            )
        insert_many(session, event, rows, source="prereg", station="bench")
        ids = list(session.scalars(select(Attendee.id).order_by(Attendee.id)))
        holders = ids[: max(1, int(len(ids) * HOLDERS))]
        type_ids = {
            name: session.scalar(select(TicketType.id).where(TicketType.name == name))
            for name, _ in TYPES
        }
        now = utcnow()
        serial = dict.fromkeys(type_ids, 0)
        batch: list[dict[str, Any]] = []
        made = 0
        while made < ticket_count:
            for name, per_household in TYPES:
                for _ in range(per_household):
                    if made == ticket_count:
                        break
                    serial[name] += 1
                    batch.append(
                        {
                            "uid": uuid.uuid4().hex,
                            "code": codes.make_code(
                                codes.CodeKind.TICKET, event.tag, event.secret_key
                            ).value,
                            "serial": serial[name],
                            "type_id": type_ids[name],
                            "attendee_id": holders[made // 4 % len(holders)],
                            "state": "issued",
                            "created_at": now,
                            "issued_at": now,
                            "issued_station": "bench",
                            "redeemed_station": "",
                            "from_paper": False,
                        }
                    )
                    made += 1
            if len(batch) >= 20_000:
                session.execute(insert(Ticket), batch)
                batch = []
        if batch:
            session.execute(insert(Ticket), batch)
        for name, count in serial.items():
            session.execute(
                text("UPDATE ticket_types SET next_serial = :n WHERE name = :name"),
                {"n": count + 1, "name": name},
            )

    db.write(work)
    with db.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")


def sample_codes(db: Database) -> tuple[list[str], list[str]]:
    """Issued Meal tickets to redeem, and people holding nothing yet to check in."""
    with db.reading() as session:
        meal_id = session.scalar(select(TicketType.id).where(TicketType.name == "Meal"))
        meals = list(
            session.scalars(
                select(Ticket.code).where(Ticket.type_id == meal_id).order_by(Ticket.id)
            )
        )
        holding = select(Ticket.id).where(Ticket.attendee_id == Attendee.id).exists()
        people = list(session.scalars(select(Attendee.code).where(~holding).order_by(Attendee.id)))
    return meals, people


# --- PostgreSQL, directly and through a slow network ------------------------------------------


def _scan_at(engine: ScanEngine, station: Station, code: str) -> object:
    return engine.scan(code, station)


def bench_postgres(url: str, households: int, scans: int, rng: random.Random) -> list[str]:
    """Scans on a fresh database of the server: directly, then through a proxy adding 10 ms
    round-trip time. Returns the README table's rows."""
    from sqlalchemy.engine import make_url

    from tests.helpers.net_proxy import proxied
    from tests.helpers.pg_support import fresh_database

    lines: list[str] = []
    with fresh_database(url) as fresh:
        db = open_database(fresh, create=True)
        events.create_event(db, "Benchmark")
        build(db, households, households * 4 * 4 // 5, rng)
        meals, people = sample_codes(db)
        db.dispose()
        rng.shuffle(meals)
        rng.shuffle(people)
        port = make_url(fresh).port
        assert port is not None
        n = min(scans, len(people) // 2, len(meals) // 2)
        print(f"\nPostgreSQL ({households:,} households), {n} scans of each kind")
        for label, delay in (("direct", 0.0), ("10 ms RTT proxy", 0.005)):
            with proxied(port, delay=delay) as proxy:
                db = open_database(proxy.url(fresh))
                engine = ScanEngine(db)
                desk, meal = Station("Desk 1"), Station("Meal tent", StationMode.RESOURCE, "Meal")
                engine.scan("warm-up", desk)
                batch_people = people[:n] if delay == 0 else people[n : 2 * n]
                batch_meals = meals[:n] if delay == 0 else meals[n : 2 * n]
                scan_at = {"check-in": desk, "redeem": meal}
                for kind, where in scan_at.items():
                    work = functools.partial(_scan_at, engine, where)
                    proxy.round_trips = 0
                    codes_ = batch_people if kind == "check-in" else batch_meals
                    samples = measure(codes_, work)
                    trips = proxy.round_trips / len(codes_)
                    p50, p95 = timings(f"{kind}, {label}", samples)
                    print(f"  {'':<46} {trips:.1f} round trips a scan")
                    lines.append(
                        f"| PostgreSQL {kind}, {label}: p50 / p95, round trips | "
                        f"{p50:.1f} / {p95:.1f} ms, {trips:.1f} | ≤ 5 round trips |"
                    )
                db.dispose()
    return lines


# --- the raw sqlite3 baseline ---------------------------------------------------------------


_CARD = (
    "a.id, a.code, a.number, a.first_name, a.last_name, a.adults, a.kids, a.seniors, "
    "a.zip_code, a.phone, a.email, a.consent, a.language, a.heard_about, a.notes, "
    "a.needs_attention, a.source, c.at, c.station"
)
_LIVE = "LEFT JOIN checkins c ON c.attendee_id = a.id AND c.undone_at IS NULL"
_HEAD = "(SELECT hash FROM audit ORDER BY id DESC LIMIT 1)"


class Raw:
    """The same work as the service layer with hand-written statements: verify the code,
    read the ticket or person with what the answer shows (type, holder's card, live check-in)
    and the audit head, check the station rules, write, log, commit, and word the answer."""

    def __init__(self, path: Path, tag: str, key: bytes) -> None:
        self.tag, self.key = tag, key
        self.answer = ""
        # The file's own key (checkin/store/cipher.py): an encrypted file is the app's file.
        with closing(cipher.connect(path)) as peek:
            types = {
                n: (i, u) for n, i, u in peek.execute("SELECT name, id, uid FROM ticket_types")
            }
        self.meal, self.raffle = types["Meal"][0], types["Raffle"][0]
        self.type_uid = {i: u for i, u in types.values()}
        self.connection = cipher.connect(path, isolation_level=None)
        self.connection.execute("PRAGMA journal_mode = WAL")
        self.connection.execute("PRAGMA synchronous = FULL")
        self.connection.execute("PRAGMA foreign_keys = ON")
        self.connection.execute("PRAGMA busy_timeout = 5000")
        # The app's bounded log (checkin/store/database.py): the same checkpoints, the same work.
        self.connection.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        self.connection.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")

    def _audit(
        self,
        head: str | None,
        action: str,
        station: str,
        subject: str,
        detail: dict[str, Any],
        rows: dict[str, dict[str, list[Any]]],
    ) -> None:
        """The entry, with the images of the rows the scan wrote (what verify replays)."""
        prev_hash = head or "0" * 64
        uid, at = uuid.uuid4().hex, _now()
        body = json.dumps({**detail, "rows": rows}, sort_keys=True, separators=(",", ":"))
        content = json.dumps([uid, at, station, "", action, subject, body, None])
        digest = hashlib.sha256((prev_hash + content).encode()).hexdigest()
        self.connection.execute(
            "INSERT INTO audit (uid, at, station, volunteer, action, subject, detail, "
            "prev_hash, hash) VALUES (?, ?, ?, '', ?, ?, ?, ?, ?)",
            (uid, at, station, action, subject, body, prev_hash, digest),
        )

    def _log(
        self, station: str, raw: str, state: str, attendee: Any, ticket: Any
    ) -> tuple[str, list[Any]]:
        """The scan-log row; its uid and image (the holder's and ticket's uids in the image
        are given by the caller, as the service layer has them from its snapshot)."""
        uid, at = uuid.uuid4().hex, _now()
        self.connection.execute(
            "INSERT INTO scans (uid, at, station, volunteer, raw, state, repeat, attendee_id, "
            "ticket_id) VALUES (?, ?, ?, '', ?, ?, 0, ?, ?)",
            (uid, at, station, raw, state, attendee, ticket),
        )
        digest = hashlib.sha256(raw.encode()).hexdigest()[:16]
        return uid, [at, station, "", digest, state, 0, attendee, ticket]

    def _verified(self, raw: str) -> str:
        parsed = codes.parse(raw, self.tag, self.key)
        assert isinstance(parsed, codes.Code), parsed
        return parsed.value

    def redeem(self, raw: str) -> str:
        code = self._verified(raw)
        c = self.connection
        c.execute("BEGIN IMMEDIATE")
        row = c.execute(
            "SELECT t.id, t.uid, t.serial, t.state, tt.name, tt.kind, tt.stations, "
            f"{_CARD}, t.issued_at, t.issued_station, t.voided_at, t.from_paper, tt.uid, "
            f"a.uid, {_HEAD} FROM tickets t JOIN ticket_types tt ON tt.id = t.type_id "
            f"LEFT JOIN attendees a ON a.id = t.attendee_id {_LIVE} WHERE t.code = ?",
            (code,),
        ).fetchone()
        ticket_id, uid, _serial, state, type_name, kind, stations = row[:7]
        c.execute(  # the holder's card shows what they hold
            "SELECT id, code, serial, type_id, state FROM tickets WHERE attendee_id = ?",
            (row[7],),
        ).fetchall()
        allowed = [s for s in stations.split(",") if s]
        assert kind == "resource" and type_name == "Meal" and not allowed and state == "issued"
        now = _now()
        changed = c.execute(
            "UPDATE tickets SET state = 'redeemed', redeemed_at = ?, redeemed_station = ? "
            "WHERE id = ? AND state = 'issued'",
            (now, "Meal tent", ticket_id),
        ).rowcount
        state = "redeemed" if changed == 1 else "already_redeemed"
        scan_uid, scan = self._log("Meal tent", raw, state, row[7], ticket_id)
        scan[-2:] = [row[-2], uid]
        issued_at, issued_station, voided_at, from_paper, type_uid = row[-7:-2]
        ticket = [code, row[2], type_uid, row[-2], "redeemed", issued_at, issued_station]
        ticket += [now, "Meal tent", voided_at, from_paper]
        rows = {"tickets": {uid: ticket}, "scans": {scan_uid: scan}}
        self._audit(row[-1], "ticket_redeemed", "Meal tent", uid, {"code": code}, rows)
        c.execute("COMMIT")
        name = f"{row[10]} {row[11]}".strip() or f"Guest #{row[9]}"
        self.answer = f"{type_name}: hand it over to {name}"
        return state

    def check_in(self, raw: str) -> str:
        """A desk check-in handing out the default tickets: 1 Raffle, 1 Meal per member."""
        code = self._verified(raw)
        c = self.connection
        c.execute("BEGIN IMMEDIATE")
        row = c.execute(
            f"SELECT {_CARD}, a.uid, c.id, {_HEAD} FROM attendees a {_LIVE} WHERE a.code = ?",
            (code,),
        ).fetchone()
        attendee_id, adults, kids, seniors, live = row[0], row[5], row[6], row[7], row[-2]
        held = c.execute(  # the card shows what they hold
            "SELECT id, code, serial, type_id, state FROM tickets WHERE attendee_id = ?",
            (attendee_id,),
        ).fetchall()
        serials = dict(
            c.execute("SELECT id, next_serial FROM ticket_types WHERE issue_at_checkin = 1")
        )
        state = "already_checked_in"
        if live is None:
            uid, now = uuid.uuid4().hex, _now()
            c.execute(
                "INSERT INTO checkins (uid, attendee_id, at, station, volunteer) "
                "VALUES (?, ?, ?, 'Desk 1', '')",
                (uid, attendee_id, now),
            )
            wanted = {self.raffle: 1, self.meal: max(1, adults + kids + seniors)}
            for type_id in wanted:
                wanted[type_id] -= sum(1 for t in held if t[3] == type_id)
            rows = []
            for type_id, count in wanted.items():
                for n in range(count):
                    ticket = codes.make_code(codes.CodeKind.TICKET, self.tag, self.key).value
                    rows.append(
                        (uuid.uuid4().hex, ticket, serials[type_id] + n, type_id, attendee_id, now)
                    )
            c.executemany(
                "UPDATE ticket_types SET next_serial = ? WHERE id = ?",
                [(serials[t] + n, t) for t, n in wanted.items()],
            )
            c.executemany(
                "INSERT INTO tickets (uid, code, serial, type_id, attendee_id, state, created_at,"
                " issued_at, issued_station, redeemed_station, from_paper) VALUES "
                "(?, ?, ?, ?, ?, 'issued', ?6, ?6, 'Desk 1', '', 0)",
                rows,
            )
            detail = {"attendee": code, "tickets": [r[1] for r in rows]}
            state = "checked_in"
            person, fresh = row[-3], [None, "", None, 0]  # not redeemed, not void, not paper
            scan_uid, scan = self._log("Desk 1", raw, state, attendee_id, None)
            scan[-2] = person
            images = {
                "checkins": {uid: [person, now, "Desk 1", "", None]},
                "tickets": {
                    r[0]: [r[1], r[2], self.type_uid[r[3]], person, "issued", now, "Desk 1", *fresh]
                    for r in rows
                },
                "scans": {scan_uid: scan},
            }
            self._audit(row[-1], "checked_in", "Desk 1", uid, detail, images)
        else:
            self._log("Desk 1", raw, state, attendee_id, None)
        c.execute("COMMIT")
        name = f"{row[3]} {row[4]}".strip() or f"Guest #{row[2]}"
        self.answer = f"Welcome, {name}: checked in"
        return state

    def bind(self, raw: str, person: str) -> str:
        """A pre-printed Backpack ticket given to the person on screen."""
        code = self._verified(raw)
        c = self.connection
        c.execute("BEGIN IMMEDIATE")
        ticket = c.execute(
            "SELECT t.id, t.uid, t.serial, t.state, t.type_id, tt.name, t.voided_at, "
            f"t.from_paper, tt.uid, {_HEAD} FROM tickets t "
            "JOIN ticket_types tt ON tt.id = t.type_id WHERE t.code = ?",
            (code,),
        ).fetchone()
        row = c.execute(
            f"SELECT {_CARD}, a.uid, c.id FROM attendees a {_LIVE} WHERE a.code = ?", (person,)
        ).fetchone()
        held = c.execute(
            "SELECT id, code, serial, type_id, state FROM tickets WHERE attendee_id = ?",
            (row[0],),
        ).fetchall()
        assert ticket[3] == "unassigned"
        assert sum(1 for t in held if t[3] == ticket[4] and t[4] != "void") < 2
        now = _now()
        changed = c.execute(
            "UPDATE tickets SET state = 'issued', attendee_id = ?, issued_at = ?, "
            "issued_station = 'Desk 1' WHERE id = ? AND state = 'unassigned'",
            (row[0], now, ticket[0]),
        ).rowcount
        assert changed == 1
        scan_uid, scan = self._log("Desk 1", raw, "ticket_bound", row[0], ticket[0])
        scan[-2:] = [row[-2], ticket[1]]
        image = [code, ticket[2], ticket[-2], row[-2], "issued", now, "Desk 1", None, ""]
        rows = {"tickets": {ticket[1]: [*image, ticket[6], ticket[7]]}, "scans": {scan_uid: scan}}
        self._audit(ticket[-1], "ticket_bound", "Desk 1", ticket[1], {"code": code}, rows)
        c.execute("COMMIT")
        name = f"{row[3]} {row[4]}".strip() or f"Guest #{row[2]}"
        self.answer = f"{ticket[5]} ticket No. {ticket[2]} given to {name}"
        return "ticket_bound"


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


# --- the parts ------------------------------------------------------------------------------


def search_queries(db: Database, count: int, rng: random.Random) -> list[str]:
    queries: list[str] = []
    with db.reading() as session:
        numbers = session.scalar(select(Attendee.number).order_by(Attendee.number.desc())) or 1
    for _ in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        queries.append(
            rng.choice(
                (
                    last[: rng.randint(2, 5)],  # a surname as typed so far
                    first[: rng.randint(3, 6)],
                    f"{first} {last[: rng.randint(1, 4)]}",
                    f"{last} {first[:2]}",  # surname first
                    fold(last).upper(),
                    f"{rng.randrange(10000):04d}",  # last four phone digits
                    f"#{rng.randint(1, numbers)}",
                )
            )
        )
    return queries


def query_plans(db: Database, ticket_code: str, person_code: str) -> list[str]:
    """The plans of the hot lookups: each must use an index (SEARCH ... USING INDEX)."""
    problems = []
    statements: dict[str, tuple[str, Any]] = {
        "ticket by code": ("SELECT id FROM tickets WHERE code = :v", {"v": ticket_code}),
        "attendee by code": ("SELECT id FROM attendees WHERE code = :v", {"v": person_code}),
        "held tickets": (
            "SELECT count(id) FROM tickets WHERE type_id = 1 AND attendee_id = 5 "
            "AND state IN ('issued', 'redeemed')",
            {},
        ),
        "last audit hash": ("SELECT hash FROM audit ORDER BY id DESC LIMIT 1", {}),
        "name prefix": (
            "SELECT id FROM attendees WHERE (last_key >= 'gar' AND last_key < 'gar\uffff') "
            "OR (first_key >= 'gar' AND first_key < 'gar\uffff')",
            {},
        ),
        "phone suffix": (
            "SELECT id FROM attendees WHERE phone_key >= '2410' AND phone_key < '2410\uffff'",
            {},
        ),
    }
    # The scan engine's own statements, as it sends them (positional parameters).
    for label, statement, code in (
        ("ticket snapshot", q.TICKET, ticket_code),
        ("person snapshot", q.PERSON, person_code),
        ("person's tickets", q.TICKETS_OF_PERSON, person_code),
        ("holder's tickets", q.TICKETS_OF_HOLDER, ticket_code),
    ):
        compiled = statement.compile(dialect=db.engine.dialect)
        values = {**compiled.params, "code": code}
        order = compiled.positiontup or ()
        statements[label] = (str(compiled), tuple(values[name] for name in order))
    with db.engine.connect() as connection:
        for label, (sql, params) in statements.items():
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()
            plan = "; ".join(str(row[-1]) for row in rows)
            # "SCAN audit" for ORDER BY id DESC LIMIT 1 walks the rowid b-tree from its end and
            # stops at the first row: not a table scan. "SCAN ticket_types", "SCAN events": a
            # handful of rows, one row.
            scans_table = any(
                str(row[-1]).startswith("SCAN ")
                and "INDEX" not in str(row[-1])
                and str(row[-1]) not in ("SCAN audit", "SCAN ticket_types", "SCAN events")
                for row in rows
            )
            print(f"  {label:<18} {plan}")
            if scans_table:
                problems.append(label)
    return problems


def fsync_cost(folder: Path) -> float:
    """What the disk charges for one durable commit: the part both sides pay alike."""
    connection = sqlite3.connect(folder / "fsync.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("CREATE TABLE t (x)")
    samples = measure(
        range(200),
        lambda n: (
            connection.execute("BEGIN IMMEDIATE"),
            connection.execute("INSERT INTO t VALUES (?)", (n,)),
            connection.execute("COMMIT"),
        ),
    )
    connection.close()
    return statistics.median(samples)


def bench_import(folder: Path, rows: int) -> tuple[float, int] | None:
    try:
        from make_csv import write_sample_csv

        from checkin.people.csv_import import import_csv
    except ImportError as exc:
        print(f"  import: skipped ({exc})")
        return None
    sample = write_sample_csv(folder / "prereg.csv", rows)
    db = open_database(folder / "import.checkin", create=True)
    events.create_event(db, "Import benchmark")
    start = time.perf_counter()
    report = import_csv(db, sample)
    seconds = time.perf_counter() - start
    db.dispose()
    return seconds, report.imported


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=50_000)
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--scans", type=int, default=400)
    parser.add_argument("--searches", type=int, default=400)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--pg-url", default=os.environ.get("CHECKIN_TEST_PG_URL", ""))
    parser.add_argument("--pg-attendees", type=int, default=5_000)
    parser.add_argument(
        "--dir", type=Path, help="where to build the files (a real disk or USB stick: fsync cost)"
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help="scan a plain copy of the file: the cipher's cost, against a run without",
    )
    args = parser.parse_args()
    rng = random.Random(5)  # benchmark data only

    with tempfile.TemporaryDirectory(dir=args.dir) as folder_name:
        folder = Path(folder_name)
        path = folder / "bench.checkin"
        db = open_database(path, create=True)
        events.create_event(db, "Benchmark")
        start = time.perf_counter()
        build(db, args.attendees, args.tickets, rng)
        build_s = time.perf_counter() - start
        print(
            f"built {args.attendees:,} households and {args.tickets:,} tickets in {build_s:.1f} s"
            f" ({path.stat().st_size / 1e6:.0f} MB)"
        )

        if args.plain:  # as files were before issue 26: both sides read and write plain pages
            db.dispose()
            plain = folder / "plain.checkin"
            with closing(cipher.connect(path)) as encrypted:
                encrypted.execute(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
                encrypted.execute("SELECT sqlcipher_export('plain')")
                encrypted.execute("DETACH DATABASE plain")
            path = plain
            db = open_database(path, encrypt_plain=False)
        print(f"event file: {'plain' if args.plain else 'encrypted (SQLCipher)'}")
        meals, people = sample_codes(db)
        rng.shuffle(meals)
        rng.shuffle(people)
        n = min(args.scans, len(people) // 2)
        engine_meals, raw_meals = meals[:n], meals[n : 2 * n]
        engine_people, raw_people = people[:n], people[n : 2 * n]
        stock = [t.code for t in tickets.create_stock(db, "Backpack", 2 * n)]
        engine_stock, raw_stock = stock[:n], stock[n:]

        engine = ScanEngine(db)
        meal_station = Station("Meal tent", StationMode.RESOURCE, "Meal")
        desk = Station("Desk 1")
        with db.reading() as session:
            event = load_event(session)
            raw = Raw(path, event.tag, event.secret_key)
        engine.scan("warm-up", desk)  # first-use costs (event key, statement caches) aside
        raw.connection.execute("SELECT count(*) FROM audit").fetchone()

        print("\nscan to committed result")
        # Interleaved in blocks so that disk and machine noise hit both sides alike.
        kinds: dict[str, tuple[list[float], list[float]]] = {
            k: ([], []) for k in ("check-in", "redeem", "bind")
        }
        states: list[ScanState] = []
        raw_states: list[str] = []
        block = 50
        for offset in range(0, n, block):
            part = slice(offset, offset + block)
            kinds["check-in"][0].extend(
                measure(engine_people[part], lambda c: states.append(engine.scan(c, desk).state))
            )
            kinds["check-in"][1].extend(
                measure(raw_people[part], lambda c: raw_states.append(raw.check_in(c)))
            )
            kinds["redeem"][0].extend(
                measure(
                    engine_meals[part],
                    lambda c: states.append(engine.scan(c, meal_station).state),
                )
            )
            kinds["redeem"][1].extend(
                measure(raw_meals[part], lambda c: raw_states.append(raw.redeem(c)))
            )
            pairs = list(zip(engine_stock[part], engine_people[part], strict=True))
            kinds["bind"][0].extend(
                measure(
                    pairs,
                    lambda p: states.append(engine.scan(p[0], desk, current_attendee=p[1]).state),
                )
            )
            raw_pairs = list(zip(raw_stock[part], raw_people[part], strict=True))
            kinds["bind"][1].extend(
                measure(raw_pairs, lambda p: raw_states.append(raw.bind(p[0], p[1])))
            )
        expected = {ScanState.REDEEMED, ScanState.CHECKED_IN, ScanState.TICKET_BOUND}
        assert set(states) == expected, set(states)
        assert set(raw_states) == {"redeemed", "checked_in", "ticket_bound"}, set(raw_states)
        rows: list[tuple[str, tuple[float, float], tuple[float, float], float]] = []
        for kind, (service, baseline) in kinds.items():
            e = timings(f"{kind}, ScanEngine.scan", service)
            r = timings(f"{kind}, raw sqlite3", baseline)
            ratio = statistics.median(service) / statistics.median(baseline)
            rows.append((kind, e, r, ratio))
        raw.connection.close()
        print(
            "  ratio (p50, service / raw): "
            + ", ".join(f"{kind} {ratio:.2f}x" for kind, _, _, ratio in rows)
        )
        commit_ms = fsync_cost(folder)
        print(f"  one bare commit (WAL, synchronous=FULL) on this disk: {commit_ms:.2f} ms")

        print("\nsearch")
        queries = search_queries(db, args.searches, rng)
        attendees.search(db, "warm")
        hits: list[int] = []
        search_ms = measure(queries, lambda q: hits.append(len(attendees.search(db, q))))
        s50, s95 = timings("attendees.search (50 hits max)", search_ms)
        print(f"  queries with hits: {sum(1 for h in hits if h)} of {len(hits)}")
        slowest = sorted(zip(search_ms, queries, strict=True), reverse=True)[:3]
        print("  slowest: " + ", ".join(f"{q!r} {ms:.1f} ms" for ms, q in slowest))

        print("\nquery plans")
        problems = query_plans(db, meals[-1], people[-1])
        db.dispose()

        print(f"\nimport of {args.import_rows:,} CSV rows")
        imported = bench_import(folder, args.import_rows)
        if imported:
            print(f"  {imported[1]:,} rows imported in {imported[0]:.2f} s")

    pg_lines = (
        bench_postgres(args.pg_url, args.pg_attendees, args.scans, rng) if args.pg_url else []
    )
    if not args.pg_url:
        print("\nPostgreSQL: not measured (no --pg-url or CHECKIN_TEST_PG_URL)")

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if sys.platform == "darwin":
        peak_mb /= 1024  # bytes there, kilobytes on Linux
    print(f"\npeak RSS {peak_mb:.0f} MB")
    if problems:
        print(f"WARNING: table scans in {', '.join(problems)}")

    size = f"{args.attendees:,} households, {args.tickets:,} tickets"
    print(f"\n| measure ({size}) | result | target |")
    print("|---|---|---|")
    for kind, e, r, ratio in rows:
        print(
            f"| {kind}: service / raw `sqlite3`, p50 | {e[0]:.2f} / {r[0]:.2f} ms: "
            f"{ratio:.2f}x | ≤ 2x |"
        )
    print(f"| name search p50 / p95 | {s50:.1f} / {s95:.1f} ms | p95 ≤ 30 ms |")
    if imported:
        print(f"| import of {imported[1]:,} CSV rows | {imported[0]:.2f} s | ≤ 2 s |")
    else:
        print("| import of 10,000 CSV rows | not measured | ≤ 2 s |")
    print(f"| peak RSS | {peak_mb:.0f} MB | |")
    print(f"| one bare durable commit on this disk | {commit_ms:.2f} ms | |")
    for line in pg_lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
