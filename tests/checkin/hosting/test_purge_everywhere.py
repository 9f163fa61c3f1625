"""The retention purge leaves no name anywhere the app wrote: a distinctive name is planted
through the app's own writers (import, walk-up, backup, restore, station copy, export, hosting
with its write-back, a joined station's copy, a host that crashed, the log), then
`checkin purge --everywhere` runs and every byte of every file under the folders the app wrote
(event folder, per-user data folder, export folder, the server's folders) is searched."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from checkin import logfile
from checkin.after_event.export import export_event
from checkin.cli import main
from checkin.event import events
from checkin.hosting.host import HostSession
from checkin.hosting.local_copy import copy_path, refresh_copy
from checkin.people import attendees
from checkin.people.csv_import import import_csv
from checkin.record.audit import verify
from checkin.stations.station_copy import make_station_copy
from checkin.store import cipher, open_database
from checkin.store.backups import backup_now, restore
from checkin.store.models import Attendee
from tests.helpers import decrypted
from tests.helpers.event_files import open_new

pytestmark = pytest.mark.slow

FIRST, LAST = "Zorblattine", "Quixwellby"  # walk-ups
IMPORTED = "Plumtreevska"  # from a spreadsheet
PHONE = "(816) 555-0199"
NEEDLES = [FIRST, LAST, IMPORTED, PHONE]


def _everything(folders: list[Path]) -> dict[Path, bytes]:
    found = {}
    for folder in folders:
        for path in folder.rglob("*") if folder.exists() else []:
            if path.is_file() and not path.is_symlink():
                # An encrypted file's pages decrypted, free ones too: what a purge must clear
                # is there to be found before it (byte searches alone find nothing there).
                found[path] = (
                    decrypted.file_and_log(path) if cipher.is_encrypted(path) else path.read_bytes()
                )
    return found


def _holding(files: dict[Path, bytes]) -> list[tuple[str, Path]]:
    hits = []
    for needle in NEEDLES:
        forms = {needle.encode(), needle.lower().encode(), needle.encode("utf-16-le")}
        hits += [(needle, p) for p, data in files.items() if any(f in data for f in forms)]
    return hits


def test_purge_everywhere_leaves_no_name_in_any_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    event_file = tmp_path / "event" / "party.checkin"
    event_file.parent.mkdir()
    exports, stations = tmp_path / "exports", tmp_path / "usb"
    stations.mkdir()
    db = open_new(event_file)
    events.create_event(db, "Block Party", retention_days=30)
    sheet = tmp_path / "guests.csv"
    sheet.write_text(f"First name,Last name,Adults\nRosa,{IMPORTED},2\n", encoding="utf-8")
    import_csv(db, sheet)
    sheet.unlink()  # the organiser's own file, not one the app wrote
    attendees.register(db, first_name=FIRST, last_name=LAST, phone=PHONE, adults=1, consent=True)
    assert backup_now(db).ok  # the default backup folder, in the per-user data folder
    export_event(db, exports)
    make_station_copy(db, stations / "desk-2.checkin", "Desk 2")
    log = logfile.install()
    logging.getLogger("checkin.test").error("could not print a badge for %s %s", FIRST, LAST)
    logging.getLogger("checkin.test").error("an ordinary line that stays")
    db.dispose()
    backup = next((home / "checkin" / "backups").glob("*.checkin"))  # not its key file
    restore(event_file, backup)  # .before-restore beside the file

    session = HostSession(event_file, listen="127.0.0.1", advertise=False)
    session.start()
    session.stop()  # the write-back leaves .before-host
    crashed = HostSession(event_file, listen="127.0.0.1", advertise=False)
    crashed.start()
    assert crashed.db is not None
    attendees.register(crashed.db, first_name=FIRST, last_name="Second", adults=1)
    refresh_copy(crashed.db, copy_path(crashed.db, "desk"), "desk")  # a joined station's copy
    crashed.db.dispose()
    crashed.server.stop()  # as if killed: the server's data stays in its folder
    cluster = crashed.server.cluster

    folders = [tmp_path, cluster]
    try:
        before = _holding(_everything(folders))
        assert {p.name for _, p in before} >= {
            "party.checkin",
            "party.checkin.before-host",
            "party.checkin.before-restore",
            "desk-2.checkin",
            "attendees.csv",
            "checkin.log",
            backup.name,
            copy_path_name(home),
        }, before
        assert any("pgdata" in str(p) for _, p in before)

        code = main(
            ["purge", "--db", str(event_file), "--everywhere", "--confirm", "PURGE Block Party"]
        )
        said = capsys.readouterr().out
        assert code == 0, said
        assert "before-host" in said and "desk-2.checkin" in said and "server" in said

        left = _holding(_everything(folders))
        assert left == []
        assert log is not None and "an ordinary line that stays" in log.read_text()
        archive = open_database(event_file)
        try:
            assert verify(archive).ok
            with archive.reading() as s:
                assert set(s.scalars(select(Attendee.purged))) == {True}
                assert s.scalar(select(Attendee.id).limit(1)) is not None  # the counts stay
        finally:
            archive.dispose()
    finally:
        logfile.uninstall()
        crashed.server.discard_data()


def copy_path_name(home: Path) -> str:
    return next((home / "checkin" / "joined").glob("*.checkin")).name
