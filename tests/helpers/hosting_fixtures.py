"""Hosting tests keep their event files in a folder of their own under the system's temporary
folder, closed to others (0700) as a user's own folders are: run as root (CI), the server runs
as a service account whose cluster lives elsewhere (checkin/hosting/server.py), so it never
needs to reach this folder, and hosting must not open it or its parents."""

from __future__ import annotations

import gc
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(name="tmp_path")
def host_tmp_path() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="checkin-host-test-"))  # 0700
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _abandoned_lines_collected() -> Iterator[None]:
    """A station's call given up on a cut line (checkin/hosting/failover.py waits for it a few
    seconds, then lets it go) still holds its server connection; collect it here, inside the
    hosting test that cut the line, rather than let its ResourceWarning land in a later test."""
    yield
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "<psycopg.Connection", ResourceWarning)
        gc.collect()
