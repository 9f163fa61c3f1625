"""the record widened: every column is sealed or exempt, so a file gets one entry sealing the
newly sealed fields as found

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 04:00:00

From this version on the record also seals the event (its key and tag, raffle rules), ticket
types, prizes, campaigns, paper tallies, merged files, settings, and more of each person's and
ticket's fields (ZIP, how they heard, guest number, times). Rows written by an older version
are sealed here as the upgrade finds them (the backup taken before the upgrade keeps the file
as it was); the entry replaces every row's image with the wider one.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import func, select

from checkin.record import audit
from checkin.record.images import tracked_in
from checkin.store.models import AuditEntry

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

WIDENED = "record_widened"


def upgrade() -> None:
    connection = op.get_bind()
    rows = {t.table: t.images(connection) for t in tracked_in(connection)}
    rows = {table: images for table, images in rows.items() if images}
    if not rows:
        return  # a new file: every row it gets will be sealed as it is written
    head = connection.execute(audit.LAST_HASH).scalar() or audit.GENESIS
    entries = connection.execute(select(func.count()).select_from(AuditEntry)).scalar() or 0
    values = audit.entry_values(
        head,
        WIDENED,
        detail={audit.ROWS: rows, "entries_before": entries},
    )
    connection.execute(audit.INSERT, values)


def downgrade() -> None:
    pass  # the entry stays: removing it would break the chain
