"""What the app imports, the plain install (`pip install -e .`) must bring: the quick start's
first command installs no test extras."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from tests.helpers.project_paths import ROOT


def third_party_imports() -> dict[str, str]:
    """Top-level modules imported by checkin/ and ui/ that are neither ours nor the standard
    library, with one file importing each."""
    found: dict[str, str] = {}
    for path in [*ROOT.joinpath("checkin").rglob("*.py"), *ROOT.joinpath("ui").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in ("checkin", "ui", "resources") and top not in sys.stdlib_module_names:
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def declared() -> set[str]:
    project = tomllib.loads(ROOT.joinpath("pyproject.toml").read_text(encoding="utf-8"))
    names = set()
    for requirement in project["project"]["dependencies"]:
        name = re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]
        names.add(name.lower().replace("_", "-"))
    return names


def test_every_module_the_app_imports_is_a_declared_dependency() -> None:
    distributions = packages_distributions()
    wanted = declared()
    optional = {"psycopg"}  # only for a PostgreSQL server: the [postgres] extra
    missing = {}
    imported = third_party_imports()
    for module, where in imported.items():
        if module in optional:
            continue
        owners = {d.lower().replace("_", "-") for d in distributions.get(module, [])}
        if not owners & wanted:
            missing[module] = where
    assert missing == {}, f"imported but not in [project].dependencies: {missing}"
    assert "zxingcpp" in imported  # the check sees the camera's decoder
