"""Prizes (name, quantity, order of drawing, sponsor) and the event's raffle rules."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin.event.events import load_event
from checkin.raffle.pool import ONE_WIN_PER, Rules
from checkin.record import audit
from checkin.store import WIN_STATES, Database, DrawState, WinLimit
from checkin.store.models import Draw, Prize, Setting
from checkin.store.setting_keys import EventSetting

REDRAW_SETTING = EventSetting.REDRAW_AFTER_MINUTES
DEFAULT_REDRAW_MINUTES = 10
MAX_QUANTITY = 1000
NAME_MAX = 200


class RaffleError(ValueError):
    """A raffle request that cannot be met; the message says why in one line."""


@dataclass(frozen=True)
class PrizeInfo:
    uid: str
    name: str
    quantity: int
    position: int
    sponsor: str
    drawn: int = 0  # winners standing (drawn or claimed): counts against the quantity
    claimed: int = 0
    redrawn: int = 0  # no-shows whose draw was repeated

    @property
    def left(self) -> int:
        return max(0, self.quantity - self.drawn)


@dataclass(frozen=True)
class RaffleRules:
    checked_in_only: bool = True
    one_win_per: WinLimit = WinLimit.HOUSEHOLD
    cutoff: datetime | None = None  # naive UTC
    redraw_after_minutes: int = DEFAULT_REDRAW_MINUTES

    @property
    def pool_rules(self) -> Rules:
        return Rules(self.checked_in_only, self.one_win_per, self.cutoff)

    def as_json(self) -> dict[str, object]:
        return {
            "checked_in_only": self.checked_in_only,
            "one_win_per": self.one_win_per,
            "cutoff": self.cutoff.isoformat() if self.cutoff else None,
            "redraw_after_minutes": self.redraw_after_minutes,
        }


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise RaffleError("A prize needs a name")
    if len(cleaned) > NAME_MAX or not cleaned.isprintable():
        raise RaffleError(f"A prize name must be printable and at most {NAME_MAX} characters")
    return cleaned


def _check_quantity(quantity: int) -> int:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise RaffleError(f"Quantity must be between 1 and {MAX_QUANTITY}")
    return quantity


def find_prize(session: Session, name_or_uid: str) -> Prize | None:
    wanted = " ".join(name_or_uid.split()).casefold()
    for prize in session.scalars(select(Prize).order_by(Prize.position, Prize.id)):
        if prize.uid == name_or_uid or prize.name.casefold() == wanted:
            return prize
    return None


def _prize_or_error(session: Session, name_or_uid: str) -> Prize:
    prize = find_prize(session, name_or_uid)
    if prize is None:
        raise RaffleError(f"No prize called {name_or_uid}")
    return prize


def prize_info(session: Session, prize: Prize, counts: Counter[str] | None = None) -> PrizeInfo:
    if counts is None:
        counts = Counter(session.scalars(select(Draw.state).where(Draw.prize_id == prize.id)))
    return PrizeInfo(
        uid=prize.uid,
        name=prize.name,
        quantity=prize.quantity,
        position=prize.position,
        sponsor=prize.sponsor,
        drawn=sum(counts[state] for state in WIN_STATES),
        claimed=counts[DrawState.CLAIMED],
        redrawn=counts[DrawState.REDRAWN],
    )


def list_prizes(db: Database) -> list[PrizeInfo]:
    with db.reading() as session:
        return prizes_in_session(session)


def prizes_in_session(session: Session) -> list[PrizeInfo]:
    counts: dict[int, Counter[str]] = {}
    for prize_id, state in session.execute(select(Draw.prize_id, Draw.state)):
        counts.setdefault(prize_id, Counter())[state] += 1
    prizes = session.scalars(select(Prize).order_by(Prize.position, Prize.id))
    return [prize_info(session, p, counts.get(p.id, Counter())) for p in prizes]


def add_prize(
    db: Database, name: str, *, quantity: int = 1, sponsor: str = "", station: str = ""
) -> PrizeInfo:
    name = _clean_name(name)
    _check_quantity(quantity)
    sponsor = " ".join(sponsor.split())[:NAME_MAX]

    def work(session: Session) -> PrizeInfo:
        if find_prize(session, name) is not None:
            raise RaffleError(f"There is already a prize called {name}")
        position = (session.scalar(select(func.max(Prize.position))) or 0) + 1
        prize = Prize(name=name, quantity=quantity, position=position, sponsor=sponsor)
        session.add(prize)
        session.flush()
        audit.record(
            session,
            "prize_added",
            station=station,
            subject=prize.uid,
            detail={"name": name, "quantity": quantity, "sponsor": sponsor, "position": position},
        )
        return prize_info(session, prize)

    return db.write(work)


def update_prize(
    db: Database,
    prize: str,
    *,
    name: str | None = None,
    quantity: int | None = None,
    sponsor: str | None = None,
    station: str = "",
) -> PrizeInfo:
    """Change a prize (found by uid or name); the quantity cannot drop below the winners drawn."""
    new_name = _clean_name(name) if name is not None else None
    if quantity is not None:
        _check_quantity(quantity)

    def work(session: Session) -> PrizeInfo:
        row = _prize_or_error(session, prize)
        before = prize_info(session, row)
        if new_name is not None and new_name != row.name:
            other = find_prize(session, new_name)
            if other is not None and other.id != row.id:
                raise RaffleError(f"There is already a prize called {new_name}")
            row.name = new_name
        if quantity is not None:
            if quantity < before.drawn:
                raise RaffleError(
                    f"{row.name}: {before.drawn} already drawn, so the quantity cannot be "
                    f"less than {before.drawn}"
                )
            row.quantity = quantity
        if sponsor is not None:
            row.sponsor = " ".join(sponsor.split())[:NAME_MAX]
        audit.record(
            session,
            "prize_updated",
            station=station,
            subject=row.uid,
            detail={"name": row.name, "quantity": row.quantity, "sponsor": row.sponsor},
        )
        return prize_info(session, row)

    return db.write(work)


def remove_prize(db: Database, prize: str, *, station: str = "") -> None:
    """Remove a prize nobody has won yet (a drawn prize stays in the record)."""

    def work(session: Session) -> None:
        row = _prize_or_error(session, prize)
        if session.scalar(select(Draw.id).where(Draw.prize_id == row.id).limit(1)) is not None:
            raise RaffleError(f"{row.name} has already been drawn and stays in the raffle log")
        audit.record(
            session, "prize_removed", station=station, subject=row.uid, detail={"name": row.name}
        )
        session.delete(row)

    db.write(work)


def move_prize(db: Database, prize: str, offset: int, *, station: str = "") -> list[PrizeInfo]:
    """Move a prize earlier (negative offset) or later in the order of drawing."""

    def work(session: Session) -> list[PrizeInfo]:
        row = _prize_or_error(session, prize)
        rows = list(session.scalars(select(Prize).order_by(Prize.position, Prize.id)))
        index = rows.index(row)
        target = max(0, min(len(rows) - 1, index + offset))
        if target != index:
            rows.insert(target, rows.pop(index))
            for position, each in enumerate(rows, start=1):
                each.position = position
            audit.record(
                session,
                "prizes_reordered",
                station=station,
                subject=row.uid,
                detail={"order": [each.name for each in rows]},
            )
        session.flush()
        return prizes_in_session(session)

    return db.write(work)


def rules_in_session(session: Session) -> RaffleRules:
    event = load_event(session)
    stored = session.get(Setting, REDRAW_SETTING)
    try:
        minutes = int(stored.value) if stored else DEFAULT_REDRAW_MINUTES
    except ValueError:
        minutes = DEFAULT_REDRAW_MINUTES
    stored_rule = event.raffle_one_win_per  # a string this version does not know: the default
    one_win = WinLimit(stored_rule) if stored_rule in ONE_WIN_PER else WinLimit.HOUSEHOLD
    return RaffleRules(event.raffle_checked_in_only, one_win, event.raffle_cutoff, minutes)


def get_rules(db: Database) -> RaffleRules:
    with db.reading() as session:
        return rules_in_session(session)


def set_rules(db: Database, rules: RaffleRules, *, station: str = "") -> RaffleRules:
    if rules.one_win_per not in ONE_WIN_PER:
        raise RaffleError(f"One win per must be one of {', '.join(ONE_WIN_PER)}")
    if not 0 <= rules.redraw_after_minutes <= 24 * 60:
        raise RaffleError("The wait before a redraw must be between 0 and 1440 minutes")
    if rules.cutoff is not None and rules.cutoff.tzinfo is not None:
        raise RaffleError("The cut-off time must be naive UTC")

    def work(session: Session) -> RaffleRules:
        event = load_event(session)
        event.raffle_checked_in_only = rules.checked_in_only
        event.raffle_one_win_per = WinLimit(rules.one_win_per)
        event.raffle_cutoff = rules.cutoff
        setting = session.get(Setting, REDRAW_SETTING)
        if setting is None:
            setting = Setting(key=REDRAW_SETTING)
            session.add(setting)
        setting.value = str(rules.redraw_after_minutes)
        audit.record(
            session, "raffle_rules_set", station=station, subject=event.uid, detail=rules.as_json()
        )
        session.flush()
        return rules_in_session(session)

    return db.write(work)
