"""Flyer campaigns: a code per campaign or street area, scanned at check-in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin import codes
from checkin.event.events import load_event
from checkin.record import audit
from checkin.store import Database
from checkin.store.models import Attendee, Campaign


@dataclass(frozen=True)
class CampaignInfo:
    name: str
    code: str
    responses: int = 0


def create_campaign(db: Database, name: str, *, station: str = "") -> CampaignInfo:
    """The campaign's code, made once; asking again for the same name returns it."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("A campaign needs a name")

    def work(session: Session) -> CampaignInfo:
        existing = session.scalar(select(Campaign).where(Campaign.name == name))
        if existing is not None:
            return CampaignInfo(existing.name, existing.code)
        event = load_event(session)
        campaign = Campaign(
            name=name, code=codes.make_code(codes.CodeKind.FLYER, event.tag, event.secret_key).value
        )
        session.add(campaign)
        session.flush()
        audit.record(
            session,
            "campaign_added",
            station=station,
            subject=campaign.uid,
            detail={"name": name, "code": campaign.code},
        )
        return CampaignInfo(campaign.name, campaign.code)

    return db.write(work)


def list_campaigns(db: Database) -> list[CampaignInfo]:
    with db.reading() as session:
        rows = session.execute(
            select(Campaign.name, Campaign.code, func.count(Attendee.id))
            .outerjoin(Attendee, Attendee.campaign_id == Campaign.id)
            .group_by(Campaign.id)
            .order_by(Campaign.name)
        ).all()
        return [CampaignInfo(*row) for row in rows]


def heard_label(campaign: Campaign) -> str:
    return f"Flyer: {campaign.name}"
