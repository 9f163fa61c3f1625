"""The consent vocabulary (issue 14): which headers ask for it, which answers give it."""

from __future__ import annotations

import pytest

from checkin.people.attendees import fold
from checkin.people.consent import all_yes_no, gives_consent
from checkin.people.import_headers import guess_field


@pytest.mark.parametrize(
    "header",
    [
        "I agree to be contacted",
        "Keep me informed by the organizer",
        "Text me",
        "Accept marketing",
        "Email me updates",
        "Opt-in to emails",
        "Consent to contact",
        "Can we contact you about future events?",
        "OK to text?",
        "Newsletter",
        "Sí, acepto que me contacten",
        "¿Podemos contactarle?",
        "Estoy de acuerdo en recibir información",
        "Quiero recibir novedades",
        "Manténganme informado",
        "Autorizo el uso de mis datos de contacto",
    ],
)
def test_consent_headers(header: str) -> None:
    assert guess_field(header)[0] == "consent"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Email", "email"),
        ("Email address", "email"),
        ("Correo electrónico", "email"),
        ("Cell Phone", "phone"),
        ("Emergency contact phone", None),
        ("Teléfono", "phone"),
        ("Do you agree to our terms?", None),  # terms, a waiver, photos: not contact
        ("I agree to the waiver", None),
        ("Acepto las condiciones", None),
        ("Photo release: I agree", None),
        ("I agree to the terms and to be contacted", "consent"),
    ],
)
def test_contact_columns_are_not_consent(header: str, field: str | None) -> None:
    assert guess_field(header)[0] == field


@pytest.mark.parametrize(
    "answer",
    [
        "Yes",
        "y",
        "Sí",
        "si",
        "SI",
        "x",
        "✓",
        "True",
        "1",
        "I agree",
        "I agree to be contacted",
        "Acepto",
        "De acuerdo",
        "Estoy de acuerdo",
        "Yes, keep me informed",
        "Text me",
        "Opt in",
        "ok",
        "Claro",
        "Por supuesto",
    ],
)
def test_answers_that_consent(answer: str) -> None:
    assert gives_consent(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "No",
        "no",
        "n",
        "False",
        "0",
        "No acepto",
        "No, gracias",
        "I do not agree",
        "Do not contact me",
        "Never",
        "Nunca",
        "Opt out",
        "maybe",
        "ann@example.org",
    ],
)
def test_answers_that_do_not(answer: str) -> None:
    assert not gives_consent(answer)


def test_yes_no_column_versus_addresses() -> None:
    assert all_yes_no(["Yes", "", "No", "sí"])
    assert not all_yes_no(["Yes", "ann@example.org"])
    assert not all_yes_no(["", " "])  # nothing to judge by
    assert fold("¿Acepta?") == "acepta"
