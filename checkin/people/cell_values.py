"""Cleaning one cell of a pre-registration file: text, counts, phones, languages, and the
notes that gather every repair by kind so that a 10,000-row file gives a short list."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from checkin.people.attendees import MAX_MEMBERS, fold

_EXCERPT_CHARS = 80
_LINES_SHOWN = 10
# Bidirectional overrides and isolates can make a name display as something else.
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_FORMULA_START = "=+-@"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE_CHARS = re.compile(r"[0-9 ()\-.+/]+")
_PHONE_WORDS = r"(tel|tel[eé]fono|phone|ph|cell|cel|celular|mobile|m[oó]vil|home|casa|work|trabajo)"
_PHONE_LABEL_BEFORE = re.compile(rf"^{_PHONE_WORDS}\.?\s*:?\s*", re.I)
_PHONE_LABEL_AFTER = re.compile(rf"\s*[(\[]?\s*{_PHONE_WORDS}\.?\s*[)\]]?$", re.I)
_EXTENSION = re.compile(r"\s*(?:,|;)?\s*(?:ext\.?|extension|ext|x|#)\s*(?P<ext>\d{1,6})$", re.I)
_INTEGER = re.compile(r"[+-]?\d+(?:\.0*)?")
# "5 people", "3 personas", "2 kids": a number, then words and no other number.
_NUMBER_AND_WORDS = re.compile(r"(\d{1,2})\s*[^\W\d_][^\d]*")
_NUMBER_WORDS = {
    **dict.fromkeys(("zero", "none", "no", "cero", "ninguno", "ninguna", "nadie"), 0),
    **dict.fromkeys(("one", "uno", "una", "un"), 1),
    **dict.fromkeys(("two", "dos"), 2),
    **dict.fromkeys(("three", "tres"), 3),
    **dict.fromkeys(("four", "cuatro"), 4),
    **dict.fromkeys(("five", "cinco"), 5),
    **dict.fromkeys(("six", "seis"), 6),
    **dict.fromkeys(("seven", "siete"), 7),
    **dict.fromkeys(("eight", "ocho"), 8),
    **dict.fromkeys(("nine", "nueve"), 9),
    **dict.fromkeys(("ten", "diez"), 10),
}
_LANGUAGES = {
    "en": ("english", "ingles", "en", "eng"),
    "es": ("spanish", "espanol", "castellano", "es", "spa"),
    "vi": ("vietnamese", "tieng viet", "vi"),
    "fr": ("french", "francais", "frances", "fr"),
    "ar": ("arabic", "arabe", "ar"),
    "so": ("somali", "so"),
    "zh": ("chinese", "mandarin", "cantonese", "chino", "zh"),
    "pt": ("portuguese", "portugues", "pt"),
    "sw": ("swahili", "kiswahili", "sw"),
    "de": ("german", "aleman", "deutsch", "de"),
}
_LANGUAGE_CODE = {name: code for code, names in _LANGUAGES.items() for name in names}


def lines_text(lines: Iterable[int], shown: int = _LINES_SHOWN) -> str:
    """ "3, 7, 9 and 12 more": line numbers for a person to look up."""
    items = list(lines)
    text = ", ".join(str(n) for n in items[:shown])
    return text + (f" and {len(items) - shown} more" if len(items) > shown else "")


class Notes:
    """Repairs and drops, gathered by kind so a 10,000-row file gives a short list."""

    def __init__(self) -> None:
        self.lines: dict[str, list[int]] = defaultdict(list)
        self.pending: list[tuple[str, int]] = []

    def add(self, kind: str, line: int) -> None:
        self.pending.append((kind, line))

    def keep(self) -> None:
        """The current row was accepted: its notes count."""
        for kind, line in self.pending:
            self.lines[kind].append(line)
        self.pending.clear()

    def discard(self) -> None:
        """The current row was rejected: its reason says enough."""
        self.pending.clear()

    def render(self) -> list[str]:
        out = []
        for kind, lines in self.lines.items():
            shown = ", ".join(str(n) for n in lines[:_LINES_SHOWN])
            more = f" and {len(lines) - _LINES_SHOWN} more" if len(lines) > _LINES_SHOWN else ""
            out.append(
                f"{kind}: {len(lines)} row{'s' if len(lines) != 1 else ''} "
                f"(line{'s' if len(lines) != 1 else ''} {shown}{more})"
            )
        return out


def text(raw: str, line: int, label: str, notes: Notes, *, keep_lines: bool = False) -> str:
    value = (raw if raw.isascii() else raw.translate(_BIDI)).strip()  # the marks are not ASCII
    if not keep_lines and ("\n" in value or "\r" in value):
        notes.add(f"{label} on several lines joined into one", line)
    if keep_lines:
        lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        value = "\n".join(one_line(part) for part in lines).strip()
    else:
        value = one_line(value)
    if value and value[0] in _FORMULA_START:
        value = value.lstrip(_FORMULA_START + " ")
        notes.add(f"spreadsheet formula characters removed from {label}", line)
    return value


def one_line(value: str) -> str:
    # Control characters (tabs, escapes) become spaces; runs of spaces become one.
    if value.isprintable():
        return " ".join(value.split())
    cleaned = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)
    return " ".join(cleaned.split())


def count(raw: str, label: str, default: int, line: int, notes: Notes) -> int:
    """A household count; raises ValueError with the reason a row is rejected."""
    value = raw.strip()
    if not value:
        return default
    if value.isdigit() and len(value) < 3:
        number = int(value)
        if number <= MAX_MEMBERS:
            return number
    word = _NUMBER_WORDS.get(fold(value))
    if word is not None:
        notes.add(f"{label} written in words read as a number", line)
        return word
    worded = _NUMBER_AND_WORDS.fullmatch(value)
    if worded is not None and int(worded[1]) <= MAX_MEMBERS:
        notes.add(f"{label} written with words ('5 people') read as the number", line)
        return int(worded[1])
    if not _INTEGER.fullmatch(value):
        raise ValueError(f"{label}: '{short(value)}' is not a whole number")
    number = int(float(value))
    if not 0 <= number <= MAX_MEMBERS:
        raise ValueError(f"{label}: {number} is not between 0 and {MAX_MEMBERS}")
    return number


def phone_number(raw: str) -> str | None:
    """Digits with a leading + kept, and an extension as " x12"; None when it is not a phone
    number at all. Labels around the number ("tel. ", "(cell)") are left out."""
    value = raw.strip()
    if value[:1].isalpha() or value[-1:] in ")]" or value[-1:].isalpha():
        value = _PHONE_LABEL_BEFORE.sub("", value)
        value = _PHONE_LABEL_AFTER.sub("", value).strip()
    if not value:
        return "" if not raw.strip() else None
    extension = ""
    found = _EXTENSION.search(value) if not _PHONE_CHARS.fullmatch(value) else None
    if found:
        extension, value = f" x{found['ext']}", value[: found.start()].strip()
    digits = "".join(ch for ch in value if ch.isdigit())
    if not _PHONE_CHARS.fullmatch(value) or not 7 <= len(digits) <= 15:
        return None
    return ("+" if value.startswith("+") else "") + digits + extension


def language(raw: str) -> str:
    if not raw:
        return ""
    value = " ".join(raw.split())
    folded = fold(value)
    # A locale ("es-MX", "en_US", pretix's "de-informal"): its language.
    code = _LANGUAGE_CODE.get(folded) or _LANGUAGE_CODE.get(folded.replace("_", " ").split()[0])
    return code or value[:10]


def short(value: str) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= 30 else flat[:29] + "…"


def excerpt(cells: list[str], delimiter: str) -> str:
    flat = " ".join(delimiter.join(cells).split())
    return flat if len(flat) <= _EXCERPT_CHARS else flat[: _EXCERPT_CHARS - 1] + "…"


def shown_delimiter(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else delimiter


def valid_email(value: str) -> bool:
    return bool(_EMAIL.fullmatch(value)) and len(value) <= 200
