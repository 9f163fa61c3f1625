"""Issue 25, item 8: an oversized file is refused before it is read into rows, and a code
drawn twice (40 random bits: likely among a million) is drawn again wherever codes are made.
The time and memory figures are printed by tests/bench/import_scale.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from import_samples import SAMPLES

from checkin import attendees, codes, tickets
from checkin.csv_import import ImportRefused, import_csv
from checkin.listing import iter_attendees
from checkin.people import table_source
from checkin.results import Station
from checkin.store import Database


def test_too_many_rows_are_refused_up_front(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(table_source, "MAX_ROWS", 5)
    path = tmp_path / "big.csv"
    path.write_text("Name\n" + "".join(f"Person {n}\n" for n in range(10)), encoding="utf-8")
    with pytest.raises(ImportRefused, match="about 12 rows; an import takes at most 5"):
        import_csv(db, path, dry_run=True)
    with pytest.raises(ImportRefused, match="at most 5"):
        import_csv(db, SAMPLES / "paper-signin.ods")
    assert list(iter_attendees(db)) == []


def _repeating(first: str) -> Iterator[codes.Code]:
    """The given code twice, then fresh ones."""
    yield codes.Code(codes.CodeKind(first[0]), first)
    yield codes.Code(codes.CodeKind(first[0]), first)
    while True:
        yield REAL(*ARGS)


REAL = codes.make_code
ARGS: list[object] = []


def _patch(monkeypatch: pytest.MonkeyPatch, values: Iterator[codes.Code]) -> None:
    def drawn(kind: codes.CodeKind, tag: str, key: bytes) -> codes.Code:
        ARGS[:] = [kind, tag, key]
        return next(values)

    monkeypatch.setattr(codes, "make_code", drawn)


def test_an_import_draws_again_for_a_code_drawn_twice_or_taken(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    walk_up = attendees.register(db, Station("Desk 1"), first_name="Ana").code
    _patch(monkeypatch, _repeating(walk_up))
    # The first draw is the walk-up's code, the second the same again: both drawn anew.
    report = import_csv(db, SAMPLES / "paper-signin.ods")
    made = [row.code for row in iter_attendees(db)]
    assert report.imported == 8
    assert len(made) == len(set(made)) == 9


def test_a_walk_up_draws_again_for_a_taken_code(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = attendees.register(db, Station("Desk 1"), first_name="Ana").code
    _patch(monkeypatch, _repeating(first))
    second = attendees.register(db, Station("Desk 1"), first_name="Bo").code
    assert second != first  # it used to fail on the unique code


def test_stock_draws_again_for_a_taken_code(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    tickets.add_ticket_type(db, "Backpack", "resource", rule="per_kid", quantity=1, stock=5)
    first = tickets.create_stock(db, "Backpack", 1)[0].code
    _patch(monkeypatch, _repeating(first))
    more = [t.code for t in tickets.create_stock(db, "Backpack", 2)]
    assert first not in more and len(set(more)) == 2
