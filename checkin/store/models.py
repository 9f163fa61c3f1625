"""The event file's tables.

One file (or one PostgreSQL database) holds one event. Every row that stations create carries a
random ``uid`` so that station files made from the same organiser file can be merged later
without id clashes. Times are stored as naive UTC.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from checkin.store import pg_types  # noqa: F401  (text of any length on PostgreSQL too)
from checkin.store.states import (
    AllowanceRule,
    AttendeeSource,
    DrawState,
    EnumText,
    StationMode,
    TicketKind,
    TicketState,
    WinLimit,
)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_uid() -> str:
    return new_uids(1)[0]


def new_uids(count: int) -> list[str]:
    """``count`` uids as ``new_uid`` makes them (random UUIDs, version 4), from one read of
    the system's randomness: an import makes them a chunk at a time."""
    randomness = os.urandom(16 * count)
    return [
        f"{int.from_bytes(randomness[at : at + 16], 'big') & _UUID_CLEAR | _UUID_V4:032x}"
        for at in range(0, 16 * count, 16)
    ]


# The version (4) and variant (RFC 4122) bits of a random UUID, as uuid.UUID(version=4) sets.
_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID_V4 = (4 << 76) | (0x8000 << 48)


class Base(DeclarativeBase):
    pass


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    name: Mapped[str] = mapped_column(String(200))
    date: Mapped[date | None] = mapped_column(Date)
    location: Mapped[str] = mapped_column(String(200), default="")
    tag: Mapped[str] = mapped_column(String(3))  # the event tag inside every code
    secret_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    organiser_hash: Mapped[str] = mapped_column(String(300), default="")
    # raffle rules (filled by the raffle screens)
    raffle_checked_in_only: Mapped[bool] = mapped_column(Boolean, default=True)
    raffle_one_win_per: Mapped[WinLimit] = mapped_column(
        EnumText(WinLimit, 16), default=WinLimit.HOUSEHOLD
    )
    raffle_cutoff: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Moves on with every change to the ticket types (config_rev.py), so a scan engine knows
    # when its cached copy of them is stale without reading them on every scan.
    config_rev: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Setting(Base):
    """Small per-event preferences (logo, badge names shown, backup folder...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Campaign(Base):
    """A flyer campaign (a street area): its code on flyers records how people heard of us."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Attendee(Base):
    """A person or household. Nothing but the household counts is required."""

    __tablename__ = "attendees"
    __table_args__ = (
        Index("ix_attendees_first_key", "first_key"),
        Index("ix_attendees_last_key", "last_key"),
        Index("ix_attendees_full_key", "full_key"),
        Index("ix_attendees_phone_key", "phone_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    number: Mapped[int] = mapped_column(Integer, index=True)  # "Guest #N"
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    adults: Mapped[int] = mapped_column(Integer, default=1)
    kids: Mapped[int] = mapped_column(Integer, default=0)
    seniors: Mapped[int] = mapped_column(Integer, default=0)
    zip_code: Mapped[str] = mapped_column(String(10), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(10), default="")
    heard_about: Mapped[str] = mapped_column(String(200), default="")
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    needs_attention: Mapped[bool] = mapped_column(Boolean, default=False)
    # what the desk shows with the attention banner ("uses a wheelchair"); personal data
    attention_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    external_ref: Mapped[str] = mapped_column(String(100), default="", index=True)
    source: Mapped[AttendeeSource] = mapped_column(
        EnumText(AttendeeSource, 10), default=AttendeeSource.WALKUP
    )
    # accent- and case-folded search keys, kept in step by checkin.people.attendees
    first_key: Mapped[str] = mapped_column(String(100), default="")
    last_key: Mapped[str] = mapped_column(String(100), default="")
    full_key: Mapped[str] = mapped_column(String(200), default="")
    phone_key: Mapped[str] = mapped_column(String(40), default="")
    purged: Mapped[bool] = mapped_column(Boolean, default=False)
    # The household withdrew its contact consent: phone and email removed, never brought back
    # by a merge or a re-import (checkin/people/consent_withdrawal.py)
    contact_withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_station: Mapped[str] = mapped_column(String(100), default="")

    tickets: Mapped[list[Ticket]] = relationship(back_populates="attendee")


class PersonEdit(Base):
    """The values one edit of a person replaced, so that Undo can put them back; the audit
    entry names the edit by uid and lists the fields, never their values (a purge deletes
    these rows with the names)."""

    __tablename__ = "person_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    attendee_id: Mapped[int] = mapped_column(ForeignKey("attendees.id"))
    before: Mapped[str] = mapped_column(Text, default="{}")  # JSON: field -> value replaced
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CheckIn(Base):
    __tablename__ = "checkins"
    __table_args__ = (
        # At most one live check-in per attendee: the database settles a race between stations.
        Index(
            "ux_checkins_live",
            "attendee_id",
            unique=True,
            sqlite_where=text("undone_at IS NULL"),
            postgresql_where=text("undone_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    attendee_id: Mapped[int] = mapped_column(ForeignKey("attendees.id"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    station: Mapped[str] = mapped_column(String(100), default="")
    volunteer: Mapped[str] = mapped_column(String(100), default="")
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)


class ExternalCode(Base):
    """A household's further code from a registration tool (a family's other Eventbrite
    barcodes, pretix ticket secrets): scanned, it checks the household in as its own code
    does. The first such code is the attendee's ``external_ref``."""

    __tablename__ = "external_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    attendee_id: Mapped[int] = mapped_column(ForeignKey("attendees.id"), index=True)
    code: Mapped[str] = mapped_column(String(100), index=True)


class Station(Base):
    """A station set up for the event (name, mode, the ticket type it redeems)."""

    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    mode: Mapped[StationMode] = mapped_column(EnumText(StationMode, 10), default=StationMode.DESK)
    ticket_type_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_types.id"))


class TicketType(Base):
    __tablename__ = "ticket_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[TicketKind] = mapped_column(EnumText(TicketKind, 10))
    rule: Mapped[AllowanceRule] = mapped_column(
        EnumText(AllowanceRule, 12), default=AllowanceRule.FIXED
    )
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    stock: Mapped[int | None] = mapped_column(Integer)  # None: unlimited
    stations: Mapped[str] = mapped_column(Text, default="")  # comma-separated; empty: any
    partner_text: Mapped[str] = mapped_column(Text, default="")
    issue_at_checkin: Mapped[bool] = mapped_column(Boolean, default=False)
    # how many of the allowance are handed out at check-in (None: all of it); the rest comes
    # from pre-printed stock bound at the desk (a raffle: 1 at the door, more won at games)
    at_checkin: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    next_serial: Mapped[int] = mapped_column(Integer, default=1)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_type_state", "type_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    serial: Mapped[int] = mapped_column(Integer)  # short number called out at the raffle
    type_id: Mapped[int] = mapped_column(ForeignKey("ticket_types.id"))
    attendee_id: Mapped[int | None] = mapped_column(ForeignKey("attendees.id"), index=True)
    state: Mapped[TicketState] = mapped_column(EnumText(TicketState, 12))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    issued_at: Mapped[datetime | None] = mapped_column(DateTime)
    issued_station: Mapped[str] = mapped_column(String(100), default="")
    redeemed_at: Mapped[datetime | None] = mapped_column(DateTime)
    redeemed_station: Mapped[str] = mapped_column(String(100), default="")
    voided_at: Mapped[datetime | None] = mapped_column(DateTime)
    # why it was voided (checkin/ticketing/ticket_voiding.py: lost, stolen, damaged, sheet); ""
    # when an
    # undone check-in cancelled it
    void_reason: Mapped[str] = mapped_column(String(20), default="", server_default="")
    sheet: Mapped[int | None] = mapped_column(Integer)  # the pre-printed stock sheet it is on
    from_paper: Mapped[bool] = mapped_column(Boolean, default=False)

    attendee: Mapped[Attendee | None] = relationship(back_populates="tickets")
    type: Mapped[TicketType] = relationship()


class ScanLog(Base):
    """Every scan, including rejected ones."""

    __tablename__ = "scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    station: Mapped[str] = mapped_column(String(100), default="")
    volunteer: Mapped[str] = mapped_column(String(100), default="")
    raw: Mapped[str] = mapped_column(String(200), default="")  # truncated, control chars escaped
    state: Mapped[str] = mapped_column(String(20), index=True)
    repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    attendee_id: Mapped[int | None] = mapped_column(ForeignKey("attendees.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))


class AuditEntry(Base):
    """Hash-chained record of every change: the event's accountability record."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    station: Mapped[str] = mapped_column(String(100), default="")
    volunteer: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    subject: Mapped[str] = mapped_column(String(40), default="")  # uid of the row acted on
    detail: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON
    undoes: Mapped[int | None] = mapped_column(Integer, index=True)  # audit id this entry undid
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Prize(Base):
    __tablename__ = "prizes"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer, default=0)
    sponsor: Mapped[str] = mapped_column(String(200), default="")


class Draw(Base):
    """One draw of a prize: what was in the pool, the committed seed, who won, what happened."""

    __tablename__ = "draws"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    prize_id: Mapped[int] = mapped_column(ForeignKey("prizes.id"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    station: Mapped[str] = mapped_column(String(100), default="")
    pool_size: Mapped[int] = mapped_column(Integer)
    pool_hash: Mapped[str] = mapped_column(String(64))
    seed_commitment: Mapped[str] = mapped_column(String(64))
    seed: Mapped[str] = mapped_column(String(64), default="")  # revealed after the draw
    witness: Mapped[str] = mapped_column(String(100), default="")
    random_value: Mapped[str] = mapped_column(String(80), default="")
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    attendee_id: Mapped[int | None] = mapped_column(ForeignKey("attendees.id"))
    state: Mapped[DrawState] = mapped_column(EnumText(DrawState, 10), default=DrawState.DRAWN)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    claimed_station: Mapped[str] = mapped_column(String(100), default="")
    redrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    redraw_of: Mapped[int | None] = mapped_column(ForeignKey("draws.id"))


class PaperTally(Base):
    """Counts entered afterwards from the paper fallback kit's tally sheets."""

    __tablename__ = "paper_tallies"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    entered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ticket_type_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_types.id"))
    count: Mapped[int] = mapped_column(Integer, default=0)
    station: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class MergedFile(Base):
    """Station files merged into this one (so merging twice is recognised)."""

    __tablename__ = "merged_files"
    __table_args__ = (UniqueConstraint("source_uid", name="uq_merged_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_uid: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(String(300), default="")
    merged_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    summary: Mapped[str] = mapped_column(Text, default="{}")
