"""A write that failed says why in the volunteer's language; other refusals keep their line."""

from __future__ import annotations

import errno

import pytest

from checkin.errors import Failure
from checkin.results import NotSavedParams, ScanResult, ScanState
from ui.common.failure_texts import explain, failure_text
from ui.desk.messages import headline

pytestmark = pytest.mark.gui


def not_saved(failure: str) -> ScanResult:
    return ScanResult(
        "AB12", ScanState.NOT_SAVED, "NOT saved", params=NotSavedParams(failure=failure)
    )


def test_each_cause_has_its_own_words() -> None:
    texts = {failure_text(failure) for failure in Failure}
    assert len(texts) == len(Failure)
    assert headline(not_saved("disk_full")) == (
        "NOT saved: scan again",
        "The disk is full: free some space, then try again",
    )
    # A result from a newer release, or one with no cause, still reads as a sentence.
    assert headline(not_saved("melted"))[1] == "The event file could not be written"
    assert headline(ScanResult("AB12", ScanState.NOT_SAVED, "NOT saved"))[1] == (
        "The event file could not be written"
    )


def test_explain_keeps_a_refusal_s_own_line() -> None:
    assert explain(OSError(errno.ENOSPC, "No space left on device")) == (
        "The disk is full: free some space, then try again"
    )
    assert explain(ValueError("adults must be a number")) == "adults must be a number"


def test_spanish(spanish: None) -> None:
    assert headline(not_saved("disk_full")) == (
        "NO se guardó: escanee de nuevo",
        "El disco está lleno: libere espacio y vuelva a intentarlo",
    )
    assert explain(OSError(errno.EROFS, "Read-only file system")) == (
        "El archivo del evento es de solo lectura: avise al organizador"
    )
    texts = {failure_text(failure) for failure in Failure}
    assert len(texts) == len(Failure) and texts.isdisjoint(
        {
            "Another program is holding the event file: try again in a moment",
            "The event file could not be written",
        }
    )
