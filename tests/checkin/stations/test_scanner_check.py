"""What the scanner check concludes from what arrived."""

from __future__ import annotations

import pytest

from checkin.stations.scanner_check import TEST_CARD, analyse, mangle

FAST = [i * 4.0 for i in range(len(TEST_CARD))]


def test_exact_card_with_enter_is_ok() -> None:
    report = analyse(TEST_CARD, FAST, "Return")
    assert report.ok and report.terminator == "Enter" and report.layout is None
    assert report.advice == ()
    assert report.median_gap_ms == 4.0
    assert report.chars_per_second == 250.0


@pytest.mark.parametrize("layout", ["German", "French", "Spanish"])
def test_a_layout_mismatch_is_named_with_the_fix(layout: str) -> None:
    report = analyse(mangle(TEST_CARD, layout), FAST, "Return")
    assert not report.ok
    assert report.layout is not None and report.layout.endswith(layout.split()[-1])
    assert "keyboard layout to English (US)" in report.advice[0]


def test_german_swaps_y_and_z() -> None:
    assert mangle("YZ-/", "German") == "ZYß-"


def test_no_terminator_and_slow_typing_are_explained() -> None:
    slow = [i * 60.0 for i in range(len(TEST_CARD))]
    report = analyse(TEST_CARD, slow, None)
    assert report.ok and report.terminator == "none"
    assert any("no Enter or Tab" in line for line in report.advice)
    assert any("types slowly" in line for line in report.advice)


def test_caps_and_garbage() -> None:
    assert "Caps Lock" in analyse(TEST_CARD.lower(), FAST, "Tab").advice[0]
    assert "changed or missing" in analyse("TEST-", FAST, "Tab").advice[0]


def test_a_real_azerty_scan_is_recognised() -> None:
    # what a US-layout scanner typed into a French laptop, character for character
    report = analyse("TEST)YWQA?Z!&éçàM:", FAST[:18], "Return")
    assert report.layout == "French"
