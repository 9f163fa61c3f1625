"""Consent in English and Spanish: which headers ask for it and which answers give it.

Both work on folded text (``checkin.people.attendees.fold``: lower case, no accents, no
punctuation),
so "¿Acepta que le contactemos?" is matched as "acepta que le contactemos".
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from checkin.people.attendees import fold

# A header asking for permission to contact. Tried before the email and phone rules, so that
# "Email me updates" or "Text me" is a consent question, not a contact column.
HEADER_PATTERNS = (
    r"\b(consent\w*|consentimiento|opt ?in|optin|agree\w*|permiso|autoriz\w*|acept\w*|accept\w*"
    r"|de acuerdo|keep me (informed|posted|updated)|mantener\w*|informad[oa]s?"
    r"|updates?|marketing|newsletters?|subscribe\w*|suscrib\w*|novedades|noticias|boletin"
    r"|text me|email me|contact me|contactarme|contactenme|envienme|avisenme)\b",
    r"\b(may|can|ok to|okay to|podemos|puede|pueden)\b.*\b(contact\w*|call|text|email|"
    r"contactar\w*|llamar\w*|escribir\w*|enviar\w*)\b",
)

_CHECKMARKS = frozenset("✓✔☑✅")
_YES_WORDS = frozenset(
    (
        "yes",
        "y",
        "yeah",
        "yep",
        "si",
        "s",
        "true",
        "x",
        "1",
        "ok",
        "okay",
        "sure",
        "please",
        "agree",
        "agreed",
        "acepto",
        "aceptar",
        "autorizo",
        "permito",
        "claro",
        "checked",
        "on",
        "oui",
        "sim",
        "subscribe",
        "subscribed",
    )
)
_YES_PHRASES = (
    "i agree",
    "de acuerdo",
    "opt in",
    "opted in",
    "keep me informed",
    "keep me posted",
    "text me",
    "email me",
    "contact me",
    "por supuesto",
    "si acepto",
    "mantenerme informad",
)
_NO_WORDS = frozenset(
    (
        "no",
        "n",
        "not",
        "none",
        "false",
        "0",
        "nope",
        "never",
        "nunca",
        "dont",
        "do",  # "do not contact me"
        "decline",
        "declined",
        "unchecked",
        "off",
        "unsubscribe",
        "ninguno",
        "nada",
    )
)
_NEGATIONS = frozenset(("no", "not", "dont", "never", "nunca", "opt out", "out"))
# A yes/no answer, in either sense: what a consent column holds (and an email column does not).
_ANSWER_WORDS = _YES_WORDS | _NO_WORDS | {"si acepto", "no acepto", "no gracias", "i agree"}


@lru_cache(maxsize=4096)  # a column holds a few distinct answers, many times over
def gives_consent(raw: str) -> bool:
    """Whether an answer says yes to being contacted ("Sí", "I agree", "✓", "Text me")."""
    value = raw.strip()
    if value in _CHECKMARKS:
        return True
    folded = fold(value)
    words = folded.split()
    if not words or words[0] in _NO_WORDS or _NEGATIONS.intersection(words[1:]):
        return False
    if words[0] in _YES_WORDS:
        return True
    return any(phrase in folded for phrase in _YES_PHRASES)


def is_yes_no_answer(raw: str) -> bool:
    folded = fold(raw)
    return raw.strip() in _CHECKMARKS or folded in _ANSWER_WORDS or gives_consent(raw)


def all_yes_no(values: Iterable[str]) -> bool:
    """Whether a column's answers (blank ones aside) are all yes/no: a consent question."""
    seen = False
    for value in values:
        if not value.strip():
            continue
        if "@" in value or not is_yes_no_answer(value):
            return False
        seen = True
    return seen
