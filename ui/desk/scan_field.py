"""The one field at the top of the desk, and the guard that keeps scans out of other fields.

A keyboard-wedge scanner types a code much faster than a person (a few ms between keys), then
presses Enter or Tab, or nothing at all. A burst of fast keys is a scan; slower typing is a
search. The guard watches the whole application, so a scan typed while a name field has focus
still lands as a scan, and the characters it had already put into that field are taken back.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

Clock = Callable[[], float]  # seconds
BURST_GAP = 0.030  # a scanner's keys come closer together than this
MIN_BURST = 6  # a person can be quick for a few keys, not for six in a row
SILENCE_MS = 100  # a burst with no terminator ends after this much quiet
SEARCH_DELAY_MS = 150
TERMINATORS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)


def _is_undo(event: QEvent) -> bool:
    return isinstance(event, QKeyEvent) and (
        event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)
    )


class ScanField(QLineEdit):
    scanned = Signal(str)
    searchChanged = Signal(str)
    navigate = Signal(int)  # +1 / -1: Down / Up moves through the search results

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        clock: Clock = time.monotonic,
        texts: Callable[[], tuple[str, str]] | None = None,
    ) -> None:
        """``texts`` gives the field's accessible name and placeholder in the current language
        (the desk's by default; the prize table scans into a ScanField too)."""
        super().__init__(parent)
        self._texts = texts or self._desk_texts
        self._clock = clock
        self._last = -1.0
        self._run = 0
        self._silence = QTimer(self, singleShot=True, interval=SILENCE_MS)
        self._silence.timeout.connect(self._burst_ended)
        self._search = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search.timeout.connect(lambda: self.searchChanged.emit(self.text()))
        self.setClearButtonEnabled(True)
        self.retranslate()

    def _desk_texts(self) -> tuple[str, str]:
        return self.tr("Scan or search"), self.tr("Scan a code, or type a name, phone or code")

    def retranslate(self) -> None:
        name, placeholder = self._texts()
        self.setAccessibleName(name)
        self.setPlaceholderText(placeholder)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def event(self, event: QEvent) -> bool:
        # The field is emptied after every scan, so its own text undo would only bring the last
        # code back: leave Ctrl+Z (and redo) to the desk's Undo shortcut.
        if event.type() == QEvent.Type.ShortcutOverride and _is_undo(event):
            event.ignore()
            return False
        # Tab normally moves focus before keyPressEvent sees it; a scanner's Tab ends a scan.
        tab = isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Tab
        if event.type() == QEvent.Type.KeyPress and tab:
            assert isinstance(event, QKeyEvent)
            self.keyPressEvent(event)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_undo(event):  # reaches here only when no shortcut took it: still not text undo
            event.ignore()
            return
        if event.key() in TERMINATORS:
            self._submit()
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
        now = self._clock()
        fast = self._last >= 0 and now - self._last <= BURST_GAP
        self._last = now
        if event.text():
            self._run = self._run + 1 if fast else 1
        super().keyPressEvent(event)
        if self._run >= MIN_BURST:
            self._search.stop()
            self._silence.start()
        else:
            self._search.start()

    def _submit(self) -> None:
        text = self.text()
        self._silence.stop()
        self._search.stop()
        self._run = 0
        self.clear()
        if text.strip():
            self.scanned.emit(text)

    def _burst_ended(self) -> None:
        if self._run >= MIN_BURST and self.text():
            self._submit()


class ScannerGuard(QObject):
    """Application-wide: a scanner burst aimed at any other text field becomes a scan."""

    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, *, clock: Clock = time.monotonic) -> None:
        super().__init__(parent)
        self._clock = clock
        self._last = -1.0
        self._run: list[str] = []
        self._target: QWidget | None = None
        self._before = ""
        self._burst = False
        self.paused = False  # the scanner check wants the raw keys
        self._silence = QTimer(self, singleShot=True, interval=SILENCE_MS)
        self._silence.timeout.connect(self._finish)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.paused or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(event, QKeyEvent):
            return False
        target = QApplication.focusWidget()
        # A ScanField (the desk's, the prize table's) handles its own bursts.
        if target is None or isinstance(target, ScanField) or not _is_text_field(target):
            return False
        if watched is not target:  # the same key event passes through parents: judge it once
            return False
        if event.key() in TERMINATORS:
            if self._burst:
                self._finish()
                return True
            return False
        text = event.text()
        if not text or not text.isprintable():
            return False
        now = self._clock()
        fast = self._last >= 0 and now - self._last <= BURST_GAP
        self._last = now
        if not fast or target is not self._target:
            if self._burst:
                self._finish()
            self._target, self._before, self._run = target, _text_of(target), []
        self._run.append(text)
        if self._burst:
            self._silence.start()
            return True
        if len(self._run) >= MIN_BURST:
            # It is a scan: take back what the first keys typed into the field, keep the rest.
            self._burst = True
            _set_text(target, self._before)
            self._silence.start()
            return True
        return False

    def _finish(self) -> None:
        self._silence.stop()
        code = "".join(self._run)
        self._burst, self._run, self._target = False, [], None
        if code.strip():
            self.scanned.emit(code)


def _is_text_field(widget: QWidget) -> bool:
    return isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit)


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return widget.toPlainText()
    return ""


def _set_text(widget: QWidget, text: str) -> None:
    if isinstance(widget, QLineEdit):
        widget.setText(text)
    elif isinstance(widget, QTextEdit | QPlainTextEdit):
        widget.setPlainText(text)
