"""The listeners on this app's sessions: installed on each database's session factories when
it is made, never on SQLAlchemy's Session class (they were registered there at import, one of
them through an import that did nothing else); and a failover database is a whole Database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from checkin.event import events
from checkin.hosting.failover import FailoverDatabase
from checkin.record import audit
from checkin.store import AllowanceRule, Database, TicketKind, open_database
from checkin.store.models import Event, TicketType
from checkin.ticketing import tickets
from checkin.ticketing.ticket_type_edits import delete_ticket_type, update_ticket_type
from tests.helpers.event_files import copy_event_file


def test_no_listener_sits_on_sqlalchemy_s_session_class(db: Database) -> None:
    for name in ("after_flush", "do_orm_execute", "before_commit", "after_commit"):
        assert not event.contains(Session, name, _any_of(name)), name
    # A session of the process that is not the app's: nothing of the record's happens in it.
    with Session(db.engine) as session:
        session.add(TicketType(name="Scratch", kind="resource"))
        session.flush()
        assert not session.info  # the sealing notes nothing
        session.rollback()


def _any_of(name: str) -> Callable[..., Any]:
    """The functions that were registered on Session for ``name`` before this change."""
    from checkin.record import seal

    functions: dict[str, Callable[..., Any]] = {
        "after_flush": seal._flushed,
        "do_orm_execute": seal._executed,
        "before_commit": audit._seal_the_rest,
        "after_commit": seal._forget,
    }
    return functions[name]


def test_a_ticket_type_change_still_moves_config_rev_and_is_sealed(db: Database) -> None:
    def rev() -> int:
        with db.reading() as session:
            return int(session.scalars(select(Event.config_rev)).one())

    before = rev()
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE, stock=10)
    assert rev() == before + 1
    tickets.create_stock(db, "Meal", 2)  # moves next_serial only: not configuration
    assert rev() == before + 1
    update_ticket_type(
        db,
        "Meal",
        new_name="Meal",
        kind=TicketKind.RESOURCE,
        rule=AllowanceRule.FIXED,
        quantity=2,
        stock=10,
    )
    assert rev() == before + 2
    tickets.add_ticket_type(db, "Gone", TicketKind.RESOURCE)
    delete_ticket_type(db, "Gone")
    assert rev() == before + 4
    assert audit.verify(db).ok  # the types' rows are in the chain


def test_a_failover_database_is_initialised_as_a_database(db: Database, tmp_path: Path) -> None:
    """FailoverDatabase never ran Database.__init__: an inherited method (confirm_file) found
    none of the base's attributes."""
    assert db.path is not None
    copy = tmp_path / "copy.checkin"
    db.dispose()
    copy_event_file(db.path, copy)  # with its key file
    server = open_database(db.path)
    failover = FailoverDatabase(server, copy, "Desk 2")
    try:
        plain = open_database(copy)
        missing = set(vars(plain)) - set(vars(failover))
        plain.dispose()
        assert missing == set()
        failover.confirm_file()  # AttributeError before: no _opened
        assert events.get_event(failover).name == "Test Party"
    finally:
        failover.dispose()
