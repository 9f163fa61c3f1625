"""Codes a household brought from a registration tool (an Eventbrite barcode, a pretix ticket
secret, a Ticket Tailor barcode): scanned at the desk, or searched for, they find the household
as its own code does. The first is the attendee's ``external_ref``; a household joined from
several rows keeps the others in ``external_codes``. Codes of other events are not in this
file, so they stay "Not a check-in code"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import ColumnElement, bindparam, delete, insert, or_, select
from sqlalchemy.orm import Session

from checkin.store.models import Attendee, ExternalCode

MAX_CODE_CHARS = 100


def matches(text: str) -> ColumnElement[bool]:
    """A condition on Attendee: ``text`` is one of its external codes (both indexed)."""
    further = select(ExternalCode.attendee_id).where(ExternalCode.code == text)
    return or_(Attendee.external_ref == text, Attendee.id.in_(further))


# The scan engine's lookup, compiled once: the attendee code of the household holding a code.
OWNER = (
    select(Attendee.code)
    .where(
        or_(
            Attendee.external_ref == bindparam("code"),
            Attendee.id.in_(
                select(ExternalCode.attendee_id).where(ExternalCode.code == bindparam("code"))
            ),
        ),
        Attendee.purged.is_(False),
    )
    .order_by(Attendee.number)
    .limit(1)
)


def store_further(session: Session, further: Mapping[str, Sequence[str]]) -> None:
    """Keep each new household's further codes: attendee code -> its other external codes."""
    wanted = {code: refs for code, refs in further.items() if refs}
    if not wanted:
        return
    ids = dict(
        session.execute(
            select(Attendee.code, Attendee.id).where(Attendee.code.in_(list(wanted)))
        ).all()
    )
    rows = [
        {"attendee_id": ids[code], "code": ref[:MAX_CODE_CHARS]}
        for code, refs in wanted.items()
        for ref in refs
    ]
    session.execute(insert(ExternalCode), rows)


def forget_all(session: Session) -> None:
    """After the event's personal data is removed, the codes that point at people go too."""
    session.execute(delete(ExternalCode))
