"""The columns the record does not seal, each with its reason: the one place they are decided.

Every other column of every table is sealed (checkin/record/images.py): its changes are carried
by audit entries that `checkin verify` replays. tests/checkin/record/test_every_column.py fails
when a column is in neither place, so a new column is decided when it is added.
"""

from __future__ import annotations

# A column of this name is exempt in every table.
ANY_TABLE: dict[str, str] = {
    "id": "the file's own row number: rows are named by uid, which differs in no copy",
}

_PERSONAL = "personal data, never in the record (a purge clears it and the record stays whole)"

EXEMPT: dict[str, str] = {
    "attendees.first_name": _PERSONAL,
    "attendees.last_name": _PERSONAL,
    "attendees.phone": _PERSONAL,
    "attendees.email": _PERSONAL,
    "attendees.notes": _PERSONAL,
    "attendees.consent": _PERSONAL + "; consent to be contacted, in no figure",
    "attendees.needs_attention": _PERSONAL + "; a desk flag, in no figure",
    "attendees.attention_note": _PERSONAL + "; what the desk shows with the attention flag",
    "person_edits.uid": _PERSONAL + "; an edit's replaced values, kept for its undo",
    "person_edits.attendee_id": _PERSONAL + "; an edit's replaced values, kept for its undo",
    "person_edits.before": _PERSONAL + "; an edit's replaced values, kept for its undo",
    "person_edits.at": _PERSONAL + "; an edit's replaced values (its entry holds the time)",
    "attendees.external_ref": _PERSONAL + "; a pre-registration order number",
    "external_codes.code": _PERSONAL + "; a registration tool's barcode, as external_ref",
    "external_codes.attendee_id": _PERSONAL + "; whose barcode it is (purged with them)",
    "attendees.first_key": "a search key derived from the name (personal, in no figure)",
    "attendees.last_key": "a search key derived from the name (personal, in no figure)",
    "attendees.full_key": "a search key derived from the name (personal, in no figure)",
    "attendees.phone_key": "a search key derived from the phone (personal, in no figure)",
    "events.config_rev": "a cache counter moved by every ticket-type change, itself sealed",
    "ticket_types.next_serial": "the next free serial: every ticket made is sealed with its serial",
    "stations.name": "a screen's setup: each scan's sealed row names its station and result",
    "stations.mode": "a screen's setup: each scan's sealed row names its station and result",
    "stations.ticket_type_id": "a screen's setup: a redemption's sealed ticket names its type",
    "audit.uid": "the record itself: its hash chain covers it",
    "audit.at": "the record itself: its hash chain covers it",
    "audit.station": "the record itself: its hash chain covers it",
    "audit.volunteer": "the record itself: its hash chain covers it",
    "audit.action": "the record itself: its hash chain covers it",
    "audit.subject": "the record itself: its hash chain covers it",
    "audit.detail": "the record itself: its hash chain covers it",
    "audit.undoes": "the record itself: its hash chain covers it",
    "audit.prev_hash": "the record itself: its hash chain covers it",
    "audit.hash": "the record itself: its hash chain covers it",
}


def reason(table: str, column: str) -> str | None:
    """Why a column is not sealed, or None when it must be."""
    return EXEMPT.get(f"{table}.{column}") or ANY_TABLE.get(column)
