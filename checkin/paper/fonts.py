"""Where the DejaVu fonts are: the app bundle's own copy first, then the system's folders.

DejaVu prints every accent, ñ and most scripts; without it the PDFs fall back to the core
Helvetica (Western European only). The bundle (tools/build_bundle.py) ships the two files in
resources/fonts/, so a Windows or Mac laptop prints the same as a Debian one.
"""

from __future__ import annotations

import os
from pathlib import Path

FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
BUNDLED = Path(__file__).resolve().parents[2] / "resources" / "fonts"


def font_dirs() -> list[Path]:
    home = Path.home()
    return [
        BUNDLED,
        Path("/usr/share/fonts/truetype/dejavu"),
        Path("/usr/share/fonts/dejavu"),
        Path("/usr/share/fonts/TTF"),
        Path("/Library/Fonts"),
        home / "Library" / "Fonts",
        Path(os.environ.get("WINDIR", "C:\\Windows")) / "Fonts",
        Path(os.environ.get("LOCALAPPDATA", home)) / "Microsoft" / "Windows" / "Fonts",
    ]


def find_font_dir() -> Path | None:
    """The first folder that holds both DejaVu files, or None."""
    for folder in font_dirs():
        if all((folder / name).is_file() for name in FONT_FILES):
            return folder
    return None
