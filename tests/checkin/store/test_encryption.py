"""Every file the app writes with personal data is encrypted (checkin/store/cipher.py), and its
key opens on an authorised laptop alone, elsewhere only with the organiser passphrase
(checkin/store/file_keys.py)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin.cli import main
from checkin.event import events
from checkin.hosting.local_copy import refresh_copy
from checkin.people import attendees
from checkin.people.csv_import import import_csv
from checkin.results import ScanState, Station
from checkin.scanning import ScanEngine
from checkin.stations.merge import merge_station
from checkin.stations.station_copy import make_station_copy
from checkin.store import Database, EventFileLocked, cipher, file_keys, open_database, page_cache
from checkin.store.backups import backup_now, restore_file
from checkin.store.models import Attendee

PASSPHRASE = "a long organiser passphrase"
# One name planted through each writer: none may be found in any file's bytes.
NAMES = {
    "import": "Zebulonimport",
    "walk-up": "Quixotewalkup",
    "station": "Ysoldestation",
    "join": "Wenceslasjoin",
}
DESK = Station("Desk")


def _plain_sqlite_reads(path: Path) -> bool:
    """Whether the standard sqlite3 module, with no key, reads anything of ``path``."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as raw:
            raw.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlite3.Error:
        return False
    return True


@contextlib.contextmanager
def another_laptop(tmp_path: Path) -> Iterator[None]:
    """As another user (or laptop) whose data folder holds another laptop key."""
    before = os.environ[file_keys.KEY_DIR_ENV]
    os.environ[file_keys.KEY_DIR_ENV] = str(tmp_path / "elsewhere")
    file_keys._known.clear()  # nothing unwrapped in this process carries over
    try:
        yield
    finally:
        os.environ[file_keys.KEY_DIR_ENV] = before
        file_keys._known.clear()


def _count(path: Path) -> int:
    db = open_database(path)
    try:
        with db.reading() as session:
            return int(session.scalar(select(func.count()).select_from(Attendee)) or 0)
    finally:
        db.dispose()


def _event(path: Path) -> None:
    db = open_database(path, create=True)
    try:
        events.create_event(db, "Block Party", passphrase=PASSPHRASE)
        attendees.register(db, adults=1, first_name=NAMES["walk-up"], last_name="Plain")
    finally:
        db.dispose()


def test_a_name_planted_through_every_writer_is_in_no_file(tmp_path: Path) -> None:
    event = tmp_path / "party.checkin"
    backups, station, joined = tmp_path / "backups", tmp_path / "a.checkin", tmp_path / "j.checkin"
    backups.mkdir()
    source = tmp_path / "import" / "people.csv"  # the organiser's own file, not one the app wrote
    source.parent.mkdir()
    source.write_text(f"First name,Last name,Adults\n{NAMES['import']},Rivera,2\n")
    db = open_database(event, create=True)
    try:
        events.create_event(db, "Block Party", passphrase=PASSPHRASE)
        assert import_csv(db, source).imported == 1
        walk_up = attendees.register(db, adults=1, first_name=NAMES["walk-up"], last_name="X")
        assert ScanEngine(db).scan(walk_up.code, DESK).state is ScanState.CHECKED_IN
        backup = backup_now(db, backups)
        assert backup.ok and backup.path is not None
        make_station_copy(db, station, "A")
        refresh_copy(db, joined, "J")  # an event file stands in for the hosted server
    finally:
        db.dispose()
    for path, name in ((station, NAMES["station"]), (joined, NAMES["join"])):
        copy = open_database(path)
        try:
            attendees.register(copy, Station("A"), adults=1, first_name=name)
        finally:
            copy.dispose()
    restore_file(event, backup.path)
    db = open_database(event)
    try:
        merge_station(db, station, by="A")
        merge_station(db, joined, by="J")
    finally:
        db.dispose()
    assert _count(event) == 4  # everyone is there, read with the key

    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != source]
    sqlite_files = [p for p in written if p.read_bytes()[:16] == cipher.MAGIC]
    assert {event, backup.path, station, joined} <= set(sqlite_files)
    assert any(p.name.endswith(".before-restore") for p in sqlite_files)
    for path in written:
        content = path.read_bytes()
        for writer, name in NAMES.items():
            assert name.encode() not in content, f"{writer}'s name found in {path.name}"
    for path in sqlite_files:
        assert cipher.is_encrypted(path), path.name
        assert not _plain_sqlite_reads(path), path.name


def test_the_key_file_is_private_and_holds_no_key_in_the_clear(tmp_path: Path) -> None:
    event = tmp_path / "party.checkin"
    _event(event)
    keys = file_keys.key_file(event)
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    key = file_keys.key_for(event)
    assert key.hex() not in keys.read_text() and key not in keys.read_bytes()


def test_a_copy_elsewhere_is_refused_without_the_passphrase_and_opens_with_it(
    tmp_path: Path,
) -> None:
    event = tmp_path / "party.checkin"
    _event(event)
    assert _count(event) == 1  # this laptop: no passphrase asked
    with another_laptop(tmp_path):
        with pytest.raises(EventFileLocked, match="not authorised"):
            open_database(event)
        with pytest.raises(file_keys.WrongPassphrase):
            file_keys.unlock(event, "a wrong passphrase entirely")
        file_keys.unlock(event, PASSPHRASE)
        assert _count(event) == 1


def test_a_copy_without_its_key_file_opens_nowhere(tmp_path: Path) -> None:
    event = tmp_path / "party.checkin"
    _event(event)
    file_keys.key_file(event).unlink()
    file_keys._known.clear()
    with pytest.raises(EventFileLocked, match="key file"):
        open_database(event)


def test_changing_the_passphrase_rewraps_the_same_key(tmp_path: Path) -> None:
    event = tmp_path / "party.checkin"
    _event(event)
    key = file_keys.key_for(event)
    db = open_database(event)
    try:
        events.set_passphrase(db, "another long passphrase")
    finally:
        db.dispose()
    with another_laptop(tmp_path):
        with pytest.raises(file_keys.WrongPassphrase):
            file_keys.unlock(event, PASSPHRASE)
        assert file_keys.unlock(event, "another long passphrase") == key


def test_authorising_a_laptop_needs_the_passphrase_and_then_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    event = tmp_path / "party.checkin"
    _event(event)
    monkeypatch.delenv("CHECKIN_PASSPHRASE", raising=False)
    with another_laptop(tmp_path):
        assert main(["stats", "--db", str(event)]) != 0
        assert "not authorised" in capsys.readouterr().err
        assert main(["authorise", "--db", str(event), "--passphrase", "wrong one here"]) != 0
        assert main(["authorise", "--db", str(event), "--passphrase", PASSPHRASE]) == 0
        file_keys._known.clear()  # a later run: the laptop key alone opens it
        assert main(["stats", "--db", str(event)]) == 0
    with another_laptop(tmp_path):
        monkeypatch.setenv("CHECKIN_PASSPHRASE", PASSPHRASE)
        assert main(["stats", "--db", str(event)]) == 0  # the passphrase, for this run


def test_a_plain_file_is_encrypted_in_place_when_opened(tmp_path: Path) -> None:
    event, plain = tmp_path / "enc.checkin", tmp_path / "party.checkin"
    _event(event)
    with contextlib.closing(cipher.connect(event)) as connection:  # as older versions left it
        connection.execute(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
        connection.execute("SELECT sqlcipher_export('plain')")
        connection.execute("DETACH DATABASE plain")
    assert _plain_sqlite_reads(plain) and NAMES["walk-up"].encode() in plain.read_bytes()
    assert _count(plain) == 1
    assert cipher.is_encrypted(plain) and not _plain_sqlite_reads(plain)
    assert NAMES["walk-up"].encode() not in plain.read_bytes()
    assert not list(tmp_path.glob("*.before-encrypt*"))  # removed once the file verified
    db = open_database(plain)
    try:
        assert not db.key_has_passphrase()
        from checkin.access import unlocking

        assert unlocking.try_passphrase(db, PASSPHRASE).open
        assert db.key_has_passphrase()  # the organiser's next check wraps the key
    finally:
        db.dispose()


def test_a_plain_file_left_plain_still_gets_encrypted_copies(tmp_path: Path) -> None:
    """The app makes no new plain copies: a file not encrypted yet (another program had it open)
    is backed up encrypted, under a key of the backup's own."""
    event, plain = tmp_path / "enc.checkin", tmp_path / "party.checkin"
    _event(event)
    with contextlib.closing(cipher.connect(event)) as connection:
        connection.execute(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
        connection.execute("SELECT sqlcipher_export('plain')")
        connection.execute("DETACH DATABASE plain")
    db = open_database(plain, encrypt_plain=False)
    try:
        assert not db.encrypted
        made = backup_now(db, tmp_path)
    finally:
        db.dispose()
    assert made.ok and made.path is not None
    assert cipher.is_encrypted(made.path) and not _plain_sqlite_reads(made.path)
    assert NAMES["walk-up"].encode() not in made.path.read_bytes()
    assert _count(made.path) == 1


@pytest.mark.skipif(os.name != "posix", reason="on Windows a file open elsewhere cannot be renamed")
def test_a_plain_file_open_in_another_program_is_left_plain_until_it_is_closed(
    tmp_path: Path,
) -> None:
    """Encrypted under another program's feet, the file it writes to would be the plain one
    set aside: an idle reader elsewhere (which SQLite's own exclusive lock does not notice)
    keeps the file plain until the next open."""
    import subprocess
    import sys

    plain = tmp_path / "party.checkin"
    with contextlib.closing(sqlite3.connect(plain, isolation_level=None)) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, uid TEXT)")
        connection.execute("INSERT INTO events (uid) VALUES ('u1')")
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
                " c.execute('SELECT * FROM events').fetchall(); print('open', flush=True);"
                " sys.stdin.readline()",
                str(plain),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "open"
    from checkin.store.encrypt_file import encrypt_in_place

    try:
        assert not encrypt_in_place(plain) and not cipher.is_encrypted(plain)
    finally:
        holder.communicate("done\n", timeout=30)  # closes its pipes
    assert encrypt_in_place(plain) and cipher.is_encrypted(plain)


def test_an_import_writes_through_the_keyed_connection(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import's rows go to the driver's executemany (checkin/record/seal.insert_rows) under
    a larger page cache (checkin/store/page_cache.py): both on the event's SQLCipher connection,
    so the rows are encrypted like any other."""
    ciphers: list[str] = []
    larger = page_cache.larger_page_cache

    @contextlib.contextmanager
    def noted(session: Session, megabytes: int = page_cache.IMPORT_CACHE_MB) -> Iterator[None]:
        version = session.connection().exec_driver_sql("PRAGMA cipher_version").scalar()
        ciphers.append(str(version or ""))
        with larger(session, megabytes):
            yield

    monkeypatch.setattr(attendees, "larger_page_cache", noted)
    source = tmp_path / "people.csv"
    rows = "".join(f"{NAMES['import']}{n},Rivera,2\n" for n in range(300))
    source.write_text("First name,Last name,Adults\n" + rows)
    assert import_csv(db, source).imported == 300
    assert ciphers and all(ciphers)  # SQLCipher's connection: a plain one has no cipher_version
    assert db.path is not None
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Attendee)) == 300
    db.dispose()
    for path in (db.path, db.path.with_name(db.path.name + "-wal")):
        if path.exists():
            assert NAMES["import"].encode() not in path.read_bytes(), path.name
