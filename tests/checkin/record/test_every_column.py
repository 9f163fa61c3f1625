"""Every column of every table is decided: sealed into the record, or exempt with its reason in
checkin/record/exempt.py. Derived from the schema, so a new column fails here until decided."""

from __future__ import annotations

from checkin.record.exempt import ANY_TABLE, EXEMPT, reason
from checkin.record.images import TRACKED
from checkin.store.models import Base


def _sealed() -> set[str]:
    return {f"{t.table}.{name}" for t in TRACKED for name in t.columns()}


def _schema() -> list[str]:
    return [f"{t.name}.{c.name}" for t in Base.metadata.sorted_tables for c in t.columns]


def test_every_column_is_sealed_or_exempt() -> None:
    sealed = _sealed()
    undecided = [
        name for name in _schema() if name not in sealed and reason(*name.split(".")) is None
    ]
    assert not undecided, f"neither sealed nor exempt (checkin/record/exempt.py): {undecided}"


def test_no_column_is_both_sealed_and_exempt() -> None:
    both = [name for name in sorted(_sealed()) if reason(*name.split(".")) is not None]
    assert not both, both


def test_each_exemption_names_a_real_column_and_one_line_reason() -> None:
    schema = set(_schema())
    for name, why in EXEMPT.items():
        assert name in schema, f"{name} is exempt but not in the schema"
        assert why.strip() and "\n" not in why, name
    assert all(why.strip() and "\n" not in why for why in ANY_TABLE.values())


def test_the_tables_the_issue_names_are_sealed() -> None:
    """Issue 23's list: what changes the figures and the raffle is in the record."""
    sealed = _sealed()
    for name in (
        "attendees.adults",
        "attendees.zip_code",
        "attendees.heard_about",
        "attendees.number",
        "paper_tallies.count",
        "merged_files.source_uid",
        "events.secret_key",
        "events.tag",
        "ticket_types.name",
        "ticket_types.kind",
        "prizes.name",
        "events.raffle_one_win_per",
        *(f"tickets.{c.name}" for c in Base.metadata.tables["tickets"].columns if c.name != "id"),
    ):
        assert name in sealed, name
