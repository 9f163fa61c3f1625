"""The after-event tests' event: known people, check-ins at known local times (Chicago)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from checkin.store import Database
from tests.helpers.after_event import Built, build_event, central_time


@pytest.fixture
def event(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Built]:
    with central_time(monkeypatch):
        yield build_event(db)
