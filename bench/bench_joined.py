"""Scan time on a joined station: `checkin host` on loopback, this process joined to it (the
failover database the desk uses), directly and through our proxy with a 10 ms round trip.

    python bench/bench_joined.py [--people 2000] [--scans 200]

Prints p50/p95/max per scan (check-ins, then the same people again: "already checked in"),
the time to switch to this laptop's copy when the proxy is cut, and to join. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.helpers

from checkin.hosting.failover import join_station
from checkin.hosting.joining import with_station_name
from checkin.results import Station
from checkin.scanning import ScanEngine
from tests.helpers.blackhole_proxy import Proxy
from tests.helpers.hosting_support import HostProcess, make_event
from tests.helpers.net_proxy import Proxy as LatencyProxy


def figures(label: str, times: list[float]) -> None:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(
        f"{label:<44} p50 {statistics.median(ms):6.1f} ms  p95 {p95:6.1f} ms"
        f"  max {ms[-1]:6.1f} ms  (n={len(ms)})"
    )


def run_station(url: str, codes: list[str], name: str, home: Path) -> None:
    os.environ["XDG_DATA_HOME"] = str(home)
    started = time.monotonic()
    db = join_station(url, name)
    print(f"{name}: joined (copy of the event made) in {time.monotonic() - started:.2f} s")
    engine = ScanEngine(db)
    station = Station(name)
    try:
        for label, batch in (("check-in", codes), ("again (already checked in)", codes)):
            times = []
            for code in batch:
                t = time.monotonic()
                engine.scan(code, station)
                times.append(time.monotonic() - t)
            figures(f"{name}: {label}", times)
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--scans", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="checkin-bench-joined-"))
    folder.chmod(0o711)
    try:
        event_file = folder / "party.checkin"
        codes, _ = make_event(event_file, people=args.people, meals=1)
        host = HostProcess(event_file, folder / "host", announce=False)
        latency = LatencyProxy(host.port, delay=0.005).start()  # 5 ms each way: 10 ms RTT
        proxy = Proxy(host.port)  # its cut is a Wi-Fi drop: packets vanish
        try:
            direct = with_station_name(host.url, "direct")
            run_station(direct, codes[: args.scans], "direct", folder / "direct")
            proxied = latency.url(with_station_name(host.url, "via-proxy"))
            run_station(proxied, codes[args.scans : 2 * args.scans], "via-proxy", folder / "p")
            print(f"round trips through the 10 ms proxy: {latency.round_trips}")
            os.environ["XDG_DATA_HOME"] = str(folder / "cut")
            cut_url = with_station_name(host.url, "cut").replace(
                f":{host.port}/", f":{proxy.port}/"
            )
            db = join_station(cut_url, "cut")
            engine = ScanEngine(db)
            engine.scan(codes[-1], Station("cut"))
            proxy.cut()
            t = time.monotonic()
            engine.scan(codes[-2], Station("cut"))
            print(f"first scan after the cut (switch to this laptop): {time.monotonic() - t:.2f} s")
            times = []
            for code in codes[-60:-10]:
                t = time.monotonic()
                engine.scan(code, Station("cut"))
                times.append(time.monotonic() - t)
            figures("offline scans (this laptop's copy)", times)
            proxy.restore()
            t = time.monotonic()
            while not db.online and time.monotonic() - t < 30:
                time.sleep(0.05)
            print(f"back online, offline scans merged, after {time.monotonic() - t:.2f} s")
            db.dispose()
        finally:
            proxy.close()
            latency.stop()
            print(host.stop())
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
