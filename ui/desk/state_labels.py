"""Short names of the scan states, in the volunteer's language: the end-of-shift summary counts
scans by them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from checkin.results import ScanState


def state_label(state: ScanState) -> str:
    s = ScanState
    labels = {
        s.CHECKED_IN: QCoreApplication.translate("ScanStates", "Checked in"),
        s.ALREADY_CHECKED_IN: QCoreApplication.translate("ScanStates", "Already checked in"),
        s.TICKET_BOUND: QCoreApplication.translate("ScanStates", "Pre-printed tickets given out"),
        s.UNASSIGNED: QCoreApplication.translate(
            "ScanStates", "Pre-printed tickets scanned with nobody on screen"
        ),
        s.REDEEMED: QCoreApplication.translate("ScanStates", "Handed over"),
        s.ALREADY_REDEEMED: QCoreApplication.translate("ScanStates", "Already used"),
        s.NOT_VALID_HERE: QCoreApplication.translate("ScanStates", "Not valid at this station"),
        s.LIMIT_REACHED: QCoreApplication.translate("ScanStates", "Limit reached"),
        s.OUT_OF_STOCK: QCoreApplication.translate("ScanStates", "Out of stock"),
        s.ENTITLED: QCoreApplication.translate(
            "ScanStates", "Entitled, sent to the pre-printed stack or the desk"
        ),
        s.VOID: QCoreApplication.translate("ScanStates", "Cancelled tickets"),
        s.UNKNOWN: QCoreApplication.translate("ScanStates", "Not in this event file"),
        s.WRONG_EVENT: QCoreApplication.translate("ScanStates", "From another event"),
        s.FORGED: QCoreApplication.translate("ScanStates", "Not genuine"),
        s.TYPO: QCoreApplication.translate("ScanStates", "Mistyped codes"),
        s.NOT_A_CODE: QCoreApplication.translate("ScanStates", "Not a code"),
        s.CAMPAIGN_RECORDED: QCoreApplication.translate("ScanStates", "Flyers recorded"),
        s.FLYER: QCoreApplication.translate("ScanStates", "Flyers scanned with nobody on screen"),
        s.PRIZE_CLAIMED: QCoreApplication.translate("ScanStates", "Prizes handed over"),
        s.ALREADY_CLAIMED: QCoreApplication.translate("ScanStates", "Prizes already handed over"),
        s.NOT_A_WINNER: QCoreApplication.translate("ScanStates", "Not a winner"),
        s.NOT_SAVED: QCoreApplication.translate("ScanStates", "NOT saved"),
    }
    return labels[state]
