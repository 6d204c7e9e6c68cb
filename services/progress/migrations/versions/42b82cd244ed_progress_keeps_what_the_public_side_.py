"""progress keeps what the public side shows: indicator actuals, planned indicators, the endorsed version and
NALAS's publication decisions

Rows kept from before start with no planned indicators, no actuals and no endorsed version (older rows did not keep
them): `sori replay` fills them in from the topics, like any projection.

Revision ID: 42b82cd244ed
Revises: 100dfaec716c
Create Date: 2026-12-07 22:43:49.903529
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import sori.columns

revision: str = "42b82cd244ed"
down_revision: str | None = "100dfaec716c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "indicatoractual",
        sa.Column("actual_id", sa.Uuid(), nullable=False),
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("indicator", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("recommendation_id", sa.Uuid(), nullable=False),
        sa.Column("milestone_id", sa.Uuid(), nullable=False),
        sa.Column("local_government", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("report_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("by_sex", sa.JSON(), nullable=False),
        sa.Column("reported_at", sori.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("actual_id"),
    )
    with op.batch_alter_table("indicatoractual", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicatoractual_recommendation_id"), ["recommendation_id"], unique=False)

    op.create_table(
        "publicationdecision",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("item_kind", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("visibility", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("decided_at", sori.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("item_id"),
    )
    # Kept rows get the models' defaults (no indicators, title not revised); the server defaults go again after.
    with op.batch_alter_table("milestoneprogress", schema=None) as batch_op:
        batch_op.add_column(sa.Column("indicators", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    with op.batch_alter_table("milestoneprogress", schema=None) as batch_op:
        batch_op.alter_column("indicators", server_default=None)

    with op.batch_alter_table("recommendationprogress", schema=None) as batch_op:
        batch_op.add_column(sa.Column("endorsed_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("title_revised", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("recommendationprogress", schema=None) as batch_op:
        batch_op.alter_column("title_revised", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("recommendationprogress", schema=None) as batch_op:
        batch_op.drop_column("title_revised")
        batch_op.drop_column("endorsed_version")

    with op.batch_alter_table("milestoneprogress", schema=None) as batch_op:
        batch_op.drop_column("indicators")

    op.drop_table("publicationdecision")
    with op.batch_alter_table("indicatoractual", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicatoractual_recommendation_id"))

    op.drop_table("indicatoractual")
