"""Run as a script by test_window_fits.py: the real main window on a 1366x768 laptop whose
taskbar leaves 1366x728 (an offscreen screen of that size), in one language and theme, with a
person on the card. Prints one JSON line of what fits."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

from checkin.demo import create_demo
from tests.helpers.desk_helpers import first_code, isolate_settings, open_main_window
from ui.app.launch import application
from ui.core import appearance

TITLE_BAR = 30  # what a window manager's title bar takes (offscreen windows have none)


def inside(widget: QWidget, window: QWidget) -> bool:
    if not widget.isVisible():
        return False
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, widget.size()))


def main() -> None:
    language, theme = sys.argv[1], sys.argv[2]
    folder = Path(tempfile.mkdtemp())
    isolate_settings(folder / "settings")
    app = application()
    appearance.set_language(language)
    appearance.set_theme(theme)
    db = create_demo(folder / "party.checkin", attendees=10)
    window = open_main_window(db)
    window.show_fitted()
    app.processEvents()
    window.desk.handle_input(first_code(db))
    deadline = time.monotonic() + 15

    def waiting() -> bool:  # the scan's answer, then the QR code drawn off the GUI thread
        desk = window.desk
        return bool(window.context.scans.pending or desk.person.qr.pixmap().isNull())

    while waiting() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()
    screen = window.screen().availableGeometry()
    hint = window.minimumSizeHint()
    desk = window.desk
    parts = {
        "qr": desk.person.qr,
        "print": desk.print_button,
        "show": desk.show_button,
        "undo": desk.activity.undo_button,
        "counters": desk.counters,
        "camera": desk.camera.toggle,
        "scan": desk.scan,
        "banner": desk.banner,
        "status bar": window.statusBar(),
    }
    print(
        json.dumps(
            {
                "screen": [screen.width(), screen.height()],
                "window": [window.frameGeometry().width(), window.frameGeometry().height()],
                "maximised": window.isMaximized(),
                "minimum": [hint.width(), hint.height() + TITLE_BAR],
                "outside": [name for name, w in parts.items() if not inside(w, window)],
                "qr": desk.person.qr.pixmap().width()
                if not desk.person.qr.pixmap().isNull()
                else 0,
            }
        )
    )
    window.close()
    db.dispose()


if __name__ == "__main__":
    main()
