"""checkin/ is the domain layer: importing all of it must not load Qt."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers.project_paths import ROOT


@pytest.mark.slow
def test_domain_layer_never_imports_qt() -> None:
    script = (
        "import importlib, pkgutil, sys, checkin\n"
        "for m in pkgutil.walk_packages(checkin.__path__, 'checkin.'):\n"
        "    if not m.name.endswith(('__main__',)) and '.migrations' not in m.name:\n"
        "        importlib.import_module(m.name)\n"
        "import checkin.cli; checkin.cli.build_parser()\n"
        "print(sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
