"""Which column of a pre-registration file holds which field: the header vocabulary (English
and Spanish), tried on the folded header, and the organiser's own choices on top."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from checkin.people.attendees import fold
from checkin.people.consent import HEADER_PATTERNS as CONSENT_PATTERNS

# Every field a column can be mapped to, in the order the preview offers them.
FIELDS = (
    "first_name",
    "last_name",
    "name",
    "household_size",
    "adults",
    "kids",
    "seniors",
    "zip_code",
    "address",
    "phone",
    "email",
    "consent",
    "language",
    "heard_about",
    "notes",
    "attention_note",
    "external_ref",
    "order_ref",
    "status",
    "payment_status",
    "buyer_phone",
    "buyer_email",
    "slot",
)
# Fields that several columns may fill together: each further notes-like column (allergies,
# accessibility needs) is appended to the notes, under its title.
MULTI = frozenset(("notes",))
IGNORE = "ignore"  # what ``--map "Column=ignore"`` says
# Any of these is someone to look up at check-in: a file needs one of them.
IDENTITY = ("first_name", "last_name", "name", "external_ref", "phone", "email")
LABELS = {
    "first_name": "first name",
    "last_name": "last name",
    "name": "full name",
    "household_size": "household size",
    "zip_code": "zip code",
    "heard_about": "how they heard",
    "attention_note": "needs attention (the desk's note)",
    "external_ref": "reference (attendee or barcode)",
    "order_ref": "order number",
    "status": "attendance status",
    "payment_status": "payment status",
    "buyer_phone": "buyer's phone (kept on the buyer's own row)",
    "buyer_email": "buyer's email (kept on the buyer's own row)",
    "slot": "slot or ticket type (who the row counts)",
}
_QUANTITY = re.compile(
    r"^(total )?(quantity|qty|cantidad|tickets|ticket quantity|number of tickets"
    r"|numero de boletos|boletos|entradas)$"
)
_HOUSEHOLD_WORD = r"(household|hogar|familia|family|party|group|grupo|casa|vivienda)"
_PEOPLE_WORD = r"(people|persons|personas|members|miembros|size|tamano|number|numero|count)"

# Tried in order; the first match names the field. A lower rank wins when two columns claim
# one field (a barcode beats an attendee number as the reference).
_RULES: tuple[tuple[str | None, int, re.Pattern[str]], ...] = tuple(
    (name, rank, re.compile(pattern))
    for name, rank, pattern in (
        (None, 0, r"\bemergency\b"),  # someone else's details: never imported
        (
            "payment_status",
            0,
            r"^(payment|financial|pago|paid)( status)?$|^estado (del |de )?pago$"
            r"|^(order )?payment status$",
        ),
        (
            "status",
            0,
            r"^(attendee |ticket |registration |order )?status$|^estado$|^rsvp$"
            r"|\bwill you (attend|be attending|come|be there)\b|\bare you (attending|coming)\b"
            r"|\basistira\w*\b|\bvendra\w*\b|\bva a (venir|asistir)\b",
        ),
        *(("consent", 0, pattern) for pattern in CONSENT_PATTERNS),
        (
            "external_ref",
            0,
            r"^(barcode|external ref|ticket barcode|qr code|ticket code)( number| no| id)?$"
            r"|^(ticket |order position )?secret$",
        ),
        ("external_ref", 1, r"^(attendee|ticket)( number| no| id)?$"),
        ("external_ref", 3, r"^id$"),
        (
            "order_ref",
            0,
            r"^(order|confirmation|registration|reference|ref)( number| no| id| code)?$",
        ),
        ("email", 0, r"\b(e ?mail|correo)\b"),
        ("phone", 0, r"\b(phone|telephone|cell|mobile|telefono|tel|celular|movil|whatsapp)\b"),
        ("zip_code", 0, r"\b(zip|zipcode|postal|postcode|cp)\b"),
        ("address", 0, r"\b(address|direccion|domicilio|street|calle)\b"),
        (
            "seniors",
            0,
            r"\b(seniors?|elderly|tercera edad|ancianos)\b|\bmayores\b(?! de 1)"
            r"|\b(over|mas de) 6\d\b",
        ),
        ("adults", 0, r"\b(adults?|adultos?|grown ups?)\b|\bmayores de 1\d\b"),
        (
            "kids",
            0,
            r"\b(kids?|child|children|ninos?|ninas?|hijos?|menores|minors?|youth)\b"
            r"|\bunder 1\d\b",
        ),
        (
            "household_size",
            0,
            rf"\b{_HOUSEHOLD_WORD}\b.*\b{_PEOPLE_WORD}\b|\b{_PEOPLE_WORD}\b.*\b{_HOUSEHOLD_WORD}\b"
            r"|^(how many|cuantas) (people|personas)\b|^(household|hogar)$"
            r"|^(number of |numero de |total )?(people|personas|guests|invitados|attendees"
            r"|asistentes)$"
            # "how many", "How many coming?", "Cuántos vienen", "# of people", "People"
            r"|^(how many|cuant[oa]s)\b|^(no |num |number |numero )?(of |de )?(people|personas"
            r"|persons)\b",
        ),
        ("household_size", 5, _QUANTITY.pattern),
        (
            "name",
            0,
            r"^(full |your )?name$|\bfull name\b|^(su |tu )?nombre "
            r"(completo|y apellidos?( s)?)$|^attendee name$",
        ),
        (
            "first_name",
            0,
            r"\b(first|given|fore) ?name\b|^first$|^(su |tu )?nombres?$"
            r"|\bprimer nombre\b|^prenom$",
        ),
        (
            "last_name",
            0,
            r"\b(last|family|sur) ?name\b|^last$|^(su |tu )?apellidos?\b"
            r"|^nom( de famille)?$",
        ),
        ("language", 0, r"\b(language|idioma|lengua|langue|locale)\b"),
        (
            "slot",
            0,
            r"^(item|slot|sign ?up item|slot name|item name|ticket type|ticket class|ticket name"
            r"|product|product name|producto|tipo de (entrada|boleto)|category)$",
        ),
        (
            "heard_about",
            0,
            r"\b(hear|heard|entero|enteraste|supo|supiste|referred|referral)\b"
            r"|^source$|\bnos conocio\b",
        ),
        (
            # What the desk should know to help (issue 24): the attention note, not the notes.
            "attention_note",
            0,
            r"\b(needs attention|attention|atencion|accessibility|accesibilidad|needs"
            r"|necesidades|special needs|mobility|movilidad|discapacidad|disability)\b",
        ),
        (
            "notes",
            0,
            r"\b(notes?|notas?|comments?|comentarios?|observaciones|remarks|needs|"
            r"necesidades|accessibility|accesibilidad|allerg\w*|alergias?)\b"
            r"|\banything else\b",
        ),
    )
)
_SECONDARY = re.compile(r"^(buyer|purchaser|billing)\b")  # the payer, not the attendee
# The person's own column in a file with a row per attendee (pretix's "Attendee email").
_ATTENDEE = re.compile(r"^(attendee|participant|asistente|participante|ticket holder|holder)\b")
# Agreeing to terms, a waiver or photos is not agreeing to be contacted.
_TERMS = re.compile(
    r"\b(terms|conditions|waiver|liability|photos?|photograph\w*|policy|rules|conduct"
    r"|terminos|condiciones|exencion|responsabilidad|reglas|fotos?|fotografias?)\b"
)
_CONTACT = re.compile(
    r"\b(contact\w*|call|text|email|e mail|updates?|informed|news\w*|marketing"
    r"|contactar\w*|llamar\w*|mensajes?|correos?|novedades|noticias|informad[oa]s?)\b"
)


@dataclass(frozen=True)
class ColumnMap:
    """The file's header and, for each column, the field it fills (None: not imported)."""

    header: tuple[str, ...]
    fields: tuple[str | None, ...]
    chosen: frozenset[int] = frozenset()  # columns the organiser mapped by hand

    @property
    def index(self) -> dict[str, int]:
        """Field -> its (first) column."""
        found: dict[str, int] = {}
        for i, name in enumerate(self.fields):
            if name is not None:
                found.setdefault(name, i)
        return found

    def all_of(self, name: str) -> list[int]:
        """Every column filling ``name`` (several only for the MULTI fields)."""
        return [i for i, f in enumerate(self.fields) if f == name]

    @property
    def columns(self) -> dict[str, str]:
        """Field -> header, in field order."""
        index = self.index
        return {name: self.header[index[name]].strip() for name in FIELDS if name in index}

    def ignored(self) -> list[str]:
        return [h.strip() for h, f in zip(self.header, self.fields, strict=True) if not f and h]

    def with_field(self, column: int, name: str | None, *, by_hand: bool = True) -> ColumnMap:
        """One column's field (the organiser's choice unless ``by_hand`` is False); another
        column holding that field lets go of it."""
        fields = [None if (f == name and name and name not in MULTI) else f for f in self.fields]
        fields[column] = name
        chosen = self.chosen | {column} if by_hand else self.chosen - {column}
        return ColumnMap(self.header, tuple(fields), chosen)


def is_quantity(title: str) -> bool:
    """Eventbrite's "Quantity" (tickets in the order), as opposed to a household question."""
    return bool(_QUANTITY.match(fold(title)))


ROW_NUMBER_TITLES = frozenset(("#", "no.", "nº", "n°", "#."))


def guess_field(title: str) -> tuple[str | None, int]:
    folded = fold(title)
    if not folded:
        # "#" on a sign-in sheet: how many came (a row-number column is caught by its values,
        # 1, 2, 3…, in prereg_file); any column naming the size outright wins over it.
        return ("household_size", 4) if title.strip().casefold() in ROW_NUMBER_TITLES else (None, 0)
    for name, rank, pattern in _RULES:
        if pattern.search(folded):
            if name is None:
                return None, 0
            if name == "consent" and _TERMS.search(folded) and not _CONTACT.search(folded):
                return None, 0
            return name, rank + (10 if _SECONDARY.search(folded) else 0)
    return None, 0


def map_columns(header: list[str] | tuple[str, ...]) -> ColumnMap:
    """The mapping the header vocabulary gives, before the organiser changes anything."""
    claims: dict[str, list[tuple[int, int]]] = defaultdict(list)  # field -> [(rank, index)]
    for index, title in enumerate(header):
        name, rank = guess_field(title)
        if name is not None:
            claims[name].append((rank, index))
    fields: list[str | None] = [None] * len(header)
    for name, candidates in claims.items():
        for _rank, index in sorted(candidates)[: None if name in MULTI else 1]:
            fields[index] = name
    _buyer_contact(header, fields, claims)
    if "name" in fields and ("first_name" in fields or "last_name" in fields):
        fields[fields.index("name")] = None
    # Quantity beside an attendee's own reference: prereg_file reads it per order (an order
    # listed once with Quantity 3 is 3 people; an order with a row per attendee is not).
    return ColumnMap(tuple(header), tuple(fields))


def _buyer_contact(
    header: list[str] | tuple[str, ...],
    fields: list[str | None],
    claims: dict[str, list[tuple[int, int]]],
) -> None:
    """A file with the attendee's own columns ("Attendee name", "Attendee email") is a row
    per attendee: its other email and phone columns are the order's, the buyer's, kept only
    on the buyer's own row (a neighbour in someone else's order does not get them)."""
    attendee = {i for i, title in enumerate(header) if _ATTENDEE.match(fold(title))}
    if not attendee:
        return
    for name in ("email", "phone"):
        own = [(rank, i) for rank, i in claims.get(name, []) if i in attendee]
        others = [(rank, i) for rank, i in claims.get(name, []) if i not in attendee]
        if not others:
            continue
        for _rank, i in claims[name]:
            fields[i] = None
        if own:
            fields[min(own)[1]] = name
        fields[min(others)[1]] = f"buyer_{name}"


class UnknownMapping(ValueError):
    """A ``Column=field`` choice naming a column or a field the file does not have."""


def apply_choices(mapping: ColumnMap, choices: Mapping[str, str | None]) -> ColumnMap:
    """Header text (as written, or folded) -> field name, None/"" /"ignore" for not imported."""
    folded = [fold(title) for title in mapping.header]
    for column, name in choices.items():
        wanted = name or None
        if wanted == IGNORE:
            wanted = None
        if wanted is not None and wanted not in FIELDS:
            raise UnknownMapping(
                f"'{name}' is not a field; use one of: {', '.join(FIELDS)}, {IGNORE}"
            )
        try:
            at = [t.strip() for t in mapping.header].index(column.strip())
        except ValueError:
            if fold(column) not in folded:
                raise UnknownMapping(
                    f"no column called '{column}' in this file; its columns are: "
                    + ", ".join(t.strip() for t in mapping.header if t.strip())
                ) from None
            at = folded.index(fold(column))
        mapping = mapping.with_field(at, wanted)
    return mapping


def parse_choice(text: str) -> tuple[str, str | None]:
    """``"Column=field"`` from the command line."""
    column, equals, name = text.rpartition("=")
    if not equals or not column.strip():
        raise UnknownMapping(f"'{text}': write it as \"Column=field\"")
    return column.strip(), name.strip() or None
