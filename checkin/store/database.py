"""Opening an event file: engine settings, schema migrations and short transactions.

Writes use ``BEGIN IMMEDIATE`` on SQLite so two processes never both read and then race to
write; a busy database is waited for (busy timeout) and retried, never shown as an error.
Durability: WAL with ``synchronous=FULL``, so a transaction that returned from commit survives
a killed process or a power cut.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    Result,
    create_engine,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from checkin.private_files import create_private
from checkin.store import cipher, file_keys, held_files, session_events, sqlite_file, wal_owner
from checkin.store.models import Base, Event
from checkin.store.revisions import HEAD, REVISIONS

T = TypeVar("T")
log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from alembic.config import Config

    from checkin.store.scan_tx import ScanTx

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000
# A bounded write-ahead log: checkpointed into the file every 64 pages (about three check-ins)
# and cut back to 256 KB afterwards, so on a small USB stick the event file itself, not its
# log, fills the medium (an unbounded log filled a 2 MB stick after 22 check-ins).
WAL_CHECKPOINT_PAGES = 64
WAL_SIZE_LIMIT = 256 * 1024
SCAN_TIMEOUT_S = 10.0  # a server that has not answered a scan by then is treated as gone
WRITE_RETRIES = 5
# A station on Wi-Fi: notice a vanished server within seconds, not minutes of TCP retries, so a
# scan says NOT saved at once instead of freezing the desk.
PG_CONNECT_ARGS = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 3,
    "keepalives_count": 3,
    "tcp_user_timeout": 10000,
}


# On a server, every write transaction takes the event row first, as BEGIN IMMEDIATE takes
# SQLite's write lock: writes never interleave, so what a write read stays true until it commits.
WRITE_LOCK = select(Event.id).with_for_update()


REPLACED_LOOKS = 5  # reads of a changed header before it counts as another file
# A file's times are trusted to show a change only once they are this much older than the look
# that noted them (FAT keeps modification times to 2 s); and only where the change time moves
# with every write (not on Windows, where st_ctime is the creation time).
_RACY_NS = 3_000_000_000
_CTIME_MOVES = os.name == "posix"


class EventFileError(Exception):
    """An event file that cannot be used; the message is one clear line for a person."""


class EventFileGone(OSError):
    """The path no longer names the file this app has open (deleted, replaced, or its drive
    unmounted): a write to the open file would be lost, so it is not acknowledged."""

    def __init__(self, path: Path) -> None:
        super().__init__(errno.ENODEV, f"The event file is gone or was replaced: {path}")


class EventFileReplaced(EventFileGone):
    """Another file was copied over the open event file (the same inode, new content): what
    the app writes from now on would be lost or would damage the file, so nothing more is
    acknowledged."""

    def __init__(self, path: Path) -> None:
        OSError.__init__(
            self, errno.ENODEV, f"Another file was copied over the event file while open: {path}"
        )


_HEADER = 100  # SQLite's file header
_DAMAGE_WORDS = ("malformed", "not a database", "corrupt", "disk i/o error")
_MAGIC = b"SQLite format 3\x00"


def _counter(header: bytes) -> int:
    """The header's file change counter: SQLite moves it on with every change of page 1 that
    reaches the file; a file copied over an older one usually has another, often smaller."""
    return int.from_bytes(header[24:28], "big")


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


class DamagedFile(EventFileError):
    """An event file whose pages are damaged: refused when opened, not halfway through the
    event. The caller words it (naming the latest backup, in the volunteer's language)."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path, self.problem = path, problem.strip()[:120]
        super().__init__(f"{path.name} is damaged ({self.problem}): it was not opened")


def url_for(path: str | Path) -> str:
    text = str(path)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


class Database:
    """One open event file (or PostgreSQL database) and its session factory."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sessions = session_events.factory(engine)  # with this app's listeners
        self._write_engine = engine.execution_options(checkin_write=True)
        self._writer = session_events.factory(self._write_engine)
        self._opened = _file_id(self.path) if self.path is not None else None
        self._scans: Engine | None = None
        # The file's header as this app last saw it after its own commit (confirm_file).
        self._held: tuple[held_files.Key, int] | None = None  # its descriptor (held_files.py)
        self._header: bytes | None = None
        # The file's stat at that moment, when it can stand for the header: the path's own
        # stat then answers "unchanged" without reading the file (see _unchanged).
        self._seen: os.stat_result | None = None
        self._settled = False  # its times were old enough then to show any later write
        self._token: int | None = None  # this session's token (wal_owner.py), once written
        self._event_uid: str | None = None
        self._replaced = False
        # A -wal/-shm that opening moved aside, not being the file's own (wal_owner.py).
        self.set_aside: tuple[Path, ...] = ()
        self._claimed = not self.is_sqlite or self._opened is None  # wal_owner.py
        self.encrypted = False  # a SQLite file opened with its data key (cipher.py)
        if self._opened is not None:
            self._header = self._read_header()

    def wrap_key(self, passphrase: str | None) -> None:
        """The file's data key wrapped by the organiser passphrase (None: by none), so a copy
        of the file opens anywhere with it (checkin/store/file_keys.py)."""
        if self.encrypted and self.path is not None:
            file_keys.set_passphrase(self.path, passphrase)

    def key_has_passphrase(self) -> bool:
        """Whether the file's key is wrapped by a passphrase (or the file is not encrypted)."""
        if not self.encrypted or self.path is None:
            return True
        return file_keys.has_passphrase(self.path)

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        database = self.engine.url.database
        return Path(database) if self.is_sqlite and database else None

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only snapshot; it never blocks writers (WAL)."""
        with self._sessions() as session:
            yield session
            session.rollback()

    def write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one write transaction and commit it; retried when the file is busy.

        Returns only after the commit, so whatever the caller shows is on disk.
        """

        def attempt() -> T:
            with self._faults(), self._writer.begin() as session:
                if not self.is_sqlite:
                    session.execute(WRITE_LOCK).first()
                result = work(session)
                session.flush()
                if not self._claimed:
                    self._claim(session.connection().connection.driver_connection)
                self.confirm_file()
            self._committed()
            return result

        return _retry_busy(attempt)

    def scan_write(self, work: Callable[[ScanTx], T]) -> T:
        """One scan's write transaction (checkin/store/scan_tx.py). On SQLite the statements run
        on a bare connection after BEGIN IMMEDIATE; on a server they are pipelined behind the
        event row lock, with no pre-ping (the connection monitor watches the server), and a
        connection the server dropped is replaced once, before anything of the scan was sent
        beyond its reads."""
        if self.is_sqlite:
            with self._faults():
                return _retry_busy(lambda: self._on_sqlite(work))
        return _retry_busy(lambda: self._pipelined(work, retry=True))

    @contextlib.contextmanager
    def _faults(self) -> Iterator[None]:
        """A failed write that SQLite words as damage ("malformed") while the drive itself
        fails to read the file is the drive's fault: raised as the I/O error it is, so nobody
        restores a backup over an intact file (seen after a USB stick's I/O failure)."""
        try:
            yield
        except (DBAPIError, sqlite3.Error, cipher.Error) as exc:
            text = str(getattr(exc, "orig", exc)).lower()
            if self.path is not None and any(w in text for w in _DAMAGE_WORDS):
                failed = self._read_error()
                if failed is not None:
                    raise OSError(
                        errno.EIO, f"The drive failed to read the event file: {failed}"
                    ) from exc
            raise

    def _read_error(self) -> str | None:
        """Why reading the file's first page fails now, or None when it reads."""
        assert self.path is not None
        try:
            held_files.pread(self._descriptor(), 4096, 0)
        except OSError as exc:
            return exc.strerror or str(exc)
        return None

    def _on_sqlite(self, work: Callable[[ScanTx], T]) -> T:
        """A pooled connection straight, without SQLAlchemy's connection and transaction
        objects: on a scan they cost more than SQLite's own work."""
        from checkin.store.scan_tx import SqliteTx

        pooled = self.engine.pool.connect()  # the engine's pragmas were set when it was made
        try:
            driver = cast("sqlite3.Connection", pooled.driver_connection)
            _on_driver(driver, "BEGIN IMMEDIATE")
            try:
                result = work(SqliteTx(driver, self.engine.dialect))
                if not self._claimed:
                    self._claim(driver)
                self.confirm_file()
                _on_driver(driver, "COMMIT")
                self._committed()
            except BaseException:
                if driver.in_transaction:
                    driver.execute("ROLLBACK")
                raise
            return result
        finally:
            pooled.close()

    def _pipelined(self, work: Callable[[ScanTx], T], *, retry: bool) -> T:
        from checkin.store.scan_tx import PipelineTx

        with self._scan_engine().connect() as connection, _Watchdog(connection):
            tx = PipelineTx(connection)
            try:
                tx.begin()
                tx.read(WRITE_LOCK)
                result = work(tx)
                tx.commit()  # the writes and COMMIT travel together
                return result
            except DBAPIError:
                driver = connection.connection.driver_connection
                if getattr(driver, "broken", False) or getattr(driver, "closed", False):
                    connection.invalidate()
                    if retry and not tx.wrote:  # a connection the server dropped meanwhile
                        return self._pipelined(work, retry=False)
                else:
                    tx.rollback()
                raise
            except BaseException:
                tx.rollback()
                raise

    def _scan_engine(self) -> Engine:
        """Connections for scans only: in pipeline mode for life (checkin/store/scan_tx.py),
        no pre-ping, and no reset when returned (each scan ends its own transaction)."""
        if self._scans is None:
            from checkin.store.scan_tx import enter_pipeline, leave_pipeline

            engine = create_engine(
                self.engine.url,
                pool_pre_ping=False,
                pool_reset_on_return=None,
                pool_size=2,
                connect_args=dict(PG_CONNECT_ARGS),
            )
            event.listen(
                engine, "connect", lambda driver, record: enter_pipeline(driver, record.info)
            )
            for closing in ("close", "invalidate"):
                event.listen(
                    engine, closing, lambda driver, record, *_: leave_pipeline(driver, record.info)
                )
            self._scans = engine
        return self._scans

    def confirm_file(self) -> None:
        """Raise EventFileGone unless the path still names the file opened (same device and
        inode), and EventFileReplaced when another file was copied over it. Called before
        every commit: SQLite keeps writing to a deleted file's open handle, and to a file
        copied over, and those scans would be lost. Costs one stat while nothing but this
        session's own log changed (the file itself only changes at checkpoints)."""
        if self._opened is None or self.path is None:
            return
        try:
            found = os.stat(self.path)
        except OSError:
            found = None
        if found is None or (found.st_dev, found.st_ino) != self._opened:
            raise EventFileGone(self.path)
        if self._replaced:
            raise EventFileReplaced(self.path)
        if self._settled and self._unchanged(found):
            return
        header = self._read_header()
        if header is None or header == self._header:
            self._note_seen(found)
            return  # nothing changed the file's header since this app's last commit
        # Another process's checkpoint can be caught half written (its pages, its header, the
        # event row unreadable for a moment): a file copied over this one stays so, a
        # checkpoint settles. Look again a few times before saying "replaced" (test_race:
        # four processes on one file got a false NOT saved).
        for attempt in range(REPLACED_LOOKS):
            if self._still_this_file(header):
                self._header = header  # another connection's checkpoint (another app)
                self._seen = None
                return
            if attempt + 1 < REPLACED_LOOKS:
                time.sleep(0.02)
                header = self._read_header()
                if header is None or header == self._header:
                    return
        self._replaced = True
        raise EventFileReplaced(self.path)

    def _unchanged(self, found: os.stat_result) -> bool:
        """The same size and times as at this app's last look. That proves the file unchanged
        only when ``_settled``: the change time moves with every write and cannot be set
        (POSIX; on Windows st_ctime is the creation time, and a copy keeps the modification
        time), and the look came well after the last write (timestamps are coarse, 2 s on FAT:
        a write in the same tick leaves them as they were)."""
        seen = self._seen
        return (
            seen is not None
            and found.st_size == seen.st_size
            and found.st_mtime_ns == seen.st_mtime_ns
            and found.st_ctime_ns == seen.st_ctime_ns
        )

    def _note_seen(self, found: os.stat_result) -> None:
        self._seen = found
        settled = time.time_ns() - max(found.st_mtime_ns, found.st_ctime_ns) > _RACY_NS
        self._settled = _CTIME_MOVES and settled

    def _descriptor(self) -> int:
        """The file's descriptor, held for the process while this session has the file open
        (checkin/store/held_files.py: closing one drops the process's SQLite locks)."""
        assert self.path is not None
        if self._held is None:
            self._held = held_files.hold(self.path)
        return self._held[1]

    def _read_header(self) -> bytes | None:
        """The file's first 100 bytes, read through the held descriptor (one pread: about a
        microsecond)."""
        assert self.path is not None
        try:
            fd = self._descriptor()
            assert self._held is not None
            if self._held[0] != self._opened:
                return None  # replaced between the stat and the open: the stat catches it
            # The header, and the last page: a file of the same schema and size copied over
            # this one has the same header, but not the same rows at its end.
            size = os.fstat(fd).st_size
            header = held_files.pread(fd, _HEADER, 0)
            page = int.from_bytes(header[16:18], "big") or 65536
            last = held_files.pread(fd, page, max(0, size - page)) if size > _HEADER else b""
            return header + size.to_bytes(8, "big") + last
        except OSError:
            return None

    def _claim(self, driver: Any) -> None:
        """In this session's first write transaction: the token tying its log to this file
        (checkin/store/wal_owner.py), committed with the transaction's own changes."""
        assert self.path is not None
        token = wal_owner.new_token(self.path)
        if token is not None:
            cast("sqlite3.Connection", driver).execute(f"PRAGMA user_version = {token}")
            self._token = token

    def _committed(self) -> None:
        """After this app's own commit: its header (a checkpoint may have moved it on)."""
        self._claimed = True
        if self._opened is not None and self.path is not None and not self._replaced:
            try:
                found: os.stat_result | None = os.stat(self.path)
            except OSError:
                found = None
            if found is not None and self._unchanged(found):
                # No checkpoint: the file is as the check before the commit read it. (Should a
                # write in the same clock tick hide behind equal times, the next check reads
                # the file anyway: those times are not settled.)
                return
            self._header = self._read_header()
            if found is not None:
                self._note_seen(found)
            if self._event_uid is None:  # read now, while the file is known to be this one
                with contextlib.suppress(DBAPIError, cipher.Error):
                    self._own_event_uid()

    def _still_this_file(self, header: bytes) -> bool:
        """The header moved on since this app's last commit: a checkpoint made by another
        connection moves the change counter forward in the same event's file; a file copied
        over it is another event, or an older copy (a smaller counter), or no SQLite file."""
        if self._header is None or not self._header.startswith(_MAGIC):
            return True  # nothing seen yet to compare with (a new file's pages still in its log)
        if not header.startswith(_MAGIC) or header[16:18] != self._header[16:18]:
            return False
        if _counter(header) < _counter(self._header):
            return False
        if self._owned(header):
            return True  # a session of this file checkpointed: no need to open it
        found = self._file_event_uid()
        return found == "" or found == self._event_uid or self._event_uid is None

    def _owned(self, header: bytes) -> bool:
        """The header holds this session's token, or another session's of this file (listed
        beside it: checkin/store/wal_owner.py). Cheaper than opening the file for its event."""
        token = int.from_bytes(header[60:64], "big", signed=True)
        if token == 0:
            return False  # a file that no session claimed yet: ask the file itself
        if token == self._token:
            return True
        assert self.path is not None
        return token in (wal_owner.owners(self.path) or ())

    def _file_event_uid(self) -> str | None:
        """The event uid in the file as it stands on disk (its log left out): "" when the
        event's row is still only in the log, None when the file is not a readable database."""
        assert self.path is not None
        try:
            with contextlib.closing(cipher.connect(self.path, immutable=True)) as connection:
                row = connection.execute("SELECT uid FROM events LIMIT 1").fetchone()
        except cipher.UNREADABLE:
            return None
        return str(row[0]) if row else ""

    def _own_event_uid(self) -> str | None:
        if self._event_uid is None:
            with self.reading() as session:
                self._event_uid = session.scalar(select(Event.uid))
        return self._event_uid

    def dispose(self) -> None:
        if self._scans is not None:
            self._scans.dispose()
        self.engine.dispose()
        if self._held is not None:  # after the connections: their locks are gone with them
            held_files.release(self._held[0])
            self._held = None
        # Connections opened from now on open whatever the path names (a restored file).
        if self.path is not None:
            found = _file_id(self.path) or self._opened
            if found != self._opened:
                self._claimed = False  # another file now (restored): its log needs a token
            self._opened = found
            self._header, self._replaced, self._seen = None, False, None


class _Watchdog:
    """Cuts a scan's server connection that has not answered within SCAN_TIMEOUT_S.

    A server that stops answering while the line stays up (a hung host, a proxy or access point
    that still acknowledges packets) would keep the scan waiting for ever: TCP's own timeouts
    only fire for data nobody acknowledges. Shutting the socket down makes the driver fail at
    once, so the scan says NOT saved (the server is unreachable) and the next one reconnects.
    """

    def __init__(self, connection: Connection) -> None:
        self._driver: Any = connection.connection.driver_connection
        self._timer = threading.Timer(SCAN_TIMEOUT_S, self._cut)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def _cut(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            line = socket.socket(fileno=os.dup(self._driver.fileno()))
            try:
                line.shutdown(socket.SHUT_RDWR)
            finally:
                line.close()  # the copy only: the driver notices its own is dead


def _retry_busy(attempt: Callable[[], T]) -> T:
    # SQLite's busy handler already waits up to the busy timeout inside each attempt; the
    # retries are for the busy errors it returns at once. Either way a held file gives up after
    # about the busy timeout (not five times it), so the desk hears "not saved" soon.
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    for number in range(WRITE_RETRIES):
        try:
            return attempt()
        except OperationalError as exc:
            last = number == WRITE_RETRIES - 1 or time.monotonic() >= deadline
            if not _is_busy(exc) or last:
                raise
            time.sleep(0.05 * (number + 1))
    raise AssertionError("unreachable")


def changed_rows(result: Result[Any]) -> int:
    """Rows an UPDATE touched: how exactly-once state changes know who won."""
    return cast("CursorResult[Any]", result).rowcount


def _is_busy(exc: DBAPIError) -> bool:
    return "locked" in str(exc.orig).lower() or "busy" in str(exc.orig).lower()


def create_db_engine(url: str, key: bytes | None = None) -> Engine:
    """An engine with the pragmas and transaction behaviour the services rely on; a SQLite
    file's connections are SQLCipher's, keyed with ``key`` (checkin/store/cipher.py)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True, connect_args=dict(PG_CONNECT_ARGS))
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(
        url, module=cipher.driver, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}
    )

    @event.listens_for(engine, "do_connect")
    def _keyed(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        connection = cipher.driver.connect(*cargs, **cparams)
        cipher.apply_key(connection, key)  # before SQLAlchemy or anyone reads the file
        return connection

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so BEGIN IMMEDIATE is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        cursor.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get("checkin_write", False)
        # Straight to the driver: this runs with every scan, and SQLAlchemy's statement
        # machinery cost more than the BEGIN itself.
        _on_driver(connection.connection.driver_connection, "BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _on_driver(driver: sqlite3.Connection, statement: str) -> None:
    """BEGIN or COMMIT straight to the driver, failing as SQLAlchemy would (busy retries see it)."""
    try:
        driver.execute(statement)
    except cipher.ERRORS as exc:  # as SQLAlchemy would have raised it: busy retries see it
        raise OperationalError(statement, None, exc) from exc


def alembic_config(url: str) -> Config:
    from alembic.config import Config  # only to create or upgrade a file: not on a plain open

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def known_revisions() -> frozenset[str]:
    """Every schema revision this version of checkin knows (a newer app's file has another)."""
    return frozenset(REVISIONS)


def file_revision(path: Path) -> tuple[set[str], str | None]:
    """The tables and schema revision of a SQLite file, read without writing to it (read-only,
    and never switched to WAL). Raises one of cipher.ERRORS when it cannot be read, and
    file_keys.KeyNeeded when it is encrypted for others."""
    connection = cipher.connect(path, read_only=True)
    try:
        tables = {
            str(row[0])
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        revision = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = str(row[0]) if row else None
    finally:
        connection.close()
    return tables, revision


def _refuse_foreign(path: Path) -> None:
    """Refuse another application's database before anything writes to it: opening an event
    file switches it to WAL, which rewrites the file's header."""
    header = held_files.read(path, 20)  # not opened and closed here: held_files.py
    if header[18:20] == b"\x02\x02":
        return  # in WAL mode already: opening it changes nothing (the schema check follows)
    try:
        tables, revision = file_revision(path)
    except cipher.ERRORS:
        return  # damaged or unreadable: the integrity check says so
    if not tables:
        return
    if "events" not in tables or "alembic_version" not in tables:
        raise EventFileError(
            f"{path.name} is not a checkin event file (another application's database);"
            " it was not changed"
        )
    if revision not in known_revisions():
        raise EventFileError(
            "This event file was made by a newer version of checkin; please update the app"
        )


def head_revision() -> str:
    return HEAD


def open_database(
    location: str | Path,
    *,
    create: bool = False,
    check_integrity: bool = True,
    keys_from: Path | None = None,
    encrypt_plain: bool = True,
) -> Database:
    """Open an event file, upgrading an older one after a backup copy; refuse foreign ones.

    ``location`` is a file path or a database URL. With ``create``, a missing (or empty) file is
    created at the current schema. A damaged file is refused (EventFileError naming the
    latest backup) unless ``check_integrity`` is False (`checkin verify` lists the damage).
    A new file is encrypted with a new data key, or (``keys_from``) that encrypted file's key:
    a file that replaces it later opens as it did (checkin/store/file_keys.py). An existing
    plain file is encrypted in place first (``encrypt_plain``: checkin/store/encrypt_file.py).
    """
    url = url_for(location)
    parsed = make_url(url)
    sqlite_path: Path | None = None
    existing_file = False
    set_aside: list[Path] = []
    key: bytes | None = None
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        sqlite_path = Path(parsed.database)
        if not sqlite_path.exists() or sqlite_path.stat().st_size == 0:
            if not create:
                raise EventFileError(f"No event file at {sqlite_path}")
            if not sqlite_path.parent.is_dir():
                raise EventFileError(f"Folder does not exist: {sqlite_path.parent}")
            # A log left by a file that was here would be applied to the new one.
            set_aside += sqlite_file.set_aside_stale_companions(sqlite_path)
            # Private from the start: SQLite gives its -wal and -shm files the same mode.
            create_private(sqlite_path)
            key = _new_key(sqlite_path, keys_from)  # every new event file is encrypted
        else:
            _readable_event_file(sqlite_path)
            _refuse_foreign(sqlite_path)
            # A log written for another file (this one was replaced or copied over after a
            # crash) is set aside before SQLite applies it (checkin/store/wal_owner.py).
            try:
                set_aside += wal_owner.set_aside_foreign_log(sqlite_path)
            except OSError as exc:
                raise EventFileError(f"Cannot set aside a log file: {exc}") from exc
            existing_file = True
            if encrypt_plain and not cipher.is_encrypted(sqlite_path):
                # Made before files were encrypted: encrypted now (checkin/store/encrypt_file.py).
                from checkin.store.encrypt_file import encrypt_in_place

                encrypt_in_place(sqlite_path)
            key = _key_of(sqlite_path)
    for stale in set_aside:
        log.warning("a -wal/-shm that was not the event file's own was moved aside: %s", stale)
    engine = create_db_engine(url, key)
    try:
        if check_integrity and existing_file and sqlite_path is not None:
            problem = sqlite_file.quick_check(engine)
            if problem is not None:
                raise DamagedFile(sqlite_path, problem)
        _prepare_schema(engine, url, sqlite_path, create=create)
    except EventFileError:
        engine.dispose()
        raise
    except OperationalError as exc:
        engine.dispose()
        folder = sqlite_path.parent if sqlite_path is not None else None
        if folder is not None and not os.access(folder, os.W_OK):
            # WAL needs its companion files next to the event file, even to read it.
            raise EventFileError(
                f"The folder {folder} is read-only (a write-protected USB stick or an archive):"
                " copy the event file to this computer first"
            ) from exc
        raise EventFileError(f"Cannot open the event file: {exc.orig}") from exc
    db = Database(engine)
    db.set_aside = tuple(set_aside)
    db.encrypted = key is not None
    if sqlite_path is not None:
        from checkin.store.backups import clean_after_killed_copies  # backups imports this

        for removed in clean_after_killed_copies(db):
            log.warning("a copy left by a killed backup was removed: %s", removed)
    return db


class EventFileLocked(EventFileError):
    """An encrypted event file this laptop holds no key for: the organiser passphrase opens it
    (file_keys.unlock) or authorises this laptop (file_keys.authorise)."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        super().__init__(problem)


def _new_key(path: Path, keys_from: Path | None) -> bytes:
    if keys_from is not None and cipher.is_encrypted(keys_from):
        file_keys.copy_keys(keys_from, path)
        return file_keys.key_for(path)
    return file_keys.new_key(path)


def _key_of(path: Path) -> bytes | None:
    try:
        return cipher.key_for(path)
    except file_keys.KeyNeeded as exc:
        raise EventFileLocked(path, str(exc)) from exc


def _readable_event_file(path: Path) -> None:
    try:
        sqlite = sqlite_file.has_sqlite_header(path)
    except OSError as exc:
        raise EventFileError(f"Cannot read {path}: {exc.strerror}") from exc
    if not sqlite:
        raise EventFileError(f"{path.name} is not a checkin event file (not a SQLite database)")


def _prepare_schema(engine: Engine, url: str, sqlite_path: Path | None, *, create: bool) -> None:
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        current = None
        if "alembic_version" in tables:
            current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if current == HEAD:
        return  # the everyday open: nothing to migrate
    from alembic import command

    config = alembic_config(url)
    if current is None:
        if tables - {"alembic_version"}:
            raise EventFileError("This database is not a checkin event file (unknown tables)")
        if not create:
            raise EventFileError("This database has no event in it yet")
        Base.metadata.create_all(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.stamp(config, "head")
        return
    if current not in REVISIONS:
        raise EventFileError(
            "This event file was made by a newer version of checkin; please update the app"
        )
    if sqlite_path is not None:
        backup = sqlite_path.with_name(
            f"{sqlite_path.stem}.before-upgrade-{datetime.now():%Y%m%d-%H%M%S}{sqlite_path.suffix}"
        )
        sqlite_file.online_copy(engine, backup)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
