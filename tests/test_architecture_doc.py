"""The architecture page names every package of checkin/ and ui/ (derived from the tree)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def packages() -> list[str]:
    found = []
    for top in ("checkin", "ui"):
        for init in sorted((ROOT / top).glob("*/__init__.py")):
            found.append(f"{top}/{init.parent.name}/")
    return found


def test_every_package_is_on_the_architecture_page() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [p for p in packages() if f"`{p}`" not in page]
    assert len(packages()) > 10
    assert missing == []


def test_every_package_says_what_it_holds() -> None:
    import ast

    silent = []
    for p in packages():
        tree = ast.parse((ROOT / p / "__init__.py").read_text(encoding="utf-8"))
        if not ast.get_docstring(tree):
            silent.append(p)
    assert silent == []
