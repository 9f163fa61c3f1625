"""The import preview (issue 14): a column remapped with its drop-down, the preview following,
then Import storing what the preview showed; the choice remembered for that header layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QTableWidget
from pytestqt.qtbot import QtBot

from checkin.people.listing import iter_attendees
from checkin.results import Station
from checkin.store import Database
from ui.core.context import EventContext
from ui.people.attendee_table import AttendeeTable
from ui.people.import_preview_dialog import ImportPreviewDialog

pytestmark = pytest.mark.gui

SHEET = (
    "Timestamp,First name,Last name,Gente,How many kids (under 18)?,Zip code,Will you attend?\n"
    "8/3/2026 16:34,Tiana,Brooks,5,3,64130,Yes\n"
    "8/3/2026 16:40,Luis,Ortega,8,5,64131,Yes\n"
    "8/3/2026 17:00,Kari,Nelson,2,0,64132,No\n"
    "8/3/2026 17:01,Tiana,Brooks,5,3,64130,Yes\n"
)


def pick(qtbot: QtBot, combo: QComboBox, field: str) -> None:
    """Open the drop-down and click the entry for ``field``, as a person would."""
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    index = view.model().index(combo.findData(field), 0)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )
    qtbot.waitUntil(lambda: not view.isVisible())


def column(dialog: ImportPreviewDialog, col: int) -> list[str]:
    table = dialog.rows_table
    return [_cell(table, row, col) for row in range(table.rowCount())]


def opened(
    qtbot: QtBot, db: Database, path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[AttendeeTable, ImportPreviewDialog]:
    context = EventContext(db, Station("Desk 1"))
    assert context.unlock("secret")
    table = AttendeeTable(context)
    qtbot.addWidget(table)
    table.show()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    assert table.import_button.isEnabled()
    qtbot.mouseClick(table.import_button, Qt.MouseButton.LeftButton)
    dialog = table.import_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.import_button.isEnabled())
    return table, dialog


def test_remap_a_column_then_import(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "form.csv"
    path.write_text(SHEET, encoding="utf-8")
    table, dialog = opened(qtbot, db, path, monkeypatch)
    assert table.model.total == 0
    gente = dialog.combo_for("Gente")
    assert gente.currentData() == ""  # "Gente" is not in the vocabulary
    assert dialog.combo_for("Will you attend?").currentData() == "status"
    assert _cell(dialog.mapping_table, 3, 2) == "5"  # the column's first value
    assert column(dialog, 3) == ["1", "1"]  # adults before the remap
    assert dialog.counts_label.text().startswith("To import: 2")
    assert "Skipped by status: 1" in dialog.counts_label.text()
    problems = [dialog.problems_list.item(i).text() for i in range(dialog.problems_list.count())]
    assert "Duplicates skipped (already there or twice in the file), line numbers: 5" in problems
    assert "Line 4: skipped, status No" in problems

    before = dialog.report
    pick(qtbot, gente, "household_size")
    qtbot.waitUntil(lambda: dialog.report is not before and dialog.import_button.isEnabled())
    assert column(dialog, 0) == ["2", "3"]
    assert column(dialog, 3) == ["2", "3"]  # 5 with 3 kids, 8 with 5 kids
    assert column(dialog, 4) == ["3", "5"]

    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.progress.value() == dialog.progress.maximum() > 0
    assert table.model.total == 2  # the list behind shows the new people
    result = table.import_result  # and the organiser is told what was stored
    assert result is not None and result.isVisible()
    assert result.text() == "Imported 2 households from form.csv"
    assert "Duplicates skipped: 1" in result.informativeText()
    assert "Skipped by status: 1" in result.informativeText()
    result.close()
    assert [(r.first_name, r.adults, r.kids) for r in iter_attendees(db)] == [
        ("Tiana", 2, 3),
        ("Luis", 3, 5),
    ]

    # Next week's export from the same form: the choice is remembered for its header layout.
    again = ImportPreviewDialog(EventContext(db, Station("Desk 1")), path)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.report is not None)
    assert again.combo_for("Gente").currentData() == "household_size"
    assert again.report is not None and again.report.duplicate_lines == (2, 3, 5)


def test_refused_file_says_why_and_imports_nothing(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("Colour,Size\nred,4\n", encoding="utf-8")
    dialog = ImportPreviewDialog(EventContext(db, Station("Desk 1")), path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.status_label.text().startswith("Nothing imported"))
    assert "No recognisable header" in dialog.status_label.text()
    assert not dialog.import_button.isEnabled()


def test_spanish_preview(qtbot: QtBot, db: Database, tmp_path: Path, spanish: None) -> None:
    path = tmp_path / "form.csv"
    path.write_text(SHEET, encoding="utf-8")
    dialog = ImportPreviewDialog(EventContext(db, Station("Desk 1")), path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.report is not None)
    assert dialog.windowTitle() == "Importar preinscripciones"
    assert dialog.counts_label.text().startswith("Para importar: 2")
    assert dialog.combo_for("Zip code").currentText() == "Código postal"


REPAIRS = (
    "Timestamp,First name,Last name,Household size,Adults,Kids,Seniors,Phone,Email,Zip,"
    "Address,Notes,How did you hear?\n"
    '1,"=Ann","Lee",,two,tres,cuatro,816-555-0100,ann@example.org,KC,,"+note",Church\n'
    '2,"Bo\nBa",Diaz,five,,,,12,bo@,,"1 Main St, 64130",,"=Flyer\nDoor"\n'
    "3,Darnell Williams,Jr.,3,1,1,0,,,64130,,,\n"
    "4,,,,,,,,,,,,\n"
    '5,Cy,"-Ng\nNg",2,,,,,,64131,,,\n'
)


def test_every_repair_is_said_in_the_apps_words(
    qtbot: QtBot, db: Database, tmp_path: Path, spanish: None
) -> None:
    path = tmp_path / "repairs.csv"
    path.write_text(REPAIRS, encoding="utf-8")
    dialog = ImportPreviewDialog(EventContext(db, Station("Desk 1")), path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.report is not None)
    assert dialog.report is not None
    kinds = {kind for kind, _lines in dialog.report.parsed.repairs}
    assert len(kinds) == 18  # of the 22 kinds there are
    assert kinds <= set(dialog.repair_texts())
    shown = [dialog.problems_list.item(i).text() for i in range(dialog.problems_list.count())]
    assert "Teléfono no guardado: sin permiso — filas: 2; números de línea: 2, 3" in shown
    assert "Columnas no importadas: Timestamp" in shown


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()
