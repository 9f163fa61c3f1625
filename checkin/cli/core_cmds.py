"""Core commands: new-event, demo, import, register, issue, scan, list, stats, verify."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import DBAPIError

from checkin.after_event.summary import summarize
from checkin.cli import CliError, db_location, say_set_aside, station_name
from checkin.cli.passphrase import locked
from checkin.event import events
from checkin.paths import default_db
from checkin.people import attendees
from checkin.private_files import private_folder
from checkin.record.audit import verify
from checkin.results import ScanState, Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import Database, EventFileError, open_database
from checkin.ticketing import tickets
from checkin.timefmt import clock

if TYPE_CHECKING:
    from checkin.hosting.failover import FailoverDatabase, LinkState
    from checkin.people.csv_import import ParsedFile


def common(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    # SUPPRESS: without the option here, `checkin --db X cmd` keeps the X given before the
    # command (a subcommand's default None would overwrite it).
    parser.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help="event file (default: $CHECKIN_DB or the per-user file)",
    )
    parser.add_argument(
        "--db-url", default=argparse.SUPPRESS, help="database URL instead of a file (PostgreSQL)"
    )
    parser.add_argument(
        "--join", default=argparse.SUPPRESS, metavar="CODE", help="join code of a hosted event"
    )
    return parser


def new_file_location(args: argparse.Namespace) -> str:
    """Where a new event goes; refuses to overwrite, and makes the per-user folder if needed."""
    location = db_location(args)
    if "://" in location:
        return location
    path = Path(location)
    if path.exists() and path.stat().st_size:
        raise CliError(f"{location} already exists; choose another file name")
    if path.parent == default_db().parent:
        private_folder(path.parent)
    return location


# Opened by this command; main() disposes them when the command ends. Tests run commands in
# their own process, where an engine left open keeps its connections until garbage collection.
OPENED: list[Database] = []


def opened(db: Database) -> Database:
    """``db``, to be disposed of when the command ends."""
    say_set_aside(db)
    OPENED.append(db)
    return db


def open_existing(args: argparse.Namespace, *, check_integrity: bool = True) -> Database:
    return opened(open_database(db_location(args), check_integrity=check_integrity))


def close_opened() -> None:
    while OPENED:
        OPENED.pop().dispose()


def register(subparsers: Any) -> None:
    p = common(subparsers.add_parser("new-event", help="create an event file"))
    p.add_argument("--name", required=True, type=_name)
    p.add_argument("--date", type=_date, help="YYYY-MM-DD")
    p.add_argument("--location", default="")
    p.add_argument(
        "--passphrase", default="", help="organiser passphrase (locks setup and exports)"
    )
    p.add_argument(
        "--retention-days",
        type=_retention,
        default=None,
        help="delete personal data this many days after the event (default 30)",
    )
    p.set_defaults(handler=cmd_new_event)

    p = common(subparsers.add_parser("demo", help="create a realistic demo event"))
    p.add_argument("--attendees", type=_count, default=200)
    p.set_defaults(handler=cmd_demo)

    p = common(
        subparsers.add_parser(
            "import", help="import pre-registrations from a CSV file or a workbook (.xlsx, .ods)"
        )
    )
    p.add_argument("file", type=Path)
    p.add_argument(
        "--sheet",
        metavar="NAME",
        help="the workbook's sheet to read (default: the one that looks like a registration "
        "list; --dry-run names them all)",
    )
    p.add_argument(
        "--group",
        choices=["row", "order", "family", "person"],
        help="which rows are one household: row (each row), order (the rows of one order), "
        "family (a row per person: one order's rows with the same surname or address), person "
        "(a row per sign-up slot: one person's rows). Default: guessed and said",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="check the file and print which column fills which field; change nothing",
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help='map a column by hand, e.g. --map "Party size=household_size" or '
        '--map "Notes=ignore" (repeatable)',
    )
    p.set_defaults(handler=cmd_import)
    locked(p)

    p = common(subparsers.add_parser("register", help="register a walk-up; prints the code"))
    p.add_argument("--first", default="")
    p.add_argument("--last", default="")
    p.add_argument("--adults", type=int, default=1)
    p.add_argument("--kids", type=int, default=0)
    p.add_argument("--seniors", type=int, default=0)
    p.add_argument("--zip", default="")
    p.add_argument("--phone", default="")
    p.add_argument("--email", default="")
    p.add_argument("--consent", action="store_true", help="the person agreed to be contacted")
    p.add_argument("--language", default="")
    p.add_argument("--station", default="cli")
    p.set_defaults(handler=cmd_register)

    p = common(subparsers.add_parser("issue", help="issue tickets; prints one code a line"))
    p.add_argument("--attendee", required=True, help="attendee code")
    p.add_argument("--type", required=True, help="ticket type name")
    p.add_argument("--count", type=_positive, help="how many (default: what the household is due)")
    p.add_argument("--station", default="cli")
    p.set_defaults(handler=cmd_issue)

    p = common(subparsers.add_parser("scan", help="scan codes; prints one JSON object a line"))
    p.add_argument("codes", nargs="*", help="codes (default: one a line on standard input)")
    p.add_argument("--station", required=True)
    p.add_argument("--mode", choices=[m.value for m in StationMode], help="default: from setup")
    p.add_argument("--redeem", metavar="TYPE", help="ticket type a resource station redeems")
    p.add_argument("--volunteer", default="")
    p.add_argument(
        "--for", dest="current", metavar="ATTENDEE", help="bind scanned stock to this person"
    )
    p.set_defaults(handler=cmd_scan)

    p = common(subparsers.add_parser("list", help="list attendees"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)
    locked(p)

    p = common(subparsers.add_parser("stats", help="event figures"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_stats)

    p = common(subparsers.add_parser("verify", help="check the audit chain and file integrity"))
    p.add_argument(
        "--against",
        action="append",
        type=Path,
        default=[],
        metavar="COPY",
        help="also compare with this copy: a backup, a station copy or the report (repeatable;"
        " the automatic backups are always compared)",
    )
    p.set_defaults(handler=cmd_verify)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def _positive(text: str) -> int:
    value = _count(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise argparse.ArgumentTypeError("an event needs a name")
    return name


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text}") from None
    if not 0 <= value <= 200_000:
        raise argparse.ArgumentTypeError("must be between 0 and 200000")
    return value


def _retention(text: str) -> int:
    from checkin.after_event.retention import check_days

    try:
        return check_days(int(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            str(exc) if text.strip().isdigit() else "a number of days"
        ) from exc


def cmd_new_event(args: argparse.Namespace) -> int:
    weak = args.passphrase and events.passphrase_too_weak(args.passphrase)
    if weak:
        raise CliError(f"{weak}: the event was not created")
    location = new_file_location(args)
    db = opened(open_database(location, create=True))
    from checkin.after_event.retention import DEFAULT_DAYS, get_retention

    info = events.create_event(
        db,
        args.name,
        event_date=args.date,
        location=args.location,
        passphrase=args.passphrase,
        retention_days=DEFAULT_DAYS if args.retention_days is None else args.retention_days,
    )
    retention = get_retention(db)
    print(f"Created {info.name} in {location}")
    print(
        f"Personal data is deleted on {retention.purge_on:%Y-%m-%d}"
        f" ({retention.days} days after the event): checkin purge --due"
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from checkin.demo import create_demo

    location = new_file_location(args)
    create_demo(location, args.attendees)
    print(f"Demo event with {args.attendees} pre-registered people in {location}")
    print("Organiser passphrase: demo")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from checkin.people.csv_import import ImportRefused, UnknownMapping, import_csv
    from checkin.people.import_headers import parse_choice

    db = open_existing(args)
    try:
        choices = dict(parse_choice(text) for text in args.map)
        # Over the choices last made (in the app or here) for this header layout.
        report = import_csv(
            db,
            args.file,
            dry_run=args.dry_run,
            choices=choices,
            remember=True,
            sheet=args.sheet,
            group=args.group,
        )
    except ImportRefused as exc:
        raise CliError(f"{args.file}: refused, nothing imported: {exc}") from exc
    except UnknownMapping as exc:
        raise CliError(f"--map: {exc}") from exc
    parsed = report.parsed
    if report.dry_run:
        print(mapping_table(parsed))
    for problem in parsed.problems:
        print(f"line {problem.line}: rejected: {problem.reason}", file=sys.stderr)
    for note in parsed.notes:
        print(f"note: {note}", file=sys.stderr)
    for line in report.summary():
        print(line)
    return 0


def mapping_table(parsed: ParsedFile) -> str:
    """Each column of the file and the field it fills (the app's preview shows the same)."""
    from checkin.people.import_headers import LABELS

    mapping = parsed.mapping
    width = max([len("column")] + [len(title.strip()) for title in mapping.header])
    lines = [f"{'column':<{width}}  field", f"{'-' * width}  -----"]
    for title, name in zip(mapping.header, mapping.fields, strict=True):
        shown = f"{name} ({LABELS[name]})" if name in LABELS else (name or "(not imported)")
        lines.append(f"{title.strip():<{width}}  {shown}")
    return "\n".join(lines)


def cmd_register(args: argparse.Namespace) -> int:
    db = open_existing(args)
    info = attendees.register(
        db,
        Station(args.station),
        first_name=args.first,
        last_name=args.last,
        adults=args.adults,
        kids=args.kids,
        seniors=args.seniors,
        zip_code=args.zip,
        phone=args.phone,
        email=args.email,
        consent=args.consent,
        language=args.language,
    )
    if (args.phone or args.email) and not args.consent:
        print("note: phone and email were not saved: they need --consent", file=sys.stderr)
    print(info.code)
    return 0


def cmd_issue(args: argparse.Namespace) -> int:
    db = open_existing(args)
    result = tickets.issue_tickets(
        db, args.attendee, args.type, count=args.count, station=Station(args.station)
    )
    if not result.ok:
        raise CliError(result.message)
    for ticket in result.tickets:
        print(ticket.code)
    return 0


def station_for(db: Database, args: argparse.Namespace) -> Station:
    """The station as set up in the event (mode, ticket type), overridden by options."""
    from checkin.stations.setup import get_station

    known = get_station(db, args.station)
    mode = StationMode(args.mode) if args.mode else (known.mode if known else StationMode.DESK)
    ticket_type = args.redeem or (known.ticket_type if known else None)
    if args.redeem:
        # The type's own spelling: "meal" redeems Meal; an unknown name is refused, not turned
        # into "has no meal ticket" for every person scanned.
        with db.reading() as session:
            found = tickets.find_type(session, args.redeem)
            if found is None:
                raise CliError(f"No ticket type called {args.redeem}")
            ticket_type = found.name
        if not args.mode:
            mode = StationMode.RESOURCE
    return Station(args.station, mode, ticket_type, args.volunteer)


def cmd_scan(args: argparse.Namespace) -> int:
    joined: FailoverDatabase | None = None
    if getattr(args, "join", None):
        # A joined station: the hosted server, and this laptop's copy when the network drops.
        from checkin.hosting.failover import join_station

        joined = join_station(db_location(args), station_name(args))
        joined.add_listener(_say_link)
        db: Database = opened(joined)
    else:
        db = open_existing(args)
    station = station_for(db, args)
    engine = ScanEngine(db)
    inputs = args.codes or (line.rstrip("\n") for line in sys.stdin)
    unsaved = 0
    for raw in inputs:
        result = engine.scan(raw, station, current_attendee=args.current)
        unsaved += result.state is ScanState.NOT_SAVED
        print(json.dumps(result.as_json(), ensure_ascii=False), flush=True)
    if unsaved:
        # Rejected codes are ordinary answers (exit 0); a scan that did not count is a failure
        # a script must not miss.
        raise CliError(f"{unsaved} scan(s) NOT saved: the event file could not be written")
    if joined is not None:
        joined.dispose()  # sends what was done offline, if the host answers
        waiting = joined.state.pending
        if waiting:
            # Saved on this laptop, but not in the event: a script must not take it for done.
            raise CliError(
                f"{waiting} scans have not reached the host: they are kept on this laptop"
                f" ({joined.copy_path}) and sent when this station joins the event again"
            )
    return 0


def _say_link(state: LinkState) -> None:
    """A joined station's changes of link, on stderr (stdout holds the answers)."""
    if state.online:
        line = "connected to the host"
        if state.merged_scans or state.conflicts:
            line += f" again: {state.merged_scans} offline scans sent ({state.conflicts} to check)"
    elif state.ended:
        line = "Hosting ended: working on this laptop's copy"
    else:
        line = f"working offline ({state.message}): scans are saved on this laptop"
    print(f"checkin: {line}", file=sys.stderr, flush=True)


def cmd_list(args: argparse.Namespace) -> int:
    from checkin.people.listing import iter_attendees

    db = open_existing(args)
    for row in iter_attendees(db):
        if args.json:
            print(json.dumps(row.as_json(), ensure_ascii=False))
        else:
            status = f"checked in {clock(row.checked_in_at)}" if row.checked_in_at else "-"
            print(
                f"#{row.number:<5} {row.display_name:<30} household {row.household_size:<3} "
                f"zip {row.zip_code or '-':<6} {status:<16} {row.code}"
            )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    summary = summarize(open_existing(args))
    if args.json:
        print(json.dumps(summary.as_json(), ensure_ascii=False, default=str))
        return 0
    print(summary.event)
    print(
        f"  households checked in: {summary.households_checked_in} "
        f"(of {summary.registered} registered)"
    )
    print(
        f"  people checked in:     {summary.people_checked_in} "
        f"(adults {summary.adults}, kids {summary.kids}, seniors {summary.seniors})"
    )
    print(f"  walk-ups:              {summary.walkups}")
    for t in summary.tickets:
        left = "" if t.stock_left is None else f", {t.stock_left} left"
        if t.ran_out_at:
            left = f", out since {t.ran_out_at[11:16]}"
        print(f"  {t.name:<20} issued {t.issued}, redeemed {t.redeemed}{left}")
    print(f"  scans: {summary.scans}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from checkin.after_event.summary import record_head

    # Opened without the integrity check on open: verify reports the damage itself.
    try:
        db = open_existing(args, check_integrity=False)
    except (EventFileError, DBAPIError) as exc:  # too damaged to open: that is the answer
        from checkin.errors import describe

        print(f"PROBLEMS FOUND: {describe(exc)}")
        return 1
    report = verify(db)
    with db.reading() as session:
        event_head, event_entries = record_head(session)
    for problem in report.problems:
        print(problem)
    state = "OK" if report.ok else "PROBLEMS FOUND"
    print(f"{state}: {report.entries} audit entries, head {report.head_hash[:16]}")
    # The report's head stops before after-event entries (the purge): print it to compare.
    print(f"event record (as in the report): {event_entries} entries, head {event_head[:16]}")
    # A chain cut at its end or rebuilt after an edit is consistent in itself: the copies made
    # earlier are what show it.
    from checkin.record_copies import automatic_copies, compare_with_copy

    automatic = automatic_copies(db)
    checks = [compare_with_copy(db, copy) for copy in (*automatic, *args.against)]
    for check in checks:
        for line in check.lines():
            print(line)
    copies_ok = all(check.ok for check in checks)
    plural = "" if len(automatic) == 1 else "s"
    given = f" and {len(args.against)} given with --against" if args.against else ""
    if not checks:
        verdict = "no backup of this event in its backup folders (--against adds a copy)"
    else:
        verdict = "all agree" if copies_ok else "PROBLEMS FOUND"
    print(f"copies: {len(automatic)} automatic backup{plural} compared{given}: {verdict}")
    return 0 if report.ok and copies_ok else 1
