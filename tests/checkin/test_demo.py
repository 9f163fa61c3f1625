"""The demo event volunteers train on: realistic, complete, and privacy-minded."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from checkin.demo import create_demo
from checkin.event.events import check_passphrase, get_event
from checkin.people import attendees
from checkin.people.listing import iter_attendees
from checkin.record.audit import verify
from checkin.results import ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store.models import Prize
from checkin.ticketing import tickets


def test_demo_event(tmp_path: Path) -> None:
    db = create_demo(tmp_path / "demo.checkin", attendees=120)
    try:
        info = get_event(db)
        assert info.name and info.location and info.date is not None
        assert check_passphrase(db, "demo") and not check_passphrase(db, "wrong")

        types = {t.name: t for t in tickets.list_ticket_types(db)}
        assert list(types) == ["Raffle", "Meal", "Backpack", "Resource referral"]
        assert types["Raffle"].kind == "raffle" and types["Raffle"].issue_at_checkin
        assert types["Meal"].rule == "per_member" and types["Meal"].stock
        assert types["Backpack"].rule == "per_kid"
        assert all(types[n].kind == "resource" for n in ("Meal", "Backpack", "Resource referral"))
        assert types["Resource referral"].partner_text

        rows = list(iter_attendees(db))
        assert len(rows) == 120
        assert len({r.code for r in rows}) == 120
        assert {r.source for r in rows} == {"prereg"}
        assert all(r.household_size >= 1 for r in rows)
        assert len({r.zip_code for r in rows}) > 3
        assert any(r.kids for r in rows) and any(not r.kids for r in rows)

        people = [attendees.get_attendee(db, r.code) for r in rows]
        assert all(p is not None for p in people)
        assert all(p.phone == "" for p in people if p is not None and not p.consent)
        assert any(p.phone for p in people if p is not None)
        accented = attendees.search(db, "garcia") + attendees.search(db, "pena")
        assert accented  # the demo names exercise accent-insensitive search

        with db.reading() as session:
            prizes = session.scalars(select(Prize).order_by(Prize.position)).all()
            assert len(prizes) >= 3 and all(p.quantity >= 1 for p in prizes)

        engine = ScanEngine(db)
        checked = engine.scan(rows[0].code, Station("Desk 1"))
        assert checked.state is ScanState.CHECKED_IN
        assert checked.attendee is not None
        meal = Station("Meal tent", StationMode.RESOURCE, "Meal")
        assert engine.scan(rows[0].code, meal).state is ScanState.REDEEMED
        assert verify(db).ok
    finally:
        db.dispose()


def test_demo_default_size(tmp_path: Path) -> None:
    db = create_demo(tmp_path / "demo.checkin")
    try:
        assert sum(1 for _ in iter_attendees(db)) == 200
    finally:
        db.dispose()
