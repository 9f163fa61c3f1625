"""The hash-chained audit log and the check of an event file (`checkin verify`).

Each entry's hash covers its content and the previous entry's hash, so editing, deleting or
reordering an entry with an ordinary SQLite tool breaks the chain from that point on. The key is
not secret from someone holding the file (they could rebuild the whole chain), which is why the
summary and report print the head hash: compare it with the copy handed over after the event.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Table, insert, select, text
from sqlalchemy.orm import Session

from checkin.db import Database
from checkin.models import AuditEntry, Event, new_uid, utcnow

GENESIS = "0" * 64
_TABLE = cast("Table", AuditEntry.__table__)


def canonical(detail: dict[str, Any]) -> str:
    return json.dumps(
        detail, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    content = [
        entry.uid,
        entry.at.isoformat(timespec="microseconds"),
        entry.station,
        entry.volunteer,
        entry.action,
        entry.subject,
        entry.detail,
        entry.undoes,
    ]
    payload = prev_hash + json.dumps(content, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session,
    action: str,
    *,
    station: str = "",
    volunteer: str = "",
    subject: str = "",
    detail: dict[str, Any] | None = None,
    undoes: int | None = None,
) -> AuditEntry:
    """Append an entry in the caller's write transaction."""
    # Serialise appenders on servers that allow concurrent writers. Not on SQLite: the write
    # transaction (BEGIN IMMEDIATE) already holds the file's write lock, and the query would
    # only cost time on every scan.
    if session.get_bind().dialect.name != "sqlite":
        session.execute(select(Event.id).with_for_update()).first()
    last = session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    prev = last.scalar() or GENESIS
    entry = AuditEntry(
        at=utcnow(),
        station=station,
        volunteer=volunteer,
        action=action,
        subject=subject,
        detail=canonical(detail or {}),
        undoes=undoes,
        prev_hash=prev,
        uid=new_uid(),  # set now rather than at flush: the hash covers it
    )
    entry.hash = entry_hash(prev, entry)
    # A plain INSERT rather than the ORM's unit of work: this runs with every scan and change,
    # and the flush machinery cost more than the rest of the entry. Pending ORM changes go first
    # so that the log follows what it records.
    session.flush()
    columns = ("uid", "at", "station", "volunteer", "action", "subject", "detail", "undoes")
    values = {name: getattr(entry, name) for name in (*columns, "prev_hash", "hash")}
    inserted = cast("CursorResult[Any]", session.execute(insert(_TABLE).values(**values)))
    key = inserted.inserted_primary_key
    if key is not None:
        entry.id = key[0]
    return entry  # not attached to the session: read entries back with a query


@dataclass(frozen=True)
class VerifyReport:
    entries: int
    head_hash: str
    chain_ok: bool
    integrity_ok: bool
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.chain_ok and self.integrity_ok


def verify(db: Database) -> VerifyReport:
    problems: list[str] = []
    integrity_ok = True
    with db.reading() as session:
        if db.is_sqlite:
            rows = [r[0] for r in session.execute(text("PRAGMA integrity_check")).all()]
            if rows != ["ok"]:
                integrity_ok = False
                problems.extend(f"integrity: {row}" for row in rows[:10])
        prev = GENESIS
        count = 0
        chain_ok = True
        for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(2000):
            count += 1
            if entry.prev_hash != prev:
                chain_ok = False
                problems.append(f"audit entry {entry.id}: does not follow the entry before it")
            elif entry_hash(prev, entry) != entry.hash:
                chain_ok = False
                problems.append(f"audit entry {entry.id} ({entry.action}): content was changed")
            if not chain_ok:
                break
            prev = entry.hash
    return VerifyReport(count, prev, chain_ok, integrity_ok, tuple(problems))
