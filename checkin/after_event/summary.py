"""Aggregate figures of an event: what the desk counters, `checkin stats`, the dashboard, the
summary CSV and the report show.

Only counts, zip codes, ticket serials and labels leave this module: no names, phones, emails or
codes. Nothing here reads a column that the personal-data purge clears, so the figures (and the
report drawn from them) are the same before and after a purge.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, String, cast, func, select
from sqlalchemy.orm import Session

from checkin.event.campaigns import heard_label
from checkin.event.events import load_event
from checkin.people.consent_withdrawal import count_in_session as withdrawn_count
from checkin.results import TONE, ScanState, Tone
from checkin.store import (
    HELD_STATES,
    ON_THE_DAY,
    Database,
    DrawState,
    TicketKind,
    TicketState,
)
from checkin.store.models import (
    Attendee,
    AuditEntry,
    Campaign,
    CheckIn,
    Draw,
    PaperTally,
    Prize,
    ScanLog,
    Ticket,
    TicketType,
)

BIN_MINUTES = 15
# Audit actions taken after the event about the file itself. The report's "record head" stops
# before them, so purging personal data leaves the report identical; they still chain on.
AFTER_EVENT_ACTIONS = ("personal_data_purged",)
PAPER_CHECKINS = "check-ins"  # what a paper tally without a ticket type counts


@dataclass(frozen=True)
class TypeFigures:
    name: str
    kind: TicketKind
    issued: int  # issued or bound, still held or used (not void)
    redeemed: int
    unassigned: int
    void: int
    stock: int | None
    stock_left: int | None
    bound: int = 0  # of ``issued``: pre-printed tickets handed out by scanning them
    from_paper: int = 0  # of ``issued``: entered afterwards from paper records
    paper_tally: int = 0  # counted on paper tally sheets only (not in the figures above)
    ran_out_at: str = ""  # local time with offset the last of the stock went out; "" if not out


@dataclass(frozen=True)
class ArrivalBin:
    start: str  # local time with offset, ISO 8601
    households: int
    people: int


@dataclass(frozen=True)
class ZipFigures:
    zip_code: str  # "" when not given
    households: int
    people: int


@dataclass(frozen=True)
class HeardFigures:
    label: str  # "Flyer: <campaign>" for flyer campaigns; "" when not given
    households: int
    people: int


@dataclass(frozen=True)
class CampaignFigures:
    name: str
    registered: int  # households who scanned or named this flyer
    checked_in: int


@dataclass(frozen=True)
class PrizeFigures:
    name: str
    sponsor: str
    quantity: int
    drawn: int  # every draw, including those later redrawn
    claimed: int
    redrawn: int  # no-shows whose draw was repeated
    waiting: int  # drawn, not yet claimed


@dataclass(frozen=True)
class DrawFigures:
    prize: str
    at: str  # local time with offset
    serial: int | None  # the winning raffle ticket's number: never a name
    state: DrawState


@dataclass(frozen=True)
class PaperFigures:
    counts: str  # a ticket type's name, or "check-ins"
    total: int
    sheets: int


@dataclass(frozen=True)
class Summary:
    event: str
    registered: int
    households_checked_in: int
    people_checked_in: int
    adults: int
    kids: int
    seniors: int
    walkups: int
    tickets: tuple[TypeFigures, ...]
    scans: int
    scans_by_state: dict[str, int] = field(default_factory=dict)
    event_date: str = ""
    location: str = ""
    unique_scans: int = 0  # scans that had an effect or an answer of their own
    repeat_scans: int = 0  # a scanner firing twice: answered again, no second effect
    failed_scans_by_state: dict[str, int] = field(default_factory=dict)
    first_arrival: str = ""
    last_arrival: str = ""
    arrivals: tuple[ArrivalBin, ...] = ()
    zip_codes: tuple[ZipFigures, ...] = ()
    heard_about: tuple[HeardFigures, ...] = ()
    campaigns: tuple[CampaignFigures, ...] = ()
    prizes: tuple[PrizeFigures, ...] = ()
    draws: tuple[DrawFigures, ...] = ()
    paper_tallies: tuple[PaperFigures, ...] = ()
    audit_entries: int = 0  # up to the end of the event (after-the-event actions not counted)
    audit_head: str = ""  # hash of the last of those entries: anchors the accountability record
    contact_withdrawn: int = 0  # households that withdrew their consent to be contacted

    @property
    def failed_scans(self) -> int:
        return sum(self.failed_scans_by_state.values())

    @property
    def peak(self) -> ArrivalBin | None:
        return max(self.arrivals, key=lambda b: b.households, default=None)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def to_json_text(self) -> str:
        return json.dumps(self.as_json(), ensure_ascii=False, sort_keys=True, default=str)


def is_failed(state: str) -> bool:
    """A scan that did nothing: an error answer (not a warning like "already checked in")."""
    try:
        return TONE.get(ScanState(state), Tone.ERROR) is Tone.ERROR
    except ValueError:
        return True


def summarize(db: Database) -> Summary:
    with db.reading() as session:
        return summary_in_session(session)


def summary_in_session(session: Session) -> Summary:
    event = load_event(session)
    live = CheckIn.undone_at.is_(None)
    households, adults, kids, seniors = session.execute(
        select(
            func.count(Attendee.id),
            func.coalesce(func.sum(Attendee.adults), 0),
            func.coalesce(func.sum(Attendee.kids), 0),
            func.coalesce(func.sum(Attendee.seniors), 0),
        ).join(CheckIn, (CheckIn.attendee_id == Attendee.id) & live)
    ).one()
    walkups = (
        session.scalar(select(func.count(Attendee.id)).where(Attendee.source.in_(ON_THE_DAY))) or 0
    )
    registered = session.scalar(select(func.count(Attendee.id))) or 0
    by_state = {
        state: n
        for state, n in session.execute(
            select(ScanLog.state, func.count(ScanLog.id)).group_by(ScanLog.state)
        ).all()
    }
    repeats = session.scalar(select(func.count(ScanLog.id)).where(ScanLog.repeat)) or 0
    scans = sum(by_state.values())
    arrivals = _arrivals(session)
    head_hash, entries = record_head(session)
    return Summary(
        event=event.name,
        registered=registered,
        households_checked_in=households,
        people_checked_in=int(adults) + int(kids) + int(seniors),
        adults=int(adults),
        kids=int(kids),
        seniors=int(seniors),
        walkups=walkups,
        tickets=_tickets(session),
        scans=scans,
        scans_by_state=dict(sorted(by_state.items())),
        event_date=event.date.isoformat() if event.date else "",
        location=event.location,
        unique_scans=scans - repeats,
        repeat_scans=repeats,
        failed_scans_by_state={s: n for s, n in sorted(by_state.items()) if is_failed(s)},
        first_arrival=arrivals[0] if arrivals else "",
        last_arrival=arrivals[1] if arrivals else "",
        arrivals=arrivals[2] if arrivals else (),
        zip_codes=_zips(session),
        heard_about=_heard(session),
        campaigns=_campaigns(session),
        prizes=_prizes(session),
        draws=_draws(session),
        paper_tallies=_paper(session),
        audit_entries=entries,
        audit_head=head_hash,
        contact_withdrawn=withdrawn_count(session),
    )


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _arrivals(session: Session) -> tuple[str, str, tuple[ArrivalBin, ...]] | None:
    """Live check-ins per 15 minutes of local time, empty quarters in between included."""
    live = CheckIn.undone_at.is_(None)
    first, last = session.execute(
        select(func.min(CheckIn.at), func.max(CheckIn.at)).where(live)
    ).one()
    if first is None:
        return None
    # Grouped by the database on the stored text ("2030-06-14 18:02:10..."): hour and quarter.
    # Every real UTC offset is a whole number of quarter hours, so quarters of UTC are quarters
    # of local time: only the bin starts are converted.
    stamp = cast(CheckIn.at, String)
    hour = func.substr(stamp, 1, 13)
    quarter = cast(func.substr(stamp, 15, 2), Integer) // BIN_MINUTES
    rows = session.execute(
        select(
            hour,
            quarter,
            func.count(CheckIn.id),
            func.sum(Attendee.adults + Attendee.kids + Attendee.seniors),
        )
        .join(Attendee, Attendee.id == CheckIn.attendee_id)
        .where(live)
        .group_by(hour, quarter)
    ).all()
    households: dict[datetime, int] = {}
    people: dict[datetime, int] = {}
    for hour_text, q, n, size in rows:
        start = datetime.fromisoformat(f"{hour_text}:00") + timedelta(minutes=int(q) * BIN_MINUTES)
        households[start], people[start] = int(n), int(size or 0)
    step = timedelta(minutes=BIN_MINUTES)
    bins = []
    moment = min(households)
    while moment <= max(households):
        local_start = moment.replace(tzinfo=UTC).astimezone()
        bins.append(ArrivalBin(_iso(local_start), households.get(moment, 0), people.get(moment, 0)))
        moment += step
    earliest = first.replace(tzinfo=UTC).astimezone()
    latest = last.replace(tzinfo=UTC).astimezone()
    return _iso(earliest), _iso(latest), tuple(bins)


def _checked_in_households(*columns: Any) -> Any:
    return (
        select(
            *columns,
            func.count(Attendee.id),
            func.sum(Attendee.adults + Attendee.kids + Attendee.seniors),
        )
        .join(CheckIn, (CheckIn.attendee_id == Attendee.id) & CheckIn.undone_at.is_(None))
        .group_by(*columns)
    )


def _zips(session: Session) -> tuple[ZipFigures, ...]:
    rows = session.execute(_checked_in_households(Attendee.zip_code)).all()
    figures = [ZipFigures(z or "", int(h), int(p or 0)) for z, h, p in rows]
    figures.sort(key=lambda f: (-f.households, f.zip_code == "", f.zip_code))
    return tuple(figures)


def _heard(session: Session) -> tuple[HeardFigures, ...]:
    campaigns = {c.id: heard_label(c) for c in session.scalars(select(Campaign))}
    rows = session.execute(_checked_in_households(Attendee.campaign_id, Attendee.heard_about)).all()
    merged: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for campaign_id, heard, h, p in rows:
        label = campaigns.get(campaign_id, "") if campaign_id is not None else (heard or "")
        merged[label][0] += int(h)
        merged[label][1] += int(p or 0)
    figures = [HeardFigures(label, h, p) for label, (h, p) in merged.items()]
    figures.sort(key=lambda f: (-f.households, f.label == "", f.label))
    return tuple(figures)


def _campaigns(session: Session) -> tuple[CampaignFigures, ...]:
    live = (
        select(CheckIn.id)
        .where(CheckIn.attendee_id == Attendee.id, CheckIn.undone_at.is_(None))
        .exists()
    )
    registered = dict(
        session.execute(
            select(Attendee.campaign_id, func.count(Attendee.id)).group_by(Attendee.campaign_id)
        ).all()
    )
    came = dict(
        session.execute(
            select(Attendee.campaign_id, func.count(Attendee.id))
            .where(live)
            .group_by(Attendee.campaign_id)
        ).all()
    )
    return tuple(
        CampaignFigures(c.name, registered.get(c.id, 0), came.get(c.id, 0))
        for c in session.scalars(select(Campaign).order_by(Campaign.name))
    )


def _tickets(session: Session) -> tuple[TypeFigures, ...]:
    counts: dict[tuple[int, str], int] = {
        (type_id, state): n
        for type_id, state, n in session.execute(
            select(Ticket.type_id, Ticket.state, func.count(Ticket.id)).group_by(
                Ticket.type_id, Ticket.state
            )
        ).all()
    }
    held = Ticket.state.in_(HELD_STATES)
    bound_uids = select(AuditEntry.subject).where(AuditEntry.action == "ticket_bound")
    bound = dict(
        session.execute(
            select(Ticket.type_id, func.count(Ticket.id))
            .where(held, Ticket.uid.in_(bound_uids))
            .group_by(Ticket.type_id)
        ).all()
    )
    paper = dict(
        session.execute(
            select(Ticket.type_id, func.count(Ticket.id))
            .where(held, Ticket.from_paper)
            .group_by(Ticket.type_id)
        ).all()
    )
    tallied = dict(
        session.execute(
            select(PaperTally.ticket_type_id, func.sum(PaperTally.count)).group_by(
                PaperTally.ticket_type_id
            )
        ).all()
    )
    figures = []
    for t in session.scalars(select(TicketType).order_by(TicketType.position, TicketType.id)):
        issued = sum(counts.get((t.id, state), 0) for state in HELD_STATES)
        out = t.stock is not None and issued >= t.stock
        figures.append(
            TypeFigures(
                t.name,
                t.kind,
                issued,
                counts.get((t.id, TicketState.REDEEMED), 0),
                counts.get((t.id, TicketState.UNASSIGNED), 0),
                counts.get((t.id, TicketState.VOID), 0),
                t.stock,
                None if t.stock is None else max(0, t.stock - issued),
                bound=bound.get(t.id, 0),
                from_paper=paper.get(t.id, 0),
                paper_tally=int(tallied.get(t.id) or 0),
                ran_out_at=_ran_out_at(session, t) if out else "",
            )
        )
    return tuple(figures)


def _ran_out_at(session: Session, ticket_type: TicketType) -> str:
    """When a type's stock ran out, from the record: the moment its last ticket within the
    stock was handed out (the held tickets in the order they went out; an undone one no
    longer counts, so a stock freed again and used up again ran out at the later time)."""
    assert ticket_type.stock is not None
    if ticket_type.stock <= 0:
        return ""  # never had any
    moment = session.scalar(
        select(Ticket.issued_at)
        .where(Ticket.type_id == ticket_type.id, Ticket.state.in_(HELD_STATES))
        .order_by(Ticket.issued_at.asc().nulls_first(), Ticket.id)
        .offset(ticket_type.stock - 1)
        .limit(1)
    )
    return "" if moment is None else _iso(moment.replace(tzinfo=UTC).astimezone())


def _prizes(session: Session) -> tuple[PrizeFigures, ...]:
    counts: dict[tuple[int, str], int] = {
        (prize_id, state): n
        for prize_id, state, n in session.execute(
            select(Draw.prize_id, Draw.state, func.count(Draw.id)).group_by(
                Draw.prize_id, Draw.state
            )
        ).all()
    }
    figures = []
    for p in session.scalars(select(Prize).order_by(Prize.position, Prize.id)):
        drawn, claimed, redrawn = (
            counts.get((p.id, s), 0)
            for s in (DrawState.DRAWN, DrawState.CLAIMED, DrawState.REDRAWN)
        )
        figures.append(
            PrizeFigures(
                p.name, p.sponsor, p.quantity, drawn + claimed + redrawn, claimed, redrawn, drawn
            )
        )
    return tuple(figures)


def _draws(session: Session) -> tuple[DrawFigures, ...]:
    rows = session.execute(
        select(Prize.name, Draw.at, Ticket.serial, Draw.state)
        .join(Prize, Prize.id == Draw.prize_id)
        .outerjoin(Ticket, Ticket.id == Draw.ticket_id)
        .order_by(Draw.at, Draw.id)
    ).all()
    return tuple(
        DrawFigures(name, _iso(at.replace(tzinfo=UTC).astimezone()), serial, state)
        for name, at, serial, state in rows
    )


def _paper(session: Session) -> tuple[PaperFigures, ...]:
    rows = session.execute(
        select(TicketType.name, func.sum(PaperTally.count), func.count(PaperTally.id))
        .select_from(PaperTally)
        .outerjoin(TicketType, TicketType.id == PaperTally.ticket_type_id)
        .group_by(TicketType.name)
        .order_by(TicketType.name.nulls_first())  # "check-ins" first on PostgreSQL too
    ).all()
    return tuple(
        PaperFigures(name or PAPER_CHECKINS, int(total or 0), n) for name, total, n in rows
    )


def record_head(session: Session) -> tuple[str, int]:
    """The last audit entry of the event itself: (hash, entries up to it)."""
    row = session.execute(
        select(AuditEntry.id, AuditEntry.hash)
        .where(AuditEntry.action.not_in(AFTER_EVENT_ACTIONS))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return "", 0
    entries = (
        session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.id <= row.id, AuditEntry.action.not_in(AFTER_EVENT_ACTIONS)
            )
        )
        or 0
    )
    return row.hash, entries
