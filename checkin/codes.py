"""Attendee, ticket and flyer codes: signed, bound to one event, easy to type by hand.

A code is 20 symbols of Crockford's base32 alphabet (digits and upper-case letters, all in the
QR alphanumeric set, so a small QR version holds it):

    K EEE SSSSSSSS MMMMMMM C
    | |   |        |       '-- check symbol (Luhn mod 32) catches a typo before any lookup
    | |   |        '---------- 35-bit HMAC-SHA256 of K+EEE+SSSSSSSS with the event's secret key
    | |   '------------------- 40 random bits: unique, not guessable
    | '----------------------- event tag (15 bits of the event's id): "wrong event" at a glance
    '------------------------- kind: A attendee, T ticket, F flyer campaign

The QR holds the 20 symbols; people read and type the grouped form ``TEEE-SSSS-SSSS-MMMM-MMMC``.
Reading is forgiving: lower case, spaces, missing dashes, O for 0, I or L for 1.
"""

from __future__ import annotations

import enum
import hmac
import secrets
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Crockford's decoding leniency: letters people confuse with digits.
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})

CODE_LENGTH = 20
EVENT_TAG_LENGTH = 3
SERIAL_LENGTH = 8
MAC_LENGTH = 7
GROUP = 4


class CodeKind(enum.StrEnum):
    ATTENDEE = "A"
    TICKET = "T"
    FLYER = "F"


class ParseError(enum.StrEnum):
    """Why an input is not a code of this event, from least to most suspicious."""

    NOT_A_CODE = "not_a_code"
    TYPO = "typo"
    WRONG_EVENT = "wrong_event"
    FORGED = "forged"


@dataclass(frozen=True)
class Code:
    kind: CodeKind
    value: str  # the canonical 20 symbols, as stored and put in the QR

    @property
    def human(self) -> str:
        return format_human(self.value)


def new_event_tag() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(EVENT_TAG_LENGTH))


def new_event_key() -> bytes:
    return secrets.token_bytes(32)


def make_code(kind: CodeKind, event_tag: str, key: bytes) -> Code:
    # One read of the system's randomness for the 40 bits (5 bits a symbol of 32): drawing
    # each symbol apart read it 8 times, a third of a 100,000-row import's time.
    number = int.from_bytes(secrets.token_bytes(5 * SERIAL_LENGTH // 8), "big")
    serial = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(SERIAL_LENGTH))
    body = kind.value + event_tag + serial
    body += _mac(key, body)
    return Code(kind, body + check_symbol(body))


def format_human(value: str) -> str:
    """``TEEESSSS...`` -> ``TEEE-SSSS-SSSS-MMMM-MMMC``."""
    return "-".join(value[i : i + GROUP] for i in range(0, len(value), GROUP))


def normalize(raw: str) -> str | None:
    """Canonical symbols of something a person typed or a scanner sent, or None if it cannot be
    one of our codes at all (wrong length, characters outside the alphabet)."""
    text = raw.strip().upper().replace("-", "").replace(" ", "").translate(_ALIASES)
    if len(text) != CODE_LENGTH or any(ch not in _VALUE for ch in text):
        return None
    if text[0] not in CodeKind._value2member_map_:
        return None
    return text


def parse(raw: str, event_tag: str, key: bytes) -> Code | ParseError:
    """Check an input against one event. Never raises."""
    value = normalize(raw)
    if value is None:
        return ParseError.NOT_A_CODE
    if check_symbol(value[:-1]) != value[-1]:
        return ParseError.TYPO
    if value[1 : 1 + EVENT_TAG_LENGTH] != event_tag:
        return ParseError.WRONG_EVENT
    body = value[: -1 - MAC_LENGTH]
    if not hmac.compare_digest(_mac(key, body), value[-1 - MAC_LENGTH : -1]):
        return ParseError.FORGED
    return Code(CodeKind(value[0]), value)


def check_symbol(body: str) -> str:
    """Luhn mod 32: catches every single substituted symbol and most swapped neighbours."""
    factor = 2
    total = 0
    for ch in reversed(body):
        addend = factor * _VALUE[ch]
        factor = 1 if factor == 2 else 2
        total += addend // 32 + addend % 32
    return ALPHABET[(32 - total % 32) % 32]


def _mac(key: bytes, body: str) -> str:
    digest = hmac.digest(key, body.encode("ascii"), "sha256")  # one call, no HMAC object
    number = int.from_bytes(digest[:8], "big") >> (64 - 5 * MAC_LENGTH)
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(MAC_LENGTH)))
