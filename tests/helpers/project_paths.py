"""Where the project and its test data are."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The sample files the tests read, made by tests/data/make_prereg_samples.py (no sibling folder).
PREREG_DATA = ROOT / "tests" / "data" / "prereg"
