"""The `checkin` command. Subcommands live in the `*_cmds` modules of this package; each has a
`register(subparsers)` that adds its commands. With no subcommand the desktop app opens.

Errors print one clear line and exit non-zero; never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import pkgutil
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn, TextIO, cast

from sqlalchemy.exc import DBAPIError

from checkin import logfile
from checkin.clean_text import clean_text, for_terminal
from checkin.paths import resolve_db
from checkin.store import cipher

Handler = Callable[[argparse.Namespace], int]


class CliError(Exception):
    """A failure to report as one line."""


class Parser(argparse.ArgumentParser):
    """Bad arguments get one line (what is wrong and where to look), not the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="checkin", description="Event-day check-in, tickets and raffle.")
    parser.add_argument("--db", help="event file (default: $CHECKIN_DB or the per-user file)")
    parser.add_argument("--db-url", help="database URL instead of a file (PostgreSQL)")
    parser.add_argument("--join", metavar="CODE", help="join code of an event hosted nearby")
    parser.add_argument("--version", action="version", version=_version())
    # The desktop app only (no command): this laptop's station, asked otherwise the first time.
    parser.add_argument("--station", dest="gui_station", help="station name (desktop app)")
    parser.add_argument("--volunteer", dest="gui_volunteer", help="volunteer (desktop app)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    package = sys.modules[__name__]
    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module.name.endswith("_cmds"):
            importlib.import_module(f"{__name__}.{module.name}").register(subparsers)
    return parser


def _version() -> str:
    from checkin import __version__

    return f"checkin {__version__}"


def say_set_aside(db: Any) -> None:
    """Say which -wal/-shm opening moved aside, not being the event file's own
    (checkin/store/wal_owner.py): said, never hidden."""
    for path in getattr(db, "set_aside", ()):
        print(
            "A -wal/-shm file that did not belong to the event file was moved aside"
            f" (kept, not applied): {path}",
            file=sys.stderr,
        )


def db_location(args: argparse.Namespace) -> str:
    code = getattr(args, "join", None)
    if code:
        return join_url(code, station_name(args))
    url = getattr(args, "db_url", None)
    return url if url else resolve_db(getattr(args, "db", None))


def station_name(args: argparse.Namespace) -> str:
    import socket

    return str(getattr(args, "station", None) or socket.gethostname().split(".")[0] or "station")


def join_url(code: str, station: str) -> str:
    """The hosted event's URL for ``--join CODE``; one clear line when it cannot be found."""
    from checkin.hosting.join_code import JoinCodeError
    from checkin.hosting.joining import resolve_join, with_station_name

    try:
        url = resolve_join(code)
    except JoinCodeError as exc:
        raise CliError(str(exc)) from exc
    return with_station_name(url, station)


class TerminalSafe:
    """A text stream that writes control characters as ``\\uXXXX``: a name holding an ESC
    sequence is shown, not obeyed, and a JSON reader still gets the same text."""

    def __init__(self, stream: TextIO, *, stderr: bool = False) -> None:
        self._stream = stream
        self._stderr = stderr

    def write(self, text: str) -> int:
        self._stream.write(for_terminal(text, stderr=self._stderr))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def terminal_safe() -> Iterator[None]:
    out, err = sys.stdout, sys.stderr
    sys.stdout = cast("TextIO", TerminalSafe(out))
    sys.stderr = cast("TextIO", TerminalSafe(err, stderr=True))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def main(argv: Sequence[str] | None = None) -> int:
    with terminal_safe():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(_event_file_alone(sys.argv[1:] if argv is None else list(argv)))
    for name in ("station", "volunteer"):  # typed names keep no control characters
        if isinstance(getattr(args, name, None), str):
            setattr(args, name, clean_text(getattr(args, name)))
    if os.environ.get("CHECKIN_DEBUG"):
        logging.basicConfig(level=logging.DEBUG)  # tracebacks of failed scans, SQL errors
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        return _open_gui(args)
    logfile.install()
    try:
        from checkin.cli.passphrase import Refused, unlock, unlock_file_key

        try:
            unlock_file_key(args)
            unlock(args)
        except Refused as exc:
            print(f"checkin: {exc}", file=sys.stderr)
            return 2
        return handler(args)
    except KeyboardInterrupt:
        print("checkin: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except CliError as exc:
        print(f"checkin: {exc}", file=sys.stderr)
        return 1
    except (DBAPIError, cipher.Error) as exc:
        from checkin.errors import describe

        print(f"checkin: {describe(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # every known failure has a clear message; this is the last net
        from checkin.errors import describe

        if os.environ.get("CHECKIN_DEBUG"):
            raise

        print(f"checkin: {describe(exc)}", file=sys.stderr)
        return 2
    finally:
        from checkin.cli.core_cmds import close_opened

        close_opened()
        logfile.uninstall()


def _event_file_alone(argv: list[str]) -> list[str]:
    """`checkin party.checkin` opens the file in the app, as `checkin --db party.checkin` does:
    a file manager (or macOS, handing over a double-clicked document) passes the file alone."""
    if len(argv) == 1 and argv[0].lower().endswith(".checkin") and not argv[0].startswith("-"):
        return ["--db", argv[0]]
    return argv


def _open_gui(args: argparse.Namespace) -> int:
    try:
        from ui.app.launch import run
    except ImportError as exc:
        print(
            f"checkin: the desktop app cannot start ({exc}); see `checkin --help`", file=sys.stderr
        )
        return 2
    try:
        location = db_location(args) if (args.db or args.db_url or args.join) else None
    except CliError as exc:
        print(f"checkin: {exc}", file=sys.stderr)
        return 1
    if args.join and location is not None:
        from ui.app.launch import run_joined

        return int(run_joined(location, args.gui_station or station_name(args), args.gui_volunteer))
    return int(run(location, args.gui_station, args.gui_volunteer))
