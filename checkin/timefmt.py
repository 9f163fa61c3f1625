"""Stored times are naive UTC; people read local wall-clock time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone()


def clock(moment: datetime | None) -> str:
    """ "14:03" for a scan result banner."""
    return local(moment).strftime("%H:%M") if moment else ""


def iso_local(moment: datetime | None) -> str:
    """ISO 8601 with the local offset, as exports and reports show it."""
    return local(moment).isoformat(timespec="seconds") if moment else ""


def utc_offset(moment: datetime) -> int:
    """Minutes local time is ahead of UTC at a stored moment (negative west of Greenwich)."""
    offset = local(moment).utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


def offset_text(minutes: int) -> str:
    """``-05:00`` for -300: the offset as ISO 8601 writes it after a local time."""
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
