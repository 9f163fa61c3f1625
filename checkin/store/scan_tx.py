"""One scan's transaction: prebuilt statements on one connection, in the fewest round trips.

SQLite: ``BEGIN IMMEDIATE`` on the driver, then Core statements through an engine without
event hooks (each hook costs more than the statement it watches). PostgreSQL: each statement is
compiled once to the driver's SQL and sent in psycopg's pipeline mode, so a scan's reads (the
event row lock included) travel in one round trip and its writes and ``COMMIT`` in another. A
read's rows are fetched only when asked for, so reads sent one after the other share a trip.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Boolean, Connection, DateTime
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import Compiled

from checkin.store import cipher

Params = Mapping[str, Any]


class Pending(Protocol):
    def rows(self) -> Sequence[Any]: ...


class ScanTx(Protocol):
    """What the scan engine asks of its write transaction."""

    def read(self, statement: Executable, params: Params | None = None) -> Pending:
        """Send a query; its rows come with ``rows()`` (on a server, every read sent before
        that shares its round trip)."""
        ...

    def write(self, statement: Executable, params: Params) -> None: ...

    def write_many(self, statement: Executable, rows: Sequence[Params]) -> None: ...

    def changed(self, statement: Executable, params: Params) -> int:
        """Run a conditional UPDATE and say how many rows it changed (who won)."""
        ...


def first(pending: Pending) -> Any | None:
    rows = pending.rows()
    return rows[0] if rows else None


class _Done:
    def __init__(self, rows: Sequence[Any]) -> None:
        self._rows = rows

    def rows(self) -> Sequence[Any]:
        return self._rows


class CoreTx:
    """Statements through SQLAlchemy, each run at once: on SQLite the file is local and a
    statement costs microseconds, so there is nothing to batch (also any read outside a
    scan's write, on either backend)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def read(self, statement: Executable, params: Params | None = None) -> Pending:
        return _Done(self._connection.execute(statement, dict(params or {})).all())

    def write(self, statement: Executable, params: Params) -> None:
        self._connection.execute(statement, dict(params))

    def write_many(self, statement: Executable, rows: Sequence[Params]) -> None:
        if rows:
            self._connection.execute(statement, [dict(r) for r in rows])

    def changed(self, statement: Executable, params: Params) -> int:
        result: Any = self._connection.execute(statement, dict(params))
        return int(result.rowcount)


class SqliteTx:
    """SQLite's driver straight: each statement compiled once to its SQL, positional values
    converted as SQLAlchemy stores them (times as ISO text, booleans as 0/1), rows converted
    back. SQLAlchemy's execution machinery cost a scan more than SQLite's own work did."""

    def __init__(self, driver: sqlite3.Connection, dialect: Any) -> None:
        self._driver = driver
        self._dialect = dialect

    def read(self, statement: Executable, params: Params | None = None) -> Pending:
        plan = _plan(statement, self._dialect)
        with _as_dbapi_error(plan.sql, cipher.driver.Error):
            rows = self._driver.execute(plan.sql, plan.values(params or {})).fetchall()
        return _Done([plan.row(r) for r in rows])

    def write(self, statement: Executable, params: Params) -> None:
        plan = _plan(statement, self._dialect)
        with _as_dbapi_error(plan.sql, cipher.driver.Error):
            self._driver.execute(plan.sql, plan.values(params))

    def write_many(self, statement: Executable, rows: Sequence[Params]) -> None:
        if rows:
            plan = _plan(statement, self._dialect)
            with _as_dbapi_error(plan.sql, cipher.driver.Error):
                self._driver.executemany(plan.sql, [plan.values(r) for r in rows])

    def changed(self, statement: Executable, params: Params) -> int:
        plan = _plan(statement, self._dialect)
        with _as_dbapi_error(plan.sql, cipher.driver.Error):
            return int(self._driver.execute(plan.sql, plan.values(params)).rowcount)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(" ", "microseconds")  # as SQLAlchemy's DateTime stores it
    if isinstance(value, bool):
        return int(value)
    return value


def _sqlite_time(value: Any) -> Any:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class _Plan:
    sql: str
    names: tuple[str, ...]  # the positional parameters, in order
    defaults: dict[str, Any]  # values bound in the statement itself
    row_type: Any  # a named tuple of the selected columns
    converters: tuple[Callable[[Any], Any] | None, ...]

    def values(self, params: Params) -> tuple[Any, ...]:
        return tuple(
            _sqlite_value(params[n] if n in params else self.defaults[n]) for n in self.names
        )

    def row(self, raw: Sequence[Any]) -> Any:
        return self.row_type._make(
            convert(v) if convert is not None and v is not None else v
            for convert, v in zip(self.converters, raw, strict=True)
        )


_PLANS: dict[int, tuple[Executable, _Plan]] = {}


def _plan(statement: Executable, dialect: Any) -> _Plan:
    hit = _PLANS.get(id(statement))
    if hit is not None and hit[0] is statement:
        return hit[1]
    compiled: Any = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
    columns = list(getattr(statement, "selected_columns", ()))
    converters: list[Callable[[Any], Any] | None] = []
    for column in columns:
        if isinstance(column.type, DateTime):
            converters.append(_sqlite_time)
        elif isinstance(column.type, Boolean):
            converters.append(bool)
        else:
            converters.append(None)
    keys = list(statement.selected_columns.keys()) if columns else []  # type: ignore[attr-defined]
    plan = _Plan(
        sql=compiled.string,
        names=tuple(compiled.positiontup or ()),
        defaults=dict(compiled.params),
        row_type=namedtuple("Row", keys, rename=True) if keys else tuple,
        converters=tuple(converters),
    )
    _PLANS[id(statement)] = (statement, plan)
    return plan


# Each statement as the server's driver takes it, compiled once per process.
_COMPILED: dict[int, tuple[Executable, str, dict[str, Any]]] = {}


def _compiled(statement: Executable, connection: Connection) -> tuple[str, dict[str, Any]]:
    hit = _COMPILED.get(id(statement))
    if hit is None or hit[0] is not statement:
        # No expanding IN lists in these statements: each compiles to one fixed string.
        compiled: Compiled = statement.compile(dialect=connection.dialect)  # type: ignore[attr-defined]
        hit = (statement, compiled.string, dict(compiled.params))
        _COMPILED[id(statement)] = hit
    return hit[1], hit[2]


PIPELINE = "checkin_pipeline"  # the connection record's key for its open pipeline


def enter_pipeline(driver: Any, info: dict[str, Any]) -> None:
    """Put a new scan connection in autocommit and pipeline mode for its whole life: the scan's
    BEGIN and COMMIT are then statements of ours, queued with the rest, so neither costs a round
    trip of its own (psycopg waits for a BEGIN it issues itself)."""
    driver.autocommit = True
    context = driver.pipeline()
    info[PIPELINE] = (context, context.__enter__())


def leave_pipeline(_driver: Any, info: dict[str, Any]) -> None:
    """Before the connection closes: a pipeline left open would try to sync a closed line."""
    entered = info.pop(PIPELINE, None)
    if entered is not None:
        with contextlib.suppress(Exception):
            entered[0].__exit__(None, None, None)


class PipelineTx:
    """PostgreSQL through psycopg's pipeline: statements are queued, and the server is
    waited for only when rows or a row count are needed, and at the commit."""

    def __init__(self, connection: Connection) -> None:
        from psycopg.rows import namedtuple_row

        self._connection = connection
        self._driver: Any = connection.connection.driver_connection
        self._info = connection.connection.info
        self._row_factory = namedtuple_row
        self.wrote = False  # whether a write was sent: then a failure cannot be retried blind

    def begin(self) -> None:
        self._command("BEGIN")

    def commit(self) -> None:
        self._command("COMMIT")
        self._sync()

    def rollback(self) -> None:
        with contextlib.suppress(DBAPIError):
            self._sync()  # out of an aborted pipeline first
        self._command("ROLLBACK")
        self._sync()

    def _command(self, sql: str) -> None:
        with _as_dbapi_error(sql):
            self._driver.cursor().execute(sql)

    def _sync(self) -> None:
        with _as_dbapi_error(""):
            self._info[PIPELINE][1].sync()

    def _execute(self, statement: Executable, params: Params | None) -> Any:
        sql, defaults = _compiled(statement, self._connection)
        cursor = self._driver.cursor(row_factory=self._row_factory)
        with _as_dbapi_error(sql):
            cursor.execute(sql, {**defaults, **(params or {})})
        return cursor

    def read(self, statement: Executable, params: Params | None = None) -> Pending:
        return _Fetching(self._execute(statement, params))

    def write(self, statement: Executable, params: Params) -> None:
        self.wrote = True
        self._execute(statement, params)

    def write_many(self, statement: Executable, rows: Sequence[Params]) -> None:
        if rows:
            self.wrote = True
            sql, defaults = _compiled(statement, self._connection)
            with _as_dbapi_error(sql):
                self._driver.cursor().executemany(sql, [{**defaults, **r} for r in rows])

    def changed(self, statement: Executable, params: Params) -> int:
        self.wrote = True
        cursor = self._execute(statement, params)
        self._sync()
        return int(cursor.rowcount)


class _Fetching:
    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def rows(self) -> Sequence[Any]:
        with _as_dbapi_error(""):
            return list(self._cursor.fetchall())  # syncs: one round trip for all sent


@contextlib.contextmanager
def _as_dbapi_error(sql: str, base: type[Exception] | None = None) -> Iterator[None]:
    """Driver errors as SQLAlchemy raises them, so retries and failure texts see one kind."""
    if base is None:
        import psycopg

        base = psycopg.Error
    try:
        yield
    except base as exc:
        raise DBAPIError.instance(sql, None, exc, base) from exc
