"""The Spanish translation: complete, faithful to the placeholders, up to date with every tr()
string in ui/, and switching to it at runtime changes what a real widget shows."""

from __future__ import annotations

import ast
import importlib.util
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from pytestqt.qtbot import QtBot

from checkin.results import Station
from checkin.store import Database
from ui.core.context import EventContext
from ui.setup.setup_page import SetupPage

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "checkin_es.ts"
QM = TS.with_suffix(".qm")
PLACEHOLDER = re.compile(r"%\d+|%n|\{\w+\}")


def _tool() -> ModuleType:
    path = ROOT / "tools" / "update_translations.py"
    spec = importlib.util.spec_from_file_location("update_translations", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _messages(path: Path) -> list[tuple[str, ET.Element]]:
    root = ET.parse(path).getroot()
    return [
        (context.findtext("name") or "", message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def _texts(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    if translation is None:
        return []
    if message.get("numerus") == "yes":
        return [form.text or "" for form in translation.findall("numerusform")]
    return [translation.text or ""]


def test_every_string_has_a_finished_spanish_translation() -> None:
    missing = []
    for context, message in _messages(TS):
        translation = message.find("translation")
        texts = _texts(message)
        if (
            translation is None
            or translation.get("type") in ("unfinished", "obsolete", "vanished")
            or not texts
            or not all(t.strip() for t in texts)
        ):
            missing.append(f"[{context}] {message.findtext('source')}")
    assert missing == [], "untranslated (add them to tools/translations_es.py):\n" + "\n".join(
        missing
    )


def test_translations_keep_placeholders_and_accelerators() -> None:
    wrong = []
    for context, message in _messages(TS):
        source = message.findtext("source") or ""
        wanted = sorted(set(PLACEHOLDER.findall(source)))
        for text in _texts(message):
            if sorted(set(PLACEHOLDER.findall(text))) != wanted:
                wrong.append(f"[{context}] {source!r} -> {text!r}")
            if ("&" in source.replace("&&", "")) != ("&" in text.replace("&&", "")):
                wrong.append(f"[{context}] accelerator: {source!r} -> {text!r}")
    assert wrong == []


def test_ts_covers_every_tr_string_in_ui(tmp_path: Path) -> None:
    tool = _tool()
    fresh = tmp_path / "fresh_es.ts"
    tool.run_lupdate(fresh, tool.ui_sources())

    def keys(path: Path) -> set[tuple[str, str]]:
        return {(context, m.findtext("source") or "") for context, m in _messages(path)}

    in_code, in_file = keys(fresh), keys(TS)
    assert len(in_code) > 300
    stale = sorted(in_code - in_file)
    assert stale == [], "run tools/update_translations.py; missing from the .ts: " + repr(stale)
    assert sorted(in_file - in_code) == []  # nothing obsolete left behind


def test_switching_to_spanish_at_runtime(qtbot: QtBot, db: Database) -> None:
    page = SetupPage(EventContext(db, Station("Desk 1")))
    qtbot.addWidget(page)
    page.show()
    assert page.lock_title.text() == "Setup is locked"
    assert page.unlock_button.accessibleName() == "Unlock setup"
    translator = QTranslator()
    assert translator.load(str(QM)), "checkin_es.qm missing: run tools/update_translations.py"
    app = QCoreApplication.instance()
    assert app is not None
    try:
        assert QCoreApplication.installTranslator(translator)
        # Installing posts LanguageChange to every widget; retranslate() answers it.
        qtbot.waitUntil(lambda: page.lock_title.text() == "La configuración está bloqueada")
        assert page.unlock_button.text() == "&Desbloquear con la frase de acceso del organizador"
        assert page.unlock_button.accessibleName() == "Desbloquear la configuración"
    finally:
        QCoreApplication.removeTranslator(translator)
    qtbot.waitUntil(lambda: page.lock_title.text() == "Setup is locked")


def test_unlocked_setup_in_spanish(qtbot: QtBot, db: Database) -> None:
    context = EventContext(db, Station("Desk 1"))
    assert context.unlock("secret")
    translator = QTranslator()
    assert translator.load(str(QM))
    QCoreApplication.installTranslator(translator)
    try:
        page = SetupPage(context)  # built while Spanish is on: the tr() calls translate at once
        qtbot.addWidget(page)
        page.show()
        assert page.sections is not None
        tabs = page.sections.tabs
        assert [tabs.tabText(i) for i in range(tabs.count())] == [
            "&Evento",
            "&Tipos de boleto",
            "E&staciones",
            "&Rifa",
            "&Asistentes",
        ]
        kinds = page.sections.ticket_types.kind_combo
        assert [kinds.itemText(i) for i in range(kinds.count())] == [
            "Boleto de rifa",
            "Boleto de recurso",
        ]
    finally:
        QCoreApplication.removeTranslator(translator)


def test_update_tool_keeps_translations_drops_obsolete_and_lists_missing(tmp_path: Path) -> None:
    tool = _tool()
    source = tmp_path / "screen.py"
    source.write_text(
        "from PySide6.QtWidgets import QWidget\n\n"
        "class Screen(QWidget):\n"
        "    def texts(self) -> None:\n"
        "        self.tr('Hand-made')\n"
        "        self.tr('From the dictionary')\n"
        "        self.tr('Nobody translated this')\n"
        "        self.tr('%n ticket(s)', '', 2)\n",
        encoding="utf-8",
    )
    ts = tmp_path / "test_es.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        '<TS version="2.1" language="es" sourcelanguage="en"><context><name>Screen</name>'
        "<message><source>Hand-made</source><translation>Hecho a mano</translation></message>"
        "<message><source>Gone</source><translation>Ya no está</translation></message>"
        "</context></TS>\n",
        encoding="utf-8",
    )
    dictionary = {
        "From the dictionary": "Del diccionario",
        "%n ticket(s)": ("%n boleto", "%n boletos"),
    }
    tool.run_lupdate(ts, [source])
    missing = tool.fill(ts, dictionary)
    assert missing == [("Screen", "Nobody translated this")]
    found = {m.findtext("source"): _texts(m) for _, m in _messages(ts)}
    assert found == {
        "Hand-made": ["Hecho a mano"],
        "From the dictionary": ["Del diccionario"],
        "Nobody translated this": [""],
        "%n ticket(s)": ["%n boleto", "%n boletos"],
    }
    # Run again: nothing lost, and lrelease compiles what is finished.
    tool.run_lupdate(ts, [source])
    assert tool.fill(ts, dictionary) == missing
    qm = tmp_path / "test_es.qm"
    tool.run_lrelease(ts, qm)
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("Screen", "Hand-made") == "Hecho a mano"
    assert translator.translate("Screen", "%n ticket(s)", "", 3) == "%n boletos"


def test_every_translated_text_is_a_literal_lupdate_can_see() -> None:
    """lupdate reads the source, not the running program: tr(variable), tr(f"...") or a helper
    such as _t(text) wrapping translate() leave strings that never reach the .ts file."""
    hidden = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            position = {"tr": 0, "translate": 1}.get(name)
            if position is None:
                continue
            text = node.args[position] if len(node.args) > position else None
            literal = isinstance(text, ast.Constant) and isinstance(text.value, str)
            if not literal:
                hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:70]}")
    assert hidden == [], "write the English text inside tr()/translate() itself:\n" + "\n".join(
        hidden
    )


def test_checked_in_households_are_not_called_registered(qtbot: QtBot, spanish: None) -> None:
    """Found by a tester (issue 20, problem 14): "Hogares registrados" reads as households
    that registered (signed up), not households that arrived and were checked in."""
    for source in (
        "Households checked in",
        "Households checked in: {households} · people: {people}",
    ):
        spanish_text = QCoreApplication.translate("DashboardView", source)
        spanish_text = (
            spanish_text
            if spanish_text != source
            else (QCoreApplication.translate("CountersPanel", source))
        )
        assert spanish_text != source
        assert "registrad" not in spanish_text.lower() and "entrada" in spanish_text.lower()
