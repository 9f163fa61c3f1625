"""When two rows are the same household, and when they only might be.

- By external reference (an Eventbrite Attendee # or Barcode #): the same reference is the
  same person, whatever else changed; different references are different people.
- Without one: the same only when every imported field agrees (a form submitted twice),
  names and text compared folded ("José" = "jose"). Phone and email are compared as written in
  the file, before they are dropped for lack of consent.
- Same folded name and zip with other fields differing: two households that may be one. Both
  are imported, and their lines are listed so that someone can look.
"""

from __future__ import annotations

from typing import Any

from checkin.attendees import fold, phone_digits

Key = tuple[Any, ...]


def exact_key(fields: dict[str, Any], phone: str, email: str) -> Key:
    return (
        fold(fields["first_name"]),
        fold(fields["last_name"]),
        fields["adults"],
        fields["kids"],
        fields["seniors"],
        fields["zip_code"].strip().casefold(),
        phone_digits(phone),
        email.strip().casefold(),
        bool(fields["consent"]),
        fields["language"],
        fold(fields["heard_about"]),
        fold(fields["notes"]),
    )


def name_key(first: str, last: str, zip_code: str) -> Key | None:
    """Name and zip, folded; None when there is no name to compare."""
    first_key, last_key = fold(first), fold(last)
    if not (first_key or last_key):
        return None
    return (first_key, last_key, zip_code.strip().casefold())
