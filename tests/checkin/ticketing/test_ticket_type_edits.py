"""Editing and deleting ticket types: the change lands, is audited, and nonsense is refused."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from checkin.people import attendees
from checkin.record import audit
from checkin.results import Station, StationMode
from checkin.stations.setup import save_station
from checkin.store import AllowanceRule, Database, TicketKind
from checkin.store.models import AuditEntry
from checkin.ticketing import tickets
from checkin.ticketing.ticket_type_edits import delete_ticket_type, update_ticket_type
from checkin.ticketing.tickets import TicketError


def _edit(db: Database, name: str, **changes: object) -> tickets.TicketTypeInfo:
    info = next(t for t in tickets.list_ticket_types(db) if t.name == name)
    values: dict[str, object] = {
        "new_name": info.name,
        "kind": info.kind,
        "rule": info.rule,
        "quantity": info.quantity,
        "stock": info.stock,
        "stations": info.stations,
        "partner_text": info.partner_text,
        "issue_at_checkin": info.issue_at_checkin,
    }
    values.update(changes)
    return update_ticket_type(db, name, **values)  # type: ignore[arg-type]


def test_update_changes_every_field_and_is_audited(db: Database) -> None:
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE, quantity=1)
    info = _edit(
        db,
        "Meal",
        new_name="Hot meal",
        rule="per_member",
        quantity=2,
        stock=300,
        stations=("Food tent",),
        partner_text="Call 555-0100",
        issue_at_checkin=True,
        station="Setup",
    )
    assert (info.name, info.rule, info.quantity, info.stock) == ("Hot meal", "per_member", 2, 300)
    assert info.stations == ("Food tent",) and info.issue_at_checkin
    assert [t.name for t in tickets.list_ticket_types(db)] == ["Hot meal"]
    with db.reading() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "ticket_type_updated")
        ).one()
        assert entry.station == "Setup"
        assert json.loads(entry.detail)["changes"]["name"] == ["Meal", "Hot meal"]
    assert audit.verify(db).chain_ok


def test_update_refusals(db: Database) -> None:
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE)
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE, issue_at_checkin=True)
    with pytest.raises(TicketError, match="already a ticket type"):
        _edit(db, "Meal", new_name="raffle".title())
    with pytest.raises(TicketError, match="needs a name"):
        _edit(db, "Meal", new_name="  ")
    with pytest.raises(TicketError, match="No ticket type"):
        update_ticket_type(
            db,
            "Nothing",
            new_name="X",
            kind=TicketKind.RAFFLE,
            rule=AllowanceRule.FIXED,
            quantity=1,
            stock=None,
        )
    with pytest.raises(TicketError, match="negative"):
        _edit(db, "Meal", quantity=-1)
    person = attendees.register(db, adults=2)
    tickets.issue_tickets(db, person.code, "Meal", count=1)
    with pytest.raises(TicketError, match="1 already handed out"):
        _edit(db, "Meal", stock=0)
    tickets.create_stock(db, "Raffle", 3)
    with pytest.raises(TicketError, match="kind cannot change"):
        _edit(db, "Raffle", kind="resource")


def test_delete_unused_type_and_refuse_used_ones(db: Database) -> None:
    tickets.add_ticket_type(db, "Backpack", TicketKind.RESOURCE)
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE)
    tickets.add_ticket_type(db, "Raffle", TicketKind.RAFFLE)
    delete_ticket_type(db, "Backpack", station="Setup")
    assert [t.name for t in tickets.list_ticket_types(db)] == ["Meal", "Raffle"]
    tickets.create_stock(db, "Raffle", 2)
    with pytest.raises(TicketError, match="2 tickets"):
        delete_ticket_type(db, "Raffle")
    save_station(db, Station("Food tent", StationMode.RESOURCE, "Meal"))
    with pytest.raises(TicketError, match="Food tent"):
        delete_ticket_type(db, "Meal")
    with db.reading() as session:
        actions = list(session.scalars(select(AuditEntry.action)))
    assert actions.count("ticket_type_deleted") == 1
    assert audit.verify(db).chain_ok
