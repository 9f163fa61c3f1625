"""Drawing winners so that the crowd can check it: commit, draw, reveal, recompute.

1. ``prepare_draw`` fixes the pool (count and hash of the eligible codes) and a commitment to a
   fresh secret seed, and records both in the audit log, pool codes included, before anybody
   knows the winner. The screen shows them.
2. Optionally a witness from the crowd calls out a number; nobody could know it when the seed
   was committed, and the seed was fixed before it was called.
3. ``draw`` derives the winner from seed, pool hash and witness (see checkin.raffle.pool),
   records the draw with the seed revealed, and ``recompute`` repeats it from the log alone.

A commitment that is never drawn stays in the log, so "commit until a friend wins" shows.
"""

from __future__ import annotations

import enum
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin.raffle.pool import (
    clean_witness,
    commitment_for,
    eligible_codes,
    is_seed,
    pick,
    pool_hash,
)
from checkin.raffle.prizes import RaffleError, find_prize, rules_in_session
from checkin.record import audit
from checkin.results import person_name
from checkin.store import WIN_STATES, Database, DrawState
from checkin.store.models import Attendee, AuditEntry, Draw, Prize, Ticket, new_uid, utcnow

SeedSource = Callable[[], str]  # returns 64 lower-case hex characters

COMMITTED = "raffle_committed"
DRAWN = "raffle_drawn"
REDRAWN = "raffle_redrawn"


def secret_seed() -> str:
    return secrets.token_hex(32)


class DrawOutcome(enum.StrEnum):
    DRAWN = "drawn"
    NOTHING_LEFT = "nothing_left"  # every prize has its winners (or there are no prizes)
    PRIZE_DONE = "prize_done"  # this prize has all its winners
    UNKNOWN_PRIZE = "unknown_prize"
    NOBODY_ELIGIBLE = "nobody_eligible"
    POOL_CHANGED = "pool_changed"  # someone checked in (say) after the commitment: prepare again
    ALREADY_DRAWN = "already_drawn"  # this commitment was used
    NOT_REDRAWABLE = "not_redrawable"  # claimed, already redrawn, or no such draw
    TOO_SOON = "too_soon"  # the winner still has time to come to the prize table
    BAD_WITNESS = "bad_witness"


@dataclass(frozen=True)
class DrawCommitment:
    """What the screen shows before the draw. The seed stays in memory until the draw."""

    uid: str  # the draw's uid to be, and the subject of the commitment's audit entry
    prize: str
    prize_uid: str
    sponsor: str
    unit: int  # this is winner number ``unit`` of ``quantity`` for the prize
    quantity: int
    pool_size: int
    pool_hash: str
    seed_commitment: str
    committed_at: datetime
    redraw_of: str | None = None  # uid of the no-show's draw
    seed: str = field(default="", repr=False, compare=False)
    pool: tuple[str, ...] = field(default=(), repr=False, compare=False)


@dataclass(frozen=True)
class DrawRecord:
    """One draw as the log keeps it; enough to recompute the winner (with ``pool``)."""

    uid: str
    at: datetime
    prize: str
    sponsor: str
    station: str
    pool_size: int
    pool_hash: str
    seed_commitment: str
    seed: str
    witness: str
    random_value: str  # 64 hex digits
    ticket: str | None
    serial: int | None
    attendee: str | None  # attendee code
    winner_name: str  # "First Last" or "Guest #N", for the prize table volunteer
    state: DrawState
    claimed_at: datetime | None
    claimed_station: str
    redrawn_at: datetime | None
    redraw_of: str | None
    pool: tuple[str, ...] = field(default=(), repr=False)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "draw": self.uid,
            "at": self.at.isoformat(),
            "prize": self.prize,
            "sponsor": self.sponsor,
            "station": self.station,
            "pool_size": self.pool_size,
            "pool_hash": self.pool_hash,
            "seed_commitment": self.seed_commitment,
            "seed": self.seed,
            "witness": self.witness,
            "random_value": self.random_value,
            "ticket": self.ticket,
            "serial": self.serial,
            "attendee": self.attendee,
            "state": self.state,
            "claimed_at": self.claimed_at.isoformat() if self.claimed_at else None,
            "claimed_station": self.claimed_station,
            "redrawn_at": self.redrawn_at.isoformat() if self.redrawn_at else None,
            "redraw_of": self.redraw_of,
        }
        if self.pool:
            data["pool"] = list(self.pool)
        return data


@dataclass(frozen=True)
class DrawResult:
    outcome: DrawOutcome
    message: str  # English, for the CLI and logs; screens format their own from outcome+params
    record: DrawRecord | None = None
    prize: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome is DrawOutcome.DRAWN


class RecomputeError(ValueError):
    """The log does not hold together (seed, pool or winner); the message says where."""


# --- preparing ------------------------------------------------------------------------------


def _standing(session: Session, prize: Prize) -> int:
    return (
        session.scalar(
            select(func.count(Draw.id)).where(Draw.prize_id == prize.id, Draw.state.in_(WIN_STATES))
        )
        or 0
    )


def _next_prize(session: Session) -> Prize | None:
    for prize in session.scalars(select(Prize).order_by(Prize.position, Prize.id)):
        if _standing(session, prize) < prize.quantity:
            return prize
    return None


def _refused(outcome: DrawOutcome, message: str, prize: str = "", **params: Any) -> DrawResult:
    return DrawResult(outcome, message, prize=prize, params={"prize": prize, **params})


def _commit(
    session: Session,
    prize: Prize,
    pool: list[str],
    unit: int,
    station: str,
    seed_source: SeedSource,
    redraw_of: Draw | None,
) -> DrawCommitment | DrawResult:
    if not pool:
        return _refused(
            DrawOutcome.NOBODY_ELIGIBLE,
            f"Nobody is eligible for {prize.name}: no raffle ticket meets the rules",
            prize.name,
        )
    seed = seed_source()
    if not is_seed(seed):
        raise RaffleError("The seed source must give 64 lower-case hex characters")
    digest = pool_hash(pool)
    commitment = DrawCommitment(
        uid=new_uid(),
        prize=prize.name,
        prize_uid=prize.uid,
        sponsor=prize.sponsor,
        unit=unit,
        quantity=prize.quantity,
        pool_size=len(pool),
        pool_hash=digest,
        seed_commitment=commitment_for(seed),
        committed_at=utcnow(),
        redraw_of=redraw_of.uid if redraw_of else None,
        seed=seed,
        pool=tuple(pool),
    )
    rules = rules_in_session(session)
    audit.record(
        session,
        COMMITTED,
        station=station,
        subject=commitment.uid,
        detail={
            "prize": prize.name,
            "unit": unit,
            "pool_size": len(pool),
            "pool_hash": digest,
            "seed_commitment": commitment.seed_commitment,
            "redraw_of": commitment.redraw_of,
            "rules": rules.as_json(),
            "pool": pool,
        },
    )
    return commitment


def prepare_draw(
    db: Database,
    prize: str | None = None,
    *,
    station: str = "",
    seed_source: SeedSource = secret_seed,
) -> DrawCommitment | DrawResult:
    """Fix the pool and commit to a seed for the next winner of ``prize`` (None: the next prize
    in the order of drawing that still has winners to draw). A DrawResult says why not."""

    def work(session: Session) -> DrawCommitment | DrawResult:
        if prize is None:
            row = _next_prize(session)
            if row is None:
                has_any = session.scalar(select(Prize.id).limit(1)) is not None
                return _refused(
                    DrawOutcome.NOTHING_LEFT,
                    "Nothing left to draw: every prize has its winners"
                    if has_any
                    else "Nothing to draw: no prizes are set up",
                )
        else:
            row = find_prize(session, prize)
            if row is None:
                return _refused(DrawOutcome.UNKNOWN_PRIZE, f"No prize called {prize}", prize)
        standing = _standing(session, row)
        if standing >= row.quantity:
            return _refused(
                DrawOutcome.PRIZE_DONE,
                f"All {row.quantity} of {row.name} have been drawn",
                row.name,
                quantity=row.quantity,
            )
        pool = eligible_codes(session, rules_in_session(session).pool_rules)
        return _commit(session, row, pool, standing + 1, station, seed_source, None)

    return db.write(work)


def _draw_for(session: Session, target: str) -> Draw | None:
    """A draw by uid, or the oldest winner of a prize (by name) still waiting to claim."""
    draw = session.scalar(select(Draw).where(Draw.uid == target))
    if draw is not None:
        return draw
    prize = find_prize(session, target)
    if prize is None:
        return None
    return session.scalar(
        select(Draw)
        .where(Draw.prize_id == prize.id, Draw.state == DrawState.DRAWN)
        .order_by(Draw.at, Draw.id)
        .limit(1)
    )


def prepare_redraw(
    db: Database,
    target: str,
    *,
    after_minutes: int | None = None,
    station: str = "",
    seed_source: SeedSource = secret_seed,
    now: datetime | None = None,
) -> DrawCommitment | DrawResult:
    """Commit to a new draw replacing an unclaimed winner (``target``: the draw's uid or the
    prize's name) once ``after_minutes`` (default: the event's rule) have passed."""

    def work(session: Session) -> DrawCommitment | DrawResult:
        old = _draw_for(session, target)
        if old is None:
            known = find_prize(session, target)
            return _refused(
                DrawOutcome.NOT_REDRAWABLE,
                f"{known.name} has no winner waiting to claim it"
                if known
                else f"No draw or prize called {target}",
                known.name if known else "",
            )
        prize = session.get(Prize, old.prize_id)
        assert prize is not None
        if old.state != DrawState.DRAWN:
            return _refused(
                DrawOutcome.NOT_REDRAWABLE,
                f"This {prize.name} draw was already {old.state}",  # claimed or redrawn
                prize.name,
                state=old.state,
            )
        rules = rules_in_session(session)
        wait = rules.redraw_after_minutes if after_minutes is None else after_minutes
        ready_at = old.at + timedelta(minutes=max(0, wait))
        moment = now or utcnow()
        if moment < ready_at:
            left = int((ready_at - moment).total_seconds() // 60) + 1
            return _refused(
                DrawOutcome.TOO_SOON,
                f"The winner of {prize.name} has {left} more minute(s) to come to the prize table",
                prize.name,
                minutes=left,
            )
        pool = eligible_codes(session, rules.pool_rules, ignore_draw_id=old.id)
        unit = _standing(session, prize)  # the no-show's place is the one being filled
        return _commit(session, prize, pool, unit, station, seed_source, old)

    return db.write(work)


# --- drawing --------------------------------------------------------------------------------


def draw(
    db: Database,
    target: DrawCommitment | str | None = None,
    witness: str = "",
    *,
    station: str = "",
    seed_source: SeedSource = secret_seed,
) -> DrawResult:
    """Draw a winner for a commitment, or commit and draw at once for a prize name (None: the
    next prize). Ordinary refusals (nothing left, nobody eligible...) are result values."""
    cleaned = clean_witness(witness)
    if cleaned is None:
        return _refused(
            DrawOutcome.BAD_WITNESS,
            "The witness number must be printable and at most 100 characters",
        )
    if isinstance(target, DrawCommitment):
        commitment = target
    else:
        prepared = prepare_draw(db, target, station=station, seed_source=seed_source)
        if isinstance(prepared, DrawResult):
            return prepared
        commitment = prepared
    return db.write(lambda session: _draw_in_session(session, commitment, cleaned, station))


def redraw(
    db: Database,
    target: str,
    witness: str = "",
    *,
    after_minutes: int | None = None,
    station: str = "",
    seed_source: SeedSource = secret_seed,
    now: datetime | None = None,
) -> DrawResult:
    """Replace an unclaimed winner at once (commit, then draw), for scripts and the prize table."""
    prepared = prepare_redraw(
        db,
        target,
        after_minutes=after_minutes,
        station=station,
        seed_source=seed_source,
        now=now,
    )
    if isinstance(prepared, DrawResult):
        return prepared
    return draw(db, prepared, witness, station=station)


def _draw_in_session(
    session: Session, commitment: DrawCommitment, witness: str, station: str
) -> DrawResult:
    name = commitment.prize
    if session.scalar(select(Draw.id).where(Draw.uid == commitment.uid)) is not None:
        return _refused(DrawOutcome.ALREADY_DRAWN, "This commitment was already drawn", name)
    if (
        not is_seed(commitment.seed)
        or commitment_for(commitment.seed) != commitment.seed_commitment
    ):
        raise RaffleError("The seed does not match its commitment")
    prize = session.scalar(select(Prize).where(Prize.uid == commitment.prize_uid))
    if prize is None:
        return _refused(DrawOutcome.UNKNOWN_PRIZE, f"The prize {name} was removed", name)
    old: Draw | None = None
    if commitment.redraw_of is not None:
        old = session.scalar(select(Draw).where(Draw.uid == commitment.redraw_of))
        if old is None or old.state != DrawState.DRAWN:
            return _refused(
                DrawOutcome.NOT_REDRAWABLE,
                f"The {name} winner being replaced has claimed the prize or was already redrawn",
                name,
            )
    elif _standing(session, prize) >= prize.quantity:
        return _refused(
            DrawOutcome.PRIZE_DONE, f"All {prize.quantity} of {name} have been drawn", name
        )
    rules = rules_in_session(session)
    pool = eligible_codes(session, rules.pool_rules, ignore_draw_id=old.id if old else None)
    if not pool:
        return _refused(DrawOutcome.NOBODY_ELIGIBLE, f"Nobody is eligible for {name}", name)
    digest = pool_hash(pool)
    if digest != commitment.pool_hash:
        return _refused(
            DrawOutcome.POOL_CHANGED,
            f"The pool changed since the commitment ({commitment.pool_size} -> {len(pool)} "
            "tickets): prepare the draw again",
            name,
            before=commitment.pool_size,
            after=len(pool),
        )
    chosen = pick(commitment.seed, digest, witness, len(pool))
    ticket = session.scalar(select(Ticket).where(Ticket.code == pool[chosen.index]))
    assert ticket is not None
    now = utcnow()
    if old is not None:
        old.state, old.redrawn_at = DrawState.REDRAWN, now
        audit.record(
            session,
            REDRAWN,
            station=station,
            subject=old.uid,
            detail={
                "prize": name,
                "ticket": _code_of(session, old.ticket_id),
                "drawn_at": old.at.isoformat(),
                "replaced_by": commitment.uid,
            },
        )
    row = Draw(
        uid=commitment.uid,
        prize_id=prize.id,
        at=now,
        station=station,
        pool_size=len(pool),
        pool_hash=digest,
        seed_commitment=commitment.seed_commitment,
        seed=commitment.seed,
        witness=witness,
        random_value=chosen.value_hex,
        ticket_id=ticket.id,
        attendee_id=ticket.attendee_id,
        state=DrawState.DRAWN,
        redraw_of=old.id if old else None,
    )
    session.add(row)
    session.flush()
    record = _record(session, row, prize)
    audit.record(
        session,
        DRAWN,
        station=station,
        subject=row.uid,
        detail={
            **{k: v for k, v in record.as_json().items() if k not in ("pool", "state")},
            "index": chosen.index,
            "rounds": chosen.rounds,
        },
    )
    return DrawResult(
        DrawOutcome.DRAWN,
        f"{name}: ticket No. {record.serial} wins",
        record=record,
        prize=name,
        params={"prize": name, "serial": record.serial, "sponsor": prize.sponsor},
    )


def _code_of(session: Session, ticket_id: int | None) -> str | None:
    if ticket_id is None:
        return None
    return session.scalar(select(Ticket.code).where(Ticket.id == ticket_id))


# --- the log --------------------------------------------------------------------------------


def _record(
    session: Session, row: Draw, prize: Prize | None = None, pool: Sequence[str] = ()
) -> DrawRecord:
    prize = prize or session.get(Prize, row.prize_id)
    ticket = session.get(Ticket, row.ticket_id) if row.ticket_id else None
    attendee = session.get(Attendee, row.attendee_id) if row.attendee_id else None
    earlier = session.get(Draw, row.redraw_of) if row.redraw_of else None
    name = ""
    if attendee is not None:
        name = person_name(attendee.first_name, attendee.last_name, attendee.number)
    return DrawRecord(
        uid=row.uid,
        at=row.at,
        prize=prize.name if prize else "?",
        sponsor=prize.sponsor if prize else "",
        station=row.station,
        pool_size=row.pool_size,
        pool_hash=row.pool_hash,
        seed_commitment=row.seed_commitment,
        seed=row.seed,
        witness=row.witness,
        random_value=row.random_value,
        ticket=ticket.code if ticket else None,
        serial=ticket.serial if ticket else None,
        attendee=attendee.code if attendee else None,
        winner_name=name,
        state=row.state,
        claimed_at=row.claimed_at,
        claimed_station=row.claimed_station,
        redrawn_at=row.redrawn_at,
        redraw_of=earlier.uid if earlier else None,
        pool=tuple(pool),
    )


def _pools(session: Session, uids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    pools: dict[str, tuple[str, ...]] = {}
    entries = session.execute(
        select(AuditEntry.subject, AuditEntry.detail).where(
            AuditEntry.action == COMMITTED, AuditEntry.subject.in_(uids)
        )
    )
    for subject, detail in entries:
        pools[subject] = tuple(json.loads(detail).get("pool", ()))
    return pools


def raffle_log(db: Database, *, with_pools: bool = False) -> list[DrawRecord]:
    """Every draw in order, no-shows included; ``with_pools`` adds each committed pool."""
    with db.reading() as session:
        rows = list(session.scalars(select(Draw).order_by(Draw.at, Draw.id)))
        pools = _pools(session, [r.uid for r in rows]) if with_pools else {}
        return [_record(session, r, pool=pools.get(r.uid, ())) for r in rows]


def get_draw(db: Database, uid: str, *, with_pool: bool = False) -> DrawRecord | None:
    with db.reading() as session:
        row = session.scalar(select(Draw).where(Draw.uid == uid))
        if row is None:
            return None
        pool = _pools(session, [uid]).get(uid, ()) if with_pool else ()
        return _record(session, row, pool=pool)


@dataclass(frozen=True)
class UnusedCommitment:
    """A commitment recorded but never drawn (the screen was closed, the pool changed...)."""

    uid: str
    at: datetime
    prize: str
    pool_size: int
    seed_commitment: str


def unused_commitments(db: Database) -> list[UnusedCommitment]:
    with db.reading() as session:
        drawn = select(Draw.uid)
        entries = session.execute(
            select(AuditEntry.subject, AuditEntry.at, AuditEntry.detail)
            .where(AuditEntry.action == COMMITTED, AuditEntry.subject.not_in(drawn))
            .order_by(AuditEntry.id)
        )
        unused = []
        for subject, at, detail in entries:
            data = json.loads(detail)
            unused.append(
                UnusedCommitment(
                    subject,
                    at,
                    data.get("prize", ""),
                    int(data.get("pool_size", 0)),
                    data.get("seed_commitment", ""),
                )
            )
        return unused


def recompute(record: DrawRecord, pool: Sequence[str] | None = None) -> str:
    """The winning code, recomputed from the log alone (the record and its committed pool).

    Raises RecomputeError when the seed, the pool or the recorded winner do not hold together.
    """
    codes = list(record.pool if pool is None else pool)
    if not codes:
        raise RecomputeError("The pool of this draw is needed to recompute it")
    if codes != sorted(codes):
        raise RecomputeError("The pool is not in sorted order")
    if len(codes) != record.pool_size:
        raise RecomputeError(f"The pool holds {len(codes)} codes, the draw says {record.pool_size}")
    if pool_hash(codes) != record.pool_hash:
        raise RecomputeError("The pool's hash differs from the one recorded before the draw")
    if not is_seed(record.seed) or commitment_for(record.seed) != record.seed_commitment:
        raise RecomputeError("The revealed seed does not match the commitment shown before")
    chosen = pick(record.seed, record.pool_hash, record.witness, len(codes))
    if chosen.value_hex != record.random_value:
        raise RecomputeError("The recorded random value differs from the recomputed one")
    code = codes[chosen.index]
    if record.ticket is not None and code != record.ticket:
        raise RecomputeError(f"The recomputed winner {code} is not the recorded {record.ticket}")
    return code


def verify_draw(record: DrawRecord) -> bool:
    try:
        recompute(record)
    except RecomputeError:
        return False
    return True
