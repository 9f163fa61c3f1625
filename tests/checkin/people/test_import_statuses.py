"""Issue 25, item 4: the attendance and payment status vocabulary (English and Spanish),
pending payments counted and said, and rows struck out in their notes."""

from __future__ import annotations

import pytest

from checkin.people.csv_import import import_csv
from checkin.people.statuses import is_pending, note_strikes, status_skips
from checkin.store import Database
from tests.helpers.import_samples import SAMPLES, people

NOT_COMING = [
    "Expired",  # pretix
    "voided",  # Ticket Tailor
    "Void",
    "Refunded",
    "Cancelled",
    "Canceled",
    "CANCELLED",  # Hi.Events
    "Declined",
    "Failed",
    "Payment failed",
    "Deleted",
    "Not Attending",  # Eventbrite
    "No-show",
    "No show",
    "No",
    "Order expired",
    "Expirado",
    "Vencida",
    "Anulado",
    "Reembolsado",
    "Cancelada",
    "Rechazado",
    "Pago fallido",
    "Eliminado",
    "No asistiré",
]
COMING = [
    "Paid",
    "valid",
    "ACTIVE",
    "Attending",
    "Checked In",
    "Yes",
    "Sí",
    "Pagado",
    "Partially refunded",
    "Pending",
    "AWAITING_PAYMENT",
    "",
]


@pytest.mark.parametrize("status", NOT_COMING)
def test_statuses_not_coming(status: str) -> None:
    assert status_skips(status)


@pytest.mark.parametrize("status", COMING)
def test_statuses_coming(status: str) -> None:
    assert not status_skips(status)


@pytest.mark.parametrize(
    ("status", "pending"),
    [
        ("Pending", True),
        ("AWAITING_PAYMENT", True),  # Hi.Events
        ("Awaiting payment", True),
        ("Unpaid", True),
        ("Pendiente", True),
        ("Pendiente de pago", True),
        ("Paid", False),
        ("valid", False),
        ("Expired", False),
    ],
)
def test_pending(status: str, pending: bool) -> None:
    assert is_pending(status) is pending


@pytest.mark.parametrize(
    ("note", "struck"),
    [
        ("CROSSED OUT - not coming", True),
        ("crossed off the list", True),
        ("Not coming after all", True),
        ("won't come", True),
        ("cancelled by phone 12/3", True),
        ("No viene", True),
        ("Tachado", True),
        ("bringing chairs", False),
        ("coming late", False),
        ("", False),
    ],
)
def test_notes_that_strike_a_row(note: str, struck: bool) -> None:
    assert note_strikes(note) is struck


def test_payment_status_will_you_attend_and_notes(db: Database) -> None:
    report = import_csv(db, SAMPLES / "payments-sheet.csv")
    parsed = report.parsed
    assert parsed.columns["payment_status"] == "Payment Status"
    assert parsed.columns["status"] == "Will you attend?"
    assert [(row.line, row.status, row.by_note) for row in parsed.skipped] == [
        (3, "Refunded", False),
        (4, "Cancelled", False),
        (5, "CROSSED OUT - not coming", True),
        (7, "No", False),
        (8, "Payment failed", False),
    ]
    assert people(db, "first_name", "last_name") == [
        ("Ruth", "Adams"),
        ("Zoe", "Park"),  # Awaiting payment: coming
        ("Cal", "Moss"),  # Pendiente
    ]
    assert parsed.pending == (6, 9)
    summary = report.summary()
    assert "5 rows skipped by status (lines 3, 4, 5, 7, 8)" in summary
    assert "1 of them crossed out in the notes (line 5)" in summary
    assert "2 rows pending payment, counted as coming (lines 6, 9)" in summary


def test_pretix_expired_and_canceled_orders(db: Database) -> None:
    report = import_csv(db, SAMPLES / "pretix-order-positions.csv")
    assert [(row.line, row.status) for row in report.parsed.skipped] == [
        (7, "Expired"),
        (9, "Canceled"),
    ]
    assert report.parsed.pending == (8,)


def test_ticket_tailor_voided(db: Database) -> None:
    report = import_csv(db, SAMPLES / "ticket-tailor-issued-tickets.csv")
    assert [(row.line, row.status) for row in report.parsed.skipped] == [(3, "voided")]
    assert people(db, "first_name", "last_name") == [("Aisha", "Bello"), ("Maya", "Lin")]
