"""Why an import row was rejected, in the app's language. ``checkin.people`` gives its reasons
in English (the command line prints them): each known wording is read back here into its
values and said again in the volunteer's words; an unknown one is shown as it came."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate  # lupdate reads translate("context", "text") calls


def _label(english: str) -> str:
    labels = {
        "adults": translate("ImportReasons", "adults"),
        "kids": translate("ImportReasons", "kids"),
        "seniors": translate("ImportReasons", "seniors"),
        "household size": translate("ImportReasons", "household size"),
    }
    return labels.get(english, english)


Wording = Callable[[re.Match[str]], str]

_REASONS: list[tuple[re.Pattern[str], Wording]] = [
    (
        re.compile(
            r"(\d+) cells but the header has (\d+) \(a value containing '(.*)' without quotes\?\)"
        ),
        lambda m: translate(
            "ImportReasons",
            "{cells} cells but the header has {width} (a value containing '{sep}' without quotes?)",
        ).format(cells=m[1], width=m[2], sep=m[3]),
    ),
    (
        re.compile(r"(.+): '(.*)' is not a whole number"),
        lambda m: translate("ImportReasons", "{what}: '{value}' is not a whole number").format(
            what=_label(m[1]), value=m[2]
        ),
    ),
    (
        re.compile(r"(.+): (-?\d+) is not between 0 and (\d+)"),
        lambda m: translate("ImportReasons", "{what}: {n} is not between 0 and {most}").format(
            what=_label(m[1]), n=m[2], most=m[3]
        ),
    ),
    (
        re.compile(r"(adults|kids|seniors): not a whole number"),
        lambda m: translate("ImportReasons", "{what}: not a whole number").format(
            what=_label(m[1])
        ),
    ),
    (
        re.compile(r"(adults|kids|seniors): must be between 0 and (\d+)"),
        lambda m: translate("ImportReasons", "{what}: must be between 0 and {most}").format(
            what=_label(m[1]), most=m[2]
        ),
    ),
    (
        re.compile(r"reference: longer than (\d+) characters"),
        lambda m: translate("ImportReasons", "reference: longer than {n} characters").format(
            n=m[1]
        ),
    ),
    (
        re.compile(
            r"no name or reference: nobody to look up at check-in"
            r"( \(phone and email are not kept without consent\))?"
        ),
        lambda m: (
            translate("ImportReasons", "no name or reference: nobody to look up at check-in")
            + (
                " " + translate("ImportReasons", "(phone and email are not kept without consent)")
                if m[1]
                else ""
            )
        ),
    ),
    (
        re.compile(r"A household needs at least one person"),
        lambda m: translate("ImportReasons", "A household needs at least one person"),
    ),
    (
        re.compile(r"zip code: 3 to 10 letters and digits, at least one digit"),
        lambda m: translate("ImportReasons", "ZIP: 3 to 10 letters and digits, at least one digit"),
    ),
    (
        re.compile(r"email: not an address"),
        lambda m: translate("ImportReasons", "email: not an address"),
    ),
]


def reason_text(reason: str) -> str:
    """``reason`` (checkin.people's English) in the app's language."""
    for pattern, wording in _REASONS:
        match = pattern.fullmatch(reason)
        if match is not None:
            return wording(match)
    return reason
