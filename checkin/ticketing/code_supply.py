"""New codes that are not already taken. A code carries 40 random bits, so among a million
households two are likely to draw the same one (the birthday bound): a million-row import
failed on "UNIQUE constraint failed: attendees.code" and stored nothing. Every place that makes
codes (an import, a walk-up, stock) draws again for a code already in the file or drawn."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin import codes

_CHUNK = 500  # codes looked up per query
_TRIES = 20  # a collision twice in a row is already one in a trillion


def fresh_codes(
    session: Session, column: Any, kind: codes.CodeKind, tag: str, key: bytes, count: int
) -> list[str]:
    """``count`` distinct codes of ``kind`` that ``column`` (e.g. Attendee.code) does not hold."""
    made: list[str] = []
    taken: set[str] = set()
    wanted = count
    for _ in range(_TRIES):
        batch = [code.value for code in codes.make_codes(kind, tag, key, wanted)]
        batch = [code for code in dict.fromkeys(batch) if code not in taken]
        for start in range(0, len(batch), _CHUNK):
            chunk = batch[start : start + _CHUNK]
            taken.update(session.scalars(select(column).where(column.in_(chunk))))
        fresh = [code for code in batch if code not in taken]
        made += fresh
        taken.update(fresh)
        wanted = count - len(made)
        if not wanted:
            return made
    raise RuntimeError("could not draw unused codes")  # never: 20 collisions in a row


def fresh_code(session: Session, column: Any, kind: codes.CodeKind, tag: str, key: bytes) -> str:
    return fresh_codes(session, column, kind, tag, key, 1)[0]
