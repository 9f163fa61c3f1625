"""Sealing: every row a write transaction changes goes into the audit chain as its image.

Writers need not list what they changed. Sessions note the tracked rows they flush (ORM
objects) and the rows a Core INSERT, UPDATE or DELETE run through them reaches; the next audit
entry of the transaction carries those rows' images (checkin.record.audit.record), and a transaction
that changed rows after its last entry gets one more entry, "sealed", before it commits
(checkin.record.audit adds it: the record is below the audit log and never imports it). The
scan path writes through its own transaction and seals its rows itself (checkin.scanning).
"""

from __future__ import annotations

from itertools import chain
from typing import Any, cast

from sqlalchemy import Connection, Table, event, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

from checkin.record.images import BY_MODEL, BY_TABLE, Image

_TOUCHED = "record_touched"  # session.info: table -> uids changed and not sealed yet
_REMOVED = "record_removed"  # session.info: table -> uids deleted and not sealed yet
_GIVEN = "record_given"  # session.info: table -> uid -> image, from an insert's own values
# An INSERT's execution option: its rows' images are made from the values it inserts rather
# than read back (an import's 100,000 rows: a query per 500 of them saved).
IMAGES_FROM_VALUES = "images_from_values"
SEALED = "sealed"  # the action of the entry that seals rows changed after a transaction's last


def _touched(session: Session) -> dict[str, set[str]]:
    return cast("dict[str, set[str]]", session.info.setdefault(_TOUCHED, {}))


def _removed(session: Session) -> dict[str, set[str]]:
    return cast("dict[str, set[str]]", session.info.setdefault(_REMOVED, {}))


def _given(session: Session) -> dict[str, dict[str, Image]]:
    return cast("dict[str, dict[str, Image]]", session.info.setdefault(_GIVEN, {}))


def pending(session: Session) -> bool:
    return any(any(session.info.get(noted, {}).values()) for noted in (_TOUCHED, _REMOVED, _GIVEN))


def take(session: Session, connection: Connection) -> dict[str, dict[str, Image | None]]:
    """The images of the rows changed since the last entry (None: removed); forgets them."""
    rows: dict[str, dict[str, Image | None]] = {}
    for table, images in _given(session).items():
        rows.setdefault(table, {}).update(images)
    for table, uids in _touched(session).items():
        if uids:
            rows.setdefault(table, {}).update(BY_TABLE[table].images(connection, uids))
    for table, uids in _removed(session).items():
        for uid in uids:
            rows.setdefault(table, {})[uid] = None
    for noted in (_TOUCHED, _REMOVED, _GIVEN):
        session.info.pop(noted, None)
    return {table: images for table, images in rows.items() if images}


def _forget(session: Session, *_: Any) -> None:
    for noted in (_TOUCHED, _REMOVED, _GIVEN):
        session.info.pop(noted, None)


def _flushed(session: Session, _context: UOWTransaction) -> None:
    touched = _touched(session)
    for obj in chain(session.new, session.dirty):
        tracked = BY_MODEL.get(type(obj))
        if tracked is not None:
            touched.setdefault(tracked.table, set()).add(getattr(obj, tracked.key))
    for obj in session.deleted:
        tracked = BY_MODEL.get(type(obj))
        if tracked is not None:
            _removed(session).setdefault(tracked.table, set()).add(getattr(obj, tracked.key))


_TRACKED_TABLES = {cast("Table", t.model.__table__).name: t for t in BY_TABLE.values()}


def _executed(state: ORMExecuteState) -> Any:
    """A Core INSERT, UPDATE or DELETE through a session: note the rows it reaches."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    statement: Any = state.statement
    table = getattr(statement, "table", None)
    tracked = _TRACKED_TABLES.get(getattr(table, "name", ""))
    if tracked is None:
        return None
    session = state.session
    columns = cast("Table", tracked.model.__table__).c
    if state.is_insert:
        result = state.invoke_statement()
        params = state.parameters
        batch = params if isinstance(params, list) else [params] if params else []
        rows = [p for p in batch if isinstance(p, dict) and tracked.key in p]
        if state.execution_options.get(IMAGES_FROM_VALUES):
            given = _given(session).setdefault(tracked.table, {})
            for row in rows:
                image = tracked.image_of_values(row)
                if image is None:
                    break
                given[row[tracked.key]] = image
            else:
                return result
        _touched(session).setdefault(tracked.table, set()).update(p[tracked.key] for p in rows)
        return result
    where = statement.whereclause
    query = select(columns[tracked.key])
    matched = session.execute(query.where(where) if where is not None else query).scalars()
    noted = _removed(session) if state.is_delete else _touched(session)
    noted.setdefault(tracked.table, set()).update(matched)
    return None


def install(maker: sessionmaker[Session]) -> None:
    """Note what the sessions of ``maker`` change (checkin/store/session_events.py installs it
    on every database's session factories, through checkin.record.audit)."""
    event.listen(maker, "after_flush", _flushed)
    event.listen(maker, "do_orm_execute", _executed)
    event.listen(maker, "after_commit", _forget)
    event.listen(maker, "after_rollback", _forget)
