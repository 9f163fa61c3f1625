"""The report: a PDF that poppler renders and whose text holds the figures, the same content as
self-contained HTML, and no personal data in either."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from checkin.after_event.report import write_report
from checkin.after_event.summary import summarize
from checkin.cli import main
from checkin.store import Database
from tests.helpers.after_event import PERSONAL_STRINGS, Built


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.fail(
            f"{tool} is missing: install poppler-utils (apt-get install -y poppler-utils); "
            "CI installs it"
        )
    return found


def pdf_text(path: Path) -> str:
    done = subprocess.run(
        [poppler("pdftotext"), "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout


FIGURES = (
    "Test Party",
    "Households checked in",
    "Arrivals per 15 minutes",
    "13:00",
    "13:45",
    "64130",
    "64132",
    "Flyer: Elm Street",
    "Meal",
    "9 of 20 left",
    "Bike",
    "Gift card",
    "Failed scans",
    "not a code",
    "Counted on paper",
)


def test_pdf_renders_and_holds_the_figures(db: Database, event: Built, tmp_path: Path) -> None:
    pdf = write_report(db, tmp_path / "report.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(
        [poppler("pdftoppm"), "-r", "40", "-png", str(pdf), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert 1 <= len(pages) <= 2
    assert all(p.stat().st_size > 1000 for p in pages)
    text = pdf_text(pdf)
    for figure in FIGURES:
        assert figure in text, figure
    flat = " ".join(text.split())
    summary = summarize(db)
    assert f"{summary.households_checked_in} {summary.people_checked_in}" in flat  # 4, 11
    assert re.search(r"5 ?· ?5 ?· ?1", flat)  # adults, kids, seniors
    assert f"No. {event.winners['Gift card']} (claimed)" in flat
    assert f"No. {event.winners['Bike']} (not yet claimed)" in flat
    assert summary.audit_head in flat
    # Table headers are never broken inside a word (a tester saw "Dra/wn", "Redr/awn").
    for header in ("Drawn", "Claimed", "Redrawn", "Winning tickets", "Redeemed", "Cancelled"):
        assert header in text, header


def test_html_holds_the_same_figures_and_draws_svg(
    db: Database, event: Built, tmp_path: Path
) -> None:
    html = write_report(db, tmp_path / "report.html").read_text(encoding="utf-8")
    for figure in FIGURES:
        assert figure in html, figure
    assert html.count("<svg") == 2  # arrivals and tickets
    assert "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "<rect" in html and "<line" in html  # bars and their hatching
    assert summarize(db).audit_head in html
    # the bars carry their figures in words too (screen readers, text-only printing)
    assert re.search(r"13:30 1 households, 4 people", html)


def test_no_personal_data_in_either(db: Database, event: Built, tmp_path: Path) -> None:
    pdf = write_report(db, tmp_path / "report.pdf")
    html = write_report(db, tmp_path / "report.html").read_text(encoding="utf-8")
    text = pdf_text(pdf)
    for value in (*PERSONAL_STRINGS, *event.codes.values()):
        assert value not in text, value
        assert value not in html, value


def test_report_is_written_whole_and_refuses_other_suffixes(
    db: Database, event: Built, tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--db", str(db_path), "--out", str(tmp_path / "r.pdf")]) == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert main(["report", "--db", str(db_path), "--out", str(tmp_path / "r.docx")]) == 1
    assert ".pdf or .html" in capsys.readouterr().err
    assert main(["report", "--db", str(db_path), "--out", str(tmp_path / "no" / "r.pdf")]) == 1
    assert "Folder does not exist" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [
        ".event.checkin.wal-owner"
    ]


def test_an_empty_event_still_gets_a_report(db: Database, tmp_path: Path) -> None:
    text = pdf_text(write_report(db, tmp_path / "empty.pdf"))
    assert "Test Party" in text and "none" in text
