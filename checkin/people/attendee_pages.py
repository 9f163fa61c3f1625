"""The full attendee list one page at a time, for the organiser's table (50,000 rows stay
smooth because each page is a bounded query continuing after the last number shown)."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select

from checkin.people import external_codes
from checkin.people.attendees import fold, phone_digits
from checkin.people.listing import ROW_COLUMNS, AttendeeRow, with_arrival
from checkin.store import Database
from checkin.store.models import Attendee, CheckIn

PAGE_SIZE = 500


class Arrival(enum.StrEnum):
    ALL = "all"
    CHECKED_IN = "checked_in"
    NOT_YET = "not_yet"


def _filtered(stmt: Any, text: str, arrival: Arrival) -> Any:
    # Any: the statement's column types differ between the count and the page query.
    conditions: list[Any] = []
    words = fold(text).split()
    for word in words[:6]:
        pattern = f"%{word}%"
        digits = phone_digits(word)
        options: list[ColumnElement[bool]] = [
            Attendee.full_key.like(pattern),
            Attendee.code.like(f"%{word.upper()}%"),
            Attendee.zip_code.like(f"{word}%"),
        ]
        if digits and digits == word:
            options.append(Attendee.phone_key.like(f"{digits[::-1]}%"))
            options.append(Attendee.number == int(digits))
        if len(text.split()) == 1 and len(text.strip()) >= 4:
            options.append(external_codes.matches(text.strip()))  # a tool's barcode, as typed
        conditions.append(or_(*options))
    if arrival is Arrival.CHECKED_IN:
        conditions.append(CheckIn.id.is_not(None))
    elif arrival is Arrival.NOT_YET:
        conditions.append(CheckIn.id.is_(None))
    return stmt.where(and_(*conditions)) if conditions else stmt


def count_attendees(db: Database, text: str = "", arrival: Arrival = Arrival.ALL) -> int:
    stmt = _filtered(
        with_arrival(select(func.count(Attendee.id)).select_from(Attendee)), text, arrival
    )
    with db.reading() as session:
        return session.scalar(stmt) or 0


def attendee_page(
    db: Database,
    *,
    after_number: int = 0,
    limit: int = PAGE_SIZE,
    text: str = "",
    arrival: Arrival = Arrival.ALL,
) -> list[AttendeeRow]:
    """Up to ``limit`` attendees numbered after ``after_number``, in number order."""
    stmt = _filtered(with_arrival(select(*ROW_COLUMNS)), text, arrival)
    stmt = stmt.where(Attendee.number > after_number).order_by(Attendee.number).limit(limit)
    with db.reading() as session:
        return [AttendeeRow(*row) for row in session.execute(stmt)]
