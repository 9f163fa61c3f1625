"""After-the-event commands: export (CSV), report (PDF/HTML), purge (personal data)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from checkin.cli import CliError, db_location
from checkin.cli.core_cmds import common, open_existing
from checkin.cli.passphrase import locked


def register(subparsers: Any) -> None:
    p = common(subparsers.add_parser("export", help="write the event's CSV files into a folder"))
    p.add_argument("--out", type=Path, required=True, help="folder (created if missing)")
    p.add_argument(
        "--anonymous",
        action="store_true",
        help="leave out names, phones, emails, notes, codes and volunteers (safe to share)",
    )
    p.set_defaults(handler=cmd_export)
    locked(p, lambda args: None if args.anonymous else db_location(args))

    p = common(subparsers.add_parser("report", help="write the event report (PDF or HTML)"))
    p.add_argument("--out", type=Path, required=True, help="report.pdf or report.html")
    p.set_defaults(handler=cmd_report)

    p = common(
        subparsers.add_parser(
            "purge", help="remove personal data after the event (keeps counts and zip codes)"
        )
    )
    p.add_argument("--confirm", default="", help='type "PURGE <event name>" to go ahead')
    how = p.add_mutually_exclusive_group()
    how.add_argument(
        "--everywhere",
        action="store_true",
        help="also remove its backups, station copies, exports, server data and log lines",
    )
    how.add_argument(
        "--due",
        action="store_true",
        help="purge everywhere if its retention day has come (no --confirm needed),"
        " and this laptop's joined copies that are due",
    )
    p.set_defaults(handler=cmd_purge)
    locked(p)


def cmd_export(args: argparse.Namespace) -> int:
    from checkin.after_event.export import export_event

    db = open_existing(args)
    try:
        report = export_event(db, args.out, anonymous=args.anonymous)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"cannot write to {args.out}: {exc.strerror or exc}") from exc
    kind = "anonymous " if report.anonymous else ""
    print(f"Wrote {kind}export to {report.folder}")
    for file in report.files:
        print(f"  {file.name:<16} {file.rows:>8,} rows")
    print(
        f"{report.contact_withdrawn:,} households withdrew their contact consent: their phone "
        "and email are in no file"
    )
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from checkin.after_event.report import write_report

    db = open_existing(args)
    try:
        path = write_report(db, args.out)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from exc
    print(f"Wrote {path}")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from checkin.after_event.purge import plan_purge, purge_personal_data
    from checkin.purge_everywhere import plan_everywhere, purge_everywhere

    if args.due:
        return _purge_due(args)
    db = open_existing(args)
    plan = plan_purge(db)
    if " ".join(args.confirm.split()) != " ".join(plan.phrase.split()):
        print(f"A purge of {plan.event} would remove:", file=sys.stderr)
        lines = plan_everywhere(db).lines() if args.everywhere else plan.lines()
        for line in lines:
            print(f"  - {line}", file=sys.stderr)
        print(
            "It keeps household counts, zip codes, check-ins, tickets and the raffle, so the "
            "report stays the same. This cannot be undone.",
            file=sys.stderr,
        )
        again = " --everywhere" if args.everywhere else ""
        print(f'To go ahead: checkin purge{again} --confirm "{plan.phrase}"', file=sys.stderr)
        return 1
    if args.everywhere:
        print(purge_everywhere(db, station="cli").text())
        return 0
    result = purge_personal_data(db, args.confirm, station="cli")
    print(result.message)
    return 0 if result.done else 1


def _purge_due(args: argparse.Namespace) -> int:
    """The event (when its day has come) and this laptop's joined copies that are due."""
    from checkin.after_event.retention import get_retention
    from checkin.purge_everywhere import purge_due_copies, purge_everywhere

    location = db_location(args)
    said = False
    if "://" in location or Path(location).expanduser().is_file():
        db = open_existing(args)
        retention = get_retention(db)
        if retention.due():
            print(purge_everywhere(db, station="cli").text())
            said = True
        elif retention.purged:
            print("The event's personal data was purged already.")
        else:
            print(
                f"Not due yet: personal data is deleted on {retention.purge_on:%Y-%m-%d}"
                f" ({retention.days} days after the event)."
            )
    copies = purge_due_copies()
    for line in copies:
        print(f"Removed {line}")
    if not said and not copies and not Path(location).expanduser().is_file():
        print(f"No event file at {location} and no joined copy due on this laptop.")
    return 0
