"""The real app in a real X window, a code typed by xdotool exactly as a keyboard-wedge scanner
types it. Screenshots of the desk in each banner state go to tests/artifacts/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from checkin.demo import create_demo
from checkin.listing import iter_attendees
from checkin.store import open_database
from checkin.store.models import CheckIn, ScanLog

pytestmark = [pytest.mark.slow, pytest.mark.gui]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
TOOLS = ("Xvfb", "xdotool", "import")


def _free_display() -> int:
    for number in range(91, 140):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture
def display() -> Iterator[str]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"install {', '.join(missing)} (bash .ci/system-deps.sh) for the end-to-end test"
        )
    number = _free_display()
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            pytest.fail("Xvfb did not start")
        time.sleep(0.05)
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def _xdotool(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        ["xdotool", *args], env=env, capture_output=True, text=True, timeout=30, check=True
    )
    return done.stdout.strip()


def _wait_for(condition: object, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


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
        window = _xdotool(env, "search", "--sync", "--onlyvisible", "--name", "checkin")
        assert window, "the main window did not appear"
        _xdotool(env, "windowsize", window.splitlines()[0], "1366", "740")
        time.sleep(1.0)  # let the window settle and the scan field take focus

        def checked_in() -> bool:
            with db.reading() as session:
                return session.query(CheckIn).count() == 1

        _xdotool(env, "type", "--delay", "5", code)
        _xdotool(env, "key", "Return")
        _wait_for(checked_in)
        time.sleep(1.2)  # the counters recount half a second after a change
        success = _screenshot(env, "success")

        time.sleep(2.2)  # past the scanner double-trigger window: a real second scan
        _xdotool(env, "type", "--delay", "5", code)
        _xdotool(env, "key", "Return")

        def scans(state: str) -> bool:
            with db.reading() as session:
                return session.query(ScanLog).filter(ScanLog.state == state).count() == 1

        _wait_for(lambda: scans("already_checked_in"))
        time.sleep(1.2)  # the counters recount half a second after a change
        warning = _screenshot(env, "warning")

        _xdotool(env, "type", "--delay", "5", "WIFI:S:park;T:WPA;P:secret;;")
        _xdotool(env, "key", "Return")
        _wait_for(lambda: scans("not_a_code"))
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
