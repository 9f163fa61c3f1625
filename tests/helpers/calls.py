"""Recording a call from a stand-in: the stand-in notes what it was given and answers."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def noted(calls: list[T], given: T, answer: R) -> R:
    """``lambda x: noted(calls, x, 0)``: appends ``x`` to ``calls`` and returns 0."""
    calls.append(given)
    return answer
