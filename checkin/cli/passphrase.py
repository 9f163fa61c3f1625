"""The organiser passphrase on the command line: commands that show, copy or remove personal
data ask for it, as the desktop app's organiser screens do.

A command is locked where it is registered (``locked(parser)``); ``main`` asks before running
it: ``--passphrase``, else ``$CHECKIN_PASSPHRASE``, else a prompt when standard input is a
terminal. Missing or wrong: one line, exit 2, and the command does not run; after a few wrong
tries each next one waits longer (checkin/access/guessing.py). An event made without a passphrase
has
no lock. The event file itself is encrypted (checkin/store/file_keys.py): on a laptop that is not
authorised for it, the passphrase given (as above) also unwraps its key for this run.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path

from checkin.access import unlocking
from checkin.cli import db_location, say_set_aside
from checkin.event import events
from checkin.store import EventFileError, cipher, file_keys, open_database

ENV = "CHECKIN_PASSPHRASE"
PIN_ENV = "CHECKIN_CALLER_PIN"
# Which event file's passphrase guards the command; None: this run needs none.
Guard = Callable[[argparse.Namespace], str | None]


class Refused(Exception):
    """No passphrase, or the wrong one: the one line to print."""


def locked(
    parser: argparse.ArgumentParser, guard: Guard | None = None, *, caller_pin: bool = False
) -> None:
    """Lock the command behind the passphrase of the event file ``guard`` names (default:
    the command's own event file); with ``caller_pin``, the raffle caller's PIN opens it too,
    as it opens the raffle screen in the app."""
    parser.add_argument(
        "--passphrase",
        dest="organiser_passphrase",
        default=None,
        help=f"organiser passphrase (or ${ENV}; asked on a terminal)",
    )
    if caller_pin:
        parser.add_argument(
            "--pin",
            dest="caller_pin",
            default=None,
            help=f"the raffle caller's PIN instead of the passphrase (or ${PIN_ENV})",
        )
    parser.set_defaults(passphrase_guard=guard or db_location, pin_opens=caller_pin)


def unlock_file_key(args: argparse.Namespace) -> None:
    """An encrypted event file this laptop is not authorised to open: the passphrase given
    unwraps its key for this run (nothing is stored: `checkin authorise` does that). Without
    one, the command says the file is locked."""
    if getattr(args, "join", None) or getattr(args, "db_url", None):
        return
    path = Path(db_location(args)).expanduser()
    if not path.is_file() or not cipher.is_encrypted(path):
        return
    try:
        file_keys.key_for(path)
        return
    except file_keys.KeyNeeded:
        pass
    given = _given(args)
    if given is None:
        return  # opening says it is locked, and how to open it
    try:
        file_keys.unlock(path, given)
        args.organiser_passphrase = given  # asked once, for the command's own lock too
    except file_keys.WrongPassphrase:
        raise Refused("wrong organiser passphrase: the event file stays locked") from None
    except file_keys.KeyNeeded as exc:
        raise Refused(str(exc)) from None


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
    say_set_aside(db)
    try:
        with db.reading() as session:
            stored = events.load_event(session).organiser_hash
        if not stored:
            return
        pin = _pin(args)
        if pin is not None:
            tried = unlocking.try_caller_pin(db, pin)
            if tried.open:
                return
            _refuse_wait(tried)
        given = _given(args) if pin is None else getattr(args, "organiser_passphrase", None)
        if given is None:
            either = " or the raffle caller's PIN (--pin)" if args.pin_opens else ""
            raise Refused(
                f"this command shows, copies or removes personal data: give the organiser "
                f"passphrase (--passphrase or ${ENV}){either}"
            )
        tried = unlocking.try_passphrase(db, given)
        _refuse_wait(tried)
        if not tried.open:
            raise Refused("wrong organiser passphrase: nothing was done")
    except events.NoEvent:
        return
    finally:
        db.dispose()


def _refuse_wait(tried: unlocking.Attempt) -> None:
    if tried.outcome is unlocking.Outcome.WAIT:
        raise Refused(
            f"too many wrong passphrase tries: wait {int(tried.wait) + 1} s, then try again "
            "(nothing was done)"
        )


def _pin(args: argparse.Namespace) -> str | None:
    """The caller's PIN, where the command takes one."""
    if not getattr(args, "pin_opens", False):
        return None
    given: str | None = getattr(args, "caller_pin", None)
    return given if given is not None else os.environ.get(PIN_ENV)


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
