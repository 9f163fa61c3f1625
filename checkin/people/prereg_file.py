"""One pre-registration file read into rows: each column mapped to a field (the header
vocabulary, then the organiser's choices), each row accepted, rejected with its reason, or
skipped by its status, exactly as it would be stored. Nothing here touches the database but the
remembered column choices."""

from __future__ import annotations

import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any, overload

from checkin.people import grouping
from checkin.people.attendees import MAX_MEMBERS, ZIP_PATTERN, InvalidAttendee, clean_fields, fold
from checkin.people.cell_values import (
    Notes,
    count,
    excerpt,
    language,
    phone_number,
    short,
    shown_delimiter,
    text,
    valid_email,
)
from checkin.people.consent import all_yes_no, gives_consent
from checkin.people.csv_file import ImportRefused
from checkin.people.household import reconcile, zip_in_address
from checkin.people.import_headers import (
    IDENTITY,
    LABELS,
    ColumnMap,
    apply_choices,
    guess_field,
    is_quantity,
    map_columns,
)
from checkin.people.import_layouts import load_choices
from checkin.people.names import household_label, is_suffix, move_suffixes, split_full_name
from checkin.people.size_words import NOT_GIVEN, Size, read_size
from checkin.people.statuses import is_pending, note_strikes, status_skips
from checkin.people.table_source import Table, read_table
from checkin.store import Database

MAX_REF_CHARS = 100
PREVIEW_ROWS = 20
HEAD_ROWS = 200  # households kept at hand for the preview (its rows past the duplicates)
_ZIP_PLUS_4 = re.compile(r"\d{5}-\d{4}")
_SAMPLE_ROWS = 200  # answers looked at to tell a yes/no column from an email column


# slots: a file joined into households holds them all. Not frozen, though never changed (a
# changed row is a dataclasses.replace copy): a frozen class's __init__ sets each of its 24
# fields through object.__setattr__, 4% of a 100,000-row import.
@dataclass(slots=True)
class PreregRow:
    """One accepted row, cleaned exactly as it will be stored."""

    line: int
    first_name: str = ""
    last_name: str = ""
    adults: int = 1
    kids: int = 0
    seniors: int = 0
    zip_code: str = ""
    phone: str = ""
    email: str = ""
    consent: bool = False
    language: str = ""
    heard_about: str = ""
    notes: str = ""
    attention_note: str = ""  # what the desk should know ("uses a wheelchair")
    needs_attention: bool = False  # raised by an attention note
    external_ref: str = ""
    # As written in the file, before consent: two rows differing only there are two people.
    file_phone: str = ""
    file_email: str = ""
    # What groups rows into households (``checkin.people.grouping``); not stored.
    order: str = ""
    buyer: str = ""  # the buyer's email as written
    address: str = ""
    slot: str = ""  # a sign-up slot or ticket type ("Kids attending", "Child")
    more_refs: tuple[str, ...] = ()  # further references of a household joined from rows

    def fields(self) -> dict[str, Any]:
        """The attendee fields, as ``insert_many`` takes them."""
        return dict(zip(_ROW_FIELDS, _row_fields(self), strict=True))

    @property
    def household_size(self) -> int:
        return self.adults + self.kids + self.seniors


_NOT_STORED = (
    "line",
    "file_phone",
    "file_email",
    "order",
    "buyer",
    "address",
    "slot",
    "more_refs",
)
_ROW_FIELDS = tuple(f.name for f in dataclass_fields(PreregRow) if f.name not in _NOT_STORED)
_row_fields = operator.attrgetter(*_ROW_FIELDS)


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str
    excerpt: str


@dataclass(frozen=True)
class SkippedRow:
    line: int
    status: str  # as written: "Refunded", "Not Attending", "No"; or the note
    by_note: bool = False  # the notes say the row is crossed out or not coming


@dataclass(frozen=True)
class ParsedFile:
    encoding: str
    delimiter: str
    mapping: ColumnMap
    rows: Sequence[PreregRow]  # a long file's are parsed again as they are read (Rows)
    problems: tuple[RowProblem, ...]
    notes: tuple[str, ...]  # everything below, in English lines (the command line)
    skipped: tuple[SkippedRow, ...] = ()
    samples: tuple[str, ...] = ()  # per column, the first value found under it (one line)
    file_notes: tuple[str, ...] = ()  # about columns ("'Order #' is shared by several rows")
    repairs: tuple[tuple[str, tuple[int, ...]], ...] = ()  # (kind, lines): the app's words
    header_line: int = 1  # where the header was found (line or spreadsheet row)
    above: tuple[int, ...] = ()  # lines above the header passed over (titles, notes)
    sheet: str = ""  # the workbook sheet read
    sheets: tuple[str, ...] = ()  # every sheet of the workbook ("" and (): a text file)
    grouping: str = "row"  # which rows are one household (checkin.people.grouping)
    grouping_guessed: bool = True
    grouping_reason: str = ""  # why it was guessed, in English

    @property
    def columns(self) -> dict[str, str]:
        """Our field ("name" for a full-name column) -> their header."""
        return self.mapping.columns

    @property
    def pending(self) -> tuple[int, ...]:
        """Lines of rows registered but not paid yet (imported: they are coming)."""
        return dict(self.repairs).get(PENDING, ())

    @property
    def joined(self) -> tuple[int, ...]:
        """Lines of rows joined into the household of an earlier row."""
        return dict(self.repairs).get(grouping.JOINED, ())

    @property
    def records(self) -> int:
        return len(self.rows) + len(self.problems) + len(self.skipped) + len(self.joined)


# ---------------------------------------------------------------- one row


@dataclass
class _RowContext:
    mapping: dict[str, int]
    width: int
    delimiter: str
    order_is_reference: bool
    notes: Notes = field(default_factory=Notes)
    # Further notes-like columns (title, index), appended to the notes under their titles.
    more_notes: tuple[tuple[str, int], ...] = ()
    orders: set[str] = field(default_factory=set)  # orders whose first row has been read
    quantity_ignored: frozenset[str] = frozenset()  # orders whose Quantity is no household


_Outcome = PreregRow | RowProblem | SkippedRow | None
_STATUSES = ("status", "payment_status")
GROUPING_WORDS = {
    "row": "a row per household",
    "order": "the rows of one order are one household",
    "family": "a row per person; rows of one order with the same surname or address are one "
    "household",
    "person": "a row per sign-up slot; the rows of one person are one household",
}
PENDING = "pending payment: counted as coming"
# A report's last lines: totals and where it came from, not households.
_FOOTER = re.compile(
    r"^((grand |sub)?totals?|sum|suma|count|total de\w*|generated|generado|exported|exportado"
    r"|report generated|printed|impreso|powered by|created (by|with|on))\b"
)
_FOOTER_LETTERS = frozenset("gstcerpi")
_NUMBER = re.compile(r"[\d.,$€%\s-]+")


def is_footer(cells: list[str]) -> bool:
    """A TOTAL line or "Generated by … on …" under the list."""
    first = next((c for c in cells if c and not c.isspace()), "")
    # Most rows start with a name: the cheap test first (an import reads 100,000 of them).
    if not first or first.lstrip()[:1].casefold() not in _FOOTER_LETTERS:
        return False
    return bool(_FOOTER.match(fold(first)))


def _sums_only(cells: list[str], ctx: _RowContext) -> bool:
    """Numbers alone, with no one to look up: a line of sums when nothing but such lines
    follow it (a sheet's totals without a label), a rejected row otherwise."""
    filled = [c.strip() for c in cells if c.strip()]
    if not filled or not all(_NUMBER.fullmatch(c) for c in filled):
        return False
    at = [ctx.mapping[name] for name in IDENTITY if name in ctx.mapping]
    return not any(i < len(cells) and cells[i].strip() for i in at)


def _parse_row(line: int, cells: list[str], ctx: _RowContext) -> _Outcome:
    """An accepted, rejected or skipped row, or None for an empty row (skipped silently)."""

    def cell(name: str) -> str:
        index = ctx.mapping.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    notes = ctx.notes
    if is_footer(cells):
        notes.add("footer lines (totals, 'Generated by') are not households", line)
        notes.keep()
        return None
    if len(cells) > ctx.width and any(c.strip() for c in cells[ctx.width :]):
        return RowProblem(
            line,
            f"{len(cells)} cells but the header has {ctx.width} "
            f"(a value containing '{shown_delimiter(ctx.delimiter)}' without quotes?)",
            excerpt(cells, ctx.delimiter),
        )
    if not any(cell(name).strip() for name in ctx.mapping if name not in _STATUSES):
        notes.add("empty rows skipped", line)
        notes.keep()
        return None
    pending = False
    for name in _STATUSES:
        status = " ".join(cell(name).split()) if name in ctx.mapping else ""
        if status and status_skips(status):
            return SkippedRow(line, status)
        pending = pending or (bool(status) and is_pending(status))
    note = " ".join(cell("notes").split()) if "notes" in ctx.mapping else ""
    if note and note_strikes(note):
        return SkippedRow(line, short(note), by_note=True)
    try:
        values, contact = _row_values(line, cell, cells, ctx)
        cleaned = clean_fields(values)
    except (ValueError, InvalidAttendee) as exc:
        notes.discard()
        return RowProblem(line, str(exc), excerpt(cells, ctx.delimiter))
    if pending:
        notes.add(PENDING, line)
    notes.keep()
    return PreregRow(
        line=line,
        **cleaned,
        file_phone=contact[0],
        file_email=contact[1],
        order=" ".join(cell("order_ref").split()),
        buyer=" ".join(cell("buyer_email").split()),
        address=" ".join(cell("address").split()),
        slot=" ".join(cell("slot").split()),
    )


def _names(cell: Callable[[str], str], line: int, notes: Notes) -> tuple[str, str]:
    first = text(cell("first_name"), line, "first name", notes)
    last = text(cell("last_name"), line, "last name", notes)
    full = text(cell("name"), line, "name", notes)
    if full and not (first or last):
        label = household_label(full)
        if label:
            notes.add("household name ('The Nguyen Family') read as the surname", line)
            return "", label
        return split_full_name(full)
    if last and all(is_suffix(word) for word in last.split()) and " " in first:
        # "Darnell Williams" + "Jr.": the surname is the word before the suffix.
        notes.add("suffix in the last name column: surname taken from the first name", line)
        return split_full_name(f"{first} {last}")
    return move_suffixes(first, last)


def _optional_count(raw: str, label: str, line: int, notes: Notes) -> int | None:
    value = raw.strip()
    if not value:
        return None
    if value.isdigit() and len(value) < 3:  # nearly every cell: no words to look at
        return count(value, label, -1, line, notes)
    if fold(raw) in NOT_GIVEN:  # "n/a"
        notes.add(f"{label} 'n/a' read as not given", line)
        return None
    return count(raw, label, -1, line, notes)


def _size_cell(raw: str, line: int, notes: Notes) -> Size | None:
    """A household size cell: a number, or words ("2 adults 3 kids", "4 (2 adultos, 2
    niños)", "2+2", "just me") with the breakdown they give."""
    value = raw.strip()
    if not value or (value.isdigit() and len(value) < 3):
        return Size(int(value)) if value else None
    said = read_size(value)
    if said is None:
        return Size(count(value, "household size", -1, line, notes))
    if said.total is None:
        notes.add("household size 'n/a' read as not given", line)
        return None
    if said.total > MAX_MEMBERS:
        raise ValueError(f"household size: {said.total} is not between 0 and {MAX_MEMBERS}")
    notes.add(
        "household size written in words read as people"
        + (" with their breakdown" if said.split else ""),
        line,
    )
    return said


def _all_notes(line: int, cell: Callable[[str], str], cells: list[str], ctx: _RowContext) -> str:
    """The notes column, then each further notes-like column as "Allergies: peanuts"."""
    parts = [text(cell("notes"), line, "notes", ctx.notes, keep_lines=True)]
    for title, index in ctx.more_notes:
        value = text(cells[index], line, "notes", ctx.notes) if index < len(cells) else ""
        if value:
            parts.append(f"{title}: {value}")
    return "\n".join(part for part in parts if part)


def _buyer_row(cell: Callable[[str], str], ctx: _RowContext) -> bool:
    """Whether this row is the buyer's own: its email is the order's, or it is the first row
    of its order (a buyer lists themself first). Without an order column every row is."""
    order = " ".join(cell("order_ref").split())
    own, buyer = fold(cell("email")), fold(cell("buyer_email"))
    first = order not in ctx.orders
    ctx.orders.add(order)
    if not order:
        return True
    if own and buyer:
        return own == buyer
    return first


def _row_values(
    line: int, cell: Callable[[str], str], cells: list[str], ctx: _RowContext
) -> tuple[dict[str, Any], tuple[str, str]]:
    notes, order_is_reference = ctx.notes, ctx.order_is_reference
    first, last = _names(cell, line, notes)
    size_cell = cell("household_size")
    if " ".join(cell("order_ref").split()) in ctx.quantity_ignored:
        size_cell = ""  # one of several rows of an order: its Quantity counts the order
    said = _size_cell(size_cell, line, notes)
    adults = _optional_count(cell("adults"), "adults", line, notes)
    kids = _optional_count(cell("kids"), "kids", line, notes)
    seniors = _optional_count(cell("seniors"), "seniors", line, notes)
    if said is not None and said.split:  # the words' breakdown, where no column gives one
        adults = adults if adults is not None else said.adults
        kids = kids if kids is not None else said.kids
        seniors = seniors if seniors is not None else said.seniors
    counts = reconcile(said.total if said else None, adults, kids, seniors)
    if counts.size_as_adults:
        notes.add(
            "household size smaller than the kids and seniors beside it: read as the adults",
            line,
        )
    elif counts.conflict:
        notes.add("household size and adults/kids/seniors disagree (kept the larger)", line)
    values: dict[str, Any] = {
        "first_name": first,
        "last_name": last,
        "adults": counts.adults,
        "kids": counts.kids,
        "seniors": counts.seniors,
        "heard_about": text(cell("heard_about"), line, LABELS["heard_about"], notes),
        "notes": _all_notes(line, cell, cells, ctx),
        "attention_note": text(cell("attention_note"), line, LABELS["attention_note"], notes),
        "language": language(cell("language")),
        "consent": gives_consent(cell("consent")),
    }
    reference = " ".join(cell("external_ref").split())
    if not reference and order_is_reference:
        reference = " ".join(cell("order_ref").split())
    if len(reference) > MAX_REF_CHARS:
        raise ValueError(f"reference: longer than {MAX_REF_CHARS} characters")
    values["external_ref"] = reference

    zip_code = " ".join(cell("zip_code").split())
    if _ZIP_PLUS_4.fullmatch(zip_code):
        zip_code = zip_code[:5]  # as a zip+4 in an address: the 5 digits are what is counted
    if zip_code and not ZIP_PATTERN.fullmatch(zip_code):
        notes.add("zip code not understood, left blank", line)
        zip_code = ""
    if not zip_code and cell("address").strip():
        zip_code = zip_in_address(cell("address"))
        if zip_code:
            notes.add("zip code read from the address", line)
    values["zip_code"] = zip_code

    written_phone = cell("phone").strip()
    written_email = " ".join(cell("email").split())
    if ("buyer_phone" in ctx.mapping or "buyer_email" in ctx.mapping) and _buyer_row(cell, ctx):
        written_phone = written_phone or cell("buyer_phone").strip()
        written_email = written_email or " ".join(cell("buyer_email").split())
    phone = phone_number(written_phone)
    email = written_email
    had_contact = phone != "" or email != ""
    if not values["consent"]:
        if phone or phone is None:
            notes.add("phone dropped: no consent", line)
        if email:
            notes.add("email dropped: no consent", line)
        phone, email = "", ""
    if phone is None:
        notes.add("phone not understood, left blank", line)
        phone = ""
    if email and not valid_email(email):
        notes.add("email not understood, left blank", line)
        email = ""
    values["phone"], values["email"] = phone, email
    if not (first or last or reference or phone or email):
        reason = "no name or reference: nobody to look up at check-in"
        if had_contact:
            reason += " (phone and email are not kept without consent)"
        raise ValueError(reason)
    return values, (written_phone, written_email)


# ---------------------------------------------------------------- the file


def _column(records: Iterable[tuple[int, list[str]]], index: int) -> Iterable[str]:
    return (cells[index] for _, cells in records if index < len(cells))


def _counts_rows(records: list[tuple[int, list[str]]], index: int) -> bool:
    """Whether a column holds 1, 2, 3… down its rows (a "#" column numbering them)."""
    values = [v.strip() for v in _column(records[:_SAMPLE_ROWS], index) if v.strip()]
    return len(values) >= 3 and values == [str(n) for n in range(1, len(values) + 1)]


_ANONYMOUS = frozenset(("anonymous", "anonimo", "anonima", "anon", "n a", "none"))


def _answers(records: list[tuple[int, list[str]]], index: int, field_name: str) -> int:
    """How many sample cells of a column hold a real answer (for an email: an address)."""
    found = 0
    for value in _column(records[:_SAMPLE_ROWS], index):
        value = " ".join(value.split())
        if not value or fold(value) in _ANONYMOUS:
            continue
        if field_name != "email" or valid_email(value):
            found += 1
    return found


def _respondent_columns(
    mapping: ColumnMap,
    guesses: list[tuple[str | None, int]],
    records: list[tuple[int, list[str]]],
    notes: list[str],
) -> ColumnMap:
    """Form tools put the respondent's sign-in first ("Email" and "Name": "anonymous" when
    the form does not ask anyone to sign in); the form's own question ("Email address", "Your
    name") holds the answers, and is read instead."""
    for name in ("email", "name", "phone"):
        at = mapping.index.get(name)
        if at is None or at in mapping.chosen:
            continue
        mine = _answers(records, at, name)
        others = [
            (_answers(records, c, name), -c)
            for c, (guess, _rank) in enumerate(guesses)
            if guess == name and c != at and mapping.fields[c] is None
        ]
        if not others:
            continue
        best, column = max(others)
        if best > mine:
            mapping = mapping.with_field(-column, name, by_hand=False)
            notes.append(
                f"'{mapping.header[at].strip()}' holds no {LABELS.get(name, name)} answers "
                f"(the form's sign-in): '{mapping.header[-column].strip()}' is read instead"
            )
    return mapping


@dataclass(frozen=True)
class _Settled:
    mapping: ColumnMap
    order_is_reference: bool
    notes: list[str]
    quantity_ignored: set[str]  # orders with several rows: their Quantity is no household


def _settle(mapping: ColumnMap, records: list[tuple[int, list[str]]], table: Table) -> _Settled:
    """Checks that need the answers: a yes/no "email" column is consent ("Email me
    updates"), and an order number is a reference only when no two rows share it."""
    notes: list[str] = []
    # Every column headed like an email, not only the one the header chose: "Email Address"
    # beside an "Email" of yes/no answers (is the address to be used?).
    guesses = [guess_field(title) for title in mapping.header]
    ranked = sorted(
        (rank, column)
        for column, (name, rank) in enumerate(guesses)
        if name == "email" and column not in mapping.chosen
    )
    yes_no = {c for _, c in ranked if all_yes_no(_column(records[:_SAMPLE_ROWS], c))}
    for _, column in ranked:
        if column not in yes_no:
            continue
        wanted = None if "consent" in mapping.index else "consent"
        if mapping.fields[column] == "email" or wanted:
            mapping = mapping.with_field(column, wanted, by_hand=False)
            notes.append(
                f"'{mapping.header[column].strip()}' holds yes/no answers: read as "
                f"{'consent' if wanted else 'not imported'}, not as an email address"
            )
    addresses = [c for _, c in ranked if c not in yes_no]
    if "email" not in mapping.index and addresses:
        mapping = mapping.with_field(addresses[0], "email", by_hand=False)
    mapping = _respondent_columns(mapping, guesses, records, notes)
    size_at = mapping.index.get("household_size")
    if size_at is not None and size_at not in mapping.chosen and _counts_rows(records, size_at):
        mapping = mapping.with_field(size_at, None, by_hand=False)
        notes.append(
            f"'{mapping.header[size_at].strip()}' numbers the rows (1, 2, 3…): "
            "not read as the household size"
        )
    order_is_reference = False
    shared: set[str] = set()
    at = mapping.index.get("order_ref")
    size_at = mapping.index.get("household_size")
    quantity = (
        size_at is not None
        and size_at not in mapping.chosen
        and is_quantity(mapping.header[size_at])
    )
    if at is not None:
        seen = Counter(
            order for value in _column(table.rows(), at) if (order := " ".join(value.split()))
        )
        shared = {order for order, rows in seen.items() if rows > 1}
        order_is_reference = not shared and "external_ref" not in mapping.index
        if shared:
            notes.append(
                f"'{mapping.header[at].strip()}' is shared by several rows: a row per person"
                + ("" if "external_ref" in mapping.index else ", and the order number is not kept")
            )
        if quantity and size_at is not None:
            notes.append(
                f"'{mapping.header[size_at].strip()}' counts an order's tickets: read as the "
                "number of people only for an order listed once"
            )
    elif quantity and size_at is not None and "external_ref" in mapping.index:
        # A row per attendee without orders: Quantity counts tickets, not this household.
        mapping = mapping.with_field(size_at, None, by_hand=False)
        quantity = False
    return _Settled(mapping, order_is_reference, notes, shared if quantity else set())


def _outcomes(table: Table, ctx: _RowContext) -> Iterator[PreregRow | RowProblem | SkippedRow]:
    """Every row's outcome in the file's order, read afresh from the table."""
    sums: list[RowProblem] = []  # number-only lines: sums if nothing follows
    for line, cells in table.rows():
        outcome = _parse_row(line, cells, ctx)
        if isinstance(outcome, RowProblem) and _sums_only(cells, ctx):
            sums.append(outcome)
            continue
        if outcome is not None and sums:
            yield from sums
            sums.clear()
        if outcome is not None:
            yield outcome
    for problem in sums:
        ctx.notes.add("footer lines (totals, 'Generated by') are not households", problem.line)
        ctx.notes.keep()


class Rows(Sequence[PreregRow]):
    """A file's households without holding them: the first ones at hand (the preview), the
    rest parsed again from the table each time they are read through (an import stores them
    as they come), all of them held only when something asks for one further on."""

    def __init__(
        self, count: int, head: tuple[PreregRow, ...], again: Callable[[], Iterator[PreregRow]]
    ) -> None:
        self._count = count
        self._head = head
        self._again = again
        self._all: tuple[PreregRow, ...] | None = None

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[PreregRow]:
        return iter(self._all) if self._all is not None else self._again()

    @overload
    def __getitem__(self, index: int) -> PreregRow: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[PreregRow]: ...
    def __getitem__(self, index: int | slice) -> PreregRow | Sequence[PreregRow]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            if step == 1 and stop <= len(self._head):
                return self._head[start:stop]
        elif 0 <= index < len(self._head):
            return self._head[index]
        if self._all is None:
            self._all = tuple(self._again())
        return self._all[index]


def parse_prereg_csv(
    path: Path,
    choices: Mapping[str, str | None] | None = None,
    *,
    layouts: Database | None = None,
    sheet: str | None = None,
    group: str | None = None,
) -> ParsedFile:
    """Read and check a pre-registration file; raises ImportRefused for structural problems.

    ``choices``: header title -> field (None or "ignore": not imported) over the vocabulary;
    a choice naming a column or field that does not exist raises ``UnknownMapping``. With
    ``layouts``, the choices last saved there for this header layout come first. ``sheet``:
    the workbook sheet to read (default: the one that looks like a registration list).
    ``group``: which rows are one household (``checkin.people.grouping``; default: guessed).
    """
    reading = PreregReading(path, choices, layouts=layouts, sheet=sheet, group=group)
    for _row in reading.households():
        pass
    return reading.parsed()


class PreregReading:
    """One reading of a file, row by row: ``households()`` yields them as they are read (an
    import stores each chunk as it comes, so a long file is never held as rows), then
    ``parsed()`` says what the reading found. Rows are held only when they may have to be
    joined into households (an order, a buyer or a slot column, or a grouping asked for)."""

    def __init__(
        self,
        path: Path,
        choices: Mapping[str, str | None] | None = None,
        *,
        layouts: Database | None = None,
        sheet: str | None = None,
        group: str | None = None,
    ) -> None:
        table = read_table(path, sheet)
        header = table.header
        mapping = map_columns(header)
        remembered = load_choices(layouts, header) if layouts is not None and header else {}
        if remembered or choices:
            mapping = apply_choices(mapping, {**remembered, **(choices or {})})
        if not any(name in mapping.index for name in IDENTITY):
            raise ImportRefused(
                "No recognisable header: no line near the top names the columns "
                "(for example First name, Last name, Zip code, Phone)" + _other_sheets(table)
            )
        if group is not None and group not in grouping.GROUPINGS:
            raise ImportRefused(
                f"'{group}' is not a grouping; use one of: {', '.join(grouping.GROUPINGS)}"
            )
        # The first rows (table.head): all of them are read one at a time by households().
        self.settled = _settle(mapping, table.head, table)
        self.table = table
        self.mapping = self.settled.mapping
        self.group = group
        self.may_join = group not in (None, "row") or (
            group is None
            and any(n in self.mapping.index for n in ("order_ref", "buyer_email", "slot"))
        )
        self.ctx = self._context(Notes())
        self.problems: list[RowProblem] = []
        self.skipped: list[SkippedRow] = []
        self.head: list[PreregRow] = []
        self.accepted = 0
        self.chosen = "row"
        self.reason = ""
        self.rows: Sequence[PreregRow] = ()
        self.joined: list[int] = []
        self._done = False

    def _context(self, taken: Notes) -> _RowContext:
        mapping = self.mapping
        # A workbook has no delimiter: a rejected row's excerpt shows its cells with commas.
        return _RowContext(
            mapping.index,
            len(self.table.header),
            self.table.delimiter or ",",
            self.settled.order_is_reference,
            taken,
            more_notes=tuple((mapping.header[i].strip(), i) for i in mapping.all_of("notes")[1:]),
            quantity_ignored=frozenset(self.settled.quantity_ignored),
        )

    def _again(self) -> Iterator[PreregRow]:
        fresh = self._context(Notes())  # the notes were taken on the first reading
        return (o for o in _outcomes(self.table, fresh) if isinstance(o, PreregRow))

    def households(self) -> Iterator[PreregRow]:
        """Every household, as each row is read; rows to join once all of them are read.

        A file that may need joining (an order, buyer or slot column) without a grouping asked
        for is read twice: first to see whether orders or people repeat (keeping only their
        keys), then to store its rows, held only if they are to be joined after all."""
        guesser = grouping.Guesser("slot" in self.mapping.index)
        hold = self.group not in (None, "row")  # a grouping asked for: every row is joined
        guess_first = self.may_join and not hold
        held: list[PreregRow] = []
        for outcome in _outcomes(self.table, self.ctx):
            if isinstance(outcome, PreregRow):
                self.accepted += 1
                if len(self.head) < HEAD_ROWS:
                    self.head.append(outcome)
                if hold:
                    held.append(outcome)
                elif guess_first:
                    guesser.add(outcome)
                else:
                    yield outcome
            elif isinstance(outcome, RowProblem):
                self.problems.append(outcome)
            else:
                self.skipped.append(outcome)
        if not self.accepted and not self.problems and not self.skipped:
            raise ImportRefused("No rows: the file has a header but no one in it")
        guessed, self.reason = guesser.result()
        self.chosen = self.group or guessed
        if self.chosen == "row":
            self.rows = Rows(self.accepted, tuple(self.head), self._again)
            if guess_first:
                yield from self._again()
        else:
            # The rows of one household may be anywhere in the file, and a joined household
            # takes fields from each of them: these are held (an event's ticket export).
            rows, self.joined = grouping.group(held or list(self._again()), self.chosen)
            self.rows = tuple(rows)
            yield from rows
        self._done = True

    def parsed(self) -> ParsedFile:
        """What the reading found; after ``households()`` has been read through."""
        if not self._done:
            raise RuntimeError("the file has not been read through")
        table, mapping, ctx, group, chosen = (
            self.table,
            self.mapping,
            self.ctx,
            self.group,
            self.chosen,
        )
        notes = list(self.settled.notes)
        for line in self.joined:
            ctx.notes.add(grouping.JOINED, line)
            ctx.notes.keep()
        notes.insert(
            0,
            f"households: {GROUPING_WORDS[chosen]}"
            + (f" (guessed: {self.reason}; --group to change)" if group is None else ""),
        )
        if table.header_line > 1 and table.above:
            notes.insert(
                0,
                f"header found on line {table.header_line}; the lines above it are not "
                f"households (line{'s' if len(table.above) != 1 else ''} "
                f"{', '.join(map(str, table.above))})",
            )
        if table.is_workbook:
            notes.insert(
                0, f"sheet '{table.sheet}' of {len(table.sheets)}: " + ", ".join(table.sheets)
            )
        file_notes = tuple(notes)
        ignored = mapping.ignored()
        if ignored:
            notes.insert(0, f"columns not imported: {', '.join(ignored)}")
        notes.extend(ctx.notes.render())
        return ParsedFile(
            encoding=table.encoding,
            delimiter=table.delimiter,
            mapping=mapping,
            rows=self.rows,
            problems=tuple(self.problems),
            notes=tuple(notes),
            skipped=tuple(self.skipped),
            samples=_samples(len(table.header), table.head),
            file_notes=file_notes,
            repairs=tuple((kind, tuple(lines)) for kind, lines in ctx.notes.lines.items()),
            header_line=table.header_line,
            above=table.above,
            sheet=table.sheet,
            sheets=table.sheets,
            grouping=chosen,
            grouping_guessed=group is None,
            grouping_reason=self.reason,
        )


def _other_sheets(table: Table) -> str:
    others = [name for name in table.sheets if name != table.sheet]
    if not others:
        return ""
    return f" on the sheet '{table.sheet}'; the other sheets are: {', '.join(others)}"


def _samples(width: int, records: list[tuple[int, list[str]]]) -> tuple[str, ...]:
    found = [""] * width
    for _line, cells in records[:_SAMPLE_ROWS]:
        for index, value in enumerate(cells[:width]):
            if not found[index] and value.strip():
                found[index] = short(value)
        if all(found):
            break
    return tuple(found)
