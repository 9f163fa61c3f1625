"""The person on screen: name or "Guest #N", household, tickets given and still due, and their
QR code large enough to photograph with a phone."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from checkin.codes import format_human
from checkin.people.attention import Readers, text_shown
from checkin.results import AttendeeInfo, Station, StationMode, TicketDue
from checkin.ticketing import TicketKind
from ui.common.live_texts import LiveTexts
from ui.common.person_names import localized_name
from ui.core.ops import QueryOp, Running
from ui.desk.banner import ATTENTION

QR_PIXELS = 260
QR_MIN_PIXELS = 100  # still photographs well; lets the desk fit a 768-pixel-high screen


def qr_image(code: str) -> QImage:
    """The code's QR at one pixel a module. Encoding it costs some 15 ms of Python (the best of
    eight masks is chosen), so the desk makes it off the GUI thread: a QImage may be made on
    any thread, a QPixmap only on the GUI thread."""
    import qrcode  # here: with Pillow, a twentieth of a second the app's start need not wait for

    matrix = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    matrix.add_data(code)
    matrix.make(fit=True)
    image = matrix.make_image(fill_color="black", back_color="white").convert("L")
    data = image.tobytes()
    qimage = QImage(data, image.width, image.height, image.width, QImage.Format.Format_Grayscale8)
    return qimage.copy()


def scaled(image: QImage, size: int) -> QPixmap:
    return QPixmap.fromImage(image).scaled(
        size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
    )


def qr_pixmap(code: str, size: int = QR_PIXELS) -> QPixmap:
    return scaled(qr_image(code), size)


class QrLabel(QLabel):
    """A person's QR code at the size the panel has room for, between QR_MIN_PIXELS and
    QR_PIXELS: a fixed 260-pixel code pushed the window past a 768-pixel screen."""

    def __init__(self) -> None:
        super().__init__(alignment=Qt.AlignmentFlag.AlignCenter)
        self._code = ""
        self._side = 0
        self._image: QImage | None = None
        self._task: Running | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # Otherwise the first person's card pays for importing the encoder (qrcode with Pillow,
        # some 20 ms of the first scan): import it once the window is up and idle.
        QTimer.singleShot(0, self, self._warm_up)

    def _warm_up(self) -> None:
        if self._task is None:
            self._task = QueryOp(
                parent=self, op=lambda: qr_image("0"), success=lambda _image: None
            ).run_in_background()

    def show_code(self, code: str) -> None:
        if code == self._code and self._image is not None:
            return
        self._code, self._side, self._image = code, 0, None
        self.clear()
        self._task = QueryOp(
            parent=self, op=lambda: (code, qr_image(code)), success=self._made
        ).run_in_background()

    def _made(self, made: tuple[str, QImage]) -> None:
        code, image = made
        if code == self._code:  # not a card shown since
            self._image = image
            self._redraw()

    def clear_code(self) -> None:
        self._code, self._side, self._image = "", 0, None
        self.clear()

    def sizeHint(self) -> QSize:
        return QSize(QR_PIXELS, QR_PIXELS) if self._code else QSize(0, 0)

    def minimumSizeHint(self) -> QSize:
        return QSize(QR_MIN_PIXELS, QR_MIN_PIXELS) if self._code else QSize(0, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._redraw()

    def _redraw(self) -> None:
        if not self._code or self._image is None:
            return
        side = max(QR_MIN_PIXELS, min(QR_PIXELS, self.width(), self.height()))
        if side != self._side:  # scaled afresh at each size: every module stays sharp
            self._side = side
            self.setPixmap(scaled(self._image, side))


class PersonPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person: AttendeeInfo | None = None
        self.station: Station | None = None
        # Who may read an attention note here (an event setting), and whether the organiser
        # lock is open: the desk keeps both current.
        self.attention_readers = Readers.EVERYONE
        self.organiser: Callable[[], bool] = lambda: False
        self.name = QLabel(wordWrap=True)
        self.name.setObjectName("personName")  # the theme may size it
        font = self.name.font()
        font.setPointSize(20)
        font.setBold(True)
        self.name.setFont(font)
        self.household = QLabel(wordWrap=True)
        # The attention note, shown as long as the card is (a banner clears after 5 s). The
        # desk places it under the banner, where a sentence has the width the card has not.
        self.note = QLabel(wordWrap=True)
        self.note.setObjectName("attentionNote")
        self.note.setStyleSheet(
            f"background:{ATTENTION[0]}; color:{ATTENTION[1]}; padding:4px;"
            " border-radius:4px; font-size:14pt; font-weight:bold;"
        )
        self.note.hide()
        self.tickets = QLabel(wordWrap=True)
        self.qr = QrLabel()
        # Wraps at a hyphen rather than losing its last pixel: some codes in high contrast are
        # a pixel wider than the column at 1366x768.
        self.code = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        for widget in (self.name, self.household, self.tickets, self.qr, self.code):
            layout.addWidget(widget)
        self.show_person(None)
        LiveTexts(self)(self._reword)  # now, and again on a language switch

    def show_person(self, person: AttendeeInfo | None) -> None:
        self.person = person
        if person is None:
            self.name.setText(self.tr("Nobody selected"))
            self.household.setText("")
            self.note.setVisible(False)
            self.tickets.setText("")
            self.qr.clear_code()
            self.code.setText("")
            return
        self.name.setText(localized_name(person.display_name))
        self.note.setText(self._note(person))
        self.note.setAccessibleName(self.tr("Note about this person"))
        self.note.setVisible(person.needs_attention)
        self.household.setText(
            self.tr("Household of {n} (adults {a}, kids {k}, seniors {s})").format(
                n=person.household_size, a=person.adults, k=person.kids, s=person.seniors
            )
            + (f" · {person.zip_code}" if person.zip_code else "")
        )
        self.tickets.setText("\n".join(self._lines(person)))
        self.qr.show_code(person.code)
        self.code.setText(format_human(person.code))

    def _note(self, person: AttendeeInfo) -> str:
        text = text_shown(person, self.attention_readers, self.organiser())
        if text is None:
            return self.tr("Needs attention: ask the organiser")
        if not text:
            return self.tr("Needs attention") if person.needs_attention else ""
        return self.tr("Note: {notes}").format(notes=text)

    def set_station(self, station: Station) -> None:
        """The station the card is shown at: a resource station shows what is left."""
        if station != self.station:
            self.station = station
            self.show_person(self.person)

    def _lines(self, person: AttendeeInfo) -> list[str]:
        dues = [due for due in person.dues if due.allowed or due.held]
        station = self.station
        if station is not None and station.mode is StationMode.RESOURCE:
            # What the household may still be handed, this station's type first: "Meal: 2 of
            # 4 left" counts down scan by scan ("has all 4" stayed the same all along).
            here = [d for d in dues if d.kind == TicketKind.RESOURCE]
            here.sort(key=lambda d: d.type_name != station.ticket_type)
            return [self._left(d) for d in here]
        # At the desk, what the household has and may still get: a record, not a to-do (a
        # type not issued here is handed out at its own station or from pre-printed stock).
        return [
            (
                self.tr("{type}: has {held} of {allowed}").format(
                    type=due.type_name, held=due.held, allowed=due.allowed
                )
                if due.due
                else self.tr("{type}: has all {held}").format(type=due.type_name, held=due.held)
            )
            for due in dues
        ]

    def _left(self, due: TicketDue) -> str:
        return self.tr("{type}: {left} of {allowed} left").format(
            type=due.type_name, left=due.left, allowed=max(due.allowed, due.held)
        )

    def _reword(self) -> None:
        self.setAccessibleName(self.tr("Person on screen"))
        self.show_person(self.person)  # its words are made when shown
