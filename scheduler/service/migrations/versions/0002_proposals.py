"""Proposals and consent: a campaign's baseline and negotiation settings, proposals with their
files, and their parties (docs/design.md: Service tables).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def campaign_key() -> sa.Column:
    return sa.Column("campaign_id", sa.String(64), sa.ForeignKey("campaigns.id"), primary_key=True)


def upgrade() -> None:
    op.create_table(
        "baselines",
        campaign_key(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.String(32), nullable=False),
        when("set_at"),
    )
    op.create_table(
        "negotiation_settings",
        campaign_key(),
        sa.Column("respond_within_s", sa.Integer(), nullable=False),
        sa.Column("silence", sa.String(16), nullable=False),
        sa.Column("freeze_before_s", sa.Integer(), nullable=False),
    )
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("campaign_id", sa.String(64), sa.ForeignKey("campaigns.id"), nullable=False, index=True),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        when("respond_by"),
        sa.Column("silence", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        when("created_at"),
        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("proposals.id")),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), sa.ForeignKey("jobs.id"), unique=True),
        sa.Column("version", sa.Integer()),
        sa.Column("decided_by", sa.String(32)),
        when("decided_at", nullable=True),
        sa.Column("summary", DOCUMENT, nullable=False),
        sa.Column("files", DOCUMENT, nullable=False),
    )
    op.create_table(
        "parties",
        sa.Column("proposal_id", sa.Integer(), sa.ForeignKey("proposals.id"), primary_key=True),
        sa.Column("agency", sa.String(32), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("must_consent", sa.Boolean(), nullable=False),
        sa.Column("response", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("hours_before", sa.Double(), nullable=False),
        sa.Column("hours_after", sa.Double(), nullable=False),
        sa.Column("moved", sa.Integer(), nullable=False),
        sa.Column("shortened", sa.Integer(), nullable=False),
        sa.Column("dropped", sa.Integer(), nullable=False),
        sa.Column("new_pairs", sa.Integer(), nullable=False),
        sa.Column("responded_by", sa.String(32)),
        when("responded_at", nullable=True),
    )


def downgrade() -> None:
    for table in ("parties", "proposals", "negotiation_settings", "baselines"):
        op.drop_table(table)
