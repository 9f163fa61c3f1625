"""One short sound per result tone. Without an audio device QSoundEffect plays nothing and the
desk carries on; ``requested`` records what was asked for (tests read it)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl

SOUND_DIR = Path(__file__).resolve().parents[2] / "resources" / "sounds"
KINDS = ("success", "warning", "error", "attention", "repeat")


class SoundBank(QObject):
    def __init__(self, parent: QObject | None = None, *, enabled: bool = True) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.requested: list[str] = []
        self._effects: dict[str, object] = {}

    def play(self, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown sound {kind}")
        self.requested.append(kind)
        if not self.enabled:
            return
        effect = self._effects.get(kind) or self._load(kind)
        if effect is not None:
            effect.play()  # type: ignore[attr-defined]

    def _load(self, kind: str) -> object | None:
        try:  # QtMultimedia needs the system's audio libraries; no sound is no reason to stop
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:
            self.enabled = False
            return None
        effect = QSoundEffect(self)
        effect.setSource(QUrl.fromLocalFile(str(SOUND_DIR / f"{kind}.wav")))
        effect.setVolume(0.9)
        self._effects[kind] = effect
        return effect
