"""The scan engine: raw scanner input and a station in, one result out.

Never raises on any input. Every scan is one write transaction of prebuilt statements
(checkin/scanning/statements.py): a snapshot that reads what the answer needs, a decision in
Python, the writes, the scan-log row in the same transaction as its effect, one commit. So what
the screen shows is what is on disk. A scanner that fires twice (same input at the same station
within two seconds) gets the same answer and causes no second effect.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from checkin import codes
from checkin.errors import Failure, describe, failure_of, is_storage_error
from checkin.people import external_codes
from checkin.people.attendees import ATTENDEE_DEFAULTS, NUMBER_RANGE_SETTING
from checkin.record import audit
from checkin.record.images import (
    ATTENDEE_FIELDS,
    TICKET_FIELDS,
    Image,
    scan_image,
    ticket_image,
)
from checkin.record.images import value as record_value
from checkin.results import (
    AttendeeInfo,
    CheckInParams,
    FlyerParams,
    NotSavedParams,
    OutcomeParams,
    ScanResult,
    ScanState,
    ShortStock,
    Station,
    StationMode,
    TicketInfo,
    TicketParams,
    UnknownParams,
    Why,
)
from checkin.scanning import claims, texts
from checkin.scanning import config as cfg
from checkin.scanning import statements as q
from checkin.scanning.cards import card, held_by_type, ticket_info
from checkin.scanning.scan_log import printable, scan_row
from checkin.scanning.tx import CoreTx, ScanTx, first
from checkin.stations import elsewhere
from checkin.store import HELD_STATES, Database, DrawState, TicketKind, TicketState, unsaved
from checkin.store.models import new_uid, utcnow

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 2.0
# A person's code again at a resource station after this long is the next family member's.
PERSON_AT_STATION_SECONDS = 0.5
MAX_INPUT = 200
_TERMINATORS = "\r\n\t"

INTERNAL = texts.INTERNAL


def outcome(
    shown: str,
    state: ScanState,
    params: OutcomeParams | None = None,
    *,
    attendee: AttendeeInfo | None = None,
    ticket: TicketInfo | None = None,
    issued: tuple[TicketInfo, ...] = (),
) -> ScanResult:
    """A result, its English worded from its state and parameters (checkin/scanning/texts.py)."""
    params = params if params is not None else OutcomeParams()
    message = texts.english(state, params, shown)
    return ScanResult(shown, state, message, attendee, ticket, params, issued=issued)


class ScanEngine:
    def __init__(
        self,
        db: Database,
        *,
        debounce_seconds: float = DEBOUNCE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._debounce = debounce_seconds
        self._clock = clock
        self._recent: dict[tuple[str, str, str], tuple[float, ScanResult]] = {}
        self._lock = threading.Lock()
        self._config: cfg.EventConfig | None = None

    def scan(
        self, raw: str, station: Station, *, current_attendee: str | None = None
    ) -> ScanResult:
        """Check in, redeem, bind or claim according to the code and the station."""
        result = self._answer(raw, lambda: self._scan(raw, station, current_attendee))
        if result.state is ScanState.NOT_SAVED:  # kept beside the file, to scan again later
            unsaved.keep(self._db.path, raw, station.name)
        return result

    def check_in(self, attendee_code: str, station: Station) -> ScanResult:
        """Check in a person picked by hand (a search result): a scan of their code, without
        the double-trigger rule (picking someone twice is a person's choice)."""
        value = codes.normalize(attendee_code) or attendee_code.strip()
        code = codes.Code(codes.CodeKind.ATTENDEE, value)
        return self._answer(
            attendee_code,
            lambda: self._db.scan_write(
                lambda tx: self._apply(tx, printable(attendee_code), code, station, None)
            ),
        )

    def _answer(self, raw: str, work: Callable[[], ScanResult]) -> ScanResult:
        try:
            return work()
        except Exception as exc:  # the desk must keep going whatever happens underneath
            return _not_saved(raw, exc)

    def _scan(self, raw: str, station: Station, current: str | None) -> ScanResult:
        text = raw.strip(_TERMINATORS + " ")
        # The person on screen may come typed by hand (the CLI's --for) like any code.
        current = (codes.normalize(current) or current.strip()) if current else None
        # Same input, same station, same person on screen: a scanner firing twice. With another
        # person picked in between it is a new request (a pre-printed ticket scanned first with
        # nobody on screen, then for the person). A code counts as the same in any spelling;
        # anything else only as exactly the same text ("null" then "NULL" are two inputs).
        canonical = codes.normalize(text)
        key = (station.name, canonical or text, current or "")
        now = self._clock()
        with self._lock:
            self._forget_before(now - self._debounce)
            cached = self._recent.get(key)
        if cached is not None and cached[0] > now - self._window(canonical, station):
            repeat = dataclasses.replace(cached[1], input=printable(text), repeat=True)
            self._db.scan_write(lambda tx: log_repeat(tx, repeat, station))
            return repeat
        result = self._fresh(text, station, current)
        with self._lock:
            self._recent[key] = (now, result)
            # The answer puts its person on the card, and the desk sends the person on screen
            # with the next scan: the scanner's second trigger comes with them, still a repeat.
            shown = result.attendee.code if result.attendee is not None else None
            if shown is not None and shown != key[2]:
                self._recent[(key[0], key[1], shown)] = (now, result)
        return result

    def _window(self, canonical: str | None, station: Station) -> float:
        """How long the same input counts as the scanner firing twice. A person's own code at
        a resource station is scanned once per family member (four meals, four scans in a
        few seconds), so there only a second input right behind the first is a double
        trigger: a scanner's second burst follows its first at typing speed, a volunteer's
        next scan takes longer than that. Each answer there shows what is left, so an extra
        one shows, and Undo takes it back. A ticket's code keeps the whole window: a paper
        ticket is good once, a repeat of it is always the scanner."""
        person = canonical is not None and canonical[0] == codes.CodeKind.ATTENDEE.value
        if person and station.mode is StationMode.RESOURCE:
            return min(self._debounce, PERSON_AT_STATION_SECONDS)
        return self._debounce

    def _forget_before(self, cutoff: float) -> None:
        # Oldest first (insertion order): stop at the first recent one, so a busy desk does
        # not walk every remembered scan each time.
        while self._recent:
            oldest = next(iter(self._recent))
            if self._recent[oldest][0] > cutoff:
                return
            del self._recent[oldest]

    def _fresh(self, text: str, station: Station, current: str | None) -> ScanResult:
        shown = printable(text)
        if not text or len(text) > MAX_INPUT or not text.isprintable():
            return self._reject(shown, station, ScanState.NOT_A_CODE)
        config = self._known_config()
        parsed = codes.parse(text, config.tag, config.key)
        if isinstance(parsed, codes.ParseError):
            if len(text) > external_codes.MAX_CODE_CHARS:
                return self._reject(shown, station, ScanState(parsed.value))
            error = parsed
            return self._db.scan_write(
                lambda tx: self._external(tx, shown, text, error, station, current)
            )
        return self._db.scan_write(lambda tx: self._apply(tx, shown, parsed, station, current))

    def _external(
        self,
        tx: ScanTx,
        shown: str,
        text: str,
        error: codes.ParseError,
        station: Station,
        current: str | None,
    ) -> ScanResult:
        """Not a code of this app: a registration tool's barcode imported with a household
        (checkin/people/external_codes.py) is that household's own code; anything else is
        rejected."""
        owner = first(tx.read(external_codes.OWNER, {"code": " ".join(text.split())}))
        if owner is None:
            result = outcome(shown, ScanState(error.value))
            log_alone(tx, result, station)
            return result
        code = codes.Code(codes.CodeKind.ATTENDEE, owner.code)
        return self._apply(tx, shown, code, station, current)

    def _known_config(self) -> cfg.EventConfig:
        if self._config is None:
            with self._db.reading() as session:
                self._config = cfg.load(CoreTx(session.connection()))
        return self._config

    def _current_config(self, tx: ScanTx, rev: int) -> cfg.EventConfig:
        """The cached event settings, reloaded in this transaction when the snapshot shows a
        newer revision of the ticket types."""
        config = self._known_config()
        if config.rev != rev:
            config = self._config = cfg.load(tx)
        return config

    def _reject(self, shown: str, station: Station, state: ScanState) -> ScanResult:
        result = outcome(shown, state)
        self._db.scan_write(lambda tx: log_alone(tx, result, station))
        return result

    # --- one transaction per scan ---------------------------------------------------------

    def _apply(
        self, tx: ScanTx, shown: str, code: codes.Code, station: Station, current: str | None
    ) -> ScanResult:
        if code.kind is codes.CodeKind.ATTENDEE:
            return _Scan(self, tx, shown, station).person(code.value)
        if code.kind is codes.CodeKind.FLYER:
            return _Scan(self, tx, shown, station).flyer(code.value, current)
        return _Scan(self, tx, shown, station).ticket(code.value, current)


class _Scan:
    """One scan inside its transaction: reads, decides, queues its writes and its log row."""

    def __init__(self, engine: ScanEngine, tx: ScanTx, shown: str, station: Station) -> None:
        self.engine, self.tx, self.shown, self.station = engine, tx, shown, station
        self.chain: str | None = None
        self.entries: list[tuple[str, str, dict[str, Any]]] = []
        self.rows: dict[str, dict[str, Image]] = {}  # what the scan changed, for the record

    def _config(self, row: Any) -> cfg.EventConfig:
        self.chain = row.head or audit.GENESIS
        return self.engine._current_config(self.tx, row.config_rev)

    def _audit(self, action: str, subject: str, detail: dict[str, Any]) -> None:
        """Queue an audit entry: written at the end, the last one with the scan's rows."""
        self.entries.append((action, subject, detail))

    def _seal(self, table: str, uid: str, image: Image) -> None:
        self.rows.setdefault(table, {})[uid] = image

    def _ticket(
        self, row: Any, attendee_uid: str | None, config: cfg.EventConfig, **now: Any
    ) -> None:
        """A ticket's image after this scan: its row as read, with what the scan changed."""
        fields = {name: getattr(row, name, None) for name in TICKET_FIELDS}
        self._seal(
            "tickets",
            row.uid,
            ticket_image({**fields, **now}, config.type_by_id(row.type_id).uid, attendee_uid),
        )

    def _logged(
        self,
        result: ScanResult,
        *,
        attendee: tuple[int, str] | None = None,
        ticket: tuple[int, str] | None = None,
    ) -> ScanResult:
        row = scan_row(
            result,
            self.station,
            attendee_id=attendee[0] if attendee else None,
            ticket_id=ticket[0] if ticket else None,
        )
        uid = str(row["uid"])
        image = scan_image(row, attendee[1] if attendee else None, ticket[1] if ticket else None)
        self._seal("scans", uid, image)
        entries = self.entries or [(SCANNED, uid, {"state": result.state.value})]
        _write_entries(self.tx, self.chain, self.station, entries, self.rows)
        self.tx.write(q.INSERT_SCAN, row)
        return result

    # --- a person's code ------------------------------------------------------------------

    def person(self, code: str) -> ScanResult:
        tx, station = self.tx, self.station
        snapshot = tx.read(q.PERSON, {"code": code})
        held = tx.read(q.TICKETS_OF_PERSON, {"code": code})
        at_desk = station.mode is StationMode.DESK
        serials = tx.read(q.NEXT_SERIALS) if at_desk else None
        row = first(snapshot)
        if row is None and at_desk:
            # The code's signature is this event's: a walk-up of another station's copy.
            assert serials is not None
            return self._registered_elsewhere(code, serials.rows())
        if row is None:
            unknown = UnknownParams(what="person")
            return self._logged(outcome(self.shown, ScanState.UNKNOWN, unknown))
        config = self._config(row)
        held_rows = held.rows()
        if at_desk:
            assert serials is not None
            result = self._check_in(row, held_rows, serials.rows(), config)
        else:
            result = self._person_elsewhere(row, held_rows, config)
        return self._logged(result, attendee=(row.owner_id, row.owner_uid))

    def _registered_elsewhere(self, code: str, serials: Sequence[Any]) -> ScanResult:
        """Add a stand-in household with this code and check it in
        (checkin/stations/elsewhere.py)."""
        tx, station = self.tx, self.station
        bounds = first(tx.read(q.SETTING, {"key": NUMBER_RANGE_SETTING}))
        low, high = 1, 2**31 - 1
        if bounds is not None and bounds.value:
            low, high = (int(part) for part in str(bounds.value).split("-"))
        top = first(tx.read(q.TOP_NUMBER, {"low": low, "high": high}))
        number = (top.top if top is not None and top.top is not None else low - 1) + 1
        uid = new_uid()
        values: dict[str, Any] = {
            **ATTENDEE_DEFAULTS,
            **elsewhere.STAND_IN_MEMBERS,
            "uid": uid,
            "code": code,
            "number": number,
            "source": elsewhere.ELSEWHERE,
            "created_at": utcnow(),
            "created_station": station.name,
            "first_key": "",
            "last_key": "",
            "full_key": "",
            "phone_key": "",
        }
        tx.write(q.INSERT_ATTENDEE, values)
        sealed = {**values, "campaign": None}
        self._seal("attendees", uid, [record_value(sealed[name]) for name in ATTENDEE_FIELDS])
        self._audit(
            "attendee_added",
            uid,
            {"code": code, "number": number, "source": elsewhere.ELSEWHERE},
        )
        row = first(tx.read(q.PERSON, {"code": code}))
        assert row is not None
        config = self._config(row)
        checked = self._check_in(row, [], serials, config)
        assert isinstance(checked.params, CheckInParams)
        params = dataclasses.replace(checked.params, elsewhere=True)
        result = dataclasses.replace(
            checked, message=texts.english(checked.state, params), params=params
        )
        return self._logged(result, attendee=(row.owner_id, row.owner_uid))

    def _check_in(
        self, row: Any, held: Sequence[Any], serials: Sequence[Any], config: cfg.EventConfig
    ) -> ScanResult:
        if row.checkin_id is not None:
            person = card(row, config, held)
            assert person.checked_in_at is not None
            when, where = texts.clock(person.checked_in_at), row.checkin_station or ""
            return outcome(
                self.shown,
                ScanState.ALREADY_CHECKED_IN,
                CheckInParams(name=person.display_name, when=when, where=where),
                attendee=person,
            )
        now = utcnow()
        station = self.station
        checkin_uid = new_uid()
        self.tx.write(
            q.INSERT_CHECKIN,
            {
                "uid": checkin_uid,
                "attendee_id": row.owner_id,
                "at": now,
                "station": station.name,
                "volunteer": station.volunteer,
                "undone_at": None,
            },
        )
        image = [row.owner_uid, record_value(now), station.name, station.volunteer, None]
        self._seal("checkins", checkin_uid, image)
        issued, short = self._issue_defaults(row, held, serials, config, now)
        self._audit(
            "checked_in",
            checkin_uid,
            {"attendee": row.owner_code, "tickets": [t.code for t in issued]},
        )
        person = card(row, config, held, new=issued, checked_in=(now, station.name))
        # short: the household got what was left, and the desk says so in amber
        params = CheckInParams(name=person.display_name, tickets=len(issued), short=short)
        return outcome(self.shown, ScanState.CHECKED_IN, params, attendee=person, issued=issued)

    def _issue_defaults(
        self,
        row: Any,
        held: Sequence[Any],
        serials: Sequence[Any],
        config: cfg.EventConfig,
        now: Any,
    ) -> tuple[tuple[TicketInfo, ...], tuple[ShortStock, ...]]:
        """The tickets every household gets at check-in, within each type's stock, and the
        types that ran short: the household gets what is left of those, and the desk says so
        (a household given nothing of a type that had one left lost that one for good)."""
        next_serial = {r.id: r.next_serial for r in serials}
        counts = held_by_type(held)
        wanted = {}
        for kind in config.defaults:
            due = kind.checkin_share(row.owner_adults, row.owner_kids, row.owner_seniors)
            due -= counts[kind.id]
            if due > 0 and kind.id in next_serial:
                wanted[kind.id] = due
        short = self._trim_to_stock(wanted, config, next_serial)
        tickets: list[dict[str, Any]] = []
        infos: list[TicketInfo] = []
        station = self.station.name
        for kind in config.defaults:
            count = wanted.get(kind.id, 0)
            for number in range(count):
                ticket = _new_ticket(config, kind, row.owner_id, next_serial[kind.id] + number)
                ticket.update(created_at=now, issued_at=now, issued_station=station)
                tickets.append(ticket)
                infos.append(
                    TicketInfo(
                        code=str(ticket["code"]),
                        serial=int(ticket["serial"]),
                        type_name=kind.name,
                        kind=kind.kind,
                        state=TicketState.ISSUED,
                        attendee_code=row.owner_code,
                        issued_at=now,
                        redeemed_at=None,
                        redeemed_station=None,
                        partner_text=kind.partner_text,
                    )
                )
        self.tx.write_many(
            q.SET_SERIAL,
            [{"b_id": i, "b_next": next_serial[i] + n} for i, n in wanted.items() if n],
        )
        self.tx.write_many(q.INSERT_TICKET, tickets)
        for ticket in tickets:
            kind_uid = config.type_by_id(int(ticket["type_id"])).uid
            self._seal("tickets", str(ticket["uid"]), ticket_image(ticket, kind_uid, row.owner_uid))
        return tuple(infos), short

    def _trim_to_stock(
        self, wanted: dict[int, int], config: cfg.EventConfig, next_serial: dict[int, int]
    ) -> tuple[ShortStock, ...]:
        """Cut each wanted count to its type's stock left; returns the types cut, with how
        many of how many the household gets and whether the type is now out."""
        # Every ticket ever made of a type has a serial below next_serial, so while the stock
        # covers all of those plus this household's, it surely covers this household: count
        # the held tickets only when it might not (no statement more on a scan with stock).
        unsure = [
            i
            for i, due in wanted.items()
            if (stock := config.type_by_id(i).stock) is not None
            and stock - (next_serial[i] - 1) < due
        ]
        if not unsure:
            return ()
        counts = {i: self.tx.read(q.STOCK_HELD, {"type_id": i}) for i in unsure}
        short = []
        for i, count in counts.items():
            kind = config.type_by_id(i)
            assert kind.stock is not None
            left = max(0, kind.stock - count.rows()[0].held)
            due = wanted[i]
            if left < due:
                wanted[i] = left
                short.append(ShortStock(kind.name, left, due))
        return tuple(short)

    def _person_elsewhere(
        self, row: Any, held: Sequence[Any], config: cfg.EventConfig
    ) -> ScanResult:
        """A person's own code at a resource station: one scan, one of the station's type
        handed over (one scan per member at a per-member type). Their next unused ticket is
        redeemed; a household entitled to more than it holds gets one issued and handed over
        here, unless the type keeps the rest for pre-printed stock."""
        station = self.station
        person = card(row, config, held)
        name = person.display_name
        kind = config.type_named(station.ticket_type or "")
        if station.mode is not StationMode.RESOURCE or kind is None:
            return outcome(
                self.shown,
                ScanState.NOT_VALID_HERE,
                TicketParams(name=name, why=Why.DESK_ONLY),
                attendee=person,
            )
        params = TicketParams(name=name, type=kind.name)
        if not _valid_here(kind, station):
            return outcome(
                self.shown,
                ScanState.NOT_VALID_HERE,
                dataclasses.replace(params, why=Why.STATION_LIST, where=station.name),
                attendee=person,
            )
        mine = [r for r in held if r.type_id == kind.id and r.state in HELD_STATES]
        ticket = next((r for r in mine if r.state == TicketState.ISSUED), None)
        if ticket is not None:
            info = ticket_info(ticket, config, person.code)
            return self._redeem(ticket, row.owner_uid, config, info, person)
        allowed = kind.allowance(row.owner_adults, row.owner_kids, row.owner_seniors)
        params = dataclasses.replace(params, allowed=allowed)
        if len(mine) < allowed:
            if row.checkin_id is None:
                why = Why.DESK
            elif kind.issue_at_checkin and kind.at_checkin is not None:
                # The rest of the allowance is the pre-printed stock's (won at the games).
                why = Why.STACK
            else:
                return self._issue_here(row, kind, config, person)
            return outcome(
                self.shown,
                ScanState.ENTITLED,
                dataclasses.replace(params, why=why, left=allowed - len(mine)),
                attendee=person,
            )
        if mine:
            last = max(mine, key=lambda r: r.redeemed_at or r.issued_at or utcnow())
            when, where = texts.clock(last.redeemed_at), last.redeemed_station or ""
            return outcome(
                self.shown,
                ScanState.ALREADY_REDEEMED,
                dataclasses.replace(
                    params, why=Why.ALL_USED, used=len(mine), when=when, where=where
                ),
                attendee=person,
            )
        return outcome(
            self.shown,
            ScanState.NOT_VALID_HERE,
            dataclasses.replace(params, why=Why.NOT_ENTITLED),
            attendee=person,
        )

    def _issue_here(
        self, row: Any, kind: cfg.TypeConfig, config: cfg.EventConfig, person: AttendeeInfo
    ) -> ScanResult:
        """One ticket issued to an entitled household at the station and handed over at once,
        within the type's stock. A rare path (once per household and type), so it may cost a
        few statements more: the serial and the stock, the ticket, read back for its id."""
        serial = self.tx.read(q.NEXT_SERIAL, {"type_id": kind.id})
        stock = kind.stock
        counted = self.tx.read(q.STOCK_HELD, {"type_id": kind.id}) if stock is not None else None
        next_serial = serial.rows()[0].next_serial
        if stock is not None and counted is not None and stock - counted.rows()[0].held <= 0:
            return _out_of_stock(self.shown, kind.name, person)
        now, station = utcnow(), self.station
        ticket = _new_ticket(config, kind, row.owner_id, next_serial)
        ticket.update(created_at=now, issued_at=now, issued_station=station.name)
        self.tx.write(q.SET_SERIAL, {"b_id": kind.id, "b_next": next_serial + 1})
        self.tx.write(q.INSERT_TICKET, ticket)
        self._seal("tickets", str(ticket["uid"]), ticket_image(ticket, kind.uid, row.owner_uid))
        self._audit("tickets_issued", row.owner_uid, {"type": kind.name, "codes": [ticket["code"]]})
        made = first(self.tx.read(q.TICKET, {"code": ticket["code"]}))
        assert made is not None
        info = ticket_info(made, config, person.code)
        person = dataclasses.replace(
            person,
            tickets=(*person.tickets, info),
            dues=tuple(
                dataclasses.replace(d, held=d.held + 1) if d.type_name == kind.name else d
                for d in person.dues
            ),
        )
        return self._redeem(made, row.owner_uid, config, info, person)

    # --- a ticket -------------------------------------------------------------------------

    def ticket(self, code: str, current: str | None) -> ScanResult:
        tx, station = self.tx, self.station
        snapshot = tx.read(q.TICKET, {"code": code})
        held = tx.read(q.TICKETS_OF_HOLDER, {"code": code})
        # The person on screen takes a pre-printed ticket at the desk and at a resource station.
        for_person = current if current and station.mode is not StationMode.PRIZE else None
        person = tx.read(q.PERSON, {"code": for_person}) if for_person else None
        person_held = tx.read(q.TICKETS_OF_PERSON, {"code": for_person}) if for_person else None
        at_prizes = station.mode is StationMode.PRIZE
        draw = tx.read(q.DRAW_OF_TICKET, {"code": code}) if at_prizes else None
        redrawn = tx.read(q.REDRAWN_OF_TICKET, {"code": code}) if at_prizes else None
        row = first(snapshot)
        if row is None:
            result = outcome(self.shown, ScanState.UNKNOWN, UnknownParams(what="ticket"))
            return self._logged(result)
        config = self._config(row)
        owner = card(row, config, held.rows()) if row.owner_id is not None else None
        info = ticket_info(row, config, owner.code if owner else None)
        kind = config.type_by_id(row.type_id)
        holder = (row.owner_id, row.owner_uid) if row.owner_id is not None else None
        if row.state == TicketState.VOID:
            result = _cancelled(self.shown, info, row.void_reason or "", row.voided_at)
        elif draw is not None and redrawn is not None:
            result = self._claim(first(draw), first(redrawn), info, owner)
        elif row.state == TicketState.UNASSIGNED:
            target = first(person) if person is not None else None
            resource = station.mode is StationMode.RESOURCE
            if resource and not _valid_here(kind, station):
                result = _wrong_station(self.shown, info, kind, station)
            elif target is None:
                result = _unassigned(self.shown, info)
            else:
                assert person_held is not None
                result = self._bind(row, info, kind, target, person_held.rows(), config)
                bound = result.state is ScanState.TICKET_BOUND
                holder = (target.owner_id, target.owner_uid) if bound else None
                if resource and bound:
                    # A resource station with the person on screen: theirs now, handed over.
                    assert result.ticket is not None
                    result = self._redeem(
                        row, target.owner_uid, config, result.ticket, result.attendee
                    )
        elif station.mode is StationMode.DESK:
            result = _held_by(self.shown, info, owner)
        elif not _valid_here(kind, station):
            result = _wrong_station(self.shown, info, kind, station)
        elif row.state == TicketState.REDEEMED:
            result = _already(self.shown, info, owner)
        else:
            result = self._redeem(row, row.owner_uid, config, info, owner)
        return self._logged(result, attendee=holder, ticket=(row.id, row.uid))

    def _redeem(
        self,
        row: Any,
        holder_uid: str | None,
        config: cfg.EventConfig,
        info: TicketInfo,
        owner: AttendeeInfo | None,
    ) -> ScanResult:
        """Exactly once, even with two stations scanning the same ticket at the same moment:
        the conditional UPDATE lets only one transaction move it from issued to redeemed."""
        now, station = utcnow(), self.station
        won = self.tx.changed(q.REDEEM, {"b_id": row.id, "b_at": now, "b_station": station.name})
        if won != 1:  # another station's redemption won: show theirs
            return self._lost(info.code, owner)
        self._audit("ticket_redeemed", row.uid, {"code": info.code})
        issued = self.rows.get("tickets", {}).get(row.uid)  # bound by this scan a moment ago
        given = {"issued_at": info.issued_at, "issued_station": station.name} if issued else {}
        self._ticket(
            row,
            holder_uid,
            config,
            state=TicketState.REDEEMED,
            redeemed_at=now,
            redeemed_station=station.name,
            **given,
        )
        info = dataclasses.replace(
            info, state=TicketState.REDEEMED, redeemed_at=now, redeemed_station=station.name
        )
        params = TicketParams(type=info.type_name, serial=info.serial)
        if owner is not None:
            # The card after this one: what the household has left of the type, so that at a
            # per-member station the volunteer sees the count go down scan by scan.
            owner = dataclasses.replace(
                owner,
                tickets=tuple(info if t.code == info.code else t for t in owner.tickets),
                dues=tuple(
                    dataclasses.replace(d, used=d.used + 1) if d.type_name == info.type_name else d
                    for d in owner.dues
                ),
            )
            due = next((d for d in owner.dues if d.type_name == info.type_name), None)
            params = dataclasses.replace(params, name=owner.display_name)
            if due is not None:
                left, allowed = due.left, max(due.allowed, due.held)
                params = dataclasses.replace(params, left=left, allowed=allowed)
        return outcome(self.shown, ScanState.REDEEMED, params, ticket=info, attendee=owner)

    def _bind(
        self,
        row: Any,
        info: TicketInfo,
        kind: cfg.TypeConfig,
        target: Any,
        target_held: Sequence[Any],
        config: cfg.EventConfig,
    ) -> ScanResult:
        """Give a pre-printed ticket to the person on screen, within the household's allowance
        and the type's stock."""
        person = card(target, config, target_held)
        name, label = person.display_name, kind.name
        params = TicketParams(type=label, serial=info.serial, name=name)
        allowed = kind.allowance(target.owner_adults, target.owner_kids, target.owner_seniors)
        if held_by_type(target_held)[kind.id] >= allowed:
            # The refusal names the setting to change: a type whose whole allowance comes at
            # check-in leaves nothing for pre-printed stock.
            all_at_door = kind.issue_at_checkin and kind.at_checkin is None
            return outcome(
                self.shown,
                ScanState.LIMIT_REACHED,
                dataclasses.replace(params, allowed=allowed, at_checkin=all_at_door),
                ticket=info,
                attendee=person,
            )
        if kind.stock is not None:
            counted = self.tx.read(q.STOCK_HELD, {"type_id": kind.id}).rows()[0].held
            if kind.stock - counted <= 0:
                return dataclasses.replace(
                    _out_of_stock(self.shown, label, person), ticket=info, params=params
                )
        now, station = utcnow(), self.station
        won = self.tx.changed(
            q.BIND,
            {"b_id": row.id, "b_attendee": target.owner_id, "b_at": now, "b_station": station.name},
        )
        if won != 1:  # another desk gave it out at the same moment
            return self._lost(info.code, None)
        self._audit("ticket_bound", row.uid, {"code": info.code, "attendee": target.owner_code})
        self._ticket(
            row,
            target.owner_uid,
            config,
            state=TicketState.ISSUED,
            issued_at=now,
            issued_station=station.name,
        )
        bound = dataclasses.replace(
            info, state=TicketState.ISSUED, attendee_code=person.code, issued_at=now
        )
        person = card(target, config, target_held, new=(bound,))
        return outcome(self.shown, ScanState.TICKET_BOUND, params, ticket=bound, attendee=person)

    def _lost(self, code: str, owner: AttendeeInfo | None) -> ScanResult:
        """The answer when a conditional update found the ticket moved on: what it is now."""
        row = first(self.tx.read(q.TICKET, {"code": code}))
        assert row is not None
        config = self.engine._current_config(self.tx, row.config_rev)
        now_owner = card(row, config) if row.owner_id is not None else owner
        info = ticket_info(row, config, now_owner.code if now_owner else None)
        if row.state == TicketState.REDEEMED:
            return _already(self.shown, info, now_owner)
        if row.state == TicketState.ISSUED and now_owner is not None:
            return _held_by(self.shown, info, now_owner)
        return _cancelled(self.shown, info, row.void_reason or "", row.voided_at)

    def _claim(
        self, draw: Any | None, redrawn: Any | None, info: TicketInfo, owner: AttendeeInfo | None
    ) -> ScanResult:
        """Exactly once: the conditional UPDATE moves the draw from drawn to claimed."""
        if draw is None:
            state, params = claims.not_a_winner(info, redrawn)
        else:
            params = claims.claim_params(draw, info)
            now, station = utcnow(), self.station
            won = draw.state == DrawState.DRAWN and self.tx.changed(
                q.CLAIM, {"b_id": draw.id, "b_at": now, "b_station": station.name}
            )
            if won:
                detail = {"prize": params.prize, "ticket": info.code, "serial": info.serial}
                self._audit("prize_claimed", draw.uid, detail)
                image = first(self.tx.read(q.DRAW_IMAGE, {"draw_id": draw.id}))
                assert image is not None
                self._seal("draws", draw.uid, [record_value(v) for v in image[1:]])
                state = ScanState.PRIZE_CLAIMED
            else:
                state, params = claims.already_claimed(draw, params)
        return outcome(self.shown, state, params, ticket=info, attendee=owner)

    # --- a flyer --------------------------------------------------------------------------

    def flyer(self, code: str, current: str | None) -> ScanResult:
        tx = self.tx
        campaign_rows = tx.read(q.CAMPAIGN, {"code": code})
        person = tx.read(q.PERSON, {"code": current}) if current else None
        held = tx.read(q.TICKETS_OF_PERSON, {"code": current}) if current else None
        campaign = first(campaign_rows)
        if campaign is None:
            unknown = UnknownParams(what="flyer")
            return self._logged(outcome(self.shown, ScanState.UNKNOWN, unknown))
        row = first(person) if person is not None else None
        if row is None:
            params = FlyerParams(campaign=campaign.name)
            return self._logged(outcome(self.shown, ScanState.FLYER, params))
        assert held is not None
        config = self._config(row)
        heard = texts.heard_label(campaign.name)
        tx.write(
            q.SET_CAMPAIGN, {"b_id": row.owner_id, "b_campaign": campaign.id, "b_heard": heard}
        )
        self._audit("campaign_recorded", row.owner_uid, {"campaign": campaign.name})
        person_card = dataclasses.replace(card(row, config, held.rows()), heard_about=heard)
        result = outcome(
            self.shown,
            ScanState.CAMPAIGN_RECORDED,
            FlyerParams(campaign=campaign.name, name=person_card.display_name),
            attendee=person_card,
        )
        return self._logged(result, attendee=(row.owner_id, row.owner_uid))


SCANNED = "scan"  # the audit action of a scan that changed nothing but the scan log


def _write_entries(
    tx: ScanTx,
    chain: str | None,
    station: Station,
    entries: Sequence[tuple[str, str, dict[str, Any]]],
    rows: dict[str, dict[str, Image]],
) -> None:
    """A scan's audit entries, chained on the head read with the snapshot (or read now); the
    last one carries the images of every row the scan wrote, its scan-log row included."""
    if chain is None:
        head = first(tx.read(q.HEAD))
        chain = head.hash if head is not None else audit.GENESIS
    for number, (action, subject, detail) in enumerate(entries, start=1):
        values = audit.entry_values(
            chain,
            action,
            station=station.name,
            volunteer=station.volunteer,
            subject=subject,
            detail={**detail, audit.ROWS: rows} if number == len(entries) else detail,
        )
        chain = values["hash"]
        tx.write(q.INSERT_AUDIT, values)


def log_repeat(tx: ScanTx, result: ScanResult, station: Station) -> None:
    """A scanner's second trigger: logged alone, naming the household and ticket of the scan
    it repeats (scans.csv lists its household), read by their codes with the chain's head."""
    person = result.attendee.code if result.attendee is not None else ""
    ticket = result.ticket.code if result.ticket is not None else ""
    keys = first(
        tx.read(
            q.REPEAT_KEYS,
            {"person_a": person, "person_b": person, "ticket_a": ticket, "ticket_b": ticket},
        )
    )
    assert keys is not None  # a select of subqueries: always one row
    log_alone(
        tx,
        result,
        station,
        attendee=(keys.person_id, keys.person_uid) if keys.person_id is not None else None,
        ticket=(keys.ticket_id, keys.ticket_uid) if keys.ticket_id is not None else None,
        chain=keys.head or audit.GENESIS,
    )


def log_alone(
    tx: ScanTx,
    result: ScanResult,
    station: Station,
    *,
    attendee: tuple[int, str] | None = None,
    ticket: tuple[int, str] | None = None,
    chain: str | None = None,
) -> None:
    """A scan answered before any snapshot (garbage, another event's code, a repeat): its log
    row, sealed in an entry of its own so that removing it shows."""
    row = scan_row(
        result,
        station,
        attendee_id=attendee[0] if attendee else None,
        ticket_id=ticket[0] if ticket else None,
    )
    uid = str(row["uid"])
    image = scan_image(row, attendee[1] if attendee else None, ticket[1] if ticket else None)
    rows = {"scans": {uid: image}}
    _write_entries(tx, chain, station, [(SCANNED, uid, {"state": result.state.value})], rows)
    tx.write(q.INSERT_SCAN, row)


def _new_ticket(
    config: cfg.EventConfig, kind: cfg.TypeConfig, attendee_id: int, serial: int
) -> dict[str, Any]:
    """A new ticket's row, issued to a household (the caller sets when and where)."""
    return {
        "uid": new_uid(),
        "code": codes.make_code(codes.CodeKind.TICKET, config.tag, config.key).value,
        "serial": serial,
        "type_id": kind.id,
        "attendee_id": attendee_id,
        "state": TicketState.ISSUED,
        "created_at": None,
        "issued_at": None,
        "issued_station": "",
        "redeemed_at": None,
        "redeemed_station": "",
        "voided_at": None,
        "void_reason": "",
        "sheet": None,
        "from_paper": False,
    }


def _valid_here(kind: cfg.TypeConfig, station: Station) -> bool:
    """A resource ticket at a station that gives out its type and is on the type's list."""
    return (
        kind.kind == TicketKind.RESOURCE
        and (not station.ticket_type or station.ticket_type == kind.name)
        and (not kind.stations or station.name in kind.stations)
    )


def _held_by(shown: str, ticket: TicketInfo, owner: AttendeeInfo | None) -> ScanResult:
    """Someone's ticket, scanned where it is not redeemed: the banner names its holder."""
    name = owner.display_name if owner else "?"
    params = TicketParams(type=ticket.type_name, serial=ticket.serial, name=name, why=Why.HOLDER)
    return outcome(shown, ScanState.NOT_VALID_HERE, params, ticket=ticket, attendee=owner)


def _out_of_stock(shown: str, type_name: str, person: AttendeeInfo | None) -> ScanResult:
    name = person.display_name if person else ""
    params = TicketParams(type=type_name, name=name)
    return outcome(shown, ScanState.OUT_OF_STOCK, params, attendee=person)


def _cancelled(
    shown: str, ticket: TicketInfo, reason: str, voided_at: datetime | None
) -> ScanResult:
    """A voided ticket: with the organiser's reason (lost, stolen...) and when; without one, a
    ticket an undone check-in cancelled."""
    when = texts.clock(voided_at) if reason and voided_at is not None else ""
    params = TicketParams(type=ticket.type_name, serial=ticket.serial, reason=reason, when=when)
    return outcome(shown, ScanState.VOID, params, ticket=ticket)


def _wrong_station(
    shown: str, info: TicketInfo, kind: cfg.TypeConfig, station: Station
) -> ScanResult:
    where = station.ticket_type or station.name
    params = TicketParams(type=kind.name, serial=info.serial, station_type=where)
    return outcome(shown, ScanState.NOT_VALID_HERE, params, ticket=info)


def _unassigned(shown: str, ticket: TicketInfo) -> ScanResult:
    params = TicketParams(type=ticket.type_name, serial=ticket.serial)
    return outcome(shown, ScanState.UNASSIGNED, params, ticket=ticket)


def _already(shown: str, ticket: TicketInfo, owner: AttendeeInfo | None) -> ScanResult:
    when, where = texts.clock(ticket.redeemed_at), ticket.redeemed_station or ""
    params = TicketParams(
        type=ticket.type_name,
        serial=ticket.serial,
        when=when,
        where=where,
        name=owner.display_name if owner else "",
    )
    return outcome(shown, ScanState.ALREADY_REDEEMED, params, ticket=ticket, attendee=owner)


def _not_saved(raw: str, exc: Exception) -> ScanResult:
    """The answer when the transaction failed: nothing of the scan counted."""
    first_line = (str(exc).splitlines() or [""])[0]
    if not is_storage_error(exc):
        # A bug, not the disk or the server: the volunteer scans again, the organiser finds
        # the traceback in the log file (checkin/logfile.py).
        log.error("scan failed with an internal error", exc_info=True)
        params = NotSavedParams(failure="internal", error=first_line)
        return outcome(printable(raw), ScanState.NOT_SAVED, params)
    # The answer below is the one line a person needs (the CLI prints no traceback);
    # CHECKIN_DEBUG=1 shows it.
    log.debug("scan not saved", exc_info=True)
    failure = failure_of(exc)
    reason = (
        describe(exc)
        if failure is not Failure.OTHER
        else "the event file could not be written. Scan again"
    )
    params = NotSavedParams(failure=failure.value, error=first_line, detail=reason)
    return outcome(printable(raw), ScanState.NOT_SAVED, params)
