"""What a scan needs to know about the event that rarely changes: its code secrets and its
ticket types. Cached by the engine; every snapshot reads ``events.config_rev`` with it, and a
different number reloads the cache inside the same transaction (checkin/config_rev.py)."""

from __future__ import annotations

from dataclasses import dataclass

from checkin.scanning import statements as q
from checkin.scanning.tx import ScanTx
from checkin.store import AllowanceRule, TicketKind


@dataclass(frozen=True)
class TypeConfig:
    id: int
    uid: str
    name: str
    kind: TicketKind
    rule: AllowanceRule
    quantity: int
    stock: int | None
    stations: tuple[str, ...]  # station names that may redeem it; empty: any
    partner_text: str
    issue_at_checkin: bool
    at_checkin: int | None  # how many of the allowance at check-in; None: all of it

    def allowance(self, adults: int, kids: int, seniors: int) -> int:
        return allowance(self.rule, self.quantity, adults, kids, seniors)

    def checkin_share(self, adults: int, kids: int, seniors: int) -> int:
        """How many a household is handed at check-in (the rest: pre-printed stock)."""
        return checkin_share(self.at_checkin, self.allowance(adults, kids, seniors))


def allowance(rule: AllowanceRule, quantity: int, adults: int, kids: int, seniors: int) -> int:
    """How many tickets of a type a household gets, as pantries count it."""
    if rule == AllowanceRule.PER_MEMBER:
        return quantity * max(1, adults + kids + seniors)
    if rule == AllowanceRule.PER_KID:
        return quantity * kids
    return quantity


def checkin_share(at_checkin: int | None, allowed: int) -> int:
    return allowed if at_checkin is None else min(at_checkin, allowed)


@dataclass(frozen=True)
class EventConfig:
    tag: str
    key: bytes
    rev: int
    types: tuple[TypeConfig, ...]  # in the event's order

    def type_by_id(self, type_id: int) -> TypeConfig:
        return self._by_id[type_id]

    def type_named(self, name: str) -> TypeConfig | None:
        return next((t for t in self.types if t.name == name), None)

    @property
    def defaults(self) -> tuple[TypeConfig, ...]:
        """The types every household is handed at check-in."""
        return tuple(t for t in self.types if t.issue_at_checkin)

    @property
    def _by_id(self) -> dict[int, TypeConfig]:
        return {t.id: t for t in self.types}


def load(tx: ScanTx) -> EventConfig:
    event = tx.read(q.CONFIG_EVENT)
    types = tx.read(q.CONFIG_TYPES)
    row = event.rows()[0]
    return EventConfig(
        tag=row.tag,
        key=bytes(row.secret_key),
        rev=row.config_rev,
        types=tuple(
            TypeConfig(
                id=t.id,
                uid=t.uid,
                name=t.name,
                kind=t.kind,
                rule=t.rule,
                quantity=t.quantity,
                stock=t.stock,
                stations=tuple(s for s in t.stations.split(",") if s),
                partner_text=t.partner_text,
                issue_at_checkin=bool(t.issue_at_checkin),
                at_checkin=t.at_checkin,
            )
            for t in types.rows()
        ),
    )
