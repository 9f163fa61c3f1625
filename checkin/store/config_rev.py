"""Keep ``events.config_rev`` moving with every change to the ticket types.

The scan engine caches the ticket types (checkin/scanning/config.py) and reads only this
number with each scan. Any ORM change to a type bumps it in the same flush, whoever makes it
(setup, the CLI, a merge, another station on the same server). Handing out tickets moves a
type's ``next_serial`` only, which is not configuration and does not bump it.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, event, inspect, update
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from checkin.store.models import Event, TicketType

_EVENTS = cast("Table", Event.__table__)
BUMP = update(_EVENTS).values(config_rev=_EVENTS.c.config_rev + 1)
_NOT_CONFIG = {"next_serial"}


def _flushed(session: Session, _context: UOWTransaction) -> None:
    """After a flush (the rows written, their changes still known): one bump when it inserted,
    deleted or changed the configuration of a ticket type."""
    for obj in session.new | session.deleted:
        if isinstance(obj, TicketType):
            session.connection().execute(BUMP)
            return
    for obj in session.dirty:
        if isinstance(obj, TicketType):
            state = inspect(obj)
            changed = {a.key for a in state.attrs if a.history.has_changes()}
            if changed - _NOT_CONFIG:
                session.connection().execute(BUMP)
                return


def install(maker: sessionmaker[Session]) -> None:
    """On a database's session factory, as it is made (checkin/store/session_events.py)."""
    event.listen(maker, "after_flush", _flushed)
