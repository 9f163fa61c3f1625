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

from sqlalchemy import Connection, Row, Table, event, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from checkin.record import seal
from checkin.record.replay import SHOWN, Difference, Replay
from checkin.store import WRITE_LOCK, Database, on_every_factory
from checkin.store.models import AuditEntry, new_uid, utcnow

GENESIS = "0" * 64
ROWS = "rows"  # an entry's detail key: the images of the rows it changed (checkin.record)
_TABLE = cast("Table", AuditEntry.__table__)
# Built once: the scan engine appends an entry with nearly every scan.
LAST_HASH = select(_TABLE.c.hash).order_by(_TABLE.c.id.desc()).limit(1)
# What an entry's hash covers, in this order (with the previous entry's hash).
_HASHED = ("uid", "at", "station", "volunteer", "action", "subject", "detail", "undoes")
INSERT = insert(_TABLE)


def canonical(detail: dict[str, Any]) -> str:
    return json.dumps(
        detail, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def entry_hash(prev_hash: str, entry: AuditEntry | Row[Any]) -> str:
    """An entry's hash: an ORM object or a plain row of the audit table."""
    return _hash(prev_hash, {name: getattr(entry, name) for name in _HASHED})


def _hash(prev_hash: str, values: dict[str, Any]) -> str:
    content = [values[name] for name in _HASHED]
    content[_HASHED.index("at")] = values["at"].isoformat(timespec="microseconds")
    payload = prev_hash + json.dumps(content, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    target: Session | Connection,
    action: str,
    *,
    station: str = "",
    volunteer: str = "",
    subject: str = "",
    detail: dict[str, Any] | None = None,
    undoes: int | None = None,
    head: str | None = None,
) -> None:
    """Append an entry in the caller's write transaction.

    With a session, its pending ORM changes are flushed first so that the log follows what it
    records. The entry is a plain INSERT rather than an ORM object: this runs with every scan
    and change, and the unit of work cost more than the rest of the entry. ``head``: the
    chain's last hash, when the caller read it in this transaction on SQLite and has appended
    nothing since (the scan engine's snapshot); otherwise it is read here.
    """
    detail = dict(detail or {})
    if isinstance(target, Session):
        target.flush()
        connection = target.connection()
        # The rows this transaction changed so far: the entry's content determines them.
        rows = seal.take(target, connection)
        if rows:
            detail[ROWS] = rows
    else:
        connection = target
    # Serialise appenders on servers that allow concurrent writers. Not on SQLite: the write
    # transaction (BEGIN IMMEDIATE) already holds the file's write lock, and the query would
    # only cost time on every scan.
    if connection.dialect.name != "sqlite":
        connection.execute(WRITE_LOCK).first()
        head = None  # read under the lock just taken
    prev = head or connection.execute(LAST_HASH).scalar() or GENESIS
    values = entry_values(
        prev,
        action,
        station=station,
        volunteer=volunteer,
        subject=subject,
        detail=detail,
        undoes=undoes,
    )
    connection.execute(INSERT, values)


def _seal_the_rest(session: Session) -> None:
    """Rows a session changed after its last entry: sealed by one entry of their own, "sealed"
    (checkin.record.seal noted them)."""
    session.flush()
    if seal.pending(session):
        record(session, seal.SEALED)


def _install(maker: sessionmaker[Session]) -> None:
    seal.install(maker)
    event.listen(maker, "before_commit", _seal_the_rest)


# On this app's session factories only, those opened already and those to come, never on
# SQLAlchemy's Session class: every writer records its entries through this module, so the
# sealing is in place before any write that needs it.
on_every_factory(_install)


def entry_values(
    prev: str,
    action: str,
    *,
    station: str = "",
    volunteer: str = "",
    subject: str = "",
    detail: dict[str, Any] | None = None,
    undoes: int | None = None,
) -> dict[str, Any]:
    """A new entry's row, hashed onto ``prev``: for callers that insert it themselves."""
    values: dict[str, Any] = {
        "uid": new_uid(),  # set now rather than at insert: the hash covers it
        "at": utcnow(),
        "station": station,
        "volunteer": volunteer,
        "action": action,
        "subject": subject,
        "detail": canonical(detail or {}),
        "undoes": undoes,
    }
    values["prev_hash"] = prev
    values["hash"] = _hash(prev, values)
    return values


@dataclass(frozen=True)
class VerifyReport:
    entries: int
    head_hash: str
    chain_ok: bool
    integrity_ok: bool
    problems: tuple[str, ...]
    # Rows whose content differs from what the record's entries, replayed, say (checkin.record)
    differences: tuple[Difference, ...] = ()

    @property
    def ok(self) -> bool:
        return self.chain_ok and self.integrity_ok and not self.differences


def verify(db: Database) -> VerifyReport:
    """The file's integrity, the chain entry by entry, then the tables against the state the
    chain's row images replay to."""
    problems: list[str] = []
    integrity_ok = True
    differences: list[Difference] = []
    with db.reading() as session:
        if db.is_sqlite:
            try:
                rows = [r[0] for r in session.execute(text("PRAGMA integrity_check")).all()]
            except DBAPIError as exc:
                # An encrypted page that fails its check stops the check itself: said as the
                # damage it is; the record behind it cannot be read either.
                problems.append(f"integrity: {exc.orig}")
                return VerifyReport(0, GENESIS, False, False, tuple(problems), ())
            if rows != ["ok"]:
                integrity_ok = False
                problems.extend(f"integrity: {row}" for row in rows[:10])
        prev = GENESIS
        count = 0
        chain_ok = True
        replay = Replay()
        # Plain rows, not ORM objects: a big event's record is hundreds of thousands of entries.
        entries = session.execute(
            select(_TABLE).order_by(_TABLE.c.id).execution_options(yield_per=2000)
        )
        for entry in entries:
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
            if '"rows"' in entry.detail:  # most entries carry rows; parse only those
                replay.apply(json.loads(entry.detail).get(ROWS))
        if chain_ok and integrity_ok:
            differences = replay.compare(session.connection())
            problems.extend(str(d) for d in differences[:SHOWN])
            if len(differences) > SHOWN:
                problems.append(f"... and {len(differences) - SHOWN} more differences")
    return VerifyReport(count, prev, chain_ok, integrity_ok, tuple(problems), tuple(differences))
