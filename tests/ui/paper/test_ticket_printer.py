"""Printing from the desk: the Qt painter draws the same layout, and it scans."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from pytestqt.qtbot import QtBot

from checkin.codes import CodeKind, make_code, new_event_key, new_event_tag
from checkin.paper.ticket_pdf import Face
from checkin.people import attendees
from checkin.results import ScanState, Station, StationMode, Tone
from checkin.scanning import ScanEngine
from checkin.store import Database
from checkin.ticketing import tickets
from tests.helpers.desk_helpers import (
    first_code,
    open_main_window,
    scan_and_wait,
    ticket_of,
    tone_of,
)
from ui.desk.code_screen import CodeScreen
from ui.paper.ticket_printer import paint

pytestmark = pytest.mark.gui


def decode_pdf(pdf: Path) -> list[str]:
    if shutil.which("pdftoppm") is None:
        pytest.fail("install poppler-utils (bash .ci/system-deps.sh)")
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(pdf), str(pdf.with_suffix(""))],
        check=True,
        timeout=60,
    )
    found: list[str] = []
    for page in sorted(pdf.parent.glob(f"{pdf.stem}-*.png")):
        gray = Image.open(page).convert("L")
        qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)  # as the camera reads
        found += [r.text for r in zxingcpp.read_barcodes(gray, formats=qr_only) if r.valid]
    return found


@pytest.mark.parametrize("layout", ["receipt-80", "receipt-58", "letter-30"])
def test_qt_printing_paints_codes_that_scan(qtbot: QtBot, tmp_path: Path, layout: str) -> None:
    tag, key = new_event_tag(), new_event_key()
    made = [make_code(CodeKind.TICKET, tag, key).value for _ in range(3)]
    faces = [
        Face(c, "Block Party", "2030-06-14", "Meal", "resource", n + 1) for n, c in enumerate(made)
    ]
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = paint(printer, faces, layout)
    assert pages == (1 if layout == "letter-30" else 3)
    assert sorted(decode_pdf(tmp_path / "printed.pdf")) == sorted(made)


def test_print_without_a_printer_says_so_at_once(qtbot: QtBot, demo_db: Database) -> None:
    assert QPrinterInfo.availablePrinterNames() == []  # no printer on this machine
    window = open_main_window(demo_db)
    qtbot.addWidget(window)
    desk = window.desk
    desk.print_tickets()
    assert desk.banner.title.text() == "Scan or pick a person first"
    scan_and_wait(qtbot, desk, first_code(demo_db))
    desk.print_tickets()
    assert desk.banner.tone is Tone.WARNING
    assert "No printer is available" in desk.banner.detail.text()


def test_show_code_full_screen_and_close_with_any_key(qtbot: QtBot, demo_db: Database) -> None:
    window = open_main_window(demo_db)
    qtbot.addWidget(window)
    code = first_code(demo_db)
    scan_and_wait(qtbot, window.desk, code)
    screen = window.desk.show_code()
    assert isinstance(screen, CodeScreen)
    assert screen.isFullScreen() or screen.isVisible()
    assert not screen.qr.pixmap().isNull()
    qtbot.keyClick(screen, "x")
    assert not screen.isVisible()


def test_a_ticket_can_be_shown_full_screen_too(qtbot: QtBot, demo_db: Database) -> None:
    window = open_main_window(demo_db)
    qtbot.addWidget(window)
    scan_and_wait(qtbot, window.desk, first_code(demo_db))
    person = window.desk.person.person
    assert person is not None and person.tickets
    ticket = person.tickets[0]
    screen = window.desk.show_code(ticket.code, f"{ticket.type_name} ticket No. {ticket.serial}")
    assert screen is not None
    assert ticket.type_name in screen.caption.text()
    screen.close()


def test_print_tickets_prints_only_unused_ones_and_lists_the_used(
    qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 20, problem 11: Ctrl+P reprinted a redeemed meal as if new (and the desk's card
    did not know the meal line had used it)."""
    window = open_main_window(demo_db)
    qtbot.addWidget(window)
    desk = window.desk
    code = first_code(demo_db)
    scan_and_wait(qtbot, desk, code)  # checked in: Raffle and Meal tickets issued
    meal = ticket_of(demo_db, code, "Meal")
    used = ScanEngine(demo_db).scan(meal, Station("Meal line", StationMode.RESOURCE, "Meal"))
    assert used.state is ScanState.REDEEMED and used.ticket is not None
    printed: list[list[Face]] = []

    def print_faces(faces: list[Face], layout: str | None = None) -> tuple[bool, str]:
        printed.append(list(faces))
        return True, "Sent 1 page(s) to Desk printer"

    monkeypatch.setattr(desk.printer, "print_faces", print_faces)
    desk.print_tickets()
    card = attendees.get_attendee(demo_db, code)
    assert card is not None
    unused = {t.code for t in card.tickets if t.state == "issued"}
    (faces,) = printed
    assert unused and {face.code for face in faces} == unused and meal not in unused
    assert desk.banner.tone is Tone.SUCCESS
    detail = desk.banner.detail.text()
    assert "Sent 1 page(s)" in detail
    assert f"Not printed, used or cancelled: Meal No. {used.ticket.serial}" in detail
    # Everything used: nothing is printed, and the desk says why.
    for ticket in card.tickets:  # the raffle ticket cancelled, the rest redeemed
        if ticket.kind == "raffle":
            tickets.void_ticket(demo_db, ticket.code)
        elif ticket.state == "issued":
            ScanEngine(demo_db).scan(
                ticket.code, Station("Line", StationMode.RESOURCE, ticket.type_name)
            )
    desk.print_tickets()
    assert len(printed) == 1 and tone_of(desk) is Tone.WARNING
    assert desk.banner.title.text() == "Nothing to print"
    assert f"Meal No. {used.ticket.serial}" in desk.banner.detail.text()
