"""The scan log: every scan, accepted or not, with station and volunteer."""

from __future__ import annotations

from checkin.results import ScanResult, Station
from checkin.store.models import new_uid, utcnow

RAW_LIMIT = 200


def printable(raw: str) -> str:
    """What a scanner sent, safe to store and show: control characters escaped, truncated."""
    shown = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in raw)
    return shown if len(shown) <= RAW_LIMIT else shown[: RAW_LIMIT - 1] + "…"


def scan_row(
    result: ScanResult,
    station: Station,
    *,
    attendee_id: int | None = None,
    ticket_id: int | None = None,
) -> dict[str, object]:
    """The scan log's row for a result, every column given (the scan path runs no defaults)."""
    return {
        "uid": new_uid(),
        "at": utcnow(),
        "station": station.name,
        "volunteer": station.volunteer,
        "raw": printable(result.input),
        "state": result.state.value,
        "repeat": result.repeat,
        "attendee_id": attendee_id,
        "ticket_id": ticket_id,
    }
