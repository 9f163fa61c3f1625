"""Dashboard tab: the event's figures live, with charts that grow as people check in.

The summary is computed off the GUI thread (it reads the whole event) whenever something
changed, at most every ``DEBOUNCE_MS``, and on a timer for changes made by other stations.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from checkin.after_event.summary import Summary, summarize
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext
from ui.core.ops import QueryOp, Running

DEBOUNCE_MS = 400
REFRESH_MS = 20_000  # other stations' check-ins arrive through the shared file or server
TICKETS_CHART_BASE = 120  # title, legend and value axis, in pixels
TICKETS_CHART_ROW = 36  # one ticket type's bars and name


def _clock(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%H:%M") if iso else ""


def _nice_top(value: int) -> int:
    step = 1
    while True:
        for m in (1, 2, 5):
            if 4 * m * step >= max(1, value):
                return 4 * m * step
        step *= 10


class Counter(QWidget):
    """A big number over a caption."""

    def __init__(self, caption: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = QLabel("–")
        self.value.setStyleSheet("font-size: 30px; font-weight: 700;")
        self.value.setAccessibleName(caption)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set(self, text: str, caption: str | None = None) -> None:
        self.value.setText(text)
        if caption is not None:
            self.caption.setText(caption)
            self.value.setAccessibleName(caption)


def _bar_set(name: str, pattern: Qt.BrushStyle, grey: int) -> QBarSet:
    """Grey level and pattern, so the series differ on a black-and-white projector too."""
    bars = QBarSet(name)
    bars.setBrush(QBrush(QColor(grey, grey, grey), pattern))
    bars.setPen(QPen(QColor(0, 0, 0), 1))
    return bars


class DashboardView(QWidget):
    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._task: Running | None = None
        self._pending = False
        self.summary: Summary | None = None
        self.refreshes = 0  # summaries shown (tests wait on it)

        self.title = title = QLabel()
        title.setStyleSheet("font-size: 22px; font-weight: 700;")
        self.updated = QLabel("")

        self.households = Counter()
        self.people = Counter()
        self.split = Counter()
        self.scans = Counter()
        self.failed = Counter()
        self.peak = Counter()
        counters = QGridLayout()
        for i, counter in enumerate(
            (self.households, self.people, self.split, self.scans, self.failed, self.peak)
        ):
            counters.addWidget(counter, i // 3, i % 3)

        self.arrivals_chart = QChart()
        self.arrivals_chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.arrivals_view = QChartView(self.arrivals_chart)
        self.arrivals_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.arrivals_view.setMinimumHeight(200)

        self.tickets_chart = QChart()
        self.tickets_chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.tickets_view = QChartView(self.tickets_chart)
        self.tickets_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.tickets_view.setMinimumHeight(200)

        # Each type with a stock: what is left, or "out" and since when (from the record).
        self.stock = QLabel(wordWrap=True)
        self.stock.setStyleSheet("font-size: 16px; font-weight: 600;")

        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.updated)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(counters)
        layout.addWidget(self.stock)
        layout.addWidget(self.arrivals_view, 3)
        layout.addWidget(self.tickets_view, 2)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        context.changed.connect(lambda _changes: self._debounce.start())
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self.refresh()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Dashboard"))
        self.updated.setAccessibleName(self.tr("Last updated"))
        self.households.set(self.households.value.text(), self.tr("Households checked in"))
        self.people.set(self.people.value.text(), self.tr("People"))
        self.split.set(self.split.value.text(), self.tr("Adults · kids · seniors"))
        self.scans.set(self.scans.value.text(), self.tr("Scans"))
        self.failed.set(self.failed.value.text(), self.tr("Failed scans"))
        self.peak.set(self.peak.value.text(), self.tr("Busiest 15 minutes"))
        self.arrivals_chart.setTitle(self.tr("Arrivals per 15 minutes"))
        self.arrivals_view.setAccessibleName(self.tr("Arrivals per 15 minutes chart"))
        self.tickets_chart.setTitle(self.tr("Tickets handed out and redeemed"))
        self.tickets_view.setAccessibleName(self.tr("Tickets per type chart"))
        if self.summary is not None:
            self.show_summary(self.summary)  # the captions with figures, the charts' legends

    def refresh(self) -> None:
        """Recompute the summary in the background; one computation at a time."""
        if self._task is not None:
            self._pending = True
            return
        db = self._context.db
        self._task = (
            QueryOp(parent=self, op=lambda: summarize(db), success=self._computed)
            .failure(self._failed)
            .run_in_background()
        )

    def _computed(self, summary: Summary) -> None:
        self._task = None
        self.show_summary(summary)
        if self._pending:
            self._pending = False
            self.refresh()

    def _failed(self, message: str) -> None:
        self._task = None
        self.updated.setText(
            self.tr("Could not read the figures: {message}").format(message=message)
        )

    def show_summary(self, s: Summary) -> None:
        self.summary = s
        self.households.set(f"{s.households_checked_in:,}")
        self.people.set(f"{s.people_checked_in:,}")
        self.split.set(f"{s.adults:,} · {s.kids:,} · {s.seniors:,}")
        self.scans.set(
            f"{s.scans:,}",
            self.tr("Scans ({repeats} repeats)").format(repeats=f"{s.repeat_scans:,}"),
        )
        self.failed.set(f"{s.failed_scans:,}")
        peak = s.peak
        self.peak.set(
            _clock(peak.start) if peak and peak.households else "–",
            self.tr("Busiest 15 minutes ({n} households)").format(n=peak.households)
            if peak and peak.households
            else self.tr("Busiest 15 minutes"),
        )
        self.stock.setText(self._stock_text(s))
        self.stock.setVisible(bool(self.stock.text()))
        self._show_arrivals(s)
        self._show_tickets(s)
        self.updated.setText(
            self.tr("Updated {time}").format(time=datetime.now().strftime("%H:%M:%S"))
        )
        self.refreshes += 1

    def _stock_text(self, s: Summary) -> str:
        parts = []
        for t in s.tickets:
            if t.stock_left == 0:
                parts.append(
                    self.tr("{name}: out since {time}").format(
                        name=t.name, time=_clock(t.ran_out_at)
                    )
                    if t.ran_out_at
                    else self.tr("{name}: out").format(name=t.name)
                )
            elif t.stock_left is not None:
                parts.append(
                    self.tr("{name}: {left} of {stock} left").format(
                        name=t.name, left=f"{t.stock_left:,}", stock=f"{t.stock or 0:,}"
                    )
                )
        return self.tr("Stock: {types}").format(types=" · ".join(parts)) if parts else ""

    def _show_arrivals(self, s: Summary) -> None:
        chart = self.arrivals_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        households = _bar_set(self.tr("households"), Qt.BrushStyle.SolidPattern, 90)
        people = _bar_set(self.tr("people"), Qt.BrushStyle.BDiagPattern, 0)
        for b in s.arrivals:
            households.append(b.households)
            people.append(b.people)
        series = QBarSeries()
        series.append(households)
        series.append(people)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([_clock(b.start) for b in s.arrivals] or [""])
        values = QValueAxis()
        values.setRange(0, _nice_top(max((b.people for b in s.arrivals), default=0)))
        values.setLabelFormat("%d")
        values.setTickCount(5)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)

    def _show_tickets(self, s: Summary) -> None:
        chart = self.tickets_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        handed = _bar_set(self.tr("handed out"), Qt.BrushStyle.BDiagPattern, 0)
        redeemed = _bar_set(self.tr("redeemed"), Qt.BrushStyle.SolidPattern, 90)
        for t in s.tickets:
            handed.append(t.issued)
            redeemed.append(t.redeemed)
        series = QHorizontalBarSeries()
        series.append(handed)
        series.append(redeemed)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        for bars in (handed, redeemed):
            bars.setLabelColor(QColor(0, 0, 0))
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append([t.name for t in s.tickets] or [""])
        values = QValueAxis()
        values.setRange(0, _nice_top(max((t.issued for t in s.tickets), default=0)))
        values.setLabelFormat("%d")
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        # Room for every type's name: squeezed, Qt Charts shortens them to "...".
        self.tickets_view.setMinimumHeight(TICKETS_CHART_BASE + TICKETS_CHART_ROW * len(s.tickets))
        series.attachAxis(names)
        series.attachAxis(values)

    def arrivals_values(self) -> list[tuple[str, int, int]]:
        """What the arrivals chart shows (category, households, people): for tests."""
        series = self.arrivals_chart.series()
        if not series or not isinstance(series[0], QBarSeries):
            return []
        sets = series[0].barSets()
        axis = next(a for a in self.arrivals_chart.axes() if isinstance(a, QBarCategoryAxis))
        return [
            (axis.at(i), int(sets[0].at(i)), int(sets[1].at(i))) for i in range(sets[0].count())
        ]
