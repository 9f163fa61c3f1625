"""Files that are not this version's event files are left exactly as they were: another
application's database is not switched to WAL, and a newer version's backup is not restored."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkin.cli import main
from checkin.store import Database, cipher


def other_apps_database(path: Path) -> bytes:
    connection = cipher.connect(path)
    connection.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    connection.execute("INSERT INTO contacts VALUES ('Rosa', '816 555 0199')")
    connection.commit()
    connection.close()
    return path.read_bytes()


@pytest.mark.parametrize("command", [["list"], ["stats"], ["verify"], ["scan", "--station", "x"]])
def test_another_apps_database_is_not_changed_by_opening_it(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "contacts.db"
    before = other_apps_database(other)
    assert before[18:20] == b"\x01\x01"  # a rollback-journal database
    assert main([command[0], "--db", str(other), *command[1:]]) != 0
    out, err = capsys.readouterr()
    assert "not a checkin event file" in out + err
    assert other.read_bytes() == before  # header bytes and all
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.db"]  # no -wal, no -shm


def test_restore_refuses_a_backup_made_by_a_newer_version(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok = "--passphrase", "secret"
    backup = tmp_path / "newer.checkin"
    assert main(["backup", "--db", str(db_path), "--out", str(backup), *ok]) == 0
    connection = cipher.connect(backup)
    connection.execute("UPDATE alembic_version SET version_num = 'f00dfacefeed'")
    connection.commit()
    connection.close()
    db.dispose()
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    capsys.readouterr()
    assert main(["restore", "--db", str(db_path), "--from", str(backup), *ok]) == 1
    err = capsys.readouterr().err
    assert "newer version" in err and "nothing was restored" in err
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    assert after.keys() == before.keys()  # no .before-restore
    assert after["event.checkin"] == before["event.checkin"]
