"""The import at scale: 10,000, 100,000 and 1,000,000 rows (issue 25), each measured in a fresh
process for its time and peak memory (the process's maximum resident set), the dry run and the
import, beside a baseline ratio (Python's csv module reading the same file).

    /work/main/.venv/bin/python tests/bench/import_scale.py [rows ...]

Targets: 10,000 rows <= 2 s; 100,000 rows <= 10 s and <= 150 MB, the dry run too; 1,000,000
rows imported or refused up front (never after minutes).
"""

from __future__ import annotations

import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def measure(sample: Path, event_file: Path, dry_run: bool) -> dict[str, float | int | str]:
    """Run one import in a fresh process: its seconds, peak MB and outcome."""
    probe = (
        "import json, resource, sys, time\n"
        "from pathlib import Path\n"
        "from checkin.csv_import import ImportRefused, import_csv\n"
        "from checkin.store import open_database\n"
        f"db = open_database(Path({str(event_file)!r}))\n"
        "start = time.perf_counter()\n"
        "try:\n"
        f"    report = import_csv(db, Path({str(sample)!r}), dry_run={dry_run})\n"
        "    outcome = f'{report.imported} households'\n"
        "except ImportRefused as exc:\n"
        "    outcome = f'refused: {exc}'\n"
        "seconds = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'s': seconds, 'mb': peak, 'outcome': outcome}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def baseline(sample: Path) -> float:
    start = time.perf_counter()
    with sample.open(encoding="utf-8", newline="") as handle:
        for _row in csv.reader(handle):
            pass
    return time.perf_counter() - start


def main() -> int:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    from make_csv import write_sample_csv

    from checkin import events
    from checkin.store import open_database

    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    with tempfile.TemporaryDirectory() as folder:
        for rows in sizes:
            sample = write_sample_csv(Path(folder) / f"prereg-{rows}.csv", rows)
            event_file = Path(folder) / f"bench-{rows}.checkin"
            db = open_database(event_file, create=True)
            events.create_event(db, "Benchmark")
            db.dispose()
            base = baseline(sample)
            size_mb = sample.stat().st_size / 1024 / 1024
            print(f"{rows:>9,} rows ({size_mb:.1f} MB); csv module alone reads it in {base:.2f} s")
            for dry_run in (True, False):
                got = measure(sample, event_file, dry_run)
                label = "dry run" if dry_run else "import "
                print(
                    f"   {label}: {got['s']:6.2f} s, peak {got['mb']:6.0f} MB, "
                    f"{float(got['s']) / base:5.1f}x the csv module; {got['outcome']}"
                )
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this process, writing the samples: peak {peak_self:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
