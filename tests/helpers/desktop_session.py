"""A desktop of its own for an end-to-end test: an Xvfb screen the size of the volunteers'
laptops, with openbox on it (without a window manager no window is ever active, so focus,
activation, dialogs and Qt's window shortcuts do not behave as on a laptop)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

SCREEN = "1366x768x24"


@contextmanager
def desktop(tools: tuple[str, ...]) -> Iterator[str]:
    """The DISPLAY of a fresh Xvfb with openbox running; both stopped afterwards. Xvfb picks a
    free display number itself (-displayfd), so tests running side by side never share one."""
    missing = [tool for tool in ("Xvfb", "openbox", *tools) if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"install {', '.join(missing)} (bash .ci/system-deps.sh)")
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", SCREEN, "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    number = server.stdout.readline().strip()  # written once the screen accepts clients
    if not number.isdigit():
        server.kill()
        server.wait(timeout=10)
        pytest.fail("Xvfb did not start")
    display = f":{number}"
    manager = subprocess.Popen(
        ["openbox"],
        env={**os.environ, "DISPLAY": display},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)  # openbox takes over the screen before the first window maps
    try:
        yield display
    finally:
        manager.terminate()
        manager.wait(timeout=10)
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()


def xdotool(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        ["xdotool", *args], env=env, capture_output=True, text=True, timeout=30, check=True
    )
    return done.stdout.strip()


def scanner(env: dict[str, str], code: str, delay_ms: str = "8") -> None:
    """A keyboard-wedge scanner: the code, then Enter, typed by one xdotool at a raised
    priority. A scanner is hardware: its keys come at its own pace however busy the laptop is,
    while an ordinary xdotool on a loaded machine stalls between keys (24 codes of 150 came
    in two pieces at load 13, which no scanner does)."""
    subprocess.run(
        ["xdotool", "type", "--delay", delay_ms, code + "\n"],  # a newline types Return
        env=env,
        capture_output=True,
        timeout=30,
        check=True,
        preexec_fn=_raised_priority,
    )


def _raised_priority() -> None:
    with contextlib.suppress(OSError):  # not root: as it is
        os.nice(-10)


def wait_for(condition: Callable[[], object], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting")
