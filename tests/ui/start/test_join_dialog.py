"""The join dialog on its own: a QR that is not a join code is ignored, a join code read by the
webcam joins at once, and a host that does not answer is told on the dialog."""

from __future__ import annotations

import socket

import pytest
from pytestqt.qtbot import QtBot

from checkin.hosting.join_code import JoinCode, new_secret
from ui.start.join_dialog import JoinDialog

pytestmark = pytest.mark.gui


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_scanned_join_code_joins_and_a_dead_host_is_told(qtbot: QtBot) -> None:
    dialog = JoinDialog(browse_now=False)
    qtbot.addWidget(dialog)
    dialog.camera.scanned.emit("AXXX-XXXX-XXXX-XXXX-XXXX")  # a person's code in view
    assert dialog.code.text() == ""
    code = JoinCode(new_secret(), "127.0.0.1", _closed_port())
    dialog.camera.scanned.emit(code.qr_payload)
    assert dialog.code.text() == code.qr_payload
    # No scan without a volunteer (`--join` ignored it and the dialog never asked): asked first.
    assert dialog.join_button.isEnabled()
    assert dialog.message.text() == "Type your first name and the station's name."
    dialog.volunteer.setText("Ana")
    dialog.camera.scanned.emit(code.qr_payload)
    assert not dialog.join_button.isEnabled()  # joining
    qtbot.waitUntil(lambda: dialog.join_button.isEnabled(), timeout=15000)
    assert dialog.database is None
    assert "does not answer to this code" in dialog.message.text()
