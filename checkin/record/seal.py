"""Sealing: every row a write transaction changes goes into the audit chain as its image.

Writers need not list what they changed. Sessions note the tracked rows they flush (ORM
objects) and the rows a Core INSERT, UPDATE or DELETE run through them reaches; the next audit
entry of the transaction carries those rows' images (checkin.record.audit.record), and a transaction
that changed rows after its last entry gets one more entry, "sealed", before it commits
(checkin.record.audit adds it: the record is below the audit log and never imports it). The
scan path writes through its own transaction and seals its rows itself (checkin.scanning).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from itertools import chain
from typing import Any, cast

from sqlalchemy import Connection, Dialect, Table, event, insert, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

from checkin.record.images import BY_MODEL, BY_TABLE, Image

_TOUCHED = "record_touched"  # session.info: table -> uids changed and not sealed yet
_REMOVED = "record_removed"  # session.info: table -> uids deleted and not sealed yet
_GIVEN = "record_given"  # session.info: table -> uid -> image, from an insert's own values
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


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows (dicts of the same columns) in the session's transaction, sealed by images
    made from their values rather than read back.

    Straight to the driver's executemany with the statement compiled once: an import's
    100,000 rows spent a quarter of their time in SQLAlchemy's handling of each row's
    parameters (the types' conversions are still applied, as SQLAlchemy would)."""
    if not rows:
        return
    connection = session.connection()
    sql, names, named, convert = _compiled(connection.dialect, table, tuple(rows[0]))
    params: list[Any] = [[row[name] for name in names] for row in rows]
    for at, to in convert:
        # A chunk's rows mostly share the very value (its time, True, None): converted once.
        last: Any = object()
        sent = None
        for values in params:
            if values[at] is not last:
                last = values[at]
                sent = to(last)
            values[at] = sent
    if named:  # a driver taking named parameters (psycopg)
        connection.exec_driver_sql(sql, [dict(zip(names, v, strict=True)) for v in params])
    else:
        connection.exec_driver_sql(sql, [tuple(values) for values in params])
    tracked = _TRACKED_TABLES.get(table.name)
    if tracked is None:
        return
    images = {}
    for row in rows:  # the values as given (the record's form of a datetime, not the driver's)
        image = tracked.image_of_values(row)
        if image is None:  # a sealed field not among the values: read back at the entry
            _touched(session).setdefault(tracked.table, set()).update(r[tracked.key] for r in rows)
            return
        images[row[tracked.key]] = image
    _given(session).setdefault(tracked.table, {}).update(images)


@functools.lru_cache(maxsize=16)
def _compiled(
    dialect: Dialect, table: Table, columns: tuple[str, ...]
) -> tuple[str, tuple[str, ...], bool, tuple[tuple[int, Callable[[Any], Any]], ...]]:
    """The INSERT's text for this driver, its parameters in order, whether the driver takes
    them by name, and the types' conversions of values to the driver's (by position: a
    datetime to SQLite's text, a bool to 0 or 1)."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    positional = compiled.positiontup
    names = tuple(positional) if positional is not None else columns
    convert = []
    for at, name in enumerate(names):
        to = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if to is not None:
            convert.append((at, to))
    return compiled.string, names, positional is None, tuple(convert)


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
