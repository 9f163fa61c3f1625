"""Several laptops: station copies for offline stations, merging them, per-station figures."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from checkin.cli import CliError, db_location, say_set_aside
from checkin.cli.core_cmds import common, open_existing
from checkin.cli.passphrase import locked
from checkin.store import EventFileError, open_database


def register(subparsers: Any) -> None:
    p = common(
        subparsers.add_parser(
            "station-copy", help="copy the organiser's event file for one offline station laptop"
        )
    )
    p.add_argument("--out", type=Path, required=True, help="the station's new event file")
    p.add_argument("--station", required=True, help="station name, e.g. desk-2 or meal")
    p.set_defaults(handler=cmd_station_copy)
    locked(p)

    p = common(
        subparsers.add_parser("merge", help="merge station files into the organiser's event file")
    )
    p.add_argument("files", nargs="+", type=Path, help="station event files")
    p.add_argument("--json", action="store_true", help="one JSON report per file")
    p.set_defaults(handler=cmd_merge)
    locked(p)

    p = common(subparsers.add_parser("stations", help="what each station did (counts)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_stations)


def cmd_station_copy(args: argparse.Namespace) -> int:
    from checkin.stations.station_copy import MergeRefused, make_station_copy

    db = open_existing(args)
    try:
        info = make_station_copy(db, args.out, args.station)
    except MergeRefused as exc:
        raise CliError(str(exc)) from exc
    finally:
        db.dispose()
    print(
        f"Station copy for {info.station} (station {info.index}) in {info.path}: "
        f"Guest numbers {info.first_number}-{info.last_number}, "
        f"ticket numbers from {info.first_serial}"
    )
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from checkin.stations.merge import merge_station
    from checkin.stations.station_copy import MergeRefused

    location = db_location(args)
    db = open_database(location)
    say_set_aside(db)
    refused = conflicts = 0
    try:
        for path in args.files:
            try:
                report = merge_station(db, path)
            except (MergeRefused, EventFileError) as exc:
                refused += 1
                print(f"checkin: {path}: not merged: {exc}", file=sys.stderr)
                continue
            conflicts += len(report.conflicts)
            if args.json:
                print(json.dumps(report.as_json(), ensure_ascii=False, default=str))
            else:
                print("\n".join(report.lines()))
    finally:
        db.dispose()
    if not args.json:
        merged = len(args.files) - refused
        print(f"{merged} station files merged, {conflicts} conflicts, {refused} refused")
    return 1 if refused else 0


def cmd_stations(args: argparse.Namespace) -> int:
    from checkin.stations.station_report import station_figures

    db = open_existing(args)
    try:
        rows = station_figures(db)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps([r.as_json() for r in rows], ensure_ascii=False))
        return 0
    print(
        f"{'station':<20} {'check-ins':>9} {'walk-ups':>8} {'tickets':>7} {'redeemed':>8} "
        f"{'prizes':>6} {'scans':>6} {'failed':>6}  last scan"
    )
    for r in rows:
        print(
            f"{r.station or '(none)':<20} {r.checkins:>9} {r.walkups:>8} {r.tickets_issued:>7} "
            f"{r.redeemed:>8} {r.prizes_claimed:>6} {r.scans:>6} {r.failed_scans:>6}  "
            f"{r.last_scan[11:16] if r.last_scan else '-'}"
        )
    return 0
