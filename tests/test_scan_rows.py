"""The scan engine's Core snapshots and its bare-connection write transaction."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from sqlalchemy import Connection, func, select

from checkin import attendees, audit, tickets
from checkin.db import Database
from checkin.models import AuditEntry, ScanLog
from checkin.results import ScanResult, ScanState, Station, StationMode
from checkin.scan import ScanEngine
from checkin.scan_rows import person_row, ticket_row
from checkin.scanlog import log_scan

DESK = Station("Desk 1", volunteer="Ana")


@pytest.fixture
def event_db(db: Database) -> Database:
    tickets.add_ticket_type(db, "Meal", "resource", rule="per_member", issue_at_checkin=True)
    return db


def test_the_brief_card_is_the_person_without_their_tickets(event_db: Database) -> None:
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
    ScanEngine(event_db).scan(person.code, DESK)
    full = attendees.get_attendee(event_db, person.code)
    assert full is not None and full.tickets and full.checked_in_at is not None
    with event_db.engine.connect() as connection:
        row = person_row(connection, person.code)
        held = ticket_row(connection, full.tickets[0].code)
    assert row is not None and held is not None
    brief = dataclasses.replace(full, tickets=(), dues=())
    assert row.card == brief  # every field in its place, check-in time and station included
    assert held.owner == brief
    assert held.info == full.tickets[0]
    assert row.checkin_id is not None and row.has_defaults


def test_the_snapshot_carries_the_audit_head(event_db: Database) -> None:
    person = attendees.register(event_db, DESK, first_name="Rosa")
    with event_db.reading() as session:
        head = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    with event_db.engine.connect() as connection:
        row = person_row(connection, person.code)
        assert row is not None and row.audit_head == head
        assert person_row(connection, "A000000000000000000X") is None
        assert ticket_row(connection, "T000000000000000000X") is None


def test_write_rows_commits_all_or_nothing(event_db: Database) -> None:
    def count() -> int:
        with event_db.reading() as session:
            return session.scalar(select(func.count(ScanLog.id))) or 0

    result = ScanResult("x", ScanState.NOT_A_CODE, "no")
    event_db.write_rows(lambda c: log_scan(c, result, DESK))
    assert count() == 1

    def half_then_fail(connection: Connection) -> None:
        log_scan(connection, result, DESK)
        raise RuntimeError("disk unplugged")

    with pytest.raises(RuntimeError):
        event_db.write_rows(half_then_fail)
    assert count() == 1  # the half-done scan was rolled back
    event_db.write_rows(lambda c: None)  # nothing to write: still a clean transaction
    event_db.write_rows(lambda c: log_scan(c, result, DESK))
    assert count() == 2
    assert audit.verify(event_db).ok


def test_orm_branches_share_the_scan_transaction(event_db: Database) -> None:
    """Binding pre-printed stock goes through the ORM inside the Core transaction: its
    changes, the audit entry and the scan log commit together, and the chain stays whole."""
    engine = ScanEngine(event_db)
    person = attendees.register(event_db, DESK, first_name="Rosa", adults=2)
    checked = engine.scan(person.code, DESK)
    assert checked.state is ScanState.CHECKED_IN and len(checked.issued) == 2
    stock = tickets.create_stock(event_db, "Meal", 1)[0]
    tickets.add_ticket_type(event_db, "Backpack", "resource")
    backpack = tickets.create_stock(event_db, "Backpack", 1)[0]
    bound = engine.scan(backpack.code, DESK, current_attendee=person.code)
    assert bound.state is ScanState.TICKET_BOUND
    assert engine.scan(stock.code, DESK, current_attendee=person.code).state is (
        ScanState.LIMIT_REACHED
    )
    held = tickets.get_ticket(event_db, backpack.code)
    assert held is not None and held.state == "issued" and held.attendee_code == person.code
    meal = Station("Meal tent", StationMode.RESOURCE, "Meal")
    assert engine.scan(person.code, meal).state is ScanState.REDEEMED  # own code redeems
    report = audit.verify(event_db)
    assert report.ok, report.problems


def test_write_rows_holds_the_write_lock_with_durable_settings(event_db: Database) -> None:
    if not event_db.is_sqlite:
        pytest.skip("SQLite's file lock and pragmas")
    assert event_db.path is not None
    other = sqlite3.connect(event_db.path, timeout=0, isolation_level=None)

    def inside(connection: Connection) -> tuple[int, str, int]:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")  # BEGIN IMMEDIATE came first: nobody else writes
        pragmas = (
            connection.exec_driver_sql("PRAGMA synchronous").scalar_one(),
            connection.exec_driver_sql("PRAGMA journal_mode").scalar_one(),
            connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one(),
        )
        return pragmas

    assert event_db.write_rows(inside) == (2, "wal", 1)  # FULL, WAL, foreign keys on
    other.execute("BEGIN IMMEDIATE")  # released after the commit
    other.execute("ROLLBACK")
    other.close()


def test_write_rows_follows_the_pool_after_dispose(event_db: Database) -> None:
    """dispose() gives the engine a fresh pool (after a restore, say); the scan path must use
    it, with its pragmas, not the closed one."""
    engine = ScanEngine(event_db)
    first = attendees.register(event_db, DESK, first_name="Rosa").code
    assert engine.scan(first, DESK).state is ScanState.CHECKED_IN
    old_pool = event_db.engine.pool
    event_db.dispose()
    assert event_db.engine.pool is not old_pool
    second = attendees.register(event_db, DESK, first_name="Ana").code
    assert engine.scan(second, DESK).state is ScanState.CHECKED_IN
    assert event_db.write_rows(lambda c: c.engine.pool) is event_db.engine.pool
    assert audit.verify(event_db).ok
