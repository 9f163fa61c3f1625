"""First run: the demo event is one click away, and a new event gets its passphrase."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from checkin.event import events
from checkin.people.listing import iter_attendees
from checkin.store import open_database
from ui.start.start_choice import NewEventDialog, StartChoice

pytestmark = pytest.mark.gui


def test_open_the_demo_creates_it_next_to_the_default_file(qtbot: QtBot, tmp_path: Path) -> None:
    chooser = StartChoice(tmp_path / "event.checkin")
    qtbot.addWidget(chooser)
    chooser.choose_demo()
    assert chooser.location == str(tmp_path / "demo.checkin")
    db = open_database(chooser.location)
    assert sum(1 for _ in iter_attendees(db)) == 200
    assert events.check_passphrase(db, "demo") and not events.check_passphrase(db, "x")
    db.dispose()


def test_new_event_needs_matching_passphrases(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(
        "ui.start.start_choice.QMessageBox.warning", lambda _p, _t, text: warnings.append(text)
    )
    form = NewEventDialog(tmp_path / "party.checkin")
    qtbot.addWidget(form)
    form.name.setText("Ol' Skool Block Party")
    form.passphrase.setText("sunny day")
    form.again.setText("sunny dya")
    form._create()
    assert warnings == ["The passphrases differ."] and form.created is None
    form.again.setText("sunny day")
    form._create()
    assert form.created == tmp_path / "party.checkin"
    db = open_database(form.created)
    assert events.get_event(db).name == "Ol' Skool Block Party"
    assert events.check_passphrase(db, "sunny day")
    db.dispose()


def test_a_new_event_refuses_a_short_passphrase(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 23: a one-character passphrase was accepted; 8 characters or 4 words now."""
    warnings: list[str] = []
    monkeypatch.setattr(
        "ui.start.start_choice.QMessageBox.warning", lambda _p, _t, text: warnings.append(text)
    )
    form = NewEventDialog(tmp_path / "party.checkin")
    qtbot.addWidget(form)
    form.name.setText("Block Party")
    for short in ("x", "sunny7"):
        form.passphrase.setText(short)
        form.again.setText(short)
        form._create()
        assert form.created is None and "at least 8 characters" in warnings[-1]
    form.passphrase.setText("a b c d")  # four words
    form.again.setText("a b c d")
    form._create()
    assert form.created == tmp_path / "party.checkin"


def test_a_shared_server_address_can_be_given(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chooser = StartChoice(tmp_path / "event.checkin")
    qtbot.addWidget(chooser)
    url = "postgresql+psycopg://checkin:pw@192.168.1.10/party"
    monkeypatch.setattr("ui.start.start_choice.QInputDialog.getText", lambda *a: (url, True))
    chooser.choose_server()
    assert chooser.location == url


def test_a_new_event_made_in_spanish_gets_spanish_ticket_names(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Found by a tester (issue 20, problem 14): a Spanish desk printed "boleto de Raffle".
    A type's name is the organiser's data (on screens, printed tickets, exports): it is made in
    the language the event is created in, and can be renamed in Setup like any name."""
    from checkin.ticketing.tickets import list_ticket_types
    from ui.core import appearance

    assert appearance.set_language("es")
    try:
        form = NewEventDialog(tmp_path / "fiesta.checkin")
        qtbot.addWidget(form)
        form.name.setText("Fiesta del barrio")
        form.passphrase.setText("día soleado")
        form.again.setText("día soleado")
        form._create()
    finally:
        appearance.set_language("en")
    assert form.created is not None
    db = open_database(form.created)
    names = [t.name for t in list_ticket_types(db)]
    db.dispose()
    assert names == ["Rifa", "Comida", "Mochila", "Remisión a servicios"]
