"""Text people type or import, made safe to store and show; text shown on a terminal.

Names, notes, station and volunteer names drop control characters where they come in (the
command line, the forms, the CSV import): an ESC or BEL in a name would otherwise reach a
terminal, a report or a spreadsheet. Bidirectional overrides go too (they make a name read
differently from what it is).
"""

from __future__ import annotations

import unicodedata

# Explicit direction overrides and isolates (U+202A-U+202E, U+2066-U+2069).
_BIDI = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))


def _unwanted(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" or ch in _BIDI


def clean_text(text: object, *, multiline: bool = False) -> str:
    """``text`` without control characters: one line with single spaces, or (``multiline``)
    lines kept, each with its spaces tidied."""
    value = str(text)
    if multiline:
        lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return "\n".join(clean_text(line) for line in lines).strip("\n")
    if value.isprintable():  # nearly always: no control, format or odd space character
        return " ".join(value.split())
    # Whitespace controls (tab, newline...) separate words; the rest are dropped.
    kept = "".join(" " if ch.isspace() else ch for ch in value if ch.isspace() or not _unwanted(ch))
    return " ".join(kept.split())


def _terminal_table(allowed: str) -> dict[int, str]:
    points = [*range(0x20), *range(0x7F, 0xA0), *map(ord, _BIDI)]
    return {p: f"\\u{p:04x}" for p in points if chr(p) not in allowed}


# Control characters written as \uXXXX: a JSON reader gets the same text back, a terminal
# shows the escape instead of obeying it.
_STDOUT = _terminal_table("\n\t")
_STDERR = _terminal_table("\n\t\r")  # \r: the progress counters rewrite their line


def for_terminal(text: str, *, stderr: bool = False) -> str:
    return text.translate(_STDERR if stderr else _STDOUT)
