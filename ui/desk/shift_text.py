"""The end-of-shift summary in the volunteer's language (checkin.shift has the figures)."""

from __future__ import annotations

from datetime import UTC

from PySide6.QtCore import QCoreApplication

from checkin.results import ScanState
from checkin.shift import ShiftSummary
from ui.desk.state_labels import state_label
from ui.person_names import localized_name


def _t(text: str) -> str:
    return QCoreApplication.translate("ShiftSummary", text)


def _undone(action: str) -> str:
    return {
        "checked_in": _t("check-in"),
        "ticket_redeemed": _t("redemption"),
        "ticket_bound": _t("ticket handed out"),
        "tickets_issued": _t("tickets issued"),
    }.get(action, _t("flyer recorded"))


def shift_text(shift: ShiftSummary) -> str:
    since = shift.since.replace(tzinfo=UTC).astimezone()
    lines = [
        _t("Station {station}, volunteer {volunteer}, since {time}:").format(
            station=shift.station, volunteer=shift.volunteer or "-", time=f"{since:%H:%M}"
        ),
        "",
        _t("Check-ins: {n}").format(n=shift.check_ins),
        _t("Walk-ups registered: {n}").format(n=shift.walkups),
    ]
    if shift.redemptions:
        lines.append(_t("Tickets redeemed: {n}").format(n=shift.redemptions))
    if shift.handed_out:
        lines.append(_t("Pre-printed tickets handed out: {n}").format(n=shift.handed_out))
    lines.append(_t("Undos: {n}").format(n=len(shift.undos)))
    for undone in shift.undos:
        lines.append(f"  - {_undone(undone.action)}: {localized_name(undone.subject) or '?'}")
    problems = {
        state: n
        for state, n in shift.scans_by_state.items()
        if state not in (ScanState.CHECKED_IN.value,)
    }
    if problems:
        lines.append("")
        lines.append(_t("Other scan answers:"))
        for state in ScanState:
            if state.value in problems:
                lines.append(f"  {state_label(state)}: {problems[state.value]}")
    if not shift.scans and not shift.check_ins:
        lines.append("")
        lines.append(_t("No scans yet in this shift."))
    return "\n".join(lines)
