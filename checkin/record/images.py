"""What the record holds of each row: its image, the fields that make the event's history.

An image names other rows by uid (ids differ between an organiser's file and its station
copies) and holds no personal data: a person is their code and household, not their name, so a
purge leaves the record whole. A scan's input is kept as a short hash, since garbage a scanner
sent (a vCard, a phone number) may be personal and a purge clears it; so are the event's key
and passphrase hash, a merged file's path and report, and a setting's value (a logo).

Every column of every table is either sealed here or exempt with its reason in
checkin/record/exempt.py (tests/checkin/record/test_every_column.py holds the two to the schema).
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Connection, Select, Table, inspect, select
from sqlalchemy.orm import aliased

from checkin.store.models import (
    Attendee,
    Campaign,
    CheckIn,
    Draw,
    Event,
    MergedFile,
    PaperTally,
    Prize,
    ScanLog,
    Setting,
    Ticket,
    TicketType,
)

Query = Select[*tuple[Any, ...]]  # uid, then the fields
Image = list[Any]  # the fields in Tracked.fields' order; None in the record: the row was removed
_CHUNK = 500


def raw_digest(raw: str | bytes) -> str:
    data = raw if isinstance(raw, bytes) else raw.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:16]


_AS_IS = frozenset((str, int, float, type(None)))  # not bool: a subclass of int, kept as 0/1


def value(item: Any) -> Any:
    """A field as the record keeps it, the same whichever way it was read or written."""
    if isinstance(item, datetime):
        return item.isoformat(timespec="microseconds")
    if isinstance(item, date):
        return item.isoformat()
    if isinstance(item, bool):
        return int(item)
    if isinstance(item, enum.Enum):  # a state or kind (checkin.store.states): its stored string
        return item.value
    return item


@dataclass(frozen=True)
class Tracked:
    table: str
    model: type[Any]
    fields: tuple[str, ...]
    query: Query  # the key, then the fields
    key: str = "uid"  # the column naming a row in every file of the event
    digested: tuple[str, ...] = ()  # fields kept as a short hash (raw_digest)

    def columns(self) -> set[str]:
        """The table's columns this image seals: the key, each field, a field's ``_id``."""
        names = {c.name for c in cast("Table", self.model.__table__).c}
        sealed = {self.key}
        for name in self.fields:
            sealed.add(name if name in names else f"{name}_id")
        return sealed & names

    def images(self, connection: Connection, uids: Iterable[str] | None = None) -> dict[str, Image]:
        """Images by uid: of the rows with these uids, or of every row."""
        if uids is None:
            return self._read(connection, self.query)
        key = cast("Table", self.model.__table__).c[self.key]
        wanted = sorted(set(uids))
        found: dict[str, Image] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            found.update(self._read(connection, self.query.where(key.in_(chunk))))
        return found

    def image_of_values(self, values: dict[str, Any]) -> Image | None:
        """The image of a row about to be inserted with these column values, as ``images``
        would read it back; None when a field is not among them (or names a row by its id)."""
        image = []
        for name in self.fields:
            if name in values:
                item = values[name]
            elif values.get(f"{name}_id", 0) is None:
                item = None  # no row named: read back, the joined uid is None too
            else:
                return None
            # Text and numbers are kept as they are (an import's 100,000 rows: most fields).
            image.append(item if type(item) in _AS_IS else value(item))
        for name in self.digested:
            at = self.fields.index(name)
            image[at] = raw_digest(image[at] or "")
        return image

    def _read(self, connection: Connection, query: Query) -> dict[str, Image]:
        digests = [self.fields.index(name) for name in self.digested]
        found: dict[str, Image] = {}
        for row in connection.execute(query):
            image = [value(item) for item in row[1:]]
            for at in digests:
                image[at] = raw_digest(image[at] or "")
            found[row[0]] = image
        return found


def _tracked() -> tuple[Tracked, ...]:
    owner = aliased(Attendee)
    held = aliased(Ticket)
    first = aliased(Draw)
    return (
        Tracked(
            "attendees",
            Attendee,
            ATTENDEE_FIELDS,
            select(
                Attendee.uid,
                Attendee.code,
                Attendee.number,
                Attendee.adults,
                Attendee.kids,
                Attendee.seniors,
                Attendee.zip_code,
                Attendee.heard_about,
                Campaign.uid,
                Attendee.language,
                Attendee.source,
                Attendee.purged,
                Attendee.contact_withdrawn_at,
                Attendee.created_at,
                Attendee.created_station,
            ).outerjoin(Campaign, Campaign.id == Attendee.campaign_id),
        ),
        Tracked(
            "checkins",
            CheckIn,
            ("attendee", "at", "station", "volunteer", "undone_at"),
            select(
                CheckIn.uid,
                owner.uid,
                CheckIn.at,
                CheckIn.station,
                CheckIn.volunteer,
                CheckIn.undone_at,
            ).outerjoin(owner, owner.id == CheckIn.attendee_id),
        ),
        Tracked(
            "tickets",
            Ticket,
            TICKET_FIELDS,
            select(
                Ticket.uid,
                Ticket.code,
                Ticket.serial,
                TicketType.uid,
                owner.uid,
                Ticket.state,
                Ticket.issued_at,
                Ticket.issued_station,
                Ticket.redeemed_at,
                Ticket.redeemed_station,
                Ticket.voided_at,
                Ticket.void_reason,
                Ticket.sheet,
                Ticket.from_paper,
                Ticket.created_at,
            )
            .outerjoin(TicketType, TicketType.id == Ticket.type_id)
            .outerjoin(owner, owner.id == Ticket.attendee_id),
        ),
        Tracked(
            "scans",
            ScanLog,
            SCAN_FIELDS,
            select(
                ScanLog.uid,
                ScanLog.at,
                ScanLog.station,
                ScanLog.volunteer,
                ScanLog.raw,
                ScanLog.state,
                ScanLog.repeat,
                owner.uid,
                held.uid,
            )
            .outerjoin(owner, owner.id == ScanLog.attendee_id)
            .outerjoin(held, held.id == ScanLog.ticket_id),
            digested=("raw",),
        ),
        Tracked(
            "draws",
            Draw,
            (
                "prize",
                "at",
                "station",
                "pool_size",
                "pool_hash",
                "seed_commitment",
                "seed",
                "witness",
                "random_value",
                "ticket",
                "attendee",
                "state",
                "claimed_at",
                "claimed_station",
                "redrawn_at",
                "redraw_of",
            ),
            select(
                Draw.uid,
                Prize.uid,
                Draw.at,
                Draw.station,
                Draw.pool_size,
                Draw.pool_hash,
                Draw.seed_commitment,
                Draw.seed,
                Draw.witness,
                Draw.random_value,
                held.uid,
                owner.uid,
                Draw.state,
                Draw.claimed_at,
                Draw.claimed_station,
                Draw.redrawn_at,
                first.uid,
            )
            .outerjoin(Prize, Prize.id == Draw.prize_id)
            .outerjoin(held, held.id == Draw.ticket_id)
            .outerjoin(owner, owner.id == Draw.attendee_id)
            .outerjoin(first, first.id == Draw.redraw_of),
        ),
        # What every entry means: the event's key and tag (a code's authenticity), its raffle
        # rules, the ticket types, prizes, campaigns; and the figures kept beside the scans.
        Tracked(
            "events",
            Event,
            (
                "name",
                "date",
                "location",
                "tag",
                "secret_key",
                "organiser_hash",
                "raffle_checked_in_only",
                "raffle_one_win_per",
                "raffle_cutoff",
                "created_at",
            ),
            select(
                Event.uid,
                Event.name,
                Event.date,
                Event.location,
                Event.tag,
                Event.secret_key,
                Event.organiser_hash,
                Event.raffle_checked_in_only,
                Event.raffle_one_win_per,
                Event.raffle_cutoff,
                Event.created_at,
            ),
            digested=("secret_key", "organiser_hash"),
        ),
        Tracked(
            "ticket_types",
            TicketType,
            (
                "name",
                "kind",
                "rule",
                "quantity",
                "stock",
                "stations",
                "partner_text",
                "issue_at_checkin",
                "at_checkin",
                "position",
            ),
            select(
                TicketType.uid,
                TicketType.name,
                TicketType.kind,
                TicketType.rule,
                TicketType.quantity,
                TicketType.stock,
                TicketType.stations,
                TicketType.partner_text,
                TicketType.issue_at_checkin,
                TicketType.at_checkin,
                TicketType.position,
            ),
        ),
        Tracked(
            "prizes",
            Prize,
            ("name", "quantity", "position", "sponsor"),
            select(Prize.uid, Prize.name, Prize.quantity, Prize.position, Prize.sponsor),
        ),
        Tracked(
            "campaigns",
            Campaign,
            ("name", "code", "created_at"),
            select(Campaign.uid, Campaign.name, Campaign.code, Campaign.created_at),
        ),
        Tracked(
            "paper_tallies",
            PaperTally,
            ("entered_at", "ticket_type", "count", "station", "note"),
            select(
                PaperTally.uid,
                PaperTally.entered_at,
                TicketType.uid,
                PaperTally.count,
                PaperTally.station,
                PaperTally.note,
            ).outerjoin(TicketType, TicketType.id == PaperTally.ticket_type_id),
        ),
        Tracked(
            "merged_files",
            MergedFile,
            ("source_name", "merged_at", "summary"),
            select(
                MergedFile.source_uid,
                MergedFile.source_name,
                MergedFile.merged_at,
                MergedFile.summary,
            ),
            key="source_uid",
            digested=("source_name", "summary"),
        ),
        Tracked(
            "settings",
            Setting,
            ("value",),
            select(Setting.key, Setting.value),
            key="key",
            digested=("value",),
        ),
    )


ATTENDEE_FIELDS = (
    "code",
    "number",
    "adults",
    "kids",
    "seniors",
    "zip_code",
    "heard_about",
    "campaign",
    "language",
    "source",
    "purged",
    "contact_withdrawn_at",
    "created_at",
    "created_station",
)


TICKET_FIELDS = (
    "code",
    "serial",
    "type",
    "attendee",
    "state",
    "issued_at",
    "issued_station",
    "redeemed_at",
    "redeemed_station",
    "voided_at",
    "void_reason",
    "sheet",
    "from_paper",
    "created_at",
)
SCAN_FIELDS = ("at", "station", "volunteer", "raw", "state", "repeat", "attendee", "ticket")
TRACKED = _tracked()


def tracked_in(connection: Connection) -> list[Tracked]:
    """The tracked tables whose sealed columns a file already has: a migration sealing rows as
    found leaves the others to the later revision that adds their columns (and seals them)."""
    found = inspect(connection)
    return [
        t
        for t in TRACKED
        if t.columns() <= {c["name"] for c in found.get_columns(t.model.__tablename__)}
    ]


BY_TABLE = {t.table: t for t in TRACKED}
BY_MODEL = {t.model: t for t in TRACKED}


def ticket_image(row: dict[str, Any], type_uid: str, attendee_uid: str | None) -> Image:
    """A ticket's image from the values the scan path writes (the same as read back)."""
    fields = {**row, "type": type_uid, "attendee": attendee_uid}
    return [value(fields[name]) for name in TICKET_FIELDS]


def scan_image(row: dict[str, Any], attendee_uid: str | None, ticket_uid: str | None) -> Image:
    fields = {**row, "attendee": attendee_uid, "ticket": ticket_uid}
    image = [value(fields[name]) for name in SCAN_FIELDS]
    image[SCAN_FIELDS.index("raw")] = raw_digest(str(row["raw"]))
    return image
