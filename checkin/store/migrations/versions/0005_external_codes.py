"""external_codes: a household's further codes from a registration tool

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 03:30:00

An imported family's other barcodes (one per ticket in an Eventbrite or pretix order) check the
household in when scanned, as its ``external_ref`` does.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "external_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attendee_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["attendee_id"], ["attendees.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("external_codes") as batch:
        batch.create_index("ix_external_codes_attendee_id", ["attendee_id"], unique=False)
        batch.create_index("ix_external_codes_code", ["code"], unique=False)


def downgrade() -> None:
    op.drop_table("external_codes")
