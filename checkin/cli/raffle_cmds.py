"""Raffle commands: draw, redraw, raffle-log, prize (add/list/remove) and raffle-rules."""

from __future__ import annotations

import argparse
import functools
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from checkin import raffle
from checkin.cli import CliError
from checkin.cli.core_cmds import common, open_existing
from checkin.cli.passphrase import locked
from checkin.raffle import DrawRecord, DrawResult, DrawState, RaffleError, RaffleRules, WinLimit
from checkin.raffle.pool import ONE_WIN_PER
from checkin.timefmt import iso_local

Handler = Callable[[argparse.Namespace], int]


def _refusals(handler: Handler) -> Handler:
    """A refused raffle request (duplicate prize, bad rule...) is one line and exit 1."""

    @functools.wraps(handler)
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except RaffleError as exc:
            raise CliError(str(exc)) from exc

    return wrapped


def register(subparsers: Any) -> None:
    p = common(subparsers.add_parser("draw", help="draw the next raffle winner"))
    p.add_argument("--prize", help="prize name (default: the next undrawn prize by order)")
    p.add_argument("--witness", default="", help="a number called out by someone in the crowd")
    p.add_argument("--station", default="cli")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=_refusals(cmd_draw))
    locked(p, caller_pin=True)

    p = common(subparsers.add_parser("redraw", help="redraw a prize nobody came for"))
    p.add_argument("--prize", required=True, help="prize name, or a draw's id from raffle-log")
    p.add_argument(
        "--after-minutes",
        type=_minutes,
        help="how long the winner had to come (default: the event's rule, 10)",
    )
    p.add_argument("--witness", default="")
    p.add_argument("--station", default="cli")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_refusals(cmd_redraw))
    locked(p, caller_pin=True)

    p = common(subparsers.add_parser("raffle-log", help="every draw, to show how it was done"))
    p.add_argument("--json", action="store_true", help="one JSON object a line")
    p.add_argument("--pools", action="store_true", help="include each draw's pool of codes")
    p.set_defaults(handler=_refusals(cmd_log))

    prize = subparsers.add_parser("prize", help="raffle prizes: add, list, remove")
    actions = prize.add_subparsers(dest="prize_command", metavar="ACTION", required=True)
    p = common(actions.add_parser("add", help="add a prize (drawn after the existing ones)"))
    p.add_argument("--name", required=True)
    p.add_argument("--quantity", type=_quantity, default=1)
    p.add_argument("--sponsor", default="")
    p.set_defaults(handler=_refusals(cmd_prize_add))
    locked(p, caller_pin=True)
    p = common(actions.add_parser("list", help="prizes in the order of drawing"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_refusals(cmd_prize_list))
    locked(p, caller_pin=True)
    p = common(actions.add_parser("remove", help="remove a prize nobody has won"))
    p.add_argument("--name", required=True)
    p.set_defaults(handler=_refusals(cmd_prize_remove))
    locked(p, caller_pin=True)

    p = common(subparsers.add_parser("raffle-rules", help="show or change the raffle rules"))
    p.add_argument("--checked-in-only", choices=("yes", "no"))
    p.add_argument("--one-win-per", choices=ONE_WIN_PER)
    p.add_argument(
        "--cutoff",
        type=_cutoff,
        help="tickets issued after this local time are out: HH:MM, YYYY-MM-DDTHH:MM or none",
    )
    p.add_argument("--redraw-after", type=_minutes, metavar="MINUTES")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_refusals(cmd_rules))
    locked(p, caller_pin=True)


def _int_between(text: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
    return value


def _minutes(text: str) -> int:
    return _int_between(text, 0, 1440)


def _quantity(text: str) -> int:
    return _int_between(text, 1, 1000)


_NO_CUTOFF = datetime.min


def _cutoff(text: str) -> datetime:
    """Local wall-clock time in, naive UTC out (datetime.min stands for "no cut-off")."""
    if text.strip().lower() in ("none", "off", ""):
        return _NO_CUTOFF
    try:
        if len(text.strip()) <= 5 and ":" in text:
            hour, minute = (int(part) for part in text.strip().split(":"))
            moment = (
                datetime.now()
                .astimezone()
                .replace(hour=hour, minute=minute, second=0, microsecond=0)
            )
        else:
            moment = datetime.fromisoformat(text.strip())
            if moment.tzinfo is None:
                moment = moment.astimezone()
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a time (HH:MM or YYYY-MM-DDTHH:MM): {text}"
        ) from None
    return moment.astimezone(UTC).replace(tzinfo=None)


def _short(value: str, length: int = 16) -> str:
    return value[:length] + "…" if len(value) > length else value


def _print_result(result: DrawResult, as_json: bool) -> int:
    if not result.ok or result.record is None:
        raise CliError(result.message)
    record = result.record
    if as_json:
        print(json.dumps(record.as_json(), ensure_ascii=False))
        return 0
    sponsor = f" (sponsor: {record.sponsor})" if record.sponsor else ""
    print(f"{record.prize}{sponsor}: ticket No. {record.serial} wins")
    print(f"  ticket     {record.ticket}   attendee {record.attendee}")
    print(f"  pool       {record.pool_size} tickets, hash {record.pool_hash}")
    print(f"  commitment {record.seed_commitment}")
    print(f"  seed       {record.seed}")
    if record.witness:
        print(f"  witness    {record.witness}")
    print(f"  random     {record.random_value}")
    return 0


def cmd_draw(args: argparse.Namespace) -> int:
    db = open_existing(args)
    result = raffle.draw(db, args.prize, args.witness, station=args.station)
    return _print_result(result, args.json)


def cmd_redraw(args: argparse.Namespace) -> int:
    db = open_existing(args)
    result = raffle.redraw(
        db,
        args.prize,
        args.witness,
        after_minutes=args.after_minutes,
        station=args.station,
    )
    return _print_result(result, args.json)


def _state_line(record: DrawRecord) -> str:
    if record.state == DrawState.CLAIMED:
        return f"claimed {iso_local(record.claimed_at)} at {record.claimed_station or '?'}"
    if record.state == DrawState.REDRAWN:
        return f"redrawn {iso_local(record.redrawn_at)} (nobody came)"
    return "waiting for the winner"


def cmd_log(args: argparse.Namespace) -> int:
    db = open_existing(args)
    records = raffle.raffle_log(db, with_pools=True)
    for record in records:
        verified = raffle.verify_draw(record)
        shown = record if args.pools else replace(record, pool=())
        if args.json:
            print(json.dumps({**shown.as_json(), "verified": verified}, ensure_ascii=False))
            continue
        print(f"{iso_local(record.at)}  {record.prize}  ticket No. {record.serial}")
        print(f"  winning ticket {record.ticket}, attendee {record.attendee}")
        print(f"  pool {record.pool_size} tickets, hash {record.pool_hash}")
        print(f"  commitment {record.seed_commitment}")
        print(f"  seed {record.seed}, witness {record.witness or '-'}")
        print(f"  random value {record.random_value}")
        if record.redraw_of:
            print(f"  replaces draw {record.redraw_of}")
        print(f"  {_state_line(record)}; recomputed: {'OK' if verified else 'DOES NOT MATCH'}")
        if args.pools:
            print("  pool: " + " ".join(record.pool))
    unused = raffle.unused_commitments(db)
    if not args.json:
        if not records:
            print("No draws yet.")
        for item in unused:
            print(
                f"{iso_local(item.at)}  {item.prize}: commitment {_short(item.seed_commitment)} "
                f"over {item.pool_size} tickets, never drawn"
            )
    return 0


def cmd_prize_add(args: argparse.Namespace) -> int:
    info = raffle.add_prize(
        open_existing(args), args.name, quantity=args.quantity, sponsor=args.sponsor
    )
    print(f"Added prize {info.position}: {info.name} x{info.quantity}")
    return 0


def cmd_prize_list(args: argparse.Namespace) -> int:
    prizes = raffle.list_prizes(open_existing(args))
    for prize in prizes:
        if args.json:
            data = {
                "name": prize.name,
                "quantity": prize.quantity,
                "position": prize.position,
                "sponsor": prize.sponsor,
                "drawn": prize.drawn,
                "claimed": prize.claimed,
                "redrawn": prize.redrawn,
                "left": prize.left,
            }
            print(json.dumps(data, ensure_ascii=False))
        else:
            sponsor = f" ({prize.sponsor})" if prize.sponsor else ""
            print(
                f"{prize.position:>3}. {prize.name}{sponsor} x{prize.quantity}: "
                f"{prize.drawn} drawn, {prize.claimed} claimed, {prize.left} left"
            )
    if not prizes and not args.json:
        print("No prizes yet: add one with `checkin prize add --name NAME`")
    return 0


def cmd_prize_remove(args: argparse.Namespace) -> int:
    raffle.remove_prize(open_existing(args), args.name)
    print(f"Removed {args.name}")
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    db = open_existing(args)
    rules = raffle.get_rules(db)
    changes: dict[str, Any] = {}
    if args.checked_in_only is not None:
        changes["checked_in_only"] = args.checked_in_only == "yes"
    if args.one_win_per is not None:
        changes["one_win_per"] = WinLimit(args.one_win_per)
    if args.cutoff is not None:
        changes["cutoff"] = None if args.cutoff == _NO_CUTOFF else args.cutoff
    if args.redraw_after is not None:
        changes["redraw_after_minutes"] = args.redraw_after
    if changes:
        rules = raffle.set_rules(db, replace(rules, **changes), station="cli")
    _print_rules(rules, args.json)
    return 0


def _print_rules(rules: RaffleRules, as_json: bool) -> None:
    if as_json:
        data = rules.as_json()
        data["cutoff_local"] = iso_local(rules.cutoff) or None
        print(json.dumps(data))
        return
    print(f"checked-in people only: {'yes' if rules.checked_in_only else 'no'}")
    print(f"one win per:            {rules.one_win_per}")
    print(f"cut-off:                {iso_local(rules.cutoff) or 'none'}")
    print(f"redraw after:           {rules.redraw_after_minutes} minutes")
