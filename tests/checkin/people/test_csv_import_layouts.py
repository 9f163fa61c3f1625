"""Issue 14: files in the layouts of real exports (rows made up here), imported and the stored
people checked: household sizes, surnames, consent-kept phones, skipped statuses, duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from checkin.people import attendees
from checkin.people.csv_import import ImportReport, import_csv, parse_prereg_csv
from checkin.store import Database
from checkin.store.models import Attendee

Stored = tuple[str, str, int, int, int, str, str]  # first, last, adults, kids, seniors, zip, phone


def write(tmp_path: Path, lines: list[str], *, encoding: str = "utf-8", eol: str = "\n") -> Path:
    path = tmp_path / "export.csv"
    path.write_bytes(eol.join([*lines, ""]).encode(encoding))
    return path


def stored(db: Database) -> list[Stored]:
    with db.reading() as session:
        rows = session.execute(
            select(
                Attendee.first_name,
                Attendee.last_name,
                Attendee.adults,
                Attendee.kids,
                Attendee.seniors,
                Attendee.zip_code,
                Attendee.phone,
            ).order_by(Attendee.number)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def refs(db: Database) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(Attendee.external_ref).order_by(Attendee.number)))


def skipped(report: ImportReport) -> list[tuple[int, str]]:
    return [(row.line, row.status) for row in report.parsed.skipped]


def test_eventbrite_attendee_report_without_attendee_numbers(db: Database, tmp_path: Path) -> None:
    # A row per attendee, no Attendee # or Barcode #: order 1001's two attendees are two people,
    # Quantity counts the order's tickets (not anyone's household), Refunded and Not Attending
    # rows are skipped.
    path = write(
        tmp_path,
        [
            "Order #,Order Date,First Name,Last Name,Email,Quantity,Ticket Type,"
            "Attendee Status,Zip Code",
            "1001,2026-08-01 10:20:00,Keisha,Brown,kb@example.org,2,General Admission,"
            "Attending,64130",
            "1001,2026-08-01 10:20:00,Marcus,Brown,kb@example.org,2,General Admission,"
            "Attending,64130",
            "1002,2026-08-02 09:00:00,Omar,Haddad,oh@example.org,1,General Admission,"
            "Refunded,64131",
            "1003,2026-08-02 11:00:00,Linh,Tran,lt@example.org,1,General Admission,"
            "Not Attending,64132",
            "1004,2026-08-03 12:00:00,Rosa,Díaz,rd@example.org,1,General Admission,"
            "Checked In,64133",
        ],
        encoding="utf-8-sig",
    )
    report = import_csv(db, path)
    assert report.parsed.columns["status"] == "Attendee Status"
    # Issue 25: Keisha and Marcus Brown, one order and one surname, are one household of 2
    # (each row counts its person; the order's Quantity is not read for a shared order).
    assert report.parsed.grouping == "family"
    assert stored(db) == [
        ("Keisha", "Brown", 2, 0, 0, "64130", ""),
        ("Rosa", "Díaz", 1, 0, 0, "64133", ""),
    ]
    assert refs(db) == ["", ""]  # a shared order number identifies nobody
    assert skipped(report) == [(4, "Refunded"), (5, "Not Attending")]
    assert report.duplicate_lines == ()
    assert "2 rows skipped by status (lines 4, 5)" in report.summary()
    assert any("'Order #' is shared by several rows" in n for n in report.parsed.notes)


def test_eventbrite_order_export_quantity_is_the_household(db: Database, tmp_path: Path) -> None:
    # A row per order: Quantity is how many people the family registered; the order number is
    # unique per row, so it is the reference a later re-import matches on.
    path = write(
        tmp_path,
        [
            "Order #,Order Date,First Name,Last Name,Email,Quantity,Total Paid,Order Type",
            "2001,2026-08-01 10:20:00,Ana Sofía,Hernández,ana@example.org,3,0.00,Free Order",
            "2002,2026-08-01 11:00:00,Darnell,Williams Jr.,dw@example.org,1,0.00,Free Order",
            "2003,2026-08-02 12:00:00,Mei,Scott,ms@example.org,4,0.00,Free Order",
        ],
    )
    report = import_csv(db, path)
    assert report.parsed.columns["household_size"] == "Quantity"
    assert [(first, adults) for first, _, adults, *_ in stored(db)] == [
        ("Ana Sofía", 3),
        ("Darnell Jr.", 1),  # "Williams Jr." in the last name column: the suffix moves
        ("Mei", 4),
    ]
    assert ("Darnell Jr.", "Williams") in {(first, last) for first, last, *_ in stored(db)}
    assert refs(db) == ["2001", "2002", "2003"]
    again = import_csv(db, path)
    assert (again.imported, again.duplicate_lines) == (0, (2, 3, 4))
    assert "3 duplicates skipped (lines 2, 3, 4)" in again.summary()


GOOGLE_FORMS = [
    "Timestamp,First name,Last name,How many people in your household?,"
    "How many kids (under 18)?,Phone number,Zip code,Email me updates,Will you attend?",
    "8/3/2026 16:34:06,Tiana,Brooks,5,3,(816) 555-0101,64130,Yes,Yes",
    "8/3/2026 16:40:00,Luis,Ortega,8,5,816-555-0102,64131,No,Yes",
    "8/3/2026 17:00:00,Maria,Garcia,5,3,,64130,,Yes",
    "8/3/2026 17:05:00,Maria,Garcia,1,0,,64130,,Yes",
    "8/3/2026 17:09:00,María,García,3,1,,64130,,Yes",
    "8/3/2026 18:00:00,Tiana,Brooks,5,3,(816) 555-0101,64130,Yes,Yes",  # submitted twice
    "8/3/2026 18:30:00,Kari,Nelson,2,0,8165550103,64132,Yes,No",
    "8/3/2026 18:45:00,Andre,Green,4,2,8165550104,64133,No,Yes",
    "8/3/2026 18:46:00,Andre,Green,4,2,8165550199,64133,No,Yes",  # another phone: not the same
]


def test_google_forms_household_size_consent_and_duplicates(db: Database, tmp_path: Path) -> None:
    report = import_csv(db, write(tmp_path, GOOGLE_FORMS))
    columns = report.parsed.columns
    assert columns["household_size"] == "How many people in your household?"
    assert columns["consent"] == "Email me updates"  # yes/no: consent, not an email column
    assert "email" not in columns
    assert stored(db) == [
        ("Tiana", "Brooks", 2, 3, 0, "64130", "8165550101"),  # 5 with 3 kids
        ("Luis", "Ortega", 3, 5, 0, "64131", ""),  # 8 with 5 kids; "No": phone not kept
        ("Maria", "Garcia", 2, 3, 0, "64130", ""),
        ("Maria", "Garcia", 1, 0, 0, "64130", ""),
        ("María", "García", 2, 1, 0, "64130", ""),
        ("Andre", "Green", 2, 2, 0, "64133", ""),
        ("Andre", "Green", 2, 2, 0, "64133", ""),
    ]
    assert report.duplicate_lines == (7,)
    assert skipped(report) == [(8, "No")]
    # Three households share a name and zip, two rows differ only in the phone the form gave.
    assert report.possible_duplicate_lines == (4, 5, 6, 9, 10)
    assert "1 duplicate skipped (line 7)" in report.summary()
    assert any("possible duplicates imported" in line for line in report.summary())


def test_two_same_name_households_kept_across_imports(db: Database, tmp_path: Path) -> None:
    header = "First name,Last name,Household Size,Zip"
    import_csv(db, write(tmp_path, [header, "Maria,Garcia,5,64130"]))
    report = import_csv(
        db, write(tmp_path, [header, "Maria,Garcia,1,64130", "Maria,Garcia,5,64130"])
    )
    assert (report.imported, report.duplicate_lines) == (1, (3,))
    assert report.possible_duplicate_lines == (2,)
    assert [row[2] for row in stored(db)] == [5, 1]


def test_jotform_name_address_and_agreement(db: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            '"Submission Date","Name","Email","Phone Number","Address","Household Size",'
            '"I agree to be contacted","Submission ID"',
            '"Aug 3, 2026","Darnell Williams Jr.","dw@example.org","(816) 555-0110",'
            '"1200 E 35th St Kansas City, MO 64109-1234","4","I agree to be contacted",'
            '"5900000000000000001"',
            '"Aug 4, 2026","Ana Sofía Hernández","","816 555 0111",'
            '"3300 Prospect Ave, Kansas City, MO 64128","2","","5900000000000000002"',
            '"Aug 4, 2026","Williams, Keisha","","8165550112","Apt 4, 64130","3",'
            '"I agree to be contacted","5900000000000000003"',
        ],
    )
    report = import_csv(db, path)
    assert report.parsed.columns["name"] == "Name"
    assert report.parsed.columns["consent"] == "I agree to be contacted"
    assert stored(db) == [
        ("Darnell Jr.", "Williams", 4, 0, 0, "64109", "8165550110"),
        ("Ana Sofía", "Hernández", 2, 0, 0, "64128", ""),
        ("Keisha", "Williams", 3, 0, 0, "64130", "8165550112"),
    ]
    found = {hit.first_name for hit in attendees.search(db, "Williams")}
    assert found == {"Darnell Jr.", "Keisha"}
    assert [h.first_name for h in attendees.search(db, "Sofía")] == ["Ana Sofía"]


def test_excel_cp1252_semicolons_spanish(db: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            "Nombre;Apellidos;Teléfono;Código postal;Personas en el hogar;Niños;"
            "¿Acepta que le contactemos?;¿Asistirá?",
            "José;Peña Núñez;816-555-0120;64130;4;2;Sí;Sí",
            "Inés;Muñoz;816-555-0121;64131;3;;De acuerdo;Sí",
            "Ramón;Ortiz;816-555-0122;64132;2;0;No;Sí",
            "Lucía;Hernández;816-555-0123;64133;2;0;Sí;No",
            "Óscar;García;;64134;6;7;;Sí",
        ],
        encoding="cp1252",
        eol="\r\n",
    )
    report = import_csv(db, path)
    assert (report.parsed.encoding, report.parsed.delimiter) == ("cp1252", ";")
    assert report.parsed.columns["household_size"] == "Personas en el hogar"
    assert stored(db) == [
        ("José", "Peña Núñez", 2, 2, 0, "64130", "8165550120"),
        ("Inés", "Muñoz", 3, 0, 0, "64131", "8165550121"),
        ("Ramón", "Ortiz", 2, 0, 0, "64132", ""),
        # 7 kids beside a household of 6: the 6 are the adults (issue 25), noted
        ("Óscar", "García", 6, 7, 0, "64134", ""),
    ]
    assert skipped(report) == [(5, "No")]
    assert any(
        n.startswith("household size smaller than the kids") and "(line 6)" in n
        for n in report.parsed.notes
    )


def test_utf16_unicode_text_tabs(db: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            "Full Name\tParty size\tZip\tText me\tCell Phone\tAttendee Status",
            "Nguyễn Văn An\t3\t64130\tyes\t+1 816 555 0130\tAttending",
            "Chloé Martin III\t1\t64131\tno\t816 555 0131\tAttending",
            "Bo Diaz\t2\t64132\tyes\t816 555 0132\tCancelled",
        ],
        encoding="utf-16",
        eol="\r\n",
    )
    report = import_csv(db, path)
    assert (report.parsed.encoding, report.parsed.delimiter) == ("utf-16", "\t")
    assert stored(db) == [
        ("Nguyễn Văn", "An", 3, 0, 0, "64130", "+18165550130"),
        ("Chloé III", "Martin", 1, 0, 0, "64131", ""),
    ]
    assert skipped(report) == [(4, "Cancelled")]


def test_preview_lists_every_column_and_what_it_fills(tmp_path: Path) -> None:
    parsed = parse_prereg_csv(write(tmp_path, GOOGLE_FORMS))
    assert parsed.mapping.header[0] == "Timestamp"
    assert parsed.mapping.fields == (
        None,
        "first_name",
        "last_name",
        "household_size",
        "kids",
        "phone",
        "zip_code",
        "consent",
        "status",
    )


@pytest.mark.parametrize(
    ("choices", "expected_kids"),
    [({}, [3, 5]), ({"How many kids (under 18)?": "ignore"}, [0, 0])],
)
def test_choices_override_the_vocabulary(
    tmp_path: Path, choices: dict[str, str | None], expected_kids: list[int]
) -> None:
    parsed = parse_prereg_csv(write(tmp_path, GOOGLE_FORMS[:3]), choices)
    assert [row.kids for row in parsed.rows] == expected_kids
    assert [row.household_size for row in parsed.rows] == [5, 8]


def test_choices_remembered_for_the_header_layout(db: Database, tmp_path: Path) -> None:
    first = write(tmp_path, ["Nombre,Gente,Zip", "Ann Lee,4,64130"])
    assert "household_size" not in parse_prereg_csv(first).columns  # "Gente": not in the words
    import_csv(db, first, choices={"Gente": "household_size"}, remember=True)
    later = tmp_path / "later.csv"
    later.write_text("nombre,gente,ZIP\nBo Diaz,3,64131\n", encoding="utf-8")  # same layout
    report = import_csv(db, later, remember=True)
    assert report.parsed.columns["household_size"] == "gente"
    assert [row[2] for row in stored(db)] == [4, 3]
    other = tmp_path / "other.csv"
    other.write_text("Nombre,Gente\nCy Ng,2\n", encoding="utf-8")  # another layout
    assert "household_size" not in import_csv(db, other, remember=True, dry_run=True).parsed.columns


def test_yes_no_answers_under_an_email_header_are_consent(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        ["First name,Phone,Email list", "Ann,816 555 0140,Yes", "Bo,816 555 0141,No"],
    )
    parsed = parse_prereg_csv(path)
    assert parsed.columns["consent"] == "Email list"
    assert "email" not in parsed.columns
    assert [(row.phone, row.email) for row in parsed.rows] == [("8165550140", ""), ("", "")]
    assert any("holds yes/no answers" in n for n in parsed.notes)


def test_what_a_tester_s_own_files_found(db: Database, tmp_path: Path) -> None:
    """A suffix after the surname in the last name column, an "Email" of yes/no beside the
    address column, "5 people", a "Household" column, "Autorizo", a surname with particles and
    a zip+4 in the Zip column."""
    path = write(
        tmp_path,
        [
            "First name,Last name,Email Address,Email,Phone,Household,Zip",
            "Darnell,Williams Jr.,dw@example.org,yes,816 555 0110,4,64130",
            "Ann,Lee,ann@example.org,no,816 555 0111,5 people,64130-1234",
        ],
    )
    report = import_csv(db, path)
    assert report.imported == 2, report.summary()
    assert report.parsed.columns["consent"] == "Email"
    assert report.parsed.columns["email"] == "Email Address"
    assert stored(db) == [
        ("Darnell Jr.", "Williams", 4, 0, 0, "64130", "8165550110"),
        ("Ann", "Lee", 5, 0, 0, "64130", ""),  # no consent: no phone
    ]
    # The same person from a file with one Name column is the same household, not a second.
    one_column = tmp_path / "one-name.csv"
    one_column.write_text(
        "Name,Email Address,Email,Phone,Household,Zip\n"
        "Darnell Williams Jr.,dw@example.org,yes,816 555 0110,4,64130\n"
        "Mary Ann De La Cruz,,,,2,64131\n",
        encoding="utf-8",
    )
    again = import_csv(db, one_column)
    assert again.imported == 1 and again.duplicate_lines == (2,), again.summary()
    assert ("Mary Ann", "De La Cruz") in {(first, last) for first, last, *_ in stored(db)}
    spanish = tmp_path / "autorizo.csv"
    spanish.write_text(
        "Nombre,Apellido,Teléfono,¿Podemos contactarle?,Código postal\n"
        "Rosa,Peña,816 555 0112,Autorizo,64130\n",
        encoding="utf-8",
    )
    assert import_csv(db, spanish).imported == 1
    assert stored(db)[-1][-1] == "8165550112"
