from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from desk_helpers import isolate_settings


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path) -> Iterator[None]:
    """No GUI test reads or writes the user's real preferences."""
    isolate_settings(tmp_path / "settings")
    yield
