"""A large pre-registration CSV for the import benchmark, and the benchmark itself.

    /work/venv/bin/python bench/make_csv.py [rows]

writes a Google-Forms-style file of ``rows`` households (default 10,000) into a temporary
folder, imports it into a fresh event file and prints how long parsing and the import took,
beside a baseline in the same run: Python's csv module and raw sqlite3 writing the same rows
into the same schema (folded search keys, a uid and a code each, one audit entry hashing every
row's image, one BEGIN IMMEDIATE/COMMIT, WAL, synchronous=FULL). Target: at most 2 s.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import secrets
import shutil
import sqlite3
import sys
import tempfile
import time
import unicodedata
import uuid
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


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def raw_import(sample: Path, event_file: Path) -> int:
    """The baseline: the same rows into the same table with the standard library alone."""
    columns = (
        "uid, code, number, first_name, last_name, adults, kids, seniors, zip_code, phone,"
        " email, consent, language, heard_about, notes, needs_attention, external_ref, source,"
        " first_key, last_key, full_key, phone_key, purged, created_at, created_station"
    )
    rows = []
    with sample.open(encoding="utf-8-sig", newline="") as handle:
        for number, record in enumerate(csv.DictReader(handle), start=1):
            first, last = record["First name"].strip(), record["Last name"].strip()
            consent = record["Can we contact you about future events?"].strip().lower() == "yes"
            phone = "".join(c for c in record["Phone number"] if c.isdigit()) if consent else ""
            rows.append(
                (
                    uuid.uuid4().hex,
                    secrets.token_hex(8).upper(),
                    number,
                    first,
                    last,
                    int(record["How many adults in your household?"]),
                    int(record["How many kids (under 18)?"]),
                    0,
                    record["Zip code"].strip(),
                    phone,
                    record["Email address"].strip() if consent else "",
                    consent,
                    "en",
                    record["How did you hear about the block party?"].strip(),
                    "",
                    False,
                    "",
                    "prereg",
                    _fold(first),
                    _fold(last),
                    _fold(f"{first} {last}"),
                    phone[-7:],
                    False,
                    "2026-08-15 10:00:00",
                    "import",
                )
            )
    images = {row[0]: hashlib.sha256(json.dumps(row).encode()).hexdigest() for row in rows}
    connection = sqlite3.connect(event_file, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("BEGIN IMMEDIATE")
        marks = ", ".join("?" * len(rows[0]))
        connection.executemany(f"INSERT INTO attendees ({columns}) VALUES ({marks})", rows)
        entry = json.dumps({"action": "import", "rows": images})
        connection.execute("CREATE TABLE bench_audit (entry TEXT, hash TEXT)")
        connection.execute(
            "INSERT INTO bench_audit VALUES (?, ?)",
            (entry, hashlib.sha256(entry.encode()).hexdigest()),
        )
        connection.execute("COMMIT")
    finally:
        connection.close()
    return len(rows)


def main() -> int:
    from checkin.event import events
    from checkin.people.csv_import import import_csv, parse_prereg_csv
    from checkin.store import open_database

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        sample = write_sample_csv(Path(folder) / "prereg.csv", rows)
        db = open_database(Path(folder) / "bench.checkin", create=True)
        events.create_event(db, "Benchmark")
        db.dispose()
        raw_file = Path(folder) / "raw.checkin"
        shutil.copy(Path(folder) / "bench.checkin", raw_file)
        start = time.perf_counter()
        raw_rows = raw_import(sample, raw_file)
        raw_s = time.perf_counter() - start
        db = open_database(Path(folder) / "bench.checkin")
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
    print(f"raw csv + sqlite3:     {raw_rows} rows in {raw_s:.2f} s")
    print(f"import / raw:          {import_s / raw_s:.2f}x (target: the import at most 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
