"""An organiser page behind the one organiser lock: a lock panel until the passphrase is given,
then the page itself (Export, Merge, Paper). Locking again, or the idle timeout, covers it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext
from ui.core.organiser_lock import require_organiser


class LockedPage(QWidget):
    def __init__(
        self,
        context: EventContext,
        page: QWidget,
        title: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._title = title
        self.page = page
        self.lock_panel = QWidget()
        self.lock_panel.setObjectName("lockedPagePanel")
        self.lock_title = QLabel()
        self.lock_title.setStyleSheet("font-size: 18pt; font-weight: 700;")
        self.lock_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.lock_title.setWordWrap(True)
        self.lock_text = QLabel()
        self.lock_text.setWordWrap(True)
        self.lock_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unlock_button = QPushButton()
        self.unlock_button.setMinimumHeight(44)
        self.unlock_button.clicked.connect(self.unlock)
        panel = QVBoxLayout(self.lock_panel)
        panel.addStretch(1)
        panel.addWidget(self.lock_title)
        panel.addWidget(self.lock_text)
        panel.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignCenter)
        panel.addStretch(2)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.lock_panel)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        context.lockChanged.connect(self._lock_changed)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self._lock_changed(context.organiser_unlocked)

    @property
    def locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_panel

    def unlock(self) -> bool:
        return require_organiser(self._context, self)

    def _lock_changed(self, _unlocked: bool) -> None:
        self.stack.setCurrentWidget(
            self.page if self._context.organiser_unlocked else self.lock_panel
        )

    def retranslate(self) -> None:
        self.lock_title.setText(self.tr("%1 is locked").replace("%1", self._title()))
        self.lock_text.setText(
            self.tr("This screen is for organisers. Volunteers at the desk do not need it.")
        )
        self.unlock_button.setText(self.tr("&Unlock with the organiser passphrase"))
        self.unlock_button.setAccessibleName(self.tr("Unlock this screen"))
        self.lock_panel.setAccessibleName(self.lock_title.text())
