"""The core's benchmark: scans through the service layer against raw sqlite3, search, import.

    /work/venv/bin/python tests/bench/bench_core.py [--attendees 50000] [--tickets 200000]
                                                    [--scans 400] [--searches 400]

builds an event with 50,000 households and 200,000 issued tickets (bulk inserts), then prints:

- scan-to-committed-result p50/p95 through ``ScanEngine.scan`` (redeeming distinct issued tickets
  at a resource station, and check-ins at a desk), and the same work done with plain ``sqlite3``
  statements on the same file (verify the code's signature; read the ticket or person with what
  the answer shows and the audit head; check the station rules; conditional UPDATE or INSERT,
  hash-chained audit row, scan-log row, COMMIT; WAL, ``synchronous=FULL``, ``BEGIN
  IMMEDIATE``; word the answer), and the ratio: what the service layer itself costs;
- name/phone/number search p50/p95 (``attendees.search`` with realistic prefixes);
- import of a 10,000-row CSV (``checkin.csv_import.import_csv``);
- the query plans of the search and scan statements (indexes, not table scans);
- peak RSS.

Ends with a Markdown table for the README. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkin import attendees, codes, demo, events, scan_rows, tickets
from checkin.attendees import fold, insert_many
from checkin.db import Database, open_database
from checkin.events import load_event
from checkin.models import Attendee, Ticket, TicketType, utcnow
from checkin.results import ScanState, Station, StationMode
from checkin.scanning import ScanEngine

# The demo's names, and more from other backgrounds for a wider spread of search keys.
FIRST = [*demo.FIRST, "Olga", "Dmitri", "Mei", "Omar", "Aisha", "Kwame", "Priya", "Sean"]
LAST = [*demo.LAST, "Kowalski", "Novak", "Petrov", "Chen", "Wang", "Singh", "Patel", "Kim"]
TYPES = (("Meal", 2), ("Raffle", 1), ("Backpack", 1))  # tickets per household: 4


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
    for name, _ in TYPES:
        kind = "raffle" if name == "Raffle" else "resource"
        tickets.add_ticket_type(db, name, kind, rule="fixed", quantity=4)

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
                            "attendee_id": ids[made // 4 % len(ids)],
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
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute("PRAGMA journal_mode = WAL")
        self.connection.execute("PRAGMA synchronous = FULL")
        self.connection.execute("PRAGMA foreign_keys = ON")
        self.connection.execute("PRAGMA busy_timeout = 5000")

    def _audit(
        self, head: str | None, action: str, station: str, subject: str, detail: dict[str, Any]
    ) -> None:
        prev_hash = head or "0" * 64
        uid, at = uuid.uuid4().hex, _now()
        body = json.dumps(detail, sort_keys=True, separators=(",", ":"))
        content = json.dumps([uid, at, station, "", action, subject, body, None])
        digest = hashlib.sha256((prev_hash + content).encode()).hexdigest()
        self.connection.execute(
            "INSERT INTO audit (uid, at, station, volunteer, action, subject, detail, "
            "prev_hash, hash) VALUES (?, ?, ?, '', ?, ?, ?, ?, ?)",
            (uid, at, station, action, subject, body, prev_hash, digest),
        )

    def _log(self, station: str, raw: str, state: str, attendee: Any, ticket: Any) -> None:
        self.connection.execute(
            "INSERT INTO scans (uid, at, station, volunteer, raw, state, repeat, attendee_id, "
            "ticket_id) VALUES (?, ?, ?, '', ?, ?, 0, ?, ?)",
            (uuid.uuid4().hex, _now(), station, raw, state, attendee, ticket),
        )

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
            f"{_CARD}, {_HEAD} FROM tickets t JOIN ticket_types tt ON tt.id = t.type_id "
            f"LEFT JOIN attendees a ON a.id = t.attendee_id {_LIVE} WHERE t.code = ?",
            (code,),
        ).fetchone()
        ticket_id, uid, _serial, state, type_name, kind, stations = row[:7]
        allowed = [s for s in stations.split(",") if s]
        assert kind == "resource" and type_name == "Meal" and not allowed and state == "issued"
        changed = c.execute(
            "UPDATE tickets SET state = 'redeemed', redeemed_at = ?, redeemed_station = ? "
            "WHERE id = ? AND state = 'issued'",
            (_now(), "Meal tent", ticket_id),
        ).rowcount
        state = "redeemed" if changed == 1 else "already_redeemed"
        if changed == 1:
            self._audit(row[-1], "ticket_redeemed", "Meal tent", uid, {"code": code})
        self._log("Meal tent", raw, state, row[7], ticket_id)
        c.execute("COMMIT")
        name = f"{row[10]} {row[11]}".strip() or f"Guest #{row[9]}"
        self.answer = f"{type_name}: hand it over to {name}"
        return state

    def check_in(self, raw: str) -> str:
        code = self._verified(raw)
        c = self.connection
        c.execute("BEGIN IMMEDIATE")
        row = c.execute(
            f"SELECT {_CARD}, a.uid, c.id, "
            "EXISTS (SELECT id FROM ticket_types WHERE issue_at_checkin = 1), "
            f"{_HEAD} FROM attendees a {_LIVE} WHERE a.code = ?",
            (code,),
        ).fetchone()
        attendee_id, live, defaults = row[0], row[-3], row[-2]
        assert not defaults
        state = "already_checked_in"
        if live is None:
            uid = uuid.uuid4().hex
            c.execute(
                "INSERT INTO checkins (uid, attendee_id, at, station, volunteer) "
                "VALUES (?, ?, ?, 'Desk 1', '')",
                (uid, attendee_id, _now()),
            )
            self._audit(row[-1], "checked_in", "Desk 1", uid, {"attendee": code, "tickets": []})
            state = "checked_in"
        self._log("Desk 1", raw, state, attendee_id, None)
        c.execute("COMMIT")
        name = f"{row[3]} {row[4]}".strip() or f"Guest #{row[2]}"
        self.answer = f"Welcome, {name}: checked in"
        return state


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
        ("ticket snapshot", scan_rows._TICKET, ticket_code),
        ("person snapshot", scan_rows._PERSON, person_code),
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
            # stops at the first row: not a table scan. "SCAN ticket_types": a handful of rows.
            scans_table = any(
                str(row[-1]).startswith("SCAN ")
                and "INDEX" not in str(row[-1])
                and str(row[-1]) not in ("SCAN audit", "SCAN ticket_types")
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

        from checkin.csv_import import import_csv
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
    parser.add_argument(
        "--dir", type=Path, help="where to build the files (a real disk or USB stick: fsync cost)"
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

        with db.reading() as session:
            meal_id = session.scalar(select(TicketType.id).where(TicketType.name == "Meal"))
            meals = list(
                session.scalars(
                    select(Ticket.code).where(Ticket.type_id == meal_id).order_by(Ticket.id)
                )
            )
            people = list(session.scalars(select(Attendee.code).order_by(Attendee.id)))
        rng.shuffle(meals)
        rng.shuffle(people)
        n = args.scans
        engine_meals, raw_meals = meals[:n], meals[n : 2 * n]
        engine_people, raw_people = people[:n], people[n : 2 * n]

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
        engine_redeem: list[float] = []
        raw_redeem: list[float] = []
        engine_checkin: list[float] = []
        raw_checkin: list[float] = []
        states: list[ScanState] = []
        raw_states: list[str] = []
        block = 50
        for offset in range(0, n, block):
            engine_redeem += measure(
                engine_meals[offset : offset + block],
                lambda c: states.append(engine.scan(c, meal_station).state),
            )
            raw_redeem += measure(
                raw_meals[offset : offset + block], lambda c: raw_states.append(raw.redeem(c))
            )
            engine_checkin += measure(
                engine_people[offset : offset + block],
                lambda c: states.append(engine.scan(c, desk).state),
            )
            raw_checkin += measure(
                raw_people[offset : offset + block], lambda c: raw_states.append(raw.check_in(c))
            )
        assert set(states) == {ScanState.REDEEMED, ScanState.CHECKED_IN}, set(states)
        assert set(raw_states) == {"redeemed", "checked_in"}, set(raw_states)
        e_red = timings("redeem, ScanEngine.scan", engine_redeem)
        r_red = timings("redeem, raw sqlite3", raw_redeem)
        e_chk = timings("check-in, ScanEngine.scan", engine_checkin)
        r_chk = timings("check-in, raw sqlite3", raw_checkin)
        raw.connection.close()
        ratio_red = statistics.median(engine_redeem) / statistics.median(raw_redeem)
        ratio_chk = statistics.median(engine_checkin) / statistics.median(raw_checkin)
        print(f"  ratio (p50, service / raw): redeem {ratio_red:.2f}x, check-in {ratio_chk:.2f}x")
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

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if sys.platform == "darwin":
        peak_mb /= 1024  # bytes there, kilobytes on Linux
    print(f"\npeak RSS {peak_mb:.0f} MB")
    if problems:
        print(f"WARNING: table scans in {', '.join(problems)}")

    size = f"{args.attendees:,} households, {args.tickets:,} tickets"
    print(f"\n| measure ({size}) | result | target |")
    print("|---|---|---|")
    print(f"| redeem, `ScanEngine.scan` p50 / p95 | {e_red[0]:.2f} / {e_red[1]:.2f} ms | |")
    print(f"| redeem, raw `sqlite3` p50 / p95 | {r_red[0]:.2f} / {r_red[1]:.2f} ms | |")
    print(f"| check-in, `ScanEngine.scan` p50 / p95 | {e_chk[0]:.2f} / {e_chk[1]:.2f} ms | |")
    print(f"| check-in, raw `sqlite3` p50 / p95 | {r_chk[0]:.2f} / {r_chk[1]:.2f} ms | |")
    print(f"| service / raw (p50) | redeem {ratio_red:.2f}x, check-in {ratio_chk:.2f}x | ≤ 2x |")
    print(f"| name search p50 / p95 | {s50:.1f} / {s95:.1f} ms | p95 ≤ 30 ms |")
    if imported:
        print(f"| import of {imported[1]:,} CSV rows | {imported[0]:.2f} s | ≤ 2 s |")
    else:
        print("| import of 10,000 CSV rows | not measured | ≤ 2 s |")
    print(f"| peak RSS | {peak_mb:.0f} MB | |")
    print(f"| one bare durable commit on this disk | {commit_ms:.2f} ms | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
