"""What encrypting the event file costs (issue 26): the same scans on an encrypted file and on a
plain copy of it, and reading every page of each.

    python bench/bench_cipher.py [--attendees 5000] [--scans 300]

Builds an event as bench_core.py does (encrypted, as every new file is), exports a plain copy
(sqlcipher_export), then checks people in on both files, interleaved in blocks so that machine
noise hits both alike, and prints p50 wall time and mean CPU time (process time: less moved by
other programs on a shared machine) per scan, and the CPU time of a full ``PRAGMA quick_check``
(every page read and, on the encrypted file, decrypted and its HMAC checked). Prints figures;
asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_core import build, sample_codes

from checkin.event import events
from checkin.results import ScanState, Station
from checkin.scanning import ScanEngine
from checkin.store import cipher, open_database


def _check(path: Path) -> float:
    """CPU seconds of one full quick check (the best of three)."""
    best = float("inf")
    for _ in range(3):
        with closing(cipher.connect(path)) as connection:
            connection.execute("PRAGMA cache_size = 0")
            start = time.process_time()
            assert connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            best = min(best, time.process_time() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=5_000)
    parser.add_argument("--scans", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(7)  # benchmark data only
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        encrypted, plain = folder / "encrypted.checkin", folder / "plain.checkin"
        db = open_database(encrypted, create=True)
        events.create_event(db, "Benchmark")
        build(db, args.attendees, args.attendees * 4 * 4 // 5, rng)
        _, people = sample_codes(db)
        db.dispose()
        with closing(cipher.connect(encrypted)) as connection:
            connection.execute(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
            connection.execute("SELECT sqlcipher_export('plain')")
            connection.execute("DETACH DATABASE plain")
        print(f"uptime load: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        print(f"{args.attendees:,} households, {encrypted.stat().st_size / 1e6:.0f} MB")
        files = {
            "encrypted": open_database(encrypted),
            "plain": open_database(plain, encrypt_plain=False),
        }
        assert files["encrypted"].encrypted and not files["plain"].encrypted
        engines = {name: ScanEngine(db) for name, db in files.items()}
        wall: dict[str, list[float]] = {name: [] for name in files}
        cpu: dict[str, list[float]] = {name: [] for name in files}
        desk = Station("Desk 1")
        codes = people[: args.scans]
        for engine in engines.values():
            engine.scan("warm-up", desk)
        for offset in range(0, len(codes), 25):
            for name, engine in engines.items():
                for code in codes[offset : offset + 25]:
                    start, start_cpu = time.perf_counter(), time.process_time()
                    assert engine.scan(code, desk).state is ScanState.CHECKED_IN
                    wall[name].append(time.perf_counter() - start)
                    cpu[name].append(time.process_time() - start_cpu)
        for db in files.values():
            db.dispose()
        print("\ncheck-in with default tickets, per scan: p50 wall / mean CPU")
        for name in files:
            print(
                f"  {name:9}  {statistics.median(wall[name]) * 1000:.2f} ms"
                f" / {statistics.mean(cpu[name]) * 1000:.2f} ms"
            )
        ratio_wall = statistics.median(wall["encrypted"]) / statistics.median(wall["plain"])
        ratio_cpu = statistics.mean(cpu["encrypted"]) / statistics.mean(cpu["plain"])
        print(f"  encrypted / plain: wall {ratio_wall:.2f}x, CPU {ratio_cpu:.2f}x")
        checks = {name: _check(path) for name, path in (("encrypted", encrypted), ("plain", plain))}
        print("\nfull quick check (every page read), CPU, best of 3")
        for name, seconds in checks.items():
            print(f"  {name:9}  {seconds * 1000:.0f} ms")
        print(f"  encrypted / plain: {checks['encrypted'] / checks['plain']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
