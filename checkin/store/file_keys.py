"""Each event's data key, and who may unwrap it.

An encrypted event file (checkin/store/cipher.py) is read with a random 256-bit data key. The
key is never stored as it is: a small key file beside the event file (``<file>.keys``, 0600,
JSON) holds it wrapped (AES-256-GCM) by

- the organiser passphrase, through scrypt (slow on purpose: a guess costs what a hash check
  costs, checkin/event/events.py), once the event has a passphrase; and
- the laptop key of each laptop the organiser authorised: 32 random bytes in this user's data
  folder (``laptop.key``, 0600), named in the key file by a hash of it.

Why beside the file and not in it: the key must be read before the file can be, so it cannot
live in an encrypted table, and SQLite leaves no room of ours outside its pages. Every copy the
app makes (backups, station copies, joins) gets its own key file beside it; a file carried away
without one opens nowhere, not even with the passphrase (``KeyNeeded`` says so).

So a volunteer opens the desk on an authorised laptop with no passphrase; a copy of the file and
its key file taken elsewhere (a stick, another user's account) opens only with the passphrase;
changing the passphrase rewrites the key file, never the data.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import threading
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from checkin.paths import data_dir
from checkin.private_files import create_private, private_folder

SUFFIX = ".keys"
LAPTOP_KEY = "laptop.key"
KEY_BYTES = 32
FORMAT = 1
# The passphrase's wrap: the cost of the event's passphrase hash (tests lower it as they lower
# that one, tests/conftest.py).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**16, 8, 2
SCRYPT_MAXMEM = 2**28

# This process: key file content (its hash) -> the key it holds, once unwrapped (a passphrase
# is asked and derived once). By content, not path: a file and key file copied over another's
# are the other's key.
_known: dict[bytes, bytes] = {}
_lock = threading.Lock()


class KeyNeeded(Exception):
    """The file is encrypted and this laptop holds no key for it: the organiser passphrase
    opens it (or authorises this laptop)."""


class WrongPassphrase(KeyNeeded):
    """The passphrase given does not unwrap the file's key."""


def key_file(path: Path) -> Path:
    return path.with_name(path.name + SUFFIX)


KEY_DIR_ENV = "CHECKIN_KEY_DIR"  # another folder for the laptop key (tests use their own)


def laptop_key(folder: Path | None = None) -> bytes:
    """This user's laptop key, made on first use (0600 in a 0700 data folder)."""
    folder = folder or Path(os.environ.get(KEY_DIR_ENV) or data_dir())
    path = folder / LAPTOP_KEY
    try:
        found = path.read_bytes()
        if len(found) == KEY_BYTES:
            return found
    except FileNotFoundError:
        pass
    private_folder(folder)
    fresh = secrets.token_bytes(KEY_BYTES)
    partial = path.with_name(path.name + ".partial")
    create_private(partial)
    partial.write_bytes(fresh)
    try:
        os.link(partial, path)  # never over a key another process made meanwhile
    except FileExistsError:
        partial.unlink()
        return path.read_bytes()
    partial.unlink()
    return fresh


def laptop_id(key: bytes) -> str:
    return hashlib.sha256(b"checkin laptop " + key).hexdigest()[:16]


def _seal(wrapping: bytes, secret: bytes, label: bytes) -> dict[str, str]:
    nonce = secrets.token_bytes(12)
    box = AESGCM(wrapping).encrypt(nonce, secret, label)
    return {"nonce": nonce.hex(), "box": box.hex()}


def _open(wrapping: bytes, entry: dict[str, Any], label: bytes) -> bytes | None:
    try:
        nonce, box = bytes.fromhex(entry["nonce"]), bytes.fromhex(entry["box"])
        return AESGCM(wrapping).decrypt(nonce, box, label)
    except (InvalidTag, KeyError, ValueError, TypeError):
        return None


def _passphrase_key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        passphrase.encode(), salt=salt, n=n, r=r, p=p, maxmem=SCRYPT_MAXMEM, dklen=KEY_BYTES
    )


def _read(path: Path) -> dict[str, Any]:
    return _read_raw(path)[0]


def _read_raw(path: Path) -> tuple[dict[str, Any], bytes]:
    try:
        raw = key_file(path).read_bytes()
        found = json.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise KeyNeeded(
            f"{path.name} is encrypted and its key file {key_file(path).name} is missing"
        ) from None
    except (OSError, ValueError) as exc:
        raise KeyNeeded(f"The key file of {path.name} cannot be read: {exc}") from exc
    if not isinstance(found, dict) or found.get("format") != FORMAT:
        raise KeyNeeded(f"The key file of {path.name} is not one this version of checkin reads")
    return found, hashlib.sha256(raw).digest()


def _write(path: Path, content: dict[str, Any]) -> bytes:
    target = key_file(path)
    partial = target.with_name(target.name + ".partial")
    create_private(partial)
    raw = json.dumps(content, indent=1, sort_keys=True).encode("utf-8")
    with open(partial, "wb") as handle:
        handle.write(raw)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return hashlib.sha256(raw).digest()


def _remember(digest: bytes, key: bytes) -> None:
    with _lock:
        _known[digest] = key


def new_key(path: Path, *, passphrase: str | None = None) -> bytes:
    """A fresh data key for the new file ``path``, wrapped for this laptop (and the
    passphrase, when given) in its key file."""
    key = secrets.token_bytes(KEY_BYTES)
    write_keys(path, key, passphrase=passphrase)
    return key


def write_keys(
    path: Path,
    key: bytes,
    *,
    passphrase: str | None = None,
    laptops: dict[str, dict[str, str]] | None = None,
    this_laptop: bool = True,
    wrapped: dict[str, Any] | None = None,
) -> None:
    """The key file of ``path`` (a new file, or a copy): ``key`` wrapped for this laptop, for
    ``laptops`` already wrapped, and by the passphrase (or its existing ``wrapped`` entry)."""
    entries = dict(laptops or {})
    if this_laptop:
        own = laptop_key()
        entries[laptop_id(own)] = _seal(own, key, b"laptop")
    content: dict[str, Any] = {"format": FORMAT, "laptops": entries, "passphrase": wrapped}
    if passphrase:
        content["passphrase"] = _wrap_passphrase(key, passphrase)
    _remember(_write(path, content), key)


def _wrap_passphrase(key: bytes, passphrase: str) -> dict[str, Any]:
    salt = secrets.token_bytes(16)
    n, r, p = SCRYPT_N, SCRYPT_R, SCRYPT_P
    entry: dict[str, Any] = _seal(_passphrase_key(passphrase, salt, n, r, p), key, b"passphrase")
    entry.update(salt=salt.hex(), n=n, r=r, p=p)
    return entry


def key_for(path: Path) -> bytes:
    """The data key of the encrypted file ``path``: unwrapped already in this process, or by
    this laptop's key. KeyNeeded when neither has it (the passphrase does)."""
    content, digest = _read_raw(path)
    with _lock:
        found = _known.get(digest)
    if found is not None:
        return found
    own = laptop_key()
    entry = content.get("laptops", {}).get(laptop_id(own))
    key = _open(own, entry, b"laptop") if isinstance(entry, dict) else None
    if key is None:
        raise KeyNeeded(
            f"{path.name} is encrypted and this laptop is not authorised to open it:"
            " the organiser passphrase opens it"
        )
    _remember(digest, key)
    return key


def unlock(path: Path, passphrase: str) -> bytes:
    """The data key unwrapped by the organiser passphrase (remembered for this process)."""
    content, digest = _read_raw(path)
    entry = content.get("passphrase")
    if not isinstance(entry, dict):
        raise KeyNeeded(
            f"{path.name} has no organiser passphrase: only an authorised laptop opens it"
        )
    try:
        salt, cost = bytes.fromhex(entry["salt"]), (int(entry[c]) for c in "nrp")
        wrapping = _passphrase_key(passphrase, salt, *cost)
    except (KeyError, ValueError, TypeError) as exc:
        raise KeyNeeded(f"The key file of {path.name} is damaged") from exc
    key = _open(wrapping, entry, b"passphrase")
    if key is None:
        raise WrongPassphrase("Wrong passphrase")
    _remember(digest, key)
    return key


def authorise(path: Path, passphrase: str) -> None:
    """This laptop may open ``path`` without the passphrase from now on (the passphrase must
    unwrap the key first)."""
    key = unlock(path, passphrase)
    content = _read(path)
    write_keys(path, key, laptops=content.get("laptops", {}), wrapped=content.get("passphrase"))


def set_passphrase(path: Path, passphrase: str | None) -> None:
    """Wrap the key by a new passphrase (None: by none); the data is not rewritten."""
    key = key_for(path)
    content = _read(path)
    write_keys(
        path,
        key,
        passphrase=passphrase,
        laptops=content.get("laptops", {}),
        this_laptop=False,
        wrapped=None,
    )


def copy_keys(source: Path, target: Path, *, laptops: bool = True) -> None:
    """A key file for ``target``, a copy of ``source`` made with the same key: the passphrase's
    wrap, this laptop's, and (``laptops``) every other authorised laptop's."""
    key = key_for(source)
    content = _read(source)
    write_keys(
        target,
        key,
        laptops=content.get("laptops", {}) if laptops else None,
        wrapped=content.get("passphrase"),
    )


def has_passphrase(path: Path) -> bool:
    try:
        return isinstance(_read(path).get("passphrase"), dict)
    except KeyNeeded:
        return False


def move_keys(source: Path, target: Path) -> None:
    """The key file follows its file when that is renamed (a backup's partial, a restore)."""
    with contextlib.suppress(FileNotFoundError):
        os.replace(key_file(source), key_file(target))


def drop_keys(path: Path) -> None:
    """The key file of a file removed (an old backup rotated out)."""
    with contextlib.suppress(FileNotFoundError):
        key_file(path).unlink()
