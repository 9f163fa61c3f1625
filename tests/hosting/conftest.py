"""Hosting tests keep their event files in a folder of their own under the system's temporary
folder: run as root (CI), the server runs as a service account that must reach the folder, and
pytest keeps its own base folder closed to others (mode 0700, reset by every pytest run)."""

from __future__ import annotations

import gc
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def tmp_path() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="checkin-host-test-"))
    folder.chmod(0o711)
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
