"""A household from a file row: its counts when the file gives a size, a breakdown or both; a
zip inside an address; and whether an attendance status says it is not coming."""

from __future__ import annotations

import re
from dataclasses import dataclass

from checkin.people import statuses

ZIP_IN_TEXT = re.compile(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)")


@dataclass(frozen=True)
class Counts:
    adults: int
    kids: int
    seniors: int
    conflict: bool = False  # the size and the breakdown disagreed
    size_as_adults: bool = False  # the size was smaller than the kids: it counts the adults


def reconcile(
    size: int | None, adults: int | None, kids: int | None, seniors: int | None
) -> Counts:
    """Adults, kids and seniors; ``None`` where the file gave nothing.

    With a household size, whoever the breakdown leaves out are adults (size 5 with 3 kids:
    2 adults, 3 kids). A size smaller than the kids and seniors counted beside it ("Personas
    en el hogar" 2, "Niños" 3) counts the adults: 2 adults, 3 kids, and the disagreement is
    reported. When the given breakdown adds up to more than the size, the breakdown is kept
    (it names each person) and the disagreement is reported; when less, the missing people
    are counted as adults.
    """
    k, s = kids or 0, seniors or 0
    if size is None:
        return Counts(1 if adults is None else adults, k, s)
    if adults is None:
        rest = size - k - s
        if rest < 0:
            return Counts(size, k, s, conflict=True, size_as_adults=True)
        return Counts(rest, k, s)
    total = adults + k + s
    if total == size:
        return Counts(adults, k, s)
    return Counts(adults + max(size - total, 0), k, s, conflict=True)


def zip_in_address(address: str) -> str:
    """The last 5-digit zip (a zip+4 is cut to its 5 digits) in an address, or "".

    A number that starts the address is the house number ("12345 Main St"), not a zip.
    """
    text = address.strip()
    found = [m.group(1) for m in ZIP_IN_TEXT.finditer(text) if m.start() > 0]
    return found[-1] if found else ""


def status_skips(folded_status: str) -> bool:
    """Whether an attendance status or "Will you attend?" answer means the row is not coming
    (the vocabulary is ``checkin.people.statuses``)."""
    return statuses.status_skips(folded_status)
