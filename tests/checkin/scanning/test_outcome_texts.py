"""Each scan outcome is a state and typed values; its English (the CLI's, the log's) is worded
from those alone, in checkin/scanning/texts.py (issue 22, items 3 and 4)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import select

from checkin.results import (
    CheckInParams,
    NotSavedParams,
    OutcomeParams,
    PrizeParams,
    ScanResult,
    ScanState,
    Station,
    StationMode,
    TicketParams,
    Why,
)
from checkin.scanning import ScanEngine, texts
from checkin.store import Database
from checkin.store.models import Attendee, Ticket

ENGINE = Path(__file__).resolve().parents[3] / "checkin" / "scanning" / "engine.py"


def _answers(db: Database) -> list[ScanResult]:
    """A spread of outcomes: check-ins, repeats, tickets at the desk and at stations, prize
    table answers, garbage."""
    engine = ScanEngine(db, debounce_seconds=0)
    with db.reading() as session:
        people = list(session.scalars(select(Attendee.code).order_by(Attendee.id).limit(4)))
    desk = Station("Desk")
    answers = [engine.scan(code, desk) for code in people]
    answers += [engine.scan(people[0], desk), engine.scan("", desk), engine.scan("hello", desk)]
    with db.reading() as session:
        held = list(session.scalars(select(Ticket.code).where(Ticket.attendee_id.is_not(None))))
    for mode in StationMode:
        station = Station(f"{mode} station", mode)
        answers += [engine.scan(code, station) for code in held[:6]]
        answers += [engine.scan(code, station) for code in people[:2]]
    return answers


def test_every_message_is_worded_from_its_state_and_values(demo_db: Database) -> None:
    answers = _answers(demo_db)
    states = {answer.state for answer in answers}
    assert len(states) >= 6, states  # the spread really spreads
    for answer in answers:
        assert answer.message == texts.english(answer.state, answer.params, answer.input)


def test_each_family_of_outcomes_carries_its_own_values(demo_db: Database) -> None:
    families: dict[ScanState, type[OutcomeParams]] = {
        ScanState.CHECKED_IN: CheckInParams,
        ScanState.ALREADY_CHECKED_IN: CheckInParams,
        ScanState.REDEEMED: TicketParams,
        ScanState.NOT_VALID_HERE: TicketParams,
        ScanState.NOT_A_WINNER: PrizeParams,
        ScanState.PRIZE_CLAIMED: PrizeParams,
    }
    for answer in _answers(demo_db):
        if answer.state in families:
            assert type(answer.params) is families[answer.state], answer
    # Frozen: an answer kept by the desk (to word it again later) cannot change under it.
    params = CheckInParams(name="Guest #3")
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.name = "x"  # type: ignore[misc]


def test_the_english_of_outcomes_no_scan_here_produced() -> None:
    """Outcomes the demo spread does not reach, worded as the command line printed them."""
    assert texts.english(ScanState.NOT_A_CODE, OutcomeParams(), "") == "Nothing was scanned"
    failed = NotSavedParams(failure="disk_full", detail="the disk is full")
    assert texts.english(ScanState.NOT_SAVED, failed) == "NOT saved: the disk is full."
    entitled = TicketParams(name="Ana Diaz", type="Meal", why=Why.DESK, left=2)
    assert (
        texts.english(ScanState.ENTITLED, entitled)
        == "Ana Diaz is not checked in: send them to the desk first"
    )
    used = TicketParams(type="Meal", why=Why.ALL_USED, used=2, when="14:03", where="Tent")
    assert (
        texts.english(ScanState.ALREADY_REDEEMED, used) == "All 2 Meal used (last at 14:03 at Tent)"
    )


def test_the_engine_words_nothing_itself() -> None:
    """Every result is made by engine.outcome, which asks texts.english for its words."""
    source = ENGINE.read_text(encoding="utf-8")
    assert source.count("ScanResult(") == 1
    assert "Welcome" not in source and "ticket No." not in source
