"""A household size written in words, in English or Spanish: "2 adults 3 kids",
"4 (2 adults, 2 kids)", "5 (2 adultos, 3 niños)", "2+2", "just me", "3 (1 baby)",
"two adults and three children", "n/a". The breakdown is kept when the words give one."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_NUMBERS = {
    **dict.fromkeys(("zero", "none", "cero", "ninguno", "ninguna", "nadie", "nobody"), 0),
    **dict.fromkeys(("one", "uno", "una", "un"), 1),
    **dict.fromkeys(("two", "dos"), 2),
    **dict.fromkeys(("three", "tres"), 3),
    **dict.fromkeys(("four", "cuatro"), 4),
    **dict.fromkeys(("five", "cinco"), 5),
    **dict.fromkeys(("six", "seis"), 6),
    **dict.fromkeys(("seven", "siete"), 7),
    **dict.fromkeys(("eight", "ocho"), 8),
    **dict.fromkeys(("nine", "nueve"), 9),
    **dict.fromkeys(("ten", "diez"), 10),
    **dict.fromkeys(("eleven", "once"), 11),
    **dict.fromkeys(("twelve", "doce"), 12),
}
# The words for who is counted (singular and plural, English and Spanish).
_KIND = {
    **dict.fromkeys(
        [
            "adult",
            "adults",
            "adulto",
            "adultos",
            "adulta",
            "adultas",
            "grownup",
            "grownups",
            "parent",
            "parents",
            "padre",
            "padres",
            "mayor",
            "mayores",
        ],
        "adults",
    ),
    **dict.fromkeys(
        [
            "kid",
            "kids",
            "child",
            "children",
            "childs",
            "nino",
            "ninos",
            "nina",
            "ninas",
            "hijo",
            "hijos",
            "hija",
            "hijas",
            "baby",
            "babies",
            "bebe",
            "bebes",
            "infant",
            "infants",
            "toddler",
            "toddlers",
            "teen",
            "teens",
            "teenager",
            "teenagers",
            "menor",
            "menores",
            "youth",
            "minor",
            "minors",
            "chico",
            "chicos",
        ],
        "kids",
    ),
    **dict.fromkeys(
        [
            "senior",
            "seniors",
            "elder",
            "elders",
            "elderly",
            "grandparent",
            "grandparents",
            "abuelo",
            "abuelos",
            "abuela",
            "abuelas",
            "anciano",
            "ancianos",
        ],
        "seniors",
    ),
    **dict.fromkeys(
        [
            "people",
            "persons",
            "person",
            "personas",
            "persona",
            "gente",
            "folks",
            "total",
            "members",
            "miembros",
            "guests",
            "invitados",
            "of",
            "us",
            "nosotros",
            "in",
        ],
        "total",
    ),
}
_ME = frozenset(
    (
        "just me",
        "only me",
        "me",
        "myself",
        "me only",
        "just myself",
        "solo yo",
        "yo",
        "yo solo",
        "solamente yo",
        "solo",
        "sola",
        "alone",
        "1 me",
        "one me",
    )
)
_FILLERS = frozenset(
    [
        "and",
        "y",
        "e",
        "plus",
        "mas",
        "with",
        "con",
        "just",
        "only",
        "solo",
        "sola",
        "me",
        "yo",
        "myself",
        "including",
        "incl",
        "my",
        "mi",
        "mis",
        "our",
        "nuestra",
        "family",
        "familia",
    ]
)
NOT_GIVEN = frozenset(("n a", "na", "n d", "nd", "tbd", "unknown", "no se", "", "x"))
_TOKEN = re.compile(r"\d+|[a-z]+|[()+&,;/]")


@dataclass(frozen=True)
class Size:
    """What one cell says: a total, and the part of it each kind of person takes (None: not
    said)."""

    total: int | None
    adults: int | None = None
    kids: int | None = None
    seniors: int | None = None

    @property
    def split(self) -> bool:
        return any(v is not None for v in (self.adults, self.kids, self.seniors))


def _plain(raw: str) -> str:
    decomposed = unicodedata.normalize("NFKD", raw.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _terms(tokens: list[str]) -> list[tuple[int, str | None]] | None:
    """(number, kind or None) for each number; None when a number is followed by a word
    that is no kind of person ("5 dogs")."""
    terms: list[tuple[int, str | None]] = []
    at = 0
    while at < len(tokens):
        token = tokens[at]
        number = int(token) if token.isdigit() else _NUMBERS.get(token)
        if number is None:
            if token in ("me", "yo", "myself"):
                terms.append((1, "adults"))
            at += 1
            continue
        kind: str | None = None
        ahead = at + 1
        # "2 adultos mayores": seniors; "3 of us": the total.
        while ahead < len(tokens) and tokens[ahead] in _KIND:
            word = _KIND[tokens[ahead]]
            if kind == "adults" and word == "adults":  # "adulto mayor"
                kind = "seniors"
            elif kind is None or kind == "total":
                kind = word
            ahead += 1
        if kind is None and ahead < len(tokens) and tokens[ahead].isalpha():
            word = tokens[ahead]
            if word not in ("and", "y", "e", "plus", "mas", "with", "con") and (
                word not in _NUMBERS
            ):
                return None
        terms.append((number, kind))
        at = ahead
    return terms


def read_size(raw: str) -> Size | None:
    """The household a cell describes; ``Size(None)`` when it says nothing ("n/a"); None
    when it is not understood."""
    text = " ".join(_plain(raw).split())
    words = " ".join(re.findall(r"[a-z0-9]+", text))
    if words in NOT_GIVEN:
        return Size(None)
    if words in _ME:
        return Size(1, adults=1)
    tokens = _TOKEN.findall(text)
    if any(
        t.isalpha() and t not in _NUMBERS and t not in _KIND and t not in _FILLERS for t in tokens
    ):
        return None  # "me and my wife", "5 dogs": not read here
    outer = re.match(r"^\s*(\d+)\s*(?:[a-z ]*)\(([^)]*)\)\s*$", text)
    if outer:  # "4 (2 adults, 2 kids)": a total, then who they are
        inner = _terms(_TOKEN.findall(outer[2]))
        if inner is None:
            return None
        breakdown = _sum(inner, untyped="adults")
        return Size(int(outer[1]), breakdown.adults, breakdown.kids, breakdown.seniors)
    terms = _terms(tokens)
    if not terms:
        return None
    if all(kind in (None, "total") for _n, kind in terms):
        if len(terms) > 1 and not {"+", "&", "and", "y", "plus", "mas"} & set(tokens):
            return None  # "5 6": two numbers, no sum said
        return Size(sum(n for n, _kind in terms))
    return _sum(terms, untyped="adults")


def _sum(terms: list[tuple[int, str | None]], untyped: str) -> Size:
    """A breakdown: numbers without a kind ("2 + 3 kids") are ``untyped``."""
    counts: dict[str, int] = {}
    total_said: int | None = None
    for number, kind in terms:
        if kind == "total":
            total_said = number
            continue
        name = kind or untyped
        counts[name] = counts.get(name, 0) + number
    total = total_said if total_said is not None else sum(counts.values())
    return Size(
        total,
        counts.get("adults"),
        counts.get("kids"),
        counts.get("seniors"),
    )


def kind_named(label: str) -> str | None:
    """Who a slot or ticket type counts: "Kids attending" -> "kids", "Adult" -> "adults",
    "Senior ticket" -> "seniors"; None for anything else ("Potluck dish", "General")."""
    kinds = {_KIND[word] for word in re.findall(r"[a-z]+", _plain(label)) if word in _KIND}
    kinds.discard("total")
    if "seniors" in kinds:
        return "seniors"  # "Adulto mayor"
    return kinds.pop() if len(kinds) == 1 else None
