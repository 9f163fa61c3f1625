"""The main window: station pages as tabs, menus, status bar. It only wires pages together;
pages talk to each other through EventContext.changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import shiboken6
from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QWidget,
)

from checkin.stations.shift import shift_summary
from ui.after_event.dashboard_view import DashboardView
from ui.after_event.export_view import ExportView
from ui.app import file_key
from ui.app.locked_page import LockedPage
from ui.common.focus_tab_bar import FocusTabBar
from ui.common.help_dialog import HelpDialog
from ui.common.live_texts import LiveTexts
from ui.core import appearance
from ui.core.context import EventContext
from ui.core.file_watch import FileWatch
from ui.core.organiser_lock import IdleLock, require_organiser
from ui.core.scan_desks import STEPS_ASIDE, ScanDesks, steps_aside
from ui.core.setting_keys import LaptopSetting
from ui.desk.bind_question_menu import BindQuestionMenu
from ui.desk.desk_page import DeskPage
from ui.desk.legend import LegendDialog
from ui.desk.scanner_check_dialog import ScannerCheckDialog
from ui.desk.shift_text import shift_text
from ui.desk.shortcuts import shortcuts
from ui.desk.sounds import SoundBank
from ui.paper.paper_view import PaperView
from ui.raffle.prize_view import PrizeView
from ui.setup.setup_checklist import ChecklistDialog
from ui.setup.setup_page import SetupPage
from ui.stations.merge_view import MergeView
from ui.stations.void_dialog import VoidDialog
from ui.status_bar.backup_status import install_backup_status
from ui.status_bar.connection_status import install_connection_status
from ui.status_bar.retention_status import install_retention_status

# Opens an event file (None: ask) in a new window; the window asking is the questions' parent.
Opener = Callable[[str | None, QWidget], object]


class MainWindow(QMainWindow):
    closed = Signal()  # the window accepted its close: it lets go of its event now

    def __init__(
        self,
        context: EventContext,
        location: str,
        *,
        opener: Opener | None = None,
        sounds: SoundBank | None = None,
        desks: ScanDesks | None = None,
    ) -> None:
        """``desks``: where scans go (by default the application's one routing)."""
        super().__init__()
        self.context = context
        self.location = location
        self._opener = opener
        self.sounds = sounds or SoundBank(self)
        self.tabs = QTabWidget()
        self.tab_bar = FocusTabBar(self.tabs)  # kept: its paintEvent is Python
        self.tabs.setTabBar(self.tab_bar)
        self.desk = DeskPage(context, self.sounds)

        def locked(title: Callable[[], str], page: QWidget) -> tuple[Callable[[], str], QWidget]:
            return title, LockedPage(context, page, title)

        # (title, page): adding a station page is one line here.
        self.prizes = PrizeView(context)
        self.pages: list[tuple[Callable[[], str], QWidget]] = [
            (lambda: self.tr("Desk"), self.desk),
            (lambda: self.tr("Prize table"), self.prizes),
            (lambda: self.tr("Dashboard"), DashboardView(context)),
            (lambda: self.tr("Setup"), SetupPage(context)),
            locked(lambda: self.tr("Export"), ExportView(context)),
            locked(lambda: self.tr("Merge"), MergeView(context)),
            locked(lambda: self.tr("Paper"), PaperView(context)),
        ]
        self._prize_tab: QWidget | None = None
        for title, page in self.pages:
            # The desk is laid out to fit the screen; an organiser page that needs more room
            # than a small laptop has scrolls instead of making the window bigger.
            tab = page if page is self.desk else _scrolling(page)
            self.tabs.addTab(tab, title())
            if page is self.prizes:
                self._prize_tab = tab
        self.setCentralWidget(self.tabs)
        self.tabs.currentChanged.connect(self._tab_changed)
        # Every scanner burst aimed at this window, its menus or its dialogs, or at a window of
        # the app's own when this desk was used last: one route.
        self.desks = desks or ScanDesks.of_app()
        self.router = self.desks.router
        self.desks.add(self, self.take_scan)
        self.idle_lock = IdleLock(context, parent=self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle_lock)
        self.backup_status = install_backup_status(self, context)
        # The same file open in another window or program: its writes reach these counters.
        self.file_watch = FileWatch(context, self) if context.db.is_sqlite else None
        self.connection_status = install_connection_status(self, context)
        self.retention_status = install_retention_status(self, context)
        self.desk.scanResult.connect(self.connection_status.note_scan)
        self.legend: LegendDialog | None = None  # F1, while open
        self._build_menus()
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch

    def take_scan(self, text: str) -> None:
        """A scanner burst, wherever the focus was: the station page on screen takes it (the
        prize table, or the desk in either mode); from any other tab it goes to the desk. The
        answer is seen: windows that only inform step aside, and this window comes forward
        (a question waiting for an answer stays in front)."""
        self._step_aside()
        if QApplication.activeModalWidget() is None and not self.isActiveWindow():
            self.raise_()
            self.activateWindow()
        if self.tabs.currentWidget() is self._prize_tab:
            self.prizes.take_scan(text)
            return
        self.tabs.setCurrentWidget(self.desk)
        self.desk.take_scan(text)

    def _step_aside(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if not (widget.isVisible() and widget.property(STEPS_ASIDE)):
                continue
            if isinstance(widget, QDialog):
                widget.reject()
            else:
                widget.close()

    def _step_tab(self, step: int) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.desk:
            self.desk.focus_scan()

    # --- menus ----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        self.open_action = _action(self, QKeySequence(QKeySequence.StandardKey.Open))
        self.open_action.triggered.connect(lambda: self._open(None))
        self.new_action = _action(self, QKeySequence(QKeySequence.StandardKey.New))
        self.new_action.triggered.connect(lambda: self._open("new"))
        self.host_action = _action(self)
        self.host_action.triggered.connect(self.host_event)
        self.host_new_code_action = _action(self)
        self.host_new_code_action.triggered.connect(self.host_with_new_code)
        # An encrypted event file (checkin/store/file_keys.py): this laptop opens it without
        # the passphrase from now on; the passphrase is asked first.
        self.authorise_action = _action(self)
        self.authorise_action.triggered.connect(self.authorise_laptop)
        self.authorise_action.setVisible(self.context.db.encrypted)
        # Ctrl+Q on every platform (some have no standard Quit key), and it asks mid-event.
        self.quit_action = _action(self, QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.quit_desk)
        self.lock_action = _action(self, QKeySequence("Ctrl+Shift+L"))
        self.lock_action.triggered.connect(self.context.lock)
        self.shift_action = _action(self)
        self.shift_action.triggered.connect(self._shift_summary)
        self.scanner_action = _action(self)
        self.scanner_action.triggered.connect(self.scanner_check)
        self.void_action = _action(self)
        self.void_action.triggered.connect(lambda: self.void_tickets())
        self.void_sheet_action = _action(self)
        self.void_sheet_action.triggered.connect(lambda: self.void_tickets(sheet=True))
        self.contrast_action = _action(self, QKeySequence("Ctrl+Shift+H"), checkable=True)
        self.contrast_action.setChecked(appearance.theme() == "high-contrast")
        self.contrast_action.toggled.connect(self._set_contrast)
        self.full_action = _action(self, QKeySequence("F11"))
        self.full_action.triggered.connect(
            lambda: self.showNormal() if self.isFullScreen() else self.showFullScreen()
        )
        # Ctrl+Tab / Ctrl+Shift+Tab go through the tabs from anywhere in the window (a page's own
        # widgets never take them, nor does a tab page holding tabs of its own).
        self.next_tab_action = _action(self, QKeySequence("Ctrl+Tab"))
        self.next_tab_action.triggered.connect(lambda: self._step_tab(1))
        self.previous_tab_action = _action(self)
        self.previous_tab_action.setShortcuts(
            [QKeySequence("Ctrl+Shift+Tab"), QKeySequence("Ctrl+Shift+Backtab")]
        )
        self.previous_tab_action.triggered.connect(lambda: self._step_tab(-1))
        self.addActions([self.next_tab_action, self.previous_tab_action])
        self.help_action = _action(self, QKeySequence("F1"))
        self.help_action.triggered.connect(self.show_help)
        self.legend_action = _action(self, QKeySequence("Shift+F1"))
        self.legend_action.triggered.connect(self.show_legend)
        self.languages = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in appearance.LANGUAGES:
            action = _action(self, checkable=True)
            action.setData(code)
            action.setChecked(appearance.language() == code)
            action.triggered.connect(lambda _=False, c=code: appearance.set_language(c))
            self.languages.addAction(action)
            self.language_actions[code] = action
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addActions(
            [self.open_action, self.new_action, self.host_action, self.host_new_code_action]
        )
        self.recent_menu = self.file_menu.addMenu("")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.file_menu.addAction(self.authorise_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.station_menu = bar.addMenu("")
        self.station_menu.addActions([self.shift_action, self.scanner_action, self.lock_action])
        self.bind_menu = BindQuestionMenu(self.context, self.station_menu)
        self.station_menu.addMenu(self.bind_menu)
        self.station_menu.addSeparator()
        self.station_menu.addActions([self.void_action, self.void_sheet_action])
        self.view_menu = bar.addMenu("")
        self.view_menu.addActions([self.contrast_action, self.full_action])
        self.language_menu = self.view_menu.addMenu("")
        self.language_menu.addActions(list(self.language_actions.values()))
        self.help_menu = bar.addMenu("")
        self.help_menu.addActions([self.help_action, self.legend_action])

    def retranslate(self) -> None:
        event = self.context.info
        self.setWindowTitle(
            self.tr("{event} — {file} — checkin").format(
                event=event.name, file=without_password(self.location)
            )
        )
        for index, (title, _page) in enumerate(self.pages):
            self.tabs.setTabText(index, title())
        self.file_menu.setTitle(self.tr("&File"))
        self.open_action.setText(self.tr("&Open event file…"))
        self.new_action.setText(self.tr("&New event…"))
        self.recent_menu.setTitle(self.tr("Open &recent"))
        self.host_action.setText(self.tr("&Host this event on the network…"))
        self.host_new_code_action.setText(self.tr("Host with a ne&w join code…"))
        self.authorise_action.setText(self.tr("This laptop may open this &event…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.station_menu.setTitle(self.tr("&Station"))
        self.shift_action.setText(self.tr("End-of-shift &summary"))
        self.lock_action.setText(self.tr("&Lock organiser screens"))
        self.scanner_action.setText(self.tr("Scanner &check…"))
        self.void_action.setText(self.tr("&Void a ticket…"))
        self.void_sheet_action.setText(self.tr("Void a stock s&heet…"))
        self.view_menu.setTitle(self.tr("&View"))
        self.contrast_action.setText(self.tr("&High contrast, large text (sunlight)"))
        self.full_action.setText(self.tr("&Full screen"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.language_actions["en"].setText("English")
        self.language_actions["es"].setText("Español")
        self.help_menu.setTitle(self.tr("&Help"))
        self.help_action.setText(self.tr("&Volunteer guide and shortcuts"))
        self.legend_action.setText(self.tr("C&olours and sounds"))

    def _set_contrast(self, on: bool) -> None:
        appearance.set_theme("high-contrast" if on else "default")

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in recent_files():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self._open(p))

    def authorise_laptop(self) -> None:
        if self.context.db.path is not None:
            file_key.authorise(self.context.db.path, self)
        self.desk.focus_scan()

    def _open(self, location: str | None) -> None:
        if self._opener is not None:
            self._opener(location, self)

    def quit_desk(self) -> None:
        """File > Quit (Ctrl+Q): a desk closed by a slip of the hand mid-event takes no scans,
        so once anyone is checked in it asks first; "Keep it open" is the default."""
        if self._anyone_checked_in() and not self._confirm_quit():
            self.desk.focus_scan()
            return
        self.close()

    def _anyone_checked_in(self) -> bool:
        summary = self.desk.counters.summary
        return summary is not None and summary.people_checked_in > 0

    def _confirm_quit(self) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Close the desk?"),
            self.tr("While the desk is closed, this laptop takes no scans. Close it?"),
            parent=self,
        )
        close = box.addButton(self.tr("Close the desk"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Keep it open"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)  # Enter (a scanner's too) keeps the desk
        box.setEscapeButton(keep)
        box.exec()
        chosen = box.clickedButton()
        box.deleteLater()
        return chosen is close

    def host_event(self, *, new_code: bool = False) -> None:
        """Hand this event file to the host's screen; its window replaces this one. The file
        keeps its join code from one hosting to the next unless ``new_code``."""
        path = self.context.db.path
        if path is None:
            QMessageBox.information(
                self,
                self.tr("Host this event"),
                self.tr("Only an event file on this laptop can be hosted."),
            )
            return
        # Hosting hands every name to a server the stations reach: an organiser action.
        if not require_organiser(self.context, self):
            return
        self._open(f"{'host-new-code' if new_code else 'host'}:{path}")
        self.close()

    def host_with_new_code(self) -> None:
        """After the join code was seen by people it was not meant for: the old one stops
        working, so every station joins again with the new one."""
        answer = QMessageBox.question(
            self,
            self.tr("Host this event"),
            self.tr(
                "Host with a new join code? The old code stops working: every station joins"
                " again with the new one. Use this when the code was seen by people it was not"
                " meant for."
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.host_event(new_code=True)

    def shift_summary_text(self) -> str:
        station = self.context.station
        shift = shift_summary(
            self.context.db, station.name, station.volunteer, self.context.shift_started
        )
        return shift_text(shift)

    def _shift_summary(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("End-of-shift summary"),
            self.shift_summary_text(),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        steps_aside(box)
        box.open()

    def scanner_check(self) -> ScannerCheckDialog:
        """The check reads the scanner's keys itself; a guest's code scanned while it is open
        is handed to the desk (and the check steps aside for the answer)."""
        dialog = ScannerCheckDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.notTheTestCard.connect(self.take_scan)
        dialog.finished.connect(lambda _r: self.desk.focus_scan())
        dialog.open()
        return dialog

    def void_tickets(self, *, sheet: bool = False) -> VoidDialog:
        """Lost, stolen or damaged tickets, or a missing stock sheet: voided for this station
        (its Undo takes it back), the replacements printed on the desk's printer. The
        organiser passphrase is asked when the void is made."""
        dialog = VoidDialog(self.context, self.desk.printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.notATicket.connect(self.take_scan)
        dialog.finished.connect(lambda _r: self.desk.focus_scan())
        dialog.open()
        (dialog.sheet_spin if sheet else dialog.code_edit).setFocus()
        return dialog

    def show_checklist(self) -> ChecklistDialog:
        """After a new event was created: what to set up before the first guest."""
        dialog = ChecklistDialog(self.context.db, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        steps_aside(dialog)
        dialog.finished.connect(lambda _r: self.desk.focus_scan())
        dialog.open()
        return dialog

    def show_legend(self) -> LegendDialog:
        """What the banner's colours and sounds mean (Help menu, Shift+F1)."""
        dialog = LegendDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        steps_aside(dialog)
        dialog.finished.connect(lambda _r: self.desk.focus_scan())
        dialog.open()
        self.legend = dialog
        return dialog

    def show_fitted(self) -> None:
        """Show as it was last time (QSettings), or maximised within the screen's usable
        area (a taskbar stays visible) when nothing was remembered or it would not fit."""
        settings = QSettings()
        geometry = settings.value(LaptopSetting.WINDOW_GEOMETRY)
        screen = self.screen() or QGuiApplication.primaryScreen()
        usable = screen.availableGeometry() if screen is not None else None
        restored = isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)
        if restored and (usable is None or usable.contains(self.frameGeometry())):
            self.show()
            return
        if usable is not None:
            self.setGeometry(usable)
        self.showMaximized()

    def show_help(self) -> HelpDialog:
        """F1: the volunteer guide and the keys, in the app's language."""
        dialog = HelpDialog(shortcuts, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        steps_aside(dialog)
        dialog.finished.connect(lambda _r: self.desk.focus_scan())
        dialog.open()
        return dialog

    def closeEvent(self, event: QCloseEvent) -> None:
        # The title bar's X and Alt+F4 come from the window manager (spontaneous): the same slip
        # of the hand as Ctrl+Q, so the same question. Closes the app makes itself (Quit after
        # its question, handing over to the host's screen) are not asked twice.
        if event.spontaneous() and self._anyone_checked_in() and not self._confirm_quit():
            event.ignore()
            self.desk.focus_scan()
            return
        unsent = self.connection_status.unsent()
        if unsent and not _unsent_question(self, unsent):
            event.ignore()
            return
        QSettings().setValue(LaptopSetting.WINDOW_GEOMETRY, self.saveGeometry())
        self.context.scans.drain()  # every scan already made is written before the window goes
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle_lock)
        super().closeEvent(event)
        if event.isAccepted():
            self.desks.remove(self)
            self.closed.emit()
            # The big screen works for this window's prize table: it goes with it (left open,
            # it stayed on the projector and failed at the next draw).
            big = self.prizes.big_screen
            if big is not None and shiboken6.isValid(big):
                big.close()
            # A closed window lets go of its event file: no timer opens it again (backups,
            # the connection ping, the dashboard), and its connections are closed.
            for timer in self.findChildren(QTimer):
                timer.stop()
            self.context.db.dispose()


def _scrolling(page: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(page)
    return area


def _unsent_question(parent: QWidget, unsent: int) -> bool:
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("MainWindow", "Scans not on the host yet"),
        QCoreApplication.translate(
            "MainWindow",
            "What this laptop saved while working offline has not reached the host yet"
            " ({count} changes). It is kept on this laptop and sent the next time it joins the"
            " event (or the organiser merges this laptop's copy). Close anyway?",
        ).format(count=unsent),
    )
    return answer == QMessageBox.StandardButton.Yes


def without_password(location: str) -> str:
    """A server's address as it may be shown: a window title is seen by everyone at the
    table (and in screenshots), the hosted event's password is not for them."""
    if "://" not in location:
        return location
    parts = urlsplit(location)
    if parts.password is None:
        return location
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    netloc += f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def recent_files() -> list[str]:
    value = QSettings().value(LaptopSetting.RECENT_FILES, [])
    paths = [str(p) for p in value] if isinstance(value, list) else ([str(value)] if value else [])
    # A server address with its password is never kept (older versions kept the hosted
    # event's): it would be written in the settings file, and is dead once hosting stops.
    return [p for p in paths if (without_password(p) == p if "://" in p else Path(p).exists())][:8]


def remember_recent(location: str) -> None:
    kept = recent_files()  # an older version's saved passwords are dropped here too
    if without_password(location) == location:
        kept = [location] + [p for p in kept if p != location]
    QSettings().setValue(LaptopSetting.RECENT_FILES, kept[:8])


def _action(
    parent: QWidget, shortcut: QKeySequence | None = None, *, checkable: bool = False
) -> QAction:
    action = QAction(parent)
    if shortcut is not None:
        action.setShortcut(shortcut)
    action.setCheckable(checkable)
    return action
