"""progress learns each association's economy from roadmaps' reference events

Revision ID: 100dfaec716c
Revises: 2c244bab3d76
Create Date: 2026-12-07 17:55:37.073478
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

# What progress knew before this revision: it read each association's economy from roadmaps' reference data file,
# at version 2026.2. An installation that upgrades has loaded that version already, so roadmaps will not tell of its
# entries again: the table starts with what progress knew, and later reference events correct it.
ECONOMIES_AT_REFERENCE_DATA_2026_2 = {"ZELS": "MK", "AAM": "AL", "AKM": "XK", "SOGFBIH": "BA", "ALVRS": "BA"}

revision: str = "100dfaec716c"
down_revision: str | None = "2c244bab3d76"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    economies = op.create_table(
        "associationeconomy",
        sa.Column("association", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("economy", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.PrimaryKeyConstraint("association"),
    )
    op.bulk_insert(
        economies,
        [{"association": code, "economy": economy} for code, economy in ECONOMIES_AT_REFERENCE_DATA_2026_2.items()],
    )


def downgrade() -> None:
    op.drop_table("associationeconomy")
