"""Replaying the record: the state the audit chain's row images lead to, compared with the
tables, so an edit made outside the app (a redemption set back, a check-in deleted, a ticket
moved to someone else) shows up as a difference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from checkin.record.images import TRACKED, Image

SHOWN = 200  # differences listed; the count says how many more


@dataclass(frozen=True)
class Difference:
    table: str
    uid: str
    label: str  # the row's code (a person, a ticket) or its uid
    field: str  # "" for a whole row
    expected: Any  # what the record says
    found: Any  # what the table holds

    def __str__(self) -> str:
        where = f"{self.table} row {self.label}"
        if self.field:
            return f"{where}: {self.field} is {self.found!r}, the record says {self.expected!r}"
        if self.found is None:
            return f"{where}: removed outside the app (the record has it)"
        return f"{where}: not in the record (added or re-keyed outside the app)"


class Replay:
    """The tracked tables as the record's entries, applied in order, leave them."""

    def __init__(self) -> None:
        self.state: dict[str, dict[str, Image]] = {t.table: {} for t in TRACKED}

    def apply(self, rows: Any) -> None:
        if not isinstance(rows, dict):
            return
        for table, images in rows.items():
            known = self.state.get(table)
            if known is None or not isinstance(images, dict):
                continue
            for uid, image in images.items():
                if image is None:
                    known.pop(uid, None)
                else:
                    known[uid] = image

    def compare(self, connection: Connection) -> list[Difference]:
        differences: list[Difference] = []
        for tracked in TRACKED:
            expected = self.state[tracked.table]
            found = tracked.images(connection)
            # a person or ticket by code, a ticket type or prize by name, other rows by key
            labelled = tracked.fields[0] in ("code", "name")
            for uid in sorted(expected.keys() | found.keys()):
                was, now = expected.get(uid), found.get(uid)
                if was == now:
                    continue
                image = now or was or []
                label = str(image[0]) if labelled and image else uid
                if was is None or now is None:
                    differences.append(Difference(tracked.table, uid, label, "", was, now))
                    continue
                for name, before, after in zip(tracked.fields, was, now, strict=False):
                    if before != after:
                        differences.append(
                            Difference(tracked.table, uid, label, name, before, after)
                        )
        return differences
