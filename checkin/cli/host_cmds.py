"""`checkin host`: host an event file on the local network until stopped (Ctrl-C or SIGTERM).

Output contract (scripts and tests rely on it): once the server accepts connections it prints
``url: postgresql+psycopg://station:...`` (a station's URL: the station role's password, TLS
pinned to this host's certificate file; the server's owner password is never printed) and
``join: CODE``; when stopped, ``stopped: N scans saved to FILE``. In between, one line per
station that comes online or goes offline, and one per conflict that a station brought back
from working offline (``conflict: ...``). Hosting needs the organiser passphrase.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from checkin.cli import CliError
from checkin.cli.passphrase import locked
from checkin.paths import resolve_db

POLL_SECONDS = 1.0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("host", help="host an event on the local network")
    p.add_argument("--db", default=argparse.SUPPRESS, help="event file to host")
    p.add_argument(
        "--listen", default="*", help="address to listen on (default: every network interface)"
    )
    p.add_argument("--port", type=int, help="TCP port (default: a free one)")
    p.add_argument(
        "--no-announce", action="store_true", help="do not announce the event with zeroconf"
    )
    p.add_argument(
        "--new-code",
        action="store_true",
        help="a new join code (and the old one refused), e.g. after it leaked; by default the"
        " file keeps its code and port from one hosting to the next",
    )
    # Hosting hands the whole event (names, phones) to a server the stations reach.
    locked(p)
    p.set_defaults(handler=cmd_host)


def cmd_host(args: argparse.Namespace) -> int:
    from checkin.hosting.host import HostSession
    from checkin.hosting.server import HostError
    from checkin.store import EventFileError

    location = resolve_db(getattr(args, "db", None))
    if "://" in location:
        raise CliError("checkin host hosts an event file (--db FILE), not a server database")
    stop = threading.Event()

    def on_signal(_number: int, _frame: object) -> None:
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    session = HostSession(
        Path(location),
        listen=args.listen,
        port=args.port,
        advertise=not args.no_announce,
        new_code=args.new_code,
    )
    try:
        try:
            hosting = session.start()
        except (HostError, EventFileError) as exc:
            raise CliError(str(exc)) from exc
        if hosting.discarded:
            print(f"not resumed: {hosting.discarded}")
        if hosting.resumed:
            print("resumed: the server's data from the last time (it was not stopped properly)")
        print(f"event: {hosting.event_name}")
        print(f"url: {hosting.url}")
        print(f"join: {hosting.join.human}")
        print(f"join with address: {hosting.join.with_address}", flush=True)
        online: dict[str, bool] = {}
        reported = session.conflicts_before  # an earlier host listed those
        while not stop.wait(POLL_SECONDS):
            try:
                stations = session.stations()
                conflicts = session.conflicts()
            except Exception as exc:  # the server went away under us: stop and save
                print(f"checkin: the server stopped answering ({exc})", file=sys.stderr)
                break
            for station in stations:
                if online.get(station.name) != station.online:
                    online[station.name] = station.online
                    state = "online" if station.online else "offline"
                    scans = "1 scan" if station.scans == 1 else f"{station.scans} scans"
                    print(f"station {station.name}: {state}, {scans}", flush=True)
            for line in conflicts[reported:]:  # for the organiser to check by hand
                print(f"conflict: {line}", flush=True)
            reported = len(conflicts)
        saved = session.stop()
        print(f"stopped: {saved} scans saved to {session.event_file}", flush=True)
        return 0
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
