"""Every statement a scan runs, built once at import: reads that answer the scan in one go,
and the writes with all their values bound (no column defaults run on the scan path, so the
same statements serve SQLite through SQLAlchemy and PostgreSQL through the driver)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import (
    Insert,
    ScalarSelect,
    Table,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)

from checkin.record.images import BY_TABLE
from checkin.results import AttendeeInfo
from checkin.store import HELD_STATES, WIN_STATES, DrawState, TicketState
from checkin.store.models import (
    Attendee,
    AuditEntry,
    Campaign,
    CheckIn,
    Draw,
    Event,
    Prize,
    ScanLog,
    Setting,
    Ticket,
    TicketType,
)

A = cast("Table", Attendee.__table__)
C = cast("Table", CheckIn.__table__)
T = cast("Table", Ticket.__table__)
TT = cast("Table", TicketType.__table__)
E = cast("Table", Event.__table__)
AU = cast("Table", AuditEntry.__table__)
S = cast("Table", ScanLog.__table__)
CA = cast("Table", Campaign.__table__)

# The audit chain's head and the ticket types' revision, read with each snapshot: inside the
# write transaction they cannot move until this scan writes.
_HEAD = select(AU.c.hash).order_by(AU.c.id.desc()).limit(1).scalar_subquery().label("head")
HEAD = select(AU.c.hash).order_by(AU.c.id.desc()).limit(1)  # a scan that read no snapshot
_REV = select(E.c.config_rev).limit(1).scalar_subquery().label("config_rev")

# A person's card: AttendeeInfo's fields up to the check-in's, in that order (positional).
_FIELDS = [name for name in AttendeeInfo.__dataclass_fields__]
CARD = tuple(_FIELDS[: _FIELDS.index("checked_in_at")])
_LIVE = and_(C.c.attendee_id == A.c.id, C.c.undone_at.is_(None))
_CARD_COLUMNS = (
    A.c.id.label("owner_id"),
    A.c.uid.label("owner_uid"),
    *(A.c[name].label(f"owner_{name}") for name in CARD),
    C.c.at.label("checkin_at"),
    C.c.station.label("checkin_station"),
    C.c.id.label("checkin_id"),
)

TICKET = (
    select(
        T.c.id,
        T.c.uid,
        T.c.code,
        T.c.serial,
        T.c.state,
        T.c.type_id,
        T.c.issued_at,
        T.c.redeemed_at,
        T.c.redeemed_station,
        T.c.issued_station,
        T.c.voided_at,
        T.c.void_reason,
        T.c.sheet,
        T.c.from_paper,
        T.c.created_at,
        *_CARD_COLUMNS,
        _HEAD,
        _REV,
    )
    .outerjoin(A, A.c.id == T.c.attendee_id)
    .outerjoin(C, _LIVE)
    .where(T.c.code == bindparam("code"))
)


def _key(table: Table, column: str, code: str) -> ScalarSelect[Any]:
    return select(table.c[column]).where(table.c.code == bindparam(code)).scalar_subquery()


# A repeat's household and ticket, by the codes its answer named (the scan log's keys), with
# the chain's head: one read, as a repeat made before it named them.
REPEAT_KEYS = select(
    _key(A, "id", "person_a").label("person_id"),
    _key(A, "uid", "person_b").label("person_uid"),
    _key(T, "id", "ticket_a").label("ticket_id"),
    _key(T, "uid", "ticket_b").label("ticket_uid"),
    _HEAD,
)

PERSON = (
    select(*_CARD_COLUMNS, _HEAD, _REV)
    .select_from(A)
    .outerjoin(C, _LIVE)
    .where(A.c.code == bindparam("code"))
)

_HELD_COLUMNS = (
    T.c.id,
    T.c.uid,
    T.c.code,
    T.c.serial,
    T.c.type_id,
    T.c.state,
    T.c.issued_at,
    T.c.redeemed_at,
    T.c.redeemed_station,
    T.c.issued_station,
    T.c.voided_at,
    T.c.void_reason,
    T.c.sheet,
    T.c.from_paper,
    T.c.created_at,
)
# A person's tickets, found by the person's code or by one of their tickets' codes, so the
# query can be sent with the snapshot before either row is back.
TICKETS_OF_PERSON = (
    select(*_HELD_COLUMNS)
    .where(T.c.attendee_id == select(A.c.id).where(A.c.code == bindparam("code")).scalar_subquery())
    .order_by(T.c.id)
)
TICKETS_OF_HOLDER = (
    select(*_HELD_COLUMNS)
    .where(
        T.c.attendee_id
        == select(T.c.attendee_id).where(T.c.code == bindparam("code")).scalar_subquery()
    )
    .order_by(T.c.id)
)

NEXT_SERIALS = select(TT.c.id, TT.c.next_serial).where(TT.c.issue_at_checkin.is_(True))
# One type's next serial: a ticket issued at a resource station to an entitled household.
NEXT_SERIAL = select(TT.c.id, TT.c.next_serial).where(TT.c.id == bindparam("type_id"))
# Held tickets of one type (issued or redeemed), for its stock; several are sent together.
STOCK_HELD = select(func.count(T.c.id).label("held")).where(
    T.c.type_id == bindparam("type_id"), or_(*(T.c.state == state for state in HELD_STATES))
)

CONFIG_EVENT = select(E.c.tag, E.c.secret_key, E.c.config_rev).limit(1)
CONFIG_TYPES = select(
    TT.c.id,
    TT.c.uid,
    TT.c.name,
    TT.c.kind,
    TT.c.rule,
    TT.c.quantity,
    TT.c.stock,
    TT.c.stations,
    TT.c.partner_text,
    TT.c.issue_at_checkin,
    TT.c.at_checkin,
    TT.c.next_serial,
).order_by(TT.c.position, TT.c.id)

CAMPAIGN = select(CA.c.id, CA.c.name).where(CA.c.code == bindparam("code"))


def _insert(table: Table, *skip: str) -> Insert:
    return insert(table).values({c.name: bindparam(c.name) for c in table.c if c.name not in skip})


INSERT_CHECKIN = _insert(C, "id")
INSERT_ATTENDEE = _insert(A, "id")  # a household registered at another station (elsewhere.py)
SETTING = select(cast("Table", Setting.__table__).c.value).where(
    cast("Table", Setting.__table__).c.key == bindparam("key")
)
TOP_NUMBER = select(func.max(A.c.number).label("top")).where(
    A.c.number.between(bindparam("low"), bindparam("high"))
)
INSERT_TICKET = _insert(T, "id")
INSERT_AUDIT = _insert(AU, "id")
INSERT_SCAN = _insert(S, "id")

SET_SERIAL = update(TT).where(TT.c.id == bindparam("b_id")).values(next_serial=bindparam("b_next"))
REDEEM = (
    update(T)
    .where(T.c.id == bindparam("b_id"), T.c.state == TicketState.ISSUED)
    .values(
        state=TicketState.REDEEMED,
        redeemed_at=bindparam("b_at"),
        redeemed_station=bindparam("b_station"),
    )
)
BIND = (
    update(T)
    .where(T.c.id == bindparam("b_id"), T.c.state == TicketState.UNASSIGNED)
    .values(
        state=TicketState.ISSUED,
        attendee_id=bindparam("b_attendee"),
        issued_at=bindparam("b_at"),
        issued_station=bindparam("b_station"),
    )
)
SET_CAMPAIGN = (
    update(A)
    .where(A.c.id == bindparam("b_id"))
    .values(campaign_id=bindparam("b_campaign"), heard_about=bindparam("b_heard"))
)

# --- the prize table ----------------------------------------------------------------------

D = cast("Table", Draw.__table__)
P = cast("Table", Prize.__table__)
_TICKET_ID = select(T.c.id).where(T.c.code == bindparam("code")).scalar_subquery()
# The ticket's live draw (waiting for its winner, or claimed), found by the ticket's code so it
# travels with the ticket's snapshot.
DRAW_OF_TICKET = (
    select(
        D.c.id,
        D.c.uid,
        D.c.state,
        D.c.claimed_at,
        D.c.claimed_station,
        P.c.name.label("prize"),
        P.c.sponsor,
    )
    .outerjoin(P, P.c.id == D.c.prize_id)
    .where(D.c.ticket_id == _TICKET_ID, or_(*(D.c.state == state for state in WIN_STATES)))
    .order_by(D.c.id.desc())
    .limit(1)
)
REDRAWN_OF_TICKET = (
    select(D.c.redrawn_at, P.c.name.label("prize"))
    .outerjoin(P, P.c.id == D.c.prize_id)
    .where(D.c.ticket_id == _TICKET_ID, D.c.state == DrawState.REDRAWN)
    .order_by(D.c.id.desc())
    .limit(1)
)
CLAIM = (
    update(D)
    .where(D.c.id == bindparam("b_id"), D.c.state == DrawState.DRAWN)
    .values(
        state=DrawState.CLAIMED,
        claimed_at=bindparam("b_at"),
        claimed_station=bindparam("b_station"),
    )
)
# A claimed draw's image for the record, read back (the prize table's path is rare).
DRAW_IMAGE = BY_TABLE["draws"].query.where(D.c.id == bindparam("draw_id"))
