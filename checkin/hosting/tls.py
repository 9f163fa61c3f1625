"""The host's TLS identity and the front that speaks TLS for the server.

The wheel's PostgreSQL has no OpenSSL, so the server listens on loopback only and this front
listens on the network: it answers PostgreSQL's SSLRequest with 'S', does the TLS handshake
with the host's own certificate (made here with the ``cryptography`` package), reads the startup
message, lets only the station role into the event's database, and then pipes bytes to the
server. Whatever crosses the Wi-Fi is inside TLS.

How a station knows the certificate is the host's, with only the 12-symbol code typed: the
certificate carries a proof, an HMAC of its public key under a key stretched from the join code
with scrypt. A station fetches the certificate, checks the proof with the code it was given,
pins the certificate (``sslmode=verify-ca`` with it as the only root) and then connects; a
server that does not know the code (a rogue host with a copied advert) cannot make a proof for
a key of its own, and cannot finish a handshake with the host's certificate without the host's
private key. Anyone can fetch the certificate and try codes against the proof offline; the
scrypt cost (16 MiB, about 50 ms a try) puts the 2^50 codes out of reach during an event.

Connection limits: a connection must finish TLS and its startup message within
``HANDSHAKE_SECONDS`` or it is closed; one address holds at most ``PENDING_PER_ADDRESS``
unfinished connections (a newer one closes its oldest, so a station is not locked out by idle
sockets from its own address) and ``OPEN_PER_ADDRESS`` finished ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import hashlib
import hmac
import os
import socket
import ssl
import struct
import tempfile
import threading
from collections import deque
from pathlib import Path

from checkin.private_files import private_folder

PROOF_OID = "2.25.238391485301187633040219713493420196155"  # a UUID-based OID (no registry)
SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
CANCEL_REQUEST = 80877102
PROTOCOL_3 = 196608
HANDSHAKE_SECONDS = 3.0
PENDING_PER_ADDRESS = 16
OPEN_PER_ADDRESS = 40
MAX_STARTUP_BYTES = 10_000


class NotTheHost(Exception):
    """The server answered, but it cannot prove it knows the join code."""


# --- the certificate ----------------------------------------------------------------------------


def proof_key(secret: str) -> bytes:
    return hashlib.scrypt(
        f"checkin-host-identity:{secret}".encode(),
        salt=b"checkin-host-identity",
        n=2**14,
        r=8,
        p=1,
        dklen=32,
    )


def _public_key_der(certificate: object) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    assert isinstance(certificate, x509.Certificate)
    return certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _proof(key: bytes, public_key_der: bytes) -> bytes:
    return hmac.new(key, b"checkin-host-cert:" + public_key_der, hashlib.sha256).digest()


def make_certificate(secret: str) -> tuple[bytes, bytes]:
    """A new self-signed certificate carrying the proof for ``secret``: (cert PEM, key PEM)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    public_der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "checkin host")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.UnrecognizedExtension(
                x509.ObjectIdentifier(PROOF_OID), _proof(proof_key(secret), public_der)
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    return (
        certificate.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


def vouches(certificate_der: bytes, secret: str, key: bytes | None = None) -> bool:
    """Whether the certificate's proof was made with the join code's secret."""
    from cryptography import x509

    try:
        certificate = x509.load_der_x509_certificate(certificate_der)
        extension = certificate.extensions.get_extension_for_oid(x509.ObjectIdentifier(PROOF_OID))
    except (ValueError, x509.ExtensionNotFound):
        return False
    value = extension.value
    if not isinstance(value, x509.UnrecognizedExtension):
        return False
    expected = _proof(key or proof_key(secret), _public_key_der(certificate))
    return hmac.compare_digest(value.value, expected)


def fingerprint(certificate_der: bytes) -> str:
    return hashlib.sha256(certificate_der).hexdigest()


def write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read, never readable by others even for a moment
    (mkstemp makes it 0600), and replace ``path`` with it in one step."""
    handle, name = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise


def host_identity(folder: Path, secret: str) -> tuple[Path, Path]:
    """The host's certificate and key files in ``folder`` (0600), made again only when missing
    or made for another join code: the same certificate across restarts."""
    cert_path, key_path = folder / "tls-cert.pem", folder / "tls-key.pem"
    if cert_path.exists() and key_path.exists():
        der = ssl.PEM_cert_to_DER_cert(cert_path.read_text())
        if vouches(der, secret):
            return cert_path, key_path
    cert_pem, key_pem = make_certificate(secret)
    write_private(key_path, key_pem)
    write_private(cert_path, cert_pem)
    return cert_path, key_path


# --- the station's side ---------------------------------------------------------------------


def fetch_certificate(host: str, port: int, timeout: float) -> bytes:
    """The certificate the server at host:port shows (DER), read without trusting it.
    OSError: nothing answers there; NotTheHost: something answers but does not speak TLS."""
    with socket.create_connection((host, port), timeout=timeout) as raw:
        raw.sendall(struct.pack("!ii", 8, SSL_REQUEST))
        answer = raw.recv(1)
        if answer != b"S":
            raise NotTheHost("the server does not offer encryption")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # read only: the proof is checked by the caller
        try:
            with context.wrap_socket(raw, server_hostname=None) as wrapped:
                der = wrapped.getpeercert(binary_form=True)
        except ssl.SSLError as exc:
            raise NotTheHost(f"the TLS handshake failed: {exc}") from None
    if not der:
        raise NotTheHost("the server shows no certificate")
    return der


def pin(certificate_der: bytes, folder: Path, secret: str) -> Path:
    """Keep the verified certificate (0600) as the only root a station's connections accept.
    One file per join code, written again at every join: a host that had to make a new
    certificate (its server folder was removed) is pinned again by the next join with the same
    code, under the same path, so the station's URL does not change."""
    private_folder(folder)
    name = hashlib.sha256(f"checkin-pin:{secret}".encode()).hexdigest()[:32]
    path = folder / f"{name}.pem"
    pem = ssl.DER_cert_to_PEM_cert(certificate_der).encode()
    if not path.exists() or path.read_bytes() != pem:
        write_private(path, pem)
    return path


# --- the front ----------------------------------------------------------------------------


def _error_response(message: str) -> bytes:
    fields = b"SFATAL\0VFATAL\0C28000\0M" + message.encode() + b"\0\0"
    return b"E" + struct.pack("!i", len(fields) + 4) + fields


def _startup_params(body: bytes) -> dict[str, str]:
    parts = body.split(b"\0")
    params: dict[str, str] = {}
    for key, value in zip(parts[0::2], parts[1::2], strict=False):
        if key:
            params[key.decode(errors="replace")] = value.decode(errors="replace")
    return params


class TlsFront:
    """Listen on ``listen:port`` with TLS; pipe accepted stations to ``127.0.0.1:backend_port``."""

    def __init__(
        self,
        listen: str,
        port: int,
        backend_port: int,
        cert: Path,
        key: Path,
        *,
        user: str,
        database: str,
    ) -> None:
        self.listen = listen
        self.port = port
        self.backend_port = backend_port
        self.user = user
        self.database = database
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.minimum_version = ssl.TLSVersion.TLSv1_2
        self._context.load_cert_chain(cert, key)
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._thread: threading.Thread | None = None
        self._pending: dict[str, deque[asyncio.Task[None]]] = {}
        self._open: dict[str, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        ready: threading.Event = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            try:
                self._server = self._loop.run_until_complete(
                    asyncio.start_server(
                        self._accept,
                        host=None if self.listen in ("", "*", "0.0.0.0") else self.listen,
                        port=self.port,
                        reuse_address=True,
                        backlog=512,
                    )
                )
            except BaseException as exc:
                failure.append(exc)
                ready.set()
                return
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self._shutdown())
            self._loop.close()

        self._thread = threading.Thread(target=run, name="tls-front", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]

    def stop(self) -> None:
        if self._thread is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._thread = None

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        address = str(peer[0]) if peer else "?"
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        pending = self._pending.setdefault(address, deque())
        if len(pending) >= PENDING_PER_ADDRESS:
            pending.popleft().cancel()  # the oldest unfinished one from there goes
        pending.append(task)
        try:
            try:
                async with asyncio.timeout(HANDSHAKE_SECONDS):
                    packet = await self._handshake(reader, writer)
            finally:
                with contextlib.suppress(ValueError):
                    pending.remove(task)
                if not pending:
                    self._pending.pop(address, None)
            if packet is None:
                return
            if self._open.get(address, 0) >= OPEN_PER_ADDRESS:
                writer.write(_error_response("too many connections from this address"))
                return
            self._open[address] = self._open.get(address, 0) + 1
            try:
                await self._pipe(reader, writer, packet)
            finally:
                self._open[address] -= 1
                if not self._open[address]:
                    del self._open[address]
        except (OSError, asyncio.IncompleteReadError, ssl.SSLError, TimeoutError):
            pass
        except asyncio.CancelledError:
            pass
        finally:
            self._tasks.discard(task)
            writer.transport.abort()

    async def _handshake(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bytes | None:
        """TLS, then the startup message; the message to forward, or None to hang up."""
        length, code = struct.unpack("!ii", await reader.readexactly(8))
        if length == 8 and code == GSSENC_REQUEST:
            writer.write(b"N")
            length, code = struct.unpack("!ii", await reader.readexactly(8))
        if length != 8 or code != SSL_REQUEST:
            writer.write(_error_response("this server accepts encrypted connections only"))
            return None
        writer.write(b"S")
        await writer.drain()
        await writer.start_tls(self._context)
        head = await reader.readexactly(4)
        (length,) = struct.unpack("!i", head)
        if not 8 <= length <= MAX_STARTUP_BYTES:
            return None
        body = await reader.readexactly(length - 4)
        (version,) = struct.unpack("!i", body[:4])
        if version == CANCEL_REQUEST:
            return head + body
        params = _startup_params(body[4:])
        if (
            version != PROTOCOL_3
            or params.get("user") != self.user
            or params.get("database", self.user) != self.database
            or "replication" in params
        ):
            writer.write(_error_response("only checkin stations may connect here"))
            await writer.drain()
            return None
        return head + body

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, packet: bytes
    ) -> None:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.backend_port)
        server_writer.write(packet)

        async def copy(source: asyncio.StreamReader, target: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    target.write(data)
                    await target.drain()
            finally:
                with contextlib.suppress(Exception):
                    target.close()

        try:
            await asyncio.gather(copy(reader, server_writer), copy(server_reader, writer))
        finally:
            server_writer.transport.abort()
