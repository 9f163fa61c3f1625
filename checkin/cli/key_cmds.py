"""The event file's key from the command line: authorise this laptop to open an encrypted
event file without the passphrase (checkin/store/file_keys.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from checkin.cli import CliError, db_location
from checkin.cli.core_cmds import common


def register(subparsers: Any) -> None:
    p = common(
        subparsers.add_parser(
            "authorise",
            help="let this laptop open the event file without the passphrase (asks for it)",
        )
    )
    p.add_argument(
        "--passphrase",
        dest="organiser_passphrase",
        default=None,
        help="organiser passphrase (or $CHECKIN_PASSPHRASE; asked on a terminal)",
    )
    p.set_defaults(handler=cmd_authorise)


def cmd_authorise(args: argparse.Namespace) -> int:
    from checkin.cli.passphrase import _given
    from checkin.store import cipher, file_keys

    location = db_location(args)
    if "://" in location:
        raise CliError("A server database is not a file: there is no key to authorise")
    path = Path(location).expanduser()
    if not path.is_file():
        raise CliError(f"No event file at {path}")
    if not cipher.is_encrypted(path):
        raise CliError(f"{path.name} is not encrypted: open it once as the organiser first")
    given = _given(args)
    if not given:
        raise CliError("authorising a laptop needs the organiser passphrase (--passphrase)")
    try:
        file_keys.authorise(path, given)
    except file_keys.WrongPassphrase:
        raise CliError("wrong organiser passphrase: this laptop was not authorised") from None
    except file_keys.KeyNeeded as exc:
        raise CliError(str(exc)) from None
    print(f"This laptop may now open {path.name} without the passphrase")
    return 0
