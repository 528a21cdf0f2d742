"""Outcomes of tracks that ran (issue 27): one row per reported track, with the version it was
reported against and the feedback job it went to. Roles need no change: `accounts.role` and
`accounts.stations` (an operator's selector) exist since 0001.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("campaign_id", sa.String(64), sa.ForeignKey("campaigns.id"), nullable=False, index=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), sa.ForeignKey("jobs.id")),
        sa.Column("track_id", sa.String(64), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("stations", sa.String(200), nullable=False),
        when("planned_start"),
        when("planned_end"),
        sa.Column("state", sa.String(16), nullable=False),
        when("actual_start", nullable=True),
        when("actual_end", nullable=True),
        sa.Column("cause", sa.String(16), nullable=False),
        sa.Column("reported_by", sa.String(32), nullable=False),
        when("reported_at"),
    )


def downgrade() -> None:
    op.drop_table("outcomes")
