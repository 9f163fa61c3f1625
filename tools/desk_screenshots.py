"""Remake the README's desk screenshots as a volunteer sees them: the real app under Xvfb at
1366x768 with openbox and a 40-pixel taskbar, a person checked in by a simulated scanner
(xdotool types the code and Enter), captured with ImageMagick's `import`.

    python tools/desk_screenshots.py [--out docs/img]

Needs Xvfb, openbox, xdotool and ImageMagick (Debian: xvfb openbox xdotool imagemagick).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISPLAY = ":57"
TASKBAR = 40
# A dark bar along the bottom, and openbox told to keep maximised windows above it.
BAR = """
import sys
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
bar = QLabel("  taskbar (40 px)")
bar.setStyleSheet("background: #2b2b2b; color: #dddddd; font-size: 15px;")
bar.setWindowFlags(Qt.WindowType.X11BypassWindowManagerHint | Qt.WindowType.FramelessWindowHint)
bar.setGeometry(0, 768 - 40, 1366, 40)
bar.show()
app.exec()
"""
OPENBOX_RC = f"""<?xml version="1.0"?>
<openbox_config xmlns="http://openbox.org/3.4/rc">
  <margins><top>0</top><bottom>{TASKBAR}</bottom><left>0</left><right>0</right></margins>
  <applications><application class="*"><maximized>yes</maximized></application></applications>
</openbox_config>
"""


def _run(env: dict[str, str], *args: str) -> str:
    return subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout


def shoot(out: Path, name: str, language: str, theme: str) -> Path:
    with tempfile.TemporaryDirectory(prefix="checkin-shots-") as scratch:
        home = Path(scratch)
        env = {**os.environ, "DISPLAY": DISPLAY, "HOME": str(home)}
        env["XDG_CONFIG_HOME"] = str(home / ".config")
        env["XDG_DATA_HOME"] = str(home / ".local" / "share")
        config = home / ".config" / "checkin"
        config.mkdir(parents=True)
        (config / "checkin.conf").write_text(
            f"[General]\nlanguage={language}\ntheme={theme}\n", encoding="utf-8"
        )
        rc = home / "openbox-rc.xml"
        rc.write_text(OPENBOX_RC, encoding="utf-8")
        party = home / "party.checkin"
        checkin = [sys.executable, "-m", "checkin"]
        subprocess.run([*checkin, "demo", "--db", str(party)], env=env, check=True)
        people = _run(env, *checkin, "list", "--db", str(party), "--passphrase", "demo")
        # The third demo household (a senior and an adult): its code ends the line.
        code = [line.split()[-1] for line in people.splitlines() if line.startswith("#")][2]
        screen = ["-screen", "0", "1366x768x24", "-nolisten", "tcp"]
        server = subprocess.Popen(["Xvfb", DISPLAY, *screen])
        helpers: list[subprocess.Popen[bytes]] = []
        try:
            time.sleep(1)
            helpers.append(subprocess.Popen(["openbox", "--config-file", str(rc)], env=env))
            helpers.append(subprocess.Popen([sys.executable, "-c", BAR], env=env))
            time.sleep(1)
            app = subprocess.Popen(  # a relative path: the title bar shows "party.checkin"
                [*checkin, "--db", party.name, "--station", "Front table", "--volunteer", "Ana"],
                env={**env, "PYTHONPATH": str(ROOT)},
                cwd=home,
            )
            helpers.append(app)
            deadline = time.monotonic() + 30
            while not _window(env):
                if time.monotonic() > deadline:
                    raise SystemExit("the app's window did not appear")
                time.sleep(0.3)
            time.sleep(2)  # laid out, maximised, the scan field focused
            _run(env, "xdotool", "type", "--delay", "8", code)
            _run(env, "xdotool", "key", "Return")
            time.sleep(2)  # the answer, the card and its QR code
            target = out / name
            _run(env, "import", "-window", "root", str(target))
            return target
        finally:
            for process in reversed(helpers):
                process.terminate()
                process.wait(timeout=10)
            server.terminate()
            server.wait(timeout=10)


def _window(env: dict[str, str]) -> bool:
    found = subprocess.run(
        ["xdotool", "search", "--name", "checkin"], env=env, capture_output=True, text=True
    )
    return bool(found.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, language, theme in (
        ("desk-en.png", "en", "default"),
        ("desk-es-high-contrast.png", "es", "high-contrast"),
    ):
        print(shoot(args.out, name, language, theme))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
