"""Purging personal data after the event.

Removes what identifies or contacts a person (names, phones, emails, notes, external references,
the search keys made from them, needs-attention flags and consent, and raw scanner input that is
not one of the event's own codes: a vCard or a typed name can land there). Keeps everything the
summary and report are made of: household counts, zip codes, languages, how people heard of the
event, check-ins, tickets, scans' states and the raffle. Attendees are marked purged.

The audit log never copies personal data (entries name people by code and list changed field
names, not values), so its hash chain is left intact; the purge itself is an audit entry.

Afterwards the file is compacted (VACUUM, outside any transaction) and the write-ahead log is
checkpointed and truncated, so the removed values are not left in free pages or in the WAL.
Copies made before the purge (backups, station files) still hold them: the message says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.orm import Session

from checkin import codes
from checkin.event.events import load_event
from checkin.people.external_codes import forget_all
from checkin.record import audit
from checkin.record.purge_mark import ACTION
from checkin.store import Database
from checkin.store.models import Attendee, PersonEdit, ScanLog

CHUNK = 500


def confirmation_phrase(event_name: str) -> str:
    return f"PURGE {event_name}"


@dataclass(frozen=True)
class PurgePlan:
    event: str
    phrase: str  # what the organiser must type
    attendees: int  # not purged yet
    names: int
    phones: int
    emails: int
    notes: int
    external_refs: int
    scan_inputs: int

    def lines(self) -> list[str]:
        return [
            f"names of {self.names} attendees",
            f"{self.phones} phone numbers",
            f"{self.emails} email addresses",
            f"{self.notes} notes",
            f"{self.external_refs} external references (pre-registration order numbers)",
            f"{self.scan_inputs} scanner inputs that are not codes of this event",
        ]


@dataclass(frozen=True)
class PurgeResult:
    done: bool
    message: str
    plan: PurgePlan
    compacted: bool = False


def _foreign_scans(session: Session) -> list[int]:
    """Scans whose stored input is anything but a genuine code of this event."""
    event = load_event(session)
    found = []
    rows = session.execute(select(ScanLog.id, ScanLog.raw).where(ScanLog.raw != ""))
    for scan_id, raw in rows:
        if not isinstance(codes.parse(raw, event.tag, event.secret_key), codes.Code):
            found.append(scan_id)
    return found


def _plan(session: Session) -> PurgePlan:
    event = load_event(session)

    def count(*conditions: object) -> int:
        stmt = select(func.count(Attendee.id)).where(*conditions)  # type: ignore[arg-type]
        return session.scalar(stmt) or 0

    return PurgePlan(
        event=event.name,
        phrase=confirmation_phrase(event.name),
        attendees=count(Attendee.purged.is_(False)),
        names=count(or_(Attendee.first_name != "", Attendee.last_name != "")),
        phones=count(Attendee.phone != ""),
        emails=count(Attendee.email != ""),
        notes=count(Attendee.notes != ""),
        external_refs=count(Attendee.external_ref != ""),
        scan_inputs=len(_foreign_scans(session)),
    )


def plan_purge(db: Database) -> PurgePlan:
    """What a purge would remove (nothing is changed)."""
    with db.reading() as session:
        return _plan(session)


def scrub(session: Session) -> int:
    """Clear the personal fields of every attendee and the foreign scanner inputs; returns how
    many scan inputs were cleared. Also used when a station file is merged after a purge."""
    session.execute(
        update(Attendee).values(
            first_name="",
            last_name="",
            phone="",
            email="",
            notes="",
            external_ref="",
            first_key="",
            last_key="",
            full_key="",
            phone_key="",
            consent=False,
            needs_attention=False,
            attention_note="",
            purged=True,
        )
    )
    forget_all(session)
    session.execute(delete(PersonEdit))  # the values edits replaced, kept for their undo
    scans = _foreign_scans(session)
    for start in range(0, len(scans), CHUNK):
        session.execute(
            update(ScanLog)
            .where(ScanLog.id.in_(scans[start : start + CHUNK]))
            .values(raw="")
            .execution_options(synchronize_session=False)
        )
    return len(scans)


def purge_personal_data(db: Database, confirmation: str, *, station: str = "") -> PurgeResult:
    """Remove personal data when ``confirmation`` is exactly the plan's phrase."""
    plan = plan_purge(db)
    if " ".join(confirmation.split()) != " ".join(plan.phrase.split()):
        return PurgeResult(
            False, f'Nothing was removed: type "{plan.phrase}" exactly to confirm', plan
        )

    def work(session: Session) -> None:
        if db.is_sqlite:
            # Overwrite deleted content in place too (VACUUM below rebuilds the file anyway).
            session.execute(text("PRAGMA secure_delete = ON"))
        scans = scrub(session)
        audit.record(
            session,
            ACTION,
            station=station,
            subject=load_event(session).uid,
            detail={
                "attendees": plan.attendees,
                "names": plan.names,
                "phones": plan.phones,
                "emails": plan.emails,
                "notes": plan.notes,
                "external_refs": plan.external_refs,
                "scan_inputs": scans,
            },
        )

    db.write(work)
    compacted = compact(db)
    message = (
        f"Personal data removed from {plan.attendees} attendees"
        + (" and the file compacted" if compacted else "")
        + ". Backups and station files made before now still hold it: delete them."
    )
    return PurgeResult(True, message, plan, compacted)


def compact(db: Database) -> bool:
    """VACUUM and truncate the WAL; False when another program kept the file busy."""
    if not db.is_sqlite:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM FULL")
        return True
    # Idle pooled connections could hold stale WAL snapshots: start from a fresh pool.
    db.engine.dispose()
    raw = db.engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        # Autocommit (the engine set isolation_level=None): VACUUM refuses to run in a transaction.
        driver.execute("PRAGMA secure_delete = ON")
        driver.execute("VACUUM")
        result: Sequence[int] = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        raw.close()
    return bool(result) and result[0] == 0
