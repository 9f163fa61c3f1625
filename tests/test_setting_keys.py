"""One registry of settings keys: the event's (checkin/store/setting_keys.py) and this laptop's
(ui/core/setting_keys.py). Read from the source: no key is written as a string anywhere else,
and no settings call is handed a string of its own (keys sat in 5 ui/ and 7 checkin/ files)."""

from __future__ import annotations

import ast
from pathlib import Path

from checkin.store.setting_keys import IMPORT_LAYOUT_PREFIX, EventSetting
from ui.core.setting_keys import STATIONS_PREFIX, LaptopSetting

ROOT = Path(__file__).resolve().parents[1]
REGISTRIES = {"checkin/store/setting_keys.py", "ui/core/setting_keys.py"}
FROZEN = "checkin/store/migrations/"  # history: a migration keeps the keys as they were then


def _values(holder: type) -> set[str]:
    return {v for k, v in vars(holder).items() if k.isupper() and isinstance(v, str)}


# Words that are also a person's field (an attendee's language) or plain English: checked in
# the settings calls only, as the station's own keys (name, mode...) are.
WORDS = {LaptopSetting.LANGUAGE, LaptopSetting.THEME}
KEYS = (_values(EventSetting) | _values(LaptopSetting)) - WORDS
PREFIXES = (IMPORT_LAYOUT_PREFIX, STATIONS_PREFIX)


def _sources() -> list[tuple[str, ast.Module]]:
    found = []
    for folder in ("checkin", "ui"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name in REGISTRIES or name.startswith(FROZEN):
                continue
            found.append((name, ast.parse(path.read_text(encoding="utf-8"))))
    return found


def _literal(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _settings_call_key(call: ast.Call) -> str | None:
    """The string a settings call was handed as its key, if it was handed one."""
    name = _called(call)
    if name in ("value", "setValue", "remove", "contains") and _on_qsettings(call):
        return _literal(call.args[0]) if call.args else None
    if name in ("get_setting", "set_setting") and len(call.args) > 1:
        return _literal(call.args[1])
    if name == "Setting":
        return next((_literal(k.value) for k in call.keywords if k.arg == "key"), None)
    if name == "get" and len(call.args) == 2 and getattr(call.args[0], "id", "") == "Setting":
        return _literal(call.args[1])
    return None


def _on_qsettings(call: ast.Call) -> bool:
    owner = call.func.value if isinstance(call.func, ast.Attribute) else None
    if isinstance(owner, ast.Call):
        return _called(owner) == "QSettings"
    return isinstance(owner, ast.Name) and owner.id == "settings"


def test_the_registries_hold_keys() -> None:
    assert len(KEYS) >= 20 and "desk_card_seconds" in KEYS and "window/geometry" in KEYS


def test_no_settings_key_is_written_outside_the_registries() -> None:
    outside: list[str] = []
    for name, tree in _sources():
        exported = _exported(tree)  # names of functions, not keys
        for node in ast.walk(tree):
            text = _literal(node) if isinstance(node, ast.Constant) else None
            if id(node) in exported:
                continue
            if text is not None and (text in KEYS or text.startswith(PREFIXES)):
                outside.append(f"{name}:{getattr(node, 'lineno', 0)}: {text!r}")
            if isinstance(node, ast.Call):
                handed = _settings_call_key(node)
                if handed is not None:
                    outside.append(f"{name}:{node.lineno}: a settings call handed {handed!r}")
    assert outside == []


def _exported(tree: ast.Module) -> set[int]:
    """The strings of a module's ``__all__``."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            getattr(t, "id", "") == "__all__" for t in node.targets
        ):
            found |= {id(n) for n in ast.walk(node.value)}
    return found


def test_the_check_sees_a_key_written_by_hand() -> None:
    tree = ast.parse(
        'QSettings().value("camera")\nevents.get_setting(db, "x")\nSetting(key="y")\n'
        'session.get(Setting, "z")\nsettings.setValue("w", 1)'
    )
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert sorted(k for k in map(_settings_call_key, calls) if k) == ["camera", "w", "x", "y", "z"]
