"""Why a write failed, named from what SQLite and the system really answer."""

from __future__ import annotations

import errno
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from checkin.cli import main
from checkin.errors import Failure, describe, failure_of
from checkin.store import cipher, create_db_engine


def sqlite_error(path: Path, statement: str, *, uri: bool = False) -> Exception:
    try:
        # closing(): a sqlite3 connection's own `with` commits but never closes.
        with closing(cipher.connect(str(path), timeout=0, uri=uri)) as connection:
            connection.execute(statement)
    except cipher.ERRORS as exc:
        return exc
    raise AssertionError(f"{statement} did not fail")


@pytest.fixture
def event_file(tmp_path: Path) -> Path:
    path = tmp_path / "event.checkin"
    with closing(cipher.connect(path)) as connection:
        connection.execute("CREATE TABLE t (x)")
    return path


def test_a_file_another_program_holds_is_busy(event_file: Path) -> None:
    holder = cipher.connect(event_file, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        exc = sqlite_error(event_file, "INSERT INTO t VALUES (1)")
    finally:
        holder.close()
    assert failure_of(exc) is Failure.BUSY
    assert describe(exc).startswith("the event file is busy")


def test_a_full_disk(event_file: Path) -> None:
    engine = create_db_engine(f"sqlite:///{event_file}")
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        connection.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(OperationalError) as raised:
            connection.execute(text("INSERT INTO t VALUES (:x)"), [{"x": "x" * 5000}] * 5)
    engine.dispose()
    assert failure_of(raised.value) is Failure.DISK_FULL
    assert describe(raised.value) == ("the disk is full: free some space and try again")
    assert failure_of(OSError(errno.ENOSPC, "No space left on device")) is Failure.DISK_FULL


def test_a_read_only_file(event_file: Path) -> None:
    exc = sqlite_error(Path(f"file:{event_file}?mode=ro"), "INSERT INTO t VALUES (1)", uri=True)
    assert failure_of(exc) is Failure.READ_ONLY
    assert failure_of(OSError(errno.EROFS, "Read-only file system")) is Failure.READ_ONLY


def test_a_damaged_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.checkin"
    junk.write_bytes(b"this is a spreadsheet, not an event file " * 200)
    exc = sqlite_error(junk, "SELECT * FROM sqlite_master")
    assert failure_of(exc) is Failure.DAMAGED
    assert "restore the latest backup" in describe(exc)


def test_a_file_whose_drive_is_gone(tmp_path: Path) -> None:
    exc = sqlite_error(tmp_path / "unplugged" / "event.checkin", "SELECT 1")
    assert failure_of(exc) is Failure.UNREACHABLE
    assert failure_of(OSError(errno.EIO, "Input/output error")) is Failure.IO_ERROR


def test_other_failures_keep_their_own_line() -> None:
    assert failure_of(ValueError("adults must be a number")) is Failure.OTHER
    assert describe(ValueError("adults must be a number")) == "adults must be a number"
    missing = FileNotFoundError(errno.ENOENT, "No such file or directory", "guests.csv")
    assert failure_of(missing) is Failure.OTHER
    assert describe(missing) == "No such file or directory: guests.csv"
    assert describe(RuntimeError("boom")) == "unexpected error: RuntimeError: boom"


def test_a_server_url_without_the_postgresql_driver_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As in the app bundle and the plain `pip install -e .`: psycopg is the [postgres] extra.
    import builtins

    real_import = builtins.__import__

    def no_psycopg(name: str, *args: object, **kwargs: object) -> object:
        if name.split(".")[0] == "psycopg":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_psycopg)
    for module in [m for m in sys.modules if m.split(".")[0] == "psycopg"]:
        monkeypatch.delitem(sys.modules, module)
    assert main(["--db-url", "postgresql+psycopg://u:p@127.0.0.1:1/x", "stats"]) == 2
    err = capsys.readouterr().err
    assert "PostgreSQL driver" in err and "checkin[postgres]" in err
    assert "unexpected error" not in err
