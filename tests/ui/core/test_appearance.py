"""Switching language at runtime: Qt's own buttons, open screens and unnamed walk-ups follow."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from checkin.results import CheckInParams, ScanResult, ScanState, Station
from checkin.store import Database
from ui.core import appearance
from ui.core.context import EventContext
from ui.desk.activity_panel import ActivityPanel
from ui.desk.messages import headline
from ui.desk.scan_field import ScanField
from ui.desk.walkup_dialog import WalkupDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def back_to_english(qtbot: QtBot) -> Iterator[None]:
    yield
    assert appearance.set_language("en")


def test_spanish_reaches_qt_s_own_buttons_and_open_widgets(
    qtbot: QtBot, demo_db: Database, back_to_english: None
) -> None:
    field = ScanField()
    activity = ActivityPanel(EventContext(demo_db, Station("Mesa")))
    for widget in (field, activity):
        qtbot.addWidget(widget)
    assert appearance.set_language("es")
    qtbot.wait(10)  # the LanguageChange events are posted
    # Open widgets retranslate (a tester saw English left on the desk after switching).
    assert field.placeholderText() == "Escanee un código, o escriba un nombre, teléfono o código"
    assert activity.caption.text() != "Recent activity at this station"
    # Qt's standard buttons (the walk-up form's Cancel was English).
    walkup = WalkupDialog()
    qtbot.addWidget(walkup)
    buttons = walkup.findChild(QDialogButtonBox)
    assert buttons is not None
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel is not None and cancel.text().replace("&", "") == "Cancelar"
    assert walkup.fields()["language"] == "es"  # the form starts in the volunteer's language
    unnamed = ScanResult("X", ScanState.CHECKED_IN, "", params=CheckInParams(name="Guest #201"))
    assert "Invitado n.º 201" in headline(unnamed)[0]
    assert appearance.set_language("en")
    qtbot.wait(10)
    assert field.placeholderText() == "Scan a code, or type a name, phone or code"
    assert "Guest #201" in headline(unnamed)[0]


def test_the_mode_list_widens_for_spanish(
    qtbot: QtBot, demo_db: Database, back_to_english: None
) -> None:
    from ui.desk.desk_page import DeskPage
    from ui.desk.sounds import SoundBank

    desk = DeskPage(EventContext(demo_db, Station("Mesa")), SoundBank(enabled=False))
    qtbot.addWidget(desk)
    desk.show()
    qtbot.waitExposed(desk)  # sized for English first, as on a real start
    assert appearance.set_language("es")
    qtbot.wait(10)
    longest = max(
        desk.mode.fontMetrics().horizontalAdvance(desk.mode.itemText(i))
        for i in range(desk.mode.count())
    )
    # room for the longest entry plus the drop-down arrow (was 5 pixels to spare: cut off)
    assert desk.mode.sizeHint().width() - longest >= 20


def test_the_desk_s_card_counters_and_camera_follow_a_switch(
    qtbot: QtBot, demo_db: Database, back_to_english: None
) -> None:
    """Seen in a screenshot after switching: the card, the counters and the camera panel
    kept their English words until the next scan or a restart."""
    from tests.helpers.desk_helpers import first_code, open_main_window, scan_and_wait

    window = open_main_window(demo_db)
    qtbot.addWidget(window)
    window.show()
    desk = window.desk
    scan_and_wait(qtbot, desk, first_code(demo_db))
    qtbot.waitUntil(lambda: desk.counters.summary is not None)
    qtbot.waitUntil(lambda: "checked in: 1" in desk.counters.people.text())
    assert desk.person.household.text().startswith("Household of")
    assert appearance.set_language("es")
    qtbot.wait(10)
    assert desk.person.household.text().startswith("Hogar de")
    assert "Households" not in desk.counters.people.text()
    assert desk.camera.toggle.text() != "Start camera"
