"""Migration 0006: a file whose record sealed only some fields (0004) gets one entry sealing the
rest as found, so it verifies after the upgrade and an edit after it is caught."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from checkin.demo import populate
from checkin.event.events import create_event
from checkin.people import attendees
from checkin.record import audit
from checkin.results import Station, StationMode
from checkin.store import cipher, open_database
from checkin.store.models import AuditEntry
from tests.helpers.event_files import open_new

DESK = Station("Desk 1", StationMode.DESK)
# What 0004's record held of a row, by table (the indexes of today's fields it kept).
_OLD_ATTENDEE = ("code", "adults", "kids", "seniors", "source", "purged")


def _as_sealed_by_0004(raw: sqlite3.Connection) -> None:
    """Rewrite the chain as version 0004 wrote it: narrower images, fewer tables."""
    from checkin.record.images import ATTENDEE_FIELDS

    keep = [ATTENDEE_FIELDS.index(name) for name in _OLD_ATTENDEE]
    prev = audit.GENESIS
    rows = raw.execute(
        "SELECT id, uid, at, station, volunteer, action, subject, detail, undoes FROM audit"
        " ORDER BY id"
    ).fetchall()
    for id_, uid, at, station, volunteer, action, subject, detail, undoes in rows:
        content = json.loads(detail)
        images = content.get(audit.ROWS, {})
        for table in list(images):
            if table not in ("attendees", "checkins", "tickets", "scans", "draws"):
                del images[table]
        for uid_, image in images.get("attendees", {}).items():
            if image is not None:
                images["attendees"][uid_] = [image[i] for i in keep]
        for uid_, image in images.get("tickets", {}).items():
            if image is not None:
                images["tickets"][uid_] = image[:-1]  # no created_at
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


def test_a_0004_file_is_widened_and_verifies(tmp_path: Path) -> None:
    path = tmp_path / "old.checkin"
    db = open_new(path)
    create_event(db, "Block Party", passphrase="a long passphrase")
    populate(db, attendees=5)
    attendees.register(db, DESK, first_name="Rosa", zip_code="60601")
    db.dispose()
    with closing(cipher.connect(path)) as raw:
        _as_sealed_by_0004(raw)
        raw.execute("UPDATE alembic_version SET version_num = '0004'")
        raw.execute("DROP TABLE external_codes")  # 0005 makes it
        for table, column in (  # 0008 adds them
            ("attendees", "contact_withdrawn_at"),
            ("tickets", "void_reason"),
            ("tickets", "sheet"),
        ):
            raw.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        raw.execute("DROP TABLE person_edits")  # 0007 makes it
        raw.execute("ALTER TABLE attendees DROP COLUMN attention_note")  # and this
        raw.commit()
    reopened = open_database(path)
    try:
        with reopened.reading() as session:
            actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        assert actions[-1] == "record_widened"
        report = audit.verify(reopened)
        assert report.ok, report.problems
    finally:
        reopened.dispose()
    with closing(cipher.connect(path)) as raw:
        raw.execute("UPDATE attendees SET zip_code = '99999' WHERE zip_code = '60601'")
        raw.commit()
    reopened = open_database(path)
    try:
        assert any(d.field == "zip_code" for d in audit.verify(reopened).differences)
    finally:
        reopened.dispose()
