"""A large pre-registration CSV for the import benchmark, and the benchmark itself.

    /work/venv/bin/python tests/bench/make_csv.py [rows]

writes a Google-Forms-style file of ``rows`` households (default 10,000) into a temporary
folder, imports it into a fresh event file and prints how long parsing and the import took.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

HEADER = (
    "Timestamp",
    "First name",
    "Last name",
    "Phone number",
    "Email address",
    "Zip code",
    "How many adults in your household?",
    "How many kids (under 18)?",
    "How did you hear about the block party?",
    "Can we contact you about future events?",
)
FIRST = (
    "Aaliyah",
    "Andre",
    "José",
    "María",
    "Nguyễn",
    "Zoë",
    "Chloé",
    "Darnell",
    "Keisha",
    "Luis",
    "Mei",
    "Omar",
    "Peña",
    "Ángel",
)
LAST = (
    "Johnson",
    "García",
    "Núñez",
    "O'Neal",
    "Smith-Jackson",
    "Hernández",
    "Washington",
    "Nguyen",
    "López",
    "Brown",
)
ZIPS = ("64129", "64130", "64131", "64132", "64134-2210", "64137")
HEARD = ("Flyer at my door", "Church", "Facebook", "A neighbor", "School", "")


def write_sample_csv(path: Path, rows: int, seed: int = 1) -> Path:
    """Write ``rows`` distinct households (UTF-8, US date-times, mixed phone formats)."""
    rng = random.Random(seed)  # reproducible sample data, not security-relevant
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            first = rng.choice(FIRST)
            # The row number in the last name keeps every household distinct.
            last = f"{rng.choice(LAST)} {n}"
            digits = f"816{n:07d}"
            phone = rng.choice(
                (
                    digits,
                    f"({digits[:3]}) {digits[3:6]}-{digits[6:]}",
                    f"+1 {digits[:3]} {digits[3:6]} {digits[6:]}",
                    "",
                )
            )
            consent = rng.choice(("Yes", "yes", "No", ""))
            writer.writerow(
                (
                    f"8/{rng.randint(1, 14)}/2026 {rng.randint(8, 21)}:{rng.randint(0, 59):02d}:00",
                    first,
                    last,
                    phone,
                    f"guest{n}@example.org" if rng.random() < 0.5 else "",
                    rng.choice(ZIPS),
                    rng.randint(1, 3),
                    rng.randint(0, 5),
                    rng.choice(HEARD),
                    consent,
                )
            )
    return path


def main() -> int:
    from checkin import events
    from checkin.csv_import import import_csv, parse_prereg_csv
    from checkin.store import open_database

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        sample = write_sample_csv(Path(folder) / "prereg.csv", rows)
        db = open_database(Path(folder) / "bench.checkin", create=True)
        events.create_event(db, "Benchmark")
        start = time.perf_counter()
        parsed = parse_prereg_csv(sample)
        parse_s = time.perf_counter() - start
        start = time.perf_counter()
        report = import_csv(db, sample)
        import_s = time.perf_counter() - start
        start = time.perf_counter()
        again = import_csv(db, sample)
        again_s = time.perf_counter() - start
        db.dispose()
    print(f"parse only:            {len(parsed.rows)} rows in {parse_s:.2f} s")
    print(f"import (parse+insert): {report.imported} rows in {import_s:.2f} s")
    print(f"re-import (all dupes): {again.duplicates_skipped} skipped in {again_s:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
