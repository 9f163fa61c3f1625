"""Language and theme, chosen by the volunteer and remembered (QSettings).

Switching language installs a QTranslator; every widget gets a LanguageChange event and
retranslates itself. The high-contrast theme is a style sheet for bright sunlight: large text
sized to the screen (a 768-pixel laptop gets 14 pt, a 1080-pixel screen 17 pt), so it fits the
screen rather than asking for a bigger window.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QSettings, QTranslator
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from ui.core.setting_keys import LaptopSetting

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
LANGUAGES = ("en", "es")
THEMES = ("default", "high-contrast")

_translators: list[QTranslator] = []


def language() -> str:
    value = str(QSettings().value(LaptopSetting.LANGUAGE, "en"))
    return value if value in LANGUAGES else "en"


def set_language(code: str) -> bool:
    """Switch at runtime; True when the translation is in place (English needs none)."""
    app = QCoreApplication.instance()
    if app is None or code not in LANGUAGES:
        return False
    while _translators:
        app.removeTranslator(_translators.pop())
    QSettings().setValue(LaptopSetting.LANGUAGE, code)
    if code == "en":
        return True
    ours = QTranslator(app)
    if not ours.load(str(RESOURCES / "translations" / f"checkin_{code}.qm")):
        return False
    # Qt's own words too: the Cancel, Yes and No of standard buttons and dialogs.
    qt = QTranslator(app)
    if qt.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _translators.append(qt)
    app.installTranslator(ours)
    _translators.append(ours)
    return True


def theme() -> str:
    value = str(QSettings().value(LaptopSetting.THEME, "default"))
    return value if value in THEMES else "default"


def set_theme(name: str) -> None:
    app = QApplication.instance()
    if not isinstance(app, QApplication) or name not in THEMES:
        return
    QSettings().setValue(LaptopSetting.THEME, name)
    sheet = RESOURCES / "styles" / f"{name}.qss"
    text = sheet.read_text(encoding="utf-8") if sheet.exists() else ""
    # Images named in a sheet are found wherever the app was started from.
    text = text.replace("@STYLES@", sheet.parent.as_posix())
    if name == "high-contrast":
        screen = QGuiApplication.primaryScreen()
        height = screen.availableGeometry().height() if screen is not None else 768
        text = _BASE_SIZE.sub(f"font-size: {text_points(height)}pt;", text, count=1)
    app.setStyleSheet(text)


_BASE_SIZE = re.compile(r"font-size:\s*\d+pt;")


def text_points(available_height: int) -> int:
    """The high-contrast text size for a screen of that usable height (taskbar excluded)."""
    return max(12, min(17, round(available_height / 52)))
