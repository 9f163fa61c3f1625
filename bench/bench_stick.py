"""How many check-ins a 2 MB USB stick takes (the README's figure): an event with 1,500
pre-registered households made on a 2 MB tmpfs, then desk check-ins until one is NOT saved.

    sudo python bench/bench_stick.py [--households 1500] [--runs 2]

Needs root (it mounts a tmpfs). Prints the count of each run and the -wal size at the end.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from checkin.demo import populate
from checkin.event import events
from checkin.people.listing import iter_attendees
from checkin.results import ScanState, Station
from checkin.scanning import ScanEngine
from checkin.store import open_database


def one_run(households: int) -> tuple[int, int, int, str]:
    with tempfile.TemporaryDirectory() as folder:
        stick = Path(folder)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(stick)], check=True)
        try:
            db = open_database(stick / "event.checkin", create=True)
            try:
                events.create_event(db, "Block Party")
                populate(db, attendees=households)
                engine = ScanEngine(db, debounce_seconds=0)
                saved, why = 0, ""
                for row in list(iter_attendees(db)):
                    result = engine.scan(row.code, Station("Desk 1"))
                    if result.state is ScanState.NOT_SAVED:
                        why = str(result.params.failure)
                        break
                    saved += 1
                wal = stick / "event.checkin-wal"
                size = (stick / "event.checkin").stat().st_size
                return saved, wal.stat().st_size if wal.exists() else 0, size, why
            finally:
                db.dispose()
        finally:
            subprocess.run(["umount", "-l", str(stick)], check=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    for run in range(args.runs):
        saved, wal, size, why = one_run(args.households)
        print(
            f"run {run + 1}: {saved} check-ins saved before NOT saved ({why}); "
            f"event file {size // 1024} KB, -wal {wal // 1024} KB"
        )


if __name__ == "__main__":
    main()
