"""An encrypted event file's pages decrypted (SQLCipher 4's page layout), for tests that look
for what is left on the pages themselves, free pages included (a purge's secure delete): a
logical copy would show only live rows."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from checkin.store import cipher, file_keys

_RESERVE = 80  # SQLCipher 4: a 16-byte IV and a 64-byte HMAC at each page's end
_WAL_HEADER, _FRAME_HEADER = 32, 24


def _page(key: bytes, page: bytes, number: int) -> bytes:
    offset = cipher.PLAIN_HEADER if number == 1 else 0
    end = len(page) - _RESERVE
    iv = page[end : end + 16]
    clear = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return page[:offset] + clear.update(page[offset:end]) + clear.finalize()


def file_and_log(path: Path) -> bytes:
    """The file's pages and its -wal's frames, decrypted when the file is encrypted."""
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    log = wal.read_bytes() if wal.exists() else b""
    if not cipher.encrypted_header(data[:100]):
        return data + log
    key = file_keys.key_for(path)
    size = int.from_bytes(data[16:18], "big")
    size = 65536 if size == 1 else size
    pages = [_page(key, data[at : at + size], at // size + 1) for at in range(0, len(data), size)]
    for at in range(_WAL_HEADER, len(log) - _FRAME_HEADER - size + 1, _FRAME_HEADER + size):
        number = int.from_bytes(log[at : at + 4], "big")
        frame = log[at + _FRAME_HEADER : at + _FRAME_HEADER + size]
        pages.append(_page(key, frame, number))
    return b"".join(pages)
