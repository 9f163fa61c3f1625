"""The states, kinds and rules the tables store have one home each (checkin/store/states.py):
no code in checkin/ or ui/ writes one of their values as a string literal where it stands for
the state, so a new ``ticket.state == "void"`` fails here rather than drifting from the enum.

What counts as "standing for the state" is read from the models and the enums themselves,
never from a hand-written list of words: the columns typed with ``EnumText`` give the field
names (``state``, ``kind``, ``rule``, ``source``, ``mode``, ``raffle_one_win_per``, and each
without its ``raffle_`` prefix), and the enums give the values. A literal is reported when it is

- compared with such a field (``row.state == "void"``, ``r["state"] in ("drawn", ...)``,
  ``Ticket.state.in_(("issued", "redeemed"))``),
- passed or set as such a field (``state="void"``, ``{"state": "issued"}``,
  ``ticket.state = "void"``), or
- one of two or more literals that are all values of one enum (a copy of ``HELD_STATES``, a
  table keyed by the states).

Words that merely look alike elsewhere (a CSV column named "redeemed", a grouping mode called
"person") are left alone. Positional arguments are mypy's: the services take the enums.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Iterator
from pathlib import Path

from checkin.store import models, states
from tests.helpers.project_paths import ROOT

ENUMS: tuple[type[enum.StrEnum], ...] = tuple(
    value
    for value in vars(states).values()
    if isinstance(value, type)
    and issubclass(value, enum.StrEnum)
    and value.__module__ == states.__name__
)


def _field_enums() -> dict[str, set[type[enum.StrEnum]]]:
    """Each field name a stored enum goes by, with the enums stored under it."""
    fields: dict[str, set[type[enum.StrEnum]]] = {}
    for table in models.Base.metadata.tables.values():
        for column in table.c:
            if isinstance(column.type, states.EnumText):
                for name in {column.name, column.name.removeprefix("raffle_")}:
                    fields.setdefault(name, set()).add(column.type.enum_type)
    return fields


FIELDS = _field_enums()


def _values(enums: set[type[enum.StrEnum]]) -> set[str]:
    return {member.value for cls in enums for member in cls}


def _strings(node: ast.expr) -> list[ast.Constant]:
    """The string literals of an expression: itself, or the items of a tuple, list or set."""
    items = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
    return [n for n in items if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _field_name(node: ast.expr) -> str | None:
    """The field an expression reads: ``x.state``, ``state``, ``r["state"]``."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        key = node.slice.value
        return key if isinstance(key, str) else None
    return None


def _is_enum_class(node: ast.ClassDef) -> bool:
    return any(
        (isinstance(b, ast.Attribute) and b.attr.endswith("Enum"))
        or (isinstance(b, ast.Name) and b.id.endswith("Enum"))
        for b in node.bases
    )


class _Finder(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: list[tuple[int, str, str]] = []  # line, literal, why

    def _check(self, field: str | None, values: list[ast.Constant], why: str) -> None:
        if field is None or field not in FIELDS:
            return
        allowed = _values(FIELDS[field])
        for literal in values:
            if literal.value in allowed:
                self.found.append((literal.lineno, literal.value, f"{why} {field}"))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if not _is_enum_class(node):  # an enum's own members are where the values live
            self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        operands = [node.left, *node.comparators]
        for side in operands:
            for other in operands:
                if other is not side:
                    self._check(_field_name(side), _strings(other), "compared with")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("in_", "not_in"):
            for arg in node.args:  # Ticket.state.in_(("issued", "redeemed"))
                self._check(_field_name(func.value), _strings(arg), "compared with")
        for keyword in node.keywords:
            self._check(keyword.arg, _strings(keyword.value), "passed as")
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                self._check(key.value, _strings(value), "given as")
        keys = [k for k in node.keys if k is not None]
        self._all_of_one_enum(keys)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            pairs = (
                zip(target.elts, node.value.elts, strict=False)
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
                else [(target, node.value)]
            )
            for one, value in pairs:
                self._check(_field_name(one), _strings(value), "set as")
        self.generic_visit(node)

    def visit_Tuple(self, node: ast.Tuple) -> None:
        self._all_of_one_enum(node.elts)
        self.generic_visit(node)

    def visit_List(self, node: ast.List) -> None:
        self._all_of_one_enum(node.elts)
        self.generic_visit(node)

    def visit_Set(self, node: ast.Set) -> None:
        self._all_of_one_enum(node.elts)
        self.generic_visit(node)

    def _all_of_one_enum(self, items: list[ast.expr]) -> None:
        literals = [n for n in items if isinstance(n, ast.Constant)]
        if len(literals) < 2 or len(literals) != len(items):
            return
        words = {n.value for n in literals}
        for cls in ENUMS:
            if all(isinstance(w, str) for w in words) and words <= {m.value for m in cls}:
                for literal in literals:
                    self.found.append(
                        (literal.lineno, str(literal.value), f"a set of {cls.__name__}")
                    )
                return


def literals_in(source: str) -> list[tuple[int, str, str]]:
    finder = _Finder()
    finder.visit(ast.parse(source))
    return sorted(set(finder.found))


def _sources(root: Path) -> Iterator[Path]:
    for top in ("checkin", "ui"):
        for path in sorted((root / top).rglob("*.py")):
            if "migrations" not in path.parts and path != root / "checkin/store/states.py":
                yield path


def test_the_checker_finds_each_kind_of_literal() -> None:
    """Each form the docstring names is found (so an empty answer below means something)."""
    source = "\n".join(
        [
            'if ticket.state == "void": pass',
            'if row["state"] in ("drawn", "claimed"): pass',
            'q = select(Ticket).where(Ticket.state.in_(("issued", "redeemed")))',
            'made = Ticket(state="unassigned")',
            'row = {"state": "issued"}',
            'ticket.state, ticket.voided_at = "void", now',
            'KEPT = ("walkup", "paper")',
            'NAMES = {"fixed": 1, "per_kid": 2}',
            'if one_win_per == "none": pass',
            'if kind != "raffle": pass',
        ]
    )
    found = literals_in(source)
    assert sorted({line for line, _, _ in found}) == list(range(1, 11)), found


def test_the_checker_leaves_lookalike_words_alone() -> None:
    source = "\n".join(
        [
            'for measure in ("issued", "bound", "redeemed"): pass',  # CSV column names
            'if mode == "person": pass',  # an import grouping, not a raffle rule
            'label = tr("redeemed")',
            "class TicketState(enum.StrEnum):\n    VOID = 'void'\n    ISSUED = 'issued'",
        ]
    )
    assert literals_in(source) == []


def test_no_state_kind_or_rule_is_written_as_a_literal() -> None:
    assert ENUMS and FIELDS  # read from the code: an empty list would pass vacuously
    assert {"state", "kind", "rule", "source", "mode", "one_win_per"} <= FIELDS.keys()
    found = [
        f"{path.relative_to(ROOT)}:{line}: {literal!r} ({why}): use the enum member"
        for path in _sources(ROOT)
        for line, literal, why in literals_in(path.read_text(encoding="utf-8"))
    ]
    assert found == []
