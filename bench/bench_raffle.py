"""How long a raffle draw takes with a large pool.

    /work/venv/bin/python bench/bench_raffle.py [tickets]

builds an event with ``tickets`` checked-in households (default 50,000), each holding one raffle
ticket, then times committing (pool + seed commitment), drawing, a redraw, the raffle log with
its pools and recomputing a winner from the log. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from checkin import codes, raffle
from checkin.event import events
from checkin.event.events import load_event
from checkin.raffle import DrawCommitment
from checkin.store import Database, open_database
from checkin.store.models import Attendee, CheckIn, Ticket, TicketType, utcnow
from checkin.ticketing import tickets

T = TypeVar("T")


def timed(label: str, work: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = work()
    print(f"{label:<44} {(time.perf_counter() - start) * 1000:8.1f} ms")
    return result


def build(db: Database, count: int) -> None:
    """Bulk rows straight into the tables: the services would take minutes for 50k people."""
    tickets.add_ticket_type(db, "Raffle", "raffle", quantity=1)

    def work(session: Session) -> None:
        event = load_event(session)
        type_id = session.scalar(select(TicketType.id).where(TicketType.name == "Raffle"))
        now = utcnow()

        def code(kind: codes.CodeKind) -> str:
            return codes.make_code(kind, event.tag, event.secret_key).value

        session.execute(
            insert(Attendee),
            [
                {
                    "uid": f"bench{n:027d}",
                    "code": code(codes.CodeKind.ATTENDEE),
                    "number": n + 1,
                    "first_name": "",
                    "last_name": "",
                    "adults": 2,
                    "kids": 1,
                    "source": "prereg",
                }
                for n in range(count)
            ],
        )
        ids = list(session.scalars(select(Attendee.id).order_by(Attendee.id)))
        session.execute(
            insert(CheckIn),
            [
                {"uid": f"benchci{n:025d}", "attendee_id": a, "at": now, "station": "Desk"}
                for n, a in enumerate(ids)
            ],
        )
        session.execute(
            insert(Ticket),
            [
                {
                    "uid": f"benchtk{n:025d}",
                    "code": code(codes.CodeKind.TICKET),
                    "serial": n + 1,
                    "type_id": type_id,
                    "attendee_id": a,
                    "state": "issued",
                    "issued_at": now,
                    "issued_station": "Desk",
                }
                for n, a in enumerate(ids)
            ],
        )

    db.write(work)


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.checkin", create=True)
        events.create_event(db, "Raffle benchmark")
        timed(f"build {count:,} checked-in ticket holders", lambda: build(db, count))
        raffle.add_prize(db, "Bicycle", quantity=3)

        prepared = timed(
            "prepare_draw (pool, hash, commitment, log)", lambda: raffle.prepare_draw(db)
        )
        assert isinstance(prepared, DrawCommitment)
        print(f"  pool {prepared.pool_size:,} tickets, hash {prepared.pool_hash[:16]}...")
        result = timed("draw (re-check pool, pick, record)", lambda: raffle.draw(db, prepared, "7"))
        assert result.ok, result.message
        both = timed("draw --prize (commit and draw at once)", lambda: raffle.draw(db, "Bicycle"))
        assert both.ok, both.message
        again = timed(
            "redraw of a no-show (commit and draw)",
            lambda: raffle.redraw(db, "Bicycle", after_minutes=0),
        )
        assert again.ok, again.message
        log = timed(
            "raffle_log with pools (3 draws)", lambda: raffle.raffle_log(db, with_pools=True)
        )
        record = log[-1]
        winner = timed("recompute one winner from the log", lambda: raffle.recompute(record))
        assert winner == record.ticket
        size = db.path.stat().st_size if db.path else 0
        print(f"event file: {size / 1e6:.1f} MB (each of the 4 commitments logs its pool of codes)")
        db.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
