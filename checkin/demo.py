"""A realistic demo event to try the app and train volunteers on, before the real day."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from checkin.event import events
from checkin.event.events import load_event
from checkin.event_templates import RAFFLE_EXTRA
from checkin.people.attendees import clean_fields, insert_many
from checkin.store import AllowanceRule, AttendeeSource, Database, TicketKind, open_database
from checkin.store.models import Prize
from checkin.ticketing import tickets

FIRST = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "Michael",
    "Jennifer",
    "David",
    "Linda",
    "William",
    "Elizabeth",
    "Marcus",
    "Keisha",
    "DeShawn",
    "Tamika",
    "Andre",
    "Latoya",
    "Jamal",
    "Aaliyah",
    "Terrence",
    "Ebony",
    "José",
    "María",
    "Juan",
    "Guadalupe",
    "Luis",
    "Sofía",
    "Carlos",
    "Lucía",
    "Jesús",
    "Ana",
    "Héctor",
    "Beatriz",
    "Nguyen",
    "Linh",
    "Ahmed",
    "Fatima",
    "Darnell",
    "Shanice",
    "Tyrone",
    "Imani",
    "Renée",
    "Zoë",
    "Chloé",
    "Ramón",
    "Inés",
    "Ángel",
]
LAST = [
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Davis",
    "Miller",
    "Wilson",
    "Moore",
    "Taylor",
    "Jackson",
    "Harris",
    "Robinson",
    "Washington",
    "Jefferson",
    "Coleman",
    "Franklin",
    "Brooks",
    "Hayes",
    "García",
    "Rodríguez",
    "Martínez",
    "Hernández",
    "López",
    "González",
    "Pérez",
    "Sánchez",
    "Ramírez",
    "Peña",
    "Muñoz",
    "Núñez",
    "Nguyen",
    "Tran",
    "Ali",
    "Hassan",
    "Okafor",
    "Mensah",
    "O'Brien",
    "Dubois",
]
# Zip codes around Sycamore Park and the neighbouring Kansas City areas.
ZIPS = ("64130", "64130", "64130", "64132", "64127", "64128", "64129", "64131", "64134", "64138")
HEARD = ("Flyer", "Church", "Facebook", "Neighbour", "School", "KCPD officer", "")
PARTNER = (
    "Second Chance KC · re-entry services · jobs, IDs, housing help · "
    "(816) 555-0142 · 1234 Prospect Ave, Kansas City MO · Mon-Fri 9-5"
)


def populate(db: Database, attendees: int = 200, seed: int = 7) -> None:
    """Add the demo ticket types, prizes and pre-registered people to an empty event."""
    # One raffle ticket at check-in, more from pre-printed sheets (the same as the template).
    tickets.add_ticket_type(
        db,
        "Raffle",
        TicketKind.RAFFLE,
        quantity=1 + RAFFLE_EXTRA,
        issue_at_checkin=True,
        at_checkin=1,
    )
    tickets.add_ticket_type(
        db,
        "Meal",
        TicketKind.RESOURCE,
        rule=AllowanceRule.PER_MEMBER,
        quantity=1,
        stock=max(600, attendees * 3),
        issue_at_checkin=True,
    )
    tickets.add_ticket_type(
        db,
        "Backpack",
        TicketKind.RESOURCE,
        rule=AllowanceRule.PER_KID,
        quantity=1,
        stock=max(150, attendees // 2),
    )
    tickets.add_ticket_type(
        db, "Resource referral", TicketKind.RESOURCE, quantity=1, partner_text=PARTNER
    )
    rng = random.Random(seed)  # demo data only: reproducible, not security-relevant
    rows = [_person(rng) for _ in range(attendees)]

    def work(session: Session) -> None:
        event = load_event(session)
        insert_many(session, event, rows, source=AttendeeSource.PREREG, station="demo")
        for position, (name, quantity, sponsor) in enumerate(
            (
                ("Kids' bicycle", 2, "Midtown Bike Co-op"),
                ("$50 grocery gift card", 3, "Sun Fresh Market"),
                ("Family pass to the zoo", 2, ""),
                ("Tablet", 1, "Neighbourhood association"),
            ),
            start=1,
        ):
            session.add(Prize(name=name, quantity=quantity, position=position, sponsor=sponsor))

    db.write(work)


def _person(rng: random.Random) -> dict[str, object]:
    kids = rng.choice((0, 0, 1, 1, 2, 2, 3, 4))
    consent = rng.random() < 0.4
    phone = f"(816) 555-{rng.randrange(10000):04d}" if consent else ""
    fields: dict[str, object] = {
        "first_name": rng.choice(FIRST),
        "last_name": rng.choice(LAST),
        "adults": rng.choice((1, 1, 2, 2, 3)),
        "kids": kids,
        "seniors": rng.choice((0, 0, 0, 0, 1)),
        "zip_code": rng.choice(ZIPS),
        "phone": phone,
        "consent": consent,
        "language": rng.choice(("en", "en", "en", "es")),
        "heard_about": rng.choice(HEARD),
    }
    if rng.random() < 0.03:
        fields["attention_note"] = "Needs a wheelchair-accessible seat"
    return clean_fields(fields)


def create_demo(path: str | Path, attendees: int = 200, passphrase: str = "demo") -> Database:
    db = open_database(path, create=True)
    events.create_event(
        db,
        "Ol' Skool Block Party (demo)",
        event_date=date.today() + timedelta(days=7),
        location="Sycamore Park, Kansas City MO",
        passphrase=passphrase,
    )
    populate(db, attendees)
    return db
