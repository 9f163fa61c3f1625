"""The scanner check: scan a test card and learn whether the scanner is set up right.

A USB scanner types like a keyboard, using key positions of the layout it is set to (usually
US English). On a laptop set to another layout the same keys make other characters: a German
laptop swaps Y and Z and turns "-" into "ß"; a French one swaps A/Q and Z/W and turns digits
into "&é"(...". The test card holds characters that differ between those layouts, so what
arrives tells which layout mangled it, and the fix.

Test card: ``TEST-YZAQMW/1290:.`` (upper case, as a QR alphanumeric-friendly string).
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass

TEST_CARD = "TEST-YZAQMW/1290:."

# What a US-layout scanner's keys produce on a laptop set to another layout (only the keys on
# the test card matter).
LAYOUTS: dict[str, dict[str, str]] = {
    "German": {"Y": "Z", "Z": "Y", "-": "ß", "/": "-", ":": "Ö"},
    "Spanish": {"-": "'", "/": "-", ":": "Ñ"},
    "French": {
        "A": "Q",
        "Q": "A",
        "Z": "W",
        "W": "Z",
        "M": "?",
        "-": ")",
        "/": "!",
        ":": "M",
        ".": ":",
        "1": "&",
        "2": "é",
        "9": "ç",
        "0": "à",
    },
    "Latin American Spanish": {"-": "'", "/": "-", ":": "Ñ"},
}


@dataclass(frozen=True)
class ScannerReport:
    ok: bool
    received: str
    terminator: str  # "Enter", "Tab" or "none"
    chars_per_second: float
    median_gap_ms: float
    layout: str | None  # the laptop layout that mangled the characters, when recognised
    advice: tuple[str, ...]


def mangle(text: str, layout: str) -> str:
    table = LAYOUTS[layout]
    return "".join(table.get(ch, ch) for ch in text)


def analyse(received: str, timestamps_ms: list[float], terminator: str | None) -> ScannerReport:
    gaps = [b - a for a, b in itertools.pairwise(timestamps_ms)]
    median_gap = statistics.median(gaps) if gaps else 0.0
    span = (timestamps_ms[-1] - timestamps_ms[0]) / 1000 if len(timestamps_ms) > 1 else 0.0
    speed = (len(timestamps_ms) - 1) / span if span > 0 else 0.0
    advice: list[str] = []
    layout = None
    ok = received == TEST_CARD
    if not ok:
        layout = next((name for name in LAYOUTS if mangle(TEST_CARD, name) == received), None)
        if layout is None and received.upper() == TEST_CARD:
            advice.append("Caps Lock is on, or the scanner changes letter case: turn it off.")
        elif layout is not None:
            advice.append(
                f"The laptop keyboard is set to {layout} but the scanner types as US English: "
                f"set the scanner's keyboard language to {layout} (see its manual's barcodes), "
                "or switch the laptop's keyboard layout to English (US)."
            )
        else:
            advice.append(
                "Characters arrived changed or missing: check the scanner's keyboard language "
                "and that nothing else was typed during the scan, then try again."
            )
    name = {"Return": "Enter", "Enter": "Enter", "Tab": "Tab"}.get(terminator or "", "none")
    if name == "none":
        advice.append(
            "The scanner sends no Enter or Tab after a code. The desk copes (a fast burst then "
            "a short pause counts as a scan), but setting the scanner to add Enter is faster."
        )
    if gaps and median_gap > 30:
        advice.append(
            f"The scanner types slowly ({median_gap:.0f} ms between characters): the desk may "
            "take it for a person typing. Set a faster keyboard speed on the scanner."
        )
    return ScannerReport(
        ok, received, name, round(speed, 1), round(median_gap, 1), layout, tuple(advice)
    )
