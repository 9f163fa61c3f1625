"""The one field at the top of the desk (and the prize table): type a name to search, or a
code by hand and Enter. A scanner's bursts never reach it: the app's scan router
(ui/core/scan_router.py) takes them wherever the focus is."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget

from checkin import codes
from ui.common.live_texts import LiveTexts
from ui.core.scan_router import TERMINATORS

SEARCH_DELAY_MS = 150


def _is_undo(event: QEvent) -> bool:
    return isinstance(event, QKeyEvent) and (
        event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)
    )


class ScanField(QLineEdit):
    scanned = Signal(str)
    searchChanged = Signal(str)
    navigate = Signal(int)  # +1 / -1: Down / Up moves through the search results
    # Enter typed into the empty field: "yes" to a question the desk asks (a scanner's Enter
    # never comes here: the scan router swallows a burst with its terminator).
    emptyEnter = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        texts: Callable[[], tuple[str, str]] | None = None,
    ) -> None:
        """``texts`` gives the field's accessible name and placeholder in the current language
        (the desk's by default; the prize table scans into a ScanField too)."""
        super().__init__(parent)
        self._texts = texts or self._desk_texts
        self._search = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search.timeout.connect(lambda: self.searchChanged.emit(self.text()))
        self.setClearButtonEnabled(True)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch

    def _desk_texts(self) -> tuple[str, str]:
        return self.tr("Scan or search"), self.tr("Scan a code, or type a name, phone or code")

    def retranslate(self) -> None:
        name, placeholder = self._texts()
        self.setAccessibleName(name)
        self.setPlaceholderText(placeholder)

    def event(self, event: QEvent) -> bool:
        # The field is emptied after every scan, so its own text undo would only bring the last
        # code back: leave Ctrl+Z (and redo) to the desk's Undo shortcut.
        if event.type() == QEvent.Type.ShortcutOverride and _is_undo(event):
            event.ignore()
            return False
        # A scanner's Tab never gets here (the scan router swallows a burst's end), so a Tab is
        # a person's: it moves focus on, unless it ends a whole code typed by hand.
        tab = (
            isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier  # Ctrl+Tab: tabs
        )
        if event.type() == QEvent.Type.KeyPress and tab and codes.normalize(self.text()):
            assert isinstance(event, QKeyEvent)
            self.keyPressEvent(event)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_undo(event):  # reaches here only when no shortcut took it: still not text undo
            event.ignore()
            return
        if event.key() in TERMINATORS:
            self._submit(event.key())
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.navigate.emit(1 if event.key() == Qt.Key.Key_Down else -1)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            self.searchChanged.emit("")
            event.ignore()  # the page clears too (the desk: the person on screen)
            return
        super().keyPressEvent(event)
        self._search.start()

    def _submit(self, key: int) -> None:
        text = self.text()
        self._search.stop()
        self.clear()
        if text.strip():
            self.scanned.emit(text)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.emptyEnter.emit()
