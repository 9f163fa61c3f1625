"""ticket_types.at_checkin: how many of a household's allowance come at check-in

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 23:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL keeps the meaning files had before: the whole allowance at check-in.
    with op.batch_alter_table("ticket_types") as batch:
        batch.add_column(sa.Column("at_checkin", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ticket_types") as batch:
        batch.drop_column("at_checkin")
