"""Build the one-folder app bundle with PyInstaller: no Python needed on the target.

    pip install -e ".[bundle]"
    python tools/build_bundle.py            # dist/checkin/ and dist/checkin-<version>-<os>-<cpu>.*

`dist/checkin/checkin` (checkin.exe on Windows) with no arguments opens the app; with arguments
it is the command line, the same `checkin.cli.main` as the installed `checkin`. The folder
holds the translations, sounds, styles, icon, the Alembic migrations, the report's DejaVu fonts,
Qt's plugins for the screen, printing, camera and sound, and for hosting and joining psycopg,
zeroconf and a pruned PostgreSQL (tools/bundle_spec.py). Qt modules the app never imports
(WebEngine, QML/Quick, 3D, ...) are left out; on Linux ICU's data is cut to what Qt can reach.
The archive is a .tar.gz on Linux and macOS and a .zip on Windows; on macOS PyInstaller also
makes dist/checkin.app (packaging/macos/ makes the .dmg from it).

Why PyInstaller: it ships hooks for PySide6 that collect exactly the Qt plugins of the modules
the app imports, builds on Linux, Windows and macOS from the same command, and needs no C
compiler (Nuitka does, and takes many times longer); Briefcase and cx_Freeze need more of their
own configuration for Qt's plugins.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))  # bundle_spec and icu_trim, as the .spec imports them

from checkin import __version__  # noqa: E402

NAME = "checkin"
SPEC = ROOT / "packaging" / "checkin.spec"


def platform_tag() -> str:
    system = {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(sys.platform)
    machine = platform.machine().lower()
    cpu = {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
    return f"{system or sys.platform}-{cpu}"


def archive(dist: Path) -> Path:
    bundle = dist / NAME
    stem = f"{NAME}-{__version__}-{platform_tag()}"
    if sys.platform == "win32":
        out = dist / f"{stem}.zip"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as handle:
            for path in sorted(bundle.rglob("*")):
                handle.write(path, Path(NAME) / path.relative_to(bundle))
        return out
    out = dist / f"{stem}.tar.gz"
    with tarfile.open(out, "w:gz", compresslevel=6) as handle:
        handle.add(bundle, arcname=NAME)
    return out


def strip_symbols(bundle: Path) -> int:
    """`strip --strip-unneeded` on the ELF files that still carry a symbol table or debug
    sections (Linux, with binutils); returns the bytes they had before. Files already stripped
    are not rewritten: PyInstaller's own strip rewrites them all and breaks Qt's FFmpeg."""
    if sys.platform != "linux" or not (shutil.which("strip") and shutil.which("readelf")):
        return 0
    before = 0
    for path in sorted(bundle.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        with path.open("rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        sections = subprocess.run(
            ["readelf", "-S", "-W", str(path)], capture_output=True, text=True
        )
        if " .symtab" not in sections.stdout and ".debug_info" not in sections.stdout:
            continue
        before += path.stat().st_size
        subprocess.run(["strip", "--strip-unneeded", str(path)], check=True)
    return before


def trim_icu(bundle: Path) -> int:
    """ICU's data library rebuilt with what the app can reach (tools/bundle_spec.py says what,
    tools/icu_trim.py how); returns the bytes saved. Linux only: the Windows and macOS wheels
    of Qt use the system's ICU, or none."""
    if sys.platform != "linux":
        return 0
    import bundle_spec
    import icu_trim

    saved = 0
    for library in sorted(bundle.rglob("libicudata.so*")):
        if library.is_symlink() or not library.is_file():
            continue
        try:
            before, after = icu_trim.trim(library, bundle_spec.icu_item_kept)
        except (icu_trim.IcuTrimError, subprocess.CalledProcessError) as exc:
            print(f"bundle: ICU's data kept whole ({exc})", file=sys.stderr)
            continue
        saved += before - after
    return saved


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's folder")
    parser.add_argument("--no-archive", action="store_true", help="only the folder")
    args = parser.parse_args(argv)
    try:
        import PyInstaller.__main__ as pyinstaller
    except ImportError:
        print('build_bundle: PyInstaller is missing: pip install -e ".[bundle]"', file=sys.stderr)
        return 2
    started = time.monotonic()
    dist = args.dist.resolve()
    # PyInstaller reads PYTHONPATH too: the checkout being built comes first.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    pyinstaller.run(
        [
            str(SPEC),
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(args.work.resolve()),
        ]
    )
    bundle = dist / NAME
    if sys.platform == "linux":  # the menu entry, the icon and the .checkin file type
        shutil.copytree(ROOT / "packaging" / "linux", bundle / "desktop", dirs_exist_ok=True)
    trimmed = trim_icu(bundle)
    if trimmed:
        print(f"bundle: ICU's data trimmed by {trimmed / 1e6:.0f} MB")
    stripped = strip_symbols(bundle)
    if stripped:
        print(f"bundle: symbols stripped from {stripped / 1e6:.0f} MB of libraries")
    for cache in bundle.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    size = folder_size(bundle)
    print(f"bundle: {bundle} ({size / 1e6:.0f} MB)")
    if not args.no_archive:
        out = archive(dist)
        print(f"archive: {out} ({out.stat().st_size / 1e6:.0f} MB)")
    print(f"built in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
