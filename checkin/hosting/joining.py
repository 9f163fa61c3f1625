"""From a join code to a database URL: the address in the code, or the events zeroconf finds,
each tried with the password the code gives."""

from __future__ import annotations

import socket

from checkin.hosting.discovery import FoundEvent, browse
from checkin.hosting.join_code import JoinCode, JoinCodeError, parse_join_code
from checkin.hosting.server import DATABASE, USER

PROBE_TIMEOUT_SECONDS = 3


def url_for_join(code: JoinCode, host: str, port: int) -> str:
    return f"postgresql+psycopg://{USER}:{code.password}@{host}:{port}/{DATABASE}"


def resolve_join(text: str, found: list[FoundEvent] | None = None) -> str:
    """The URL of the hosted event this code opens; JoinCodeError says why none."""
    code = parse_join_code(text)
    if code.host:
        if not _accepts(code, code.host, code.port):
            raise JoinCodeError(
                f"The host at {code.host}:{code.port} does not answer to this code: is it still"
                " hosting, and is this laptop on the same Wi-Fi? Check the code on its screen"
            )
        return url_for_join(code, code.host, code.port)
    events = browse() if found is None else found
    if not events:
        raise JoinCodeError(
            "No hosted event found on this network: is the host running and on the same Wi-Fi?"
            " Type the code with its address (CODE@address:port, under the host's QR)"
        )
    for event in events:
        for address in event.addresses:
            if _accepts(code, address, event.port):
                return url_for_join(code, address, event.port)
    raise JoinCodeError(
        "No hosted event on this network accepts that join code: check it on the host's screen"
    )


def _accepts(code: JoinCode, host: str, port: int) -> bool:
    import psycopg

    try:
        with socket.create_connection((host, port), timeout=PROBE_TIMEOUT_SECONDS):
            pass
        with psycopg.connect(
            host=host,
            port=port,
            user=USER,
            password=code.password,
            dbname=DATABASE,
            connect_timeout=PROBE_TIMEOUT_SECONDS,
        ):
            return True
    except (OSError, psycopg.Error):
        return False
