"""Backups from the command line: take one now, or put one back."""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from checkin.cli import CliError, db_location
from checkin.cli.core_cmds import common, open_existing
from checkin.cli.passphrase import locked
from checkin.private_files import private_folder

_SEPARATORS = tuple({"/", os.sep, os.altsep or "/"})


def register(subparsers: Any) -> None:
    p = common(subparsers.add_parser("backup", help="a verified copy of the event file, now"))
    p.add_argument(
        "--out",
        required=True,
        help="backup file, or a folder (name with the time; ending in / it is made if missing)",
    )
    p.set_defaults(handler=cmd_backup)
    locked(p)

    p = common(
        subparsers.add_parser(
            "restore", help="put a backup in place of the event file (kept as .before-restore)"
        )
    )
    p.add_argument("--from", dest="backup", type=Path, required=True, help="the backup file")
    p.set_defaults(handler=cmd_restore)
    locked(p, _restore_guard)


def _restore_guard(args: argparse.Namespace) -> str:
    """The passphrase of the file being replaced; with none there yet, the backup's."""
    location = db_location(args)
    if "://" in location or Path(location).expanduser().is_file():
        return location
    return str(args.backup)


def cmd_backup(args: argparse.Namespace) -> int:
    from checkin.event.events import get_event
    from checkin.store.backups import BackupError, backup_name, write_backup

    db = open_existing(args)
    try:
        target = Path(args.out).expanduser()
        if args.out.endswith(_SEPARATORS) and not target.is_dir():
            # "dir/" names a folder: made (private, as every folder the app makes), never a
            # file called "dir" (found by a tester).
            try:
                private_folder(target)
            except OSError as exc:
                raise BackupError(
                    f"Cannot make the folder {target}: {exc.strerror or exc}"
                ) from exc
        if target.is_dir():
            target = target / backup_name(get_event(db).name, datetime.now())
        written = write_backup(db, target)
    except BackupError as exc:
        raise CliError(str(exc)) from exc
    finally:
        db.dispose()
    print(f"Backup written and checked: {written}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from checkin.store.backups import BackupError, restore_file

    location = db_location(args)
    if "://" in location:
        raise CliError("Restore works on an event file; a server database is restored there")
    try:
        done = restore_file(Path(location), args.backup)
    except (BackupError, OSError) as exc:
        raise CliError(str(exc)) from exc
    kept = f"; the previous file is kept as {done.kept}" if done.kept is not None else ""
    print(f"Restored {args.backup} into {location}{kept}")
    # A log that was not the file's own would have damaged the restored one: said, not hidden.
    for path in done.set_aside:
        print(f"A -wal/-shm file that did not belong to the event file was moved aside: {path}")
    return 0
