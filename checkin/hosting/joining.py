"""From a join code to a database URL: the address in the code, or the events zeroconf finds.

Each candidate must first prove it is the host: its TLS certificate carries a proof made with the
join code (``checkin.hosting.tls``). A station checks it, pins that certificate for every later
connection (``sslmode=verify-ca``) and logs in as the station role with the password the code
gives; the server must authenticate with SCRAM. A server that cannot prove it knows the code is
refused before anything is sent to it ("This is not the host of …: do not join").
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from checkin.hosting import tls
from checkin.hosting.discovery import FoundEvent, browse
from checkin.hosting.join_code import JoinCode, JoinCodeError, parse_join_code
from checkin.hosting.server import station_url
from checkin.paths import data_dir

PROBE_TIMEOUT_SECONDS = 3


class NotTheHost(JoinCodeError):
    """A server that answers for the event but cannot prove it knows the code."""


def pinned_folder() -> Path:
    return data_dir() / "joined" / "hosts"


def with_station_name(url: str, station: str) -> str:
    """``url`` with the application name the host lists this station by."""
    named = make_url(url).update_query_dict({"application_name": "checkin:" + station[:50]})
    return named.render_as_string(hide_password=False)


def resolve_join(text: str, found: list[FoundEvent] | None = None) -> str:
    """The URL of the hosted event this code opens; JoinCodeError says why none."""
    code = parse_join_code(text)
    key = tls.proof_key(code.secret)
    if code.host:
        answer = _try(code, key, code.host, code.port)
        if isinstance(answer, str):
            return answer
        if answer is _IMPOSTOR:
            raise NotTheHost(
                f"This is not the host of this event: do not join. The server at {code.host}:"
                f"{code.port} does not know this join code; check the code on the host's screen"
            )
        raise JoinCodeError(
            f"The host at {code.host}:{code.port} does not answer to this code: is it still"
            " hosting, and is this laptop on the same Wi-Fi? Check the code on its screen"
        )
    events = browse() if found is None else found
    if not events:
        raise JoinCodeError(
            "No hosted event found on this network: is the host running and on the same Wi-Fi?"
            " Type the code with its address (CODE@address:port, under the host's QR)"
        )
    impostors: list[str] = []
    for event in events:
        for address in event.addresses:
            answer = _try(code, key, address, event.port)
            if isinstance(answer, str):
                return answer
            if answer is _IMPOSTOR:
                impostors.append(event.name)
    names = sorted(set(impostors))
    if len(names) == 1 and len(events) == len(impostors):
        raise NotTheHost(
            f"This is not the host of “{names[0]}”: do not join. It does not know this join"
            " code: check the code on the host's screen"
        )
    raise JoinCodeError(
        "No hosted event on this network accepts that join code: check it on the host's screen"
    )


_IMPOSTOR = object()
_SILENT = object()


def _try(code: JoinCode, key: bytes, host: str, port: int) -> str | object:
    """The station URL when the server at host:port proves it is the host; else why not."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    try:
        certificate = tls.fetch_certificate(host, port, PROBE_TIMEOUT_SECONDS)
    except tls.NotTheHost:
        return _IMPOSTOR
    except OSError:
        return _SILENT
    if not tls.vouches(certificate, code.secret, key):
        return _IMPOSTOR
    url = station_url(code.password, host, port, tls.pin(certificate, pinned_folder(), code.secret))
    parsed = make_url(url)
    conninfo = make_conninfo(
        host=host,
        port=port,
        user=parsed.username,
        password=code.password,
        dbname=parsed.database,
        connect_timeout=PROBE_TIMEOUT_SECONDS,
        **{str(k): str(v) for k, v in parsed.query.items()},
    )
    try:
        with psycopg.connect(conninfo):
            return url
    except psycopg.OperationalError as exc:
        message = str(exc)
        if "certificate" in message or "SSL" in message or "authentication" in message:
            return _IMPOSTOR  # it showed the host's certificate without holding its key
        return _SILENT
