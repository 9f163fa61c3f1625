"""Names: splitting a single Name column, suffixes, and cutting at grapheme boundaries."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_GRAPHEMES = 100
# Generational suffixes: they stay with the first part of the name, and the surname is the
# word before them ("Darnell Williams Jr." -> first "Darnell Jr.", last "Williams").
SUFFIXES = frozenset(("jr", "sr", "ii", "iii", "iv"))
# Words that begin a surname ("Mary Ann De La Cruz" -> last "De La Cruz", "Van der Berg").
PARTICLES = frozenset(("de", "del", "la", "las", "los", "da", "das", "do", "dos", "di", "du"))
PARTICLES |= frozenset(("van", "von", "der", "den", "le"))
_ZWJ = "\u200d"
# "The Nguyen Family", "Okafor household", "Familia Pérez": a household's label.
_LABELS = (
    re.compile(r"^(?:the\s+)?(?P<name>.+?)\s+(?:family|household|home|clan|familia)$", re.I),
    re.compile(r"^(?:la\s+|the\s+)?(?:familia|family|hogar)\s+(?:de\s+)?(?P<name>.+)$", re.I),
)


def is_suffix(word: str) -> bool:
    return word.strip(".,").casefold() in SUFFIXES


def split_full_name(full: str) -> tuple[str, str]:
    """(first, last) from one Name cell: "Ana Sofía Hernández" -> ("Ana Sofía", "Hernández").

    "Williams, Darnell" (surname first, one comma) is read as it is meant.
    """
    text = " ".join(full.split())
    before, comma, after = text.partition(",")
    if comma and "," not in after and after.strip() and not is_suffix(after.strip()):
        return after.strip(), before.strip()
    words = text.replace(",", " ").split()
    suffixes: list[str] = []
    while len(words) > 1 and is_suffix(words[-1]):
        suffixes.insert(0, words.pop())
    if len(words) == 1:
        return " ".join(words + suffixes), ""
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in PARTICLES:
        start -= 1
    return " ".join(words[:start] + suffixes), " ".join(words[start:])


_ARTICLES = frozenset(("the", "la", "el", "los", "las", "my", "mi", "our"))


def household_label(full: str) -> str:
    """The surname in a household's label ("The Nguyen Family" -> "Nguyen", "Familia Pérez"
    -> "Pérez"); "" when the cell names a person."""
    text = " ".join(full.split())
    for pattern in _LABELS:
        found = pattern.match(text)
        name = found["name"].strip() if found else ""
        if name and len(name.split()) <= 3 and name.casefold() not in _ARTICLES:
            return name
    return ""


def move_suffixes(first: str, last: str) -> tuple[str, str]:
    """First and last name columns with the suffix written after the surname: "Darnell" +
    "Williams Jr." -> ("Darnell Jr.", "Williams"), as one Name column is read."""
    words = last.split()
    suffixes: list[str] = []
    while len(words) > 1 and is_suffix(words[-1]):
        suffixes.insert(0, words.pop())
    if not suffixes or not first:
        return first, last
    return " ".join([first, *suffixes]), " ".join(words)


def _extends(ch: str) -> bool:
    """Whether ``ch`` belongs to the grapheme before it (marks, joiners, selectors)."""
    code = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or ch == _ZWJ
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # emoji tags
        or 0xE0100 <= code <= 0xE01EF
    )


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def grapheme_starts(text: str) -> list[int]:
    """Indexes where a user-perceived character starts (an approximation of UAX #29 that is
    right for marks, joined emoji, skin tones and flags)."""
    starts: list[int] = []
    pending_flag = False
    for index, ch in enumerate(text):
        joined = index > 0 and text[index - 1] == _ZWJ
        if index and (_extends(ch) or joined):
            continue
        if _regional(ch):
            if pending_flag:
                pending_flag = False
                continue
            pending_flag = True
        else:
            pending_flag = False
        starts.append(index)
    return starts


def cut_graphemes(text: str, limit: int = MAX_NAME_GRAPHEMES) -> str:
    """At most ``limit`` user-perceived characters, never splitting one."""
    if len(text) <= limit:
        return text
    starts = grapheme_starts(text)
    if len(starts) <= limit:
        return text
    return text[: starts[limit]].rstrip()


def tidy_name(value: str, limit: int = MAX_NAME_GRAPHEMES) -> str:
    """One line, single spaces, composed (NFC) and cut at a grapheme boundary."""
    return cut_graphemes(unicodedata.normalize("NFC", " ".join(value.split())), limit)
