"""Writes the import tests' sample files into tests/data/import/ (committed with this script):

    python tests/data/make_import_samples.py

Each file follows the public export layout of a registration tool (column titles as the tool
writes them, from its own code and docs) or a file an organiser makes by hand; every row is
made up here. The same bytes come out every run (tests/checkin/people/test_import_workbooks.py
checks that the committed files are this script's output).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from sheet_writer import Cell, write_ods, write_xlsx  # noqa: E402

OUT = HERE / "import"
Rows = list[list[Cell]]


def write_csv(path: Path, rows: Sequence[Sequence[Cell]]) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [["" if v is None else str(v) for v in row] for row in rows]
    )
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


# ------------------------------------------------------------------ Hi.Events (xlsx only)
# AttendeesExport.php: ID, First Name, Last Name, Email, Status, Is Checked In, Checked In At,
# Product ID, Product Name, Event ID, Public ID, Short ID, Created Date, Last Updated Date,
# Notes, then one column per question.
HI_EVENTS_HEADER = [
    "ID",
    "First Name",
    "Last Name",
    "Email",
    "Status",
    "Is Checked In",
    "Checked In At",
    "Product ID",
    "Product Name",
    "Event ID",
    "Public ID",
    "Short ID",
    "Created Date",
    "Last Updated Date",
    "Notes",
    "How many people are in your household?",
    "Zip code",
]


def hi_events() -> Rows:
    made = dt.date(2026, 11, 20)
    people = [
        ("Rosa", "Delgado", "rosa.d@example.org", "ACTIVE", 4, 64129),
        ("Tomás", "Reyes", "treyes@example.org", "ACTIVE", 2, 64130),
        ("Keisha", "Moore", "kmoore@example.org", "CANCELLED", 3, 64129),
        ("Ibrahim", "Hassan", "ih@example.org", "ACTIVE", 1, 64131),
        ("Lan", "Pham", "lan.p@example.org", "ACTIVE", 5, 64129),
    ]
    rows: Rows = [HI_EVENTS_HEADER]
    for n, (first, last, email, status, size, zip_code) in enumerate(people, start=1):
        rows.append(
            [
                1000 + n,
                first,
                last,
                email,
                status,
                False,
                None,
                77,
                "Free entry",
                12,
                f"A-{n:04d}",
                f"a{n:04d}",
                made,
                made,
                "",
                size,
                zip_code,
            ]
        )
    return rows


# ------------------------------------------------------------------ an organiser's workbook
def organiser_workbook() -> list[tuple[str, Rows]]:
    instructions: Rows = [
        ["How to use this workbook"],
        ["Add each family on the Sign-ups sheet; volunteers go on their own sheet."],
    ]
    signups: Rows = [
        ["Oak Street Block Party 2026"],
        ["Updated Dec 1: call Maria with changes"],
        [],
        ["Name", "Adults", "Kids", "Phone", "Zip", "Registered on", "OK to text?"],
        ["Grace Okafor", 2, 3, 8165550101, 64129, dt.date(2026, 11, 2), True],
        ["Luis Romero", 1, 0, 8165550102, 64130, dt.date(2026, 11, 3), False],
        ["Mei Chen", 2, 1, None, 64129, dt.date(2026, 11, 5), True],
        ["Walt Jensen", 1.0, 0, 8165550104, 64131, dt.date(2026, 11, 9), True],
        [],
        ["TOTAL", 6, 4],
    ]
    volunteers: Rows = [
        ["Name", "Shift"],
        ["Dana Price", "Grill 12-2"],
        ["Sam Ortiz", "Tables"],
    ]
    return [("Instructions", instructions), ("Sign-ups", signups), ("Volunteers", volunteers)]


# ------------------------------------------------------------------ paper sheet, typed up
def paper_signin() -> Rows:
    # Sizes as the volunteers wrote them on paper, under a column headed "how many".
    return [
        ["Elm Street sign-in sheet"],
        ["Typed up from the paper sheets, pages 1-2"],
        ["Name", "Address", "how many", "Phone"],
        ["Ana Flores", "210 Elm St 64129", "2 adults 3 kids", "816-555-0111"],
        ["Bilal Aziz", "214 Elm St 64129", "4 (2 adults, 2 kids)", ""],
        ["Joy Bell", "220 Elm St 64130", "just me", ""],
        ["Carmen Ruiz", "224 Elm St 64130", "2+2", ""],
        ["Dev Patel", "230 Elm St 64129", "3 (1 baby)", ""],
        ["Hana Sato", "232 Elm St 64129", "n/a", ""],
        ["Omar Said", "236 Elm St 64131", 3, ""],
        ["Tess Grant", "240 Elm St 64131", "two adults and three children", ""],
    ]


# ------------------------------------------------------------------ a Spanish Google Sheet
def google_sheet_es() -> Rows:
    return [
        ["Marca temporal", "Nombre", "Apellidos", "Personas en el hogar", "Niños", "Código postal"],
        ["1/12/2026 10:02:11", "Lucía", "Gómez", "2", "3", "64129"],
        ["1/12/2026 10:15:40", "Pedro", "Salas", "5 (2 adultos, 3 niños)", "", "64130"],
        ["1/12/2026 11:01:02", "Rocío", "Vega", "solo yo", "", "64129"],
        ["1/12/2026 11:30:55", "Andrés", "Mora", "cuatro", "2", "64131"],
        ["2/12/2026 09:12:00", "Elena", "Cruz", "n/a", "1", "64130"],
    ]


# ------------------------------------------------------------------ SignUpGenius report
def signupgenius() -> Rows:
    # A row per slot a person signed up for: "Adults attending" and "Kids attending" with their
    # Qty are the household; "Potluck dish" is not people.
    slots = [
        ("Adults attending", 2, "Ana", "Flores", "ana.f@example.org"),
        ("Kids attending", 1, "Ana", "Flores", "ana.f@example.org"),
        ("Potluck dish", 1, "Ana", "Flores", "ana.f@example.org"),
        ("Adults attending", 1, "Joy", "Bell", "joy@example.org"),
        ("Potluck dish", 2, "Raj", "Mehta", "raj@example.org"),
        ("Adults attending", 2, "Lena", "Ortiz", "lena@example.org"),
        ("Kids attending", 3, "Lena", "Ortiz", "lena@example.org"),
    ]
    rows: Rows = [
        ["Elm Street Block Party - Sign Up Report"],
        ["Report generated 12/01/2026"],
        ["Sign Up", "Date", "Location", "Item", "Qty", "First Name", "Last Name", "Email"],
    ]
    for item, qty, first, last, email in slots:
        rows.append(["Block Party", "12/12/2026", "Elm St", item, qty, first, last, email])
    return rows


# ------------------------------------------------------------------ Eventbrite attendees
def eventbrite_attendees() -> Rows:
    # Eventbrite's attendee summary: one row per attendee, Quantity is the order's ticket
    # count. Order 3001 lists its three tickets on one row; order 3002 has a row each.
    header: list[Cell] = ["Order #", "Order Date", "First Name", "Last Name", "Email"]
    header += ["Quantity", "Ticket Type", "Attendee #", "Barcode #", "Attendee Status"]
    header += ["Zip Code"]
    people = [
        ("3001", "Omar", "Haddad", "oh@example.org", 3, "General", "A1", "3001000001"),
        ("3002", "Keisha", "Brown", "kb@example.org", 3, "General", "A2", "3002000001"),
        ("3002", "Marcus", "Brown", "kb@example.org", 3, "General", "A3", "3002000002"),
        ("3002", "Tia", "Brown", "kb@example.org", 3, "Child", "A4", "3002000003"),
        ("3003", "Linh", "Tran", "lt@example.org", 1, "General", "A5", "3003000001"),
    ]
    rows: Rows = [header]
    for order, first, last, email, qty, kind, attendee, barcode in people:
        when = "2026-11-01 10:20:00"
        rows.append(
            [order, when, first, last, email, qty, kind, attendee, barcode, "Attending", "64130"]
        )
    return rows


# ------------------------------------------------------------------ pretix "Order positions"
# pretix/base/exporters/orderlist.py, a row per position. "Email" and "Phone number" are the
# order's (the buyer's); "Attendee email" is the person's own.
PRETIX_HEADER = [
    "Order code",
    "Position ID",
    "Status",
    "Email",
    "Phone number",
    "Order date",
    "Product",
    "Price",
    "Attendee name",
    "Attendee email",
    "ZIP code",
    "Ticket secret",
    "Order locale",
    "May we contact you about future events?",
]


def pretix() -> Rows:
    rows: Rows = [PRETIX_HEADER]
    orders = [
        # code, status, buyer email, buyer phone, locale, consent, positions
        (
            "ABC12",
            "Paid",
            "grace.nguyen@example.org",
            "+1 816 555 0150",
            "en",
            "Yes",
            [
                ("Adult", "Grace Nguyen", "grace.nguyen@example.org", "qk7v3m9x2p4t8r6w"),
                ("Adult", "Tom Nguyen", "", "h2n8c5z1j7d3f9b4"),
                ("Child", "Lily Nguyen", "", "w6t2y8k4q1m9x3v7"),
            ],
        ),
        (
            "ABC13",
            "Paid",
            "sam.ortiz@example.org",
            "816-555-0151",
            "en",
            "Yes",
            [
                ("Adult", "Sam Ortiz", "", "p9r3d7f1b5n2c8z4"),
                ("Adult", "Irene Walsh", "irene.w@example.org", "m4x8q2v6k9t1y5w3"),
            ],
        ),
        ("ABC14", "Expired", "pk@example.org", "", "en", "No", [("Adult", "Pat Kim", "", "")]),
        (
            "ABC15",
            "Pending",
            "rita@example.org",
            "816 555 0153",
            "es",
            "Sí",
            [("Adult", "Rita Solís", "rita@example.org", "t3k7w1x5q9m2v6y8")],
        ),
        ("ABC16", "Canceled", "ned@example.org", "", "en", "No", [("Adult", "Ned Ray", "", "")]),
    ]
    position = 0
    for code, status, email, phone, locale, consent, positions in orders:
        for product, name, attendee_email, secret in positions:
            position += 1
            rows.append(
                [
                    code,
                    position,
                    status,
                    email,
                    phone,
                    "2026-11-20",
                    product,
                    "0.00",
                    name,
                    attendee_email,
                    "64129",
                    secret,
                    locale,
                    consent,
                ]
            )
    return rows


# ------------------------------------------------------------------ Ticket Tailor tickets
def ticket_tailor() -> Rows:
    return [
        [
            "Ticket ID",
            "Order ID",
            "Barcode",
            "Ticket type",
            "Status",
            "Full name",
            "Email",
            "Phone",
            "Checked in",
        ],
        ["tkt_1001", "or_501", "TT-7Q4M-2K9D", "Family", "valid", "Aisha Bello", "", "", "No"],
        ["tkt_1002", "or_502", "TT-3X8N-5V1C", "Family", "voided", "Chris Dunn", "", "", "No"],
        ["tkt_1003", "or_503", "TT-9B2R-6H4J", "Family", "valid", "Maya Lin", "", "", "No"],
    ]


# ------------------------------------------------------------------ a sheet with payments
def payments_sheet() -> Rows:
    return [
        ["Name", "Payment Status", "Will you attend?", "Notes", "Allergies"],
        ["Ruth Adams", "Paid", "Yes", "", "peanuts"],
        ["Leo Grant", "Refunded", "Yes", "", ""],
        ["Nia Cole", "Cancelled", "Yes", "", ""],
        ["Ivan Petrov", "Paid", "Yes", "CROSSED OUT - not coming", ""],
        ["Zoe Park", "Awaiting payment", "Yes", "bringing chairs", "gluten"],
        ["Abe Stone", "Paid", "No", "", ""],
        ["Bea Lowe", "Payment failed", "Yes", "", ""],
        ["Cal Moss", "Pendiente", "Sí", "", ""],
    ]


# ------------------------------------------------------------------ Microsoft Forms workbook
# Forms' "Open results in Excel": ID, Start time, Completion time, Email, Name (the
# respondent's sign-in: "anonymous" for a form anyone can fill), Last modified time, then one
# column per question.
def microsoft_forms() -> Rows:
    start = dt.date(2026, 11, 14)
    header: list[Cell] = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Last modified time",
        "Your full name",
        "Email address",
        "Phone number",
        "How many people in your household?",
        "Can we email or text you about future events?",
        "Anything else we should know?",
        "Allergies or accessibility needs",
    ]
    answers = [
        ("Marisol Vega", "marisol@example.org", "tel. 512-555-0710", 3, "Yes", "", "nuts"),
        ("Derek Hall", "dhall@example.org", "555-0134 ext 12", 2, "Yes", "", ""),
        ("Priya Nair", "priya@example.org", "(512) 555-0177 x3", 4, "Yes", "late", "ramp"),
        ("Owen Fox", "owen@example.org", "512 555 0805 (cell)", 1, "Yes", "", ""),
        ("Kim Lo", "kim@example.org", "512-555-0999", 2, "No", "", ""),
    ]
    rows: Rows = [header]
    for n, (name, email, phone, size, consent, other, needs) in enumerate(answers, start=1):
        rows.append(
            [
                n,
                start,
                start,
                "anonymous",
                "",
                start,
                name,
                email,
                phone,
                size,
                consent,
                other,
                needs,
            ]
        )
    return rows


# ------------------------------------------------------------------ Airtable grid view
def airtable() -> Rows:
    return [
        [
            "Name",
            "Household size",
            "Phone",
            "Email",
            "OK to contact",
            "Idioma",
            "Notes",
            "Accessibility needs",
        ],
        ["The Nguyen Family", 4, "816-555-0160", "", "yes", "vi", "", "wheelchair"],
        ["Okafor household", 5, "", "", "no", "en", "brings a grill", ""],
        ["Familia Pérez", 3, "", "", "no", "Español", "", ""],
        ["Dana Price", 1, "", "", "no", "", "", ""],
    ]


def main() -> None:
    OUT.mkdir(exist_ok=True)
    write_xlsx(OUT / "hi-events-attendees.xlsx", [("Attendees", hi_events())])
    write_xlsx(OUT / "organiser-workbook.xlsx", organiser_workbook())
    write_ods(OUT / "organiser-workbook.ods", organiser_workbook())
    write_ods(OUT / "paper-signin.ods", [("Sheet1", paper_signin())])
    write_csv(OUT / "signupgenius-report.csv", signupgenius())
    write_csv(OUT / "google-sheet-es.csv", google_sheet_es())
    write_csv(OUT / "pretix-order-positions.csv", pretix())
    write_csv(OUT / "ticket-tailor-issued-tickets.csv", ticket_tailor())
    write_csv(OUT / "payments-sheet.csv", payments_sheet())
    write_xlsx(OUT / "microsoft-forms.xlsx", [("Sheet1", microsoft_forms())])
    write_csv(OUT / "eventbrite-attendees.csv", eventbrite_attendees())
    write_csv(OUT / "airtable-grid-view.csv", airtable())


if __name__ == "__main__":
    main()
