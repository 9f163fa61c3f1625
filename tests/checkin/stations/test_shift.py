"""The end-of-shift summary: one volunteer's shift, undone actions excluded, undos and walk-ups
listed (issue 12, problem 11)."""

from __future__ import annotations

from checkin import undo
from checkin.people import attendees
from checkin.people.listing import iter_attendees
from checkin.results import Station
from checkin.scanning import ScanEngine
from checkin.stations.shift import shift_summary
from checkin.store import Database
from checkin.store.models import utcnow


def test_a_shift_counts_one_volunteer_from_sign_in(demo_db: Database) -> None:
    codes = [a.code for a in iter_attendees(demo_db)][:5]
    engine = ScanEngine(demo_db)
    bea = Station("Desk 1", volunteer="Bea")
    ana = Station("Desk 1", volunteer="Ana")
    other = Station("Desk 2", volunteer="Ana")
    engine.scan(codes[0], bea)  # before Ana's shift
    signed_in = utcnow()
    engine.scan(codes[1], ana)
    engine.scan(codes[2], ana)
    engine.scan(codes[3], other)  # Ana, but at another station
    assert undo.undo_last(demo_db, ana).done  # the check-in of codes[2]
    guest = attendees.register(demo_db, ana, adults=2)
    engine.scan(guest.code, ana)
    engine.scan("WIFI:S:park;;", ana)

    shift = shift_summary(demo_db, "Desk 1", "Ana", signed_in)

    assert shift.check_ins == 2  # codes[1] and the walk-up; the undone one is out
    assert [u.action for u in shift.undos] == ["checked_in"]
    assert shift.undos[0].subject  # the person whose check-in was undone is named
    assert shift.walkups == 1
    assert shift.scans_by_state.get("not_a_code") == 1
    everyone = shift_summary(demo_db, "Desk 1", "Bea", signed_in)
    assert everyone.check_ins == 0  # Bea's scan came before the shift start
