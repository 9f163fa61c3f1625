"""In Spanish, the import's rejected rows and Qt's file dialog speak Spanish (issue 20,
problem 14: the reasons, worded in checkin/ for the command line, and the file dialog's "Look
in" and "Files of type" stayed English)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from checkin.people.prereg_file import parse_prereg_csv
from ui.core import appearance
from ui.people.import_reasons import reason_text

pytestmark = pytest.mark.gui

BAD_ROWS = (
    "first_name,last_name,adults,kids,email,consent,external_ref\n"
    "Ana,Díaz,two and a half,0,,,\n"  # not a whole number
    "Bo,Lee,1,99,,,\n"  # out of range
    ",,1,0,ana@example.org,no,\n"  # nobody to look up (contact dropped without consent)
    "Cy,Ng,0,0,,,\n"  # nobody in the household
    "Di,Ko,1,0,,," + "R" * 300 + "\n"  # reference too long
    "Ed,Fu,1,0,,,,extra\n"  # a cell too many
)


def test_every_rejection_reason_is_worded_in_spanish(tmp_path: Path, qtbot: QtBot) -> None:
    source = tmp_path / "prereg.csv"
    source.write_text(BAD_ROWS, encoding="utf-8")
    problems = parse_prereg_csv(source).problems
    assert len(problems) == 6, [p.reason for p in problems]
    english = [reason_text(p.reason) for p in problems]
    assert english == [p.reason for p in problems]  # English: as the command line says it
    assert appearance.set_language("es")
    try:
        spanish = [reason_text(p.reason) for p in problems]
    finally:
        appearance.set_language("en")
    left = [(e, s) for e, s in zip(english, spanish, strict=True) if e == s]
    assert left == [], left
    assert not any(word in " ".join(spanish) for word in ("whole", "nobody", "cells", "longer"))


def test_the_file_dialog_speaks_spanish(qtbot: QtBot) -> None:
    def words() -> set[str]:
        dialog = QFileDialog(None, "x", str(Path.cwd()), "CSV (*.csv)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        qtbot.addWidget(dialog)
        found = {w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QPushButton)}
        return {text for text in found if text}

    english = words()
    assert appearance.set_language("es")
    try:
        spanish = words()
    finally:
        appearance.set_language("en")
    assert english and not (english & spanish), english & spanish
