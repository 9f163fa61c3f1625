"""Zeroconf (mDNS/DNS-SD): the host announces its event on the local network, stations list
what they find. The record holds the event's name, the host's name and where to connect; never
the join code or the password."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

SERVICE_TYPE = "_checkin._tcp.local."
BROWSE_SECONDS = 3.0
SETTLE_SECONDS = 0.4


@dataclass(frozen=True)
class FoundEvent:
    name: str  # the event's name
    host_name: str  # the laptop that hosts it
    addresses: tuple[str, ...]
    port: int
    event_uid: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.host_name})"


def lan_addresses(listen: str) -> list[str]:
    """The IPv4 addresses stations can reach the host on, for the record and the URL."""
    if listen not in ("", "*", "0.0.0.0"):
        return [listen]
    from zeroconf._utils.net import get_all_addresses

    found = [a for a in get_all_addresses() if not a.startswith("127.")]
    return found or ["127.0.0.1"]


class Advertiser:
    """Announces one hosted event until ``close``."""

    def __init__(
        self, event_name: str, event_uid: str, listen: str, port: int, host_name: str = ""
    ) -> None:
        from zeroconf import IPVersion, ServiceInfo, Zeroconf

        self.host_name = host_name or socket.gethostname().split(".")[0] or "host"
        addresses = lan_addresses(listen)
        interfaces: list[str] | None = addresses if listen not in ("", "*", "0.0.0.0") else None
        self._zc = (
            Zeroconf(interfaces=interfaces, ip_version=IPVersion.V4Only)
            if interfaces
            else Zeroconf(ip_version=IPVersion.V4Only)
        )
        label = f"{event_name} on {self.host_name}"[:60].replace(".", " ")
        self._info = ServiceInfo(
            SERVICE_TYPE,
            f"{label} {port}.{SERVICE_TYPE}",
            addresses=[socket.inet_aton(a) for a in addresses],
            port=port,
            properties={"event": event_name[:200], "uid": event_uid, "host": self.host_name},
            server=f"checkin-{self.host_name}-{port}.local.",
        )
        self._zc.register_service(self._info, allow_name_change=True)

    def close(self) -> None:
        try:
            self._zc.unregister_service(self._info)
        finally:
            self._zc.close()


def browse(seconds: float = BROWSE_SECONDS) -> list[FoundEvent]:
    """The hosted events that answer within ``seconds`` (an empty list when none or no network)."""
    from zeroconf import IPVersion, ServiceBrowser, ServiceListener, Zeroconf

    names: list[str] = []
    lock = threading.Lock()

    class Listener(ServiceListener):
        def add_service(self, zc: Zeroconf, type_: str, name: str) -> None:
            with lock:
                names.append(name)

        def update_service(self, zc: Zeroconf, type_: str, name: str) -> None:
            pass

        def remove_service(self, zc: Zeroconf, type_: str, name: str) -> None:
            pass

    try:
        zc = Zeroconf(ip_version=IPVersion.V4Only)
    except OSError:
        return []
    found: list[FoundEvent] = []
    try:
        browser = ServiceBrowser(zc, SERVICE_TYPE, Listener())
        # Until ``seconds`` have passed, or soon after the answers stop coming.
        deadline = time.monotonic() + seconds
        settled_at = deadline
        count = 0
        while time.monotonic() < min(deadline, settled_at):
            time.sleep(0.05)
            with lock:
                if len(names) != count:
                    count = len(names)
                    settled_at = time.monotonic() + SETTLE_SECONDS
        browser.cancel()
        with lock:
            seen = list(dict.fromkeys(names))
        for name in seen:
            info = zc.get_service_info(SERVICE_TYPE, name, 1500)
            if info is None or not info.port:
                continue
            props = {
                k.decode(): (v or b"").decode("utf-8", "replace")
                for k, v in info.properties.items()
            }
            found.append(
                FoundEvent(
                    props.get("event", name),
                    props.get("host", ""),
                    tuple(info.parsed_addresses(IPVersion.V4Only)),
                    int(info.port),
                    props.get("uid", ""),
                )
            )
    finally:
        zc.close()
    return found
