"""Search as you type, off the GUI thread; answers to an older query are dropped."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from checkin import attendees
from checkin.attendees import SearchHit
from checkin.store import Database
from ui.tasks import Task, start

CODE_ROLE = Qt.ItemDataRole.UserRole


class SearchResults(QListWidget):
    chosen = Signal(str)  # attendee code: Enter or double-click checks them in
    updated = Signal(int)  # how many results are shown (tests and the banner use it)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._generation = 0
        self.query = ""
        self._task: Task | None = None
        self.setAccessibleName(self.tr("Search results"))
        # A line at least, and it gives the rest up (an attention note under the banner): the
        # desk must fit a 768-pixel screen in high contrast.
        self.setMinimumHeight(24)
        self.itemActivated.connect(lambda item: self.chosen.emit(item.data(CODE_ROLE)))

    def search(self, query: str) -> None:
        self._generation += 1
        generation = self._generation
        self.query = query.strip()
        if len(self.query) < 2:
            self.clear()
            self.updated.emit(0)
            return
        task = Task(lambda: attendees.search(self._db, self.query, limit=30))
        task.signals.done.connect(lambda hits: self._show(generation, hits))
        self._task = start(task)

    def _show(self, generation: int, hits: list[SearchHit]) -> None:
        if generation != self._generation:
            return  # a newer query was typed meanwhile
        self.clear()
        for hit in hits:
            mark = "✔ " if hit.checked_in else ""
            text = self.tr("{mark}{name}  ·  #{number}  ·  household {size}  ·  {zip}").format(
                mark=mark,
                name=hit.display_name,
                number=hit.number,
                size=hit.household_size,
                zip=hit.zip_code or "-",
            )
            item = QListWidgetItem(text)
            item.setData(CODE_ROLE, hit.code)
            self.addItem(item)
        if hits:
            self.setCurrentRow(0)
        self.updated.emit(len(hits))

    def step(self, step: int) -> None:
        if self.count():
            self.setCurrentRow(max(0, min(self.count() - 1, self.currentRow() + step)))

    def selected_code(self) -> str | None:
        item = self.currentItem()
        return str(item.data(CODE_ROLE)) if item is not None else None
