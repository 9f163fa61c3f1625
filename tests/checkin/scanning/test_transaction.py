"""The scan's one transaction: what it reads is the whole answer, it commits all or nothing,
it holds the write lock, and the cached ticket types follow edits made anywhere."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import datetime

import pytest
from sqlalchemy import func, select

from checkin.people import attendees
from checkin.record import audit
from checkin.results import CheckInParams, ScanResult, ScanState, ShortStock, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.scanning.engine import log_alone
from checkin.scanning.tx import ScanTx
from checkin.store import AllowanceRule, Database, TicketKind, cipher, open_database
from checkin.store.models import AuditEntry, ScanLog
from checkin.ticketing import ticket_type_edits, tickets
from tests.helpers.outcomes import params_of

DESK = Station("Desk 1", volunteer="Ana")


@pytest.fixture
def event_db(db: Database) -> Database:
    tickets.add_ticket_type(
        db, "Meal", TicketKind.RESOURCE, rule=AllowanceRule.PER_MEMBER, issue_at_checkin=True
    )
    return db


def test_the_answer_carries_the_full_card_as_a_fresh_read_shows_it(event_db: Database) -> None:
    person = attendees.register(
        event_db,
        DESK,
        first_name="Zoë",
        last_name="Ávila",
        adults=2,
        kids=3,
        seniors=1,
        zip_code="64130",
        phone="816 555 0101",
        email="zoe@example.org",
        consent=True,
        language="es",
        heard_about="Church",
        notes="Walker",
        needs_attention=True,
    )
    tickets.add_ticket_type(event_db, "Backpack", TicketKind.RESOURCE, rule=AllowanceRule.PER_KID)
    checked = ScanEngine(event_db).scan(person.code, DESK)
    assert checked.state is ScanState.CHECKED_IN and len(checked.issued) == 6
    full = attendees.get_attendee(event_db, person.code)
    assert full is not None
    assert checked.attendee == full  # every field, the tickets and what is still due
    assert {d.type_name: d.due for d in full.dues} == {"Meal": 0, "Backpack": 3}


def test_a_redemption_answers_with_the_holders_card_updated(event_db: Database) -> None:
    engine = ScanEngine(event_db)
    person = attendees.register(event_db, DESK, first_name="Rosa", adults=2)
    meal = engine.scan(person.code, DESK).issued[0]
    redeemed = engine.scan(meal.code, Station("Meal", StationMode.RESOURCE, "Meal"))
    assert redeemed.state is ScanState.REDEEMED
    assert redeemed.attendee == attendees.get_attendee(event_db, person.code)


def test_a_scan_commits_all_or_nothing(event_db: Database) -> None:
    def count() -> int:
        with event_db.reading() as session:
            return session.scalar(select(func.count(ScanLog.id))) or 0

    result = ScanResult("x", ScanState.NOT_A_CODE, "no")
    event_db.scan_write(lambda tx: log_alone(tx, result, DESK))
    assert count() == 1

    def half_then_fail(tx: ScanTx) -> None:
        log_alone(tx, result, DESK)
        raise RuntimeError("disk unplugged")

    with pytest.raises(RuntimeError):
        event_db.scan_write(half_then_fail)
    assert count() == 1  # the half-done scan was rolled back
    event_db.scan_write(lambda tx: None)  # nothing to write: still a clean transaction
    event_db.scan_write(lambda tx: log_alone(tx, result, DESK))
    assert count() == 2
    assert audit.verify(event_db).ok


def test_binding_claiming_and_own_code_share_the_chain(event_db: Database) -> None:
    engine = ScanEngine(event_db)
    person = attendees.register(event_db, DESK, first_name="Rosa", adults=2)
    checked = engine.scan(person.code, DESK)
    assert checked.state is ScanState.CHECKED_IN and len(checked.issued) == 2
    stock = tickets.create_stock(event_db, "Meal", 1)[0]
    tickets.add_ticket_type(event_db, "Backpack", TicketKind.RESOURCE)
    backpack = tickets.create_stock(event_db, "Backpack", 1)[0]
    bound = engine.scan(backpack.code, DESK, current_attendee=person.code)
    assert bound.state is ScanState.TICKET_BOUND
    assert bound.attendee == attendees.get_attendee(event_db, person.code)
    refused = engine.scan(stock.code, DESK, current_attendee=person.code)
    assert refused.state is ScanState.LIMIT_REACHED
    held = tickets.get_ticket(event_db, backpack.code)
    assert held is not None and held.state == "issued" and held.attendee_code == person.code
    meal = Station("Meal tent", StationMode.RESOURCE, "Meal")
    assert engine.scan(person.code, meal).state is ScanState.REDEEMED  # own code redeems
    report = audit.verify(event_db)
    assert report.ok, report.problems


def test_the_cached_ticket_types_follow_an_edit_made_elsewhere(event_db: Database) -> None:
    """The engine caches the types; another connection (setup, another station) changes the
    rule, and the very next check-in hands out by the new rule."""
    engine = ScanEngine(event_db)
    first = attendees.register(event_db, DESK, first_name="Rosa", adults=3)
    assert len(engine.scan(first.code, DESK).issued) == 3  # per member
    ticket_type_edits.update_ticket_type(
        event_db,
        "Meal",
        new_name="Meal",
        kind=TicketKind.RESOURCE,
        rule=AllowanceRule.FIXED,
        quantity=1,
        stock=None,
        issue_at_checkin=True,
    )
    second = attendees.register(event_db, DESK, first_name="Ana", adults=3)
    again = engine.scan(second.code, DESK)
    assert [t.type_name for t in again.issued] == ["Meal"]
    tickets.add_ticket_type(event_db, "Raffle", TicketKind.RAFFLE, issue_at_checkin=True)
    third = attendees.register(event_db, DESK, first_name="Eva")
    assert sorted(t.type_name for t in engine.scan(third.code, DESK).issued) == ["Meal", "Raffle"]


def test_serials_run_on_across_scans_and_stock(event_db: Database) -> None:
    engine = ScanEngine(event_db)
    a = attendees.register(event_db, DESK, first_name="Rosa", adults=2)
    b = attendees.register(event_db, DESK, first_name="Ana", adults=1)
    serials = [t.serial for t in engine.scan(a.code, DESK).issued]
    stock = tickets.create_stock(event_db, "Meal", 2)
    serials += [t.serial for t in stock]
    serials += [t.serial for t in engine.scan(b.code, DESK).issued]
    assert serials == [1, 2, 3, 4, 5]


def test_a_short_stock_hands_out_what_is_left(db: Database) -> None:
    """Issue 20 (8): a household short of stock gets what is left, and the answer says so
    (it used to get none, under a plain green answer, and the last one was never handed out)."""
    tickets.add_ticket_type(
        db,
        "Meal",
        TicketKind.RESOURCE,
        rule=AllowanceRule.PER_MEMBER,
        stock=3,
        issue_at_checkin=True,
    )
    engine = ScanEngine(db)
    big = attendees.register(db, DESK, first_name="Big", adults=2)
    assert len(engine.scan(big.code, DESK).issued) == 2
    bigger = attendees.register(db, DESK, first_name="Bigger", adults=2)
    answer = engine.scan(bigger.code, DESK)
    assert answer.state is ScanState.CHECKED_IN and len(answer.issued) == 1
    assert params_of(answer, CheckInParams).short == (ShortStock("Meal", 1, 2),)
    assert answer.attendee is not None and answer.attendee.dues[0].due == 1
    small = attendees.register(db, DESK, first_name="Small", adults=1)
    none = engine.scan(small.code, DESK)
    assert none.issued == () and params_of(none, CheckInParams).short[0].given == 0


def test_the_scan_holds_the_write_lock_with_durable_settings(event_db: Database) -> None:
    if not event_db.is_sqlite:
        pytest.skip("SQLite's file lock and pragmas")
    assert event_db.path is not None
    other = cipher.connect(event_db.path, timeout=0, isolation_level=None)

    def inside(tx: ScanTx) -> tuple[object, ...]:
        with pytest.raises(cipher.driver.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")  # BEGIN IMMEDIATE came first: nobody else writes
        driver = tx._driver  # type: ignore[attr-defined]
        return tuple(
            driver.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("synchronous", "journal_mode", "foreign_keys")
        )

    assert event_db.scan_write(inside) == (2, "wal", 1)  # FULL, WAL, foreign keys on
    other.execute("BEGIN IMMEDIATE")  # released after the commit
    other.execute("ROLLBACK")
    other.close()


def test_scans_follow_the_pool_after_dispose(event_db: Database) -> None:
    """dispose() gives the engine a fresh pool (after a restore, say); the scan path must use
    it, with its pragmas, not the closed one."""
    engine = ScanEngine(event_db)
    first = attendees.register(event_db, DESK, first_name="Rosa").code
    assert engine.scan(first, DESK).state is ScanState.CHECKED_IN
    event_db.dispose()
    second = attendees.register(event_db, DESK, first_name="Ana").code
    assert engine.scan(second, DESK).state is ScanState.CHECKED_IN
    assert audit.verify(event_db).ok


def _as_written_before_row_images(raw: sqlite3.Connection) -> None:
    """The chain as a version without row images wrote it: the same entries, no "rows"."""
    prev = audit.GENESIS
    entries = raw.execute(
        "SELECT id, uid, at, station, volunteer, action, subject, detail, undoes FROM audit"
        " ORDER BY id"
    ).fetchall()
    for id_, uid, at, station, volunteer, action, subject, detail, undoes in entries:
        content = json.loads(detail)
        content.pop(audit.ROWS, None)
        values = {
            "uid": uid,
            "at": datetime.fromisoformat(at),
            "station": station,
            "volunteer": volunteer,
            "action": action,
            "subject": subject,
            "detail": audit.canonical(content),
            "undoes": undoes,
        }
        digest = audit._hash(prev, values)
        raw.execute(
            "UPDATE audit SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?",
            (values["detail"], prev, digest, id_),
        )
        prev = digest


def test_a_file_of_the_first_schema_is_upgraded_and_scans(
    event_db: Database, db_path: object
) -> None:
    """Later migrations add the ticket types' revision (0002) and how many come at check-in
    (0003): an event file made before them opens, is upgraded after a backup copy, and takes
    scans."""
    if not event_db.is_sqlite:
        pytest.skip("an event file on disk")
    assert event_db.path is not None
    path = event_db.path
    person = attendees.register(event_db, DESK, first_name="Rosa").code
    event_db.dispose()
    raw = cipher.connect(path)
    raw.execute("ALTER TABLE events DROP COLUMN config_rev")
    raw.execute("ALTER TABLE ticket_types DROP COLUMN at_checkin")
    raw.execute("DROP TABLE external_codes")  # 0005
    for table, column in (  # 0008
        ("attendees", "contact_withdrawn_at"),
        ("tickets", "void_reason"),
        ("tickets", "sheet"),
    ):
        raw.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    raw.execute("DROP TABLE person_edits")  # 0007
    raw.execute("ALTER TABLE attendees DROP COLUMN attention_note")  # 0007
    raw.execute("UPDATE alembic_version SET version_num = '0001'")
    _as_written_before_row_images(raw)
    raw.commit()
    raw.close()
    reopened = open_database(path)
    try:
        assert ScanEngine(reopened).scan(person, DESK).state is ScanState.CHECKED_IN
        assert list(path.parent.glob("*.before-upgrade-*"))
        # 0004 sealed the rows the older version wrote, as found: the record replays whole.
        with reopened.reading() as session:
            actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        assert "record_baseline" in actions
        assert audit.verify(reopened).ok
    finally:
        reopened.dispose()


def test_a_repeat_is_the_same_answer_with_no_second_effect(event_db: Database) -> None:
    engine = ScanEngine(event_db)
    person = attendees.register(event_db, DESK, first_name="Rosa", adults=2).code
    first = engine.scan(person, DESK)
    again = engine.scan(person, DESK)
    assert again == dataclasses.replace(first, repeat=True)
    full = attendees.get_attendee(event_db, person)
    assert full is not None and len(full.tickets) == 2
