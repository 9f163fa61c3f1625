"""The result banner: readable from a metre away in bright sun, with a sound per tone."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from checkin.results import ScanResult, Tone
from ui.common.live_texts import LiveTexts
from ui.desk.messages import headline, is_repeat
from ui.desk.sounds import SoundBank

CLEAR_AFTER_MS = 6000
# Background, text colour and symbol per tone; chosen for contrast in sunlight, and never colour
# alone: the symbol and the words say the same.
STYLE = {
    "idle": ("#37474f", "#ffffff", "▶"),
    "saving": ("#37474f", "#ffffff", "…"),
    Tone.SUCCESS: ("#1b7f3b", "#ffffff", "✔"),
    Tone.WARNING: ("#ffb300", "#000000", "⚠"),
    Tone.ERROR: ("#c62828", "#ffffff", "✖"),
    "repeat": ("#1565c0", "#ffffff", "↻"),  # a double-trigger: neither go nor stop
}
ATTENTION = ("#6a1b9a", "#ffffff")


class ResultBanner(QFrame):
    # Each answer as one line with its colours (background, text): a window that covers the
    # banner (the person window) shows it too.
    answered = Signal(str, str, str)

    def __init__(self, sounds: SoundBank, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultBanner")
        self._sounds = sounds
        self.tone: Tone | None = None
        self.repeat = False  # the banner shows a scanner's double-trigger
        self._shown: ScanResult | None = None  # worded again after a language switch
        self._key: object = "idle"  # the style shown
        # Whether the organiser screens are unlocked: only then does a refusal name a setting.
        self.organiser: Callable[[], bool] = lambda: False
        self.icon = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(wordWrap=True)
        self.detail = QLabel(wordWrap=True)
        for label, points in (
            (self.icon, 54),
            (self.title, 30),
            (self.detail, 18),
        ):
            font = label.font()
            font.setPointSize(points)
            font.setBold(label is not self.detail)
            label.setFont(font)
        self.icon.setMinimumWidth(90)
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.detail)
        row = QHBoxLayout(self)
        row.addWidget(self.icon)
        row.addLayout(text, 1)
        self.setMinimumHeight(150)
        self._clear = QTimer(self, singleShot=True, interval=CLEAR_AFTER_MS)
        self._clear.timeout.connect(self.reset)
        self.setAccessibleName(self.tr("Scan result"))
        self._walkups = True
        LiveTexts(self)(self._reword)  # the waiting text now, and after a language switch

    def set_walkups(self, offered: bool) -> None:
        """Whether this station takes walk-ups (the desk does; a resource station does not)."""
        self._walkups = offered
        if self.tone is None:
            self.reset()

    def reset(self) -> None:
        self.tone = None
        self.repeat = False
        self._paint("idle")
        self.title.setText(self.tr("Ready to scan"))
        self.detail.setText(
            self.tr("Scan a code, type a name, or press F2 for a walk-up")
            if self._walkups
            else self.tr("Scan a ticket or a person's code")
        )

    def show_result(self, result: ScanResult) -> None:
        self.tone = result.tone
        # A repeat of a hand-over is never a second green "hand over": its own colour and tick.
        self.repeat = is_repeat(result)
        self._shown = result
        title, detail = headline(result, organiser=self.organiser())
        self._paint("repeat" if self.repeat else result.tone)
        self.title.setText(title)
        self.detail.setText(detail)
        person = result.attendee
        # The note itself is shown with the person's card (PersonPanel.note), as long as the
        # card is up: here only its sound.
        if person is not None and person.needs_attention:
            self._sounds.play("attention")
        self._sounds.play("repeat" if self.repeat else result.tone.value)
        self.setAccessibleDescription(f"{title}. {detail}")
        self._tell()
        self._clear.start()

    def show_message(self, tone: Tone, title: str, detail: str = "") -> None:
        """For outcomes that are not scans (an undo, a walk-up that could not be saved)."""
        self.tone = tone
        self.repeat = False
        self._shown = None
        self._paint(tone)
        self.title.setText(title)
        self.detail.setText(detail)
        self._sounds.play(tone.value)
        self._tell()
        self._clear.start()

    def show_question(self, title: str, detail: str) -> None:
        """A question the volunteer must answer: amber, and it stays until answered."""
        self.show_message(Tone.WARNING, title, detail)
        self._clear.stop()

    def show_saving(self) -> None:
        """A write taking longer than usual: no colour and no sound yet, nothing to hand over
        until the answer says so."""
        self.tone = None
        self._paint("saving")
        self.title.setText(self.tr("Saving…"))
        self.detail.setText(self.tr("Wait for the answer before handing over"))
        self._tell()
        self._clear.stop()

    def _tell(self) -> None:
        background, foreground, symbol = STYLE[self._key]  # type: ignore[index]
        line = " — ".join(t for t in (self.title.text(), self.detail.text()) if t)
        self.answered.emit(f"{symbol} {line}", background, foreground)

    def _paint(self, key: object) -> None:
        self._key = key
        background, foreground, symbol = STYLE[key]  # type: ignore[index]
        self.icon.setText(symbol)
        # Each label gets its own sheet: a widget's own style sheet wins over the theme's, so a
        # theme's general font size cannot shrink the banner.
        self.setStyleSheet(f"#resultBanner {{ background:{background}; border-radius:8px; }}")
        for label, size, weight in (
            (self.icon, 54, "bold"),
            (self.title, 30, "bold"),
            (self.detail, 18, "normal"),
        ):
            label.setStyleSheet(
                f"color:{foreground}; background:transparent; font-size:{size}pt;"
                f" font-weight:{weight};"
            )

    def _reword(self) -> None:
        """The waiting text, or the answer shown, in the language now in use."""
        if self.tone is None:
            self.reset()
        elif self._shown is not None:
            title, detail = headline(self._shown, organiser=self.organiser())
            self.title.setText(title)
            self.detail.setText(detail)
