"""Where the project and the shared test data are. A module of its own, because tests/ui has its
own conftest and ``from project_paths import`` would find whichever was imported first."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
