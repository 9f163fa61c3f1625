"""The import at scale (issue 25, item 8): 10,000 and 100,000 rows, as CSV and as an .xlsx
workbook, the dry run and the import, each in a fresh process for its time and its peak memory
(the process's peak resident set, VmHWM: everything the process held, the interpreter and its
libraries included), beside a baseline in the same run: raw sqlite3 inserting the
same rows into the same schema (bench/make_csv.py's raw_import, also in a fresh process),
and the ratio. Then a 1,000,000-row file under the 50 MB cap: refused up front, and how soon.

    /work/main/.venv/bin/python bench/import_scale.py [rows ...] [--no-xlsx] [--no-million]

Targets: 10,000 rows <= 2 s; 100,000 rows <= 10 s and <= 150 MB, the dry run too; 1,000,000
rows imported or refused up front (never after minutes). The machine's load is printed with
the figures: on a shared machine the seconds vary several-fold; the CPU seconds (user + system
time of the measuring process) and the ratios much less.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# The peak resident set of this process's own memory since it started (VmHWM). Not
# getrusage's ru_maxrss: Linux carries that over from the parent across fork and exec, so a
# child of a 100 MB parent reports at least 100 MB.
_PEAK = """\
def peak_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def cpu_s():
    import resource
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime
"""

_IMPORT = (
    _PEAK
    + """\
import json, sys, time
from pathlib import Path
from checkin.people.csv_import import ImportRefused, import_csv
from checkin.store import open_database
db = open_database(Path(sys.argv[1]))
start, cpu = time.perf_counter(), cpu_s()
try:
    report = import_csv(db, Path(sys.argv[2]), dry_run=sys.argv[3] == "dry")
    outcome = f"{report.imported:,} households"
except ImportRefused as exc:
    outcome = f"refused: {exc}"
seconds = time.perf_counter() - start
used = cpu_s() - cpu
print(json.dumps({"s": seconds, "cpu": used, "mb": peak_mb(), "outcome": outcome}))
"""
)

_RAW = (
    _PEAK
    + """\
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from make_csv import raw_import
start, cpu = time.perf_counter(), cpu_s()
rows = raw_import(Path(sys.argv[2]), Path(sys.argv[1]))
seconds = time.perf_counter() - start
used = cpu_s() - cpu
print(json.dumps({"s": seconds, "cpu": used, "mb": peak_mb(), "outcome": f"{rows:,} rows"}))
"""
)


def _run(script: str, *args: str) -> dict[str, float | str]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


def _empty_event(folder: Path, name: str) -> Path:
    from checkin.event import events
    from checkin.store import open_database

    event_file = folder / f"{name}.checkin"
    db = open_database(event_file, create=True)
    events.create_event(db, "Benchmark")
    db.dispose()
    return event_file


def _as_xlsx(sample: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests" / "data"))
    from sheet_writer import write_xlsx

    with sample.open(encoding="utf-8", newline="") as handle:
        rows: list[list[str | int | None]] = [
            [int(c) if c.isdigit() and len(c) < 3 else c for c in row] for row in csv.reader(handle)
        ]
    return write_xlsx(sample.with_suffix(".xlsx"), [("Form Responses 1", rows)])


def _line(label: str, got: dict[str, float | str], raw: dict[str, float | str]) -> str:
    seconds, cpu = float(got["s"]), float(got["cpu"])
    return (
        f"   {label:<14} {seconds:6.2f} s ({cpu:6.2f} s CPU)  peak {float(got['mb']):4.0f} MB  "
        f"{seconds / float(raw['s']):4.1f}x raw ({cpu / float(raw['cpu']):4.1f}x its CPU)  "
        f"{got['outcome']}"
    )


def _million(folder: Path) -> None:
    """A million short rows (a name and a zip: under the 50 MB cap), refused before reading."""
    sample = folder / "million.csv"
    with sample.open("w", encoding="utf-8", newline="") as handle:
        handle.write("Name,Zip\n")
        handle.writelines(f"Person {n},6413{n % 10}\n" for n in range(1_000_000))
    event_file = _empty_event(folder, "million")
    size_mb = sample.stat().st_size / 1024 / 1024
    print(f"1,000,000 rows, CSV ({size_mb:.0f} MB) [{_load()}]")
    for mode in ("dry", "real"):
        got = _run(_IMPORT, str(event_file), str(sample), mode)
        label = "dry run" if mode == "dry" else "import"
        print(
            f"   {label:<14} {float(got['s']):6.2f} s ({float(got['cpu']):6.2f} s CPU)  "
            f"peak {float(got['mb']):4.0f} MB"
        )
        print(f"      {got['outcome']}")


def main() -> int:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    from make_csv import write_sample_csv

    sizes = [int(a) for a in sys.argv[1:] if a.isdigit()] or [10_000, 100_000]
    print(f"peak = the measuring process's peak resident set (VmHWM), in MB [{_load()}]")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for rows in sizes:
            sample = write_sample_csv(folder / f"prereg-{rows}.csv", rows)
            empty = _empty_event(folder, f"empty-{rows}")
            raw_file = folder / f"raw-{rows}.checkin"
            shutil.copy(empty, raw_file)
            raw = _run(_RAW, str(raw_file), str(sample), str(HERE))
            size_mb = sample.stat().st_size / 1024 / 1024
            print(f"{rows:,} rows, CSV ({size_mb:.1f} MB) [{_load()}]")
            print(_line("raw sqlite3", raw, raw))
            files = [("CSV", sample)]
            if "--no-xlsx" not in sys.argv:
                files.append(("xlsx", _as_xlsx(sample)))
            for kind, path in files:
                for mode in ("dry", "real"):
                    event_file = folder / f"bench-{rows}-{kind}.checkin"
                    if mode == "dry":
                        shutil.copy(empty, event_file)
                    got = _run(_IMPORT, str(event_file), str(path), mode)
                    label = f"{kind} {'dry run' if mode == 'dry' else 'import'}"
                    print(_line(label, got, raw))
        if "--no-million" not in sys.argv:
            _million(folder)
    print(f"[{_load()}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
