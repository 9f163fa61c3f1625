"""Helpers for the tests over tests/data/import/ (written by tests/data/make_import_samples.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from checkin.store import Database
from checkin.store.models import Attendee
from tests.helpers.project_paths import ROOT

SAMPLES = ROOT / "tests" / "data" / "import"


def people(db: Database, *columns: str) -> list[tuple[Any, ...]]:
    """The stored households, in import order: the named Attendee columns of each."""
    wanted = [getattr(Attendee, name) for name in columns]
    with db.reading() as session:
        return [tuple(r) for r in session.execute(select(*wanted).order_by(Attendee.number))]


def total_people(db: Database) -> int:
    return sum(a + k + s for a, k, s in people(db, "adults", "kids", "seniors"))
