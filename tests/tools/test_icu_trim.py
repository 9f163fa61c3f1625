"""tools/icu_trim.py: ICU's data library rebuilt smaller still serves Qt what the app keeps
(Spanish collation, single-byte encodings) and no longer what it drops (fast: no bundle build;
the rebuilt library is preloaded into a Python that imports Qt)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers.project_paths import ROOT

QT_LIB = Path(importlib.util.find_spec("PySide6").origin or "").parent / "Qt" / "lib"  # type: ignore[union-attr]


def _load(name: str) -> ModuleType:
    found = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert found is not None and found.loader is not None
    module = importlib.util.module_from_spec(found)
    found.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def icu_trim() -> ModuleType:
    return _load("icu_trim")


def test_a_package_written_back_reads_the_same(icu_trim: ModuleType) -> None:
    header = (32).to_bytes(2, "little") + b"\xda\x27" + bytes(8) + b"CmnD" + bytes(16)
    items = [("icudt99l/a.res", b"x" * 20 + bytes(12)), ("icudt99l/coll/b.res", b"y" * 16)]
    package = icu_trim.write_package(header, items)
    again_header, again = icu_trim.read_package(package)
    assert again_header == header and again == items
    # every item starts 16-byte aligned, as ICU reads its tables in place
    assert all(package.index(data) % 16 == 0 for _name, data in items)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="Qt's wheels carry ICU on Linux only")
def test_the_rebuilt_library_serves_qt(icu_trim: ModuleType, tmp_path: Path) -> None:
    if not all(shutil.which(tool) for tool in ("as", "ld", "readelf")):
        pytest.fail("install binutils")
    spec = _load("bundle_spec")
    original = next(QT_LIB.glob("libicudata.so.*[0-9]"))
    trimmed = tmp_path / original.name
    before, after = icu_trim.trim(original, spec.icu_item_kept, trimmed)
    assert after < before / 4
    probe = (
        "from PySide6.QtCore import QCollator, QLocale, QStringDecoder\n"
        "print(QCollator(QLocale('es')).compare('ñu', 'nz') > 0,"
        " QStringDecoder('windows-1252').isValid(), QStringDecoder('ISO-8859-2').isValid(),"
        " QStringDecoder('Shift_JIS').isValid(), QLocale('es').toUpper('ñandú'))\n"
    )
    env = {**os.environ, "LD_PRELOAD": str(trimmed), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    # In Spanish ñ sorts after n (root's order puts "ñu" before "nz"); Shift_JIS is gone.
    assert done.stdout.split() == ["True", "True", "True", "False", "ÑANDÚ"]
