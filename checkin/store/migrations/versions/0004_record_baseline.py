"""the record's baseline: a file made before rows were sealed gets one entry sealing them as found

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 23:30:00

From this version on every audit entry carries the images of the rows it changed, and
`checkin verify` replays them. Rows written by an older version were never sealed: they are
sealed here, as the upgrade finds them (the backup taken before the upgrade keeps the file as
it was). What happened to them before cannot be proven, and the entry says when it was made.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import func, select

from checkin.record import audit
from checkin.record.images import tracked_in
from checkin.store.models import AuditEntry

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BASELINE = "record_baseline"


def upgrade() -> None:
    connection = op.get_bind()
    # A table whose image holds a column a later revision adds (0008) is sealed by it.
    rows = {t.table: t.images(connection) for t in tracked_in(connection)}
    rows = {table: images for table, images in rows.items() if images}
    if not rows:
        return  # a new file: every row it gets will be sealed as it is written
    head = connection.execute(audit.LAST_HASH).scalar() or audit.GENESIS
    entries = connection.execute(select(func.count()).select_from(AuditEntry)).scalar() or 0
    values = audit.entry_values(
        head,
        BASELINE,
        detail={audit.ROWS: rows, "entries_before": entries},
    )
    connection.execute(audit.INSERT, values)


def downgrade() -> None:
    pass  # the entry stays: removing it would break the chain
