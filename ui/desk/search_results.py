"""Search as you type, off the GUI thread; answers to an older query are dropped.

At a volunteer station (the organiser lock closed) the desk's privacy rule applies
(checkin/people/desk_privacy.py): a few letters list nobody, at most 10 people show, and ``hint``
under the search box says why."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QWidget

from checkin.people import attendees, desk_privacy
from checkin.people.attendees import SearchHit
from checkin.people.desk_privacy import DeskSearchRule
from checkin.store import Database
from ui.common.live_texts import LiveTexts
from ui.core.ops import QueryOp, Running

CODE_ROLE = Qt.ItemDataRole.UserRole
ORGANISER_MIN_CHARS = 2
ORGANISER_LIMIT = 30


class SearchResults(QListWidget):
    chosen = Signal(str)  # attendee code: Enter or double-click checks them in
    updated = Signal(int)  # how many results are shown (tests and the banner use it)

    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        *,
        volunteer: Callable[[], bool] = lambda: False,
    ) -> None:
        """``volunteer``: whether the desk is a volunteer's now (the organiser lock closed)."""
        super().__init__(parent)
        self._db = db
        self._volunteer = volunteer
        self._generation = 0
        self.query = ""
        self._task: Running | None = None
        # The rule as last read from the event file: a short query is answered at once, without
        # a read; each search reads it again with its results (the organiser may change it).
        self.rule = desk_privacy.desk_search_rule(db)
        self.hint = QLabel()
        self.hint.setObjectName("searchHint")
        self.hint.setWordWrap(True)
        self.hint.hide()
        LiveTexts(self)(self._reword)  # now, and again on a language switch
        # A line at least, and it gives the rest up (an attention note under the banner): the
        # desk must fit a 768-pixel screen in high contrast.
        self.setMinimumHeight(24)
        self.itemActivated.connect(lambda item: self.chosen.emit(item.data(CODE_ROLE)))

    def _reword(self) -> None:
        self.setAccessibleName(self.tr("Search results"))
        self.hint.setAccessibleName(self.tr("Search hint"))
        self._show_hint(self.count())

    def search(self, query: str) -> None:
        self._generation += 1
        generation = self._generation
        self.query = query.strip()
        volunteer = self._volunteer()
        short = (
            self.rule.too_short(self.query) if volunteer else len(self.query) < ORGANISER_MIN_CHARS
        )
        if short:
            self.clear()
            self._show_hint(0)
            self.updated.emit(0)
            return
        db, text = self._db, self.query

        def work() -> tuple[DeskSearchRule | None, list[SearchHit]]:
            if not volunteer:
                return None, attendees.search(db, text, limit=ORGANISER_LIMIT)
            rule = desk_privacy.desk_search_rule(db)
            return rule, desk_privacy.volunteer_search(db, text, rule)

        self._task = QueryOp(
            parent=self, op=work, success=lambda answer: self._show(generation, *answer)
        ).run_in_background()

    def _show(self, generation: int, rule: DeskSearchRule | None, hits: list[SearchHit]) -> None:
        if rule is not None:
            self.rule = rule
        if generation != self._generation:
            return  # a newer query was typed meanwhile
        self.clear()
        for hit in hits:
            mark = "✔ " if hit.checked_in else ""
            # Never a phone or an email: the list is on a screen at a public table.
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
        self._show_hint(len(hits))
        self.updated.emit(len(hits))

    def _show_hint(self, shown: int) -> None:
        """Why a volunteer's search lists nobody yet, or that more people may match."""
        text = ""
        if self.query and self._volunteer():
            if self.rule.too_short(self.query):
                text = (
                    self.tr(
                        "Type the person's first and last name: to protect people's privacy, "
                        "this desk lists nobody by part of a name"
                    )
                    if self.rule.full_name_only
                    else self.tr(
                        "Type at least %n letters: to protect people's privacy, this desk "
                        "lists nobody by fewer",
                        "",
                        self.rule.min_chars,
                    )
                )
            elif shown >= desk_privacy.VOLUNTEER_LIMIT:
                text = self.tr(
                    "Showing the first %n: type more of the name to find the person",
                    "",
                    desk_privacy.VOLUNTEER_LIMIT,
                )
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def clear_query(self) -> None:
        """Forget the typed query (a scan replaced it): no list, no hint. A search under way
        still answers (a quick Enter waits for it)."""
        self.query = ""
        self.clear()
        self._show_hint(0)

    def step(self, step: int) -> None:
        if self.count():
            self.setCurrentRow(max(0, min(self.count() - 1, self.currentRow() + step)))

    def selected_code(self) -> str | None:
        item = self.currentItem()
        return str(item.data(CODE_ROLE)) if item is not None else None
