"""Start the desktop app: open the event file, then the main window in Desk mode.

`checkin --db FILE --station NAME --volunteer NAME` goes straight to the desk with the scan
field focused and no dialog in the way (kiosks, tests). Without them the station remembered for
this event on this laptop is used; the first time, the volunteer and station are asked. Plain
`checkin` opens the per-user default file, or offers the demo on first run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from checkin import logfile
from checkin.event.events import EventInfo, get_event
from checkin.paths import default_db
from checkin.results import Station
from checkin.store import Database, EventFileLocked, open_database
from ui.after_event.retention_prompt import offer_due_purge, purge_due_station_copies
from ui.app import file_key
from ui.app.shell import MainWindow, remember_recent
from ui.common.failure_texts import explain
from ui.core import appearance
from ui.core.context import EventContext
from ui.core.event_lock import hold_event
from ui.core.scan_desks import ScanDesks
from ui.core.station_settings import remembered_station
from ui.start.first_launch import FirstLaunchDialog
from ui.start.start_choice import StartChoice

_windows: list[MainWindow] = []  # open windows, kept alive until closed
_hosts: list[QWidget] = []  # host windows (File > Host this event on the network)
HOST_PREFIX = "host:"  # open_window("host:FILE") hosts that event file
NEW_CODE_PREFIX = "host-new-code:"  # ... with a new join code (the old one leaked)


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
    ScanDesks.of_app()  # from the first question on, a scan is a scan
    return app


def station_for(info: EventInfo, name: str | None, volunteer: str | None) -> Station | None:
    """The station this window works as: the one named on the command line, else the one
    remembered for this event on this laptop; None when it must be asked."""
    known = remembered_station(info.uid)
    if name:
        if known is not None and known.name == name:
            return Station(name, known.mode, known.ticket_type, volunteer or known.volunteer)
        return Station(name, volunteer=volunteer or "")
    if known is not None and volunteer:
        return Station(known.name, known.mode, known.ticket_type, volunteer)
    return known


def ask_station(info: EventInfo, parent: QWidget | None = None) -> Station | None:
    dialog = FirstLaunchDialog(info.name, QCoreApplication.translate("launch", "Desk 1"), parent)
    try:
        if dialog.exec() != FirstLaunchDialog.DialogCode.Accepted:
            return None
        return dialog.station()
    finally:
        dialog.deleteLater()


def open_window(
    location: str | None,
    station_name: str | None = None,
    volunteer: str | None = None,
    *,
    parent: QWidget | None = None,
) -> MainWindow | None:
    """Open an event in a new main window; ``None`` asks which one (first run, File > Open).
    ``parent``: the window asking (File > Open), whose desk takes a scan fired while its
    questions are up (the app's router keeps it from pressing their default button)."""
    desks = ScanDesks.of_app()
    joined: Database | None = None
    if location is not None and location.startswith(HOST_PREFIX):
        return _host(location[len(HOST_PREFIX) :])
    if location is not None and location.startswith(NEW_CODE_PREFIX):
        return _host(location[len(NEW_CODE_PREFIX) :], new_code=True)
    created_new = False
    if location is None or location == "new":
        chooser = StartChoice(default_db(), parent)
        if location == "new":
            chooser.choose_new()
        elif not default_db().exists() or _windows:
            chooser.exec()
        else:
            chooser.location = str(default_db())
        location = chooser.location
        created_new = chooser.created_new
        joined = chooser.database
        station_name = chooser.station or station_name
        volunteer = chooser.volunteer or volunteer
        chooser.deleteLater()  # answered: it need not live as long as the window that asked
        if location is None:
            return None
    try:
        db = joined or _open_keyed(location, parent)
        if db is None:
            return None
        info = get_event(db)
        if joined is None and db.is_sqlite:
            offer_due_purge(db, parent)  # its retention day has come: asks the organiser
    except Exception as exc:
        QMessageBox.critical(None, "checkin", explain(exc))
        return None
    set_aside: tuple[Path, ...] = getattr(db, "set_aside", ())
    if set_aside:
        QMessageBox.information(parent, "checkin", _log_set_aside(set_aside))
    station = station_for(info, station_name, volunteer) or ask_station(info, parent)
    if station is None:
        db.dispose()
        return None
    try:
        context = EventContext(db, station)
    except Exception as exc:
        db.dispose()
        QMessageBox.critical(None, "checkin", explain(exc))
        return None
    lock = hold_event(db.path) if db.path is not None else None
    if db.path is not None and lock is None:
        QMessageBox.warning(parent, "checkin", _already_open())
    window = MainWindow(context, location, opener=open_from, desks=desks)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # closing ends its event
    if lock is not None:
        # At close, not at destruction (later): the same file opened again right after
        # its window closed was taken for a second window and its warning waited for an answer.
        window.closed.connect(lambda: lock.unlock())
    window.destroyed.connect(lambda: db.dispose())
    window.destroyed.connect(lambda: _forget(window))
    _windows.append(window)
    if joined is None:
        remember_recent(location)
    window.show_fitted()
    window.desk.focus_scan()
    if created_new:
        window.show_checklist()
    return window


def _open_keyed(location: str, parent: QWidget | None) -> Database | None:
    """The event file opened; one this laptop is not authorised for asks the passphrase
    (None: not given)."""
    try:
        return open_database(location)
    except EventFileLocked as locked:
        if not file_key.unlock(locked.path, parent):
            return None
    return open_database(location)


def _log_set_aside(paths: tuple[Path, ...]) -> str:
    return QCoreApplication.translate(
        "launch",
        "A log file beside the event file belonged to another file (the event file was"
        " replaced or copied over): it was not applied, and is kept as %1. The event file"
        " opened as it is.",
    ).replace("%1", ", ".join(path.name for path in paths))


def _already_open() -> str:
    return QCoreApplication.translate(
        "launch",
        "This event is already open in another window or program on this laptop. Both save to"
        " the same file and their counters agree, but scan at one of them only: close the"
        " other when you can.",
    )


def open_from(location: str | None, window: QWidget) -> MainWindow | None:
    """File > Open, New or a recent file, asked from ``window``."""
    return open_window(location, parent=window)


def _host(event_file: str, *, new_code: bool = False) -> MainWindow | None:
    """File > Host this event on the network: the host's window; while it hosts, this laptop's
    desk works on the server like every station (the event file is written back at the end)."""
    from ui.stations.host_window import HostWindow

    windows: dict[str, MainWindow | None] = {"server": None}

    def started(url: str) -> None:
        window = windows["server"] = open_window(url)
        if window is not None:  # listed among the stations under its own name
            host.session.own_station = window.context.station.name

    def stopping() -> None:
        window = windows.pop("server", None)
        if window is not None:
            window.close()
            _windows.remove(window)
            window.deleteLater()  # its database is disposed with it

    host = HostWindow(
        event_file,
        new_code=new_code,
        on_started=started,
        on_stopping=stopping,
        on_stopped=lambda: open_window(event_file),
    )
    _hosts.append(host)
    host.show()
    host.start()
    return None


def run_joined(url: str, station: str, volunteer: str | None = None) -> int:
    """`checkin --join CODE`: the desk on a hosted event, with this laptop's copy for when the
    Wi-Fi drops."""
    from checkin.hosting.failover import join_station

    logfile.install()
    app = application()
    try:
        warn_unsent()
        try:
            db = join_station(url, station)
            context = EventContext(db, Station(station, volunteer=volunteer or ""))
        except Exception as exc:
            QMessageBox.critical(None, "checkin", explain(exc))
            return 1
        title = QCoreApplication.translate("launch", "joined: {station}").format(station=station)
        window = MainWindow(context, title, opener=open_from, desks=ScanDesks.of_app())
        window.destroyed.connect(lambda: db.dispose())
        _windows.append(window)
        window.show_fitted()  # maximised within the screen like every desk, not its size hint
        window.desk.focus_scan()
        return app.exec()
    finally:
        logfile.uninstall()


def unsent_text() -> str:
    """What this laptop holds that never reached a host (checkin.hosting.unsent); "" if none.
    Only what joining left: the hosting module is not imported for it."""
    from checkin.hosting.unsent import waiting

    lines = [
        QCoreApplication.translate("launch", "{station}: {count} scans, in {file}").format(
            station=item.station or "?", count=item.count, file=str(item.copy)
        )
        for item in waiting()
    ]
    if not lines:
        return ""
    return QCoreApplication.translate(
        "launch",
        "Scans made at this laptop while the host was away have not reached the event yet:"
        "\n\n{lines}\n\nJoin the event again when it is hosted: they are sent by"
        " themselves (or the organiser merges the file).",
    ).format(lines="\n".join(lines))


def warn_unsent() -> None:
    """At launch, until they are merged: scans that never reached the host."""
    text = unsent_text()
    if text:
        QMessageBox.warning(None, "checkin", text)


def _forget(window: MainWindow) -> None:
    _windows[:] = [w for w in _windows if w is not window]  # identity: the C++ side is gone


def run(location: str | None, station: str | None = None, volunteer: str | None = None) -> int:
    logfile.install()  # internal errors with their tracebacks, for the organiser
    app = application()
    warn_unsent()
    purge_due_station_copies()  # a station laptop's joined copies whose day has come
    if open_window(location, station, volunteer) is None:
        return 1
    try:
        return app.exec()
    finally:
        logfile.uninstall()


def main() -> int:
    return run(sys.argv[1] if len(sys.argv) > 1 else None)
