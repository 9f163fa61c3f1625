"""One scan router for the whole app: a scanner's burst is a scan wherever the keyboard focus is.

A keyboard-wedge scanner types a code much faster than a person (a few ms between keys), then
presses Enter or Tab, or nothing at all. The router sees every key press of its window (and of
the window's menus and dialogs) before any widget does. A printable key is held back for a
moment: when more keys follow at scanner speed, the run is a scan. It is swallowed (it never
types into a field, picks a menu entry, answers a question or submits a form), open menus close,
and ``scanned`` hands the code over. When no fast key follows, the held keys are replayed, in
order, to the widget they were aimed at: a person typing sees them a few milliseconds later.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

Clock = Callable[[QKeyEvent], float]  # seconds, for one key event
BURST_GAP = 0.030  # a scanner's keys come closer together than this
IN_BURST_GAP = 0.060  # once a burst is recognised, a busy machine may space its keys a bit more
MIN_BURST = 6  # a person can be quick for a few keys, not for six in a row
HOLD_MS = 45  # how long a printable key waits to see whether a burst follows
SILENCE_MS = 100  # a burst with no terminator ends after this much quiet
TERMINATOR_GRACE = 0.5  # an Enter or Tab this soon after a burst ended by silence is its end
TERMINATORS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
COMMANDS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)
MODIFIER_KEYS = (
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock,
)


def event_time(event: QKeyEvent) -> float:
    """When the key was pressed: the window system's time stamp, so keys that queued up while
    the app was busy keep their real spacing; the clock at arrival when there is none."""
    stamp = event.timestamp()
    return stamp / 1000 if stamp else time.monotonic()


@dataclass(frozen=True)
class _Held:
    target: QWidget
    kind: QEvent.Type
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    autorepeat: bool


class ScanRouter(QObject):
    """Installed on the application; takes keys aimed at ``owner`` or anything it owns."""

    scanned = Signal(str)

    def __init__(
        self, owner: QWidget, parent: QObject | None = None, *, clock: Clock = event_time
    ) -> None:
        super().__init__(parent)
        self._owner = owner
        self._clock = clock
        self.paused = False  # the scanner check wants the raw keys
        self._held: list[_Held] = []
        self._code: list[str] = []  # the burst so far, once it is known to be one
        self._last: float | None = None
        self._ended_at: float | None = None  # last key of a burst that silence ended
        self._replaying = False
        self._hold = QTimer(self, singleShot=True, interval=HOLD_MS)
        self._hold.timeout.connect(self._replay)
        self._silence = QTimer(self, singleShot=True, interval=SILENCE_MS)
        self._silence.timeout.connect(self._silent)

    @property
    def in_burst(self) -> bool:
        return bool(self._code)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        if self.paused or self._replaying or not isinstance(event, QKeyEvent):
            return False
        # A key event passes the window, then the widget it is for, then that widget's parents:
        # judge it once, at the widget it is for.
        if not isinstance(watched, QWidget) or watched is not key_receiver():
            return False
        if not self._owns(watched):
            return False
        if kind == QEvent.Type.KeyRelease:
            return self._release(watched, event)
        return self._press(watched, event)

    # --- the decision ----------------------------------------------------------------------

    def _press(self, target: QWidget, event: QKeyEvent) -> bool:
        key = event.key()
        if key in MODIFIER_KEYS:  # the scanner's Shift for capitals: neither text nor an end
            return bool(self._held or self._code)
        command = bool(event.modifiers() & COMMANDS)
        now = self._clock(event)
        gap = None if self._last is None else now - self._last
        if key in TERMINATORS and not command:
            if self._code:
                self._finish()
                return True
            if self._ended_at is not None and 0 <= now - self._ended_at <= TERMINATOR_GRACE:
                self._ended_at = None  # the scanner's Enter, late after a silence-ended burst
                return True
            self._replay()
            return False
        self._ended_at = None
        text = event.text()
        # A key held down repeats itself quickly too: a person, never a scanner.
        if command or not text or not text.isprintable() or event.isAutoRepeat():
            if self._code:
                self._finish()
            self._replay()
            return False
        if self._code:
            if gap is not None and 0 <= gap <= IN_BURST_GAP:
                self._code.append(text)
                self._last = now
                self._silence.start()
                return True
            self._finish()  # a new run starts: it is held like any first key
        elif self._held and not (gap is not None and 0 <= gap <= BURST_GAP):
            self._replay()
        self._last = now
        self._held.append(_Held(target, QEvent.Type.KeyPress, key, event.modifiers(), text, False))
        presses = [h.text for h in self._held if h.kind == QEvent.Type.KeyPress]
        if len(presses) >= MIN_BURST:
            self._hold.stop()
            self._code, self._held = presses, []
            self._silence.start()
        else:
            self._hold.start()
        return True

    def _release(self, target: QWidget, event: QKeyEvent) -> bool:
        if event.key() in MODIFIER_KEYS:
            return bool(self._held or self._code)
        if self._code:
            return True  # the burst's own key releases
        if any(h.key == event.key() and h.kind == QEvent.Type.KeyPress for h in self._held):
            # Its press is held back: the release must follow it, not overtake it (a button
            # pressed with Space would stay down).
            self._held.append(
                _Held(
                    target,
                    QEvent.Type.KeyRelease,
                    event.key(),
                    event.modifiers(),
                    event.text(),
                    event.isAutoRepeat(),
                )
            )
            return True
        return False

    def _replay(self) -> None:
        """A person typed the held keys: give them to their widgets, in order."""
        self._hold.stop()
        held, self._held = self._held, []
        self._replaying = True
        try:
            for h in held:
                replayed = QKeyEvent(h.kind, h.key, h.modifiers, h.text, h.autorepeat)
                try:
                    QApplication.sendEvent(h.target, replayed)
                except RuntimeError:  # the widget was closed meanwhile: its keys go with it
                    continue
        finally:
            self._replaying = False

    def _silent(self) -> None:
        if self._code:
            self._ended_at = self._last
            self._finish()

    def _finish(self) -> None:
        self._silence.stop()
        code = "".join(self._code).strip()
        self._code, self._last = [], None
        if close_menus():  # the keyboard goes back to the window, for the answer's focus
            self._owner.window().activateWindow()
        if code:
            self.scanned.emit(code)

    def _owns(self, widget: QWidget) -> bool:
        current: QWidget | None = widget
        while current is not None:
            if current is self._owner:
                return True
            # A completion list (QCompleter's popup) is a window without a parent that hands
            # its keys to the field it completes: it belongs where that field does.
            current = current.parentWidget() or current.focusProxy()
        return False


def key_receiver() -> QWidget | None:
    """The widget a key press goes to: as Qt's own window code picks it."""
    grabber = QWidget.keyboardGrabber()
    if grabber is not None:
        return grabber
    popup = QApplication.activePopupWidget()
    if popup is not None:
        return popup.focusWidget() or popup
    return QApplication.focusWidget() or QApplication.activeWindow()


def close_menus() -> bool:
    """A scan with a menu or a drop-down list open closes it (they nest: close them all).
    Whether any was open."""
    popup = QApplication.activePopupWidget()
    closed = popup is not None
    while popup is not None:
        popup.close()
        following = QApplication.activePopupWidget()
        if following is popup:
            break
        popup = following
    return closed
