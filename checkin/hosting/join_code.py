"""The join code: how a station finds a hosted event and proves it may connect.

    XXXX-XXXX-XXCC[@host:port]

Ten symbols of Crockford's base32 (50 random bits, the same alphabet and leniency as the
event's own codes) and two check symbols (10 bits of a hash of the ten: a mistyped code is told
at once, before any network look-up). The server's password is derived from the ten symbols,
so the code is the only secret a volunteer handles; it never travels in the zeroconf record.
Without an address a station finds the host through zeroconf (every hosted event on the network
is tried with the code); the QR and ``--join CODE@host:port`` carry the address as well, for a
network that blocks multicast.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from checkin.codes import ALPHABET

SECRET_LENGTH = 10
CHECK_LENGTH = 2
QR_PREFIX = "CHECKIN-JOIN:"
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})


class JoinCodeError(ValueError):
    """A join code that cannot be right; the message says what to do."""


@dataclass(frozen=True)
class JoinCode:
    secret: str  # the ten symbols
    host: str = ""
    port: int = 0

    @property
    def human(self) -> str:
        symbols = self.secret + _check(self.secret)
        return "-".join(symbols[i : i + 4] for i in range(0, len(symbols), 4))

    @property
    def with_address(self) -> str:
        return f"{self.human}@{self.host}:{self.port}" if self.host else self.human

    @property
    def qr_payload(self) -> str:
        return QR_PREFIX + self.with_address

    @property
    def password(self) -> str:
        return hashlib.sha256(f"checkin-join-password:{self.secret}".encode()).hexdigest()[:40]


def new_secret() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LENGTH))


def _check(secret: str) -> str:
    digest = hashlib.sha256(f"checkin-join-check:{secret}".encode()).digest()
    number = int.from_bytes(digest[:2], "big") >> (16 - 5 * CHECK_LENGTH)
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(CHECK_LENGTH)))


def parse_join_code(text: str) -> JoinCode:
    """Read a typed or scanned join code (lower case, spaces, missing dashes, O for 0...)."""
    raw = text.strip()
    if raw.upper().startswith(QR_PREFIX):
        raw = raw[len(QR_PREFIX) :]
    host, port = "", 0
    if "@" in raw:
        raw, _, address = raw.partition("@")
        host, _, port_text = address.strip().rpartition(":")
        if not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise JoinCodeError("The address after @ must be host:port, e.g. 192.168.1.10:5433")
        port = int(port_text)
    symbols = "".join(ch for ch in raw.upper() if ch not in " -").translate(_ALIASES)
    if len(symbols) != SECRET_LENGTH + CHECK_LENGTH or any(ch not in ALPHABET for ch in symbols):
        raise JoinCodeError(
            "A join code has 12 letters and digits, like ABCD-EFGH-JK12: check it on the host's"
            " screen"
        )
    secret, check = symbols[:SECRET_LENGTH], symbols[SECRET_LENGTH:]
    if _check(secret) != check:
        raise JoinCodeError("That join code has a typo: check it on the host's screen")
    return JoinCode(secret, host.strip("[]"), port)
