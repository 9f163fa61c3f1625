"""The organiser passphrase on the command line: every command that shows, copies or removes
personal data refuses to run without it (one line, exit 2, nothing printed or written)."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from checkin import raffle
from checkin.access.caller_pin import set_caller_pin
from checkin.cli import main
from checkin.people import attendees
from checkin.results import Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import AttendeeSource, TicketKind
from checkin.ticketing import tickets
from tests.helpers.calls import noted
from tests.helpers.event_files import open_new
from tests.helpers.project_paths import PREREG_DATA

PIN = "4321"

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
    "import": lambda db, out: ["import", "--db", db, str(PREREG_DATA / "prereg-google-forms.csv")],
    "paper-kit": lambda db, out: ["paper-kit", "--db", db, "--out", str(out / "kit.pdf")],
    "badges --names": lambda db, out: [
        "badges", "--db", db, "--out", str(out / "b.pdf"), "--names",
    ],
    # Issue 23: a badge's code, scanned, named its person; these name people or run the raffle.
    "badges": lambda db, out: ["badges", "--db", db, "--out", str(out / "plain.pdf")],
    "tickets": lambda db, out: [
        "tickets", "--db", db, "--attendee", _rosa(db), "--out", str(out / "t.pdf"),
    ],
    "person": lambda db, out: ["person", "--db", db, _rosa(db)],
    "person --set": lambda db, out: ["person", "--db", db, _rosa(db), "--set", "kids=2"],
    "draw": lambda db, out: ["draw", "--db", db],
    "redraw": lambda db, out: ["redraw", "--db", db, "--prize", "Bike", "--after-minutes", "0"],
    "prize add": lambda db, out: ["prize", "add", "--db", db, "--name", "Kite"],
    "prize list": lambda db, out: ["prize", "list", "--db", db],
    "prize remove": lambda db, out: ["prize", "remove", "--db", db, "--name", "Zoo pass"],
    "raffle-rules": lambda db, out: ["raffle-rules", "--db", db],
}  # fmt: skip
# Open to the raffle caller's PIN as well (as the app's raffle screen is).
CALLER = ("draw", "redraw", "prize add", "prize list", "prize remove", "raffle-rules")

OPEN: dict[str, Callable[[str, Path], list[str]]] = {
    "stats": lambda db, out: ["stats", "--db", db],
    "scan": lambda db, out: ["scan", "--db", db, "--station", "Desk", "nothing"],
    "export --anonymous": lambda db, out: [
        "export", "--db", db, "--out", str(out / "anon"), "--anonymous",
    ],
}  # fmt: skip


def _rosa(db: str) -> str:
    return (Path(db).parent / "rosa").read_text()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small event with the passphrase "secret", and a backup and a station copy of it in
    ``out``: made once, copied for each test."""
    from checkin.event import events

    folder = tmp_path_factory.mktemp("template")
    db = open_new(folder / "event.checkin")
    events.create_event(db, "Test Party", passphrase="secret")
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, issue_at_checkin=True)
    rosa = attendees.register(
        db, first_name="Rosa", last_name="Ruiz", source=AttendeeSource.PREREG
    ).code
    for code in (rosa, *(attendees.register(db, adults=1).code for _ in range(3))):
        ScanEngine(db).scan(code, Station("Desk", StationMode.DESK))
    raffle.add_prize(db, "Bike")
    raffle.add_prize(db, "Zoo pass")
    raffle.add_prize(db, "Ball")
    raffle.draw(db, "Bike")
    set_caller_pin(db, PIN)
    db.dispose()
    (folder / "rosa").write_text(rosa)
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
    monkeypatch.setattr(getpass, "getpass", lambda prompt: noted(asked, prompt, "secret"))
    assert main(["list", "--db", event]) == 0
    assert asked == ["Organiser passphrase: "]
    assert "Rosa" in capsys.readouterr().out


@pytest.mark.parametrize("name", CALLER)
def test_raffle_commands_open_to_the_caller_pin(
    name: str,
    event: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As in the app: the raffle caller's PIN runs the raffle, a wrong one does not."""
    monkeypatch.delenv("CHECKIN_PASSPHRASE", raising=False)
    args = LOCKED[name](event, tmp_path / "out")
    assert main([*args, "--pin", "1234"]) == 2
    assert "passphrase" in capsys.readouterr().err
    assert main([*args, "--pin", PIN]) == 0
    assert capsys.readouterr().out


def test_the_pin_opens_nothing_but_the_raffle(
    event: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHECKIN_CALLER_PIN", PIN)
    monkeypatch.delenv("CHECKIN_PASSPHRASE", raising=False)
    assert main(["list", "--db", event]) == 2
    assert "Rosa" not in capsys.readouterr().out
