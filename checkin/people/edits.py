"""Putting a person right: the person window's and `checkin person --set`'s one service.

An edit goes through checkin.people.attendees.change_attendee (cleaned, its replaced values kept for
Undo, an audit entry sealing the household's counts). A change of household size moves what
each ticket type allows; tickets already handed over stay with the household, and the result
says what changed ("Meal tickets due: 3 → 4").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin import codes
from checkin.people.attendees import FIELDS, InvalidAttendee, change_attendee
from checkin.results import AttendeeInfo, Station, TicketDue
from checkin.store import Database
from checkin.store.models import Attendee
from checkin.ticketing.snapshots import attendee_info

# Short names a person types on the command line, and the field each one sets.
ALIASES = {
    "first": "first_name",
    "last": "last_name",
    "zip": "zip_code",
    "attention": "attention_note",
    "note": "notes",
}
# What the organiser lock does not guard: a volunteer may note that someone needs help.
UNLOCKED = frozenset({"needs_attention", "attention_note"})
_TRUE = {"1", "yes", "y", "true", "on", "si", "sí"}
_FALSE = {"0", "no", "n", "false", "off", ""}


@dataclass(frozen=True)
class DueChange:
    type_name: str
    before: int  # allowed before the edit
    after: int
    held: int  # handed over already (issued or used): never taken back

    def text(self) -> str:
        line = f"{self.type_name} tickets due: {self.before} → {self.after}"
        if self.held > self.after:
            line += f" ({self.held} already handed over stay with the household)"
        elif self.after > self.held:
            line += f" ({self.after - self.held} still to hand over)"
        return line


@dataclass(frozen=True)
class EditResult:
    person: AttendeeInfo
    changed: tuple[str, ...]  # field names
    dues: tuple[DueChange, ...]

    def lines(self) -> list[str]:
        if not self.changed:
            return ["Nothing changed"]
        return [f"Changed: {', '.join(self.changed)}", *(d.text() for d in self.dues)]


def parse_assignments(pairs: list[str]) -> dict[str, Any]:
    """``["kids=2", "attention=uses a wheelchair"]`` -> field values; InvalidAttendee if not."""
    fields: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = ALIASES.get(name.strip().lower(), name.strip().lower())
        if not sep or name not in FIELDS:
            known = ", ".join(sorted({*FIELDS, *ALIASES} - {"external_ref"}))
            raise InvalidAttendee(f"Not field=value: {pair!r} (fields: {known})")
        fields[name] = flag(value) if name in ("consent", "needs_attention") else value
    return fields


def flag(value: str) -> bool:
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise InvalidAttendee(f"Not yes or no: {value!r}")


def _dues_by_type(person: AttendeeInfo) -> dict[str, TicketDue]:
    return {d.type_name: d for d in person.dues}


def edit(
    session: Session, attendee: Attendee, fields: dict[str, Any], where: Station
) -> EditResult:
    """In the caller's write transaction."""
    fields = dict(fields)
    if fields.get("needs_attention") is False and "attention_note" not in fields:
        fields["attention_note"] = ""  # lowering the flag clears what it said
    if "attention_note" in fields and not str(fields["attention_note"]).strip():
        fields.setdefault("needs_attention", False)
    consent = fields.get("consent", attendee.consent)
    given = [name for name in ("phone", "email") if str(fields.get(name) or "").strip()]
    if given and not consent:
        # Said, not dropped in silence ("Nothing changed" left the organiser guessing).
        raise InvalidAttendee(
            f"{' and '.join(given)}: kept only with the household's consent (add consent=yes)"
        )
    before = _dues_by_type(attendee_info(session, attendee))
    changed = change_attendee(session, attendee, fields, where)
    person = attendee_info(session, attendee)
    moved = tuple(
        DueChange(name, before[name].allowed, due.allowed, due.held)
        for name, due in _dues_by_type(person).items()
        if name in before and before[name].allowed != due.allowed
    )
    return EditResult(person, tuple(changed), moved)


def edit_person(
    db: Database, code: str, station: Station | None = None, **fields: Any
) -> EditResult:
    """Edit the person with this attendee code (as printed or typed)."""
    value = codes.normalize(code) or code
    where = station or Station("")

    def work(session: Session) -> EditResult:
        attendee = session.scalar(select(Attendee).where(Attendee.code == value))
        if attendee is None:
            raise InvalidAttendee("No such attendee")
        return edit(session, attendee, fields, where)

    return db.write(work)
