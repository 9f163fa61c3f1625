"""Setup: the organiser's screen for the event, ticket types, stations, the raffle and the full
attendee list. Everything sits behind the organiser lock."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.common.focus_tab_bar import FocusTabBar
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext
from ui.core.organiser_lock import require_organiser
from ui.people.attendee_table import AttendeeTable
from ui.setup.caller_pin_row import CallerPinRow
from ui.setup.event_details_form import EventDetailsForm
from ui.setup.prizes_editor import PrizesEditor
from ui.setup.stations_table import StationsTable
from ui.setup.ticket_types_table import TicketTypesTable


class SetupSections(QWidget):
    """The unlocked content: one tab per section, and a button to lock again."""

    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.event_form = EventDetailsForm(context)
        self.ticket_types = TicketTypesTable(context)
        self.stations = StationsTable(context)
        self.prizes = PrizesEditor(context)
        self.attendees = AttendeeTable(context)
        self.tabs = QTabWidget()
        self.tab_bar = FocusTabBar(self.tabs)  # kept: its paintEvent is Python
        self.tabs.setTabBar(self.tab_bar)
        self.tabs.setObjectName("setupTabs")
        for widget in (
            self.event_form,
            self.ticket_types,
            self.stations,
            self.prizes,
            self.attendees,
        ):
            self.tabs.addTab(widget, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.lock_button = QPushButton()
        self.lock_button.setObjectName("setupLockButton")
        self.lock_button.clicked.connect(context.lock)
        top = QHBoxLayout()
        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-size: 16pt; font-weight: 700;")
        top.addWidget(self.title_label, 1)
        self.caller_pin = CallerPinRow(context)
        top.addWidget(self.caller_pin)
        top.addWidget(self.lock_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch

    def retranslate(self) -> None:
        titles = [
            self.tr("&Event"),
            self.tr("&Ticket types"),
            self.tr("&Stations"),
            self.tr("&Raffle"),
            self.tr("&Attendees"),
        ]
        for index, title in enumerate(titles):
            self.tabs.setTabText(index, title)
        self.tabs.setAccessibleName(self.tr("Setup sections"))
        self.title_label.setText(self.tr("Event setup"))
        self.lock_button.setText(self.tr("Lock organiser screens"))
        self.lock_button.setAccessibleName(self.tr("Lock organiser screens"))

    def refresh(self) -> None:
        """Reload every section from the event file (another station may have changed it)."""
        self.event_form.load()
        self.event_form.logo.load()
        self.ticket_types.refresh()
        self.stations.refresh()
        self.prizes.refresh()
        self.prizes.load_rules()

    def _tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is self.ticket_types:
            self.ticket_types.refresh()
        elif widget is self.stations:
            self.stations.refresh()
        elif widget is self.prizes:
            self.prizes.refresh()


class SetupPage(QWidget):
    """A lock panel until the organiser passphrase is given, then the setup sections."""

    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.sections: SetupSections | None = None  # built on first unlock

        self.lock_panel = QWidget()
        self.lock_panel.setObjectName("setupLockPanel")
        self.lock_title = QLabel()
        self.lock_title.setObjectName("setupLockTitle")
        self.lock_title.setStyleSheet("font-size: 18pt; font-weight: 700;")
        self.lock_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.lock_text = QLabel()
        self.lock_text.setObjectName("setupLockText")
        self.lock_text.setWordWrap(True)
        self.lock_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("setupUnlockButton")
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        context.lockChanged.connect(self._lock_changed)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch
        self._lock_changed(context.organiser_unlocked)

    def retranslate(self) -> None:
        self.lock_title.setText(self.tr("Setup is locked"))
        self.lock_text.setText(
            self.tr(
                "Event setup and the full attendee list are for organisers. "
                "Volunteers at the desk do not need them."
            )
        )
        self.unlock_button.setText(self.tr("&Unlock with the organiser passphrase"))
        self.unlock_button.setAccessibleName(self.tr("Unlock setup"))
        self.lock_panel.setAccessibleName(self.tr("Setup is locked"))

    @property
    def locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_panel

    def unlock(self) -> bool:
        return require_organiser(self._context, self)

    def _lock_changed(self, _unlocked: bool) -> None:
        if self._context.organiser_unlocked:
            if self.sections is None:
                self.sections = SetupSections(self._context)
                self.stack.addWidget(self.sections)
            self.stack.setCurrentWidget(self.sections)
        else:
            self.stack.setCurrentWidget(self.lock_panel)
            if self.isVisible():
                self.unlock_button.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        if self.sections is not None and not self.locked:
            self.sections.refresh()
        elif self.locked:
            self.unlock_button.setFocus()
        super().showEvent(event)
