"""The service's tables as typed SQLAlchemy models (docs/design.md: Service tables).

Times are UTC. A campaign keeps its scenario without the requests; each request is a row owned
by its agency, in scenario keys, with a version for `If-Match`. A plan is a job; a finished job
is a numbered, immutable schedule version whose files (schedule.csv, summary.json, …) are rows
of `version_files`. `events` is the append-only audit log, numbered from `event_counter` in the
writing transaction, so numbers are committed in order and a cursor never skips one.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, ForeignKeyConstraint, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

ROLES = ("coordinator", "agency", "operator")
JOB_STATES = ("queued", "running", "done", "failed")
ACTIVE_JOB = "state IN ('queued', 'running')"


class UtcDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every database (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Document = JSON().with_variant(JSONB(), "postgresql")


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: Document, list[Any]: Document}  # noqa: RUF012


class Account(Base):
    """Who acts: a coordinator, an agency (its name is the `agency` of its requests) or an operator."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    stations: Mapped[str | None] = mapped_column(String(200))  # an operator's station selector
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class Token(Base):
    """An account's token: a public key id to find the row, and only a slow hash of its secret."""

    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    revoked_at: Mapped[datetime | None]


class PageSession(Base):
    """A log-in of the pages: the cookie's hash, the token it came from, its CSRF token."""

    __tablename__ = "page_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("tokens.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime]


class Campaign(Base):
    """A planning campaign: its scenario without requests, its settings, who made it."""

    __tablename__ = "campaigns"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the scenario's name
    scenario: Mapped[dict[str, Any]]
    settings: Mapped[dict[str, Any]]
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    revision: Mapped[int] = mapped_column(default=0)  # +1 at every request write
    next_position: Mapped[int] = mapped_column(default=0)  # requests keep the order they were added in


class CampaignRequest(Base):
    """One request of a campaign, in scenario keys, owned by its agency."""

    __tablename__ = "requests"
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), primary_key=True)
    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    agency: Mapped[str] = mapped_column(String(32), index=True)
    position: Mapped[int]
    body: Mapped[dict[str, Any]]
    version: Mapped[int] = mapped_column(default=1)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class Job(Base):
    """Work done outside the request thread (a plan): its state, progress and result."""

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[float] = mapped_column(default=0.0)
    stage: Mapped[str] = mapped_column(String(200), default="queued")
    params: Mapped[dict[str, Any]]
    scenario: Mapped[str] = mapped_column(Text)  # the scenario YAML as it stood when the job was asked for
    version: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    runner: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(default=0)
    __table_args__ = (
        Index(
            "one_active_job_per_campaign",
            "campaign_id",
            unique=True,
            sqlite_where=text(ACTIVE_JOB),
            postgresql_where=text(ACTIVE_JOB),
        ),
    )


class Version(Base):
    """A numbered, immutable schedule of a campaign, with its summary."""

    __tablename__ = "versions"
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    origin: Mapped[str] = mapped_column(String(32))  # what made it: plan
    base_version: Mapped[int | None]  # the version it was made from, if any
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    summary: Mapped[dict[str, Any]]


class VersionFile(Base):
    """One file of a version, as `jointtrack plan` would write it (schedule.csv, summary.json, …)."""

    __tablename__ = "version_files"
    campaign_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[str] = mapped_column(Text)
    __table_args__ = (ForeignKeyConstraint(["campaign_id", "number"], ["versions.campaign_id", "versions.number"]),)


class Event(Base):
    """One write, as the audit log keeps it: who, what, when, before and after."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    campaign_id: Mapped[str | None] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utc_now)
    actor: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200), default="")
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]


class EventCounter(Base):
    """The last event number: one row, locked by each writing transaction as it logs."""

    __tablename__ = "event_counter"
    id: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class TrackOutcome(Base):
    """What became of one planned track, as an operator or the coordinator reported it: the row
    of the outcomes file, the version it was reported against, and the feedback job it went to."""

    __tablename__ = "outcomes"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), index=True)
    version: Mapped[int]  # the version whose track it reports
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))  # the feedback it went to
    track_id: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[str] = mapped_column(String(64))
    stations: Mapped[str] = mapped_column(String(200))  # the track's antennas, joined by `+`
    planned_start: Mapped[datetime]
    planned_end: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16))
    actual_start: Mapped[datetime | None]
    actual_end: Mapped[datetime | None]
    cause: Mapped[str] = mapped_column(String(16), default="")
    reported_by: Mapped[str] = mapped_column(String(32))
    reported_at: Mapped[datetime] = mapped_column(default=utc_now)
