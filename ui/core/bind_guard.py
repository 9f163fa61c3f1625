"""The next person's ticket: a pre-printed ticket scanned while a card is still up binds to the
person on that card. Within BIND_WITHOUT_ASKING_SECONDS of the card appearing that is the person
at the table; later it may be the next person in line handing over their own stock ticket, so
the desk asks first ("Give to Latoya Miller? Enter = yes, Esc = new person"). A station setting
(station_settings.bind_question) makes it always ask or never ask."""

from __future__ import annotations

import enum
import time
from collections.abc import Callable

from checkin import codes

# A family handing over their stack of tickets does so within seconds of their card appearing
# (each bound ticket shows the card again, so the clock starts over).
BIND_WITHOUT_ASKING_SECONDS = 8.0


class BindQuestion(enum.StrEnum):
    """When the desk asks before giving a stock ticket to the person on screen."""

    AFTER_A_FEW_SECONDS = "after"
    ALWAYS = "always"
    NEVER = "never"


def is_ticket_code(text: str) -> bool:
    value = codes.normalize(text)
    return value is not None and value[0] == codes.CodeKind.TICKET.value


class BindGuard:
    """Remembers when the card showed whom, and says whether a ticket scan must ask first."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._code: str | None = None
        self._since = 0.0

    def card_shown(self, code: str | None) -> None:
        self._code = code
        self._since = self.clock()

    def must_ask(self, person_code: str, question: BindQuestion) -> bool:
        if question is BindQuestion.ALWAYS:
            return True
        if question is BindQuestion.NEVER:
            return False
        if person_code != self._code:  # put on the card some other way: from now
            self.card_shown(person_code)
        return self.clock() - self._since > BIND_WITHOUT_ASKING_SECONDS
