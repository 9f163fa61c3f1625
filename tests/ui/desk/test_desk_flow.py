"""The desk driven through its real widgets: scanning, banners, walk-ups, search, undo,
resource stations, sounds."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from checkin.people import attendees
from checkin.results import ScanResult, ScanState, Station, StationMode, Tone
from checkin.store import Database
from tests.helpers.desk_helpers import (
    answered,
    first_code,
    live_checkins,
    scan_and_wait,
    state_of,
    ticket_of,
    tone_of,
    undo_over,
)
from ui.app.shell import MainWindow
from ui.core.scan_router import RAW_KEYS
from ui.desk.desk_page import DeskPage
from ui.desk.walkup_dialog import WalkupDialog

pytestmark = pytest.mark.gui


def scan_like_a_scanner(qtbot: QtBot, desk: DeskPage, code: str) -> None:
    qtbot.keyClicks(desk.scan, code)  # no delay between keys, like a wedge scanner
    qtbot.keyClick(desk.scan, Qt.Key.Key_Return)
    answered(qtbot, desk)


def test_opens_on_the_desk_with_the_scan_field_focused(window: MainWindow) -> None:
    assert window.tabs.currentWidget() is window.desk
    assert window.desk.scan.hasFocus()
    assert "Test Party" in window.windowTitle()


def test_a_scanner_burst_checks_in_and_shows_a_green_banner(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    desk = window.desk
    code = first_code(demo_db)
    scan_like_a_scanner(qtbot, desk, code)
    assert tone_of(desk) is Tone.SUCCESS
    person = attendees.get_attendee(demo_db, code)
    assert person is not None
    assert desk.banner.title.text() == f"Welcome, {person.display_name}!"
    assert live_checkins(demo_db) == 1
    assert desk.person.person is not None and desk.person.person.code == code
    # the scan answers with a brief card; the panel reads the tickets handed out with it
    assert desk.person.person.tickets and "has" in desk.person.tickets.text()
    assert desk.scan.text() == "" and desk.scan.hasFocus()
    size = person.household_size
    qtbot.waitUntil(
        lambda: desk.counters.people.text() == f"Households checked in: 1 · people: {size}"
    )


def test_a_scanner_firing_twice_on_a_new_arrival_shows_blue_not_amber(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    """The first trigger puts the arriving person on the card; the second, a moment later,
    is the same scan again (blue, soft tick), not "already checked in" (seen by a tester)."""
    desk = window.desk
    earlier, arriving = first_code(demo_db, 0), first_code(demo_db, 1)
    scan_like_a_scanner(qtbot, desk, earlier)  # someone is on the card already
    scan_like_a_scanner(qtbot, desk, arriving)
    assert tone_of(desk) is Tone.SUCCESS and not desk.banner.repeat
    scan_like_a_scanner(qtbot, desk, arriving)
    assert desk.banner.repeat, desk.banner.title.text()
    assert desk.banner.title.text() == "Same scan again: nothing more to hand over"
    assert live_checkins(demo_db) == 2


def test_each_banner_state_has_its_own_words(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    desk = window.desk
    code = first_code(demo_db)
    desk.context.engine._debounce = 0  # a second scan counts at once, not as a double-trigger
    scan_like_a_scanner(qtbot, desk, code)
    scan_like_a_scanner(qtbot, desk, code)
    assert desk.banner.tone is Tone.WARNING
    assert "already checked in" in desk.banner.title.text()
    assert "Desk 1" in desk.banner.detail.text()
    scan_like_a_scanner(qtbot, desk, "https://example.com/wifi")
    assert tone_of(desk) is Tone.ERROR
    assert desk.banner.title.text() == "Not a check-in code"
    scan_like_a_scanner(qtbot, desk, code[:-1] + ("0" if code[-1] != "0" else "1"))
    assert desk.banner.title.text() == "Typo in the code"
    assert live_checkins(demo_db) == 1


def test_a_failed_write_says_not_saved(
    qtbot: QtBot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_work: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(demo_db, "write", broken)
    monkeypatch.setattr(demo_db, "scan_write", broken)
    scan_like_a_scanner(qtbot, window.desk, first_code(demo_db))
    assert window.desk.banner.tone is Tone.ERROR
    assert window.desk.banner.title.text() == "NOT saved: scan again"
    # The cause, so whoever is at the table knows what to fix.
    assert window.desk.banner.detail.text() == "The disk is full: free some space, then try again"
    window.desk.banner.show_message(Tone.SUCCESS, "")
    window.desk.check_in_code(first_code(demo_db))  # a name picked from the search results
    answered(qtbot, window.desk)
    assert window.desk.banner.title.text() == "NOT saved: scan again"
    assert window.desk.banner.detail.text() == "The disk is full: free some space, then try again"


def test_sounds_follow_the_tone_and_attention_notes(qtbot: QtBot, window: MainWindow) -> None:
    desk = window.desk
    sounds = window.sounds
    person = attendees.register(
        desk.context.db,
        first_name="Rosa",
        notes="Needs a wheelchair-accessible seat",
        needs_attention=True,
    )
    scan_and_wait(qtbot, desk, person.code)
    assert sounds.requested[-2:] == ["attention", "success"]
    assert desk.person.note.isVisibleTo(desk) and "wheelchair" in desk.person.note.text()
    scan_and_wait(qtbot, desk, "not a code at all")
    assert sounds.requested[-1] == "error"


def test_walkup_needs_only_the_household_size(
    qtbot: QtBot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill_and_accept(dialog: WalkupDialog) -> int:
        dialog.kids.setValue(3)
        qtbot.keyClick(dialog.zip_code, Qt.Key.Key_6)
        for key in "4130":
            qtbot.keyClicks(dialog.zip_code, key)
        dialog.accept()
        return int(WalkupDialog.DialogCode.Accepted)

    monkeypatch.setattr(WalkupDialog, "exec", fill_and_accept)
    before = live_checkins(demo_db)
    qtbot.keyClick(window.desk, Qt.Key.Key_F2)
    answered(qtbot, window.desk)
    assert live_checkins(demo_db) == before + 1
    shown = window.desk.person.person
    assert shown is not None
    assert shown.display_name.startswith("Guest #")
    assert (shown.adults, shown.kids, shown.zip_code) == (1, 3, "64130")
    assert window.desk.banner.tone is Tone.SUCCESS
    qtbot.waitUntil(lambda: not window.desk.person.qr.pixmap().isNull())  # drawn off the GUI thread


def test_walkup_form_drops_contact_details_without_consent(qtbot: QtBot) -> None:
    dialog = WalkupDialog()
    qtbot.addWidget(dialog)
    assert not dialog.phone.isEnabled()
    dialog.phone.setText("816-555-0100")
    assert dialog.fields()["phone"] == ""
    dialog.consent.setChecked(True)
    assert dialog.phone.isEnabled()
    assert dialog.fields()["phone"] == "816-555-0100"


def test_search_as_you_type_then_enter_checks_in(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    desk = window.desk
    person = attendees.register(demo_db, first_name="Zelda", last_name="Quintanilla")
    with qtbot.waitSignal(desk.results.updated, timeout=3000) as shown:
        desk.scan.setText("quintan")
        desk.scan.searchChanged.emit("quintan")
    assert shown.args == [1]
    assert desk.results.selected_code() == person.code
    qtbot.keyClick(desk.scan, Qt.Key.Key_Return)
    answered(qtbot, desk)
    assert desk.banner.title.text() == "Welcome, Zelda Quintanilla!"
    assert live_checkins(demo_db) == 1


def test_undo_asks_first_and_keeps_the_record(
    qtbot: QtBot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(_parent: Any, _title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    code = first_code(demo_db)
    scan_like_a_scanner(qtbot, window.desk, code)
    assert live_checkins(demo_db) == 1
    qtbot.keyClick(window.desk, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    undo_over(qtbot, window.desk)
    assert asked and "check-in of" in asked[0]
    assert live_checkins(demo_db) == 0
    assert window.desk.banner.title.text() == "Undone"
    # The detail says what, without repeating "Undone".
    assert window.desk.banner.detail.text().startswith("The check-in of ")


def test_ctrl_z_in_the_scan_field_undoes_the_check_in_not_the_typing(
    qtbot: QtBot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scan field has the focus all day. Its own text undo would bring the last code back
    (and Enter would scan it again); Ctrl+Z there must be the desk's Undo."""
    asked: list[str] = []

    def answer(_parent: Any, _title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    window.show()
    qtbot.waitExposed(window)
    scan_like_a_scanner(qtbot, window.desk, first_code(demo_db))
    assert window.desk.scan.hasFocus() and window.desk.scan.text() == ""
    qtbot.keyClick(window.desk.scan, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    undo_over(qtbot, window.desk)
    assert asked and "check-in of" in asked[0]
    assert live_checkins(demo_db) == 0
    assert window.desk.scan.text() == ""


def test_undo_declined_changes_nothing(
    qtbot: QtBot, window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[object] = []

    def no(*a: object) -> QMessageBox.StandardButton:
        asked.append(a)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", no)
    scan_like_a_scanner(qtbot, window.desk, first_code(demo_db))
    window.desk.undo()
    undo_over(qtbot, window.desk)
    assert len(asked) == 1
    assert live_checkins(demo_db) == 1


def test_resource_station_redeems_its_ticket_type(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    desk = window.desk
    code = first_code(demo_db)
    scan_like_a_scanner(qtbot, desk, code)  # check-in issues the meal tickets
    desk.mode.setCurrentIndex(desk.mode.findData(StationMode.RESOURCE.value))
    desk.ticket_type.setCurrentText("Meal")
    desk.station_name.setText("Meal line")
    desk.station_name.editingFinished.emit()
    assert desk.context.station == Station("Meal line", StationMode.RESOURCE, "Meal", "Ana")
    assert desk.ticket_type.isVisible() and not desk.walkup_button.isVisible()
    desk.banner.reset()  # what the banner goes back to after a few seconds
    assert desk.banner.detail.text() == "Scan a ticket or a person's code"  # no F2 walk-up here
    meal = ticket_of(demo_db, code, "Meal")
    scan_like_a_scanner(qtbot, desk, meal)
    assert desk.banner.title.text() == "Hand over: Meal"
    results: list[ScanResult] = []
    desk.scanResult.connect(results.append)
    desk.context.engine._debounce = 0
    scan_like_a_scanner(qtbot, desk, meal)
    assert results[-1].state is ScanState.ALREADY_REDEEMED
    assert desk.banner.title.text() == "Already used"
    serial = results[-1].ticket.serial if results[-1].ticket else -1
    assert desk.banner.detail.text().startswith(f"Meal ticket No. {serial} was used at ")
    # The own code of someone who holds no Meal ticket (not checked in): sent to the desk,
    # not "use it at its own station" at the very station for it.
    stranger = first_code(demo_db, 7)
    scan_like_a_scanner(qtbot, desk, stranger)
    assert state_of(results[-1]) is ScanState.ENTITLED
    assert desk.banner.title.text() == "Not checked in yet"
    assert "check-in desk first" in desk.banner.detail.text()


def test_a_scanner_burst_into_a_name_field_lands_as_a_scan(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    name = window.desk.volunteer  # a text field of the window, holding "Ana"
    name.setFocus()
    qtbot.waitUntil(name.hasFocus)
    code = first_code(demo_db)
    qtbot.keyClicks(name, code)
    qtbot.keyClick(name, Qt.Key.Key_Return)
    answered(qtbot, window.desk)
    assert name.text() == "Ana"  # nothing of the code went into the field
    assert live_checkins(demo_db) == 1
    assert window.desk.banner.tone is Tone.SUCCESS


def test_scanner_check_reads_the_test_card(qtbot: QtBot, window: MainWindow) -> None:
    from checkin.stations.scanner_check import TEST_CARD, mangle

    dialog = window.scanner_check()
    assert dialog.field.property(RAW_KEYS)  # the check measures the scanner's own keys
    qtbot.keyClicks(dialog.field, TEST_CARD)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert dialog.report is not None and dialog.report.ok
    assert "arrived exactly" in dialog.outcome.text()
    qtbot.keyClicks(dialog.field, mangle(TEST_CARD, "German").replace("ß", "s").replace("Ö", "O"))
    qtbot.keyClick(dialog.field, Qt.Key.Key_Tab)
    assert dialog.report is not None and not dialog.report.ok
    assert dialog.report.terminator == "Tab"
    dialog.close()


def test_preprinted_tickets_bind_to_the_person_on_screen_within_limits(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    from checkin.ticketing.tickets import create_stock

    stock = create_stock(demo_db, "Raffle", 5)
    desk = window.desk
    desk.context.engine._debounce = 0
    scan_like_a_scanner(qtbot, desk, stock[0].code)  # nobody on screen yet
    assert desk.banner.title.text() == "Ticket not given to anyone yet"
    person = attendees.register(demo_db, first_name="Ada", adults=1)
    scan_and_wait(qtbot, desk, person.code)  # checked in: 1 of the household's 3 Raffle tickets
    results: list[ScanResult] = []
    desk.scanResult.connect(results.append)
    for ticket in stock[1:3]:
        scan_like_a_scanner(qtbot, desk, ticket.code)
        assert results[-1].state is ScanState.TICKET_BOUND
    scan_like_a_scanner(qtbot, desk, stock[3].code)
    assert results[-1].state is ScanState.LIMIT_REACHED  # three Raffle tickets per household
    other = attendees.register(demo_db, first_name="Bo", adults=2)
    desk.person.show_person(attendees.get_attendee(demo_db, other.code))
    scan_like_a_scanner(qtbot, desk, stock[4].code)
    assert state_of(results[-1]) is ScanState.TICKET_BOUND
    assert desk.banner.title.text() == "Ticket given to Bo"


def test_a_flyer_scanned_for_the_person_on_screen_records_the_campaign(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    from checkin.event.campaigns import create_campaign, list_campaigns

    flyer = create_campaign(demo_db, "Ruskin Heights east")
    desk = window.desk
    scan_like_a_scanner(qtbot, desk, flyer.code)
    assert desk.banner.title.text() == "Flyer: Ruskin Heights east"
    scan_like_a_scanner(qtbot, desk, first_code(demo_db))
    desk.context.engine._debounce = 0
    scan_like_a_scanner(qtbot, desk, flyer.code)
    assert desk.banner.title.text() == "Flyer recorded"
    assert list_campaigns(demo_db)[0].responses == 1


def test_esc_in_the_scan_field_clears_the_person_on_screen(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    desk = window.desk
    scan_like_a_scanner(qtbot, desk, first_code(demo_db))
    assert desk.person.person is not None
    qtbot.keyClicks(desk.scan, "mar")
    qtbot.keyClick(desk.scan, Qt.Key.Key_Escape)
    assert desk.scan.text() == "" and desk.person.person is None
    assert desk.scan.hasFocus()


def test_a_refused_stock_ticket_keeps_the_person_being_served(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    """A stock ticket already handed to someone else is refused; the card must stay on the
    person at the table, or the next stock ticket would go to the other holder."""
    from checkin.scanning import ScanEngine
    from checkin.ticketing import tickets

    first, second = (t.code for t in tickets.create_stock(demo_db, "Backpack", 2))
    other = first_code(demo_db, 5)
    held = ScanEngine(demo_db).scan(first, Station("Desk"), current_attendee=other)
    assert held.state is ScanState.TICKET_BOUND
    desk = window.desk
    served = first_code(demo_db)
    scan_like_a_scanner(qtbot, desk, served)
    assert desk.person.person is not None and desk.person.person.code == served
    scan_like_a_scanner(qtbot, desk, first)
    assert desk.banner.tone is not Tone.SUCCESS
    assert desk.banner.title.text().startswith("Backpack ticket of ")  # names the holder
    assert desk.person.person.code == served
    scan_like_a_scanner(qtbot, desk, second)
    assert tone_of(desk) is Tone.SUCCESS
    with demo_db.reading() as session:
        from sqlalchemy import select

        from checkin.store.models import Attendee, Ticket

        holder = session.scalar(
            select(Attendee.code)
            .join(Ticket, Ticket.attendee_id == Attendee.id)
            .where(Ticket.code == second)
        )
    assert holder == served


def test_choosing_a_mode_gives_the_focus_back_to_the_scan_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    desk = window.desk
    desk.mode.setFocus()
    qtbot.waitUntil(desk.mode.hasFocus)
    desk.mode.activated.emit(1)  # what choosing an entry of the drop-down sends
    assert desk.scan.hasFocus()


def test_the_desk_fits_a_768_pixel_screen_with_a_person_shown(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    """A tester's window grew from 760 to 918 pixels once a person was shown (a fixed-size QR
    code), hiding Undo, the camera and the status bar on a common laptop screen."""
    for index in range(6):
        scan_and_wait(qtbot, window.desk, first_code(demo_db, index))
        qtbot.wait(1)
        # 768 less a window title bar
        qtbot.waitUntil(lambda: not window.desk.person.qr.pixmap().isNull())
        assert window.minimumSizeHint().height() <= 740, index
