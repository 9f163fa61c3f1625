"""The host's TLS identity and front, without a server (fast): the join-code proof, the
certificate kept across starts, and what the front does with connections that are not a
station's."""

from __future__ import annotations

import socket
import ssl
import stat
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from checkin.hosting import tls
from checkin.hosting.join_code import new_secret


def test_the_certificate_vouches_for_its_join_code_only() -> None:
    secret = new_secret()
    cert, _key = tls.make_certificate(secret)
    der = ssl.PEM_cert_to_DER_cert(cert.decode())
    assert tls.vouches(der, secret)
    assert not tls.vouches(der, new_secret())
    other, _ = tls.make_certificate(new_secret())
    assert not tls.vouches(ssl.PEM_cert_to_DER_cert(other.decode()), secret)


def test_the_host_keeps_its_certificate_private_and_the_same_across_starts(
    tmp_path: Path,
) -> None:
    secret = new_secret()
    cert, key = tls.host_identity(tmp_path, secret)
    first = cert.read_bytes()
    assert tls.host_identity(tmp_path, secret)[0].read_bytes() == first
    for path in (cert, key):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # A new join code (asked for by the organiser): a certificate with its proof.
    assert tls.host_identity(tmp_path, new_secret())[0].read_bytes() != first


@pytest.fixture
def front(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A front in front of a backend that accepts and holds connections; its port."""
    monkeypatch.setattr(tls, "HANDSHAKE_SECONDS", 0.3)
    cert, key = tls.host_identity(tmp_path, new_secret())
    backend = socket.create_server(("127.0.0.1", 0))
    running = tls.TlsFront(
        "127.0.0.1",
        0,
        int(backend.getsockname()[1]),
        cert,
        key,
        user="station",
        database="checkin",
    )
    running.start()
    assert running._server is not None
    try:
        yield int(running._server.sockets[0].getsockname()[1])
    finally:
        running.stop()
        backend.close()


def _closed(sock: socket.socket) -> bool:
    """The front hung up: an end of stream (or a reset) within a few seconds."""
    sock.settimeout(5)
    try:
        while data := sock.recv(4096):
            if data.startswith(b"E"):
                continue  # its error message first
        return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_an_idle_connection_is_closed(front: int) -> None:
    with socket.create_connection(("127.0.0.1", front)) as idle:
        assert _closed(idle)


def test_a_plain_connection_is_refused(front: int) -> None:
    with socket.create_connection(("127.0.0.1", front)) as plain:
        plain.sendall(struct.pack("!ii", 8, tls.PROTOCOL_3))
        assert _closed(plain)


def test_a_newer_connection_from_the_same_address_closes_the_oldest_unfinished(
    front: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tls, "HANDSHAKE_SECONDS", 30.0)  # only the limit closes them here
    held = [socket.create_connection(("127.0.0.1", front))]
    held[0].sendall(b"\0")  # accepted and waiting for the rest
    held += [socket.create_connection(("127.0.0.1", front)) for _ in range(tls.PENDING_PER_ADDRESS)]
    try:
        assert _closed(held[0])
    finally:
        for sock in held:
            sock.close()


def _startup(user: str, database: str) -> bytes:
    body = struct.pack("!i", tls.PROTOCOL_3)
    body += b"user\0" + user.encode() + b"\0database\0" + database.encode() + b"\0\0"
    return struct.pack("!i", len(body) + 4) + body


@pytest.mark.parametrize(("user", "database"), [("checkin", "checkin"), ("station", "postgres")])
def test_only_the_station_role_to_the_event_database_gets_through(
    front: int, user: str, database: str
) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", front), timeout=5) as raw:
        raw.sendall(struct.pack("!ii", 8, tls.SSL_REQUEST))
        assert raw.recv(1) == b"S"
        with context.wrap_socket(raw) as wrapped:
            wrapped.sendall(_startup(user, database))
            answer = wrapped.recv(4096)
            assert answer.startswith(b"E") and b"only checkin stations" in answer
