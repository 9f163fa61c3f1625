"""Issue 25, item 5: contact details belong to the person (the buyer's only on the buyer's
row; a form's anonymous sign-in columns lose to its questions), phones with labels and
extensions, household labels as surnames, the language column (locale, idioma), and a
second notes-like column appended to the notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from checkin.people import attendees
from checkin.people.cell_values import language, phone_number
from checkin.people.csv_import import import_csv, parse_prereg_csv
from checkin.people.names import household_label
from checkin.store import Database
from checkin.store.models import Attendee
from tests.helpers.import_samples import SAMPLES, people


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("tel. 512-555-0710", "5125550710"),
        ("Tel: 512-555-0710", "5125550710"),
        ("555-0134 ext 12", "5550134 x12"),
        ("555-0134 ext. 12", "5550134 x12"),
        ("(512) 555-0177 x3", "5125550177 x3"),
        ("512 555 0805 (cell)", "5125550805"),
        ("Cell: 816 555 0101", "8165550101"),
        ("816-555-0111 (home)", "8165550111"),
        ("+1 816 555 0150", "+18165550150"),
        ("call me", None),
        ("", ""),
    ],
)
def test_phones_with_labels_and_extensions(written: str, stored: str | None) -> None:
    assert phone_number(written) == stored


@pytest.mark.parametrize(
    ("name", "surname"),
    [
        ("The Nguyen Family", "Nguyen"),
        ("Okafor household", "Okafor"),
        ("Familia Pérez", "Pérez"),
        ("la familia Ruiz", "Ruiz"),
        ("The Family", ""),
        ("Grace Nguyen", ""),
        ("Family", ""),
    ],
)
def test_household_labels(name: str, surname: str) -> None:
    assert household_label(name) == surname


@pytest.mark.parametrize(
    ("written", "code"),
    [("es", "es"), ("es-MX", "es"), ("en_US", "en"), ("Español", "es"), ("vi", "vi")],
)
def test_languages_and_locales(written: str, code: str) -> None:
    assert language(written) == code


def test_pretix_buyer_contact_stays_on_the_buyer_s_row(db: Database) -> None:
    report = import_csv(db, SAMPLES / "pretix-order-positions.csv")
    columns = report.parsed.columns
    assert columns["email"] == "Attendee email"
    assert columns["buyer_email"] == "Email"
    assert columns["buyer_phone"] == "Phone number"
    assert columns["language"] == "Order locale"
    stored = people(db, "first_name", "last_name", "phone", "email", "language")
    by_name = {(first, last): rest for first, last, *rest in stored}
    assert by_name[("Grace", "Nguyen")] == ["+18165550150", "grace.nguyen@example.org", "en"]
    assert ("Tom", "Nguyen") not in by_name  # one household with Grace (her order and surname)
    assert by_name[("Sam", "Ortiz")] == ["8165550151", "sam.ortiz@example.org", "en"]
    # A neighbour inside Sam's order: her own email, not Sam's phone or email.
    assert by_name[("Irene", "Walsh")] == ["", "irene.w@example.org", "en"]
    assert by_name[("Rita", "Solís")] == ["8165550153", "rita@example.org", "es"]


def test_pretix_rows_kept_apart_do_not_share_the_buyer_s_contact(db: Database) -> None:
    import_csv(db, SAMPLES / "pretix-order-positions.csv", group="row")
    stored = people(db, "first_name", "phone", "email")
    assert ("Tom", "", "") in stored  # in Grace's order, no contact of his own
    assert ("Irene", "", "irene.w@example.org") in stored


def test_microsoft_forms_anonymous_columns_lose_to_the_questions(db: Database) -> None:
    report = import_csv(db, SAMPLES / "microsoft-forms.xlsx")
    assert report.parsed.columns["email"] == "Email address"
    assert report.parsed.columns["name"] == "Your full name"
    # Issue 24: an accessibility column is the desk's attention note, not the notes.
    assert people(
        db, "first_name", "last_name", "adults", "phone", "email", "notes", "attention_note"
    ) == [
        ("Marisol", "Vega", 3, "5125550710", "marisol@example.org", "", "nuts"),
        ("Derek", "Hall", 2, "5550134 x12", "dhall@example.org", "", ""),
        ("Priya", "Nair", 4, "5125550177 x3", "priya@example.org", "late", "ramp"),
        ("Owen", "Fox", 1, "5125550805", "owen@example.org", "", ""),
        ("Kim", "Lo", 2, "", "", "", ""),  # said no to contact: nothing kept
    ]


def test_an_imported_extension_is_not_searched_as_the_number(db: Database) -> None:
    import_csv(db, SAMPLES / "microsoft-forms.xlsx")
    assert [a.first_name for a in attendees.search(db, "0134")] == ["Derek"]
    assert [a.first_name for a in attendees.search(db, "0177")] == ["Priya"]


def test_airtable_household_labels_language_and_second_notes(db: Database) -> None:
    report = import_csv(db, SAMPLES / "airtable-grid-view.csv")
    assert report.parsed.columns["language"] == "Idioma"
    assert people(
        db, "first_name", "last_name", "adults", "language", "notes", "attention_note"
    ) == [
        ("", "Nguyen", 4, "vi", "", "wheelchair"),
        ("", "Okafor", 5, "en", "brings a grill", ""),
        ("", "Pérez", 3, "es", "", ""),
        ("Dana", "Price", 1, "", "", ""),
    ]
    with db.reading() as session:  # the note raised the desk's flag
        flagged = session.scalars(select(Attendee.last_name).where(Attendee.needs_attention))
        assert list(flagged) == ["Nguyen"]


def test_a_buyer_column_alone_is_still_everyone_s(tmp_path: Path) -> None:
    # Without the attendee's own columns a row is an order: its contact is the person's.
    path = tmp_path / "orders.csv"
    path.write_text(
        "Order #,Name,Email,Consent\n1,Ana Diaz,ana@example.org,yes\n", encoding="utf-8"
    )
    parsed = parse_prereg_csv(path)
    assert [r.email for r in parsed.rows] == ["ana@example.org"]
