"""person edits: an attention note of its own, and what an edit replaced (for its undo)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 06:10:00

``attendees.attention_note`` is the text the desk shows with the purple attention banner (until
now the flag showed the household's notes). ``person_edits`` keeps the values an edit in the
person window or ``checkin person --set`` replaced, so that Undo can put them back without the
audit record ever copying personal data; a purge deletes them with the names.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attendees") as batch:
        batch.add_column(sa.Column("attention_note", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "person_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("attendee_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["attendee_id"], ["attendees.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )


def downgrade() -> None:
    op.drop_table("person_edits")
    with op.batch_alter_table("attendees") as batch:
        batch.drop_column("attention_note")
