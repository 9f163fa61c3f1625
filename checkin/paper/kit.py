"""The paper fallback kit: the volunteer guide (English and Spanish), the pre-registered list
with codes and blank tally sheets, for when a laptop dies. Printed before the event; entered
afterwards with checkin.paper.tallies."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from checkin.codes import format_human
from checkin.event.events import get_event
from checkin.paper.guide import LANGUAGES as GUIDE_LANGUAGES
from checkin.paper.guide_pdf import draw_guide
from checkin.paper.ticket_pdf import _fonts
from checkin.people.listing import iter_attendees
from checkin.store import AttendeeSource, Database
from checkin.ticketing.tickets import list_ticket_types

ROWS_PER_PAGE = 40
WALKUP_ROWS = 28


def write_paper_kit(db: Database, out: Path) -> int:
    """Write the kit (temporary file, then renamed); returns the page count."""
    regular, bold = _fonts()
    event = get_event(db)
    title = f"{event.name} · {event.date.isoformat() if event.date else ''}".strip(" ·")
    _width, height = LETTER
    handle, temporary = tempfile.mkstemp(prefix=".checkin-", suffix=".pdf", dir=out.parent)
    os.close(handle)
    canvas = Canvas(temporary, pagesize=LETTER)
    # The volunteer guide first, in both languages: what to do is on the table with the sheets.
    for language in GUIDE_LANGUAGES:
        draw_guide(canvas, language)
        canvas.showPage()
    pages = len(GUIDE_LANGUAGES)
    guide_pages = pages

    def header(text: str) -> float:
        nonlocal pages
        if pages > guide_pages:
            canvas.showPage()
        pages += 1
        canvas.setFont(bold, 14)
        canvas.drawString(0.6 * inch, height - 0.7 * inch, text)
        canvas.setFont(regular, 9)
        canvas.drawString(0.6 * inch, height - 0.9 * inch, title)
        return float(height - 1.2 * inch)

    people = [row for row in iter_attendees(db) if row.source != AttendeeSource.WALKUP]
    for start in range(0, max(1, len(people)), ROWS_PER_PAGE):
        y = header("Pre-registered / Pre-registrados")
        canvas.setFont(bold, 8.5)
        for x, label in (
            (0.6, "✓"),
            (0.9, "#"),
            (1.4, "Name / Nombre"),
            (4.3, "People"),
            (4.9, "ZIP"),
            (5.6, "Code / Código"),
        ):
            canvas.drawString(x * inch, y, label)
        canvas.setFont(regular, 8.5)
        for row in people[start : start + ROWS_PER_PAGE]:
            y -= 0.215 * inch
            canvas.rect(0.6 * inch, y - 1, 8, 8)
            canvas.drawString(0.9 * inch, y, str(row.number))
            canvas.drawString(1.4 * inch, y, row.display_name[:42])
            canvas.drawString(4.3 * inch, y, str(row.household_size))
            canvas.drawString(4.9 * inch, y, row.zip_code)
            canvas.drawString(5.6 * inch, y, format_human(row.code))

    y = header("Walk-ups (from paper) / Sin registro previo")
    canvas.setFont(bold, 10)
    for x, label in ((0.6, "Adults"), (1.8, "Kids"), (3.0, "Seniors"), (4.2, "ZIP")):
        canvas.drawString(x * inch, y, label)
    canvas.setFont(regular, 10)
    for _ in range(WALKUP_ROWS):
        y -= 0.3 * inch
        for x in (0.6, 1.8, 3.0, 4.2):
            canvas.line(x * inch, y, (x + 0.9) * inch, y)

    y = header("Tickets handed out (tally) / Boletos entregados")
    for ticket_type in list_ticket_types(db):
        y -= 0.45 * inch
        canvas.setFont(bold, 11)
        canvas.drawString(0.6 * inch, y, ticket_type.name)
        for box in range(20):  # five-bar gates: 20 boxes of 5
            canvas.rect((2.3 + box * 0.28) * inch, y - 3, 0.24 * inch, 0.24 * inch)
    canvas.setFont(regular, 9)
    canvas.drawString(
        0.6 * inch,
        y - 0.6 * inch,
        "Afterwards: checkin paper-entry (or the Paper screen) enters these counts.",
    )
    canvas.save()
    os.replace(temporary, out)
    return pages
