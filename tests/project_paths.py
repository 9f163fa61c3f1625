"""Where the project and its test data are. A module of its own, because tests/ui has its
own conftest and ``from project_paths import`` would find whichever was imported first."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The sample files the tests read, made by tests/data/make_prereg_samples.py (no sibling folder).
PREREG_DATA = ROOT / "tests" / "data" / "prereg"
