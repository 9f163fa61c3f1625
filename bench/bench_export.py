"""How long the CSV export and the report take for a large event.

    /work/venv/bin/python bench/bench_export.py [households]
    /work/venv/bin/python bench/bench_export.py --picture docs/img/report.png

builds an event with ``households`` pre-registered households (default 50,000; 85% check in
over an afternoon, each gets a raffle ticket and a meal per person, most meals are eaten, some
scans fail, four prizes are drawn), then times the full export, the anonymous export, the
summary and the PDF and HTML reports. Targets: export <= 2 s, report <= 3 s. Prints figures;
asserts nothing about time. ``--picture`` renders page 1 of a 400-household report instead.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from checkin import codes, raffle
from checkin.after_event.export import export_event
from checkin.after_event.report import write_report
from checkin.after_event.summary import summarize
from checkin.event import campaigns, events
from checkin.event.events import load_event
from checkin.people.attendees import clean_fields, insert_many
from checkin.store import Database, open_database
from checkin.store.models import Attendee, Campaign, CheckIn, ScanLog, Ticket, TicketType
from checkin.ticketing import tickets

T = TypeVar("T")
FIRST = ("Maria", "James", "Keisha", "José", "Linh", "Andre", "Fatima", "Renée", "Darnell")
LAST = ("Johnson", "García", "Nguyen", "Washington", "Peña", "Okafor", "Brooks", "Hassan")
ZIPS = ("64130",) * 6 + ("64132",) * 3 + ("64127", "64128", "64129", "64131", "64134", "64138")
HEARD = ("Church", "Facebook", "Neighbour", "School", "KCPD officer", "", "")


def timed(label: str, work: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = work()
    print(f"{label:<40} {(time.perf_counter() - start) * 1000:8.0f} ms")
    return result


def build(db: Database, households: int, seed: int = 5) -> None:
    """People through insert_many; check-ins, tickets and scans as bulk rows (the services
    would take minutes for 50k people)."""
    rng = random.Random(seed)
    tickets.add_ticket_type(db, "Raffle", "raffle")
    tickets.add_ticket_type(db, "Meal", "resource", rule="per_member", stock=households * 4)
    tickets.add_ticket_type(db, "Backpack", "resource", rule="per_kid", stock=households)
    tickets.add_ticket_type(db, "Resource referral", "resource")
    for name in ("Prospect Ave", "Elm Street"):
        campaigns.create_campaign(db, name)
    for name, quantity, sponsor in (
        ("Kids' bicycle", 2, "Midtown Bike Co-op"),
        ("$50 grocery gift card", 3, "Sun Fresh Market"),
        ("Family pass to the zoo", 2, ""),
        ("Tablet", 1, "Neighbourhood association"),
    ):
        raffle.add_prize(db, name, quantity=quantity, sponsor=sponsor)
    people = [
        clean_fields(
            {
                "first_name": rng.choice(FIRST),
                "last_name": rng.choice(LAST),
                "adults": rng.choice((1, 1, 2, 2, 3)),
                "kids": rng.choice((0, 0, 1, 1, 2, 3)),
                "seniors": rng.choice((0, 0, 0, 1)),
                "zip_code": rng.choice(ZIPS),
                "phone": f"(816) 555-{rng.randrange(10000):04d}",
                "consent": rng.random() < 0.4,
                "language": rng.choice(("en", "en", "en", "es")),
                "heard_about": rng.choice(HEARD),
            }
        )
        for _ in range(households)
    ]
    # The afternoon, 11:00-15:00 local time, busiest around 12:30.
    opening = datetime(2030, 6, 14, 11, 0).astimezone().astimezone(UTC).replace(tzinfo=None)

    def work(session: Session) -> None:
        event = load_event(session)
        insert_many(session, event, people, source="prereg", station="import")
        made = session.execute(
            select(Attendee.id, Attendee.code, Attendee.adults, Attendee.kids, Attendee.seniors)
        ).all()
        types = {t.name: t for t in session.scalars(select(TicketType))}
        flyers = [c.id for c in session.scalars(select(Campaign))]

        made_codes: set[str] = set()

        def code() -> str:
            # 40 random bits: among 200,000 codes a clash is rare but possible; the services
            # would retry, so does this
            while True:
                value = codes.make_code(codes.CodeKind.TICKET, event.tag, event.secret_key).value
                if value not in made_codes:
                    made_codes.add(value)
                    return value

        checkins: list[dict[str, Any]] = []
        issued: list[dict[str, Any]] = []
        scans: list[dict[str, Any]] = []
        heard: list[dict[str, Any]] = []
        serial = dict.fromkeys(types, 0)
        for attendee in made:
            if rng.random() < 0.04:
                heard.append({"id": attendee.id, "campaign_id": rng.choice(flyers)})
            if rng.random() > 0.85:
                continue
            at = opening + timedelta(minutes=rng.triangular(0, 240, 90))
            station = rng.choice(("Desk 1", "Desk 2"))
            checkins.append({"attendee_id": attendee.id, "at": at, "station": station})
            scans.append(
                {
                    "at": at,
                    "station": station,
                    "raw": attendee.code,
                    "state": "checked_in",
                    "attendee_id": attendee.id,
                }
            )
            if rng.random() < 0.01:
                scans.append(
                    {
                        "at": at,
                        "station": station,
                        "raw": attendee.code,
                        "state": "checked_in",
                        "repeat": True,
                    }
                )
            if rng.random() < 0.02:
                scans.append(
                    {
                        "at": at,
                        "station": station,
                        "raw": "https://example.org",
                        "state": rng.choice(("not_a_code", "typo", "wrong_event")),
                    }
                )
            members = attendee.adults + attendee.kids + attendee.seniors
            wanted = [
                ("Raffle", 1),
                ("Meal", members),
                ("Backpack", attendee.kids if rng.random() < 0.5 else 0),
            ]
            for type_name, count in wanted:
                for _ in range(count):
                    serial[type_name] += 1
                    redeemed = type_name != "Raffle" and rng.random() < 0.8
                    later = at + timedelta(minutes=rng.uniform(5, 60))
                    issued.append(
                        {
                            "code": code(),
                            "serial": serial[type_name],
                            "type_id": types[type_name].id,
                            "attendee_id": attendee.id,
                            "state": "redeemed" if redeemed else "issued",
                            "issued_at": at,
                            "issued_station": station,
                            "redeemed_at": later if redeemed else None,
                            "redeemed_station": type_name if redeemed else "",
                        }
                    )
                    if redeemed:
                        scans.append(
                            {
                                "at": later,
                                "station": type_name,
                                "raw": issued[-1]["code"],
                                "state": "redeemed",
                                "attendee_id": attendee.id,
                            }
                        )
        for type_name, ticket_type in types.items():
            ticket_type.next_serial = serial[type_name] + 1
        session.execute(update(Attendee), heard)
        session.execute(insert(CheckIn), checkins)
        session.execute(insert(Ticket), issued)
        session.execute(insert(ScanLog), scans)

    db.write(work)
    # Draws through the service: real commitments and pools.
    rng_draw = random.Random(seed + 1)
    for _ in range(8):
        result = raffle.draw(
            db,
            None,
            str(rng_draw.randrange(1000)),
            seed_source=lambda: rng_draw.randbytes(32).hex(),
        )
        if not result.ok:
            break
    log = raffle.raffle_log(db)
    if len(log) > 2:
        raffle.redraw(
            db, log[1].uid, after_minutes=0, seed_source=lambda: rng_draw.randbytes(32).hex()
        )


def new_event(folder: Path) -> Database:
    db = open_database(folder / "bench.checkin", create=True)
    events.create_event(
        db,
        "Ol' Skool Block Party",
        event_date=datetime(2030, 6, 14).date(),
        location="Sycamore Park, Kansas City MO",
    )
    return db


def bench(households: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = new_event(folder)
        timed(f"build {households:,} households", lambda: build(db, households))
        report = timed("export (6 CSV files)", lambda: export_event(db, folder / "full"))
        print("    " + ", ".join(f"{f.name} {f.rows:,}" for f in report.files))
        timed("export --anonymous", lambda: export_event(db, folder / "anon", anonymous=True))
        timed("summary", lambda: summarize(db))
        timed("report (PDF)", lambda: write_report(db, folder / "report.pdf"))
        timed("report (HTML)", lambda: write_report(db, folder / "report.html"))
        db.dispose()


def picture(target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = new_event(folder)
        build(db, 400)
        pdf = write_report(db, folder / "report.pdf")
        stem = folder / "page"
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "80",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            check=True,
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(stem.with_suffix(".png").read_bytes())
        db.dispose()
    print(f"wrote {target}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--picture":
        picture(Path(sys.argv[2]))
    else:
        bench(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
