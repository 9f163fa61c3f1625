"""When two rows are the same household, and when they only might be.

- By external reference (an Eventbrite Attendee # or Barcode #): the same reference is the
  same person, whatever else changed; different references are different people.
- Without one: the same only when every imported field agrees (a form submitted twice),
  names and text compared folded ("José" = "jose"). Phone and email are compared as written in
  the file, before they are dropped for lack of consent.
- A household that withdrew its contact consent: a row equal to it but for phone, email and
  consent is that household (checkin/people/consent_withdrawal.py), so it is not imported again.
- Same folded name and zip with other fields differing: two households that may be one. Both
  are imported, and their lines are listed so that someone can look.
"""

from __future__ import annotations

from typing import Any

from checkin.people.attendees import fold, phone_digits

Key = tuple[Any, ...]


def base_key(fields: dict[str, Any]) -> Key:
    """Every imported field but phone and email, names and text folded."""
    return (
        fold(fields["first_name"]),
        fold(fields["last_name"]),
        fields["adults"],
        fields["kids"],
        fields["seniors"],
        fields["zip_code"].strip().casefold(),
        bool(fields["consent"]),
        fields["language"],
        fold(fields["heard_about"]) if fields["heard_about"] else "",
        fold(fields["notes"]) if fields["notes"] else "",
    )


def exact_key(base: Key, phone: str, email: str) -> Key:
    """``base_key`` with the contact details: equal keys are the same household."""
    return (*base, phone_digits(phone), email.strip().casefold())


def without_consent(base: Key) -> Key:
    """A ``base_key`` without the consent answer: a household that withdrew its consent is
    the same household when a re-import's row still says yes (and has the phone it removed)."""
    return (*base[:6], *base[7:])


def name_key_of(base: Key) -> Key | None:
    """Folded name and zip from a ``base_key``; None when there is no name to compare."""
    if not (base[0] or base[1]):
        return None
    return (base[0], base[1], base[5])
