"""Undo's question and answers, and the end-of-shift summary, in the volunteer's language."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from checkin import undo
from checkin.people import attendees
from checkin.results import ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.stations.shift import shift_summary
from checkin.store import AllowanceRule, Database, TicketKind
from checkin.store.models import utcnow
from checkin.ticketing import tickets
from ui.desk.shift_text import shift_text
from ui.desk.undo_texts import outcome_text, question, undone_detail

pytestmark = pytest.mark.gui

DESK = Station("Desk 1")
MEAL = Station("Meal tent", StationMode.RESOURCE, "Meal")


@pytest.fixture
def meal_redeemed(db: Database) -> str:
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE, issue_at_checkin=True)
    engine = ScanEngine(db)
    checked = engine.scan(attendees.register(db, DESK, first_name="Rosa").code, DESK)
    meal = checked.issued[0].code
    assert engine.scan(meal, MEAL).state is ScanState.REDEEMED
    return meal


def test_english_words_come_from_the_parts(db: Database, meal_redeemed: str) -> None:
    preview = undo.last_action(db, "Meal tent")
    assert preview is not None
    assert question(preview) == "Undo the redemption of Meal ticket No. 1?"
    tickets.void_ticket(db, meal_redeemed)
    refused = undo.undo_last(db, MEAL)
    assert outcome_text(refused) == (
        "Cannot undo the redemption of Meal ticket No. 1: the ticket is now cancelled"
    )
    stale = undo.undo_last(db, DESK, expected=-1)
    assert outcome_text(stale).startswith("Something else happened meanwhile")
    done = undo.undo_last(db, DESK)
    assert outcome_text(done) == "Undone: the check-in of Rosa"
    assert undone_detail(done) == "The check-in of Rosa"
    assert outcome_text(undo.undo_last(db, DESK)) == "Nothing to undo at this station"


def test_spanish_question_and_answers(db: Database, meal_redeemed: str, spanish: None) -> None:
    preview = undo.last_action(db, "Meal tent")
    assert preview is not None
    assert question(preview) == "¿Deshacer el canje del boleto de Meal n.º 1?"
    done = undo.undo_last(db, MEAL)
    assert outcome_text(done) == "Deshecho: el canje del boleto de Meal n.º 1"
    assert undone_detail(done) == "El canje del boleto de Meal n.º 1"
    desk = undo.last_action(db, "Desk 1")
    # The meal's redemption was undone: the meal ticket is back in the family's hands.
    assert desk is not None
    assert question(desk) == "¿Deshacer el registro de Rosa?\n\nRecoja: 1 boleto de Meal."


def test_shift_summary_in_spanish(qtbot: QtBot, db: Database, spanish: None) -> None:
    since = utcnow()
    engine = ScanEngine(db)
    engine.scan("not a code", DESK)
    text = shift_text(shift_summary(db, DESK.name, DESK.volunteer, since))
    assert "Registros: 0" in text
    assert "No es un código: 1" in text


def test_the_undo_question_names_the_tickets_to_take_back(db: Database) -> None:
    """Found by a tester (issue 20, problem 13): undoing a check-in voids the tickets handed
    over, but the question did not say which ones to ask back from the family."""
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, issue_at_checkin=True)
    tickets.add_ticket_type(
        db, "Meal", TicketKind.RESOURCE, issue_at_checkin=True, rule=AllowanceRule.PER_MEMBER
    )
    engine = ScanEngine(db)
    engine.scan(attendees.register(db, DESK, first_name="Rosa", adults=2, kids=2).code, DESK)
    preview = undo.last_action(db, "Desk 1")
    assert preview is not None
    assert question(preview) == (
        "Undo the check-in of Rosa?\n\nTake back: 1 Raffle ticket, 4 Meal tickets."
    )


def test_the_take_back_line_in_spanish(db: Database, spanish: None) -> None:
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, issue_at_checkin=True)
    engine = ScanEngine(db)
    engine.scan(attendees.register(db, DESK, first_name="Rosa").code, DESK)
    preview = undo.last_action(db, "Desk 1")
    assert preview is not None
    assert question(preview) == "¿Deshacer el registro de Rosa?\n\nRecoja: 1 boleto de Raffle."
