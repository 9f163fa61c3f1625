"""Issue 25, item 8: an oversized file is refused before it is read into rows, and a code
drawn twice (40 random bits: likely among a million) is drawn again wherever codes are made.
The time and memory figures are printed by bench/import_scale.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from checkin import codes
from checkin.people import attendees, prereg_file, table_source
from checkin.people.csv_import import ImportRefused, import_csv
from checkin.people.listing import iter_attendees
from checkin.record import audit
from checkin.results import Station
from checkin.store import AllowanceRule, Database, TicketKind
from checkin.store.models import Attendee, ExternalCode
from checkin.ticketing import code_supply, tickets
from tests.helpers.import_samples import SAMPLES


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
        yield REAL(*ARGS[0])


REAL = codes.make_code
ARGS: list[tuple[codes.CodeKind, str, bytes]] = []  # the last call's arguments


def _patch(monkeypatch: pytest.MonkeyPatch, values: Iterator[codes.Code]) -> None:
    def drawn(kind: codes.CodeKind, tag: str, key: bytes) -> codes.Code:
        ARGS[:] = [(kind, tag, key)]
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
    tickets.add_ticket_type(
        db, "Backpack", TicketKind.RESOURCE, rule=AllowanceRule.PER_KID, quantity=1, stock=5
    )
    first = tickets.create_stock(db, "Backpack", 1)[0].code
    _patch(monkeypatch, _repeating(first))
    more = [t.code for t in tickets.create_stock(db, "Backpack", 2)]
    assert first not in more and len(set(more)) == 2


def _households(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "list.csv"
    rows = "".join(f"Person,Number {n},6413{n % 10},{1 + n % 3}\n" for n in range(count))
    path.write_text("First name,Last name,Zip,Adults\n" + rows, encoding="utf-8")
    return path


def test_rows_are_stored_as_they_are_read_each_read_once(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long file is never held as rows: the first chunk is stored before the last row is
    read, and no row is read twice (it used to be read whole, then stored)."""
    monkeypatch.setattr(attendees, "INSERT_CHUNK", 3)
    read: list[int] = []
    real_parse = prereg_file._parse_row
    real_draw = code_supply.fresh_codes  # what attendees imported
    read_at_first_chunk: list[int] = []  # rows read when each chunk's codes are drawn

    def parse(line: int, cells: list[str], ctx: Any) -> Any:
        read.append(line)
        return real_parse(line, cells, ctx)

    def draw(*args: Any) -> list[str]:
        read_at_first_chunk.append(len(read))
        return real_draw(*args)

    monkeypatch.setattr(prereg_file, "_parse_row", parse)
    monkeypatch.setattr(attendees, "fresh_codes", draw)
    report = import_csv(db, _households(tmp_path, 10))
    assert report.imported == 10 and report.parsed.records == 10
    assert read == list(range(2, 12))  # each line once
    assert read_at_first_chunk[0] <= 4  # three rows (and perhaps the next) read, not ten
    assert len(read_at_first_chunk) == 4


def test_a_chunked_import_keeps_the_record_whole(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An audit entry per chunk: the record verifies, and every code and number is distinct."""
    monkeypatch.setattr(attendees, "INSERT_CHUNK", 4)
    report = import_csv(db, _households(tmp_path, 10))
    again = import_csv(db, _households(tmp_path, 10))  # every row the same household again
    people = list(iter_attendees(db))
    assert (report.imported, again.imported, again.duplicates_skipped) == (10, 0, 10)
    assert len({p.code for p in people}) == len({p.number for p in people}) == 10
    checked = audit.verify(db)
    assert checked.ok, checked.problems


def test_a_dry_run_reads_each_row_once(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[int] = []
    real_parse = prereg_file._parse_row

    def parse(line: int, cells: list[str], ctx: Any) -> Any:
        read.append(line)
        return real_parse(line, cells, ctx)

    monkeypatch.setattr(prereg_file, "_parse_row", parse)
    report = import_csv(db, _households(tmp_path, 10), dry_run=True)
    assert (report.imported, read) == (10, list(range(2, 12)))
    assert list(iter_attendees(db)) == []


def test_an_order_export_is_not_held_when_each_order_is_one_row(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An order number column may join rows: the file is read once to see whether orders
    repeat, then stored as it is read again (it used to be held whole)."""
    monkeypatch.setattr(attendees, "INSERT_CHUNK", 3)
    path = tmp_path / "orders.csv"
    rows = "".join(f"{1000 + n},Person,Number {n}\n" for n in range(10))
    path.write_text("Order #,First name,Last name\n" + rows, encoding="utf-8")
    read: list[int] = []
    real_parse = prereg_file._parse_row
    real_draw = code_supply.fresh_codes  # what attendees imported
    read_at_draws: list[int] = []

    def parse(line: int, cells: list[str], ctx: Any) -> Any:
        read.append(line)
        return real_parse(line, cells, ctx)

    def draw(*args: Any) -> list[str]:
        read_at_draws.append(len(read))
        return real_draw(*args)

    monkeypatch.setattr(prereg_file, "_parse_row", parse)
    monkeypatch.setattr(attendees, "fresh_codes", draw)
    report = import_csv(db, path)
    assert (report.imported, report.parsed.grouping) == (10, "row")
    assert read == list(range(2, 12)) * 2
    assert read_at_draws[0] <= 10 + 4  # the second reading: three rows (and the next)


def test_further_codes_of_joined_households_are_kept_across_chunks(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each household joined from several rows keeps its rows' codes, whichever chunk it is
    stored in (the codes are matched to households a chunk at a time)."""
    monkeypatch.setattr(attendees, "INSERT_CHUNK", 1)
    report = import_csv(db, SAMPLES / "pretix-order-positions.csv")
    wanted = {(row.last_name, ref) for row in report.parsed.rows for ref in row.more_refs}
    assert wanted  # the sample joins rows that each carry a secret
    with db.reading() as session:
        stored = set(
            tuple(row)
            for row in session.execute(
                select(Attendee.last_name, ExternalCode.code).join(
                    Attendee, Attendee.id == ExternalCode.attendee_id
                )
            ).all()
        )
    assert stored == wanted
