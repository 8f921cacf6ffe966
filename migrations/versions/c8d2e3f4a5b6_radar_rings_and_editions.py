"""radar: a curator's ring on each technology; published editions and their entries

Revision ID: c8d2e3f4a5b6
Revises: b7c1d2e3f4a5
Create Date: 2026-12-03 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

RINGS = ("adopt", "trial", "assess", "hold")
QUADRANTS = ("frameworks-and-servers", "data", "messaging-and-jobs", "tooling-and-operations")
MOVES = ("in", "up", "down")


def _one_of(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


# revision identifiers, used by Alembic.
revision = "c8d2e3f4a5b6"
down_revision = "b7c1d2e3f4a5"
branch_labels = None
depends_on = None


def upgrade():
    # batch_alter_table: SQLite cannot add a CHECK constraint in place, so there the table is
    # copied; on PostgreSQL these are plain ALTER TABLE statements.
    with op.batch_alter_table("technology") as batch_op:
        batch_op.add_column(sa.Column("ring", sa.String(length=8), nullable=True))
        batch_op.create_check_constraint("ck_tech_ring", _one_of("ring", RINGS))
    op.create_table(
        "radar_edition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=254), nullable=False),
        sa.Column("catalog_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_table(
        "radar_edition_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("quadrant", sa.String(length=32), nullable=False),
        sa.Column("ring", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("moved", sa.String(length=4), nullable=True),
        sa.Column("previous_ring", sa.String(length=8), nullable=True),
        sa.CheckConstraint(_one_of("ring", RINGS), name="ck_radar_entry_ring"),
        sa.CheckConstraint(_one_of("previous_ring", RINGS), name="ck_radar_entry_previous_ring"),
        sa.CheckConstraint(_one_of("quadrant", QUADRANTS), name="ck_radar_entry_quadrant"),
        sa.CheckConstraint(_one_of("moved", MOVES), name="ck_radar_entry_moved"),
        sa.CheckConstraint(_one_of("source", ("curator", "computed")), name="ck_radar_entry_source"),
        sa.ForeignKeyConstraint(["edition_id"], ["radar_edition.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("edition_id", "slug", name="uq_radar_entry_slug"),
    )
    with op.batch_alter_table("radar_edition_entry") as batch_op:
        batch_op.create_index(batch_op.f("ix_radar_edition_entry_edition_id"), ["edition_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_radar_edition_entry_slug"), ["slug"], unique=False)


def downgrade():
    # Editions go with their tables; a curator's ring goes with its column (rings are computed again).
    with op.batch_alter_table("radar_edition_entry") as batch_op:
        batch_op.drop_index(batch_op.f("ix_radar_edition_entry_slug"))
        batch_op.drop_index(batch_op.f("ix_radar_edition_entry_edition_id"))
    op.drop_table("radar_edition_entry")
    op.drop_table("radar_edition")
    with op.batch_alter_table("technology") as batch_op:
        batch_op.drop_constraint("ck_tech_ring", type_="check")
        batch_op.drop_column("ring")
