"""The real app in a real X window under a window manager, a code typed by xdotool exactly as a
keyboard-wedge scanner types it. Screenshots of the desk go to tests/artifacts/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from checkin.demo import create_demo
from checkin.people.listing import iter_attendees
from checkin.store import open_database
from checkin.store.models import CheckIn, ScanLog
from tests.helpers.desktop_session import desktop, scanner, wait_for, xdotool

pytestmark = [pytest.mark.slow, pytest.mark.gui]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
TOOLS = ("Xvfb", "xdotool", "import", "openbox")
SCANNER_DELAY_MS = "8"  # a wedge scanner's pace


@pytest.fixture
def display() -> Iterator[str]:
    with desktop(TOOLS) as name:
        yield name


def _screenshot(env: dict[str, str], name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / f"desk-{name}.png"
    subprocess.run(["import", "-window", "root", str(out)], env=env, check=True, timeout=30)
    return out


def test_a_wedge_scanner_checks_someone_in(display: str, tmp_path: Path) -> None:
    event_file = tmp_path / "party.checkin"
    db = create_demo(event_file, attendees=20)
    code = next(iter_attendees(db)).code
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "HOME": str(tmp_path),  # the app's preferences stay in the test's folder
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "checkin",
            "--db",
            str(event_file),
            "--station",
            "Desk 1",
            "--volunteer",
            "Ana",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        window = xdotool(env, "search", "--sync", "--onlyvisible", "--name", "checkin")
        assert window, "the main window did not appear"
        xdotool(env, "windowsize", window.splitlines()[0], "1366", "740")
        time.sleep(1.0)  # let the window settle and the scan field take focus

        def checked_in() -> bool:
            with db.reading() as session:
                return session.query(CheckIn).count() == 1

        xdotool(env, "type", "--delay", "5", code)
        xdotool(env, "key", "Return")
        wait_for(checked_in)
        time.sleep(1.2)  # the counters recount half a second after a change
        success = _screenshot(env, "success")

        time.sleep(2.2)  # past the scanner double-trigger window: a real second scan
        xdotool(env, "type", "--delay", "5", code)
        xdotool(env, "key", "Return")

        def scans(state: str) -> bool:
            with db.reading() as session:
                return session.query(ScanLog).filter(ScanLog.state == state).count() == 1

        wait_for(lambda: scans("already_checked_in"))
        time.sleep(1.2)  # the counters recount half a second after a change
        warning = _screenshot(env, "warning")

        xdotool(env, "type", "--delay", "5", "WIFI:S:park;T:WPA;P:secret;;")
        xdotool(env, "key", "Return")
        wait_for(lambda: scans("not_a_code"))
        time.sleep(1.2)  # the counters recount half a second after a change
        error = _screenshot(env, "error")
    finally:
        app.terminate()
        output = app.communicate(timeout=20)[0].decode(errors="replace")
    assert app.returncode is not None
    for shot in (success, warning, error):
        assert shot.stat().st_size > 10_000, f"{shot} looks empty"
    check = open_database(event_file)
    with check.reading() as session:
        assert session.query(CheckIn).count() == 1, output
    check.dispose()
    db.dispose()


# --- a scan wherever the focus is ------------------------------------------------------------


def _env(display: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "HOME": str(tmp_path),  # the app's preferences stay in the test's folder
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PYTHONPATH": str(ROOT),
    }


def _cli(env: dict[str, str], event_file: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "checkin", "--db", str(event_file), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def _people(env: dict[str, str], event_file: Path) -> list[dict[str, object]]:
    rows = _cli(env, event_file, "list", "--json", "--passphrase", "demo").splitlines()
    return [json.loads(row) for row in rows if row.strip()]


def _checked_in(env: dict[str, str], event_file: Path) -> set[str]:
    return {str(p["code"]) for p in _people(env, event_file) if p["checked_in_at"]}


def _scan(env: dict[str, str], code: str) -> None:
    scanner(env, code, SCANNER_DELAY_MS)


# Menu titles at the left of the menu bar, in the window's own pixels (the English layout).
MENU_TITLES = {"File": (20, 10), "Station": (66, 10), "View": (117, 10), "Help": (160, 10)}


def _window_named(env: dict[str, str], name: str) -> bool:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", name],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return found.returncode == 0 and bool(found.stdout.strip())


def test_scans_land_as_scans_wherever_the_focus_is(display: str, tmp_path: Path) -> None:
    """Walk-up form open, a search result selected, a menu open, the undo question open: each
    scan checks in the scanned person, and nobody else (issue 12)."""
    event_file = tmp_path / "party.checkin"
    env = _env(display, tmp_path)
    _cli(env, event_file, "demo", "--attendees", "20")
    everyone = _people(env, event_file)
    codes = [str(p["code"]) for p in everyone]
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "checkin",
            "--db",
            str(event_file),
            "--station",
            "Desk 1",
            "--volunteer",
            "Ana",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    shots: list[Path] = []
    expected: set[str] = set()

    def scanned(code: str) -> None:
        expected.add(code)
        wait_for(lambda: _checked_in(env, event_file) == expected, 20)

    try:
        window = xdotool(env, "search", "--sync", "--onlyvisible", "--name", "checkin")
        main = window.splitlines()[0]
        xdotool(env, "windowactivate", "--sync", main)
        xdotool(env, "windowfocus", "--sync", main)
        time.sleep(1.5)  # the scan field takes the focus

        # 1. The walk-up form (F2) open: the scan is a scan, the form closes, no walk-up.
        xdotool(env, "key", "F2")
        wait_for(lambda: _window_named(env, "Walk-up"))
        time.sleep(0.5)
        shots.append(_screenshot(env, "walkup-open"))
        _scan(env, codes[0])
        scanned(codes[0])
        wait_for(lambda: not _window_named(env, "Walk-up"))
        assert len(_people(env, event_file)) == len(everyone)  # no "Guest #" registered
        time.sleep(1.0)
        shots.append(_screenshot(env, "walkup-scanned"))

        # 2. A search typed by a person, a result selected: the scan is someone else's.
        xdotool(env, "key", "Escape")
        xdotool(env, "type", "--delay", "150", "#3")  # not checked in: must stay so
        time.sleep(1.5)
        xdotool(env, "key", "Down")
        time.sleep(0.3)
        shots.append(_screenshot(env, "search-selected"))
        _scan(env, codes[5])
        scanned(codes[5])

        # 3. A menu open (View, whose H is high contrast), opened with the mouse as people do
        # (Alt+V is also the desk's Volunteer label).
        x, y = MENU_TITLES["View"]
        xdotool(env, "mousemove", "--window", main, str(x), str(y), "click", "1")
        time.sleep(0.8)
        shots.append(_screenshot(env, "menu-open"))
        _scan(env, codes[6])
        scanned(codes[6])
        time.sleep(1.0)
        shots.append(_screenshot(env, "menu-scanned"))

        # 4. The undo question (Ctrl+Z) open: the scanner's Enter must not answer Yes.
        xdotool(env, "key", "ctrl+z")
        wait_for(lambda: _window_named(env, "^Undo$"))
        time.sleep(0.5)
        shots.append(_screenshot(env, "undo-question"))
        _scan(env, codes[7])
        scanned(codes[7])
        assert _window_named(env, "^Undo$")  # still asking
        time.sleep(0.5)
        shots.append(_screenshot(env, "undo-question-scanned"))
        xdotool(env, "key", "Escape")  # the volunteer answers No
        wait_for(lambda: not _window_named(env, "^Undo$"))
        time.sleep(1.0)
        assert _checked_in(env, event_file) == expected  # nothing undone
        stats = _cli(env, event_file, "stats")
    finally:
        app.terminate()
        output = app.communicate(timeout=20)[0].decode(errors="replace")
    assert "households checked in: 4 (of 20 registered)" in stats, output
    assert "walk-ups:              0" in stats
    for shot in shots:
        assert shot.stat().st_size > 10_000, f"{shot} looks empty"


def test_the_title_bars_close_asks_once_anyone_is_checked_in(display: str, tmp_path: Path) -> None:
    """Alt+F4 (or the title bar's X) from the window manager is the same slip of the hand as
    Ctrl+Q: before anyone is checked in the desk closes at once; after, it asks, and the
    default answer (Enter, a scanner's too) keeps it open (found by a tester)."""
    event_file = tmp_path / "party.checkin"
    env = _env(display, tmp_path)
    _cli(env, event_file, "demo", "--attendees", "5")
    code = str(_people(env, event_file)[0]["code"])
    command = [sys.executable, "-m", "checkin", "--db", str(event_file)]
    command += ["--station", "Desk 1", "--volunteer", "Ana"]

    def launch() -> tuple[subprocess.Popen[bytes], str]:
        app = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        window = xdotool(env, "search", "--sync", "--onlyvisible", "--name", "checkin")
        main = window.splitlines()[0]
        xdotool(env, "windowactivate", "--sync", main)
        time.sleep(1.5)  # the scan field takes the focus
        return app, main

    app, main = launch()
    try:  # nobody checked in yet: closes with no question
        xdotool(env, "key", "--window", main, "alt+F4")
        app.wait(timeout=20)
    finally:
        if app.poll() is None:
            app.kill()
    app, main = launch()
    try:
        _scan(env, code)
        wait_for(lambda: _checked_in(env, event_file) == {code}, 20)
        xdotool(env, "windowactivate", "--sync", main)
        xdotool(env, "key", "alt+F4")
        wait_for(lambda: _window_named(env, "Close the desk"), 20)
        shot = _screenshot(env, "close-asked")
        xdotool(env, "key", "Return")  # the default: keep it open
        time.sleep(1.0)
        assert app.poll() is None, "the desk closed although the answer was Keep it open"
        assert not _window_named(env, "Close the desk")
        assert shot.exists()
    finally:
        app.terminate()
        app.wait(timeout=20)
