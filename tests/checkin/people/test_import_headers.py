"""The header vocabulary (issue 14): household sizes, status, address, references."""

from __future__ import annotations

import pytest

from checkin.people.import_headers import UnknownMapping, apply_choices, guess_field, map_columns


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("How many people in your household?", "household_size"),
        ("Household Size", "household_size"),
        ("Party size", "household_size"),
        ("Group size", "household_size"),
        ("Number of people", "household_size"),
        ("Personas en el hogar", "household_size"),
        ("¿Cuántas personas viven en su hogar?", "household_size"),
        ("Tamaño del hogar", "household_size"),
        ("Tamaño del grupo", "household_size"),
        ("Quantity", "household_size"),
        ("How many adults in your household?", "adults"),
        ("How many kids in your household?", "kids"),
        ("Mayores de 18", "adults"),
        ("Over 65", "seniors"),
        ("Tercera edad", "seniors"),
        ("Attendee Status", "status"),
        ("Status", "status"),
        ("RSVP", "status"),
        ("Will you attend?", "status"),
        ("¿Asistirá?", "status"),
        ("Address", "address"),
        ("Street Address", "address"),
        ("Dirección", "address"),
        ("Email address", "email"),
        ("Barcode #", "external_ref"),
        ("Attendee #", "external_ref"),
        ("Ticket #", "external_ref"),
        ("Order #", "order_ref"),
        ("Family name", "last_name"),
        ("Phone number", "phone"),
        ("Ticket Type", "slot"),  # a kid's ticket counts a kid (issue 25)
        ("Total Paid", None),
    ],
)
def test_guess_field(header: str, field: str | None) -> None:
    assert guess_field(header)[0] == field


def test_quantity_is_not_a_household_in_an_attendee_report() -> None:
    header = ["Order #", "First Name", "Quantity", "Attendee #", "Barcode #"]
    mapping = map_columns(header)
    # Kept: prereg_file reads Quantity only for an order listed once (issue 25).
    assert mapping.fields == ("order_ref", "first_name", "household_size", None, "external_ref")
    order_export = map_columns(["Order #", "First Name", "Quantity"])
    assert order_export.fields == ("order_ref", "first_name", "household_size")


def test_choice_moves_a_field_from_one_column_to_another() -> None:
    mapping = map_columns(["First name", "Phone", "Cell"])
    assert mapping.fields == ("first_name", "phone", None)
    moved = apply_choices(mapping, {"cell": "phone"})
    assert moved.fields == ("first_name", None, "phone")
    assert apply_choices(moved, {"First name": "ignore"}).fields == (None, None, "phone")
    with pytest.raises(UnknownMapping, match="'shoe size' is not a field"):
        apply_choices(mapping, {"Cell": "shoe size"})


@pytest.mark.parametrize(
    "title",
    ["Needs attention", "Accessibility needs", "Necesidades", "Special needs", "Atención"],
)
def test_an_attention_column_fills_the_desk_s_attention_note(title: str) -> None:
    """Issue 24: the column a form asks about access needs in becomes the desk's note."""
    assert guess_field(title)[0] == "attention_note"


def test_allergies_and_comments_stay_notes() -> None:
    assert guess_field("Allergies")[0] == "notes"
    assert guess_field("Comments")[0] == "notes"
