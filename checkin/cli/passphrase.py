"""The organiser passphrase on the command line: commands that show, copy or remove personal
data ask for it, as the desktop app's organiser screens do.

A command is locked where it is registered (``locked(parser)``); ``main`` asks before running
it: ``--passphrase``, else ``$CHECKIN_PASSPHRASE``, else a prompt when standard input is a
terminal. Missing or wrong: one line, exit 2, and the command does not run. An event made
without a passphrase has no lock. What it does not do: the event file itself is not encrypted,
so anyone holding the file can read it with sqlite3.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path

from checkin import events
from checkin.cli import db_location
from checkin.store import EventFileError, open_database

ENV = "CHECKIN_PASSPHRASE"
# Which event file's passphrase guards the command; None: this run needs none.
Guard = Callable[[argparse.Namespace], str | None]


class Refused(Exception):
    """No passphrase, or the wrong one: the one line to print."""


def locked(parser: argparse.ArgumentParser, guard: Guard | None = None) -> None:
    """Lock the command behind the passphrase of the event file ``guard`` names (default:
    the command's own event file)."""
    parser.add_argument(
        "--passphrase",
        dest="organiser_passphrase",
        default=None,
        help=f"organiser passphrase (or ${ENV}; asked on a terminal)",
    )
    parser.set_defaults(passphrase_guard=guard or db_location)


def unlock(args: argparse.Namespace) -> None:
    """Return when the command may run; raise Refused otherwise."""
    guard: Guard | None = getattr(args, "passphrase_guard", None)
    location = guard(args) if guard is not None else None
    if location is None:
        return
    if "://" not in location and not Path(location).expanduser().is_file():
        return  # nothing to protect yet; the command says what is missing
    try:
        db = open_database(location, check_integrity=False)
    except EventFileError:
        return  # the command reports the file's problem itself
    try:
        with db.reading() as session:
            stored = events.load_event(session).organiser_hash
    except events.NoEvent:
        return
    finally:
        db.dispose()
    if not stored:
        return
    given = _given(args)
    if given is None:
        raise Refused(
            f"this command shows, copies or removes personal data: give the organiser "
            f"passphrase (--passphrase or ${ENV})"
        )
    if not events.passphrase_matches(stored, given):
        raise Refused("wrong organiser passphrase: nothing was done")


def _given(args: argparse.Namespace) -> str | None:
    given: str | None = getattr(args, "organiser_passphrase", None)
    if given is None:
        given = os.environ.get(ENV)
    if given is None and sys.stdin is not None and sys.stdin.isatty():
        try:
            given = getpass.getpass("Organiser passphrase: ")
        except EOFError:
            return None
    return given
