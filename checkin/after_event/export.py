"""CSV export of an event for the organiser and partner organisations.

Six files, each UTF-8 with a byte-order mark (so Excel shows accents), RFC 4180 quoting, CRLF
line ends, times as ISO 8601 local time with the UTC offset, yes/no for flags. The columns are
fixed and documented in the README; ``EXPORT_COLUMNS`` is the single source of them.

Spreadsheet safety: a text cell starting with ``=``, ``+``, ``-``, ``@`` or their full-width forms,
also after any leading whitespace or control characters (NUL, tab, CR, LF, NBSP, ideographic
space, zero-width space...), or starting with tab or carriage return, could be run as a formula
by Excel or LibreOffice ("trim spaces" on import), so it gets a leading single quote. Numbers
(counts, serials) are written as numbers and never changed, so a count of -1 stays -1.

Files are written to hidden temporary files in the target folder (readable only by the user),
synced to disk, and renamed into place only when all six are complete: a cancelled or failed
export leaves the folder as it was. With ``anonymous=True`` every column that names, contacts or
identifies a person (names, phones, emails, notes, codes, volunteers, raw scanner input, ...) is
left out, so the files can be shared with partners.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import os
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import LargeBinary, String, case, cast, func, literal, not_, or_, select
from sqlalchemy.orm import Session, aliased

from checkin import written_files
from checkin.after_event.summary import Summary, is_failed, summary_in_session
from checkin.event.campaigns import heard_label
from checkin.event.events import load_event
from checkin.people.consent_withdrawal import withdrawn_count
from checkin.private_files import private_folder
from checkin.results import ScanState, person_name
from checkin.store import HELD_STATES, Database, cipher
from checkin.store.models import (
    Attendee,
    AuditEntry,
    Campaign,
    CheckIn,
    Draw,
    ExternalCode,
    Prize,
    ScanLog,
    Ticket,
    TicketType,
)
from checkin.timefmt import offset_text, utc_offset

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

# A formula may hide behind these: a spreadsheet that trims or ignores them runs what follows.
FORMULA_SIGNS = "=+-@\uff1d\uff0b\uff0d\uff20"  # and the full-width forms ＝ ＋ － ＠
FILE_MODE = 0o600
FOLDER_MODE = 0o700
BATCH = 2000


class ExportCancelled(Exception):
    """Raised inside the export when the caller asks to stop; nothing is left behind."""


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "text", "int", "time", "flag"
    personal: bool = False  # left out of anonymous exports


def _cols(spec: str) -> tuple[Column, ...]:
    """``"number:int code:text* ..."``: name, kind, and ``*`` for personal columns."""
    columns = []
    for item in spec.split():
        name, kind = item.split(":")
        columns.append(Column(name, kind.rstrip("*"), kind.endswith("*")))
    return tuple(columns)


EXPORT_COLUMNS: dict[str, tuple[Column, ...]] = {
    "attendees.csv": _cols(
        "number:int code:text* first_name:text* last_name:text* adults:int kids:int"
        " seniors:int household_size:int zip:text phone:text* email:text* consent:flag*"
        " language:text heard_about:text campaign:text notes:text* needs_attention:flag*"
        " attention_note:text* external_ref:text* source:text registered_at:time"
        " registered_station:text checked_in:flag checked_in_at:time checked_in_station:text"
        " purged:flag"
    ),
    "checkins.csv": _cols(
        "attendee_number:int attendee_code:text* at:time station:text volunteer:text*"
        " undone:flag undone_at:time"
    ),
    "tickets.csv": _cols(
        "type:text kind:text serial:int code:text* state:text attendee_number:int"
        " attendee_code:text* created_at:time issued_at:time issued_station:text bound:flag"
        " from_paper:flag redeemed_at:time redeemed_station:text voided_at:time"
    ),
    "scans.csv": _cols(
        "at:time station:text volunteer:text* state:text failed:flag repeat:flag raw:text*"
        " attendee_number:int ticket_type:text ticket_serial:int"
    ),
    "raffle.csv": _cols(
        "draw:int at:time prize:text sponsor:text state:text ticket_serial:int"
        " ticket_code:text* attendee_number:int winner_name:text* claimed_at:time"
        " claimed_station:text redrawn_at:time redraw_of:int pool_size:int pool_hash:text"
        " seed_commitment:text seed:text witness:text random_value:text"
    ),
    "summary.csv": _cols("section:text item:text measure:text value:int"),
}
FILES = tuple(EXPORT_COLUMNS)


def columns_for(file_name: str, *, anonymous: bool = False) -> tuple[str, ...]:
    return tuple(c.name for c in EXPORT_COLUMNS[file_name] if not (anonymous and c.personal))


@dataclass(frozen=True)
class ExportedFile:
    name: str
    path: Path
    rows: int  # data rows, header not counted


@dataclass(frozen=True)
class ExportReport:
    folder: Path
    anonymous: bool
    files: tuple[ExportedFile, ...] = ()
    cancelled: bool = False
    contact_withdrawn: int = 0  # households that withdrew contact consent (none in the files)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)


# --- cell values ----------------------------------------------------------------------------


def _leading_blanks() -> str:
    """Whitespace and control/format characters (Unicode Zs, Zl, Zp, Cc, Cf) a cell may start
    with before a formula: NUL, tab, CR, LF, NBSP, ideographic space, zero-width space, BOM..."""
    candidates = itertools.chain(range(0x10000), range(0xE0000, 0xE0080))
    return "".join(
        ch
        for ch in map(chr, candidates)
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")
    )


LEADING_BLANKS = _leading_blanks()


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could run the cell as a formula."""
    if not text:
        return False
    if text[0] in "\t\r":
        return True
    rest = text.lstrip(LEADING_BLANKS)
    return bool(rest) and rest[0] in FORMULA_SIGNS


def neutralise(text: str) -> str:
    """A text cell a spreadsheet would run as a formula gets a leading single quote."""
    return "'" + text if formula_like(text) else text


class LocalTimes:
    """Stored UTC -> ISO 8601 local time with offset, e.g. ``2030-06-14T13:02:10-05:00``.

    Takes the stored text (``2030-06-14 18:02:10.000000``, read with a CAST so no datetime
    objects are made for 200,000 cells) or a datetime. The local minute and its offset are
    worked out once per distinct minute, so a daylight-saving change is still honoured.
    """

    def __init__(self) -> None:
        self._minutes: dict[str, tuple[str, str]] = {}

    def __call__(self, value: str | datetime | None) -> str:
        if not value:
            return ""
        text = value if isinstance(value, str) else value.isoformat(sep=" ")
        found = self._minutes.get(text[:16])
        if found is None:
            minute = datetime.fromisoformat(text[:16])
            shift = utc_offset(minute)
            local = (minute + timedelta(minutes=shift)).isoformat(timespec="minutes")
            found = self._minutes[text[:16]] = (local, offset_text(shift))
        seconds = text[16:19] if len(text) >= 19 else ":00"
        return found[0] + seconds + found[1]

    def column(self, values: Sequence[Any]) -> list[str]:
        """A batch of one column: each new minute worked out once, then a list comprehension
        over the stored text (the hot path of a 50,000-household export)."""
        if any(v is not None and not isinstance(v, str) for v in values):
            return [self(v) for v in values]
        minutes = self._minutes
        for key in {v[:16] for v in values if v} - minutes.keys():
            self(key)
        return [(m := minutes[v[:16]])[0] + v[16:19] + m[1] if v else "" for v in values]


_FLAGS = {True: "yes", False: "no", None: "no"}
FAILED_STATES = tuple(state.value for state in ScanState if is_failed(state.value))
Batch = list[Sequence[Any]]


def _convert(kind: str, values: Sequence[Any], times: LocalTimes) -> Sequence[Any]:
    """One column of a batch. Numbers pass untouched (None is written as an empty cell)."""
    if kind == "text":
        # A letter or digit first (nearly every cell) is safe at once.
        return [neutralise(v) if v and not v[0].isalnum() else v for v in values]
    if kind == "flag":
        return [_FLAGS[None if v is None else bool(v)] for v in values]
    if kind == "time":
        return times.column(values)
    return values


def _at(column: Any) -> Any:
    """A time column read as its stored text (see LocalTimes)."""
    return cast(column, String)


# --- queries --------------------------------------------------------------------------------
# Each yields tuples in the order of the file's full column list.


@contextlib.contextmanager
def _closing(batches: Iterable[Batch]) -> Iterator[Iterator[Batch]]:
    """Iterate, and close the source (its cursor) at once even when stopped half-way."""
    iterator = iter(batches)
    try:
        yield iterator
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()


def _batches(session: Session, stmt: Any) -> Iterator[Batch]:
    """Rows in lists of BATCH straight from the cursor (no ORM, no row-at-a-time fetching)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        # Straight from the sqlite3 cursor: plain tuples, a third faster than Row objects. The
        # statement's only literals are our own constants (ticket states), never user input.
        sql = str(stmt.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
        driver = connection.connection.driver_connection
        assert driver is not None
        cursor = driver.cursor()
        try:
            cursor.execute(sql)
            while batch := cursor.fetchmany(BATCH):
                yield batch
        finally:
            with contextlib.suppress(*cipher.ERRORS):  # the connection may be gone already
                cursor.close()
        return
    for partition in connection.execute(stmt).partitions(BATCH):
        yield list(partition)


def _bound_uids() -> Any:
    return select(AuditEntry.subject).where(AuditEntry.action == "ticket_bound")


def _every_external_code() -> Any:
    """A household's registration-tool codes: its own, then those of the rows joined into it
    (a family member's barcode scans too, so it is handed over with the list)."""
    further = (
        select(func.aggregate_strings(ExternalCode.code, " "))
        .where(ExternalCode.attendee_id == Attendee.id)
        .scalar_subquery()
    )
    return func.trim(Attendee.external_ref + literal(" ") + func.coalesce(further, ""))


def _attendees(session: Session) -> Iterator[Batch]:
    campaigns = {c.id: heard_label(c) for c in session.scalars(select(Campaign))}
    stmt = (
        select(
            Attendee.number,
            Attendee.code,
            Attendee.first_name,
            Attendee.last_name,
            Attendee.adults,
            Attendee.kids,
            Attendee.seniors,
            Attendee.zip_code,
            Attendee.phone,
            Attendee.email,
            Attendee.consent,
            Attendee.language,
            Attendee.heard_about,
            Attendee.campaign_id,
            Attendee.notes,
            Attendee.needs_attention,
            Attendee.attention_note,
            _every_external_code(),
            Attendee.source,
            _at(Attendee.created_at),
            Attendee.created_station,
            _at(CheckIn.at),
            CheckIn.station,
            Attendee.purged,
        )
        .outerjoin(CheckIn, (CheckIn.attendee_id == Attendee.id) & CheckIn.undone_at.is_(None))
        .order_by(Attendee.number, Attendee.id)
    )
    for batch in _batches(session, stmt):
        yield [
            (
                *r[0:7],
                r[4] + r[5] + r[6],
                *r[7:13],
                campaigns.get(r[13], "") if r[13] is not None else "",
                *r[14:21],
                r[21] is not None,
                *r[21:24],
            )
            for r in batch
        ]


def _checkins() -> Any:
    stmt = (
        select(
            Attendee.number,
            Attendee.code,
            _at(CheckIn.at),
            CheckIn.station,
            CheckIn.volunteer,
            CheckIn.undone_at.is_not(None),
            _at(CheckIn.undone_at),
        )
        .join(Attendee, Attendee.id == CheckIn.attendee_id)
        .order_by(_at(CheckIn.at), CheckIn.id)
    )
    return stmt


def _tickets() -> Any:
    stmt = (
        select(
            TicketType.name,
            TicketType.kind,
            Ticket.serial,
            Ticket.code,
            Ticket.state,
            Attendee.number,
            Attendee.code,
            _at(Ticket.created_at),
            _at(Ticket.issued_at),
            Ticket.issued_station,
            Ticket.state.in_(HELD_STATES) & Ticket.uid.in_(_bound_uids()),
            Ticket.from_paper,
            _at(Ticket.redeemed_at),
            Ticket.redeemed_station,
            _at(Ticket.voided_at),
        )
        .join(TicketType, TicketType.id == Ticket.type_id)
        .outerjoin(Attendee, Attendee.id == Ticket.attendee_id)
        .order_by(TicketType.position, TicketType.id, Ticket.serial)
    )
    return stmt


def _scans() -> Any:
    stmt = (
        select(
            _at(ScanLog.at),
            ScanLog.station,
            ScanLog.volunteer,
            ScanLog.state,
            ScanLog.state.in_(FAILED_STATES),
            ScanLog.repeat,
            ScanLog.raw,
            Attendee.number,
            TicketType.name,
            Ticket.serial,
        )
        .outerjoin(Attendee, Attendee.id == ScanLog.attendee_id)
        .outerjoin(Ticket, Ticket.id == ScanLog.ticket_id)
        .outerjoin(TicketType, TicketType.id == Ticket.type_id)
        .order_by(_at(ScanLog.at), ScanLog.id)  # by the text: a sort beats the index here
    )
    return stmt


def _raffle(session: Session) -> Iterator[Batch]:
    earlier = aliased(Draw)
    stmt = (
        select(
            Draw.id,
            _at(Draw.at),
            Prize.name,
            Prize.sponsor,
            Draw.state,
            Ticket.serial,
            Ticket.code,
            Attendee.number,
            Attendee.first_name,
            Attendee.last_name,
            _at(Draw.claimed_at),
            Draw.claimed_station,
            _at(Draw.redrawn_at),
            earlier.id,
            Draw.pool_size,
            Draw.pool_hash,
            Draw.seed_commitment,
            Draw.seed,
            Draw.witness,
            Draw.random_value,
        )
        .join(Prize, Prize.id == Draw.prize_id)
        .outerjoin(Ticket, Ticket.id == Draw.ticket_id)
        .outerjoin(Attendee, Attendee.id == Draw.attendee_id)
        .outerjoin(earlier, earlier.id == Draw.redraw_of)
        .order_by(Draw.at, Draw.id)
    )
    rows = session.connection().execute(stmt).all()
    order = {r[0]: n for n, r in enumerate(rows, start=1)}
    batch: Batch = []
    for r in rows:
        name = ""
        if r[7] is not None:
            name = person_name(r[8], r[9], r[7])
        batch.append((order[r[0]], *r[1:8], name, *r[10:13], order.get(r[13]), *r[14:]))
    yield batch


def _summary(session: Session) -> Iterator[Batch]:
    yield list(summary_rows(summary_in_session(session)))


def summary_rows(summary: Summary) -> Iterator[tuple[str, str, str, int]]:
    """The summary in long form: (section, item, measure, value)."""
    for measure in (
        "registered",
        "households_checked_in",
        "people_checked_in",
        "adults",
        "kids",
        "seniors",
        "walkups",
    ):
        yield "attendance", "", measure, getattr(summary, measure)
    for arrival in summary.arrivals:
        yield "arrivals", arrival.start, "households", arrival.households
        yield "arrivals", arrival.start, "people", arrival.people
    for z in summary.zip_codes:
        yield "zip_codes", z.zip_code, "households", z.households
        yield "zip_codes", z.zip_code, "people", z.people
    for h in summary.heard_about:
        yield "heard_about", h.label, "households", h.households
        yield "heard_about", h.label, "people", h.people
    for c in summary.campaigns:
        yield "campaigns", c.name, "registered", c.registered
        yield "campaigns", c.name, "checked_in", c.checked_in
    for t in summary.tickets:
        for measure in ("issued", "bound", "from_paper", "redeemed", "unassigned", "void"):
            yield "tickets", t.name, measure, getattr(t, measure)
        if t.stock is not None and t.stock_left is not None:
            yield "tickets", t.name, "stock", t.stock
            yield "tickets", t.name, "stock_left", t.stock_left
    for p in summary.paper_tallies:
        yield "paper_tallies", p.counts, "counted_on_paper", p.total
        yield "paper_tallies", p.counts, "sheets", p.sheets
    for prize in summary.prizes:
        for measure in ("quantity", "drawn", "claimed", "redrawn", "waiting"):
            yield "raffle", prize.name, measure, getattr(prize, measure)
    yield "scans", "", "total", summary.scans
    yield "scans", "", "unique", summary.unique_scans
    yield "scans", "", "repeat", summary.repeat_scans
    for state, n in summary.scans_by_state.items():
        yield "scans_by_state", state, "scans", n
    for state, n in summary.failed_scans_by_state.items():
        yield "failed_scans", state, "scans", n
    yield "privacy", "", "contact_withdrawn", summary.contact_withdrawn
    yield "audit", summary.audit_head, "entries", summary.audit_entries


# --- writing --------------------------------------------------------------------------------


class _Writer:
    def __init__(self, progress: Progress | None, cancelled: Cancelled | None, total: int) -> None:
        self.progress = progress
        self.cancelled = cancelled
        self.total = max(1, total)
        self.done = 0
        self.lock = threading.Lock()

    def tick(self, rows: int) -> None:
        with self.lock:
            self.done += rows
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)

    def write(self, handle: TextIO, name: str, batches: Iterable[Batch], anonymous: bool) -> int:
        columns = EXPORT_COLUMNS[name]
        keep = [(i, c.kind) for i, c in enumerate(columns) if not (anonymous and c.personal)]
        times = LocalTimes()
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow([columns[i].name for i, _ in keep])
        count = 0
        with _closing(batches) as source:
            for batch in source:
                if batch:
                    transposed = list(zip(*batch, strict=True))
                    converted = [_convert(kind, transposed[i], times) for i, kind in keep]
                    writer.writerows(zip(*converted, strict=True))
                    count += len(batch)
                self.tick(len(batch))
        return count

    def write_lines(
        self,
        handle: TextIO,
        name: str,
        batches: Iterable[Batch],
        anonymous: bool,
        stop: threading.Event,
    ) -> int:
        """Rows SQLite already made into CSV lines (see sql_lines). Runs in the second thread:
        it only adds to the count the main thread reports, and stops when told."""
        csv.writer(handle, lineterminator="\r\n").writerow(columns_for(name, anonymous=anonymous))
        count = 0
        with _closing(batches) as source:
            for batch in source:
                if stop.is_set():
                    raise ExportCancelled
                handle.write("\r\n".join([line for (line,) in batch]))
                handle.write("\r\n")
                count += len(batch)
                with self.lock:
                    self.done += len(batch)
        return count


# --- the same lines made by SQLite ----------------------------------------------------------
# For the largest file SQLite itself neutralises, quotes and joins the cells (and turns UTC into
# local time with its offset), so Python handles one string a row instead of fifteen values and
# SQLite does the work in a second thread without Python's lock. The output is byte for byte
# what the csv module writes (a test compares them).

FAST_SQLITE = True  # tests turn it off to compare with the csv module's output


def _nul_free(session: Session) -> bool:
    """Whether no text the SQLite-made file reads holds a NUL: SQLite's text functions stop at
    one, so such a file (only a file edited outside the app) is made by the csv module."""
    columns = [TicketType.name, TicketType.kind, Ticket.issued_station, Ticket.redeemed_station]
    nul = or_(*(func.instr(cast(c, LargeBinary), literal(b"\x00")) > 0 for c in columns))
    found = session.scalar(
        select(Ticket.id).join(TicketType, TicketType.id == Ticket.type_id).where(nul).limit(1)
    )
    return found is None


# The SQL lines call the one formula guard, ``neutralise``, through this SQLite function, only
# for cells that do not start with a letter or digit (rare), so the guard is written once.
SQL_NEUTRALISE = "checkin_neutralise"


def _sql_guard(driver: Any) -> None:  # sqlite3's or SQLCipher's connection: one API
    driver.create_function(SQL_NEUTRALISE, 1, neutralise, deterministic=True)


def _sql_quoted(e: Any) -> Any:
    special = or_(*(func.instr(e, ch) > 0 for ch in ('"', ",", "\n", "\r")))
    return case((special, literal('"') + func.replace(e, '"', '""') + literal('"')), else_=e)


def _sql_text(e: Any) -> Any:
    # Ordinary values (a letter or digit first, nothing to quote) take two GLOBs.
    ordinary = func.substr(e, 1, 1).op("GLOB")("[0-9A-Za-z]")
    return case(
        (or_(e.is_(None), e == ""), ""),
        (not_(ordinary), _sql_quoted(getattr(func, SQL_NEUTRALISE)(e, type_=String))),
        (e.op("GLOB")('*[",\n\r]*'), _sql_quoted(e)),
        else_=e,
    )


class _Zones:
    """The UTC offsets in force between the earliest and latest stored time, found in Python
    (quarter-hour steps) so SQLite only shifts by a constant in each piece."""

    def __init__(self, lo: datetime, hi: datetime) -> None:
        self.pieces: list[tuple[str | None, int]] = []  # (stored time it ends at, minutes)
        step = timedelta(minutes=15 if hi - lo < timedelta(days=800) else 60)
        moment = lo.replace(minute=lo.minute - lo.minute % 15, second=0, microsecond=0)
        current = utc_offset(moment)
        while moment <= hi:
            before, moment = moment, moment + step
            now = utc_offset(moment)
            if now != current:
                # The step only says a change happened inside it: find the exact minute.
                low, high = before, moment
                while high - low > timedelta(minutes=1):
                    middle = low + (high - low) / 2
                    middle = middle.replace(second=0, microsecond=0)
                    if middle <= low:
                        break
                    if utc_offset(middle) == current:
                        low = middle
                    else:
                        high = middle
                self.pieces.append((high.isoformat(sep=" "), current))
                current = now
        self.pieces.append((None, current))

    def sql(self, e: Any) -> Any:
        def by_piece(value: Callable[[int], str]) -> Any:
            if len(self.pieces) == 1:
                return literal(value(self.pieces[0][1]))
            whens = [(e < until, value(m)) for until, m in self.pieces if until is not None]
            return case(*whens, else_=value(self.pieces[-1][1]))

        shift = by_piece(lambda m: f"{m:+d} minutes")
        suffix = by_piece(offset_text)
        # whole seconds first: SQLite rounds to milliseconds, so .9999 would become the next
        # second, where Python (and the csv path) truncates
        local = func.strftime("%Y-%m-%dT%H:%M:%S", func.substr(e, 1, 19), shift)
        return case((func.coalesce(e, "") == "", ""), else_=local + suffix)


def _sql_cell(kind: str, e: Any, zones: _Zones) -> Any:
    if kind == "text":
        return _sql_text(e)
    if kind == "flag":
        return case((e, "yes"), else_="no")
    if kind == "time":
        return zones.sql(e)
    return func.coalesce(cast(e, String), "")


def sql_lines(stmt: Any, name: str, anonymous: bool, zones: _Zones) -> Any:
    """The query, selecting one finished CSV line a row instead of its columns."""
    columns = EXPORT_COLUMNS[name]
    selected = list(stmt.selected_columns)
    cells = [
        _sql_cell(c.kind, selected[i], zones)
        for i, c in enumerate(columns)
        if not (anonymous and c.personal)
    ]
    line = cells[0]
    for cell in cells[1:]:
        line = line + literal(",") + cell
    return stmt.with_only_columns(line, maintain_column_froms=True)


def _time_range(session: Session) -> tuple[datetime, datetime]:
    """Earliest and latest time in the tickets table (one scan)."""
    times = (Ticket.created_at, Ticket.issued_at, Ticket.redeemed_at, Ticket.voided_at)
    row = session.execute(
        select(*(func.min(t) for t in times), *(func.max(t) for t in times))
    ).one()
    found = [t for t in row if t is not None]
    now = datetime.now(UTC).replace(tzinfo=None)
    return min(found, default=now), max(found, default=now)


def _estimate(session: Session) -> int:
    total = 0
    for model in (Attendee, CheckIn, Ticket, ScanLog, Draw):
        total += session.scalar(select(func.count()).select_from(model)) or 0
    return total + 1


def _write_file(out: Path, name: str, write: Callable[[TextIO], int]) -> tuple[str, int]:
    """A hidden temporary file in ``out``, written and synced; (its path, rows)."""
    fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".partial", dir=out)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
            rows = write(handle)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        _remove([temp])
        raise
    return temp, rows


def export_event(
    db: Database,
    out: Path,
    *,
    anonymous: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportReport:
    """Write the six CSV files into ``out`` (created, private to the user, if missing).

    On SQLite the two largest files (tickets, scans) are made by SQLite in threads of their own
    while this one writes the others: SQLite runs without Python's lock, so the cores share
    the work. Each file is one consistent snapshot; the threads' snapshots start together.
    """
    out = Path(out).expanduser()
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out} is a file, not a folder")
    private_folder(out)
    written: dict[str, tuple[str, int]] = {}  # name -> (temporary path, rows)
    stop = threading.Event()
    background: dict[str, Future[tuple[str, int]]] = {}
    pool = ThreadPoolExecutor(max_workers=len(BY_SQLITE)) if FAST_SQLITE and db.is_sqlite else None
    try:
        with db.reading() as session:
            writer = _Writer(
                progress,
                lambda: stop.is_set() or bool(cancelled and cancelled()),
                _estimate(session),
            )
            sources: dict[str, Callable[[], Iterable[Batch]]] = {
                "attendees.csv": lambda: _attendees(session),
                "checkins.csv": lambda: _batches(session, _checkins()),
                "tickets.csv": lambda: _batches(session, _tickets()),
                "scans.csv": lambda: _batches(session, _scans()),
                "raffle.csv": lambda: _raffle(session),
                "summary.csv": lambda: _summary(session),
            }
            if pool is not None and not _nul_free(session):
                pool.shutdown()
                pool = None
            if pool is not None:
                zones = _Zones(*_time_range(session))
                for name, query in BY_SQLITE.items():
                    background[name] = pool.submit(
                        _by_sqlite, db, out, name, query, anonymous, zones, writer, stop
                    )
            for name in FILES:
                if name in background:
                    continue
                written[name] = _write_file(
                    out,
                    name,
                    lambda handle, name=name: writer.write(  # type: ignore[misc]
                        handle, name, sources[name](), anonymous
                    ),
                )
        for name, future in background.items():
            written[name] = future.result()
    except ExportCancelled:
        stop.set()
        _collect(background, written)
        _remove([temp for temp, _ in written.values()])
        return ExportReport(out, anonymous, cancelled=True)
    except BaseException:
        stop.set()
        _collect(background, written)
        _remove([temp for temp, _ in written.values()])
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    if not anonymous:  # names in it: the purge removes it too (anonymous ones stay)
        with db.reading() as session:
            written_files.remember(load_event(session).uid, [out / name for name in FILES])
    files = []
    for name in FILES:
        temp, rows = written[name]
        os.chmod(temp, FILE_MODE)  # mkstemp made it 0600 already; be explicit
        os.replace(temp, out / name)
        files.append(ExportedFile(name, out / name, rows))
    _sync_folder(out)
    if progress is not None:
        progress(writer.total, writer.total)
    return ExportReport(out, anonymous, tuple(files), contact_withdrawn=withdrawn_count(db))


def _by_sqlite(
    db: Database,
    out: Path,
    name: str,
    query: Callable[[], Any],
    anonymous: bool,
    zones: _Zones,
    writer: _Writer,
    stop: threading.Event,
) -> tuple[str, int]:
    with db.reading() as session:
        driver = session.connection().connection.driver_connection
        assert driver is not None
        _sql_guard(driver)
        lines = _batches(session, sql_lines(query(), name, anonymous, zones))
        return _write_file(out, name, lambda h: writer.write_lines(h, name, lines, anonymous, stop))


def _collect(
    background: dict[str, Future[tuple[str, int]]], written: dict[str, tuple[str, int]]
) -> None:
    """After a failure: wait for the other threads, keep their files' names for removal."""
    for name, future in background.items():
        with contextlib.suppress(BaseException):
            written[name] = future.result()


def _remove(paths: Iterable[str]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _sync_folder(folder: Path) -> None:
    """Make the renames durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# The largest file, made by SQLite in a thread of its own (see export_event).
BY_SQLITE: dict[str, Callable[[], Any]] = {"tickets.csv": _tickets}
