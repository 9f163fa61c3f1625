"""Every SQLite file of the app is opened here: SQLCipher (the ``sqlcipher3`` wheel), with the
event's data key (checkin/store/file_keys.py) when the file is encrypted.

Why SQLCipher through ``sqlcipher3``: it is a fork of the standard ``sqlite3`` module (the same
connection API, so SQLAlchemy's SQLite dialect and the scan path's bare connection run on it
unchanged), its wheels carry SQLCipher 4 for Linux, Windows and macOS, and PyInstaller bundles
its one extension module like any other. (``apsw-sqlite3mc`` has another API, which SQLAlchemy
does not speak.)

How a file is encrypted: every page with AES-256 and an HMAC (SQLCipher 4's defaults), under a
raw 256-bit key, so opening costs no key derivation (the data key is random, not a passphrase).
The first 64 bytes of the file stay plain: SQLite's header up to its ``user_version``, which
holds no personal data, so the checks that read it without SQLite keep working (the header
check, the WAL owner's token in checkin/store/wal_owner.py, the change counter of the per-commit
file check). A plain header needs the salt given with the key; it is derived from the key.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import sqlcipher3.dbapi2 as _sqlcipher  # type: ignore[import-untyped]

from checkin.store import file_keys, held_files

driver: Any = _sqlcipher  # the DB-API module of every SQLite connection (SQLAlchemy's too)
PLAIN_HEADER = 64
MAGIC = b"SQLite format 3\x00"
Error: Any = _sqlcipher.Error  # what a failing SQLite call raises (ERRORS: or the stdlib's)
ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, _sqlcipher.Error)
# A file that cannot be read: a SQLite error, or encrypted for other laptops.
UNREADABLE: tuple[type[Exception], ...] = (*ERRORS, file_keys.KeyNeeded)


def encrypted_header(header: bytes) -> bool:
    """A SQLite header whose pages keep reserved bytes: SQLCipher's IV and HMAC. checkin's
    plain files keep none."""
    return header.startswith(MAGIC) and len(header) > 20 and header[20] != 0


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` is an encrypted SQLite file; False when it cannot be read."""
    try:
        return encrypted_header(held_files.read(path, 21))
    except OSError:
        return False


def key_for(path: Path) -> bytes | None:
    """The key that opens ``path``: None for a plain file; file_keys.KeyNeeded when this
    laptop holds none."""
    return file_keys.key_for(path) if is_encrypted(path) else None


def _raw_key(key: bytes) -> str:
    salt = hashlib.sha256(b"checkin file salt " + key).digest()[:16]
    return f"\"x'{key.hex()}{salt.hex()}'\""


def apply_key(connection: Any, key: bytes | None) -> None:
    """Key a fresh connection, before anything reads the file."""
    connection.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is said once, by us
    if key is None:
        return
    connection.execute(f"PRAGMA key = {_raw_key(key)}")
    connection.execute(f"PRAGMA cipher_plaintext_header_size = {PLAIN_HEADER}")


def export_encrypted(plain: Any, target: Path, key: bytes) -> None:
    """Everything of the plain file open on ``plain`` written into the new file ``target``,
    encrypted with ``key`` (SQLite's backup API copies pages between files alike only)."""
    quoted = str(target).replace("'", "''")
    plain.execute(f"ATTACH DATABASE '{quoted}' AS encrypted KEY {_raw_key(key)}")
    try:
        plain.execute(f"PRAGMA encrypted.cipher_plaintext_header_size = {PLAIN_HEADER}")
        plain.execute("SELECT sqlcipher_export('encrypted')")
        version = plain.execute("PRAGMA main.user_version").fetchone()[0]
        plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")  # its WAL token
    finally:
        plain.execute("DETACH DATABASE encrypted")


def connect(
    path: Path | str,
    *,
    key: bytes | None = None,
    find_key: bool = True,
    read_only: bool = False,
    immutable: bool = False,
    **options: Any,
) -> sqlite3.Connection:
    """A connection to the SQLite file ``path``, keyed: with ``key``, else (``find_key``) the
    file's own when it is encrypted. ``options`` go to the driver (timeout, isolation_level).
    Typed as the standard module's connection: the API is the same."""
    target: str = str(path)
    if options.get("uri") and target.startswith("file:"):  # a URI: the key is its file's
        path = Path(url2pathname(urlsplit(target).path))
    else:
        path = Path(path)
    if key is None and find_key:
        key = key_for(path)
    if read_only or immutable:
        target = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
        options["uri"] = True
    connection = driver.connect(target, **options)
    try:
        apply_key(connection, key)
    except BaseException:
        connection.close()
        raise
    return connection  # type: ignore[no-any-return]
