"""The end-of-shift summary in the volunteer's language (checkin.stations.shift has the figures)."""

from __future__ import annotations

from datetime import UTC

from PySide6.QtCore import QCoreApplication

from checkin.results import ScanState
from checkin.stations.shift import ShiftSummary
from ui.common.person_names import localized_name
from ui.desk.state_labels import state_label


def _undone(action: str) -> str:
    if action == "checked_in":
        return QCoreApplication.translate("ShiftSummary", "check-in")
    if action == "ticket_redeemed":
        return QCoreApplication.translate("ShiftSummary", "redemption")
    if action == "ticket_bound":
        return QCoreApplication.translate("ShiftSummary", "ticket handed out")
    if action == "tickets_issued":
        return QCoreApplication.translate("ShiftSummary", "tickets issued")
    return QCoreApplication.translate("ShiftSummary", "flyer recorded")


def shift_text(shift: ShiftSummary) -> str:
    since = shift.since.replace(tzinfo=UTC).astimezone()
    lines = [
        QCoreApplication.translate(
            "ShiftSummary", "Station {station}, volunteer {volunteer}, since {time}:"
        ).format(station=shift.station, volunteer=shift.volunteer or "-", time=f"{since:%H:%M}"),
        "",
        QCoreApplication.translate("ShiftSummary", "Check-ins: {n}").format(n=shift.check_ins),
        QCoreApplication.translate("ShiftSummary", "Walk-ups registered: {n}").format(
            n=shift.walkups
        ),
    ]
    if shift.redemptions:
        lines.append(
            QCoreApplication.translate("ShiftSummary", "Tickets redeemed: {n}").format(
                n=shift.redemptions
            )
        )
    if shift.handed_out:
        lines.append(
            QCoreApplication.translate(
                "ShiftSummary", "Pre-printed tickets handed out: {n}"
            ).format(n=shift.handed_out)
        )
    lines.append(
        QCoreApplication.translate("ShiftSummary", "Undos: {n}").format(n=len(shift.undos))
    )
    for undone in shift.undos:
        lines.append(f"  - {_undone(undone.action)}: {localized_name(undone.subject) or '?'}")
    others = {s: n for s, n in shift.scans_by_state.items() if s != ScanState.CHECKED_IN.value}
    if others:
        lines.append("")
        lines.append(QCoreApplication.translate("ShiftSummary", "Other scan answers:"))
        for state in ScanState:
            if state.value in others:
                lines.append(f"  {state_label(state)}: {others[state.value]}")
    if not shift.scans and not shift.check_ins:
        lines.append("")
        lines.append(QCoreApplication.translate("ShiftSummary", "No scans yet in this shift."))
    return "\n".join(lines)
