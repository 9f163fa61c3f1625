"""High contrast for bright sun (issue 20, problem 14): the walk-up's consent box can be seen,
ticked or not, and a field that cannot be typed in does not look like one that can."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QStyle, QStyleOptionButton, QWidget
from pytestqt.qtbot import QtBot

from ui.core import appearance
from ui.desk.walkup_dialog import WalkupDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def walkup(qtbot: QtBot) -> Iterator[WalkupDialog]:
    appearance.set_theme("high-contrast")
    dialog = WalkupDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    yield dialog
    appearance.set_theme("default")


def _indicator(dialog: WalkupDialog) -> QImage:
    box = dialog.consent
    option = QStyleOptionButton()
    box.initStyleOption(option)
    area = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    return box.grab(area).toImage()


def _bright(image: QImage) -> int:
    return sum(
        QColor(image.pixel(x, y)).lightness() > 128
        for x in range(image.width())
        for y in range(image.height())
    )


def test_the_consent_box_shows_on_black_ticked_or_not(qtbot: QtBot, walkup: WalkupDialog) -> None:
    unticked = _indicator(walkup)
    assert _bright(unticked) >= unticked.width() * unticked.height() // 4, "box invisible"
    walkup.consent.setChecked(True)
    ticked = _indicator(walkup)
    differ = sum(
        ticked.pixel(x, y) != unticked.pixel(x, y)
        for x in range(ticked.width())
        for y in range(ticked.height())
    )
    assert differ >= ticked.width() * ticked.height() // 8, "ticked looks like unticked"


def _middle(widget: QWidget) -> QColor:
    image = widget.grab().toImage()
    return QColor(image.pixel(image.width() - 8, image.height() // 2))


def test_a_field_that_cannot_be_typed_in_looks_different(
    qtbot: QtBot, walkup: WalkupDialog
) -> None:
    assert not walkup.phone.isEnabled()  # until the person consents
    disabled = _middle(walkup.phone)
    enabled = _middle(walkup.zip_code)
    assert abs(disabled.lightness() - enabled.lightness()) >= 80, (disabled.name(), enabled.name())
    walkup.consent.setChecked(True)
    assert _middle(walkup.phone) == enabled
