"""What each paper layout is called on screen: volunteers pick paper, not layout ids."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def layout_label(layout: str) -> str:
    labels = {
        "receipt-80": QCoreApplication.translate("Layouts", "Receipt roll, 80 mm"),
        "receipt-58": QCoreApplication.translate("Layouts", "Receipt roll, 58 mm"),
        "letter": QCoreApplication.translate("Layouts", "Letter paper, one ticket a page"),
        "a4": QCoreApplication.translate("Layouts", "A4 paper, one ticket a page"),
        "letter-30": QCoreApplication.translate("Layouts", "Letter sheets, 30 tickets to cut"),
        "a4-24": QCoreApplication.translate("Layouts", "A4 sheets, 24 tickets to cut"),
        "badges-letter": QCoreApplication.translate("Layouts", "Letter sheets, 8 badges"),
        "flyers-letter": QCoreApplication.translate("Layouts", "Letter sheets, 4 flyers"),
    }
    return labels.get(layout, layout)
