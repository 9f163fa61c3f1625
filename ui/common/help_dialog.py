"""F1: the volunteer guide (the printed page's own words, checkin/paper/guide.py) and the keys.

The guide's language follows the app's: the translation itself names it, so the guide and every
other string on screen are always in the same language.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from checkin.paper.guide import Guide, guide
from ui.common.live_texts import LiveTexts


def guide_language() -> str:
    # Translators: the language code of this translation ("es" in Spanish); it picks the guide.
    return QCoreApplication.translate("HelpDialog", "en")


def guide_html(text: Guide, keys: list[tuple[str, str]], keys_title: str) -> str:
    def bullets(lines: tuple[str, ...]) -> str:
        return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"

    rows = "".join(
        f'<tr><td style="background:{tone.hex}; color:'
        f'{"#000000" if tone.hex == "#ffb300" else "#ffffff"}; padding:6px; font-weight:bold;">'
        f"{escape(tone.symbol)} {escape(tone.colour)}</td>"
        f'<td style="padding:6px;"><b>{escape(tone.meaning)}</b> ({escape(tone.sound)})<br>'
        f"{escape(tone.examples)}</td></tr>"
        for tone in text.tones
    )
    parts = [
        f"<h2>{escape(text.title)}</h2><p>{escape(text.intro)}</p>",
        f"<h3>{escape(text.scan.title)}</h3>{bullets(text.scan.lines)}",
        f'<h3>{escape(text.tones_title)}</h3><table cellspacing="2">{rows}</table>',
        *(f"<h3>{escape(s.title)}</h3>{bullets(s.lines)}" for s in text.sections),
        f"<p><b>{escape(text.footer)}</b></p>",
        f"<h3>{escape(keys_title)}</h3><table>",
        *(f"<tr><td><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(v)}</td></tr>" for k, v in keys),
        "</table>",
    ]
    return "".join(parts)


Keys = Callable[[], list[tuple[str, str]]]  # (key, what it does), in the current language


class HelpDialog(QDialog):
    def __init__(self, keys: Keys, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._keys = keys
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(self.buttons)
        self.resize(760, 660)  # fits a 1366x768 screen with the taskbar
        self.setWindowModality(Qt.WindowModality.WindowModal)
        LiveTexts(self)(self.retranslate)  # now, and again on a language switch

    def retranslate(self) -> None:
        self.language = guide_language()
        text = guide(self.language)
        self.setWindowTitle(self.tr("Help: volunteer guide and keyboard shortcuts"))
        self.browser.setHtml(guide_html(text, self._keys(), self.tr("Keyboard shortcuts")))
