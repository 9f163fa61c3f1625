"""Shift+F1: what the desk's colours and sounds mean, and its keyboard shortcuts, on one screen.

The colours and symbols are the banner's own (ui.desk.banner.STYLE), the sounds the sound
bank's kinds (ui.desk.sounds.KINDS), so the legend cannot drift from what the desk shows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from checkin.results import Tone
from ui.common.live_texts import LiveTexts
from ui.desk.banner import ATTENTION, STYLE
from ui.desk.shortcuts import shortcuts
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
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch

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
        if name == "saving":
            return self.tr("Saving…: wait for the colour before handing anything over")
        if name == "repeat":
            return self.tr("Same scan again (the scanner read it twice): nothing more to give")
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
        if name == "repeat":
            return self.tr("one soft tick")
        return name

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Colours, sounds and shortcuts"))
        self.colours_title.setText(self.tr("What the banner's colours and sounds mean"))
        for name, label in self.meanings.items():
            label.setText(self._meaning(name))
            self.sounds[name].setText(self._sound(name))
            self.swatches[name].setAccessibleName(self._meaning(name))
        self.keys_title.setText(self.tr("Keyboard shortcuts"))
        rows = shortcuts()
        self.keys.setText("\n".join(f"{key}:  {text}" for key, text in rows))
