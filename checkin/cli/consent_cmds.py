"""`checkin withdraw`: a household withdraws its consent to be contacted; its phone and email
are removed at once and never brought back (checkin/people/consent_withdrawal.py)."""

from __future__ import annotations

import argparse
from typing import Any

from checkin.cli import CliError
from checkin.cli.core_cmds import common, open_existing
from checkin.cli.passphrase import locked
from checkin.people.consent_withdrawal import NoSuchHousehold, withdraw_consent
from checkin.results import Station


def register(subparsers: Any) -> None:
    p = common(
        subparsers.add_parser(
            "withdraw",
            help="a household withdraws contact consent: remove its phone and email for good",
        )
    )
    p.add_argument("codes", nargs="+", metavar="CODE", help="the household's code")
    p.add_argument("--station", default="organiser", help="recorded with the withdrawal")
    p.set_defaults(handler=cmd_withdraw)
    locked(p)  # it changes a household's personal data: the organiser's decision


def cmd_withdraw(args: argparse.Namespace) -> int:
    db = open_existing(args)
    for code in args.codes:
        try:
            done = withdraw_consent(db, code, station=Station(args.station))
        except NoSuchHousehold as exc:
            raise CliError(str(exc)) from exc
        print(done.message)
    return 0
