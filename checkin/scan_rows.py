"""What one scan reads, in one Core statement each: a ticket with its type and holder, or a
person with their live check-in.

The scan engine decides on these plain snapshots instead of ORM objects: a scan is a handful of
statements and a durable commit, and the ORM's identity map and lazy loads cost more than the
statements did (see the core benchmark in the README).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Row, Table, and_, bindparam, exists, select

from checkin import audit
from checkin.models import Attendee, CheckIn, Ticket, TicketType
from checkin.results import AttendeeInfo, TicketInfo

_A = cast("Table", Attendee.__table__)
_C = cast("Table", CheckIn.__table__)
_T = cast("Table", Ticket.__table__)
_TT = cast("Table", TicketType.__table__)
# The audit chain's head, read with the snapshot: inside the write transaction (which holds
# SQLite's write lock) it cannot move until this scan appends its one entry. A statement less
# on every scan.
_HEAD = audit.LAST_HASH.scalar_subquery().label("head")

# A person's brief card: AttendeeInfo's fields up to the check-in's, read from the attendee row
# in that order (_card builds it positionally).
_FIELDS = [f.name for f in dataclasses.fields(AttendeeInfo)]
_CARD = tuple(_FIELDS[: _FIELDS.index("checked_in_at")])
_LIVE = and_(_C.c.attendee_id == _A.c.id, _C.c.undone_at.is_(None))
_CARD_COLUMNS = (
    _A.c.id.label("owner_id"),
    *(_A.c[name].label(f"owner_{name}") for name in _CARD),
    _C.c.at.label("checkin_at"),
    _C.c.station.label("checkin_station"),
    _C.c.id.label("checkin_id"),
)

_TICKET = (
    select(
        _T.c.id,
        _T.c.uid,
        _T.c.code,
        _T.c.serial,
        _T.c.state,
        _T.c.attendee_id,
        _T.c.issued_at,
        _T.c.redeemed_at,
        _T.c.redeemed_station,
        _TT.c.name.label("type_name"),
        _TT.c.kind,
        _TT.c.stations,
        _TT.c.partner_text,
        *_CARD_COLUMNS,
        _HEAD,
    )
    .join(_TT, _TT.c.id == _T.c.type_id)
    .outerjoin(_A, _A.c.id == _T.c.attendee_id)
    .outerjoin(_C, _LIVE)
    .where(_T.c.code == bindparam("code"))
)

_PERSON = (
    select(
        *_CARD_COLUMNS,
        _A.c.uid.label("owner_uid"),
        # Types handed out at check-in send the check-in through the ticket rules.
        exists(select(_TT.c.id).where(_TT.c.issue_at_checkin.is_(True))).label("defaults"),
        _HEAD,
    )
    .select_from(_A)
    .outerjoin(_C, _LIVE)
    .where(_A.c.code == bindparam("code"))
)


_TICKET_CARD = list(_TICKET.selected_columns.keys()).index("owner_code")
_PERSON_CARD = list(_PERSON.selected_columns.keys()).index("owner_code")


@dataclass(frozen=True)
class TicketRow:
    id: int
    uid: str
    type_name: str
    kind: str
    stations: str  # comma-separated station names that may redeem it; empty: any
    info: TicketInfo
    owner: AttendeeInfo | None
    owner_id: int | None
    audit_head: str | None  # see _HEAD; None while the log is empty

    @property
    def state(self) -> str:
        return self.info.state

    @property
    def serial(self) -> int:
        return self.info.serial


@dataclass(frozen=True)
class PersonRow:
    id: int
    uid: str
    card: AttendeeInfo
    checkin_id: int | None
    has_defaults: bool  # some ticket type is handed out at check-in
    audit_head: str | None


def ticket_row(connection: Connection, code: str) -> TicketRow | None:
    row = connection.execute(_TICKET, {"code": code}).first()
    if row is None:
        return None
    owner = _card(row, _TICKET_CARD) if row.owner_id is not None else None
    info = TicketInfo(
        code=row.code,
        serial=row.serial,
        type_name=row.type_name,
        kind=row.kind,
        state=row.state,
        attendee_code=owner.code if owner else None,
        issued_at=row.issued_at,
        redeemed_at=row.redeemed_at,
        redeemed_station=row.redeemed_station or None,
        partner_text=row.partner_text,
    )
    return TicketRow(
        row.id, row.uid, row.type_name, row.kind, row.stations, info, owner, row.owner_id, row.head
    )


def person_row(connection: Connection, code: str) -> PersonRow | None:
    row = connection.execute(_PERSON, {"code": code}).first()
    if row is None:
        return None
    card = _card(row, _PERSON_CARD)
    return PersonRow(
        row.owner_id, row.owner_uid, card, row.checkin_id, bool(row.defaults), row.head
    )


def _card(row: Row[Any, *tuple[Any, ...]], start: int) -> AttendeeInfo:
    # Positional: from ``start`` the columns come in AttendeeInfo's field order, up to the
    # check-in's time and station (a scan builds one card, and looking each column up by name
    # cost as much as the query).
    return AttendeeInfo(*row[start : start + len(_CARD) + 2])
