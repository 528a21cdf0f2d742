"""The first schema: accounts and tokens, page sessions, campaigns and their requests, jobs,
schedule versions and their files, the audit log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
ACTIVE_JOB = sa.text("state IN ('queued', 'running')")


def when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(32), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("stations", sa.String(200)),
        when("created_at"),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key_id", sa.String(32), nullable=False, unique=True),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id"), nullable=False, index=True),
        sa.Column("secret_hash", sa.String(200), nullable=False),
        when("created_at"),
        when("revoked_at", nullable=True),
    )
    op.create_table(
        "page_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("token_id", sa.Integer(), sa.ForeignKey("tokens.id"), nullable=False, index=True),
        sa.Column("csrf", sa.String(64), nullable=False),
        when("created_at"),
        when("expires_at"),
    )
    op.create_table(
        "campaigns",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("scenario", DOCUMENT, nullable=False),
        sa.Column("settings", DOCUMENT, nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        when("created_at"),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("next_position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "requests",
        sa.Column("campaign_id", sa.String(64), sa.ForeignKey("campaigns.id"), primary_key=True),
        sa.Column("request_id", sa.String(64), primary_key=True),
        sa.Column("agency", sa.String(32), nullable=False, index=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("body", DOCUMENT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        when("created_at"),
        sa.Column("updated_by", sa.String(32), nullable=False),
        when("updated_at"),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("campaign_id", sa.String(64), sa.ForeignKey("campaigns.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("progress", sa.Double(), nullable=False),
        sa.Column("stage", sa.String(200), nullable=False),
        sa.Column("params", DOCUMENT, nullable=False),
        sa.Column("scenario", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer()),
        sa.Column("error", sa.Text()),
        sa.Column("requested_by", sa.String(32), nullable=False),
        when("created_at"),
        when("started_at", nullable=True),
        when("finished_at", nullable=True),
        when("heartbeat_at", nullable=True),
        sa.Column("runner", sa.String(200)),
        sa.Column("attempts", sa.Integer(), nullable=False),
    )
    op.create_index(
        "one_active_job_per_campaign",
        "jobs",
        ["campaign_id"],
        unique=True,
        sqlite_where=ACTIVE_JOB,
        postgresql_where=ACTIVE_JOB,
    )
    op.create_table(
        "versions",
        sa.Column("campaign_id", sa.String(64), sa.ForeignKey("campaigns.id"), primary_key=True),
        sa.Column("number", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("origin", sa.String(32), nullable=False),
        sa.Column("base_version", sa.Integer()),
        sa.Column("job_id", sa.Integer(), sa.ForeignKey("jobs.id")),
        sa.Column("created_by", sa.String(32), nullable=False),
        when("created_at"),
        sa.Column("summary", DOCUMENT, nullable=False),
    )
    op.create_table(
        "version_files",
        sa.Column("campaign_id", sa.String(64), primary_key=True),
        sa.Column("number", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id", "number"], ["versions.campaign_id", "versions.number"]),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("campaign_id", sa.String(64), index=True),
        when("at"),
        sa.Column("actor", sa.String(32), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("before", DOCUMENT),
        sa.Column("after", DOCUMENT),
    )
    counter = op.create_table(
        "event_counter",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("last", sa.Integer(), nullable=False),
    )
    op.bulk_insert(counter, [{"id": 1, "last": 0}])


def downgrade() -> None:
    for table in (
        "event_counter",
        "events",
        "version_files",
        "versions",
        "jobs",
        "requests",
        "campaigns",
        "page_sessions",
        "tokens",
        "accounts",
    ):
        op.drop_table(table)
