"""The one-page volunteer guide: `checkin guide` writes it, pdftoppm renders it, pdftotext reads
its words back in English and Spanish, and the paper kit carries both."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from checkin.cli import main
from checkin.paper.guide import GUIDES, as_text, guide
from checkin.results import TONE, Tone

TOOLS = ("pdftotext", "pdftoppm", "pdfinfo")


@pytest.fixture(autouse=True)
def _poppler() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"install poppler-utils (bash .ci/system-deps.sh) for {', '.join(missing)}")


def _text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.split())  # lines re-joined: a phrase may wrap


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    line = next(row for row in info.stdout.splitlines() if row.startswith("Pages:"))
    return int(line.split()[1])


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        (
            "en",
            (
                "How to scan",
                "What the colours and sounds mean",
                "Green",
                "rising two-note chime",
                "Amber",
                "double beep",
                "Red",
                "low buzz",
                "Purple",
                "Press F2",
                "Red NOT saved",
                "scan again",
                "When the laptop dies",
            ),
        ),
        (
            "es",
            (
                "Cómo escanear",
                "Qué significan los colores y los sonidos",
                "Verde",
                "doble pitido",
                "Ámbar",
                "Rojo",
                "zumbido grave",
                "Morado",
                "Pulse F2",
                "Rojo NO se guardó",
                "escanee de nuevo",
                "Cuando la computadora se apaga",
            ),
        ),
    ],
)
def test_guide_command_writes_one_page_that_reads_back(
    tmp_path: Path, language: str, phrases: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"guide-{language}.pdf"
    assert main(["guide", "--out", str(out), "--lang", language]) == 0
    assert str(out) in capsys.readouterr().out
    assert _pages(out) == 1
    text = _text(out)
    for phrase in phrases:
        assert phrase in text, phrase
    # every line of the data is on the page, none cut off at the bottom
    for section in (guide(language).scan, *guide(language).sections):
        for line in section.lines:
            assert " ".join(line.split()) in text, line
    assert " ".join(guide(language).footer.split()) in text
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(out), str(tmp_path / "page")], check=True, timeout=60
    )
    png = tmp_path / "page-1.png"
    assert png.stat().st_size > 20_000, "the rendered page looks empty"


def test_english_is_the_default_and_a_bad_language_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "guide.pdf"
    assert main(["guide", "--out", str(out)]) == 0
    assert "How to scan" in _text(out)
    with pytest.raises(SystemExit) as refused:
        main(["guide", "--out", str(tmp_path / "x.pdf"), "--lang", "fr"])
    assert refused.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    assert main(["guide", "--out", str(tmp_path / "guide.txt")]) == 1
    assert ".pdf" in capsys.readouterr().err


def test_the_guide_names_the_desk_s_real_colours() -> None:
    # The banner's colours (ui/desk/banner.py can't be imported here: no Qt in this layer) are
    # the ones the domain's tones map to; the guide lists one row per tone, the scanner's
    # repeat (blue) and the note.
    banner = (Path(__file__).resolve().parents[3] / "ui" / "desk" / "banner.py").read_text()
    for language, text in GUIDES.items():
        assert len(text.tones) == len(Tone) + 2, language
        for tone in text.tones:
            assert tone.hex in banner, (language, tone.colour)
    assert set(TONE.values()) | {Tone.ERROR} == set(Tone)


def test_plain_text_for_the_help_window_has_every_line() -> None:
    for language in GUIDES:
        text = as_text(guide(language))
        for section in guide(language).sections:
            assert section.title.upper() in text
            assert all(line in text for line in section.lines)
    assert guide("fr") is guide("en")


def test_paper_kit_starts_with_the_guide_in_both_languages(
    tmp_path: Path, demo_db: object, db_path: Path
) -> None:
    out = tmp_path / "kit.pdf"
    assert (
        main(["paper-kit", "--db", str(db_path), "--out", str(out), "--passphrase", "secret"]) == 0
    )
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "2", str(out), "-"], capture_output=True, text=True
    ).stdout
    assert "volunteer guide" in first and "guía para voluntarios" in first
    assert "Pre-registered" in _text(out)
