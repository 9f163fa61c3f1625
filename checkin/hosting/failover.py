"""A joined station's database: the hosted server while it answers, this laptop's copy when not.

``FailoverDatabase`` is a ``Database`` (the scan engine and every service take it unchanged).
Each write goes to the server with a deadline; when the server does not answer within it (the
Wi-Fi dropped, the host went away) the same work is done on the station's copy
(``checkin.hosting.local_copy``) and the station is offline: every scan still answers and is on
this laptop's disk before the desk says so. A monitor asks the server four times a second; when it
answers again the offline work is merged into it (``checkin.stations.merge``: the usual rules, its
conflicts listed on the host) and the station goes back online. While online and idle, the copy
is made again now and then, so that offline answers know about other stations' check-ins.

A write cut off by the deadline may still reach the server later; if it did, the merge finds the
same check-in or redemption twice at this station, seconds apart, and keeps only the first.

When the host stops hosting it says so first (``checkin.hosting.host.ENDED_KEY``): the station
is then offline with ``ended`` set ("Hosting ended"), works on its copy, and merges by itself as
soon as a host of the same event answers again (the same code and port: ``host.json``). Offline
work not merged yet is also marked in a file beside the copy (``checkin.hosting.unsent``), so
that the next launch on this laptop says so until it is merged.

The calls to the server run on daemon threads of the station's own: a call stuck on a cut line
never keeps the program from ending. Reads (the desk's counters, lists) have no deadline of
their own: they go to the copy while the server does not answer the monitor, and those already
waiting on the server when the station goes offline are cut off (their sockets shut), so that
they cannot hold every worker thread of the window until the network is back (the counters
then stood still: a tester).
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import socket
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import URL, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from checkin.event.events import load_event
from checkin.hosting import discovery, unsent
from checkin.hosting.host import ENDED_KEY
from checkin.hosting.local_copy import refresh_copy
from checkin.scanning.tx import ScanTx
from checkin.store import Database, open_database

T = TypeVar("T")
log = logging.getLogger(__name__)

DEADLINE_SECONDS = 0.7  # a write the server has not answered by then is done on this laptop
PATIENCE_SECONDS = 10.0  # ...unless the server still answers pings: a slow network, not a lost one
PROBE_SECONDS = 0.25
# Remake the copy this often while online, when nothing was written for IDLE_SECONDS: what it
# does not know yet (a check-in at another station since) is answered offline as new, and the
# merge then lists it as a conflict.
REFRESH_SECONDS = 20.0
IDLE_SECONDS = 3.0
DISPOSE_WAIT_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 3
# Reads go to the server while it answered the monitor this recently (a busy laptop's monitor
# may look late; a read that then waits on a cut line is cut off when the station goes offline).
READ_TRUST_SECONDS = 2.0
FOLLOW_AFTER_SECONDS = 4.0  # the server silent this long: look for the event's advert elsewhere
FOLLOW_EVERY = 15.0  # seconds between two looks
FOLLOW_BROWSE_SECONDS = 2.0
# What the server says when its host stops: stations shut out, then the server shut down.
ENDING_MESSAGES = ("not currently accepting connections", "administrator command")


class ServerLost(Exception):
    """The server did not answer in time, or the connection broke."""


@dataclass(frozen=True)
class LinkState:
    online: bool
    pending: int  # writes made on this laptop not yet merged into the server
    message: str = ""  # why offline (English, for the tooltip and logs)
    merged_scans: int = 0  # what the last return brought to the server
    conflicts: int = 0
    ended: bool = False  # offline because the host stopped hosting (it said so)


class _DaemonPool:
    """A fixed set of daemon threads running calls (unlike ThreadPoolExecutor's, which the
    interpreter waits for at exit: a call stuck on a cut line kept a station from ending)."""

    def __init__(self, workers: int) -> None:
        self._calls: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]] | None] = (
            queue.SimpleQueue()
        )
        self._closed = False
        for number in range(workers):
            threading.Thread(target=self._work, name=f"server-{number}", daemon=True).start()
        self._workers = workers

    def submit(self, call: Callable[[], T]) -> Future[T]:
        if self._closed:
            raise RuntimeError("closed")
        future: Future[T] = Future()
        self._calls.put((future, call))
        return future

    def _work(self) -> None:
        while (item := self._calls.get()) is not None:
            future, call = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(call())
            except BaseException as exc:
                future.set_exception(exc)

    def shutdown(self) -> None:
        self._closed = True
        with contextlib.suppress(queue.Empty):
            while True:
                item = self._calls.get_nowait()
                if item is not None:
                    item[0].cancel()
        for _ in range(self._workers):
            self._calls.put(None)


class FailoverDatabase(Database):
    """See the module docstring. ``on_change`` is called (from a worker thread) on every switch."""

    def __init__(
        self,
        server: Database,
        copy_path: Path,
        station: str,
        *,
        deadline_seconds: float = DEADLINE_SECONDS,
        probe_seconds: float = PROBE_SECONDS,
        refresh_seconds: float = REFRESH_SECONDS,
    ) -> None:
        self.server = server
        # The base's state, as any Database has it (its inherited methods find every attribute);
        # its reads and writes go to the server's or the copy's Database below, never to the
        # session factories this makes on the first server's engine.
        super().__init__(server.engine)
        # No event file to authorise or wrap a passphrase for (Database.wrap_key): the server's
        # database is no file, and the station's own copy is keyed for this laptop alone.
        self.encrypted = False
        self._connections: weakref.WeakSet[Any] = weakref.WeakSet()  # the server's, open
        self._track_connections(server.engine)
        self.copy_path = copy_path
        self.station = station
        self.local = open_database(copy_path)
        self._deadline = deadline_seconds
        self._probe_every = probe_seconds
        self._refresh_every = refresh_seconds
        self._pool = _DaemonPool(6)
        self._in_flight: set[Future[Any]] = set()  # given up on, maybe still waiting
        self._lock = threading.RLock()  # local writes vs merge and copy swaps
        self._online = True
        self._ended = False
        self._pending = 0
        self._message = ""
        self._merged_scans = 0
        self._merged_conflicts = 0
        self._last_write = time.monotonic()
        self._last_refresh = time.monotonic()
        self._last_pong = time.monotonic()
        self._last_look = 0.0  # when the zeroconf adverts were last looked at
        self._refused = False  # the last ping was refused: nothing listens there any more
        self._event_uid = ""
        self._listeners: list[Callable[[LinkState], None]] = []
        self._stop = threading.Event()
        self.conflicts: list[str] = []
        self._monitor = threading.Thread(target=self._watch, name="link-monitor", daemon=True)
        self._monitor.start()

    # --- the Database interface ----------------------------------------------------------------

    @property
    def engine(self) -> Engine:  # chosen by the link's state, never set
        return self.server.engine if self._online else self.local.engine

    @property
    def is_sqlite(self) -> bool:
        return False

    @property
    def path(self) -> Path | None:
        return None

    @property
    def online(self) -> bool:
        return self._online

    @property
    def state(self) -> LinkState:
        return LinkState(
            self._online,
            self._pending,
            self._message,
            self._merged_scans,
            self._merged_conflicts,
            self._ended,
        )

    def add_listener(self, listener: Callable[[LinkState], None]) -> None:
        self._listeners.append(listener)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        answering = time.monotonic() - self._last_pong < READ_TRUST_SECONDS
        target = self.server if self._online and answering else self.local
        with target.reading() as session:
            yield session

    def _track_connections(self, engine: Engine) -> None:
        from sqlalchemy import event

        if engine.dialect.name != "postgresql":  # a file (tests): no line to cut
            return

        def connected(dbapi: Any, _record: Any) -> None:
            self._connections.add(dbapi)

        event.listen(engine, "connect", connected)

    def _cut_waiting_calls(self) -> None:
        """Shut the sockets of the server's connections: what waits on them (a query, the
        pool's ping before lending one) fails now instead of holding its thread, since a cut
        line answers nothing, ever. The pool replaces them when the server is back."""
        for dbapi in list(self._connections):
            with contextlib.suppress(Exception):
                fd = dbapi.pgconn.socket
                with socket.socket(fileno=os.dup(fd)) as handle:
                    handle.shutdown(socket.SHUT_RDWR)

    def write(self, work: Callable[[Session], T]) -> T:
        return self._either(lambda db: db.write(work))

    def scan_write(self, work: Callable[[ScanTx], T]) -> T:
        return self._either(lambda db: db.scan_write(work))

    def dispose(self) -> None:  # the server's and the copy's engines, not one of its own
        """Stop watching; what was done offline is merged now if the server answers (else it
        stays in this laptop's copy, and the next join on this laptop brings it in). Once:
        a window and its event may both let go of the same database."""
        if self._stop.is_set():
            return
        self._stop.set()
        self._monitor.join(timeout=3)
        answering = self._ping() == ""
        if self._pending and answering:
            try:
                self._come_back()
            except Exception:
                log.warning("offline work not merged yet; it is kept in %s", self.copy_path)
        if answering:
            # Calls given up on may still hold a connection: let them end before the engines
            # close. On a line that stays cut they never will: no waiting for them then.
            wait(list(self._in_flight), timeout=DISPOSE_WAIT_SECONDS)
        self._pool.shutdown()
        self.server.dispose()
        self.local.dispose()

    # --- switching -----------------------------------------------------------------------------

    def _either(self, call: Callable[[Database], T]) -> T:
        self._last_write = time.monotonic()
        while True:
            if self._online:
                try:
                    return self._on_server(lambda: call(self.server))
                except ServerLost as exc:
                    self._go_offline(str(exc))
            with self._lock:
                if self._online:
                    continue  # back online while this write waited for the merge
                result = call(self.local)
                self._pending += 1
                unsent.mark(self.copy_path, self.station, self._pending)
                return result

    def _on_server(self, call: Callable[[], T], *, patient: bool = True) -> T:
        """``call`` on the server. Past the deadline it is given up for lost, unless the
        monitor's pings still come back (a slow network, not a lost one: then it may take up to
        PATIENCE_SECONDS); the pings themselves are never patient."""
        try:
            future: Future[T] = self._pool.submit(call)
        except RuntimeError:  # closed (dispose), or the interpreter is exiting
            raise ServerLost("this station is closing") from None
        self._in_flight.add(future)
        future.add_done_callback(self._in_flight.discard)
        started = time.monotonic()
        try:
            while True:
                try:
                    return future.result(timeout=0.05)
                except FutureTimeout:
                    now = time.monotonic()
                    if now - started < self._deadline:
                        continue
                    answering = now - self._last_pong < self._deadline
                    if patient and answering and now - started < PATIENCE_SECONDS:
                        continue
                    raise ServerLost("the server did not answer in time") from None
        except DBAPIError as exc:
            if exc.connection_invalidated or _is_connection_error(exc):
                raise ServerLost(_first_line(exc)) from exc
            raise

    def _go_offline(self, why: str, *, ended: bool = False) -> None:
        with self._lock:
            if not self._online and (self._ended or not ended):
                return
            self._online = False
            self._ended = self._ended or ended
            self._message = why
        self._cut_waiting_calls()
        log.info("station offline: %s", why)
        self._tell()

    def _tell(self) -> None:
        state = self.state
        for listener in list(self._listeners):
            try:
                listener(state)
            except Exception:  # a listener's failure must not stop the monitor
                log.exception("link listener failed")

    def _watch(self) -> None:
        while not self._stop.wait(self._probe_every):
            try:
                self._step()
            except Exception:
                log.debug("link monitor step failed", exc_info=True)

    def _step(self) -> None:
        trouble = self._ping()
        if trouble == ENDED:
            self._go_offline("the host stopped hosting", ended=True)
            return
        if trouble:
            self._go_offline(trouble)
            self._follow_advert()
            return
        if not self._online:
            self._come_back()
            return
        now = time.monotonic()
        idle = now - self._last_write > IDLE_SECONDS
        if idle and now - self._last_refresh > self._refresh_every:
            self.refresh()

    def _follow_advert(self) -> None:
        """The host of this event may be back on another port (its own was taken) or address:
        its zeroconf advert (the same event uid) says where. Looked for now and then while the
        server's address refuses connections; followed when the server there answers to this
        station's code. Not while the line is merely cut (a Wi-Fi drop, or a test's proxy)."""
        now = time.monotonic()
        if not self._refused:
            return  # a cut line, not a host gone from its port: following would not help
        if now - self._last_pong < FOLLOW_AFTER_SECONDS or now - self._last_look < FOLLOW_EVERY:
            return
        self._last_look = now
        if not self._event_uid:
            with self.local.reading() as session:
                self._event_uid = load_event(session).uid
        current = self.server.engine.url
        for found in discovery.browse(FOLLOW_BROWSE_SECONDS):
            if found.event_uid != self._event_uid:
                continue
            for address in found.addresses:
                if (address, found.port) == (current.host, current.port):
                    continue
                moved = current.set(host=address, port=found.port)
                if _hosts(moved):
                    self._switch_server(moved.render_as_string(hide_password=False))
                    return

    def _switch_server(self, url: str) -> None:
        with self._lock:
            old, self.server = self.server, open_database(url)
            self._track_connections(self.server.engine)
        log.info("the host of this event moved: following it to %s", self.server.engine.url)
        threading.Thread(target=old.dispose, daemon=True).start()  # its line may be cut

    def _ping(self) -> str:
        """ "" when the server answers and hosts; ENDED when its host stopped hosting (or is
        stopping); else why it cannot be reached."""

        def ping() -> bool:
            with self.server.engine.connect() as connection:
                ended = connection.execute(
                    text("SELECT value FROM settings WHERE key = :key"), {"key": ENDED_KEY}
                ).first()
                connection.rollback()
            return ended is not None

        try:
            ended = self._on_server(ping, patient=False)
        except (ServerLost, DBAPIError, OSError) as exc:
            why = f"{exc} {exc.__cause__ or ''}"
            if any(words in why for words in ENDING_MESSAGES):
                return ENDED
            # Refused: the laptop answers, nothing listens on that port any more (a host
            # started again elsewhere). A dropped Wi-Fi answers nothing at all.
            self._refused = "refused" in why.lower()
            return "the server cannot be reached"
        self._last_pong = time.monotonic()
        self._refused = False
        return ENDED if ended else ""

    def _come_back(self) -> None:
        """Merge what was done offline, then switch the writes back to the server."""
        from checkin.stations.merge import merge_station

        with self._lock:
            pending = self._pending
            if pending:
                report = merge_station(self.server, self.copy_path, by=self.station)
                self.conflicts.extend(f"{c.subject}: {c.detail}" for c in report.conflicts)
                self._merged_scans = report.scans
                self._merged_conflicts = len(report.conflicts)
                self._message = ""
            self._pending = 0
            self._online = True
            self._ended = False
            unsent.clear(self.copy_path)
            if pending:
                self._refresh_locked()
        log.info("station online again (%s offline writes merged)", pending)
        self._tell()

    def refresh(self) -> None:
        """Make this laptop's copy again from the server (while online and nothing pending)."""
        with self._lock:
            if self._online and not self._pending:
                self._refresh_locked()

    def _refresh_locked(self) -> None:
        self.local.dispose()
        try:
            refresh_copy(self.server, self.copy_path, self.station)
        finally:
            self.local = open_database(self.copy_path)
            self._last_refresh = time.monotonic()


ENDED = "the host stopped hosting"


def _hosts(url: URL) -> bool:
    """Whether a server at ``url`` takes this station's credentials and is hosting. The URL's
    query is kept: TLS with the pinned certificate as the only root, SCRAM required
    (``checkin.hosting.joining``), so an advert copied by a rogue server is not followed."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    options = {str(key): str(value) for key, value in url.query.items()}
    options["connect_timeout"] = str(CONNECT_TIMEOUT_SECONDS)
    conninfo = make_conninfo(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        dbname=url.database,
        **options,
    )
    try:
        with psycopg.connect(conninfo) as connection:
            row = connection.execute(
                "SELECT value FROM settings WHERE key = %s", (ENDED_KEY,)
            ).fetchone()
            return row is None
    except (OSError, psycopg.Error):
        return False


def _first_line(exc: BaseException) -> str:
    lines = str(getattr(exc, "orig", exc)).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _is_connection_error(exc: DBAPIError) -> bool:
    import psycopg

    return isinstance(exc.orig, psycopg.OperationalError | psycopg.InterfaceError)


def join_station(server_url: str, station: str, folder: Path | None = None) -> FailoverDatabase:
    """Open a hosted event for this station: bring in what an earlier offline spell left on this
    laptop, make its copy afresh, and hand back the failover database."""
    from checkin.hosting.local_copy import copy_path
    from checkin.stations.merge import merge_station

    server = open_database(_with_connect_timeout(server_url))
    path = copy_path(server, station, folder)
    if path.exists() and path.stat().st_size:
        merge_station(server, path, by=station)  # idempotent: nothing new, nothing changes
    unsent.clear(path)
    refresh_copy(server, path, station)
    return FailoverDatabase(server, path, station)


def _with_connect_timeout(url: str) -> str:
    """A new connection to a host behind a cut line gives up (a file's URL is left alone):
    without it the pool's reconnects wait forever and hold the window's worker threads."""
    from sqlalchemy.engine import make_url

    if "://" not in url:  # a path
        return url
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql") or "connect_timeout" in parsed.query:
        return url
    timed = parsed.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT_SECONDS)})
    return timed.render_as_string(hide_password=False)
