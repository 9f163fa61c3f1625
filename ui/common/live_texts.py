"""Texts that follow a live language switch: a view registers each setter once (it runs at
once and again on every LanguageChange of the view), instead of a hand-kept retranslate()."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


class LiveTexts(QObject):
    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self._setters: list[Callable[[], object]] = []
        owner.installEventFilter(self)

    def __call__(self, setter: Callable[[], object]) -> None:
        setter()
        self._setters.append(setter)

    def apply(self) -> None:
        for setter in self._setters:
            setter()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self.apply()
        return False
