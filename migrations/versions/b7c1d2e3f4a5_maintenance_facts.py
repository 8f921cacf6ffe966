"""maintenance facts: successor, status note, latest version, last release, popularity rank; five statuses

Revision ID: b7c1d2e3f4a5
Revises: aea4bea6ee69
Create Date: 2026-12-02 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

STATUSES = ("active", "maintenance", "deprecated", "end_of_life", "archived")
OLD_STATUSES = ("active", "archived")


def _status_check(statuses) -> str:
    return "status IN (" + ", ".join(f"'{s}'" for s in statuses) + ")"


# revision identifiers, used by Alembic.
revision = "b7c1d2e3f4a5"
down_revision = "aea4bea6ee69"
branch_labels = None
depends_on = None


def upgrade():
    # batch_alter_table: SQLite cannot alter a CHECK constraint in place, so there the table is
    # copied; on PostgreSQL these are plain ALTER TABLE statements.
    with op.batch_alter_table("technology") as batch_op:
        batch_op.add_column(sa.Column("successor", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("status_note", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("latest_version", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("last_release", sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column("popularity_rank", sa.Integer(), nullable=True))
        batch_op.drop_constraint("ck_tech_status", type_="check")
        batch_op.create_check_constraint("ck_tech_status", _status_check(STATUSES))
        batch_op.create_check_constraint("ck_tech_popularity_rank", "popularity_rank >= 1")


def downgrade():
    # The old schema knows only active and archived: every other listed status becomes active
    # (the maintenance facts that said otherwise go with their columns).
    technology = sa.table("technology", sa.column("status", sa.String))
    op.execute(technology.update().where(technology.c.status.not_in(OLD_STATUSES)).values(status="active"))
    with op.batch_alter_table("technology") as batch_op:
        batch_op.drop_constraint("ck_tech_popularity_rank", type_="check")
        batch_op.drop_constraint("ck_tech_status", type_="check")
        batch_op.create_check_constraint("ck_tech_status", _status_check(OLD_STATUSES))
        batch_op.drop_column("popularity_rank")
        batch_op.drop_column("last_release")
        batch_op.drop_column("latest_version")
        batch_op.drop_column("status_note")
        batch_op.drop_column("successor")
