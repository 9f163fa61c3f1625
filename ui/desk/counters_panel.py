"""Live counters: people and households checked in, tickets by type, stock left."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from checkin.after_event.summary import Summary, summarize
from checkin.changes import Changes, Kind
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext
from ui.core.ops import QueryOp, Running

LOW_STOCK = 0.10  # warn when a tenth of the stock is left


class CountersPanel(QWidget):
    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.summary: Summary | None = None
        self.people = QLabel(wordWrap=True)  # two lines rather than a wider window
        font = self.people.font()
        font.setPointSize(16)
        font.setBold(True)
        self.people.setFont(font)
        self.tickets = QLabel(wordWrap=True)
        self.warning = QLabel(wordWrap=True)
        self.warning.setStyleSheet("color:#b71c1c; font-weight:bold")
        layout = QVBoxLayout(self)
        for label in (self.people, self.tickets, self.warning):
            layout.addWidget(label)
        LiveTexts(self)(self._reword)  # now, and again on a language switch
        # Many scans in a row cost one recount: changes are gathered for half a second.
        self._pending = QTimer(self, singleShot=True, interval=500)
        self._pending.timeout.connect(self.refresh)
        context.changed.connect(self._changed)
        self._task: Running | None = None
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        # A refused scan or a repeat changes no count.
        if changes.touches(Kind.CHECKINS, Kind.TICKETS, Kind.TICKET_TYPES, Kind.ATTENDEES):
            self._pending.start()

    def refresh(self) -> None:
        db = self._context.db
        self._task = QueryOp(
            parent=self, op=lambda: summarize(db), success=self.show_summary
        ).run_in_background()

    def show_summary(self, summary: Summary) -> None:
        self.summary = summary
        self.people.setText(
            # Counts after a label: no "1 households" and no plural rules to translate.
            self.tr("Households checked in: {households} · people: {people}").format(
                people=summary.people_checked_in, households=summary.households_checked_in
            )
        )
        lines, low, out = [], [], []
        for t in summary.tickets:
            line = self.tr("{name}: {issued} issued, {redeemed} redeemed").format(
                name=t.name, issued=t.issued, redeemed=t.redeemed
            )
            if t.stock_left == 0:  # "Low stock" at none left read as "some left"
                line += ", " + self._out(t.ran_out_at)
                out.append(t.name)
            elif t.stock_left is not None:
                line += self.tr(", {left} left").format(left=t.stock_left)
                if t.stock and t.stock_left <= t.stock * LOW_STOCK:
                    low.append(t.name)
            lines.append(line)
        self.tickets.setText("\n".join(lines))
        warnings = []
        if out:
            warnings.append(self.tr("Out: {names}").format(names=", ".join(out)))
        if low:
            warnings.append(self.tr("Low stock: {names}").format(names=", ".join(low)))
        self.warning.setText(" · ".join(warnings))

    def _out(self, ran_out_at: str) -> str:
        """ "Out (since 14:32)": a stock used up, and when, from the record."""
        if not ran_out_at:
            return self.tr("Out")
        since = datetime.fromisoformat(ran_out_at).strftime("%H:%M")
        return self.tr("Out (since {time})").format(time=since)

    def _reword(self) -> None:
        self.setAccessibleName(self.tr("Counters"))
        if self.summary is not None:
            self.show_summary(self.summary)  # its words are made when shown
