"""Start the desktop app: open the event file, then the main window in Desk mode.

`checkin --db FILE` goes straight to the desk with the scan field focused and no dialog in the
way; plain `checkin` opens the per-user default file, or offers the demo on first run.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from checkin import logfile
from checkin.paths import default_db
from checkin.results import Station
from checkin.store import Database, open_database
from ui import appearance
from ui.context import EventContext
from ui.failure_texts import explain
from ui.shell import MainWindow, remember_recent
from ui.start_choice import StartChoice

_windows: list[MainWindow] = []  # open windows, kept alive until closed
_hosts: list[QWidget] = []  # host windows (File > Host this event on the network)
HOST_PREFIX = "host:"  # open_window("host:FILE") hosts that event file


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QCoreApplication.setOrganizationName("checkin")
    QCoreApplication.setApplicationName("checkin")
    app = QApplication(sys.argv[:1])
    # Background threads (the scan writer, searches, counters) run Python too: hand the GIL
    # back to the GUI thread within a millisecond rather than five, so the window never lags.
    sys.setswitchinterval(0.001)
    appearance.set_language(appearance.language())
    appearance.set_theme(appearance.theme())
    return app


def open_window(location: str | None) -> MainWindow | None:
    """Open an event in a new main window; ``None`` asks which one (first run, File > Open)."""
    joined: Database | None = None
    station = QCoreApplication.translate("launch", "Desk")
    if location is not None and location.startswith(HOST_PREFIX):
        return _host(location[len(HOST_PREFIX) :])
    if location is None or location == "new":
        chooser = StartChoice(default_db())
        if location == "new":
            chooser.choose_new()
        elif not default_db().exists() or _windows:
            chooser.exec()
        else:
            chooser.location = str(default_db())
        location = chooser.location
        if location is None:
            return None
        joined = chooser.database
        station = chooser.station or station
    try:
        db = joined or open_database(location)
        context = EventContext(db, Station(station))
    except Exception as exc:
        QMessageBox.critical(None, "checkin", explain(exc))
        return None
    window = MainWindow(context, location, opener=open_window)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # a closed window goes away
    window.destroyed.connect(lambda: db.dispose())
    window.destroyed.connect(lambda: _windows.remove(window) if window in _windows else None)
    _windows.append(window)
    if joined is None:
        remember_recent(location)
    window.show()
    window.desk.focus_scan()
    return window


def _host(event_file: str) -> MainWindow | None:
    """File > Host this event on the network: the host's window; while it hosts, this laptop's
    desk works on the server like every station (the event file is written back at the end)."""
    from ui.host_window import HostWindow

    windows: dict[str, MainWindow | None] = {"server": None}

    def started(url: str) -> None:
        windows["server"] = open_window(url)

    def stopping() -> None:
        window = windows.pop("server", None)
        if window is not None:
            window.close()
            _windows.remove(window)
            window.deleteLater()  # its database is disposed with it

    host = HostWindow(
        event_file,
        on_started=started,
        on_stopping=stopping,
        on_stopped=lambda: open_window(event_file),
    )
    _hosts.append(host)
    host.show()
    host.start()
    return None


def run_joined(url: str, station: str) -> int:
    """`checkin --join CODE`: the desk on a hosted event, with this laptop's copy for when the
    Wi-Fi drops."""
    from checkin.hosting.failover import join_station

    logfile.install()
    app = application()
    try:
        try:
            db = join_station(url, station)
            context = EventContext(db, Station(station))
        except Exception as exc:
            QMessageBox.critical(None, "checkin", explain(exc))
            return 1
        title = QCoreApplication.translate("launch", "joined: {station}").format(station=station)
        window = MainWindow(context, title, opener=open_window)
        window.destroyed.connect(lambda: db.dispose())
        _windows.append(window)
        window.show()
        window.desk.focus_scan()
        return app.exec()
    finally:
        logfile.uninstall()


def run(location: str | None) -> int:
    logfile.install()  # internal errors with their tracebacks, for the organiser
    app = application()
    if open_window(location) is None:
        return 1
    try:
        return app.exec()
    finally:
        logfile.uninstall()


def main() -> int:
    return run(sys.argv[1] if len(sys.argv) > 1 else None)
