"""void reasons, stock sheets and contact withdrawal: a voided ticket says why, a pre-printed
ticket knows its sheet, a household that withdrew its contact consent is marked

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-07 06:20:00

``tickets.void_reason`` (lost, stolen, damaged, sheet...) is shown when a voided ticket is
scanned; ``tickets.sheet`` is the number printed on a pre-printed stock sheet, so a missing
sheet is voided by it; ``attendees.contact_withdrawn_at`` marks a household whose phone and
email were removed at its request, so that merges and re-imports never bring them back. The
record seals the three: the households and tickets are sealed again, as found, in one entry.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from checkin.record import audit
from checkin.record.images import BY_TABLE

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

WIDENED = "record_widened"


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("void_reason", sa.String(20), nullable=False, server_default=""))
        batch.add_column(sa.Column("sheet", sa.Integer(), nullable=True))
    with op.batch_alter_table("attendees") as batch:
        batch.add_column(sa.Column("contact_withdrawn_at", sa.DateTime(), nullable=True))
    connection = op.get_bind()
    rows = {table: BY_TABLE[table].images(connection) for table in ("attendees", "tickets")}
    rows = {table: images for table, images in rows.items() if images}
    if not rows:
        return  # nothing yet: each row is sealed as it is written
    head = connection.execute(audit.LAST_HASH).scalar() or audit.GENESIS
    values = audit.entry_values(head, WIDENED, detail={audit.ROWS: rows})
    connection.execute(audit.INSERT, values)


def downgrade() -> None:
    with op.batch_alter_table("attendees") as batch:
        batch.drop_column("contact_withdrawn_at")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("sheet")
        batch.drop_column("void_reason")
