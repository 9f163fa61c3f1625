"""F1: what the desk's colours and sounds mean, and its keyboard shortcuts, on one screen.

The colours and symbols are the banner's own (ui.desk.banner.STYLE), the sounds the sound
bank's kinds (ui.desk.sounds.KINDS), so the legend cannot drift from what the desk shows."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from checkin.results import Tone
from ui.desk.banner import ATTENTION, STYLE
from ui.desk.sounds import KINDS


class LegendDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legendDialog")
        self.colours_title = QLabel()
        self.colours_title.setStyleSheet("font-weight: 700;")
        self.grid = QGridLayout()
        self.swatches: dict[str, QLabel] = {}
        self.meanings: dict[str, QLabel] = {}
        self.sounds: dict[str, QLabel] = {}
        row = 0
        for key, (background, foreground, symbol) in STYLE.items():
            name = key.value if isinstance(key, Tone) else str(key)
            self._row(row, name, background, foreground, symbol)
            row += 1
        self._row(row, "attention", ATTENTION[0], ATTENTION[1], "!")
        self.keys_title = QLabel()
        self.keys_title.setStyleSheet("font-weight: 700;")
        self.keys = QLabel()
        self.keys.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.colours_title)
        layout.addLayout(self.grid)
        layout.addWidget(self.keys_title)
        layout.addWidget(self.keys)
        layout.addWidget(buttons)
        self.retranslate()

    def _row(self, row: int, name: str, background: str, foreground: str, symbol: str) -> None:
        swatch = QLabel(symbol)
        swatch.setAlignment(Qt.AlignmentFlag.AlignCenter)
        swatch.setMinimumSize(56, 36)
        swatch.setStyleSheet(
            f"background:{background}; color:{foreground}; font-size:18pt; font-weight:bold;"
            " border-radius:4px;"
        )
        meaning = QLabel()
        meaning.setWordWrap(True)
        sound = QLabel()
        sound.setWordWrap(True)
        self.grid.addWidget(swatch, row, 0)
        self.grid.addWidget(meaning, row, 1)
        self.grid.addWidget(sound, row, 2)
        self.grid.setColumnStretch(1, 2)
        self.grid.setColumnStretch(2, 1)
        self.swatches[name], self.meanings[name], self.sounds[name] = swatch, meaning, sound

    def _meaning(self, name: str) -> str:
        if name == "idle":
            return self.tr("Ready: waiting for the next scan")
        if name == Tone.SUCCESS.value:
            return self.tr(
                "Done: checked in, ticket handed over or redeemed; hand over what it says"
            )
        if name == Tone.WARNING.value:
            return self.tr(
                "Look: already checked in, limit reached, scan the person first; nothing new"
                " was given"
            )
        if name == Tone.ERROR.value:
            return self.tr("Refused: not a valid code here, or NOT saved; read the banner")
        if name == "attention":
            return self.tr("A note about this person: read it before they go")
        return name

    def _sound(self, name: str) -> str:
        if name not in KINDS:
            return self.tr("no sound")
        if name == Tone.SUCCESS.value:
            return self.tr("rising chime")
        if name == Tone.WARNING.value:
            return self.tr("double beep")
        if name == Tone.ERROR.value:
            return self.tr("low buzz")
        if name == "attention":
            return self.tr("three-note call")
        return name

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Colours, sounds and shortcuts"))
        self.colours_title.setText(self.tr("What the banner's colours and sounds mean"))
        for name, label in self.meanings.items():
            label.setText(self._meaning(name))
            self.sounds[name].setText(self._sound(name))
            self.swatches[name].setAccessibleName(self._meaning(name))
        self.keys_title.setText(self.tr("Keyboard shortcuts"))
        rows = [
            ("F1", self.tr("this help")),
            ("F2", self.tr("register a walk-up")),
            ("Ctrl+F", self.tr("go to the scan / search field")),
            (self.tr("Up / Down, Enter"), self.tr("pick a search result and check them in")),
            ("Esc", self.tr("clear the person on screen and the search")),
            ("Ctrl+Z", self.tr("undo this station's last action (asks first)")),
            ("Ctrl+P", self.tr("print the tickets of the person on screen")),
            ("Ctrl+O / Ctrl+N", self.tr("open an event file / create a new event")),
            ("Ctrl+Shift+L", self.tr("lock the organiser screens")),
            ("Ctrl+Shift+H", self.tr("high contrast, large text")),
            ("F11", self.tr("full screen")),
        ]
        self.keys.setText("\n".join(f"{key}:  {text}" for key, text in rows))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
