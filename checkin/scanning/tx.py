"""One scan's transaction: prebuilt statements on one connection, in the fewest round trips.

SQLite: ``BEGIN IMMEDIATE`` on the driver, then Core statements through an engine without
event hooks (each hook costs more than the statement it watches). PostgreSQL: each statement is
compiled once to the driver's SQL and sent in psycopg's pipeline mode, so a scan's reads (the
event row lock included) travel in one round trip and its writes and ``COMMIT`` in another. A
read's rows are fetched only when asked for, so reads sent one after the other share a trip.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import Compiled

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

    def orm(self) -> contextlib.AbstractContextManager[Session]:
        """An ORM session inside this transaction, for the rare scans (a prize claim)."""
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

    @contextlib.contextmanager
    def orm(self) -> Iterator[Session]:
        with _session(self._connection) as session:
            yield session


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

    @contextlib.contextmanager
    def orm(self) -> Iterator[Session]:
        # SQLAlchemy reads each result as it executes, which a pipeline does not allow: leave
        # it for the ORM's statements (inside our BEGIN), then enter a new one.
        self._info.pop(PIPELINE)[0].__exit__(None, None, None)
        try:
            with _session(self._connection) as session:
                yield session
        finally:
            enter_pipeline(self._driver, self._info)


class _Fetching:
    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def rows(self) -> Sequence[Any]:
        with _as_dbapi_error(""):
            return list(self._cursor.fetchall())  # syncs: one round trip for all sent


@contextlib.contextmanager
def _as_dbapi_error(sql: str) -> Iterator[None]:
    """Driver errors as SQLAlchemy raises them, so retries and failure texts see one kind."""
    import psycopg

    try:
        yield
    except psycopg.Error as exc:
        raise DBAPIError.instance(sql, None, exc, psycopg.Error) from exc


@contextlib.contextmanager
def _session(connection: Connection) -> Iterator[Session]:
    """An ORM session inside the scan's write transaction; it never commits or rolls back the
    transaction itself (the scan's write does)."""
    session = Session(
        bind=connection, expire_on_commit=False, join_transaction_mode="rollback_only"
    )
    try:
        yield session
        session.flush()
    finally:
        session.close()
