"""Printing commands: pre-printed stock, badges, flyers, one person's tickets, the paper kit and
the volunteer guide."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from checkin import written_files
from checkin.cli import CliError
from checkin.cli.core_cmds import common, open_existing
from checkin.cli.passphrase import locked
from checkin.event import campaigns, events
from checkin.event.logo import event_logo, set_logo
from checkin.paper.guide import LANGUAGES as GUIDE_LANGUAGES
from checkin.paper.ticket_pdf import (
    LAYOUTS,
    Face,
    badge_faces,
    faces_for,
    split_for_reprint,
    ticket_labels,
    write_pdf,
)
from checkin.people import attendees
from checkin.people.listing import iter_attendees
from checkin.results import Station, TicketInfo
from checkin.store import AttendeeSource
from checkin.ticketing import tickets

TICKET_LAYOUTS = ("letter-30", "a4-24", "receipt-80", "receipt-58", "letter", "a4")


def register(subparsers: Any) -> None:
    p = common(subparsers.add_parser("stock", help="pre-printed sheets of unassigned tickets"))
    p.add_argument("--type", required=True, help="ticket type name")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--out", type=Path, required=True, help="PDF file to write")
    p.add_argument("--layout", choices=TICKET_LAYOUTS, default="letter-30")
    p.set_defaults(handler=cmd_stock)

    p = common(subparsers.add_parser("badges", help="one QR code per pre-registered person"))
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--names", action="store_true", help="print names on the badges")
    p.set_defaults(handler=cmd_badges)
    # Locked with or without names: each badge's code, scanned, leads to its person.
    locked(p)

    p = common(subparsers.add_parser("flyers", help="flyers with a campaign's QR code"))
    p.add_argument("--campaign", required=True, help='e.g. "Ruskin Heights east"')
    p.add_argument("--count", type=int, default=4)
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(handler=cmd_flyers)

    p = common(subparsers.add_parser("paper-kit", help="paper fallback kit: list and tally sheets"))
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(handler=cmd_paper_kit)
    locked(p)

    p = subparsers.add_parser("guide", help="the one-page volunteer guide (PDF)")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--lang", choices=GUIDE_LANGUAGES, default="en", help="en (default) or es")
    p.set_defaults(handler=cmd_guide)

    p = common(subparsers.add_parser("paper-entry", help="enter tallies from the paper kit"))
    p.add_argument(
        "--walkup",
        action="append",
        default=[],
        metavar="ADULTS,KIDS,SENIORS,ZIP",
        help="one household from the walk-up sheet (repeat)",
    )
    p.add_argument(
        "--tickets",
        action="append",
        default=[],
        metavar="TYPE=COUNT",
        help="tickets handed out by hand (repeat)",
    )
    p.add_argument("--by", default="", help="who entered it")
    p.set_defaults(handler=cmd_paper_entry)

    p = common(subparsers.add_parser("logo", help="the event's logo on tickets and flyers"))
    p.add_argument("image", nargs="?", type=Path, help="PNG or JPEG; leave out with --clear")
    p.add_argument("--clear", action="store_true", help="print without a logo")
    p.set_defaults(handler=cmd_logo)

    p = common(
        subparsers.add_parser(
            "tickets", help="print the unused tickets of one person (used ones are listed)"
        )
    )
    p.add_argument("--attendee", required=True, help="attendee code")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--layout", choices=TICKET_LAYOUTS, default="receipt-80")
    p.set_defaults(handler=cmd_tickets)
    locked(p)  # names the person


def _pdf_target(out: Path) -> Path:
    if out.suffix.lower() != ".pdf":
        raise CliError(f"{out}: the output must be a .pdf file")
    if not out.parent.is_dir():
        raise CliError(f"folder does not exist: {out.parent}")
    return out


def _progress(done: int, total: int) -> None:
    if done == total or done % 100 == 0:
        print(f"\r{done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)


def ticket_faces(
    event: events.EventInfo, infos: list[TicketInfo], logo: bytes | None = None
) -> list[Face]:
    return faces_for(event.name, event.date.isoformat() if event.date else "", infos, logo)


def cmd_stock(args: argparse.Namespace) -> int:
    out = _pdf_target(args.out)
    db = open_existing(args)
    spec = LAYOUTS[args.layout]
    made = tickets.create_stock(
        db, args.type, args.count, station=Station("stock"), per_sheet=spec.columns * spec.rows
    )
    pages = write_pdf(
        ticket_faces(events.get_event(db), made, event_logo(db)),
        out,
        args.layout,
        progress=_progress,
    )
    sheets = f", sheets {made[0].sheet}-{made[-1].sheet}" if made[0].sheet is not None else ""
    print(
        f"{len(made)} unassigned {args.type} tickets, Nos. {made[0].serial}-{made[-1].serial}, "
        f"{pages} pages{sheets}: {out}"
    )
    return 0


def cmd_badges(args: argparse.Namespace) -> int:
    out = _pdf_target(args.out)
    db = open_existing(args)
    event = events.get_event(db)
    logo = event_logo(db)
    when = event.date.isoformat() if event.date else ""
    people = (row for row in iter_attendees(db) if row.source != AttendeeSource.WALKUP)
    faces = badge_faces(event.name, when, people, names=args.names, logo=logo)
    if not faces:
        raise CliError("nobody is pre-registered: nothing to print")
    pages = write_pdf(faces, out, "badges-letter", progress=_progress)
    if args.names:  # names on them: the purge removes the file too
        written_files.remember(event.uid, [out])
    print(f"{len(faces)} badges, {pages} pages: {out}")
    return 0


def cmd_flyers(args: argparse.Namespace) -> int:
    out = _pdf_target(args.out)
    if not 1 <= args.count <= 5000:
        raise CliError("--count must be between 1 and 5000")
    db = open_existing(args)
    event = events.get_event(db)
    campaign = campaigns.create_campaign(db, args.campaign, station="flyers")
    when = event.date.isoformat() if event.date else ""
    where = f"{when} · {event.location}".strip(" ·")
    faces = [Face(campaign.code, event.name, where, campaign.name, "flyer", logo=event_logo(db))]
    faces *= args.count
    pages = write_pdf(faces, out, "flyers-letter", progress=_progress)
    print(f"{args.count} flyers for {campaign.name} ({campaign.code}), {pages} pages: {out}")
    return 0


def cmd_tickets(args: argparse.Namespace) -> int:
    out = _pdf_target(args.out)
    db = open_existing(args)
    person = attendees.get_attendee(db, args.attendee)
    if person is None:
        raise CliError(f"no attendee with code {args.attendee}")
    unused, used = split_for_reprint(person.tickets)
    if not unused:
        if used:
            raise CliError(
                f"{person.display_name} has no unused tickets to print (used or cancelled: "
                f"{ticket_labels(used)})"
            )
        raise CliError(f"{person.display_name} has no tickets to print")
    pages = write_pdf(ticket_faces(events.get_event(db), unused, event_logo(db)), out, args.layout)
    print(f"{len(unused)} unused tickets of {person.display_name}, {pages} pages: {out}")
    if used:
        print(f"not printed, used or cancelled: {ticket_labels(used)}")
    return 0


assert set(TICKET_LAYOUTS) <= set(LAYOUTS)


def cmd_paper_kit(args: argparse.Namespace) -> int:
    from checkin.paper.kit import write_paper_kit

    out = _pdf_target(args.out)
    pages = write_paper_kit(open_existing(args), out)
    print(f"paper kit, {pages} pages: {out}")
    return 0


def cmd_guide(args: argparse.Namespace) -> int:
    from checkin.paper.guide_pdf import write_guide

    out = _pdf_target(args.out)
    write_guide(out, args.lang)
    print(f"volunteer guide ({args.lang}), 1 page: {out}")
    return 0


def cmd_paper_entry(args: argparse.Namespace) -> int:
    from checkin.paper.tallies import PaperWalkup, enter_ticket_tally, enter_walkups

    households = []
    for text in args.walkup:
        parts = [p.strip() for p in text.split(",")]
        try:
            adults, kids, seniors = (int(p or 0) for p in ([*parts, "0", "0", "0"])[:3])
        except ValueError:
            raise CliError(f"--walkup {text}: use ADULTS,KIDS,SENIORS,ZIP") from None
        households.append(PaperWalkup(adults, kids, seniors, parts[3] if len(parts) > 3 else ""))
    tallies = []
    for text in args.tickets:
        name, _, count = text.rpartition("=")
        if not name or not count.isdigit():
            raise CliError(f"--tickets {text}: use TYPE=COUNT")
        tallies.append((name, int(count)))
    if not households and not tallies:
        raise CliError("nothing to enter: give --walkup and/or --tickets")
    db = open_existing(args)
    numbers = enter_walkups(db, households, by=args.by) if households else []
    for name, count in tallies:
        enter_ticket_tally(db, name, count, by=args.by)
    print(
        f"entered from paper: {len(numbers)} households, "
        + ", ".join(f"{n} {t}" for t, n in tallies)
        if tallies
        else f"entered from paper: {len(numbers)} households"
    )
    return 0


def cmd_logo(args: argparse.Namespace) -> int:
    if args.clear == (args.image is not None):
        raise CliError("give an image file, or --clear")
    db = open_existing(args)
    set_logo(db, None if args.clear else args.image, station="cli")
    print("logo removed" if args.clear else f"logo set from {args.image}")
    return 0
