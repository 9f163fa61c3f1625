"""Who is in the draw, and the arithmetic that picks a winner from them.

Everything a bystander needs to check a draw is plain, public arithmetic:

* pool hash: SHA-256 of the eligible ticket codes, sorted, each followed by a newline
  (``LC_ALL=C sort codes.txt | sha256sum``);
* commitment: SHA-256 of the seed's 64 hex characters (``printf %s SEED | sha256sum``), shown
  before the draw so the seed cannot be changed afterwards;
* random value: HMAC-SHA256 with the seed's hex text as key over ``pool_hash + witness``
  (``printf %s HASHWITNESS | openssl dgst -sha256 -hmac SEED``), read as a 256-bit integer;
* winner: the ticket at ``value mod pool_size`` in the sorted pool. A value in the incomplete
  last block of 2**256 would favour low positions ever so slightly, so such a value is rejected
  and the next one taken from ``pool_hash + witness + "#1"``, "#2"...; the chance of that is
  below pool_size / 2**256, so in practice the first value always counts.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from checkin.store import HELD_STATES, WIN_STATES, TicketKind, WinLimit
from checkin.store.models import Attendee, CheckIn, Draw, Ticket, TicketType

VALUE_BITS = 256
POOL_STATES = HELD_STATES  # held by someone; never unassigned stock, never void
ONE_WIN_PER = tuple(WinLimit)
WITNESS_MAX = 100
SEED_HEX_LENGTH = 64


@dataclass(frozen=True)
class Pick:
    index: int
    value: int  # the accepted 256-bit value
    rounds: int  # 1 unless a value had to be rejected

    @property
    def value_hex(self) -> str:
        return f"{self.value:064x}"


def pool_hash(sorted_codes: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for code in sorted_codes:
        digest.update(code.encode("ascii") + b"\n")
    return digest.hexdigest()


def commitment_for(seed: str) -> str:
    return hashlib.sha256(seed.encode("ascii")).hexdigest()


def is_seed(seed: str) -> bool:
    return len(seed) == SEED_HEX_LENGTH and all(c in "0123456789abcdef" for c in seed)


def random_value(seed: str, pool_hash_hex: str, witness: str, round_no: int = 0) -> int:
    message = pool_hash_hex + witness + (f"#{round_no}" if round_no else "")
    mac = hmac.new(seed.encode("ascii"), message.encode("utf-8"), hashlib.sha256)
    return int.from_bytes(mac.digest(), "big")


def bounded(values: Iterable[int], size: int, bits: int = VALUE_BITS) -> tuple[int, int, int]:
    """The first value below the largest multiple of ``size`` in [0, 2**bits), reduced mod
    ``size``: every index equally likely. Returns (index, accepted value, values looked at)."""
    if size < 1:
        raise ValueError("cannot pick from an empty pool")
    limit = (1 << bits) - (1 << bits) % size
    for count, value in enumerate(values, start=1):
        if value < limit:
            return value % size, value, count
    raise ValueError("ran out of random values")  # only with a finite test sequence


def pick(seed: str, pool_hash_hex: str, witness: str, size: int) -> Pick:
    def values() -> Iterable[int]:
        round_no = 0
        while True:
            yield random_value(seed, pool_hash_hex, witness, round_no)
            round_no += 1

    index, value, rounds = bounded(values(), size)
    return Pick(index, value, rounds)


def clean_witness(text: str) -> str | None:
    """The crowd's number or word as recorded; None when it cannot be recorded faithfully."""
    cleaned = " ".join(text.split())
    if len(cleaned) > WITNESS_MAX or not cleaned.isprintable():
        return None
    return cleaned


@dataclass(frozen=True)
class Rules:
    checked_in_only: bool
    one_win_per: WinLimit
    cutoff: datetime | None  # naive UTC: tickets issued or bound after it are not in the draw


def eligible_codes(
    session: Session, rules: Rules, *, ignore_draw_id: int | None = None
) -> list[str]:
    """Sorted codes of the tickets that can win right now.

    ``ignore_draw_id``: a draw about to be marked redrawn, whose win no longer counts (its ticket
    stays out: a drawn ticket is never drawn again).
    """
    query = (
        select(Ticket.code, Ticket.attendee_id)
        .join(TicketType, TicketType.id == Ticket.type_id)
        .where(
            TicketType.kind == TicketKind.RAFFLE,
            Ticket.state.in_(POOL_STATES),
            Ticket.attendee_id.is_not(None),
            Ticket.id.not_in(select(Draw.ticket_id).where(Draw.ticket_id.is_not(None))),
        )
    )
    if rules.cutoff is not None:
        query = query.where(Ticket.issued_at.is_not(None), Ticket.issued_at <= rules.cutoff)
    if rules.checked_in_only:
        query = query.where(
            exists(
                select(CheckIn.id).where(
                    CheckIn.attendee_id == Ticket.attendee_id, CheckIn.undone_at.is_(None)
                )
            )
        )
    rows = session.execute(query).all()
    barred = _barred_attendees(session, rules.one_win_per, ignore_draw_id)
    return sorted(code for code, attendee_id in rows if attendee_id not in barred)


def _barred_attendees(
    session: Session, one_win_per: WinLimit, ignore_draw_id: int | None
) -> set[int]:
    """Households that have had all the wins the rule allows.

    A household is one attendee record. "person": each member may win once, and since tickets
    are not tied to a named member, a household wins at most as many prizes as it has members.
    """
    if one_win_per == WinLimit.NONE:
        return set()
    query = select(Draw.attendee_id).where(
        Draw.state.in_(WIN_STATES), Draw.attendee_id.is_not(None)
    )
    if ignore_draw_id is not None:
        query = query.where(Draw.id != ignore_draw_id)
    wins = Counter(a for a in session.scalars(query) if a is not None)
    if one_win_per != WinLimit.PERSON:
        return set(wins)
    sizes = dict(
        session.execute(
            select(Attendee.id, Attendee.adults + Attendee.kids + Attendee.seniors).where(
                Attendee.id.in_(wins)
            )
        ).all()
    )
    return {a for a, n in wins.items() if n >= max(1, sizes.get(a, 1))}


def winner(seed: str, sorted_pool: Sequence[str], witness: str) -> tuple[str, Pick]:
    digest = pool_hash(sorted_pool)
    chosen = pick(seed, digest, witness, len(sorted_pool))
    return sorted_pool[chosen.index], chosen
