"""Whose write-ahead log is this? A ``-wal`` beside an event file is applied by SQLite to
whatever file is at the path when it is next opened: SQLite records nothing in the log that ties
it to one database file. A log left by a killed app must be applied (it holds acknowledged
scans); a log left after the file was replaced or copied over (a backup or an older copy put in
by hand after a crash) must not be: applied to another file it damages it, or mixes two files'
pages. So the app ties its logs to the file itself:

- The first commit of every session (an app or a command that has the file open and writes)
  also writes a fresh random number, a *token*, into the file's header (SQLite's
  ``user_version``, offset 60, which nothing else here uses), in the same transaction. Just
  before, under the write lock, it appends one line to an owner list beside the file
  (``.<file name>.wal-owner``, 0600): the token the file holds on disk now, the new token, and
  whether the log held any pages at that moment. A session that only reads writes nothing.
- So while a log is pending, the file on disk holds a token listed at or after the last line
  that found the log empty (before that line no page of today's log existed; after it, each
  checkpoint moves the file to a token listed since). Those are the log's *owners*.
- On opening, before SQLite reads anything, the token in the file as it stands on disk (read
  from its header directly, so without the log) is compared with the owners. One of them: the
  log is the file's own and is applied, as always. None of them (another event's file, a backup,
  which gets a token of its own, an older copy of this file made before the log began): the log
  was written for another file and is moved aside (``-wal.stale-<time>``, kept, never deleted),
  and the caller says so.
- When it cannot tell (no list: a file from an older version or from elsewhere; a header too
  short to read), the log is applied, as SQLite would: a wrong "not yours" would set aside
  acknowledged scans.

What it does not catch: a raw copy of the file taken after the log began (``cp`` of the live
file), copied back over it, carries an owner's token, so the log is applied to it.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from checkin.private_files import create_private
from checkin.store import held_files

_TOKEN_AT = 60  # SQLite header: the user version, 4 bytes, big-endian
_WAL_HEADER = 32  # a log no longer than its header holds no pages
KEEP_LINES = 64  # lines kept when the list is trimmed (trimmed past twice that)


def owner_list(path: Path) -> Path:
    return path.with_name(f".{path.name}.wal-owner")


def file_token(path: Path) -> int | None:
    """The token in the database file as it stands on disk (its log left out). Read through
    the process's held descriptor when it has the file open (held_files.py: closing a
    descriptor of its own would drop the process's SQLite locks, and another process's SQLite
    would then delete the log this one writes to)."""
    try:
        header = held_files.read(path, 100)
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return None
    return int.from_bytes(header[_TOKEN_AT : _TOKEN_AT + 4], "big", signed=True)


def _lines(path: Path) -> list[tuple[int, int, bool]] | None:
    try:
        text = owner_list(path).read_text(encoding="ascii")
    except (OSError, ValueError):
        return None
    lines = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and all(p.lstrip("-").isdigit() for p in parts):
            lines.append((int(parts[0]), int(parts[1]), parts[2] == "1"))
    return lines


def owners(path: Path) -> set[int] | None:
    """The tokens the file on disk may hold while its own log is pending; None: no list."""
    lines = _lines(path)
    if lines is None:
        return None
    began = max((i for i, (_, _, empty) in enumerate(lines) if empty), default=0)
    return {token for on_disk, new, _ in lines[began:] for token in (on_disk, new)}


def has_log(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > _WAL_HEADER
    except OSError:
        return False


def log_is_foreign(path: Path) -> bool:
    """True only when the log beside ``path`` was certainly written for another file."""
    if not has_log(path):
        return False
    tokens, token = owners(path), file_token(path)
    return tokens is not None and token is not None and token not in tokens


def move_log_aside(path: Path) -> list[Path]:
    """Rename the ``-wal`` and ``-shm`` beside ``path`` to ``…-wal.stale-<time>``: kept, not
    applied. The new names are returned for the caller to say."""
    moved = []
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for extra in ("-wal", "-shm"):
        companion = Path(f"{path}{extra}")
        if companion.exists():
            aside = Path(f"{companion}.stale-{stamp}")
            os.replace(companion, aside)
            create_private(aside)
            moved.append(aside)
    return moved


def set_aside_foreign_log(path: Path) -> list[Path]:
    """Before SQLite opens ``path``: a log written for another file is moved aside."""
    return move_log_aside(path) if log_is_foreign(path) else []


def new_token(path: Path) -> int | None:
    """The token for this session's first commit to write, listed first. Call it inside that
    write transaction (the write lock held, so no other session adds pages to the log meanwhile).
    None when the list cannot be written (a read-only stick): then the token must not change,
    or the session's log would look foreign."""
    token = secrets.randbelow(2**31 - 2) + 1
    on_disk = file_token(path)
    if on_disk is None:
        on_disk = 0  # a new file whose first page is still in its log
    line = f"{on_disk} {token} {0 if has_log(path) else 1}\n"
    try:
        _append(owner_list(path), line)
    except OSError:
        return None
    return token


def _append(listed: Path, line: str) -> None:
    if not listed.exists():
        create_private(listed)
    # Appended, not rewritten: two apps opening the file at once both keep their lines.
    with listed.open("a", encoding="ascii") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())
    kept = listed.read_text(encoding="ascii").splitlines(keepends=True)
    if len(kept) > 2 * KEEP_LINES:
        # The owners are the newest lines (each session lists its token just before writing
        # it), so the oldest can go.
        partial = listed.with_name(listed.name + ".new")
        create_private(partial)
        partial.write_text("".join(kept[-KEEP_LINES:]), encoding="ascii")
        os.replace(partial, listed)


def fresh_token() -> int:
    """A token no session listed: for copies (backups), which are files of their own."""
    return -(secrets.randbelow(2**31 - 2) + 1)  # negative: never one a session writes
