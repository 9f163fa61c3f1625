"""One scan router for the whole app: a scanner's burst is a scan wherever the keyboard focus is.

A keyboard-wedge scanner types a code much faster than a person (a few ms between keys), then
presses Enter or Tab, or nothing at all. The router sees every key press of every window of the
application (main windows, their menus and drop-down lists, dialogs, the big screen, the host's
window, the questions asked before any window is open) before any widget does. A printable key
is held back for a moment: when more keys follow at scanner speed, the run is a scan. It is
swallowed (it never types into a field, picks a menu or list entry, answers a question or
submits a form), open menus close, and ``scanned`` hands the code over (ui/core/scan_desks.py picks
the desk). When no fast key follows, the held keys are replayed, in order, to the widget they
were aimed at: a person typing sees them a few milliseconds later.

Only a widget marked with ``RAW_KEYS`` (the scanner check's field, which measures the scanner
itself) gets a burst's keys as they come.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger("checkin.ui.scan_router")

Clock = Callable[[QKeyEvent], float]  # seconds, for one key event
W = TypeVar("W", bound=QObject)
_OVERRIDE = QEvent.Type.ShortcutOverride
RAW_KEYS = "checkinRawKeys"  # a widget property: this widget reads the scanner's keys itself
_STALE: list[QObject] = []  # see alive()
_OPEN_POPUPS: list[QWidget] = []  # see key_receiver()
BURST_GAP = 0.030  # a scanner's keys come closer together than this
IN_BURST_GAP = 0.060  # once a burst is recognised, a busy machine may space its keys a bit more
# A scanner that ends its codes with Enter or Tab: a burst lasts until that key, through a
# stall of the machine this long (the window system read half the code, then was held up).
STALL_GAP = 0.5
MIN_BURST = 6  # a person can be quick for a few keys, not for six in a row
HOLD_MS = 45  # how long a printable key waits to see whether a burst follows
SILENCE_MS = 100  # a burst with no terminator ends after this much quiet
TERMINATOR_GRACE = 0.5  # an Enter or Tab this soon after a burst ended by silence is its end
STALL = 0.025  # a wait that ends this much late: the GUI thread was busy, keys may be queued
MAX_STALLS = 2  # then the keys queued behind it have been read: a held key goes on
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


class _Wait(QObject):
    """A single-shot wait that is patient with a busy GUI thread. The router's waits ask "did
    another key come in time?", but keys typed while the thread was busy (a page drawing its
    charts) are only read after it: a wait that ends late may have keys queued behind it.
    It waits once more, so they are read first and judged by their own time stamps."""

    expired = Signal()

    def __init__(self, parent: QObject, interval_ms: int) -> None:
        super().__init__(parent)
        self._interval = interval_ms / 1000
        self._timer = QTimer(self, singleShot=True, interval=interval_ms)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._fired)
        self._due = 0.0
        self._stalls = 0

    def start(self, interval_ms: int | None = None) -> None:
        if interval_ms is not None:
            self._timer.setInterval(interval_ms)
            self._interval = interval_ms / 1000
        self._stalls = 0
        self._arm()

    def stop(self) -> None:
        self._timer.stop()

    def _arm(self) -> None:
        self._due = time.monotonic() + self._interval
        self._timer.start()

    def _fired(self) -> None:
        if time.monotonic() - self._due > STALL and self._stalls < MAX_STALLS:
            self._stalls += 1
            self._arm()
            return
        self.expired.emit()


class ScanRouter(QObject):
    """Installed on the application: takes the keys of every window of it.

    ``source`` is the window the last burst was typed into (while ``scanned`` is emitted):
    a desk's dialog sends its scans to that desk."""

    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, *, clock: Clock = event_time) -> None:
        super().__init__(parent)
        self._clock = clock
        self.source: QWidget | None = None
        self._held: list[_Held] = []
        self._code: list[str] = []  # the burst so far, once it is known to be one
        self._source: QWidget | None = None  # the window the run's first key was aimed at
        self._last: float | None = None
        self._ended_at: float | None = None  # last key of a burst that silence ended
        # Learned from the scanner: its last code ended with Enter or Tab. Until one does, a
        # burst ends after a short silence, as a scanner with no terminator needs.
        self._terminated = False
        self._replaying = False
        self._eaten: set[int] = set()  # keys whose press a scan swallowed, until released
        self._hold = _Wait(self, HOLD_MS)
        self._hold.expired.connect(self._replay)
        self._silence = _Wait(self, SILENCE_MS)
        self._silence.expired.connect(self._silent)

    @property
    def in_burst(self) -> bool:
        return bool(self._code)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, _OVERRIDE):
            return False
        if self._replaying or not isinstance(event, QKeyEvent):
            return False
        # A key event passes the window, then the widget it is for, then that widget's parents:
        # judge it once, at the widget it is for.
        if not isinstance(watched, QWidget) or not same_widget(watched, key_receiver()):
            return False
        try:
            watched = alive(watched)
            if _reads_raw_keys(watched):
                return False
            if kind == _OVERRIDE:
                return self._override(event)
            if kind == QEvent.Type.KeyRelease:
                if event.key() in self._eaten:  # its press was a scan's: so is the release
                    self._eaten.discard(event.key())
                    return True
                return self._release(watched, event)
            taken = self._press(watched, event)
            if taken and not any(h.key == event.key() for h in self._held):
                self._eaten.add(event.key())
            return taken
        except Exception:
            # Never lose a key to a bug here: a burst so far is still a scan (with this key
            # when it is one of its characters), held keys go on to their widgets.
            log.exception("scan router")
            return self._recover(event)

    def _recover(self, event: QKeyEvent) -> bool:
        if not self._code:
            self._replay()
            return False
        text = event.text() if event.type() == QEvent.Type.KeyPress else ""
        taken = bool(text) and text.isprintable()
        if taken:
            self._code.append(text)
        self._finish()
        return taken

    # --- the decision ----------------------------------------------------------------------

    def _override(self, event: QKeyEvent) -> bool:
        """Before a key press, Qt asks the widget whether it wants the key or a shortcut may
        have it, and some widgets act right there: a drop-down's list picks its item on the
        Enter of the question (a scan at the Mode list made the desk a Meal line). The
        router answers for the keys it decides on: a printable key (held, then a scan's or
        replayed to the widget) and a scan's terminator. Accepted, so no shortcut takes them."""
        if event.modifiers() & COMMANDS:
            return False
        key = event.key()
        if key in TERMINATORS:
            late = self._ended_at is not None and (
                0 <= self._clock(event) - self._ended_at <= TERMINATOR_GRACE
            )
            if not (self._code or late):
                return False
        elif not (event.text() and event.text().isprintable()):
            return False
        event.accept()
        return True

    def _press(self, target: QWidget, event: QKeyEvent) -> bool:
        key = event.key()
        if key in MODIFIER_KEYS:  # the scanner's Shift for capitals: neither text nor an end
            return bool(self._held or self._code)
        command = bool(event.modifiers() & COMMANDS)
        now = self._clock(event)
        gap = None if self._last is None else now - self._last
        if key in TERMINATORS and not command:
            if self._code:
                self._terminated = True
                self._finish()
                return True
            if self._ended_at is not None and 0 <= now - self._ended_at <= TERMINATOR_GRACE:
                self._ended_at = None  # the scanner's Enter, late after a silence-ended burst
                self._terminated = True
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
            if gap is not None and 0 <= gap <= (STALL_GAP if self._terminated else IN_BURST_GAP):
                self._code.append(text)
                self._last = now
                self._wait_for_the_end()
                return True
            self._finish()  # a new run starts: it is held like any first key
        elif self._held and not (gap is not None and 0 <= gap <= BURST_GAP):
            self._replay()
        if not self._held:
            self._source = window_of(target)
        self._last = now
        self._held.append(_Held(target, QEvent.Type.KeyPress, key, event.modifiers(), text, False))
        presses = [h.text for h in self._held if h.kind == QEvent.Type.KeyPress]
        if len(presses) >= MIN_BURST:
            self._hold.stop()
            self._code, self._held = presses, []
            self._wait_for_the_end()
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
                target = h.target if shiboken6.isValid(h.target) else None
                if target is None:
                    continue  # the window was closed meanwhile: its keys go with it
                QApplication.sendEvent(target, replayed)
        finally:
            self._replaying = False

    def _wait_for_the_end(self) -> None:
        self._silence.start(int(STALL_GAP * 1000) if self._terminated else SILENCE_MS)

    def _silent(self) -> None:
        if self._code:
            self._ended_at = self._last
            self._terminated = False  # this scanner sends no terminator (or not always)
            self._finish()

    def _finish(self) -> None:
        self._silence.stop()
        code = "".join(self._code).strip()
        source, self._source = self._source, None
        self._code, self._last = [], None
        if close_menus() and source is not None and shiboken6.isValid(source):
            source.activateWindow()  # the keyboard goes back to the window, for the answer
        if code:
            self.source = source if source is not None and shiboken6.isValid(source) else None
            try:
                self.scanned.emit(code)
            finally:
                self.source = None


def key_receiver() -> QWidget | None:
    """The widget a key press goes to: as Qt's own window code picks it."""
    grabber = QWidget.keyboardGrabber()
    if grabber is not None:
        return alive(grabber)
    popup = QApplication.activePopupWidget()
    if popup is not None:
        # The popup's wrapper must live while its list's does: when a popup's wrapper is
        # collected, PySide marks the wrappers of its children deleted, and the drop-down's
        # list then raises "already deleted" on any use (seen 761 times in a rush hour).
        _OPEN_POPUPS.append(popup)
        del _OPEN_POPUPS[:-8]
        focus = popup.focusWidget()
        return alive(focus) if focus is not None else popup
    focused = QApplication.focusWidget()
    return alive(focused) if focused is not None else QApplication.activeWindow()


def alive(widget: W) -> W:
    """A usable wrapper of a widget Qt just handed over. The list of a drop-down is made by
    Qt itself, and PySide can hand back an old wrapper for it that raises "already deleted"
    on any use (seen 761 times in a rush hour): wrap the live object afresh."""
    if shiboken6.isValid(widget):
        return widget
    # The old wrapper must outlive the new one: when it is collected, shiboken forgets the
    # address, and the new wrapper goes stale in turn. A few bytes each, a few per rush hour.
    _STALE.append(widget)
    address = shiboken6.getCppPointer(widget)[0]
    fresh = cast(W, shiboken6.wrapInstance(address, type(widget)))
    if shiboken6.isValid(fresh):
        return fresh
    popup = QApplication.activePopupWidget()  # it sits in the popup: that one is sound
    return cast(W, popup) if popup is not None else widget


def same_widget(a: QObject, b: QObject | None) -> bool:
    """Whether two wrappers are of one object (a stale one and a fresh one can be)."""
    if b is None:
        return False
    return a is b or shiboken6.getCppPointer(a)[0] == shiboken6.getCppPointer(b)[0]


def window_of(widget: QWidget) -> QWidget | None:
    """The window a key aimed at ``widget`` belongs to. A popup (a menu, a drop-down list, a
    completion list) belongs to the window it opened from."""
    current: QWidget | None = widget
    for _ in range(32):  # popups open from popups; never loop for ever
        if current is None:
            return None
        top = current.window()
        if top.windowType() not in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            return top
        current = top.parentWidget() or top.focusProxy()
    return None


def _reads_raw_keys(widget: QWidget) -> bool:
    current: QWidget | None = widget
    while current is not None:
        if current.property(RAW_KEYS):
            return True
        current = current.parentWidget()
    return False


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
