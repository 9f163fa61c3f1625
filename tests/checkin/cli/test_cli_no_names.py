"""No command leaks a name without the passphrase (issue 23): every subcommand the parser has,
run without the organiser passphrase on an event with people in it, prints and writes no name
of the event: not on standard output or error, not in a file it writes (a PDF's text too), not in
checkin.log. The commands come from the parser itself, so a new command is checked here."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from checkin.cli import build_parser, main
from checkin.demo import populate
from checkin.event.events import create_event
from checkin.people import attendees
from checkin.raffle import draw
from checkin.results import ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import AttendeeSource
from checkin.ticketing import tickets
from tests.helpers.event_files import open_new
from tests.helpers.project_paths import ROOT

PASSPHRASE = "correct horse battery staple"
PEOPLE = (
    ("Wilhelmina", "Quartermaine"),
    ("Sofía", "Zyxwell"),
    ("Bartholomew", "Oakenshield"),
    ("Ximena", "Featherstonehaugh"),
)
NAMES = tuple(part for person in PEOPLE for part in person)
# Commands not run here, each with its reason.
NOT_RUN = {
    "host": "serves the event until stopped (tests/checkin/hosting); its lock is hosting's",
}

SAMPLES = ROOT / "tests" / "data" / "import"  # the repository's own files (no ../shared)

Value = Callable[[dict[str, str], Path], list[str]]
# A value for each argument a command requires, by its dest: the codes of the event's people
# where a command takes a code (the likeliest way to a name).
VALUES: dict[str, Value] = {
    "out": lambda k, out: ["--out", str(out / "written.pdf")],
    "backup": lambda k, out: ["--from", k["backup"]],
    "name": lambda k, out: ["--name", "Prize or event"],
    "file": lambda k, out: [str(SAMPLES / "eventbrite-attendees.csv")],
    "attendee": lambda k, out: ["--attendee", k["person"]],
    "code": lambda k, out: [k["person"]],  # checkin person CODE
    "type": lambda k, out: ["--type", "Raffle"],
    "codes": lambda k, out: [k["person"], k["ticket"], k["other"]],
    "station": lambda k, out: ["--station", "Desk 1"],
    "count": lambda k, out: ["--count", "2"],
    "campaign": lambda k, out: ["--campaign", "Oak Street"],
    "prize": lambda k, out: ["--prize", "Kids' bicycle"],
    "files": lambda k, out: [k["station_copy"]],
    "image": lambda k, out: [],
}
# Where an option changes what a command shows, it runs once more with it.
VARIANTS: dict[str, list[str]] = {
    "scan --mode prize": ["--mode", "prize"],
    "scan --mode resource": ["--mode", "resource", "--redeem", "Meal"],
    "list --json": ["--json"],
    "raffle-log --pools": ["--pools", "--json"],
    "draw --json": ["--json"],
    "stations --json": ["--json"],
    "stats --json": ["--json"],
    "export --anonymous": ["--anonymous"],
    "person --set": ["--set", "kids=2"],
}


def _commands() -> Iterator[tuple[str, argparse.ArgumentParser]]:
    def walk(parser: argparse.ArgumentParser, prefix: str) -> Iterator[tuple[str, Any]]:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    nested = any(isinstance(a, argparse._SubParsersAction) for a in sub._actions)
                    if nested:
                        yield from walk(sub, f"{prefix}{name} ")
                    else:
                        yield f"{prefix}{name}", sub

    yield from walk(build_parser(), "")


def _argv(
    command: str, parser: argparse.ArgumentParser, keys: dict[str, str], out: Path
) -> list[str]:
    argv = command.split()
    for action in parser._actions:
        required = action.required or (not action.option_strings and action.nargs != "?")
        if not required or isinstance(action, argparse._HelpAction):
            continue
        assert action.dest in VALUES, f"{command}: give a value for its --{action.dest}"
        argv += VALUES[action.dest](keys, out)
    return [*argv, "--db", keys["db"]] if "--db" in _options(parser) else argv


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {s for a in parser._actions for s in a.option_strings}


def _cases() -> list[tuple[str, list[str]]]:
    cases: list[tuple[str, list[str]]] = [
        (name, []) for name, _ in _commands() if name not in NOT_RUN
    ]
    known = {name for name, _ in cases}
    for variant, extra in VARIANTS.items():
        assert variant.split(" --")[0] in known, variant
        cases.append((variant, extra))
    return cases


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An event with a passphrase and people (distinctive names), some checked in, a prize
    drawn, a backup and a station copy beside it."""
    folder = tmp_path_factory.mktemp("names")
    path = folder / "event.checkin"
    db = open_new(path)
    try:
        create_event(db, "Block Party", passphrase=PASSPHRASE)
        populate(db, attendees=0)
        codes = [
            attendees.register(
                db, first_name=first, last_name=last, source=AttendeeSource.PREREG
            ).code
            for first, last in PEOPLE
        ]
        engine = ScanEngine(db)
        for code in codes[:3]:
            assert engine.scan(code, Station("Desk 1", StationMode.DESK)).state is (
                ScanState.CHECKED_IN
            )
        draw(db, "Kids' bicycle")
        held = attendees.get_attendee(db, codes[0])
        assert held is not None
        ticket = next(t.code for t in held.tickets if t.type_name == "Meal")
        tickets.create_stock(db, "Raffle", 1)
    finally:
        db.dispose()
    keys = {"person": codes[3], "other": codes[1], "ticket": ticket}
    ok = ["--passphrase", PASSPHRASE]
    assert main(["backup", "--db", str(path), "--out", str(folder / "kept.checkin"), *ok]) == 0
    station = ["--out", str(folder / "desk-2.checkin"), "--station", "desk-2"]
    assert main(["station-copy", "--db", str(path), *station, *ok]) == 0
    (folder / "keys").write_text("\n".join(f"{k}={v}" for k, v in keys.items()))
    return folder


def _text(path: Path) -> str:
    """What a file says: a PDF's text as a reader sees it, other files as bytes."""
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        done = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, timeout=60, check=True
        )
        return done.stdout.decode("utf-8", "replace")
    return data.decode("utf-8", "replace")


@pytest.mark.parametrize(("command", "extra"), _cases(), ids=[c for c, _ in _cases()])
def test_no_command_shows_a_name_without_the_passphrase(
    command: str,
    extra: list[str],
    template: Path,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "event"
    shutil.copytree(template, folder)
    home = tmp_path / "home"
    for variable, where in (("HOME", ""), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "c")):
        monkeypatch.setenv(variable, str(home / where))
    monkeypatch.delenv("CHECKIN_PASSPHRASE", raising=False)
    monkeypatch.delenv("CHECKIN_CALLER_PIN", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    keys = dict(line.split("=", 1) for line in (folder / "keys").read_text().splitlines())
    keys |= {
        "db": str(folder / "event.checkin"),
        "backup": str(folder / "kept.checkin"),
        "station_copy": str(folder / "desk-2.checkin"),
    }
    out = tmp_path / "out"
    out.mkdir()
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}
    parsers = dict(_commands())
    name = command.split(" --")[0]
    argv = _argv(name, parsers[name], keys, out) + extra
    capfd.readouterr()
    with contextlib.suppress(SystemExit):  # an argparse refusal is a one-line answer too
        main(argv)
    printed = "".join(capfd.readouterr())
    shown = [n for n in NAMES if n in printed]
    assert not shown, f"`{' '.join(argv)}` printed {shown}:\n{printed}"
    # Every file written or changed, except the event's own files (the data itself)
    own = {"event.checkin", "kept.checkin", "desk-2.checkin"}
    for root in (out, folder, home):
        for path in root.rglob("*") if root.exists() else ():
            if not path.is_file() or path.name.split("-wal")[0].split("-shm")[0] in own:
                continue
            if path in before and before[path] == path.stat().st_mtime_ns:
                continue
            if path.read_bytes().startswith(b"SQLite format 3"):
                continue  # a copy of the event file (a backup before a change): the data itself
            written = [n for n in NAMES if n in _text(path)]
            assert not written, f"`{' '.join(argv)}` wrote {written} into {path}"
