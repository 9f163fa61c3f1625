"""Hosting one event file: the server started, the event loaded into it, announced on the
network; at the end everything written back into the event file, which stays the archive.

The event file is only read when hosting starts and written when it stops; in between the
server holds the event, and its data folder next to the file is what a host killed without
warning picks up again (``HostSession.start`` finds it and does not load the file a second
time). At the end the host first announces that it stops (``ENDED_KEY`` in the server's
settings, which every station's link monitor reads) and gives the stations a moment to see it;
then they are shut out, so that no scan lands after the copy. A station that saw it says
"Hosting ended" and works on its copy until a host of the same event is back.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select, text

from checkin.event.events import load_event
from checkin.hosting.discovery import Advertiser, lan_addresses
from checkin.hosting.join_code import JoinCode
from checkin.hosting.local_copy import remove_file
from checkin.hosting.roles import grant_station
from checkin.hosting.server import DATABASE, PostgresServer
from checkin.hosting.transfer import copy_event, copy_rows, count_rows
from checkin.record.purge_mark import ACTION as PURGE_ACTION
from checkin.store import Database, EventFileError, file_keys, open_database
from checkin.store.models import AuditEntry, Event, MergedFile, ScanLog, Setting
from checkin.store.setting_keys import EventSetting

APP_PREFIX = "checkin:"  # a joined station's connections carry application_name checkin:NAME
OWN_DESK_APP = "checkin-host-desk"  # the hosting laptop's own desk: not counted by connection
ONLINE_WITHIN = timedelta(seconds=5)  # a station not heard from for longer shows offline
ENDED_KEY = (
    EventSetting.HOSTING_ENDED
)  # set on the server when hosting stops; never kept in the file
ENDED_NOTICE_SECONDS = 1.0  # stations' monitors look four times a second


@dataclass(frozen=True)
class Hosting:
    url: str  # what a station connects to (this laptop's network address, the station role)
    join: JoinCode  # with that address, for the QR
    event_name: str
    resumed: bool  # the server's data from a host that was stopped without warning
    desk_url: str = ""  # the hosting laptop's own desk: the owner, on loopback (organiser work)
    discarded: str = ""  # why the server's old data was not resumed (a purge since), for a person


DISCARDED = (
    "The event file's personal data was purged after the server's data was loaded:"
    " that older data was removed and hosting starts from the file"
)


def _last_purge(source: Database) -> str:
    """The hash of the file's latest purge entry ("" when it was never purged)."""
    with source.reading() as session:
        found = session.scalar(
            select(AuditEntry.hash)
            .where(AuditEntry.action == PURGE_ACTION)
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )
    return found or ""


@dataclass(frozen=True)
class StationPresence:
    name: str
    last_seen: datetime | None  # UTC
    scans: int
    online: bool


class HostSession:
    def __init__(
        self,
        event_file: str | Path,
        *,
        listen: str = "*",
        port: int | None = None,
        advertise: bool = True,
        new_code: bool = False,
    ) -> None:
        self.event_file = Path(event_file).expanduser().resolve()
        self.server = PostgresServer(self.event_file, listen=listen, port=port, new_code=new_code)
        self.listen = listen
        self._advertise = advertise
        self._advertiser: Advertiser | None = None
        self.db: Database | None = None
        self.hosting: Hosting | None = None
        self._seen: dict[str, datetime] = {}
        self.own_station = ""  # this laptop's desk, online while hosting (launch sets it)
        self.conflicts_before = 0  # listed by an earlier host of this file: not news

    def start(self) -> Hosting:
        if not self.event_file.is_file():
            raise EventFileError(f"No event file at {self.event_file}")
        source = open_database(self.event_file)  # checks and upgrades it, as any open does
        try:
            with source.reading() as session:
                event = load_event(session)
                name, uid = event.name, event.uid
            purge_mark = _last_purge(source)
            discarded = ""
            if self.server.existed and (self.server.loaded_mark() or "") != purge_mark:
                # The file was purged after this data was loaded (a host that crashed, then
                # `checkin purge`): resuming it would bring every removed name back.
                self.server.discard_data()
                discarded = DISCARDED
            resumed = self.server.existed
            credentials = self.server.start()
            try:
                self.db = open_database(self.server.owner_url(), create=True)
                if count_rows(self.db, Event.__tablename__) == 0:
                    copy_event(source, self.db)
                    self.server.mark_loaded(purge_mark)
                    resumed = False
                with self.db.engine.begin() as connection:  # the schema exists: its grants
                    grant_station(connection, credentials.password)
                # A host that stopped halfway (or a file written back with the flag): open.
                self.db.write(lambda s: s.execute(delete(Setting).where(Setting.key == ENDED_KEY)))
                self.conflicts_before = len(self.conflicts())
            except BaseException:
                self.server.stop()
                raise
        finally:
            source.dispose()
        address = lan_addresses(self.listen)[0]
        join = JoinCode(self.server.join.secret, address, credentials.port)
        if self._advertise:
            self._advertiser = Advertiser(name, uid, self.listen, credentials.port)
        self.hosting = Hosting(
            self.server.url(address),
            join,
            name,
            resumed,
            desk_url=self.server.owner_url(),
            discarded=discarded,
        )
        return self.hosting

    def _local_host(self) -> str:
        return "127.0.0.1" if self.listen in ("", "*", "0.0.0.0") else self.listen

    def stations(self) -> list[StationPresence]:
        """Every station that scanned or is connected: name, last seen, scans, online."""
        assert self.db is not None
        now = datetime.now(UTC).replace(tzinfo=None)
        with self.db.engine.connect() as connection:
            # Heard from lately, not merely connected: a station whose Wi-Fi dropped leaves its
            # connections open for minutes, but its link monitor's pings (several a second)
            # stop, and so does its connections' last activity.
            connected = {
                str(row[0])[len(APP_PREFIX) :]
                for row in connection.execute(
                    text(
                        "SELECT application_name FROM pg_stat_activity"
                        " WHERE datname = :db AND application_name LIKE :prefix"
                        " GROUP BY application_name"
                        " HAVING max(coalesce(state_change, backend_start))"
                        " > now() - make_interval(secs => :within)"
                    ),
                    {
                        "db": DATABASE,
                        "prefix": APP_PREFIX + "%",
                        "within": ONLINE_WITHIN.total_seconds(),
                    },
                )
            }
            scans = {
                str(name): (int(count), last)
                for name, count, last in connection.execute(
                    select(ScanLog.station, func.count(), func.max(ScanLog.at)).group_by(
                        ScanLog.station
                    )
                )
            }
            connection.rollback()
        if self.own_station:
            connected.add(self.own_station)
        for name in connected:
            self._seen[name] = now
        rows = []
        for name in sorted(set(scans) | set(self._seen) | connected):
            count, last_scan = scans.get(name, (0, None))
            seen = max(
                (t for t in (self._seen.get(name), last_scan) if t is not None), default=None
            )
            online = name in connected
            rows.append(StationPresence(name or "-", seen, count, online))
        return rows

    def conflicts(self) -> list[str]:
        """What offline stations brought back that clashed (merge conflicts), newest last."""
        import json

        assert self.db is not None
        lines: list[str] = []
        with self.db.reading() as session:
            for merged in session.scalars(select(MergedFile).order_by(MergedFile.id)):
                report = json.loads(merged.summary or "{}")
                for conflict in report.get("conflicts", []):
                    lines.append(
                        f"{report.get('station', merged.source_name)}: "
                        f"{conflict.get('subject', '')} — {conflict.get('detail', '')}"
                    )
        return lines

    def stop(self) -> int:
        """Shut the stations out, write the event back into its file; the scans it holds."""
        if self._advertiser is not None:
            with contextlib.suppress(Exception):
                self._advertiser.close()
            self._advertiser = None
        if self.db is None:
            self.server.stop()
            return 0
        self._announce_end(self.db)
        saved = self._write_back(self.db)
        self.db.dispose()
        self.db = None
        self.server.remove()
        return saved

    def _announce_end(self, db: Database) -> None:
        """Tell the stations that hosting ends (they read it with their link monitor), and
        give them a moment to see it before they are shut out."""
        try:
            db.write(lambda s: s.merge(Setting(key=ENDED_KEY, value=datetime.now(UTC).isoformat())))
        except Exception:  # the server is gone already: the stations see that instead
            return
        time.sleep(ENDED_NOTICE_SECONDS)

    def _write_back(self, db: Database) -> int:
        partial = self.event_file.with_name(self.event_file.name + ".saving")
        remove_file(partial)
        # The event file's own key: its passphrase and authorised laptops open it as before.
        target = open_database(partial, create=True, keys_from=self.event_file)
        try:
            with db.engine.connect() as connection:
                pid = int(connection.execute(text("SELECT pg_backend_pid()")).scalar() or 0)
                connection.rollback()
                self.server.shut_out_stations(keep_pid=pid)
                copy_rows(connection, target)
            target.write(lambda s: s.execute(delete(Setting).where(Setting.key == ENDED_KEY)))
            saved = count_rows(target, ScanLog.__tablename__)
        finally:
            target.dispose()
        before = self.event_file.with_name(self.event_file.name + ".before-host")
        remove_file(before)
        os.replace(self.event_file, before)
        file_keys.move_keys(self.event_file, before)
        remove_file(self.event_file)
        os.replace(partial, self.event_file)
        file_keys.move_keys(partial, self.event_file)
        return saved
