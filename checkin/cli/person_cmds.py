"""`checkin person CODE`: a household's fields, codes, tickets and history; `--set` edits.

It shows names, so it asks for the organiser passphrase as `checkin list` does. Every edit is an
audit entry (replayed by `checkin verify`); the station's Undo in the app reverts it, and so
does `checkin person CODE --undo --station S`.
"""

from __future__ import annotations

import argparse
from typing import Any

from checkin import undo
from checkin.cli import CliError
from checkin.cli.core_cmds import common, open_existing
from checkin.cli.passphrase import locked
from checkin.people.attendees import InvalidAttendee
from checkin.people.edits import edit_person, parse_assignments
from checkin.people.person_record import PersonRecord, load_person
from checkin.results import Station
from checkin.timefmt import clock, local


def register(subparsers: Any) -> None:
    p = common(
        subparsers.add_parser(
            "person", help="show a household (fields, tickets, history); --set field=value edits"
        )
    )
    p.add_argument("code", help="the household's attendee code")
    p.add_argument(
        "--set",
        dest="assignments",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help='e.g. --set kids=3 --set attention="uses a wheelchair" (repeatable); fields: '
        "first, last, adults, kids, seniors, zip, language, notes, attention, "
        "needs_attention, consent, phone, email",
    )
    p.add_argument("--station", default="cli", help="recorded as where the edit was made")
    p.add_argument("--volunteer", default="")
    p.add_argument(
        "--undo", action="store_true", help="undo the station's last action (an edit too)"
    )
    p.set_defaults(handler=cmd_person)
    locked(p)


def cmd_person(args: argparse.Namespace) -> int:
    db = open_existing(args)
    station = Station(args.station, volunteer=args.volunteer)
    if args.undo:
        result = undo.undo_last(db, station)
        print(result.message)
        return 0 if result.done else 1
    if args.assignments:
        try:
            edited = edit_person(db, args.code, station, **parse_assignments(args.assignments))
        except InvalidAttendee as exc:
            raise CliError(str(exc)) from None
        for line in edited.lines():
            print(line)
        print()
    record = load_person(db, args.code)
    if record is None:
        raise CliError(f"No household with the code {args.code}")
    print("\n".join(person_lines(record)))
    return 0


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def person_lines(record: PersonRecord) -> list[str]:
    p = record.person
    lines = [
        f"{p.display_name}  (#{p.number}, code {p.code}, {p.source})",
        f"  first name:   {p.first_name}",
        f"  last name:    {p.last_name}",
        f"  household:    {p.adults} adults, {p.kids} kids, {p.seniors} seniors",
        f"  ZIP:          {p.zip_code}",
        f"  language:     {p.language}",
        f"  notes:        {p.notes}",
        f"  attention:    {_yes(p.needs_attention)}"
        + (f": {p.attention_note}" if p.attention_note else ""),
        f"  consent:      {_yes(p.consent)}"
        + (f" (phone {p.phone or '-'}, email {p.email or '-'})" if p.consent else ""),
    ]
    if record.external_ref:
        lines.append(f"  registration: {record.external_ref}")
    checked = (
        f"yes, {clock(p.checked_in_at)} at {p.checked_in_station or '?'}"
        if p.checked_in_at
        else "no"
    )
    lines.append(f"  checked in:   {checked}")
    lines.append("Tickets due:")
    lines += [f"  {d.type_name:<16} {d.held} of {d.allowed} handed over" for d in p.dues]
    lines.append("Tickets:")
    lines += [f"  {t.code}  {t.type_name} No. {t.serial}  {t.state}" for t in p.tickets] or [
        "  none"
    ]
    lines.append("History:")
    for h in record.history:
        who = f" by {h.volunteer}" if h.volunteer else ""
        undone = "  (undone)" if h.undone else ""
        lines.append(
            f"  {local(h.at):%Y-%m-%d %H:%M:%S}  {h.station or '-'}{who}: {h.what}{undone}"
        )
    return lines
