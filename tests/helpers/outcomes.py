"""A scan outcome's parameters as the kind a test expects (checked, so mypy reads them typed)."""

from __future__ import annotations

from typing import TypeVar

from checkin.results import OutcomeParams, ScanResult

P = TypeVar("P", bound=OutcomeParams)


def params_of(result: ScanResult, kind: type[P]) -> P:
    assert isinstance(result.params, kind), f"{result.state}: {result.params!r}"
    return result.params
