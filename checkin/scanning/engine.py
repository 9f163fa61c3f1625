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
from typing import Any

from checkin import audit, codes
from checkin.errors import Failure, describe, failure_of, is_storage_error
from checkin.record.images import TICKET_FIELDS, Image, scan_image, ticket_image
from checkin.record.images import value as record_value
from checkin.results import (
    AttendeeInfo,
    ScanResult,
    ScanState,
    Station,
    StationMode,
    TicketInfo,
)
from checkin.scanning import claims, texts
from checkin.scanning import config as cfg
from checkin.scanning import statements as q
from checkin.scanning.cards import card, held_by_type, ticket_info
from checkin.scanning.scan_log import printable, scan_row
from checkin.scanning.tx import CoreTx, ScanTx, first
from checkin.store import Database, unsaved
from checkin.store.models import new_uid, utcnow

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 2.0
MAX_INPUT = 200
_TERMINATORS = "\r\n\t"

PARSE_MESSAGES = {
    codes.ParseError.NOT_A_CODE: "Not a code of this app",
    codes.ParseError.TYPO: "That code has a typo: check the characters and type it again",
    codes.ParseError.WRONG_EVENT: "This code belongs to a different event",
    codes.ParseError.FORGED: "This code is not genuine: it was not made by this event",
}
INTERNAL = "Internal error: this scan was NOT saved. Scan again; if it repeats, tell the organiser."


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
        key = (station.name, codes.normalize(text) or text, current or "")
        now = self._clock()
        with self._lock:
            self._forget_before(now - self._debounce)
            cached = self._recent.get(key)
        if cached is not None and cached[0] > now - self._debounce:
            repeat = dataclasses.replace(cached[1], input=printable(text), repeat=True)
            self._db.scan_write(lambda tx: log_alone(tx, repeat, station))
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
        if not text:
            return self._reject(shown, station, ScanState.NOT_A_CODE, "Nothing was scanned")
        if len(text) > MAX_INPUT or not text.isprintable():
            return self._reject(
                shown, station, ScanState.NOT_A_CODE, PARSE_MESSAGES[codes.ParseError.NOT_A_CODE]
            )
        config = self._known_config()
        parsed = codes.parse(text, config.tag, config.key)
        if isinstance(parsed, codes.ParseError):
            return self._reject(shown, station, ScanState(parsed.value), PARSE_MESSAGES[parsed])
        return self._db.scan_write(lambda tx: self._apply(tx, shown, parsed, station, current))

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

    def _reject(self, shown: str, station: Station, state: ScanState, message: str) -> ScanResult:
        result = ScanResult(shown, state, message)
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
        if row is None:
            unknown = "This person is not in this event file"
            return self._logged(ScanResult(self.shown, ScanState.UNKNOWN, unknown))
        config = self._config(row)
        held_rows = held.rows()
        if at_desk:
            assert serials is not None
            result = self._check_in(row, held_rows, serials.rows(), config)
        else:
            result = self._person_elsewhere(row, held_rows, config)
        return self._logged(result, attendee=(row.owner_id, row.owner_uid))

    def _check_in(
        self, row: Any, held: Sequence[Any], serials: Sequence[Any], config: cfg.EventConfig
    ) -> ScanResult:
        if row.checkin_id is not None:
            person = card(row, config, held)
            assert person.checked_in_at is not None
            when, where = texts.clock(person.checked_in_at), row.checkin_station or ""
            return ScanResult(
                self.shown,
                ScanState.ALREADY_CHECKED_IN,
                f"{person.display_name} was already checked in at {when}"
                + (f" at {where}" if where else ""),
                attendee=person,
                params={"name": person.display_name, "when": when, "where": where},
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
        issued = self._issue_defaults(row, held, serials, config, now)
        self._audit(
            "checked_in",
            checkin_uid,
            {"attendee": row.owner_code, "tickets": [t.code for t in issued]},
        )
        person = card(row, config, held, new=issued, checked_in=(now, station.name))
        name = person.display_name
        message = f"Welcome, {name}: checked in"
        if issued:
            message += f" ({len(issued)} tickets issued)"
        return ScanResult(
            self.shown,
            ScanState.CHECKED_IN,
            message,
            attendee=person,
            params={"name": name, "tickets": len(issued)},
            issued=issued,
        )

    def _issue_defaults(
        self,
        row: Any,
        held: Sequence[Any],
        serials: Sequence[Any],
        config: cfg.EventConfig,
        now: Any,
    ) -> tuple[TicketInfo, ...]:
        """The tickets every household gets at check-in, within each type's stock; a type
        that is short gets none (the desk sees what is still due on the card)."""
        next_serial = {r.id: r.next_serial for r in serials}
        counts = held_by_type(held)
        wanted = {}
        for kind in config.defaults:
            due = kind.checkin_share(row.owner_adults, row.owner_kids, row.owner_seniors)
            due -= counts[kind.id]
            if due > 0 and kind.id in next_serial:
                wanted[kind.id] = due
        self._drop_short_stock(wanted, config, next_serial)
        tickets: list[dict[str, Any]] = []
        infos: list[TicketInfo] = []
        station = self.station.name
        for kind in config.defaults:
            count = wanted.get(kind.id, 0)
            for number in range(count):
                value = codes.make_code(codes.CodeKind.TICKET, config.tag, config.key).value
                serial = next_serial[kind.id] + number
                tickets.append(
                    {
                        "uid": new_uid(),
                        "code": value,
                        "serial": serial,
                        "type_id": kind.id,
                        "attendee_id": row.owner_id,
                        "state": "issued",
                        "created_at": now,
                        "issued_at": now,
                        "issued_station": station,
                        "redeemed_at": None,
                        "redeemed_station": "",
                        "voided_at": None,
                        "from_paper": False,
                    }
                )
                infos.append(
                    TicketInfo(
                        code=value,
                        serial=serial,
                        type_name=kind.name,
                        kind=kind.kind,
                        state="issued",
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
        return tuple(infos)

    def _drop_short_stock(
        self, wanted: dict[int, int], config: cfg.EventConfig, next_serial: dict[int, int]
    ) -> None:
        # Every ticket ever made of a type has a serial below next_serial, so while the stock
        # covers all of those plus this household's, it surely covers this household: count
        # the held tickets only when it might not.
        unsure = [
            i
            for i, due in wanted.items()
            if (stock := config.type_by_id(i).stock) is not None
            and stock - (next_serial[i] - 1) < due
        ]
        if not unsure:
            return
        counts = {i: self.tx.read(q.STOCK_HELD, {"type_id": i}) for i in unsure}
        for i, count in counts.items():
            stock = config.type_by_id(i).stock
            assert stock is not None
            if stock - count.rows()[0].held < wanted[i]:
                del wanted[i]

    def _person_elsewhere(
        self, row: Any, held: Sequence[Any], config: cfg.EventConfig
    ) -> ScanResult:
        """A person's own code at a resource station redeems one of their tickets for it."""
        station = self.station
        person = card(row, config, held)
        name = person.display_name
        if station.mode is StationMode.RESOURCE and station.ticket_type:
            mine = [
                r
                for r in held
                if config.type_by_id(r.type_id).name == station.ticket_type
                and r.state in q.HELD_STATES
                and _valid_here(config.type_by_id(r.type_id), station)
            ]
            ticket = next((r for r in mine if r.state == "issued"), None)
            if ticket is not None:
                info = ticket_info(ticket, config, person.code)
                return self._redeem(ticket, row.owner_uid, config, info, person)
            if mine:
                last = max(mine, key=lambda r: r.redeemed_at or r.issued_at or utcnow())
                return _already(self.shown, ticket_info(last, config, person.code), person)
            return ScanResult(
                self.shown,
                ScanState.NOT_VALID_HERE,
                f"{name} has no {station.ticket_type} ticket",
                attendee=person,
                params={"name": name, "type": station.ticket_type, "why": "no_ticket"},
            )
        return ScanResult(
            self.shown,
            ScanState.NOT_VALID_HERE,
            f"{name}: check-in happens at the desk",
            attendee=person,
            params={"name": name, "why": "desk_only"},
        )

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
            result = ScanResult(
                self.shown, ScanState.UNKNOWN, "This ticket is not in this event file"
            )
            return self._logged(result)
        config = self._config(row)
        owner = card(row, config, held.rows()) if row.owner_id is not None else None
        info = ticket_info(row, config, owner.code if owner else None)
        kind = config.type_by_id(row.type_id)
        holder = (row.owner_id, row.owner_uid) if row.owner_id is not None else None
        if row.state == "void":
            result = _cancelled(self.shown, info)
        elif draw is not None and redrawn is not None:
            result = self._claim(first(draw), first(redrawn), info, owner)
        elif row.state == "unassigned":
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
        elif row.state == "redeemed":
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
            state="redeemed",
            redeemed_at=now,
            redeemed_station=station.name,
            **given,
        )
        info = dataclasses.replace(
            info, state="redeemed", redeemed_at=now, redeemed_station=station.name
        )
        if owner is not None:
            owner = dataclasses.replace(
                owner, tickets=tuple(info if t.code == info.code else t for t in owner.tickets)
            )
        name = owner.display_name if owner else ""
        return ScanResult(
            self.shown,
            ScanState.REDEEMED,
            f"{info.type_name}: hand it over" + (f" to {name}" if name else ""),
            ticket=info,
            attendee=owner,
            params={"type": info.type_name, "serial": info.serial, "name": name},
        )

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
        params: dict[str, object] = {"type": label, "serial": info.serial, "name": name}
        allowed = kind.allowance(target.owner_adults, target.owner_kids, target.owner_seniors)
        if held_by_type(target_held)[kind.id] >= allowed:
            # The refusal names the setting to change: a type whose whole allowance comes at
            # check-in leaves nothing for pre-printed stock.
            all_at_door = kind.issue_at_checkin and kind.at_checkin is None
            message = f"{name} already has all the {label} tickets they get" + (
                f" (all {allowed} at check-in): to hand out pre-printed {label} tickets too, "
                f"raise the Quantity of {label} in Setup > Ticket types and set At check-in "
                "below it"
                if all_at_door
                else f": raise the Quantity of {label} in Setup > Ticket types to give more"
            )
            params.update(allowed=allowed, at_checkin=all_at_door)
            return ScanResult(
                self.shown,
                ScanState.LIMIT_REACHED,
                message,
                ticket=info,
                attendee=person,
                params=params,
            )
        if kind.stock is not None:
            counted = self.tx.read(q.STOCK_HELD, {"type_id": kind.id}).rows()[0].held
            if kind.stock - counted <= 0:
                return ScanResult(
                    self.shown,
                    ScanState.OUT_OF_STOCK,
                    f"No {label} left in stock",
                    ticket=info,
                    attendee=person,
                    params=params,
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
            state="issued",
            issued_at=now,
            issued_station=station.name,
        )
        bound = dataclasses.replace(info, state="issued", attendee_code=person.code, issued_at=now)
        person = card(target, config, target_held, new=(bound,))
        return ScanResult(
            self.shown,
            ScanState.TICKET_BOUND,
            f"{label} ticket No. {info.serial} given to {name}",
            ticket=bound,
            attendee=person,
            params=params,
        )

    def _lost(self, code: str, owner: AttendeeInfo | None) -> ScanResult:
        """The answer when a conditional update found the ticket moved on: what it is now."""
        row = first(self.tx.read(q.TICKET, {"code": code}))
        assert row is not None
        config = self.engine._current_config(self.tx, row.config_rev)
        now_owner = card(row, config) if row.owner_id is not None else owner
        info = ticket_info(row, config, now_owner.code if now_owner else None)
        if row.state == "redeemed":
            return _already(self.shown, info, now_owner)
        if row.state == "issued" and now_owner is not None:
            return _held_by(self.shown, info, now_owner)
        return _cancelled(self.shown, info)

    def _claim(
        self, draw: Any | None, redrawn: Any | None, info: TicketInfo, owner: AttendeeInfo | None
    ) -> ScanResult:
        """Exactly once: the conditional UPDATE moves the draw from drawn to claimed."""
        if draw is None:
            state, message, extra = claims.not_a_winner(info, redrawn)
        else:
            extra = claims.claim_params(draw, info)
            now, station = utcnow(), self.station
            won = draw.state == "drawn" and self.tx.changed(
                q.CLAIM, {"b_id": draw.id, "b_at": now, "b_station": station.name}
            )
            if won:
                prize = extra["prize"]
                detail = {"prize": prize, "ticket": info.code, "serial": info.serial}
                self._audit("prize_claimed", draw.uid, detail)
                image = first(self.tx.read(q.DRAW_IMAGE, {"draw_id": draw.id}))
                assert image is not None
                self._seal("draws", draw.uid, [record_value(v) for v in image[1:]])
                state, message = ScanState.PRIZE_CLAIMED, f"Winner! Hand over: {prize}"
            else:
                state, message, extra = claims.already_claimed(draw, extra)
        params = {"type": info.type_name, "serial": info.serial, **extra}
        return ScanResult(self.shown, state, message, ticket=info, attendee=owner, params=params)

    # --- a flyer --------------------------------------------------------------------------

    def flyer(self, code: str, current: str | None) -> ScanResult:
        tx = self.tx
        campaign_rows = tx.read(q.CAMPAIGN, {"code": code})
        person = tx.read(q.PERSON, {"code": current}) if current else None
        held = tx.read(q.TICKETS_OF_PERSON, {"code": current}) if current else None
        campaign = first(campaign_rows)
        if campaign is None:
            unknown = "This flyer is not in this event file"
            return self._logged(ScanResult(self.shown, ScanState.UNKNOWN, unknown))
        params = {"campaign": campaign.name}
        row = first(person) if person is not None else None
        if row is None:
            return self._logged(
                ScanResult(
                    self.shown,
                    ScanState.FLYER,
                    f"Flyer '{campaign.name}': register the person as a walk-up, "
                    "or scan their code first",
                    params=params,
                )
            )
        assert held is not None
        config = self._config(row)
        heard = texts.heard_label(campaign.name)
        tx.write(
            q.SET_CAMPAIGN, {"b_id": row.owner_id, "b_campaign": campaign.id, "b_heard": heard}
        )
        self._audit("campaign_recorded", row.owner_uid, {"campaign": campaign.name})
        person_card = dataclasses.replace(card(row, config, held.rows()), heard_about=heard)
        result = ScanResult(
            self.shown,
            ScanState.CAMPAIGN_RECORDED,
            f"{person_card.display_name} heard about us from the flyer '{campaign.name}'",
            attendee=person_card,
            params=params,
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


def log_alone(tx: ScanTx, result: ScanResult, station: Station) -> None:
    """A scan answered before any snapshot (garbage, another event's code, a repeat): its log
    row, sealed in an entry of its own so that removing it shows."""
    row = scan_row(result, station)
    uid = str(row["uid"])
    rows = {"scans": {uid: scan_image(row, None, None)}}
    _write_entries(tx, None, station, [(SCANNED, uid, {"state": result.state.value})], rows)
    tx.write(q.INSERT_SCAN, row)


def _valid_here(kind: cfg.TypeConfig, station: Station) -> bool:
    """A resource ticket at a station that gives out its type and is on the type's list."""
    return (
        kind.kind == "resource"
        and (not station.ticket_type or station.ticket_type == kind.name)
        and (not kind.stations or station.name in kind.stations)
    )


def _held_by(shown: str, ticket: TicketInfo, owner: AttendeeInfo | None) -> ScanResult:
    """Someone's ticket, scanned where it is not redeemed: the banner names its holder."""
    name = owner.display_name if owner else "?"
    return ScanResult(
        shown,
        ScanState.NOT_VALID_HERE,
        texts.belongs_to(ticket.type_name, ticket.serial, name),
        ticket=ticket,
        attendee=owner,
        params={"type": ticket.type_name, "serial": ticket.serial, "name": name, "why": "holder"},
    )


def _cancelled(shown: str, ticket: TicketInfo) -> ScanResult:
    params = {"type": ticket.type_name, "serial": ticket.serial}
    message = f"This {ticket.type_name} ticket was cancelled"
    return ScanResult(shown, ScanState.VOID, message, ticket=ticket, params=params)


def _wrong_station(
    shown: str, info: TicketInfo, kind: cfg.TypeConfig, station: Station
) -> ScanResult:
    where = station.ticket_type or station.name
    return ScanResult(
        shown,
        ScanState.NOT_VALID_HERE,
        f"This is a {kind.name} ticket; this station gives out {where}",
        ticket=info,
        params={"type": kind.name, "serial": info.serial, "station_type": where},
    )


def _unassigned(shown: str, ticket: TicketInfo) -> ScanResult:
    return ScanResult(
        shown,
        ScanState.UNASSIGNED,
        f"{ticket.type_name} ticket No. {ticket.serial} is not given to anyone yet: "
        "at the desk, scan or pick the person first, then this ticket",
        ticket=ticket,
        params={"type": ticket.type_name, "serial": ticket.serial},
    )


def _already(shown: str, ticket: TicketInfo, owner: AttendeeInfo | None) -> ScanResult:
    when, where = texts.clock(ticket.redeemed_at), ticket.redeemed_station or ""
    return ScanResult(
        shown,
        ScanState.ALREADY_REDEEMED,
        f"{ticket.type_name} ticket No. {ticket.serial} was already used at {when}"
        + (f" at {where}" if where else ""),
        ticket=ticket,
        attendee=owner,
        params={
            "type": ticket.type_name,
            "serial": ticket.serial,
            "when": when,
            "where": where,
            "name": owner.display_name if owner else "",
        },
    )


def _not_saved(raw: str, exc: Exception) -> ScanResult:
    """The answer when the transaction failed: nothing of the scan counted."""
    first_line = (str(exc).splitlines() or [""])[0]
    if not is_storage_error(exc):
        # A bug, not the disk or the server: the volunteer scans again, the organiser finds
        # the traceback in the log file (checkin/logfile.py).
        log.error("scan failed with an internal error", exc_info=True)
        return ScanResult(
            printable(raw),
            ScanState.NOT_SAVED,
            INTERNAL,
            params={"error": first_line, "failure": "internal"},
        )
    # The answer below is the one line a person needs (the CLI prints no traceback);
    # CHECKIN_DEBUG=1 shows it.
    log.debug("scan not saved", exc_info=True)
    failure = failure_of(exc)
    reason = (
        describe(exc)
        if failure is not Failure.OTHER
        else "the event file could not be written. Scan again"
    )
    return ScanResult(
        printable(raw),
        ScanState.NOT_SAVED,
        f"NOT saved: {reason}.",
        params={"error": first_line, "failure": failure.value},
    )
