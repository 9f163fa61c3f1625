"""What the per-commit file check costs (issue 23: is the file at the path still the one written?).

    PYTHONPATH=. /work/main/.venv/bin/python bench/bench_file_check.py [--dir /tmp]

Runs bench_core's scan loop (check-in, redemption and bind through ``ScanEngine.scan``, each
followed by the same work on a raw ``sqlite3`` connection to the same file, whose checkpoints
move the file under the engine) and prints, per scan, the time spent in
``Database.confirm_file`` (before the commit) and ``Database._committed`` (after it), and how
often the slow path ran (a changed header: ``_still_this_file``, and the file opened again for
its event: ``_file_event_uid``). Then the check alone on a file left untouched for 3 s. Prints
figures; asserts nothing about time. Run with PYTHONPATH=. so that it measures this tree.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_core

from checkin.event import events
from checkin.event.events import load_event
from checkin.people import attendees
from checkin.results import Station, StationMode
from checkin.scanning import ScanEngine
from checkin.store import open_database
from checkin.store.database import Database
from checkin.ticketing import tickets

TIMED = ("confirm_file", "_committed", "_still_this_file", "_file_event_uid")


def _timed(spent: dict[str, list[float]]) -> None:
    for name in TIMED:
        real = getattr(Database, name)

        def timed(*args: Any, _real: Callable[..., Any] = real, _name: str = name) -> Any:
            start = time.perf_counter()
            try:
                return _real(*args)
            finally:
                spent[_name].append(time.perf_counter() - start)

        setattr(Database, name, timed)


def scan_loop(folder: Path, households: int, scans: int) -> None:
    rng = random.Random(5)
    path = folder / "bench.checkin"
    db = open_database(path, create=True)
    events.create_event(db, "Benchmark")
    bench_core.build(db, households, households * 4, rng)
    meals, people = bench_core.sample_codes(db)
    rng.shuffle(meals)
    rng.shuffle(people)
    stock = [t.code for t in tickets.create_stock(db, "Backpack", 2 * scans)]
    engine = ScanEngine(db)
    desk, tent = Station("Desk 1"), Station("Meal tent", StationMode.RESOURCE, "Meal")
    with db.reading() as session:
        event = load_event(session)
        raw = bench_core.Raw(path, event.tag, event.secret_key)
    engine.scan("warm-up", desk)
    spent: dict[str, list[float]] = {name: [] for name in TIMED}
    _timed(spent)
    took = []
    for i in range(scans):
        j = scans + i  # the raw connection's own codes
        pairs: list[tuple[Callable[[], object], Callable[[], object]]] = [
            (partial(engine.scan, people[i], desk), partial(raw.check_in, people[j])),
            (partial(engine.scan, meals[i], tent), partial(raw.redeem, meals[j])),
            (
                partial(engine.scan, stock[i], desk, current_attendee=people[i]),
                partial(raw.bind, stock[j], people[j]),
            ),
        ]
        for scan, other in pairs:
            start = time.perf_counter()
            scan()
            took.append(time.perf_counter() - start)
            other()
    raw.connection.close()
    db.dispose()
    count = len(took)
    print(f"{count} engine scans, p50 {statistics.median(took) * 1e3:.2f} ms")
    for name, times in spent.items():
        print(
            f"  {name:18s} {len(times):5d} calls, {sum(times) / count * 1e6:7.1f} µs a scan"
            f" ({sum(times) * 1e3:.0f} ms in all)"
        )


def settled_check(folder: Path, loops: int) -> None:
    db = open_database(folder / "still.checkin", create=True)
    events.create_event(db, "Still")
    attendees.register(db, adults=1)
    db.confirm_file()
    time.sleep(3.5)  # the file's times are then old enough to stand for its content
    db.confirm_file()
    start = time.perf_counter()
    for _ in range(loops):
        db.confirm_file()
        db._committed()
    each = (time.perf_counter() - start) / loops
    print(f"the check on a file left alone (before + after a commit): {each * 1e6:.1f} µs")
    db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="where to build the files (default: temp)")
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--scans", type=int, default=300)
    parser.add_argument("--loops", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as name:
        settled_check(Path(name), args.loops)
        scan_loop(Path(name), args.households, args.scans)
    return 0


if __name__ == "__main__":
    sys.exit(main())
