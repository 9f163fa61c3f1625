"""The organiser passphrase on the command line: every command that shows, copies or removes
personal data refuses to run without it (one line, exit 2, nothing printed or written)."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from project_paths import SHARED_DATA

from checkin import attendees
from checkin.cli import main

# Each locked command, given the event file and a folder for what it writes.
LOCKED: dict[str, Callable[[str, Path], list[str]]] = {
    "list": lambda db, out: ["list", "--db", db],
    "list --json": lambda db, out: ["list", "--db", db, "--json"],
    "export": lambda db, out: ["export", "--db", db, "--out", str(out / "export")],
    "backup": lambda db, out: ["backup", "--db", db, "--out", str(out / "b.checkin")],
    "restore": lambda db, out: ["restore", "--db", db, "--from", str(out / "kept.checkin")],
    "station-copy": lambda db, out: [
        "station-copy", "--db", db, "--out", str(out / "s.checkin"), "--station", "desk-2",
    ],
    "merge": lambda db, out: ["merge", "--db", db, str(out / "kept-station.checkin")],
    "purge": lambda db, out: ["purge", "--db", db, "--confirm", "PURGE Test Party"],
    "import": lambda db, out: ["import", "--db", db, str(SHARED_DATA / "prereg-google-forms.csv")],
    "paper-kit": lambda db, out: ["paper-kit", "--db", db, "--out", str(out / "kit.pdf")],
    "badges --names": lambda db, out: [
        "badges", "--db", db, "--out", str(out / "b.pdf"), "--names",
    ],
}  # fmt: skip

OPEN: dict[str, Callable[[str, Path], list[str]]] = {
    "stats": lambda db, out: ["stats", "--db", db],
    "scan": lambda db, out: ["scan", "--db", db, "--station", "Desk", "nothing"],
    "export --anonymous": lambda db, out: [
        "export", "--db", db, "--out", str(out / "anon"), "--anonymous",
    ],
    "badges": lambda db, out: ["badges", "--db", db, "--out", str(out / "plain.pdf")],
}  # fmt: skip


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small event with the passphrase "secret", and a backup and a station copy of it in
    ``out``: made once, copied for each test."""
    from checkin import events
    from checkin.store import open_database

    folder = tmp_path_factory.mktemp("template")
    db = open_database(folder / "event.checkin", create=True)
    events.create_event(db, "Test Party", passphrase="secret")
    attendees.register(db, first_name="Rosa", last_name="Ruiz", source="prereg")
    db.dispose()
    out = folder / "out"
    out.mkdir()
    path, ok = str(folder / "event.checkin"), ("--passphrase", "secret")
    assert main(["backup", "--db", path, "--out", str(out / "kept.checkin"), *ok]) == 0
    station = str(out / "kept-station.checkin")
    assert main(["station-copy", "--db", path, "--out", station, "--station", "x", *ok]) == 0
    return folder


@pytest.fixture
def event(template: Path, tmp_path: Path) -> str:
    shutil.copytree(template, tmp_path, dirs_exist_ok=True)
    return str(tmp_path / "event.checkin")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and its content's digest (-shm left out: shared memory)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith("-shm")
    }


@pytest.mark.parametrize("name", sorted(LOCKED))
@pytest.mark.parametrize("given", ["none", "wrong"])
def test_locked_commands_refuse_without_the_passphrase(
    name: str,
    given: str,
    event: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    capsys.readouterr()
    before = snapshot(tmp_path)
    args = LOCKED[name](event, tmp_path / "out")
    monkeypatch.delenv("CHECKIN_PASSPHRASE", raising=False)
    if given == "wrong":  # on the command line for some, in the environment for others
        if len(name) % 2:
            args += ["--passphrase", "Secret"]
        else:
            monkeypatch.setenv("CHECKIN_PASSPHRASE", "Secret")
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "passphrase" in err
    assert snapshot(tmp_path) == before  # nothing written, nothing removed


@pytest.mark.parametrize("name", sorted(LOCKED))
def test_locked_commands_run_with_the_passphrase(
    name: str,
    event: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CHECKIN_PASSPHRASE", "secret")
    assert main(LOCKED[name](event, tmp_path / "out")) == 0
    assert capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(OPEN))
def test_counts_scans_and_anonymous_exports_need_no_passphrase(
    name: str,
    event: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CHECKIN_PASSPHRASE", raising=False)
    assert main(OPEN[name](event, tmp_path / "out")) == 0
    assert capsys.readouterr().out


def test_the_passphrase_is_asked_on_a_terminal(
    event: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass
    import sys

    asked: list[str] = []
    monkeypatch.delenv("CHECKIN_PASSPHRASE", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda prompt: asked.append(prompt) or "secret")
    assert main(["list", "--db", event]) == 0
    assert asked == ["Organiser passphrase: "]
    assert "Rosa" in capsys.readouterr().out
