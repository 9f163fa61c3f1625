"""Stored times are naive UTC; people read local wall-clock time."""

from __future__ import annotations

from datetime import UTC, datetime


def local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone()


def clock(moment: datetime | None) -> str:
    """ "14:03" for a scan result banner."""
    return local(moment).strftime("%H:%M") if moment else ""


def iso_local(moment: datetime | None) -> str:
    """ISO 8601 with the local offset, as exports and reports show it."""
    return local(moment).isoformat(timespec="seconds") if moment else ""
