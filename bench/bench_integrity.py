"""How long the integrity check on open and a backup take for a large event file.

    /work/venv/bin/python bench/bench_integrity.py [households]

builds the export benchmark's event (default 50,000 households, a whole afternoon of check-ins,
tickets and scans), then times PRAGMA quick_check alone, open_database (which runs it), and one
verified backup. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_export import build, new_event

from checkin.store import open_database
from checkin.store.backups import backup_now


def main(households: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = new_event(Path(folder))
        build(db, households)
        path = db.path
        assert path is not None
        db.dispose()
        size = path.stat().st_size / 1e6
        print(f"{households} households, event file {size:.1f} MB")
        for _ in range(2):  # the second run with the file in the page cache, as on the day
            start = time.perf_counter()
            connection = sqlite3.connect(path)
            result = connection.execute("PRAGMA quick_check").fetchall()
            connection.close()
            print(f"PRAGMA quick_check: {time.perf_counter() - start:.3f} s ({result[0][0]})")
        start = time.perf_counter()
        db = open_database(path)
        print(f"open_database (quick check included): {time.perf_counter() - start:.3f} s")
        start = time.perf_counter()
        result_backup = backup_now(db, Path(folder), now=datetime.now())
        print(f"verified backup: {time.perf_counter() - start:.3f} s ({result_backup.ok})")
        db.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
