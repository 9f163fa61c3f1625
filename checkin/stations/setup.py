"""Stations set up for the event: a name, a mode, and the ticket type a resource station gives."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin.clean_text import clean_text
from checkin.record import audit
from checkin.results import Station, StationMode
from checkin.store import Database
from checkin.store.models import Station as StationRow
from checkin.store.models import TicketType


def get_station(db: Database, name: str) -> Station | None:
    with db.reading() as session:
        row = session.scalar(select(StationRow).where(StationRow.name == name))
        return _value(session, row) if row else None


def list_stations(db: Database) -> list[Station]:
    with db.reading() as session:
        return [
            _value(session, r)
            for r in session.scalars(select(StationRow).order_by(StationRow.name))
        ]


def save_station(db: Database, station: Station, *, by: str = "") -> Station:
    name = clean_text(station.name)
    if not name:
        raise ValueError("A station needs a name")

    def work(session: Session) -> Station:
        type_id = None
        if station.ticket_type:
            type_id = session.scalar(
                select(TicketType.id).where(TicketType.name == station.ticket_type)
            )
            if type_id is None:
                raise ValueError(f"No ticket type called {station.ticket_type}")
        row = session.scalar(select(StationRow).where(StationRow.name == name))
        if row is None:
            row = StationRow(name=name)
            session.add(row)
        row.mode, row.ticket_type_id = station.mode, type_id
        session.flush()
        audit.record(
            session,
            "station_saved",
            station=by,
            subject=name,
            detail={"mode": row.mode, "type": station.ticket_type or ""},
        )
        return _value(session, row)

    return db.write(work)


def _value(session: Session, row: StationRow) -> Station:
    type_name = session.get(TicketType, row.ticket_type_id).name if row.ticket_type_id else None  # type: ignore[union-attr]
    return Station(row.name, StationMode(row.mode), type_name)
