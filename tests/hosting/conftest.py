"""Hosting tests keep their event files in a folder of their own under the system's temporary
folder: run as root (CI), the server runs as a service account that must reach the folder, and
pytest keeps its own base folder closed to others (mode 0700, reset by every pytest run)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def tmp_path() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="checkin-host-test-"))
    folder.chmod(0o711)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
