"""The report as a PDF (reportlab): one or two pages, black, white and greys only."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from checkin.after_event.report.charts import Box, Chart, Label, Line, hatch_lines
from checkin.after_event.report.content import ReportContent, Table
from checkin.paper.fonts import FONT_FILES, find_font_dir

# A Unicode font when the bundle or the system has one (names of prizes or places in any
# script); otherwise the PDF core fonts, which cover Western European text.
_fonts: tuple[str, str] | None = None


def fonts() -> tuple[str, str]:
    global _fonts
    if _fonts is None:
        _fonts = ("Helvetica", "Helvetica-Bold")
        folder = find_font_dir()
        if folder is not None:
            try:
                pdfmetrics.registerFont(TTFont("ReportSans", str(folder / FONT_FILES[0])))
                pdfmetrics.registerFont(TTFont("ReportSans-Bold", str(folder / FONT_FILES[1])))
                _fonts = ("ReportSans", "ReportSans-Bold")
            except Exception:  # a damaged font file: the core fonts do
                pass
    return _fonts


class ChartFlowable(Flowable):  # type: ignore[misc]
    def __init__(self, chart: Chart) -> None:
        super().__init__()
        self.chart = chart
        self.width = chart.width
        self.height = chart.height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.chart.width, self.chart.height

    def draw(self) -> None:
        draw_chart(self.canv, self.chart)


def draw_chart(canvas: Any, chart: Chart) -> None:
    regular, bold = fonts()
    for shape in chart.shapes:
        if isinstance(shape, Box):
            canvas.setFillGray(shape.fill)
            canvas.setStrokeGray(0)
            canvas.setLineWidth(0.6)
            canvas.rect(shape.x, shape.y, shape.w, shape.h, stroke=1, fill=1)
            if shape.hatch:
                for line in hatch_lines(shape):
                    _line(canvas, line)
        elif isinstance(shape, Line):
            _line(canvas, shape)
        elif isinstance(shape, Label):
            canvas.setFillGray(0)
            canvas.setFont(bold if shape.bold else regular, shape.size)
            draw = {
                "start": canvas.drawString,
                "middle": canvas.drawCentredString,
                "end": canvas.drawRightString,
            }[shape.anchor]
            draw(shape.x, shape.y, shape.text)


def _line(canvas: Any, line: Line) -> None:
    canvas.setStrokeGray(line.grey)
    canvas.setLineWidth(line.width)
    canvas.line(line.x1, line.y1, line.x2, line.y2)


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=17, leading=21),
        "subtitle": ParagraphStyle("subtitle", fontName=regular, fontSize=10, leading=13),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=10, leading=13, spaceBefore=6),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=7.5, leading=9),
        "note": ParagraphStyle("note", fontName=regular, fontSize=7, leading=9),
        "mono": ParagraphStyle("mono", fontName="Courier", fontSize=7.5, leading=9.5),
        "figure": ParagraphStyle("figure", fontName=bold, fontSize=14, leading=17),
        "figlabel": ParagraphStyle("figlabel", fontName=regular, fontSize=7.5, leading=9),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _words(column: int, table: Table) -> list[str]:
    texts = (table.header[column], *(row[column] for row in table.rows))
    return [word for text in texts for word in text.split()] or [""]


def _table(table: Table, styles: dict[str, ParagraphStyle], width: float) -> KeepTogether:
    _, bold = fonts()
    data = [[_p(h, styles["cell"]) for h in table.header]]
    data += [[_p(c, styles["cell"]) for c in row] for row in table.rows]
    # columns as wide as their longest text (within reason), filling the text width
    longest = [
        min(60, max(len(row[i]) for row in (table.header, *table.rows)))
        for i in range(len(table.header))
    ]
    weights = [max(6, n) for n in longest]
    # Never narrower than the column's longest word ("Redrawn" broke as "Redr/awn"); the
    # rest of the width goes by the length of the texts.
    floors = [
        min(width / 4, max(stringWidth(word, bold, 7.5) for word in _words(i, table)) + 14)
        for i in range(len(table.header))
    ]
    spare = max(0.0, width - sum(floors))
    widths = [f + spare * w / sum(weights) for f, w in zip(floors, weights, strict=True)]
    grid = PdfTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), bold),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.85, 0.85, 0.85)),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.Color(0.6, 0.6, 0.6)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    parts: list[Flowable] = [_p(table.title, styles["h2"]), grid]
    if table.note:
        parts.append(_p(table.note, styles["note"]))
    return KeepTogether(parts)


def _headline(content: ReportContent, styles: dict[str, ParagraphStyle]) -> PdfTable:
    cells = [
        [_p(value, styles["figure"]), _p(label, styles["figlabel"])]
        for label, value in content.headline
    ]
    # three figures a row, each a small box: value over label
    rows = []
    for start in range(0, len(cells), 3):
        group = cells[start : start + 3]
        group += [["", ""]] * (3 - len(group))
        rows.append([g[0] for g in group])
        rows.append([g[1] for g in group])
    grid = PdfTable(rows, colWidths=[174] * 3, hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                ("INNERGRID", (0, 0), (-1, -1), 0.25, colors.Color(0.7, 0.7, 0.7)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
            + [("LINEBELOW", (0, r), (-1, r), 0, colors.white) for r in range(0, len(rows), 2)]
        )
    )
    return grid


def write_pdf(content: ReportContent, out: Path) -> None:
    styles = _styles()
    story: list[Flowable] = [_p(content.title, styles["title"])]
    if content.subtitle:
        story.append(_p(content.subtitle, styles["subtitle"]))
    story += [Spacer(1, 6), _headline(content, styles), Spacer(1, 10)]
    for chart in content.charts:
        story += [ChartFlowable(chart), Spacer(1, 8)]
    for table in content.tables:
        story += [_table(table, styles, 523), Spacer(1, 4)]
    story.append(_p("Accountability record", styles["h2"]))
    story += [
        _p(line, styles["mono"] if "hash:" in line else styles["note"]) for line in content.record
    ]
    doc = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"{content.title}: event report",
        author="checkin",
        invariant=1,  # the same figures give the same file
    )
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)


def _footer(canvas: Any, doc: Any) -> None:
    regular, _ = fonts()
    canvas.saveState()
    canvas.setFont(regular, 7)
    canvas.setFillGray(0.3)
    canvas.drawRightString(A4[0] - 14 * mm, 7 * mm, f"page {doc.page}")
    canvas.restoreState()
