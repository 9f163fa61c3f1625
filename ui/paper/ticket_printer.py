"""Print on demand from the desk: the same ticket layout as the PDFs (checkin.paper.ticket_pdf),
painted with Qt onto the chosen printer. The print dialog appears once; the printer is
remembered after that. With no printer the volunteer is told so at once (no hang)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, QSettings, QSizeF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtWidgets import QDialog, QInputDialog, QWidget

from checkin.paper.ticket_pdf import LAYOUTS, Box, Face, Picture, layout_face
from ui.common.layout_names import layout_label
from ui.core.setting_keys import LaptopSetting

# Qt's print support is imported when the desk first prints: loading it (and CUPS) is some
# 60 ms of the app's start.
if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

POINTS_PER_INCH = 72.0
# Receipt printers (80 and 58 mm rolls), then full pages: the choice is remembered.
PRINT_LAYOUTS = ("receipt-80", "receipt-58", "letter", "a4")


def page_size(layout: str) -> QPageSize:
    width, height = LAYOUTS[layout].page
    return QPageSize(
        QSizeF(width, height), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch
    )


def paint(printer: QPrinter, faces: Sequence[Face], layout: str) -> int:
    """Paint the faces onto the printer, page by page; returns the page count."""
    spec = LAYOUTS[layout]
    printer.setPageSize(page_size(layout))
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(QCoreApplication.translate("TicketPrinter", "The printer could not start"))
    scale = printer.resolution() / POINTS_PER_INCH
    per_page = spec.columns * spec.rows
    cell_w = (spec.page[0] - 2 * spec.margin_x) / spec.columns
    cell_h = (spec.page[1] - 2 * spec.margin_y) / spec.rows
    fonts: dict[tuple[bool, float], QFont] = {}

    def font(bold: bool, size: float) -> QFont:
        key = (bold, round(size, 1))
        if key not in fonts:
            made = QFont("DejaVu Sans")
            made.setPixelSize(max(1, round(size * scale)))
            made.setBold(bold)
            fonts[key] = made
        return fonts[key]

    def measure(text: str, bold: bool, size: float) -> float:
        return QFontMetricsF(font(bold, size), printer).horizontalAdvance(text) / scale

    pages = 0
    try:
        for index, face in enumerate(faces):
            slot = index % per_page
            if slot == 0:
                if index:
                    printer.newPage()
                pages += 1
            column, row = slot % spec.columns, slot // spec.columns
            left = spec.margin_x + column * cell_w
            top = spec.margin_y + row * cell_h
            for shape in layout_face(face, cell_w, cell_h, measure):
                if isinstance(shape, Box):
                    # primitives count from the cell's bottom-left; Qt from the page's top-left
                    y = top + cell_h - shape.y - shape.size
                    painter.fillRect(
                        QRectF(
                            (left + shape.x) * scale,
                            y * scale,
                            shape.size * scale + 0.5,
                            shape.size * scale + 0.5,
                        ),
                        Qt.GlobalColor.black,
                    )
                elif isinstance(shape, Picture):
                    image = QImage.fromData(shape.data)
                    box = QRectF(
                        (left + shape.x) * scale,
                        (top + cell_h - shape.y - shape.size) * scale,
                        shape.size * scale,
                        shape.size * scale,
                    )
                    fitted = image.size().scaled(
                        box.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio
                    )
                    painter.drawImage(QRectF(box.topLeft(), fitted.toSizeF()), image)
                else:
                    painter.setFont(font(shape.bold, shape.size))
                    painter.drawText(
                        QPointF((left + shape.x) * scale, (top + cell_h - shape.y) * scale),
                        shape.text,
                    )
    finally:
        painter.end()
    return pages


class TicketPrinter:
    """Chooses the printer once (dialog), then prints straight to it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._parent = parent

    def printer(self) -> QPrinter | None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo

        names = QPrinterInfo.availablePrinterNames()
        if not names:
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        remembered = str(QSettings().value(LaptopSetting.PRINTER_NAME, ""))
        if remembered in names:
            printer.setPrinterName(remembered)
            return printer
        dialog = QPrintDialog(printer, self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        QSettings().setValue(LaptopSetting.PRINTER_NAME, printer.printerName())
        labels = [layout_label(name) for name in PRINT_LAYOUTS]
        label, chosen = QInputDialog.getItem(
            self._parent,
            QCoreApplication.translate("TicketPrinter", "Ticket layout"),
            QCoreApplication.translate("TicketPrinter", "What paper is in this printer?"),
            labels,
            0,
            False,
        )
        if chosen and label in labels:
            QSettings().setValue(LaptopSetting.PRINT_LAYOUT, PRINT_LAYOUTS[labels.index(label)])
        return printer

    def print_faces(self, faces: Sequence[Face], layout: str | None = None) -> tuple[bool, str]:
        """(printed, message for the banner)."""
        if not faces:
            return False, QCoreApplication.translate("TicketPrinter", "Nothing to print")
        printer = self.printer()
        if printer is None:
            return False, QCoreApplication.translate(
                "TicketPrinter",
                "No printer is available: show the code on screen for a phone photo, or print "
                "from another computer with `checkin tickets`.",
            )
        chosen = layout or str(QSettings().value(LaptopSetting.PRINT_LAYOUT, "receipt-80"))
        pages = paint(printer, faces, chosen if chosen in LAYOUTS else "receipt-80")
        return True, QCoreApplication.translate(
            "TicketPrinter", "Sent {pages} page(s) to {printer}"
        ).format(pages=pages, printer=printer.printerName())
