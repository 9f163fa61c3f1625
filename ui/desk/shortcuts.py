"""The keyboard shortcuts, as F1 (the volunteer guide) and Shift+F1 (colours, sounds and keys)
list them: one list, so the two screens cannot tell a volunteer different things."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def shortcuts() -> list[tuple[str, str]]:
    """(keys, what they do), in the app's language."""
    translate = QCoreApplication.translate
    return [
        ("F1", translate("Shortcuts", "the volunteer guide")),
        ("Shift+F1", translate("Shortcuts", "the colours, sounds and shortcuts")),
        ("F2", translate("Shortcuts", "register a walk-up")),
        ("Ctrl+F", translate("Shortcuts", "go to the scan / search field")),
        (
            translate("Shortcuts", "Up / Down, Enter"),
            translate("Shortcuts", "pick a search result and check them in"),
        ),
        ("Esc", translate("Shortcuts", "clear the person on screen and the search")),
        ("Ctrl+Z", translate("Shortcuts", "undo this station's last action (asks first)")),
        ("Ctrl+P", translate("Shortcuts", "print the tickets of the person on screen")),
        ("Ctrl+O / Ctrl+N", translate("Shortcuts", "open an event file / create a new event")),
        ("Ctrl+Shift+L", translate("Shortcuts", "lock the organiser screens")),
        ("Ctrl+Shift+H", translate("Shortcuts", "high contrast, large text")),
        ("F11", translate("Shortcuts", "full screen")),
        (
            "Ctrl+Tab / Ctrl+Shift+Tab",
            translate("Shortcuts", "next / previous tab (Desk, Prize table, Setup...)"),
        ),
        ("Ctrl+Q", translate("Shortcuts", "close the desk (asks first once guests are in)")),
    ]
