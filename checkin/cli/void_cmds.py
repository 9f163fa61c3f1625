"""`checkin void`: tickets that went missing (lost, stolen, damaged), with replacements, or a
whole pre-printed stock sheet by the number printed under it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from checkin.cli import CliError
from checkin.cli.core_cmds import common, open_existing
from checkin.cli.passphrase import locked
from checkin.event import events
from checkin.event.logo import event_logo
from checkin.paper.ticket_pdf import faces_for, write_pdf
from checkin.results import Station
from checkin.ticketing.ticket_voiding import REASONS, VoidResult, sheets, void_sheet, void_tickets
from checkin.ticketing.tickets import TicketError

LAYOUTS = ("receipt-80", "receipt-58", "letter", "a4", "letter-30", "a4-24")


def register(subparsers: Any) -> None:
    p = common(
        subparsers.add_parser(
            "void",
            help="void lost, stolen or damaged tickets (with replacements), or a stock sheet",
        )
    )
    p.add_argument("codes", nargs="*", help="the tickets' codes")
    p.add_argument("--reason", choices=REASONS, help="why (required to void)")
    p.add_argument(
        "--replace", action="store_true", help="issue each household a new ticket of the type"
    )
    p.add_argument("--out", type=Path, help="with --replace: PDF of the replacements to print")
    p.add_argument("--layout", choices=LAYOUTS, default="receipt-80")
    p.add_argument("--sheet", type=int, metavar="N", help="void stock sheet N (printed under it)")
    p.add_argument("--sheets", action="store_true", help="list the stock sheets and stop")
    p.add_argument("--station", default="organiser", help="recorded with the void")
    p.set_defaults(handler=cmd_void)
    locked(p)  # a void takes a ticket from a household; only the organiser decides it


def cmd_void(args: argparse.Namespace) -> int:
    db = open_existing(args)
    if args.sheets:
        listed = sheets(db)
        for number, kind, first, last, left in listed:
            print(f"sheet {number:>4}  {kind}  Nos. {first}-{last}  {left} not given out")
        if not listed:
            print("No pre-printed stock sheets in this event (checkin stock makes them).")
        return 0
    if args.reason is None:
        raise CliError(f"say why with --reason ({', '.join(REASONS)})")
    if bool(args.codes) == (args.sheet is not None):
        raise CliError("give the tickets' codes, or --sheet N (not both)")
    if args.out is not None and not args.replace:
        raise CliError("--out prints the replacements: add --replace")
    if args.out is not None and (args.out.suffix.lower() != ".pdf" or not args.out.parent.is_dir()):
        raise CliError(f"{args.out}: the output must be a .pdf file in an existing folder")
    station = Station(args.station)
    try:
        if args.sheet is not None:
            result = void_sheet(db, args.sheet, args.reason, station=station)
        else:
            result = void_tickets(
                db, args.codes, args.reason, replace=args.replace, station=station
            )
    except TicketError as exc:
        raise CliError(str(exc)) from exc
    if result.unknown:
        raise CliError(f"not a ticket of this event: {', '.join(result.unknown)}; nothing voided")
    print(result.message)
    _print_replacements(db, result, args)
    return 0 if result.voided else 1


def _print_replacements(db: Any, result: VoidResult, args: argparse.Namespace) -> None:
    for ticket in result.replacements:
        print(f"  new {ticket.type_name} No. {ticket.serial}: {ticket.code}")
    if args.out is None or not result.replacements:
        return
    event = events.get_event(db)
    when = event.date.isoformat() if event.date else ""
    faces = faces_for(event.name, when, result.replacements, event_logo(db))
    pages = write_pdf(faces, args.out, args.layout)
    print(f"replacements to print, {pages} pages: {args.out}")
