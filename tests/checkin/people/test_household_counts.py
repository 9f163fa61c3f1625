"""Household sizes reconciled with the breakdown, zips in addresses, statuses (issue 14)."""

from __future__ import annotations

import pytest

from checkin.people.attendees import fold
from checkin.people.household import Counts, reconcile, status_skips, zip_in_address


@pytest.mark.parametrize(
    ("size", "adults", "kids", "seniors", "expected"),
    [
        (5, None, 3, None, Counts(2, 3, 0)),  # size 5 with 3 kids: 2 adults
        (8, None, 5, None, Counts(3, 5, 0)),
        (4, None, None, None, Counts(4, 0, 0)),
        (5, 2, 3, None, Counts(2, 3, 0)),  # agrees
        (5, 1, 3, None, Counts(2, 3, 0, conflict=True)),  # one missing: an adult
        (2, 2, 3, None, Counts(2, 3, 0, conflict=True)),  # more named than the size: kept
        # Smaller than the kids and seniors: the size counts the adults (issue 25).
        (3, None, 2, 2, Counts(3, 2, 2, conflict=True, size_as_adults=True)),
        (2, None, 3, None, Counts(2, 3, 0, conflict=True, size_as_adults=True)),
        (None, None, 2, None, Counts(1, 2, 0)),  # no size: one adult by default
        (None, 0, 2, None, Counts(0, 2, 0)),
    ],
)
def test_reconcile(
    size: int | None, adults: int | None, kids: int | None, seniors: int | None, expected: Counts
) -> None:
    assert reconcile(size, adults, kids, seniors) == expected


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("1200 E 35th St Kansas City, MO 64109-1234", "64109"),
        ("3300 Prospect Ave, Kansas City, MO 64128", "64128"),
        ("12345 Main St, 64130", "64130"),  # the last 5-digit number, not the house number
        ("Apt 4, Kansas City", ""),
        ("12345 Main St, Kansas City", ""),  # a house number starts the address
        ("PO Box 123456", ""),
    ],
)
def test_zip_in_address(address: str, expected: str) -> None:
    assert zip_in_address(address) == expected


@pytest.mark.parametrize(
    ("status", "skipped"),
    [
        ("Refunded", True),
        ("Cancelled", True),
        ("Canceled", True),
        ("Not Attending", True),
        ("Deleted", True),
        ("No", True),
        ("No asistiré", True),
        ("Cancelado", True),
        ("Won't attend", True),
        ("Attending", False),
        ("Checked In", False),
        ("Yes", False),
        ("Sí", False),
        ("Maybe", False),
        ("", False),
    ],
)
def test_status(status: str, skipped: bool) -> None:
    assert status_skips(fold(status)) is skipped
