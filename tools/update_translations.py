"""Refresh the Spanish translation: lupdate over every ui/*.py into
resources/translations/checkin_es.ts (existing translations kept, obsolete ones dropped),
fill what is missing from tools/translations_es.py, then lrelease into checkin_es.qm.

    python tools/update_translations.py   (from the repository, in its virtual environment)

Prints every source string that still has no Spanish translation (add them to
tools/translations_es.py and run again); exits 1 while any are missing.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS_PATH = ROOT / "resources" / "translations" / "checkin_es.ts"
QM_PATH = TS_PATH.with_suffix(".qm")
DICTIONARY = Path(__file__).resolve().with_name("translations_es.py")

Translation = str | tuple[str, str]  # numerus messages: (singular, plural)


def find_tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease next to this Python, in PySide6, or on PATH."""
    candidates = [Path(sys.executable).parent / f"pyside6-{name}"]
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.origin is not None:
        candidates.append(Path(spec.origin).parent / name)
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(f"pyside6-{name}") or shutil.which(name)
    if found is None:
        raise SystemExit(f"Cannot find {name}: install PySide6 into this Python")
    return found


def ui_sources(root: Path = ROOT) -> list[Path]:
    # Recursive: screens grouped in sub-packages (ui/desk/...) are translated too.
    return sorted((root / "ui").rglob("*.py"))


def run_lupdate(ts_path: Path, sources: list[Path]) -> None:
    ts_path.parent.mkdir(parents=True, exist_ok=True)
    command = [
        find_tool("lupdate"),
        *map(str, sources),
        "-ts",
        str(ts_path),
        "-no-obsolete",
        "-locations",
        "none",
        "-source-language",
        "en",
        "-target-language",
        "es",
        "-silent",
    ]
    subprocess.run(command, check=True)


def run_lrelease(ts_path: Path, qm_path: Path) -> None:
    command = [find_tool("lrelease"), "-silent", str(ts_path), "-qm", str(qm_path)]
    subprocess.run(command, check=True)


def load_dictionary(path: Path = DICTIONARY) -> dict[str, Translation]:
    spec = importlib.util.spec_from_file_location("translations_es", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"Cannot read {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.SPANISH)


def is_finished(message: ET.Element) -> bool:
    translation = message.find("translation")
    if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished"):
        return False
    if message.get("numerus") == "yes":
        forms = translation.findall("numerusform")
        return bool(forms) and all((f.text or "").strip() for f in forms)
    return bool((translation.text or "").strip())


def messages(root: ET.Element) -> list[tuple[str, ET.Element]]:
    found: list[tuple[str, ET.Element]] = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        found.extend((name, message) for message in context.iter("message"))
    return found


def fill(ts_path: Path, dictionary: dict[str, Translation]) -> list[tuple[str, str]]:
    """Put the dictionary's translations into the .ts; return (context, source) still missing.

    The dictionary is the kept source of the Spanish text, so it wins over what the file holds;
    a translation made in Qt Linguist for a string the dictionary lacks is left alone.
    """
    tree = ET.parse(ts_path)
    missing: list[tuple[str, str]] = []
    for context, message in messages(tree.getroot()):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        wanted = dictionary.get(source)
        numerus = message.get("numerus") == "yes"
        if numerus and isinstance(wanted, str):
            wanted = (wanted, wanted)  # one wording that reads right for any count
        if wanted is not None and isinstance(wanted, tuple) == numerus:
            translation.attrib.pop("type", None)
            if numerus:
                for form in list(translation):
                    translation.remove(form)
                translation.text = None
                for text in wanted:
                    ET.SubElement(translation, "numerusform").text = text
            else:
                translation.text = str(wanted)
        elif not is_finished(message):
            missing.append((context, source))
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts_path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ts", type=Path, default=TS_PATH)
    parser.add_argument("--qm", type=Path, default=QM_PATH)
    args = parser.parse_args(argv)
    sources = ui_sources()
    run_lupdate(args.ts, sources)
    missing = fill(args.ts, load_dictionary())
    run_lrelease(args.ts, args.qm)
    total = len(messages(ET.parse(args.ts).getroot()))
    print(f"{args.ts.name}: {total} strings from {len(sources)} files, {len(missing)} untranslated")
    for context, source in missing:
        print(f"  untranslated [{context}] {source!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
