"""The big screen: keyboard-driven draws the crowd can follow."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from checkin import raffle
from checkin.access.caller_pin import set_caller_pin
from checkin.raffle import DrawRecord
from checkin.results import Station
from checkin.store import Database
from checkin.store.models import Attendee
from tests.helpers.desk_helpers import answer_lock
from ui.core.context import EventContext
from ui.core.organiser_lock import OrganiserLockDialog
from ui.raffle.raffle_screen import NUMBER, Phase, RaffleScreen

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier
ARTIFACTS = Path(__file__).resolve().parents[3] / "tests" / "artifacts"


def seeded(seed: int) -> Callable[[], str]:
    rng = random.Random(seed)
    return lambda: rng.randbytes(32).hex()


@pytest.fixture
def context(checked_in: Database) -> EventContext:
    context = EventContext(checked_in, Station("Big screen"))
    assert context.unlock("secret")  # drawing needs the organiser (or the caller's PIN)
    return context


def phase(screen: RaffleScreen) -> Phase:
    """Read afresh each time (a key press changes it behind the type checker's back)."""
    return screen.phase


def make(qtbot: QtBot, context: EventContext, **kw: object) -> RaffleScreen:
    screen = RaffleScreen(context, seed_source=seeded(1), **kw)  # type: ignore[arg-type]
    qtbot.addWidget(screen)
    screen.resize(1280, 720)
    screen.show()
    return screen


def test_pool_and_commitment_are_shown_before_the_draw(qtbot: QtBot, context: EventContext) -> None:
    screen = make(qtbot, context, animation_ms=0)
    assert phase(screen) is Phase.READY
    assert screen.prize_label.text() == "Kids' bicycle"
    assert "Midtown Bike Co-op" in screen.detail_label.text()
    (pending,) = raffle.unused_commitments(context.db)
    proof = screen.proof_label.text()
    assert "12 tickets" in proof and pending.seed_commitment[:10] in proof
    assert raffle.raffle_log(context.db) == []  # nothing drawn until Space


def test_space_draws_and_shows_the_serial_in_the_big_label(
    qtbot: QtBot, context: EventContext
) -> None:
    screen = make(qtbot, context, animation_ms=0)
    with qtbot.waitSignal(screen.drawn) as drawn:
        QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    record = drawn.args[0]
    assert phase(screen) is Phase.WINNER
    assert screen.number_label.text() == str(record.serial)
    assert "Come to the prize table!" in screen.call_label.text()
    assert "¡Venga a la mesa de premios!" in screen.call_label.text()
    assert record.seed[:10] in screen.proof_label.text()  # the seed is revealed
    (logged,) = raffle.raffle_log(context.db, with_pools=True)
    assert logged.ticket == record.ticket and raffle.recompute(logged) == record.ticket
    # Space again: the next prize is committed and shown, not drawn yet.
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    assert phase(screen) is Phase.READY and screen.number_label.text() == "?"
    assert len(raffle.raffle_log(context.db)) == 1


def test_the_next_draw_shows_its_own_commitment_not_the_last_proof(
    qtbot: QtBot, context: EventContext
) -> None:
    screen = make(qtbot, context, animation_ms=0)
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    first = screen.last_draw
    assert first is not None and first.seed_commitment[:10] in screen.proof_label.text()
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    assert phase(screen) is Phase.READY
    (pending,) = raffle.unused_commitments(context.db)
    assert pending.seed_commitment != first.seed_commitment
    proof = screen.proof_label.text()
    assert first.seed_commitment[:10] not in proof and first.seed[:10] not in proof
    assert pending.seed_commitment[:10] in proof and "In the draw:" in proof


def test_the_animation_rolls_then_the_draw_key_skips_it(
    qtbot: QtBot, context: EventContext
) -> None:
    screen = make(qtbot, context, animation_ms=60_000)
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    assert phase(screen) is Phase.ROLLING
    record = screen.last_draw
    assert record is not None
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    assert phase(screen) is Phase.WINNER
    assert screen.number_label.text() == str(record.serial)
    assert len(raffle.raffle_log(context.db)) == 1  # skipping did not draw again


def test_the_animation_ends_by_itself(qtbot: QtBot, context: EventContext) -> None:
    screen = make(qtbot, context, animation_ms=300)
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    assert phase(screen) is Phase.ROLLING
    qtbot.waitUntil(lambda: phase(screen) is Phase.WINNER, timeout=3000)
    assert screen.last_draw is not None
    assert screen.number_label.text() == str(screen.last_draw.serial)


def test_escape_closes(qtbot: QtBot, context: EventContext) -> None:
    screen = make(qtbot, context, animation_ms=0)
    assert screen.isVisible()
    QTest.keyClick(screen, Qt.Key.Key_Escape)
    assert not screen.isVisible()


def test_ctrl_w_takes_a_witness_number_that_goes_into_the_draw(
    qtbot: QtBot, context: EventContext
) -> None:
    screen = make(qtbot, context, animation_ms=0)
    screen.ask_witness = lambda: " 4127 "  # type: ignore[method-assign]
    QTest.keyClick(screen, Qt.Key.Key_W, CTRL)
    assert screen.witness == "4127" and "4127" in screen.proof_label.text()
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    (record,) = raffle.raffle_log(context.db)
    assert record.witness == "4127"
    assert screen.witness == ""  # one witness number per draw


def test_the_hint_lists_only_the_keys_that_work_now(qtbot: QtBot, context: EventContext) -> None:
    screen = make(qtbot, context, animation_ms=60_000)
    asked: list[bool] = []

    def ask() -> str:
        asked.append(True)
        return "77"

    screen.ask_witness = ask  # type: ignore[method-assign]
    assert "Ctrl+W: witness number" in screen.hint_label.text()
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    assert phase(screen) is Phase.ROLLING and "Ctrl+W:" not in screen.hint_label.text()
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    assert phase(screen) is Phase.WINNER
    hint = screen.hint_label.text()
    assert "Ctrl+W:" not in hint and "Ctrl+Space: next prize" in hint
    # Ctrl+W is refused here: a witness number must come after the next commitment is shown.
    QTest.keyClick(screen, Qt.Key.Key_W, CTRL)
    assert asked == [] and screen.witness == ""
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    assert phase(screen) is Phase.READY and "Ctrl+W: witness number" in screen.hint_label.text()
    QTest.keyClick(screen, Qt.Key.Key_W, CTRL)
    assert asked == [True] and screen.witness == "77"


def test_finished_hint_offers_no_draw_or_witness(qtbot: QtBot, db: Database) -> None:
    screen = make(qtbot, EventContext(db, Station("Big screen")), animation_ms=0)
    assert phase(screen) is Phase.FINISHED
    hint = screen.hint_label.text()
    assert "Ctrl+W:" not in hint and ": draw" not in hint and "Esc: leave" in hint


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio (1 to 21; 4.5 is the minimum for normal text)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_witness_dialog_is_readable_over_the_dark_screen(
    qtbot: QtBot, context: EventContext
) -> None:
    screen = make(qtbot, context, animation_ms=0)
    dialog = screen.witness_dialog()
    assert dialog.parent() is screen  # opens over the big screen, on the same display
    dialog.show()
    qtbot.waitExposed(dialog)
    (prompt,) = [label for label in dialog.findChildren(QLabel) if "crowd" in label.text()]
    text = prompt.palette().color(prompt.foregroundRole())
    background = dialog.palette().color(dialog.backgroundRole())
    assert contrast(text, background) >= 4.5, (text.name(), background.name())
    dialog.reject()
    # The screen keeps its own look: dark background, yellow number.
    assert screen.number_label.palette().color(screen.number_label.foregroundRole()) == QColor(
        NUMBER
    )
    corner = screen.grab().toImage().pixelColor(2, 2)
    assert corner.lightnessF() < 0.2


def test_ctrl_r_redraws_after_confirmation_and_keeps_the_no_show(
    qtbot: QtBot, context: EventContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_lock(monkeypatch, "secret")  # a redraw asks for the passphrase every time
    raffle.set_rules(context.db, replace(raffle.get_rules(context.db), redraw_after_minutes=0))
    screen = make(qtbot, context, animation_ms=0)
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    first = screen.last_draw
    assert first is not None
    screen.confirm_redraw = lambda record: False  # type: ignore[method-assign]
    QTest.keyClick(screen, Qt.Key.Key_R, CTRL)
    assert phase(screen) is Phase.WINNER and len(raffle.raffle_log(context.db)) == 1
    screen.confirm_redraw = lambda record: True  # type: ignore[method-assign]
    QTest.keyClick(screen, Qt.Key.Key_R, CTRL)
    assert phase(screen) is Phase.READY
    assert str(first.serial) in screen.caption_label.text()
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    old, new = raffle.raffle_log(context.db)
    assert old.state == "redrawn" and new.redraw_of == old.uid
    assert screen.number_label.text() == str(new.serial) and new.prize == first.prize


def test_ctrl_r_too_soon_says_how_long_the_winner_still_has(
    qtbot: QtBot, context: EventContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_lock(monkeypatch, "secret")
    screen = make(qtbot, context, animation_ms=0)
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    screen.confirm_redraw = lambda record: True  # type: ignore[method-assign]
    QTest.keyClick(screen, Qt.Key.Key_R, CTRL)
    assert "10 minute(s)" in screen.caption_label.text()
    assert phase(screen) is Phase.WINNER and len(raffle.raffle_log(context.db)) == 1


def test_nothing_left_and_nobody_eligible_are_shown_not_raised(qtbot: QtBot, db: Database) -> None:
    context = EventContext(db, Station("Big screen"))
    screen = make(qtbot, context, animation_ms=0)
    assert phase(screen) is Phase.FINISHED
    assert "All prizes have been drawn" in screen.number_label.text()
    raffle.add_prize(db, "Hat")
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    assert phase(screen) is Phase.FINISHED
    assert "Nobody is eligible" in screen.number_label.text()


def test_screenshot_for_the_readme(qtbot: QtBot, context: EventContext) -> None:
    screen = make(qtbot, context, animation_ms=0)
    screen.set_witness("4127")
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    image = screen.grab()
    assert (image.width(), image.height()) == (1280, 720)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert image.save(str(ARTIFACTS / "raffle-screen.png"))


# --- issue 20, problem 2: a scanner's keys are never commands (and a redraw asks every time) ---


def some_code(db: Database) -> str:
    with db.reading() as session:
        return session.scalars(select(Attendee.code).order_by(Attendee.id.desc())).first() or ""


def type_a_scan(screen: RaffleScreen, text: str) -> None:
    """What a keyboard-wedge scanner types: the letters one by one, then Enter."""
    QTest.keyClicks(screen, text)
    QTest.keyClick(screen, Qt.Key.Key_Return)


def watch_commands(screen: RaffleScreen) -> list[str]:
    """Record the witness, redraw and move commands instead of running their dialogs."""
    ran: list[str] = []

    def witness() -> str:
        ran.append("witness")
        return "1"

    def confirm(record: DrawRecord) -> bool:
        ran.append("redraw")
        return True

    screen.ask_witness = witness  # type: ignore[method-assign]
    screen.confirm_redraw = confirm  # type: ignore[method-assign]
    screen.move_to_next_screen = lambda: ran.append("move")  # type: ignore[method-assign]
    return ran


def test_typing_a_code_at_the_big_screen_draws_and_redraws_nothing(
    qtbot: QtBot, context: EventContext
) -> None:
    """Seen in a one-laptop rush: a winner's ticket scanned with the big screen in front typed
    its R (redraw) and a space drew again. Letters, digits, spaces and Enter now do nothing."""
    raffle.set_rules(context.db, replace(raffle.get_rules(context.db), redraw_after_minutes=0))
    screen = make(qtbot, context, animation_ms=0)
    ran = watch_commands(screen)
    code = some_code(context.db)
    typed = [code, "R W M", "rwm ", "RWMRWM  MWR"]
    for text in typed:
        type_a_scan(screen, text)
    assert phase(screen) is Phase.READY and ran == [] and screen.witness == ""
    assert raffle.raffle_log(context.db) == []
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)  # the real draw key
    (winner,) = raffle.raffle_log(context.db)
    assert phase(screen) is Phase.WINNER
    for text in typed:  # the winner's ticket scanned while the number is up
        type_a_scan(screen, text)
    assert ran == [] and phase(screen) is Phase.WINNER
    (still,) = raffle.raffle_log(context.db)
    assert (still.uid, still.state) == (winner.uid, "drawn")
    assert screen.number_label.text() == str(winner.serial)


def send_space(screen: RaffleScreen, *, repeat: bool, release: bool = False) -> None:
    kind = QEvent.Type.KeyRelease if release else QEvent.Type.KeyPress
    event = QKeyEvent(kind, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ", repeat)
    QApplication.sendEvent(screen, event)


def test_a_tapped_space_does_nothing_a_held_space_draws(
    qtbot: QtBot, context: EventContext
) -> None:
    screen = make(qtbot, context, animation_ms=0, hold_ms=0)
    send_space(screen, repeat=False)  # a scanner's space: press, release
    send_space(screen, repeat=False, release=True)
    assert phase(screen) is Phase.READY and raffle.raffle_log(context.db) == []
    send_space(screen, repeat=False)  # held: the keyboard repeats it
    send_space(screen, repeat=True)
    assert phase(screen) is Phase.WINNER and len(raffle.raffle_log(context.db)) == 1
    send_space(screen, repeat=True)  # still held: one hold, one action
    send_space(screen, repeat=True)
    assert phase(screen) is Phase.WINNER and len(raffle.raffle_log(context.db)) == 1
    send_space(screen, repeat=False, release=True)
    send_space(screen, repeat=True)  # a hold whose first press went elsewhere counts from here
    assert phase(screen) is Phase.WINNER
    send_space(screen, repeat=True)  # held on: the next prize is shown, not drawn
    assert phase(screen) is Phase.READY and len(raffle.raffle_log(context.db)) == 1
    assert "Hold Space" in screen.hint_label.text()


def test_a_redraw_asks_for_the_pin_every_time(
    qtbot: QtBot, context: EventContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unlock left open on the laptop must not let anyone redraw: Ctrl+R asks again."""
    raffle.set_rules(context.db, replace(raffle.get_rules(context.db), redraw_after_minutes=0))
    set_caller_pin(context.db, "4321")
    context.lock()
    asked = answer_lock(monkeypatch, "4321")
    screen = make(qtbot, context, animation_ms=0)
    screen.confirm_redraw = lambda record: True  # type: ignore[method-assign]
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    assert asked == [1] and context.caller_unlocked and len(raffle.raffle_log(context.db)) == 1
    QTest.keyClick(screen, Qt.Key.Key_R, CTRL)
    assert asked == [1, 1] and phase(screen) is Phase.READY  # asked again, then redraw shown
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)  # the redraw's own draw: no question
    assert asked == [1, 1] and len(raffle.raffle_log(context.db)) == 2
    asked = answer_lock(monkeypatch, None)  # the next redraw: someone without the PIN
    QTest.keyClick(screen, Qt.Key.Key_R, CTRL)
    assert asked == [1] and phase(screen) is Phase.WINNER
    assert "Locked" in screen.caption_label.text()
    assert [r.state for r in raffle.raffle_log(context.db)] == ["redrawn", "drawn"]


def test_the_pin_dialog_opens_over_the_operators_window(
    qtbot: QtBot, context: EventContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caller's PIN is typed on the operator's laptop screen, not on the projector."""
    from ui.raffle.prize_view import PrizeView

    context.lock()
    main = QWidget()  # the operator's main window, holding the prize table
    qtbot.addWidget(main)
    view = PrizeView(context, main)
    main.show()
    screen = view.open_big_screen()
    assert isinstance(screen, RaffleScreen)  # deletes itself on close (not handed to qtbot)
    parents: list[tuple[QWidget | None, object]] = []

    def answer(dialog: OrganiserLockDialog) -> int:
        parents.append((dialog.parentWidget(), dialog.screen()))
        dialog.reject()
        return int(dialog.result())

    monkeypatch.setattr(OrganiserLockDialog, "exec", answer)
    QTest.keyClick(screen, Qt.Key.Key_Space, CTRL)
    screen.confirm_redraw = lambda record: True  # type: ignore[method-assign]
    draw_result = raffle.draw(context.db, None, seed_source=seeded(3))
    assert draw_result.ok
    QTest.keyClick(screen, Qt.Key.Key_R, CTRL)
    assert len(parents) == 2  # the draw's question and the redraw's
    for parent, on_screen in parents:
        assert parent is main and parent is not screen
        assert on_screen is main.screen()
    screen.close()
