"""Which rows of a file are one household.

- ``row``: each row is a household (a form's answers, an order-level export).
- ``order``: the rows of one order (or one buyer's email) are one household.
- ``family``: a row per person: the rows of one order or buyer with the same surname or the
  same address are one household; different surnames in one order stay separate households
  (a neighbour registered inside someone else's order).
- ``person``: a row per sign-up slot: the rows of one person are one household; slots naming
  adults, kids or seniors ("Adults attending", "Kids attending") count their Qty as such, and
  other slots (a potluck dish) are not people.

In ``order`` and ``family`` a row whose ticket type names a kid ("Child", "Niño") or a senior
counts as one. The default is guessed from the file and said."""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING

from checkin.people.attendees import fold
from checkin.people.size_words import kind_named

if TYPE_CHECKING:
    from checkin.people.prereg_file import PreregRow

GROUPINGS = ("row", "order", "family", "person")
JOINED = "rows joined into one household"


class Guesser:
    """The grouping the file looks like, from its rows one at a time (not all held)."""

    def __init__(self, has_slot: bool) -> None:
        self.has_slot = has_slot
        self._people: set[Hashable] = set()
        self._orders: set[str] = set()
        self.person_repeats = False
        self.order_repeats = False

    def add(self, row: PreregRow) -> None:
        if self.has_slot and not self.person_repeats:
            person = _person(row)
            if person is not None:
                self.person_repeats = person in self._people
                self._people.add(person)
        if not self.order_repeats:
            order = _order(row)
            if order:
                self.order_repeats = order in self._orders
                self._orders.add(order)

    def result(self) -> tuple[str, str]:
        """The grouping, and why (one English line)."""
        if self.person_repeats:
            return "person", "the same person is on several rows, each a slot with its quantity"
        if self.order_repeats:
            return "family", "order numbers repeat, with a person on each row"
        return "row", "each row is a household"


def guess(rows: Iterable[PreregRow], has_slot: bool) -> tuple[str, str]:
    """The grouping the file looks like, and why (one English line)."""
    guesser = Guesser(has_slot)
    for row in rows:
        guesser.add(row)
    return guesser.result()


def _order(row: PreregRow) -> str:
    return fold(row.order) or fold(row.buyer)


def _person(row: PreregRow) -> Hashable | None:
    name = (fold(row.first_name), fold(row.last_name))
    if any(name):
        return name
    return fold(row.file_email) or None


def _key(row: PreregRow, mode: str) -> Hashable | None:
    """Rows with the same key are one household; None: a household of its own."""
    if mode == "order":
        return _order(row) or None
    if mode == "family":
        order = _order(row)
        family = fold(row.last_name) or fold(row.address)
        return (order, family) if order and family else None
    if mode == "person":
        return _person(row)
    return None


def _counts(row: PreregRow, mode: str) -> tuple[int, int, int]:
    """Adults, kids and seniors one row adds to its household."""
    kind = kind_named(row.slot) if row.slot else None
    size = row.household_size
    if mode == "person" and row.slot:
        if kind is None:
            return 0, 0, 0  # "Potluck dish": not a person
        return (
            (size, 0, 0) if kind == "adults" else (0, size, 0) if kind == "kids" else (0, 0, size)
        )
    if kind == "kids":
        return 0, size, 0
    if kind == "seniors":
        return 0, 0, size
    return row.adults, row.kids, row.seniors


def group(rows: Sequence[PreregRow], mode: str) -> tuple[list[PreregRow], list[int]]:
    """The households, each at its first row's line, and the lines joined into another."""
    if mode == "row":
        return list(rows), []
    households: dict[Hashable, list[PreregRow]] = {}
    alone: list[list[PreregRow]] = []
    order: list[list[PreregRow]] = []
    for row in rows:
        key = _key(row, mode)
        if key is None:
            alone.append([row])
            order.append(alone[-1])
        elif key in households:
            households[key].append(row)
        else:
            households[key] = [row]
            order.append(households[key])
    merged = [_merge(members, mode) for members in order]
    joined = sorted(row.line for members in order for row in members[1:])
    return merged, joined


def _first(values: Sequence[str]) -> str:
    return next((v for v in values if v), "")


def _merge(members: list[PreregRow], mode: str) -> PreregRow:
    lead = members[0]
    adults = kids = seniors = 0
    for row in members:
        a, k, s = _counts(row, mode)
        adults, kids, seniors = adults + a, kids + k, seniors + s
    if adults + kids + seniors == 0:
        adults = 1  # a person signed up for a dish alone is still coming
    if len(members) == 1 and mode != "person":
        return dataclasses.replace(lead, adults=adults, kids=kids, seniors=seniors)
    contact = next((row for row in members if row.phone or row.email), lead)
    refs = [row.external_ref for row in members if row.external_ref]
    notes: list[str] = []
    for row in members:
        if row.notes and row.notes not in notes:
            notes.append(row.notes)
    first_name = lead.first_name
    last_name = lead.last_name or _first([row.last_name for row in members])
    return dataclasses.replace(
        lead,
        first_name=first_name,
        last_name=last_name,
        adults=adults,
        kids=kids,
        seniors=seniors,
        phone=contact.phone,
        email=contact.email,
        consent=contact.consent if contact is not lead else lead.consent,
        zip_code=_first([row.zip_code for row in members]),
        language=_first([row.language for row in members]),
        heard_about=_first([row.heard_about for row in members]),
        notes="\n".join(notes),
        attention_note="; ".join(
            dict.fromkeys(r.attention_note for r in members if r.attention_note)
        ),
        external_ref=refs[0] if refs else "",
        more_refs=tuple(dict.fromkeys(refs[1:] + [r for row in members for r in row.more_refs])),
    )
