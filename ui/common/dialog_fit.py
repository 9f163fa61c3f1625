"""A dialog grows to show all of its wrapped text when that text changes after it is shown (a
language switch, an error line): Qt sizes a window once, and a longer text was cut off."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog


def refit(dialog: QDialog) -> None:
    """Grow ``dialog`` (never shrink it) to the height its layout needs at its width, once the
    change that called this has been laid out."""
    QTimer.singleShot(0, dialog, lambda: _grow(dialog))


def _grow(dialog: QDialog) -> None:
    layout = dialog.layout()
    if layout is None or not dialog.isVisible():
        return
    layout.activate()
    width = max(dialog.width(), layout.minimumSize().width())
    needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else -1
    height = max(dialog.height(), needed, layout.totalMinimumSize().height())
    screen = dialog.screen()
    if screen is not None:  # a window taller than the screen would hide its buttons
        height = min(height, screen.availableGeometry().height())
    if (width, height) != (dialog.width(), dialog.height()):
        dialog.resize(width, height)
