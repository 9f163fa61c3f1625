"""The volunteer guide on one Letter page (checkin/paper/guide.py holds the words)."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph, Spacer, Table, TableStyle

from checkin.paper.guide import Guide, guide
from checkin.paper.ticket_pdf import _fonts

MARGIN = 0.55 * inch
# Without DejaVu the core fonts have no ✔ ⚠ ✖: plain letters say the same.
_PLAIN_SYMBOLS = {"✔": "OK", "⚠": "!", "✖": "X"}


class GuideOverflow(Exception):
    """The guide's text no longer fits on one page (a test keeps it from happening)."""


# The body text's size, largest first: the page takes the largest that fits (Spanish runs
# about a tenth longer than English).
BODY_SIZES = (10.5, 10.0, 9.5, 9.0)


def _flowables(text: Guide, width: float, size: float = BODY_SIZES[0]) -> list[Flowable]:
    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=size, leading=size * 1.26)
    bullet = ParagraphStyle("bullet", parent=body, leftIndent=10, bulletIndent=0, spaceAfter=1.5)
    heading = ParagraphStyle(
        "heading", parent=body, fontName=bold, fontSize=13, leading=16, spaceBefore=8, spaceAfter=2
    )
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=21, leading=26)

    def bullets(lines: tuple[str, ...]) -> list[Flowable]:
        return [Paragraph(escape(line), bullet, bulletText="•") for line in lines]

    story: list[Flowable] = [
        Paragraph(escape(text.title), title),
        Paragraph(escape(text.intro), body),
        Paragraph(escape(text.scan.title), heading),
        *bullets(text.scan.lines),
        Paragraph(escape(text.tones_title), heading),
    ]
    symbol_style = ParagraphStyle("symbol", parent=body, fontName=bold, fontSize=17, leading=20)
    rows = []
    styles: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9e9e9e")),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for index, tone in enumerate(text.tones):
        ink = "#000000" if tone.hex == "#ffb300" else "#ffffff"
        symbol = tone.symbol if regular != "Helvetica" else _PLAIN_SYMBOLS.get(tone.symbol, "!")
        rows.append(
            [
                Paragraph(
                    f'<font color="{ink}">{escape(symbol)} {escape(tone.colour)}</font>',
                    symbol_style,
                ),
                Paragraph(
                    f'<font name="{bold}">{escape(tone.meaning)}</font> ({escape(tone.sound)})<br/>'
                    f"{escape(tone.examples)}",
                    body,
                ),
            ]
        )
        styles.append(("BACKGROUND", (0, index), (0, index), colors.HexColor(tone.hex)))
    table = Table(rows, colWidths=[1.45 * inch, width - 1.45 * inch])
    table.setStyle(TableStyle(styles))
    story.append(table)
    for section in text.sections:
        story += [Paragraph(escape(section.title), heading), *bullets(section.lines)]
    story += [
        Spacer(1, 6),
        Paragraph(escape(text.footer), ParagraphStyle("footer", parent=body, fontName=bold)),
    ]
    return story


def _frame() -> Frame:
    width, height = LETTER
    return Frame(
        MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN, 0, 0, 0, 0, showBoundary=0
    )


def draw_guide(canvas: Canvas, language: str) -> None:
    """The guide on the canvas's current page; raises GuideOverflow if it would not fit."""
    width = LETTER[0] - 2 * MARGIN
    for size in BODY_SIZES:
        trial = _flowables(guide(language), width, size)
        _frame().addFromList(trial, Canvas(io.BytesIO()))  # laid out on a page thrown away
        if not trial:
            _frame().addFromList(_flowables(guide(language), width, size), canvas)
            return
    raise GuideOverflow(f"the {language} guide does not fit on one page")


def write_guide(out: Path, language: str) -> None:
    """One page (temporary file, then renamed)."""
    handle, temporary = tempfile.mkstemp(prefix=".checkin-", suffix=".pdf", dir=out.parent)
    os.close(handle)
    try:
        canvas = Canvas(temporary, pagesize=LETTER)
        canvas.setTitle(guide(language).title)
        draw_guide(canvas, language)
        canvas.save()
        os.replace(temporary, out)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
