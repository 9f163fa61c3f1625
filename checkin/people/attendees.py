"""People and households: registering walk-ups, looking them up, searching by name or phone."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sized
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Any, cast

from sqlalchemy import Table, and_, func, or_, select
from sqlalchemy.orm import Session

from checkin import codes
from checkin.clean_text import clean_text
from checkin.event.events import load_event
from checkin.people import external_codes
from checkin.people.names import cut_graphemes, tidy_name
from checkin.record import audit, seal
from checkin.results import AttendeeInfo, Station, person_name
from checkin.store import AttendeeSource, Database
from checkin.store.models import (
    Attendee,
    CheckIn,
    Event,
    PersonEdit,
    Setting,
    new_uids,
    utcnow,
)
from checkin.store.page_cache import larger_page_cache
from checkin.store.setting_keys import EventSetting
from checkin.ticketing.code_supply import fresh_code, fresh_codes
from checkin.ticketing.snapshots import attendee_info

MAX_MEMBERS = 30
ATTENTION_LENGTH = 200  # a banner's line or two: "uses a wheelchair, needs a seat"
ZIP_PATTERN = re.compile(r"(?=.*\d)[0-9A-Za-z -]{3,10}")  # "64130", "64130-1234", "K1A 0B1"
SEARCH_LIMIT = 50
INSERT_CHUNK = 1000
MAX_SEARCH_WORDS = 5
# Letters and digits of any script are kept (Cyrillic, Arabic...); apostrophes vanish so that
# "O'Brien" is found as "obrien" and "o'brien"; any other mark separates words.
_APOSTROPHES = re.compile(r"['\u2019\u02bc`]")
_NON_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")
_ASCII_FOLD = {n: None if chr(n) in "'`" else " " for n in range(128) if not chr(n).isalnum()}

# Fields a caller may set on a person; anything else is refused.
FIELDS = (
    "first_name",
    "last_name",
    "adults",
    "kids",
    "seniors",
    "zip_code",
    "phone",
    "email",
    "consent",
    "language",
    "heard_about",
    "notes",
    "needs_attention",
    "attention_note",
    "external_ref",
)
_FIELD_NAMES = frozenset(FIELDS)


# Column defaults for bulk inserts, which bypass the ORM's defaults.
ATTENDEE_DEFAULTS: dict[str, Any] = {
    "first_name": "",
    "last_name": "",
    "adults": 1,
    "kids": 0,
    "seniors": 0,
    "zip_code": "",
    "phone": "",
    "email": "",
    "consent": False,
    "language": "",
    "heard_about": "",
    "campaign_id": None,
    "notes": "",
    "needs_attention": False,
    "attention_note": "",
    "external_ref": "",
    "purged": False,
    "contact_withdrawn_at": None,
}


class InvalidAttendee(ValueError):
    """Registration data that cannot be stored; the message says which field and why."""


# Cached: an import folds each row's names, zip and answers twice (to compare, to store), and
# first names, zips and answers repeat down a list.
@functools.lru_cache(maxsize=16_384)
def fold(value: str) -> str:
    """Accent- and case-insensitive form used for search keys: "Peña  García" -> "pena garcia"."""
    if value.isascii():  # most names: nothing to decompose (and an import folds 100,000)
        # As the expressions below do: apostrophes dropped, other marks spaces, one space.
        return " ".join(value.casefold().translate(_ASCII_FOLD).split())
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _SPACES.sub(" ", _NON_WORD.sub(" ", _APOSTROPHES.sub("", stripped))).strip()


def phone_digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def phone_key(value: str) -> str:
    # Reversed, so "the last four digits" is a prefix match that an index serves. An
    # imported extension (" x12") is not part of the number searched for.
    return phone_digits(value.partition(" x")[0])[::-1]


def set_search_keys(attendee: Attendee) -> None:
    # Column defaults are applied only at flush, so unset fields are still None here.
    attendee.first_key = fold(attendee.first_name or "")
    attendee.last_key = fold(attendee.last_name or "")
    attendee.full_key = f"{attendee.first_key} {attendee.last_key}".strip()
    attendee.phone_key = phone_key(attendee.phone or "")


def clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate and tidy registration fields (shared by walk-ups, the form and CSV import)."""
    unknown = fields.keys() - _FIELD_NAMES
    if unknown:
        raise InvalidAttendee(f"Unknown field: {', '.join(sorted(unknown))}")
    out = dict(fields)
    for name in ("adults", "kids", "seniors"):
        if name in out:
            try:
                out[name] = int(out[name])
            except (TypeError, ValueError):
                raise InvalidAttendee(f"{name}: not a whole number") from None
            if not 0 <= out[name] <= MAX_MEMBERS:
                raise InvalidAttendee(f"{name}: must be between 0 and {MAX_MEMBERS}")
    if out.get("adults", 1) + out.get("kids", 0) + out.get("seniors", 0) == 0:
        raise InvalidAttendee("A household needs at least one person")
    for name in ("first_name", "last_name"):
        if name in out:
            # Cut at a grapheme boundary: a name cut through its accents is found by no search.
            out[name] = tidy_name(clean_text(out[name]))
    for name in ("zip_code", "language", "heard_about"):
        if name in out:
            out[name] = cut_graphemes(clean_text(out[name]))
    if "notes" in out:
        out["notes"] = clean_text(out["notes"] or "", multiline=True)
    if "attention_note" in out:
        out["attention_note"] = clean_text(out["attention_note"] or "")[:ATTENTION_LENGTH]
        if out["attention_note"]:  # a note is what the flag is for: it raises it
            out["needs_attention"] = True
    if "needs_attention" in out:
        out["needs_attention"] = bool(out["needs_attention"])
    if "zip_code" in out and out["zip_code"] and not ZIP_PATTERN.fullmatch(out["zip_code"]):
        raise InvalidAttendee("zip code: 3 to 10 letters and digits, at least one digit")
    if not out.get("consent"):
        # No consent, no contact details: they are not even stored.
        out["phone"], out["email"] = "", ""
    else:
        out["phone"] = clean_text(out.get("phone", ""))[:40]
        out["email"] = clean_text(out.get("email", ""))[:200]
        if out["email"] and "@" not in out["email"]:
            raise InvalidAttendee("email: not an address")
    return out


NUMBER_RANGE_SETTING = EventSetting.NUMBER_RANGE  # "first-last": a station copy's own Guest numbers


def next_number(session: Session) -> int:
    # Station copies (checkin.stations.merge) number walk-ups in their own range, so that numbers
    # stay
    # unique when the stations' files are merged.
    bounds = session.get(Setting, NUMBER_RANGE_SETTING)
    if bounds is None or not bounds.value:
        return (session.scalar(select(func.max(Attendee.number))) or 0) + 1
    first, last = (int(part) for part in bounds.value.split("-"))
    top = session.scalar(
        select(func.max(Attendee.number)).where(Attendee.number.between(first, last))
    )
    return (top or first - 1) + 1


def insert_attendee(
    session: Session,
    event: Event,
    *,
    source: AttendeeSource,
    station: str = "",
    volunteer: str = "",
    number: int | None = None,
    **fields: Any,
) -> Attendee:
    """Add a person in the caller's write transaction (fields already cleaned)."""
    attendee = Attendee(
        code=fresh_code(
            session, Attendee.code, codes.CodeKind.ATTENDEE, event.tag, event.secret_key
        ),
        number=number if number is not None else next_number(session),
        source=source,
        created_station=station,
        **fields,
    )
    set_search_keys(attendee)
    session.add(attendee)
    session.flush()
    audit.record(
        session,
        "attendee_added",
        station=station,
        volunteer=volunteer,
        subject=attendee.uid,
        detail={"code": attendee.code, "number": attendee.number, "source": source},
    )
    return attendee


def insert_many(
    session: Session,
    event: Event,
    rows: Iterable[dict[str, Any]],
    *,
    source: AttendeeSource,
    station: str = "",
    progress: Callable[[int, int], None] | None = None,
    total: int | None = None,
    codes_of: Callable[[int, list[str]], None] | None = None,
) -> list[str]:
    """Add many people (fields already cleaned): imports and demo data. Returns their codes.

    A Core bulk insert rather than ORM objects, a chunk at a time: ``rows`` may be a generator
    (an import's rows are parsed as they are stored, not held), each chunk gets its codes drawn
    against the file (a code drawn twice is drawn again) and its own audit entry, so neither
    the rows nor their record images are ever all in memory. ``progress(done, total)`` after
    each chunk; ``total`` defaults to ``len(rows)``. With ``codes_of(first, codes)``, each
    chunk's codes (from the ``first`` row's position) go there instead, and none are returned:
    100,000 codes are 7 MB.
    """
    number = next_number(session)
    now = utcnow()
    if total is None:
        total = len(rows) if isinstance(rows, Sized) else 0
    made: list[str] = []
    done = 0
    # The Core table, not the mapped class: no per-row ORM bookkeeping (~0.2 s per 10,000).
    table = cast(Table, Attendee.__table__)
    batch: list[dict[str, Any]] = []
    with larger_page_cache(session):
        for fields in chain(rows, [None]):
            if fields is not None:
                batch.append(fields)
            if batch and (fields is None or len(batch) == INSERT_CHUNK):
                drawn = _insert_chunk(
                    session, event, table, batch, number + done, now, source, station
                )
                if codes_of is not None:
                    codes_of(done, drawn)
                else:
                    made += drawn
                done += len(batch)
                batch = []
                if progress is not None:
                    progress(done, max(total, done))
    return made


def _insert_chunk(
    session: Session,
    event: Event,
    table: Table,
    batch: list[dict[str, Any]],
    number: int,
    now: datetime,
    source: AttendeeSource,
    station: str,
) -> list[str]:
    """One chunk's rows and the audit entry that records them (their images: checkin.record)."""
    made = fresh_codes(
        session, Attendee.code, codes.CodeKind.ATTENDEE, event.tag, event.secret_key, len(batch)
    )
    values = []
    uids = new_uids(len(batch))
    for at, (fields, uid, code) in enumerate(zip(batch, uids, made, strict=True), start=number):
        first, last = fold(fields.get("first_name", "")), fold(fields.get("last_name", ""))
        values.append(
            {
                **ATTENDEE_DEFAULTS,
                **fields,
                "uid": uid,
                "code": code,
                "number": at,
                "source": source,
                "created_station": station,
                "created_at": now,
                "first_key": first,
                "last_key": last,
                "full_key": f"{first} {last}".strip(),
                "phone_key": phone_key(fields.get("phone", "")),
            }
        )
    seal.insert_rows(session, table, values)
    audit.record(
        session,
        "attendees_imported",
        station=station,
        subject=event.uid,
        detail={"count": len(made), "source": source, "codes": made},
    )
    return made


def register(
    db: Database,
    station: Station | None = None,
    *,
    source: AttendeeSource = AttendeeSource.WALKUP,
    **fields: Any,
) -> AttendeeInfo:
    """Register a walk-up. Only the household counts matter; a name is optional."""
    cleaned = clean_fields(fields)
    where = station or Station("")

    def work(session: Session) -> AttendeeInfo:
        event = load_event(session)
        attendee = insert_attendee(
            session, event, source=source, station=where.name, volunteer=where.volunteer, **cleaned
        )
        return attendee_info(session, attendee)

    return db.write(work)


def update_attendee(
    db: Database, code: str, station: Station | None = None, **fields: Any
) -> AttendeeInfo:
    """Change a person's fields (checkin.people.edits adds what the change means for tickets)."""
    where = station or Station("")

    def work(session: Session) -> AttendeeInfo:
        attendee = session.scalar(select(Attendee).where(Attendee.code == code))
        if attendee is None:
            raise InvalidAttendee("No such attendee")
        change_attendee(session, attendee, fields, where)
        return attendee_info(session, attendee)

    return db.write(work)


def change_attendee(
    session: Session, attendee: Attendee, fields: dict[str, Any], where: Station
) -> list[str]:
    """Set cleaned fields in the caller's write transaction; returns the fields that changed.

    The values replaced are kept in a PersonEdit row for Undo; the audit entry names that row
    and lists which fields changed, not their values: the log must not copy personal data (the
    sealed fields, household counts and ZIP, travel in the entry's row images).
    """
    current = {name: getattr(attendee, name) for name in FIELDS}
    cleaned = clean_fields({**current, **fields})
    changed = sorted(k for k, v in cleaned.items() if current[k] != v)
    if not changed:
        return []
    for name in changed:
        setattr(attendee, name, cleaned[name])
    set_search_keys(attendee)
    edit = PersonEdit(
        attendee_id=attendee.id,
        before=json.dumps({name: current[name] for name in changed}, ensure_ascii=False),
    )
    session.add(edit)
    session.flush()
    audit.record(
        session,
        "attendee_updated",
        station=where.name,
        volunteer=where.volunteer,
        subject=attendee.uid,
        detail={"fields": changed, "edit": edit.uid, "attendee": attendee.code},
    )
    return changed


def get_attendee(db: Database, code: str) -> AttendeeInfo | None:
    """By attendee code (canonical or as typed by hand)."""
    value = codes.normalize(code) or code
    with db.reading() as session:
        attendee = session.scalar(select(Attendee).where(Attendee.code == value))
        return attendee_info(session, attendee) if attendee else None


@dataclass(frozen=True)
class SearchHit:
    code: str
    number: int
    first_name: str
    last_name: str
    zip_code: str
    household_size: int
    checked_in: bool

    @property
    def display_name(self) -> str:
        return person_name(self.first_name, self.last_name, self.number)


def _prefix(column: Any, prefix: str, collation: str | None = None) -> Any:
    # A range rather than LIKE: it uses the index on SQLite and PostgreSQL alike. On PostgreSQL
    # it is compared in code-point order ("C"): under a server locale such as en_US spaces are
    # ignored and "\uffff" sorts anywhere, so the range would find the wrong people.
    if collation:
        column = column.collate(collation)
    return and_(column >= prefix, column < prefix + "\uffff")


def search(db: Database, query: str, *, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
    """Prefix search by name (any order, accents ignored), phone digits, code or #number."""
    text = query.strip()
    if not text:
        return []
    collation = "C" if db.engine.dialect.name == "postgresql" else None

    def prefix(column: Any, value: str) -> Any:
        return _prefix(column, value, collation)

    conditions = []
    digits = phone_digits(text)
    compact = text.upper().replace("-", "").replace(" ", "")
    if text.startswith("#") and text[1:].isdigit():
        conditions.append(Attendee.number == int(text[1:]))
    elif digits and len(digits) >= 3 and len(digits) >= len(text.replace(" ", "")) - 4:
        conditions.append(prefix(Attendee.phone_key, digits[::-1]))
        if len(digits) == len(text.strip()) and len(digits) <= 6:
            conditions.append(Attendee.number == int(digits))
    words = fold(text).split()[:MAX_SEARCH_WORDS]
    if words:
        joined = " ".join(words)
        # The words may start a first name, a last name, or both in either order, and either
        # name may have several words ("María José", "García López").
        conditions += [prefix(Attendee.first_key, joined), prefix(Attendee.last_key, joined)]
        if len(words) > 1:
            conditions.append(prefix(Attendee.full_key, joined))
        for cut in range(1, len(words)):
            before, after = " ".join(words[:cut]), " ".join(words[cut:])
            conditions += [
                and_(prefix(Attendee.first_key, before), prefix(Attendee.last_key, after)),
                and_(prefix(Attendee.last_key, before), prefix(Attendee.first_key, after)),
            ]
    if len(compact) >= 4 and compact.isalnum():
        conditions.append(prefix(Attendee.code, compact.translate(str.maketrans("OIL", "011"))))
    if len(text) >= 4:
        conditions.append(external_codes.matches(" ".join(text.split())))  # a tool's barcode
    if not conditions:
        return []
    live = (
        select(CheckIn.id)
        .where(CheckIn.attendee_id == Attendee.id, CheckIn.undone_at.is_(None))
        .exists()
    )
    columns = (
        Attendee.code,
        Attendee.number,
        Attendee.first_name,
        Attendee.last_name,
        Attendee.zip_code,
        Attendee.adults + Attendee.kids + Attendee.seniors,
        live,
    )
    order = (Attendee.last_key, Attendee.first_key, Attendee.number)
    stmt = select(*columns).where(or_(*conditions)).order_by(*order).limit(limit)
    with db.reading() as session:
        hits = [SearchHit(*row) for row in session.execute(stmt).all()]
        joined = " ".join(words)
        inner_words = len(words) == 1 or not hits  # "Sofía"; or "Sofía Hern" found nobody
        letters = any(ch.isalpha() for ch in joined)
        if len(hits) < limit and inner_words and len(joined) >= 3 and letters:
            # Any later word of a name: "Sofía" finds "Ana Sofía Hernández", "López" finds
            # "María García López". A scan of the full-name index, so it runs on its own (in
            # the OR above it would turn every search into a table scan), after the prefix
            # matches, and for several words only when they found nobody ("Marcus Fr" typed
            # in order needs no scan). Keys hold letters, digits and single spaces: nothing
            # to escape. No ORDER BY: sorting would walk the name index row by row instead.
            seen = {hit.code for hit in hits}
            inner = select(*columns).where(Attendee.full_key.like(f"% {joined}%")).limit(limit)
            later = [SearchHit(*row) for row in session.execute(inner).all()]
            later.sort(key=lambda hit: (fold(hit.last_name), fold(hit.first_name), hit.number))
            hits += [hit for hit in later if hit.code not in seen][: limit - len(hits)]
        return hits
