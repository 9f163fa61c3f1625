"""A household's counts from a file that may give its size, its breakdown, or both."""

from __future__ import annotations

import re
from dataclasses import dataclass

ZIP_IN_TEXT = re.compile(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)")
STATUS_SKIPPED = frozenset(
    (
        "refunded",
        "cancelled",
        "canceled",
        "deleted",
        "declined",
        "no",
        "not",
        "wont",
        "cancelado",
        "cancelada",
        "reembolsado",
        "reembolsada",
        "eliminado",
        "eliminada",
        "borrado",
    )
)


@dataclass(frozen=True)
class Counts:
    adults: int
    kids: int
    seniors: int
    conflict: bool = False  # the size and the breakdown disagreed


def reconcile(
    size: int | None, adults: int | None, kids: int | None, seniors: int | None
) -> Counts:
    """Adults, kids and seniors; ``None`` where the file gave nothing.

    With a household size, whoever the breakdown leaves out are adults (size 5 with 3 kids:
    2 adults, 3 kids). When the given breakdown adds up to more than the size, the breakdown is
    kept (it names each person) and the disagreement is reported; when less, the missing
    people are counted as adults.
    """
    k, s = kids or 0, seniors or 0
    if size is None:
        return Counts(1 if adults is None else adults, k, s)
    if adults is None:
        rest = size - k - s
        return Counts(max(rest, 0), k, s, conflict=rest < 0)
    total = adults + k + s
    if total == size:
        return Counts(adults, k, s)
    return Counts(adults + max(size - total, 0), k, s, conflict=True)


def zip_in_address(address: str) -> str:
    """The last 5-digit zip (a zip+4 is cut to its 5 digits) in an address, or ""."""
    found = ZIP_IN_TEXT.findall(address)
    return found[-1] if found else ""


def status_skips(folded_status: str) -> bool:
    """Whether an attendance status or "Will you attend?" answer means the row is not coming."""
    words = folded_status.split()
    return bool(words) and words[0] in STATUS_SKIPPED
