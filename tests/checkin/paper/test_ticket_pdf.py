"""Printed tickets must scan: every layout is rasterised and every QR decoded back."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from checkin.cli import main
from checkin.codes import CodeKind, make_code, new_event_key, new_event_tag
from checkin.event import events
from checkin.paper.ticket_pdf import LAYOUTS, Box, Face, Text, badge_faces, layout_face, write_pdf
from checkin.people import attendees
from checkin.people.listing import iter_attendees
from checkin.results import FlyerParams, ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import Database
from checkin.store.models import Ticket
from checkin.ticketing import tickets
from tests.helpers.outcomes import params_of


def pages_of(
    pdf: Path, dpi: int = 150, first: int | None = None, last: int | None = None
) -> list[Image.Image]:
    if shutil.which("pdftoppm") is None:
        pytest.fail("install poppler-utils (bash .ci/system-deps.sh): pdftoppm rasterises the PDFs")
    prefix = pdf.with_suffix("")
    command = ["pdftoppm", "-r", str(dpi), "-png"]
    if first is not None:
        command += ["-f", str(first), "-l", str(last or first)]
    subprocess.run([*command, str(pdf), str(prefix)], check=True, timeout=120)
    images = sorted(pdf.parent.glob(f"{prefix.name}-*.png"))
    loaded = [Image.open(p).convert("L") for p in images]
    for path in images:
        path.unlink()
    return loaded


QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def decoded(pdf: Path, **kwargs: int) -> list[str]:
    found: list[str] = []
    for page in pages_of(pdf, **kwargs):
        # QR codes only, as the camera reads them: a text line or a QR's pattern can pass for a
        # one-dimensional barcode now and then.
        results = zxingcpp.read_barcodes(page, formats=QR_ONLY)
        found += [r.text for r in results if r.valid]
    return found


def codes(n: int) -> list[str]:
    tag, key = new_event_tag(), new_event_key()
    return [make_code(CodeKind.TICKET, tag, key).value for _ in range(n)]


@pytest.mark.slow
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_layout_decodes_to_exactly_the_codes(tmp_path: Path, layout: str) -> None:
    made = codes(7)
    faces = [
        Face(c, "Ol' Skool Block Party", "2030-06-14", "Raffle", "raffle", n + 1, name="José Peña")
        for n, c in enumerate(made)
    ]
    out = tmp_path / f"{layout}.pdf"
    pages = write_pdf(faces, out, layout)
    assert pages >= 1
    found = decoded(out)
    assert sorted(found) == sorted(made), layout


def test_text_and_accents_are_in_the_pdf(tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.fail("install poppler-utils (bash .ci/system-deps.sh)")
    (code,) = codes(1)
    face = Face(
        code,
        "Fiesta del Barrio",
        "",
        "Resource referral",
        "resource",
        7,
        partner_text="Second Chance KC · (816) 555-0142",
        name="José Peña",
    )
    out = tmp_path / "slip.pdf"
    write_pdf([face], out, "receipt-80")
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("José Peña", "Boleto de recurso", "No. 0007", "Second Chance KC"):
        assert expected in text


@pytest.mark.slow
def test_500_ticket_stock_with_progress(tmp_path: Path, db: Database) -> None:
    from checkin.demo import populate

    populate(db, attendees=0)
    seen: list[tuple[int, int]] = []
    out = tmp_path / "stock.pdf"
    from checkin.cli.paper_cmds import ticket_faces
    from checkin.ticketing.tickets import create_stock

    made = create_stock(db, "Raffle", 500)
    pages = write_pdf(
        ticket_faces(events.get_event(db), made),
        out,
        "letter-30",
        progress=lambda d, t: seen.append((d, t)),
    )
    assert pages == 17 and seen[-1] == (500, 500) and len(seen) == 500
    first, last = decoded(out, first=1), decoded(out, first=17)
    assert sorted(first) == sorted(t.code for t in made[:30])
    assert sorted(last) == sorted(t.code for t in made[480:])


def test_stock_command_prints_unassigned_tickets_that_scan(
    tmp_path: Path, demo_db: Database, db_path: Path
) -> None:
    out = tmp_path / "stock.pdf"
    assert (
        main(
            ["stock", "--db", str(db_path), "--type", "Raffle", "--count", "12", "--out", str(out)]
        )
        == 0
    )
    with demo_db.reading() as session:
        stock = set(session.scalars(select(Ticket.code).where(Ticket.state == "unassigned")))
    assert len(stock) == 12 and set(decoded(out)) == stock
    result = ScanEngine(demo_db).scan(next(iter(stock)), Station("Desk"))
    assert result.state is ScanState.UNASSIGNED


def test_flyer_codes_scan_as_their_campaign(
    tmp_path: Path, demo_db: Database, db_path: Path
) -> None:
    out = tmp_path / "flyers.pdf"
    assert (
        main(
            [
                "flyers",
                "--db",
                str(db_path),
                "--campaign",
                "Ruskin Heights east",
                "--count",
                "4",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    found = decoded(out)
    assert len(found) == 4 and len(set(found)) == 1
    result = ScanEngine(demo_db).scan(found[0], Station("Desk"))
    assert (
        result.state is ScanState.FLYER
        and params_of(result, FlyerParams).campaign == "Ruskin Heights east"
    )


@pytest.mark.slow
def test_badges_carry_every_preregistered_code(
    tmp_path: Path, demo_db: Database, db_path: Path
) -> None:
    out = tmp_path / "badges.pdf"
    organiser = ["--passphrase", "secret"]  # badges name people once scanned (issue 23)
    assert main(["badges", "--db", str(db_path), "--out", str(out), *organiser]) == 0
    assert sorted(decoded(out)) == sorted(row.code for row in iter_attendees(demo_db))


def test_one_persons_tickets(
    tmp_path: Path, demo_db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    person = next(iter_attendees(demo_db)).code
    out = tmp_path / "mine.pdf"
    args = ["tickets", "--db", str(db_path), "--attendee", person, "--out", str(out)]
    args += ["--passphrase", "secret"]  # they name the person (issue 23)
    assert main(args) == 1
    assert "no tickets" in capsys.readouterr().err
    result = ScanEngine(demo_db).scan(person, Station("Desk"))
    assert main(args) == 0
    card = attendees.get_attendee(demo_db, person)
    assert result.issued and card is not None
    assert sorted(decoded(out)) == sorted(t.code for t in card.tickets)


def test_one_persons_tickets_leave_out_the_used_ones(
    tmp_path: Path, demo_db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 20, problem 11: a redeemed meal was reprinted as if new."""
    person = next(iter_attendees(demo_db)).code
    assert ScanEngine(demo_db).scan(person, Station("Desk")).state is ScanState.CHECKED_IN
    card = attendees.get_attendee(demo_db, person)
    assert card is not None
    meal = next(t for t in card.tickets if t.type_name == "Meal")
    line = Station("Meal line", StationMode.RESOURCE, "Meal")
    assert ScanEngine(demo_db).scan(meal.code, line).state is ScanState.REDEEMED
    out = tmp_path / "mine.pdf"
    capsys.readouterr()
    args = ["tickets", "--db", str(db_path), "--attendee", person, "--out", str(out)]
    assert main([*args, "--passphrase", "secret"]) == 0  # they name the person (issue 23)
    unused = sorted(t.code for t in card.tickets if t.code != meal.code)
    assert unused and sorted(decoded(out)) == unused
    said = capsys.readouterr().out
    assert f"not printed, used or cancelled: Meal No. {meal.serial}" in said
    for ticket in card.tickets:  # all used or cancelled: nothing to print, and it says which
        if ticket.kind == "raffle":
            tickets.void_ticket(demo_db, ticket.code)
        else:
            ScanEngine(demo_db).scan(ticket.code, replace(line, ticket_type=ticket.type_name))
    assert main([*args, "--passphrase", "secret"]) == 1
    assert f"Meal No. {meal.serial}" in capsys.readouterr().err


def test_bad_output_is_one_clear_line(
    tmp_path: Path, demo_db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "stock",
                "--db",
                str(db_path),
                "--type",
                "Raffle",
                "--count",
                "2",
                "--out",
                str(tmp_path / "nowhere" / "x.pdf"),
            ]
        )
        == 1
    )
    assert "folder does not exist" in capsys.readouterr().err


def test_the_event_logo_is_printed_and_codes_still_scan(
    tmp_path: Path, demo_db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from checkin.event.logo import event_logo

    logo = tmp_path / "logo.png"
    Image.new("RGB", (1200, 800), (30, 90, 160)).save(logo)
    assert main(["logo", "--db", str(db_path), str(logo)]) == 0
    stored = event_logo(demo_db)
    assert stored is not None and max(Image.open(io.BytesIO(stored)).size) == 600
    plain, with_logo = tmp_path / "plain.pdf", tmp_path / "logo.pdf"
    made = codes(3)
    faces = [Face(c, "Block Party", title="Meal", kind="resource") for c in made]
    write_pdf(faces, plain, "letter-30")
    write_pdf([replace(f, logo=stored) for f in faces], with_logo, "letter-30")
    assert with_logo.stat().st_size > plain.stat().st_size + 1000  # the image is embedded
    assert sorted(decoded(with_logo)) == sorted(made)
    (tmp_path / "not-an-image.png").write_text("hello")
    assert main(["logo", "--db", str(db_path), str(tmp_path / "not-an-image.png")]) == 2
    assert "not an image" in capsys.readouterr().err
    assert main(["logo", "--db", str(db_path), "--clear"]) == 0
    assert event_logo(demo_db) is None


def test_receipt_faces_stack_the_text_above_a_wide_qr() -> None:
    """A receipt roll is narrow: text on top, the QR as wide as the paper allows below it, and
    a partner's address wrapped to the width instead of shrunk to a smudge."""
    (code,) = codes(1)
    partner = "Second Chance KC · 3100 Prospect Ave · Kansas City · (816) 555-0142"
    face = Face(
        code,
        "Ol' Skool Block Party",
        "2030-06-14",
        "Resource referral",
        "resource",
        7,
        partner_text=partner,
    )
    spec = LAYOUTS["receipt-58"]
    w, h = spec.page[0] - 2 * spec.margin_x, spec.page[1] - 2 * spec.margin_y

    def measure(text: str, bold: bool, size: float) -> float:
        return len(text) * size * (0.62 if bold else 0.55)

    shapes = layout_face(face, w, h, measure)
    boxes = [s for s in shapes if isinstance(s, Box)]
    texts = [s for s in shapes if isinstance(s, Text)]
    qr_left = min(b.x for b in boxes)
    qr_right = max(b.x + b.size for b in boxes)
    qr_top = max(b.y + b.size for b in boxes)
    assert qr_right - qr_left > 0.6 * w  # the code fills most of the roll's width
    serial = next(t for t in texts if t.text == "No. 0007")
    assert serial.y > qr_top  # the heading sits above the code
    wrapped = [t for t in texts if t.y < min(b.y for b in boxes)]
    assert len(wrapped) >= 4  # human code, bilingual line, and the address on 2+ lines
    assert " ".join(t.text for t in wrapped[1:]).endswith(" " + partner)
    for text in texts:
        assert text.x >= 0 and text.x + measure(text.text, text.bold, text.size) <= w + 0.01
        assert text.size >= 6  # readable on thermal paper
    # a wide cell (a sheet of 30) keeps the QR beside the text
    sheet = LAYOUTS["letter-30"]
    cell_w = (sheet.page[0] - 2 * sheet.margin_x) / 3
    cell_h = (sheet.page[1] - 2 * sheet.margin_y) / 10
    beside = layout_face(face, cell_w, cell_h, measure)
    right_of_qr = max(b.x + b.size for b in beside if isinstance(b, Box))
    assert all(t.x > right_of_qr for t in beside if isinstance(t, Text))


def test_a_named_badge_has_no_guest_number_under_the_name(demo_db: Database) -> None:
    """Found by a tester (issue 20, problem 14): a badge printed with names read "Rosa Díaz"
    and under it "Guest #1", as if she were an unnamed guest."""
    rows = [row for row in iter_attendees(demo_db) if row.source != "walkup"]
    named = badge_faces("Party", "", rows, names=True)
    assert named and all(face.name and not face.title.startswith("Guest") for face in named)
    assert [face.name for face in named] == [row.display_name for row in rows]
    plain = badge_faces("Party", "", rows, names=False)
    # Without names, the number tells the badges apart (and names nobody).
    assert [face.title for face in plain] == [f"Guest #{row.number}" for row in rows]
    assert not any(face.name for face in plain)
