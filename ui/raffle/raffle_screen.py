"""The big screen: the crowd watches the pool and the commitment, then the winning number.

Keyboard only, so a volunteer can run it from a laptop facing the projector. Every command
needs Ctrl or a deliberate hold, because a scanner types codes whose alphabet holds R, W, M and
more, and a one-laptop setup may have this window in front when a ticket is scanned:
Ctrl+Space or Space held HOLD_MS draws (and moves on to the next prize, and skips the rolling
digits), Ctrl+W takes a witness number from the crowd (only while a commitment is shown: the
number must come after it), Ctrl+R redraws a prize nobody came for (after a confirmation and the
PIN or passphrase, asked every time), Ctrl+M moves the window to the next display, F11 toggles
full screen, Esc leaves. The hint line lists only the keys that work right now. Questions for
the operator (PIN, redraw) open over the operator's window, not on the projector.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QElapsedTimer, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QGuiApplication, QKeyEvent, QResizeEvent, QScreen
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from checkin import raffle
from checkin.changes import Changes, Kind
from checkin.raffle import (
    DrawCommitment,
    DrawOutcome,
    DrawRecord,
    DrawResult,
    DrawState,
    SeedSource,
)
from ui.core.context import EventContext
from ui.core.organiser_lock import require_organiser

ANIMATION_MS = 2000
# Space must be held this long to draw: a scanner's space is a press and a release, never held.
HOLD_MS = 600
FRAME_MS = 50

BACKGROUND = "#070b16"
NUMBER = "#ffd23f"  # warm yellow: the brightest thing a washed-out projector still shows
TEXT = "#ffffff"
MUTED = "#c3d0e0"
ACCENT = "#7fdbff"


class Phase(enum.Enum):
    READY = "ready"  # pool and commitment shown; Space draws
    ROLLING = "rolling"
    WINNER = "winner"
    FINISHED = "finished"  # nothing left, or nobody eligible, or a message to read


class BigNumber(QLabel):
    """The winning number, as large as its space allows (a message wraps at a readable size)."""

    def fit(self) -> None:
        text = self.text() or "0"
        if self.wordWrap():
            size = min(self.height() * 0.3, self.width() / 16)
        else:
            size = min(self.height() * 0.95, self.width() / (max(len(text), 2) * 0.7))
        font = QFont(self.font())
        font.setPixelSize(max(12, int(size)))
        font.setBold(True)
        self.setFont(font)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.fit()

    def setWordWrap(self, on: bool) -> None:
        super().setWordWrap(on)
        self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()


class RaffleScreen(QWidget):
    """A full-screen window for one event's draws."""

    drawn = Signal(object)  # DrawRecord, after it is on disk

    def __init__(
        self,
        context: EventContext,
        parent: QWidget | None = None,
        *,
        prize: str | None = None,
        seed_source: SeedSource | None = None,
        animation_ms: int = ANIMATION_MS,
        hold_ms: int = HOLD_MS,
        operator: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._context = context
        # The window the operator faces (the main window); questions open over it.
        self._operator = operator or parent
        self._hold_ms = hold_ms
        self._space = QElapsedTimer()  # running while Space is held
        self._space_fired = False  # this hold has drawn already
        self._prize = prize
        self._seed_source = seed_source or raffle.secret_seed
        self._animation_ms = animation_ms
        self._commitment: DrawCommitment | None = None
        self._last: DrawRecord | None = None
        self._witness = ""
        self._phase = Phase.FINISHED
        self._frame = 0
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._roll)

        self.setWindowTitle(self.tr("Raffle"))
        self.setAccessibleName(self.tr("Raffle big screen"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(True)
        # Only the window itself: a style sheet cascades into child dialogs (the witness number,
        # the redraw question), and a "QLabel" rule there put white text on a light dialog.
        # Each label sets its own colour in _style.
        self.setStyleSheet(f"RaffleScreen {{ background: {BACKGROUND}; }}")

        self.event_label = self._label("eventName", MUTED)
        self.prize_label = self._label("prizeName", TEXT, bold=True)
        self.detail_label = self._label("prizeDetail", ACCENT)
        self.caption_label = self._label("numberCaption", MUTED)
        self.number_label = BigNumber(self)
        self._style(self.number_label, "winnerNumber", NUMBER, bold=True)
        # Ignored: the digits are sized to the window, never the window to the digits.
        self.number_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.call_label = self._label("comeToTable", TEXT, bold=True)
        self.proof_label = self._label("fairness", MUTED)
        self.proof_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hint_label = self._label("keys", MUTED)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 24)
        layout.setSpacing(8)
        layout.addWidget(self.event_label)
        layout.addWidget(self.prize_label)
        layout.addWidget(self.detail_label)
        layout.addSpacing(12)
        layout.addWidget(self.caption_label)
        layout.addWidget(self.number_label, 1)
        layout.addWidget(self.call_label)
        layout.addSpacing(12)
        layout.addWidget(self.proof_label)
        layout.addWidget(self.hint_label)

        self.event_label.setText(context.info.name)
        self.number_label.setAccessibleName(self.tr("Winning ticket number"))
        self._fit_fonts()
        self.prepare()

    # --- building blocks ----------------------------------------------------------------

    def _label(self, name: str, colour: str, *, bold: bool = False) -> QLabel:
        return self._style(QLabel(self), name, colour, bold=bold)

    @staticmethod
    def _style(label: QLabel, name: str, colour: str, *, bold: bool = False) -> QLabel:
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(name not in ("winnerNumber",))
        weight = "700" if bold else "400"
        label.setStyleSheet(f"color: {colour}; font-weight: {weight};")
        return label

    def _fit_fonts(self) -> None:
        """Sizes follow the window height, so a 720p projector and a 4K TV both fill nicely."""
        height = max(self.height(), 360)
        sizes = {
            self.event_label: 0.035,
            self.prize_label: 0.085,
            self.detail_label: 0.045,
            self.caption_label: 0.045,
            self.call_label: 0.055,
            self.proof_label: 0.025,
            self.hint_label: 0.024,
        }
        for label, share in sizes.items():
            font = QFont(self.font())
            font.setPixelSize(max(10, int(height * share)))
            font.setBold(label in (self.prize_label, self.call_label))
            label.setFont(font)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_fonts()

    @property
    def phase(self) -> Phase:
        return self._phase

    @property
    def witness(self) -> str:
        return self._witness

    @property
    def last_draw(self) -> DrawRecord | None:
        return self._last

    def _set_phase(self, phase: Phase) -> None:
        self._phase = phase
        self.hint_label.setText(self._keys_hint(phase))
        self._fit_fonts()

    def _keys_hint(self, phase: Phase) -> str:
        """Only the keys that do something now: Ctrl+W is refused outside READY, because a
        witness number must be called out after the commitment is on screen, never before."""
        if phase is Phase.READY:
            return self.tr(
                "Hold Space or Ctrl+Space: draw  ·  Ctrl+W: witness number  ·  Ctrl+R: redraw"
                "  ·  Ctrl+M: next display  ·  Esc: leave"
            )
        if phase is Phase.ROLLING:
            return self.tr("Hold Space or Ctrl+Space: show the number")
        if phase is Phase.WINNER:
            return self.tr(
                "Hold Space or Ctrl+Space: next prize  ·  Ctrl+R: redraw  ·  Ctrl+M: next display"
                "  ·  Esc: leave"
            )
        return self.tr(
            "Hold Space or Ctrl+Space: check again  ·  Ctrl+R: redraw  ·  Ctrl+M: next display"
            "  ·  Esc: leave"
        )

    def operator_window(self) -> QWidget:
        """Where the PIN and the redraw question open: the operator's window (the main window),
        never the projector in front of the crowd. Without one, this window itself."""
        return self._operator.window() if self._operator is not None else self

    # --- what the crowd sees --------------------------------------------------------------

    def prepare(self) -> None:
        """Commit to the next draw and show the pool and the commitment before anyone draws."""
        prepared = raffle.prepare_draw(
            self._context.db,
            self._prize,
            station=self._context.station.name,
            seed_source=self._seed_source,
        )
        if (
            isinstance(prepared, DrawResult)
            and prepared.outcome is DrawOutcome.PRIZE_DONE
            and self._prize is not None
        ):
            self._prize = None  # the chosen prize is done: carry on in the order of drawing
            self.prepare()
            return
        self._show_prepared(prepared)

    def _show_prepared(self, prepared: DrawCommitment | DrawResult) -> None:
        if isinstance(prepared, DrawResult):
            self._commitment = None
            self._show_refusal(prepared)
            return
        self._commitment = prepared
        self._context.notify_changed(Changes.of(Kind.RAFFLE))  # the commitment is in the log
        self._show_prize(prepared.prize, prepared.sponsor, prepared.unit, prepared.quantity)
        if prepared.redraw_of is not None and self._last is not None:
            self.caption_label.setText(
                self.tr("Redraw: ticket No. %1 did not come for it").replace(
                    "%1", str(self._last.serial)
                )
            )
        else:
            self.caption_label.setText(self.tr("Ready to draw"))
        self.number_label.setText("?")
        self.call_label.setText(self.tr("Hold Space to draw"))
        # Phase first: _show_proof shows the last draw's proof while the phase is still WINNER,
        # and the crowd must see this draw's commitment before it is made.
        self._set_phase(Phase.READY)
        self._show_proof()

    def _show_prize(self, name: str, sponsor: str, unit: int, quantity: int) -> None:
        self.prize_label.setText(name)
        parts = []
        if quantity > 1:
            parts.append(
                self.tr("Winner %1 of %2").replace("%1", str(unit)).replace("%2", str(quantity))
            )
        if sponsor:
            parts.append(self.tr("Sponsored by %1").replace("%1", sponsor))
        self.detail_label.setText("  ·  ".join(parts))

    def _show_proof(self) -> None:
        lines = []
        if self._commitment is not None and self._phase is not Phase.WINNER:
            c = self._commitment
            lines.append(
                self.tr("In the draw: %1 tickets  ·  pool hash %2…  ·  commitment %3…")
                .replace("%1", f"{c.pool_size:,}")
                .replace("%2", c.pool_hash[:10])
                .replace("%3", c.seed_commitment[:10])
            )
            if self._witness:
                lines.append(self.tr("Witness number: %1").replace("%1", self._witness))
        elif self._last is not None:
            r = self._last
            line = (
                self.tr("%1 tickets  ·  pool hash %2…  ·  commitment %3…  ·  seed %4…")
                .replace("%1", f"{r.pool_size:,}")
                .replace("%2", r.pool_hash[:10])
                .replace("%3", r.seed_commitment[:10])
                .replace("%4", r.seed[:10])
            )
            if r.witness:
                line += "  ·  " + self.tr("witness %1").replace("%1", r.witness)
            lines.append(line)
            lines.append(self.tr("Anyone can check this draw: checkin raffle-log"))
        self.proof_label.setText("\n".join(lines))

    def _show_refusal(self, result: DrawResult) -> None:
        messages = {
            DrawOutcome.NOTHING_LEFT: self.tr(
                "All prizes have been drawn. Thank you! / ¡Gracias a todos!"
            ),
            DrawOutcome.PRIZE_DONE: self.tr("All of this prize have been drawn"),
            DrawOutcome.UNKNOWN_PRIZE: self.tr("This prize is not in the list"),
            DrawOutcome.NOBODY_ELIGIBLE: self.tr("Nobody is eligible for this prize yet"),
            DrawOutcome.TOO_SOON: self.tr(
                "The winner still has %n minute(s) to come to the prize table",
                "",
                int(result.params.get("minutes", 0)),
            ),
            DrawOutcome.NOT_REDRAWABLE: self.tr("This prize has no winner waiting to be replaced"),
            DrawOutcome.BAD_WITNESS: self.tr("That witness number cannot be used"),
            DrawOutcome.ALREADY_DRAWN: self.tr("This draw was already made"),
        }
        if result.prize:
            self.prize_label.setText(result.prize)
            self.detail_label.clear()
        elif result.outcome is DrawOutcome.NOTHING_LEFT:
            self.prize_label.setText(self.tr("Raffle"))
            self.detail_label.clear()
        self.caption_label.clear()
        self.number_label.setText(messages.get(result.outcome, result.message))
        self.number_label.setWordWrap(True)
        self.call_label.clear()
        self._set_phase(Phase.FINISHED)
        self._show_proof()

    # --- drawing --------------------------------------------------------------------------

    def draw_now(self) -> None:
        if not require_organiser(self._context, self.operator_window(), caller=True):
            self.caption_label.setText(self.tr("Locked: the organiser or the raffle caller draws"))
            return
        if self._commitment is None:
            self.prepare()
            if self._commitment is None:
                return
        result = raffle.draw(
            self._context.db,
            self._commitment,
            self._witness,
            station=self._context.station.name,
        )
        if result.outcome is DrawOutcome.POOL_CHANGED:
            self.prepare()  # a new commitment, shown before anyone draws
            self.caption_label.setText(
                self.tr("The pool changed (%1 tickets now): new commitment shown").replace(
                    "%1", str(result.params.get("after", "?"))
                )
            )
            return
        if not result.ok or result.record is None:
            self._show_refusal(result)
            return
        self._commitment = None
        self._witness = ""
        self._last = result.record
        self._context.notify_changed(Changes.of(Kind.RAFFLE))
        self.drawn.emit(result.record)
        self._start_rolling()

    def _start_rolling(self) -> None:
        self.number_label.setWordWrap(False)
        self.caption_label.setText(self.tr("Ticket No."))
        self.call_label.clear()
        self.proof_label.clear()
        self._frame = 0
        self._set_phase(Phase.ROLLING)
        if self._animation_ms <= 0:
            self.skip_animation()
            return
        self._clock.start()
        self._timer.start()
        self._roll()

    def _roll(self) -> None:
        """Digits spin, then settle one by one from the left (display only: the winner is
        already drawn and recorded)."""
        if self._last is None:
            return
        final = str(self._last.serial)
        progress = self._clock.elapsed() / self._animation_ms
        if progress >= 1:
            self.skip_animation()
            return
        self._frame += 1
        settled = int(max(0.0, progress - 0.55) / 0.45 * len(final))
        spinning = "".join(
            str((self._frame * 7 + position * 3 + self._frame // 3) % 10)
            for position in range(settled, len(final))
        )
        self.number_label.setText(final[:settled] + spinning)

    def skip_animation(self) -> None:
        self._timer.stop()
        if self._last is None:
            return
        record = self._last
        self.number_label.setText(str(record.serial))
        self.caption_label.setText(self.tr("Ticket No."))
        self.call_label.setText(
            self.tr("Come to the prize table!") + "\n" + self.tr("¡Venga a la mesa de premios!")
        )
        self._set_phase(Phase.WINNER)
        self._show_proof()

    # --- the witness and redraws ----------------------------------------------------------

    def witness_dialog(self) -> QInputDialog:
        """The dialog ask_witness runs: a child of this window, so it opens on the same display."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Witness number"))
        dialog.setLabelText(self.tr("Number called out by someone in the crowd:"))
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        return dialog

    def ask_witness(self) -> str | None:
        """The number a person from the crowd calls out (a dialog; tests replace it)."""
        dialog = self.witness_dialog()
        try:
            ok = dialog.exec() == QInputDialog.DialogCode.Accepted
            return dialog.textValue() if ok else None
        finally:
            dialog.deleteLater()

    def set_witness(self, text: str) -> bool:
        cleaned = " ".join(text.split())
        if len(cleaned) > 100 or not cleaned.isprintable():
            self.caption_label.setText(self.tr("That witness number cannot be used"))
            return False
        self._witness = cleaned
        self._show_proof()
        return True

    def confirm_redraw(self, record: DrawRecord) -> bool:
        answer = QMessageBox.question(
            self.operator_window(),
            self.tr("Redraw"),
            self.tr("Nobody came for %1 (ticket No. %2). Draw again?")
            .replace("%1", record.prize)
            .replace("%2", str(record.serial)),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _waiting_draw(self) -> DrawRecord | None:
        if self._last is not None and self._last.state == DrawState.DRAWN:
            fresh = raffle.get_draw(self._context.db, self._last.uid)
            if fresh is not None and fresh.state == DrawState.DRAWN:
                return fresh
        waiting = [r for r in raffle.raffle_log(self._context.db) if r.state == DrawState.DRAWN]
        return waiting[-1] if waiting else None

    def redraw_last(self) -> None:
        record = self._waiting_draw()
        if record is None:
            self.caption_label.setText(self.tr("No winner is waiting to be replaced"))
            return
        if not self.confirm_redraw(record):
            return
        # Asked every time, even after an earlier unlock: a redraw takes a prize from someone.
        if not require_organiser(self._context, self.operator_window(), caller=True, fresh=True):
            self.caption_label.setText(self.tr("Locked: the organiser or the raffle caller draws"))
            return
        self._last = record
        prepared = raffle.prepare_redraw(
            self._context.db,
            record.uid,
            station=self._context.station.name,
            seed_source=self._seed_source,
        )
        if isinstance(prepared, DrawResult) and prepared.outcome is DrawOutcome.TOO_SOON:
            minutes = int(prepared.params.get("minutes", 0))
            self.caption_label.setText(
                self.tr("Ticket No. %1 still has %n minute(s) to come", "", minutes).replace(
                    "%1", str(record.serial)
                )
            )
            return
        self._show_prepared(prepared)

    # --- displays and keys ----------------------------------------------------------------

    def show_on(self, screen: QScreen | None = None, *, full_screen: bool = True) -> None:
        """Show on a display (a projector as a second screen, say)."""
        target = screen or self.screen() or QGuiApplication.primaryScreen()
        if target is not None:
            self.setScreen(target)
            self.setGeometry(target.geometry())
        if full_screen:
            self.showFullScreen()
        else:
            self.show()
        self.activateWindow()
        self.setFocus()

    def move_to_next_screen(self) -> None:
        screens = QGuiApplication.screens()
        if len(screens) < 2:
            return
        current = self.screen()
        index = screens.index(current) if current in screens else -1
        self.show_on(screens[(index + 1) % len(screens)], full_screen=self.isFullScreen())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key == Qt.Key.Key_Space and modifiers == Qt.KeyboardModifier.NoModifier:
            self._space_pressed(event)
        elif key == Qt.Key.Key_Escape:
            self.close()
        elif key == Qt.Key.Key_F11:
            if self.isFullScreen():
                self.showNormal()
            else:
                self.showFullScreen()
        elif modifiers == Qt.KeyboardModifier.ControlModifier and not event.isAutoRepeat():
            self._command(key)
        # Anything else (a scanned code's letters, digits, Enter, Tab) does nothing here.
        event.accept()

    def _space_pressed(self, event: QKeyEvent) -> None:
        """Space fires only when held: the keyboard's auto-repeat arrives HOLD_MS after the first
        press. A scanner's space is one press and release, so it never repeats."""
        if not event.isAutoRepeat():
            self._space.start()
            self._space_fired = False
        elif self._space_fired:
            return  # once per hold
        elif not self._space.isValid():
            self._space.start()  # the first press went elsewhere (a dialog): count from now
        elif self._space.elapsed() >= self._hold_ms:
            self._space_fired = True
            self._primary()

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space.invalidate()
            self._space_fired = False
        event.accept()

    def _command(self, key: int) -> None:
        if key == Qt.Key.Key_Space:
            self._primary()
        elif key == Qt.Key.Key_W and self._phase is Phase.READY:
            text = self.ask_witness()
            if text is not None:
                self.set_witness(text)
        elif key == Qt.Key.Key_R and self._phase is not Phase.ROLLING:
            self.redraw_last()
        elif key == Qt.Key.Key_M:
            self.move_to_next_screen()

    def _primary(self) -> None:
        """The draw key: draw, show the rolling number at once, or move on to the next prize."""
        if self._phase is Phase.ROLLING:
            self.skip_animation()
        elif self._phase is Phase.READY:
            self.draw_now()
        else:
            self.prepare()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(self.tr("Raffle"))
            self.setAccessibleName(self.tr("Raffle big screen"))
            self.number_label.setAccessibleName(self.tr("Winning ticket number"))
            self.hint_label.setText(self._keys_hint(self._phase))
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        super().closeEvent(event)


def open_big_screen(
    context: EventContext,
    parent: QWidget | None = None,
    *,
    screen_index: int | None = None,
    operator: QWidget | None = None,
) -> RaffleScreen:
    """Open the big screen on a display: the given one, else the last (a projector is usually
    plugged in as the second display). ``operator``: the window the operator faces."""
    screens = QGuiApplication.screens()
    screen = None
    if screens:
        index = len(screens) - 1 if screen_index is None else screen_index
        screen = screens[max(0, min(index, len(screens) - 1))]
    window = RaffleScreen(context, parent, operator=operator)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show_on(screen)
    return window
