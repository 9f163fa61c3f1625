"""Pre-registration CSV import: the shared sample exports, the bad files, repairs and re-imports."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from checkin.people import attendees
from checkin.people.csv_import import (
    ImportRefused,
    ParsedFile,
    PreregRow,
    detect_delimiter,
    import_csv,
    parse_prereg_csv,
)
from checkin.store import Database
from checkin.store.models import Attendee, AuditEntry
from tests.helpers.project_paths import PREREG_DATA

DATA = PREREG_DATA  # made by tests/data/make_prereg_samples.py
GOOGLE = DATA / "prereg-google-forms.csv"
EVENTBRITE = DATA / "prereg-eventbrite.csv"
EXCEL_ES = DATA / "prereg-excel-es-cp1252.csv"

# What tests/data/make_prereg_samples.py writes:
# - Google Forms: 126 physical lines = header + 124 records (lines 123-124 are one record with a
#   multi-line cell); line 125 has only a timestamp (empty, skipped); line 126 has kids = -2.
# - Eventbrite: header + 80 attendees. Excel (Spanish): header + 60 rows.
GOOGLE_ROWS = 122
EVENTBRITE_ROWS = 80
EXCEL_ES_ROWS = 60


def count(db: Database, model: Any = Attendee) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def by_line(parsed: ParsedFile, line: int) -> PreregRow:
    (row,) = [row for row in parsed.rows if row.line == line]
    return row


def write(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def note(parsed: ParsedFile, start: str) -> str:
    (found,) = [n for n in parsed.notes if n.startswith(start)]
    return found


# ---------------------------------------------------------------- the sample exports


@pytest.mark.slow
def test_sample_files_are_the_generators_output(tmp_path: Path) -> None:
    """The committed files are what tests/data/make_prereg_samples.py writes, byte for byte."""
    copy = tmp_path / "data"
    copy.mkdir()
    shutil.copy(PREREG_DATA.parent / "make_prereg_samples.py", copy)
    subprocess.run([sys.executable, str(copy / "make_prereg_samples.py")], check=True)
    made = sorted(p.relative_to(copy / "prereg") for p in (copy / "prereg").rglob("*"))
    assert made == sorted(p.relative_to(PREREG_DATA) for p in PREREG_DATA.rglob("*"))
    for name in made:
        if (PREREG_DATA / name).is_file():
            assert (copy / "prereg" / name).read_bytes() == (PREREG_DATA / name).read_bytes()


def test_google_forms_export_imports_every_usable_row(db: Database) -> None:
    report = import_csv(db, GOOGLE)
    parsed = report.parsed
    assert (parsed.encoding, parsed.delimiter) == ("utf-8", ",")
    assert parsed.columns == {
        "first_name": "First name",
        "last_name": "Last name",
        "phone": "Phone number",
        "email": "Email address",
        "zip_code": "Zip code",
        "adults": "How many adults in your household?",
        "kids": "How many kids (under 18)?",
        "heard_about": "How did you hear about the block party?",
        "consent": "Can we contact you about future events?",
    }
    assert len(parsed.rows) == GOOGLE_ROWS
    assert report.imported == GOOGLE_ROWS
    assert count(db) == GOOGLE_ROWS
    with db.reading() as session:
        sources = set(session.scalars(select(Attendee.source)))
        stations = set(session.scalars(select(Attendee.created_station)))
    assert sources == {"import"}
    assert stations == {"import"}


def test_negative_kid_count_is_rejected_with_its_physical_line(db: Database) -> None:
    parsed = parse_prereg_csv(GOOGLE)
    # Line 126, not 125: the multi-line cell on lines 123-124 counts as two physical lines.
    assert [(p.line, p.reason) for p in parsed.problems] == [
        (126, "kids: -2 is not between 0 and 30")
    ]
    assert "Brooks" in parsed.problems[0].excerpt


def test_google_forms_repairs(db: Database) -> None:
    parsed = parse_prereg_csv(GOOGLE)
    formula = by_line(parsed, 122)
    assert formula.last_name == "Formula"
    assert formula.first_name == 'HYPERLINK("http://example.com","click")'
    assert note(parsed, "spreadsheet formula characters removed from first name").endswith(
        "(line 122)"
    )
    multi = by_line(parsed, 123)
    assert (multi.first_name, multi.last_name) == ("Ann", "Multi Line")
    assert multi.adults == 2  # written "two"
    assert note(parsed, "last name on several lines joined into one").endswith("(line 123)")
    assert note(parsed, "adults written in words").endswith("(line 123)")
    # The empty response (a timestamp and nothing else) is neither a row nor a problem.
    assert all(row.line != 125 for row in parsed.rows)
    assert all(problem.line != 125 for problem in parsed.problems)
    assert note(parsed, "empty rows skipped") == "empty rows skipped: 1 row (line 125)"


def test_phones_normalised_and_kept_only_with_consent() -> None:
    parsed = parse_prereg_csv(GOOGLE)
    assert by_line(parsed, 4).phone == "+18167897017"  # "+1 816 789 7017", Yes
    assert by_line(parsed, 5).phone == "8165836055"  # "(816) 583-6055", Yes
    assert by_line(parsed, 5).email == "mei.3@example.org"
    assert by_line(parsed, 5).consent is True
    andre = by_line(parsed, 3)  # phone and email given, consent blank
    assert (andre.phone, andre.email, andre.consent) == ("", "", False)
    james = by_line(parsed, 13)  # "No"
    assert (james.phone, james.email) == ("", "")
    # Counted with the csv module over the file: 50 phones and 59 emails without a yes.
    assert note(parsed, "phone dropped: no consent").startswith("phone dropped: no consent: 50 ")
    assert note(parsed, "email dropped: no consent").startswith("email dropped: no consent: 59 ")


def test_unusable_zip_left_blank_row_kept() -> None:
    parsed = parse_prereg_csv(GOOGLE)
    assert by_line(parsed, 16).zip_code == ""  # "KC"
    assert by_line(parsed, 16).first_name == "María Guadalupe"
    assert by_line(parsed, 50).zip_code == "64134"  # zip+4: the 5 digits, as in an address
    assert note(parsed, "zip code not understood") == (
        "zip code not understood, left blank: 3 rows (lines 16, 96, 108)"
    )


def test_eventbrite_export_with_bom_keeps_barcode(db: Database) -> None:
    report = import_csv(db, EVENTBRITE)
    parsed = report.parsed
    assert parsed.encoding == "utf-8-sig"
    assert report.imported == EVENTBRITE_ROWS == count(db)
    assert parsed.columns["external_ref"] == "Barcode #"
    assert parsed.columns["kids"] == "Number of children attending"
    # The BOM is not part of the first header: "Order #" is recognised (it groups rows into
    # households, issue 25) and not listed as left out.
    assert parsed.columns["order_ref"] == "Order #"
    assert "Order #" not in note(parsed, "columns not imported")
    first = by_line(parsed, 2)
    assert (first.first_name, first.last_name) == ("Ana Sofía", "Hernández")
    assert (first.external_ref, first.kids, first.adults) == ("15000000000001", 4, 1)
    assert (first.phone, first.email) == ("", "")  # no consent column at all
    assert parsed.problems == ()


def test_bom_header_mapped_on_first_column(tmp_path: Path) -> None:
    path = write(tmp_path, "First name,Last name\r\nAnn,Lee\r\n", encoding="utf-8-sig")
    parsed = parse_prereg_csv(path)
    assert parsed.encoding == "utf-8-sig"
    assert parsed.columns == {"first_name": "First name", "last_name": "Last name"}
    assert (parsed.rows[0].first_name, parsed.rows[0].last_name) == ("Ann", "Lee")


def test_excel_spanish_cp1252_semicolons(db: Database) -> None:
    report = import_csv(db, EXCEL_ES)
    parsed = report.parsed
    assert (parsed.encoding, parsed.delimiter) == ("cp1252", ";")
    assert parsed.columns == {
        "first_name": "Nombre",
        "last_name": "Apellido",
        "phone": "Teléfono",
        "zip_code": "Código postal",
        "adults": "Adultos",
        "kids": "Niños",
        "notes": "Notas",
    }
    assert report.imported == EXCEL_ES_ROWS == count(db)
    assert (by_line(parsed, 14).first_name, by_line(parsed, 14).last_name) == ("Peña", "Núñez")
    assert by_line(parsed, 31).first_name == "José"
    assert by_line(parsed, 3).notes == "Alergia al maní"
    with db.reading() as session:
        names = set(session.scalars(select(Attendee.last_name)))
    assert {"Núñez", "García", "Hernández"} <= names


# ---------------------------------------------------------------- refusals


REFUSALS = {
    "binary.csv": "not a text file",
    "empty.csv": "empty",
    "huge-field.csv": "longer than 100,000 characters",
    "no-header.csv": "No recognisable header",
    "only-header.csv": "No rows",
    "unclosed-quote.csv": "Unclosed quote: a quoted cell in the row starting on line 2 never ends",
}


def test_every_bad_file_has_an_expected_refusal() -> None:
    assert sorted(p.name for p in (DATA / "bad").iterdir()) == sorted(REFUSALS)


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_bad_file_refused_and_nothing_imported(db: Database, name: str) -> None:
    audit_before = count(db, AuditEntry)
    with pytest.raises(ImportRefused) as refused:
        import_csv(db, DATA / "bad" / name)
    message = str(refused.value)
    assert REFUSALS[name] in message
    assert "\n" not in message
    assert count(db) == 0
    assert count(db, AuditEntry) == audit_before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("First name,Last name\nAnn,Lee\n" + '"Bo"x,Diaz\n', "Line 3: malformed quoted cell"),
        ("First name\n" + "A" * 100_001 + "\n", "Line 2: a cell is longer than 100,000"),
        ("\n\n   \n", "The file is empty"),
        ("First name,Last name\n\n,\n", "No rows"),
        ("First name,Last name\nAnn,Lee\n\x01\x02\x03\x04,\x05\x06\x07\x08\n", "not a text file"),
    ],
)
def test_structural_problems_refused(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ImportRefused, match=expected):
        parse_prereg_csv(write(tmp_path, text))


def test_missing_file_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="Cannot read the file"):
        parse_prereg_csv(tmp_path / "nope.csv")


def test_undecodable_bytes_refused(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(b"First name\n\x81\x8d\x8f\n")  # invalid UTF-8 and undefined in cp1252
    with pytest.raises(ImportRefused, match="not a readable text file"):
        parse_prereg_csv(path)


# ---------------------------------------------------------------- transactions


def test_dry_run_writes_nothing(db: Database) -> None:
    audit_before = count(db, AuditEntry)
    report = import_csv(db, GOOGLE, dry_run=True)
    assert report.dry_run is True
    assert report.imported == GOOGLE_ROWS
    assert count(db) == 0
    assert count(db, AuditEntry) == audit_before


def test_reimport_skips_duplicates(db: Database) -> None:
    import_csv(db, GOOGLE)
    audit_after_first = count(db, AuditEntry)
    again = import_csv(db, GOOGLE)
    assert (again.imported, again.duplicates_skipped) == (0, GOOGLE_ROWS)
    assert count(db) == GOOGLE_ROWS
    assert count(db, AuditEntry) == audit_after_first  # nothing to record
    preview = import_csv(db, EVENTBRITE, dry_run=True)
    assert (preview.imported, preview.duplicates_skipped) == (EVENTBRITE_ROWS, 0)


def test_reimport_matches_external_ref_even_if_name_changed(db: Database, tmp_path: Path) -> None:
    header = "Barcode #,First Name,Last Name\n"
    import_csv(db, write(tmp_path, header + "111,Ann,Lee\n222,Bo,Diaz\n", name="a.csv"))
    report = import_csv(db, write(tmp_path, header + "111,Anne,Lee\n333,Cy,Ng\n", name="b.csv"))
    assert (report.imported, report.duplicates_skipped, report.duplicate_lines) == (1, 1, (2,))
    assert count(db) == 3


def test_duplicate_within_one_file_imported_once(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "First name,Last name,Zip\nJosé,Peña,64130\njose, PEÑA ,64130\n")
    report = import_csv(db, path)
    assert (report.imported, report.duplicates_skipped, report.duplicate_lines) == (1, 1, (3,))


def test_failure_during_write_leaves_nothing(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    real = attendees.insert_many

    def insert_then_fail(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr("checkin.people.csv_import.insert_many", insert_then_fail)
    with pytest.raises(RuntimeError):
        import_csv(db, GOOGLE)
    assert count(db) == 0


# ---------------------------------------------------------------- rows and columns


def test_spanish_headers_consent_and_language(tmp_path: Path) -> None:
    text = (
        "Nombre;Apellido(s);Código postal;Teléfono;Correo;Adultos;Niños;Mayores;Idioma;"
        "¿Cómo se enteró?;¿Podemos contactarle?\n"
        "Inés;Muñoz Peña;64130;(816) 555-0199;ines@example.org;2;1;1;Español;Iglesia;Sí\n"
        "Ramón;Ortiz;64130;816 555 0142;;1;;;inglés;;no\n"
    )
    parsed = parse_prereg_csv(write(tmp_path, text, encoding="cp1252"))
    assert set(parsed.columns) == {
        "first_name",
        "last_name",
        "zip_code",
        "phone",
        "email",
        "adults",
        "kids",
        "seniors",
        "language",
        "heard_about",
        "consent",
    }
    ines, ramon = parsed.rows
    assert (ines.last_name, ines.adults, ines.kids, ines.seniors) == ("Muñoz Peña", 2, 1, 1)
    assert (ines.phone, ines.email, ines.consent) == ("8165550199", "ines@example.org", True)
    assert (ines.language, ines.heard_about) == ("es", "Iglesia")
    assert (ramon.phone, ramon.consent, ramon.language) == ("", False, "en")
    assert (ramon.kids, ramon.seniors) == (0, 0)


def test_tab_delimited_full_name_column(tmp_path: Path) -> None:
    parsed = parse_prereg_csv(write(tmp_path, "Name\tZip\tAdults\nAna Sofía Hernández\t64130\t\n"))
    assert parsed.delimiter == "\t"
    row = parsed.rows[0]
    assert (row.first_name, row.last_name, row.adults) == ("Ana Sofía", "Hernández", 1)


def test_emoji_kept_and_control_characters_removed(tmp_path: Path) -> None:
    path = write(tmp_path, 'First name,Last name\nTiana 🎉,Brooks\n"Bo\x1b[31m\u202e",Diaz\n')
    tiana, bo = parse_prereg_csv(path).rows
    assert tiana.first_name == "Tiana 🎉"
    assert bo.first_name == "Bo [31m"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("Ann,Lee,2.5,0", "adults: '2.5' is not a whole number"),
        ("Ann,Lee,31,0", "adults: 31 is not between 0 and 30"),
        ("Ann,Lee,0,0", "A household needs at least one person"),
        (",,2,1", "no name or reference: nobody to look up at check-in"),
        (
            "Ann,Lee,1,0,extra",
            "5 cells but the header has 4 (a value containing ',' without quotes?)",
        ),
        (",,,,extra", "5 cells but the header has 4 (a value containing ',' without quotes?)"),
    ],
)
def test_row_rejected_others_kept(tmp_path: Path, row: str, reason: str) -> None:
    text = f"First name,Last name,Adults,Kids\nZoë,Baker,1,2\n{row}\nMei,Scott,,\n"
    parsed = parse_prereg_csv(write(tmp_path, text))
    assert [(p.line, p.reason) for p in parsed.problems] == [(3, reason)]
    assert [r.line for r in parsed.rows] == [2, 4]


def test_contact_without_consent_is_not_an_identity(tmp_path: Path) -> None:
    path = write(tmp_path, "First name,Phone,Email\n,816-555-0100,a@example.org\n")
    (problem,) = parse_prereg_csv(path).problems
    assert "not kept without consent" in problem.reason


def test_notes_from_rejected_rows_not_counted(tmp_path: Path) -> None:
    path = write(tmp_path, "First name,Phone,Kids\nAnn,8165550100,1\nBo,8165550101,-1\n")
    parsed = parse_prereg_csv(path)
    assert note(parsed, "phone dropped") == "phone dropped: no consent: 1 row (line 2)"


def test_unreadable_contact_details_left_blank(tmp_path: Path) -> None:
    text = "First name,Phone,Email,OK to text?\nAnn,8.16555E+09,ann@,yes\nBo,+52 55 1234 5678,,x\n"
    ann, bo = parse_prereg_csv(write(tmp_path, text)).rows
    assert (ann.phone, ann.email, ann.consent) == ("", "", True)
    assert bo.phone == "+525512345678"


def test_utf16_excel_unicode_text(tmp_path: Path) -> None:
    path = write(tmp_path, "First name\tLast name\nJosé\tPeña\n", encoding="utf-16")
    parsed = parse_prereg_csv(path)
    assert (parsed.encoding, parsed.delimiter) == ("utf-16", "\t")
    assert parsed.rows[0].last_name == "Peña"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("First name,Last name,Zip", ","),
        ("Nombre;Apellido;Código postal", ";"),
        ("First\tLast\tZip", "\t"),
        ("Name", ","),
        ("First name;Last name, suffix;Zip", ";"),
    ],
)
def test_detect_delimiter(header: str, expected: str) -> None:
    assert detect_delimiter(header) == expected
