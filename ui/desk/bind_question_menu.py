"""Station → Pre-printed tickets: when the desk asks before giving a pre-printed ticket to the
person on screen (after a few seconds, always, never); remembered for this laptop and event."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from ui.common.live_texts import LiveTexts
from ui.core import station_settings
from ui.core.bind_guard import BIND_WITHOUT_ASKING_SECONDS, BindQuestion
from ui.core.context import EventContext


class BindQuestionMenu(QMenu):
    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bindQuestionMenu")
        self._context = context
        group = QActionGroup(self)
        self.choices: dict[BindQuestion, QAction] = {}
        current = station_settings.bind_question(context.info.uid)
        for question in BindQuestion:
            action = QAction(self, checkable=True)
            action.setChecked(question is current)
            action.triggered.connect(lambda _=False, q=question: self._choose(q))
            group.addAction(action)
            self.addAction(action)
            self.choices[question] = action
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch

    def _choose(self, question: BindQuestion) -> None:
        station_settings.remember_bind_question(self._context.info.uid, question)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Pre-printed &tickets"))
        seconds = int(BIND_WITHOUT_ASKING_SECONDS)
        texts = {
            BindQuestion.AFTER_A_FEW_SECONDS: self.tr(
                "&Ask before giving one when the card has been up over {n} s"
            ).format(n=seconds),
            BindQuestion.ALWAYS: self.tr("Al&ways ask before giving one"),
            BindQuestion.NEVER: self.tr("&Never ask: give it to the person on screen"),
        }
        for question, action in self.choices.items():
            action.setText(texts[question])
