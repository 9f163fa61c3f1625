"""Which attendance and payment statuses, answers and notes mean a row is not coming, and
which mean coming but not paid yet (pending: counted, and said in the summary). English and
Spanish, as the registration tools write them (pretix: Paid, Pending, Expired, Canceled; Ticket
Tailor: valid, voided; Hi.Events: ACTIVE, CANCELLED, AWAITING_PAYMENT; Eventbrite: Attending,
Not Attending, Refunded; forms: "Will you attend?" No)."""

from __future__ import annotations

import re

from checkin.people.attendees import fold

# The first word of a status or answer that says the row is not coming.
_FIRST_WORDS = frozenset(
    (
        "refunded",
        "cancelled",
        "canceled",
        "cancelado",
        "cancelada",
        "deleted",
        "declined",
        "no",
        "not",
        "wont",
        "expired",
        "voided",
        "void",
        "failed",
        "reembolsado",
        "reembolsada",
        "eliminado",
        "eliminada",
        "borrado",
        "borrada",
        "expirado",
        "expirada",
        "vencido",
        "vencida",
        "anulado",
        "anulada",
        "rechazado",
        "rechazada",
        "fallido",
        "fallida",
        "noshow",
    )
)
# Words anywhere in a status that say so ("Order expired", "Payment failed", "Ticket voided").
_ANY_WORDS = _FIRST_WORDS - {"no", "not", "wont", "void"}
_PARTIAL = frozenset(("partial", "partially", "parcial", "parcialmente"))
_PENDING = re.compile(
    r"^(pending|awaiting( payment)?|unpaid|not paid|payment pending|pendiente|pendiente de pago"
    r"|por pagar|sin pagar|no pagado|en espera|reserved|reservado|on hold)\b"
)
# A note that strikes the row out: "CROSSED OUT - not coming", "cancelled", "no viene".
_STRUCK = re.compile(
    r"\b(crossed out|crossed off|struck out|not coming|wont come|wont be coming|cant come"
    r"|cant make it|cancell?ed|canceled|no show|no viene|no vendra|no va a venir|tachad[oa]s?"
    r"|cancelad[oa]s?|borrad[oa]s?|do not admit|removed)\b"
)


def _words(status: str) -> list[str]:
    # "AWAITING_PAYMENT", "no-show": underscores and hyphens part the words too.
    return fold(status.replace("_", " ")).replace("no show", "noshow").split()


def status_skips(status: str) -> bool:
    """Whether an attendance or payment status, or a "Will you attend?" answer, means the
    row is not coming."""
    words = _words(status)
    if not words or _PARTIAL & set(words):
        return False
    return words[0] in _FIRST_WORDS or bool(_ANY_WORDS & set(words))


def is_pending(status: str) -> bool:
    """Registered but not paid yet: counted as coming, and said."""
    return bool(_PENDING.match(" ".join(_words(status))))


def note_strikes(note: str) -> bool:
    """Whether a note says the row is crossed out or not coming."""
    return bool(_STRUCK.search(fold(note)))
