"""Keep ``events.config_rev`` moving with every change to the ticket types.

The scan engine caches the ticket types (checkin/scanning/config.py) and reads only this
number with each scan. Any ORM change to a type bumps it in the same flush, whoever makes it
(setup, the CLI, a merge, another station on the same server). Handing out tickets moves a
type's ``next_serial`` only, which is not configuration and does not bump it.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Connection, Table, event, inspect, update

from checkin.store.models import Event, TicketType

_EVENTS = cast("Table", Event.__table__)
BUMP = update(_EVENTS).values(config_rev=_EVENTS.c.config_rev + 1)
_NOT_CONFIG = {"next_serial"}


def _bump(_mapper: Any, connection: Connection, _target: TicketType) -> None:
    connection.execute(BUMP)


def _bump_if_configured(_mapper: Any, connection: Connection, target: TicketType) -> None:
    state = inspect(target)
    changed = {a.key for a in state.attrs if a.history.has_changes()}
    if changed - _NOT_CONFIG:
        connection.execute(BUMP)


event.listen(TicketType, "after_insert", _bump)
event.listen(TicketType, "after_delete", _bump)
event.listen(TicketType, "after_update", _bump_if_configured)
