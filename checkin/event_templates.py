"""What a new event starts with: a template's ticket types, or nothing; and the short setup
checklist shown after creating one (what is still missing before the first guest)."""

from __future__ import annotations

from dataclasses import dataclass

from checkin.event import events
from checkin.raffle import list_prizes
from checkin.store import AllowanceRule, Database, TicketKind
from checkin.store.backups import BACKUP_DIR_SETTING
from checkin.ticketing import tickets

BLOCK_PARTY = "block_party"
EMPTY = "empty"
# Raffle tickets a household may get from pre-printed stock beyond the one at check-in.
RAFFLE_EXTRA = 2


# The template's type names in the language the event is created in. A name is the
# organiser's data (screens, printed tickets, exports, the command line), renamed in Setup like
# any other: it is made once in the event's language rather than translated where it is shown,
# which would stop working at the first rename and leave printed tickets saying otherwise.
TEMPLATE_NAMES = {
    "en": ("Raffle", "Meal", "Backpack", "Resource referral"),
    "es": ("Rifa", "Comida", "Mochila", "Remisión a servicios"),
}


def apply_template(db: Database, template: str, language: str = "en") -> None:
    """Add the template's ticket types to a new event ("empty" adds nothing), named in
    ``language`` (English when the template has no names in it)."""
    if template == EMPTY:
        return
    if template != BLOCK_PARTY:
        raise ValueError(f"Unknown event template: {template}")
    raffle, meal, backpack, referral = TEMPLATE_NAMES.get(language, TEMPLATE_NAMES["en"])
    # One raffle ticket per household at check-in and up to RAFFLE_EXTRA more from pre-printed
    # sheets (won at the games); a meal per person, handed out at the meal tent; a backpack per
    # child (a stock to set); a referral to a partner, asked for.
    tickets.add_ticket_type(
        db,
        raffle,
        TicketKind.RAFFLE,
        quantity=1 + RAFFLE_EXTRA,
        issue_at_checkin=True,
        at_checkin=1,
    )
    tickets.add_ticket_type(
        db,
        meal,
        TicketKind.RESOURCE,
        rule=AllowanceRule.PER_MEMBER,
        quantity=1,
        issue_at_checkin=True,
    )
    tickets.add_ticket_type(
        db, backpack, TicketKind.RESOURCE, rule=AllowanceRule.PER_KID, quantity=1
    )
    tickets.add_ticket_type(db, referral, TicketKind.RESOURCE, quantity=1)


@dataclass(frozen=True)
class CheckItem:
    key: str  # ticket_types | passphrase | prizes | stock | backup_folder
    done: bool


def setup_checklist(db: Database) -> list[CheckItem]:
    types = tickets.list_ticket_types(db)
    info = events.get_event(db)
    items = [
        CheckItem("ticket_types", bool(types)),
        CheckItem("passphrase", info.has_passphrase),
    ]
    if any(t.kind == TicketKind.RAFFLE for t in types) or not types:
        items.append(CheckItem("prizes", bool(list_prizes(db))))
    per_kid = [t for t in types if t.rule == AllowanceRule.PER_KID]
    if per_kid:
        items.append(CheckItem("stock", all(t.stock is not None for t in per_kid)))
    items.append(CheckItem("backup_folder", bool(events.get_setting(db, BACKUP_DIR_SETTING))))
    return items
