"""Merging station copies (``checkin.stations.station_copy``) back into the organiser's file.

``merge_station`` brings a station's rows into the organiser's file, matched by their random
``uid``: check-ins, walk-ups, tickets (the most advanced state wins: unassigned < issued < void <
redeemed, with its timestamps), scans, draws and claims, paper tallies, and the station's audit
entries, appended to the organiser's chain (each one names the station entry's hash) so that
the chain stays valid. Nothing is dropped; what two stations both did is reported as a conflict
(``checkin.stations.merge_report``): a ticket redeemed at two stations (both scans kept, the first
redemption stands), a person checked in at two stations (the first check-in stays live, the
other is kept as undone and the tickets it handed out that are still unused are cancelled), a
ticket bound to two people (it stays with the first), a prize drawn or claimed twice.

A joined station's copy (``checkin.hosting``) is remade from the server now and then, so it
also holds what other stations did: a redemption whose every scan the server already has is
not this station's news, and is neither applied again nor listed under it. A write the station
gave up on may have reached the server anyway before the station redid it on its copy: the same
check-in or redemption at the same station within ``SAME_SCAN_SECONDS`` is one scan, kept once.

The order of merging does not matter: "first" is the earliest by time, ties broken by uid (or
station name), whichever file is merged first; what the merge marks as undone or cancelled
gets the losing check-in's own time, not the time of the merge.

Merging is idempotent: every row is matched by uid, and a station file merged before with the
same content (file uid plus a content hash, recorded in ``merged_files``) is recognised.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from checkin.after_event.purge import scrub
from checkin.event.events import load_event
from checkin.people.attendees import next_number, set_search_keys
from checkin.people.consent_withdrawal import withdraw_in_session
from checkin.record import audit
from checkin.record.purge_mark import was_purged
from checkin.results import ScanState
from checkin.stations import elsewhere
from checkin.stations.merge_report import Conflict, MergeReport
from checkin.stations.station_copy import (
    FILE_UID,
    STATION_NAME,
    STATION_OF,
    MergeRefused,
    read_setting,
)
from checkin.store import (
    HELD_STATES,
    WIN_STATES,
    WRITE_LOCK,
    Database,
    DrawState,
    EventFileError,
    TicketState,
    config_rev,
    open_database,
)
from checkin.store.models import (
    Attendee,
    AuditEntry,
    Campaign,
    CheckIn,
    Draw,
    MergedFile,
    PaperTally,
    PersonEdit,
    Prize,
    ScanLog,
    Setting,
    Station,
    Ticket,
    TicketType,
)
from checkin.timefmt import clock

# The most advanced state wins: a meal already eaten stays eaten even if the ticket was
# cancelled elsewhere.
TICKET_RANK = {
    TicketState.UNASSIGNED: 0,
    TicketState.ISSUED: 1,
    TicketState.VOID: 2,
    TicketState.REDEEMED: 3,
}
DRAW_RANK = {DrawState.DRAWN: 0, DrawState.REDRAWN: 1, DrawState.CLAIMED: 2}
# A joined station's write given up on and redone on its copy comes this soon after the first
# (checkin/hosting/failover.py: a deadline under a second, up to 10 s while pings answer).
SAME_SCAN_SECONDS = 15.0


def _same_value(a: Any, b: Any) -> bool:
    """Equal, a blank and a None alike (an edit's JSON keeps what the row held)."""
    return a == b or (a in (None, "") and b in (None, ""))


def _same_scan(ours: tuple[Any, str | None], theirs: tuple[Any, str | None]) -> bool:
    """Whether two (time, station) are one scan written twice (see the module docstring)."""
    if ours[0] is None or theirs[0] is None or (ours[1] or "") != (theirs[1] or ""):
        return False
    return bool(abs((ours[0] - theirs[0]).total_seconds()) <= SAME_SCAN_SECONDS)


# --- merging ---------------------------------------------------------------------------------


def _earlier(theirs: tuple[Any, str], ours: tuple[Any, str]) -> bool:
    """Whether (time, tie-breaker) ``theirs`` comes before ``ours``; an unknown time last."""
    if theirs[0] is None or ours[0] is None:
        return ours[0] is None and theirs[0] is not None
    return (theirs[0], theirs[1]) < (ours[0], ours[1])


def _rows(session: Session, table: Table) -> list[dict[str, Any]]:
    return [dict(r) for r in session.execute(select(table).order_by(table.c.id)).mappings()]


@dataclass
class _Station:
    """Everything read from a station file."""

    path: Path
    event_uid: str
    event_name: str
    settings: dict[str, str]
    tables: dict[str, list[dict[str, Any]]]
    content_hash: str

    @property
    def file_uid(self) -> str:
        return self.settings.get(FILE_UID, "")

    @property
    def name(self) -> str:
        return self.settings.get(STATION_NAME, "") or self.path.stem


MERGED_TABLES: tuple[type[Any], ...] = (
    Campaign,
    TicketType,
    Prize,
    Station,
    Attendee,
    PersonEdit,
    Ticket,
    CheckIn,
    ScanLog,
    Draw,
    PaperTally,
    AuditEntry,
)


def _read_station(path: Path) -> _Station:
    source = open_database(path)
    try:
        with source.reading() as session:
            event = load_event(session)
            settings = {s.key: s.value for s in session.scalars(select(Setting))}
            tables = {
                model.__tablename__: _rows(session, model.__table__) for model in MERGED_TABLES
            }
            event_uid, event_name = event.uid, event.name
    finally:
        source.dispose()
    audit_rows = tables["audit"]
    fingerprint = {
        "file": settings.get(FILE_UID, ""),
        "head": audit_rows[-1]["hash"] if audit_rows else "",
        "counts": {name: len(rows) for name, rows in sorted(tables.items())},
        "last": {
            name: rows[-1]["uid"] if rows and "uid" in rows[-1] else ""
            for name, rows in sorted(tables.items())
        },
    }
    digest = hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()
    return _Station(path, event_uid, event_name, settings, tables, digest)


def merge_files(db: Database, paths: Iterable[str | Path], *, by: str = "") -> list[MergeReport]:
    """Merge several station files, one transaction each, in the order given."""
    return [merge_station(db, path, by=by) for path in paths]


def merge_station(db: Database, path: str | Path, *, by: str = "") -> MergeReport:
    """Bring one station file into ``db`` (the organiser's file); see the module docstring."""
    source_path = Path(path).expanduser().resolve()
    if source_path.is_dir():
        raise MergeRefused(f"{source_path} is a folder: choose a station's file in it")
    if not source_path.is_file():
        raise MergeRefused(f"No station file at {source_path}")
    if db.path is not None and db.path.resolve() == source_path:
        raise MergeRefused("That is the organiser's file itself: choose a station's file")
    try:
        station = _read_station(source_path)
    except EventFileError as exc:  # its message names the file already
        raise MergeRefused(str(exc)) from exc
    return db.write(lambda session: _Merger(session, station, by).run())


class _Merger:
    def __init__(self, session: Session, station: _Station, by: str) -> None:
        self.s = session
        self.station = station
        self.by = by
        self.conflicts: list[Conflict] = []
        self.warnings: list[str] = []
        self.counts: dict[str, int] = {}
        self.ids: dict[str, dict[int, int]] = {}  # table -> station id -> organiser id
        self.elsewhere: list[int] = []  # households registered at one station, met at another
        self.took_over: set[int] = set()  # stand-ins that got their real household's details
        self.checked_in_now: set[int] = set()  # households this merge brought a check-in of

    # -- helpers --

    def _uids(self, model: Any) -> dict[str, int]:
        return {uid: id_ for uid, id_ in self.s.execute(select(model.uid, model.id)).all()}

    def _map(self, table: str, station_id: int | None) -> int | None:
        return None if station_id is None else self.ids[table].get(station_id)

    def _conflict(self, kind: str, subject: str, detail: str) -> None:
        self.conflicts.append(Conflict(kind, subject, detail))

    def _insert(self, model: Any, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.s.execute(insert(model), [{k: v for k, v in r.items() if k != "id"} for r in rows])

    def _match(self, model: Any, table: str, fix: Any = None) -> list[dict[str, Any]]:
        """Insert the station's rows the organiser's file lacks; map every station id."""
        known = self._uids(model)
        new = []
        for row in self.station.tables[table]:
            if row["uid"] not in known:
                new.append(fix(row) if fix else row)
        self._insert(model, new)
        known = self._uids(model) if new else known
        self.ids[table] = {row["id"]: known[row["uid"]] for row in self.station.tables[table]}
        return new

    # -- the merge --

    def run(self) -> MergeReport:
        s, station = self.s, self.station
        # One merge at a time on a server (as audit appends are serialised).
        s.execute(WRITE_LOCK).first()
        event = load_event(s)
        if event.uid != station.event_uid:
            other = (
                "another event of the same name (made separately, not copied from this file)"
                if station.event_name == event.name
                else f"a different event ('{station.event_name}'), not to '{event.name}'"
            )
            raise MergeRefused(f"{station.path.name} belongs to {other}: it was not merged")
        own_uid = read_setting(s, FILE_UID)
        if own_uid and station.file_uid == own_uid and not read_setting(s, STATION_OF):
            # A plain copy of this very file (same identity): its new rows still merge by uid.
            self.warnings.append("this file is a plain copy of the organiser's file")
        source_uid = (station.file_uid + station.content_hash)[:64]
        previous = s.scalar(select(MergedFile).where(MergedFile.source_uid == source_uid))
        if previous is not None:
            return MergeReport(str(station.path), station.name, already_merged=True)

        self._setup_rows()
        self.counts["walkups"] = self._attendees()
        self._person_edits()
        self._tickets()
        self._checkins()
        self.counts["scans"] = len(self._match(ScanLog, "scans", self._fix_scan))
        self._draws()
        self.counts["paper_tallies"] = len(
            self._match(PaperTally, "paper_tallies", self._fix_tally)
        )
        self._audit()
        self._checks()
        met_elsewhere = self._elsewhere_lines()
        if was_purged(s):
            # The organiser removed this event's personal data: a station file merged later (a
            # laptop handed in late) must not bring it back.
            scrub(s)
            self.counts["filled"] = 0
            self.warnings.append(
                "names, phones, emails and notes in this file were not kept: "
                "this event's personal data was removed before"
            )
        report = MergeReport(
            source=str(station.path),
            station=station.name,
            walkups=self.counts["walkups"],
            checkins=self.counts.get("checkins", 0),
            tickets_added=self.counts.get("tickets_added", 0),
            tickets_updated=self.counts.get("tickets_updated", 0),
            scans=self.counts["scans"],
            draws=self.counts.get("draws", 0),
            paper_tallies=self.counts["paper_tallies"],
            audit_entries=self.counts.get("audit", 0),
            details_filled=self.counts.get("filled", 0),
            details_edited=self.counts.get("edited", 0),
            conflicts=tuple(self.conflicts),
            warnings=tuple(self.warnings),
            registered_elsewhere=met_elsewhere,
        )
        summary = {k: v for k, v in report.as_json().items() if k not in ("conflicts",)}
        summary["conflicts"] = len(self.conflicts)
        summary["registered_elsewhere"] = len(met_elsewhere)
        audit.record(
            s,
            "station_merged",
            station=self.by,
            subject=station.file_uid or source_uid[:40],
            detail={
                "file": station.path.name,
                "station": station.name,
                "content": station.content_hash,
                "station_head": self.station.tables["audit"][-1]["hash"]
                if self.station.tables["audit"]
                else "",
                **summary,
            },
        )
        s.add(
            MergedFile(
                source_uid=source_uid,
                source_name=str(station.path)[-300:],
                summary=json.dumps(report.as_json(), ensure_ascii=False, default=str),
            )
        )
        return report

    def _setup_rows(self) -> None:
        """Campaigns, ticket types and prizes made at a station (rare): matched by uid or name."""
        for model, table in ((Campaign, "campaigns"), (TicketType, "ticket_types")):
            by_name = dict(self.s.execute(select(model.name, model.id)).all())
            known = self._uids(model)
            new = [
                r
                for r in self.station.tables[table]
                if r["uid"] not in known and r["name"] not in by_name
            ]
            if model is Campaign:
                codes = set(self.s.scalars(select(Campaign.code)))
                new = [r for r in new if r["code"] not in codes]
            self._insert(model, new)
            if model is TicketType and new:  # a Core insert: no ORM event bumps it
                self.s.execute(config_rev.BUMP)
            known = self._uids(model)
            by_name = dict(self.s.execute(select(model.name, model.id)).all())
            self.ids[table] = {
                r["id"]: known.get(r["uid"]) or by_name[r["name"]]
                for r in self.station.tables[table]
                if r["uid"] in known or r["name"] in by_name
            }
        self._match(Prize, "prizes")
        names = set(self.s.scalars(select(Station.name)))
        self._insert(
            Station,
            [
                {**r, "ticket_type_id": self._map("ticket_types", r["ticket_type_id"])}
                for r in self.station.tables["stations"]
                if r["name"] not in names
            ],
        )

    def _attendees(self) -> int:
        known = self._uids(Attendee)
        by_code = dict(self.s.execute(select(Attendee.code, Attendee.id)).all())
        numbers = set(self.s.scalars(select(Attendee.number)))
        new: list[dict[str, Any]] = []
        added = 0
        same: dict[str, int] = {}  # station uid -> this file's household with the same code
        for row in self.station.tables["attendees"]:
            if row["uid"] in known:
                continue
            if row["code"] in by_code:
                # One household registered at one station, its code checked in at another
                # that did not know it (checkin/stations/elsewhere.py): one household, not two.
                same[row["uid"]] = by_code[row["code"]]
                self._same_household(row, by_code[row["code"]], numbers)
                continue
            fixed = {**row, "campaign_id": self._map("campaigns", row["campaign_id"])}
            added += 1
            if fixed["number"] in numbers:
                # A station file not made with make_station_copy: give the walk-up a free number
                # (after inserting the ones before it, which next_number must see).
                self._insert(Attendee, new)
                new = []
                fixed["number"] = next_number(self.s)
                self._conflict(
                    "number_taken",
                    f"Guest #{row['number']}",
                    f"the number was taken in the organiser's file; "
                    f"this walk-up is now Guest #{fixed['number']}",
                )
            numbers.add(fixed["number"])
            new.append(fixed)
        self._insert(Attendee, new)
        known = {**self._uids(Attendee), **same}
        self.ids["attendees"] = {r["id"]: known[r["uid"]] for r in self.station.tables["attendees"]}
        self._fill_blanks(known)
        return added

    def _same_household(self, row: dict[str, Any], main_id: int, numbers: set[int]) -> None:
        """A station's household whose code this file holds under another uid: a stand-in
        (checkin/stations/elsewhere.py) on one side or the other. The real household's details stay
        (or replace the stand-in's); the report lists it."""
        person = self.s.get(Attendee, main_id)
        assert person is not None
        if elsewhere.is_stand_in(person.source) and not elsewhere.is_stand_in(row["source"]):
            elsewhere.take_over(person, row, campaign_id=self._map("campaigns", row["campaign_id"]))
            if row["number"] not in numbers:  # the number its own station gave it
                numbers.add(row["number"])
                person.number = row["number"]
            self.s.flush()
            self.took_over.add(main_id)
        elif not elsewhere.is_stand_in(row["source"]) and not elsewhere.is_stand_in(person.source):
            self.warnings.append(
                f"Guest #{row['number']} has the code of Person No. {person.number} "
                "under another identity; kept as one household"
            )
        self.elsewhere.append(main_id)

    def _elsewhere_lines(self) -> tuple[str, ...]:
        """One line a household registered at one station and met at another (by number: the
        report may be shared), with the check-in that counts."""
        lines = []
        for main_id in dict.fromkeys(self.elsewhere):
            if main_id not in self.took_over | self.checked_in_now:
                continue  # nothing new of it in this file (merged before, then changed)
            person = self.s.get(Attendee, main_id)
            if person is None:
                continue
            live = self.s.scalars(
                select(CheckIn).where(CheckIn.attendee_id == main_id, CheckIn.undone_at.is_(None))
            ).first()
            line = f"Person No. {person.number}"
            if not elsewhere.is_stand_in(person.source):
                line += f", registered at {person.created_station or '?'}"
            if live is not None:
                line += f", checked in at {live.station or '?'} {clock(live.at)}"
            lines.append(line + "; one household")
        return tuple(lines)

    def _fill_blanks(self, known: dict[str, int]) -> None:
        """Details a station added to a person the organiser's file has without them."""
        fields = ("first_name", "last_name", "zip_code", "language", "heard_about", "notes")
        filled = 0
        main = {
            a.id: a
            for a in self.s.scalars(
                select(Attendee).where(
                    Attendee.id.in_([known[r["uid"]] for r in self.station.tables["attendees"]])
                )
            )
        }
        for row in self.station.tables["attendees"]:
            person = main[known[row["uid"]]]
            changed = False
            for name in fields:
                if row[name] and not getattr(person, name):
                    setattr(person, name, row[name])
                    changed = True
            if row["campaign_id"] is not None and person.campaign_id is None:
                person.campaign_id = self._map("campaigns", row["campaign_id"])
                changed = True
            if row.get("contact_withdrawn_at") is not None and person.contact_withdrawn_at is None:
                # withdrawn at the station: removed here too, whatever this file held (sealed
                # with the merge's entry; the station's own entry comes over with its record)
                withdraw_in_session(self.s, person, record=False)
                self.counts["withdrawn"] = self.counts.get("withdrawn", 0) + 1
            elif (
                row["consent"]
                and person.contact_withdrawn_at is None  # a withdrawal is never undone here
                and not person.consent
                and not person.phone
                and not person.email
            ):
                person.consent, person.phone, person.email = True, row["phone"], row["email"]
                changed = True
            if row["needs_attention"] and not person.needs_attention:
                person.needs_attention = True
                changed = True
            if row.get("attention_note") and not person.attention_note:
                person.attention_note = row["attention_note"]
                changed = True
            if changed:
                set_search_keys(person)
                filled += 1
        self.counts["filled"] = filled

    def _person_edits(self) -> None:
        """Corrections made at the station (the person window, `checkin person --set`): a
        field the station changed and this file did not is taken; one both changed keeps this
        file's value and is listed. The station's edit rows come over for the person's history."""
        rows = self._match(PersonEdit, "person_edits", self._fix_edit)
        theirs = {r["id"]: r for r in self.station.tables["attendees"]}
        station_id = {ours: id_ for id_, ours in self.ids["attendees"].items()}
        edited: set[int] = set()
        for row in sorted(rows, key=lambda r: r["at"]):
            person = self.s.get(Attendee, row["attendee_id"])
            station_row = theirs.get(station_id.get(row["attendee_id"], -1))
            if person is None or station_row is None:
                continue
            taken: dict[str, Any] = {}
            for name, replaced in json.loads(row["before"]).items():
                if name not in station_row:
                    continue
                ours, now = getattr(person, name), station_row[name]
                if _same_value(ours, now):
                    continue
                if _same_value(ours, replaced):
                    taken[name] = now
                else:
                    self._conflict(
                        "edited_twice",
                        f"Guest #{person.number}",
                        f"{name} was changed here and at the station (to {now}); "
                        "this file's value is kept",
                    )
            if taken:
                for name, value in taken.items():
                    setattr(person, name, value)
                set_search_keys(person)
                edited.add(person.id)
        self.counts["edited"] = len(edited)

    def _fix_edit(self, row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "attendee_id": self._map("attendees", row["attendee_id"])}

    def _ticket_label(self, row: dict[str, Any]) -> str:
        type_id = self._map("ticket_types", row["type_id"])
        ticket_type = self.s.get(TicketType, type_id) if type_id else None
        return f"{ticket_type.name if ticket_type else 'Ticket'} ticket No. {row['serial']}"

    def _tickets(self) -> None:
        known = self._uids(Ticket)
        new = [
            {
                **r,
                "type_id": self._map("ticket_types", r["type_id"]),
                "attendee_id": self._map("attendees", r["attendee_id"]),
            }
            for r in self.station.tables["tickets"]
            if r["uid"] not in known
        ]
        self._insert(Ticket, new)
        self.counts["tickets_added"] = len(new)
        existing = {
            t.uid: t
            for t in self.s.scalars(
                select(Ticket).where(
                    Ticket.uid.in_(
                        [r["uid"] for r in self.station.tables["tickets"] if r["uid"] in known]
                    )
                )
            )
        }
        updated = 0
        heard = self._redeemed_elsewhere()
        for row in self.station.tables["tickets"]:
            ticket = existing.get(row["uid"])
            if ticket is None:
                continue
            if row["state"] == TicketState.REDEEMED and row["id"] in heard:
                continue  # the server's own news, in a copy made from it
            owner = self._map("attendees", row["attendee_id"])
            if (
                row["state"] in HELD_STATES
                and ticket.state in HELD_STATES
                and ticket.attendee_id is not None
                and owner is not None
                and owner != ticket.attendee_id
            ):
                ours = (ticket.issued_at, self._uid_of(Attendee, ticket.attendee_id))
                theirs = (row["issued_at"], self._uid_of(Attendee, owner))
                first, second = row["issued_station"], ticket.issued_station
                if _earlier(theirs, ours):
                    ticket.attendee_id = owner
                    ticket.issued_at, ticket.issued_station = row["issued_at"], first
                else:
                    first, second = second, first
                self._conflict(
                    "bound_twice",
                    self._ticket_label(row),
                    f"given to two people (at {first or '?'} and at {second or '?'}); "
                    "it stays with the first",
                )
                continue
            if (
                row["state"] == TicketState.REDEEMED
                and ticket.state == TicketState.REDEEMED
                and (row["redeemed_at"], row["redeemed_station"])
                != (ticket.redeemed_at, ticket.redeemed_station)
            ):
                ours = (ticket.redeemed_at, ticket.redeemed_station or "")
                theirs = (row["redeemed_at"], row["redeemed_station"] or "")
                if _same_scan(ours, theirs):
                    continue  # one scan that reached both: the server's stands
                if _earlier(theirs, ours):
                    ticket.redeemed_at, ticket.redeemed_station = theirs[0], row["redeemed_station"]
                    ours, theirs = theirs, ours
                self._conflict(
                    "redeemed_twice",
                    self._ticket_label(row),
                    f"redeemed at {ours[1] or '?'} {clock(ours[0])} "
                    f"and again at {theirs[1] or '?'} {clock(theirs[0])}; "
                    "both scans are kept, the first redemption stands",
                )
                continue
            if row["state"] == ticket.state == TicketState.VOID and _earlier(
                (row["voided_at"], ""), (ticket.voided_at, "")
            ):
                ticket.voided_at = row["voided_at"]  # cancelled twice: the first time counts
                updated += 1
                continue
            if TICKET_RANK.get(row["state"], 0) <= TICKET_RANK.get(ticket.state, 0):
                continue
            ticket.state = row["state"]
            if ticket.attendee_id is None and owner is not None:
                ticket.attendee_id = owner
                ticket.issued_at, ticket.issued_station = row["issued_at"], row["issued_station"]
            if row["state"] == TicketState.REDEEMED:
                ticket.redeemed_at = row["redeemed_at"]
                ticket.redeemed_station = row["redeemed_station"]
            if row["state"] == TicketState.VOID:
                ticket.voided_at = row["voided_at"]
                ticket.void_reason = row.get("void_reason") or ""  # lost, stolen...: shown
            updated += 1
        self.counts["tickets_updated"] = updated
        known = self._uids(Ticket)
        self.ids["tickets"] = {r["id"]: known[r["uid"]] for r in self.station.tables["tickets"]}

    def _redeemed_elsewhere(self) -> set[int]:
        """The station's ticket ids whose redemption it only holds from the server: every
        redeemed scan of them in its file is one the server has already."""
        known = set(self.s.scalars(select(ScanLog.uid)))
        own: set[int] = set()
        heard: set[int] = set()
        for scan in self.station.tables["scans"]:
            if scan["state"] == ScanState.REDEEMED and scan["ticket_id"] is not None:
                (heard if scan["uid"] in known else own).add(scan["ticket_id"])
        return heard - own

    def _checkins(self) -> None:
        known = self._uids(CheckIn)
        live = {
            c.attendee_id: c
            for c in self.s.scalars(select(CheckIn).where(CheckIn.undone_at.is_(None)))
        }
        issued_by = {
            e["subject"]: json.loads(e["detail"]).get("tickets", [])
            for e in self.station.tables["audit"]
            if e["action"] == "checked_in"
        }
        station_uids = {row["uid"] for row in self.station.tables["checkins"]}
        added = 0
        for row in self.station.tables["checkins"]:
            attendee_id = self.ids["attendees"][row["attendee_id"]]
            if row["uid"] in known:
                if row["undone_at"] is not None:
                    self.s.execute(
                        update(CheckIn)
                        .where(CheckIn.uid == row["uid"], CheckIn.undone_at.is_(None))
                        .values(undone_at=row["undone_at"])
                    )
                    if attendee_id in live and live[attendee_id].uid == row["uid"]:
                        del live[attendee_id]
                continue
            fixed = {**row, "attendee_id": attendee_id}
            first = live.get(attendee_id) if row["undone_at"] is None else None
            if (
                first is not None
                and first.uid not in station_uids
                and _same_scan((first.at, first.station), (row["at"], row["station"]))
            ):
                # One scan that reached the server too: no second check-in, and the tickets
                # this copy handed out with it (the server's check-in has its own) cancelled.
                self._void_unused(issued_by.get(row["uid"], []), row["at"])
                continue
            if first is not None:
                person = self.s.get(Attendee, attendee_id)
                # The report may be shared: the person's number, never their name; "Guest" is
                # for walk-ups without a name, so it is not used here.
                who = f"Person No. {person.number}" if person else "a person"
                if _earlier((row["at"], row["uid"]), (first.at, first.uid)):
                    # The station's check-in came first: the one already here is the second.
                    first.undone_at = first.at
                    voided = self._void_unused(self._issued_at_checkin(first.uid), first.at)
                    self._conflict(
                        "checked_in_twice",
                        who,
                        f"checked in at {row['station'] or '?'} {clock(row['at'])} and again at "
                        f"{first.station or '?'} {clock(first.at)}; the first check-in counts"
                        + (f", {voided} tickets from the second were cancelled" if voided else ""),
                    )
                    self.s.flush()
                    self._insert(CheckIn, [fixed])
                    self.checked_in_now.add(attendee_id)
                    added += 1
                    live[attendee_id] = self.s.scalars(
                        select(CheckIn).where(CheckIn.uid == row["uid"])
                    ).one()
                    continue
                fixed["undone_at"] = row["at"]
                voided = self._void_unused(issued_by.get(row["uid"], []), row["at"])
                self._conflict(
                    "checked_in_twice",
                    who,
                    f"checked in at {first.station or '?'} {clock(first.at)} and again at "
                    f"{row['station'] or '?'} {clock(row['at'])}; the first check-in counts"
                    + (f", {voided} tickets from the second were cancelled" if voided else ""),
                )
            self._insert(CheckIn, [fixed])
            self.checked_in_now.add(attendee_id)
            added += 1
            inserted = self.s.scalar(select(CheckIn).where(CheckIn.uid == row["uid"]))
            if inserted is not None and inserted.undone_at is None:
                live[inserted.attendee_id] = inserted
        self.counts["checkins"] = added

    def _issued_at_checkin(self, checkin_uid: str) -> list[str]:
        """The ticket codes a check-in already in this file handed out (from its log entry)."""
        detail = self.s.scalar(
            select(AuditEntry.detail).where(
                AuditEntry.action == "checked_in", AuditEntry.subject == checkin_uid
            )
        )
        return list(json.loads(detail).get("tickets", [])) if detail else []

    def _uid_of(self, model: Any, row_id: int | None) -> str:
        return (self.s.scalar(select(model.uid).where(model.id == row_id)) or "") if row_id else ""

    def _void_unused(self, codes: list[str], when: datetime) -> int:
        if not codes:
            return 0
        result = self.s.execute(
            update(Ticket)
            .where(Ticket.code.in_(codes), Ticket.state == TicketState.ISSUED)
            .values(state=TicketState.VOID, voided_at=when)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def _fix_scan(self, row: dict[str, Any]) -> dict[str, Any]:
        return {
            **row,
            "attendee_id": self._map("attendees", row["attendee_id"]),
            "ticket_id": self._map("tickets", row["ticket_id"]),
        }

    def _fix_tally(self, row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "ticket_type_id": self._map("ticket_types", row["ticket_type_id"])}

    def _draws(self) -> None:
        known = self._uids(Draw)
        rows = self.station.tables["draws"]
        new = [
            {
                **r,
                "prize_id": self._map("prizes", r["prize_id"]),
                "ticket_id": self._map("tickets", r["ticket_id"]),
                "attendee_id": self._map("attendees", r["attendee_id"]),
                "redraw_of": None,
            }
            for r in rows
            if r["uid"] not in known
        ]
        self._insert(Draw, new)
        self.counts["draws"] = len(new)
        known = self._uids(Draw)
        self.ids["draws"] = {r["id"]: known[r["uid"]] for r in rows}
        for r in rows:
            if r["redraw_of"] is not None:
                self.s.execute(
                    update(Draw)
                    .where(Draw.uid == r["uid"], Draw.redraw_of.is_(None))
                    .values(redraw_of=self._map("draws", r["redraw_of"]))
                )
        main = {
            d.uid: d
            for d in self.s.scalars(select(Draw).where(Draw.uid.in_([r["uid"] for r in rows])))
        }
        for r in rows:
            draw = main[r["uid"]]
            if r["state"] == draw.state:
                continue
            if {r["state"], draw.state} == {DrawState.CLAIMED, DrawState.REDRAWN}:
                prize = self.s.get(Prize, draw.prize_id)
                self._conflict(
                    "draw_differs",
                    prize.name if prize else "prize",
                    f"a winner claimed the prize at {r['claimed_station'] or draw.claimed_station} "
                    "while it was drawn again elsewhere; check who holds it",
                )
                if r["state"] != DrawState.CLAIMED:
                    continue
            elif DRAW_RANK[r["state"]] <= DRAW_RANK[draw.state]:
                continue
            draw.state = r["state"]
            draw.claimed_at, draw.claimed_station = r["claimed_at"], r["claimed_station"]
            draw.redrawn_at = r["redrawn_at"]

    def _audit(self) -> None:
        """Append the station's entries to this file's chain, each naming its original hash."""
        known = self._uids(AuditEntry)
        station_ids = {r["id"]: r["uid"] for r in self.station.tables["audit"]}
        head = self.s.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
        prev = head.scalar() or audit.GENESIS
        pending: dict[str, AuditEntry] = {}
        added = 0
        for row in self.station.tables["audit"]:
            if row["uid"] in known:
                continue
            undoes = None
            if row["undoes"] is not None:
                target = station_ids.get(row["undoes"], "")
                if target in pending:
                    self.s.flush()
                    known[target] = pending.pop(target).id
                undoes = known.get(target)
            detail = json.loads(row["detail"] or "{}")
            if not isinstance(detail, dict):
                detail = {"value": detail}
            if audit.ROWS in detail:
                # The station's rows as the station had them: this file's record seals the
                # merged rows itself (in station_merged), and a row the station lost on
                # (a later redemption) keeps this file's image.
                detail["station_rows"] = detail.pop(audit.ROWS)
            detail["merged_from"] = {
                "file": self.station.file_uid,
                "station": self.station.name,
                "hash": row["hash"],
            }
            entry = AuditEntry(
                uid=row["uid"],
                at=row["at"],
                station=row["station"],
                volunteer=row["volunteer"],
                action=row["action"],
                subject=row["subject"],
                detail=audit.canonical(detail),
                undoes=undoes,
                prev_hash=prev,
            )
            entry.hash = audit.entry_hash(prev, entry)
            prev = entry.hash
            self.s.add(entry)
            pending[row["uid"]] = entry
            added += 1
        self.s.flush()
        self.counts["audit"] = added

    def _checks(self) -> None:
        """What adds up to more than there was: stock and prizes."""
        for ticket_type in self.s.scalars(select(TicketType).where(TicketType.stock.is_not(None))):
            held = self.s.scalar(
                select(func.count(Ticket.id)).where(
                    Ticket.type_id == ticket_type.id, Ticket.state.in_(HELD_STATES)
                )
            )
            if ticket_type.stock is not None and (held or 0) > ticket_type.stock:
                self.warnings.append(
                    f"{ticket_type.name}: {held} handed out across stations, stock was "
                    f"{ticket_type.stock}"
                )
        for prize in self.s.scalars(select(Prize)):
            standing = self.s.scalar(
                select(func.count(Draw.id)).where(
                    Draw.prize_id == prize.id, Draw.state.in_(WIN_STATES)
                )
            )
            if (standing or 0) > prize.quantity:
                self._conflict(
                    "prize_overdrawn",
                    prize.name,
                    f"{standing} winners across stations for {prize.quantity} to give",
                )
