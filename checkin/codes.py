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
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Crockford's decoding leniency: letters people confuse with digits.
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_DOUBLED = {ch: 2 * i // 32 + 2 * i % 32 for ch, i in _VALUE.items()}
# Ten bits as two symbols (a code is made of them a chunk at a time): the lower five bits'
# symbol first (a serial), or last (a MAC).
_LOW_FIRST = [ALPHABET[n & 31] + ALPHABET[n >> 5] for n in range(1024)]
_HIGH_FIRST = [ALPHABET[n >> 5] + ALPHABET[n & 31] for n in range(1024)]

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
    return make_codes(kind, event_tag, key, 1)[0]


def make_codes(kind: CodeKind, event_tag: str, key: bytes, count: int) -> list[Code]:
    """``count`` new codes (an import draws a chunk at a time)."""
    # One read of the system's randomness for the chunk (40 bits a code, 5 a symbol):
    # reading it for each code or each symbol was a third of a 100,000-row import's time.
    size = SERIAL_LENGTH * 5 // 8
    randomness = secrets.token_bytes(size * count)
    head = kind.value + event_tag
    made = []
    for at in range(0, size * count, size):
        number = int.from_bytes(randomness[at : at + size], "big")
        body = (
            head
            + _LOW_FIRST[number & 1023]
            + _LOW_FIRST[(number >> 10) & 1023]
            + _LOW_FIRST[(number >> 20) & 1023]
            + _LOW_FIRST[number >> 30]
        )
        body += _mac(key, body)
        made.append(Code(kind, body + check_symbol(body)))
    return made


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
    # From the last symbol back, every other one is doubled (its two base-32 digits added).
    total = sum(map(_DOUBLED.__getitem__, body[::-2])) + sum(map(_VALUE.__getitem__, body[-2::-2]))
    return ALPHABET[(32 - total % 32) % 32]


@functools.lru_cache(maxsize=8)
def _keyed(key: bytes) -> tuple[Any, Any]:
    """HMAC-SHA256's inner and outer hashes with the key absorbed (RFC 2104), copied for each
    code: a third of the time of ``hmac.digest``, which absorbs the key for every code."""
    block = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
    return inner, outer


def _mac(key: bytes, body: str) -> str:
    inner, outer = (h.copy() for h in _keyed(key))
    inner.update(body.encode("ascii"))
    outer.update(inner.digest())  # = hmac.digest(key, body, "sha256")
    number = int.from_bytes(outer.digest()[:8], "big") >> (64 - 5 * MAC_LENGTH)
    # The 35 bits as 7 symbols, the highest first.
    return (
        ALPHABET[number >> 30]
        + _HIGH_FIRST[(number >> 20) & 1023]
        + _HIGH_FIRST[(number >> 10) & 1023]
        + _HIGH_FIRST[number & 1023]
    )
