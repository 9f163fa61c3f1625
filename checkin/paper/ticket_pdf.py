"""Tickets, badges and flyers as vector PDFs (reportlab), from the Qt-free layer so the CLI can
print stock sheets the week before without a display.

One face layout serves every page size: the QR code on the left, then the event, the ticket
type, the short number the raffle caller reads out, the code in its typed form and a bilingual
line. QR modules are drawn as vector squares, so they stay sharp on any printer.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm

from checkin.codes import format_human
from checkin.paper.fonts import FONT_FILES, find_font_dir
from checkin.results import TicketInfo
from checkin.store import TicketKind, TicketState

# The desk imports this module for its layouts: qrcode and ReportLab's PDF writer (a tenth of a
# second of the app's start) are imported where a QR code or a PDF is first made.
if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from checkin.people.listing import AttendeeRow

Progress = Callable[[int, int], None]

BILINGUAL = {
    TicketKind.RAFFLE: "Raffle ticket / Boleto de rifa",
    TicketKind.RESOURCE: "Resource ticket / Boleto de recurso",
    "badge": "Check-in code / Código de registro",
    "flyer": "Scan at check-in / Escanee al registrarse",
}


@dataclass(frozen=True)
class Face:
    code: str  # the canonical 20 symbols: what the QR holds
    event_name: str
    event_date: str = ""
    title: str = ""  # ticket type, campaign or "Guest #12"
    kind: str = TicketKind.RAFFLE  # or "badge", "flyer" (BILINGUAL)
    serial: int | None = None
    partner_text: str = ""  # referral slips print the partner's contact details
    name: str = ""  # badges may show the person's name
    logo: bytes | None = None  # the event's logo (PNG), from checkin.event.logo
    sheet: int | None = None  # a pre-printed stock sheet's number, printed under its page


def faces_for(
    event_name: str, event_date: str, tickets: Sequence[TicketInfo], logo: bytes | None = None
) -> list[Face]:
    return [
        Face(
            t.code,
            event_name,
            event_date,
            t.type_name,
            t.kind,
            t.serial,
            t.partner_text,
            logo=logo,
            sheet=t.sheet,
        )
        for t in tickets
    ]


def split_for_reprint(
    tickets: Sequence[TicketInfo],
) -> tuple[list[TicketInfo], list[TicketInfo]]:
    """A person's tickets printed again: (unused to print, used to list). Only unused ones are
    printed: a redeemed meal printed again looks like a new one to the person holding it (and
    a "USED" stamp is easy to cut off the slip), so used and void ones are listed instead."""
    unused = [t for t in tickets if t.state == TicketState.ISSUED]
    used = [t for t in tickets if t.state in (TicketState.REDEEMED, TicketState.VOID)]
    return unused, used


def ticket_labels(tickets: Sequence[TicketInfo]) -> str:
    """ "Meal No. 12, Backpack No. 30": how the desk and the CLI name tickets left out."""
    return ", ".join(f"{t.type_name} No. {t.serial}" for t in tickets)


def badge_faces(
    event_name: str,
    event_date: str,
    people: Iterable[AttendeeRow],
    *,
    names: bool,
    logo: bytes | None = None,
) -> list[Face]:
    """One badge a person: with ``names`` their name (or "Guest #N" when they gave none) on one
    line, never a "Guest #N" under a name; without, only the number."""
    return [
        Face(
            row.code,
            event_name,
            event_date,
            "" if names else f"Guest #{row.number}",
            "badge",
            name=row.display_name if names else "",
            logo=logo,
        )
        for row in people
    ]


@dataclass(frozen=True)
class Layout:
    page: tuple[float, float]
    columns: int
    rows: int
    margin_x: float
    margin_y: float
    cut_lines: bool


LAYOUTS: dict[str, Layout] = {
    "letter-30": Layout(LETTER, 3, 10, 0.19 * inch, 0.5 * inch, True),
    "a4-24": Layout(A4, 3, 8, 7 * mm, 12 * mm, True),
    "badges-letter": Layout(LETTER, 2, 4, 0.5 * inch, 0.5 * inch, True),
    "flyers-letter": Layout(LETTER, 2, 2, 0.4 * inch, 0.4 * inch, True),
    # Receipt rolls: taller than wide, so the face stacks the text above a large QR.
    "receipt-80": Layout((80 * mm, 110 * mm), 1, 1, 3 * mm, 3 * mm, False),
    "receipt-58": Layout((58 * mm, 88 * mm), 1, 1, 2 * mm, 2 * mm, False),
    "letter": Layout(LETTER, 1, 1, 0.75 * inch, 3 * inch, False),
    "a4": Layout(A4, 1, 1, 20 * mm, 80 * mm, False),
}

_FONT, _BOLD = "Helvetica", "Helvetica-Bold"


def _fonts() -> tuple[str, str]:
    """DejaVu where installed or bundled (every accent and ñ), else the built-in Helvetica."""
    global _FONT, _BOLD
    folder = find_font_dir()
    if _FONT == "Helvetica" and folder is not None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        try:
            pdfmetrics.registerFont(TTFont("DejaVu", str(folder / FONT_FILES[0])))
            pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(folder / FONT_FILES[1])))
            _FONT, _BOLD = "DejaVu", "DejaVu-Bold"
        except Exception:  # a broken font file: Helvetica still prints the ticket
            pass
    return _FONT, _BOLD


def qr_matrix(code: str) -> list[list[bool]]:
    import qrcode

    maker = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    maker.add_data(code)  # upper-case symbols only: QR alphanumeric mode, a small version
    maker.make(fit=True)
    return [[bool(cell) for cell in row] for row in maker.get_matrix()]


@dataclass(frozen=True)
class Box:
    """A filled black square (a QR module), in points from the face's bottom-left corner."""

    x: float
    y: float
    size: float


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float
    bold: bool


@dataclass(frozen=True)
class Picture:
    """The logo, fitted into a square box."""

    x: float
    y: float
    size: float
    data: bytes


Shape = Box | Text | Picture
Measure = Callable[[str, bool, float], float]  # text width in points for (text, bold, size)


def layout_face(face: Face, w: float, h: float, measure: Measure) -> list[Shape]:
    """The face as drawing primitives: the one layout that the PDF and the Qt printer share.
    Wide cells put the QR beside the text; tall ones (receipt rolls, flyers) stack the text
    above a QR as wide as the paper allows."""
    if h > w * STACK_RATIO:
        return _stacked(face, w, h, measure)
    shapes: list[Shape] = []
    pad = min(w, h) * 0.06
    qr_size = min(h - 2 * pad, w * 0.42)
    shapes += _qr(face.code, pad, (h - qr_size) / 2, qr_size)
    left = 2 * pad + qr_size
    width = w - pad - left
    unit = h / 9
    if face.logo:
        side = min(unit * 2.2, width * 0.3)
        shapes.append(Picture(w - pad - side, pad, side, face.logo))
        width -= side + pad / 2
    lines = _heading(face, unit) + _footer(face, unit)
    cursor = h - pad
    for bold, text, size in lines:
        size = _fit(text, bold, size, width, measure)
        cursor -= size * 1.15
        if cursor < pad * 0.5:
            break
        shapes.append(Text(left, cursor, text, size, bold))
    return shapes


STACK_RATIO = 1.15  # taller than this (height / width): the stacked layout


def _stacked(face: Face, w: float, h: float, measure: Measure) -> list[Shape]:
    shapes: list[Shape] = []
    pad = w * 0.05
    unit = w / 13
    width = w - 2 * pad
    cursor = h - pad
    heading_width = width
    if face.logo:
        side = unit * 2.6
        shapes.append(Picture(w - pad - side, h - pad - side, side, face.logo))
        heading_width -= side + pad / 2
    for bold, text, size in _heading(face, unit):
        size = _fit(text, bold, size, heading_width, measure)
        cursor -= size * 1.15
        shapes.append(Text(pad, cursor, text, size, bold))
    footer: list[tuple[bool, str, float]] = []
    for bold, text, size in _footer(face, unit * 1.05):
        footer += [
            (bold, part, _fit(part, bold, size, width, measure))
            for part in _wrap(text, bold, size, width, measure)
        ]
    footer_height = sum(size * 1.2 for _, _, size in footer)
    qr_size = min(width * 0.8, cursor - pad * 1.5 - footer_height - pad)
    qr_top = cursor - pad / 2
    shapes += _qr(face.code, (w - qr_size) / 2, qr_top - qr_size, qr_size)
    cursor = qr_top - qr_size - pad / 2
    for bold, text, size in footer:
        cursor -= size * 1.2
        if cursor < pad * 0.3:
            break
        shapes.append(Text((w - measure(text, bold, size)) / 2, cursor, text, size, bold))
    return shapes


def _qr(code: str, x: float, y: float, size: float) -> list[Shape]:
    matrix = qr_matrix(code)
    quiet = 2  # modules of white around it for the scanner
    module = size / (len(matrix) + 2 * quiet)
    return [
        Box(x + (c + quiet) * module, y + size - (r + 1 + quiet) * module, module)
        for r, row in enumerate(matrix)
        for c, dark in enumerate(row)
        if dark
    ]


def _heading(face: Face, unit: float) -> list[tuple[bool, str, float]]:
    lines: list[tuple[bool, str, float]] = [(True, face.event_name, unit * 0.9)]
    if face.event_date:
        lines.append((False, face.event_date, unit * 0.7))
    if face.name:
        lines.append((True, face.name, unit * 1.0))
    if face.title:
        lines.append((True, face.title, unit * 0.95))
    if face.serial is not None:
        lines.append((True, f"No. {face.serial:04d}", unit * 1.5))
    return lines


def _footer(face: Face, unit: float) -> list[tuple[bool, str, float]]:
    lines = [
        (False, format_human(face.code), unit * 0.62),
        (False, BILINGUAL.get(face.kind, ""), unit * 0.6),
    ]
    if face.partner_text:
        lines.append((False, face.partner_text, unit * 0.55))
    return lines


def _fit(text: str, bold: bool, size: float, width: float, measure: Measure) -> float:
    while size > 4 and measure(text, bold, size) > width:
        size *= 0.92
    return size


def _wrap(text: str, bold: bool, size: float, width: float, measure: Measure) -> list[str]:
    """Lines of whole words that fit ``width`` (a partner's address on a narrow roll)."""
    lines: list[str] = []
    for word in text.split():
        if lines and measure(f"{lines[-1]} {word}", bold, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def draw_face(canvas: Canvas, face: Face, x: float, y: float, w: float, h: float) -> None:
    regular, bold = _fonts()

    def measure(text: str, is_bold: bool, size: float) -> float:
        return float(canvas.stringWidth(text, bold if is_bold else regular, size))

    canvas.setFillColorRGB(0, 0, 0)
    for shape in layout_face(face, w, h, measure):
        if isinstance(shape, Box):
            canvas.rect(x + shape.x, y + shape.y, shape.size, shape.size, stroke=0, fill=1)
        elif isinstance(shape, Picture):
            from reportlab.lib.utils import ImageReader

            canvas.drawImage(
                ImageReader(io.BytesIO(shape.data)),
                x + shape.x,
                y + shape.y,
                shape.size,
                shape.size,
                preserveAspectRatio=True,
                mask="auto",
            )
        else:
            canvas.setFont(bold if shape.bold else regular, shape.size)
            canvas.drawString(x + shape.x, y + shape.y, shape.text)


def write_pdf(
    faces: Sequence[Face],
    out: Path,
    layout: str = "letter-30",
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write the faces into a PDF (temporary file, then renamed); returns the page count."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout}: choose one of {', '.join(LAYOUTS)}")
    if not faces:
        raise ValueError("nothing to print")
    from reportlab.pdfgen.canvas import Canvas

    spec = LAYOUTS[layout]
    out = Path(out)
    handle, temporary = tempfile.mkstemp(prefix=".checkin-", suffix=".pdf", dir=out.parent)
    os.close(handle)
    try:
        canvas = Canvas(temporary, pagesize=spec.page)
        canvas.setTitle(faces[0].event_name)
        per_page = spec.columns * spec.rows
        cell_w = (spec.page[0] - 2 * spec.margin_x) / spec.columns
        cell_h = (spec.page[1] - 2 * spec.margin_y) / spec.rows
        pages = 0
        for index, face in enumerate(faces):
            if cancelled is not None and cancelled():
                raise InterruptedError("printing cancelled")
            slot = index % per_page
            if slot == 0:
                if index:
                    canvas.showPage()
                pages += 1
                if spec.cut_lines:
                    _cut_lines(canvas, spec, cell_w, cell_h)
                if face.sheet is not None:
                    _sheet_line(canvas, spec, faces[index : index + per_page])
            column, row = slot % spec.columns, slot // spec.columns
            x = spec.margin_x + column * cell_w
            y = spec.page[1] - spec.margin_y - (row + 1) * cell_h
            draw_face(canvas, face, x, y, cell_w, cell_h)
            if progress is not None:
                progress(index + 1, len(faces))
        canvas.save()
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return pages


def sheet_label(faces: Sequence[Face]) -> str:
    """ "Sheet 3 · Raffle Nos. 61-90": under a stock page, so a missing sheet can be voided by
    its number (`checkin void --sheet 3`)."""
    serials = [f.serial for f in faces if f.serial is not None]
    numbers = f" Nos. {min(serials)}-{max(serials)}" if serials else ""
    return f"Sheet {faces[0].sheet} · {faces[0].title}{numbers}"


def _sheet_line(canvas: Canvas, spec: Layout, faces: Sequence[Face]) -> None:
    regular, _ = _fonts()
    canvas.saveState()
    canvas.setFont(regular, 8)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawCentredString(spec.page[0] / 2, spec.margin_y * 0.4, sheet_label(faces))
    canvas.restoreState()


def _cut_lines(canvas: Canvas, spec: Layout, cell_w: float, cell_h: float) -> None:
    canvas.saveState()
    canvas.setDash(3, 3)
    canvas.setLineWidth(0.3)
    canvas.setStrokeGray(0.6)
    top, bottom = spec.page[1] - spec.margin_y, spec.margin_y
    left, right = spec.margin_x, spec.page[0] - spec.margin_x
    for c in range(spec.columns + 1):
        canvas.line(left + c * cell_w, bottom, left + c * cell_w, top)
    for r in range(spec.rows + 1):
        canvas.line(left, bottom + r * cell_h, right, bottom + r * cell_h)
    canvas.restoreState()
