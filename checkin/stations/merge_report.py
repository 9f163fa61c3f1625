"""What merging one station file did, for the organiser (CLI and Merge screen)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Conflict:
    kind: str  # redeemed_twice | checked_in_twice | bound_twice | draw_differs | ...
    subject: str  # "Meal ticket No. 3", "Guest #12", "Tablet"
    detail: str  # one line for the organiser


@dataclass(frozen=True)
class MergeReport:
    source: str
    station: str
    already_merged: bool = False
    walkups: int = 0
    checkins: int = 0
    tickets_added: int = 0
    tickets_updated: int = 0
    scans: int = 0
    draws: int = 0
    paper_tallies: int = 0
    audit_entries: int = 0
    details_filled: int = 0
    details_edited: int = 0  # households corrected at the station (sizes, names, ...)
    conflicts: tuple[Conflict, ...] = ()
    warnings: tuple[str, ...] = ()
    # Households registered at one station whose code another station checked in before it
    # knew them (checkin/stations/elsewhere.py), reconciled into one: a line each, by number.
    registered_elsewhere: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return not self.already_merged and any(
            (
                self.walkups,
                self.checkins,
                self.tickets_added,
                self.tickets_updated,
                self.scans,
                self.draws,
                self.paper_tallies,
                self.audit_entries,
                self.details_filled,
                self.details_edited,
            )
        )

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        """A short account for the organiser (CLI and Merge screen)."""
        name = self.station or self.source
        if self.already_merged:
            return [f"{name}: already merged, nothing to do"]
        lines = [
            f"{name}: {self.walkups} walk-ups, {self.checkins} check-ins, "
            f"{self.tickets_added} new and {self.tickets_updated} updated tickets, "
            f"{self.scans} scans, {self.draws} draws, {self.audit_entries} log entries"
        ]
        if self.details_edited:
            lines.append(f"  {self.details_edited} households corrected at the station")
        lines += [f"  CONFLICT {c.subject}: {c.detail}" for c in self.conflicts]
        lines += [f"  registered at another station: {r}" for r in self.registered_elsewhere]
        lines += [f"  note: {w}" for w in self.warnings]
        return lines
