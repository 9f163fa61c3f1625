"""The exported CSV files open in LibreOffice (headless) and convert to spreadsheets."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from checkin.after_event.export import FILES, export_event
from checkin.store import Database
from tests.helpers.after_event import Built

pytestmark = pytest.mark.slow


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail(
            "soffice is missing: install LibreOffice Calc (apt-get install -y "
            "libreoffice-calc-nogui); CI installs it"
        )
    return found


def test_csv_files_convert_to_xlsx(db: Database, event: Built, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    export_event(db, out)
    converted = tmp_path / "xlsx"
    # A profile of its own: no clash with a running LibreOffice or another test run.
    profile = (tmp_path / "profile").as_uri()
    done = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            # comma, double quote, UTF-8 (76), from line 1: headless LibreOffice 7.4 takes the
            # charset from these options rather than the BOM (Excel and the LibreOffice import
            # dialog use the BOM)
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(converted),
            *(str(out / name) for name in FILES),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr, done.stderr
    for name in FILES:
        xlsx = converted / name.replace(".csv", ".xlsx")
        assert xlsx.is_file() and xlsx.stat().st_size > 0, (name, done.stdout, done.stderr)
        with zipfile.ZipFile(xlsx) as book:
            assert "xl/worksheets/sheet1.xml" in book.namelist()
    with zipfile.ZipFile(converted / "attendees.xlsx") as book:
        strings = book.read("xl/sharedStrings.xml").decode("utf-8")
    assert "Peñalosa" in strings
    assert "&apos;=HYPERLINK" in strings  # neutralised: kept as text, quote and all
    with zipfile.ZipFile(converted / "attendees.xlsx") as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet  # no cell became a formula
